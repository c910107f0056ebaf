/*
 * webhook - the run's alerts as one documented JSON payload POSTed to any
 * URL, with custom headers and an optional HMAC-SHA256 signature.
 *
 * The payload (version 1) is described in docs/alerts-channels.md.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "alertset.h"
#include "channel_headers.h"
#include "channel_json.h"
#include "channel_post.h"
#include "channel_report.h"
#include "channel_title.h"
#include "hmac_sha256.h"
#include "nbaq.h"
#include "status.h"
#include "textbuf.h"

#define WEBHOOK_PAYLOAD_VERSION 1
/* Code points of the monitor name kept in the title. */
#define WEBHOOK_NAME_CHARS 200

static const nbaq_option_spec webhook_options[] = {
    {.name = "url",
     .type = NBAQ_OPT_URL,
     .required = 1,
     .description = "http(s) URL the JSON payload is POSTed to",
     .secret = 1},
    {.name = "headers",
     .type = NBAQ_OPT_HTTP_HEADERS,
     .description = "extra request headers (Authorization...); never logged",
     .secret = 1},
    {.name = "hmac_secret",
     .type = NBAQ_OPT_STRING,
     .description = "key of the X-Nbaq-Signature HMAC-SHA256 body signature",
     .secret = 1},
    CHANNEL_HTTP_OPTIONS,
    NBAQ_OPTION_END};

static cJSON *alert_json(const nbaq_alert *a)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    channel_json_add_string(o, "fingerprint", a->fingerprint);
    channel_json_add_string(o, "check", a->check);
    if (a->metric != NULL && a->metric[0] != '\0')
        channel_json_add_string(o, "metric", a->metric);
    else
        cJSON_AddNullToObject(o, "metric");
    channel_json_add_string(o, "summary", a->summary);
    cJSON_AddStringToObject(o, "severity", severity_label(a->severity));
    cJSON_AddStringToObject(o, "state", alert_state_label(a->state));
    cJSON_AddNumberToObject(o, "failing_runs", (double)a->failing_runs);
    channel_json_add_time(o, "started_at", a->started_ms);
    if (a->state == NBAQ_ALERT_RESOLVED) {
        channel_json_add_time(o, "ended_at", a->ended_ms);
        int64_t lasted = a->ended_ms - a->started_ms;
        cJSON_AddNumberToObject(o, "duration_seconds",
                                (double)(lasted > 0 ? lasted / 1000 : 0));
    }
    return o;
}

static cJSON *counts_json(const alertset *set)
{
    cJSON *counts = cJSON_CreateObject();
    if (counts == NULL)
        return NULL;
    cJSON_AddNumberToObject(counts, "total", (double)set->count);
    cJSON_AddNumberToObject(counts, "firing",
                            (double)(set->count - set->resolved));
    cJSON_AddNumberToObject(counts, "resolved", (double)set->resolved);
    for (int s = NBAQ_SEVERITY_COUNT - 1; s >= 0; s--)
        cJSON_AddNumberToObject(counts, severity_label((nbaq_severity)s),
                                (double)set->by_severity[s]);
    return counts;
}

static cJSON *groups_json(const alertset *set)
{
    cJSON *groups = cJSON_CreateArray();
    for (int s = NBAQ_SEVERITY_COUNT - 1; groups != NULL && s >= 0; s--) {
        size_t n;
        const nbaq_alert *const *alerts =
            alertset_group(set, (nbaq_severity)s, &n);
        if (n == 0)
            continue;
        cJSON *group = cJSON_CreateObject();
        cJSON *list = cJSON_CreateArray();
        cJSON_AddItemToArray(groups, group);
        cJSON_AddStringToObject(group, "severity",
                                severity_label((nbaq_severity)s));
        cJSON_AddItemToObject(group, "alerts", list);
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(list, alert_json(alerts[i]));
    }
    return groups;
}

/* The payload as compact JSON (malloc'd; the caller frees), or NULL when
 * memory runs out. */
