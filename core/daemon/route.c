#include "route.h"

#include <string.h>

#include "assets.h"

static const struct {
    const char *path;
    http_route route;
} fixed_routes[] = {
    {"/healthz", ROUTE_HEALTH},      {"/api/status", ROUTE_STATUS},
    {"/api/history", ROUTE_HISTORY}, {"/metrics", ROUTE_METRICS},
    {"/api/marks", ROUTE_DASHBOARD}, {"/api/timeline", ROUTE_DASHBOARD}};

#define ALERTS_PREFIX "/api/alerts/"

int route_alert_path(const char *path, char *fingerprint, const char **action)
{
    if (strncmp(path, ALERTS_PREFIX, strlen(ALERTS_PREFIX)) != 0)
        return -1;
    const char *p = path + strlen(ALERTS_PREFIX);
    size_t len = strspn(p, "0123456789abcdef");
    if (len == 0 || len >= ROUTE_FINGERPRINT_MAX)
        return -1;
    memcpy(fingerprint, p, len);
    fingerprint[len] = '\0';
    *action = p[len] == '/' ? p + len + 1 : p + len;
    if (p[len] == '\0')
        return 0;
    return strcmp(*action, "silence") == 0 || strcmp(*action, "ack") == 0 ? 0
                                                                          : -1;
}

/* An alert's route: the path (uri up to len) copied to end with NUL. */
static int is_alert_route(const char *uri, size_t len)
{
    char path[ROUTE_PATH_MAX + 1], fingerprint[ROUTE_FINGERPRINT_MAX];
    const char *action;
    memcpy(path, uri, len);
    path[len] = '\0';
    return route_alert_path(path, fingerprint, &action) == 0;
}

http_route route_of_uri(const char *uri, size_t *asset)
{
    size_t len = strcspn(uri, "?#");
    *asset = 0;
    if (len > ROUTE_PATH_MAX)
        return ROUTE_NOT_FOUND;
    for (size_t i = 0; i < daemon_asset_count; i++) {
        if (strlen(daemon_assets[i].path) == len &&
            memcmp(uri, daemon_assets[i].path, len) == 0) {
            *asset = i;
            return ROUTE_ASSET;
        }
    }
    for (size_t i = 0; i < sizeof fixed_routes / sizeof fixed_routes[0]; i++) {
        if (strlen(fixed_routes[i].path) == len &&
            memcmp(uri, fixed_routes[i].path, len) == 0)
            return fixed_routes[i].route;
    }
    return is_alert_route(uri, len) ? ROUTE_DASHBOARD : ROUTE_NOT_FOUND;
}

int route_is_protected(http_route r)
{
    return r == ROUTE_STATUS || r == ROUTE_HISTORY || r == ROUTE_METRICS ||
           r == ROUTE_DASHBOARD;
}
