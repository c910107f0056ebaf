/* tp_healthy: a well-behaved checker for the host's integration tests.
 * Sets the metrics of `metrics` (name -> number, "nan" and "inf" allowed),
 * the status of `status`, and remembers a counter in its state. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "nbaq.h"

static const char *const statuses[] = {"pass",  "warning", "fail",
                                       "error", "unknown", NULL};

static const nbaq_option_spec options[] = {
    {.name = "metrics",
     .type = NBAQ_OPT_STRING_MAP,
     .description = "metric name to value"},
    {.name = "unit",
     .type = NBAQ_OPT_STRING,
     .default_value = "",
     .description = "unit of every metric"},
    {.name = "status",
     .type = NBAQ_OPT_ENUM,
     .choices = statuses,
     .default_value = "pass",
     .description = "the status to set"},
    {.name = "message",
     .type = NBAQ_OPT_STRING,
     .default_value = "healthy",
     .description = "the message to set"},
    {.name = "sleep",
     .type = NBAQ_OPT_DURATION,
     .default_value = "0",
     .description = "sleep this long first"},
    {.name = "print",
     .type = NBAQ_OPT_BOOL,
     .default_value = "false",
     .description = "print junk on stdout (must not reach the report)"},
    {.name = "count_runs",
     .type = NBAQ_OPT_BOOL,
     .default_value = "false",
     .description = "metric `runs`: 1 + the `runs` saved in the state"},
    {.name = "log",
     .type = NBAQ_OPT_STRING,
     .description = "log this text at level info"},
    {.name = "cache_file",
     .type = NBAQ_OPT_STRING,
     .description = "create this file in the run cache directory and set "
                    "metric `cache_files` to the files found there"},
    NBAQ_OPTION_END};

static nbaq_status parse_status(const char *s)
{
    for (int i = 0; statuses[i]; i++) {
        static const nbaq_status values[] = {NBAQ_PASS, NBAQ_WARNING, NBAQ_FAIL,
                                             NBAQ_ERROR, NBAQ_UNKNOWN};
        if (s[0] == statuses[i][0] && s[1] == statuses[i][1])
            return values[i];
    }
    return NBAQ_ERROR;
}

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    const char *log_text = api->opt_string(api->options(ctx), "log");
    if (log_text)
        api->log(ctx, NBAQ_LOG_INFO, "%s", log_text);
    const nbaq_options *o = api->options(ctx);
    int64_t sleep_ms = api->opt_int(o, "sleep");
    if (sleep_ms > 0) {
        struct timespec ts = {sleep_ms / 1000, (sleep_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (api->opt_bool(o, "print")) {
        printf("JUNK FROM tp_healthy ON STDOUT\n");
        fflush(stdout);
    }
    const char *unit = api->opt_string(o, "unit");
    size_t n = api->opt_count(o, "metrics");
    for (size_t i = 0; i < n; i++)
        api->metric_set(ctx, api->opt_map_key(o, "metrics", i),
                        strtod(api->opt_map_value(o, "metrics", i), NULL),
                        unit);
    const char *runs = api->state_get(ctx, "runs");
    char next[32];
    snprintf(next, sizeof next, "%d", runs ? atoi(runs) + 1 : 1);
    api->state_set(ctx, "runs", next);
    if (api->opt_bool(o, "count_runs"))
        api->metric_set(ctx, "runs", atof(next), NULL);
    const char *cache_file = api->opt_string(o, "cache_file");
    if (cache_file) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", api->run_cache_dir(ctx),
                 cache_file);
        FILE *f = fopen(path, "w");
        if (f)
            fclose(f);
        api->metric_set(ctx, "cache_file_created", f ? 1 : 0, NULL);
        api->log(ctx, NBAQ_LOG_INFO, "cache dir %s", api->run_cache_dir(ctx));
    }
    api->metric_set(ctx, "time_left_positive",
                    api->time_left_ms(ctx) > 0 ? 1 : 0, NULL);
    api->status_set(ctx, parse_status(api->opt_string(o, "status")), "%s",
                    api->opt_string(o, "message"));
}

/* Tests change `metrics` from one run to the next and keep thresholds on
 * the names that vanished (missing series): any name. */
static const nbaq_metric_decl metrics[] = {
    {"*", NULL, "each key of the option metrics, in the option unit"},
    {"{count_runs=true}runs", NULL, "count_runs: runs so far"},
    {"{cache_file=*}cache_file_created", NULL, "cache_file: 1 when made"},
    {"time_left_positive", NULL, "1 while time is left"},
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_healthy",
    .version = "1.0.0",
    .description = "test checker: sets the metrics and status it is given",
    .options = options,
    .check = check,
    .metrics = metrics,
};

NBAQ_PLUGIN(descriptor)
