/*
 * dbq_report.c - turns the measured tables into metrics named
 * "<table>.<what>" (so that thresholds match them with globs), saves each
 * table's schema as state for the next run's drift, and sets the status:
 * ERROR for a table that could not be measured (or whose rates are
 * undefined), FAIL for a broken rule the config declared (min_rows,
 * max_age, expected columns), PASS otherwise. NULL rates, duplicates and
 * drift are left to the thresholds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "dbq.h"

enum { METRIC_NAME_MAX = 1024, STATE_KEY_MAX = DBQ_STATE_KEY_MAX + 1 };

typedef struct report {
    const nbaq_host_api *api;
    nbaq_ctx *ctx;
    nbaq_status status;
    textbuf problems; /* ERROR and FAIL reasons, "; "-separated           */
    textbuf notes;    /* facts that change no status                      */
} report;

static nbaq_status worse(nbaq_status a, nbaq_status b)
{
    /* PASS < WARNING < FAIL < UNKNOWN < ERROR */
    static const int rank[NBAQ_STATUS_COUNT] = {0, 1, 2, 4, 3};
    return rank[b] > rank[a] ? b : a;
}

NBAQ_PRINTF(4, 5)
static void say(report *rep, nbaq_status status, const char *table,
                const char *fmt, ...)
{
    textbuf *out = status == NBAQ_PASS ? &rep->notes : &rep->problems;
    rep->status = worse(rep->status, status);
    if (out->len > 0)
        textbuf_puts(out, "; ");
    textbuf_printf(out, "%s: ", table);
    va_list ap;
    va_start(ap, fmt);
    textbuf_vprintf(out, fmt, ap);
    va_end(ap);
}

static void metric(report *rep, const char *table, const char *column,
                   const char *what, double value, const char *unit)
{
    char name[METRIC_NAME_MAX];
    if (column != NULL)
        snprintf(name, sizeof name, "%s.%s.%s", table, column, what);
    else
        snprintf(name, sizeof name, "%s.%s", table, what);
    rep->api->metric_set(rep->ctx, name, value, unit);
}

static void report_schema(report *rep, const dbq_table_spec *s,
                          const dbq_table_result *r)
{
    if (s->expected_count > 0) {
        dbq_schema_findings f;
        dbq_schema_check(s, r, &f);
        metric(rep, s->name, NULL, "schema.missing_columns", (double)f.missing,
               "columns");
        metric(rep, s->name, NULL, "schema.type_mismatches",
               (double)f.type_mismatches, "columns");
        metric(rep, s->name, NULL, "schema.nullability_mismatches",
               (double)f.nullability_mismatches, "columns");
        if (s->strict_schema)
            metric(rep, s->name, NULL, "schema.unexpected_columns",
                   (double)f.unexpected, "columns");
        if (f.detail.len > 0)
            say(rep, NBAQ_FAIL, s->name, "schema: %s", f.detail.data);
        textbuf_free(&f.detail);
    }

    int64_t drift = 0;
    textbuf detail;
    textbuf_init(&detail);
    if (s->previous_schema == NULL) {
        say(rep, NBAQ_PASS, s->name, "no previous schema (drift 0)");
    } else {
        drift = dbq_schema_drift(s->previous_schema, r, &detail);
        if (drift < 0) {
            drift = 0;
            say(rep, NBAQ_PASS, s->name,
                "previous schema unreadable (drift 0)");
        } else if (drift > 0) {
            say(rep, NBAQ_PASS, s->name, "schema drift: %s",
                detail.len > 0 ? detail.data : "");
        }
    }
    textbuf_free(&detail);
    metric(rep, s->name, NULL, "schema.drift", (double)drift, "columns");
}

static void save_schema(report *rep, const dbq_table_spec *s,
                        const dbq_table_result *r)
{
    char key[STATE_KEY_MAX];
    dbq_state_key(s->name, key, sizeof key);
    if (!r->has_schema) {
        /* Keep the last known schema for the next run's comparison. */
        if (s->previous_schema != NULL)
            rep->api->state_set(rep->ctx, key, s->previous_schema);
        return;
    }
    textbuf text;
    textbuf_init(&text);
    dbq_schema_serialize(r, &text);
    if (textbuf_failed(&text) || text.len > DBQ_STATE_VALUE_MAX)
        say(rep, NBAQ_PASS, s->name,
            "schema too large to keep: drift is not tracked");
    else
        rep->api->state_set(rep->ctx, key, text.data);
    textbuf_free(&text);
}

