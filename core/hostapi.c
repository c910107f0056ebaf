#include "hostapi.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "options.h"
#include "output.h"
#include "records.h"
#include "status.h"
#include "plugin_bug.h"
#include "text.h"

static void end_with_bug(const char *message)
{
    record_write(RECORD_BUG, message, strlen(message) + 1);
    record_flush();
    _exit(0);
}

static void bugf(const char *fmt, ...) NBAQ_PRINTF(1, 2);

static void bugf(const char *fmt, ...)
{
    char message[PLUGIN_BUG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    plugin_bug_format(message, sizeof message, fmt, ap);
    va_end(ap);
    end_with_bug(message);
}

static void need_ctx(const nbaq_ctx *ctx, const char *function)
{
    if (!ctx)
        bugf("%s() called with a NULL context", function);
}

static const char *api_instance_name(const nbaq_ctx *ctx)
{
    need_ctx(ctx, "instance_name");
    return ctx->instance;
}

static const char *api_monitor_name(const nbaq_ctx *ctx)
{
    need_ctx(ctx, "monitor_name");
    return ctx->monitor;
}

static const nbaq_options *api_options(const nbaq_ctx *ctx)
{
    need_ctx(ctx, "options");
    return ctx->options;
}

static void api_log(const nbaq_ctx *ctx, nbaq_log_level level, const char *fmt,
                    ...)
{
    need_ctx(ctx, "log");
    if (!fmt)
        return;
    if ((int)level < NBAQ_LOG_ERROR)
        level = NBAQ_LOG_ERROR;
    if (level > NBAQ_LOG_DEBUG)
        level = NBAQ_LOG_DEBUG;
    char who[300];
    snprintf(who, sizeof who, "%s '%s'",
             ctx->kind == NBAQ_KIND_CHECKER ? "check" : "reporter",
             ctx->instance);
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, who, fmt, ap);
    va_end(ap);
}

static void api_metric_set(nbaq_ctx *ctx, const char *name, double value,
                           const char *unit)
{
    need_ctx(ctx, "metric_set");
    if (ctx->kind != NBAQ_KIND_CHECKER)
        bugf("metric_set() called by a reporter");
    if (!name || !*name)
        bugf("metric_set() called without a metric name");
    record_write_metric(name, value, unit);
}

static void api_status_set(nbaq_ctx *ctx, nbaq_status status, const char *fmt,
                           ...)
{
    need_ctx(ctx, "status_set");
    if (!status_is_valid((int)status))
        bugf("status_set() called with status %d", (int)status);
    char message[RECORD_MESSAGE_MAX + 1] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
    }
    record_write_status(status, message);
}

static int64_t api_time_left_ms(const nbaq_ctx *ctx)
{
    need_ctx(ctx, "time_left_ms");
    int64_t left = ctx->deadline_ms - clock_mono_ms();
    return left > 0 ? left : 0;
}

static const char *api_run_cache_dir(const nbaq_ctx *ctx)
{
    need_ctx(ctx, "run_cache_dir");
    return ctx->cache_dir;
}

static const char *api_state_get(const nbaq_ctx *ctx, const char *key)
{
    need_ctx(ctx, "state_get");
    if (!key)
        bugf("state_get() called with a NULL key");
    return ctx->state ? history_state_find(ctx->state, key) : NULL;
}

static void api_state_set(nbaq_ctx *ctx, const char *key, const char *value)
{
    need_ctx(ctx, "state_set");
    if (ctx->kind != NBAQ_KIND_CHECKER)
        bugf("state_set() called by a reporter");
    if (!key || !*key || strlen(key) > RECORD_STATE_KEY_MAX)
        bugf("state_set() key must be 1 to %d bytes", RECORD_STATE_KEY_MAX);
    if (!value)
        bugf("state_set() called with a NULL value for key '%.100s'", key);
    if (strlen(value) > RECORD_STATE_VALUE_MAX)
        bugf("state_set() value for key '%.100s' is larger than 64 KiB", key);
    record_write_state(key, value);
}

static int api_metric_backfill(nbaq_ctx *ctx, const char *name,
                               const char *unit, const nbaq_point *points,
                               size_t count)
{
    need_ctx(ctx, "metric_backfill");
    if (ctx->kind != NBAQ_KIND_CHECKER)
        bugf("metric_backfill() called by a reporter");
    if (!name || !*name)
        bugf("metric_backfill() called without a metric name");
    if (count > NBAQ_BACKFILL_POINTS_MAX)
        bugf("metric_backfill() for '%.100s' with %zu points (at most %d)",
             name, count, NBAQ_BACKFILL_POINTS_MAX);
    if (!points && count > 0)
        bugf("metric_backfill() for '%.100s' with NULL points", name);
    if (!ctx->state) /* no history store: nowhere to keep them */
        return -1;
    record_write_backfill(name, unit, points, count);
    return 0;
}

