/* DSN display and checks, number parsing: no server needed. Password
 * redaction is base's (lib/base/tests/test_redact.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pgconn.h"

static void displayed(const char *dsn, const char *expected)
{
    char *shown = pgconn_dsn_display(dsn);
    assert_non_null(shown);
    assert_string_equal(shown, expected);
    free(shown);
}

static void test_display_never_shows_user_info(void **state)
{
    (void)state;
    displayed("postgresql://u:s3cr3t@db.example:5433/app?sslmode=disable",
              "postgresql://db.example:5433/app");
    displayed("postgres://db/app?user=u&password=one&password=two",
              "postgresql://db/app");
    displayed("host=db port=5432 user=u password=kw dbname=app",
              "postgresql://db:5432/app");
    /* An unencoded '/' or '?' in the password: nothing is shown. */
    displayed("postgresql://u:pa/ss@db/app", "postgresql://(invalid dsn)");
    displayed("postgresql://u:pa?ss@db/app", "postgresql://(invalid dsn)");
}

static void test_dsn_kinds_and_checks(void **state)
{
    (void)state;
    assert_true(pgconn_dsn_is_postgres("host=db password=x"));
    assert_true(pgconn_dsn_is_postgres("postgres://db/app"));
    assert_false(pgconn_dsn_is_postgres("history.db"));
    assert_false(pgconn_dsn_is_postgres("data/a=b.db"));
    assert_false(pgconn_dsn_is_postgres("sqlite:///x?a=b"));
    char err[256];
    assert_int_equal(
        pgconn_dsn_check("postgresql://u:pa/ss@db/app", err, sizeof err), -1);
    assert_non_null(strstr(err, "percent-encode"));
    assert_null(strstr(err, "pa/ss"));
    assert_int_equal(
        pgconn_dsn_check("host='db password=s3cret", err, sizeof err), -1);
    assert_null(strstr(err, "s3cret"));
    assert_int_equal(
        pgconn_dsn_check("postgresql://u:p%2Fss@db/app", err, sizeof err), 0);
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
        cmocka_unit_test(test_display_never_shows_user_info),
        cmocka_unit_test(test_dsn_kinds_and_checks),
        cmocka_unit_test(test_parse_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
