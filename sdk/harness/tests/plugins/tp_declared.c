/* tp_declared: a checker whose declarations are tested against what it
 * emits. It emits every name of `emit` (value 1), and backfills one point
 * of `backfill` when set. It declares "rows", "<table>.nulls", with
 * by_day: true the family "rows.by_day.*", and per item of `tables`
 * "<item>.rows" and the family "<item>.*.nulls" (bench/host). */
#include <stddef.h>
#include <time.h>

#include "nbaq.h"

static const nbaq_option_spec options[] = {
    {.name = "emit",
     .type = NBAQ_OPT_STRING_LIST,
     .description = "the metric names to set"},
    {.name = "table", .type = NBAQ_OPT_STRING, .description = "a table"},
    {.name = "tables",
     .type = NBAQ_OPT_STRING_LIST,
     .description = "tables, for families per table (benchmarks)"},
    {.name = "by_day",
     .type = NBAQ_OPT_BOOL,
     .default_value = "false",
     .description = "turns the family rows.by_day.* on"},
    {.name = "backfill",
     .type = NBAQ_OPT_STRING,
     .description = "a metric name to backfill one point of"},
    NBAQ_OPTION_END};

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    const nbaq_options *o = api->options(ctx);
    size_t n = api->opt_count(o, "emit");
    for (size_t i = 0; i < n; i++)
        api->metric_set(ctx, api->opt_list_string(o, "emit", i), 1, "rows");
    if (api->opt_is_set(o, "backfill")) {
        nbaq_point past = {((int64_t)time(NULL) - 86400) * 1000, 1};
        api->metric_backfill(ctx, api->opt_string(o, "backfill"), "rows", &past,
                             1);
    }
    api->status_set(ctx, NBAQ_PASS, "%zu metrics", n);
}

static const nbaq_metric_decl metrics[] = {
    {"rows", "rows", "rows counted"},
    {"{table}.nulls", "rows", "NULLs in the table"},
    {"{by_day=true}rows.by_day.*", "rows", "rows per day"},
    {"{tables}.rows", "rows", "rows of each table"},
    {"{tables}.*.nulls", "rows", "NULLs of each column of each table"},
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_declared",
    .version = "1.0.0",
    .description = "test checker: emits the names it is given",
    .options = options,
    .check = check,
    .metrics = metrics,
};
NBAQ_PLUGIN(descriptor)
