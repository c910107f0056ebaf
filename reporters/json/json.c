/*
 * json.c - the `json` reporter: the whole run as one JSON document
 * (schema: docs/report.schema.json).
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nbaq.h"
#include "status.h"
#include "reportfmt.h"
#include "escape.h"
#include "json_recommend.h"
#include "numfmt.h"
#include "textbuf.h"

#define REPORT_SCHEMA_VERSION 1

static const nbaq_option_spec json_options[] = {
    {.name = "pretty",
     .type = NBAQ_OPT_BOOL,
     .default_value = "true",
     .description = "indent the document (false: one line)"},
    NBAQ_OPTION_END};

/* ------------------------------------------------------------------------ */
/* Values                                                                    */

/* A JSON string of s (NULL: ""), invalid UTF-8 replaced by U+FFFD so that
 * the document stays valid whatever a plugin printed. */
static cJSON *text_json(const char *s)
{
    textbuf scratch;
    textbuf_init(&scratch);
    const char *valid = textfmt_utf8_valid(&scratch, s ? s : "");
    cJSON *item = valid ? cJSON_CreateString(valid) : NULL;
    textbuf_free(&scratch);
    return item;
}

/* Whole numbers are written here, not by cJSON: it prints any above
 * INT_MAX (epoch milliseconds) with "%.15g" and reads it back to check,
 * which was most of the time of a large report. */
static cJSON *integer_json(int64_t value)
{
    char digits[24];
    snprintf(digits, sizeof digits, "%lld", (long long)value);
    return cJSON_CreateRaw(digits);
}

/* JSON has no NaN or infinities: they are written as null. */
static cJSON *number_json(double value)
{
    if (!isfinite(value)) {
        return cJSON_CreateNull();
    }
    if (value == floor(value) && fabs(value) < 9007199254740992.0) {
        return integer_json((int64_t)value);
    }
    char text[TEXTFMT_NUMBER_SIZE]; /* cJSON keeps only 15 digits */
    textfmt_number_exact(text, sizeof text, value);
    return cJSON_CreateRaw(text);
}

static cJSON *time_json(int64_t epoch_ms)
{
    char buf[REPORTFMT_TIME_SIZE];
    return cJSON_CreateString(reportfmt_iso8601_utc(epoch_ms, buf, sizeof buf));
}

/* 0 means "never" for alert times. */
static cJSON *optional_time_json(int64_t epoch_ms)
{
    return epoch_ms == 0 ? cJSON_CreateNull() : time_json(epoch_ms);
}

/* Adds item under key; a NULL item (out of memory) marks *ok false. */
static void add(cJSON *object, const char *key, cJSON *item, int *ok)
{
    if (item == NULL || !cJSON_AddItemToObject(object, key, item)) {
        cJSON_Delete(item);
        *ok = 0;
    }
}

static void append(cJSON *array, cJSON *item, int *ok)
{
    if (item == NULL || !cJSON_AddItemToArray(array, item)) {
        cJSON_Delete(item);
        *ok = 0;
    }
}

/* ------------------------------------------------------------------------ */
/* The run                                                                   */

static cJSON *stats_json(const nbaq_stats *s, int *ok)
{
    cJSON *o = cJSON_CreateObject();
    int have = s->count > 0; /* otherwise the rest is undefined */
    if (o == NULL) {
        *ok = 0;
        return NULL;
    }
    add(o, "count", integer_json((int64_t)s->count), ok);
    add(o, "min", have ? number_json(s->min) : cJSON_CreateNull(), ok);
    add(o, "max", have ? number_json(s->max) : cJSON_CreateNull(), ok);
    add(o, "mean", have ? number_json(s->mean) : cJSON_CreateNull(), ok);
    add(o, "median", have ? number_json(s->median) : cJSON_CreateNull(), ok);
    add(o, "stddev", have ? number_json(s->stddev) : cJSON_CreateNull(), ok);
    return o;
}

/* {"lower", "upper", "anomalous"}: the band a point was judged against
 * (null bounds when it was not judged). */
static cJSON *band_json(const nbaq_point_band *band, int *ok)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        *ok = 0;
        return NULL;
    }
    add(o, "lower", number_json(band->lower), ok);
    add(o, "upper", number_json(band->upper), ok);
    add(o, "anomalous", cJSON_CreateBool(band->anomalous), ok);
    return o;
}

/* [ts, value, band]: band is null when the host gave none. */
static cJSON *history_json(const nbaq_metric *m, int *ok)
{
    cJSON *points = cJSON_CreateArray();
    for (size_t i = 0; points != NULL && i < m->history_count; i++) {
        cJSON *point = cJSON_CreateArray();
        if (point != NULL) {
            append(point, integer_json((int64_t)m->history[i].ts_ms), ok);
            append(point, number_json(m->history[i].value), ok);
            append(point,
                   m->history_band ? band_json(&m->history_band[i], ok)
                                   : cJSON_CreateNull(),
                   ok);
        }
        append(points, point, ok);
    }
    if (points == NULL) {
        *ok = 0;
    }
    return points;
}

