/*
 * dashboard_pick.h - which metrics the dashboard charts: by default the
 * metrics that have a rule (a threshold, or a history rule: anomaly,
 * change), then those daemon.dashboard.metrics names. The others are
 * listed under their check, one click away.
 *
 * A later SDK will let a plugin declare its key metrics; they will be
 * DASHBOARD_PICK_PLUGIN, decided in dashboard_pick_metric() beside the
 * two reasons here, so that nothing else changes.
 */
#ifndef NBAQ_DAEMON_DASHBOARD_PICK_H
#define NBAQ_DAEMON_DASHBOARD_PICK_H

#include "config.h"
#include "rules.h"

typedef enum dashboard_pick {
    DASHBOARD_PICK_NONE = 0, /* listed, not charted                       */
    DASHBOARD_PICK_RULE,     /* a threshold or history rule applies       */
    DASHBOARD_PICK_CONFIG,   /* named by daemon.dashboard.metrics         */
    DASHBOARD_PICK_PLUGIN    /* reserved: declared key by its plugin      */
} dashboard_pick;

/* "rule", "config", "plugin"; NULL for NONE (the JSON shows null). */
const char *dashboard_pick_name(dashboard_pick pick);

/* Why metric of check (NULL: a check no longer in cfg) is charted; *rule
 * gets the rule that applies to it, or NULL. */
dashboard_pick dashboard_pick_metric(const config *cfg,
                                     const check_config *check,
                                     const char *metric,
                                     const metric_rule **rule);

/* Whether the rule sets any bound or enables a history rule. */
int dashboard_rule_applies(const metric_rule *rule);

#endif
