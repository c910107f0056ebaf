/*
 * store_pg.c - the history store in PostgreSQL through libpq, so that
 * several hosts can share it. Statements are prepared on the server once
 * per connection and executed with text parameters.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_store.h"
#include "pgconn.h"
#include "redact.h"

/* Serializes schema migrations of every host sharing the database. */
#define MIGRATION_LOCK_KEY "7408315127465183233"

struct store_conn {
    PGconn *pg;
    char *dsn; /* its password is scrubbed from every message         */
    unsigned next_stmt;
};

struct store_stmt {
    store_conn *conn;
    char name[32];
    int param_count;
    char **params; /* text values; NULL: SQL NULL                       */
    PGresult *result;
    int row; /* the current row; -1 before the first             */
};

static void conn_error(store_conn *c, const char *message, char *err,
                       size_t err_size)
{
    history_store_copy_message(err, err_size, message);
    redact_connection_passwords(err, err_size, c->dsn);
}

/* Highest $n in sql. */
static int count_params(const char *sql)
{
    int highest = 0;
    for (const char *p = sql; (p = strchr(p, '$')) != NULL; p++) {
        int n = atoi(p + 1);
        if (n > highest)
            highest = n;
    }
    return highest;
}

static int result_ok(store_conn *c, PGresult *res, char *err, size_t err_size)
{
    ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return 1;
    /* The primary message alone keeps it on one line, without the
     * "ERROR:" prefix and the DETAIL that may quote values. */
    const char *primary =
        res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    conn_error(c, primary ? primary : PQerrorMessage(c->pg), err, err_size);
    return 0;
}

static int pg_exec(store_conn *c, const char *sql, char *err, size_t err_size)
{
    PGresult *res = PQexec(c->pg, sql);
    int ok = result_ok(c, res, err, err_size);
    PQclear(res);
    return ok ? 0 : -1;
}

static store_stmt *pg_prepare(store_conn *c, const char *sql, char *err,
                              size_t err_size)
{
    store_stmt *s = calloc(1, sizeof *s);
    int count = count_params(sql);
    char **params = calloc((size_t)(count ? count : 1), sizeof *params);
    if (!s || !params) {
        free(s);
        free(params);
        history_store_copy_message(err, err_size, "out of memory");
        return NULL;
    }
    s->conn = c;
    s->param_count = count;
    s->params = params;
    s->row = -1;
    snprintf(s->name, sizeof s->name, "nbaq_s%u", c->next_stmt++);
    PGresult *res = PQprepare(c->pg, s->name, sql, 0, NULL);
    int ok = result_ok(c, res, err, err_size);
    PQclear(res);
    if (!ok) {
        free(params);
        free(s);
        return NULL;
    }
    return s;
}

static void set_param(store_stmt *s, int index, char *text)
{
    if (index < 1 || index > s->param_count) {
        free(text);
        return;
    }
    free(s->params[index - 1]);
    s->params[index - 1] = text;
}

static void pg_bind_int64(store_stmt *s, int index, int64_t value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, value);
    set_param(s, index, strdup(buf));
}

static void pg_bind_double(store_stmt *s, int index, double value)
{
    char buf[40];
    if (isnan(value)) {
        set_param(s, index, NULL);
        return;
    }
    if (isinf(value))
        snprintf(buf, sizeof buf, "%s", value > 0 ? "Infinity" : "-Infinity");
    else
        snprintf(buf, sizeof buf, "%.17g", value);
    set_param(s, index, strdup(buf));
}

static void pg_bind_text(store_stmt *s, int index, const char *text)
{
    set_param(s, index, text ? strdup(text) : NULL);
}

static int pg_step(store_stmt *s, char *err, size_t err_size)
{
    if (!s->result) {
        s->result =
            PQexecPrepared(s->conn->pg, s->name, s->param_count,
                           (const char *const *)s->params, NULL, NULL, 0);
        if (!result_ok(s->conn, s->result, err, err_size)) {
            PQclear(s->result);
            s->result = NULL;
            return -1;
        }
        s->row = -1;
    }
    if (s->row + 1 >= PQntuples(s->result))
        return 0;
    s->row++;
    return 1;
}

static int64_t pg_column_int64(store_stmt *s, int column)
{
    return strtoll(PQgetvalue(s->result, s->row, column), NULL, 10);
}

static double pg_column_double(store_stmt *s, int column)
{
    if (PQgetisnull(s->result, s->row, column))
        return NAN;
    return strtod(PQgetvalue(s->result, s->row, column), NULL);
}

static const char *pg_column_text(store_stmt *s, int column)
{
    if (PQgetisnull(s->result, s->row, column))
        return NULL;
    return PQgetvalue(s->result, s->row, column);
}

static void pg_reset(store_stmt *s)
{
    PQclear(s->result);
    s->result = NULL;
    s->row = -1;
}

static void pg_finalize(store_stmt *s)
{
    if (!s)
        return;
    pg_reset(s);
    for (int i = 0; i < s->param_count; i++)
        free(s->params[i]);
    free(s->params);
    free(s);
}

static int pg_begin(store_conn *c, int exclusive, char *err, size_t err_size)
{
    if (pg_exec(c, "BEGIN", err, err_size) != 0)
        return -1;
    if (exclusive &&
        pg_exec(c, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")", err,
                err_size) != 0) {
        pg_exec(c, "ROLLBACK", NULL, 0);
        return -1;
    }
    return 0;
}

static int pg_commit(store_conn *c, char *err, size_t err_size)
{
    return pg_exec(c, "COMMIT", err, err_size);
}

static void pg_rollback(store_conn *c)
{
    if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        pg_exec(c, "ROLLBACK", NULL, 0);
}

static void pg_close(store_conn *c)
{
    if (!c)
        return;
    PQfinish(c->pg);
    free(c->dsn);
    free(c);
}

const store_backend history_store_pg_backend = {
    .name = "postgresql",
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .step = pg_step,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_text = pg_column_text,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .close = pg_close,
};

store_conn *history_store_pg_open(const char *url, int connect_timeout_s,
                                  char *err, size_t err_size)
{
    store_conn *c = calloc(1, sizeof *c);
    if (!c || !(c->dsn = strdup(url))) {
        free(c);
        history_store_copy_message(err, err_size, "out of memory");
        return NULL;
    }
    char timeout[16];
    snprintf(timeout, sizeof timeout, "%d", connect_timeout_s);
    /* Values in the URL override the ones before it. */
    const char *keys[] = {"connect_timeout", "application_name", "dbname",
                          NULL};
    const char *values[] = {timeout, "nbaq", url, NULL};
    c->pg = PQconnectdbParams(keys, values, 1);
    if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
        conn_error(c, c->pg ? PQerrorMessage(c->pg) : "out of memory", err,
                   err_size);
        pg_close(c);
        return NULL;
    }
    /* Quiet "relation already exists, skipping" notices. */
    pg_exec(c, "SET client_min_messages = warning", NULL, 0);
    return c;
}
