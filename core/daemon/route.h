/*
 * route.h - which of the daemon's routes a request's URI names (http.h
 * lists them). The path is the URI up to its first '?' or '#', matched
 * exactly as sent, before any decoding: `/x/../metrics`, `%2e%2e`,
 * `//metrics` and a path over ROUTE_PATH_MAX bytes are ROUTE_NOT_FOUND.
 * Pure: no allocation, no libmicrohttpd.
 */
#ifndef NBAQ_DAEMON_ROUTE_H
#define NBAQ_DAEMON_ROUTE_H

#include <stddef.h>

#define ROUTE_PATH_MAX 1024u /* longer: not found */

typedef enum http_route {
    ROUTE_NOT_FOUND = 0,
    ROUTE_ASSET, /* a dashboard file: *asset is its index in daemon_assets */
    ROUTE_HEALTH,
    ROUTE_STATUS,   /* protected */
    ROUTE_HISTORY,  /* protected */
    ROUTE_METRICS,  /* protected */
    ROUTE_DASHBOARD /* protected: /api/marks, /api/timeline, /api/alerts/... */
} http_route;

http_route route_of_uri(const char *uri, size_t *asset);

#define ROUTE_FINGERPRINT_MAX 64 /* room for an alert fingerprint and NUL */

/* "/api/alerts/<fp>" and "/api/alerts/<fp>/<action>" (path NUL-terminated,
 * no query): 0 with the fingerprint (hex, as core/alerts makes them) and
 * the action ("" for none, "silence" or "ack"); -1 for any other path. */
int route_alert_path(const char *path, char *fingerprint, const char **action);

/* Non-zero for the routes that need the bearer token. */
int route_is_protected(http_route r);

#endif
