/*
 * alertmanager - the run's alerts POSTed to a Prometheus Alertmanager's
 * v2 API (POST <url>/api/v2/alerts), so that its grouping, silences,
 * inhibition and routing work across many nbaq hosts.
 *
 * Alertmanager forgets an alert at its endsAt unless it is posted again,
 * so every run posts every open alert of the channel's run (the host
 * leaves out the alerts never routed here): the ones to notify, and the
 * firing, flapping and silenced ones that are kept alive, with endsAt =
 * the run's time + resolve_timeout. Resolved ones get their real end.
 *
 * Alertmanager knows an alert by its label set, severity included: an
 * alert whose severity changed (escalated, or lowered by a milder status)
 * is another alert there. Before posting, the monitor's alerts still
 * active in Alertmanager are read back, and those of a posted fingerprint
 * under another severity are resolved in the same post.
 */
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
#include "nbaq.h"
#include "status.h"
#include "reportfmt.h"
#include "textbuf.h"

/* Labels the plugin sets itself; `labels` may not override them. */
static const char *const own_labels[] = {
    "alertname", "monitor", "check", "metric", "severity", "fingerprint", NULL};

static const nbaq_option_spec alertmanager_options[] = {
    {.name = "url",
     .type = NBAQ_OPT_URL,
     .required = 1,
     .description = "Alertmanager base URL (http://alertmanager:9093); "
                    "alerts go to <url>/api/v2/alerts",
     .secret = 1},
    {.name = "resolve_timeout",
     .type = NBAQ_OPT_DURATION,
     .default_value = "6h",
     .description = "endsAt of open alerts is the run's time + this: "
                    "longer than the time between two runs (every run "
                    "posts every open alert again)",
     .min = 60000,
     .max = 31536000000.0},
    {.name = "generator_url",
     .type = NBAQ_OPT_STRING,
     .description = "link back to nbaq (a dashboard, a report) on every "
                    "alert; omitted when unset"},
    {.name = "labels",
     .type = NBAQ_OPT_STRING_MAP,
     .description = "extra labels on every alert (team, environment)"},
    {.name = "headers",
     .type = NBAQ_OPT_HTTP_HEADERS,
     .description = "extra request headers (Authorization for a proxy); "
                    "never logged",
     .secret = 1},
    CHANNEL_HTTP_OPTIONS,
    NBAQ_OPTION_END};

/* Prometheus label names: [a-zA-Z_][a-zA-Z0-9_]*, and not one of ours. */
static int label_name_is_valid(const char *name)
{
    if (name == NULL || name[0] == '\0' || (name[0] >= '0' && name[0] <= '9'))
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    for (size_t i = 0; own_labels[i] != NULL; i++)
        if (strcmp(name, own_labels[i]) == 0)
            return 0;
    return 1;
}

/* validate(), and the report's own first step (a host older than ABI
 * 1.2 never calls validate()). */
static int options_check(const nbaq_host_api *api, const nbaq_options *o,
                         char *err, size_t err_size)
{
    static const char *const own[] = {"Content-Type", "Accept", NULL};
    const char *generator = api->opt_string(o, "generator_url");
    if (generator != NULL && strncmp(generator, "http://", 7) != 0 &&
        strncmp(generator, "https://", 8) != 0) {
        snprintf(err, err_size,
                 "%s: generator_url '%.200s' is not an http(s) URL",
                 api->opt_location(o, "generator_url"), generator);
        return -1;
    }
    if (channel_headers_check_reserved(api, o, "headers", own, err, err_size) !=
        0)
        return -1;
    size_t n = api->opt_count(o, "labels");
    for (size_t i = 0; i < n; i++) {
        const char *name = api->opt_map_key(o, "labels", i);
        if (!label_name_is_valid(name)) {
            snprintf(err, err_size,
                     "%s: label '%s' is not a Prometheus label name or is "
                     "one nbaq sets itself",
                     api->opt_location(o, "labels"), name ? name : "");
            return -1;
        }
    }
    return 0;
}

/* The largest list of active alerts read back (about 20000 alerts). */
#define ALERTMANAGER_LIST_MAX (16 * 1024 * 1024)

/* Code points of a name kept in the title annotation. */
#define ALERTMANAGER_NAME_CHARS 200

