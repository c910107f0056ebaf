#include "route.h"

#include <string.h>

#include "assets.h"

static const struct {
    const char *path;
    http_route route;
} fixed_routes[] = {{"/healthz", ROUTE_HEALTH},
                    {"/api/status", ROUTE_STATUS},
                    {"/api/history", ROUTE_HISTORY},
                    {"/metrics", ROUTE_METRICS}};

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
    return ROUTE_NOT_FOUND;
}

int route_is_protected(http_route r)
{
    return r == ROUTE_STATUS || r == ROUTE_HISTORY || r == ROUTE_METRICS;
}
