/*
 * fleet.c - members and check leases of a fleet of daemons on one
 * PostgreSQL store (history_fleet.h).
 *
 * A claim is one UPDATE of the check's schedule row, whose candidate is
 * chosen with SELECT ... FOR UPDATE SKIP LOCKED: two members that claim at
 * the same instant never wait on each other, and the one that finds the
 * row locked (or already moved to its next slot) claims nothing.
 */
#include "history_fleet.h"
#include "fleet_internal.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "history_store.h"
#include "text.h"

/* The database server's clock, in epoch milliseconds. */
#define DB_NOW "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"

static const char *const fleet_sql[FLEET_STMT_COUNT] = {
    [FLEET_JOIN] =
        "INSERT INTO nbaq_fleet_members (monitor, member, host, pid, version,"
        " config_hash, started_ms, heartbeat_ms)"
        " VALUES ($1, $2, $3, $4, $5, $6, " DB_NOW ", " DB_NOW ")"
        " ON CONFLICT (monitor, member) DO UPDATE SET heartbeat_ms = " DB_NOW
        ", stopped_ms = NULL, config_hash = $6",
    [FLEET_HEARTBEAT] = "UPDATE nbaq_fleet_members SET heartbeat_ms = " DB_NOW
                        ", config_hash = $3 WHERE monitor = $1 AND member = $2",
    [FLEET_RENEW] = "UPDATE nbaq_fleet_schedule SET lease_until_ms = " DB_NOW
                    " + $3 WHERE monitor = $1 AND lease_owner = $2",
    [FLEET_REGISTER] =
        "INSERT INTO nbaq_fleet_schedule (monitor, check_name, interval_ms,"
        " next_slot_ms) VALUES ($1, $2, $3, " DB_NOW ")"
        " ON CONFLICT (monitor, check_name) DO NOTHING",
    /* $1 monitor, $2 check, $3 member, $4 interval, $5 lease. */
    [FLEET_CLAIM] =
        "WITH now AS (SELECT " DB_NOW " AS ms),"
        " due AS (SELECT s.monitor, s.check_name, s.next_slot_ms"
        "  FROM nbaq_fleet_schedule s, now"
        "  WHERE s.monitor = $1 AND s.check_name = $2"
        "  AND s.next_slot_ms <= now.ms"
        "  AND (s.lease_owner IS NULL OR s.lease_until_ms < now.ms)"
        "  FOR UPDATE OF s SKIP LOCKED),"
        " claimed AS (UPDATE nbaq_fleet_schedule s SET lease_owner = $3,"
        "  lease_until_ms = now.ms + $5, last_member = $3,"
        "  last_started_ms = now.ms, interval_ms = $4,"
        "  next_slot_ms = due.next_slot_ms"
        "   + ((now.ms - due.next_slot_ms) / $4 + 1) * $4"
        "  FROM due, now WHERE s.monitor = due.monitor"
        "  AND s.check_name = due.check_name RETURNING s.check_name)"
        " UPDATE nbaq_fleet_members SET claims = claims + 1"
        " WHERE monitor = $1 AND member = $3"
        " AND EXISTS (SELECT 1 FROM claimed) RETURNING member",
    /* How long until the check may be claimable: its next slot; past
     * that slot, while a lease still holds it (a long run, or a member
     * that died), the end of the lease. */
    [FLEET_WAIT] = "SELECT CASE WHEN lease_owner IS NOT NULL"
                   " AND next_slot_ms <= now.ms THEN lease_until_ms + 1"
                   " ELSE next_slot_ms END - now.ms"
                   " FROM nbaq_fleet_schedule, (SELECT " DB_NOW " AS ms) now"
                   " WHERE monitor = $1 AND check_name = $2",
    [FLEET_RELEASE] = "UPDATE nbaq_fleet_schedule SET lease_owner = NULL,"
                      " lease_until_ms = 0, last_finished_ms = " DB_NOW
                      " WHERE monitor = $1 AND check_name = $2"
                      " AND lease_owner = $3",
};

int history_fleet_supported(const history_store *store)
{
    return store && store->backend == &history_store_pg_backend;
}

