/*
 * past_points.c - imported and backfilled values, as runs of their own
 * (history_past_points.h).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "history_past_points.h"
#include "history_store.h"

enum {
    PAST_SERIES_HAS_VALUE,
    PAST_VALUE_AT,
    PAST_RUN_INSERT,
    PAST_RUN_FIND,
    PAST_CHECK_INSERT,
    PAST_VALUE_INSERT,
    PAST_STMT_COUNT
};

static const char *const past_sql[PAST_STMT_COUNT] = {
    [PAST_SERIES_HAS_VALUE] = "SELECT 1 FROM nbaq_metric_values"
                              " WHERE series = $1 LIMIT 1",
    [PAST_VALUE_AT] = "SELECT 1 FROM nbaq_metric_values"
                      " WHERE series = $1 AND ts_ms = $2 LIMIT 1",
    [PAST_RUN_INSERT] =
        "INSERT INTO nbaq_runs (run_id, monitor, started_ms, finished_ms,"
        " status) VALUES ($1, $2, $3, $3, 'PASS')"
        " ON CONFLICT (run_id) DO NOTHING RETURNING id",
    [PAST_RUN_FIND] = "SELECT id FROM nbaq_runs WHERE run_id = $1",
    [PAST_CHECK_INSERT] =
        "INSERT INTO nbaq_check_results (run, check_name, plugin, status,"
        " message, severity, started_ms, duration_ms)"
        " VALUES ($1, $2, $3, 'PASS', $4, 'MEDIUM', $5, 0)"
        " ON CONFLICT (run, check_name) DO NOTHING",
    [PAST_VALUE_INSERT] =
        "INSERT INTO nbaq_metric_values (series, run, ts_ms, value, unit,"
        " status, reason, anomalous)"
        " VALUES ($1, $2, $3, $4, $5, 'PASS', $6, 0)",
};

typedef struct past_writer {
    history_store *store;
    const history_past_source *source;
    store_stmt *stmts[PAST_STMT_COUNT];
    size_t stored;
    char *err;
    size_t err_size;
} past_writer;

static int prepare_all(past_writer *w)
{
    for (int i = 0; i < PAST_STMT_COUNT; i++) {
        char why[512];
        w->stmts[i] = w->store->backend->prepare(w->store->conn, past_sql[i],
                                                 why, sizeof why);
        if (!w->stmts[i])
            return history_store_error(w->store, w->err, w->err_size, "%s",
                                       why);
    }
    return 0;
}

static void finalize_all(past_writer *w)
{
    for (int i = 0; i < PAST_STMT_COUNT; i++) {
        if (w->stmts[i])
            w->store->backend->finalize(w->stmts[i]);
        w->stmts[i] = NULL;
    }
}

/* Steps a bound statement once: 1 a row (its column 0 in *id, if id), 0
 * none, -1 error (err filled). Resets it. */
static int step_once(past_writer *w, int which, int64_t *id)
{
    const store_backend *b = w->store->backend;
    store_stmt *s = w->stmts[which];
    char why[512];
    int rc = b->step(s, why, sizeof why);
    if (rc == 1 && id)
        *id = b->column_int64(s, 0);
    b->reset(s);
    if (rc < 0)
        return history_store_error(w->store, w->err, w->err_size, "%s", why);
    return rc;
}

/* The run (and check row) holding the past values at ts_ms. */
static int64_t past_run(past_writer *w, int64_t ts_ms)
{
    const store_backend *b = w->store->backend;
    const history_past_source *src = w->source;
    char run_id[600];
    snprintf(run_id, sizeof run_id, "%s:%s@%" PRId64, src->kind, src->monitor,
             ts_ms);
    b->bind_text(w->stmts[PAST_RUN_INSERT], 1, run_id);
    b->bind_text(w->stmts[PAST_RUN_INSERT], 2, src->monitor);
    b->bind_int64(w->stmts[PAST_RUN_INSERT], 3, ts_ms);
    int64_t id = 0;
    int rc = step_once(w, PAST_RUN_INSERT, &id);
    if (rc == 0) {
        b->bind_text(w->stmts[PAST_RUN_FIND], 1, run_id);
        rc = step_once(w, PAST_RUN_FIND, &id);
    }
    if (rc <= 0)
        return rc < 0 ? -1
                      : history_store_error(w->store, w->err, w->err_size,
                                            "run %s not created", run_id);
    store_stmt *c = w->stmts[PAST_CHECK_INSERT];
    b->bind_int64(c, 1, id);
    b->bind_text(c, 2, src->check);
    b->bind_text(c, 3, src->plugin);
    b->bind_text(c, 4, src->reason);
    b->bind_int64(c, 5, ts_ms);
    return step_once(w, PAST_CHECK_INSERT, NULL) < 0 ? -1 : id;
}

static int store_point(past_writer *w, int64_t series, const char *unit,
                       const nbaq_point *p)
{
    const store_backend *b = w->store->backend;
    if (!isfinite(p->value) ||
        (w->source->before_ms > 0 && p->ts_ms >= w->source->before_ms))
        return 0;
    b->bind_int64(w->stmts[PAST_VALUE_AT], 1, series);
    b->bind_int64(w->stmts[PAST_VALUE_AT], 2, p->ts_ms);
    int rc = step_once(w, PAST_VALUE_AT, NULL);
    if (rc != 0)
        return rc < 0 ? -1 : 0; /* already there: imported before */
    int64_t run = past_run(w, p->ts_ms);
    if (run < 0)
        return -1;
    store_stmt *s = w->stmts[PAST_VALUE_INSERT];
    b->bind_int64(s, 1, series);
    b->bind_int64(s, 2, run);
    b->bind_int64(s, 3, p->ts_ms);
    b->bind_double(s, 4, p->value);
    b->bind_text(s, 5, unit ? unit : "");
    b->bind_text(s, 6, w->source->reason);
    if (step_once(w, PAST_VALUE_INSERT, NULL) < 0)
        return -1;
    w->stored++;
    return 0;
}

static int store_series(past_writer *w, const history_past_series *series)
{
    const history_past_source *src = w->source;
    int64_t id =
        history_store_series_id(w->store, src->monitor, src->check,
                                series->metric, 1, w->err, w->err_size);
    if (id <= 0)
        return id < 0 ? -1
                      : history_store_error(w->store, w->err, w->err_size,
                                            "series %s/%s not created",
                                            src->check, series->metric);
    if (src->only_empty_series) {
        w->store->backend->bind_int64(w->stmts[PAST_SERIES_HAS_VALUE], 1, id);
        int rc = step_once(w, PAST_SERIES_HAS_VALUE, NULL);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
    }
    for (size_t i = 0; i < series->count; i++) {
        if (store_point(w, id, series->unit, &series->points[i]) != 0)
            return -1;
    }
    return 0;
}

int history_store_past_points(history_store *store,
                              const history_past_source *source,
                              const history_past_series *series, size_t count,
                              size_t *stored, char *err, size_t err_size)
{
    if (stored)
        *stored = 0;
    if (!store)
        return 0;
    past_writer w = {
        .store = store, .source = source, .err = err, .err_size = err_size};
    if (history_store_begin(store, 0, err, err_size) != 0)
        return -1;
    int rc = prepare_all(&w);
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = store_series(&w, &series[i]);
    finalize_all(&w);
    if (rc != 0) {
        history_store_rollback(store);
        return -1;
    }
    if (history_store_commit(store, err, err_size) != 0)
        return -1;
    if (stored)
        *stored = w.stored;
    return 0;
}
