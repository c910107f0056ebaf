/* pgconn against the real PostgreSQL of the ctest fixture `postgres`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pgconn.h"
#include "pgtest.h"

#define ROLE PGTEST_PW_ROLE
#define PASSWORD PGTEST_PASSWORD
#define WRONG_PASSWORD "Wr0ng-Batt3ry"

static pgconn *open_ok(const char *dsn)
{
    char err[512] = "";
    pgconn_options o = {.dsn = dsn, .connect_timeout_ms = 5000};
    pgconn *conn = pgconn_open(&o, err, sizeof err);
    if (conn == NULL)
        fail_msg("pgconn_open: %s", err);
    return conn;
}

static void test_read_only_transaction(void **state)
{
    (void)state;
    pgconn *conn = open_ok(pgtest_url());
    char err[512] = "";
    assert_int_equal(pgconn_begin_read_only(conn, 10000, err, sizeof err), 0);
    PGresult *res =
        pgconn_query(conn,
                     "SELECT current_setting('transaction_read_only'), "
                     "current_setting('statement_timeout'), $1::int + 1",
                     1, (const char *[]){"41"}, err, sizeof err);
    assert_non_null(res);
    assert_string_equal(PQgetvalue(res, 0, 0), "on");
    assert_string_equal(PQgetvalue(res, 0, 1), "10s");
    assert_string_equal(PQgetvalue(res, 0, 2), "42");
    PQclear(res);

    res = pgconn_query(conn, "CREATE TABLE pgconn_must_not_exist (x int)", 0,
                       NULL, err, sizeof err);
    assert_null(res);
    assert_string_equal(err, "cannot execute CREATE TABLE in a read-only "
                             "transaction (SQLSTATE 25006)");
    pgconn_end(conn);

    /* The next transaction starts clean after the failed statement. */
    assert_int_equal(pgconn_begin_read_only(conn, 0, err, sizeof err), 0);
    res = pgconn_query(conn, "SELECT to_regclass('pgconn_must_not_exist')", 0,
                       NULL, err, sizeof err);
    assert_non_null(res);
    assert_true(PQgetisnull(res, 0, 0));
    PQclear(res);
    pgconn_end(conn);
    assert_true(pgconn_is_usable(conn));
    pgconn_close(conn);
}

static void test_one_statement_only(void **state)
{
    (void)state;
    pgconn *conn = open_ok(pgtest_url());
    char err[512] = "";
    assert_int_equal(pgconn_begin_read_only(conn, 0, err, sizeof err), 0);
    PGresult *res =
        pgconn_query(conn, "SELECT 1; SELECT 2", 0, NULL, err, sizeof err);
    assert_null(res);
    assert_non_null(strstr(err, "cannot insert multiple commands"));
    pgconn_end(conn);
    assert_int_equal(pgconn_begin_read_only(conn, 0, err, sizeof err), 0);
    res = pgconn_query(conn, "SET search_path = public", 0, NULL, err,
                       sizeof err);
    assert_null(res);
    assert_non_null(strstr(err, "not a query"));
    pgconn_end(conn);
    pgconn_close(conn);
}

static void test_statement_timeout(void **state)
{
    (void)state;
    pgconn *conn = open_ok(pgtest_url());
    char err[512] = "";
    assert_int_equal(pgconn_begin_read_only(conn, 300, err, sizeof err), 0);
    PGresult *res =
        pgconn_query(conn, "SELECT pg_sleep(30)", 0, NULL, err, sizeof err);
    assert_null(res);
    assert_string_equal(err, "canceling statement due to statement timeout "
                             "(statement_timeout 300 ms)");
    pgconn_end(conn);
    assert_true(pgconn_is_usable(conn));
    pgconn_close(conn);
}

static void test_wrong_password(void **state)
{
    (void)state;
    PGconn *admin = pgtest_connect();
    pgtest_require_password(admin);
    PQfinish(admin);

    char url[600], err[512] = "";
    pgtest_url_for(ROLE, WRONG_PASSWORD, url, sizeof url);
    pgconn_options o = {.dsn = url, .connect_timeout_ms = 5000};
    assert_null(pgconn_open(&o, err, sizeof err));
    assert_non_null(strstr(err, "could not connect: "));
    assert_non_null(
        strstr(err, "password authentication failed for user \"" ROLE "\""));
    assert_null(strstr(err, WRONG_PASSWORD));
    assert_null(strchr(err, '\n'));

    pgtest_url_for(ROLE, PASSWORD, url, sizeof url);
    pgconn_close(open_ok(url));
}

static void test_refused_and_invalid(void **state)
{
    (void)state;
    char err[512] = "";
    /* Port 1 on loopback: nothing listens there. */
    pgconn_options o = {.dsn = "host=127.0.0.1 port=1 dbname=x user=u "
                               "password=Hunter2Secret",
                        .connect_timeout_ms = 3000};
    assert_null(pgconn_open(&o, err, sizeof err));
    assert_non_null(strstr(err, "could not connect: "));
    assert_non_null(strstr(err, "Connection refused"));
    assert_null(strstr(err, "Hunter2Secret"));

    o.dsn = "host=127.0.0.1 password=Hunter2 Secret";
    assert_null(pgconn_open(&o, err, sizeof err));
    assert_string_equal(err, "invalid dsn: missing \"...\" after \"...\" in "
                             "connection info string");
    o.dsn = "postgresql://u:Hunter2Secret@127.0.0.1:1/db?bogus=Hunter2Secret";
    assert_null(pgconn_open(&o, err, sizeof err));
    assert_non_null(strstr(err, "invalid dsn: "));
    assert_null(strstr(err, "Hunter2Secret"));
}

static void test_quote_identifier(void **state)
{
    (void)state;
    pgconn *conn = open_ok(pgtest_url());
    char err[256];
    char *q = pgconn_quote_identifier(conn, "x; DROP TABLE y", err, sizeof err);
    assert_string_equal(q, "\"x; DROP TABLE y\"");
    PQfreemem(q);
    q = pgconn_quote_identifier(conn, "we\"ird", err, sizeof err);
    assert_string_equal(q, "\"we\"\"ird\"");
    PQfreemem(q);
    pgconn_close(conn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_only_transaction),
        cmocka_unit_test(test_one_statement_only),
        cmocka_unit_test(test_statement_timeout),
        cmocka_unit_test(test_wrong_password),
        cmocka_unit_test(test_refused_and_invalid),
        cmocka_unit_test(test_quote_identifier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