/* The statement, prepared once and reset; NULL with err. */
static store_stmt *stmt(history_fleet *f, fleet_stmt_id id, char *err,
                        size_t err_size)
{
    const store_backend *b = f->store->backend;
    if (f->stmts[id]) {
        b->reset(f->stmts[id]);
        return f->stmts[id];
    }
    char why[512];
    f->stmts[id] = b->prepare(f->store->conn, fleet_sql[id], why, sizeof why);
    if (!f->stmts[id])
        history_store_error(f->store, err, err_size, "fleet: %s", why);
    return f->stmts[id];
}

/* Runs a bound statement to its end; *rows (if set) counts its rows and
 * *first (if set) gets the first column of the first row. */
static int run(history_fleet *f, store_stmt *s, int *rows, int64_t *first,
               char *err, size_t err_size)
{
    const store_backend *b = f->store->backend;
    char why[512];
    int rc, n = 0;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        if (n++ == 0 && first)
            *first = b->column_int64(s, 0);
    }
    b->reset(s);
    if (rows)
        *rows = n;
    return rc < 0
               ? history_store_error(f->store, err, err_size, "fleet: %s", why)
               : 0;
}

/* The statement with $1 monitor and $2 member bound, or NULL. */
static store_stmt *member_stmt(history_fleet *f, fleet_stmt_id id, char *err,
                               size_t err_size)
{
    store_stmt *s = stmt(f, id, err, err_size);
    if (s) {
        f->store->backend->bind_text(s, 1, f->monitor);
        f->store->backend->bind_text(s, 2, f->member);
    }
    return s;
}

static void fleet_free(history_fleet *f)
{
    for (size_t i = 0; i < FLEET_STMT_COUNT; i++) {
        if (f->stmts[i])
            f->store->backend->finalize(f->stmts[i]);
    }
    free(f->monitor);
    free(f->member);
    free(f->config_hash);
    free(f);
}

int history_fleet_open(history_store *store, const history_fleet_identity *id,
                       history_fleet **out, char *err, size_t err_size)
{
    *out = NULL;
    if (!history_fleet_supported(store))
        return history_store_error(store, err, err_size,
                                   "a fleet of daemons needs a postgresql:// "
                                   "history store");
    history_fleet *f = calloc(1, sizeof *f);
    if (!f || !(f->monitor = strdup(id->monitor)) ||
        !(f->member = strdup(id->member)) ||
        !(f->config_hash = strdup(id->config_hash))) {
        if (f)
            fleet_free(f);
        return history_store_error(store, err, err_size, "out of memory");
    }
    f->store = store;
    store_stmt *s = member_stmt(f, FLEET_JOIN, err, err_size);
    if (s) {
        const store_backend *b = store->backend;
        b->bind_text(s, 3, id->host);
        b->bind_int64(s, 4, id->pid);
        b->bind_text(s, 5, id->version);
        b->bind_text(s, 6, id->config_hash);
    }
    if (!s || run(f, s, NULL, NULL, err, err_size) != 0) {
        fleet_free(f);
        return -1;
    }
    *out = f;
    return 0;
}

void history_fleet_close(history_fleet *f, char *err, size_t err_size)
{
    if (!f)
        return;
    char why[512];
    char sql[] = "UPDATE nbaq_fleet_schedule SET lease_owner = NULL,"
                 " lease_until_ms = 0 WHERE monitor = $1 AND lease_owner = $2;"
                 "UPDATE nbaq_fleet_members SET stopped_ms = " DB_NOW
                 " WHERE monitor = $1 AND member = $2";
    const store_backend *b = f->store->backend;
    int rc = 0;
    /* Two statements: prepared one at a time. */
    for (char *part = sql; rc == 0 && part;) {
        char *end = strchr(part, ';');
        if (end)
            *end = '\0';
        store_stmt *s = b->prepare(f->store->conn, part, why, sizeof why);
        rc = s ? 0 : -1;
        if (s) {
            b->bind_text(s, 1, f->monitor);
            b->bind_text(s, 2, f->member);
            while ((rc = b->step(s, why, sizeof why)) == 1)
                ;
            b->finalize(s);
        }
        part = end ? end + 1 : NULL;
    }
    if (rc < 0 && err)
        history_store_error(f->store, err, err_size, "fleet: %s", why);
    fleet_free(f);
}

