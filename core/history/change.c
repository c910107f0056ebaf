/*
 * change.c - the change of a value against the previous run's value, or
 * against the value before a change that is still open.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "history_calc.h"

/* The first bound of the list that |measure| reaches, or NULL. */
static int bound_reached(const rule_bound *bound, double measure)
{
    return bound->set && isfinite(measure) && fabs(measure) >= bound->value;
}

void history_change_judge(const change_rule *rule, double value,
                          int has_previous, double previous,
                          history_change_result *out)
{
    memset(out, 0, sizeof *out);
    out->status = NBAQ_PASS;
    out->pct = NAN;
    if (!rule || !rule->enabled || !has_previous || !isfinite(previous) ||
        !isfinite(value))
        return;
    out->judged = 1;
    out->delta = value - previous;
    if (previous != 0)
        out->pct = out->delta / fabs(previous) * 100.0;
    if (rule->direction == RULE_DIRECTION_ABOVE && out->delta <= 0)
        return;
    if (rule->direction == RULE_DIRECTION_BELOW && out->delta >= 0)
        return;

    const struct {
        const char *name;
        const rule_bound *bound;
        double measure;
        nbaq_status status;
    } checks[] = {
        {"fail_pct", &rule->fail_pct, out->pct, NBAQ_FAIL},
        {"fail_abs", &rule->fail_abs, out->delta, NBAQ_FAIL},
        {"warn_pct", &rule->warn_pct, out->pct, NBAQ_WARNING},
        {"warn_abs", &rule->warn_abs, out->delta, NBAQ_WARNING},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        if (bound_reached(checks[i].bound, checks[i].measure)) {
            out->status = checks[i].status;
            out->bound = checks[i].name;
            out->threshold = checks[i].bound->value;
            return;
        }
    }
}

void history_change_reason(const history_change_result *r, double previous,
                           int frozen, char *buf, size_t size)
{
    char base[64], threshold[32], delta[32], measure[48];
    history_format_value(previous, delta, sizeof delta);
    /* While a change stays open it is measured from the value before it. */
    snprintf(base, sizeof base, frozen ? "%s before the change" : "previous %s",
             delta);
    history_format_value(r->threshold, threshold, sizeof threshold);
    const char *bound = r->bound ? r->bound : "";
    if (strstr(bound, "_pct")) {
        snprintf(measure, sizeof measure, "%+.1f%%", r->pct);
    } else {
        history_format_value(r->delta, delta, sizeof delta);
        snprintf(measure, sizeof measure, "%s%s", r->delta > 0 ? "+" : "",
                 delta);
    }
    snprintf(buf, size, "change: %s vs %s (%s %s)", measure, base, bound,
             threshold);
}

/* The status of a change after the cap of its side (status_above /
 * status_below: ignore drops it, warning turns FAIL into WARNING). */
static nbaq_status side_capped(const change_rule *rule, double delta,
                               nbaq_status status)
{
    nbaq_status cap = rule_side_status(
        delta > 0 ? rule->status_above : rule->status_below, NBAQ_FAIL);
    if (cap == NBAQ_PASS || status == NBAQ_PASS)
        return NBAQ_PASS;
    return cap == NBAQ_WARNING ? NBAQ_WARNING : status;
}

/* Half-width of the band around base inside which no bound fires. */
static double band_width(const change_rule *rule, double base)
{
    double width = INFINITY;
    const rule_bound *pct[] = {&rule->warn_pct, &rule->fail_pct};
    const rule_bound *abs_[] = {&rule->warn_abs, &rule->fail_abs};
    for (size_t i = 0; i < 2; i++) {
        if (pct[i]->set && base != 0 &&
            fabs(base) * pct[i]->value / 100 < width)
            width = fabs(base) * pct[i]->value / 100;
        if (abs_[i]->set && abs_[i]->value < width)
            width = abs_[i]->value;
    }
    return isfinite(width) ? width : NAN;
}

static int side_watched(const change_rule *rule, int side)
{
    if (side > 0)
        return rule->direction != RULE_DIRECTION_BELOW &&
               rule->status_above != RULE_SIDE_IGNORE;
    return rule->direction != RULE_DIRECTION_ABOVE &&
           rule->status_below != RULE_SIDE_IGNORE;
}

void history_change_step(const change_rule *rule, double value, int64_t now_ms,
                         int has_previous, double previous,
                         const history_episode *open_before,
                         history_change_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->status = NBAQ_PASS;
    out->base = out->lower = out->upper = out->width = NAN;
    out->frozen = open_before && open_before->open;
    if (out->frozen) {
        out->base = open_before->expected;
        out->episode = *open_before;
    } else if (has_previous) {
        out->base = previous;
    }
    history_change_judge(rule, value, out->frozen || has_previous, out->base,
                         &out->r);
    if (!out->r.judged)
        return;
    out->status = side_capped(rule, out->r.delta, out->r.status);
    out->width = band_width(rule, out->base);
    if (side_watched(rule, -1))
        out->lower = out->base - out->width;
    if (side_watched(rule, 1))
        out->upper = out->base + out->width;
    if (out->status != NBAQ_PASS && !out->frozen) {
        out->opened = 1;
        out->episode =
            (history_episode){1,         now_ms,     out->r.delta > 0 ? 1 : -1,
                              out->base, out->width, out->lower,
                              out->upper};
    } else if (out->status == NBAQ_PASS && out->frozen) {
        out->closed = 1;
        out->episode.open = 0;
    }
}
