/*
 * alerts_store.c - reading and writing the alert lifecycle's tables
 * (history_alerts.h). Each function prepares its statement once per call
 * and runs it for every row: a run touches few alerts, and the store's
 * statement cache stays the history module's own.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history_alerts.h"
#include "history_store.h"
#include "sql_placeholders.h"
#include "status.h"

static store_stmt *prepare(history_store *store, const char *sql, char *err,
                           size_t err_size)
{
    char why[512];
    store_stmt *s = store->backend->prepare(store->conn, sql, why, sizeof why);
    if (!s)
        history_store_error(store, err, err_size, "%s", why);
    return s;
}

/* Runs a bound statement to its end; counts the rows it returned
 * (RETURNING) into *rows when not NULL. */
static int run_bound(history_store *store, store_stmt *s, uint64_t *rows,
                     char *err, size_t err_size)
{
    char why[512];
    int rc;
    while ((rc = store->backend->step(s, why, sizeof why)) == 1) {
        if (rows)
            (*rows)++;
    }
    store->backend->reset(s);
    return rc < 0 ? history_store_error(store, err, err_size, "%s", why) : 0;
}

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

/* A name the store wrote (status.h), back to its value; MEDIUM for an
 * unknown severity, FIRING for an unknown state. */
static nbaq_severity severity_column(history_store *store, store_stmt *s,
                                     int column)
{
    const char *text = store->backend->column_text(s, column);
    nbaq_severity v;
    return text && severity_parse(text, &v) == 0 ? v : NBAQ_SEV_MEDIUM;
}

static nbaq_alert_state state_column(history_store *store, store_stmt *s,
                                     int column)
{
    const char *text = store->backend->column_text(s, column);
    nbaq_alert_state v;
    return text && alert_state_parse(text, &v) == 0 ? v : NBAQ_ALERT_FIRING;
}

/* Grows *rows by one zeroed element; NULL when out of memory. */
static void *grow(void **rows, size_t *count, size_t *cap, size_t size)
{
    if (*count == *cap) {
        size_t n = *cap ? *cap * 2 : 16;
        void *bigger = realloc(*rows, n * size);
        if (!bigger)
            return NULL;
        *rows = bigger;
        *cap = n;
    }
    void *row = (char *)*rows + *count * size;
    memset(row, 0, size);
    (*count)++;
    return row;
}

/* ------------------------------------------------------------------------ */
/* Transactions                                                             */

int history_alerts_begin(history_store *store, char *err, size_t err_size)
{
    return store ? history_store_begin(store, 1, err, err_size) : 0;
}

int history_alerts_commit(history_store *store, char *err, size_t err_size)
{
    return store ? history_store_commit(store, err, err_size) : 0;
}

void history_alerts_rollback(history_store *store)
{
    if (store)
        history_store_rollback(store);
}

/* ------------------------------------------------------------------------ */
/* nbaq_alerts                                                              */

#define ALERT_COLUMNS                                                          \
    "fingerprint, check_name, metric, is_open, episode, severity,"             \
    " escalated, state, summary, started_ms, ended_ms, fail_since_ms,"         \
    " pass_since_ms, failing_runs, passing_runs, results, result_count,"       \
    " flapping, notified, updated_ms"

/* How one kind of row is read from a statement and freed. */
typedef struct row_kind {
    const char *what; /* for messages: "alerts", "outbox" */
    size_t size;
    int (*read)(history_store *store, store_stmt *s, void *row);
    void (*free_rows)(void *rows, size_t count);
} row_kind;

/* Runs sql (parameters: the monitor, then fingerprint unless it is NULL)
 * and reads every row into a new array owned by the caller (*rows,
 * *count; freed with kind->free_rows). No store: no rows. Returns 0, or
 * -1 with err naming the store. */
