/*
 * html - the daily quality report as one self-contained HTML file: the
 * sections of the markdown report, an inline SVG line chart of each
 * metric's history, styles inline, no scripts, fonts or external
 * resources (a Content-Security-Policy forbids them), readable on a
 * phone. Every piece of outside text is escaped. See README.md.
 */
#include <math.h>

#include "escape.h"
#include "nbaq.h"
#include "numfmt.h"
#include "recommend.h"
#include "status.h"
#include "reportfmt.h"
#include "reportview.h"
#include "reportview_report.h"
#include "textbuf.h"

/* The trend section's charts. */
typedef struct html_charts {
    textbuf *b;
    size_t max_charts;
    size_t chart_points; /* drawn per chart at most, 2 or more */
} html_charts;

/* The column names the cards of a narrow screen show, per table. */
#define CARD_LABELS                                                            \
    "#checks td:nth-child(1)::before{content:'Status'}"                        \
    "#checks td:nth-child(2)::before{content:'Check'}"                         \
    "#checks td:nth-child(3)::before{content:'Plugin'}"                        \
    "#checks td:nth-child(4)::before{content:'Severity'}"                      \
    "#checks td:nth-child(5)::before{content:'Duration'}"                      \
    "#checks td:nth-child(6)::before{content:'Message'}"                       \
    "#metrics td:nth-child(1)::before{content:'Status'}"                       \
    "#metrics td:nth-child(2)::before{content:'Metric'}"                       \
    "#metrics td:nth-child(3)::before{content:'Value'}"                        \
    "#metrics td:nth-child(4)::before{content:'Previous'}"                     \
    "#metrics td:nth-child(5)::before{content:'Change'}"                       \
    "#metrics td:nth-child(6)::before{content:'Reason'}"                       \
    "#trends td:nth-child(1)::before{content:'Metric'}"                        \
    "#trends td:nth-child(2)::before{content:'Trend'}"                         \
    "#trends td:nth-child(3)::before{content:'Value'}"                         \
    "#trends td:nth-child(4)::before{content:'Window'}"                        \
    "#trends td:nth-child(5)::before{content:'Runs'}"                          \
    "#trends td:nth-child(6)::before{content:'Mean'}"                          \
    "#trends td:nth-child(7)::before{content:'Median'}"                        \
    "#trends td:nth-child(8)::before{content:'Min'}"                           \
    "#trends td:nth-child(9)::before{content:'Max'}"                           \
    "#trends td:nth-child(10)::before{content:'Std dev'}"                      \
    "#trends td:nth-child(11)::before{content:'Before'}"

