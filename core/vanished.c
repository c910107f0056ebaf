/*
 * vanished.c - reporting the series a check stopped reporting
 * (vanished.h).
 */
#include "vanished.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "history_calc.h"
#include "history_recent_series.h"
#include "log.h"
#include "status.h"
#include "textbuf.h"

/* Units whose missing value means none: counts, and byte totals (a
 * prefix with no objects holds 0 bytes). */
static int is_count_unit(const char *unit)
{
    static const char *const counts[] = {
        "count",  "objects",  "rows",       "files",  "items", "records",
        "events", "messages", "partitions", "tables", "B",     NULL};
    for (size_t i = 0; counts[i]; i++) {
        if (strcmp(unit, counts[i]) == 0)
            return 1;
    }
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names this run reported, sorted, for bsearch. */
static const char **sorted_names(const job_outcome *out)
{
    const char **names = malloc((out->metric_count + 1) * sizeof *names);
    if (!names)
        return NULL;
    for (size_t i = 0; i < out->metric_count; i++)
        names[i] = out->metrics[i].name;
    qsort(names, out->metric_count, sizeof *names, compare_names);
    return names;
}

static int fill_zero(job_outcome *out, const history_seen_series *s)
{
    if (out->metric_count >= RECORD_METRICS_MAX)
        return -1;
    raw_metric *grown = grow_for_one(out->metrics, &out->metric_cap,
                                     out->metric_count, sizeof *grown, 4);
    if (!grown)
        return -1;
    out->metrics = grown;
    raw_metric *m = &out->metrics[out->metric_count];
    m->name = strdup(s->metric);
    m->unit = strdup(s->unit);
    m->value = 0;
    if (!m->name || !m->unit) {
        free(m->name);
        free(m->unit);
        return -1;
    }
    out->metric_count++;
    return 0;
}

static void name_with_time(textbuf *sb, const history_seen_series *s)
{
    char when[32];
    history_format_time(s->last_seen_ms, when, sizeof when);
    textbuf_printf(sb, "%s%s (last seen %s)", sb->len ? ", " : "", s->metric,
                   when);
}

static char *take_text(textbuf *sb)
{
    char *text = sb->len ? strdup(textbuf_cstr(sb)) : NULL;
    textbuf_free(sb);
    return text;
}

/* Sorts the missing ones of seen (those not in names, the reported
 * ones) into zeros and warnings. */
static void classify(const check_config *check, job_outcome *out,
                     const char **names, const history_seen_series *seen,
                     size_t count, vanished_check *v)
{
    size_t reported = out->metric_count;
    textbuf filled = TEXTBUF_INIT, warned = TEXTBUF_INIT;
    v->first_filled = reported;
    for (size_t i = 0; i < count; i++) {
        const char *key = seen[i].metric;
        if (bsearch(&key, names, reported, sizeof *names, compare_names))
            continue;
        if (check->missing_series == MISSING_SERIES_ZERO &&
            is_count_unit(seen[i].unit) && fill_zero(out, &seen[i]) == 0) {
            v->filled++;
            name_with_time(&filled, &seen[i]);
        } else {
            name_with_time(&warned, &seen[i]);
        }
    }
    v->filled_names = take_text(&filled);
    v->warned_names = take_text(&warned);
}

void vanished_detect(history_store *store, const char *monitor,
                     const check_config *check, job *j, int64_t now_ms,
                     vanished_check *v)
{
    memset(v, 0, sizeof *v);
    nbaq_status status;
    const char *message;
    char buf[RECORD_MESSAGE_MAX + 256];
    job_conclude(j, &status, &message, buf, sizeof buf);
    if (!store || check->missing_series == MISSING_SERIES_IGNORE ||
        message == buf || status == NBAQ_ERROR || j->out.metrics_dropped > 0)
        return;
    const char **names = sorted_names(&j->out);
    if (!names)
        return;
    history_seen_series *seen = NULL;
    size_t count = 0;
    char err[1024];
    /* Usually every series is reported: then no run needs reading. */
    int other =
        history_check_has_other_series(store, monitor, check->name, names,
                                       j->out.metric_count, err, sizeof err);
    if (other > 0 && history_recent_series(store, monitor, check->name, now_ms,
                                           check->missing_series_runs, &seen,
                                           &count, err, sizeof err) != 0)
        other = -1;
    if (other < 0)
        log_msg(NBAQ_LOG_WARN, j->label, "missing series not checked: %s", err);
    else
        classify(check, &j->out, names, seen, count, v);
    history_seen_series_free(seen, count);
    free(names);
}

static const char *joined(arena *mem, const char *a, const char *b)
{
    size_t len = strlen(a) + strlen(b) + 3;
    char *text = arena_alloc(mem, len);
    if (text)
        snprintf(text, len, "%s%s%s", a, *a ? "; " : "", b);
    return text;
}

int vanished_report(arena *mem, const vanished_check *v, nbaq_check_result *r)
{
    char text[RECORD_MESSAGE_MAX];
    for (size_t i = v->first_filled;
         i < v->first_filled + v->filled && i < r->metric_count; i++) {
        nbaq_metric *m = (nbaq_metric *)r->metrics[i];
        if (!(m->reason = joined(mem, m->reason,
                                 HISTORY_MISSING_SERIES_MARK
                                 ": not reported, counted as 0")))
            return -1;
    }
    if (v->filled_names) {
        snprintf(text, sizeof text,
                 HISTORY_MISSING_SERIES_MARK " counted as 0: %s",
                 v->filled_names);
        if (!(r->message = joined(mem, r->message, text)))
            return -1;
    }
    if (v->warned_names) {
        snprintf(text, sizeof text, HISTORY_MISSING_SERIES_MARK ": %s",
                 v->warned_names);
        if (!(r->message = joined(mem, r->message, text)))
            return -1;
        r->status = status_worst(r->status, NBAQ_WARNING);
    }
    return 0;
}

void vanished_free(vanished_check *v)
{
    free(v->filled_names);
    free(v->warned_names);
    memset(v, 0, sizeof *v);
}
