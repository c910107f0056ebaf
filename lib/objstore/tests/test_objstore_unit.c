/*
 * Units of lib/objstore that need no server: metric segment names, the
 * ListObjectsV2 page parser, timestamps, credentials order, the file
 * backend's order and its report of an unreadable directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "objstore_internal.h"

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

static void test_credentials_order(void **state)
{
    char dir[] = "/tmp/nbaq-cred-XXXXXX", path[128], err[256];
    objstore_credentials c;
    nbaq_objstore_config cfg = {0};
    FILE *f;
    (void)state;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/credentials", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("[default]\naws_access_key_id = DEFKEY\naws_secret_access_key = "
          "defsecret\n[other]\naws_access_key_id=OTHERKEY\n"
          "aws_secret_access_key=othersecret\naws_session_token = tok\n",
          f);
    fclose(f);
    cfg.credentials_file = path;
    unsetenv("AWS_PROFILE");
    unsetenv("AWS_SESSION_TOKEN");

    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
    cfg.access_key_id = "OPTKEY";
    cfg.secret_access_key = "optsecret";
    assert_int_equal(objstore_credentials_resolve(&cfg, &c, err, sizeof err),
                     0);
    assert_string_equal(c.access_key_id, "OPTKEY");
    assert_string_equal(c.source, "options");
    objstore_credentials_wipe(&c);

    cfg.access_key_id = cfg.secret_access_key = NULL;
    assert_int_equal(objstore_credentials_resolve(&cfg, &c, err, sizeof err),
                     0);
    assert_string_equal(c.access_key_id, "ENVKEY");
    assert_string_equal(c.source, "environment");
    objstore_credentials_wipe(&c);

    unsetenv("AWS_ACCESS_KEY_ID");
    assert_int_equal(objstore_credentials_resolve(&cfg, &c, err, sizeof err),
                     0);
    assert_string_equal(c.access_key_id, "DEFKEY");
    assert_string_equal(c.source, "profile default");
    objstore_credentials_wipe(&c);

    cfg.profile = "other";
    assert_int_equal(objstore_credentials_resolve(&cfg, &c, err, sizeof err),
                     0);
    assert_string_equal(c.secret_access_key, "othersecret");
    assert_string_equal(c.session_token, "tok");
    objstore_credentials_wipe(&c);

    cfg.profile = "missing";
    assert_int_equal(objstore_credentials_resolve(&cfg, &c, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "has no profile [missing]"));

    cfg.profile = NULL;
    cfg.access_key_id = "ONLYKEY";
    assert_int_equal(objstore_credentials_resolve(&cfg, &c, err, sizeof err),
                     -1);
    assert_string_equal(err, "access_key_id and secret_access_key must be "
                             "given together");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    remove(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metric_segment),
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_page_parser),
        cmocka_unit_test(test_credentials_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
