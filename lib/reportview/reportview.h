/*
 * reportview.h - what the human-readable reports (markdown, html) show
 * beyond the raw run: icons and words for statuses, severities and
 * trends, checks ordered worst first, open alerts grouped by severity.
 * Recommendations are in recommend.h.
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

/* An emoji that GitHub and terminals show: "✅" PASS, "⚠️" WARNING,
 * "❌" FAIL, "🛑" ERROR, "❓" UNKNOWN. Always shown beside the name.   */
const char *reportview_status_icon(nbaq_status status);
/* "🔴" CRITICAL, "🟠" HIGH, "🟡" MEDIUM, "🔵" LOW, "⚪" INFO. */
const char *reportview_severity_icon(nbaq_severity severity);
/* "Critical", "High", "Medium", "Low", "Info": headings.               */
const char *reportview_severity_title(nbaq_severity severity);
/* One sentence on the overall health for a run's worst status.          */
const char *reportview_health_text(nbaq_status status);

/* An arrow for the direction the value moved: "→" for a stable trend,
 * "·" when the trend is unknown, else "↑" or "↓" from the change against
 * the previous value, or against the previous window's mean.          */
const char *reportview_trend_arrow(const nbaq_metric *m);

/* Rank in the "worst" order of nbaq.h: PASS 0 < WARNING < FAIL <
 * UNKNOWN < ERROR 4.                                                  */
int reportview_status_rank(nbaq_status status);

/* Room for reportview_time's output. */
#define REPORTVIEW_TIME_SIZE 32
/* "2026-05-04 06:00:00 UTC" (seconds; milliseconds dropped). */
char *reportview_time(int64_t epoch_ms, char *buf, size_t size);
/* "2026-05-04" and "06:00:00 UTC" separately, for a report header. */
char *reportview_date(int64_t epoch_ms, char *buf, size_t size);
char *reportview_clock(int64_t epoch_ms, char *buf, size_t size);

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

/* The open alert of a check's metric (metric "" or NULL: the check's own
 * condition), or NULL.                                                */
const nbaq_alert *reportview_alert_for(const nbaq_run *run, const char *check,
                                       const char *metric);

#endif /* NBAQ_REPORTVIEW_H */
