/*
 * markdown - the daily quality report as Markdown, readable on GitHub and
 * in a terminal: header, executive summary, recent checks, open alerts by
 * severity, metrics overview, trend analysis, recommendations. Statuses
 * show as an emoji and a word. See README.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "nbaq.h"
#include "numfmt.h"
#include "recommend.h"
#include "reportfmt.h"
#include "reportview.h"
#include "textbuf.h"

typedef struct md_report {
    textbuf *b;
    const nbaq_run *run;
    const nbaq_check_result **checks; /* worst first */
    const char *title;
    size_t max_rows;
    size_t max_recommendations;
} md_report;

static void md_status(textbuf *b, nbaq_status s)
{
    textbuf_printf(b, "%s %s", reportview_status_icon(s),
                   reportfmt_status_name(s));
}

static void md_number(textbuf *b, double v)
{
    char text[TEXTFMT_NUMBER_SIZE];
    textfmt_number(text, sizeof(text), v);
    textbuf_puts(b, text);
}

static void md_value_unit(textbuf *b, const nbaq_metric *m)
{
    md_number(b, m->value);
    if (m->unit[0]) {
        textbuf_putc(b, ' ');
        textfmt_md_text(b, m->unit);
    }
}

/* "`check` › `metric`"; metric NULL or "": the check alone. */
static void md_where(textbuf *b, const char *check, const char *metric,
                     int in_table)
{
    textfmt_md_code(b, check, in_table);
    if (metric && metric[0]) {
        textbuf_puts(b, " \u203a ");
        textfmt_md_code(b, metric, in_table);
    }
}

/* A metric's row label, shown even when the metric's name is empty. */
static void md_metric_where(textbuf *b, const nbaq_check_result *c,
                            const nbaq_metric *m)
{
    textfmt_md_code(b, c->name, 1);
    textbuf_puts(b, " \u203a ");
    textfmt_md_code(b, m->name, 1);
}

static void md_omitted(textbuf *b, size_t omitted, const char *option)
{
    if (omitted > 0)
        textbuf_printf(b, "\n%zu more not shown (raise `%s`).\n", omitted,
                       option);
}

/* --- header and summary ------------------------------------------------ */

static void md_header(md_report *r)
{
    const nbaq_run *run = r->run;
    char date[REPORTVIEW_TIME_SIZE], clock[REPORTVIEW_TIME_SIZE],
        took[REPORTFMT_TIME_SIZE];
    reportview_date(run->started_ms, date, sizeof(date));
    reportview_clock(run->started_ms, clock, sizeof(clock));
    reportfmt_duration(run->finished_ms - run->started_ms, took, sizeof(took));
    textbuf_puts(r->b, "# ");
    textfmt_md_text(r->b, r->title);
    textbuf_puts(r->b, ": ");
    textfmt_md_text(r->b, run->monitor);
    textbuf_printf(r->b,
                   "\n\n- **Date:** %s\n- **Time:** %s (took %s)\n"
                   "- **Monitor:** ",
                   date, clock, took);
    textfmt_md_code(r->b, run->monitor, 0);
    textbuf_puts(r->b, "\n- **Run:** ");
    textfmt_md_code(r->b, run->run_id, 0);
    textbuf_puts(r->b, "\n");
}

static size_t metric_total(const nbaq_run *run)
{
    size_t n = 0;
    for (size_t i = 0; i < run->check_count; i++)
        n += run->checks[i]->metric_count;
    return n;
}

static void md_alert_counts(textbuf *b, const reportview_alerts *v)
{
    textbuf_printf(b, "%zu open alert%s", v->open_count,
                   v->open_count == 1 ? "" : "s");
    const char *sep = " (";
    for (int s = NBAQ_SEVERITY_COUNT - 1; s >= 0; s--) {
        if (v->by_severity[s] == 0)
            continue;
        textbuf_printf(b, "%s%zu %s", sep, v->by_severity[s],
                       reportfmt_severity_name((nbaq_severity)s));
        sep = ", ";
    }
    if (v->open_count > 0)
        textbuf_putc(b, ')');
    textbuf_printf(b, ", %zu resolved by this run", v->resolved_count);
}

static const char *history_note(int history_saved)
{
    if (history_saved > 0)
        return "History saved.";
    if (history_saved == 0)
        return "No history store configured, so no trends.";
    return "\u26a0\ufe0f Saving history failed: the next trends may miss "
           "this run.";
}