static int load_rows(history_store *store, const row_kind *kind,
                     const char *sql, const char *monitor,
                     const char *fingerprint, void **rows, size_t *count,
                     char *err, size_t err_size)
{
    *rows = NULL;
    *count = 0;
    if (!store)
        return 0;
    store_stmt *s = prepare(store, sql, err, err_size);
    if (!s)
        return -1;
    store->backend->bind_text(s, 1, monitor);
    if (fingerprint)
        store->backend->bind_text(s, 2, fingerprint);
    size_t cap = 0;
    char why[512] = "out of memory";
    int rc;
    while ((rc = store->backend->step(s, why, sizeof why)) == 1) {
        void *row = grow(rows, count, &cap, kind->size);
        if (!row || kind->read(store, s, row) != 0) {
            snprintf(why, sizeof why, "out of memory");
            rc = -1;
            break;
        }
    }
    store->backend->finalize(s);
    if (rc < 0) {
        kind->free_rows(*rows, *count);
        *rows = NULL;
        *count = 0;
        return history_store_error(store, err, err_size,
                                   "loading the %s of %s: %s", kind->what,
                                   monitor, why);
    }
    return 0;
}

static int load_monitor_rows(history_store *store, const row_kind *kind,
                             const char *sql, const char *monitor, void **rows,
                             size_t *count, char *err, size_t err_size)
{
    return load_rows(store, kind, sql, monitor, NULL, rows, count, err,
                     err_size);
}

static int read_alert(history_store *store, store_stmt *s, history_alert *a)
{
    const store_backend *b = store->backend;
    a->fingerprint = history_column_dup(store->backend, s, 0);
    a->check = history_column_dup(store->backend, s, 1);
    a->metric = history_column_dup(store->backend, s, 2);
    a->open = b->column_int64(s, 3) != 0;
    a->episode = b->column_int64(s, 4);
    a->severity = severity_column(store, s, 5);
    a->escalated = b->column_int64(s, 6) != 0;
    a->state = state_column(store, s, 7);
    a->summary = history_column_dup(store->backend, s, 8);
    a->started_ms = b->column_int64(s, 9);
    a->ended_ms = b->column_int64(s, 10);
    a->fail_since_ms = b->column_int64(s, 11);
    a->pass_since_ms = b->column_int64(s, 12);
    a->failing_runs = (uint32_t)b->column_int64(s, 13);
    a->passing_runs = (uint32_t)b->column_int64(s, 14);
    a->results = (uint64_t)b->column_int64(s, 15);
    a->result_count = (uint32_t)b->column_int64(s, 16);
    a->flapping = b->column_int64(s, 17) != 0;
    a->notified = history_column_dup(store->backend, s, 18);
    a->updated_ms = b->column_int64(s, 19);
    return a->fingerprint && a->check && a->metric && a->summary && a->notified
               ? 0
               : -1;
}

static int read_alert_row(history_store *store, store_stmt *s, void *row)
{
    return read_alert(store, s, row);
}

static void free_alert_rows(void *rows, size_t count)
{
    history_alerts_free(rows, count);
}

int history_alerts_load(history_store *store, const char *monitor,
                        history_alert **rows, size_t *count, char *err,
                        size_t err_size)
{
    static const row_kind kind = {"alerts", sizeof(history_alert),
                                  read_alert_row, free_alert_rows};
    return load_monitor_rows(store, &kind,
                             "SELECT " ALERT_COLUMNS " FROM nbaq_alerts"
                             " WHERE monitor = $1 ORDER BY fingerprint",
                             monitor, (void **)rows, count, err, err_size);
}

#define ALERT_PARAMS 21 /* per row of the upsert: monitor + 20 columns */
#define SAVE_BATCH 64   /* rows per statement: one round trip for many  */

