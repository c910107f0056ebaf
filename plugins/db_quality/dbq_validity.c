/*
 * dbq_validity.c - the column rules of one table, around the one scan:
 * before it, every rule is checked against its column's type (from the
 * catalog), every literal against that type (dbq_literals.c) and against
 * the server (a regex it rejects), so that a mistake names the column and
 * the rule; the scan counts the invalid values (dbq_sql_column_aggregates);
 * after it, up to `samples` offending rows per broken rule, repeated keys
 * and orphans (one anti-join per reference) are fetched for the message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"

enum { SAMPLE_VALUE_MAX = 40, SHOWN_MAX = 16 };

static const char *first_rule_name(const dbq_column_spec *c)
{
    if (c->rule_count > 0)
        return dbq_rule_name(c->rules[0].kind);
    return c->unique ? "unique" : "profile";
}

static int check_rule_types(const sqlengine *conn, const dbq_column_spec *c,
                            const dbq_column *col, dbq_type_class type,
                            dbq_literal_kind literal, dbq_table_result *r)
{
    for (size_t k = 0; k < c->rule_count; k++) {
        const char *why = dbq_rule_type_mismatch(c->rules[k].kind, type);
        if (why != NULL) {
            dbq_fail(r, "column \"%s\" (%s): rule %s %s", c->name, col->type,
                     dbq_rule_name(c->rules[k].kind), why);
            return -1;
        }
        const char *bad = NULL;
        why = dbq_rule_literal_problem(&c->rules[k], literal, &bad);
        if (why != NULL) {
            dbq_fail(r, "column \"%s\" (%s): rule %s: \"%s\" %s", c->name,
                     col->type, dbq_rule_name(c->rules[k].kind), bad, why);
            return -1;
        }
    }
    const char *no_epoch =
        sqlengine_dialect_lacks(conn, SQLENGINE_FEATURE_EPOCH);
    if (c->profile != DBQ_PROFILE_OFF && type == DBQ_TYPE_TIME &&
        no_epoch != NULL) {
        dbq_fail(r,
                 "%s: column \"%s\" (profile): not supported on this "
                 "engine: %s",
                 sqlengine_name(conn), c->name, no_epoch);
        return -1;
    }
    if ((c->unique || c->profile != DBQ_PROFILE_OFF) &&
        strcmp(col->base_type, "json") == 0) {
        dbq_fail(r,
                 "column \"%s\" (json): rule %s: json values cannot be "
                 "compared (use jsonb)",
                 c->name, c->unique ? "unique" : "profile");
        return -1;
    }
    return 0;
}

static int check_reference_columns(const dbq_table_spec *spec,
                                   dbq_table_result *r)
{
    for (size_t i = 0; i < spec->reference_count; i++)
        for (size_t k = 0; k < spec->references[i].count; k++)
            if (dbq_find_column(r, spec->references[i].columns[k]) == NULL) {
                dbq_fail(
                    r, "column \"%s\" (rule references %s): does not exist",
                    spec->references[i].columns[k], spec->references[i].table);
                return -1;
            }
    return 0;
}

int dbq_columns_prepare(sqlengine *conn, const dbq_table_spec *spec,
                        dbq_quoted *q, dbq_table_result *r)
{
    q->columns = calloc(spec->column_count + 1, sizeof *q->columns);
    q->column_types = calloc(spec->column_count + 1, sizeof *q->column_types);
    q->literal_kinds = calloc(spec->column_count + 1, sizeof *q->literal_kinds);
    if (q->columns == NULL || q->column_types == NULL ||
        q->literal_kinds == NULL) {
        dbq_fail(r, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < spec->column_count; i++) {
        const dbq_column_spec *c = &spec->columns[i];
        const dbq_column *col = dbq_find_column(r, c->name);
        if (col == NULL) {
            dbq_fail(r, "column \"%s\" (rule %s): does not exist", c->name,
                     first_rule_name(c));
            return -1;
        }
        q->column_types[i] = dbq_type_class_of(col->base_type);
        q->literal_kinds[i] =
            dbq_literal_kind_of(col, sqlengine_dialect_get(conn));
        if (check_rule_types(conn, c, col, q->column_types[i],
                             q->literal_kinds[i], r) != 0)
            return -1;
        q->columns[i] = dbq_quote(conn, c->name, r);
        if (q->columns[i] == NULL)
            return -1;
    }
    return check_reference_columns(spec, r);
}

/* The server parses the literal of one rule: a regex is compiled; any other
 * literal is bound as a parameter typed by its column (LIMIT 0 reads no
 * row). */
