/*
 * test_sqlengine_text.c - what needs no server: engine from the DSN,
 * redaction of every password form, type normalisation, numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sqlengine.h"

static void engine_from_dsn(void **state)
{
    (void)state;
    char err[256];
    sqlengine_kind kind;
    assert_int_equal(
        sqlengine_kind_of("postgresql://u@h/db", &kind, err, sizeof err), 0);
    assert_int_equal(kind, SQLENGINE_POSTGRESQL);
    assert_int_equal(
        sqlengine_kind_of("host=h dbname=d", &kind, err, sizeof err), 0);
    assert_int_equal(kind, SQLENGINE_POSTGRESQL);
    assert_int_equal(
        sqlengine_kind_of("mysql://u:p@h:3306/db", &kind, err, sizeof err), 0);
    assert_int_equal(kind, SQLENGINE_MARIADB);
    assert_int_equal(
        sqlengine_kind_of("MariaDB://u@h/db", &kind, err, sizeof err), 0);
    assert_int_equal(kind, SQLENGINE_MARIADB);
    assert_int_equal(sqlengine_kind_of("odbc:DSN=w", &kind, err, sizeof err),
                     0);
    assert_int_equal(kind, SQLENGINE_ODBC);
    assert_int_equal(
        sqlengine_kind_of("oracle://u@h/db", &kind, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown engine"));
}

static void redaction_every_form(void **state)
{
    (void)state;
    static const struct {
        const char *dsn, *message, *expected;
        size_t size; /* of the message buffer; 0: 256 */
    } cases[] = {
        {"odbc:DSN=w;UID=bob;PWD=s3cr3t;", "login s3cr3t failed",
         "login *** failed", 0},
        {"odbc:DSN=w;uid=bob;pwd={a;b=c}", "bad a;b=c here", "bad *** here", 0},
        {"odbc:Driver=X;Password=hunter22", "got hunter22", "got ***", 0},
        {"mysql://bob:p%40ss@h/db", "pw p@ss or p%40ss", "pw *** or ***", 0},
        {"mariadb://bob:Zq9w@h:3306/db", "Access denied Zq9w",
         "Access denied ***", 0},
        {"postgresql://bob:pgpw@h/db", "pgpw!", "***!", 0},
        {"host=h password='a b'", "x a b y", "x *** y", 0},
        {"mysql://bob@h/db", "no password here bob", "no password here bob", 0},
        /* the mask is longer than the password: the end is cut, never
         * overflowed */
        {"odbc:PWD=ab", "0123456ab", "0123456**", 10},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char msg[256];
        size_t size = cases[i].size > 0 ? cases[i].size : sizeof msg;
        snprintf(msg, size, "%s", cases[i].message);
        sqlengine_redact(msg, size, cases[i].dsn);
        assert_string_equal(msg, cases[i].expected);
    }
}

static void types_normalised(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"int4", "integer"},
        {"bigint", "integer"},
        {"int(11) unsigned", "integer"},
        {"tinyint", "integer"},
        {"character varying", "text"},
        {"varchar", "text"},
        {"longtext", "text"},
        {"numeric", "decimal"},
        {"double precision", "float"},
        {"float8", "float"},
        {"timestamp with time zone", "timestamp"},
        {"datetime", "timestamp"},
        {"date", "date"},
        {"boolean", "boolean"},
        {"bool", "boolean"},
        {"bytea", "binary"},
        {"longblob", "binary"},
        {"jsonb", "json"},
        {"uuid", "uuid"},
        {"geometry", "other"},
        {"_int4", "other"}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        assert_string_equal(sqlengine_normal_type(pairs[i][0]), pairs[i][1]);
}

static void numbers(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(sqlengine_parse_number("12.50", &v), 0);
    assert_true(v == 12.5);
    assert_int_equal(sqlengine_parse_number("-3e2", &v), 0);
    assert_true(v == -300);
    assert_int_equal(sqlengine_parse_number("nan", &v), -1);
    assert_int_equal(sqlengine_parse_number("", &v), -1);
    assert_int_equal(sqlengine_parse_number("1 row", &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engine_from_dsn),
        cmocka_unit_test(redaction_every_form),
        cmocka_unit_test(types_normalised),
        cmocka_unit_test(numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
