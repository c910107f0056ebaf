/* SQL text, schema expectations and drift of db_quality: no server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbq.h"

static char *critical_q[] = {"\"a\"", "\"b c\""};
static char *keys_q[] = {"\"id\"", "\"day\""};
static const char *critical[] = {"a", "b c"};
static const char *keys[] = {"id", "day"};

static void assert_sql(void (*build)(textbuf *, const dbq_table_spec *,
                                     const dbq_quoted *),
                       const dbq_table_spec *spec, const dbq_quoted *q,
                       const char *expected)
{
    textbuf sql;
    textbuf_init(&sql);
    build(&sql, spec, q);
    assert_false(textbuf_failed(&sql));
    assert_string_equal(sql.data, expected);
    textbuf_free(&sql);
}

static void scan_with_freshness(textbuf *sql, const dbq_table_spec *spec,
                                const dbq_quoted *q)
{
    dbq_sql_scan(sql, spec, q, 1);
}

static void scan_without_freshness(textbuf *sql, const dbq_table_spec *spec,
                                   const dbq_quoted *q)
{
    dbq_sql_scan(sql, spec, q, 0);
}

static void test_scan_sql(void **state)
{
    (void)state;
    dbq_table_spec spec = {
        .name = "s.t", .critical_columns = critical, .critical_count = 2};
    int composite[] = {0, 1};
    dbq_quoted q = {
        .table = "\"s\".\"t\"", .critical = critical_q, .freshness = "\"ts\""};
    assert_sql(scan_without_freshness, &spec, &q,
               "SELECT count(*), count(*) FILTER (WHERE \"a\" IS NULL), "
               "count(*) FILTER (WHERE \"b c\" IS NULL), count(*) FILTER "
               "(WHERE \"a\" IS NULL OR \"b c\" IS NULL) FROM "
               "\"s\".\"t\"");
    spec.filter = "day > now() - interval '1 day' -- recent";
    q.critical_composite = composite;
    spec.sample_percent = 12.5;
    assert_sql(scan_with_freshness, &spec, &q,
               "SELECT count(*), count(*) FILTER (WHERE \"a\" IS NULL), "
               "count(*) FILTER (WHERE num_nulls(\"b c\") = 1), count(*) "
               "FILTER (WHERE \"a\" IS NULL OR num_nulls(\"b c\") = 1), "
               "EXTRACT(EPOCH FROM now() - "
               "max(\"ts\")::timestamptz) FROM \"s\".\"t\" TABLESAMPLE "
               "SYSTEM (12.5) WHERE (\nday > now() - interval '1 day' -- "
               "recent\n)");
    spec.critical_count = 0;
    spec.filter = NULL;
    spec.sample_percent = 0.1;
    spec.sample_bernoulli = 1;
    assert_sql(scan_without_freshness, &spec, &q,
               "SELECT count(*) FROM \"s\".\"t\" TABLESAMPLE BERNOULLI "
               "(0.1)");
}

static void test_duplicates_and_freshness_sql(void **state)
{
    (void)state;
    dbq_table_spec spec = {.name = "t", .key_columns = keys, .key_count = 2};
    dbq_quoted q = {.table = "\"t\"", .keys = keys_q, .freshness = "\"ts\""};
    assert_sql(dbq_sql_duplicates, &spec, &q,
               "SELECT coalesce(sum(n - 1), 0), count(*) FROM (SELECT "
               "count(*) AS n FROM \"t\" WHERE num_nulls(\"id\", \"day\") = "
               "0 GROUP BY \"id\", \"day\" HAVING count(*) > 1) AS repeated");
    spec.filter = "x = 1";
    spec.sample_percent = 50;
    assert_sql(dbq_sql_duplicates, &spec, &q,
               "SELECT coalesce(sum(n - 1), 0), count(*) FROM (SELECT "
               "count(*) AS n FROM \"t\" TABLESAMPLE SYSTEM (50) WHERE "
               "num_nulls(\"id\", \"day\") = 0 AND (\nx = 1\n) GROUP BY "
               "\"id\", \"day\" HAVING count(*) > 1) AS repeated");
    /* Freshness is never sampled: the newest row may be outside it. */
    assert_sql(dbq_sql_freshness, &spec, &q,
               "SELECT EXTRACT(EPOCH FROM now() - max(\"ts\")::timestamptz) "
               "FROM \"t\" WHERE (\nx = 1\n)");
}