static int validate_rule(sqlengine *conn, const dbq_table_spec *spec,
                         const dbq_quoted *q, size_t i, const dbq_rule *rule,
                         dbq_table_result *r)
{
    dbq_params params = {
        .values = calloc(rule->value_count + 2, sizeof *params.values)};
    textbuf sql;
    textbuf_init(&sql);
    if (params.values == NULL) {
        textbuf_fail(&sql);
    } else if (rule->kind == DBQ_RULE_REGEX) {
        if (sqlengine_sql_regex_valid(&sql, q->syntax) != 0)
            textbuf_fail(&sql);
        dbq_params_push(&params, rule->param);
    } else {
        textbuf_puts(&sql, "SELECT ");
        dbq_sql_rule_condition(&sql, q->syntax, rule, q->columns[i],
                               q->column_types[i], q->literal_kinds[i],
                               &params);
        textbuf_printf(&sql, " FROM %s", q->table);
        sqlengine_sql_limit(&sql, q->syntax, 0);
    }
    char step[DBQ_ERROR_MAX / 2];
    snprintf(step, sizeof step, "column \"%s\": rule %s", spec->columns[i].name,
             dbq_rule_name(rule->kind));
    sqlengine_result *res =
        dbq_query(conn, &sql, params.count, params.values, step, 0, r);
    textbuf_free(&sql);
    free(params.values);
    int rc = res != NULL ? 0 : -1;
    sqlengine_result_free(res);
    return rc;
}

int dbq_columns_validate(sqlengine *conn, const dbq_table_spec *spec,
                         const dbq_quoted *q, dbq_table_result *r)
{
    for (size_t i = 0; i < spec->column_count; i++)
        for (size_t k = 0; k < spec->columns[i].rule_count; k++)
            if (validate_rule(conn, spec, q, i, &spec->columns[i].rules[k],
                              r) != 0)
                return -1;
    if (spec->column_count == 0 ||
        q->syntax.dialect != SQLENGINE_DIALECT_POSTGRESQL)
        return 0;
    textbuf sql;
    textbuf_init(&sql);
    textbuf_puts(&sql, dbq_sql_jit_off);
    sqlengine_result *res =
        dbq_query(conn, &sql, 0, NULL, "turning JIT off", 1, r);
    textbuf_free(&sql);
    int rc = res != NULL ? 0 : -1;
    sqlengine_result_free(res);
    return rc;
}

static int read_stat(const sqlengine_result *res, size_t col,
                     dbq_column_result *c, int stat)
{
    const char *text = sqlengine_cell(res, 0, col);
    if (text == NULL)
        return 0;
    if (sqlengine_parse_number(text, &c->stats[stat]) != 0)
        return -1;
    c->stat_known[stat] = 1;
    return 0;
}

/* The NULLs the scan counted for a critical column. */
static int64_t critical_nulls(const dbq_table_spec *spec,
                              const dbq_table_result *r, const char *name)
{
    for (size_t i = 0; i < spec->critical_count; i++)
        if (strcmp(spec->critical_columns[i], name) == 0)
            return r->null_counts[i];
    return 0;
}

int dbq_columns_read(const sqlengine_result *res, size_t col,
                     const dbq_table_spec *spec, dbq_table_result *r)
{
    dbq_column_result *out =
        calloc(spec->column_count + 1, sizeof *r->column_results);
    if (out == NULL)
        return -1;
    r->column_results = out;
    r->column_result_count = spec->column_count;
    int ok = 1;
    for (size_t i = 0; ok && i < spec->column_count; i++) {
        const dbq_column_spec *c = &spec->columns[i];
        if (dbq_counts_values(spec, c))
            ok = dbq_read_count(res, col++, &out[i].values) == 0;
        else
            out[i].values = r->rows - critical_nulls(spec, r, c->name);
        if (ok && c->rule_count > 0)
            ok = dbq_read_count(res, col++, &out[i].invalid) == 0;
    }
    return ok ? 0 : -1;
}

/* The distinct statement's figures of column i from column *col on,
 * moving *col past them; 0 or -1. */
static int read_distinct(const sqlengine_result *res, size_t *col,
                         const dbq_column_spec *c, dbq_column_result *out)
{
    int64_t values = 0;
    int ok = dbq_read_count(res, (*col)++, &values) == 0 &&
             dbq_read_count(res, (*col)++, &out->distinct) == 0;
    if (c->unique)
        out->repeated = values - out->distinct;
    for (int s = 0; ok && c->profile != DBQ_PROFILE_OFF && s < DBQ_STATS; s++)
        ok = read_stat(res, (*col)++, out, s) == 0;
    return ok ? 0 : -1;
}

