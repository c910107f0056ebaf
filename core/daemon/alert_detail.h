/*
 * alert_detail.h - GET /api/alerts/<fingerprint>: one alert as the
 * history store knows it (docs/daemon.md, "Alert detail"):
 *
 *   - the alert row: state, severity, episode, start and end, failing
 *     runs, flapping;
 *   - its transitions, rebuilt from what the store keeps (the store has
 *     no log of them): opened, escalated, silenced (each silence),
 *     notifications queued, resolved;
 *   - notifications per channel: sent (the channels notified in this
 *     episode and when) and waiting or failing (the outbox rows not yet
 *     delivered, with attempts and the last error);
 *   - the silences that cover it (by fingerprint or by check), active
 *     or ended.
 */
#ifndef NBAQ_DAEMON_ALERT_DETAIL_H
#define NBAQ_DAEMON_ALERT_DETAIL_H

#include "dashboard_api.h"

/* The answer (malloc'd JSON) and *status: 200, 404 for a fingerprint the
 * store does not track, 503 when the store cannot be read. */
char *alert_detail_answer(const dashboard_request *rq, const char *fingerprint,
                          int *status);

#endif
