#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reportfmt.h"
#include "reportview.h"

const char *reportview_status_icon(nbaq_status status)
{
    switch (status) {
    case NBAQ_PASS:
        return "\u25cf";
    case NBAQ_WARNING:
        return "\u25b2";
    case NBAQ_FAIL:
        return "\u25a0";
    case NBAQ_ERROR:
        return "\u2666";
    default:
        return "\u25cb";
    }
}

const char *reportview_severity_icon(nbaq_severity severity)
{
    switch (severity) {
    case NBAQ_SEV_CRITICAL:
        return "\u25a0";
    case NBAQ_SEV_HIGH:
        return "\u25b2";
    case NBAQ_SEV_MEDIUM:
        return "\u25cf";
    case NBAQ_SEV_LOW:
        return "\u25cb";
    default:
        return "\u00b7";
    }
}

/* An inline SVG shape per status, drawn in the text's colour. */
const char *reportview_status_svg(nbaq_status status)
{
#define SVG_OPEN                                                               \
    "<svg class=\"ic\" viewBox=\"0 0 12 12\" width=\"12\" height=\"12\" "      \
    "aria-hidden=\"true\" focusable=\"false\">"
    switch (status) {
    case NBAQ_PASS:
        return SVG_OPEN
            "<circle cx=\"6\" cy=\"6\" r=\"5\" fill=\"currentColor\"/>"
            "<path d=\"M3.4 6.2l1.8 1.8 3.4-3.6\" fill=\"none\" "
            "stroke=\"#fff\" stroke-width=\"1.6\"/></svg>";
    case NBAQ_WARNING:
        return SVG_OPEN "<path d=\"M6 .8l5.4 10.2H.6z\" fill=\"currentColor\"/>"
                        "<path d=\"M6 4.2v3.4M6 8.6v1.2\" stroke=\"#fff\" "
                        "stroke-width=\"1.4\"/></svg>";
    case NBAQ_FAIL:
        return SVG_OPEN "<rect x=\"1\" y=\"1\" width=\"10\" height=\"10\" "
                        "fill=\"currentColor\"/><path d=\"M3.6 3.6l4.8 4.8M8.4 "
                        "3.6l-4.8 4.8\" stroke=\"#fff\" stroke-width=\"1.6\"/>"
                        "</svg>";
    case NBAQ_ERROR:
        return SVG_OPEN "<path d=\"M4 .8h4L11.2 4v4L8 11.2H4L.8 8V4z\" "
                        "fill=\"currentColor\"/><path d=\"M3.5 6h5\" "
                        "stroke=\"#fff\" stroke-width=\"1.6\"/></svg>";
    default:
        return SVG_OPEN "<path d=\"M6 .6L11.4 6 6 11.4.6 6z\" "
                        "fill=\"currentColor\"/><path d=\"M6 8.4v1\" "
                        "stroke=\"#fff\" stroke-width=\"1.4\"/></svg>";
    }
#undef SVG_OPEN
}

const char *reportview_health_text(nbaq_status status)
{
    switch (status) {
    case NBAQ_PASS:
        return "Healthy: every check passed.";
    case NBAQ_WARNING:
        return "Degraded: some checks need attention.";
    case NBAQ_FAIL:
        return "Unhealthy: some checks failed.";
    case NBAQ_ERROR:
        return "Incomplete: some checks could not run, so problems may be "
               "hidden.";
    default:
        return "Incomplete: some checks could not judge their data.";
    }
}

const char *reportview_trend_arrow(const nbaq_metric *m)
{
    double delta = NAN;
    if (m->has_previous)
        delta = m->value - m->previous;
    if ((isnan(delta) || delta == 0) && !isnan(m->previous_window_mean))
        delta = m->value - m->previous_window_mean;
    if (m->trend == NBAQ_TREND_UNKNOWN)
        return "\u00b7";
    if (m->trend == NBAQ_TREND_STABLE)
        return "\u2192";
    if (isnan(delta))
        return "\u00b7";
    return delta > 0 ? "\u2191" : delta < 0 ? "\u2193" : "\u2192";
}

const char *reportview_history_note(int history_saved)
{
    if (history_saved > 0)
        return "History saved.";
    if (history_saved == 0)
        return "No history store configured, so no trends.";
    return "Saving history failed: the next trends may miss this run.";
}

/* reportfmt's "2026-05-04T06:00:00.000Z" cut into its date and clock. */
static void iso_parts(int64_t epoch_ms, char date[16], char clock[16])
{
    char iso[REPORTFMT_TIME_SIZE];
    reportfmt_iso8601_utc(epoch_ms, iso, sizeof(iso));
    const char *t = strchr(iso, 'T');
    size_t date_len = t ? (size_t)(t - iso) : strlen(iso);
    if (date_len > 15)
        date_len = 15;
    memcpy(date, iso, date_len);
    date[date_len] = '\0';
    snprintf(clock, 16, "%.8s", t ? t + 1 : "");
}

char *reportview_time(int64_t epoch_ms, char *buf, size_t size)
{
    char date[16], clock[16];
    iso_parts(epoch_ms, date, clock);
    snprintf(buf, size, "%s %s UTC", date, clock);
    return buf;
}

char *reportview_date(int64_t epoch_ms, char *buf, size_t size)
{
    char date[16], clock[16];
    iso_parts(epoch_ms, date, clock);
    snprintf(buf, size, "%s", date);
    return buf;
}

char *reportview_clock(int64_t epoch_ms, char *buf, size_t size)
{
    char date[16], clock[16];
    iso_parts(epoch_ms, date, clock);
    snprintf(buf, size, "%s UTC", clock);
    return buf;
}

void reportview_run_times_of(const nbaq_run *run, reportview_run_times *t)
{
    reportview_date(run->started_ms, t->date, sizeof(t->date));
    reportview_clock(run->started_ms, t->clock, sizeof(t->clock));
    reportfmt_duration(run->finished_ms - run->started_ms, t->took,
                       sizeof(t->took));
}

void reportview_axis_range(double *lo, double *hi)
{
    if (*hi > *lo)
        return;
    double v = *lo;
    double pad = v == 0 ? 1 : fabs(v) * 0.1;
    *lo = v >= 0 && v - pad < 0 ? 0 : v - pad;
    *hi = v + pad;
}
