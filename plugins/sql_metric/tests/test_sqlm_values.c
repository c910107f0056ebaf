/* sql_metric's reading of real query results (fixture `postgres`). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pgtest.h"
#include "sqlengine.h"
#include "sqlm_values.h"

static sqlengine *conn;

static int setup(void **state)
{
    (void)state;
    char err[512];
    sqlengine_options o = {.dsn = pgtest_url(), .connect_timeout_ms = 5000};
    conn = sqlengine_open(&o, err, sizeof err);
    if (conn == NULL)
        fail_msg("%s", err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sqlengine_close(conn);
    return 0;
}

/* Runs sql read-only and reads it; returns sqlm_values_read's result. */
static int read_query(const char *sql, sqlm_values *values, char *err,
                      size_t err_size)
{
    assert_int_equal(sqlengine_begin(conn, 5000, err, err_size), 0);
    sqlengine_result *res = NULL;
    if (sqlengine_query(conn, "query", sql, 0, NULL, &res, err, err_size))
        res = NULL;
    if (res == NULL)
        fail_msg("%s: %s", sql, err);
    int rc = sqlm_values_read(res, values, err, err_size);
    sqlengine_result_free(res);
    sqlengine_end(conn);
    return rc;
}

static void test_one_number(void **state)
{
    (void)state;
    sqlm_values v;
    char err[256];
    assert_int_equal(read_query("SELECT count(*) FROM generate_series(1, 7)",
                                &v, err, sizeof err),
                     0);
    assert_int_equal(v.count, 1);
    assert_null(v.items[0].label);
    assert_true(v.items[0].value == 7);
    sqlm_values_free(&v);
    assert_int_equal(read_query("SELECT 2.5::numeric / 2", &v, err, sizeof err),
                     0);
    assert_true(v.items[0].value == 1.25);
    sqlm_values_free(&v);
}

static void test_label_rows(void **state)
{
    (void)state;
    sqlm_values v;
    char err[256];
    assert_int_equal(
        read_query("SELECT * FROM (VALUES ('eu', 3), ('us', -4.5), "
                   "('apac', 0)) AS t(region, n)",
                   &v, err, sizeof err),
        0);
    assert_int_equal(v.count, 3);
    assert_string_equal(v.items[0].label, "eu");
    assert_true(v.items[0].value == 3);
    assert_string_equal(v.items[1].label, "us");
    assert_true(v.items[1].value == -4.5);
    assert_string_equal(v.items[2].label, "apac");
    assert_true(v.items[2].value == 0);
    sqlm_values_free(&v);
}

static void expect_error(const char *sql, const char *message)
{
    sqlm_values v;
    char err[256] = "";
    assert_int_equal(read_query(sql, &v, err, sizeof err), -1);
    assert_string_equal(err, message);
    assert_int_equal(v.count, 0);
}

static void test_bad_results(void **state)
{
    (void)state;
    expect_error("SELECT 1 WHERE false", "the query returned no rows");
    expect_error("SELECT 'abc' AS total",
                 "row 1, column \"total\": \"abc\" is not a number");
    expect_error("SELECT NULL::int AS total",
                 "row 1, column \"total\": the value is NULL");
    expect_error("SELECT 'NaN'::float8 AS x",
                 "row 1, column \"x\": \"NaN\" is not a number");
    expect_error("SELECT true AS ok", "row 1, column \"ok\": \"t\" is not a "
                                      "number");
    expect_error("SELECT g FROM generate_series(1, 3) g",
                 "the query returned 3 rows of one column: expected one "
                 "number, or rows of (label, number)");
    expect_error("SELECT 1, 2, 3",
                 "the query returned 3 columns: expected one number, or "
                 "rows of (label, number)");
    expect_error("SELECT * FROM (VALUES ('a', 1), ('a', 2)) t(l, n)",
                 "row 2: the label \"a\" repeats");
    expect_error("SELECT * FROM (VALUES ('a', 1), (NULL, 2)) t(l, n)",
                 "row 2: the label (column \"l\") is NULL");
    expect_error("SELECT * FROM (VALUES ('a', '1'), ('b', 'x')) t(l, n)",
                 "row 2, column \"n\": \"x\" is not a number");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_number),
        cmocka_unit_test(test_label_rows),
        cmocka_unit_test(test_bad_results),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
