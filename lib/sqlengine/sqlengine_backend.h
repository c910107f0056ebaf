/*
 * sqlengine_backend.h - what each engine's backend provides to sqlengine.c.
 * Backends write raw reasons into err; sqlengine.c names the engine and the
 * step and redacts the DSN's passwords.
 */
#ifndef NBAQ_SQLENGINE_BACKEND_H
#define NBAQ_SQLENGINE_BACKEND_H

#include "sqlengine.h"

typedef struct sqlengine_backend {
    /* target: the DSN without the engine prefix where it has one. */
    void *(*open)(sqlengine *conn, const char *target,
                  const sqlengine_options *options, char *err, size_t err_size);
    void (*close)(void *impl);
    int (*begin)(void *impl, int64_t statement_timeout_ms, char *err,
                 size_t err_size);
    void (*end)(void *impl);
    int (*query)(void *impl, const char *sql, int nparams,
                 const char *const *params, sqlengine_result **out, char *err,
                 size_t err_size);
    /* Config text as one plain query; NULL: query without parameters
     * (which prepares first and refuses a statement without rows). */
    int (*plain_query)(void *impl, const char *sql, sqlengine_result **out,
                       char *err, size_t err_size);
    /* Whether the session still works (the server did not close it); NULL:
     * assumed, a failed statement then says why. */
    int (*usable)(void *impl);
    /* NULL: the information_schema query of sqlengine_catalog.c. */
    int (*columns)(void *impl, const char *schema, const char *table,
                   sqlengine_column **out, char *err, size_t err_size);
} sqlengine_backend;

struct sqlengine {
    const sqlengine_backend *backend;
    void *impl;
    const char *dsn; /* borrowed, for redaction */
    sqlengine_kind kind;
    sqlengine_dialect dialect;
    char quote;             /* identifier quote character */
    int window_percentiles; /* MariaDB 10.3+: PERCENTILE_CONT ... OVER () */
    char name[80];
};

extern const sqlengine_backend sqlengine_pg_backend;
#ifdef NBAQ_WITH_MARIADB
extern const sqlengine_backend sqlengine_mariadb_backend;
#endif
#ifdef NBAQ_WITH_ODBC
extern const sqlengine_backend sqlengine_odbc_backend;
#endif

/* A result of `columns` columns and no rows yet; NULL when out of memory. */
sqlengine_result *sqlengine_result_new(size_t columns);
/* Appends a row of `columns` cells, copied (NULL: SQL NULL); lengths may
 * be NULL (NUL-terminated cells). Returns 0 or -1 (out of memory). */
int sqlengine_result_add_row(sqlengine_result *res, const char *const *cells,
                             const size_t *lengths);
/* Sets the name of column i (copied). Returns 0 or -1. */
int sqlengine_result_set_name(sqlengine_result *res, size_t i,
                              const char *name);

/* The catalog through information_schema.columns (PostgreSQL, MariaDB). */
int sqlengine_columns_information_schema(sqlengine *conn, const char *schema,
                                         const char *table,
                                         sqlengine_column **out, char *err,
                                         size_t err_size);

/* The columns of a catalog result (name, type, nullable columns), types
 * normalised; an array of res->rows owned by the caller, NULL when out of
 * memory. */
sqlengine_column *sqlengine_columns_from(const sqlengine_result *res,
                                         size_t name_col, size_t type_col,
                                         size_t nullable_col);

/* Writes "<engine>: <step>: <reason>" as one line, passwords redacted. */
void sqlengine_set_error(const char *dsn, const char *engine, const char *step,
                         const char *reason, char *err, size_t err_size);

#endif