/* The figures of every column that needs them; 0 or -1. */
static int read_all_distinct(const sqlengine_result *res,
                             const dbq_table_spec *spec, dbq_table_result *r)
{
    size_t col = 1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < spec->column_count; i++)
        if (dbq_needs_distinct(&spec->columns[i]))
            rc = read_distinct(res, &col, &spec->columns[i],
                               &r->column_results[i]);
    return rc;
}

/* p50 and p95 of column i from their own statement (MariaDB's window
 * percentiles); no row: no non-NULL value. */
static int window_quantiles(sqlengine *conn, const dbq_table_spec *spec,
                            const dbq_quoted *q, size_t i, dbq_table_result *r)
{
    char step[DBQ_ERROR_MAX / 2];
    snprintf(step, sizeof step, "column \"%s\": quantiles",
             spec->columns[i].name);
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_window_quantiles(&sql, spec, q, i);
    sqlengine_result *res = dbq_query(conn, &sql, 0, NULL, step, 0, r);
    textbuf_free(&sql);
    if (res == NULL)
        return -1;
    dbq_column_result *out = &r->column_results[i];
    int ok = res->rows == 0 || (read_stat(res, 0, out, DBQ_STAT_P50) == 0 &&
                                read_stat(res, 1, out, DBQ_STAT_P95) == 0);
    sqlengine_result_free(res);
    if (!ok)
        dbq_fail(r, "%s: unexpected result", step);
    return ok ? 0 : -1;
}

int dbq_columns_count_distinct(sqlengine *conn, const dbq_table_spec *spec,
                               const dbq_quoted *q, dbq_table_result *r)
{
    static const char step[] = "counting distinct values";
    size_t needed = 0;
    for (size_t i = 0; i < spec->column_count; i++)
        needed += dbq_needs_distinct(&spec->columns[i]) != 0;
    if (needed == 0)
        return 0;
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_distinct(&sql, spec, q);
    sqlengine_result *res = dbq_query(conn, &sql, 0, NULL, step, 1, r);
    textbuf_free(&sql);
    int rc = res != NULL ? read_all_distinct(res, spec, r) : -1;
    if (res != NULL && rc != 0)
        dbq_fail(r, "%s: unexpected result", step);
    sqlengine_result_free(res);
    for (size_t i = 0; rc == 0 && i < spec->column_count; i++)
        if (dbq_window_quantiles(q, &spec->columns[i], i))
            rc = window_quantiles(conn, spec, q, i, r);
    return rc;
}

/* ---- failed-row samples ------------------------------------------------- */

static int is_secret(const dbq_table_spec *spec, const char *name)
{
    for (size_t i = 0; i < spec->column_count; i++)
        if (spec->columns[i].secret && strcmp(spec->columns[i].name, name) == 0)
            return 1;
    return 0;
}

/* The columns that identify an offending row: the table's key columns,
 * else the rule's own; never a secret one. */
typedef struct shown_columns {
    const char *names[SHOWN_MAX];
    char *quoted[SHOWN_MAX];
    size_t count;
} shown_columns;

static void add_shown(const dbq_table_spec *spec, shown_columns *shown,
                      const char *name, char *quoted)
{
    if (!is_secret(spec, name) && shown->count < SHOWN_MAX) {
        shown->names[shown->count] = name;
        shown->quoted[shown->count++] = quoted;
    }
}

static void choose_shown(const dbq_table_spec *spec, const dbq_quoted *q,
                         const char *const *own, char *const *own_quoted,
                         size_t own_count, shown_columns *shown)
{
    shown->count = 0;
    for (size_t i = 0; i < spec->key_count; i++)
        add_shown(spec, shown, spec->key_columns[i], q->keys[i]);
    for (size_t i = 0; shown->count == 0 && i < own_count; i++)
        add_shown(spec, shown, own[i], own_quoted[i]);
}

static void append_value(textbuf *out, const sqlengine_result *res, size_t row,
                         size_t col)
{
    const char *v = sqlengine_cell(res, row, col);
    if (v == NULL) {
        textbuf_puts(out, "NULL");
        return;
    }
    size_t n = strlen(v);
    for (size_t i = 0; i < n && i < SAMPLE_VALUE_MAX; i++)
        textbuf_putc(out, (unsigned char)v[i] < 0x20 ? '?' : v[i]);
    if (n > SAMPLE_VALUE_MAX)
        textbuf_puts(out, "...");
}

