/*
 * anomaly.c - the z-score of a value against its own past.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "history_calc.h"

typedef struct baseline_filter {
    int64_t now_ms;
    int64_t since_ms; /* values at or after it; INT64_MIN: any           */
    rule_season season;
    int64_t season_key;
} baseline_filter;

static int sample_usable(const history_sample *s, const baseline_filter *f)
{
    if (s->anomalous || !isfinite(s->value))
        return 0;
    if (s->ts_ms >= f->now_ms || s->ts_ms < f->since_ms)
        return 0;
    return f->season == RULE_SEASON_NONE ||
           history_season_key(s->ts_ms, f->season) == f->season_key;
}

/* Index of the first sample of the baseline: all usable samples in the
 * time window, or the latest `points` of them. */
static size_t baseline_start(const history_sample *past, size_t count,
                             const baseline_filter *f, size_t points)
{
    if (points == 0)
        return 0;
    size_t taken = 0;
    for (size_t i = count; i > 0; i--) {
        if (sample_usable(&past[i - 1], f) && ++taken == points)
            return i - 1;
    }
    return 0;
}

void history_anomaly_judge(const anomaly_rule *rule, double value,
                           int64_t now_ms, const history_sample *past,
                           size_t count, history_anomaly_result *out)
{
    memset(out, 0, sizeof *out);
    if (!rule || !rule->enabled || !isfinite(value))
        return;
    double z_limit = rule->z > 0 ? rule->z : HISTORY_ANOMALY_DEFAULT_Z;
    size_t min_history = rule->min_history
                             ? rule->min_history
                             : HISTORY_ANOMALY_DEFAULT_MIN_HISTORY;
    if (min_history < 2)
        min_history = 2;
    baseline_filter f = {now_ms, INT64_MIN, rule->seasonal,
                         history_season_key(now_ms, rule->seasonal)};
    size_t points = 0;
    if (rule->window_ms > 0)
        f.since_ms = now_ms - rule->window_ms;
    else
        points = rule->window_points ? rule->window_points
                                     : HISTORY_ANOMALY_DEFAULT_POINTS;

    size_t start = baseline_start(past, count, &f, points);
    double sum = 0;
    size_t n = 0;
    for (size_t i = start; i < count; i++) {
        if (sample_usable(&past[i], &f)) {
            sum += past[i].value;
            n++;
        }
    }
    out->n = n;
    if (n < min_history)
        return;
    double mean = sum / (double)n;
    double squares = 0;
    for (size_t i = start; i < count; i++) {
        if (sample_usable(&past[i], &f)) {
            double d = past[i].value - mean;
            squares += d * d;
        }
    }
    out->mean = mean;
    out->sd = sqrt(squares / (double)(n - 1));
    if (!(out->sd > 0) || !isfinite(out->sd))
        return;
    out->judged = 1;
    out->z = (value - mean) / out->sd;
    if (rule->floor.set && fabs(value - mean) < rule->floor.value)
        return;
    switch (rule->direction) {
    case RULE_DIRECTION_ABOVE:
        out->fired = out->z > z_limit;
        break;
    case RULE_DIRECTION_BELOW:
        out->fired = out->z < -z_limit;
        break;
    default:
        out->fired = fabs(out->z) > z_limit;
        break;
    }
}

void history_anomaly_reason(const anomaly_rule *rule, double value,
                            const history_anomaly_result *r, char *buf,
                            size_t size)
{
    char v[32], mean[32], sd[32];
    history_format_value(value, v, sizeof v);
    history_format_stat(r->mean, mean, sizeof mean);
    history_format_stat(r->sd, sd, sizeof sd);
    const char *season = history_season_name(rule->seasonal);
    snprintf(buf, size, "anomaly: %s vs mean %s (sd %s, z %.1f, n %zu%s%s)", v,
             mean, sd, r->z, r->n, *season ? ", same " : "", season);
}
