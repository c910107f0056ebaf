/*
 * fleet_alerts.h - the fleet's open alerts (docs/daemon.md, "A fleet of
 * daemons"): with a postgresql:// history every member shows the alerts
 * that are open in the shared store, whichever member's round opened
 * them, in the form a round hands its alerts to the board (round.h).
 */
#ifndef NBAQ_DAEMON_FLEET_ALERTS_H
#define NBAQ_DAEMON_FLEET_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "history.h"

/* The open alerts of monitor in store, silenced ones marked as such at
 * now_ms: a JSON array the caller cJSON_Delete()s, or NULL with err. */
cJSON *fleet_alerts_load(history_store *store, const char *monitor,
                         int64_t now_ms, char *err, size_t err_size);

#endif
