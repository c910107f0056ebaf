/*
 * db_quality's measure and report steps against the real PostgreSQL of the
 * ctest fixture `postgres`, on tables whose figures are worked out by hand
 * in the comments. The measure and report steps run as a check's body in
 * nbaq-plugin-test's harness (sdk/harness: a child process with the host
 * API of nbaq-host); the options come from a dbq_config built here (the
 * host-driven test covers the options).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dbq.h"
#include "harness.h"
#include "pgtest.h"

#define READER "nbaq_dbq_reader"

/*
 * dbq_c.orders, 20 rows, id 1..20:
 *   customer NULL when id % 4 = 0: ids 4 8 12 16 20            -> 5 NULLs
 *   amount   NULL when id % 5 = 0: ids 5 10 15 20              -> 4 NULLs
 *   both present: 20 - |{4,5,8,10,12,15,16,20}| = 12 rows      -> 60 %
 *   code: id, except ids 2 and 3 -> 1, id 7 -> 6, id 9 -> NULL:
 *     1 three times (2 extra rows), 6 twice (1 extra)  -> 3 rows, 2 keys
 *   created_at: two hours before the fixture was made, for every row.
 * With filter "id <= 10": customer NULL at 4 8, amount NULL at 5 10,
 *   complete 10 - |{4,5,8,10}| = 6.
 */
static const char fixture_sql[] =
    "DROP SCHEMA IF EXISTS dbq_c CASCADE;"
    "CREATE SCHEMA dbq_c;"
    "CREATE TABLE dbq_c.orders (id int NOT NULL, customer text,"
    "  amount numeric(10,2), code int, created_at timestamptz);"
    "INSERT INTO dbq_c.orders SELECT g,"
    "  CASE WHEN g % 4 = 0 THEN NULL ELSE 'c' || g END,"
    "  CASE WHEN g % 5 = 0 THEN NULL ELSE g * 1.5 END,"
    "  CASE WHEN g IN (2, 3) THEN 1 WHEN g = 7 THEN 6 WHEN g = 9 THEN NULL"
    "       ELSE g END,"
    "  now() - interval '2 hours'"
    "  FROM generate_series(1, 20) g;"
    "CREATE TABLE dbq_c.empty (id int, v text);"
    "CREATE TABLE dbq_c.secret (id int, v text);"
    "INSERT INTO dbq_c.secret VALUES (1, 'x');"
    "CREATE TABLE dbq_c.victim (id int);"
    "INSERT INTO dbq_c.victim VALUES (1), (2), (3);"
    "CREATE TYPE dbq_c.pair AS (a int, b int);"
    "CREATE TABLE dbq_c.composite (id int, p dbq_c.pair);"
    "INSERT INTO dbq_c.composite VALUES (1, ROW(NULL, NULL)), (2, NULL),"
    "  (3, ROW(1, 2)), (4, ROW(1, NULL));"
    "CREATE TABLE dbq_c.typed (id integer NOT NULL, name varchar(20),"
    "  price numeric(10,2), extra text);"
    "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" READER
    "') THEN CREATE ROLE " READER " LOGIN; END IF; END$$;"
    "GRANT USAGE ON SCHEMA dbq_c TO " READER ";"
    "GRANT SELECT ON dbq_c.orders, dbq_c.empty, dbq_c.victim, dbq_c.typed,"
    "  dbq_c.composite"
    "  TO " READER ";";

static char reader_url[600];
static harness_result last; /* of the latest run_check */

static int setup(void **state)
{
    (void)state;
    PGconn *admin = pgtest_connect();
    pgtest_exec(admin, fixture_sql);
    PQfinish(admin);
    pgtest_url_for(READER, NULL, reader_url, sizeof reader_url);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    PGconn *admin = pgtest_connect();
    pgtest_exec(admin, "DROP SCHEMA IF EXISTS dbq_c CASCADE");
    PQfinish(admin);
    harness_result_free(&last);
    return 0;
}

static dbq_config config_for(dbq_table_spec *tables, size_t count)
{
    return (dbq_config){.dsn = reader_url,
                        .connect_timeout_ms = 5000,
                        .statement_timeout_ms = 30000,
                        .concurrency = 3,
                        .tables = tables,
                        .table_count = count};
}