static char *payload_build(const nbaq_host_api *api, nbaq_ctx *ctx,
                           const nbaq_run *run, const alertset *set,
                           int64_t now_ms)
{
    (void)api;
    (void)ctx;
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    cJSON_AddNumberToObject(root, "version", WEBHOOK_PAYLOAD_VERSION);
    channel_json_add_string(root, "monitor", run->monitor);
    channel_json_add_string(root, "run_id", run->run_id);
    channel_json_add_time(root, "generated_at", now_ms);
    textbuf title;
    textbuf_init(&title);
    channel_title_append(&title, set, run->monitor, WEBHOOK_NAME_CHARS, NULL);
    int ok = !textbuf_failed(&title) &&
             channel_json_add_string(root, "title", title.data) != NULL;
    textbuf_free(&title);
    char *text = NULL;
    if (ok && cJSON_AddItemToObject(root, "counts", counts_json(set)) &&
        cJSON_AddItemToObject(root, "groups", groups_json(set)))
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}

static int webhook_send(const nbaq_host_api *api, nbaq_ctx *ctx,
                        const char *body, size_t alerts, int64_t now_ms,
                        char *err, size_t err_size)
{
    (void)alerts;
    const nbaq_options *o = api->options(ctx);
    char signature[HMAC_SHA256_HEX_SIZE] = "";
    const char *key = api->opt_string(o, "hmac_secret");
    if (key != NULL && hmac_sha256_hex(key, strlen(key), body, strlen(body),
                                       signature, err, err_size) != 0)
        return -1;
    char timestamp[64], signature_header[100];
    snprintf(timestamp, sizeof(timestamp), "X-Nbaq-Timestamp: %" PRId64,
             now_ms / 1000);
    snprintf(signature_header, sizeof(signature_header),
             "X-Nbaq-Signature: sha256=%s", signature);
    const char *own[] = {"Content-Type: application/json",
                         "User-Agent: nbaq-webhook/1", timestamp,
                         key != NULL ? signature_header : NULL, NULL};
    char **headers =
        channel_headers_build(api, o, "headers", own, err, err_size);
    if (headers == NULL)
        return -1;
    int rc =
        channel_post_body(api, ctx, "webhook", api->opt_string(o, "url"),
                          (const char *const *)headers, body, 0, err, err_size);
    free(headers);
    if (rc == 0)
        api->log(ctx, NBAQ_LOG_INFO, "webhook: delivered %zu bytes",
                 strlen(body));
    return rc;
}

static const channel_poster webhook_poster = {
    .payload = "webhook payload", .build = payload_build, .send = webhook_send};

static int webhook_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                          const nbaq_run *run, char *err, size_t err_size)
{
    return channel_post_report(api, ctx, run, &webhook_poster, err, err_size);
}

/* validate(): the headers nbaq sets itself are not set again, and a
 * signature key signs something. */
static int webhook_validate(const nbaq_host_api *api, const nbaq_options *o,
                            char *err, size_t err_size)
{
    static const char *const own[] = {"Content-Type", "User-Agent",
                                      "X-Nbaq-Timestamp", "X-Nbaq-Signature",
                                      NULL};
    const char *key = api->opt_string(o, "hmac_secret");
    if (key != NULL && key[0] == '\0') {
        snprintf(err, err_size,
                 "%s: hmac_secret is empty (leave it out to "
                 "send unsigned requests)",
                 api->opt_location(o, "hmac_secret"));
        return -1;
    }
    return channel_headers_check_reserved(api, o, "headers", own, err,
                                          err_size);
}

static const nbaq_plugin_descriptor webhook_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "webhook",
    .version = "1.0.0",
    .description = "POST the run's alerts as JSON to a URL, optionally "
                   "signed with HMAC-SHA256",
    .options = webhook_options,
    .report = webhook_report,
    .validate = webhook_validate,
};

NBAQ_PLUGIN(webhook_descriptor)
