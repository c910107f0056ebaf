/*
 * reconcile.h - thresholds that compare a metric with another metric of
 * the same run, from any check (YAML `match`, docs/reconciliation.md):
 *
 *   "objects.by_prefix.season=2025":
 *     match: {metric: "games_db/public.games.rows_2025",
 *             tolerance_pct: 0.5, direction: target_at_least}
 *
 * Parsed with the check's thresholds, validated once every check is known
 * (a reference to an unknown check is a config error with a suggestion),
 * and judged by the host after all checks of the run have ended, before
 * the run's status, alerts, history and reports.
 */
#ifndef NBAQ_CORE_RECONCILE_H
#define NBAQ_CORE_RECONCILE_H

#include <stddef.h>

#include "arena.h"
#include "config.h"
#include "nbaq.h"
#include "rules.h"
#include "ydoc.h"

/* Reads the `match` mapping of a threshold (where: "threshold 'x' of
 * check 'y'"). Returns 0, or -1 with err naming file:line:column. */
int reconcile_parse(arena *mem, const ynode *node, const char *where,
                    match_rule *out, char *err, size_t err_size);

/* Every `match` names a check of the config. Returns 0, or -1 with err:
 * "file:line:col: check 'a': threshold 'x': match: no check 'gams_db'
 * (did you mean 'games_db'?)". */
int reconcile_check_config(const config *cfg, char *err, size_t err_size);

/*
 * Judges every metric whose rule has a `match`, against the metrics of
 * results (count checks of this run, each result's metrics already
 * evaluated): the metric's status and reason, then its check's status and
 * message, only ever get worse. A target missing in this run (its check
 * not run, ended without metrics, or without that metric) fails, naming
 * the check and the metric. Strings are allocated in mem.
 */
void reconcile_run(arena *mem, const config *cfg, nbaq_check_result **results,
                   size_t count);

#endif