static const char html_style[] =
    ":root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;"
    "--line:#d0d7de;--pass:#1a7f37;--warn:#9a6700;--fail:#cf222e;"
    "--err:#8250df}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;"
    "--muted:#8d96a0;--line:#30363d;--pass:#3fb950;--warn:#d29922;"
    "--fail:#f85149;--err:#a371f7}}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:72rem;padding:1rem;font:15px/1.45 "
    "system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);"
    "background:var(--bg)}\n"
    "h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;"
    "margin:1.6rem 0 .6rem;border-bottom:1px solid var(--line)}"
    "h3{font-size:1rem}\n"
    "code{font:.9em ui-monospace,monospace;overflow-wrap:anywhere}\n"
    ".meta{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:0;"
    "color:var(--muted)}.meta div{display:flex;gap:.3rem}.meta dd{margin:0;"
    "color:var(--fg)}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;font-size:.9rem}th,td{padding:.3rem "
    ".5rem;border-bottom:1px solid var(--line);text-align:left;"
    "vertical-align:top}td.n,th.n{text-align:right;white-space:nowrap}\n"
    ".st{white-space:nowrap;font-weight:600}.st-pass{color:var(--pass)}"
    ".st-warning{color:var(--warn)}.st-fail{color:var(--fail)}"
    ".st-error,.st-unknown{color:var(--err)}\n"
    ".health{font-size:1.1rem}\n"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(16rem,1fr));gap:.8rem;margin-top:1rem}\n"
    "figure{margin:0;padding:.5rem;border:1px solid var(--line);"
    "border-radius:6px}figcaption{font-size:.85rem;margin-bottom:.3rem}\n"
    "svg{width:100%;height:auto;display:block}"
    "svg .ln{fill:none;stroke:currentColor;stroke-width:1.5}"
    "svg .ax{stroke:var(--line)}svg text{font-size:9px;fill:var(--muted)}\n"
    "svg .band{fill:var(--pass);opacity:.18}svg .flag{fill:none;"
    "stroke:var(--fail);stroke-width:2}\n"
    "svg.ic{display:inline-block;width:.85em;height:.85em;"
    "vertical-align:-.08em}\n"
    "ol.recs li{margin-bottom:.8rem}ol.recs dl{margin:.2rem 0}"
    "ol.recs dt{font-weight:600;float:left;margin-right:.4rem}"
    "ol.recs dd{margin:0 0 .2rem}\n"
    "footer{margin-top:2rem;color:var(--muted);font-size:.8rem}\n"
    /* Wide screens: tables take the width and long names wrap, so no
     * column hides behind a scrollbar. Narrow ones: each row is a card,
     * each cell labelled by its column (the header stays for readers). */
    ".scroll table{width:100%}\n"
    "@media (max-width:48rem){"
    ".cards table,.cards tbody,.cards tr,.cards td{display:block;"
    "width:100%}.cards thead{position:absolute;width:1px;height:1px;"
    "overflow:hidden;clip-path:inset(50%)}"
    ".cards tr{border:1px solid var(--line);border-radius:6px;"
    "margin:0 0 .6rem;padding:.3rem .5rem}"
    ".cards td,.cards td.n{border:0;padding:.1rem 0;text-align:left;"
    "white-space:normal}.cards td::before{display:inline-block;"
    "min-width:6rem;color:var(--muted);font-size:.8rem}\n" CARD_LABELS "}\n";

static const char *status_class(nbaq_status s)
{
    switch (s) {
    case NBAQ_PASS:
        return "st-pass";
    case NBAQ_WARNING:
        return "st-warning";
    case NBAQ_FAIL:
        return "st-fail";
    case NBAQ_ERROR:
        return "st-error";
    default:
        return "st-unknown";
    }
}

static void h_status(textbuf *b, nbaq_status s)
{
    textbuf_printf(b, "<span class=\"st %s\">%s %s</span>", status_class(s),
                   reportview_status_svg(s), status_name(s));
}

static void h_code(textbuf *b, const char *s)
{
    textbuf_puts(b, "<code>");
    textfmt_html(b, s);
    textbuf_puts(b, "</code>");
}

static void h_where(textbuf *b, const char *check, const char *metric)
{
    h_code(b, check);
    if (metric && metric[0]) {
        textbuf_puts(b, " \u203a ");
        h_code(b, metric);
    }
}

static void h_omitted(textbuf *b, size_t omitted, const char *option)
{
    if (omitted > 0)
        textbuf_printf(b,
                       "<p>%zu more not shown (raise <code>%s</code>)."
                       "</p>\n",
                       omitted, option);
}

/* --- head, header and summary ------------------------------------------ */

static void h_head(const reportview_report *r)
{
    textbuf_puts(r->b,
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                 "<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, "
                 "initial-scale=1\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\""
                 "default-src 'none'; style-src 'unsafe-inline'; img-src "
                 "data:\">\n<link rel=\"icon\" href=\"data:,\">\n<title>");
    textfmt_html(r->b, r->title);
    textbuf_puts(r->b, ": ");
    textfmt_html(r->b, r->run->monitor);
    textbuf_printf(r->b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
                   html_style);
}

static void h_meta_item(textbuf *b, const char *term, const char *value,
                        int code)
{
    textbuf_printf(b, "<div><dt>%s</dt><dd>", term);
    if (code)
        h_code(b, value);
    else
        textfmt_html(b, value);
    textbuf_puts(b, "</dd></div>");
}

static void h_header(const reportview_report *r)
{
    const nbaq_run *run = r->run;
    reportview_run_times t;
    reportview_run_times_of(run, &t);
    textbuf_puts(r->b, "<header id=\"header\">\n<h1>");
    textfmt_html(r->b, r->title);
    textbuf_puts(r->b, ": ");
    textfmt_html(r->b, run->monitor);
    textbuf_puts(r->b, "</h1>\n<dl class=\"meta\">");
    h_meta_item(r->b, "Date", t.date, 0);
    h_meta_item(r->b, "Time", t.clock, 0);
    h_meta_item(r->b, "Took", t.took, 0);
    h_meta_item(r->b, "Monitor", run->monitor, 1);
    h_meta_item(r->b, "Run", run->run_id, 1);
    textbuf_puts(r->b, "</dl>\n</header>\n");
}