static double percent(int64_t part, int64_t whole)
{
    return (double)part * 100.0 / (double)whole;
}

static void report_counts(report *rep, const dbq_table_spec *s,
                          const dbq_table_result *r)
{
    metric(rep, s->name, NULL, "rows", (double)r->rows, "rows");
    double rows_for_rules = (double)r->rows;
    if (s->sample_percent > 0) {
        rows_for_rules = (double)r->rows * 100.0 / s->sample_percent;
        metric(rep, s->name, NULL, "rows_estimate", rows_for_rules, "rows");
    }
    for (size_t i = 0; i < s->critical_count; i++) {
        metric(rep, s->name, s->critical_columns[i], "nulls",
               (double)r->null_counts[i], "rows");
        if (r->rows > 0)
            metric(rep, s->name, s->critical_columns[i], "null_pct",
                   percent(r->null_counts[i], r->rows), "%");
    }
    if (s->critical_count > 0) {
        metric(rep, s->name, NULL, "incomplete_rows",
               (double)(r->rows - r->complete_rows), "rows");
        if (r->rows > 0)
            metric(rep, s->name, NULL, "completeness_pct",
                   percent(r->complete_rows, r->rows), "%");
        else
            say(rep, NBAQ_ERROR, s->name,
                "no rows%s: NULL rates and completeness are undefined",
                s->filter != NULL ? " match the filter" : "");
    }
    if (s->has_min_rows && rows_for_rules < (double)s->min_rows)
        say(rep, NBAQ_FAIL, s->name, "%.0f rows%s, below min_rows %lld",
            rows_for_rules, s->sample_percent > 0 ? " (estimated)" : "",
            (long long)s->min_rows);
}

static void report_freshness(report *rep, const dbq_table_spec *s,
                             const dbq_table_result *r)
{
    if (!r->freshness_known) {
        say(rep, s->max_age_ms > 0 ? NBAQ_FAIL : NBAQ_PASS, s->name,
            "no non-NULL value in \"%s\": freshness unknown",
            s->freshness_column);
        return;
    }
    metric(rep, s->name, NULL, "freshness_age_s", r->freshness_age_s, "s");
    double max_age_s = (double)s->max_age_ms / 1000.0;
    if (s->max_age_ms > 0 && r->freshness_age_s > max_age_s)
        say(rep, NBAQ_FAIL, s->name,
            "newest \"%s\" is %.0fs old, above max_age %gs",
            s->freshness_column, r->freshness_age_s, max_age_s);
}

/* "min 0, max 250": the rules of a column, for its message. */
static void append_rules(textbuf *out, const dbq_column_spec *c)
{
    for (size_t k = 0; k < c->rule_count; k++) {
        const dbq_rule *rule = &c->rules[k];
        textbuf_printf(out, "%s%s", k > 0 ? ", " : "",
                       dbq_rule_name(rule->kind));
        if (rule->kind == DBQ_RULE_MIN || rule->kind == DBQ_RULE_MAX ||
            rule->kind == DBQ_RULE_MIN_LENGTH ||
            rule->kind == DBQ_RULE_MAX_LENGTH)
            textbuf_printf(out, " %s", rule->param);
    }
}

static void say_with_samples(report *rep, const char *table,
                             const char *samples, const char *what)
{
    say(rep, NBAQ_PASS, table, "%s%s%s", what, samples ? ", e.g. " : "",
        samples ? samples : "");
}

static void report_column(report *rep, const dbq_table_spec *s, size_t i,
                          const dbq_column_result *cr)
{
    static const char *const stat_names[DBQ_STATS] = {
        [DBQ_STAT_MIN] = "min",   [DBQ_STAT_MAX] = "max",
        [DBQ_STAT_MEAN] = "mean", [DBQ_STAT_STDDEV] = "stddev",
        [DBQ_STAT_P50] = "p50",   [DBQ_STAT_P95] = "p95"};
    const dbq_column_spec *c = &s->columns[i];
    if (c->rule_count > 0 || c->unique) {
        int64_t invalid = cr->invalid + cr->repeated;
        metric(rep, s->name, c->name, "invalid_count", (double)invalid, "rows");
        if (cr->values > 0)
            metric(rep, s->name, c->name, "invalid_pct",
                   percent(invalid, cr->values), "%");
    }
    if (c->profile != DBQ_PROFILE_OFF) {
        metric(rep, s->name, c->name, "distinct", (double)cr->distinct,
               "values");
        for (int k = 0; k < DBQ_STATS; k++)
            if (cr->stat_known[k])
                metric(rep, s->name, c->name, stat_names[k], cr->stats[k], "");
    }
    textbuf what;
    textbuf_init(&what);
    if (cr->invalid > 0) {
        textbuf_printf(&what, "column \"%s\": %lld invalid value%s (", c->name,
                       (long long)cr->invalid, cr->invalid == 1 ? "" : "s");
        append_rules(&what, c);
        textbuf_puts(&what, ")");
        if (!textbuf_failed(&what))
            say_with_samples(rep, s->name, cr->samples, what.data);
        textbuf_clear(&what);
    }
    if (cr->repeated > 0) {
        textbuf_printf(&what, "column \"%s\": %lld repeated value%s (unique)",
                       c->name, (long long)cr->repeated,
                       cr->repeated == 1 ? "" : "s");
        if (!textbuf_failed(&what))
            say_with_samples(rep, s->name, cr->repeated_samples, what.data);
    }
    textbuf_free(&what);
}

