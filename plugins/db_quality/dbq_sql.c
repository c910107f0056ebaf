/*
 * dbq_sql.c - the SQL db_quality runs for one table. Identifiers arrive
 * quoted (PQescapeIdentifier); the filter is the operator's own SQL and is
 * only wrapped in parentheses, on lines of its own so that a trailing
 * comment in it cannot swallow the closing parenthesis.
 */
#include <stdio.h>
#include <string.h>

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

static int push_param(dbq_params *params, const char *value)
{
    params->values[params->count++] = value;
    return params->count;
}

void dbq_sql_invalid_condition(textbuf *sql, const dbq_column_spec *c,
                               const char *column, dbq_params *params)
{
    for (size_t i = 0; i < c->rule_count; i++) {
        textbuf_puts(sql, i > 0 ? " OR (" : "(");
        dbq_sql_rule_condition(sql, c->rules[i].kind, column,
                               push_param(params, c->rules[i].param));
        textbuf_puts(sql, ")");
    }
}

/* The statistics of a profile, NULL where the type has none: epoch
 * seconds for dates and timestamps; mean and stddev of numbers only. */
static void append_profile(textbuf *sql, const dbq_column_spec *c,
                           const char *column, dbq_type_class type)
{
    static const char *const quantiles[] = {"0.5", "0.95"};
    if (type == DBQ_TYPE_NUMBER)
        textbuf_printf(sql,
                       ", min(%s)::float8, max(%s)::float8, avg(%s)::float8, "
                       "stddev_samp(%s)::float8",
                       column, column, column, column);
    else if (type == DBQ_TYPE_TIME)
        textbuf_printf(sql,
                       ", EXTRACT(EPOCH FROM min(%s)), "
                       "EXTRACT(EPOCH FROM max(%s)), NULL, NULL",
                       column, column);
    else
        textbuf_puts(sql, ", NULL, NULL, NULL, NULL");
    for (size_t i = 0; i < 2; i++) {
        if (c->profile != DBQ_PROFILE_QUANTILES || type == DBQ_TYPE_OTHER ||
            type == DBQ_TYPE_TEXT || type == DBQ_TYPE_JSON)
            textbuf_puts(sql, ", NULL");
        else if (type == DBQ_TYPE_NUMBER)
            textbuf_printf(sql,
                           ", percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
                           quantiles[i], column);
        else
            textbuf_printf(sql,
                           ", EXTRACT(EPOCH FROM percentile_disc(%s) WITHIN "
                           "GROUP (ORDER BY %s))",
                           quantiles[i], column);
    }
}

int dbq_counts_values(const dbq_table_spec *spec, const dbq_column_spec *c)
{
    for (size_t i = 0; i < spec->critical_count; i++)
        if (strcmp(spec->critical_columns[i], c->name) == 0)
            return 0; /* rows - its NULLs, already counted */
    return c->rule_count > 0 || c->unique || c->profile != DBQ_PROFILE_OFF;
}

void dbq_sql_column_aggregates(textbuf *sql, const dbq_column_spec *c,
                               const char *column, int count_values,
                               dbq_params *params)
{
    if (count_values)
        textbuf_printf(sql, ", count(%s)", column);
    if (c->rule_count > 0) {
        textbuf_puts(sql, ", count(*) FILTER (WHERE ");
        dbq_sql_invalid_condition(sql, c, column, params);
        textbuf_puts(sql, ")");
    }
}

int dbq_needs_distinct(const dbq_column_spec *c)
{
    return c->unique || c->profile != DBQ_PROFILE_OFF;
}

/* count(DISTINCT) and percentile_cont are not parallel-safe aggregates: in
 * the main scan they would cost it its parallel workers, so they have a
 * statement of their own (docs/performance.md). Its own count(c), so that
 * with sampling the repeated values come from one sample. */