typedef struct post_context {
    const nbaq_host_api *api;
    nbaq_ctx *ctx;
    const nbaq_options *options;
    const nbaq_run *run;
    int64_t now_ms; /* the run's clock: endsAt of open alerts counts from it */
} post_context;

static cJSON *labels_json(const post_context *pc, const nbaq_alert *a,
                          nbaq_severity severity)
{
    int has_metric = a->metric != NULL && a->metric[0] != '\0';
    char alertname[512];
    snprintf(alertname, sizeof(alertname), "%s%s%s", a->check,
             has_metric ? "/" : "", has_metric ? a->metric : "");
    cJSON *labels = cJSON_CreateObject();
    if (labels == NULL)
        return NULL;
    size_t n = pc->api->opt_count(pc->options, "labels");
    for (size_t i = 0; i < n; i++)
        channel_json_add_string(
            labels, pc->api->opt_map_key(pc->options, "labels", i),
            pc->api->opt_map_value(pc->options, "labels", i));
    channel_json_add_string(labels, "alertname", alertname);
    channel_json_add_string(labels, "monitor", pc->run->monitor);
    channel_json_add_string(labels, "check", a->check);
    if (has_metric)
        channel_json_add_string(labels, "metric", a->metric);
    cJSON_AddStringToObject(labels, "severity", severity_label(severity));
    channel_json_add_string(labels, "fingerprint", a->fingerprint);
    return labels;
}

static cJSON *annotations_json(const post_context *pc, const nbaq_alert *a)
{
    char since[REPORTFMT_TIME_SIZE];
    int has_metric = a->metric != NULL && a->metric[0] != '\0';
    reportfmt_iso8601_utc(a->started_ms, since, sizeof(since));
    textbuf description;
    textbuf_init(&description);
    textbuf_printf(&description,
                   "%s on monitor %s, check %s%s%s: %s (since %s, failing "
                   "%lu %s; nbaq run %s)",
                   alert_state_label(a->state), pc->run->monitor, a->check,
                   has_metric ? ", metric " : "", has_metric ? a->metric : "",
                   a->summary, since, (unsigned long)a->failing_runs,
                   a->failing_runs == 1 ? "run" : "runs", pc->run->run_id);
    cJSON *annotations = NULL;
    if (!textbuf_failed(&description))
        annotations = cJSON_CreateObject();
    if (annotations == NULL) {
        textbuf_free(&description);
        return NULL;
    }
    channel_json_add_string(annotations, "summary", a->summary);
    channel_json_add_string(annotations, "description", description.data);
    textbuf_free(&description);
    textbuf title;
    textbuf_init(&title);
    channel_alert_title_append(&title, a, pc->run->monitor,
                               ALERTMANAGER_NAME_CHARS, NULL);
    if (!textbuf_failed(&title))
        channel_json_add_string(annotations, "title", title.data);
    textbuf_free(&title);
    cJSON_AddStringToObject(annotations, "nbaq_state",
                            alert_state_label(a->state));
    if (a->state == NBAQ_ALERT_SILENCED && a->silenced_until_ms > 0)
        channel_json_add_time(annotations, "nbaq_silenced_until",
                              a->silenced_until_ms);
    channel_json_add_string(annotations, "nbaq_run_id", pc->run->run_id);
    return annotations;
}

/* One element of the posted array. ends_ms: endsAt. */
static cJSON *alert_json(const post_context *pc, const nbaq_alert *a,
                         nbaq_severity severity, int64_t ends_ms)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    if (!cJSON_AddItemToObject(o, "labels", labels_json(pc, a, severity)) ||
        !cJSON_AddItemToObject(o, "annotations", annotations_json(pc, a))) {
        cJSON_Delete(o);
        return NULL;
    }
    channel_json_add_time(o, "startsAt", a->started_ms);
    /* Alertmanager refuses an end before the start. */
    channel_json_add_time(o, "endsAt",
                          ends_ms > a->started_ms ? ends_ms : a->started_ms);
    const char *generator = pc->api->opt_string(pc->options, "generator_url");
    if (generator != NULL && generator[0] != '\0')
        channel_json_add_string(o, "generatorURL", generator);
    return o;
}

