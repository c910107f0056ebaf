/*
 * test_sqlengine_engines.c - one fixture table loaded into the real
 * PostgreSQL and MariaDB (through their own clients), read through
 * sqlengine natively and over ODBC. Every figure is computed here from the
 * generator of the rows, never from what an engine answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "enginetest.h"
#include "pgtest.h"
#include "sqlengine.h"
#include "sqlengine_dialect.h"
#include "textbuf.h"

#define FIXTURE_ROWS 240
#define FIXTURE_CODES 40

/* The generator: NULL name every 7th row, "bad-" names every 5th, NULL
 * amount every 11th. */
static const char *row_name(int id, char *out, size_t size)
{
    if (id % 7 == 0)
        return NULL;
    snprintf(out, size, id % 5 == 0 ? "bad-%d" : "item%d", id);
    return out;
}

static int amount_is_null(int id)
{
    return id % 11 == 0;
}

typedef struct expected {
    long rows, names, item_names, code7_rows;
    double amount_sum;
} expected;

static expected compute_expected(void)
{
    expected e = {0};
    char name[32];
    for (int id = 1; id <= FIXTURE_ROWS; id++) {
        e.rows++;
        e.names += row_name(id, name, sizeof name) != NULL;
        e.item_names += id % 7 != 0 && id % 5 != 0;
        e.code7_rows += id % FIXTURE_CODES == 7;
        if (!amount_is_null(id))
            e.amount_sum += id * 1.25;
    }
    return e;
}

static const char create_sql[] =
    "CREATE TABLE sqle_fixture (id integer NOT NULL, name varchar(40), "
    "amount decimal(12,2), code integer, created_at timestamp NULL)";

static void insert_sql(char *out, size_t size)
{
    size_t o = (size_t)snprintf(out, size, "INSERT INTO sqle_fixture VALUES ");
    char name[32], name_sql[40], amount[32];
    for (int id = 1; id <= FIXTURE_ROWS && o < size; id++) {
        const char *n = row_name(id, name, sizeof name);
        snprintf(name_sql, sizeof name_sql, n ? "'%s'" : "NULL", n);
        snprintf(amount, sizeof amount, amount_is_null(id) ? "NULL" : "%.2f",
                 id * 1.25);
        o += (size_t)snprintf(out + o, size - o,
                              "%s(%d, %s, %s, %d, '2026-01-%02d 10:00:00')",
                              id > 1 ? "," : "", id, name_sql, amount,
                              id % FIXTURE_CODES, id % 28 + 1);
    }
}

static char insert_text[FIXTURE_ROWS * 96];

/* A row written an hour ago by the server's own clock, in each dialect. */
#define FRESH_AGE_S 3600
static const char create_fresh_sql[] =
    "CREATE TABLE sqle_fresh (loaded_at timestamp NULL)";

static void load_postgres(void)
{
    PGconn *pg = pgtest_connect();
    pgtest_exec(pg, "DROP TABLE IF EXISTS sqle_fixture, sqle_fresh");
    pgtest_exec(pg, create_sql);
    pgtest_exec(pg, insert_text);
    pgtest_exec(pg, create_fresh_sql);
    pgtest_exec(pg, "INSERT INTO sqle_fresh VALUES "
                    "(localtimestamp - interval '3600 seconds'), "
                    "(localtimestamp - interval '7200 seconds')");
    PQfinish(pg);
}

static void load_mariadb(void)
{
    MYSQL *db = enginetest_mariadb_connect("mariadb");
    enginetest_mariadb_exec(db,
                            "DROP TABLE IF EXISTS sqle_fixture, sqle_fresh");
    enginetest_mariadb_exec(db, create_sql);
    enginetest_mariadb_exec(db, insert_text);
    enginetest_mariadb_exec(db, create_fresh_sql);
    enginetest_mariadb_exec(db, "INSERT INTO sqle_fresh VALUES "
                                "(NOW() - INTERVAL 3600 SECOND), "
                                "(NOW() - INTERVAL 7200 SECOND)");
    mysql_close(db);
}