void history_fleet_abandon(history_fleet *f)
{
    if (f)
        fleet_free(f);
}

int history_fleet_set_config(history_fleet *f, const char *config_hash,
                             char *err, size_t err_size)
{
    char *copy = strdup(config_hash);
    if (!copy)
        return history_store_error(f->store, err, err_size, "out of memory");
    free(f->config_hash);
    f->config_hash = copy;
    return 0;
}

int history_fleet_heartbeat(history_fleet *f, int64_t lease_ms, char *err,
                            size_t err_size)
{
    store_stmt *s = member_stmt(f, FLEET_HEARTBEAT, err, err_size);
    if (!s)
        return -1;
    f->store->backend->bind_text(s, 3, f->config_hash);
    if (run(f, s, NULL, NULL, err, err_size) != 0)
        return -1;
    s = member_stmt(f, FLEET_RENEW, err, err_size);
    if (!s)
        return -1;
    f->store->backend->bind_int64(s, 3, lease_ms);
    return run(f, s, NULL, NULL, err, err_size);
}

int history_fleet_register(history_fleet *f, const char *check,
                           int64_t interval_ms, char *err, size_t err_size)
{
    store_stmt *s = stmt(f, FLEET_REGISTER, err, err_size);
    if (!s)
        return -1;
    const store_backend *b = f->store->backend;
    b->bind_text(s, 1, f->monitor);
    b->bind_text(s, 2, check);
    b->bind_int64(s, 3, interval_ms);
    return run(f, s, NULL, NULL, err, err_size);
}

int history_fleet_claim(history_fleet *f, const char *check,
                        int64_t interval_ms, int64_t lease_ms, int *claimed,
                        int64_t *wait_ms, char *err, size_t err_size)
{
    *claimed = 0;
    *wait_ms = 0;
    const store_backend *b = f->store->backend;
    store_stmt *s = stmt(f, FLEET_CLAIM, err, err_size);
    if (!s)
        return -1;
    b->bind_text(s, 1, f->monitor);
    b->bind_text(s, 2, check);
    b->bind_text(s, 3, f->member);
    b->bind_int64(s, 4, interval_ms);
    b->bind_int64(s, 5, lease_ms);
    if (run(f, s, claimed, NULL, err, err_size) != 0)
        return -1;
    if (*claimed)
        return 0;
    s = stmt(f, FLEET_WAIT, err, err_size);
    if (!s)
        return -1;
    b->bind_text(s, 1, f->monitor);
    b->bind_text(s, 2, check);
    int rows = 0;
    if (run(f, s, &rows, wait_ms, err, err_size) != 0)
        return -1;
    if (rows == 0) /* a check added by a reload elsewhere: register it */
        return history_fleet_register(f, check, interval_ms, err, err_size);
    return 0;
}

int history_fleet_release(history_fleet *f, const char *check, char *err,
                          size_t err_size)
{
    store_stmt *s = stmt(f, FLEET_RELEASE, err, err_size);
    if (!s)
        return -1;
    const store_backend *b = f->store->backend;
    b->bind_text(s, 1, f->monitor);
    b->bind_text(s, 2, check);
    b->bind_text(s, 3, f->member);
    return run(f, s, NULL, NULL, err, err_size);
}

/* ------------------------------------------------------------------ */
/* The view                                                             */

static int read_member(const store_backend *b, store_stmt *s, void *row)
{
    history_fleet_member *m = row;
    m->member = history_column_dup(b, s, 0);
    m->host = history_column_dup(b, s, 1);
    m->pid = (int)b->column_int64(s, 2);
    m->version = history_column_dup(b, s, 3);
    m->config_hash = history_column_dup(b, s, 4);
    m->started_ms = b->column_int64(s, 5);
    m->heartbeat_ms = b->column_int64(s, 6);
    m->stopped_ms = b->column_int64(s, 7);
    m->claims = b->column_int64(s, 8);
    return m->member && m->host && m->version && m->config_hash ? 0 : -1;
}