/* The check's body, in the harness's child process. */
static void measure_and_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                               void *arg)
{
    const dbq_config *config = arg;
    dbq_table_result *results =
        calloc(config->table_count + 1, sizeof *results);
    char err[DBQ_ERROR_MAX];
    int rc = dbq_measure_all(config, 0, results, err, sizeof err);
    dbq_report(api, ctx, config, results, rc == 0 ? NULL : err);
    for (size_t i = 0; i < config->table_count; i++)
        dbq_table_result_free(&results[i]);
    free(results);
}

/* Runs the check; its result replaces last only afterwards, since config
 * may point into last (a saved schema). */
static void run_check(const dbq_config *config)
{
    harness_setup setup = {.instance = "db_quality", .timeout_ms = 120000};
    harness_result result;
    char err[1024];
    if (harness_run_body(&setup, measure_and_report, (void *)config, &result,
                         err, sizeof err) != 0)
        fail_msg("the harness could not run the check: %s", err);
    harness_result_free(&last);
    last = result;
}

static double metric_value(const char *name)
{
    const raw_metric *m = harness_result_metric(&last, name);
    if (!m)
        fail_msg("metric %s not set (message: %s)", name, last.message);
    return m->value;
}

static int has_metric(const char *name)
{
    return harness_result_metric(&last, name) != NULL;
}

static const char *metric_unit(const char *name)
{
    const raw_metric *m = harness_result_metric(&last, name);
    return m ? m->unit : NULL;
}

/* What the latest run saved under key: the state the next run gets. */
static const char *saved_state(const char *key)
{
    return harness_result_state(&last, key);
}

static void assert_contains(const char *text, const char *part)
{
    if (strstr(text, part) == NULL)
        fail_msg("\"%s\" not in \"%s\"", part, text);
}

static const char *order_critical[] = {"customer", "amount"};
static const char *order_key[] = {"code"};

static dbq_table_spec orders(void)
{
    return (dbq_table_spec){.name = "dbq_c.orders",
                            .critical_columns = order_critical,
                            .critical_count = 2,
                            .key_columns = order_key,
                            .key_count = 1,
                            .freshness_column = "created_at"};
}

static void test_counts_nulls_completeness_duplicates(void **state)
{
    (void)state;
    dbq_table_spec t = orders();
    dbq_config config = config_for(&t, 1);
    run_check(&config);
    assert_int_equal(last.status, NBAQ_PASS);
    assert_true(metric_value("dbq_c.orders.rows") == 20);
    assert_true(metric_value("dbq_c.orders.customer.nulls") == 5);
    assert_true(metric_value("dbq_c.orders.customer.null_pct") == 25);
    assert_true(metric_value("dbq_c.orders.amount.nulls") == 4);
    assert_true(metric_value("dbq_c.orders.amount.null_pct") == 20);
    assert_true(metric_value("dbq_c.orders.completeness_pct") == 60);
    assert_true(metric_value("dbq_c.orders.incomplete_rows") == 8);
    assert_true(metric_value("dbq_c.orders.duplicate_keys") == 3);
    assert_true(metric_value("dbq_c.orders.duplicate_key_values") == 2);
    assert_true(metric_value("dbq_c.orders.schema.drift") == 0);
    assert_string_equal(metric_unit("dbq_c.orders.customer.null_pct"), "%");
    double age = metric_value("dbq_c.orders.freshness_age_s");
    assert_true(age >= 7200 && age < 7200 + 120);
    assert_contains(last.message, "1 table measured");
    assert_contains(last.message, "no previous schema (drift 0)");
    /* rows, 2 x (nulls, null_pct), incomplete, completeness, 2 duplicate,
     * drift, freshness: no schema expectations were declared. */
    assert_int_equal(last.outcome.metric_count, 11);
}

