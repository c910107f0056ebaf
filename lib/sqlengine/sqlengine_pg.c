/*
 * sqlengine_pg.c - the PostgreSQL backend: lib/pgconn (libpq) underneath,
 * so that its rules (REPEATABLE READ READ ONLY transaction, SET LOCAL
 * statement_timeout, one statement per PQexecParams) hold unchanged.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pgconn.h"
#include "sqlengine_backend.h"

static void *pg_open(sqlengine *conn, const char *target,
                     const sqlengine_options *options, char *err,
                     size_t err_size)
{
    (void)conn;
    pgconn_options pg = {.dsn = target,
                         .connect_timeout_ms = options->connect_timeout_ms,
                         .application_name = options->application_name};
    return pgconn_open(&pg, err, err_size);
}

static void pg_close(void *impl)
{
    pgconn_close(impl);
}

static int pg_begin(void *impl, int64_t statement_timeout_ms, char *err,
                    size_t err_size)
{
    return pgconn_begin_read_only(impl, statement_timeout_ms, err, err_size);
}

static void pg_end(void *impl)
{
    pgconn_end(impl);
}

/* Copies the rows of pg (then cleared) into *out. */
static int convert(PGresult *pg, sqlengine_result **out, char *err,
                   size_t err_size)
{
    size_t columns = (size_t)PQnfields(pg);
    sqlengine_result *res = sqlengine_result_new(columns);
    const char **cells = calloc(columns + 1, sizeof *cells);
    int ok = res != NULL && cells != NULL;
    for (size_t c = 0; ok && c < columns; c++)
        ok = sqlengine_result_set_name(res, c, PQfname(pg, (int)c)) == 0;
    for (int r = 0; ok && r < PQntuples(pg); r++) {
        for (size_t c = 0; c < columns; c++)
            cells[c] =
                PQgetisnull(pg, r, (int)c) ? NULL : PQgetvalue(pg, r, (int)c);
        ok = sqlengine_result_add_row(res, cells, NULL) == 0;
    }
    free(cells);
    PQclear(pg);
    if (!ok) {
        sqlengine_result_free(res);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    *out = res;
    return 0;
}

static int pg_query(void *impl, const char *sql, int nparams,
                    const char *const *params, sqlengine_result **out,
                    char *err, size_t err_size)
{
    PGresult *pg = pgconn_query(impl, sql, nparams, params, err, err_size);
    return pg != NULL ? convert(pg, out, err, err_size) : -1;
}

static int pg_usable(void *impl)
{
    return pgconn_is_usable(impl);
}

static int pg_plain_query(void *impl, const char *sql, sqlengine_result **out,
                          char *err, size_t err_size)
{
    PGresult *pg = pgconn_plain_query(impl, sql, err, err_size);
    return pg != NULL ? convert(pg, out, err, err_size) : -1;
}

const sqlengine_backend sqlengine_pg_backend = {
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .end = pg_end,
    .query = pg_query,
    .plain_query = pg_plain_query,
    .usable = pg_usable,
};