/* How the history rules saw the value. Not judged (state none): every
 * number is null, whatever the struct holds. */
static cJSON *evidence_json(const nbaq_evidence *e, int *ok)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        *ok = 0;
        return NULL;
    }
    int known = e->state != NBAQ_JUDGEMENT_NONE;
    const struct {
        const char *name;
        double value;
    } numbers[] = {{"expected", e->expected},
                   {"scale", e->scale},
                   {"score", e->score},
                   {"lower", e->lower},
                   {"upper", e->upper}};
    add(o, "state", cJSON_CreateString(judgement_name(e->state)), ok);
    add(o, "points_used", integer_json(known ? e->points_used : 0), ok);
    add(o, "points_needed", integer_json(known ? e->points_needed : 0), ok);
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        add(o, numbers[i].name,
            known ? number_json(numbers[i].value) : cJSON_CreateNull(), ok);
    }
    add(o, "season", text_json(known && e->season ? e->season : "none"), ok);
    add(o, "season_detected", cJSON_CreateBool(known && e->season_detected),
        ok);
    add(o, "open_since", optional_time_json(known ? e->open_since_ms : 0), ok);
    add(o, "accepted_at", optional_time_json(known ? e->accepted_ms : 0), ok);
    return o;
}

static cJSON *metric_json(const nbaq_metric *m, int *ok)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        *ok = 0;
        return NULL;
    }
    add(o, "name", text_json(m->name), ok);
    add(o, "value", number_json(m->value), ok);
    add(o, "unit", text_json(m->unit), ok);
    add(o, "status", cJSON_CreateString(status_name(m->status)), ok);
    add(o, "reason", text_json(m->reason), ok);
    add(o, "anomalous", cJSON_CreateBool(m->anomalous), ok);
    add(o, "previous",
        m->has_previous ? number_json(m->previous) : cJSON_CreateNull(), ok);
    add(o, "change_pct",
        m->has_previous ? number_json(m->change_pct) : cJSON_CreateNull(), ok);
    add(o, "trend", cJSON_CreateString(trend_name(m->trend)), ok);
    add(o, "window_ms", integer_json((int64_t)m->window_ms), ok);
    add(o, "previous_window_mean", number_json(m->previous_window_mean), ok);
    add(o, "stats", stats_json(&m->stats, ok), ok);
    add(o, "evidence", evidence_json(&m->evidence, ok), ok);
    add(o, "history", history_json(m, ok), ok);
    return o;
}

static cJSON *check_json(const nbaq_check_result *c, int *ok)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *metrics = cJSON_CreateArray();
    if (o == NULL || metrics == NULL) {
        cJSON_Delete(o);
        cJSON_Delete(metrics);
        *ok = 0;
        return NULL;
    }
    add(o, "name", text_json(c->name), ok);
    add(o, "plugin", text_json(c->plugin), ok);
    add(o, "status", cJSON_CreateString(status_name(c->status)), ok);
    add(o, "message", text_json(c->message), ok);
    add(o, "severity", cJSON_CreateString(severity_name(c->severity)), ok);
    add(o, "started_at", time_json(c->started_ms), ok);
    add(o, "duration_ms", integer_json((int64_t)c->duration_ms), ok);
    for (size_t i = 0; i < c->metric_count; i++) {
        append(metrics, metric_json(c->metrics[i], ok), ok);
    }
    add(o, "metrics", metrics, ok);
    return o;
}

static cJSON *alert_json(const nbaq_alert *a, int *ok)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        *ok = 0;
        return NULL;
    }
    add(o, "fingerprint", text_json(a->fingerprint), ok);
    add(o, "check", text_json(a->check), ok);
    add(o, "metric", text_json(a->metric), ok);
    add(o, "summary", text_json(a->summary), ok);
    add(o, "severity", cJSON_CreateString(severity_name(a->severity)), ok);
    add(o, "state", cJSON_CreateString(alert_state_label(a->state)), ok);
    add(o, "started_at", time_json(a->started_ms), ok);
    add(o, "ended_at", optional_time_json(a->ended_ms), ok);
    add(o, "silenced_until", optional_time_json(a->silenced_until_ms), ok);
    add(o, "notify", cJSON_CreateBool(a->notify), ok);
    add(o, "failing_runs", integer_json((int64_t)a->failing_runs), ok);
    return o;
}

static cJSON *summary_json(const nbaq_run *run, int *ok)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL) {
        *ok = 0;
        return NULL;
    }
    add(o, "total", integer_json((int64_t)run->check_count), ok);
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
        add(o, status_name((nbaq_status)s),
            integer_json((int64_t)run->status_counts[s]), ok);
    }
    return o;
}