static int read_check(const store_backend *b, store_stmt *s, void *row)
{
    history_fleet_check *c = row;
    c->check = history_column_dup(b, s, 0);
    c->interval_ms = b->column_int64(s, 1);
    c->next_slot_ms = b->column_int64(s, 2);
    c->lease_owner = history_column_dup(b, s, 3);
    c->lease_until_ms = b->column_int64(s, 4);
    c->last_member = history_column_dup(b, s, 5);
    c->last_started_ms = b->column_int64(s, 6);
    c->last_finished_ms = b->column_int64(s, 7);
    return c->check && c->lease_owner && c->last_member ? 0 : -1;
}

int fleet_load_rows(history_fleet *f, const char *sql, size_t size,
                    int (*read)(const store_backend *, store_stmt *, void *),
                    void **rows, size_t *count, char *err, size_t err_size)
{
    const store_backend *b = f->store->backend;
    char why[512] = "out of memory";
    store_stmt *s = b->prepare(f->store->conn, sql, why, sizeof why);
    if (!s)
        return history_store_error(f->store, err, err_size, "fleet: %s", why);
    b->bind_text(s, 1, f->monitor);
    size_t cap = 0;
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        void *grown = grow_for_one(*rows, &cap, *count, size, 8);
        if (grown)
            *rows = grown;
        void *row = grown ? (char *)grown + *count * size : NULL;
        if (row) {
            memset(row, 0, size);
            (*count)++;
        }
        if (!row || read(b, s, row) != 0) {
            text_copy(why, sizeof why, "out of memory");
            rc = -1;
            break;
        }
    }
    b->finalize(s);
    return rc < 0
               ? history_store_error(f->store, err, err_size, "fleet: %s", why)
               : 0;
}

int history_fleet_view_load(history_fleet *f, history_fleet_view *view,
                            char *err, size_t err_size)
{
    memset(view, 0, sizeof *view);
    int64_t now = 0;
    const store_backend *b = f->store->backend;
    char why[256];
    store_stmt *clock =
        b->prepare(f->store->conn, "SELECT " DB_NOW, why, sizeof why);
    if (clock && b->step(clock, why, sizeof why) == 1)
        now = b->column_int64(clock, 0);
    if (clock)
        b->finalize(clock);
    view->now_ms = now;
    int rc = fleet_load_rows(
        f,
        "SELECT member, host, pid, version, config_hash, started_ms,"
        " heartbeat_ms, COALESCE(stopped_ms, 0), claims"
        " FROM nbaq_fleet_members WHERE monitor = $1 ORDER BY member",
        sizeof(history_fleet_member), read_member, (void **)&view->members,
        &view->member_count, err, err_size);
    if (rc == 0)
        rc = fleet_load_rows(
            f,
            "SELECT check_name, interval_ms, next_slot_ms,"
            " COALESCE(lease_owner, ''), lease_until_ms,"
            " COALESCE(last_member, ''), COALESCE(last_started_ms, 0),"
            " COALESCE(last_finished_ms, 0)"
            " FROM nbaq_fleet_schedule WHERE monitor = $1 ORDER BY check_name",
            sizeof(history_fleet_check), read_check, (void **)&view->checks,
            &view->check_count, err, err_size);
    if (rc != 0)
        history_fleet_view_free(view);
    return rc;
}

void history_fleet_view_free(history_fleet_view *view)
{
    for (size_t i = 0; i < view->member_count; i++) {
        history_fleet_member *m = &view->members[i];
        free(m->member);
        free(m->host);
        free(m->version);
        free(m->config_hash);
    }
    for (size_t i = 0; i < view->check_count; i++) {
        history_fleet_check *c = &view->checks[i];
        free(c->check);
        free(c->lease_owner);
        free(c->last_member);
    }
    free(view->members);
    free(view->checks);
    memset(view, 0, sizeof *view);
}
