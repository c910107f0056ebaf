#include "since.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "numfmt.h"
#include "reportview.h"

static void clause(textbuf *b)
{
    if (b->len > 0)
        textbuf_puts(b, "; ");
}

double since_unit_seconds(const char *unit)
{
    static const struct {
        const char *name;
        double seconds;
    } units[] = {{"s", 1},        {"sec", 1},      {"secs", 1},
                 {"second", 1},   {"seconds", 1},  {"ms", 0.001},
                 {"min", 60},     {"minutes", 60}, {"h", 3600},
                 {"hours", 3600}, {"d", 86400},    {"days", 86400}};
    for (size_t i = 0; unit && i < sizeof(units) / sizeof(units[0]); i++)
        if (strcasecmp(unit, units[i].name) == 0)
            return units[i].seconds;
    return 0;
}

void since_alert(textbuf *b, const nbaq_alert *alert)
{
    if (!alert || alert->started_ms <= 0)
        return;
    char when[REPORTVIEW_TIME_SIZE];
    reportview_time(alert->started_ms, when, sizeof(when));
    clause(b);
    textbuf_printf(b, "alert open since %s", when);
    if (alert->failing_runs > 0)
        textbuf_printf(b, " (%u failing run%s)", alert->failing_runs,
                       alert->failing_runs == 1 ? "" : "s");
}

void since_age(textbuf *b, const nbaq_check_result *check, const nbaq_metric *m)
{
    double per_unit = since_unit_seconds(m->unit);
    if (per_unit == 0 || !isfinite(m->value) || m->value < 0)
        return;
    double last_ms = (double)check->started_ms - m->value * per_unit * 1e3;
    char when[REPORTVIEW_TIME_SIZE];
    reportview_time((int64_t)last_ms, when, sizeof(when));
    clause(b);
    textbuf_printf(b, "no new data since about %s", when);
}

/* The trailing run of points that all move the same way as the last
 * move: its first point is where the current movement began. */
static size_t streak_start(const nbaq_point *p, size_t n, int *direction)
{
    size_t i = n - 1;
    *direction = 0;
    while (i > 0) {
        double step = p[i].value - p[i - 1].value;
        int d = step > 0 ? 1 : step < 0 ? -1 : 0;
        if (d == 0 || (*direction != 0 && d != *direction))
            break;
        *direction = d;
        i--;
    }
    return i;
}

void since_streak(textbuf *b, const nbaq_metric *m)
{
    if (m->history_count < 3)
        return;
    int direction;
    size_t start = streak_start(m->history, m->history_count, &direction);
    size_t runs = m->history_count - start;
    if (direction == 0 || runs < 3)
        return;
    char when[REPORTVIEW_TIME_SIZE], from[TEXTFMT_NUMBER_SIZE],
        to[TEXTFMT_NUMBER_SIZE];
    reportview_time(m->history[start].ts_ms, when, sizeof(when));
    textfmt_number(from, sizeof(from), m->history[start].value);
    textfmt_number(to, sizeof(to), m->history[m->history_count - 1].value);
    clause(b);
    textbuf_printf(b, "%s since %s (%s to %s over %zu runs)",
                   direction > 0 ? "rising" : "falling", when, from, to, runs);
}
