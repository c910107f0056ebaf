/*
 * test_sqlengine_failures.c - bad input on real engines: an unreachable
 * server, a missing ODBC driver, a wrong password, and a MariaDB server
 * killed while a query runs (its own instance, fixture mariadb_doomed).
 * Each is an error naming the engine and the step, without the password.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>

#include "enginetest.h"
#include "sqlengine.h"

#define WRONG_PASSWORD "Wr0ng-Pass-42"

/* Opens dsn, which must fail; returns the error in err. */
static void open_fails(const char *dsn, char *err, size_t size)
{
    sqlengine_options options = {.dsn = dsn, .connect_timeout_ms = 3000};
    sqlengine *conn = sqlengine_open(&options, err, size);
    if (conn != NULL)
        fail_msg("%s: connected", dsn);
    assert_null(strstr(err, WRONG_PASSWORD));
}

/* A TCP port on 127.0.0.1 where nothing listens: bound, never listened
 * to, and kept bound while the test runs. */
static int closed_port(int *fd_out)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        fail_msg("cannot reserve a port");
    *fd_out = fd;
    return ntohs(a.sin_port);
}

static void unreachable_engines(void **state)
{
    (void)state;
    int fd, port = closed_port(&fd);
    char dsn[256], err[512];
    snprintf(dsn, sizeof dsn, "postgresql://nbaq:%s@127.0.0.1:%d/x",
             WRONG_PASSWORD, port);
    open_fails(dsn, err, sizeof err);
    assert_non_null(strstr(err, "PostgreSQL: connect: "));
    snprintf(dsn, sizeof dsn, "mysql://nbaq:%s@127.0.0.1:%d/x", WRONG_PASSWORD,
             port);
    open_fails(dsn, err, sizeof err);
    assert_non_null(strstr(err, "MariaDB: connect: "));
    assert_non_null(strstr(err, "Can't connect"));
    snprintf(dsn, sizeof dsn,
             "odbc:Driver=nbaq MariaDB;Server=127.0.0.1;Port=%d;UID=nbaq;"
             "PWD=%s",
             port, WRONG_PASSWORD);
    open_fails(dsn, err, sizeof err);
    assert_non_null(strstr(err, "ODBC: connect: "));
    close(fd);
}

static void missing_odbc_driver(void **state)
{
    (void)state;
    char err[512];
    /* A DSN whose driver is registered but not installed (odbc.sh). */
    open_fails("odbc:DSN=nbaq_uninstalled;PWD=" WRONG_PASSWORD, err,
               sizeof err);
    assert_non_null(strstr(err, "ODBC: connect: "));
    assert_non_null(strstr(err, "Can't open lib"));
    assert_non_null(strstr(err, "libnbaq_uninstalled.so"));
    /* A driver that is not registered at all. */
    open_fails("odbc:Driver=nbaq NoSuchDriver;PWD=" WRONG_PASSWORD, err,
               sizeof err);
    assert_non_null(strstr(err, "Can't open lib 'nbaq NoSuchDriver'"));
    /* A DSN that does not exist. */
    open_fails("odbc:DSN=nbaq_missing_dsn", err, sizeof err);
    assert_non_null(strstr(err, "IM002"));
}

static void wrong_password(void **state)
{
    (void)state;
    char port[16], dsn[256], err[512];
    enginetest_env("mariadb", "NBAQ_TEST_MARIADB_PORT", port, sizeof port);
    snprintf(dsn, sizeof dsn, "mariadb://nbaq:%s@127.0.0.1:%s/nbaq_test",
             WRONG_PASSWORD, port);
    open_fails(dsn, err, sizeof err);
    assert_non_null(strstr(err, "MariaDB: connect: Access denied"));
    open_fails("odbc:DSN=nbaq_mariadb;PWD=" WRONG_PASSWORD, err, sizeof err);
    assert_non_null(strstr(err, "ODBC: connect: "));
    assert_non_null(strstr(err, "Access denied"));
}

/* A password left out of the URL comes from an option file's [client]
 * group; a wrong one there fails like one in the URL. */
