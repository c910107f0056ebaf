/*
 * routing.h - which channels an open alert goes to this run, and how
 * often it may repeat there, from alerts.routes and alerts.levels.
 *
 * A channel is a reporter that receives a routed view of the alerts
 * (docs/alerts.md): with `routes` written, every reporter a route or a
 * level names; without, every reporter that does not write a report
 * file (the notification plugins), taking every alert, plus the levels'
 * channels. The caller makes that list; this module only matches.
 */
#ifndef NBAQ_CORE_ALERTS_ROUTING_H
#define NBAQ_CORE_ALERTS_ROUTING_H

#include <stddef.h>
#include <stdint.h>

#include "config_alerts.h"
#include "nbaq.h"

typedef struct router {
    const alerts_config *ac;
    const char *const *channels; /* this run's channels, by name      */
    /* Without `routes`, the channels with is_default set take every
     * alert from the start; the others only what levels add.          */
    const unsigned char *is_default;
    size_t channel_count;
} router;

/*
 * Sets selected[i] (channel_count bytes, cleared first) for every channel
 * an alert of check with this severity, open for open_ms, goes to now.
 * Returns the repeat interval in force (0: never repeat): the config's,
 * shortened by every level reached that sets one.
 */
int64_t router_route(const router *r, const char *check, nbaq_severity severity,
                     int64_t open_ms, unsigned char *selected);

/* The index of name among the channels, or -1. */
long router_channel_index(const router *r, const char *name);

#endif
