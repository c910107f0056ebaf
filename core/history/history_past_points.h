/*
 * history_past_points.h - values from before nbaq watched a metric:
 * `history import` (import.c) and what a check backfills on its first run
 * (metric_backfill in sdk/nbaq.h). Both are stored as runs of their own,
 * so that `history show`, `history trends` and the rules see them like
 * any other value.
 *
 * Storage (no schema change): each distinct timestamp becomes one row of
 * nbaq_runs with run_id "<kind>:<monitor>@<ts_ms>" (kind "import" or
 * "backfill"), started_ms = finished_ms = ts_ms and status PASS; each
 * check gets a row of nbaq_check_results in it (plugin and message from
 * the source); each point a row of nbaq_metric_values with status PASS,
 * anomalous 0 and the source's reason. Retention prunes these runs like
 * any other; the missing-series rule (core/vanished.c) skips them.
 */
#ifndef NBAQ_HISTORY_PAST_POINTS_H
#define NBAQ_HISTORY_PAST_POINTS_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"

/* The run id prefixes of past points, with their colon. */
#define HISTORY_IMPORT_RUN_PREFIX "import:"
#define HISTORY_BACKFILL_RUN_PREFIX "backfill:"

/* Where a batch of past values comes from. Nothing is kept. */
typedef struct history_past_source {
    const char *monitor;
    const char *check;
    const char *plugin; /* the check row's plugin ("import" for imports)   */
    const char *kind;   /* "import" or "backfill": the run id prefix       */
    const char *reason; /* each value's reason: "imported", "backfilled"    */
    /* 1: a series that already has a value is left alone entirely
     * (backfill); 0: only timestamps the series already holds are skipped
     * (import: importing a file twice adds nothing).                      */
    int only_empty_series;
    int64_t before_ms; /* > 0: points at or after it are skipped          */
} history_past_source;

/* One metric's past values. */
typedef struct history_past_series {
    const char *metric;
    const char *unit;
    const nbaq_point *points; /* any order; non-finite values are skipped */
    size_t count;
} history_past_series;

/*
 * Stores the points of every series in one transaction: all or none.
 * *stored (may be NULL) gets how many values were written, the others
 * having been skipped as described above. store NULL: 0, nothing stored.
 * -1 with err naming the store; the store is then unchanged.
 */
int history_store_past_points(history_store *store,
                              const history_past_source *source,
                              const history_past_series *series, size_t count,
                              size_t *stored, char *err, size_t err_size);

#endif
