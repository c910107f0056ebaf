#include "cw_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "awscreds.h"
#include "cw_units.h"

static const char *const format_choices[] = {"api", "emf", NULL};

const nbaq_option_spec cw_option_specs[] = {
    {.name = "format",
     .type = NBAQ_OPT_ENUM,
     .default_value = "api",
     .choices = format_choices,
     .description = "api: PutMetricData requests; emf: Embedded Metric "
                    "Format lines through output/output_dir"},
    {.name = "namespace",
     .type = NBAQ_OPT_STRING,
     .default_value = "nbaq",
     .description = "CloudWatch namespace of every metric"},
    {.name = "dimensions",
     .type = NBAQ_OPT_STRING_MAP,
     .description = "extra dimensions (name: value) on every metric, "
                    "after Monitor and Check; at most 28"},
    {.name = "units",
     .type = NBAQ_OPT_STRING_MAP,
     .description = "nbaq unit: CloudWatch unit, before the built-in "
                    "mapping (rows: Count)"},
    {.name = "status_metric",
     .type = NBAQ_OPT_STRING,
     .default_value = "CheckStatus",
     .description = "name of the per-check status metric (PASS 0, "
                    "WARNING 1, FAIL 2, ERROR 3, UNKNOWN 4)"},
    {.name = "high_resolution",
     .type = NBAQ_OPT_BOOL,
     .default_value = "false",
     .description = "StorageResolution 1 (one-second) instead of 60"},
    {.name = "region",
     .type = NBAQ_OPT_STRING,
     .description = "api: AWS region; default AWS_REGION, then "
                    "AWS_DEFAULT_REGION"},
    {.name = "endpoint",
     .type = NBAQ_OPT_URL,
     .description = "api: http(s) URL instead of "
                    "https://monitoring.<region>.amazonaws.com/"},
    {.name = "access_key_id",
     .type = NBAQ_OPT_STRING,
     .description = "api: AWS access key id; default AWS_ACCESS_KEY_ID, "
                    "then the profile"},
    {.name = "secret_access_key",
     .type = NBAQ_OPT_STRING,
     .secret = 1,
     .description = "api: AWS secret access key, with access_key_id"},
    {.name = "session_token",
     .type = NBAQ_OPT_STRING,
     .secret = 1,
     .description = "api: AWS session token (temporary credentials)"},
    {.name = "profile",
     .type = NBAQ_OPT_STRING,
     .description = "api: profile of the shared credentials file; "
                    "default AWS_PROFILE, then default"},
    {.name = "credentials_file",
     .type = NBAQ_OPT_STRING,
     .description = "api: default AWS_SHARED_CREDENTIALS_FILE, then "
                    "~/.aws/credentials"},
    {.name = "timeout",
     .type = NBAQ_OPT_DURATION,
     .default_value = "10s",
     .min = 100,
     .max = 600000,
     .description = "api: time allowed for one request attempt"},
    {.name = "retries",
     .type = NBAQ_OPT_INT,
     .default_value = "3",
     .min = 0,
     .max = 10,
     .description = "api: attempts after the first, per request, on "
                    "throttling, 5xx and timeouts"},
    {.name = "retry_delay",
     .type = NBAQ_OPT_DURATION,
     .default_value = "250ms",
     .min = 10,
     .max = 60000,
     .description = "api: first backoff, doubled at each retry (at most "
                    "10s)"},
    {.name = "batch_size",
     .type = NBAQ_OPT_INT,
     .default_value = "1000",
     .min = 1,
     .max = CW_MAX_DATA_PER_REQUEST,
     .description = "api: metric data per request (the API takes 1000)"},
    NBAQ_OPTION_END};

static int fail(const cw_config *cfg, const char *option, char *err,
                size_t err_size, const char *problem)
{
    const char *where = cfg->api->opt_location(cfg->options, option);
    snprintf(err, err_size, "%s%s%s: %s", where ? where : "",
             where && where[0] ? ": " : "", option, problem);
    return -1;
}

static int given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static int read_names(cw_config *cfg, char *err, size_t err_size)
{
    const nbaq_host_api *api = cfg->api;
    const char *problem;

    cfg->namespace_name = api->opt_string(cfg->options, "namespace");
    problem = cw_text_problem(cfg->namespace_name, CW_TEXT_NAME);
    if (problem == NULL && strncmp(cfg->namespace_name, "AWS/", 4) == 0)
        problem = "may not start with AWS/ (reserved for AWS services)";
    if (problem != NULL)
        return fail(cfg, "namespace", err, err_size, problem);
    cfg->status_metric = api->opt_string(cfg->options, "status_metric");
    problem = cw_text_problem(cfg->status_metric, CW_TEXT_NAME);
    if (problem != NULL)
        return fail(cfg, "status_metric", err, err_size, problem);
    return 0;
}