static void md_summary(md_report *r, const reportview_alerts *v)
{
    const nbaq_run *run = r->run;
    textbuf_puts(r->b, "\n## Executive summary\n\n**Overall health: ");
    md_status(r->b, run->status);
    textbuf_printf(r->b, ".** %s\n\n| Status | Checks |\n| --- | ---: |\n",
                   reportview_health_text(run->status));
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
        textbuf_puts(r->b, "| ");
        md_status(r->b, (nbaq_status)s);
        textbuf_printf(r->b, " | %zu |\n", run->status_counts[s]);
    }
    textbuf_printf(r->b, "\n%zu check%s, %zu metric%s, ", run->check_count,
                   run->check_count == 1 ? "" : "s", metric_total(run),
                   metric_total(run) == 1 ? "" : "s");
    md_alert_counts(r->b, v);
    textbuf_printf(r->b, ". %s\n", history_note(run->history_saved));
}

/* --- recent checks ----------------------------------------------------- */

static void md_check_row(textbuf *b, const nbaq_check_result *c)
{
    char took[REPORTFMT_TIME_SIZE];
    reportfmt_duration(c->duration_ms, took, sizeof(took));
    textbuf_puts(b, "| ");
    md_status(b, c->status);
    textbuf_puts(b, " | ");
    textfmt_md_code(b, c->name, 1);
    textbuf_puts(b, " | ");
    textfmt_md_code(b, c->plugin, 1);
    textbuf_printf(b, " | %s | %s | ", reportfmt_severity_name(c->severity),
                   took);
    textfmt_md_text(b, c->message);
    textbuf_puts(b, " |\n");
}

static void md_checks(md_report *r)
{
    textbuf_puts(r->b, "\n## Recent checks\n\n");
    if (r->run->check_count == 0) {
        textbuf_puts(r->b, "No checks ran.\n");
        return;
    }
    textbuf_puts(r->b,
                 "Worst first.\n\n| Status | Check | Plugin | Severity "
                 "| Duration | Message |\n| --- | --- | --- | --- | ---: | "
                 "--- |\n");
    size_t shown =
        r->run->check_count < r->max_rows ? r->run->check_count : r->max_rows;
    for (size_t i = 0; i < shown; i++)
        md_check_row(r->b, r->checks[i]);
    md_omitted(r->b, r->run->check_count - shown, "max_rows");
}

/* --- alerts ------------------------------------------------------------ */

static void md_alert_item(textbuf *b, const nbaq_alert *a)
{
    char since[REPORTVIEW_TIME_SIZE];
    reportview_time(a->started_ms, since, sizeof(since));
    textbuf_printf(b, "- **%s** ", reportfmt_alert_state_name(a->state));
    md_where(b, a->check, a->metric, 0);
    textbuf_puts(b, ": ");
    textfmt_md_text(b, a->summary);
    textbuf_printf(b, " (since %s, %u failing run%s", since, a->failing_runs,
                   a->failing_runs == 1 ? "" : "s");
    if (a->state == NBAQ_ALERT_SILENCED) {
        char until[REPORTVIEW_TIME_SIZE];
        reportview_time(a->silenced_until_ms, until, sizeof(until));
        textbuf_printf(b, "; silenced until %s", until);
    }
    textbuf_puts(b, ")\n");
}

static void md_resolved_item(textbuf *b, const nbaq_alert *a)
{
    char since[REPORTVIEW_TIME_SIZE], ended[REPORTVIEW_TIME_SIZE];
    reportview_time(a->started_ms, since, sizeof(since));
    reportview_time(a->ended_ms, ended, sizeof(ended));
    textbuf_puts(b, "- ");
    md_where(b, a->check, a->metric, 0);
    textbuf_puts(b, ": ");
    textfmt_md_text(b, a->summary);
    textbuf_printf(b, " (open from %s to %s)\n", since, ended);
}

static void md_alerts(md_report *r, const reportview_alerts *v)
{
    textbuf_puts(r->b, "\n## Active alerts\n");
    if (v->open_count == 0)
        textbuf_puts(r->b, "\nNo open alerts.\n");
    size_t next = 0;
    for (int s = NBAQ_SEVERITY_COUNT - 1; s >= 0; s--) {
        size_t n = v->by_severity[s];
        if (n == 0)
            continue;
        textbuf_printf(r->b, "\n### %s %s (%zu)\n\n",
                       reportview_severity_icon((nbaq_severity)s),
                       reportview_severity_title((nbaq_severity)s), n);
        for (size_t i = 0; i < n; i++, next++)
            if (i < r->max_rows)
                md_alert_item(r->b, v->open[next]);
        md_omitted(r->b, n > r->max_rows ? n - r->max_rows : 0, "max_rows");
    }
    if (v->resolved_count == 0)
        return;
    textbuf_puts(r->b, "\n### Resolved by this run\n\n");
    for (size_t i = 0; i < v->resolved_count && i < r->max_rows; i++)
        md_resolved_item(r->b, v->resolved[i]);
}