/* "id=4, id=7" or "(a=1, b=2), (a=1, b=3)"; NULL when no rows. */
static char *format_rows(const sqlengine_result *res, const char *const *names)
{
    size_t rows = res->rows, cols = res->columns;
    if (rows == 0)
        return NULL;
    textbuf out;
    textbuf_init(&out);
    for (size_t i = 0; i < rows; i++) {
        textbuf_puts(&out, i > 0 ? ", " : "");
        textbuf_puts(&out, cols > 1 ? "(" : "");
        for (size_t k = 0; k < cols; k++) {
            textbuf_printf(&out, "%s%s=", k > 0 ? ", " : "", names[k]);
            append_value(&out, res, i, k);
        }
        textbuf_puts(&out, cols > 1 ? ")" : "");
    }
    char *text = textbuf_failed(&out) ? NULL : strdup(out.data);
    textbuf_free(&out);
    return text;
}

/* Runs a sample statement; the rows formatted, NULL when none. A failure
 * fails the table. */
static int fetch_samples(sqlengine *conn, const textbuf *sql, int nparams,
                         const char *const *params, const char *step,
                         const char *const *names, dbq_table_result *r,
                         char **out)
{
    sqlengine_result *res = dbq_query(conn, sql, nparams, params, step, 0, r);
    if (res == NULL)
        return -1;
    *out = format_rows(res, names);
    sqlengine_result_free(res);
    return 0;
}

static int sample_invalid(sqlengine *conn, const dbq_table_spec *spec,
                          const dbq_quoted *q, size_t i, dbq_table_result *r)
{
    const dbq_column_spec *c = &spec->columns[i];
    shown_columns shown;
    choose_shown(spec, q, &c->name, &q->columns[i], 1, &shown);
    if (shown.count == 0)
        return 0;
    dbq_params params = {.values = calloc(dbq_column_params_needed(c) + 1,
                                          sizeof *params.values)};
    textbuf condition, sql;
    textbuf_init(&condition);
    textbuf_init(&sql);
    if (params.values != NULL)
        dbq_sql_invalid_condition(&condition, q, c, i, &params);
    if (params.values != NULL && !textbuf_failed(&condition))
        dbq_sql_sample_rows(&sql, spec, q, shown.quoted, shown.count,
                            condition.data);
    else
        textbuf_fail(&sql);
    char step[DBQ_ERROR_MAX / 2];
    snprintf(step, sizeof step, "column \"%s\": sampling invalid rows",
             c->name);
    int rc = fetch_samples(conn, &sql, params.count, params.values, step,
                           shown.names, r, &r->column_results[i].samples);
    textbuf_free(&condition);
    textbuf_free(&sql);
    free(params.values);
    return rc;
}

/* Repeated values of columns (a unique column, or the key): shown only
 * when none is secret. */
static int sample_repeated(sqlengine *conn, const dbq_table_spec *spec,
                           const dbq_quoted *q, const char *const *names,
                           char *const *quoted, size_t count, int exact,
                           const char *step, dbq_table_result *r, char **out)
{
    for (size_t i = 0; i < count; i++)
        if (is_secret(spec, names[i]))
            return 0;
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_repeated_values(&sql, spec, q, quoted, count, exact);
    int rc = fetch_samples(conn, &sql, 0, NULL, step, names, r, out);
    textbuf_free(&sql);
    return rc;
}

/* ---- orphans ------------------------------------------------------------ */

typedef struct quoted_reference {
    char *table;
    char **columns;
    char **ref_columns;
    size_t count;
} quoted_reference;

static void quoted_reference_free(quoted_reference *qr)
{
    free(qr->table);
    for (size_t i = 0; i < qr->count; i++) {
        free(qr->columns[i]);
        free(qr->ref_columns[i]);
    }
    free(qr->columns);
    free(qr->ref_columns);
}

static int quote_reference(sqlengine *conn, const dbq_reference *ref,
                           quoted_reference *qr, dbq_table_result *r)
{
    memset(qr, 0, sizeof *qr);
    qr->columns = calloc(ref->count + 1, sizeof *qr->columns);
    qr->ref_columns = calloc(ref->count + 1, sizeof *qr->ref_columns);
    if (qr->columns == NULL || qr->ref_columns == NULL) {
        dbq_fail(r, "out of memory");
        return -1;
    }
    qr->table = dbq_quote_table_name(conn, ref->table, r);
    if (qr->table == NULL)
        return -1;
    for (size_t i = 0; i < ref->count; i++) {
        qr->columns[i] = dbq_quote(conn, ref->columns[i], r);
        qr->ref_columns[i] =
            qr->columns[i] ? dbq_quote(conn, ref->ref_columns[i], r) : NULL;
        if (qr->ref_columns[i] == NULL) {
            free(qr->columns[i]);
            return -1;
        }
        qr->count++;
    }
    return 0;
}

