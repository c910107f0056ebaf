/*
 * rules_history.c - the anomaly and change rules of one metric (with the
 * episodes they open and close, and their evidence), and the history
 * fields every metric carries to the reporters.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "history_calc.h"
#include "history_episodes.h"
#include "status.h"

static void verdict_add(history_verdict *v, nbaq_status status,
                        const char *reason)
{
    v->status = status_worst(v->status, status);
    size_t used = strlen(v->reason);
    snprintf(v->reason + used, sizeof v->reason - used, "%s%s",
             used ? "; " : "", reason);
}

static void note_episode(history_past *past, episode_change change,
                         const char *rule, const char *reason, int64_t now_ms,
                         const history_episode *episode)
{
    episode_note note = {change, past->series, now_ms, rule, reason, *episode};
    history_episodes_note(past->store, &note);
}

static void episode_to_detect(const history_episode *h, detect_episode *d)
{
    *d = (detect_episode){h->open,  h->opened_ms, h->side, h->expected,
                          h->scale, h->lower,     h->upper};
}

static history_episode episode_from_detect(const detect_episode *d)
{
    return (history_episode){d->open,  d->opened_ms, d->side, d->expected,
                             d->scale, d->lower,     d->upper};
}

/* The anomaly rule as detect sees it: a side whose status is `ignore` is
 * not watched. enabled 0 when neither side is. */
static anomaly_rule watched_sides(const anomaly_rule *rule)
{
    anomaly_rule watched = *rule;
    int above = rule->direction != RULE_DIRECTION_BELOW &&
                rule->status_above != RULE_SIDE_IGNORE;
    int below = rule->direction != RULE_DIRECTION_ABOVE &&
                rule->status_below != RULE_SIDE_IGNORE;
    watched.direction = above && below ? RULE_DIRECTION_BOTH
                        : above        ? RULE_DIRECTION_ABOVE
                                       : RULE_DIRECTION_BELOW;
    watched.enabled = rule->enabled && (above || below);
    return watched;
}

static void learning_reason(history_verdict *verdict, uint32_t used,
                            uint32_t needed, int suspect)
{
    char reason[128];
    snprintf(reason, sizeof reason, "learning (%u of %u values)%s", used,
             needed, suspect ? ", suspect value kept out of the baseline" : "");
    verdict_add(verdict, NBAQ_PASS, reason);
}

static void apply_anomaly(const anomaly_rule *rule, history_past *past,
                          int64_t now_ms, nbaq_metric *metric,
                          history_verdict *verdict)
{
    anomaly_rule watched = watched_sides(rule);
    detect_episode before;
    episode_to_detect(&past->anomaly_open, &before);
    detect_result r;
    detect_judge(&watched, metric->value, now_ms, past->baseline,
                 past->baseline_count, before.open ? &before : NULL, &r);
    detect_fill_evidence(&r, &metric->evidence);
    metric->evidence.accepted_ms = past->accepted_ms;
    if (r.state == NBAQ_JUDGEMENT_LEARNING)
        learning_reason(verdict, r.points_used, r.points_needed, r.suspect);
    if (r.suspect)
        note_episode(past, EPISODE_NOTE_SUSPECT, EPISODE_RULE_ANOMALY, NULL,
                     now_ms, &past->anomaly_open);
    if (r.closed)
        note_episode(past, EPISODE_NOTE_CLOSE, EPISODE_RULE_ANOMALY,
                     EPISODE_RETURNED, now_ms, &past->anomaly_open);
    if (r.opened) {
        history_episode opened = episode_from_detect(&r.episode);
        note_episode(past, EPISODE_NOTE_OPEN, EPISODE_RULE_ANOMALY, NULL,
                     now_ms, &opened);
    }
    if (r.fired) {
        char reason[256];
        metric->anomalous = 1;
        detect_reason(&watched, metric->value, &r, reason, sizeof reason);
        verdict_add(verdict,
                    rule_side_status(r.side > 0 ? rule->status_above
                                                : rule->status_below,
                                     rule->status),
                    reason);
    }
}

/* The change rule's evidence, when it is the metric's only history rule:
 * the band is where no bound fires, its half-width the scale. */
