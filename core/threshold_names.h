/*
 * threshold_names.h - a threshold must be able to apply to a metric.
 *
 * After binding (bind.c), every key of a check's `thresholds:` and every
 * metric a `match` names on another check is tested against the metric
 * patterns the check's plugin declares (metric_decls.h), with the check's
 * options put in. A key no declared pattern can match is a configuration
 * error: a typo there would otherwise judge nothing, silently. Checks are
 * not tested when their plugin declares no metrics (built before ABI 1.2
 * added declarations) or declares `*` (names chosen at run time).
 */
#ifndef NBAQ_CORE_THRESHOLD_NAMES_H
#define NBAQ_CORE_THRESHOLD_NAMES_H

#include <stddef.h>

#include "config.h"

/* Returns 0, or -1 with err: "file:line:col: check 'x': threshold
 * 'objcts': plugin 'object_count' declares no such metric (did you mean
 * 'objects'?)". */
int threshold_names_check(const config *cfg, char *err, size_t err_size);

#endif
