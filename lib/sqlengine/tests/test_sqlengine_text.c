/*
 * test_sqlengine_text.c - what needs no server: engine from the DSN,
 * type normalisation, numbers (redaction of every password form:
 * lib/base/tests/test_redact.c).
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
        cmocka_unit_test(types_normalised),
        cmocka_unit_test(numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
