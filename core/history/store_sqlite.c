/*
 * store_sqlite.c - the history store in one SQLite file: WAL journal (a
 * reader never waits for the writer; a crash rolls back the unfinished
 * transaction), a busy timeout for concurrent hosts, persistent prepared
 * statements.
 */
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "history_store.h"

struct store_conn {
    sqlite3 *db;
};

struct store_stmt {
    sqlite3_stmt *stmt;
    sqlite3 *db;
};

static void db_error(sqlite3 *db, char *err, size_t err_size)
{
    history_store_copy_message(err, err_size, sqlite3_errmsg(db));
}

static int sqlite_exec(store_conn *c, const char *sql, char *err,
                       size_t err_size)
{
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        db_error(c->db, err, err_size);
        return -1;
    }
    return 0;
}

/* "$1" -> "?1": SQLite's numbered parameters. */
static char *sqlite_dialect(const char *sql)
{
    char *copy = strdup(sql);
    if (copy) {
        for (char *p = copy; *p; p++) {
            if (*p == '$' && p[1] >= '0' && p[1] <= '9')
                *p = '?';
        }
    }
    return copy;
}

static store_stmt *sqlite_prepare(store_conn *c, const char *sql, char *err,
                                  size_t err_size)
{
    char *text = sqlite_dialect(sql);
    store_stmt *s = calloc(1, sizeof *s);
    if (!text || !s) {
        free(text);
        free(s);
        history_store_copy_message(err, err_size, "out of memory");
        return NULL;
    }
    s->db = c->db;
    int rc = sqlite3_prepare_v3(c->db, text, -1, SQLITE_PREPARE_PERSISTENT,
                                &s->stmt, NULL);
    free(text);
    if (rc != SQLITE_OK) {
        db_error(c->db, err, err_size);
        free(s);
        return NULL;
    }
    return s;
}

static void sqlite_bind_int64(store_stmt *s, int index, int64_t value)
{
    sqlite3_bind_int64(s->stmt, index, value);
}

static void sqlite_bind_double(store_stmt *s, int index, double value)
{
    if (isnan(value))
        sqlite3_bind_null(s->stmt, index);
    else
        sqlite3_bind_double(s->stmt, index, value);
}

static void sqlite_bind_text(store_stmt *s, int index, const char *text)
{
    if (text)
        sqlite3_bind_text(s->stmt, index, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s->stmt, index);
}