/* Adds a to list: open ones end resolve_timeout after the run, resolved
 * ones when they ended. Returns 0, or -1 when memory runs out. */
static int add_alert(cJSON *list, const post_context *pc, const nbaq_alert *a)
{
    int64_t resolve_timeout = pc->api->opt_int(pc->options, "resolve_timeout");
    int64_t ends = a->state == NBAQ_ALERT_RESOLVED
                       ? a->ended_ms
                       : pc->now_ms + resolve_timeout;
    return cJSON_AddItemToArray(list, alert_json(pc, a, a->severity, ends))
               ? 0
               : -1;
}

static const nbaq_alert *posted_alert(const alertset *set,
                                      const char *fingerprint)
{
    for (size_t i = 0; fingerprint != NULL && i < set->count; i++)
        if (strcmp(set->alerts[i]->fingerprint, fingerprint) == 0)
            return set->alerts[i];
    return NULL;
}

/* For each alert Alertmanager lists (its JSON answer) that has the
 * fingerprint of a posted alert under another severity: the same labels,
 * ended now. No startsAt: Alertmanager keeps the one it has, and a run's
 * time before it (NBAQ_NOW) cannot make the end precede the start. */
static int add_stale(cJSON *list, const post_context *pc, const alertset *set,
                     const cJSON *listed)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, listed)
    {
        const cJSON *labels = cJSON_GetObjectItemCaseSensitive(item, "labels");
        const char *fingerprint = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(labels, "fingerprint"));
        const char *severity = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(labels, "severity"));
        const nbaq_alert *a = posted_alert(set, fingerprint);
        if (a == NULL || severity == NULL ||
            strcmp(severity, severity_label(a->severity)) == 0)
            continue;
        cJSON *stale = cJSON_CreateObject();
        if (stale == NULL || !cJSON_AddItemToArray(list, stale) ||
            !cJSON_AddItemToObject(stale, "labels", cJSON_Duplicate(labels, 1)))
            return -1;
        channel_json_add_time(stale, "endsAt", pc->now_ms);
    }
    return 0;
}

static cJSON *listed_alerts(const post_context *pc);

/* Every alert of set, then the label sets of earlier severities still
 * active in Alertmanager, ended now. */
static char *payload_build(const nbaq_host_api *api, nbaq_ctx *ctx,
                           const nbaq_run *run, const alertset *set,
                           int64_t now_ms)
{
    post_context pc = {api, ctx, api->options(ctx), run,
                       run->finished_ms > 0 ? run->finished_ms : now_ms};
    cJSON *list = cJSON_CreateArray();
    if (list == NULL)
        return NULL;
    int ok = 1;
    for (size_t i = 0; ok && i < set->count; i++)
        ok = add_alert(list, &pc, set->alerts[i]) == 0;
    cJSON *listed = ok ? listed_alerts(&pc) : NULL;
    if (listed != NULL)
        ok = add_stale(list, &pc, set, listed) == 0;
    cJSON_Delete(listed);
    char *text = ok ? cJSON_PrintUnformatted(list) : NULL;
    cJSON_Delete(list);
    return text;
}

/* <url>/api/v2/alerts, malloc'd; NULL when memory runs out. */
static char *endpoint_build(const char *base)
{
    static const char path[] = "/api/v2/alerts";
    size_t len = strlen(base);
    while (len > 0 && base[len - 1] == '/')
        len--;
    char *url = malloc(len + sizeof(path));
    if (url != NULL) {
        memcpy(url, base, len);
        memcpy(url + len, path, sizeof(path));
    }
    return url;
}

/* Appends text to b percent-encoded for a query value. */
static void query_append(textbuf *b, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
            textbuf_putc(b, (char)*p);
        else
            textbuf_printf(b, "%%%02X", *p);
    }
}

/* <url>/api/v2/alerts?filter=monitor="<monitor>", malloc'd in b. */
static void listing_url(textbuf *b, const char *base, const char *monitor)
{
    char *endpoint = endpoint_build(base);
    if (endpoint == NULL) {
        textbuf_fail(b);
        return;
    }
    textbuf matcher;
    textbuf_init(&matcher);
    textbuf_puts(&matcher, "monitor=\"");
    for (const char *p = monitor; *p; p++) {
        if (*p == '"' || *p == '\\')
            textbuf_putc(&matcher, '\\');
        textbuf_putc(&matcher, *p);
    }
    textbuf_putc(&matcher, '"');
    textbuf_printf(b, "%s?filter=", endpoint);
    if (textbuf_failed(&matcher))
        textbuf_fail(b);
    else
        query_append(b, matcher.data);
    textbuf_free(&matcher);
    free(endpoint);
}

