/*
 * pgconn.c - connect, read-only transactions, queries, one-line errors.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"
#include "redact.h"

struct pgconn {
    PGconn *pg;
    const char *dsn;              /* borrowed, for redaction              */
    int64_t statement_timeout_ms; /* of the open transaction, for errors */
};

#define SQLSTATE_QUERY_CANCELED "57014"
#define SQLSTATE_SYNTAX_ERROR "42601"

/* Writes prefix and text into err as one line (runs of blanks, newlines
 * and tabs in text become one space; a line break ends a sentence), with the
 * password of dsn removed from text (dsn NULL: text holds nothing from the
 * DSN). The prefix is ours and is not searched, so that a very short password
 * cannot garble it. */
static void set_error(char *err, size_t err_size, const char *dsn,
                      const char *prefix, const char *text)
{
    if (err == NULL || err_size == 0)
        return;
    char line[1024];
    size_t o = 0;
    int pending_space = 0, pending_break = 0;
    for (const char *p = text != NULL ? text : ""; *p != '\0'; p++) {
        if (isspace((unsigned char)*p)) {
            pending_space = o > 0;
            pending_break |= o > 0 && *p == '\n';
            continue;
        }
        /* libpq's second line ("Is the server running...") reads as a new
         * sentence. */
        if (pending_break && isalnum((unsigned char)line[o - 1]) &&
            o + 1 < sizeof line)
            line[o++] = '.';
        if (pending_space && o + 1 < sizeof line)
            line[o++] = ' ';
        pending_space = pending_break = 0;
        if (o + 1 < sizeof line)
            line[o++] = *p;
    }
    line[o] = '\0';
    if (dsn != NULL)
        redact_connection_passwords(line, sizeof line, dsn);
    snprintf(err, err_size, "%s%s", prefix, line);
}

pgconn *pgconn_open(const pgconn_options *options, char *err, size_t err_size)
{
    const char *dsn = options->dsn != NULL ? options->dsn : "";
    if (pgconn_dsn_check(dsn, err, err_size) != 0)
        return NULL;

    char timeout_text[32] = "";
    if (options->connect_timeout_ms > 0) {
        int64_t seconds = (options->connect_timeout_ms + 999) / 1000;
        snprintf(timeout_text, sizeof timeout_text, "%" PRId64,
                 seconds < 2 ? (int64_t)2 : seconds);
    }
    /* Entries after dbname override what the expanded DSN says; an empty
     * value is skipped by libpq. */
    const char *keywords[] = {"dbname", "connect_timeout",
                              "fallback_application_name", NULL};
    const char *values[] = {
        dsn, timeout_text,
        options->application_name != NULL ? options->application_name : "nbaq",
        NULL};
    PGconn *pg = PQconnectdbParams(keywords, values, 1);
    if (pg == NULL) {
        set_error(err, err_size, dsn, "could not connect: ", "out of memory");
        return NULL;
    }
    if (PQstatus(pg) != CONNECTION_OK) {
        set_error(err, err_size, dsn,
                  "could not connect: ", PQerrorMessage(pg));
        PQfinish(pg);
        return NULL;
    }
    pgconn *conn = calloc(1, sizeof *conn);
    if (conn == NULL) {
        PQfinish(pg);
        set_error(err, err_size, dsn, "could not connect: ", "out of memory");
        return NULL;
    }
    conn->pg = pg;
    conn->dsn = dsn;
    return conn;
}

void pgconn_close(pgconn *conn)
{
    if (conn == NULL)
        return;
    PQfinish(conn->pg);
    free(conn);
}

int pgconn_is_usable(const pgconn *conn)
{
    return conn != NULL && PQstatus(conn->pg) == CONNECTION_OK;
}

/* Runs a fixed command that returns no rows. */
static int run_command(pgconn *conn, const char *sql, char *err,
                       size_t err_size)
{
    PGresult *res = PQexec(conn->pg, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!ok) {
        const char *message =
            res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                        : NULL;
        set_error(err, err_size, conn->dsn, "",
                  message != NULL ? message : PQerrorMessage(conn->pg));
    }
    PQclear(res);
    return ok ? 0 : -1;
}

int pgconn_begin_read_only(pgconn *conn, int64_t statement_timeout_ms,
                           char *err, size_t err_size)
{
    if (run_command(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                    err, err_size) != 0)
        return -1;
    conn->statement_timeout_ms = statement_timeout_ms;
    if (statement_timeout_ms <= 0)
        return 0;
    char sql[64];
    snprintf(sql, sizeof sql, "SET LOCAL statement_timeout = %" PRId64,
             statement_timeout_ms);
    if (run_command(conn, sql, err, err_size) != 0) {
        pgconn_end(conn);
        return -1;
    }
    return 0;
}

