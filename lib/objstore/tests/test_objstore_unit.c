/*
 * Units of lib/objstore that need no server: metric segment names, the
 * ListObjectsV2 page parser, timestamps and the bounded per-prefix table.
 * (The credential chain is lib/awscreds's, tested there.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "objstore_internal.h"
#include "objstore_prefix_table.h"

static void test_metric_segment(void **state)
{
    char out[64];
    (void)state;
    assert_int_equal(
        nbaq_objstore_metric_segment("season=2024", 11, out, sizeof out), 0);
    assert_string_equal(out, "season=2024");
    assert_int_equal(nbaq_objstore_metric_segment("v1.2", 4, out, sizeof out),
                     0);
    assert_string_equal(out, "v1%2E2");
    assert_int_equal(
        nbaq_objstore_metric_segment("\xc3\xa9t\xc3\xa9 x", 7, out, sizeof out),
        0);
    assert_string_equal(out, "%C3%A9t%C3%A9%20x");
    assert_int_equal(nbaq_objstore_metric_segment("a%b", 3, out, sizeof out),
                     0);
    assert_string_equal(out, "a%25b");
    assert_int_equal(nbaq_objstore_metric_segment("", 0, out, sizeof out), 0);
    assert_string_equal(out, "%EMPTY");
    assert_int_equal(nbaq_objstore_metric_segment("abc.d", 5, out, 6), -1);
    assert_string_equal(out, "");
}

static void test_parse_time(void **state)
{
    (void)state;
    assert_int_equal(s3_parse_time("1970-01-01T00:00:01.5Z"), 1500);
    assert_int_equal(s3_parse_time("2024-01-02T03:04:05.678Z"),
                     1704164645678LL);
    assert_int_equal(s3_parse_time("2024-01-02T03:04:05Z"), 1704164645000LL);
    assert_int_equal(s3_parse_time("yesterday"), -1);
    assert_int_equal(s3_parse_time("2024-01-02T03:04:05+02:00"), -1);
    assert_int_equal(s3_parse_time("2024-01-02T03:04:05+00:00"),
                     1704164645000LL);
    assert_int_equal(s3_parse_time("2024-02-30T03:04:05Z"), -1);
    assert_int_equal(s3_parse_time("2024-1-02T03:04:05Z"), -1);
}

static void feed_all(s3_page *p, const char *xml)
{
    assert_int_equal(s3_page_begin(p), 0);
    /* byte by byte: the parser must not care where chunks end */
    for (const char *c = xml; *c; c++)
        if (s3_page_feed(p, c, 1) != 0)
            break;
}

static void test_page_parser(void **state)
{
    s3_page *p = s3_page_new();
    nbaq_objstore_object o;
    char err[256];
    (void)state;

    feed_all(p, "<ListBucketResult><IsTruncated>true</IsTruncated>"
                "<NextContinuationToken>tok&amp;1</NextContinuationToken>"
                "<Contents><Key>a &lt;&#233;&gt;</Key><Size>12</Size>"
                "<ETag>\"e1\"</ETag><LastModified>1970-01-01T00:00:02.000Z"
                "</LastModified></Contents>"
                "<Contents><Size>0</Size><Key>b</Key></Contents>"
                "</ListBucketResult>");
    assert_int_equal(s3_page_end(p, err, sizeof err), 0);
    assert_int_equal(s3_page_count(p), 2);
    s3_page_object(p, 0, &o);
    assert_string_equal(o.key, "a <\xc3\xa9>");
    assert_string_equal(o.etag, "e1");
    assert_int_equal(o.size, 12);
    assert_int_equal(o.mtime_ms, 2000);
    s3_page_object(p, 1, &o);
    assert_string_equal(o.key, "b");
    assert_true(s3_page_is_truncated(p));
    assert_string_equal(s3_page_next_token(p), "tok&1");

    feed_all(p, "<Error><Code>AccessDenied</Code></Error>");
    assert_int_equal(s3_page_end(p, err, sizeof err), -1);
    assert_string_equal(err, "unexpected listing XML: root element <Error>, "
                             "not <ListBucketResult>");

    feed_all(p, "<ListBucketResult><IsTruncated>true</IsTruncated>"
                "</ListBucketResult>");
    assert_int_equal(s3_page_end(p, err, sizeof err), -1);
    assert_string_equal(err, "unexpected listing XML: IsTruncated without "
                             "NextContinuationToken");

    feed_all(p, "<ListBucketResult><Contents><Key>x</Key><Size>-1</Size>"
                "</Contents></ListBucketResult>");
    assert_int_equal(s3_page_end(p, err, sizeof err), -1);
    assert_string_equal(err, "unexpected listing XML: bad Size '-1'");
    s3_page_free(p);
}

static void test_prefix_table(void **state)
{
    nbaq_objstore_prefix_table t;
    nbaq_objstore_prefix_stats *a, *b;
    size_t kept = 0;
    (void)state;

    assert_int_equal(nbaq_objstore_prefix_table_init(&t, 2), 0);
    a = nbaq_objstore_prefix_table_entry(&t, "season=2024/x", 11);
    assert_non_null(a);
    assert_string_equal(a->part, "season=2024");
    assert_int_equal(a->objects, 0);
    assert_true(a->newest_ms == INT64_MIN);
    a->objects++;
    /* the same part again, from another buffer: the same entry */
    assert_ptr_equal(nbaq_objstore_prefix_table_entry(&t, "season=2024", 11),
                     a);
    /* parts are bytes: one that is a prefix of another is distinct */
    b = nbaq_objstore_prefix_table_entry(&t, "season", 6);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_int_equal(t.used, 2);
    assert_false(t.full);
    /* a third part: over the limit, refused; known parts still found */
    assert_null(nbaq_objstore_prefix_table_entry(&t, "v1.2", 4));
    assert_true(t.full);
    assert_false(t.failed);
    assert_ptr_equal(nbaq_objstore_prefix_table_entry(&t, "season", 6), b);
    for (size_t i = 0; i < t.slot_count; i++)
        kept += t.slots[i].part != NULL;
    assert_int_equal(kept, 2);
    assert_int_equal(a->objects, 1);
    nbaq_objstore_prefix_table_free(&t);
    assert_null(t.slots);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metric_segment),
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_page_parser),
        cmocka_unit_test(test_prefix_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