/* history_saved: 1 saved, 0 no store, -1 failed -> true, null, false. */
static cJSON *history_saved_json(int saved)
{
    return saved == 0 ? cJSON_CreateNull() : cJSON_CreateBool(saved > 0);
}

/* ------------------------------------------------------------------------ */
/* The document, written one member and one check at a time, so that only   */
/* the check being written is ever a cJSON tree (a whole run of 10,000     */
/* checks as one tree took ten times the memory of its text).              */

typedef struct writer {
    textbuf out;
    int pretty;
    int ok;
} writer;

/* Appends value as cJSON prints it, each line after the first indented by
 * depth tabs (cJSON's own indentation), then deletes value. */
static void put_value(writer *w, cJSON *value, int depth)
{
    char *text = NULL;
    if (value != NULL) {
        text = w->pretty ? cJSON_Print(value) : cJSON_PrintUnformatted(value);
    }
    cJSON_Delete(value);
    if (text == NULL) {
        w->ok = 0;
        return;
    }
    for (const char *p = text; *p != '\0';) {
        const char *newline = strchr(p, '\n');
        size_t n = newline ? (size_t)(newline - p) + 1 : strlen(p);
        textbuf_append(&w->out, p, n);
        for (int d = 0; newline != NULL && d < depth; d++) {
            textbuf_putc(&w->out, '\t');
        }
        p += n;
    }
    cJSON_free(text);
}

/* Starts member key (a fixed ASCII name) of the top-level object. */
static void put_key(writer *w, const char *key, int first)
{
    textbuf_printf(&w->out, "%s%s\"%s\":%s", first ? "" : ",",
                   w->pretty ? "\n\t" : "", key, w->pretty ? "\t" : "");
}

static void put_member(writer *w, const char *key, cJSON *value)
{
    put_key(w, key, 0);
    put_value(w, value, 1);
}

/* Starts element i of an array member. */
static void put_element_start(writer *w, size_t i)
{
    textbuf_printf(&w->out, "%s%s", i ? "," : "", w->pretty ? "\n\t\t" : "");
}

static void put_array_end(writer *w, size_t count)
{
    textbuf_puts(&w->out, w->pretty && count > 0 ? "\n\t]" : "]");
}

static void put_run(writer *w, const nbaq_run *run)
{
    textbuf_putc(&w->out, '{');
    put_key(w, "schema_version", 1);
    put_value(w, cJSON_CreateNumber(REPORT_SCHEMA_VERSION), 1);
    put_member(w, "monitor", text_json(run->monitor));
    put_member(w, "run_id", text_json(run->run_id));
    put_member(w, "started_at", time_json(run->started_ms));
    put_member(w, "finished_at", time_json(run->finished_ms));
    put_member(w, "duration_ms",
               integer_json((int64_t)(run->finished_ms - run->started_ms)));
    put_member(w, "status", cJSON_CreateString(status_name(run->status)));
    put_member(w, "summary", summary_json(run, &w->ok));
    put_member(w, "history_saved", history_saved_json(run->history_saved));
    put_key(w, "checks", 0);
    textbuf_putc(&w->out, '[');
    for (size_t i = 0; i < run->check_count; i++) {
        put_element_start(w, i);
        put_value(w, check_json(run->checks[i], &w->ok), 2);
    }
    put_array_end(w, run->check_count);
    put_key(w, "alerts", 0);
    textbuf_putc(&w->out, '[');
    for (size_t i = 0; i < run->alert_count; i++) {
        put_element_start(w, i);
        put_value(w, alert_json(run->alerts[i], &w->ok), 2);
    }
    put_array_end(w, run->alert_count);
    put_member(w, "recommendations",
               json_recommendations(run, text_json, &w->ok));
    textbuf_puts(&w->out, w->pretty ? "\n}\n" : "}\n");
}

static int json_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                       const nbaq_run *run, char *err, size_t err_size)
{
    writer w = {.pretty = api->opt_bool(api->options(ctx), "pretty"), .ok = 1};
    textbuf_init(&w.out);
    put_run(&w, run);
    if (!w.ok || textbuf_failed(&w.out)) {
        textbuf_free(&w.out);
        snprintf(err, err_size, "out of memory building the JSON report");
        return -1;
    }
    int rc =
        api->output_write(ctx, "json", w.out.data, w.out.len, err, err_size);
    textbuf_free(&w.out);
    return rc;
}

static const nbaq_plugin_descriptor json_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "json",
    .version = "1.0.0",
    .description = "the whole run as one JSON document "
                   "(docs/report.schema.json)",
    .options = json_options,
    .report = json_report,
    .flags = NBAQ_FLAG_WRITES_OUTPUT,
};

NBAQ_PLUGIN(json_descriptor)