static int read_dimensions(cw_config *cfg, char *err, size_t err_size)
{
    const nbaq_host_api *api = cfg->api;
    size_t n = api->opt_count(cfg->options, "dimensions");
    char why[400];

    cfg->dimensions[0] = (cw_dimension){"Monitor", cfg->monitor};
    cfg->dimensions[1] = (cw_dimension){"Check", NULL};
    cfg->dimension_count = CW_FIXED_DIMENSIONS;
    if (n > CW_MAX_EXTRA_DIMENSIONS) {
        snprintf(why, sizeof why,
                 "%zu given; CloudWatch takes 30 per metric, Monitor and "
                 "Check included, so at most 28",
                 n);
        return fail(cfg, "dimensions", err, err_size, why);
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = api->opt_map_key(cfg->options, "dimensions", i);
        const char *value = api->opt_map_value(cfg->options, "dimensions", i);
        const char *problem = cw_text_problem(name, CW_TEXT_NAME);
        const char *what = "name";
        if (problem == NULL) {
            what = "value";
            problem = cw_text_problem(value, CW_TEXT_VALUE);
        }
        if (problem == NULL && strcmp(name, "_aws") == 0)
            problem = "is reserved by the Embedded Metric Format";
        for (size_t k = 0; problem == NULL && k < cfg->dimension_count; k++)
            if (strcmp(cfg->dimensions[k].name, name) == 0) {
                what = "name";
                problem = "is already a dimension";
            }
        if (problem != NULL) {
            snprintf(why, sizeof why, "dimension '%.100s': %s %s",
                     name ? name : "", what, problem);
            return fail(cfg, "dimensions", err, err_size, why);
        }
        /* The host keeps option names for the whole callback (nbaq.h). */
        cfg->dimensions[cfg->dimension_count++] = (cw_dimension){name, value};
    }
    return 0;
}

static int read_units(cw_config *cfg, char *err, size_t err_size)
{
    const nbaq_host_api *api = cfg->api;
    size_t n = api->opt_count(cfg->options, "units");
    char why[400];

    for (size_t i = 0; i < n; i++) {
        const char *value = api->opt_map_value(cfg->options, "units", i);
        if (cw_unit_canonical(value) == NULL) {
            snprintf(why, sizeof why,
                     "'%.60s' is not a CloudWatch unit (Seconds, "
                     "Milliseconds, Bytes, Percent, Count, Count/Second, "
                     "None...; see README.md)",
                     value ? value : "");
            return fail(cfg, "units", err, err_size, why);
        }
    }
    return 0;
}

const char *cw_config_unit(const cw_config *cfg, const char *nbaq_unit)
{
    const nbaq_host_api *api = cfg->api;
    size_t n = api->opt_count(cfg->options, "units");
    const char *unit = nbaq_unit != NULL ? nbaq_unit : "";

    for (size_t i = 0; i < n; i++)
        if (strcmp(api->opt_map_key(cfg->options, "units", i), unit) == 0)
            return cw_unit_canonical(
                api->opt_map_value(cfg->options, "units", i));
    return cw_unit_for(unit);
}

/* EMF puts dimensions and metrics side by side in one JSON object, beside
 * "_aws"; keeping the names apart in both formats keeps them alike.      */
static int status_metric_clashes(const cw_config *cfg)
{
    if (strcmp(cfg->status_metric, "_aws") == 0)
        return 1;
    for (size_t i = 0; i < cfg->dimension_count; i++)
        if (strcmp(cfg->dimensions[i].name, cfg->status_metric) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* format: api                                                              */

static int read_region(cw_config *cfg, char *err, size_t err_size)
{
    const char *from_env = NULL;
    const char *region = nbaq_aws_region(
        cfg->api->opt_string(cfg->options, "region"), &from_env);

    if (region == NULL) {
        snprintf(err, err_size,
                 "no AWS region: set the option region, "
                 "AWS_REGION or AWS_DEFAULT_REGION");
        return -1;
    }
    size_t len = strlen(region);
    int ok = len < sizeof cfg->region &&
             strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") == len;
    if (!ok) {
        const char *why = "is not a region name (like eu-west-1)";
        if (from_env == NULL)
            return fail(cfg, "region", err, err_size, why);
        snprintf(err, err_size, "%s %s", from_env, why);
        return -1;
    }
    memcpy(cfg->region, region, len + 1);
    return 0;
}

static int has_part(CURLU *u, CURLUPart part)
{
    char *text = NULL;
    int present = curl_url_get(u, part, &text, 0) == CURLUE_OK &&
                  text != NULL && text[0] != '\0';
    curl_free(text);
    return present;
}

/* Fills url and target from a parsed endpoint; NULL, or what is wrong. */
static const char *describe_endpoint(CURLU *u, cw_config *cfg)
{
    char *scheme = NULL, *host = NULL, *port = NULL, *url = NULL;
    const char *problem = NULL;

    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0))
        problem = "must be an http:// or https:// URL";
    else if (has_part(u, CURLUPART_USER) || has_part(u, CURLUPART_PASSWORD))
        problem = "may not hold a user name or password";
    else if (has_part(u, CURLUPART_QUERY) || has_part(u, CURLUPART_FRAGMENT))
        problem = "may not hold a query or fragment";
    else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
             curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK)
        problem = "is not a URL with a host";
    else if (strlen(url) >= sizeof cfg->url)
        problem = "is too long";
    if (problem == NULL) {
        curl_url_get(u, CURLUPART_PORT, &port, 0);
        snprintf(cfg->url, sizeof cfg->url, "%s", url);
        snprintf(cfg->target, sizeof cfg->target, "%s://%s%s%s", scheme, host,
                 port ? ":" : "", port ? port : "");
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(url);
    return problem;
}

