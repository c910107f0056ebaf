/*
 * heartbeat.h - `daemon.heartbeat`: every interval while the daemon runs,
 * a GET to a configured URL (healthchecks.io style) and/or the
 * always-firing "Watchdog" alert posted to an Alertmanager (its
 * convention: the alert's absence pages), so that the receiving end
 * notices when the daemon (or the whole fleet) stops.
 *
 * Each ping runs in a short-lived child process, so that a slow endpoint
 * never holds up the daemon's event loop; at most one ping is in flight,
 * and a ping still running when the next falls due makes that one skip.
 * The URL is a secret (it often holds the check's key): never logged.
 */
#ifndef NBAQ_DAEMON_HEARTBEAT_H
#define NBAQ_DAEMON_HEARTBEAT_H

#include <stdint.h>
#include <sys/types.h>

#include "config_daemon.h"

typedef struct heartbeat {
    int64_t next_mono_ms; /* 0: the first is due at once               */
    pid_t pid;            /* the ping in flight; 0: none               */
    uint64_t sent;        /* pings that got a 2xx answer               */
    uint64_t failed;
} heartbeat;

/* Who pings: the Watchdog alert's labels and its startsAt. */
typedef struct heartbeat_identity {
    const char *monitor;
    const char *member; /* "host:pid"                                  */
    int64_t started_ms; /* the daemon's start, wall clock              */
} heartbeat_identity;

/* Starts a ping when one is due (and dc has a URL or an Alertmanager). */
void heartbeat_tick(heartbeat *h, const daemon_config *dc,
                    const heartbeat_identity *id, int64_t now_mono_ms);

/* When the next ping is due; INT64_MAX without a target. */
int64_t heartbeat_next(const heartbeat *h, const daemon_config *dc);

/* The child pid exited with status: 1 when it was the ping. */
int heartbeat_reaped(heartbeat *h, pid_t pid, int status);

#endif