/* Binds row a as the `row`-th VALUES tuple of an upsert. */
static void bind_alert(history_store *store, store_stmt *s, size_t row,
                       const char *monitor, const history_alert *a)
{
    const store_backend *b = store->backend;
    int p = (int)(row * ALERT_PARAMS);
    b->bind_text(s, p + 1, monitor);
    b->bind_text(s, p + 2, text_or_empty(a->fingerprint));
    b->bind_text(s, p + 3, text_or_empty(a->check));
    b->bind_text(s, p + 4, text_or_empty(a->metric));
    b->bind_int64(s, p + 5, a->open ? 1 : 0);
    b->bind_int64(s, p + 6, a->episode);
    b->bind_text(s, p + 7, severity_name(a->severity));
    b->bind_int64(s, p + 8, a->escalated ? 1 : 0);
    b->bind_text(s, p + 9, alert_state_name(a->state));
    b->bind_text(s, p + 10, text_or_empty(a->summary));
    b->bind_int64(s, p + 11, a->started_ms);
    b->bind_int64(s, p + 12, a->ended_ms);
    b->bind_int64(s, p + 13, a->fail_since_ms);
    b->bind_int64(s, p + 14, a->pass_since_ms);
    b->bind_int64(s, p + 15, a->failing_runs);
    b->bind_int64(s, p + 16, a->passing_runs);
    /* At most 63 bits are kept: the value fits a signed BIGINT. */
    b->bind_int64(s, p + 17, (int64_t)(a->results & INT64_MAX));
    b->bind_int64(s, p + 18, a->result_count);
    b->bind_int64(s, p + 19, a->flapping ? 1 : 0);
    b->bind_text(s, p + 20, text_or_empty(a->notified));
    b->bind_int64(s, p + 21, a->updated_ms);
}

/* The upsert of `rows` rows; NULL when out of memory. */
static char *upsert_sql(size_t rows)
{
    static const char head[] =
        "INSERT INTO nbaq_alerts (monitor, " ALERT_COLUMNS ") VALUES ";
    static const char tail[] =
        " ON CONFLICT (monitor, fingerprint) DO UPDATE SET"
        " check_name = excluded.check_name, metric = excluded.metric,"
        " is_open = excluded.is_open, episode = excluded.episode,"
        " severity = excluded.severity, escalated = excluded.escalated,"
        " state = excluded.state, summary = excluded.summary,"
        " started_ms = excluded.started_ms, ended_ms = excluded.ended_ms,"
        " fail_since_ms = excluded.fail_since_ms,"
        " pass_since_ms = excluded.pass_since_ms,"
        " failing_runs = excluded.failing_runs,"
        " passing_runs = excluded.passing_runs, results = excluded.results,"
        " result_count = excluded.result_count,"
        " flapping = excluded.flapping, notified = excluded.notified,"
        " updated_ms = excluded.updated_ms";
    return sql_placeholders(head, rows, ALERT_PARAMS, 1, tail);
}

/* Upserts rows[0..count) with statements of `batch` rows each (count is
 * a multiple of batch). */
static int save_batches(history_store *store, const char *monitor,
                        const history_alert *rows, size_t count, size_t batch,
                        char *err, size_t err_size)
{
    char *sql = upsert_sql(batch);
    store_stmt *s = sql ? prepare(store, sql, err, err_size) : NULL;
    free(sql);
    if (!s)
        return sql ? -1
                   : history_store_error(store, err, err_size, "out of memory");
    int rc = 0;
    for (size_t done = 0; rc == 0 && done < count; done += batch) {
        for (size_t r = 0; r < batch; r++)
            bind_alert(store, s, r, monitor, &rows[done + r]);
        rc = run_bound(store, s, NULL, err, err_size);
    }
    store->backend->finalize(s);
    return rc;
}

int history_alerts_save(history_store *store, const char *monitor,
                        const history_alert *rows, size_t count, char *err,
                        size_t err_size)
{
    if (!store || count == 0)
        return 0;
    size_t whole = count - count % SAVE_BATCH;
    if (whole && save_batches(store, monitor, rows, whole, SAVE_BATCH, err,
                              err_size) != 0)
        return -1;
    if (whole == count)
        return 0;
    return save_batches(store, monitor, rows + whole, count - whole, 1, err,
                        err_size);
}

/* "DELETE ... WHERE monitor = $1 AND fingerprint IN ($2..$<rows+1>)". */
static char *delete_sql(size_t rows)
{
    return sql_placeholders("DELETE FROM nbaq_alerts WHERE monitor = $1"
                            " AND fingerprint IN ",
                            1, rows, 2, NULL);
}

static int delete_batches(history_store *store, const char *monitor,
                          const char *const *fingerprints, size_t count,
                          size_t batch, char *err, size_t err_size)
{
    char *sql = delete_sql(batch);
    store_stmt *s = sql ? prepare(store, sql, err, err_size) : NULL;
    free(sql);
    if (!s)
        return sql ? -1
                   : history_store_error(store, err, err_size, "out of memory");
    int rc = 0;
    for (size_t done = 0; rc == 0 && done < count; done += batch) {
        store->backend->bind_text(s, 1, monitor);
        for (size_t i = 0; i < batch; i++)
            store->backend->bind_text(s, (int)i + 2, fingerprints[done + i]);
        rc = run_bound(store, s, NULL, err, err_size);
    }
    store->backend->finalize(s);
    return rc;
}

