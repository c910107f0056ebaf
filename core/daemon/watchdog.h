/*
 * watchdog.h - the daemon's built-in alerts on itself (docs/daemon.md,
 * "Watchdogs for the watcher"): a check that no member started for too
 * long (stuck, or nobody left to run it), and a fleet member that stopped
 * heartbeating without a clean stop.
 *
 * They are the metrics of one check made by the host, WATCHDOG_CHECK,
 * which goes through the normal alert lifecycle (fingerprints per
 * metric, new/resolved, outbox, channels): one metric per check,
 * "stale:<check>", and one per member, "member:<host:pid>". Their value
 * is the age in seconds (since the check's last start; since the
 * member's last heartbeat).
 *
 * Pure: no I/O, no clock; the caller gathers the ages (watchdog_run.c).
 */
#ifndef NBAQ_DAEMON_WATCHDOG_H
#define NBAQ_DAEMON_WATCHDOG_H

#include <stddef.h>
#include <stdint.h>

#include "config_alerts.h"
#include "arena.h"
#include "nbaq.h"

/* No user check can have this name: ':' is not allowed in check names. */
#define WATCHDOG_CHECK ALERTS_WATCHDOG_CHECK
#define WATCHDOG_SEVERITY NBAQ_SEV_HIGH

typedef struct watchdog_check_age {
    const char *check;
    int64_t interval_ms;
    int64_t started_ms;      /* its last start; before any, when it was
                                scheduled. On the clock of now_ms       */
    const char *last_member; /* who started it last; NULL or "": unknown */
    const char *running_on;  /* who runs it now; NULL or "": nobody      */
    int64_t held_until_ms;   /* the lease of a member that died holding
                                it (no takeover before); 0: none         */
} watchdog_check_age;

typedef struct watchdog_member_age {
    const char *member; /* "host:pid"                                    */
    const char *host;
    int64_t started_ms;
    int64_t heartbeat_ms;
    int64_t stopped_ms; /* 0: not stopped cleanly                        */
} watchdog_member_age;

typedef struct watchdog_input {
    int64_t now_ms;
    const watchdog_check_age *checks;
    size_t check_count;
    const watchdog_member_age *members; /* none without a fleet          */
    size_t member_count;
} watchdog_input;

typedef struct watchdog_policy {
    double stale_after; /* a factor of the check's interval (>= 1)       */
    double jitter;      /* daemon.jitter: a run may start this late      */
    int64_t member_dead_after_ms;
} watchdog_policy;

/*
 * How long a check of interval_ms may go without a start before it is
 * stale: stale_after intervals, but never less than the longest gap a
 * healthy schedule leaves (an interval plus its jitter), so that jitter
 * never reads as stale.
 */
int64_t watchdog_stale_limit_ms(const watchdog_policy *p, int64_t interval_ms);

/*
 * When c becomes stale: its last start plus the limit above; for a check
 * whose run a dead member held, no earlier than the end of that lease
 * plus an interval and its jitter (the takeover the fleet promises), so
 * that a takeover in time is never stale.
 */
int64_t watchdog_stale_at_ms(const watchdog_policy *p,
                             const watchdog_check_age *c);

/*
 * The check WATCHDOG_CHECK judging in: FAIL metrics for the stale checks
 * and the dead members, PASS for the others (a member that stopped
 * cleanly, or whose host runs a member started after its last heartbeat,
 * passes: it was stopped, or restarted). Allocated in mem. NULL when out
 * of memory.
 */
nbaq_check_result *watchdog_judge(arena *mem, const watchdog_policy *p,
                                  const watchdog_input *in);

#endif