static void h_summary(const reportview_report *r)
{
    const nbaq_run *run = r->run;
    textbuf_puts(r->b, "<section id=\"summary\">\n<h2>Executive summary</h2>"
                       "\n<p class=\"health\"><strong>Overall health: ");
    h_status(r->b, run->status);
    textbuf_printf(r->b,
                   "</strong> %s</p>\n<div class=\"scroll\"><table>"
                   "<thead><tr><th>Status</th><th class=\"n\">Checks</th>"
                   "</tr></thead><tbody>\n",
                   reportview_health_text(run->status));
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
        textbuf_puts(r->b, "<tr><td>");
        h_status(r->b, (nbaq_status)s);
        textbuf_printf(r->b, "</td><td class=\"n\">%zu</td></tr>\n",
                       run->status_counts[s]);
    }
    textbuf_printf(r->b,
                   "</tbody></table></div>\n<p>%zu checks, %zu "
                   "metrics, %zu open alerts, %zu resolved by this run. "
                   "%s</p>\n</section>\n",
                   run->check_count, reportview_metric_total(run),
                   r->alerts.open_count, r->alerts.resolved_count,
                   reportview_history_note(run->history_saved));
}

/* --- recent checks ----------------------------------------------------- */

static void h_check_row(textbuf *b, const nbaq_check_result *c)
{
    char took[REPORTFMT_TIME_SIZE];
    reportfmt_duration(c->duration_ms, took, sizeof(took));
    textbuf_puts(b, "<tr><td>");
    h_status(b, c->status);
    textbuf_puts(b, "</td><td>");
    h_code(b, c->name);
    textbuf_puts(b, "</td><td>");
    h_code(b, c->plugin);
    textbuf_printf(b, "</td><td>%s</td><td class=\"n\">%s</td><td>",
                   severity_name(c->severity), took);
    textfmt_html(b, c->message);
    textbuf_puts(b, "</td></tr>\n");
}

