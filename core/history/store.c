/*
 * store.c - opening, migrating and closing a history store, and what every
 * query shares: the statement cache, transactions, series ids, errors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_schema.h"
#include "history_store.h"

int history_schema_version(void)
{
    return history_schema_migrations[history_schema_migration_count - 1]
        .version;
}

int history_store_error(const history_store *store, char *err, size_t err_size,
                        const char *fmt, ...)
{
    if (!err || err_size == 0)
        return -1;
    int used = snprintf(err, err_size, "history store %s: ", store->name);
    if (used >= 0 && (size_t)used < err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + used, err_size - (size_t)used, fmt, ap);
        va_end(ap);
    }
    return -1;
}

store_stmt *history_store_stmt_get(history_store *store, store_stmt_id id,
                                   char *err, size_t err_size)
{
    if (!store->stmts[id]) {
        char why[512] = "out of memory";
        char *sql = history_schema_statement_sql(id);
        if (sql)
            store->stmts[id] =
                store->backend->prepare(store->conn, sql, why, sizeof why);
        free(sql);
        if (!store->stmts[id]) {
            history_store_error(store, err, err_size, "%s", why);
            return NULL;
        }
    } else {
        store->backend->reset(store->stmts[id]);
    }
    return store->stmts[id];
}

int history_store_run_bound(history_store *store, store_stmt *s, char *err,
                            size_t err_size)
{
    char why[512];
    int rc = store->backend->step(s, why, sizeof why);
    store->backend->reset(s);
    return rc < 0 ? history_store_error(store, err, err_size, "%s", why) : 0;
}

char *history_column_dup(const store_backend *b, store_stmt *s, int column)
{
    const char *text = b->column_text(s, column);
    return strdup(text ? text : "");
}

int history_store_begin(history_store *store, int exclusive, char *err,
                        size_t err_size)
{
    char why[512];
    if (store->backend->begin(store->conn, exclusive, why, sizeof why) != 0)
        return history_store_error(store, err, err_size, "%s", why);
    return 0;
}

int history_store_commit(history_store *store, char *err, size_t err_size)
{
    char why[512];
    if (store->backend->commit(store->conn, why, sizeof why) != 0) {
        history_store_rollback(store);
        return history_store_error(store, err, err_size, "%s", why);
    }
    return 0;
}

store_stmt *history_store_prepare(history_store *store, const char *sql,
                                  char *err, size_t err_size)
{
    char why[512];
    store_stmt *s = store->backend->prepare(store->conn, sql, why, sizeof why);
    if (!s)
        history_store_error(store, err, err_size, "%s", why);
    return s;
}

void history_read_begin(history_store *store)
{
    if (store && !store->reading && store->backend->read_begin)
        store->reading = store->backend->read_begin(store->conn);
}

void history_read_end(history_store *store)
{
    if (!store || !store->reading)
        return;
    for (int i = 0; i < STMT_COUNT; i++) {
        if (store->stmts[i])
            store->backend->reset(store->stmts[i]);
    }
    store->backend->read_end(store->conn);
    store->reading = 0;
}

void history_store_rollback(history_store *store)
{
    /* Reset every statement first: SQLite cannot roll back while one is
     * still reading. */
    for (int i = 0; i < STMT_COUNT; i++) {
        if (store->stmts[i])
            store->backend->reset(store->stmts[i]);
    }
    store->backend->rollback(store->conn);
    history_series_cache_clear(store->series);
    free(store->series_monitor);
    store->series_monitor = NULL;
}

/* Runs a bound statement whose first row, if any, holds an id in column
 * 0: the id, 0 without a row, -1 on error. */
static int64_t step_id(history_store *store, store_stmt *s, char *err,
                       size_t err_size)
{
    char why[512];
    int rc = store->backend->step(s, why, sizeof why);
    int64_t id = rc == 1 ? store->backend->column_int64(s, 0) : 0;
    store->backend->reset(s);
    return rc < 0 ? history_store_error(store, err, err_size, "%s", why) : id;
}

static int64_t series_statement(history_store *store, store_stmt_id id,
                                const char *monitor, const char *check,
                                const char *metric, char *err, size_t err_size)
{
    store_stmt *s = history_store_stmt_get(store, id, err, err_size);
    if (!s)
        return -1;
    store->backend->bind_text(s, 1, monitor);
    store->backend->bind_text(s, 2, check);
    store->backend->bind_text(s, 3, metric);
    return step_id(store, s, err, err_size);
}

/* Caches every series of monitor with one query: a run then looks up
 * its metrics without a query each. */
static int preload_series(history_store *store, const char *monitor, char *err,
                          size_t err_size)
{
    if (store->series_monitor && strcmp(store->series_monitor, monitor) == 0)
        return 0;
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_SERIES_OF_MONITOR, err, err_size);
    if (!s)
        return -1;
    b->bind_text(s, 1, monitor);
    char why[512];
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        if (history_series_cache_put(store->series, monitor,
                                     b->column_text(s, 1), b->column_text(s, 2),
                                     b->column_int64(s, 0)) != 0) {
            snprintf(why, sizeof why, "out of memory");
            rc = -1;
            break;
        }
    }
    b->reset(s);
    if (rc < 0)
        return history_store_error(store, err, err_size, "%s", why);
    free(store->series_monitor);
    store->series_monitor = strdup(monitor);
    return 0;
}

