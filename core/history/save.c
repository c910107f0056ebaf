/*
 * save.c - one whole run into the store, in one transaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_episodes.h"
#include "history_schema.h"
#include "history_store.h"
#include "status.h"

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

/* The fleet member this process saves runs for (history_set_run_member). */
static const char *run_member = "";

void history_set_run_member(const char *member)
{
    run_member = member ? member : "";
}

static int64_t insert_run(history_store *store, const nbaq_run *run, char *err,
                          size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_RUN_INSERT, err, err_size);
    if (!s)
        return -1;
    b->bind_text(s, 1, text_or_empty(run->run_id));
    b->bind_text(s, 2, text_or_empty(run->monitor));
    b->bind_int64(s, 3, run->started_ms);
    b->bind_int64(s, 4, run->finished_ms);
    b->bind_text(s, 5, status_name(run->status));
    b->bind_text(s, 6, run_member);
    char why[512];
    int rc = b->step(s, why, sizeof why);
    int64_t id = rc == 1 ? b->column_int64(s, 0) : -1;
    b->reset(s);
    if (rc != 1)
        return history_store_error(store, err, err_size, "saving run %s: %s",
                                   text_or_empty(run->run_id),
                                   rc < 0 ? why : "no id returned");
    return id;
}

/* One metric value to write, its series resolved. */
typedef struct value_row {
    int64_t series;
    const nbaq_metric *metric;
} value_row;

static void bind_value(history_store *store, store_stmt *s, int first,
                       const nbaq_run *run, int64_t run_pk,
                       const value_row *row)
{
    const store_backend *b = store->backend;
    const nbaq_metric *m = row->metric;
    b->bind_int64(s, first, row->series);
    b->bind_int64(s, first + 1, run_pk);
    b->bind_int64(s, first + 2, run->started_ms);
    b->bind_double(s, first + 3, m->value);
    b->bind_text(s, first + 4, text_or_empty(m->unit));
    b->bind_text(s, first + 5, status_name(m->status));
    b->bind_text(s, first + 6, text_or_empty(m->reason));
    b->bind_int64(s, first + 7, m->anomalous ? 1 : 0);
    /* The band the value was judged against; NULL when it was not. */
    const nbaq_evidence *e = &m->evidence;
    int judged =
        e->state == NBAQ_JUDGEMENT_JUDGED || e->state == NBAQ_JUDGEMENT_OPEN;
    b->bind_double(s, first + 8, judged ? e->expected : NAN);
    b->bind_double(s, first + 9, judged ? e->lower : NAN);
    b->bind_double(s, first + 10, judged ? e->upper : NAN);
    b->bind_double(s, first + 11, judged ? e->score : NAN);
}

/* Writes rows with as few statements as it can: batches of 64, 16, 4
 * and 1 rows, each a statement prepared once. */
static int insert_values(history_store *store, const nbaq_run *run,
                         int64_t run_pk, const value_row *rows, size_t count,
                         char *err, size_t err_size)
{
    static const struct {
        size_t rows;
        store_stmt_id id;
    } batches[] = {{64, STMT_VALUE_INSERT_64},
                   {16, STMT_VALUE_INSERT_16},
                   {4, STMT_VALUE_INSERT_4},
                   {1, STMT_VALUE_INSERT_1}};
    size_t done = 0;
    for (size_t k = 0; k < sizeof batches / sizeof batches[0]; k++) {
        while (count - done >= batches[k].rows) {
            store_stmt *s =
                history_store_stmt_get(store, batches[k].id, err, err_size);
            if (!s)
                return -1;
            for (size_t r = 0; r < batches[k].rows; r++)
                bind_value(store, s, (int)(r * SCHEMA_VALUE_COLUMNS) + 1, run,
                           run_pk, &rows[done + r]);
            if (history_store_run_bound(store, s, err, err_size) != 0)
                return -1;
            done += batches[k].rows;
            if (store->save_hook)
                store->save_hook(store->save_hook_arg, done);
        }
    }
    return 0;
}

static int insert_check(history_store *store, int64_t run_pk,
                        const nbaq_check_result *check, char *err,
                        size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_CHECK_INSERT, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, run_pk);
    b->bind_text(s, 2, check->name);
    b->bind_text(s, 3, text_or_empty(check->plugin));
    b->bind_text(s, 4, status_name(check->status));
    b->bind_text(s, 5, text_or_empty(check->message));
    b->bind_text(s, 6, severity_name(check->severity));
    b->bind_int64(s, 7, check->started_ms);
    b->bind_int64(s, 8, check->duration_ms);
    return history_store_run_bound(store, s, err, err_size);
}

