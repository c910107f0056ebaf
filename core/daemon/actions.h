/*
 * actions.h - silencing and acknowledging an alert from the dashboard:
 *
 *   POST /api/alerts/<fingerprint>/silence?until=2h&by=NAME[&comment=T]
 *   POST /api/alerts/<fingerprint>/ack?until=24h&by=NAME[&comment=T]
 *
 * Off unless daemon.actions is true, which needs daemon.token (the
 * bearer token, checked by http.c before this runs). Each request must
 * also carry the per-process CSRF token in X-Nbaq-Csrf (the page reads
 * it from /api/status, daemon.csrf) and an Origin equal to the page's own
 * (http://<Host>); otherwise 403. Made like `nbaq-host alerts
 * silence|ack`: a silence row through history_silence_add(), whose
 * comment records who (the name given, and the client's address) and
 * created_ms when.
 */
#ifndef NBAQ_DAEMON_ACTIONS_H
#define NBAQ_DAEMON_ACTIONS_H

#include "dashboard_api.h"

/* The per-process CSRF token: 32 random bytes as hex, made on first use;
 * NULL when no randomness is available (actions are then refused). */
const char *actions_csrf_token(void);

/* Answers a POST on .../silence or .../ack for fingerprint. */
char *actions_answer(const dashboard_request *rq, const char *fingerprint,
                     const char *action, int *status);

#endif