int history_alerts_delete(history_store *store, const char *monitor,
                          const char *const *fingerprints, size_t count,
                          char *err, size_t err_size)
{
    if (!store || count == 0)
        return 0;
    size_t whole = count - count % SAVE_BATCH;
    if (whole && delete_batches(store, monitor, fingerprints, whole, SAVE_BATCH,
                                err, err_size) != 0)
        return -1;
    if (whole == count)
        return 0;
    return delete_batches(store, monitor, fingerprints + whole, count - whole,
                          1, err, err_size);
}

void history_alerts_free(history_alert *rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++) {
        free(rows[i].fingerprint);
        free(rows[i].check);
        free(rows[i].metric);
        free(rows[i].summary);
        free(rows[i].notified);
    }
    free(rows);
}

/* ------------------------------------------------------------------------ */
/* nbaq_alert_silences                                                      */

int history_silences_load(history_store *store, const char *monitor,
                          int64_t active_at_ms, history_silence **rows,
                          size_t *count, char *err, size_t err_size)
{
    *rows = NULL;
    *count = 0;
    if (!store)
        return 0;
    store_stmt *s = prepare(store,
                            "SELECT id, fingerprint, check_name, until_ms,"
                            " created_ms, comment FROM nbaq_alert_silences"
                            " WHERE monitor = $1 AND until_ms > $2"
                            " ORDER BY id",
                            err, err_size);
    if (!s)
        return -1;
    const store_backend *b = store->backend;
    b->bind_text(s, 1, monitor);
    b->bind_int64(s, 2, active_at_ms < 0 ? INT64_MIN : active_at_ms);
    size_t cap = 0;
    char why[512] = "out of memory";
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        history_silence *x = grow((void **)rows, count, &cap, sizeof **rows);
        if (x) {
            x->id = b->column_int64(s, 0);
            x->fingerprint = history_column_dup(store->backend, s, 1);
            x->check = history_column_dup(store->backend, s, 2);
            x->until_ms = b->column_int64(s, 3);
            x->created_ms = b->column_int64(s, 4);
            x->comment = history_column_dup(store->backend, s, 5);
        }
        if (!x || !x->fingerprint || !x->check || !x->comment) {
            snprintf(why, sizeof why, "out of memory");
            rc = -1;
            break;
        }
    }
    b->finalize(s);
    if (rc < 0) {
        history_silences_free(*rows, *count);
        *rows = NULL;
        *count = 0;
        return history_store_error(store, err, err_size,
                                   "loading the silences of %s: %s", monitor,
                                   why);
    }
    return 0;
}

int history_silence_add(history_store *store, const char *monitor,
                        const history_silence *silence, int64_t *id, char *err,
                        size_t err_size)
{
    if (id)
        *id = 0;
    if (!store)
        return 0;
    store_stmt *s = prepare(store,
                            "INSERT INTO nbaq_alert_silences (monitor,"
                            " fingerprint, check_name, until_ms, created_ms,"
                            " comment) VALUES ($1, $2, $3, $4, $5, $6)"
                            " RETURNING id",
                            err, err_size);
    if (!s)
        return -1;
    const store_backend *b = store->backend;
    b->bind_text(s, 1, monitor);
    b->bind_text(s, 2, text_or_empty(silence->fingerprint));
    b->bind_text(s, 3, text_or_empty(silence->check));
    b->bind_int64(s, 4, silence->until_ms);
    b->bind_int64(s, 5, silence->created_ms);
    b->bind_text(s, 6, text_or_empty(silence->comment));
    char why[512];
    int rc = b->step(s, why, sizeof why);
    if (rc == 1 && id)
        *id = b->column_int64(s, 0);
    b->finalize(s);
    if (rc < 0)
        return history_store_error(store, err, err_size, "adding a silence: %s",
                                   why);
    return 0;
}

