/*
 * routing.c - matching an alert against routes and escalation levels.
 */
#include "routing.h"

#include <string.h>

long router_channel_index(const router *r, const char *name)
{
    for (size_t i = 0; i < r->channel_count; i++) {
        if (strcmp(r->channels[i], name) == 0)
            return (long)i;
    }
    return -1;
}

static int check_listed(char *const *checks, size_t count, const char *check)
{
    if (count == 0)
        return 1;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(checks[i], check) == 0)
            return 1;
    }
    return 0;
}

static void select_name(const router *r, const char *name,
                        unsigned char *selected)
{
    long i = router_channel_index(r, name);
    if (i >= 0)
        selected[i] = 1;
}

int64_t router_route(const router *r, const char *check, nbaq_severity severity,
                     int64_t open_ms, unsigned char *selected)
{
    const alerts_config *ac = r->ac;
    memset(selected, 0, r->channel_count);
    if (!ac->routes_given) {
        for (size_t i = 0; i < r->channel_count; i++)
            selected[i] = r->is_default[i];
    } else {
        for (size_t i = 0; i < ac->route_count; i++) {
            const alert_route *route = &ac->routes[i];
            if (severity >= route->min_severity &&
                check_listed(route->checks, route->check_count, check))
                select_name(r, route->channel, selected);
        }
    }
    int64_t repeat = ac->repeat_ms;
    for (size_t i = 0; i < ac->level_count; i++) {
        const alert_level *level = &ac->levels[i];
        if (open_ms < level->after_ms || severity < level->min_severity ||
            !check_listed(level->checks, level->check_count, check))
            continue;
        for (size_t c = 0; c < level->channel_count; c++)
            select_name(r, level->channels[c], selected);
        if (level->repeat_ms > 0)
            repeat = alerts_repeat_min(repeat, level->repeat_ms);
    }
    return repeat;
}