/* --- metrics and trends ------------------------------------------------ */

static void md_previous_cells(textbuf *b, const nbaq_metric *m)
{
    char pct[TEXTFMT_NUMBER_SIZE];
    if (!m->has_previous) {
        textbuf_puts(b, " | \u2013 | \u2013 |");
        return;
    }
    textfmt_percent_change(pct, sizeof(pct), m->change_pct);
    textbuf_puts(b, " | ");
    md_number(b, m->previous);
    textbuf_printf(b, " | %s |", pct);
}

static void md_metric_row(textbuf *b, const nbaq_check_result *c,
                          const nbaq_metric *m)
{
    textbuf_puts(b, "| ");
    md_status(b, m->status);
    if (m->anomalous)
        textbuf_puts(b, ", anomalous");
    textbuf_puts(b, " | ");
    md_metric_where(b, c, m);
    textbuf_puts(b, " | ");
    md_value_unit(b, m);
    md_previous_cells(b, m);
    textbuf_puts(b, " ");
    textfmt_md_text(b, m->reason);
    textbuf_puts(b, " |\n");
}

/* Calls row for each metric of the checks, worst check first, that
 * passes keep; stops after max_rows rows and returns how many matched. */
typedef int (*metric_filter)(const nbaq_metric *m);
typedef void (*metric_row_fn)(textbuf *b, const nbaq_check_result *c,
                              const nbaq_metric *m);

static size_t md_metric_rows(md_report *r, metric_filter keep,
                             metric_row_fn row)
{
    size_t matched = 0;
    for (size_t i = 0; i < r->run->check_count; i++) {
        const nbaq_check_result *c = r->checks[i];
        for (size_t j = 0; j < c->metric_count; j++) {
            if (!keep(c->metrics[j]))
                continue;
            if (matched++ < r->max_rows)
                row(r->b, c, c->metrics[j]);
        }
    }
    return matched;
}

static int any_metric(const nbaq_metric *m)
{
    (void)m;
    return 1;
}

static void md_metrics(md_report *r)
{
    textbuf_puts(r->b, "\n## Metrics overview\n\n");
    if (metric_total(r->run) == 0) {
        textbuf_puts(r->b, "No metrics in this run.\n");
        return;
    }
    textbuf_puts(r->b, "| Status | Metric | Value | Previous | Change | "
                       "Reason |\n| --- | --- | ---: | ---: | ---: | --- |\n");
    size_t n = md_metric_rows(r, any_metric, md_metric_row);
    md_omitted(r->b, n > r->max_rows ? n - r->max_rows : 0, "max_rows");
}

static int has_trend(const nbaq_metric *m)
{
    return m->stats.count > 0;
}

static void md_trend_row(textbuf *b, const nbaq_check_result *c,
                         const nbaq_metric *m)
{
    char window[REPORTFMT_TIME_SIZE];
    reportfmt_duration(m->window_ms, window, sizeof(window));
    textbuf_puts(b, "| ");
    md_metric_where(b, c, m);
    textbuf_printf(b, " | %s %s | ", reportview_trend_arrow(m),
                   reportfmt_trend_name(m->trend));
    md_value_unit(b, m);
    textbuf_printf(b, " | %s | %llu | ", window,
                   (unsigned long long)m->stats.count);
    const double cells[] = {m->stats.mean,   m->stats.median,
                            m->stats.min,    m->stats.max,
                            m->stats.stddev, m->previous_window_mean};
    for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
        md_number(b, cells[i]);
        textbuf_puts(b, " | ");
    }
    b->len--; /* the last cell ends the row without its trailing space */
    textbuf_puts(b, "\n");
}