int history_silence_end(history_store *store, const char *monitor, int64_t id,
                        const char *fingerprint, const char *check,
                        int64_t now_ms, uint64_t *ended, char *err,
                        size_t err_size)
{
    if (ended)
        *ended = 0;
    if (!store)
        return 0;
    store_stmt *s = prepare(
        store,
        "UPDATE nbaq_alert_silences SET until_ms = $2"
        " WHERE monitor = $1 AND until_ms > $2 AND (id = $3 OR ($3 = 0 AND"
        " ((fingerprint = $4 AND fingerprint <> '')"
        " OR (check_name = $5 AND check_name <> '')))) RETURNING id",
        err, err_size);
    if (!s)
        return -1;
    const store_backend *b = store->backend;
    b->bind_text(s, 1, monitor);
    b->bind_int64(s, 2, now_ms);
    b->bind_int64(s, 3, id > 0 ? id : 0);
    b->bind_text(s, 4, fingerprint ? fingerprint : "");
    b->bind_text(s, 5, check ? check : "");
    uint64_t n = 0;
    int rc = run_bound(store, s, &n, err, err_size);
    b->finalize(s);
    if (ended)
        *ended = n;
    return rc;
}

void history_silences_free(history_silence *rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++) {
        free(rows[i].fingerprint);
        free(rows[i].check);
        free(rows[i].comment);
    }
    free(rows);
}

/* ------------------------------------------------------------------------ */
/* nbaq_alert_outbox                                                        */

#define OUTBOX_COLUMNS                                                         \
    "channel, run_id, created_ms, attempts, last_error, episode,"              \
    " fingerprint, check_name, metric, summary, severity, state,"              \
    " started_ms, ended_ms, failing_runs"

int history_outbox_supersede(history_store *store, const int64_t *ids,
                             size_t count, int64_t now_ms, char *err,
                             size_t err_size)
{
    if (!store || count == 0)
        return 0;
    store_stmt *s = prepare(store,
                            "UPDATE nbaq_alert_outbox SET superseded_ms = $2"
                            " WHERE id = $1 AND delivered_ms IS NULL",
                            err, err_size);
    if (!s)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        store->backend->bind_int64(s, 1, ids[i]);
        store->backend->bind_int64(s, 2, now_ms);
        rc = run_bound(store, s, NULL, err, err_size);
    }
    store->backend->finalize(s);
    return rc;
}

static void bind_outbox(history_store *store, store_stmt *s,
                        const char *monitor, const history_outbox_row *row)
{
    const store_backend *b = store->backend;
    b->bind_text(s, 1, monitor);
    b->bind_text(s, 2, text_or_empty(row->channel));
    b->bind_text(s, 3, text_or_empty(row->run_id));
    b->bind_int64(s, 4, row->created_ms);
    b->bind_int64(s, 5, row->attempts);
    b->bind_text(s, 6, text_or_empty(row->last_error));
    b->bind_int64(s, 7, row->episode);
    b->bind_text(s, 8, text_or_empty(row->fingerprint));
    b->bind_text(s, 9, text_or_empty(row->check));
    b->bind_text(s, 10, text_or_empty(row->metric));
    b->bind_text(s, 11, text_or_empty(row->summary));
    b->bind_text(s, 12, severity_name(row->severity));
    b->bind_text(s, 13, alert_state_name(row->state));
    b->bind_int64(s, 14, row->started_ms);
    b->bind_int64(s, 15, row->ended_ms);
    b->bind_int64(s, 16, row->failing_runs);
}

int history_outbox_add(history_store *store, const char *monitor,
                       history_outbox_row *rows, size_t count, char *err,
                       size_t err_size)
{
    for (size_t i = 0; i < count; i++)
        rows[i].id = 0;
    if (!store || count == 0)
        return 0;
    store_stmt *s =
        prepare(store,
                "INSERT INTO nbaq_alert_outbox (monitor, " OUTBOX_COLUMNS
                ") VALUES ($1, $2, $3, $4, $5, $6,"
                " $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
                " RETURNING id",
                err, err_size);
    if (!s)
        return -1;
    const store_backend *b = store->backend;
    char why[512] = "no id returned";
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        bind_outbox(store, s, monitor, &rows[i]);
        rc = b->step(s, why, sizeof why);
        if (rc == 1)
            rows[i].id = b->column_int64(s, 0);
        b->reset(s);
        rc = rc == 1 ? 0 : -1;
    }
    b->finalize(s);
    if (rc != 0)
        return history_store_error(store, err, err_size,
                                   "queueing a notification: %s", why);
    return 0;
}

