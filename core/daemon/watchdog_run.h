/*
 * watchdog_run.h - when the daemon's watchdog (watchdog.h) runs, and on
 * what: every `daemon.watchdog.interval`, in a round of its own. In a
 * fleet the run is claimed like a check's (its schedule row is
 * WATCHDOG_CHECK), so one surviving member judges the whole fleet per
 * interval; alone, the daemon judges its own schedule.
 *
 * It applies when `daemon.watchdog.enabled` (the default) and a history
 * store is configured: without one the alert lifecycle has no memory and
 * a stale check would be notified as new every interval.
 *
 * Ownership: the timer owns its arena, which holds the last result until
 * the next poll.
 */
#ifndef NBAQ_DAEMON_WATCHDOG_RUN_H
#define NBAQ_DAEMON_WATCHDOG_RUN_H

#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "config.h"
#include "fleet_member.h"
#include "nbaq.h"
#include "schedule.h"

typedef struct watchdog_timer {
    int64_t next_mono_ms; /* when to ask again (CLOCK_MONOTONIC)        */
    pid_t round_pid;      /* its round while it runs; 0 otherwise       */
    arena mem;            /* the last result                             */
} watchdog_timer;

/* Is the watchdog on with cfg? */
int watchdog_applies(const config *cfg);

/*
 * When the watchdog is due, not running, and (in a fleet) this member
 * claims its run: the result to hand to a round (valid until the next
 * poll or watchdog_timer_free). NULL otherwise, with the next time to ask
 * set.
 */
nbaq_check_result *watchdog_poll(watchdog_timer *t, fleet_member *m,
                                 const schedule *s, const config *cfg,
                                 int64_t now_mono_ms);

/* The round of the watchdog started (pid), or ended (0). */
void watchdog_set_round(watchdog_timer *t, pid_t pid);

/* When to poll next; INT64_MAX when the watchdog does not apply or runs. */
int64_t watchdog_next(const watchdog_timer *t, const config *cfg);

void watchdog_timer_free(watchdog_timer *t);

#endif