static void test_filter_sample_and_rules(void **state)
{
    (void)state;
    dbq_table_spec t = orders();
    t.filter = "id <= 10 -- a comment cannot swallow the parenthesis";
    t.has_min_rows = 1;
    t.min_rows = 11;
    t.max_age_ms = 3600 * 1000;
    dbq_config config = config_for(&t, 1);
    run_check(&config);
    assert_true(metric_value("dbq_c.orders.rows") == 10);
    assert_true(metric_value("dbq_c.orders.customer.nulls") == 2);
    assert_true(metric_value("dbq_c.orders.amount.nulls") == 2);
    assert_true(metric_value("dbq_c.orders.completeness_pct") == 60);
    /* code among ids 1..10: 1,1,1,4,5,6,6,8,NULL,10 -> 3 extra rows. */
    assert_true(metric_value("dbq_c.orders.duplicate_keys") == 3);
    assert_int_equal(last.status, NBAQ_FAIL);
    assert_contains(last.message, "dbq_c.orders: 10 rows, below min_rows 11");
    assert_contains(last.message, "dbq_c.orders: newest \"created_at\" is ");
    assert_contains(last.message, "s old, above max_age 3600s");

    /* A 100 % Bernoulli sample holds every row: same figures, estimate. */
    t = orders();
    t.sample_percent = 100;
    t.sample_bernoulli = 1;
    t.max_age_ms = 3 * 3600 * 1000;
    run_check(&config);
    assert_int_equal(last.status, NBAQ_PASS);
    assert_true(metric_value("dbq_c.orders.rows") == 20);
    assert_true(metric_value("dbq_c.orders.rows_estimate") == 20);
    assert_true(metric_value("dbq_c.orders.customer.nulls") == 5);
    assert_true(metric_value("dbq_c.orders.freshness_age_s") >= 7200);
}

/* Plan of sql (parameters bound) under costs that make any parallel plan
 * win on a small table; whether it aggregates in the workers. */
static int aggregates_in_parallel(const char *sql, int nparams,
                                  const char *const *params)
{
    PGconn *admin = pgtest_connect();
    pgtest_exec(admin, "SET parallel_setup_cost = 0;"
                       "SET parallel_tuple_cost = 0;"
                       "SET min_parallel_table_scan_size = 0;"
                       "SET max_parallel_workers_per_gather = 2");
    char explain[4096];
    snprintf(explain, sizeof explain, "EXPLAIN (COSTS OFF) %s", sql);
    PGresult *res =
        PQexecParams(admin, explain, nparams, NULL, params, NULL, NULL, 0);
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    int partial = 0;
    for (int i = 0; i < PQntuples(res); i++)
        partial |= strstr(PQgetvalue(res, i, 0), "Partial Aggregate") != NULL;
    PQclear(res);
    PQfinish(admin);
    return partial;
}

/*
 * code on dbq_c.orders (see the fixture): 19 values, 16 distinct (1 three
 * times, 6 twice): 3 repeated; below min 5: codes 1, 1, 1, 4 -> 4 invalid.
 * unique and the profile have their own statement, so the scan keeps
 * aggregating in parallel workers; count(DISTINCT) inside it would not.
 */
static void test_unique_keeps_scan_parallel(void **state)
{
    (void)state;
    dbq_rule min_rule[] = {{.kind = DBQ_RULE_MIN, .param = "5"}};
    dbq_column_spec code = {.name = "code",
                            .rules = min_rule,
                            .rule_count = 1,
                            .unique = 1,
                            .profile = DBQ_PROFILE_QUANTILES};
    dbq_table_spec t = orders();
    t.columns = &code;
    t.column_count = 1;
    char *critical_q[] = {"customer", "amount"}, *code_q[] = {"code"};
    dbq_type_class number = DBQ_TYPE_NUMBER;
    dbq_quoted q = {.table = "dbq_c.orders",
                    .critical = critical_q,
                    .columns = code_q,
                    .column_types = &number};
    const char *values[2];
    dbq_params params = {.values = values};
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_scan(&sql, &t, &q, 0, &params);
    assert_true(aggregates_in_parallel(sql.data, params.count, values));
    textbuf_free(&sql);
    assert_false(aggregates_in_parallel(
        "SELECT count(*), count(DISTINCT code) FROM dbq_c.orders", 0, NULL));

    dbq_config config = config_for(&t, 1);
    run_check(&config);
    assert_true(metric_value("dbq_c.orders.code.invalid_count") == 4 + 3);
    assert_true(metric_value("dbq_c.orders.code.distinct") == 16);
    assert_true(metric_value("dbq_c.orders.code.max") == 20);
}

