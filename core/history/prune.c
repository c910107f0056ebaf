/*
 * prune.c - retention: delete the runs that started before a time.
 */
#include <stdio.h>

#include "history_store.h"

/* Children first: PostgreSQL enforces the foreign keys. */
static const char *const prune_sql[] = {
    "DELETE FROM nbaq_metric_values WHERE run IN (%s)",
    "DELETE FROM nbaq_check_results WHERE run IN (%s)",
    "DELETE FROM nbaq_run_alerts WHERE run IN (%s)",
};

#define OLD_RUNS_OF_MONITOR                                                    \
    "SELECT id FROM nbaq_runs WHERE started_ms < $1 AND monitor = $2"
#define OLD_RUNS_ALL "SELECT id FROM nbaq_runs WHERE started_ms < $1"

/* Prepares sql, binds the cutoff (and monitor), steps it once. */
static int run_once(history_store *store, const char *sql, int64_t before_ms,
                    const char *monitor, int64_t *count, char *err,
                    size_t err_size)
{
    const store_backend *b = store->backend;
    char why[512];
    store_stmt *s = b->prepare(store->conn, sql, why, sizeof why);
    if (!s)
        return history_store_error(store, err, err_size, "pruning: %s", why);
    b->bind_int64(s, 1, before_ms);
    if (monitor)
        b->bind_text(s, 2, monitor);
    int rc = b->step(s, why, sizeof why);
    if (rc == 1 && count)
        *count = b->column_int64(s, 0);
    b->finalize(s);
    return rc < 0
               ? history_store_error(store, err, err_size, "pruning: %s", why)
               : 0;
}

static int prune_all(history_store *store, const char *monitor,
                     int64_t before_ms, int64_t *runs, char *err,
                     size_t err_size)
{
    const char *old_runs = monitor ? OLD_RUNS_OF_MONITOR : OLD_RUNS_ALL;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (%s) old_runs", old_runs);
    if (run_once(store, sql, before_ms, monitor, runs, err, err_size) != 0)
        return -1;
    for (size_t i = 0; i < sizeof prune_sql / sizeof prune_sql[0]; i++) {
        snprintf(sql, sizeof sql, prune_sql[i], old_runs);
        if (run_once(store, sql, before_ms, monitor, NULL, err, err_size) != 0)
            return -1;
    }
    snprintf(sql, sizeof sql, "DELETE FROM nbaq_runs WHERE id IN (%s)",
             old_runs);
    return run_once(store, sql, before_ms, monitor, NULL, err, err_size);
}

int history_prune(history_store *store, const char *monitor, int64_t before_ms,
                  uint64_t *runs_deleted, char *err, size_t err_size)
{
    if (runs_deleted)
        *runs_deleted = 0;
    if (!store)
        return 0;
    if (history_store_begin(store, 0, err, err_size) != 0)
        return -1;
    int64_t runs = 0;
    if (prune_all(store, monitor, before_ms, &runs, err, err_size) != 0) {
        history_store_rollback(store);
        return -1;
    }
    if (history_store_commit(store, err, err_size) != 0)
        return -1;
    if (runs_deleted)
        *runs_deleted = (uint64_t)runs;
    return 0;
}