static int count_orphans(sqlengine *conn, const dbq_table_spec *spec,
                         const dbq_quoted *q, size_t i, dbq_table_result *r)
{
    const dbq_reference *ref = &spec->references[i];
    quoted_reference qr;
    int rc = -1;
    if (quote_reference(conn, ref, &qr, r) != 0)
        goto done;
    char step[DBQ_ERROR_MAX / 2];
    snprintf(step, sizeof step, "column \"%s\": counting orphans of %s",
             ref->label, ref->table);
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_orphans(&sql, spec, q, ref, qr.columns, qr.ref_columns, qr.table,
                    NULL, 0);
    sqlengine_result *res = dbq_query(conn, &sql, 0, NULL, step, 1, r);
    textbuf_free(&sql);
    if (res == NULL)
        goto done;
    int ok = dbq_read_count(res, 0, &r->orphans[i]) == 0;
    sqlengine_result_free(res);
    if (!ok) {
        dbq_fail(r, "%s: unexpected result", step);
        goto done;
    }
    rc = 0;
    shown_columns shown;
    choose_shown(spec, q, ref->columns, qr.columns, ref->count, &shown);
    if (r->orphans[i] > 0 && spec->samples > 0 && shown.count > 0) {
        textbuf_init(&sql);
        dbq_sql_orphans(&sql, spec, q, ref, qr.columns, qr.ref_columns,
                        qr.table, shown.quoted, shown.count);
        rc = fetch_samples(conn, &sql, 0, NULL, step, shown.names, r,
                           &r->orphan_samples[i]);
        textbuf_free(&sql);
    }
done:
    quoted_reference_free(&qr);
    return rc;
}

static int count_all_orphans(sqlengine *conn, const dbq_table_spec *spec,
                             const dbq_quoted *q, dbq_table_result *r)
{
    r->orphans = calloc(spec->reference_count + 1, sizeof *r->orphans);
    r->orphan_samples =
        calloc(spec->reference_count + 1, sizeof *r->orphan_samples);
    if (r->orphans == NULL || r->orphan_samples == NULL) {
        dbq_fail(r, "out of memory");
        return -1;
    }
    r->reference_result_count = spec->reference_count;
    for (size_t i = 0; i < spec->reference_count; i++)
        if (count_orphans(conn, spec, q, i, r) != 0)
            return -1;
    r->has_orphans = 1;
    return 0;
}

int dbq_columns_follow_up(sqlengine *conn, const dbq_table_spec *spec,
                          const dbq_quoted *q, dbq_table_result *r)
{
    for (size_t i = 0; spec->samples > 0 && i < spec->column_count; i++) {
        const dbq_column_spec *c = &spec->columns[i];
        dbq_column_result *cr = &r->column_results[i];
        if (cr->invalid > 0 && sample_invalid(conn, spec, q, i, r) != 0)
            return -1;
        if (cr->repeated > 0 &&
            sample_repeated(conn, spec, q, &c->name, &q->columns[i], 1,
                            q->column_types[i] == DBQ_TYPE_TEXT,
                            "sampling repeated values", r,
                            &cr->repeated_samples) != 0)
            return -1;
    }
    if (spec->samples > 0 && r->has_duplicates && r->duplicate_rows > 0 &&
        sample_repeated(conn, spec, q, spec->key_columns, q->keys,
                        spec->key_count, 0, "sampling duplicate keys", r,
                        &r->duplicate_samples) != 0)
        return -1;
    return count_all_orphans(conn, spec, q, r);
}

void dbq_quoted_columns_free(dbq_quoted *q, const dbq_table_spec *spec)
{
    for (size_t i = 0; q->columns != NULL && i < spec->column_count; i++)
        free(q->columns[i]);
    free(q->columns);
    free(q->column_types);
    free(q->literal_kinds);
}

void dbq_column_results_free(dbq_table_result *r)
{
    for (size_t i = 0; r->column_results != NULL && i < r->column_result_count;
         i++) {
        free(r->column_results[i].samples);
        free(r->column_results[i].repeated_samples);
    }
    free(r->column_results);
    for (size_t i = 0;
         r->orphan_samples != NULL && i < r->reference_result_count; i++)
        free(r->orphan_samples[i]);
    free(r->orphan_samples);
    free(r->orphans);
    free(r->duplicate_samples);
}