static void test_failing_tables_beside_healthy_one(void **state)
{
    (void)state;
    static const char *v[] = {"v"};
    static const char *missing[] = {"customer", "no_such_column"};
    dbq_table_spec tables[] = {
        {.name = "dbq_c.secret", .critical_columns = v, .critical_count = 1},
        orders(),
        {.name = "dbq_c.nosuch"},
        {.name = "dbq_c.orders_alias_missing_col",
         .critical_columns = missing,
         .critical_count = 2},
        {.name = "dbq_c.empty", .critical_columns = v, .critical_count = 1},
    };
    tables[3].name = "dbq_c.victim";
    dbq_config config = config_for(tables, 5);
    run_check(&config);
    assert_int_equal(last.status, NBAQ_ERROR);
    const char *m = last.message;
    assert_contains(
        m, "dbq_c.secret: PostgreSQL: counting rows and NULLs: permission "
           "denied for table secret (SQLSTATE 42501)");
    assert_contains(m, "dbq_c.nosuch: PostgreSQL: reading columns: relation "
                       "\"dbq_c.nosuch\" does not exist (SQLSTATE 42P01)");
    assert_contains(m, "dbq_c.victim: critical column \"customer\" does not "
                       "exist");
    assert_contains(m, "dbq_c.empty: no rows: NULL rates and completeness "
                       "are undefined");
    /* The healthy table beside them is measured in full. */
    assert_true(metric_value("dbq_c.orders.rows") == 20);
    assert_true(metric_value("dbq_c.orders.completeness_pct") == 60);
    /* The empty table: counts, but no rate (no division by zero). */
    assert_true(metric_value("dbq_c.empty.rows") == 0);
    assert_true(metric_value("dbq_c.empty.v.nulls") == 0);
    assert_false(has_metric("dbq_c.empty.v.null_pct"));
    assert_false(has_metric("dbq_c.empty.completeness_pct"));
    assert_false(has_metric("dbq_c.secret.rows"));
    assert_false(has_metric("dbq_c.nosuch.rows"));
}

static void test_injection_in_names_drops_nothing(void **state)
{
    (void)state;
    static const char *evil_column[] = {"id\"); DROP TABLE dbq_c.victim; --"};
    dbq_table_spec tables[] = {
        {.name = "x; DROP TABLE dbq_c.victim"},
        {.name = "dbq_c.victim; DROP TABLE dbq_c.victim"},
        {.name = "dbq_c.victim",
         .critical_columns = evil_column,
         .critical_count = 1},
    };
    dbq_config config = config_for(tables, 3);
    /* As the superuser, so that only quoting stands in the way. */
    config.dsn = pgtest_url();
    run_check(&config);
    assert_int_equal(last.status, NBAQ_ERROR);
    assert_contains(
        last.message,
        "x; DROP TABLE dbq_c.victim: PostgreSQL: reading columns: schema "
        "\"x; DROP TABLE dbq_c\" does not exist (SQLSTATE "
        "3F000)");
    assert_contains(
        last.message,
        "dbq_c.victim; DROP TABLE dbq_c.victim: PostgreSQL: reading columns: "
        "relation \"dbq_c.victim; DROP TABLE dbq_c.victim\" does "
        "not exist");
    assert_contains(last.message, "dbq_c.victim: critical column \"id\"); "
                                  "DROP TABLE dbq_c.victim; --\" does not "
                                  "exist");
    PGconn *admin = pgtest_connect();
    char count[32];
    pgtest_value(admin, "SELECT count(*) FROM dbq_c.victim", count,
                 sizeof count);
    assert_string_equal(count, "3");
    PQfinish(admin);
}

static void test_statement_timeout(void **state)
{
    (void)state;
    dbq_table_spec tables[] = {orders(), orders()};
    tables[0].filter = "pg_sleep(0.2) IS NOT NULL";
    tables[1].name = "dbq_c.victim";
    tables[1].critical_count = tables[1].key_count = 0;
    tables[1].freshness_column = NULL;
    dbq_config config = config_for(tables, 2);
    config.statement_timeout_ms = 500;
    run_check(&config);
    assert_int_equal(last.status, NBAQ_ERROR);
    assert_contains(
        last.message,
        "dbq_c.orders: PostgreSQL: counting rows and NULLs: canceling "
        "statement due to statement timeout (statement_timeout "
        "500 ms)");
    assert_true(metric_value("dbq_c.victim.rows") == 3);
}

