/*
 * pgconn.h - a PostgreSQL connection for checkers that only read.
 *
 * Shared by the db_quality and sql_metric plugins so that the safety rules
 * live in one place:
 *   - connect with a connect timeout from the config, which overrides any
 *     connect_timeout written in the DSN;
 *   - every query runs inside a READ ONLY transaction (REPEATABLE READ, so
 *     the queries of one transaction see one snapshot) with a
 *     statement_timeout set for that transaction only;
 *   - queries go through the extended protocol (PQexecParams), which runs
 *     exactly one statement: text from the config cannot chain a second;
 *   - every error message is one line and never contains the password from
 *     the DSN, in any of the forms the DSN spelt it.
 *
 * Threads: a pgconn is used by one thread at a time; distinct pgconns may
 * be used concurrently (libpq is thread-safe).
 */
#ifndef NBAQ_PGCONN_H
#define NBAQ_PGCONN_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

typedef struct pgconn pgconn;

typedef struct pgconn_options {
    /* libpq keyword/value string or postgresql:// URI; may hold a password.
     * Borrowed: must outlive the pgconn (it is used to redact messages). */
    const char *dsn;
    /* Rounded up to whole seconds for libpq; <= 0: the DSN's or libpq's. */
    int64_t connect_timeout_ms;
    /* Shown in pg_stat_activity when the DSN names none; NULL: "nbaq". */
    const char *application_name;
} pgconn_options;

/*
 * Connects. Returns a connection owned by the caller (pgconn_close), or
 * NULL with a one-line reason in err ("could not connect: ...", "invalid
 * dsn: ...") that contains no password.
 */
pgconn *pgconn_open(const pgconn_options *options, char *err, size_t err_size);

/* Closes and frees; NULL is allowed. */
void pgconn_close(pgconn *conn);

/* Non-zero while the connection is up and not inside a failed state. */
int pgconn_is_usable(const pgconn *conn);

/*
 * Starts a READ ONLY, REPEATABLE READ transaction whose statements are
 * cancelled by the server after statement_timeout_ms (<= 0: no limit).
 * Returns 0, or -1 with err filled.
 */
int pgconn_begin_read_only(pgconn *conn, int64_t statement_timeout_ms,
                           char *err, size_t err_size);

/* Ends the transaction (ROLLBACK: a read-only transaction keeps nothing).
 * Safe to call after a failed statement. */
void pgconn_end(pgconn *conn);

/*
 * Runs one statement with text parameters ($1..$n; NULL params when
 * nparams is 0). Returns a result that returned rows (PGRES_TUPLES_OK),
 * owned by the caller (PQclear), or NULL with err filled: the server's
 * message and SQLSTATE ("permission denied for table t (SQLSTATE 42501)");
 * a statement timeout says so and names the limit.
 */
PGresult *pgconn_query(pgconn *conn, const char *sql, int nparams,
                       const char *const *params, char *err, size_t err_size);

/*
 * Runs sql, text from the config, only if the server can prepare it as one
 * plain query that returns rows: SQL's PREPARE refuses utility statements
 * (COPY ... TO a file, DO, CALL, SET, ...) before anything runs, and the
 * prepared statement must describe at least one column. Returns what
 * pgconn_query() returns; a refusal's err begins "not a plain query". Call
 * it inside pgconn_begin_read_only(): the transaction refuses writes, and a
 * SELECT-only role remains the first defence (functions such as
 * lo_export() are SELECTs).
 */
PGresult *pgconn_plain_query(pgconn *conn, const char *sql, char *err,
                             size_t err_size);

/*
 * Quotes name as an SQL identifier (PQescapeIdentifier): the result is a
 * string to paste into SQL, owned by the caller and freed with PQfreemem.
 * NULL with err filled on failure (invalid encoding, out of memory).
 */
char *pgconn_quote_identifier(pgconn *conn, const char *name, char *err,
                              size_t err_size);

/*
 * Connection strings (pgconn_dsn.c), through libpq's own parser.
 *
 * pgconn_dsn_is_postgres: non-zero for a postgresql:// or postgres:// URI,
 * or keyword/value text that libpq parses ("host=db password=...").
 *
 * pgconn_dsn_check: 0 when dsn is no connection string at all (no '=', no
 * URI scheme) or one libpq parses; -1 with err ("invalid dsn: ...") that
 * quotes nothing of the DSN. A URI whose user info holds an unencoded '/',
 * '?' or '#' is refused: libpq would read part of the password as host,
 * port or database.
 *
 * pgconn_dsn_looks_like_conninfo: has '=' or a PostgreSQL URI scheme.
 *
 * pgconn_dsn_display: "postgresql://host:port/dbname", for messages; no
 * user name, password or query string, whatever the DSN's form. Owned by
 * the caller (free); NULL when out of memory.
 */
int pgconn_dsn_is_postgres(const char *text);
int pgconn_dsn_check(const char *dsn, char *err, size_t err_size);
int pgconn_dsn_looks_like_conninfo(const char *dsn);
char *pgconn_dsn_display(const char *dsn);

/*
 * Parses a value PostgreSQL returned as text (integer, numeric, float) as a
 * finite double. Returns 0, or -1 when text is empty, not entirely a
 * number, NaN or infinite.
 */
int pgconn_parse_number(const char *text, double *out);

#endif /* NBAQ_PGCONN_H */
