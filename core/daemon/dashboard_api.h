/*
 * dashboard_api.h - the dashboard's own routes beside /api/status and
 * /api/history (docs/daemon.md):
 *
 *   GET  /api/marks?check=&metric=&since=&until=   flagged points and
 *        alert episodes of one metric over a range, for its chart
 *   GET  /api/timeline?check=&since=&until=        the check's status
 *        per run over a range (the run timeline)
 *   GET  /api/alerts/<fingerprint>                 one alert: its
 *        transitions, notifications per channel, silences
 *   POST /api/alerts/<fingerprint>/silence|ack     actions.h
 *
 * http.c routes these here after its token check. Each answer reads the
 * history store through a connection of its own, opened and closed
 * within the request, so that none is open when the daemon forks.
 *
 * Ownership: dashboard_api_answer returns malloc'd JSON the caller frees.
 */
#ifndef NBAQ_DAEMON_DASHBOARD_API_H
#define NBAQ_DAEMON_DASHBOARD_API_H

#include <stdint.h>

#include <microhttpd.h>

#include "history.h"
#include "snapshot.h"

typedef struct dashboard_request {
    struct MHD_Connection *conn; /* for arguments and headers           */
    const char *path;            /* as sent, before any decoding        */
    const char *method;
    const snapshot *snap;
    int64_t now_ms;
} dashboard_request;

/* Whether method may be used on path (POST only for actions). */
int dashboard_api_allows(const char *path, const char *method);

/* The answer and its HTTP status: 200; 400 a bad argument; 403 an action
 * refused; 404 unknown alert, route or no history store; 405 a method
 * the route does not take; 503 the store cannot be read. NULL only when
 * out of memory. */
char *dashboard_api_answer(const dashboard_request *rq, int *status);

/* {"error": message} with *status = code. */
char *dashboard_api_error(int code, int *status, const char *message);

/* Opens the snapshot's history store for one request: 0, or -1 with an
 * error answer in *answer (404 no store, 503 cannot open). */
int dashboard_api_store(const snapshot *s, history_store **store, char **answer,
                        int *status);

#endif
