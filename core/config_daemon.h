/*
 * config_daemon.h - the `daemon:` section of the config, read by
 * config_load() with every other key and used only by `nbaq-host
 * --daemon` (docs/daemon.md). The per-check `interval` lives in
 * check_config.
 *
 * Ownership: strings are allocated in the config's arena and live until
 * config_free().
 */
#ifndef NBAQ_CORE_CONFIG_DAEMON_H
#define NBAQ_CORE_CONFIG_DAEMON_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ydoc.h"

#define DAEMON_DEFAULT_LISTEN "127.0.0.1:9464"
#define DAEMON_DEFAULT_INTERVAL_MS (5 * 60 * 1000LL)
#define DAEMON_DEFAULT_JITTER 0.1
#define DAEMON_MAX_JITTER 0.5
#define DAEMON_DEFAULT_MAX_CONNECTIONS 64u
#define DAEMON_DEFAULT_MAX_CONNECTIONS_PER_IP 32u
#define DAEMON_DEFAULT_REQUEST_TIMEOUT_MS 5000LL
#define DAEMON_DEFAULT_HISTORY_POINTS 500u
#define DAEMON_DEFAULT_REFRESH_MS 10000LL
#define DAEMON_MIN_INTERVAL_MS 1000LL
#define DAEMON_DEFAULT_DASHBOARD_MAX_METRICS 50u
#define DAEMON_DEFAULT_FLEET_LEASE_MS 15000LL
#define DAEMON_DEFAULT_HEARTBEAT_INTERVAL_MS 60000LL
#define DAEMON_DEFAULT_WATCHDOG_INTERVAL_MS 30000LL
#define DAEMON_DEFAULT_WATCHDOG_STALE_AFTER 2.0

typedef struct daemon_config {
    int configured;           /* the section is present                  */
    const char *location;     /* "file:line:col" of the section, or ""   */
    char *listen;             /* "host:port"; default DAEMON_DEFAULT_LISTEN */
    char *token;              /* bearer token; NULL: none. A secret: never
                                 printed, logged or put in a message     */
    int64_t interval_ms;      /* checks without their own `interval`     */
    double jitter;            /* 0 .. 0.5, a fraction of the interval     */
    unsigned max_connections; /* open HTTP connections at once            */
    unsigned max_connections_per_ip; /* of which from one address        */
    int64_t request_timeout_ms;      /* to receive and answer one request */
    unsigned history_points; /* most points one /api/history answer has  */
    int64_t refresh_ms;      /* how often the dashboard reloads          */
    /* daemon.dashboard: which metrics are charted beside those with a
     * rule (fnmatch(3) globs, matched against "check/metric" and against
     * the metric name), and the most metrics /api/status lists per check. */
    char **dashboard_metrics;
    size_t dashboard_metric_count;
    unsigned dashboard_max_metrics;
    /* daemon.actions: silence and acknowledge from the dashboard (needs a
     * token; docs/daemon.md). 0 by default: the page is read-only.       */
    int actions;
    /* daemon.fleet.lease: with a postgresql:// history, how long a
     * member's claim on a run outlives its last heartbeat (the takeover
     * time after a member dies). Heartbeats come every lease / 4.       */
    int64_t fleet_lease_ms;
    /* daemon.heartbeat: a GET to url every interval while the daemon
     * runs (healthchecks.io style). NULL: none. A secret, like the
     * token: never logged or shown.                                      */
    char *heartbeat_url;
    /* daemon.heartbeat.alertmanager: base URL of an Alertmanager that
     * gets the always-firing Watchdog alert every interval. NULL: none. */
    char *heartbeat_alertmanager;
    int64_t heartbeat_interval_ms;
    /* daemon.watchdog: the built-in alerts of the check `nbaq:watchdog`
     * (docs/daemon.md, "Watchdogs for the watcher"): a check not started
     * for stale_after times its interval, a fleet member that stopped
     * heartbeating for member_dead_after (0: the fleet's lease).        */
    int watchdog_enabled;
    int64_t watchdog_interval_ms;
    double watchdog_stale_after; /* a factor of the check's interval, >= 1 */
    int64_t watchdog_member_dead_after_ms;
} daemon_config;

/* The defaults, as if the section were absent. */
void daemon_config_defaults(daemon_config *d);

/*
 * Reads the `daemon:` mapping into d (which holds the defaults). Unknown
 * keys are errors with a suggestion. `token_file` is read here (relative
 * to config_dir); its content, like `token`, never appears in a message.
 * Returns 0, or -1 with err "file:line:col: daemon: ...".
 */
int daemon_config_parse(arena *mem, const ynode *node, const char *config_dir,
                        daemon_config *d, char *err, size_t err_size);

/* Splits "host:port", "[v6]:port" or ":port" (all addresses). host gets
 * "" for ":port". Returns 0, or -1 with err naming what is wrong. */
int daemon_listen_split(const char *listen, char *host, size_t host_size,
                        unsigned *port, char *err, size_t err_size);

#endif