static void report_orphans(report *rep, const dbq_table_spec *s,
                           const dbq_table_result *r)
{
    for (size_t i = 0; i < s->reference_count; i++) {
        const dbq_reference *ref = &s->references[i];
        metric(rep, s->name, ref->label, "orphans", (double)r->orphans[i],
               "rows");
        if (r->orphans[i] == 0)
            continue;
        char what[DBQ_ERROR_MAX];
        snprintf(what, sizeof what, "%lld row%s whose %s is missing in %s",
                 (long long)r->orphans[i], r->orphans[i] == 1 ? "" : "s",
                 ref->label, ref->table);
        say_with_samples(rep, s->name, r->orphan_samples[i], what);
    }
}

static void report_table(report *rep, const dbq_table_spec *s,
                         const dbq_table_result *r)
{
    if (r->has_schema)
        report_schema(rep, s, r);
    save_schema(rep, s, r);
    if (r->has_counts)
        report_counts(rep, s, r);
    if (r->has_duplicates) {
        metric(rep, s->name, NULL, "duplicate_keys", (double)r->duplicate_rows,
               "rows");
        metric(rep, s->name, NULL, "duplicate_key_values",
               (double)r->duplicate_keys, "keys");
        if (r->duplicate_samples != NULL)
            say(rep, NBAQ_PASS, s->name, "duplicate keys, e.g. %s",
                r->duplicate_samples);
    }
    for (size_t i = 0; i < r->column_result_count; i++)
        report_column(rep, s, i, &r->column_results[i]);
    if (r->has_orphans)
        report_orphans(rep, s, r);
    if (r->has_freshness)
        report_freshness(rep, s, r);
    if (r->failed)
        say(rep, NBAQ_ERROR, s->name, "%s", r->error);
}

static void report_unreachable(report *rep, const dbq_config *config,
                               const char *connect_error)
{
    rep->status = NBAQ_ERROR;
    textbuf_printf(&rep->problems, "%s; not measured:", connect_error);
    for (size_t i = 0; i < config->table_count; i++) {
        const dbq_table_spec *s = &config->tables[i];
        textbuf_printf(&rep->problems, "%s %s", i > 0 ? "," : "", s->name);
        save_schema(rep, s, &(dbq_table_result){0});
    }
}

void dbq_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                const dbq_config *config, const dbq_table_result *results,
                const char *connect_error)
{
    report rep = {.api = api, .ctx = ctx, .status = NBAQ_PASS};
    textbuf_init(&rep.problems);
    textbuf_init(&rep.notes);
    if (connect_error != NULL)
        report_unreachable(&rep, config, connect_error);
    else
        for (size_t i = 0; i < config->table_count; i++)
            report_table(&rep, &config->tables[i], &results[i]);

    textbuf message;
    textbuf_init(&message);
    if (rep.problems.len > 0 && !textbuf_failed(&rep.problems))
        textbuf_puts(&message, rep.problems.data);
    else
        textbuf_printf(&message, "%zu table%s measured", config->table_count,
                       config->table_count == 1 ? "" : "s");
    if (rep.notes.len > 0 && !textbuf_failed(&rep.notes))
        textbuf_printf(&message, "; %s", rep.notes.data);
    if (textbuf_failed(&message) || textbuf_failed(&rep.problems) ||
        textbuf_failed(&rep.notes))
        api->status_set(ctx, NBAQ_ERROR, "out of memory");
    else
        api->status_set(ctx, rep.status, "%s", message.data);
    textbuf_free(&message);
    textbuf_free(&rep.problems);
    textbuf_free(&rep.notes);
}
