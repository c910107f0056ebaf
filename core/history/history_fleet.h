/*
 * history_fleet.h - a fleet of daemons on one PostgreSQL history store
 * (docs/daemon.md, "A fleet of daemons"): members with their heartbeats,
 * and one lease per scheduled check so that each run of a check is
 * claimed by exactly one member.
 *
 * Every time here is the database server's clock (epoch ms), so that
 * members on machines whose clocks disagree still agree on leases.
 *
 * Only PostgreSQL stores hold a fleet: history_fleet_open refuses SQLite.
 *
 * Ownership: a history_fleet borrows its store (the caller closes it
 * after history_fleet_close). Views are malloc'd and freed with
 * history_fleet_view_free.
 */
#ifndef NBAQ_HISTORY_FLEET_H
#define NBAQ_HISTORY_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"

typedef struct history_fleet history_fleet;

typedef struct history_fleet_member {
    char *member; /* "host:pid:start"                                    */
    char *host;
    int pid;
    char *version;
    char *config_hash;
    int64_t started_ms;
    int64_t heartbeat_ms;
    int64_t stopped_ms; /* 0: not stopped cleanly                        */
    int64_t claims;     /* runs it claimed since it joined               */
} history_fleet_member;

typedef struct history_fleet_check {
    char *check;
    int64_t interval_ms;
    int64_t next_slot_ms;
    char *lease_owner; /* "" when nobody runs it                         */
    int64_t lease_until_ms;
    char *last_member; /* "" before its first claimed run               */
    int64_t last_started_ms;
    int64_t last_finished_ms;
} history_fleet_check;

typedef struct history_fleet_view {
    int64_t now_ms; /* the database's clock when read                   */
    history_fleet_member *members;
    size_t member_count;
    history_fleet_check *checks;
    size_t check_count;
} history_fleet_view;

/* One member's identity, as written to nbaq_fleet_members. */
typedef struct history_fleet_identity {
    const char *monitor;
    const char *member;
    const char *host;
    int pid;
    const char *version;
    const char *config_hash;
} history_fleet_identity;

/* 1 when store is a PostgreSQL store (one that can hold a fleet). */
int history_fleet_supported(const history_store *store);

/* Joins the fleet: writes the member row (fresh heartbeat). The strings
 * of id are copied. Returns 0 with *out, or -1 with err naming the store. */
int history_fleet_open(history_store *store, const history_fleet_identity *id,
                       history_fleet **out, char *err, size_t err_size);

/* Leaves: releases every lease of this member and marks it stopped, then
 * frees f (the store stays open). err may be NULL. */
void history_fleet_close(history_fleet *f, char *err, size_t err_size);

/* Frees f without a word to the store (after its connection failed):
 * the member's leases stay, to be renewed after a reconnect or to
 * expire. */
void history_fleet_abandon(history_fleet *f);

/* A new config hash after a reload (copied). */
int history_fleet_set_config(history_fleet *f, const char *config_hash,
                             char *err, size_t err_size);

/* Refreshes the member's heartbeat and extends its leases to now plus
 * lease_ms. */
int history_fleet_heartbeat(history_fleet *f, int64_t lease_ms, char *err,
                            size_t err_size);

/* Adds a schedule row for check (first slot: now) unless there is one. */
int history_fleet_register(history_fleet *f, const char *check,
                           int64_t interval_ms, char *err, size_t err_size);

/*
 * Tries to claim the run of check that is due: succeeds when its slot has
 * come and no live lease holds it. Then *claimed is 1, the lease is this
 * member's until now plus lease_ms, and the next slot moves past now by
 * whole intervals. Otherwise *claimed is 0 and *wait_ms says how long
 * until it may be claimable (its next slot, or the end of the lease that
 * holds it). Returns 0, or -1 with err.
 */
int history_fleet_claim(history_fleet *f, const char *check,
                        int64_t interval_ms, int64_t lease_ms, int *claimed,
                        int64_t *wait_ms, char *err, size_t err_size);

/* The run of check this member claimed has ended: the lease is released. */
int history_fleet_release(history_fleet *f, const char *check, char *err,
                          size_t err_size);

/* The whole fleet of the monitor: members and checks. */
int history_fleet_view_load(history_fleet *f, history_fleet_view *view,
                            char *err, size_t err_size);
void history_fleet_view_free(history_fleet_view *view);

/* One row of the fleet's last results: a check's last stored result and
 * one of its metrics (metric NULL: a result without metrics). Rows come
 * by check, then metric name; a check's fields repeat on each of its
 * rows. Every string is malloc'd. */
typedef struct history_fleet_result_row {
    char *check;
    char *plugin;
    char *status;
    char *message;
    char *severity;
    char *member; /* who saved it ("host:pid"); "" before schema 5   */
    int64_t started_ms;
    int64_t duration_ms;
    char *metric;
    double value;
    int has_value; /* 0: no finite value was stored                    */
    char *unit;
    char *metric_status;
    char *reason;
} history_fleet_result_row;

/* The last stored result of each check of the fleet's schedule. Returns
 * 0 with *rows (free with history_fleet_results_free) or -1 with err. */
int history_fleet_results_load(history_fleet *f,
                               history_fleet_result_row **rows, size_t *count,
                               char *err, size_t err_size);
void history_fleet_results_free(history_fleet_result_row *rows, size_t count);

/*
 * With SQLite history, one daemon per store: takes an exclusive lock on
 * "<database>.daemon.lock" (flock, released when the process dies) and
 * writes the pid into it. Returns the lock's fd (close it to release;
 * close-on-exec), -2 when the store is not SQLite (no lock needed), or -1
 * with err naming the store and the pid that holds it.
 */
int history_daemon_lock(const char *url, const char *base_dir, char *err,
                        size_t err_size);

#endif
