/*
 * evaluate.h - turning what a plugin reported into statuses.
 *
 * For every metric the host finds the rule that applies (evaluate_find_rule:
 * an exact name first, then the first glob in config order) and applies it
 * (evaluate_metric: static bounds, then the history rules). The check's
 * status is the worst of the plugin's own status and its metrics'; its
 * message is the plugin's message followed by the reasons of the metrics
 * that did not pass.
 */
#ifndef NBAQ_CORE_EVALUATE_H
#define NBAQ_CORE_EVALUATE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "history.h"
#include "nbaq.h"
#include "rules.h"

/* The rule for metric: the one whose pattern equals the name, else the
 * first (in config order) whose fnmatch(3) glob matches; NULL if none. */
const metric_rule *evaluate_find_rule(const metric_rule *rules, size_t count,
                                      const char *metric);

/*
 * Sets m->status, m->reason (allocated in mem), m->anomalous and
 * m->evidence from rule (NULL: no rule) and the metric's past values
 * (NULL: no history store; loaded by history_load_past(), see
 * aggregate.c). The episodes the value opens or closes are noted with
 * past's store and saved with the run. now_ms is the run's start, the
 * time the value is stored under.
 *
 * Order: a value that is not finite is UNKNOWN "not a finite number" and
 * nothing else applies; then fail_above, fail_below, warn_above,
 * warn_below (the first that fires gives the reason; bounds are strict:
 * value > above, value < below); then the history rules (anomaly, change:
 * history_apply_rules() of core/history), which can only make the status
 * worse and append their reason, "; "-separated.
 */
void evaluate_metric(arena *mem, const metric_rule *rule, history_past *past,
                     int64_t now_ms, nbaq_metric *m);

/* The check's status and message from the plugin's and the metrics'.
 * The message is allocated in mem. */
void evaluate_check_status(arena *mem, nbaq_status plugin_status,
                           const char *plugin_message,
                           const nbaq_metric *const *metrics, size_t count,
                           nbaq_status *status, const char **message);

#endif
