/*
 * sql_metric.c - the `sql_metric` checker: runs one read-only query and
 * turns its number, or its rows of (label, number), into metrics that
 * thresholds and history rules judge like any other. See README.md.
 */
#include <stdio.h>
#include <string.h>

#include "nbaq.h"
#include "pgconn_options.h"
#include "sqlengine.h"
#include "sqlengine_options.h"
#include "sqlm_values.h"

enum { ERROR_MAX = 768, NAME_MAX_LEN = 1024, SUMMARY_MAX = 512 };

/* Room left for the query to end cleanly before the host's deadline. */
enum { DEADLINE_MARGIN_MS = 1000 };

static const nbaq_option_spec sql_metric_options[] = {
    SQLENGINE_DSN_OPTION_SPEC,
    {.name = "query",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "one SELECT returning one number, or rows of (label, "
                    "number); run read-only"},
    {.name = "metric",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "metric name; with labelled rows the prefix of "
                    "<metric>.<label>"},
    {.name = "unit",
     .type = NBAQ_OPT_STRING,
     .description = "unit of the metric(s)"},
    NBAQ_PGCONN_TIMEOUT_OPTION_SPECS("60s",
                                     "the server cancels the query after "
                                     "this long"),
    NBAQ_OPTION_END};

/* The configured timeout, shortened to end before the host stops us. */
static int64_t statement_timeout(const nbaq_host_api *api, const nbaq_ctx *ctx,
                                 int64_t configured)
{
    int64_t left = api->time_left_ms(ctx);
    if (left <= 0)
        return configured;
    left -= DEADLINE_MARGIN_MS;
    if (left < 1)
        left = 1;
    return left < configured ? left : configured;
}

static void record(const nbaq_host_api *api, nbaq_ctx *ctx, const char *metric,
                   const char *unit, const sqlm_values *values)
{
    char summary[SUMMARY_MAX] = "";
    size_t used = 0;
    for (size_t i = 0; i < values->count; i++) {
        const sqlm_value *v = &values->items[i];
        char name[NAME_MAX_LEN];
        if (v->label != NULL)
            snprintf(name, sizeof name, "%s.%s", metric, v->label);
        else
            snprintf(name, sizeof name, "%s", metric);
        api->metric_set(ctx, name, v->value, unit);
        if (used < sizeof summary) {
            int n = snprintf(summary + used, sizeof summary - used, "%s%s=%g",
                             i > 0 ? ", " : "", name, v->value);
            used += n > 0 ? (size_t)n : 0;
        }
    }
    if (used >= sizeof summary)
        memcpy(summary + sizeof summary - 4, "...", 4);
    api->status_set(ctx, NBAQ_PASS, "%s", summary);
}

static void sql_metric_check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    const nbaq_options *o = api->options(ctx);
    const char *metric = api->opt_string(o, "metric");
    sqlengine_options connect = {.dsn = api->opt_string(o, "dsn"),
                                 .connect_timeout_ms =
                                     api->opt_int(o, "connect_timeout"),
                                 .application_name = "nbaq sql_metric"};
    char err[ERROR_MAX];
    sqlengine *conn = sqlengine_open(&connect, err, sizeof err);
    if (conn == NULL) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
        return;
    }
    int64_t timeout =
        statement_timeout(api, ctx, api->opt_int(o, "statement_timeout"));
    sqlengine_result *res = NULL;
    sqlm_values values;
    if (sqlengine_begin(conn, timeout, err, sizeof err) != 0 ||
        sqlengine_plain_query(conn, "query", api->opt_string(o, "query"), &res,
                              err, sizeof err) != 0 ||
        sqlm_values_read(res, &values, err, sizeof err) != 0)
        api->status_set(ctx, NBAQ_ERROR, "query for %s: %s", metric, err);
    else {
        record(api, ctx, metric, api->opt_string(o, "unit"), &values);
        sqlm_values_free(&values);
    }
    sqlengine_result_free(res);
    sqlengine_end(conn);
    sqlengine_close(conn);
}

/* validate(): an engine this build has, a query, a usable metric name. */
static int sql_metric_validate(const nbaq_host_api *api, const nbaq_options *o,
                               char *err, size_t err_size)
{
    sqlengine_kind kind;
    char why[ERROR_MAX];
    const char *metric = api->opt_string(o, "metric");
    const char *query = api->opt_string(o, "query");
    if (sqlengine_kind_of(api->opt_string(o, "dsn"), &kind, why, sizeof why) !=
        0) {
        /* why never quotes the DSN: it may hold a password. */
        snprintf(err, err_size, "%s: %s", api->opt_location(o, "dsn"), why);
        return -1;
    }
    if (query[strspn(query, " \t\r\n")] == '\0') {
        snprintf(err, err_size, "%s: query is empty",
                 api->opt_location(o, "query"));
        return -1;
    }
    if (metric[0] == '\0' || metric[strcspn(metric, " \t\r\n")] != '\0') {
        snprintf(err, err_size, "%s: metric '%s' must be a name without spaces",
                 api->opt_location(o, "metric"), metric);
        return -1;
    }
    return 0;
}

static const nbaq_metric_decl sql_metric_metrics[] = {
    {"{metric}", "", "the query's one number, in the option unit"},
    {"{metric}.*", "", "rows of (label, number): one per label"},
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "sql_metric",
    .version = "1.0.0",
    .description = "a read-only SQL query's number, or rows of (label, "
                   "number), as metrics; engines: " SQLENGINE_ENGINES_BUILT,
    .options = sql_metric_options,
    .check = sql_metric_check,
    .validate = sql_metric_validate,
    .metrics = sql_metric_metrics,
};

NBAQ_PLUGIN(descriptor)