/* Every check's row, and the series of each of its metrics into rows. */
static int insert_checks(history_store *store, const nbaq_run *run,
                         int64_t run_pk, value_row *rows, size_t *count,
                         char *err, size_t err_size)
{
    const char *monitor = text_or_empty(run->monitor);
    for (size_t i = 0; i < run->check_count; i++) {
        const nbaq_check_result *check = run->checks[i];
        if (insert_check(store, run_pk, check, err, err_size) != 0)
            return -1;
        for (size_t j = 0; j < check->metric_count; j++) {
            const nbaq_metric *m = check->metrics[j];
            int64_t series = history_store_series_id(
                store, monitor, check->name, m->name, 1, err, err_size);
            if (series == 0)
                history_store_error(store, err, err_size,
                                    "series %s/%s not created", check->name,
                                    m->name);
            if (series <= 0)
                return -1;
            rows[(*count)++] = (value_row){series, m};
        }
    }
    return 0;
}

static int insert_alert(history_store *store, int64_t run_pk,
                        const nbaq_alert *a, char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_ALERT_INSERT, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, run_pk);
    b->bind_text(s, 2, text_or_empty(a->fingerprint));
    b->bind_text(s, 3, text_or_empty(a->check));
    b->bind_text(s, 4, text_or_empty(a->metric));
    b->bind_text(s, 5, text_or_empty(a->summary));
    b->bind_text(s, 6, severity_name(a->severity));
    b->bind_text(s, 7, alert_state_name(a->state));
    b->bind_int64(s, 8, a->started_ms);
    b->bind_int64(s, 9, a->ended_ms);
    b->bind_int64(s, 10, a->silenced_until_ms);
    b->bind_int64(s, 11, a->notify ? 1 : 0);
    b->bind_int64(s, 12, a->failing_runs);
    return history_store_run_bound(store, s, err, err_size);
}

static int save_state(history_store *store, const nbaq_run *run,
                      const history_state_entry *e, char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s = history_store_stmt_get(
        store, e->value ? STMT_STATE_UPSERT : STMT_STATE_DELETE, err, err_size);
    if (!s)
        return -1;
    b->bind_text(s, 1, text_or_empty(run->monitor));
    b->bind_text(s, 2, text_or_empty(e->check));
    b->bind_text(s, 3, text_or_empty(e->key));
    if (e->value) {
        b->bind_text(s, 4, e->value);
        b->bind_int64(s, 5, run->started_ms);
    }
    return history_store_run_bound(store, s, err, err_size);
}

static size_t metric_count(const nbaq_run *run)
{
    size_t n = 0;
    for (size_t i = 0; i < run->check_count; i++)
        n += run->checks[i]->metric_count;
    return n;
}

static int save_all(history_store *store, const nbaq_run *run,
                    const history_state_entry *states, size_t state_count,
                    char *err, size_t err_size)
{
    int64_t run_pk = insert_run(store, run, err, err_size);
    if (run_pk < 0)
        return -1;
    size_t total = metric_count(run), count = 0;
    value_row *rows = malloc((total ? total : 1) * sizeof *rows);
    if (!rows)
        return history_store_error(store, err, err_size, "out of memory");
    int rc = insert_checks(store, run, run_pk, rows, &count, err, err_size);
    if (rc == 0)
        rc = insert_values(store, run, run_pk, rows, count, err, err_size);
    free(rows);
    if (rc == 0)
        rc = history_episodes_save(store, run->started_ms, run_pk, err,
                                   err_size);
    if (rc != 0)
        return -1;
    for (size_t i = 0; i < run->alert_count; i++) {
        if (insert_alert(store, run_pk, run->alerts[i], err, err_size) != 0)
            return -1;
    }
    for (size_t i = 0; i < state_count; i++) {
        if (save_state(store, run, &states[i], err, err_size) != 0)
            return -1;
    }
    return 0;
}

int history_save_run(history_store *store, const nbaq_run *run,
                     const history_state_entry *states, size_t state_count,
                     char *err, size_t err_size)
{
    if (!store)
        return 0;
    if (history_store_begin(store, 0, err, err_size) != 0) {
        history_episodes_forget(store);
        return -1;
    }
    if (save_all(store, run, states, state_count, err, err_size) != 0) {
        history_episodes_forget(store);
        history_store_rollback(store);
        return -1;
    }
    return history_store_commit(store, err, err_size);
}
