/*
 * oc_daily.c - objects per UTC day, for objects.per_day and its backfill
 * (oc_daily.h). Each point means "objects dated on the UTC day before the
 * point's day", as db_quality's rows_per_day does.
 */
#include "oc_daily.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const nbaq_option_spec oc_daily_fields[] = {
    {.name = "days",
     .type = NBAQ_OPT_INT,
     .default_value = "28",
     .min = 1,
     .max = 365,
     .description = "days of past counts handed to the history"},
    {.name = "date",
     .type = NBAQ_OPT_STRING,
     .default_value = "mtime",
     .description = "mtime: an object's LastModified; or a key pattern with "
                    "%Y %m %d (\"dt=%Y-%m-%d\") whose date is the day"},
    NBAQ_OPTION_END};

static int64_t wall_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int oc_daily_init(oc_daily *d, const nbaq_host_api *api, const nbaq_options *o,
                  char *err, size_t err_size)
{
    memset(d, 0, sizeof *d);
    if (!api->opt_is_set(o, "backfill"))
        return 0;
    const nbaq_options *b = api->opt_object(o, "backfill");
    const char *date = api->opt_string(b, "date");
    d->by_key = strcmp(date, "mtime") != 0;
    if (d->by_key && key_pattern_compile(&d->pattern, date, err, err_size) != 0)
        return -1;
    d->days = (size_t)api->opt_int(b, "days") + 1;
    d->now_ms = wall_clock_ms();
    d->first_day_ms = d->now_ms / DAY_MS * DAY_MS - (int64_t)d->days * DAY_MS;
    d->counts = calloc(d->days, sizeof *d->counts);
    if (!d->counts) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    d->enabled = 1;
    return 0;
}

void oc_daily_add(oc_daily *d, const nbaq_objstore_object *o)
{
    int64_t when = o->mtime_ms;
    if (!d->enabled ||
        (d->by_key && key_pattern_match(&d->pattern, o->name, &when) != 0))
        return;
    int64_t index = (when - d->first_day_ms) / DAY_MS;
    if (when >= d->first_day_ms && (size_t)index < d->days)
        d->counts[index]++;
}

void oc_daily_report(const oc_daily *d, const nbaq_host_api *api, nbaq_ctx *ctx)
{
    if (!d->enabled)
        return;
    size_t past = d->days - 1;
    nbaq_point *points = calloc(past ? past : 1, sizeof *points);
    /* counts[past] is yesterday; the point k days ago counts the day
     * before its own: counts[past - k]. */
    for (size_t k = 1; points && k <= past; k++)
        points[k - 1] = (nbaq_point){d->now_ms - (int64_t)k * DAY_MS,
                                     (double)d->counts[past - k]};
    if (points)
        api->metric_backfill(ctx, "objects.per_day", "count", points, past);
    free(points);
    api->metric_set(ctx, "objects.per_day", (double)d->counts[past], "count");
}

void oc_daily_free(oc_daily *d)
{
    free(d->counts);
    memset(d, 0, sizeof *d);
}
