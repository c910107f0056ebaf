/*
 * sqlengine.h - one read-only SQL connection over PostgreSQL (libpq),
 * MariaDB/MySQL (MariaDB Connector/C) or any ODBC driver (unixODBC), so
 * that the database checkers run the same scans on every engine.
 *
 * The engine is chosen by the DSN:
 *   postgresql://... postgres://... or a libpq key=value string: PostgreSQL
 *   mysql://user:pass@host:3306/db or mariadb://...:             MariaDB
 *   odbc:DSN=warehouse;UID=...;PWD=...  (a connection string):   ODBC
 *
 * Safety rules, the same on every engine (limits in docs/db-quality.md):
 *   - connect with a connect timeout;
 *   - every statement runs in a read-only session/transaction with a
 *     server-side statement timeout (PostgreSQL statement_timeout, MariaDB
 *     max_statement_time, ODBC SQL_ATTR_QUERY_TIMEOUT);
 *   - one statement only; on MariaDB and ODBC it is prepared first and
 *     refused, unexecuted, when it returns no result set (it is not a
 *     query); on PostgreSQL the read-only transaction refuses writes, and
 *     sqlengine_plain_query refuses anything but a plain query first;
 *   - every error is one line "<engine>: <step>: <reason>" and never holds
 *     the password of the DSN (password=, PWD=, URL user info).
 *
 * Threads: one sqlengine per thread at a time.
 */
#ifndef NBAQ_SQLENGINE_H
#define NBAQ_SQLENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "pgconn.h"

typedef enum sqlengine_kind {
    SQLENGINE_POSTGRESQL,
    SQLENGINE_MARIADB,
    SQLENGINE_ODBC
} sqlengine_kind;

/* The SQL dialect the statements must be written in. Over ODBC it is read
 * from the driver (SQL_DBMS_NAME); OTHER: an engine nbaq knows nothing
 * about (no regex operator, no sampling). */
typedef enum sqlengine_dialect {
    SQLENGINE_DIALECT_POSTGRESQL,
    SQLENGINE_DIALECT_MYSQL,
    SQLENGINE_DIALECT_OTHER
} sqlengine_dialect;

typedef struct sqlengine sqlengine;

/* The same options as a PostgreSQL connection's: dsn (borrowed, must
 * outlive the sqlengine: it is used to redact messages; any engine's DSN
 * above), connect_timeout_ms (<= 0: the client library's default; whole
 * seconds, rounded up) and application_name (PostgreSQL application_name,
 * MariaDB program_name; not sent over ODBC; NULL: "nbaq"). */
typedef pgconn_options sqlengine_options;

/* A result: rows x columns of text cells (NULL for SQL NULL), owned by the
 * caller (sqlengine_result_free). Numbers come as the engine prints them;
 * read them with sqlengine_parse_number. */
typedef struct sqlengine_result {
    size_t rows;
    size_t columns;
    char **names; /* columns names */
    char **cells; /* rows * columns, row-major */
} sqlengine_result;

/* The cell at (row, column), or NULL (SQL NULL or out of range). */
const char *sqlengine_cell(const sqlengine_result *res, size_t row,
                           size_t column);
void sqlengine_result_free(sqlengine_result *res);

/* The engine a DSN names, from its prefix. Returns 0, or -1 with err filled
 * when no engine matches or its support was not built. */
int sqlengine_kind_of(const char *dsn, sqlengine_kind *out, char *err,
                      size_t err_size);

/* "PostgreSQL", "MariaDB", "ODBC". */
const char *sqlengine_kind_name(sqlengine_kind kind);

/* Non-zero when this build has the engine (NBAQ_WITH_MARIADB/_ODBC). */
int sqlengine_kind_built(sqlengine_kind kind);

/*
 * Connects and opens a read-only session. Returns a connection owned by the
 * caller (sqlengine_close), or NULL with err filled ("MariaDB: connect:
 * Access denied for user ...").
 */
sqlengine *sqlengine_open(const sqlengine_options *options, char *err,
                          size_t err_size);
void sqlengine_close(sqlengine *conn);

/* Whether the connection still works (PostgreSQL: the server did not close
 * it); non-zero when the engine cannot tell; 0 for NULL (no connection,
 * e.g. after a reconnect that failed). */