static int read_outbox(history_store *store, store_stmt *s,
                       history_outbox_row *r)
{
    const store_backend *b = store->backend;
    r->id = b->column_int64(s, 0);
    r->channel = history_column_dup(store->backend, s, 1);
    r->run_id = history_column_dup(store->backend, s, 2);
    r->created_ms = b->column_int64(s, 3);
    r->attempts = b->column_int64(s, 4);
    r->last_error = history_column_dup(store->backend, s, 5);
    r->episode = b->column_int64(s, 6);
    r->fingerprint = history_column_dup(store->backend, s, 7);
    r->check = history_column_dup(store->backend, s, 8);
    r->metric = history_column_dup(store->backend, s, 9);
    r->summary = history_column_dup(store->backend, s, 10);
    r->severity = severity_column(store, s, 11);
    r->state = state_column(store, s, 12);
    r->started_ms = b->column_int64(s, 13);
    r->ended_ms = b->column_int64(s, 14);
    r->failing_runs = (uint32_t)b->column_int64(s, 15);
    return r->channel && r->run_id && r->last_error && r->fingerprint &&
                   r->check && r->metric && r->summary
               ? 0
               : -1;
}

static int read_outbox_row(history_store *store, store_stmt *s, void *row)
{
    return read_outbox(store, s, row);
}

static void free_outbox_rows(void *rows, size_t count)
{
    history_outbox_free(rows, count);
}

int history_outbox_pending(history_store *store, const char *monitor,
                           history_outbox_row **rows, size_t *count, char *err,
                           size_t err_size)
{
    static const row_kind kind = {"outbox", sizeof(history_outbox_row),
                                  read_outbox_row, free_outbox_rows};
    return load_monitor_rows(store, &kind,
                             "SELECT id, " OUTBOX_COLUMNS
                             " FROM nbaq_alert_outbox WHERE monitor = $1"
                             " AND delivered_ms IS NULL"
                             " AND superseded_ms IS NULL ORDER BY id",
                             monitor, (void **)rows, count, err, err_size);
}

/* Rows claimed by nobody alive (history_alerts.h). On PostgreSQL a claim
 * is a backend session's; on SQLite it is a host process's pid, released
 * by release_dead_claims when that process is gone. */
#define PG_NOW "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
#define SQLITE_NOW "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
#define OUTBOX_WAITING " AND delivered_ms IS NULL AND superseded_ms IS NULL"
#define PG_UNCLAIMED                                                           \
    OUTBOX_WAITING " AND (claimed_by IS NULL OR claimed_until_ms < " PG_NOW    \
                   " OR claimed_by NOT IN (SELECT pid FROM pg_stat_activity"   \
                   " WHERE pid IS NOT NULL))"
#define SQLITE_UNCLAIMED                                                       \
    OUTBOX_WAITING                                                             \
    " AND (claimed_by IS NULL OR claimed_until_ms < " SQLITE_NOW ")"

static int is_pg(const history_store *store)
{
    return strcmp(store->backend->name, "postgresql") == 0;
}

/* Whether the claims of pid are over: that process ended, or it is this
 * one, whose runs follow each other (a claim of its own is an earlier
 * run's that did not mark its rows). */
