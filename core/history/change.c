/*
 * change.c - the change of a value against the previous run's value.
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
                           char *buf, size_t size)
{
    char prev[32], threshold[32], delta[32];
    history_format_value(previous, prev, sizeof prev);
    history_format_value(r->threshold, threshold, sizeof threshold);
    const char *bound = r->bound ? r->bound : "";
    if (strstr(bound, "_pct")) {
        snprintf(buf, size, "change: %+.1f%% vs previous %s (%s %s)", r->pct,
                 prev, bound, threshold);
    } else {
        history_format_value(r->delta, delta, sizeof delta);
        snprintf(buf, size, "change: %s%s vs previous %s (%s %s)",
                 r->delta > 0 ? "+" : "", delta, prev, bound, threshold);
    }
}