int sqlengine_is_usable(const sqlengine *conn);

sqlengine_kind sqlengine_kind_get(const sqlengine *conn);
sqlengine_dialect sqlengine_dialect_get(const sqlengine *conn);
/* The engine for messages: "PostgreSQL", "MariaDB", "ODBC (MySQL)"... */
const char *sqlengine_name(const sqlengine *conn);

/*
 * Starts a read-only transaction whose statements the server cancels after
 * statement_timeout_ms (<= 0: no limit). Returns 0 or -1 with err filled.
 */
int sqlengine_begin(sqlengine *conn, int64_t statement_timeout_ms, char *err,
                    size_t err_size);
/* Rolls back; safe after a failed statement. */
void sqlengine_end(sqlengine *conn);

/*
 * Runs one query with text parameters, written in the statement as
 * sqlengine_placeholder() gives them. step names what the query is for in
 * an error ("row count"). Returns 0 and *out (caller frees), or -1 with
 * err filled ("MariaDB: row count: Table 'db.t' doesn't exist").
 */
int sqlengine_query(sqlengine *conn, const char *step, const char *sql,
                    int nparams, const char *const *params,
                    sqlengine_result **out, char *err, size_t err_size);

/*
 * Runs sql, text from the config (sql_metric's query), only as one plain
 * query that returns rows; anything else is refused before it runs.
 * PostgreSQL: pgconn_plain_query (SQL PREPARE refuses utility statements,
 * the prepared statement must describe rows); MariaDB and ODBC: prepared,
 * and refused when it describes no result set. In every case inside the
 * read-only transaction, which refuses writes hidden in a query.
 * Returns what sqlengine_query returns.
 */
int sqlengine_plain_query(sqlengine *conn, const char *step, const char *sql,
                          sqlengine_result **out, char *err, size_t err_size);

/* The marker of parameter index (1-based): "$1" on PostgreSQL, "?"
 * elsewhere. Writes into out (at least 16 bytes). */
void sqlengine_placeholder(const sqlengine *conn, int index, char *out,
                           size_t size);

/* Writes name quoted as an identifier of the dialect ("a""b", `a``b`).
 * Returns 0, or -1 (empty name, NUL-free but too long for out) with err. */
int sqlengine_quote_identifier(const sqlengine *conn, const char *name,
                               char *out, size_t size, char *err,
                               size_t err_size);

/* The binary operator "text matches regex" ("~", "REGEXP"), or NULL with
 * err saying why the engine has none. */
const char *sqlengine_regex_operator(const sqlengine *conn, char *err,
                                     size_t err_size);

/* Writes an aggregate counting the rows where condition (SQL) holds:
 * "count(*) FILTER (WHERE c)" on PostgreSQL, "COUNT(CASE WHEN c THEN 1
 * END)" elsewhere. Returns 0, or -1 when out is too small. */
int sqlengine_count_if(const sqlengine *conn, const char *condition, char *out,
                       size_t size);

/* Writes an expression for the seconds between the newest value of a
 * timestamp column (quoted) and the server's now. Returns 0, or -1 with
 * err filled when nbaq knows no such expression for the engine. */
int sqlengine_age_seconds(const sqlengine *conn, const char *column, char *out,
                          size_t size, char *err, size_t err_size);

/* A column as the catalog describes it. type is normalised (see
 * sqlengine_catalog.c): integer, decimal, float, boolean, text, date,
 * time, timestamp, binary, json, uuid, other. */
typedef struct sqlengine_column {
    char name[128];
    char type[16];
    char engine_type[64]; /* as the engine names it */
    int nullable;
} sqlengine_column;

/*
 * The columns of schema.table in order (schema NULL or "": the connection's
 * default schema/database). Returns the count (0: no such table) with
 * *out an array owned by the caller (free), or -1 with err filled.
 */
int sqlengine_columns(sqlengine *conn, const char *schema, const char *table,
                      sqlengine_column **out, char *err, size_t err_size);

/* The normalised name of an engine's type name (see above). */
const char *sqlengine_normal_type(const char *engine_type);

/* A finite number written as text (engines print numbers in plain decimal
 * or exponent form). Returns 0, or -1. */
int sqlengine_parse_number(const char *text, double *out);

#endif /* NBAQ_SQLENGINE_H */