static int holder_ended(int64_t pid)
{
    return pid <= 0 || pid > INT32_MAX || pid == (int64_t)getpid() ||
           (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/* The distinct pids holding waiting rows of monitor (SQLite). */
static int claim_holders(history_store *store, const char *monitor,
                         int64_t **pids, size_t *count, char *err,
                         size_t err_size)
{
    store_stmt *s =
        prepare(store,
                "SELECT DISTINCT claimed_by FROM nbaq_alert_outbox"
                " WHERE monitor = $1 AND claimed_by IS NOT NULL" OUTBOX_WAITING,
                err, err_size);
    if (!s)
        return -1;
    const store_backend *b = store->backend;
    b->bind_text(s, 1, monitor);
    size_t cap = 0;
    char why[512];
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        int64_t *pid = grow((void **)pids, count, &cap, sizeof **pids);
        if (!pid) {
            b->finalize(s);
            return history_store_error(store, err, err_size, "out of memory");
        }
        *pid = b->column_int64(s, 0);
    }
    b->finalize(s);
    return rc < 0 ? history_store_error(store, err, err_size, "%s", why) : 0;
}

/* SQLite: drops the claims of holders that ended (a host killed while
 * delivering), so that this run sends their rows. */
static int release_dead_claims(history_store *store, const char *monitor,
                               char *err, size_t err_size)
{
    int64_t *pids = NULL;
    size_t count = 0;
    if (claim_holders(store, monitor, &pids, &count, err, err_size) != 0) {
        free(pids);
        return -1;
    }
    store_stmt *s =
        count
            ? prepare(store,
                      "UPDATE nbaq_alert_outbox SET claimed_by = NULL"
                      " WHERE monitor = $1 AND claimed_by = $2" OUTBOX_WAITING,
                      err, err_size)
            : NULL;
    int rc = count && !s ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        if (!holder_ended(pids[i]))
            continue;
        store->backend->bind_text(s, 1, monitor);
        store->backend->bind_int64(s, 2, pids[i]);
        rc = run_bound(store, s, NULL, err, err_size);
    }
    if (s)
        store->backend->finalize(s);
    free(pids);
    return rc;
}

int history_outbox_claimable(history_store *store, const char *monitor,
                             history_outbox_row **rows, size_t *count,
                             char *err, size_t err_size)
{
    static const row_kind kind = {"outbox", sizeof(history_outbox_row),
                                  read_outbox_row, free_outbox_rows};
    if (!store)
        return history_outbox_pending(store, monitor, rows, count, err,
                                      err_size);
    int pg = is_pg(store);
    if (!pg && release_dead_claims(store, monitor, err, err_size) != 0)
        return -1;
    return load_monitor_rows(
        store, &kind,
        pg ? "SELECT id, " OUTBOX_COLUMNS
             " FROM nbaq_alert_outbox WHERE monitor = $1" PG_UNCLAIMED
             " ORDER BY id"
           : "SELECT id, " OUTBOX_COLUMNS
             " FROM nbaq_alert_outbox WHERE monitor = $1" SQLITE_UNCLAIMED
             " ORDER BY id",
        monitor, (void **)rows, count, err, err_size);
}

int history_outbox_claim(history_store *store, const char *monitor, char *err,
                         size_t err_size)
{
    if (!store)
        return 0;
    int pg = is_pg(store);
    store_stmt *s = prepare(store,
                            pg ? "UPDATE nbaq_alert_outbox SET claimed_by ="
                                 " pg_backend_pid(), claimed_until_ms = " PG_NOW
                                 " + $2 WHERE monitor = $1" PG_UNCLAIMED
                               : "UPDATE nbaq_alert_outbox SET claimed_by = $3,"
                                 " claimed_until_ms = " SQLITE_NOW
                                 " + $2 WHERE monitor = $1" SQLITE_UNCLAIMED,
                            err, err_size);
    if (!s)
        return -1;
    store->backend->bind_text(s, 1, monitor);
    store->backend->bind_int64(s, 2, OUTBOX_CLAIM_MS);
    if (!pg)
        store->backend->bind_int64(s, 3, (int64_t)getpid());
    int rc = run_bound(store, s, NULL, err, err_size);
    store->backend->finalize(s);
    return rc;
}

/* read_outbox, then when it was delivered and superseded (0: not). */
static int read_outbox_history_row(history_store *store, store_stmt *s,
                                   void *row)
{
    history_outbox_row *r = row;
    r->delivered_ms = store->backend->column_int64(s, 16);
    r->superseded_ms = store->backend->column_int64(s, 17);
    return read_outbox(store, s, r);
}