static void h_checks(const reportview_report *r)
{
    textbuf_puts(r->b, "<section id=\"checks\">\n<h2>Recent checks</h2>\n");
    size_t n = r->run->check_count;
    size_t shown = n < r->max_rows ? n : r->max_rows;
    if (n == 0)
        textbuf_puts(r->b, "<p>No checks ran.</p>\n");
    else
        textbuf_puts(r->b,
                     "<p>Worst first.</p>\n<div class=\"scroll cards\">"
                     "<table><thead><tr><th>Status</th><th>Check</th>"
                     "<th>Plugin</th><th>Severity</th><th class=\"n\">"
                     "Duration</th><th>Message</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < shown; i++)
        h_check_row(r->b, r->checks[i]);
    if (n > 0)
        textbuf_puts(r->b, "</tbody></table></div>\n");
    h_omitted(r->b, n - shown, "max_rows");
    textbuf_puts(r->b, "</section>\n");
}

/* --- alerts ------------------------------------------------------------ */

/* "<code>check</code> › <code>metric</code>: summary". */
static void h_alert_text(textbuf *b, const nbaq_alert *a)
{
    h_where(b, a->check, a->metric);
    textbuf_puts(b, ": ");
    textfmt_html(b, a->summary);
}

static void h_alert_heading(textbuf *b, nbaq_severity severity, size_t n)
{
    textbuf_printf(b, "<h3>%s %s (%zu)</h3>\n<ul>\n",
                   reportview_severity_icon(severity), severity_title(severity),
                   n);
}

static void h_alert_item(textbuf *b, const nbaq_alert *a)
{
    textbuf_printf(b, "<li><strong>%s</strong> ", alert_state_label(a->state));
    h_alert_text(b, a);
    reportview_alert_since(b, a);
    textbuf_puts(b, "</li>\n");
}

static void h_resolved(const reportview_report *r)
{
    const reportview_alerts *v = &r->alerts;
    if (v->resolved_count == 0)
        return;
    textbuf_puts(r->b, "<h3>Resolved by this run</h3>\n<ul>\n");
    for (size_t i = 0; i < v->resolved_count && i < r->max_rows; i++) {
        textbuf_puts(r->b, "<li>");
        h_alert_text(r->b, v->resolved[i]);
        reportview_alert_span(r->b, v->resolved[i]);
        textbuf_puts(r->b, "</li>\n");
    }
    textbuf_puts(r->b, "</ul>\n");
}

static void h_alerts(const reportview_report *r)
{
    static const reportview_alert_markup markup = {
        .heading = h_alert_heading,
        .item = h_alert_item,
        .end = "</ul>\n",
        .omitted = h_omitted,
    };
    textbuf_puts(r->b, "<section id=\"alerts\">\n<h2>Active alerts</h2>\n");
    if (r->alerts.open_count == 0)
        textbuf_puts(r->b, "<p>No open alerts.</p>\n");
    reportview_alert_groups(r, &markup);
    h_resolved(r);
    textbuf_puts(r->b, "</section>\n");
}

/* --- metrics ----------------------------------------------------------- */

static void h_metric_row(void *out, const nbaq_check_result *c,
                         const nbaq_metric *m)
{
    textbuf *b = out;
    textbuf_puts(b, "<tr><td>");
    h_status(b, m->status);
    if (m->anomalous)
        textbuf_puts(b, " anomalous");
    textbuf_puts(b, "</td><td>");
    h_where(b, c->name, m->name);
    textbuf_puts(b, "</td><td class=\"n\">");
    reportview_value_unit(b, m, textfmt_html);
    textbuf_puts(b, "</td><td class=\"n\">");
    if (m->has_previous) {
        char pct[TEXTFMT_NUMBER_SIZE];
        textfmt_percent_change(pct, sizeof(pct), m->change_pct);
        reportview_number(b, m->previous);
        textbuf_printf(b, "</td><td class=\"n\">%s", pct);
    } else {
        textbuf_puts(b, "\u2013</td><td class=\"n\">\u2013");
    }
    textbuf_puts(b, "</td><td>");
    textfmt_html(b, m->reason);
    textbuf_puts(b, "</td></tr>\n");
}

static void h_metrics(const reportview_report *r)
{
    textbuf_puts(r->b, "<section id=\"metrics\">\n<h2>Metrics overview</h2>"
                       "\n");
    if (reportview_metric_total(r->run) == 0) {
        textbuf_puts(r->b, "<p>No metrics in this run.</p>\n</section>\n");
        return;
    }
    textbuf_puts(r->b,
                 "<div class=\"scroll cards\"><table><thead><tr><th>Status"
                 "</th><th>Metric</th><th class=\"n\">Value</th><th "
                 "class=\"n\">Previous</th><th class=\"n\">Change</th><th>"
                 "Reason</th></tr></thead><tbody>\n");
    size_t n = reportview_each_metric(r->run, r->checks, NULL, h_metric_row,
                                      r->b, r->max_rows);
    textbuf_puts(r->b, "</tbody></table></div>\n");
    h_omitted(r->b, n > r->max_rows ? n - r->max_rows : 0, "max_rows");
    textbuf_puts(r->b, "</section>\n");
}

/* --- trends and charts ------------------------------------------------- */

static void h_trend_row(void *out, const nbaq_check_result *c,
                        const nbaq_metric *m)
{
    textbuf *b = out;
    char window[REPORTFMT_TIME_SIZE];
    reportfmt_duration(m->window_ms, window, sizeof(window));
    textbuf_puts(b, "<tr><td>");
    h_where(b, c->name, m->name);
    textbuf_printf(b, "</td><td>%s %s</td><td class=\"n\">",
                   reportview_trend_arrow(m), trend_name(m->trend));
    reportview_value_unit(b, m, textfmt_html);
    textbuf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">%llu</td>",
                   window, (unsigned long long)m->stats.count);
    reportview_stats_cells(b, m, "<td class=\"n\">", "</td>");
    textbuf_puts(b, "</tr>\n");
}

