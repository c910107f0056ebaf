/*
 * test_object_check.c - one object's verdict: plain JSON, JSON Lines,
 * gzip (whole, in small pieces, several members, corrupt, truncated),
 * empty objects, the decompressed-size cap and required fields.
 * The gzip data is made here with zlib's deflate in gzip mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "object_check.h"

static const object_rules plain_rules = {0};

/* gzip of text; *len its size. Caller frees. */
static unsigned char *gzip_of(const char *text, size_t *len)
{
    z_stream z = {0};
    assert_int_equal(
        deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
        Z_OK);
    size_t cap = deflateBound(&z, strlen(text)) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *)(uintptr_t)text;
    z.avail_in = (uInt)strlen(text);
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *len = z.total_out;
    deflateEnd(&z);
    return out;
}

/* Feeds data in pieces of `piece` bytes, then finishes. */
static object_check *check_bytes(const object_rules *rules, const char *key,
                                 const void *data, size_t len, size_t piece)
{
    char err[256];
    object_check *oc = object_check_new(rules, key, err, sizeof err);
    assert_non_null(oc);
    const unsigned char *p = data;
    int stopped = 0;
    for (size_t at = 0; at < len && !stopped; at += piece)
        stopped =
            object_check_feed(oc, p + at, len - at < piece ? len - at : piece);
    if (!stopped)
        object_check_finish(oc);
    return oc;
}

static void expect(object_check *oc, object_verdict verdict, const char *reason)
{
    if (object_check_verdict(oc) != verdict)
        fail_msg("verdict %d, want %d (reason '%s')", object_check_verdict(oc),
                 verdict, object_check_reason(oc));
    if (reason && strcmp(object_check_reason(oc), reason) != 0)
        fail_msg("reason '%s', want '%s'", object_check_reason(oc), reason);
    object_check_free(oc);
}

static void test_plain(void **state)
{
    (void)state;
    const char *ok = "{\"a\": [1, 2]}";
    expect(check_bytes(&plain_rules, "x.json", ok, strlen(ok), 3), OBJECT_VALID,
           "");
    expect(check_bytes(&plain_rules, "x.json", "[1,]", 4, 1), OBJECT_INVALID,
           "1:4: trailing comma before ']'");
    expect(check_bytes(&plain_rules, "x.json", "", 0, 1), OBJECT_EMPTY,
           "empty");
    expect(check_bytes(&plain_rules, "x.json", " \n ", 3, 1), OBJECT_EMPTY,
           "empty");
    /* two lines are two documents: only JSON Lines allows that */
    expect(check_bytes(&plain_rules, "x.json", "[1]\n[2]\n", 8, 8),
           OBJECT_INVALID, "2:1: unexpected '[' after the end of the document");
}

static void test_lines(void **state)
{
    (void)state;
    const char *text = "{\"a\":1}\n{\"a\":2,}\n{\"a\":3}\n";
    expect(check_bytes(&plain_rules, "x.jsonl", text, strlen(text), 5),
           OBJECT_INVALID, "2:8: trailing comma before '}'");
    expect(check_bytes(&plain_rules, "x.ndjson", "[1]\n[2]\n", 8, 2),
           OBJECT_VALID, "");
    object_rules as_lines = {.format = OBJECT_FORMAT_LINES};
    expect(check_bytes(&as_lines, "x.json", "[1]\n[2]\n", 8, 8), OBJECT_VALID,
           "");
    object_rules as_json = {.format = OBJECT_FORMAT_JSON};
    expect(check_bytes(&as_json, "x.jsonl", "[1]\n[2]\n", 8, 8), OBJECT_INVALID,
           NULL);
    assert_true(object_key_is_lines("a/b.jsonl.gz", OBJECT_FORMAT_AUTO));
    assert_false(object_key_is_lines("a/b.json.gz", OBJECT_FORMAT_AUTO));
    assert_true(object_key_is_gzip("a/b.json.gz"));
    assert_false(object_key_is_gzip("a/b.json"));
}

