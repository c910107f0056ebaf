/* The record stream from a child: reassembly and the limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "records.h"
#include "unit_support.h"

static void feed_header(record_reader *r, record_type type, uint32_t len)
{
    unsigned char header[RECORD_HEADER_SIZE];
    header[0] = (unsigned char)type;
    memcpy(header + 1, &len, sizeof len);
    assert_int_equal(record_reader_feed(r, header, sizeof header), 0);
}

static void test_reassembly(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    record_writer_init(fds[1]);
    record_write_metric("rows", 42.5, "MB");
    record_write_status(NBAQ_WARNING, "slow");
    record_write_state("k", "v");
    record_write(RECORD_DONE, "", 0);
    record_flush();
    close(fds[1]);
    unsigned char buf[4096];
    ssize_t n = read(fds[0], buf, sizeof buf);
    close(fds[0]);
    assert_true(n > 0);
    record_reader r = {0};
    record rec;
    /* Byte by byte: a record is only handed out when complete. */
    int seen = 0;
    for (ssize_t i = 0; i < n; i++) {
        assert_int_equal(record_reader_feed(&r, buf + i, 1), 0);
        while (record_reader_next(&r, &rec) == 1) {
            seen++;
            if (seen == 1) {
                double v;
                assert_int_equal(rec.type, RECORD_METRIC);
                memcpy(&v, rec.payload, sizeof v);
                assert_true(v == 42.5);
                assert_string_equal((const char *)rec.payload + sizeof v,
                                    "rows");
                assert_string_equal((const char *)rec.payload + sizeof v + 5,
                                    "MB");
            } else if (seen == 2) {
                assert_int_equal(rec.type, RECORD_STATUS);
                assert_int_equal(rec.payload[0], NBAQ_WARNING);
                assert_string_equal((const char *)rec.payload + 1, "slow");
            } else if (seen == 3) {
                assert_int_equal(rec.type, RECORD_STATE);
            } else {
                assert_int_equal(rec.type, RECORD_DONE);
                assert_int_equal(rec.len, 0);
            }
        }
    }
    assert_int_equal(seen, 4);
    record_reader_free(&r);
}

/* An empty read (the fuzzer's first finding): nothing is added, nothing is
 * handed out, and the stream goes on normally after it. Under UBSan the
 * old code copied zero bytes into a NULL buffer. */
static void test_empty_reads(void **state)
{
    (void)state;
    record_reader r = {0};
    record rec;
    assert_int_equal(record_reader_feed(&r, "", 0), 0);
    assert_int_equal(record_reader_next(&r, &rec), 0);
    feed_header(&r, RECORD_DONE, 0);
    assert_int_equal(record_reader_feed(&r, "", 0), 0);
    assert_int_equal(record_reader_next(&r, &rec), 1);
    assert_int_equal(rec.type, RECORD_DONE);
    assert_int_equal(record_reader_feed(&r, "", 0), 0);
    assert_int_equal(record_reader_next(&r, &rec), 0);
    record_reader_free(&r);
}

static void test_truncation(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    record_writer_init(fds[1]);
    char name[600];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    record_write_metric(name, 1, NULL);
    record_flush();
    close(fds[1]);
    unsigned char buf[4096];
    ssize_t n = read(fds[0], buf, sizeof buf);
    close(fds[0]);
    record_reader r = {0};
    record rec;
    assert_int_equal(record_reader_feed(&r, buf, (size_t)n), 0);
    assert_int_equal(record_reader_next(&r, &rec), 1);
    assert_int_equal(strlen((const char *)rec.payload + sizeof(double)),
                     RECORD_NAME_MAX);
    record_reader_free(&r);
}

static void test_limits(void **state)
{
    (void)state;
    record_reader r = {0};
    record rec;
    feed_header(&r, RECORD_STATUS, RECORD_PAYLOAD_MAX + 1);
    assert_int_equal(record_reader_next(&r, &rec), -1);
    record_reader_free(&r);
    /* More than RECORD_TOTAL_MAX bytes in all is refused. */
    static unsigned char chunk[1024 * 1024];
    int rc = 0;
    for (int i = 0; i < 9 && rc == 0; i++)
        rc = record_reader_feed(&r, chunk, sizeof chunk);
    assert_int_equal(rc, -1);
    record_reader_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reassembly), cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_limits), cmocka_unit_test(test_empty_reads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