void dbq_sql_distinct(textbuf *sql, const dbq_table_spec *spec,
                      const dbq_quoted *q)
{
    /* A first column, so that every aggregate below starts with a comma. */
    textbuf_puts(sql, "SELECT NULL");
    for (size_t i = 0; i < spec->column_count; i++) {
        const dbq_column_spec *c = &spec->columns[i];
        if (!dbq_needs_distinct(c))
            continue;
        textbuf_printf(sql, ", count(%s), count(DISTINCT %s)", q->columns[i],
                       q->columns[i]);
        if (c->profile != DBQ_PROFILE_OFF)
            append_profile(sql, c, q->columns[i], q->column_types[i]);
    }
    append_from(sql, spec, q, 1);
    append_filter(sql, spec, " WHERE ");
}

void dbq_sql_scan(textbuf *sql, const dbq_table_spec *spec, const dbq_quoted *q,
                  int with_freshness, dbq_params *params)
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
    for (size_t i = 0; i < spec->column_count; i++)
        dbq_sql_column_aggregates(sql, &spec->columns[i], q->columns[i],
                                  dbq_counts_values(spec, &spec->columns[i]),
                                  params);
    append_from(sql, spec, q, 1);
    append_filter(sql, spec, " WHERE ");
}

void dbq_sql_from_filtered(textbuf *sql, const dbq_table_spec *spec,
                           const dbq_quoted *q)
{
    append_from(sql, spec, q, 0);
    textbuf_puts(sql, " WHERE TRUE");
    append_filter(sql, spec, " AND ");
}

void dbq_sql_sample_rows(textbuf *sql, const dbq_table_spec *spec,
                         const dbq_quoted *q, char *const *shown,
                         size_t shown_count, const char *condition)
{
    textbuf_puts(sql, "SELECT ");
    for (size_t i = 0; i < shown_count; i++)
        textbuf_printf(sql, "%s%s::text", i > 0 ? ", " : "", shown[i]);
    dbq_sql_from_filtered(sql, spec, q);
    textbuf_printf(sql, " AND (%s) LIMIT %d", condition, spec->samples);
}

void dbq_sql_repeated_values(textbuf *sql, const dbq_table_spec *spec,
                             const dbq_quoted *q, char *const *columns,
                             size_t count)
{
    textbuf_puts(sql, "SELECT ");
    for (size_t i = 0; i < count; i++)
        textbuf_printf(sql, "%s%s::text", i > 0 ? ", " : "", columns[i]);
    dbq_sql_from_filtered(sql, spec, q);
    textbuf_puts(sql, " AND num_nulls(");
    append_list(sql, columns, count);
    textbuf_puts(sql, ") = 0 GROUP BY ");
    append_list(sql, columns, count);
    textbuf_printf(sql, " HAVING count(*) > 1 LIMIT %d", spec->samples);
}

void dbq_sql_orphans(textbuf *sql, const dbq_table_spec *spec,
                     const dbq_quoted *q, const dbq_reference *ref,
                     char *const *columns, char *const *ref_columns,
                     const char *ref_table, char *const *shown,
                     size_t shown_count)
{
    textbuf_puts(sql, "SELECT ");
    if (shown == NULL)
        textbuf_puts(sql, "count(*)");
    for (size_t i = 0; shown != NULL && i < shown_count; i++)
        textbuf_printf(sql, "%snbaq_child.%s::text", i > 0 ? ", " : "",
                       shown[i]);
    textbuf_printf(sql, " FROM %s AS nbaq_child WHERE num_nulls(", q->table);
    for (size_t i = 0; i < ref->count; i++)
        textbuf_printf(sql, "%snbaq_child.%s", i > 0 ? ", " : "", columns[i]);
    textbuf_puts(sql, ") = 0");
    append_filter(sql, spec, " AND ");
    if (ref->filter != NULL)
        textbuf_printf(sql, " AND (\n%s\n)", ref->filter);
    textbuf_printf(sql,
                   " AND NOT EXISTS (SELECT 1 FROM %s AS nbaq_parent WHERE ",
                   ref_table);
    for (size_t i = 0; i < ref->count; i++)
        textbuf_printf(sql, "%snbaq_parent.%s = nbaq_child.%s",
                       i > 0 ? " AND " : "", ref_columns[i], columns[i]);
    textbuf_puts(sql, ")");
    if (shown != NULL)
        textbuf_printf(sql, " LIMIT %d", spec->samples);
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
