/*
 * history_recent_series.h - the metrics a check reported in its latest
 * runs, for the missing-series rule (core/vanished.c).
 */
#ifndef NBAQ_HISTORY_RECENT_SERIES_H
#define NBAQ_HISTORY_RECENT_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"

/* The reason text that marks a value the host filled in for a missing
 * series: such values do not count as the series being seen. */
#define HISTORY_MISSING_SERIES_MARK "missing series"

typedef struct history_seen_series {
    char *metric;         /* malloc'd                                      */
    char *unit;           /* malloc'd: its unit (the greatest, if it changed) */
    int64_t last_seen_ms; /* the latest run that reported it               */
} history_seen_series;

/*
 * Every metric that check reported itself (not filled in by the host) in
 * at least one of its latest `runs` runs before before_ms in which it did
 * not end in ERROR; imported and backfilled runs are not runs of the
 * check. *out: free it with history_seen_series_free.
 * store NULL: none, 0. -1 with err naming the store.
 */
int history_recent_series(history_store *store, const char *monitor,
                          const char *check, int64_t before_ms, unsigned runs,
                          history_seen_series **out, size_t *count, char *err,
                          size_t err_size);
void history_seen_series_free(history_seen_series *series, size_t count);

/*
 * 1 when the check has a stored series whose metric is not one of
 * sorted[0..count) (sorted by strcmp), 0 when it has none: then
 * history_recent_series can only name metrics of sorted, and a run that
 * reported all its series need not read its latest runs' values (the
 * costly part). -1 with err naming the store.
 */
int history_check_has_other_series(history_store *store, const char *monitor,
                                   const char *check, const char *const *sorted,
                                   size_t count, char *err, size_t err_size);

#endif
