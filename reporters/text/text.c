/*
 * text.c - the `text` reporter: a run summary for people, one line per
 * check, its metrics below it, then alerts and the counts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "nbaq.h"
#include "numfmt.h"
#include "status.h"
#include "reportfmt.h"
#include "reportview.h"
#include "text_recommend.h"
#include "text_sections.h"
#include "textbuf.h"

enum {
    TAG_WIDTH = 10, /* "[UNKNOWN] ": metrics are indented this far     */
    HISTORY_INDENT = 12
};

static const char *const color_choices[] = {"auto", "always", "never", NULL};

static const nbaq_option_spec text_options[] = {
    {.name = "color",
     .type = NBAQ_OPT_ENUM,
     .default_value = "auto",
     .choices = color_choices,
     .description = "ANSI colors on status tags: always, never, or auto "
                    "(for now the same as never; see README.md)"},
    {.name = "max_rows",
     .type = NBAQ_OPT_INT,
     .default_value = "200",
     .min = 1,
     .max = 1000000,
     .description = "rows shown in the metrics overview and in the trend "
                    "analysis, worst check first; the rest are counted"},
    NBAQ_OPTION_END};

/* ANSI SGR code per status. */
static const char *status_color(nbaq_status s)
{
    static const char *const codes[] = {"32", "33", "31", "1;31", "35"};
    return (unsigned)s < 5 ? codes[s] : "35";
}

/* ------------------------------------------------------------------------ */
/* Pieces                                                                    */

/* Appends s with control characters (which could drive the terminal)
 * shown as '?'. NULL appends nothing. */
static void put_clean(textbuf *b, const char *s)
{
    textfmt_line_text(b, s, 1);
}

static void put_spaces(textbuf *b, size_t n)
{
    while (n-- > 0) {
        textbuf_putc(b, ' ');
    }
}

/* "[PASS]", colored when color is on; returns its visible width. */
static size_t put_tag(textbuf *b, int color, nbaq_status s)
{
    const char *tag = status_tag(s);
    if (color) {
        textbuf_printf(b, "\033[%sm[%s]\033[0m", status_color(s), tag);
    } else {
        textbuf_printf(b, "[%s]", tag);
    }
    return strlen(tag) + 2;
}

static void put_number(textbuf *b, double value)
{
    char buf[TEXTFMT_NUMBER_SIZE];
    textfmt_number(buf, sizeof buf, value);
    textbuf_puts(b, buf);
}

/* ------------------------------------------------------------------------ */
/* Metrics                                                                   */

/* Statistics of one value say nothing the value does not: shown from two. */
static int has_window_stats(const nbaq_metric *m)
{
    return m->stats.count >= 2;
}

static int has_history(const nbaq_metric *m)
{
    return m->evidence.state != NBAQ_JUDGEMENT_NONE || m->has_previous ||
           has_window_stats(m) || m->trend != NBAQ_TREND_UNKNOWN ||
           isfinite(m->previous_window_mean);
}

static void put_stats(textbuf *b, const nbaq_metric *m)
{
    static const char *const names[] = {"min", "max", "mean", "median",
                                        "stddev"};
    const double values[] = {m->stats.min, m->stats.max, m->stats.mean,
                             m->stats.median, m->stats.stddev};
    char window[REPORTFMT_TIME_SIZE];
    textbuf_printf(b, "; last %s: count %llu",
                   reportfmt_duration(m->window_ms, window, sizeof window),
                   (unsigned long long)m->stats.count);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        textbuf_printf(b, ", %s ", names[i]);
        put_number(b, values[i]);
    }
}

/* "[950, 1050]"; a side the rule does not watch is "..." */
static void put_band(textbuf *b, double lower, double upper)
{
    textbuf_putc(b, '[');
    if (isfinite(lower))
        put_number(b, lower);
    else
        textbuf_puts(b, "...");
    textbuf_puts(b, ", ");
    if (isfinite(upper))
        put_number(b, upper);
    else
        textbuf_puts(b, "...");
    textbuf_putc(b, ']');
}

/* "expected 1000 [950, 1050]; ", "expected 1000 [950, 1050], open since
 * 2026-01-01T02:00:00.000Z; " or "learning 5 of 7; " */
