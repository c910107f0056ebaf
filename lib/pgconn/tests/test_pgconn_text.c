/* Password redaction and number parsing: no server needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pgconn.h"

static void redacted(const char *dsn, const char *msg, const char *expected)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", msg);
    pgconn_redact(buf, sizeof buf, dsn);
    assert_string_equal(buf, expected);
}

static void test_keyword_form(void **state)
{
    (void)state;
    redacted("host=db user=u password=s3cr3t dbname=x",
             "auth for s3cr3t failed", "auth for *** failed");
    redacted("host=db password = 'a b\\'c' user=u", "got a b'c and a b\\'c",
             "got *** and ***");
}

static void test_uri_forms(void **state)
{
    (void)state;
    redacted("postgresql://u:p%40ss@h:5432/db", "x p@ss y p%40ss z",
             "x *** y *** z");
    redacted("postgres://h/db?user=u&password=qw%3Derty&sslmode=disable",
             "qw=erty qw%3Derty", "*** ***");
}

static void test_no_password_leaves_message(void **state)
{
    (void)state;
    redacted("host=db user=u", "password authentication failed for user u",
             "password authentication failed for user u");
    redacted("not a dsn at all", "some message", "some message");
}

static void test_redaction_respects_buffer(void **state)
{
    (void)state;
    char buf[8];
    snprintf(buf, sizeof buf, "%s", "abcdefg");
    pgconn_redact(buf, sizeof buf, "password=abcdefg");
    assert_string_equal(buf, "***");
    snprintf(buf, sizeof buf, "%s", "xxxxxab");
    pgconn_redact(buf, sizeof buf, "password=ab");
    assert_string_equal(buf, "xxxxx**");
}

static void test_parse_number(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(pgconn_parse_number("42", &v), 0);
    assert_true(v == 42.0);
    assert_int_equal(pgconn_parse_number("-1.5e3", &v), 0);
    assert_true(v == -1500.0);
    assert_int_equal(pgconn_parse_number(".25", &v), 0);
    assert_true(v == 0.25);
    assert_int_equal(pgconn_parse_number("12345678901234567890", &v), 0);
    assert_true(v == 12345678901234567890.0);
    const char *bad[] = {"",          "abc", "1x", "0x10", "NaN",  "Infinity",
                         "-Infinity", "1 ",  " 1", "t",    "1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        assert_int_equal(pgconn_parse_number(bad[i], &v), -1);
        assert_true(v == 7);
    }
    assert_int_equal(pgconn_parse_number(NULL, &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyword_form),
        cmocka_unit_test(test_uri_forms),
        cmocka_unit_test(test_no_password_leaves_message),
        cmocka_unit_test(test_redaction_respects_buffer),
        cmocka_unit_test(test_parse_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
