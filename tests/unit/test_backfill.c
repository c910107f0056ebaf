/* metric_backfill records: written by the child, taken by the parent, and
 * what a hostile or broken payload gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "backfill.h"
#include "records.h"
#include "unit_support.h"

/* Writes one backfill record through a pipe and reads it back. */
static size_t round_trip(const char *name, const char *unit,
                         const nbaq_point *points, size_t count,
                         unsigned char *payload, size_t size)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    record_writer_init(fds[1]);
    record_write_backfill(name, unit, points, count);
    record_flush();
    close(fds[1]);
    unsigned char buf[20000];
    ssize_t n = read(fds[0], buf, sizeof buf);
    close(fds[0]);
    assert_true(n > 0);
    record_reader r = {0};
    record rec;
    assert_int_equal(record_reader_feed(&r, buf, (size_t)n), 0);
    assert_int_equal(record_reader_next(&r, &rec), 1);
    assert_int_equal(rec.type, RECORD_BACKFILL);
    assert_true(rec.len <= size);
    memcpy(payload, rec.payload, rec.len);
    size_t len = rec.len;
    record_reader_free(&r);
    return len;
}

static void test_points_arrive_as_sent(void **state)
{
    (void)state;
    nbaq_point points[3] = {{1000, 1.5}, {2000, -2}, {86400000, 1e12}};
    unsigned char payload[20000];
    size_t len =
        round_trip("rows_per_day", "rows", points, 3, payload, sizeof payload);
    /* name, unit, and 16 bytes per point */
    assert_int_equal(len,
                     strlen("rows_per_day") + 1 + strlen("rows") + 1 + 3 * 16);
    backfill_list list = {0};
    assert_null(backfill_take(&list, payload, len));
    assert_null(backfill_take(&list, payload, len)); /* kept; store skips */
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[0].name, "rows_per_day");
    assert_string_equal(list.items[0].unit, "rows");
    assert_int_equal(list.items[0].count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(list.items[0].points[i].ts_ms, points[i].ts_ms);
        assert_true(list.items[0].points[i].value == points[i].value);
    }
    backfill_list_free(&list);
    assert_int_equal(list.count, 0);
}

static void test_empty_and_maximal(void **state)
{
    (void)state;
    static nbaq_point many[NBAQ_BACKFILL_POINTS_MAX];
    for (size_t i = 0; i < NBAQ_BACKFILL_POINTS_MAX; i++)
        many[i] = (nbaq_point){(int64_t)i * 1000, (double)i};
    unsigned char payload[20000];
    size_t len = round_trip("m", "", many, NBAQ_BACKFILL_POINTS_MAX, payload,
                            sizeof payload);
    backfill_list list = {0};
    assert_null(backfill_take(&list, payload, len));
    assert_int_equal(list.items[0].count, NBAQ_BACKFILL_POINTS_MAX);
    assert_true(list.items[0].points[999].value == 999);
    len = round_trip("none", "count", NULL, 0, payload, sizeof payload);
    assert_null(backfill_take(&list, payload, len));
    assert_int_equal(list.items[1].count, 0);
    backfill_list_free(&list);
}

static void test_broken_payloads_are_protocol_violations(void **state)
{
    (void)state;
    backfill_list list = {0};
    /* no NUL after the name */
    assert_string_equal(backfill_take(&list, (const unsigned char *)"abc", 3),
                        "protocol violation: bad backfill name");
    /* empty name */
    assert_string_equal(backfill_take(&list, (const unsigned char *)"\0u", 3),
                        "protocol violation: bad backfill name");
    /* unit without its NUL */
    assert_string_equal(backfill_take(&list, (const unsigned char *)"m\0u", 3),
                        "protocol violation: bad backfill unit");
    /* 5 bytes of points: not whole points */
    assert_string_equal(
        backfill_take(&list, (const unsigned char *)"m\0u\0abcde", 9),
        "protocol violation: bad backfill points");
    assert_int_equal(list.count, 0);
    backfill_list_free(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_points_arrive_as_sent),
        cmocka_unit_test(test_empty_and_maximal),
        cmocka_unit_test(test_broken_payloads_are_protocol_violations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