static void put_evidence(textbuf *b, const nbaq_evidence *e)
{
    char when[REPORTFMT_TIME_SIZE];
    if (e->state == NBAQ_JUDGEMENT_LEARNING) {
        textbuf_printf(b, "learning %lu of %lu; ",
                       (unsigned long)e->points_used,
                       (unsigned long)e->points_needed);
        return;
    }
    if (e->state != NBAQ_JUDGEMENT_JUDGED && e->state != NBAQ_JUDGEMENT_OPEN)
        return;
    textbuf_puts(b, "expected ");
    put_number(b, e->expected);
    textbuf_putc(b, ' ');
    put_band(b, e->lower, e->upper);
    if (e->state == NBAQ_JUDGEMENT_OPEN && e->open_since_ms != 0)
        textbuf_printf(
            b, ", open since %s",
            reportfmt_iso8601_utc(e->open_since_ms, when, sizeof when));
    if (e->accepted_ms != 0)
        textbuf_printf(
            b, ", level accepted %s",
            reportfmt_iso8601_utc(e->accepted_ms, when, sizeof when));
    textbuf_puts(b, "; ");
}

/* "expected 3600 [3400, 3800]; previous 7200 (+1200.0%), trend worsening;
 * last 7d: count 7, min ...; previous window mean 3640" */
static void put_history(textbuf *b, const nbaq_metric *m)
{
    put_spaces(b, HISTORY_INDENT);
    put_evidence(b, &m->evidence);
    if (m->has_previous) {
        char change[TEXTFMT_NUMBER_SIZE];
        textfmt_percent_change(change, sizeof change, m->change_pct);
        textbuf_puts(b, "previous ");
        put_number(b, m->previous);
        textbuf_printf(b, " (%s), ", change);
    }
    textbuf_printf(b, "trend %s", trend_name(m->trend));
    if (has_window_stats(m)) {
        put_stats(b, m);
    }
    if (isfinite(m->previous_window_mean)) {
        textbuf_puts(b, "; previous window mean ");
        put_number(b, m->previous_window_mean);
    }
    textbuf_putc(b, '\n');
}

/* "          used = 2643 MB [PASS] reason" */
static void put_metric(textbuf *b, int color, const nbaq_metric *m)
{
    put_spaces(b, TAG_WIDTH);
    put_clean(b, m->name);
    textbuf_puts(b, " = ");
    put_number(b, m->value);
    if (m->unit != NULL && m->unit[0] != '\0') {
        textbuf_putc(b, ' ');
        put_clean(b, m->unit);
    }
    textbuf_putc(b, ' ');
    put_tag(b, color, m->status);
    if (m->anomalous) {
        textbuf_puts(b, " anomalous");
    }
    if (m->reason != NULL && m->reason[0] != '\0') {
        textbuf_puts(b, m->anomalous ? ": " : " ");
        put_clean(b, m->reason);
    }
    textbuf_putc(b, '\n');
    if (has_history(m)) {
        put_history(b, m);
    }
}

/* ------------------------------------------------------------------------ */
/* Checks, alerts, summary                                                   */

typedef struct columns {
    size_t name;     /* widest check name                                 */
    size_t duration; /* widest duration                                   */
} columns;

static columns measure(const nbaq_run *run)
{
    columns w = {0, 0};
    char duration[REPORTFMT_TIME_SIZE];
    for (size_t i = 0; i < run->check_count; i++) {
        const nbaq_check_result *c = run->checks[i];
        size_t name = c->name ? strlen(c->name) : 0;
        reportfmt_duration(c->duration_ms, duration, sizeof duration);
        w.name = name > w.name ? name : w.name;
        w.duration =
            strlen(duration) > w.duration ? strlen(duration) : w.duration;
    }
    return w;
}

/* "[FAIL]    orders_landing   1.25s  message" */
static void put_check(textbuf *b, int color, const columns *w,
                      const nbaq_check_result *c)
{
    char duration[REPORTFMT_TIME_SIZE];
    reportfmt_duration(c->duration_ms, duration, sizeof duration);
    put_spaces(b, TAG_WIDTH - put_tag(b, color, c->status));
    put_clean(b, c->name);
    put_spaces(b, w->name - (c->name ? strlen(c->name) : 0) + 2 + w->duration -
                      strlen(duration));
    textbuf_puts(b, duration);
    textbuf_puts(b, "  ");
    put_clean(b, c->message);
    textbuf_putc(b, '\n');
    for (size_t i = 0; i < c->metric_count; i++) {
        put_metric(b, color, c->metrics[i]);
    }
}

/* "  new       HIGH      check/metric: summary (since ..., 3 failing runs,
 *  notify)" */