/* The rows now in the table, through the engine's own client. */
static long native_row_count(const char *server)
{
    char value[32];
    if (strcmp(server, "postgres") == 0) {
        PGconn *pg = pgtest_connect();
        pgtest_value(pg, "SELECT count(*) FROM sqle_fixture", value,
                     sizeof value);
        PQfinish(pg);
    } else {
        MYSQL *db = enginetest_mariadb_connect("mariadb");
        enginetest_mariadb_value(db, "SELECT count(*) FROM sqle_fixture", value,
                                 sizeof value);
        mysql_close(db);
    }
    return atol(value);
}

typedef struct engine_case {
    const char *label;
    const char *fixture, *key; /* where its DSN is */
    const char *server;        /* the server underneath */
    const char *name_prefix;   /* of sqlengine_name() */
    char dsn[512];
} engine_case;

static engine_case cases[] = {
    {"postgresql", "postgres", "NBAQ_TEST_PG_URL", "postgres", "PostgreSQL",
     ""},
    {"mariadb", "mariadb", "NBAQ_TEST_MARIADB_URL", "mariadb", "MariaDB", ""},
    {"odbc-postgresql", "odbc", "NBAQ_TEST_ODBC_PG", "postgres",
     "ODBC (PostgreSQL)", ""},
    {"odbc-mariadb", "odbc", "NBAQ_TEST_ODBC_MARIADB", "mariadb", "ODBC (M",
     ""},
};

static int group_setup(void **state)
{
    (void)state;
    enginetest_use_odbc_fixture();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        enginetest_env(cases[i].fixture, cases[i].key, cases[i].dsn,
                       sizeof cases[i].dsn);
    insert_sql(insert_text, sizeof insert_text);
    load_postgres();
    load_mariadb();
    return 0;
}

static sqlengine *open_case(const engine_case *c)
{
    char err[512];
    sqlengine_options options = {.dsn = c->dsn, .connect_timeout_ms = 5000};
    sqlengine *conn = sqlengine_open(&options, err, sizeof err);
    if (conn == NULL)
        fail_msg("%s: %s", c->label, err);
    assert_memory_equal(sqlengine_name(conn), c->name_prefix,
                        strlen(c->name_prefix));
    if (sqlengine_begin(conn, 10000, err, sizeof err) != 0)
        fail_msg("%s: %s", c->label, err);
    return conn;
}

/* One number from a one-row query. */
static double number_of(sqlengine *conn, const char *sql, int nparams,
                        const char *const *params)
{
    char err[512];
    sqlengine_result *res = NULL;
    if (sqlengine_query(conn, "figure", sql, nparams, params, &res, err,
                        sizeof err) != 0)
        fail_msg("%s: %s", sql, err);
    double value = 0;
    assert_int_equal(res->rows, 1);
    if (sqlengine_parse_number(sqlengine_cell(res, 0, 0), &value) != 0)
        fail_msg("%s: not a number: %s", sql, sqlengine_cell(res, 0, 0));
    sqlengine_result_free(res);
    return value;
}

static void figures_match(void **state)
{
    const engine_case *c = *state;
    expected e = compute_expected();
    sqlengine *conn = open_case(c);
    char table[64], column[64], err[256], sql[512], p1[16];
    assert_int_equal(sqlengine_quote_identifier(conn, "sqle_fixture", table,
                                                sizeof table, err, sizeof err),
                     0);
    assert_int_equal(sqlengine_quote_identifier(conn, "name", column,
                                                sizeof column, err, sizeof err),
                     0);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*), COUNT(%s), COUNT(DISTINCT code), SUM(amount) "
             "FROM %s",
             column, table);
    sqlengine_result *res = NULL;
    if (sqlengine_query(conn, "scan", sql, 0, NULL, &res, err, sizeof err))
        fail_msg("%s", err);
    double v[4];
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(
            sqlengine_parse_number(sqlengine_cell(res, 0, i), &v[i]), 0);
    assert_true(v[0] == e.rows);
    assert_true(v[1] == e.names);
    assert_true(v[2] == FIXTURE_CODES);
    assert_true(v[3] == e.amount_sum);
    sqlengine_result_free(res);

    const char *op = sqlengine_regex_operator(conn, err, sizeof err);
    assert_non_null(op);
    sqlengine_placeholder(conn, 1, p1, sizeof p1);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s %s %s", table,
             column, op, p1);
    const char *pattern[] = {"^item[0-9]+$"};
    assert_true(number_of(conn, sql, 1, pattern) == e.item_names);

    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE code = %s", table,
             p1);
    const char *code[] = {"7"};
    assert_true(number_of(conn, sql, 1, code) == e.code7_rows);
    sqlengine_end(conn);
    sqlengine_close(conn);
}

