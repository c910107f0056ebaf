/*
 * recent_series.c - the metrics of a check's latest runs
 * (history_recent_series.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "history_past_points.h"
#include "history_recent_series.h"
#include "history_store.h"

/* The check's latest real runs, then the values of those runs that the
 * check reported itself. Written so that both databases start from the
 * few runs and read their values by the run index (CROSS JOIN keeps
 * SQLite to that order); reading each series' values instead costs a
 * scan of its whole history. */
static const char recent_series_sql[] =
    "WITH recent AS (SELECT r.id FROM nbaq_runs r"
    " JOIN nbaq_check_results c ON c.run = r.id"
    " WHERE r.monitor = $1 AND c.check_name = $2 AND c.status <> 'ERROR'"
    " AND r.started_ms < $3"
    " AND r.run_id NOT LIKE '" HISTORY_IMPORT_RUN_PREFIX "%'"
    " AND r.run_id NOT LIKE '" HISTORY_BACKFILL_RUN_PREFIX "%'"
    " ORDER BY r.started_ms DESC LIMIT $4)"
    " SELECT s.metric, MAX(v.ts_ms), MAX(v.unit)"
    " FROM recent CROSS JOIN nbaq_metric_values v CROSS JOIN nbaq_series s"
    " WHERE v.run = recent.id AND s.id = v.series"
    " AND s.monitor = $1 AND s.check_name = $2"
    " AND v.reason NOT LIKE '%" HISTORY_MISSING_SERIES_MARK "%'"
    " GROUP BY s.metric";

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int history_check_has_other_series(history_store *store, const char *monitor,
                                   const char *check, const char *const *sorted,
                                   size_t count, char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s = history_store_prepare(store,
                                          "SELECT metric FROM nbaq_series"
                                          " WHERE monitor = $1"
                                          " AND check_name = $2",
                                          err, err_size);
    if (!s)
        return -1;
    char why[512];
    b->bind_text(s, 1, monitor);
    b->bind_text(s, 2, check);
    int rc = 0, other = 0;
    while (!other && (rc = b->step(s, why, sizeof why)) == 1) {
        const char *metric = b->column_text(s, 0);
        other = !metric ||
                !bsearch(&metric, sorted, count, sizeof *sorted, compare_names);
    }
    b->finalize(s);
    if (!other && rc < 0)
        return history_store_error(store, err, err_size, "%s", why);
    return other;
}

void history_seen_series_free(history_seen_series *series, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(series[i].metric);
        free(series[i].unit);
    }
    free(series);
}

static int append_row(const store_backend *b, store_stmt *s,
                      history_seen_series **out, size_t *count,
                      size_t *capacity)
{
    history_seen_series *grown =
        grow_for_one(*out, capacity, *count, sizeof *grown, 16);
    if (!grown)
        return -1;
    *out = grown;
    history_seen_series *row = &(*out)[*count];
    row->metric = history_column_dup(b, s, 0);
    row->unit = history_column_dup(b, s, 2);
    row->last_seen_ms = b->column_int64(s, 1);
    if (!row->metric || !row->unit) {
        free(row->metric);
        free(row->unit);
        return -1;
    }
    (*count)++;
    return 0;
}

int history_recent_series(history_store *store, const char *monitor,
                          const char *check, int64_t before_ms, unsigned runs,
                          history_seen_series **out, size_t *count, char *err,
                          size_t err_size)
{
    *out = NULL;
    *count = 0;
    if (!store || runs == 0)
        return 0;
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_prepare(store, recent_series_sql, err, err_size);
    if (!s)
        return -1;
    char why[512];
    b->bind_text(s, 1, monitor);
    b->bind_text(s, 2, check);
    b->bind_int64(s, 3, before_ms);
    b->bind_int64(s, 4, runs);
    size_t capacity = 0;
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        if (append_row(b, s, out, count, &capacity) != 0) {
            snprintf(why, sizeof why, "out of memory");
            rc = -1;
            break;
        }
    }
    b->finalize(s);
    if (rc < 0) {
        history_seen_series_free(*out, *count);
        *out = NULL;
        *count = 0;
        return history_store_error(store, err, err_size, "%s", why);
    }
    return 0;
}
