/*
 * fleet_member.h - the daemon as one member of a fleet (docs/daemon.md,
 * "A fleet of daemons").
 *
 * With a postgresql:// history, every daemon of the same monitor on that
 * store is a member: before a due check starts, the member claims its run
 * (history_fleet.h), and runs it only when the claim succeeds; when the
 * run ends it releases the claim. A heartbeat every lease / 4 keeps the
 * member's row and its claims alive; the claims of a member that stops
 * heartbeating expire after `daemon.fleet.lease` and other members take
 * its checks over. The same heartbeat reads the whole fleet's view for
 * /api/status and /metrics.
 *
 * With SQLite history the daemon is alone: it holds the store's daemon
 * lock (history_daemon_lock) and claims always succeed. Without history,
 * likewise, with no lock.
 *
 * The member holds its own store connection in the daemon process; round
 * processes close its socket (round.c closes every fd they do not own)
 * and never use it.
 *
 * Ownership: everything is the member's; fleet_member_stop frees it.
 */
#ifndef NBAQ_DAEMON_FLEET_MEMBER_H
#define NBAQ_DAEMON_FLEET_MEMBER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "history.h"
#include "history_fleet.h"

#define FLEET_CONFIG_HASH_SIZE 17 /* 16 hex digits */

typedef struct fleet_member {
    int shared;  /* a postgresql:// history: one member of a fleet     */
    int lock_fd; /* SQLite: the daemon lock; -1 otherwise              */
    history_store *store;
    history_fleet *fleet; /* NULL while disconnected                   */
    const config *cfg;    /* the configuration in force                */
    char *store_url;      /* the history it joined (malloc'd): kept     */
    char *store_dir;      /* across reloads, until a restart            */
    char id[320];         /* "host:pid"                                */
    char host[256];
    const char *version;
    char config_hash[FLEET_CONFIG_HASH_SIZE];
    int64_t lease_ms;
    int64_t next_heartbeat_mono_ms;
    uint64_t claims;         /* runs claimed by this member               */
    uint64_t claims_lost;    /* due runs another member held or took      */
    uint64_t errors;         /* store errors (claims, heartbeats)         */
    int up;                  /* the last heartbeat reached the store      */
    int64_t claim_us_total;  /* time spent claiming, for /metrics       */
    history_fleet_view view; /* as of the last heartbeat               */
    history_fleet_result_row *results; /* the last result of each check, */
    size_t result_count;               /* as of the last heartbeat       */
    cJSON *alerts; /* the fleet's open alerts as of the last heartbeat
                      (fleet_alerts.h); NULL: not read yet              */
    char last_error[512];
} fleet_member;

/* Takes the SQLite daemon lock, or joins the fleet of a postgresql://
 * history. Returns 0, or -1 with err (the second daemon on an SQLite
 * store; a store that cannot be reached is not an error: the member
 * retries at each heartbeat and runs nothing meanwhile). */
int fleet_member_start(fleet_member *m, const config *cfg, const char *version,
                       char *err, size_t err_size);

/* After a reload: the new configuration (and its hash). */
void fleet_member_reload(fleet_member *m, const config *cfg);

/*
 * Claims the due run of check (every interval_ms). Returns 1: run it;
 * 0: another member holds it or it is not due in the fleet yet
 * (*wait_ms: when to ask again); -1: the store failed (logged; *wait_ms
 * set to retry later).
 */
int fleet_member_claim(fleet_member *m, const char *check, int64_t interval_ms,
                       int64_t *wait_ms);

/* The run of check ended. */
void fleet_member_release(fleet_member *m, const char *check);

/* Heartbeat (and reconnect) when due, then the fleet's view, last
 * results and open alerts are read again; returns 1 when they changed. */
int fleet_member_tick(fleet_member *m, int64_t now_mono_ms);

/* Reads the fleet's view now (m->view). 0, or -1 when disconnected or
 * the store failed (logged; the next heartbeat reconnects). */
int fleet_member_refresh_view(fleet_member *m);

/* When the next heartbeat is due (CLOCK_MONOTONIC ms); INT64_MAX: never. */
int64_t fleet_member_next_tick(const fleet_member *m);

/* Leaves the fleet (releasing the claims) or the lock, and frees m. */
void fleet_member_stop(fleet_member *m);

#endif