static void test_types_sql(void **state)
{
    (void)state;
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_types(&sql, 2);
    assert_string_equal(sql.data, "SELECT format_type(to_regtype($1), NULL), "
                                  "format_type(to_regtype($2), NULL)");
    textbuf_free(&sql);
}

static dbq_column col(char *name, char *type, char *base, int nullable)
{
    return (dbq_column){name, type, base, nullable, 0};
}

static void test_schema_check(void **state)
{
    (void)state;
    dbq_column columns[] = {
        col("id", "integer", "integer", 0),
        col("name", "character varying(20)", "character varying", 1),
        col("price", "numeric(10,2)", "numeric", 1),
        col("extra", "text", "text", 1),
    };
    dbq_expected_column expected[] = {
        {"id", "int", 0},            /* matches                        */
        {"name", "varchar(30)", -1}, /* modifier differs               */
        {"price", "numeric", 0},     /* base matches; nullable differs */
        {"gone", NULL, -1},          /* missing                        */
        {"extra", "bogus_type", -1}, /* unknown type                   */
    };
    char *bases[] = {"integer", "character varying", "numeric", NULL, NULL};
    dbq_table_spec spec = {
        .name = "t", .expected_columns = expected, .expected_count = 5};
    dbq_table_result r = {.columns = columns,
                          .column_count = 4,
                          .expected_base_types = bases,
                          .expected_type_count = 5};
    dbq_schema_findings f;
    dbq_schema_check(&spec, &r, &f);
    assert_int_equal(f.missing, 1);
    assert_int_equal(f.type_mismatches, 2);
    assert_int_equal(f.nullability_mismatches, 1);
    assert_int_equal(f.unexpected, 0);
    assert_string_equal(
        f.detail.data,
        "column \"name\" is character varying(20), expected varchar(30), "
        "column \"price\" is nullable, expected NOT NULL, missing column "
        "\"gone\", column \"extra\": expected type \"bogus_type\" is "
        "unknown");
    textbuf_free(&f.detail);

    /* Strict: only columns named in expected_columns may exist. */
    spec.expected_count = 1;
    spec.strict_schema = 1;
    dbq_schema_check(&spec, &r, &f);
    assert_int_equal(f.unexpected, 3);
    assert_int_equal(f.missing + f.type_mismatches, 0);
    textbuf_free(&f.detail);
}

static void test_drift(void **state)
{
    (void)state;
    dbq_column before[] = {
        col("id", "integer", "integer", 0),
        col("we\tird\\name", "text", "text", 1),
        col("dropped", "date", "date", 1),
        col("n", "integer", "integer", 1),
    };
    dbq_table_result r = {.columns = before, .column_count = 4};
    textbuf state_text, detail;
    textbuf_init(&state_text);
    textbuf_init(&detail);
    dbq_schema_serialize(&r, &state_text);
    assert_string_equal(state_text.data,
                        "nbaq-schema 1\nid\tinteger\t0\nwe\\tird\\\\name\t"
                        "text\t1\ndropped\tdate\t1\nn\tinteger\t1\n");
    /* Same schema: no drift. */
    assert_int_equal(dbq_schema_drift(state_text.data, &r, &detail), 0);
    assert_int_equal(detail.len, 0);

    dbq_column after[] = {
        col("id", "bigint", "bigint", 0),
        col("we\tird\\name", "text", "text", 1),
        col("n", "integer", "integer", 0),
        col("added", "text", "text", 1),
    };
    dbq_table_result now = {.columns = after, .column_count = 4};
    assert_int_equal(dbq_schema_drift(state_text.data, &now, &detail), 4);
    assert_string_equal(detail.data,
                        "column \"id\" retyped integer -> bigint, column "
                        "\"n\" changed nullable -> NOT NULL, column "
                        "\"added\" added (text), column \"dropped\" "
                        "dropped");
    assert_int_equal(dbq_schema_drift("garbage", &now, &detail), -1);
    assert_int_equal(dbq_schema_drift("nbaq-schema 1\nx\ty\n", &now, &detail),
                     -1);
    textbuf_free(&state_text);
    textbuf_free(&detail);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_sql),
        cmocka_unit_test(test_duplicates_and_freshness_sql),
        cmocka_unit_test(test_types_sql),
        cmocka_unit_test(test_schema_check),
        cmocka_unit_test(test_drift),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