static void change_evidence(const history_change_outcome *c,
                            const history_past *past, double value,
                            nbaq_evidence *e)
{
    e->state = c->episode.open ? NBAQ_JUDGEMENT_OPEN : NBAQ_JUDGEMENT_JUDGED;
    e->points_used = e->points_needed = 1;
    e->expected = c->base;
    e->scale = c->width;
    e->score = c->width > 0 ? (value - c->base) / c->width : NAN;
    e->lower = c->lower;
    e->upper = c->upper;
    e->open_since_ms = c->episode.open ? c->episode.opened_ms : 0;
    e->accepted_ms = past->accepted_ms;
}

static void apply_change(const change_rule *rule, history_past *past,
                         int64_t now_ms, nbaq_metric *metric,
                         history_verdict *verdict, int evidence)
{
    history_change_outcome c;
    history_change_step(rule, metric->value, now_ms, past->has_previous,
                        past->previous, &past->change_open, &c);
    if (!c.r.judged) {
        if (evidence && isfinite(metric->value)) {
            metric->evidence.state = NBAQ_JUDGEMENT_LEARNING;
            metric->evidence.points_needed = 1;
            learning_reason(verdict, 0, 1, 0);
        }
        return;
    }
    if (c.closed)
        note_episode(past, EPISODE_NOTE_CLOSE, EPISODE_RULE_CHANGE,
                     EPISODE_RETURNED, now_ms, &past->change_open);
    if (c.opened)
        note_episode(past, EPISODE_NOTE_OPEN, EPISODE_RULE_CHANGE, NULL, now_ms,
                     &c.episode);
    if (c.status != NBAQ_PASS) {
        char reason[256];
        history_change_reason(&c.r, c.base, c.frozen, reason, sizeof reason);
        verdict_add(verdict, c.status, reason);
    }
    if (evidence)
        change_evidence(&c, past, metric->value, &metric->evidence);
}

/* Said once, on the first run after a person accepted a new level. */
static void accepted_reason(const history_past *past, history_verdict *verdict)
{
    if (!past->accepted_by || past->accepted_ms <= past->previous_ts_ms)
        return;
    char when[32], reason[256];
    history_format_time(past->accepted_ms, when, sizeof when);
    snprintf(reason, sizeof reason, "new level accepted by %s at %s",
             past->accepted_by, when);
    verdict_add(verdict, NBAQ_PASS, reason);
}

void history_apply_rules(const metric_rule *rule, history_past *past,
                         int64_t now_ms, nbaq_metric *metric,
                         history_verdict *verdict)
{
    verdict->status = NBAQ_PASS;
    verdict->reason[0] = '\0';
    metric->anomalous = 0;
    if (!rule || !(rule->anomaly.enabled || rule->change.enabled))
        return;
    accepted_reason(past, verdict);
    if (rule->anomaly.enabled)
        apply_anomaly(&rule->anomaly, past, now_ms, metric, verdict);
    if (rule->change.enabled)
        apply_change(&rule->change, past, now_ms, metric, verdict,
                     !rule->anomaly.enabled);
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
    metric->history_band = NULL;
    metric->history_count = 0;
    if (!past->points || past->point_capacity == 0)
        return;
    size_t count = past->point_count;
    if (isfinite(metric->value) && count < past->point_capacity) {
        if (past->bands)
            past->bands[count] =
                (nbaq_point_band){metric->evidence.lower,
                                  metric->evidence.upper, metric->anomalous};
        past->points[count++] = (nbaq_point){now_ms, metric->value};
    }
    metric->history = past->points;
    metric->history_band = past->bands;
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
    metric->history_band = NULL;
    metric->history_count = 0;
}

void history_evidence_none(nbaq_metric *metric)
{
    metric->evidence = (nbaq_evidence){.state = NBAQ_JUDGEMENT_NONE,
                                       .expected = NAN,
                                       .scale = NAN,
                                       .score = NAN,
                                       .lower = NAN,
                                       .upper = NAN,
                                       .season = "none"};
    metric->history_band = NULL;
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
    history_evidence_none(metric);
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
