/*
 * sqlengine_dialect.h - the SQL expressions that differ between dialects,
 * appended to a textbuf without a connection, so that a checker's statement
 * builders stay generic and name only the syntax (sqlengine_syntax_of).
 *
 * Functions that return int give 0, or -1 when the dialect has no such
 * expression (SQLENGINE_DIALECT_OTHER: an ODBC DBMS nbaq does not know);
 * sqlengine_dialect_lacks() then says why, for the checker's refusal.
 * Expressions (expr, column) arrive quoted or built by the caller.
 */
#ifndef NBAQ_SQLENGINE_DIALECT_H
#define NBAQ_SQLENGINE_DIALECT_H

#include "sqlengine.h"
#include "textbuf.h"

/* How statements are written for a connection: its dialect, and whether
 * parameters are "?" (every engine but native PostgreSQL, including
 * PostgreSQL over ODBC) rather than "$n". */
typedef struct sqlengine_syntax {
    sqlengine_dialect dialect;
    int positional_params;
} sqlengine_syntax;

sqlengine_syntax sqlengine_syntax_of(const sqlengine *conn);

/* What a dialect may lack, for sqlengine_dialect_lacks. */
typedef enum sqlengine_feature {
    SQLENGINE_FEATURE_REGEX,
    SQLENGINE_FEATURE_CLOCK,  /* now() plus an interval                   */
    SQLENGINE_FEATURE_EPOCH,  /* seconds since 1970 of a date/timestamp   */
    SQLENGINE_FEATURE_SAMPLE, /* reading a part of a table                */
    SQLENGINE_FEATURE_PERCENTILE
} sqlengine_feature;

/* NULL when the connection's engine has the feature, else the reason
 * ("nbaq knows no regular-expression operator for this engine"). */
const char *sqlengine_dialect_lacks(const sqlengine *conn,
                                    sqlengine_feature feature);

/* How the connection's engine computes percentiles:
 *   AGGREGATE  percentile_cont(p) WITHIN GROUP (ORDER BY x) (PostgreSQL)
 *   WINDOW     the same as a window function, OVER () (MariaDB 10.3+)
 *   NONE       not at all (MySQL 8, engines nbaq does not know). */
typedef enum sqlengine_percentiles {
    SQLENGINE_PERCENTILE_AGGREGATE,
    SQLENGINE_PERCENTILE_WINDOW,
    SQLENGINE_PERCENTILE_NONE
} sqlengine_percentiles;
sqlengine_percentiles sqlengine_percentiles_of(const sqlengine *conn);

/* "$3" on native PostgreSQL, "?" elsewhere. */
void sqlengine_sql_placeholder(textbuf *sql, sqlengine_syntax d, int index);

/* An aggregate counting the rows where a condition holds, written between
 * the two: "count(*) FILTER (WHERE " cond ")" or "COUNT(CASE WHEN " cond
 * " THEN 1 END)". */
const char *sqlengine_sql_count_if_open(sqlengine_syntax d);
const char *sqlengine_sql_count_if_close(sqlengine_syntax d);

/* True when none of columns (each prefixed by prefix, e.g. "c.") is NULL:
 * "num_nulls(a, b) = 0" on PostgreSQL (right for composite values too),
 * "(a IS NOT NULL AND b IS NOT NULL)" elsewhere. */
void sqlengine_sql_none_null(textbuf *sql, sqlengine_syntax d,
                             const char *prefix, char *const *columns,
                             size_t count);

/* A value for display: "expr::text" on PostgreSQL; elsewhere expr as it
 * is, every client reading cells as text. */
void sqlengine_sql_as_text(textbuf *sql, sqlengine_syntax d, const char *expr);

/* A text value compared byte for byte: on MySQL/MariaDB "CAST(CONVERT(expr
 * USING utf8mb4) AS BINARY)", since their default collations ignore case
 * and trailing spaces, and the parameters it is compared with arrive in the
 * connection's utf8mb4 whatever the column's character set (latin1 'é' is
 * one byte, UTF-8's two); elsewhere expr (PostgreSQL's default collations
 * are exact). */
void sqlengine_sql_exact_text(textbuf *sql, sqlengine_syntax d,
                              const char *expr);

/* A number as a double: "expr::float8", "(expr) + 0e0" (MySQL: a DOUBLE,
 * where AVG of integers would be a 4-digit DECIMAL), "CAST(expr AS DOUBLE
 * PRECISION)". */
void sqlengine_sql_double(textbuf *sql, sqlengine_syntax d, const char *expr);

/* Whether expr does NOT match the regex of parameter `param`, case
 * sensitive on every engine: "expr !~ $n", "NOT (expr REGEXP CONCAT('(?-i)',
 * ?))" (MySQL's REGEXP follows the collation; (?-i) makes it exact). */
int sqlengine_sql_regex_mismatch(textbuf *sql, sqlengine_syntax d,
                                 const char *expr, int param);

/* A one-row statement that fails when parameter 1 is not a regex the
 * server takes. */
int sqlengine_sql_regex_valid(textbuf *sql, sqlengine_syntax d);

/* Whether expr is later than the server's clock plus parameter `param`
 * milliseconds (an integer as text). */
int sqlengine_sql_after_now_ms(textbuf *sql, sqlengine_syntax d,
                               const char *expr, int param);

/* Seconds between the newest value of a timestamp column and the server's
 * clock: "EXTRACT(EPOCH FROM now() - max(c)::timestamptz)" on PostgreSQL;
 * on MySQL both in the session's time zone, as DATETIME and TIMESTAMP
 * columns are read. */
int sqlengine_sql_age_seconds(textbuf *sql, sqlengine_syntax d,
                              const char *column);

/* Seconds since 1970-01-01 00:00 of a date or timestamp, fractional:
 * a timestamp without time zone is read as UTC on every engine. */
int sqlengine_sql_epoch(textbuf *sql, sqlengine_syntax d, const char *expr);

/* Whole seconds since 1970 of the start of expr's UTC day (PostgreSQL: the
 * caller sets TimeZone to UTC for timestamptz; MySQL: DATE(expr), the day
 * in the session's time zone for TIMESTAMP columns). */
int sqlengine_sql_day_epoch(textbuf *sql, sqlengine_syntax d, const char *expr);

/* Sampling about percent % of a table's rows: text to append after the
 * table name (PostgreSQL " TABLESAMPLE SYSTEM (p)", or BERNOULLI) and/or
 * a condition for its WHERE (MySQL "RAND() < p / 100": a Bernoulli sample
 * of rows, whatever bernoulli says, since MySQL has no TABLESAMPLE). */
int sqlengine_sql_sample(sqlengine_syntax d, double percent, int bernoulli,
                         textbuf *after_table, textbuf *condition);

/* " LIMIT n", or the standard " FETCH FIRST n ROWS ONLY" for an engine
 * nbaq does not know. */
void sqlengine_sql_limit(textbuf *sql, sqlengine_syntax d, int n);

/* "TRUE" where the dialect has it, else "1 = 1". */
const char *sqlengine_sql_true(sqlengine_syntax d);

#endif