static void catalog_normalised(void **state)
{
    const engine_case *c = *state;
    sqlengine *conn = open_case(c);
    sqlengine_column *cols = NULL;
    char err[512];
    int n =
        sqlengine_columns(conn, NULL, "sqle_fixture", &cols, err, sizeof err);
    if (n < 0)
        fail_msg("%s", err);
    static const char *const names[] = {"id", "name", "amount", "code",
                                        "created_at"};
    static const char *const types[] = {"integer", "text", "decimal", "integer",
                                        "timestamp"};
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++) {
        assert_string_equal(cols[i].name, names[i]);
        assert_string_equal(cols[i].type, types[i]);
        assert_int_equal(cols[i].nullable, i != 0);
    }
    free(cols);
    assert_int_equal(
        sqlengine_columns(conn, NULL, "sqle_missing", &cols, err, sizeof err),
        0);
    free(cols);
    sqlengine_end(conn);
    sqlengine_close(conn);
}

static void writes_refused(void **state)
{
    const engine_case *c = *state;
    static const char *const writes[] = {
        "INSERT INTO sqle_fixture (id) VALUES (9999)",
        "UPDATE sqle_fixture SET code = 0",
        "DELETE FROM sqle_fixture",
        "DROP TABLE sqle_fixture",
        "CREATE TABLE sqle_written (x integer)",
        "SELECT 1; DELETE FROM sqle_fixture",
        "TRUNCATE TABLE sqle_fixture",
    };
    sqlengine *conn = open_case(c);
    char err[512];
    for (size_t i = 0; i < sizeof writes / sizeof *writes; i++) {
        sqlengine_result *res = NULL;
        int rc = sqlengine_query(conn, "sql_metric", writes[i], 0, NULL, &res,
                                 err, sizeof err);
        sqlengine_result_free(res);
        if (rc == 0)
            fail_msg("%s: accepted: %s", c->label, writes[i]);
        assert_memory_equal(err, c->name_prefix, strlen(c->name_prefix));
        /* a failed statement may end the transaction: start again */
        sqlengine_end(conn);
        assert_int_equal(sqlengine_begin(conn, 10000, err, sizeof err), 0);
    }
    sqlengine_end(conn);
    sqlengine_close(conn);
    assert_int_equal(native_row_count(c->server), FIXTURE_ROWS);
    expected e = compute_expected();
    conn = open_case(c);
    const char *code[] = {"7"};
    char p1[16], sql[128];
    sqlengine_placeholder(conn, 1, p1, sizeof p1);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM sqle_fixture WHERE code = %s", p1);
    assert_true(number_of(conn, sql, 1, code) == e.code7_rows);
    sqlengine_column *cols = NULL;
    assert_int_equal(
        sqlengine_columns(conn, NULL, "sqle_written", &cols, err, sizeof err),
        0);
    free(cols);
    sqlengine_close(conn);
}

static void missing_table_named(void **state)
{
    const engine_case *c = *state;
    sqlengine *conn = open_case(c);
    char err[512];
    sqlengine_result *res = NULL;
    assert_int_equal(sqlengine_query(conn, "row count",
                                     "SELECT COUNT(*) FROM sqle_missing", 0,
                                     NULL, &res, err, sizeof err),
                     -1);
    assert_memory_equal(err, c->name_prefix, strlen(c->name_prefix));
    assert_non_null(strstr(err, ": row count: "));
    assert_non_null(strstr(err, "sqle_missing"));
    sqlengine_close(conn);
}