/* The monitor's alerts Alertmanager lists as active (a JSON array), or
 * NULL when it cannot tell: then the post goes on without resolving
 * label sets of earlier severities, and a warning says why. */
static cJSON *listed_alerts(const post_context *pc)
{
    const nbaq_host_api *api = pc->api;
    char err[NBAQ_ERR_SIZE] = "";
    const char *const own[] = {"Accept: application/json", NULL};
    char **headers = channel_headers_build(api, pc->options, "headers", own,
                                           err, sizeof(err));
    textbuf url;
    textbuf_init(&url);
    listing_url(&url, api->opt_string(pc->options, "url"), pc->run->monitor);
    cJSON *listed = NULL;
    nbaq_http_response resp = {0};
    if (headers != NULL && !textbuf_failed(&url)) {
        nbaq_http_request req = {
            .method = "GET",
            .url = url.data,
            .headers = (const char *const *)headers,
            .timeout_ms = api->opt_int(pc->options, "timeout"),
            .max_retries = (unsigned)api->opt_int(pc->options, "retries"),
            .max_capture = ALERTMANAGER_LIST_MAX,
        };
        if (nbaq_http_perform(&req, &resp, err, sizeof(err)) == 0 &&
            resp.status == 200 && resp.body != NULL)
            listed = cJSON_Parse(resp.body);
        else if (err[0] == '\0')
            snprintf(err, sizeof(err), "HTTP %ld", resp.status);
        nbaq_http_response_free(&resp);
    }
    if (listed != NULL && !cJSON_IsArray(listed)) {
        cJSON_Delete(listed);
        listed = NULL;
    }
    if (listed == NULL)
        api->log(pc->ctx, NBAQ_LOG_WARN,
                 "alertmanager: cannot list its active alerts (%s): alerts "
                 "whose severity changed keep their earlier severity there "
                 "until it ends",
                 err[0] ? err : "not a JSON list");
    free(headers);
    textbuf_free(&url);
    return listed;
}

static int alertmanager_send(const nbaq_host_api *api, nbaq_ctx *ctx,
                             const char *body, size_t alerts, int64_t now_ms,
                             char *err, size_t err_size)
{
    (void)now_ms;
    const nbaq_options *o = api->options(ctx);
    const char *const own[] = {"Content-Type: application/json", NULL};
    char **headers =
        channel_headers_build(api, o, "headers", own, err, err_size);
    if (headers == NULL)
        return -1;
    char *url = endpoint_build(api->opt_string(o, "url"));
    int rc = -1;
    if (url == NULL) {
        snprintf(err, err_size, "out of memory building the request");
    } else {
        /* Alertmanager explains a 400 in its reply. */
        rc = channel_post_body(api, ctx, "alertmanager", url,
                               (const char *const *)headers, body, 1, err,
                               err_size);
    }
    free(url);
    free(headers);
    if (rc == 0)
        api->log(ctx, NBAQ_LOG_INFO, "alertmanager: posted %zu alerts", alerts);
    return rc;
}

static const channel_poster alertmanager_poster = {.payload = "alerts",
                                                   .build = payload_build,
                                                   .send = alertmanager_send,
                                                   .keep_open = 1};

static int alertmanager_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                               const nbaq_run *run, char *err, size_t err_size)
{
    if (options_check(api, api->options(ctx), err, err_size) != 0)
        return -1;
    return channel_post_report(api, ctx, run, &alertmanager_poster, err,
                               err_size);
}

static const nbaq_plugin_descriptor alertmanager_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "alertmanager",
    .version = "1.0.0",
    .description = "post the run's alerts to a Prometheus Alertmanager "
                   "(API v2)",
    .options = alertmanager_options,
    .report = alertmanager_report,
    .validate = options_check,
};

NBAQ_PLUGIN(alertmanager_descriptor)
