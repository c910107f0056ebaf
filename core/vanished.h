/*
 * vanished.h - series that a check reported in its latest runs and not in
 * this one (a deleted partition, a label gone from a query): reported
 * instead of silently dropped. docs/history.md, "Missing series".
 *
 * The host calls vanished_detect() for each check once its child has
 * ended, before its metrics are judged, and vanished_report() on the
 * judged result. With missing_series: zero (the default), a missing count
 * comes back as a metric of value 0 that the check's rules judge like any
 * value; any other missing series, and every one with `warn`, makes the
 * check a WARNING naming the metric and when it was last seen.
 */
#ifndef NBAQ_CORE_VANISHED_H
#define NBAQ_CORE_VANISHED_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "history.h"
#include "runner.h"

/* What vanished_detect found for one check; malloc'd parts, freed by
 * vanished_free. Zero-initialize it. */
typedef struct vanished_check {
    size_t first_filled; /* index in the outcome's metrics of the first
                            metric filled in as 0; the rest follow      */
    size_t filled;
    char *filled_names; /* "a (last seen T), b (...)" or NULL           */
    char *warned_names; /* the same for the warning, or NULL            */
} vanished_check;

/* Finds the check's missing series and appends the counts among them to
 * j's metrics as 0 (mode zero). Does nothing when the check's child did
 * not end normally, it set ERROR, metrics were dropped, or mode is
 * ignore. A store error is logged and nothing is found. */
void vanished_detect(history_store *store, const char *monitor,
                     const check_config *check, job *j, int64_t now_ms,
                     vanished_check *v);

/* Marks the filled-in metrics of r (their reason says so, which also keeps
 * them from counting as seen next time) and adds the check's message and
 * warning. Returns -1 when out of memory. */
int vanished_report(arena *mem, const vanished_check *v, nbaq_check_result *r);

void vanished_free(vanished_check *v);

#endif