static void test_schema_expectations_and_drift(void **state)
{
    (void)state;
    dbq_expected_column expected[] = {
        {"id", "int", 0},
        {"name", "varchar(30)", -1},
        {"price", "numeric(10, 2)", 1},
        {"gone", NULL, -1},
    };
    dbq_table_spec t = {.name = "dbq_c.typed",
                        .expected_columns = expected,
                        .expected_count = 4,
                        .strict_schema = 1};
    char key[256];
    dbq_state_key(t.name, key, sizeof key);
    t.previous_schema = saved_state(key);
    assert_null(t.previous_schema);
    dbq_config config = config_for(&t, 1);
    run_check(&config);
    assert_int_equal(last.status, NBAQ_FAIL);
    assert_true(metric_value("dbq_c.typed.schema.missing_columns") == 1);
    assert_true(metric_value("dbq_c.typed.schema.type_mismatches") == 1);
    assert_true(metric_value("dbq_c.typed.schema.nullability_mismatches") == 0);
    assert_true(metric_value("dbq_c.typed.schema.unexpected_columns") == 1);
    assert_true(metric_value("dbq_c.typed.schema.drift") == 0);
    assert_contains(last.message,
                    "dbq_c.typed: schema: column \"name\" is character "
                    "varying(20), expected varchar(30), missing column "
                    "\"gone\", unexpected column \"extra\"");
    assert_string_equal(saved_state(key),
                        "nbaq-schema 1\nid\tinteger\t0\nname\tcharacter "
                        "varying(20)\t1\nprice\tnumeric(10,2)\t1\nextra\t"
                        "text\t1\n");

    PGconn *admin = pgtest_connect();
    pgtest_exec(admin, "ALTER TABLE dbq_c.typed ADD COLUMN gone date;"
                       "ALTER TABLE dbq_c.typed ALTER COLUMN id TYPE bigint;"
                       "ALTER TABLE dbq_c.typed DROP COLUMN extra");
    PQfinish(admin);
    t.previous_schema = saved_state(key);
    run_check(&config);
    assert_true(metric_value("dbq_c.typed.schema.drift") == 3);
    assert_true(metric_value("dbq_c.typed.schema.missing_columns") == 0);
    assert_true(metric_value("dbq_c.typed.schema.type_mismatches") == 2);
    assert_true(metric_value("dbq_c.typed.schema.unexpected_columns") == 0);
    assert_contains(last.message,
                    "dbq_c.typed: schema drift: column \"id\" retyped "
                    "integer -> bigint, column \"gone\" added (date), column "
                    "\"extra\" dropped");
}

/* A composite value whose fields are NULL is still a value (count(p) counts
 * it): of 4 rows only id 2 is NULL, so 3 of 4 rows are complete. */
static void test_composite_column(void **state)
{
    (void)state;
    static const char *critical[] = {"id", "p"};
    dbq_table_spec t = {.name = "dbq_c.composite",
                        .critical_columns = critical,
                        .critical_count = 2};
    dbq_config config = config_for(&t, 1);
    run_check(&config);
    assert_int_equal(last.status, NBAQ_PASS);
    assert_true(metric_value("dbq_c.composite.p.nulls") == 1);
    assert_true(metric_value("dbq_c.composite.completeness_pct") == 75);
}

static void test_unreachable_server(void **state)
{
    (void)state;
    dbq_table_spec tables[] = {orders(), {.name = "dbq_c.victim"}};
    dbq_config config = config_for(tables, 2);
    config.dsn = "postgresql://u:S3cretPw@127.0.0.1:1/db";
    run_check(&config);
    assert_int_equal(last.status, NBAQ_ERROR);
    assert_contains(last.message, "could not connect: ");
    assert_contains(last.message, "Connection refused");
    assert_contains(last.message, "not measured: dbq_c.orders, "
                                  "dbq_c.victim");
    assert_null(strstr(last.message, "S3cretPw"));
    assert_int_equal(last.outcome.metric_count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_nulls_completeness_duplicates),
        cmocka_unit_test(test_filter_sample_and_rules),
        cmocka_unit_test(test_unique_keeps_scan_parallel),
        cmocka_unit_test(test_failing_tables_beside_healthy_one),
        cmocka_unit_test(test_injection_in_names_drops_nothing),
        cmocka_unit_test(test_statement_timeout),
        cmocka_unit_test(test_schema_expectations_and_drift),
        cmocka_unit_test(test_composite_column),
        cmocka_unit_test(test_unreachable_server),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
