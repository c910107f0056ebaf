/*
 * dbq_sql.c - the SQL db_quality runs for one table, in the dialect of
 * q->syntax (its expressions from sqlengine_dialect.h). Identifiers arrive
 * quoted; the filter is the operator's own SQL and is only wrapped in
 * parentheses, on lines of its own so that a trailing comment in it cannot
 * swallow the closing parenthesis.
 */
#include <stdio.h>
#include <string.h>

#include "dbq.h"

void dbq_sql_columns(textbuf *sql, sqlengine_syntax d)
{
    textbuf_puts(sql, "SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
                      "format_type(a.atttypid, NULL), NOT a.attnotnull, "
                      "t.typtype IN ('c', 'd') "
                      "FROM pg_catalog.pg_attribute a "
                      "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                      "WHERE a.attrelid = ");
    sqlengine_sql_placeholder(sql, d, 1);
    textbuf_puts(sql, "::regclass AND a.attnum > 0 "
                      "AND NOT a.attisdropped ORDER BY a.attnum");
}

void dbq_sql_types(textbuf *sql, sqlengine_syntax d, size_t count)
{
    textbuf_puts(sql, "SELECT ");
    for (size_t i = 0; i < count; i++) {
        textbuf_printf(sql, "%sformat_type(to_regtype(", i > 0 ? ", " : "");
        sqlengine_sql_placeholder(sql, d, (int)i + 1);
        textbuf_puts(sql, "), NULL)");
    }
}

/* " FROM t", sampled: with the sample clause (PostgreSQL's TABLESAMPLE)
 * and a condition for the WHERE (MySQL's RAND()) into sample_condition. */
static void append_from(textbuf *sql, const dbq_table_spec *spec,
                        const dbq_quoted *q, int sampled,
                        textbuf *sample_condition)
{
    textbuf_printf(sql, " FROM %s", q->table);
    if (sampled && spec->sample_percent > 0 &&
        sqlengine_sql_sample(q->syntax, spec->sample_percent,
                             spec->sample_bernoulli, sql,
                             sample_condition) != 0)
        textbuf_fail(sql);
}

/* " WHERE " and, joined by AND: first (NULL: none), the sample's condition
 * and the filter; nothing when there is none of them. */
static void append_where(textbuf *sql, const dbq_table_spec *spec,
                         const char *first, const textbuf *sample_condition)
{
    const char *keyword = " WHERE ";
    if (first != NULL) {
        textbuf_printf(sql, "%s%s", keyword, first);
        keyword = " AND ";
    }
    if (sample_condition != NULL && sample_condition->len > 0) {
        textbuf_printf(sql, "%s%s", keyword, sample_condition->data);
        keyword = " AND ";
    }
    if (spec->filter != NULL)
        textbuf_printf(sql, "%s(\n%s\n)", keyword, spec->filter);
}

/* FROM the table, sampled or not, and the WHERE of append_where. */
static void append_from_where(textbuf *sql, const dbq_table_spec *spec,
                              const dbq_quoted *q, int sampled,
                              const char *first)
{
    textbuf condition;
    textbuf_init(&condition);
    append_from(sql, spec, q, sampled, &condition);
    if (textbuf_failed(&condition))
        textbuf_fail(sql);
    append_where(sql, spec, first, &condition);
    textbuf_free(&condition);
}

static void append_list(textbuf *sql, char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        textbuf_printf(sql, "%s%s", i > 0 ? ", " : "", names[i]);
}

static void append_freshness_age(textbuf *sql, const dbq_quoted *q)
{
    if (sqlengine_sql_age_seconds(sql, q->syntax, q->freshness) != 0)
        textbuf_fail(sql);
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

void dbq_sql_invalid_condition(textbuf *sql, const dbq_quoted *q,
                               const dbq_column_spec *c, size_t i,
                               dbq_params *params)
{
    for (size_t k = 0; k < c->rule_count; k++) {
        textbuf_puts(sql, k > 0 ? " OR (" : "(");
        dbq_sql_rule_condition(
            sql, q->syntax, &c->rules[k], q->columns[i], q->column_types[i],
            q->literal_kinds != NULL ? q->literal_kinds[i] : DBQ_LITERAL_ANY,
            params);
        textbuf_puts(sql, ")");
    }
}

/* ", " and the expression wrapped by wrap (an sqlengine_sql_* writer) around
 * "aggregate(column)". */
static void append_wrapped(textbuf *sql, const dbq_quoted *q,
                           const char *aggregate, const char *column,
                           int (*wrap)(textbuf *, sqlengine_syntax,
                                       const char *))
{
    textbuf inner;
    textbuf_init(&inner);
    textbuf_printf(&inner, "%s(%s)", aggregate, column);
    textbuf_puts(sql, ", ");
    if (textbuf_failed(&inner) || wrap(sql, q->syntax, inner.data) != 0)
        textbuf_fail(sql);
    textbuf_free(&inner);
}

static int as_double(textbuf *sql, sqlengine_syntax d, const char *expr)
{
    sqlengine_sql_double(sql, d, expr);
    return 0;
}

/* The mean: of the values as doubles outside PostgreSQL, where AVG of
 * integers would be a 4-digit DECIMAL (MySQL). */
static void append_mean(textbuf *sql, const dbq_quoted *q, const char *column)
{
    if (q->syntax.dialect == SQLENGINE_DIALECT_POSTGRESQL) {
        append_wrapped(sql, q, "avg", column, as_double);
        return;
    }
    textbuf_puts(sql, ", avg(");
    sqlengine_sql_double(sql, q->syntax, column);
    textbuf_puts(sql, ")");
}

int dbq_window_quantiles(const dbq_quoted *q, const dbq_column_spec *c,
                         size_t i)
{
    dbq_type_class type = q->column_types[i];
    return c->profile == DBQ_PROFILE_QUANTILES &&
           (type == DBQ_TYPE_NUMBER || type == DBQ_TYPE_TIME) &&
           q->percentiles == SQLENGINE_PERCENTILE_WINDOW;
}

/* p50 and p95 as aggregates (PostgreSQL), else NULL (none, or from
 * dbq_sql_window_quantiles). */
static void append_quantiles(textbuf *sql, const dbq_quoted *q,
                             const dbq_column_spec *c, size_t i)
{
    static const char *const quantiles[] = {"0.5", "0.95"};
    const char *column = q->columns[i];
    dbq_type_class type = q->column_types[i];
    for (size_t k = 0; k < 2; k++) {
        if (c->profile != DBQ_PROFILE_QUANTILES || type == DBQ_TYPE_OTHER ||
            type == DBQ_TYPE_TEXT || type == DBQ_TYPE_JSON ||
            q->percentiles != SQLENGINE_PERCENTILE_AGGREGATE)
            textbuf_puts(sql, ", NULL");
        else if (type == DBQ_TYPE_NUMBER)
            textbuf_printf(sql,
                           ", percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
                           quantiles[k], column);
        else
            textbuf_printf(sql,
                           ", EXTRACT(EPOCH FROM percentile_disc(%s) WITHIN "
                           "GROUP (ORDER BY %s))",
                           quantiles[k], column);
    }
}

/* The statistics of a profile, NULL where the type has none: epoch
 * seconds for dates and timestamps; mean and stddev of numbers only. */
static void append_profile(textbuf *sql, const dbq_quoted *q,
                           const dbq_column_spec *c, size_t i)
{
    const char *column = q->columns[i];
    dbq_type_class type = q->column_types[i];
    if (type == DBQ_TYPE_NUMBER) {
        append_wrapped(sql, q, "min", column, as_double);
        append_wrapped(sql, q, "max", column, as_double);
        append_mean(sql, q, column);
        append_wrapped(sql, q, "stddev_samp", column, as_double);
    } else if (type == DBQ_TYPE_TIME) {
        append_wrapped(sql, q, "min", column, sqlengine_sql_epoch);
        append_wrapped(sql, q, "max", column, sqlengine_sql_epoch);
        textbuf_puts(sql, ", NULL, NULL");
    } else {
        textbuf_puts(sql, ", NULL, NULL, NULL, NULL");
    }
    append_quantiles(sql, q, c, i);
}

void dbq_sql_window_quantiles(textbuf *sql, const dbq_table_spec *spec,
                              const dbq_quoted *q, size_t i)
{
    static const char *const quantiles[] = {"0.5", "0.95"};
    const char *column = q->columns[i];
    int number = q->column_types[i] == DBQ_TYPE_NUMBER;
    textbuf_puts(sql, "SELECT ");
    for (size_t k = 0; k < 2; k++) {
        textbuf window;
        textbuf_init(&window);
        textbuf_printf(&window, "%s(%s) WITHIN GROUP (ORDER BY %s) OVER ()",
                       number ? "PERCENTILE_CONT" : "PERCENTILE_DISC",
                       quantiles[k], column);
        textbuf_puts(sql, k > 0 ? ", " : "");
        if (textbuf_failed(&window))
            textbuf_fail(sql);
        else if (number)
            textbuf_puts(sql, window.data);
        else if (sqlengine_sql_epoch(sql, q->syntax, window.data) != 0)
            textbuf_fail(sql);
        textbuf_free(&window);
    }
    textbuf first;
    textbuf_init(&first);
    textbuf_printf(&first, "%s IS NOT NULL", column);
    append_from_where(sql, spec, q, 1, first.data);
    if (textbuf_failed(&first))
        textbuf_fail(sql);
    textbuf_free(&first);
    sqlengine_sql_limit(sql, q->syntax, 1);
}

int dbq_counts_values(const dbq_table_spec *spec, const dbq_column_spec *c)
{
    for (size_t i = 0; i < spec->critical_count; i++)
        if (strcmp(spec->critical_columns[i], c->name) == 0)
            return 0; /* rows - its NULLs, already counted */
    return c->rule_count > 0 || c->unique || c->profile != DBQ_PROFILE_OFF;
}

void dbq_sql_column_aggregates(textbuf *sql, const dbq_quoted *q,
                               const dbq_column_spec *c, size_t i,
                               int count_values, dbq_params *params)
{
    if (count_values)
        textbuf_printf(sql, ", count(%s)", q->columns[i]);
    if (c->rule_count > 0) {
        textbuf_printf(sql, ", %s", sqlengine_sql_count_if_open(q->syntax));
        dbq_sql_invalid_condition(sql, q, c, i, params);
        textbuf_puts(sql, sqlengine_sql_count_if_close(q->syntax));
    }
}

/* A column as its values are compared for distinctness: text byte for
 * byte on every engine. */
static void append_exact(textbuf *sql, const dbq_quoted *q, const char *column,
                         dbq_type_class type)
{
    if (type == DBQ_TYPE_TEXT)
        sqlengine_sql_exact_text(sql, q->syntax, column);
    else
        textbuf_puts(sql, column);
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
        textbuf_printf(sql, ", count(%s), count(DISTINCT ", q->columns[i]);
        append_exact(sql, q, q->columns[i], q->column_types[i]);
        textbuf_puts(sql, ")");
        if (c->profile != DBQ_PROFILE_OFF)
            append_profile(sql, q, c, i);
    }
    append_from_where(sql, spec, q, 1, NULL);
}

void dbq_sql_scan(textbuf *sql, const dbq_table_spec *spec, const dbq_quoted *q,
                  int with_freshness, dbq_params *params)
{
    /* count(*) FILTER (WHERE c IS NULL) calls the aggregate only for the
     * NULL rows, unlike count(*) - count(c): measured faster (see
     * docs/performance.md). */
    const char *open = sqlengine_sql_count_if_open(q->syntax);
    const char *close = sqlengine_sql_count_if_close(q->syntax);
    textbuf_puts(sql, "SELECT count(*)");
    for (size_t i = 0; i < spec->critical_count; i++) {
        textbuf_printf(sql, ", %s", open);
        append_is_null(sql, q, i);
        textbuf_puts(sql, close);
    }
    if (spec->critical_count > 0) {
        textbuf_printf(sql, ", %s", open);
        for (size_t i = 0; i < spec->critical_count; i++) {
            if (i > 0)
                textbuf_puts(sql, " OR ");
            append_is_null(sql, q, i);
        }
        textbuf_puts(sql, close);
    }
    if (with_freshness) {
        textbuf_puts(sql, ", ");
        append_freshness_age(sql, q);
    }
    for (size_t i = 0; i < spec->column_count; i++)
        dbq_sql_column_aggregates(sql, q, &spec->columns[i], i,
                                  dbq_counts_values(spec, &spec->columns[i]),
                                  params);
    append_from_where(sql, spec, q, 1, NULL);
}

void dbq_sql_from_filtered(textbuf *sql, const dbq_table_spec *spec,
                           const dbq_quoted *q)
{
    append_from_where(sql, spec, q, 0, sqlengine_sql_true(q->syntax));
}

void dbq_sql_sample_rows(textbuf *sql, const dbq_table_spec *spec,
                         const dbq_quoted *q, char *const *shown,
                         size_t shown_count, const char *condition)
{
    textbuf_puts(sql, "SELECT ");
    for (size_t i = 0; i < shown_count; i++) {
        textbuf_puts(sql, i > 0 ? ", " : "");
        sqlengine_sql_as_text(sql, q->syntax, shown[i]);
    }
    dbq_sql_from_filtered(sql, spec, q);
    textbuf_printf(sql, " AND (%s)", condition);
    sqlengine_sql_limit(sql, q->syntax, spec->samples);
}

void dbq_sql_repeated_values(textbuf *sql, const dbq_table_spec *spec,
                             const dbq_quoted *q, char *const *columns,
                             size_t count, int exact)
{
    /* Outside PostgreSQL the shown value is min() of its group, which
     * MySQL's ONLY_FULL_GROUP_BY takes with an expression in GROUP BY. */
    int pg = q->syntax.dialect == SQLENGINE_DIALECT_POSTGRESQL;
    textbuf_puts(sql, "SELECT ");
    for (size_t i = 0; i < count; i++) {
        textbuf_puts(sql, i > 0 ? ", " : "");
        if (pg)
            sqlengine_sql_as_text(sql, q->syntax, columns[i]);
        else
            textbuf_printf(sql, "min(%s)", columns[i]);
    }
    dbq_sql_from_filtered(sql, spec, q);
    textbuf_puts(sql, " AND ");
    sqlengine_sql_none_null(sql, q->syntax, "", columns, count);
    textbuf_puts(sql, " GROUP BY ");
    for (size_t i = 0; i < count; i++) {
        textbuf_puts(sql, i > 0 ? ", " : "");
        append_exact(sql, q, columns[i],
                     exact ? DBQ_TYPE_TEXT : DBQ_TYPE_OTHER);
    }
    textbuf_puts(sql, " HAVING count(*) > 1");
    sqlengine_sql_limit(sql, q->syntax, spec->samples);
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
    for (size_t i = 0; shown != NULL && i < shown_count; i++) {
        textbuf child;
        textbuf_init(&child);
        textbuf_printf(&child, "nbaq_child.%s", shown[i]);
        textbuf_puts(sql, i > 0 ? ", " : "");
        if (textbuf_failed(&child))
            textbuf_fail(sql);
        else
            sqlengine_sql_as_text(sql, q->syntax, child.data);
        textbuf_free(&child);
    }
    textbuf_printf(sql, " FROM %s AS nbaq_child WHERE ", q->table);
    sqlengine_sql_none_null(sql, q->syntax, "nbaq_child.", columns, ref->count);
    if (spec->filter != NULL)
        textbuf_printf(sql, " AND (\n%s\n)", spec->filter);
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
        sqlengine_sql_limit(sql, q->syntax, spec->samples);
}

void dbq_sql_duplicates(textbuf *sql, const dbq_table_spec *spec,
                        const dbq_quoted *q)
{
    textbuf_puts(sql, "SELECT coalesce(sum(n - 1), 0), count(*) FROM "
                      "(SELECT count(*) AS n");
    /* A key with a NULL part is not equal to any other, as in a UNIQUE
     * constraint. */
    textbuf none_null;
    textbuf_init(&none_null);
    sqlengine_sql_none_null(&none_null, q->syntax, "", q->keys,
                            spec->key_count);
    if (textbuf_failed(&none_null))
        textbuf_fail(sql);
    else
        append_from_where(sql, spec, q, 1, none_null.data);
    textbuf_free(&none_null);
    textbuf_puts(sql, " GROUP BY ");
    append_list(sql, q->keys, spec->key_count);
    textbuf_puts(sql, " HAVING count(*) > 1) AS repeated");
}

void dbq_sql_freshness(textbuf *sql, const dbq_table_spec *spec,
                       const dbq_quoted *q)
{
    textbuf_puts(sql, "SELECT ");
    append_freshness_age(sql, q);
    append_from_where(sql, spec, q, 0, NULL);
}