static int read_endpoint(cw_config *cfg, char *err, size_t err_size)
{
    const char *endpoint = cfg->api->opt_string(cfg->options, "endpoint");
    char standard[200];
    CURLU *u = curl_url();
    const char *problem = NULL;

    if (u == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    if (!given(endpoint)) {
        int china = strncmp(cfg->region, "cn-", 3) == 0;
        snprintf(standard, sizeof standard,
                 "https://monitoring.%s.amazonaws.com%s/", cfg->region,
                 china ? ".cn" : "");
        endpoint = standard;
    }
    if (curl_url_set(u, CURLUPART_URL, endpoint, 0) != CURLUE_OK)
        problem = "is not a valid URL";
    else
        problem = describe_endpoint(u, cfg);
    curl_url_cleanup(u);
    if (problem != NULL)
        return fail(cfg, "endpoint", err, err_size, problem);
    return 0;
}

/* The host gives output/output_dir to every reporter of this plugin
 * (the descriptor flag is static); they mean something only for emf.     */
static int refuse_output_options(cw_config *cfg, char *err, size_t err_size)
{
    const char *output = cfg->api->opt_string(cfg->options, "output");
    const char *dir = cfg->api->opt_string(cfg->options, "output_dir");
    const char *why = "applies only to format: emf (format: api sends "
                      "PutMetricData requests and writes nothing)";

    if (given(dir))
        return fail(cfg, "output_dir", err, err_size, why);
    if (given(output) && strcmp(output, "-") != 0)
        return fail(cfg, "output", err, err_size, why);
    return 0;
}

static int read_api(cw_config *cfg, char *err, size_t err_size)
{
    const nbaq_host_api *api = cfg->api;

    if (refuse_output_options(cfg, err, err_size) != 0 ||
        read_region(cfg, err, err_size) != 0 ||
        read_endpoint(cfg, err, err_size) != 0)
        return -1;
    cfg->timeout_ms = api->opt_int(cfg->options, "timeout");
    cfg->retries = (unsigned)api->opt_int(cfg->options, "retries");
    cfg->retry_delay_ms = api->opt_int(cfg->options, "retry_delay");
    cfg->batch_size = (size_t)api->opt_int(cfg->options, "batch_size");
    if (cfg->batch_size < 1 || cfg->batch_size > CW_MAX_DATA_PER_REQUEST)
        cfg->batch_size = CW_MAX_DATA_PER_REQUEST;
    return 0;
}

int cw_config_read(const nbaq_host_api *api, nbaq_ctx *ctx, const nbaq_run *run,
                   cw_config *cfg, char *err, size_t err_size)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->api = api;
    cfg->ctx = ctx;
    cfg->options = api->options(ctx);
    const char *format = api->opt_string(cfg->options, "format");
    cfg->emf = format != NULL && strcmp(format, "emf") == 0;
    cfg->high_resolution = api->opt_bool(cfg->options, "high_resolution");
    cfg->timestamp_ms = run->started_ms;
    cw_sanitize(run->monitor, CW_TEXT_VALUE, cfg->monitor);
    if (read_names(cfg, err, err_size) != 0 ||
        read_dimensions(cfg, err, err_size) != 0 ||
        read_units(cfg, err, err_size) != 0)
        return -1;
    if (status_metric_clashes(cfg))
        return fail(cfg, "status_metric", err, err_size,
                    "is also a dimension name or _aws");
    return cfg->emf ? 0 : read_api(cfg, err, err_size);
}