/* Index of the i-th of `shown` points spread over n, the last one last. */
static size_t sample_index(size_t i, size_t shown, size_t n)
{
    if (shown >= n)
        return i;
    return shown > 1 ? i * (n - 1) / (shown - 1) : n - 1;
}

typedef struct chart_box {
    double x0, x1, v0, v1;
    int64_t t0, t1;
} chart_box;

#define CHART_W 300.0
#define CHART_H 90.0
#define CHART_PAD 14.0

static void widen(chart_box *box, double v)
{
    if (!isfinite(v))
        return;
    box->v0 = v < box->v0 ? v : box->v0;
    box->v1 = v > box->v1 ? v : box->v1;
}

/* Values and, when set, the expected band, on a range that is never
 * empty (a constant or all-zero series gets room around it). */
static chart_box chart_bounds(const nbaq_metric *m)
{
    chart_box box = {0,
                     0,
                     INFINITY,
                     -INFINITY,
                     m->history[0].ts_ms,
                     m->history[m->history_count - 1].ts_ms};
    for (size_t i = 0; i < m->history_count; i++) {
        widen(&box, m->history[i].value);
        if (m->history_band) {
            widen(&box, m->history_band[i].lower);
            widen(&box, m->history_band[i].upper);
        }
    }
    widen(&box, m->evidence.lower);
    widen(&box, m->evidence.upper);
    if (isfinite(box.v0))
        reportview_axis_range(&box.v0, &box.v1);
    return box;
}

static void chart_point(const chart_box *box, const nbaq_point *p, double *x,
                        double *y)
{
    double tspan = (double)(box->t1 - box->t0);
    double vspan = box->v1 - box->v0;
    double fx = tspan > 0 ? (double)(p->ts_ms - box->t0) / tspan : 0.5;
    double fy = vspan > 0 ? (p->value - box->v0) / vspan : 0.5;
    *x = CHART_PAD + fx * (CHART_W - 2 * CHART_PAD);
    *y = CHART_H - CHART_PAD - fy * (CHART_H - 2 * CHART_PAD);
}

static void chart_line(const html_charts *charts, const nbaq_metric *m,
                       const chart_box *box)
{
    textbuf *b = charts->b;
    size_t n = m->history_count;
    size_t shown = n < charts->chart_points ? n : charts->chart_points;
    double x = 0, y = 0;
    textbuf_puts(b, "<polyline class=\"ln\" points=\"");
    for (size_t i = 0; i < shown; i++) {
        const nbaq_point *p = &m->history[sample_index(i, shown, n)];
        if (!isfinite(p->value))
            continue;
        chart_point(box, p, &x, &y);
        textbuf_printf(b, "%s%.1f,%.1f", i ? " " : "", x, y);
    }
    textbuf_printf(b,
                   "\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                   "fill=\"currentColor\"/>",
                   x, y);
}

static void chart_labels(textbuf *b, const chart_box *box)
{
    char lo[TEXTFMT_NUMBER_SIZE], hi[TEXTFMT_NUMBER_SIZE];
    char from[REPORTVIEW_TIME_SIZE], to[REPORTVIEW_TIME_SIZE];
    textfmt_number(hi, sizeof(hi), box->v1);
    textfmt_number(lo, sizeof(lo), box->v0);
    reportview_date(box->t0, from, sizeof(from));
    reportview_date(box->t1, to, sizeof(to));
    textbuf_printf(b,
                   "<line class=\"ax\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\""
                   " y2=\"%.0f\"/>",
                   CHART_PAD, CHART_H - CHART_PAD, CHART_W - CHART_PAD,
                   CHART_H - CHART_PAD);
    textbuf_printf(b,
                   "<text x=\"2\" y=\"10\">%s</text><text x=\"2\" "
                   "y=\"%.0f\">%s</text>",
                   hi, CHART_H - CHART_PAD - 2, lo);
    textbuf_printf(b,
                   "<text x=\"%.0f\" y=\"%.0f\">%s</text><text x=\"%.0f\""
                   " y=\"%.0f\" text-anchor=\"end\">%s</text>",
                   CHART_PAD, CHART_H - 2, from, CHART_W - CHART_PAD,
                   CHART_H - 2, to);
}

/* The expected band of the history rules, as one shaded polygon over the
 * points that have one: upper edge forwards, lower edge back. */