static int sqlite_step(store_stmt *s, char *err, size_t err_size)
{
    int rc = sqlite3_step(s->stmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    db_error(s->db, err, err_size);
    return -1;
}

static int64_t sqlite_column_int64(store_stmt *s, int column)
{
    return sqlite3_column_int64(s->stmt, column);
}

static double sqlite_column_double(store_stmt *s, int column)
{
    if (sqlite3_column_type(s->stmt, column) == SQLITE_NULL)
        return NAN;
    return sqlite3_column_double(s->stmt, column);
}

static const char *sqlite_column_text(store_stmt *s, int column)
{
    return (const char *)sqlite3_column_text(s->stmt, column);
}

static void sqlite_reset(store_stmt *s)
{
    sqlite3_reset(s->stmt);
}

static void sqlite_finalize(store_stmt *s)
{
    if (s) {
        sqlite3_finalize(s->stmt);
        free(s);
    }
}

/* Always IMMEDIATE: take the write lock at BEGIN, where the busy timeout
 * applies, rather than fail on a lock upgrade later. */
static int sqlite_begin(store_conn *c, int exclusive, char *err,
                        size_t err_size)
{
    (void)exclusive;
    return sqlite_exec(c, "BEGIN IMMEDIATE", err, err_size);
}

static int sqlite_commit(store_conn *c, char *err, size_t err_size)
{
    return sqlite_exec(c, "COMMIT", err, err_size);
}

static void sqlite_rollback(store_conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Every statement outside a transaction takes and drops the shared lock
 * itself (two fcntl and a stat each: 150,000 syscalls for a host run that
 * reads five statements for each of 10,000 metrics). BEGIN takes the lock
 * at the first read and keeps it until read_end. */
static int sqlite_read_begin(store_conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        return 0; /* already in a transaction: it is the snapshot */
    return sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

static void sqlite_read_end(store_conn *c)
{
    if (!sqlite3_get_autocommit(c->db) &&
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static void sqlite_close(store_conn *c)
{
    if (c) {
        sqlite3_close_v2(c->db);
        free(c);
    }
}

const store_backend history_store_sqlite_backend = {
    .name = "sqlite",
    .exec = sqlite_exec,
    .prepare = sqlite_prepare,
    .bind_int64 = sqlite_bind_int64,
    .bind_double = sqlite_bind_double,
    .bind_text = sqlite_bind_text,
    .step = sqlite_step,
    .column_int64 = sqlite_column_int64,
    .column_double = sqlite_column_double,
    .column_text = sqlite_column_text,
    .reset = sqlite_reset,
    .finalize = sqlite_finalize,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .read_begin = sqlite_read_begin,
    .read_end = sqlite_read_end,
    .close = sqlite_close,
};

/* A missing directory is the most common mistake: say so plainly. */
static int check_directory(const char *path, char *err, size_t err_size)
{
    char *copy = strdup(path);
    if (!copy) {
        history_store_copy_message(err, err_size, "out of memory");
        return -1;
    }
    const char *dir = dirname(copy);
    struct stat st;
    int rc = 0;
    if (stat(dir, &st) != 0) {
        snprintf(err, err_size, "directory %s: %s", dir, strerror(errno));
        rc = -1;
    } else if (!S_ISDIR(st.st_mode)) {
        snprintf(err, err_size, "%s is not a directory", dir);
        rc = -1;
    }
    free(copy);
    return rc;
}

/* One try of "PRAGMA journal_mode=WAL": 1 when the file is in WAL mode,
 * 0 when another connection held it (busy), -1 on any other error. */
static int try_wal(store_conn *c, char *err, size_t err_size)
{
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int wal = rc == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    if (wal)
        return 1;
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ||
        rc == SQLITE_ROW) /* the mode could not be changed yet */
        return 0;
    db_error(c->db, err, err_size);
    return -1;
}

/*
 * WAL is a property of the file, set once by its first user. SQLite does
 * not call the busy handler for that switch, so two processes opening a
 * new store at once (a daemon's first rounds) could fail with "database
 * is locked" and run without history: try again until the busy timeout.
 */
static int switch_to_wal(store_conn *c, int busy_timeout_ms, char *err,
                         size_t err_size)
{
    const struct timespec pause = {0, 5 * 1000 * 1000};
    for (int waited_ms = 0;; waited_ms += 5) {
        int rc = try_wal(c, err, err_size);
        if (rc != 0)
            return rc > 0 ? 0 : -1;
        if (waited_ms >= busy_timeout_ms) {
            history_store_copy_message(err, err_size,
                                       "database is locked (switching to "
                                       "WAL mode)");
            return -1;
        }
        nanosleep(&pause, NULL);
    }
}

static int configure(store_conn *c, int busy_timeout_ms, char *err,
                     size_t err_size)
{
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, busy_timeout_ms);
    if (sqlite3_db_readonly(c->db, "main") == 1) {
        snprintf(err, err_size, "the file is read-only");
        return -1;
    }
    /* The first read of the file: a file that is not a database fails
     * here ("file is not a database"). WAL keeps readers off the writer's
     * back and, with synchronous=NORMAL, loses at most the last commits
     * on power loss, never atomicity. */
    if (switch_to_wal(c, busy_timeout_ms, err, err_size) != 0 ||
        sqlite_exec(c, "PRAGMA synchronous=NORMAL", err, err_size) != 0)
        return -1;
    return 0;
}

store_conn *history_store_sqlite_open(const char *path, int busy_timeout_ms,
                                      char *err, size_t err_size)
{
    if (check_directory(path, err, err_size) != 0)
        return NULL;
    store_conn *c = calloc(1, sizeof *c);
    if (!c) {
        history_store_copy_message(err, err_size, "out of memory");
        return NULL;
    }
    int rc = sqlite3_open_v2(
        path, &c->db,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (c->db)
            db_error(c->db, err, err_size);
        else
            history_store_copy_message(err, err_size, "out of memory");
        sqlite_close(c);
        return NULL;
    }
    if (configure(c, busy_timeout_ms, err, err_size) != 0) {
        sqlite_close(c);
        return NULL;
    }
    return c;
}