void pgconn_end(pgconn *conn)
{
    if (conn == NULL || PQstatus(conn->pg) != CONNECTION_OK)
        return;
    PQclear(PQexec(conn->pg, "ROLLBACK"));
    conn->statement_timeout_ms = 0;
}

static void set_query_error(pgconn *conn, const PGresult *res, char *err,
                            size_t err_size)
{
    if (PQresultStatus(res) == PGRES_COMMAND_OK) {
        set_error(err, err_size, conn->dsn, "",
                  "the statement returned no result set (it is not a "
                  "query)");
        return;
    }
    const char *message =
        res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *sqlstate =
        res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (message == NULL || sqlstate == NULL) {
        set_error(err, err_size, conn->dsn, "", PQerrorMessage(conn->pg));
        return;
    }
    char text[1024];
    if (strcmp(sqlstate, SQLSTATE_QUERY_CANCELED) == 0 &&
        conn->statement_timeout_ms > 0)
        snprintf(text, sizeof text, "%s (statement_timeout %" PRId64 " ms)",
                 message, conn->statement_timeout_ms);
    else
        snprintf(text, sizeof text, "%s (SQLSTATE %s)", message, sqlstate);
    set_error(err, err_size, conn->dsn, "", text);
}

PGresult *pgconn_query(pgconn *conn, const char *sql, int nparams,
                       const char *const *params, char *err, size_t err_size)
{
    PGresult *res =
        PQexecParams(conn->pg, sql, nparams, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    set_query_error(conn, res, err, err_size);
    PQclear(res);
    return NULL;
}

char *pgconn_quote_identifier(pgconn *conn, const char *name, char *err,
                              size_t err_size)
{
    char *quoted = PQescapeIdentifier(conn->pg, name, strlen(name));
    if (quoted == NULL)
        set_error(err, err_size, conn->dsn,
                  "cannot quote identifier: ", PQerrorMessage(conn->pg));
    return quoted;
}

int pgconn_parse_number(const char *text, double *out)
{
    if (text == NULL)
        return -1;
    /* strtod also reads hex, "inf" and "nan": PostgreSQL prints numbers
     * as [sign] digits [. digits] [e exponent] only. */
    const char *p = text;
    if (*p == '-' || *p == '+')
        p++;
    if (!isdigit((unsigned char)*p) && *p != '.')
        return -1;
    if (strpbrk(text, "xX") != NULL)
        return -1;
    char *end = NULL;
    double value = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(value))
        return -1;
    *out = value;
    return 0;
}

#define PLAIN_QUERY_NAME "nbaq_plain_query"

/* The server's message for a failed command, as set_query_error() words
 * it, after prefix. */
static void set_refusal(pgconn *conn, const PGresult *res, const char *prefix,
                        char *err, size_t err_size)
{
    char why[768];
    set_query_error(conn, res, why, sizeof why);
    snprintf(err, err_size, "%s%s", prefix, why);
}

PGresult *pgconn_plain_query(pgconn *conn, const char *sql, char *err,
                             size_t err_size)
{
    /* SQL's PREPARE takes a plannable statement only (SELECT, VALUES,
     * TABLE, WITH, or DML, which the read-only transaction refuses), and
     * through PQexecParams exactly one: COPY, DO, CALL, SET... fail here,
     * before anything runs. A protocol-level prepare (PQprepare) would
     * accept utility statements too. */
    size_t len = strlen(sql) + sizeof "PREPARE " PLAIN_QUERY_NAME " AS ";
    char *prepare = malloc(len);
    if (prepare == NULL) {
        set_error(err, err_size, NULL, "", "out of memory");
        return NULL;
    }
    snprintf(prepare, len, "PREPARE " PLAIN_QUERY_NAME " AS %s", sql);
    PGresult *res =
        PQexecParams(conn->pg, prepare, 0, NULL, NULL, NULL, NULL, 0);
    free(prepare);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        /* A syntax error here is most often a statement PREPARE cannot
         * take; other errors (a missing table) are the query's own. */
        const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        int syntax = sqlstate && strcmp(sqlstate, SQLSTATE_SYNTAX_ERROR) == 0;
        set_refusal(conn, res,
                    syntax ? "not a plain query (only SELECT, VALUES, TABLE "
                             "or WITH ... SELECT are run): "
                           : "",
                    err, err_size);
        PQclear(res);
        return NULL;
    }
    PQclear(res);
    res = PQdescribePrepared(conn->pg, PLAIN_QUERY_NAME);
    int rows = PQresultStatus(res) == PGRES_COMMAND_OK && PQnfields(res) > 0;
    PQclear(res);
    if (!rows) {
        set_error(err, err_size, NULL, "",
                  "not a plain query: the statement returns no rows");
        return NULL;
    }
    res = PQexecPrepared(conn->pg, PLAIN_QUERY_NAME, 0, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        return res;
    set_query_error(conn, res, err, err_size);
    PQclear(res);
    return NULL;
}