static void chart_band(const html_charts *charts, const nbaq_metric *m,
                       const chart_box *box)
{
    if (!m->history_band)
        return;
    textbuf *b = charts->b;
    size_t n = m->history_count;
    size_t shown = n < charts->chart_points ? n : charts->chart_points;
    size_t drawn = 0;
    textbuf_puts(b, "<polygon class=\"band\" points=\"");
    for (int edge = 0; edge < 2; edge++) {
        for (size_t k = 0; k < shown; k++) {
            size_t i = sample_index(edge ? shown - 1 - k : k, shown, n);
            const nbaq_point_band *pb = &m->history_band[i];
            if (!isfinite(pb->lower) || !isfinite(pb->upper))
                continue;
            nbaq_point p = {m->history[i].ts_ms, edge ? pb->lower : pb->upper};
            double x, y;
            chart_point(box, &p, &x, &y);
            textbuf_printf(b, "%s%.1f,%.1f", drawn++ ? " " : "", x, y);
        }
    }
    textbuf_puts(b, "\"><title>expected band</title></polygon>");
}

/* A red ring on every point the anomaly rule flagged (this run's too). */
static void chart_flags(const html_charts *charts, const nbaq_metric *m,
                        const chart_box *box)
{
    size_t n = m->history_count;
    for (size_t i = 0; i < n; i++) {
        int flagged = m->history_band ? m->history_band[i].anomalous
                                      : (i == n - 1 && m->anomalous);
        if (!flagged || !isfinite(m->history[i].value))
            continue;
        double x, y;
        chart_point(box, &m->history[i], &x, &y);
        textbuf_printf(charts->b,
                       "<circle class=\"flag\" cx=\"%.1f\" cy=\"%.1f\" "
                       "r=\"4.5\"><title>flagged</title></circle>",
                       x, y);
    }
}

static void chart_item(void *state, const nbaq_check_result *c,
                       const nbaq_metric *m)
{
    const html_charts *charts = state;
    textbuf *b = charts->b;
    chart_box box = chart_bounds(m);
    textbuf_printf(b, "<figure class=\"%s\"><figcaption>",
                   status_class(m->status));
    h_where(b, c->name, m->name);
    textbuf_puts(b, " ");
    h_status(b, m->status);
    textbuf_printf(b,
                   "</figcaption><svg viewBox=\"0 0 %.0f %.0f\" "
                   "role=\"img\" aria-label=\"history of ",
                   CHART_W, CHART_H);
    textfmt_html(b, m->name);
    textbuf_puts(b, "\">");
    if (isfinite(box.v0)) {
        chart_labels(b, &box);
        chart_band(charts, m, &box);
        chart_line(charts, m, &box);
        chart_flags(charts, m, &box);
    }
    textbuf_puts(b, "</svg></figure>\n");
}

static void h_trends(const reportview_report *r)
{
    textbuf_puts(r->b,
                 "<section id=\"trends\">\n<h2>Trend analysis</h2>\n"
                 "<p>Statistics over each metric's trend window, this run "
                 "included; <em>before</em> is the mean of the window before "
                 "it.</p>\n");
    textbuf_puts(r->b,
                 "<div class=\"scroll cards\"><table><thead><tr><th>Metric"
                 "</th><th>Trend</th><th class=\"n\">Value</th><th class=\"n"
                 "\">Window</th><th class=\"n\">Runs</th><th class=\"n\">Mean"
                 "</th><th class=\"n\">Median</th><th class=\"n\">Min</th>"
                 "<th class=\"n\">Max</th><th class=\"n\">Std dev</th><th "
                 "class=\"n\">Before</th></tr></thead><tbody>\n");
    size_t n = reportview_each_metric(r->run, r->checks, reportview_has_stats,
                                      h_trend_row, r->b, r->max_rows);
    textbuf_puts(r->b, "</tbody></table></div>\n");
    if (n == 0)
        textbuf_puts(r->b, "<p>No history yet: trends appear once a history "
                           "store holds a few runs.</p>\n");
    h_omitted(r->b, n > r->max_rows ? n - r->max_rows : 0, "max_rows");
    html_charts charts = {
        .b = r->b,
        .max_charts = (size_t)r->api->opt_int(r->options, "max_charts"),
        .chart_points = (size_t)r->api->opt_int(r->options, "chart_points"),
    };
    if (charts.chart_points < 2)
        charts.chart_points = 2;
    textbuf_puts(r->b, "<div class=\"charts\">\n");
    size_t drawn =
        reportview_each_metric(r->run, r->checks, reportview_has_line,
                               chart_item, &charts, charts.max_charts);
    textbuf_puts(r->b, "</div>\n");
    h_omitted(r->b, drawn > charts.max_charts ? drawn - charts.max_charts : 0,
              "max_charts");
    textbuf_puts(r->b, "</section>\n");
}

