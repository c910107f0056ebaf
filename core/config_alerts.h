/*
 * config_alerts.h - the `alerts:` section of the monitor configuration:
 * the lifecycle's thresholds, flap damping, routes and escalation levels.
 * docs/alerts.md describes every key.
 *
 * Ownership: everything is allocated in the config's arena and lives
 * until config_free().
 */
#ifndef NBAQ_CORE_CONFIG_ALERTS_H
#define NBAQ_CORE_CONFIG_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"
#include "ydoc.h"

/* The daemon's own check (core/daemon/watchdog.h, docs/daemon.md
 * "Watchdogs for the watcher"): no configured check can have its name
 * (':' is not allowed), yet routes and escalation levels may name it. */
#define ALERTS_WATCHDOG_CHECK "nbaq:watchdog"

struct config;

#define ALERTS_DEFAULT_REPEAT_MS (4 * 3600 * 1000LL)
#define ALERTS_DEFAULT_FLAP_WINDOW 10
#define ALERTS_DEFAULT_FLAP_SETTLE 3

/* The severity an alert takes from a status: a fixed one, or the check's
 * declared severity lowered by `below` levels (at least info). */
typedef struct severity_rule {
    int fixed; /* severity is fixed; else it follows the check's     */
    nbaq_severity severity;
    uint32_t below;
} severity_rule;

/* A reporter that takes alerts at or above a severity, perhaps only of
 * some checks, from the moment they open. */
typedef struct alert_route {
    char *channel; /* a reporter's name                                */
    nbaq_severity min_severity;
    char **checks; /* none: every check                                */
    size_t check_count;
} alert_route;

/* An escalation level: an alert open for at least after_ms whose
 * severity is at least min_severity (and whose check is listed, when
 * checks are) also goes to channels, and repeats at most every
 * repeat_ms. Levels add up: every level an alert has reached applies. */
typedef struct alert_level {
    int64_t after_ms;
    nbaq_severity min_severity;
    char **checks;
    size_t check_count;
    char **channels;
    size_t channel_count;
    int64_t repeat_ms; /* 0: keeps the interval it had             */
} alert_level;

typedef struct alerts_config {
    int configured;               /* the section is present              */
    uint32_t open_after;          /* failing runs before opening (1)     */
    uint32_t resolve_after;       /* passing runs before resolving (1)   */
    int64_t repeat_ms;            /* 4h; 0: never repeat                 */
    uint32_t escalate_after_runs; /* 0: not by runs                    */
    int64_t escalate_after_ms;    /* 0: not by time                    */
    int flapping;                 /* flap damping on (the default)       */
    uint32_t flap_window;         /* runs                                */
    uint32_t flap_settle;         /* equal runs that end flapping        */
    /* severity_from_status, by nbaq_status (PASS unused). */
    severity_rule from_status[NBAQ_STATUS_COUNT];
    int notify_lowered; /* a lowered severity is notified           */
    int routes_given;   /* `routes:` written: only routed reporters and
                           levels' channels are channels                 */
    alert_route *routes;
    size_t route_count;
    alert_level *levels;
    size_t level_count;
} alerts_config;

void alerts_config_defaults(alerts_config *ac);

/*
 * Parses and validates the `alerts:` mapping into cfg->alerts. The
 * config's checks and reporters must be parsed already: routes and
 * levels must name them. Keys that need memory between runs (all but
 * `routes`) are refused when the config has no `history` section.
 * Returns 0, or -1 with err "file:line:col: alerts...: what".
 */
int alerts_config_parse(struct config *cfg, const ynode *node, char *err,
                        size_t err_size);

/* Logs a warning for each route or level channel that names a disabled
 * reporter: nothing is sent there. */
void alerts_config_warn(const struct config *cfg);

/* The severity of an alert whose status is status, for a check declared
 * with severity declared. */
nbaq_severity alerts_severity_of(const alerts_config *ac, nbaq_status status,
                                 nbaq_severity declared);

/* The repeat interval in force: the smaller of a and b, where 0 stands
 * for "never". */
int64_t alerts_repeat_min(int64_t a, int64_t b);

#endif