static void test_gzip(void **state)
{
    (void)state;
    const char *text = "{\"name\": \"caf\xC3\xA9\", \"n\": [1, 2, 3]}\n";
    size_t len;
    unsigned char *gz = gzip_of(text, &len);
    expect(check_bytes(&plain_rules, "x.json.gz", gz, len, len), OBJECT_VALID,
           "");
    expect(check_bytes(&plain_rules, "x.json.gz", gz, len, 1), OBJECT_VALID,
           "");
    /* cut short: not the whole stream */
    expect(check_bytes(&plain_rules, "x.json.gz", gz, len - 6, 7),
           OBJECT_INVALID, "corrupt gzip data: truncated stream");
    /* a damaged header */
    gz[0] ^= 0xFF;
    expect(check_bytes(&plain_rules, "x.json.gz", gz, len, 4), OBJECT_INVALID,
           "corrupt gzip data: incorrect header check");
    free(gz);

    const char *bad = "[1]\n[2,]\n";
    gz = gzip_of(bad, &len);
    expect(check_bytes(&plain_rules, "x.jsonl.gz", gz, len, 3), OBJECT_INVALID,
           "2:4: trailing comma before ']'");
    free(gz);

    gz = gzip_of("", &len);
    expect(check_bytes(&plain_rules, "x.json.gz", gz, len, 2), OBJECT_EMPTY,
           "empty");
    free(gz);
}

static void test_gzip_members(void **state)
{
    (void)state;
    /* "gzip a; gzip b; cat" is one stream of both: here one JSON Lines
     * object whose lines come from two members */
    size_t la, lb;
    unsigned char *a = gzip_of("{\"a\":1}\n", &la);
    unsigned char *b = gzip_of("{\"b\":2}\n", &lb);
    unsigned char *both = malloc(la + lb);
    memcpy(both, a, la);
    memcpy(both + la, b, lb);
    object_check *oc =
        check_bytes(&plain_rules, "x.jsonl.gz", both, la + lb, 5);
    assert_int_equal(object_check_documents(oc), 2);
    expect(oc, OBJECT_VALID, "");
    /* garbage after the last member */
    memcpy(both + la, "garbage!", 8);
    expect(check_bytes(&plain_rules, "x.jsonl.gz", both, la + 8, 64),
           OBJECT_INVALID, "corrupt gzip data: incorrect header check");
    free(a);
    free(b);
    free(both);
}

static void test_decompressed_cap(void **state)
{
    (void)state;
    char *big = malloc(100001);
    big[0] = '[';
    for (int i = 1; i < 100000; i += 2) {
        big[i] = '0';
        big[i + 1] = ',';
    }
    big[99999] = '0';
    big[100000] = '\0';
    size_t len;
    unsigned char *gz = gzip_of(big, &len);
    assert_true(len < 2000); /* compresses well: the cap must see through */
    object_rules capped = {.max_bytes = 50000};
    char err[256];
    object_check *oc =
        object_check_new(&capped, "big.json.gz", err, sizeof err);
    assert_int_equal(object_check_feed(oc, gz, len), 1); /* stop reading */
    expect(oc, OBJECT_OVERSIZED,
           "more than 50000 bytes after decompression (max_object_bytes)");
    free(gz);
    free(big);
}

static void test_required_fields(void **state)
{
    (void)state;
    static const object_field fields[] = {{"/id", JSONV_TYPE_INTEGER},
                                          {"/tags", JSONV_TYPE_ARRAY}};
    object_rules rules = {.fields = fields, .field_count = 2};
    const char *text = "{\"id\":1,\"tags\":[]}\n{\"id\":2}\n";
    expect(check_bytes(&rules, "x.jsonl", text, strlen(text), 4),
           OBJECT_INVALID, "2:9: missing required field '/tags'");
    static const object_field broken[] = {{"id", JSONV_TYPE_ANY}};
    object_rules bad = {.fields = broken, .field_count = 1};
    char err[256];
    assert_null(object_check_new(&bad, "x.json", err, sizeof err));
    assert_string_equal(err, "JSON Pointer 'id' must be empty or start with "
                             "'/'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_gzip_members),
        cmocka_unit_test(test_decompressed_cap),
        cmocka_unit_test(test_required_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