int history_outbox_of_alert(history_store *store, const char *monitor,
                            const char *fingerprint, history_outbox_row **rows,
                            size_t *count, char *err, size_t err_size)
{
    static const row_kind kind = {"outbox", sizeof(history_outbox_row),
                                  read_outbox_history_row, free_outbox_rows};
    return load_rows(
        store, &kind,
        "SELECT id, " OUTBOX_COLUMNS ","
        " COALESCE(delivered_ms, 0), COALESCE(superseded_ms, 0)"
        " FROM nbaq_alert_outbox WHERE monitor = $1"
        " AND fingerprint = $2"
        " ORDER BY id DESC LIMIT " HISTORY_OUTBOX_OF_ALERT_MAX_TEXT,
        monitor, fingerprint, (void **)rows, count, err, err_size);
}

#define MARK_BATCH 64

/* "UPDATE ... SET <set> WHERE id IN ($2, ..., $<rows + 1>)"; $1 is the
 * value set. NULL when out of memory. */
static char *mark_sql(int delivered, size_t rows)
{
    return sql_placeholders(
        delivered ? "UPDATE nbaq_alert_outbox SET delivered_ms = $1"
                    " WHERE id IN "
                  : "UPDATE nbaq_alert_outbox SET attempts = attempts + 1,"
                    " last_error = $1, claimed_by = NULL WHERE id IN ",
        1, rows, 2, NULL);
}

/* Marks ids[0..rows) with one statement of `rows` ids, prepared once. */
static int mark_chunks(history_store *store, const int64_t *ids, size_t count,
                       size_t rows, int delivered, int64_t now_ms,
                       const char *error, char *err, size_t err_size)
{
    char *sql = mark_sql(delivered, rows);
    store_stmt *s = sql ? prepare(store, sql, err, err_size) : NULL;
    free(sql);
    if (!s)
        return sql ? -1
                   : history_store_error(store, err, err_size, "out of memory");
    const store_backend *b = store->backend;
    int rc = 0;
    for (size_t done = 0; rc == 0 && done + rows <= count; done += rows) {
        if (delivered)
            b->bind_int64(s, 1, now_ms);
        else
            b->bind_text(s, 1, text_or_empty(error));
        for (size_t i = 0; i < rows; i++)
            b->bind_int64(s, (int)i + 2, ids[done + i]);
        rc = run_bound(store, s, NULL, err, err_size);
    }
    b->finalize(s);
    return rc;
}

int history_outbox_mark(history_store *store, const int64_t *ids, size_t count,
                        int delivered, int64_t now_ms, const char *error,
                        char *err, size_t err_size)
{
    if (!store || count == 0)
        return 0;
    if (history_store_begin(store, 0, err, err_size) != 0)
        return -1;
    size_t whole = count - count % MARK_BATCH;
    int rc = 0;
    if (whole)
        rc = mark_chunks(store, ids, whole, MARK_BATCH, delivered, now_ms,
                         error, err, err_size);
    if (rc == 0 && whole < count)
        rc = mark_chunks(store, ids + whole, count - whole, 1, delivered,
                         now_ms, error, err, err_size);
    if (rc != 0) {
        history_store_rollback(store);
        return -1;
    }
    return history_store_commit(store, err, err_size);
}

int history_outbox_prune(history_store *store, const char *monitor,
                         int64_t before_ms, uint64_t *deleted, char *err,
                         size_t err_size)
{
    if (deleted)
        *deleted = 0;
    if (!store)
        return 0;
    store_stmt *s = prepare(store,
                            "DELETE FROM nbaq_alert_outbox WHERE monitor = $1"
                            " AND created_ms < $2 AND (delivered_ms IS NOT"
                            " NULL OR superseded_ms IS NOT NULL) RETURNING id",
                            err, err_size);
    if (!s)
        return -1;
    store->backend->bind_text(s, 1, monitor);
    store->backend->bind_int64(s, 2, before_ms);
    uint64_t n = 0;
    int rc = run_bound(store, s, &n, err, err_size);
    store->backend->finalize(s);
    if (deleted)
        *deleted = n;
    return rc;
}

void history_outbox_free(history_outbox_row *rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++) {
        free(rows[i].channel);
        free(rows[i].run_id);
        free(rows[i].last_error);
        free(rows[i].fingerprint);
        free(rows[i].check);
        free(rows[i].metric);
        free(rows[i].summary);
    }
    free(rows);
}
