#include "dashboard_pick.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "evaluate.h"

const char *dashboard_pick_name(dashboard_pick pick)
{
    static const char *const names[] = {NULL, "rule", "config", "plugin"};
    return (unsigned)pick < 4 ? names[pick] : NULL;
}

int dashboard_rule_applies(const metric_rule *rule)
{
    return rule && (rule->warn_above.set || rule->fail_above.set ||
                    rule->warn_below.set || rule->fail_below.set ||
                    rule->anomaly.enabled || rule->change.enabled);
}

/* A pattern matches "check/metric" or, without a '/', the metric. */
static int named_in_config(const daemon_config *d, const char *check,
                           const char *metric)
{
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", check, metric);
    for (size_t i = 0; i < d->dashboard_metric_count; i++) {
        const char *p = d->dashboard_metrics[i];
        const char *subject = strchr(p, '/') ? full : metric;
        if (fnmatch(p, subject, 0) == 0)
            return 1;
    }
    return 0;
}

dashboard_pick dashboard_pick_metric(const config *cfg,
                                     const check_config *check,
                                     const char *metric,
                                     const metric_rule **rule)
{
    *rule = check ? evaluate_find_rule(check->rules, check->rule_count, metric)
                  : NULL;
    if (dashboard_rule_applies(*rule))
        return DASHBOARD_PICK_RULE;
    if (check && named_in_config(&cfg->daemon, check->name, metric))
        return DASHBOARD_PICK_CONFIG;
    return DASHBOARD_PICK_NONE;
}
