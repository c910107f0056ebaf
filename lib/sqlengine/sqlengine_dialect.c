/*
 * sqlengine_dialect.c - the SQL expressions that differ between PostgreSQL,
 * MySQL/MariaDB and engines nbaq does not know (see sqlengine_dialect.h).
 */
#include <stdio.h>

#include "sqlengine_backend.h"
#include "sqlengine_dialect.h"

static int is_pg(sqlengine_syntax d)
{
    return d.dialect == SQLENGINE_DIALECT_POSTGRESQL;
}

static int is_mysql(sqlengine_syntax d)
{
    return d.dialect == SQLENGINE_DIALECT_MYSQL;
}

const char *sqlengine_dialect_lacks(const sqlengine *conn,
                                    sqlengine_feature feature)
{
    if (feature == SQLENGINE_FEATURE_PERCENTILE &&
        sqlengine_percentiles_of(conn) == SQLENGINE_PERCENTILE_NONE)
        return conn->dialect == SQLENGINE_DIALECT_MYSQL
                   ? "MySQL has no percentile function (MariaDB 10.3+ has)"
                   : "nbaq knows no percentile function for this engine";
    if (conn->dialect != SQLENGINE_DIALECT_OTHER)
        return NULL;
    switch (feature) {
    case SQLENGINE_FEATURE_REGEX:
        return "nbaq knows no regular-expression operator for this engine";
    case SQLENGINE_FEATURE_CLOCK:
        return "nbaq knows no clock-plus-interval expression for this engine";
    case SQLENGINE_FEATURE_EPOCH:
        return "nbaq knows no epoch expression for dates on this engine";
    case SQLENGINE_FEATURE_SAMPLE:
        return "nbaq knows no sampling clause for this engine (it never "
               "falls back to a full scan silently)";
    default:
        return NULL;
    }
}

sqlengine_percentiles sqlengine_percentiles_of(const sqlengine *conn)
{
    if (conn->dialect == SQLENGINE_DIALECT_POSTGRESQL)
        return SQLENGINE_PERCENTILE_AGGREGATE;
    return conn->window_percentiles ? SQLENGINE_PERCENTILE_WINDOW
                                    : SQLENGINE_PERCENTILE_NONE;
}

sqlengine_syntax sqlengine_syntax_of(const sqlengine *conn)
{
    return (sqlengine_syntax){.dialect = conn->dialect,
                              .positional_params =
                                  conn->kind != SQLENGINE_POSTGRESQL};
}

void sqlengine_sql_placeholder(textbuf *sql, sqlengine_syntax d, int index)
{
    if (!d.positional_params && is_pg(d))
        textbuf_printf(sql, "$%d", index);
    else
        textbuf_putc(sql, '?');
}

const char *sqlengine_sql_count_if_open(sqlengine_syntax d)
{
    return is_pg(d) ? "count(*) FILTER (WHERE " : "COUNT(CASE WHEN ";
}

const char *sqlengine_sql_count_if_close(sqlengine_syntax d)
{
    return is_pg(d) ? ")" : " THEN 1 END)";
}

void sqlengine_sql_none_null(textbuf *sql, sqlengine_syntax d,
                             const char *prefix, char *const *columns,
                             size_t count)
{
    textbuf_puts(sql, is_pg(d) ? "num_nulls(" : "(");
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            textbuf_puts(sql, is_pg(d) ? ", " : " AND ");
        textbuf_printf(sql, "%s%s%s", prefix, columns[i],
                       is_pg(d) ? "" : " IS NOT NULL");
    }
    textbuf_puts(sql, is_pg(d) ? ") = 0" : ")");
}

void sqlengine_sql_as_text(textbuf *sql, sqlengine_syntax d, const char *expr)
{
    textbuf_printf(sql, is_pg(d) ? "%s::text" : "%s", expr);
}

void sqlengine_sql_exact_text(textbuf *sql, sqlengine_syntax d,
                              const char *expr)
{
    /* The bytes of the text in the connection's utf8mb4 (as the parameters
     * compared with it), whatever the column's character set; binary, so
     * case-sensitive and without PAD SPACE ('AA ' is not 'AA'). */
    textbuf_printf(
        sql, is_mysql(d) ? "CAST(CONVERT(%s USING utf8mb4) AS BINARY)" : "%s",
        expr);
}

