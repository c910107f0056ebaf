/*
 * rules_history.c - the anomaly and change rules of one metric, and the
 * history fields every metric carries to the reporters.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_calc.h"
#include "status.h"

static void verdict_add(history_verdict *v, nbaq_status status,
                        const char *reason)
{
    v->status = status_worst(v->status, status);
    size_t used = strlen(v->reason);
    snprintf(v->reason + used, sizeof v->reason - used, "%s%s",
             used ? "; " : "", reason);
}

void history_apply_rules(const metric_rule *rule, const history_past *past,
                         int64_t now_ms, nbaq_metric *metric,
                         history_verdict *verdict)
{
    verdict->status = NBAQ_PASS;
    verdict->reason[0] = '\0';
    metric->anomalous = 0;
    if (!rule)
        return;
    char reason[256];
    if (rule->anomaly.enabled) {
        history_anomaly_result r;
        history_anomaly_judge(&rule->anomaly, metric->value, now_ms,
                              past->baseline, past->baseline_count, &r);
        if (r.fired) {
            metric->anomalous = 1;
            history_anomaly_reason(&rule->anomaly, metric->value, &r, reason,
                                   sizeof reason);
            verdict_add(verdict, rule->anomaly.status, reason);
        }
    }
    if (rule->change.enabled) {
        history_change_result r;
        history_change_judge(&rule->change, metric->value, past->has_previous,
                             past->previous, &r);
        if (r.status != NBAQ_PASS) {
            history_change_reason(&r, past->previous, reason, sizeof reason);
            verdict_add(verdict, r.status, reason);
        }
    }
}

static int64_t trend_window(const history_settings *settings)
{
    return settings && settings->trend_window_ms > 0
               ? settings->trend_window_ms
               : HISTORY_DEFAULT_TREND_WINDOW_MS;
}

/* Stats of the previous window (now-2W, now-W] and of the current one
 * (now-W, now], this run's value included. */
static void window_stats(const history_past *past, double value, int64_t now_ms,
                         int64_t window_ms, nbaq_stats *previous,
                         nbaq_stats *current)
{
    size_t n = past->window_count;
    double *values = malloc((n + 1) * sizeof *values);
    memset(previous, 0, sizeof *previous);
    memset(current, 0, sizeof *current);
    if (!values)
        return;
    size_t split = 0; /* first index of the current window */
    for (size_t i = 0; i < n; i++) {
        values[i] = past->window[i].value;
        if (past->window[i].ts_ms <= now_ms - window_ms)
            split = i + 1;
    }
    values[n] = value;
    history_stats_compute(values, split, previous);
    history_stats_compute(values + split, n + 1 - split, current);
    free(values);
}

static void annotate_previous(nbaq_metric *metric, const history_past *past)
{
    metric->has_previous = past->has_previous;
    metric->previous = past->has_previous ? past->previous : NAN;
    metric->change_pct = NAN;
    if (past->has_previous && isfinite(past->previous) &&
        isfinite(metric->value) && past->previous != 0)
        metric->change_pct =
            (metric->value - past->previous) / fabs(past->previous) * 100.0;
}

static void annotate_points(nbaq_metric *metric, history_past *past,
                            int64_t now_ms)
{
    metric->history = NULL;
    metric->history_count = 0;
    if (!past->points || past->point_capacity == 0)
        return;
    size_t count = past->point_count;
    if (isfinite(metric->value) && count < past->point_capacity)
        past->points[count++] = (nbaq_point){now_ms, metric->value};
    metric->history = past->points;
    metric->history_count = count;
}

void history_annotate(nbaq_metric *metric, history_past *past,
                      rule_better better, int64_t now_ms,
                      const history_settings *settings)
{
    int64_t window_ms = trend_window(settings);
    annotate_previous(metric, past);
    nbaq_stats previous;
    window_stats(past, metric->value, now_ms, window_ms, &previous,
                 &metric->stats);
    metric->trend = history_trend_classify(&previous, &metric->stats, better);
    metric->window_ms = window_ms;
    metric->previous_window_mean = previous.count ? previous.mean : NAN;
    annotate_points(metric, past, now_ms);
}

static void annotate_nothing(nbaq_metric *metric)
{
    metric->has_previous = 0;
    metric->previous = NAN;
    metric->change_pct = NAN;
    metric->trend = NBAQ_TREND_UNKNOWN;
    metric->window_ms = 0;
    metric->previous_window_mean = NAN;
    memset(&metric->stats, 0, sizeof metric->stats);
    metric->history = NULL;
    metric->history_count = 0;
}

int history_evaluate_metric(history_store *store, const char *monitor,
                            const char *check, const metric_rule *rule,
                            int64_t now_ms, const history_settings *settings,
                            nbaq_metric *metric, history_past *past,
                            history_verdict *verdict, char *err,
                            size_t err_size)
{
    verdict->status = NBAQ_PASS;
    verdict->reason[0] = '\0';
    metric->anomalous = 0;
    if (!store) {
        history_past_free(past);
        annotate_nothing(metric);
        return 0;
    }
    int rc = history_load_past(store, monitor, check, metric->name, rule,
                               now_ms, settings, past, err, err_size);
    if (rc == 0)
        history_apply_rules(rule, past, now_ms, metric, verdict);
    history_annotate(metric, past, rule ? rule->better : RULE_BETTER_NONE,
                     now_ms, settings);
    return rc;
}
