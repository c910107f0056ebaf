/*
 * sqlengine.c - choosing the engine, errors, results, and what differs per
 * dialect (placeholders, quoting, regex, sampling).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pgconn.h"
#include "redact.h"
#include "sqlengine_backend.h"
#include "sqlengine_dialect.h"

static int has_prefix(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

int sqlengine_kind_of(const char *dsn, sqlengine_kind *out, char *err,
                      size_t err_size)
{
    if (dsn == NULL || *dsn == '\0') {
        snprintf(err, err_size, "dsn: empty");
        return -1;
    }
    if (has_prefix(dsn, "mysql://") || has_prefix(dsn, "mariadb://"))
        *out = SQLENGINE_MARIADB;
    else if (has_prefix(dsn, "odbc:"))
        *out = SQLENGINE_ODBC;
    else if (strstr(dsn, "://") != NULL && !has_prefix(dsn, "postgresql://") &&
             !has_prefix(dsn, "postgres://")) {
        snprintf(err, err_size,
                 "dsn: unknown engine (use postgresql://, mysql://, "
                 "mariadb:// or odbc:)");
        return -1;
    } else
        *out = SQLENGINE_POSTGRESQL;
    if (!sqlengine_kind_built(*out)) {
        snprintf(err, err_size,
                 "dsn: %s support is not built into this nbaq "
                 "(NBAQ_WITH_%s=OFF)",
                 sqlengine_kind_name(*out),
                 *out == SQLENGINE_MARIADB ? "MARIADB" : "ODBC");
        return -1;
    }
    return 0;
}

const char *sqlengine_kind_name(sqlengine_kind kind)
{
    switch (kind) {
    case SQLENGINE_POSTGRESQL:
        return "PostgreSQL";
    case SQLENGINE_MARIADB:
        return "MariaDB";
    case SQLENGINE_ODBC:
        return "ODBC";
    }
    return "?";
}

int sqlengine_kind_built(sqlengine_kind kind)
{
    switch (kind) {
    case SQLENGINE_POSTGRESQL:
        return 1;
    case SQLENGINE_MARIADB:
#ifdef NBAQ_WITH_MARIADB
        return 1;
#else
        return 0;
#endif
    case SQLENGINE_ODBC:
#ifdef NBAQ_WITH_ODBC
        return 1;
#else
        return 0;
#endif
    }
    return 0;
}

static const sqlengine_backend *backend_of(sqlengine_kind kind)
{
    switch (kind) {
#ifdef NBAQ_WITH_MARIADB
    case SQLENGINE_MARIADB:
        return &sqlengine_mariadb_backend;
#endif
#ifdef NBAQ_WITH_ODBC
    case SQLENGINE_ODBC:
        return &sqlengine_odbc_backend;
#endif
    default:
        return &sqlengine_pg_backend;
    }
}

void sqlengine_set_error(const char *dsn, const char *engine, const char *step,
                         const char *reason, char *err, size_t err_size)
{
    if (err == NULL || err_size == 0)
        return;
    char line[1024];
    size_t o = 0;
    int pending_space = 0;
    for (const char *p = reason != NULL ? reason : "unknown error";
         *p != '\0' && o + 2 < sizeof line; p++) {
        if (isspace((unsigned char)*p)) {
            pending_space = o > 0;
            continue;
        }
        if (pending_space)
            line[o++] = ' ';
        pending_space = 0;
        line[o++] = *p;
    }
    line[o] = '\0';
    if (dsn != NULL)
        redact_connection_passwords(line, sizeof line, dsn);
    snprintf(err, err_size, "%s: %s: %s", engine, step, line);
}

sqlengine *sqlengine_open(const sqlengine_options *options, char *err,
                          size_t err_size)
{
    const char *dsn = options->dsn != NULL ? options->dsn : "";
    sqlengine_kind kind;
    char reason[512];
    if (sqlengine_kind_of(dsn, &kind, reason, sizeof reason) != 0) {
        sqlengine_set_error(dsn, "sql", "connect", reason, err, err_size);
        return NULL;
    }
    sqlengine *conn = calloc(1, sizeof *conn);
    if (conn == NULL) {
        sqlengine_set_error(NULL, sqlengine_kind_name(kind), "connect",
                            "out of memory", err, err_size);
        return NULL;
    }
    conn->backend = backend_of(kind);
    conn->dsn = dsn;
    conn->kind = kind;
    conn->quote = kind == SQLENGINE_MARIADB ? '`' : '"';
    conn->dialect = kind == SQLENGINE_MARIADB ? SQLENGINE_DIALECT_MYSQL
                                              : SQLENGINE_DIALECT_POSTGRESQL;
    snprintf(conn->name, sizeof conn->name, "%s", sqlengine_kind_name(kind));
    const char *target = dsn;
    if (kind == SQLENGINE_ODBC)
        target = dsn + strlen("odbc:");
    reason[0] = '\0';
    conn->impl =
        conn->backend->open(conn, target, options, reason, sizeof reason);
    if (conn->impl == NULL) {
        sqlengine_set_error(dsn, conn->name, "connect", reason, err, err_size);
        free(conn);
        return NULL;
    }
    return conn;
}

void sqlengine_close(sqlengine *conn)
{
    if (conn == NULL)
        return;
    conn->backend->close(conn->impl);
    free(conn);
}

sqlengine_kind sqlengine_kind_get(const sqlengine *conn)
{
    return conn->kind;
}

int sqlengine_is_usable(const sqlengine *conn)
{
    if (conn == NULL)
        return 0; /* a reconnect that failed: try again */
    return conn->backend->usable == NULL || conn->backend->usable(conn->impl);
}

