/* tp_backfill: hands the host `past` hourly points of metric `load` with
 * metric_backfill() (values base, base + 1, base + 2, base, ... going back
 * from now), optionally one point an hour in the future, then sets `load`
 * to `value` and `backfill_return` to what metric_backfill() returned. */
#include <stdlib.h>
#include <time.h>

#include "nbaq.h"

static const nbaq_option_spec options[] = {
    {.name = "past",
     .type = NBAQ_OPT_INT,
     .default_value = "24",
     .min = 0,
     .max = 5000,
     .description = "hourly points before now"},
    {.name = "base",
     .type = NBAQ_OPT_DOUBLE,
     .default_value = "100",
     .description = "value of the newest past point"},
    {.name = "value",
     .type = NBAQ_OPT_DOUBLE,
     .default_value = "100",
     .description = "this run's value of load"},
    {.name = "future",
     .type = NBAQ_OPT_BOOL,
     .default_value = "false",
     .description = "also a point one hour after now"},
    NBAQ_OPTION_END};

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    const nbaq_options *o = api->options(ctx);
    size_t past = (size_t)api->opt_int(o, "past");
    int future = api->opt_bool(o, "future");
    double base = api->opt_double(o, "base");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    nbaq_point *points = calloc(past + 1, sizeof *points);
    if (!points) {
        api->status_set(ctx, NBAQ_ERROR, "out of memory");
        return;
    }
    for (size_t i = 0; i < past; i++)
        points[i] = (nbaq_point){now_ms - (int64_t)(i + 1) * 3600000,
                                 base + (double)(i % 3)};
    if (future)
        points[past] = (nbaq_point){now_ms + 3600000, base};
    int rc = api->metric_backfill(ctx, "load", "count", points,
                                  past + (future ? 1 : 0));
    free(points);
    api->metric_set(ctx, "load", api->opt_double(o, "value"), "count");
    api->metric_set(ctx, "backfill_return", rc, NULL);
    api->status_set(ctx, NBAQ_PASS, "ok");
}

static const nbaq_metric_decl metrics[] = {
    {"load", "count", "the option value, with its backfilled past"},
    {"backfill_return", NULL, "what metric_backfill() returned"},
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_backfill",
    .version = "1.0.0",
    .description = "test checker: backfills hourly points of `load`",
    .options = options,
    .check = check,
    .metrics = metrics,
};

NBAQ_PLUGIN(descriptor)
