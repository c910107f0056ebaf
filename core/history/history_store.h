/*
 * history_store.h - inside the history store: one small vtable per database
 * (SQLite, PostgreSQL) with prepared statements, binds and rows, so that
 * every query of the history module is written once.
 *
 * SQL is written in PostgreSQL's style with numbered parameters $1..$n;
 * the SQLite backend rewrites them to ?1..?n. Binds are 1-based, columns
 * 0-based. A NaN double is bound as NULL and a NULL column reads as NAN.
 */
#ifndef NBAQ_HISTORY_STORE_H
#define NBAQ_HISTORY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"

typedef struct store_conn store_conn; /* one backend's connection        */
typedef struct store_stmt store_stmt; /* one backend's prepared statement */

typedef struct store_backend {
    const char *name; /* "sqlite" or "postgresql": picks migration SQL   */
    /* Runs SQL without parameters (may hold several statements).        */
    int (*exec)(store_conn *c, const char *sql, char *err, size_t err_size);
    /* Prepares SQL; NULL with err on failure. Freed by finalize.        */
    store_stmt *(*prepare)(store_conn *c, const char *sql, char *err,
                           size_t err_size);
    void (*bind_int64)(store_stmt *s, int index, int64_t value);
    void (*bind_double)(store_stmt *s, int index, double value);
    /* text is copied; NULL binds NULL.                                  */
    void (*bind_text)(store_stmt *s, int index, const char *text);
    /* 1: a row is ready; 0: done; -1: error (err filled). The first call
     * after binding runs the statement.                                 */
    int (*step)(store_stmt *s, char *err, size_t err_size);
    int64_t (*column_int64)(store_stmt *s, int column);
    double (*column_double)(store_stmt *s, int column);
    /* NULL for SQL NULL; valid until the next step or reset.            */
    const char *(*column_text)(store_stmt *s, int column);
    /* Ends the current execution; binds may then be set again.         */
    void (*reset)(store_stmt *s);
    void (*finalize)(store_stmt *s);
    /* A write transaction. exclusive: also serializes against every
     * other writer that asks for exclusive (schema migration).         */
    int (*begin)(store_conn *c, int exclusive, char *err, size_t err_size);
    int (*commit)(store_conn *c, char *err, size_t err_size);
    void (*rollback)(store_conn *c);
    /* A read snapshot (history_read_begin); NULL where statements are
     * better left in autocommit (PostgreSQL: an error would abort every
     * later read of the span). read_begin returns 1 when it began one. */
    int (*read_begin)(store_conn *c);
    void (*read_end)(store_conn *c);
    void (*close)(store_conn *c);
} store_backend;

/* Opening one backend; NULL with err (without the store's name, which the
 * caller prefixes) on failure. */
store_conn *history_store_sqlite_open(const char *path, int busy_timeout_ms,
                                      char *err, size_t err_size);
store_conn *history_store_pg_open(const char *url, int connect_timeout_s,
                                  char *err, size_t err_size);
extern const store_backend history_store_sqlite_backend;
extern const store_backend history_store_pg_backend;

/* The statements the module reuses, prepared on first use. */
typedef enum store_stmt_id {
    STMT_SERIES_FIND,
    STMT_SERIES_INSERT,
    STMT_RUN_INSERT,
    STMT_CHECK_INSERT,
    STMT_VALUE_INSERT_1, /* metric values, 1, 4, 16 or 64 rows at once */
    STMT_VALUE_INSERT_4,
    STMT_VALUE_INSERT_16,
    STMT_VALUE_INSERT_64,
    STMT_ALERT_INSERT,
    STMT_STATE_UPSERT,
    STMT_STATE_DELETE,
    STMT_STATE_LOAD,
    STMT_WINDOW,
    STMT_RECENT_BANDS,
    STMT_BASELINE_SINCE,
    STMT_EPISODES_OPEN,
    STMT_EPISODE_REBASE,
    STMT_EPISODE_OPEN,
    STMT_EPISODE_CLOSE,
    STMT_EPISODE_ACCEPT,
    STMT_VALUE_SUSPECT,
    STMT_SERIES_OF_MONITOR,
    STMT_SHOW,
    STMT_COUNT
} store_stmt_id;

