/*
 * markdown - the daily quality report as Markdown, readable on GitHub and
 * in a terminal: header, executive summary, recent checks, open alerts by
 * severity, metrics overview, trend analysis, recommendations. Statuses
 * show as an emoji and a word. See README.md.
 */
#include "escape.h"
#include "nbaq.h"
#include "numfmt.h"
#include "recommend.h"
#include "status.h"
#include "reportfmt.h"
#include "reportview.h"
#include "reportview_report.h"
#include "textbuf.h"

static void md_status(textbuf *b, nbaq_status s)
{
    textbuf_printf(b, "%s %s", reportview_status_icon(s), status_name(s));
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

static void md_header(const reportview_report *r)
{
    const nbaq_run *run = r->run;
    reportview_run_times t;
    reportview_run_times_of(run, &t);
    textbuf_puts(r->b, "# ");
    textfmt_md_text(r->b, r->title);
    textbuf_puts(r->b, ": ");
    textfmt_md_text(r->b, run->monitor);
    textbuf_printf(r->b,
                   "\n\n- **Date:** %s\n- **Time:** %s (took %s)\n"
                   "- **Monitor:** ",
                   t.date, t.clock, t.took);
    textfmt_md_code(r->b, run->monitor, 0);
    textbuf_puts(r->b, "\n- **Run:** ");
    textfmt_md_code(r->b, run->run_id, 0);
    textbuf_puts(r->b, "\n");
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
                       severity_name((nbaq_severity)s));
        sep = ", ";
    }
    if (v->open_count > 0)
        textbuf_putc(b, ')');
    textbuf_printf(b, ", %zu resolved by this run", v->resolved_count);
}

static void md_history_note(textbuf *b, int history_saved)
{
    if (history_saved < 0)
        textbuf_puts(b, "\u26a0\ufe0f ");
    textbuf_puts(b, reportview_history_note(history_saved));
}

static void md_summary(const reportview_report *r)
{
    const nbaq_run *run = r->run;
    size_t metrics = reportview_metric_total(run);
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
                   run->check_count == 1 ? "" : "s", metrics,
                   metrics == 1 ? "" : "s");
    md_alert_counts(r->b, &r->alerts);
    textbuf_puts(r->b, ". ");
    md_history_note(r->b, run->history_saved);
    textbuf_putc(r->b, '\n');
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
    textbuf_printf(b, " | %s | %s | ", severity_name(c->severity), took);
    textfmt_md_text(b, c->message);
    textbuf_puts(b, " |\n");
}

static void md_checks(const reportview_report *r)
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

/* "`check` › `metric`: summary", the start of an alert's line. */
static void md_alert_text(textbuf *b, const nbaq_alert *a)
{
    md_where(b, a->check, a->metric, 0);
    textbuf_puts(b, ": ");
    textfmt_md_text(b, a->summary);
}

static void md_alert_heading(textbuf *b, nbaq_severity severity, size_t n)
{
    textbuf_printf(b, "\n### %s %s (%zu)\n\n",
                   reportview_severity_icon(severity), severity_title(severity),
                   n);
}

static void md_alert_item(textbuf *b, const nbaq_alert *a)
{
    textbuf_printf(b, "- **%s** ", alert_state_label(a->state));
    md_alert_text(b, a);
    reportview_alert_since(b, a);
    textbuf_putc(b, '\n');
}

static void md_resolved_item(textbuf *b, const nbaq_alert *a)
{
    textbuf_puts(b, "- ");
    md_alert_text(b, a);
    reportview_alert_span(b, a);
    textbuf_putc(b, '\n');
}

static void md_alerts(const reportview_report *r)
{
    static const reportview_alert_markup markup = {
        .heading = md_alert_heading,
        .item = md_alert_item,
        .end = "",
        .omitted = md_omitted,
    };
    const reportview_alerts *v = &r->alerts;
    textbuf_puts(r->b, "\n## Active alerts\n");
    if (v->open_count == 0)
        textbuf_puts(r->b, "\nNo open alerts.\n");
    reportview_alert_groups(r, &markup);
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
    reportview_number(b, m->previous);
    textbuf_printf(b, " | %s |", pct);
}

static void md_metric_row(void *out, const nbaq_check_result *c,
                          const nbaq_metric *m)
{
    textbuf *b = out;
    textbuf_puts(b, "| ");
    md_status(b, m->status);
    if (m->anomalous)
        textbuf_puts(b, ", anomalous");
    textbuf_puts(b, " | ");
    md_metric_where(b, c, m);
    textbuf_puts(b, " | ");
    reportview_value_unit(b, m, textfmt_md_text);
    md_previous_cells(b, m);
    textbuf_puts(b, " ");
    textfmt_md_text(b, m->reason);
    textbuf_puts(b, " |\n");
}

/* Rows for the metrics keep picks (NULL: all), worst check first, at
 * most max_rows; returns how many keep picked. */
static size_t md_metric_rows(const reportview_report *r,
                             reportview_metric_filter keep,
                             reportview_metric_fn row)
{
    return reportview_each_metric(r->run, r->checks, keep, row, r->b,
                                  r->max_rows);
}

static void md_metrics(const reportview_report *r)
{
    textbuf_puts(r->b, "\n## Metrics overview\n\n");
    if (reportview_metric_total(r->run) == 0) {
        textbuf_puts(r->b, "No metrics in this run.\n");
        return;
    }
    textbuf_puts(r->b, "| Status | Metric | Value | Previous | Change | "
                       "Reason |\n| --- | --- | ---: | ---: | ---: | --- |\n");
    size_t n = md_metric_rows(r, NULL, md_metric_row);
    md_omitted(r->b, n > r->max_rows ? n - r->max_rows : 0, "max_rows");
}

static void md_trend_row(void *out, const nbaq_check_result *c,
                         const nbaq_metric *m)
{
    textbuf *b = out;
    char window[REPORTFMT_TIME_SIZE];
    reportfmt_duration(m->window_ms, window, sizeof(window));
    textbuf_puts(b, "| ");
    md_metric_where(b, c, m);
    textbuf_printf(b, " | %s %s | ", reportview_trend_arrow(m),
                   trend_name(m->trend));
    reportview_value_unit(b, m, textfmt_md_text);
    textbuf_printf(b, " | %s | %llu | ", window,
                   (unsigned long long)m->stats.count);
    reportview_stats_cells(b, m, "", " | ");
    b->len--; /* the last cell ends the row without its trailing space */
    textbuf_puts(b, "\n");
}

static void md_trends(const reportview_report *r)
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
    size_t n = md_metric_rows(r, reportview_has_stats, md_trend_row);
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

static int md_recommendations(const reportview_report *r)
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

static int md_write(const reportview_report *r)
{
    md_header(r);
    md_summary(r);
    md_checks(r);
    md_alerts(r);
    md_metrics(r);
    md_trends(r);
    int rc = md_recommendations(r);
    textbuf_puts(r->b, "\n---\nGenerated by nbaq (markdown reporter).\n");
    return rc;
}

static const reportview_format markdown_format = {
    .name = "markdown", .extension = "md", .write = md_write};

static int markdown_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                           const nbaq_run *run, char *err, size_t err_size)
{
    return reportview_report_write(api, ctx, run, &markdown_format, err,
                                   err_size);
}

static const nbaq_option_spec markdown_options[] = {REPORTVIEW_OPTIONS,
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
