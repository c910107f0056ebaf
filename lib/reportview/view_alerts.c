#include <stdlib.h>
#include <string.h>

#include "reportview.h"

static int clamp_severity(nbaq_severity s)
{
    return (unsigned)s < NBAQ_SEVERITY_COUNT ? (int)s : NBAQ_SEV_CRITICAL;
}

/* Open alerts most severe first; a counting sort keeps the run's order
 * within one severity. */
static void sort_open(reportview_alerts *v, const nbaq_run *run)
{
    size_t start[NBAQ_SEVERITY_COUNT];
    size_t next = 0;
    for (int s = NBAQ_SEVERITY_COUNT - 1; s >= 0; s--) {
        start[s] = next;
        next += v->by_severity[s];
    }
    for (size_t i = 0; i < run->alert_count; i++) {
        const nbaq_alert *a = run->alerts[i];
        if (a->state != NBAQ_ALERT_RESOLVED)
            v->open[start[clamp_severity(a->severity)]++] = a;
    }
}

int reportview_alerts_init(reportview_alerts *v, const nbaq_run *run)
{
    memset(v, 0, sizeof(*v));
    size_t n = run->alert_count ? run->alert_count : 1;
    v->open = malloc(n * sizeof(*v->open));
    v->resolved = malloc(n * sizeof(*v->resolved));
    if (!v->open || !v->resolved) {
        reportview_alerts_free(v);
        return -1;
    }
    for (size_t i = 0; i < run->alert_count; i++) {
        const nbaq_alert *a = run->alerts[i];
        if (a->state == NBAQ_ALERT_RESOLVED) {
            v->resolved[v->resolved_count++] = a;
        } else {
            v->by_severity[clamp_severity(a->severity)]++;
            v->open_count++;
        }
    }
    sort_open(v, run);
    return 0;
}

void reportview_alerts_free(reportview_alerts *v)
{
    free(v->open);
    free(v->resolved);
    memset(v, 0, sizeof(*v));
}

const nbaq_alert *reportview_alert_for(const nbaq_run *run, const char *check,
                                       const char *metric)
{
    if (!metric)
        metric = "";
    for (size_t i = 0; i < run->alert_count; i++) {
        const nbaq_alert *a = run->alerts[i];
        if (a->state != NBAQ_ALERT_RESOLVED && strcmp(a->check, check) == 0 &&
            strcmp(a->metric ? a->metric : "", metric) == 0)
            return a;
    }
    return NULL;
}

const nbaq_alert *const *reportview_alerts_group(const reportview_alerts *v,
                                                 nbaq_severity severity,
                                                 size_t *count)
{
    int wanted = clamp_severity(severity);
    size_t offset = 0;
    for (int s = NBAQ_SEVERITY_COUNT - 1; s > wanted; s--)
        offset += v->by_severity[s];
    *count = v->by_severity[wanted];
    return v->open + offset;
}

void reportview_alert_since(textbuf *b, const nbaq_alert *a)
{
    char since[REPORTVIEW_TIME_SIZE];
    reportview_time(a->started_ms, since, sizeof(since));
    textbuf_printf(b, " (since %s, %u failing run%s", since, a->failing_runs,
                   a->failing_runs == 1 ? "" : "s");
    if (a->state == NBAQ_ALERT_SILENCED) {
        char until[REPORTVIEW_TIME_SIZE];
        reportview_time(a->silenced_until_ms, until, sizeof(until));
        textbuf_printf(b, "; silenced until %s", until);
    }
    textbuf_putc(b, ')');
}

void reportview_alert_span(textbuf *b, const nbaq_alert *a)
{
    char since[REPORTVIEW_TIME_SIZE], ended[REPORTVIEW_TIME_SIZE];
    reportview_time(a->started_ms, since, sizeof(since));
    reportview_time(a->ended_ms, ended, sizeof(ended));
    textbuf_printf(b, " (open from %s to %s)", since, ended);
}
