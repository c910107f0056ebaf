/*
 * dbq_sql.c - the SQL db_quality runs for one table. Identifiers arrive
 * quoted (PQescapeIdentifier); the filter is the operator's own SQL and is
 * only wrapped in parentheses, on lines of its own so that a trailing
 * comment in it cannot swallow the closing parenthesis.
 */
#include <stdio.h>

#include "dbq.h"

const char dbq_sql_columns[] =
    "SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
    "format_type(a.atttypid, NULL), NOT a.attnotnull, "
    "t.typtype IN ('c', 'd') "
    "FROM pg_catalog.pg_attribute a "
    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "WHERE a.attrelid = $1::regclass AND a.attnum > 0 "
    "AND NOT a.attisdropped ORDER BY a.attnum";

void dbq_sql_types(textbuf *sql, size_t count)
{
    textbuf_puts(sql, "SELECT ");
    for (size_t i = 0; i < count; i++)
        textbuf_printf(sql, "%sformat_type(to_regtype($%zu), NULL)",
                       i > 0 ? ", " : "", i + 1);
}

static void append_from(textbuf *sql, const dbq_table_spec *spec,
                        const dbq_quoted *q, int sampled)
{
    textbuf_printf(sql, " FROM %s", q->table);
    if (sampled && spec->sample_percent > 0)
        textbuf_printf(sql, " TABLESAMPLE %s (%.15g)",
                       spec->sample_bernoulli ? "BERNOULLI" : "SYSTEM",
                       spec->sample_percent);
}

/* keyword (" WHERE " or " AND ") and the filter, when there is one. */
static void append_filter(textbuf *sql, const dbq_table_spec *spec,
                          const char *keyword)
{
    if (spec->filter != NULL)
        textbuf_printf(sql, "%s(\n%s\n)", keyword, spec->filter);
}

static void append_list(textbuf *sql, char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        textbuf_printf(sql, "%s%s", i > 0 ? ", " : "", names[i]);
}

static void append_freshness_age(textbuf *sql, const dbq_quoted *q)
{
    textbuf_printf(sql, "EXTRACT(EPOCH FROM now() - max(%s)::timestamptz)",
                   q->freshness);
}

/* "c IS NULL", or for a composite (or domain) column "num_nulls(c) = 1":
 * "c IS NULL" is also true for a row value whose fields are all NULL, which
 * count(c) would count as a value. */
static void append_is_null(textbuf *sql, const dbq_quoted *q, size_t i)
{
    int composite = q->critical_composite != NULL && q->critical_composite[i];
    textbuf_printf(sql, composite ? "num_nulls(%s) = 1" : "%s IS NULL",
                   q->critical[i]);
}

void dbq_sql_scan(textbuf *sql, const dbq_table_spec *spec, const dbq_quoted *q,
                  int with_freshness)
{
    /* count(*) FILTER (WHERE c IS NULL) calls the aggregate only for the
     * NULL rows, unlike count(*) - count(c): measured faster (see
     * docs/performance.md). */
    textbuf_puts(sql, "SELECT count(*)");
    for (size_t i = 0; i < spec->critical_count; i++) {
        textbuf_puts(sql, ", count(*) FILTER (WHERE ");
        append_is_null(sql, q, i);
        textbuf_puts(sql, ")");
    }
    if (spec->critical_count > 0) {
        textbuf_puts(sql, ", count(*) FILTER (WHERE ");
        for (size_t i = 0; i < spec->critical_count; i++) {
            if (i > 0)
                textbuf_puts(sql, " OR ");
            append_is_null(sql, q, i);
        }
        textbuf_puts(sql, ")");
    }
    if (with_freshness) {
        textbuf_puts(sql, ", ");
        append_freshness_age(sql, q);
    }
    append_from(sql, spec, q, 1);
    append_filter(sql, spec, " WHERE ");
}

void dbq_sql_duplicates(textbuf *sql, const dbq_table_spec *spec,
                        const dbq_quoted *q)
{
    textbuf_puts(sql, "SELECT coalesce(sum(n - 1), 0), count(*) FROM "
                      "(SELECT count(*) AS n");
    append_from(sql, spec, q, 1);
    /* A key with a NULL part is not equal to any other, as in a UNIQUE
     * constraint. */
    textbuf_puts(sql, " WHERE num_nulls(");
    append_list(sql, q->keys, spec->key_count);
    textbuf_puts(sql, ") = 0");
    append_filter(sql, spec, " AND ");
    textbuf_puts(sql, " GROUP BY ");
    append_list(sql, q->keys, spec->key_count);
    textbuf_puts(sql, " HAVING count(*) > 1) AS repeated");
}

void dbq_sql_freshness(textbuf *sql, const dbq_table_spec *spec,
                       const dbq_quoted *q)
{
    textbuf_puts(sql, "SELECT ");
    append_freshness_age(sql, q);
    append_from(sql, spec, q, 0);
    append_filter(sql, spec, " WHERE ");
}