sqlengine_dialect sqlengine_dialect_get(const sqlengine *conn)
{
    return conn->dialect;
}

const char *sqlengine_name(const sqlengine *conn)
{
    return conn->name;
}

int sqlengine_begin(sqlengine *conn, int64_t statement_timeout_ms, char *err,
                    size_t err_size)
{
    char reason[512] = "";
    if (conn->backend->begin(conn->impl, statement_timeout_ms, reason,
                             sizeof reason) == 0)
        return 0;
    sqlengine_set_error(conn->dsn, conn->name, "read-only transaction", reason,
                        err, err_size);
    return -1;
}

void sqlengine_end(sqlengine *conn)
{
    if (conn != NULL)
        conn->backend->end(conn->impl);
}

int sqlengine_query(sqlengine *conn, const char *step, const char *sql,
                    int nparams, const char *const *params,
                    sqlengine_result **out, char *err, size_t err_size)
{
    char reason[768] = "";
    *out = NULL;
    if (conn->backend->query(conn->impl, sql, nparams, params, out, reason,
                             sizeof reason) == 0)
        return 0;
    sqlengine_set_error(conn->dsn, conn->name, step, reason, err, err_size);
    return -1;
}

int sqlengine_plain_query(sqlengine *conn, const char *step, const char *sql,
                          sqlengine_result **out, char *err, size_t err_size)
{
    if (conn->backend->plain_query == NULL)
        return sqlengine_query(conn, step, sql, 0, NULL, out, err, err_size);
    char reason[768] = "";
    *out = NULL;
    if (conn->backend->plain_query(conn->impl, sql, out, reason,
                                   sizeof reason) == 0)
        return 0;
    sqlengine_set_error(conn->dsn, conn->name, step, reason, err, err_size);
    return -1;
}

int sqlengine_columns(sqlengine *conn, const char *schema, const char *table,
                      sqlengine_column **out, char *err, size_t err_size)
{
    if (conn->backend->columns == NULL)
        return sqlengine_columns_information_schema(conn, schema, table, out,
                                                    err, err_size);
    char reason[512] = "";
    int n = conn->backend->columns(conn->impl, schema, table, out, reason,
                                   sizeof reason);
    if (n < 0)
        sqlengine_set_error(conn->dsn, conn->name, "catalog", reason, err,
                            err_size);
    return n;
}

void sqlengine_placeholder(const sqlengine *conn, int index, char *out,
                           size_t size)
{
    if (conn->kind == SQLENGINE_POSTGRESQL)
        snprintf(out, size, "$%d", index);
    else
        snprintf(out, size, "?");
}

int sqlengine_quote_identifier(const sqlengine *conn, const char *name,
                               char *out, size_t size, char *err,
                               size_t err_size)
{
    size_t o = 0;
    if (name == NULL || *name == '\0' || size < 3)
        goto invalid;
    out[o++] = conn->quote;
    for (const char *p = name; *p != '\0'; p++) {
        if (o + 3 >= size)
            goto invalid;
        if (*p == conn->quote)
            out[o++] = conn->quote;
        out[o++] = *p;
    }
    out[o++] = conn->quote;
    out[o] = '\0';
    return 0;
invalid:
    snprintf(err, err_size, "%s: identifier \"%.64s\": empty or too long",
             conn->name, name != NULL ? name : "");
    return -1;
}

