/* Unit tests of sql_placeholders (core/history/sql_placeholders.h): the
 * SQL text of multi-row statements, written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sql_placeholders.h"

static void expect_sql(char *sql, const char *want)
{
    assert_non_null(sql);
    assert_string_equal(sql, want);
    free(sql);
}

static void test_values_rows(void **state)
{
    (void)state;
    expect_sql(sql_placeholders("INSERT INTO t (a, b) VALUES ", 2, 2, 1,
                                " ON CONFLICT DO NOTHING"),
               "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4)"
               " ON CONFLICT DO NOTHING");
    expect_sql(sql_placeholders("V ", 1, 1, 1, NULL), "V ($1)");
}

static void test_in_list_after_a_first_parameter(void **state)
{
    (void)state;
    expect_sql(
        sql_placeholders("DELETE FROM t WHERE m = $1 AND f IN ", 1, 3, 2, NULL),
        "DELETE FROM t WHERE m = $1 AND f IN ($2,$3,$4)");
}

/* The largest statement the store prepares (64 rows of 21 columns of
 * alerts): no guessed buffer cuts it; it ends with the last number. */
static void test_large_statement_is_whole(void **state)
{
    (void)state;
    char *sql = sql_placeholders("X ", 64, 21, 1, " END");
    assert_non_null(sql);
    size_t len = strlen(sql);
    assert_true(len > 64 * 21 * 3);
    assert_string_equal(sql + len - strlen(",$1344) END"), ",$1344) END");
    free(sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_rows),
        cmocka_unit_test(test_in_list_after_a_first_parameter),
        cmocka_unit_test(test_large_statement_is_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