/* --- recommendations --------------------------------------------------- */

static void h_recommendation(textbuf *b, const recommendation *rec)
{
    textbuf_puts(b, "<li>");
    h_status(b, rec->status);
    textbuf_printf(b, " <strong>%s:</strong> ", rec->title);
    h_where(b, rec->check->name, rec->metric ? rec->metric->name : NULL);
    textbuf_puts(b, " (plugin ");
    h_code(b, rec->check->plugin);
    textbuf_puts(b, ")\n<dl><dt>What:</dt><dd>");
    textfmt_html(b, rec->what);
    textbuf_puts(b, "</dd>");
    if (rec->since[0]) {
        textbuf_puts(b, "<dt>Since:</dt><dd>");
        textfmt_html(b, rec->since);
        textbuf_puts(b, "</dd>");
    }
    textbuf_puts(b, "<dt>Look at:</dt><dd>");
    textfmt_html(b, rec->look);
    textbuf_puts(b, "</dd></dl></li>\n");
}

static int h_recommendations(const reportview_report *r)
{
    recommendation_list list;
    if (recommend_build(&list, r->run, r->checks, r->max_recommendations) != 0)
        return -1;
    textbuf_puts(r->b, "<section id=\"recommendations\">\n<h2>"
                       "Recommendations</h2>\n");
    if (list.count == 0)
        textbuf_puts(r->b, "<p>Nothing to do: no check failed, no metric is "
                           "over a limit, anomalous or worsening.</p>\n");
    else
        textbuf_puts(r->b, "<ol class=\"recs\">\n");
    for (size_t i = 0; i < list.count; i++)
        h_recommendation(r->b, &list.items[i]);
    if (list.count > 0)
        textbuf_puts(r->b, "</ol>\n");
    h_omitted(r->b, list.omitted, "max_recommendations");
    textbuf_puts(r->b, "</section>\n");
    recommend_free(&list);
    return 0;
}

/* --- the report -------------------------------------------------------- */

static int h_write(const reportview_report *r)
{
    h_head(r);
    h_header(r);
    textbuf_puts(r->b, "<main>\n");
    h_summary(r);
    h_checks(r);
    h_alerts(r);
    h_metrics(r);
    h_trends(r);
    int rc = h_recommendations(r);
    textbuf_puts(r->b, "</main>\n<footer>Generated by nbaq (html reporter)."
                       "</footer>\n</body>\n</html>\n");
    return rc;
}

static const reportview_format html_format = {
    .name = "html", .extension = "html", .write = h_write};

static int html_report_fn(const nbaq_host_api *api, nbaq_ctx *ctx,
                          const nbaq_run *run, char *err, size_t err_size)
{
    return reportview_report_write(api, ctx, run, &html_format, err, err_size);
}

static const nbaq_option_spec html_options[] = {
    REPORTVIEW_OPTIONS,
    {.name = "max_charts",
     .type = NBAQ_OPT_INT,
     .default_value = "24",
     .min = 0,
     .max = 1000,
     .description = "history charts shown, worst check first"},
    {.name = "chart_points",
     .type = NBAQ_OPT_INT,
     .default_value = "120",
     .min = 2,
     .max = 5000,
     .description = "points drawn per chart at most (evenly sampled, the "
                    "latest always)"},
    NBAQ_OPTION_END};

static const nbaq_plugin_descriptor html_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "html",
    .version = "1.0.0",
    .description = "daily quality report as one self-contained HTML file "
                   "with history charts",
    .options = html_options,
    .report = html_report_fn,
    .flags = NBAQ_FLAG_WRITES_OUTPUT,
};

NBAQ_PLUGIN(html_descriptor)