const char *sqlengine_regex_operator(const sqlengine *conn, char *err,
                                     size_t err_size)
{
    switch (conn->dialect) {
    case SQLENGINE_DIALECT_POSTGRESQL:
        return "~";
    case SQLENGINE_DIALECT_MYSQL:
        return "REGEXP";
    case SQLENGINE_DIALECT_OTHER:
        break;
    }
    snprintf(err, err_size,
             "%s: regex: nbaq knows no regular-expression operator for this "
             "engine",
             conn->name);
    return NULL;
}

int sqlengine_count_if(const sqlengine *conn, const char *condition, char *out,
                       size_t size)
{
    int n = snprintf(out, size, "%s%s%s",
                     sqlengine_sql_count_if_open(sqlengine_syntax_of(conn)),
                     condition,
                     sqlengine_sql_count_if_close(sqlengine_syntax_of(conn)));
    return n >= 0 && (size_t)n < size ? 0 : -1;
}

int sqlengine_age_seconds(const sqlengine *conn, const char *column, char *out,
                          size_t size, char *err, size_t err_size)
{
    textbuf sql;
    textbuf_init(&sql);
    int rc = sqlengine_sql_age_seconds(&sql, sqlengine_syntax_of(conn), column);
    if (rc != 0)
        snprintf(err, err_size,
                 "%s: freshness: nbaq knows no expression for the age of a "
                 "timestamp on this engine",
                 conn->name);
    else if (textbuf_failed(&sql) || sql.len >= size) {
        snprintf(err, err_size, "%s: freshness: column name too long",
                 conn->name);
        rc = -1;
    } else
        memcpy(out, sql.data, sql.len + 1);
    textbuf_free(&sql);
    return rc;
}

sqlengine_result *sqlengine_result_new(size_t columns)
{
    sqlengine_result *res = calloc(1, sizeof *res);
    if (res == NULL)
        return NULL;
    res->columns = columns;
    res->names = calloc(columns > 0 ? columns : 1, sizeof *res->names);
    if (res->names == NULL) {
        free(res);
        return NULL;
    }
    return res;
}

int sqlengine_result_set_name(sqlengine_result *res, size_t i, const char *name)
{
    free(res->names[i]);
    res->names[i] = strdup(name != NULL ? name : "");
    return res->names[i] != NULL ? 0 : -1;
}

static char *copy_cell(const char *cell, size_t len)
{
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, cell, len);
        copy[len] = '\0';
    }
    return copy;
}

int sqlengine_result_add_row(sqlengine_result *res, const char *const *cells,
                             const size_t *lengths)
{
    size_t first = res->rows * res->columns;
    char **grown =
        realloc(res->cells, (first + res->columns + 1) * sizeof *grown);
    if (grown == NULL)
        return -1;
    res->cells = grown;
    for (size_t c = 0; c < res->columns; c++) {
        res->cells[first + c] = NULL;
        if (cells[c] == NULL)
            continue;
        size_t len = lengths != NULL ? lengths[c] : strlen(cells[c]);
        res->cells[first + c] = copy_cell(cells[c], len);
        if (res->cells[first + c] == NULL) {
            for (size_t k = 0; k < c; k++)
                free(res->cells[first + k]);
            return -1;
        }
    }
    res->rows++;
    return 0;
}

const char *sqlengine_cell(const sqlengine_result *res, size_t row,
                           size_t column)
{
    if (res == NULL || row >= res->rows || column >= res->columns)
        return NULL;
    return res->cells[row * res->columns + column];
}

void sqlengine_result_free(sqlengine_result *res)
{
    if (res == NULL)
        return;
    for (size_t i = 0; i < res->rows * res->columns; i++)
        free(res->cells[i]);
    for (size_t i = 0; i < res->columns; i++)
        free(res->names[i]);
    free(res->cells);
    free(res->names);
    free(res);
}

int sqlengine_parse_number(const char *text, double *out)
{
    /* PostgreSQL, MariaDB and the ODBC drivers print numbers alike. */
    return pgconn_parse_number(text, out);
}