static void md_trends(md_report *r)
{
    textbuf_puts(r->b, "\n## Trend analysis\n\n");
    textbuf_puts(r->b,
                 "Statistics over each metric's trend window, this run "
                 "included; *before* is the mean of the window before it.\n\n");
    textbuf_puts(r->b,
                 "| Metric | Trend | Value | Window | Runs | Mean | "
                 "Median | Min | Max | Std dev | Before |\n| --- | --- | "
                 "---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
                 "---: |\n");
    size_t before = r->b->len;
    size_t n = md_metric_rows(r, has_trend, md_trend_row);
    if (n == 0 && !textbuf_failed(r->b)) {
        r->b->len = before;
        textbuf_puts(r->b, "No history yet: trends appear once a history "
                           "store holds a few runs.\n");
    }
    md_omitted(r->b, n > r->max_rows ? n - r->max_rows : 0, "max_rows");
}

/* --- recommendations --------------------------------------------------- */

static void md_recommendation(textbuf *b, size_t number,
                              const recommendation *rec)
{
    textbuf_printf(b, "%zu. %s **%s:** ", number,
                   reportview_status_icon(rec->status), rec->title);
    md_where(b, rec->check->name, rec->metric ? rec->metric->name : NULL, 0);
    textbuf_puts(b, " (plugin ");
    textfmt_md_code(b, rec->check->plugin, 0);
    textbuf_puts(b, ")\n   - **What:** ");
    textfmt_md_text(b, rec->what);
    if (rec->since[0]) {
        textbuf_puts(b, "\n   - **Since:** ");
        textfmt_md_text(b, rec->since);
    }
    textbuf_puts(b, "\n   - **Look at:** ");
    textfmt_md_text(b, rec->look);
    textbuf_putc(b, '\n');
}

static int md_recommendations(md_report *r)
{
    recommendation_list list;
    if (recommend_build(&list, r->run, r->checks, r->max_recommendations) != 0)
        return -1;
    textbuf_puts(r->b, "\n## Recommendations\n\n");
    if (list.count == 0)
        textbuf_puts(r->b, "Nothing to do: no check failed, no metric is "
                           "over a limit, anomalous or worsening.\n");
    for (size_t i = 0; i < list.count; i++)
        md_recommendation(r->b, i + 1, &list.items[i]);
    md_omitted(r->b, list.omitted, "max_recommendations");
    recommend_free(&list);
    return 0;
}

/* --- the report -------------------------------------------------------- */

static int md_write(md_report *r)
{
    reportview_alerts alerts;
    if (reportview_alerts_init(&alerts, r->run) != 0)
        return -1;
    md_header(r);
    md_summary(r, &alerts);
    md_checks(r);
    md_alerts(r, &alerts);
    md_metrics(r);
    md_trends(r);
    int rc = md_recommendations(r);
    reportview_alerts_free(&alerts);
    textbuf_puts(r->b, "\n---\nGenerated by nbaq (markdown reporter).\n");
    return rc;
}

static int markdown_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                           const nbaq_run *run, char *err, size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    textbuf out;
    textbuf_init(&out);
    md_report r = {
        .b = &out,
        .run = run,
        .checks = reportview_checks_worst_first(run),
        .title = api->opt_string(o, "title"),
        .max_rows = (size_t)api->opt_int(o, "max_rows"),
        .max_recommendations = (size_t)api->opt_int(o, "max_recommendations"),
    };
    int rc = -1;
    if ((run->check_count > 0 && !r.checks) || md_write(&r) != 0 ||
        textbuf_failed(&out))
        snprintf(err, err_size,
                 "markdown: out of memory building the report "
                 "of %zu checks",
                 run->check_count);
    else
        rc = api->output_write(ctx, "md", out.data, out.len, err, err_size);
    free(r.checks);
    textbuf_free(&out);
    return rc;
}

static const nbaq_option_spec markdown_options[] = {
    {.name = "title",
     .type = NBAQ_OPT_STRING,
     .default_value = "Data quality report",
     .description = "first words of the heading, before the monitor name"},
    {.name = "max_rows",
     .type = NBAQ_OPT_INT,
     .default_value = "200",
     .min = 1,
     .max = 1000000,
     .description = "rows shown per table and alerts per severity, worst "
                    "first; the rest are counted"},
    {.name = "max_recommendations",
     .type = NBAQ_OPT_INT,
     .default_value = "20",
     .min = 0,
     .max = 10000,
     .description = "recommendations shown, worst first; the rest are "
                    "counted"},
    NBAQ_OPTION_END};

static const nbaq_plugin_descriptor markdown_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "markdown",
    .version = "1.0.0",
    .description = "daily quality report in Markdown, for GitHub and "
                   "terminals",
    .options = markdown_options,
    .report = markdown_report,
    .flags = NBAQ_FLAG_WRITES_OUTPUT,
};

NBAQ_PLUGIN(markdown_descriptor)