static void statement_timeout(void **state)
{
    const engine_case *c = *state;
    char err[512];
    sqlengine_options options = {.dsn = c->dsn, .connect_timeout_ms = 5000};
    sqlengine *conn = sqlengine_open(&options, err, sizeof err);
    assert_non_null(conn);
    assert_int_equal(sqlengine_begin(conn, 500, err, sizeof err), 0);
    const char *sql = sqlengine_dialect_get(conn) == SQLENGINE_DIALECT_MYSQL
                          ? "SELECT SLEEP(20)"
                          : "SELECT pg_sleep(20)";
    sqlengine_result *res = NULL;
    int rc = sqlengine_query(conn, "slow", sql, 0, NULL, &res, err, sizeof err);
    /* MariaDB answers SLEEP's interruption with a row holding 1. */
    if (rc == 0) {
        assert_string_equal(sqlengine_cell(res, 0, 0), "1");
        sqlengine_result_free(res);
    } else {
        assert_non_null(strstr(err, ": slow: "));
    }
    sqlengine_close(conn);
}

static void sampling(void **state)
{
    const engine_case *c = *state;
    sqlengine *conn = open_case(c);
    textbuf after = TEXTBUF_INIT, where = TEXTBUF_INIT, sql = TEXTBUF_INIT;
    assert_int_equal(
        sqlengine_sql_sample(sqlengine_syntax_of(conn), 100, 0, &after, &where),
        0);
    textbuf_printf(&sql, "SELECT COUNT(*) FROM sqle_fixture%s%s%s",
                   after.data ? after.data : "", where.data ? " WHERE " : "",
                   where.data ? where.data : "");
    /* Both forms: TABLESAMPLE on PostgreSQL, RAND() on MariaDB. */
    assert_true((after.data != NULL) ==
                (sqlengine_dialect_get(conn) == SQLENGINE_DIALECT_POSTGRESQL));
    assert_true(number_of(conn, sql.data, 0, NULL) == FIXTURE_ROWS);
    textbuf_free(&after);
    textbuf_free(&where);
    textbuf_free(&sql);
    sqlengine_close(conn);
}

/* count_if and the age of the newest row: the dialect's expressions. */
static void dialect_expressions(void **state)
{
    const engine_case *c = *state;
    sqlengine *conn = open_case(c);
    char count[128], age[160], err[256], sql[512];
    assert_int_equal(
        sqlengine_count_if(conn, "name IS NULL", count, sizeof count), 0);
    snprintf(sql, sizeof sql, "SELECT %s FROM sqle_fixture", count);
    expected e = compute_expected();
    assert_true(number_of(conn, sql, 0, NULL) == e.rows - e.names);
    assert_int_equal(sqlengine_age_seconds(conn, "loaded_at", age, sizeof age,
                                           err, sizeof err),
                     0);
    snprintf(sql, sizeof sql, "SELECT %s FROM sqle_fresh", age);
    double seconds = number_of(conn, sql, 0, NULL);
    /* written an hour before this test began; the test takes seconds */
    assert_true(seconds >= FRESH_AGE_S && seconds < FRESH_AGE_S + 120);
    sqlengine_close(conn);
}

#define PER_ENGINE(test)                                                       \
    cmocka_unit_test_prestate(test, &cases[0]),                                \
        cmocka_unit_test_prestate(test, &cases[1]),                            \
        cmocka_unit_test_prestate(test, &cases[2]),                            \
        cmocka_unit_test_prestate(test, &cases[3])

int main(void)
{
    const struct CMUnitTest tests[] = {
        PER_ENGINE(figures_match),       PER_ENGINE(catalog_normalised),
        PER_ENGINE(writes_refused),      PER_ENGINE(missing_table_named),
        PER_ENGINE(statement_timeout),   PER_ENGINE(sampling),
        PER_ENGINE(dialect_expressions),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