void sqlengine_sql_double(textbuf *sql, sqlengine_syntax d, const char *expr)
{
    if (is_pg(d))
        textbuf_printf(sql, "%s::float8", expr);
    else if (is_mysql(d))
        textbuf_printf(sql, "(%s) + 0e0", expr);
    else
        textbuf_printf(sql, "CAST(%s AS DOUBLE PRECISION)", expr);
}

int sqlengine_sql_regex_mismatch(textbuf *sql, sqlengine_syntax d,
                                 const char *expr, int param)
{
    if (is_pg(d)) {
        textbuf_printf(sql, "%s !~ ", expr);
        sqlengine_sql_placeholder(sql, d, param);
    } else if (is_mysql(d))
        textbuf_printf(sql, "NOT (%s REGEXP CONCAT('(?-i)', ?))", expr);
    else
        return -1;
    return 0;
}

int sqlengine_sql_regex_valid(textbuf *sql, sqlengine_syntax d)
{
    if (is_pg(d)) {
        textbuf_puts(sql, "SELECT '' ~ ");
        sqlengine_sql_placeholder(sql, d, 1);
    } else if (is_mysql(d))
        textbuf_puts(sql, "SELECT '' REGEXP CONCAT('(?-i)', ?)");
    else
        return -1;
    return 0;
}

int sqlengine_sql_after_now_ms(textbuf *sql, sqlengine_syntax d,
                               const char *expr, int param)
{
    if (is_pg(d)) {
        textbuf_printf(sql, "%s > now() + ", expr);
        sqlengine_sql_placeholder(sql, d, param);
        textbuf_puts(sql, "::bigint * interval '1 millisecond'");
    } else if (is_mysql(d))
        textbuf_printf(sql, "%s > NOW(6) + INTERVAL (? * 1000) MICROSECOND",
                       expr);
    else
        return -1;
    return 0;
}

/* expr in the format of its dialect; -1 for a dialect without one. */
static int write_by_dialect(textbuf *sql, sqlengine_syntax d,
                            const char *pg_format, const char *mysql_format,
                            const char *expr)
{
    const char *format = is_pg(d)      ? pg_format
                         : is_mysql(d) ? mysql_format
                                       : NULL;
    if (format == NULL)
        return -1;
    textbuf_printf(sql, format, expr);
    return 0;
}

int sqlengine_sql_age_seconds(textbuf *sql, sqlengine_syntax d,
                              const char *column)
{
    return write_by_dialect(
        sql, d, "EXTRACT(EPOCH FROM now() - max(%s)::timestamptz)",
        "TIMESTAMPDIFF(MICROSECOND, MAX(%s), NOW(6)) / 1000000", column);
}

int sqlengine_sql_epoch(textbuf *sql, sqlengine_syntax d, const char *expr)
{
    return write_by_dialect(
        sql, d, "EXTRACT(EPOCH FROM %s)",
        "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', %s) / 1e6", expr);
}

int sqlengine_sql_day_epoch(textbuf *sql, sqlengine_syntax d, const char *expr)
{
    return write_by_dialect(
        sql, d,
        "extract(epoch FROM date_trunc('day', %s::timestamptz))::bigint",
        "TIMESTAMPDIFF(SECOND, '1970-01-01', DATE(%s))", expr);
}

int sqlengine_sql_sample(sqlengine_syntax d, double percent, int bernoulli,
                         textbuf *after_table, textbuf *condition)
{
    if (is_pg(d))
        textbuf_printf(after_table, " TABLESAMPLE %s (%.15g)",
                       bernoulli ? "BERNOULLI" : "SYSTEM", percent);
    else if (is_mysql(d))
        textbuf_printf(condition, "RAND() < %.15g", percent / 100.0);
    else
        return -1;
    return 0;
}

void sqlengine_sql_limit(textbuf *sql, sqlengine_syntax d, int n)
{
    textbuf_printf(sql,
                   d.dialect == SQLENGINE_DIALECT_OTHER
                       ? " FETCH FIRST %d ROWS ONLY"
                       : " LIMIT %d",
                   n);
}

const char *sqlengine_sql_true(sqlengine_syntax d)
{
    return d.dialect == SQLENGINE_DIALECT_OTHER ? "1 = 1" : "TRUE";
}