static void password_from_option_file(void **state)
{
    (void)state;
    char port[16], password[128], dsn[512], err[512];
    char path[] = "/tmp/nbaq-sqlengine-cnf.XXXXXX";
    enginetest_env("mariadb", "NBAQ_TEST_MARIADB_PORT", port, sizeof port);
    enginetest_env("mariadb", "NBAQ_TEST_MARIADB_PASSWORD", password,
                   sizeof password);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "[client]\npassword=%s\n", password);
    fclose(f);
    snprintf(dsn, sizeof dsn,
             "mysql://nbaq@127.0.0.1:%s/nbaq_test?option_file=%s", port, path);
    sqlengine_options options = {.dsn = dsn, .connect_timeout_ms = 3000};
    sqlengine *conn = sqlengine_open(&options, err, sizeof err);
    if (conn == NULL)
        fail_msg("%s", err);
    sqlengine_close(conn);
    f = fopen(path, "w");
    fprintf(f, "[client]\npassword=%s\n", WRONG_PASSWORD);
    fclose(f);
    open_fails(dsn, err, sizeof err);
    assert_non_null(strstr(err, "MariaDB: connect: Access denied"));
    unlink(path);
}

/* Kills the server as soon as the query `needle` shows in its process
 * list (seen through a second connection). */
static pid_t kill_server_when_running(const char *needle)
{
    char datadir[512], pidfile[600];
    enginetest_env("mariadb_doomed", "NBAQ_TEST_MARIADB_DATADIR", datadir,
                   sizeof datadir);
    snprintf(pidfile, sizeof pidfile, "%s/mariadbd.pid", datadir);
    FILE *f = fopen(pidfile, "r");
    long server = 0;
    if (f == NULL || fscanf(f, "%ld", &server) != 1)
        fail_msg("no server pid in %s", pidfile);
    fclose(f);
    /* The child stays out of cmocka (a failure there would unwind into a
     * copy of the test run): it only reads what the parent prepared. */
    char port[16], password[128], query[256];
    enginetest_env("mariadb_doomed", "NBAQ_TEST_MARIADB_PORT", port,
                   sizeof port);
    enginetest_env("mariadb_doomed", "NBAQ_TEST_MARIADB_PASSWORD", password,
                   sizeof password);
    snprintf(query, sizeof query,
             "SELECT COUNT(*) FROM information_schema.processlist "
             "WHERE info LIKE '%%%s%%' AND info NOT LIKE '%%processlist%%'",
             needle);
    pid_t child = fork();
    if (child != 0)
        return child;
    MYSQL *db = mysql_init(NULL);
    if (db == NULL ||
        !mysql_real_connect(db, "127.0.0.1", "nbaq", password, "nbaq_test",
                            (unsigned)atoi(port), NULL, 0))
        _exit(1);
    for (int seen = 0; !seen;) {
        MYSQL_RES *res =
            mysql_query(db, query) == 0 ? mysql_store_result(db) : NULL;
        MYSQL_ROW row = res != NULL ? mysql_fetch_row(res) : NULL;
        if (row == NULL)
            _exit(1);
        seen = strcmp(row[0], "0") != 0;
        mysql_free_result(res);
    }
    kill((pid_t)server, SIGKILL);
    _exit(0);
}

static void server_killed_mid_scan(void **state)
{
    (void)state;
    char dsn[256], err[512];
    enginetest_env("mariadb_doomed", "NBAQ_TEST_MARIADB_URL", dsn, sizeof dsn);
    sqlengine_options options = {.dsn = dsn, .connect_timeout_ms = 3000};
    sqlengine *conn = sqlengine_open(&options, err, sizeof err);
    if (conn == NULL)
        fail_msg("%s", err);
    assert_int_equal(sqlengine_begin(conn, 60000, err, sizeof err), 0);
    pid_t killer = kill_server_when_running("nbaq_doomed_scan");
    sqlengine_result *res = NULL;
    int rc = sqlengine_query(conn, "row count",
                             "SELECT SLEEP(30) AS nbaq_doomed_scan", 0, NULL,
                             &res, err, sizeof err);
    int status = -1;
    waitpid(killer, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sqlengine_result_free(res);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, "MariaDB: row count: "));
    assert_non_null(strstr(err, "Lost connection") != NULL
                        ? strstr(err, "Lost connection")
                        : strstr(err, "gone away"));
    assert_null(strstr(err, "nbaq-Test-pw1"));
    sqlengine_close(conn);
}

int main(void)
{
    enginetest_use_odbc_fixture();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unreachable_engines),
        cmocka_unit_test(missing_odbc_driver),
        cmocka_unit_test(wrong_password),
        cmocka_unit_test(password_from_option_file),
        cmocka_unit_test(server_killed_mid_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
