/* The daemon's request routing (core/daemon/route.c) and /api/history's
 * query parsing (history_api_check_query): the input is a request URI as
 * a client sends it. Its query string is split and percent-decoded the
 * way libmicrohttpd does it for GET arguments (MHD_http_unescape). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "history_api.h"
#include "route.h"

#define NOW_MS INT64_C(1767225600000) /* 2026-01-01T00:00:00Z */
#define URI_MAX 8192

static void take_argument(history_query *q, char *pair)
{
    char *eq = strchr(pair, '=');
    char *value = eq ? eq + 1 : pair + strlen(pair);
    if (eq)
        *eq = '\0';
    MHD_http_unescape(pair);
    MHD_http_unescape(value);
    const char **slot = strcmp(pair, "check") == 0    ? &q->check
                        : strcmp(pair, "metric") == 0 ? &q->metric
                        : strcmp(pair, "since") == 0  ? &q->since
                        : strcmp(pair, "until") == 0  ? &q->until
                        : strcmp(pair, "points") == 0 ? &q->points
                                                      : NULL;
    if (slot && !*slot) /* the first of repeated arguments, as MHD */
        *slot = value;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > URI_MAX)
        return 0;
    char *uri = malloc(size + 1);
    if (uri == NULL)
        return 0;
    memcpy(uri, data, size);
    uri[size] = '\0';
    size_t asset;
    http_route r = route_of_uri(uri, &asset);
    route_is_protected(r);
    char *query = strchr(uri, '?');
    if (query) {
        query[strcspn(query, "#")] = '\0';
        history_query q = {0};
        char *save = NULL;
        for (char *pair = strtok_r(query + 1, "&", &save); pair;
             pair = strtok_r(NULL, "&", &save))
            take_argument(&q, pair);
        char why[1024];
        history_api_check_query(&q, 500, NOW_MS, why, sizeof why);
    }
    free(uri);
    return 0;
}