/* Where this reporter's output_write() goes, from its options. */
static output_target reporter_target(const nbaq_ctx *ctx)
{
    const nbaq_options *o = ctx->options;
    output_target target = {0};
    target.output = options_string(o, "output");
    target.output_explicit = options_location(o, "output")[0] != '\0';
    target.output_dir = options_string(o, "output_dir");
    target.base_dir = ctx->config_dir;
    target.monitor = ctx->monitor;
    target.run_started_ms = ctx->run_started_ms;
    target.stdout_fd = ctx->stdout_fd;
    return target;
}

static int api_output_write(const nbaq_ctx *ctx, const char *extension,
                            const void *data, size_t len, char *err,
                            size_t err_size)
{
    need_ctx(ctx, "output_write");
    if (ctx->kind != NBAQ_KIND_REPORTER)
        bugf("output_write() called by a checker");
    if (!data && len > 0)
        bugf("output_write() called with NULL data");
    if (!(ctx->flags & NBAQ_FLAG_WRITES_OUTPUT))
        bugf("output_write() needs NBAQ_FLAG_WRITES_OUTPUT in the "
             "descriptor");
    output_target target = reporter_target(ctx);
    char local_err[512];
    if (!err || err_size == 0) {
        err = local_err;
        err_size = sizeof local_err;
    }
    return output_write_report(&target, extension, data ? data : "", len, err,
                               err_size);
}

static int api_output_is_terminal(const nbaq_ctx *ctx)
{
    need_ctx(ctx, "output_is_terminal");
    if (ctx->kind != NBAQ_KIND_REPORTER ||
        !(ctx->flags & NBAQ_FLAG_WRITES_OUTPUT))
        return 0;
    output_target target = reporter_target(ctx);
    return output_is_terminal(&target);
}

static const char *api_config_dir(const nbaq_ctx *ctx)
{
    need_ctx(ctx, "config_dir");
    return ctx->config_dir ? ctx->config_dir : ".";
}

static const nbaq_host_api host_api = {
    .abi_version = NBAQ_ABI_VERSION,
    .struct_size = (uint32_t)sizeof(nbaq_host_api),
    .instance_name = api_instance_name,
    .monitor_name = api_monitor_name,
    .options = api_options,
    .opt_is_set = options_is_set,
    .opt_string = options_string,
    .opt_int = options_int,
    .opt_double = options_double,
    .opt_bool = options_bool,
    .opt_count = options_count,
    .opt_list_string = options_list_string,
    .opt_map_key = options_map_key,
    .opt_map_value = options_map_value,
    .opt_object = options_object,
    .opt_list_object = options_list_object,
    .opt_location = options_location,
    .log = api_log,
    .metric_set = api_metric_set,
    .status_set = api_status_set,
    .time_left_ms = api_time_left_ms,
    .run_cache_dir = api_run_cache_dir,
    .state_get = api_state_get,
    .state_set = api_state_set,
    .output_write = api_output_write,
    .output_is_terminal = api_output_is_terminal,
    .metric_backfill = api_metric_backfill,
    .config_dir = api_config_dir,
};

const nbaq_host_api *hostapi_table(void)
{
    return &host_api;
}

/* exit() from a plugin: send what is buffered, then leave without running
 * later handlers (LeakSanitizer would otherwise change the exit code). */
static void on_plugin_exit(int status, void *arg)
{
    (void)arg;
    record_flush();
    fflush(NULL);
    _exit(status);
}

static void enter_child(void)
{
    options_set_bug_handler(end_with_bug);
    on_exit(on_plugin_exit, NULL);
}

void hostapi_run_check(nbaq_ctx *ctx, nbaq_check_fn check)
{
    enter_child();
    if (ctx->stdout_fd >= 0) {
        close(ctx->stdout_fd); /* checks never write to stdout */
        ctx->stdout_fd = -1;
    }
    check(&host_api, ctx);
    record_write(RECORD_DONE, "", 0);
    record_flush();
    fflush(NULL);
    _exit(0);
}

void hostapi_run_report(nbaq_ctx *ctx, nbaq_report_fn report,
                        const nbaq_run *run)
{
    enter_child();
    char err[RECORD_MESSAGE_MAX] = "";
    int rc = report(&host_api, ctx, run, err, sizeof err);
    if (rc == 0)
        record_write_status(NBAQ_PASS, "");
    else
        record_write_status(NBAQ_ERROR, err[0] ? err : "failed");
    record_write(RECORD_DONE, "", 0);
    record_flush();
    fflush(NULL);
    _exit(0);
}
