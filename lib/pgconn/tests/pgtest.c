#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pgtest.h"

const char *pgtest_url(void)
{
    static char url[600];
    if (url[0] != '\0')
        return url;
    const char *dir = getenv("NBAQ_SERVICES_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/postgres/env", dir != NULL ? dir : ".");
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s missing: run through ctest (fixture postgres)", path);
    char line[600];
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "NBAQ_TEST_PG_URL=", 17) == 0) {
            line[strcspn(line, "\r\n")] = '\0';
            snprintf(url, sizeof url, "%s", line + 17);
        }
    }
    fclose(f);
    if (url[0] == '\0')
        fail_msg("%s has no NBAQ_TEST_PG_URL", path);
    return url;
}

PGconn *pgtest_connect(void)
{
    PGconn *conn = PQconnectdb(pgtest_url());
    if (PQstatus(conn) != CONNECTION_OK)
        fail_msg("cannot connect to the test server: %s", PQerrorMessage(conn));
    PQclear(PQexec(conn, "SET client_min_messages = warning"));
    return conn;
}

void pgtest_exec(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(conn));
    PQclear(res);
}

void pgtest_value(PGconn *conn, const char *sql, char *out, size_t size)
{
    PGresult *res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1)
        fail_msg("%s: %s", sql, PQerrorMessage(conn));
    snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
}

void pgtest_require_password(PGconn *conn)
{
    const char *role = PGTEST_PW_ROLE;
    pgtest_exec(conn, "DO $$BEGIN CREATE ROLE " PGTEST_PW_ROLE " LOGIN; "
                      "EXCEPTION WHEN duplicate_object THEN NULL; END$$");
    pgtest_exec(conn,
                "SET password_encryption = 'scram-sha-256'; "
                "ALTER ROLE " PGTEST_PW_ROLE " PASSWORD '" PGTEST_PASSWORD "'");
    char hba_file[1024];
    pgtest_value(conn, "SHOW hba_file", hba_file, sizeof hba_file);
    FILE *f = fopen(hba_file, "r");
    if (f == NULL)
        fail_msg("cannot read %s", hba_file);
    char line_for_role[256];
    snprintf(line_for_role, sizeof line_for_role,
             "host all %s 127.0.0.1/32 scram-sha-256\n", role);
    size_t cap = 1 << 16, len = 0;
    char *old = malloc(cap);
    len = fread(old, 1, cap - 1, f);
    old[len] = '\0';
    fclose(f);
    if (strstr(old, line_for_role) == NULL) {
        /* Rewritten in place to keep the server's ownership of the file;
         * the server reads it only on the reload below. */
        FILE *w = fopen(hba_file, "w");
        if (w == NULL)
            fail_msg("cannot write %s", hba_file);
        fputs(line_for_role, w);
        fputs(old, w);
        fclose(w);
    }
    free(old);
    pgtest_exec(conn, "SELECT pg_reload_conf()");
    /* The reload is asynchronous: wait (bounded) until a connection as the
     * role without a password is refused. */
    char url[600];
    pgtest_url_for(role, NULL, url, sizeof url);
    for (int attempt = 0; attempt < 200; attempt++) {
        PGconn *probe = PQconnectdb(url);
        int refused = PQstatus(probe) != CONNECTION_OK;
        PQfinish(probe);
        if (refused)
            return;
        struct timespec pause = {0, 50 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    fail_msg("the server still lets %s in without a password", role);
}

void pgtest_url_for(const char *user, const char *password, char *out,
                    size_t size)
{
    const char *url = pgtest_url();
    const char *at = strchr(url, '@');
    if (password != NULL)
        snprintf(out, size, "postgresql://%s:%s%s", user, password, at);
    else
        snprintf(out, size, "postgresql://%s%s", user, at);
}