typedef struct series_cache series_cache;
typedef struct episode_note episode_note; /* history_episodes.h         */

struct history_store {
    const store_backend *backend;
    store_conn *conn;
    char *name; /* for messages: path, or the URL without its password */
    store_stmt *stmts[STMT_COUNT];
    series_cache *series;
    char *series_monitor; /* the monitor whose series are all cached    */
    history_save_hook save_hook;
    void *save_hook_arg;
    /* Episode changes noted while judging a run, written by
     * history_save_run (episodes.c).                                    */
    episode_note *notes;
    size_t note_count, note_capacity;
    int reading; /* a read snapshot of history_read_begin is open        */
};

/* The statement id, prepared once and reset, ready for binding; NULL with
 * err ("<store>: <why>") on failure. */
store_stmt *history_store_stmt_get(history_store *store, store_stmt_id id,
                                   char *err, size_t err_size);

/* A statement of its own (the caller finalizes it); NULL with err naming
 * the store on failure. */
store_stmt *history_store_prepare(history_store *store, const char *sql,
                                  char *err, size_t err_size);

/* Runs an insert-like statement already bound, then resets it; 0 or -1
 * with err naming the store. */
int history_store_run_bound(history_store *store, store_stmt *s, char *err,
                            size_t err_size);

/* A malloc'd copy of a text column, "" for NULL; NULL when out of
 * memory. */
char *history_column_dup(const store_backend *b, store_stmt *s, int column);

/* Fills err with "history store <name>: <fmt...>"; returns -1. */
int history_store_error(const history_store *store, char *err, size_t err_size,
                        const char *fmt, ...) NBAQ_PRINTF(4, 5);

/* Transactions with the store's name in errors. */
int history_store_begin(history_store *store, int exclusive, char *err,
                        size_t err_size);
int history_store_commit(history_store *store, char *err, size_t err_size);
/* Rolls back and forgets series ids learned inside the transaction. */
void history_store_rollback(history_store *store);

/* The id of (monitor, check, metric): from the cache, the table, or (when
 * create) a new row. 0: no such series (create 0); -1: error. */
int64_t history_store_series_id(history_store *store, const char *monitor,
                                const char *check, const char *metric,
                                int create, char *err, size_t err_size);

/* Creates or upgrades the schema in one exclusive transaction; a schema
 * newer than this code is an error. */
int history_store_migrate(history_store *store, char *err, size_t err_size);

/* Series id cache (series_cache.c). */
series_cache *history_series_cache_new(void);
void history_series_cache_free(series_cache *cache);
void history_series_cache_clear(series_cache *cache);
/* 0 when absent. */
int64_t history_series_cache_get(const series_cache *cache, const char *monitor,
                                 const char *check, const char *metric);
int history_series_cache_put(series_cache *cache, const char *monitor,
                             const char *check, const char *metric, int64_t id);

/* URLs (store_url.c). */
typedef enum store_kind { STORE_SQLITE, STORE_POSTGRESQL } store_kind;
typedef struct store_location {
    store_kind kind;
    char *target; /* SQLite: resolved path; PG: the URL or DSN as given */
    char *name;   /* for messages: path, or postgresql://host:port/db   */
} store_location;
int history_store_location_parse(const char *url, const char *base_dir,
                                 store_location *out, char *err,
                                 size_t err_size);
void history_store_location_free(store_location *loc);

/* Statuses, severities and alert states are stored by their names in
 * status.h (lib/base): "PASS", "MEDIUM", "FIRING"... */

/* Copies message into err (if any), dropping a trailing newline. */
void history_store_copy_message(char *err, size_t err_size,
                                const char *message);

#endif
