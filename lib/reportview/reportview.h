/*
 * reportview.h - what the human-readable reports (markdown, html) show
 * beyond the raw run: icons and words for statuses, severities and
 * trends, checks ordered worst first, open alerts grouped by severity,
 * going through metrics. Recommendations are in recommend.h; the frame
 * of a whole report (options, output) in reportview_report.h.
 *
 * Owner: helper "reports" (lib/reportview/). Names of statuses,
 * severities and trends come from lib/reportfmt; this adds the words and
 * pictures people read.
 *
 * Static strings are never freed. Arrays a function allocates are the
 * caller's, released with free(); they point into the run and live as
 * long as it does.
 */
#ifndef NBAQ_REPORTVIEW_H
#define NBAQ_REPORTVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"
#include "reportfmt.h"
#include "textbuf.h"

/* A geometric glyph that every common font has (WGL4), never an emoji,
 * which shows as an empty box where no emoji font is installed: "●"
 * PASS, "▲" WARNING, "■" FAIL, "♦" ERROR, "○" UNKNOWN. Always shown
 * beside the name, so the shape and the word carry the status too.   */
const char *reportview_status_icon(nbaq_status status);
/* "■" CRITICAL, "▲" HIGH, "●" MEDIUM, "○" LOW, "·" INFO. */
const char *reportview_severity_icon(nbaq_severity severity);
/* For HTML: an inline 12x12 SVG of the status's shape (circle with a
 * tick, triangle, square with a cross, octagon, diamond), coloured by
 * the surrounding text, aria-hidden (the name beside it is read).     */
const char *reportview_status_svg(nbaq_status status);
/* One sentence on the overall health for a run's worst status.          */
const char *reportview_health_text(nbaq_status status);

/* An arrow for the direction the value moved: "→" for a stable trend,
 * "·" when the trend is unknown, else "↑" or "↓" from the change against
 * the previous value, or against the previous window's mean.          */
const char *reportview_trend_arrow(const nbaq_metric *m);

/* The note on history under a report's summary: saved, no store
 * configured (so no trends), or saving failed (history_saved < 0).    */
const char *reportview_history_note(int history_saved);

/* Room for reportview_time's output. */
#define REPORTVIEW_TIME_SIZE 32
/* "2026-05-04 06:00:00 UTC" (seconds; milliseconds dropped). */
char *reportview_time(int64_t epoch_ms, char *buf, size_t size);
/* "2026-05-04" and "06:00:00 UTC" separately, for a report header. */
char *reportview_date(int64_t epoch_ms, char *buf, size_t size);
char *reportview_clock(int64_t epoch_ms, char *buf, size_t size);

/* A run's start and duration as a report's header shows them. */
typedef struct reportview_run_times {
    char date[REPORTVIEW_TIME_SIZE];  /* "2026-05-04"   */
    char clock[REPORTVIEW_TIME_SIZE]; /* "06:00:00 UTC" */
    char took[REPORTFMT_TIME_SIZE];   /* "4.25s"        */
} reportview_run_times;
void reportview_run_times_of(const nbaq_run *run, reportview_run_times *t);

/* Makes [*lo, *hi] a range a chart can draw: a constant series gets
 * 10% of its value either side, never below 0 when it is not negative;
 * an all-zero one gets [0, 1]. A real range is left as it is.        */
void reportview_axis_range(double *lo, double *hi);

/* Escapes untrusted text for a format: textfmt_html, textfmt_md_text. */
typedef void (*reportview_escape_fn)(textbuf *b, const char *s);

/* A number as textfmt_number writes it. Its characters (digits, sign,
 * '.', "e+", "n/a", "inf") need no escape in any format.              */
void reportview_number(textbuf *b, double v);
/* "93600 s": the metric's value, then its unit (if any) through escape. */
void reportview_value_unit(textbuf *b, const nbaq_metric *m,
                           reportview_escape_fn escape);
/* The window statistics of a trend row, each number between before and
 * after: mean, median, min, max, std dev, mean of the window before.  */
void reportview_stats_cells(textbuf *b, const nbaq_metric *m,
                            const char *before, const char *after);

/* The run's checks, worst status first, then highest severity, then in
 * the run's order. NULL when memory runs out (or no checks).          */
const nbaq_check_result **reportview_checks_worst_first(const nbaq_run *run);

/* Open alerts: every state but RESOLVED. */
typedef struct reportview_alerts {
    const nbaq_alert **open; /* most severe first, then run order     */
    size_t open_count;
    size_t by_severity[NBAQ_SEVERITY_COUNT];
    const nbaq_alert **resolved; /* closed by this run, run order       */
    size_t resolved_count;
} reportview_alerts;

/* 0, or -1 when memory runs out. Free with reportview_alerts_free.    */
int reportview_alerts_init(reportview_alerts *v, const nbaq_run *run);
void reportview_alerts_free(reportview_alerts *v);

/* The open alerts of one severity: a slice of v->open, *count long.  */
const nbaq_alert *const *reportview_alerts_group(const reportview_alerts *v,
                                                 nbaq_severity severity,
                                                 size_t *count);

/* Append plain text (dates and counts only, safe in every format):
 * " (since 2026-05-04 06:00:00 UTC, 3 failing runs; silenced until ...)"
 * for an open alert, " (open from ... to ...)" for a resolved one.    */
void reportview_alert_since(textbuf *b, const nbaq_alert *a);
void reportview_alert_span(textbuf *b, const nbaq_alert *a);

/* Metrics of all checks: how many in the run.                         */
size_t reportview_metric_total(const nbaq_run *run);

/* Picks metrics; NULL picks every one.                                */
typedef int (*reportview_metric_filter)(const nbaq_metric *m);
/* Called with the caller's state for each metric picked.              */
typedef void (*reportview_metric_fn)(void *state, const nbaq_check_result *c,
                                     const nbaq_metric *m);

/* Calls item for the first `limit` metrics that keep picks, going
 * through checks (run->check_count of them, in the order given) and each
 * check's metrics in order; returns how many keep picked in all.      */
size_t reportview_each_metric(const nbaq_run *run,
                              const nbaq_check_result *const *checks,
                              reportview_metric_filter keep,
                              reportview_metric_fn item, void *state,
                              size_t limit);

/* Filters: history statistics in the window (stats.count > 0); two or
 * more history points, enough for a line.                             */
int reportview_has_stats(const nbaq_metric *m);
int reportview_has_line(const nbaq_metric *m);

/* The open alert of a check's metric (metric "" or NULL: the check's own
 * condition), or NULL.                                                */
const nbaq_alert *reportview_alert_for(const nbaq_run *run, const char *check,
                                       const char *metric);

#endif /* NBAQ_REPORTVIEW_H */