int64_t history_store_series_id(history_store *store, const char *monitor,
                                const char *check, const char *metric,
                                int create, char *err, size_t err_size)
{
    int64_t id =
        history_series_cache_get(store->series, monitor, check, metric);
    if (id > 0)
        return id;
    if (preload_series(store, monitor, err, err_size) != 0)
        return -1;
    id = history_series_cache_get(store->series, monitor, check, metric);
    if (id > 0)
        return id;
    /* New since the preload, perhaps written by another host: ask. */
    if (create)
        id = series_statement(store, STMT_SERIES_INSERT, monitor, check, metric,
                              err, err_size);
    if (id == 0)
        id = series_statement(store, STMT_SERIES_FIND, monitor, check, metric,
                              err, err_size);
    if (id > 0)
        history_series_cache_put(store->series, monitor, check, metric, id);
    return id;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The recorded version, 0 for a new store; -1 on error. */
static int current_version(history_store *store, int *version, char *err,
                           size_t err_size)
{
    const store_backend *b = store->backend;
    char why[512];
    if (b->exec(store->conn,
                "CREATE TABLE IF NOT EXISTS nbaq_schema_version ("
                " version INTEGER PRIMARY KEY,"
                " applied_ms BIGINT NOT NULL)",
                why, sizeof why) != 0)
        return history_store_error(store, err, err_size, "%s", why);
    store_stmt *s = b->prepare(store->conn,
                               "SELECT COALESCE(MAX(version), 0) FROM"
                               " nbaq_schema_version",
                               why, sizeof why);
    if (!s)
        return history_store_error(store, err, err_size, "%s", why);
    int rc = b->step(s, why, sizeof why);
    if (rc == 1)
        *version = (int)b->column_int64(s, 0);
    b->finalize(s);
    if (rc != 1)
        return history_store_error(store, err, err_size, "%s",
                                   rc < 0 ? why : "no schema version");
    return 0;
}

static int apply_migration(history_store *store, const schema_migration *m,
                           char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    const char *sql =
        b == &history_store_pg_backend ? m->pg_sql : m->sqlite_sql;
    char why[512];
    if (b->exec(store->conn, sql, why, sizeof why) != 0)
        return history_store_error(store, err, err_size,
                                   "migrating to schema version %d: %s",
                                   m->version, why);
    store_stmt *s = b->prepare(store->conn,
                               "INSERT INTO nbaq_schema_version"
                               " (version, applied_ms) VALUES ($1, $2)",
                               why, sizeof why);
    if (!s)
        return history_store_error(store, err, err_size, "%s", why);
    b->bind_int64(s, 1, m->version);
    b->bind_int64(s, 2, now_ms());
    int rc = b->step(s, why, sizeof why);
    b->finalize(s);
    return rc < 0 ? history_store_error(store, err, err_size, "%s", why) : 0;
}

int history_store_migrate(history_store *store, char *err, size_t err_size)
{
    if (history_store_begin(store, 1, err, err_size) != 0)
        return -1;
    int version = 0;
    if (current_version(store, &version, err, err_size) != 0) {
        history_store_rollback(store);
        return -1;
    }
    if (version > history_schema_version()) {
        history_store_rollback(store);
        return history_store_error(store, err, err_size,
                                   "schema version %d is newer than this nbaq "
                                   "supports (%d); upgrade nbaq",
                                   version, history_schema_version());
    }
    for (size_t i = 0; i < history_schema_migration_count; i++) {
        if (history_schema_migrations[i].version <= version)
            continue;
        if (apply_migration(store, &history_schema_migrations[i], err,
                            err_size) != 0) {
            history_store_rollback(store);
            return -1;
        }
    }
    return history_store_commit(store, err, err_size);
}

static int connect_store(history_store *store, const store_location *loc,
                         const history_open_options *options, char *err,
                         size_t err_size)
{
    int busy = options && options->busy_timeout_ms > 0
                   ? options->busy_timeout_ms
                   : 5000;
    int timeout = options && options->connect_timeout_s > 0
                      ? options->connect_timeout_s
                      : 10;
    char why[512];
    if (loc->kind == STORE_SQLITE) {
        store->backend = &history_store_sqlite_backend;
        store->conn =
            history_store_sqlite_open(loc->target, busy, why, sizeof why);
    } else {
        store->backend = &history_store_pg_backend;
        store->conn =
            history_store_pg_open(loc->target, timeout, why, sizeof why);
    }
    if (!store->conn)
        return history_store_error(store, err, err_size, "%s", why);
    return 0;
}

int history_open(const char *url, const char *base_dir,
                 const history_open_options *options, history_store **out,
                 char *err, size_t err_size)
{
    *out = NULL;
    store_location loc;
    if (history_store_location_parse(url, base_dir, &loc, err, err_size) != 0)
        return -1;
    history_store *store = calloc(1, sizeof *store);
    if (!store || !(store->series = history_series_cache_new())) {
        free(store);
        history_store_location_free(&loc);
        snprintf(err, err_size, "history store: out of memory");
        return -1;
    }
    store->name = loc.name;
    loc.name = NULL;
    int rc = connect_store(store, &loc, options, err, err_size);
    history_store_location_free(&loc);
    if (rc != 0 || history_store_migrate(store, err, err_size) != 0) {
        history_close(store);
        return -1;
    }
    *out = store;
    return 0;
}

void history_close(history_store *store)
{
    if (!store)
        return;
    for (int i = 0; i < STMT_COUNT; i++) {
        if (store->stmts[i])
            store->backend->finalize(store->stmts[i]);
    }
    if (store->conn)
        store->backend->close(store->conn);
    history_series_cache_free(store->series);
    free(store->series_monitor);
    free(store->notes);
    free(store->name);
    free(store);
}

const char *history_store_name(const history_store *store)
{
    return store ? store->name : "";
}

void history_set_save_hook(history_store *store, history_save_hook hook,
                           void *arg)
{
    if (store) {
        store->save_hook = hook;
        store->save_hook_arg = arg;
    }
}