static void put_alert(textbuf *b, const nbaq_alert *a)
{
    char when[REPORTFMT_TIME_SIZE];
    const char *state = alert_state_label(a->state);
    const char *severity = severity_name(a->severity);
    textbuf_printf(b, "  %-10s%-10s", state, severity);
    put_clean(b, a->check);
    if (a->metric != NULL && a->metric[0] != '\0') {
        textbuf_putc(b, '/');
        put_clean(b, a->metric);
    }
    textbuf_puts(b, ": ");
    put_clean(b, a->summary);
    textbuf_printf(b, " (since %s",
                   reportfmt_iso8601_utc(a->started_ms, when, sizeof when));
    if (a->ended_ms != 0) {
        textbuf_printf(b, ", ended %s",
                       reportfmt_iso8601_utc(a->ended_ms, when, sizeof when));
    }
    if (a->silenced_until_ms != 0) {
        textbuf_printf(
            b, ", silenced until %s",
            reportfmt_iso8601_utc(a->silenced_until_ms, when, sizeof when));
    }
    textbuf_printf(
        b, ", %lu failing run%s%s)\n", (unsigned long)a->failing_runs,
        a->failing_runs == 1 ? "" : "s", a->notify ? ", notify" : "");
}

static void put_header(textbuf *b, const nbaq_run *run)
{
    char started[REPORTFMT_TIME_SIZE], took[REPORTFMT_TIME_SIZE];
    textbuf_puts(b, "nbaq monitor ");
    put_clean(b, run->monitor);
    textbuf_puts(b, ", run ");
    put_clean(b, run->run_id);
    textbuf_printf(
        b, "\nstarted %s, took %s\n\n",
        reportfmt_iso8601_utc(run->started_ms, started, sizeof started),
        reportfmt_duration(run->finished_ms - run->started_ms, took,
                           sizeof took));
}

/* "5 checks: 2 PASS, 1 WARNING, 1 FAIL, 1 ERROR, 0 UNKNOWN; status [FAIL];
 * history saved" */
static void put_summary(textbuf *b, int color, const nbaq_run *run)
{
    static const char *const history[] = {"history NOT saved",
                                          "no history store", "history saved"};
    textbuf_printf(b, "%zu check%s:", run->check_count,
                   run->check_count == 1 ? "" : "s");
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
        textbuf_printf(b, "%s %zu %s", s ? "," : "", run->status_counts[s],
                       status_name((nbaq_status)s));
    }
    textbuf_puts(b, "; status ");
    put_tag(b, color, run->status);
    int saved = run->history_saved < 0 ? 0 : run->history_saved > 0 ? 2 : 1;
    textbuf_printf(b, "; %s\n", history[saved]);
}

/* ------------------------------------------------------------------------ */

/* always: colors; never: none; auto: colors only when the report goes to
 * a terminal. */
static int colors_wanted(const nbaq_host_api *api, const nbaq_ctx *ctx)
{
    const char *mode = api->opt_string(api->options(ctx), "color");
    if (mode != NULL && strcmp(mode, "always") == 0)
        return 1;
    if (mode != NULL && strcmp(mode, "auto") == 0)
        return api->output_is_terminal(ctx);
    return 0;
}

/* The sections after the header and the counts: checks, alerts, metrics
 * overview, trend analysis, recommendations. -1 when memory runs out. */
static int put_sections(textbuf *b, const nbaq_host_api *api, nbaq_ctx *ctx,
                        const nbaq_run *run, int color)
{
    const nbaq_check_result **checks = reportview_checks_worst_first(run);
    if (run->check_count > 0 && checks == NULL)
        return -1;
    columns w = measure(run);
    for (size_t i = 0; i < run->check_count; i++) {
        put_check(b, color, &w, run->checks[i]);
    }
    if (run->alert_count > 0) {
        textbuf_printf(b, "\nAlerts:\n");
        for (size_t i = 0; i < run->alert_count; i++) {
            put_alert(b, run->alerts[i]);
        }
    }
    text_markup markup = {put_clean, put_tag, color};
    size_t max_rows = (size_t)api->opt_int(api->options(ctx), "max_rows");
    text_metric_sections(b, run, checks, &markup, max_rows);
    int rc = text_recommendations(b, run, checks, &markup);
    free(checks);
    return rc;
}

static int text_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                       const nbaq_run *run, char *err, size_t err_size)
{
    int color = colors_wanted(api, ctx);
    textbuf b;
    textbuf_init(&b);
    put_header(&b, run);
    int failed = put_sections(&b, api, ctx, run, color) != 0;
    textbuf_putc(&b, '\n');
    put_summary(&b, color, run);
    if (failed || textbuf_failed(&b)) {
        textbuf_free(&b);
        snprintf(err, err_size, "out of memory building the text report");
        return -1;
    }
    int rc = api->output_write(ctx, "txt", b.data, b.len, err, err_size);
    textbuf_free(&b);
    return rc;
}

static const nbaq_plugin_descriptor text_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "text",
    .version = "1.0.0",
    .description = "a run summary for people: checks, metrics, history, "
                   "alerts and counts",
    .options = text_options,
    .report = text_report,
    .flags = NBAQ_FLAG_WRITES_OUTPUT,
};

NBAQ_PLUGIN(text_descriptor)
