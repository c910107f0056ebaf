#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "dashboard_pick.h"
#include "render.h"
#include "status.h"

static void add_ms_or_null(cJSON *o, const char *key, int64_t ms)
{
    if (ms > 0)
        cJSON_AddNumberToObject(o, key, (double)ms);
    else
        cJSON_AddNullToObject(o, key);
}

static void copy_field(cJSON *to, const char *key, const cJSON *from,
                       const char *from_key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, from_key);
    if (v)
        cJSON_AddItemToObject(to, key, cJSON_Duplicate(v, 0));
    else
        cJSON_AddNullToObject(to, key);
}

static void add_bound(cJSON *o, const char *key, rule_bound bound)
{
    if (bound.set)
        cJSON_AddNumberToObject(o, key, bound.value);
}

/* A result's metric with what the dashboard draws from the config: why
 * it is charted ("chart"), its thresholds, whether a history rule
 * applies. */
static cJSON *metric_object(const cJSON *m, const config *cfg,
                            const check_config *cc)
{
    cJSON *o = cJSON_Duplicate(m, 1);
    if (!o)
        return NULL;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
    const metric_rule *rule;
    dashboard_pick pick = dashboard_pick_metric(
        cfg, cc, cJSON_IsString(name) ? name->valuestring : "", &rule);
    const char *why = dashboard_pick_name(pick);
    if (why)
        cJSON_AddStringToObject(o, "chart", why);
    else
        cJSON_AddNullToObject(o, "chart");
    if (dashboard_rule_applies(rule)) {
        cJSON *t = cJSON_AddObjectToObject(o, "thresholds");
        add_bound(t, "warn_above", rule->warn_above);
        add_bound(t, "fail_above", rule->fail_above);
        add_bound(t, "warn_below", rule->warn_below);
        add_bound(t, "fail_below", rule->fail_below);
        cJSON_AddBoolToObject(o, "history_rule",
                              rule->anomaly.enabled || rule->change.enabled);
    }
    return o;
}

/* Which metrics of a result /api/status lists: at most max, those that
 * are not PASS first, then charted ones, then the rest; listed in the
 * check's own order. Returns how many the result holds. */
static size_t pick_listed(const cJSON *metrics, const config *cfg,
                          const check_config *cc, unsigned max,
                          unsigned char *listed)
{
    size_t n = (size_t)cJSON_GetArraySize(metrics), taken = 0;
    for (int pass = 0; pass < 3; pass++) {
        size_t i = 0;
        const cJSON *m;
        cJSON_ArrayForEach(m, metrics)
        {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
            const metric_rule *rule;
            int failing = board_result_status(m) != NBAQ_PASS;
            int charted =
                dashboard_pick_metric(
                    cfg, cc, cJSON_IsString(name) ? name->valuestring : "",
                    &rule) != DASHBOARD_PICK_NONE;
            int wanted = pass == 0 ? failing : pass == 1 ? charted : 1;
            if (!listed[i] && wanted && taken < max) {
                listed[i] = 1;
                taken++;
            }
            i++;
        }
    }
    return n;
}

static void add_metrics(cJSON *o, const cJSON *result, const config *cfg,
                        const char *check)
{
    const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(result, "metrics");
    cJSON *out = cJSON_AddArrayToObject(o, "metrics");
    size_t n = cJSON_IsArray(metrics) ? (size_t)cJSON_GetArraySize(metrics) : 0;
    cJSON_AddNumberToObject(o, "metrics_total", (double)n);
    unsigned char *listed = calloc(n ? n : 1, 1);
    if (!out || !listed) {
        free(listed);
        return;
    }
    const check_config *cc = config_find_check(cfg, check);
    pick_listed(metrics, cfg, cc, cfg->daemon.dashboard_max_metrics, listed);
    size_t i = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, metrics)
    {
        if (listed[i++])
            cJSON_AddItemToArray(out, metric_object(m, cfg, cc));
    }
    free(listed);
}

static cJSON *check_object(const board_check *c, const config *cfg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddStringToObject(o, "plugin", c->plugin);
    cJSON_AddStringToObject(o, "description", c->description);
    cJSON_AddStringToObject(o, "severity", severity_name(c->severity));
    cJSON_AddNumberToObject(o, "interval_ms", (double)c->interval_ms);
    cJSON_AddBoolToObject(o, "running", c->running);
    add_ms_or_null(o, "running_since_ms", c->running ? c->running_since_ms : 0);
    add_ms_or_null(o, "next_run_ms", c->running ? 0 : c->next_run_ms);
    cJSON_AddNumberToObject(o, "runs", (double)c->runs);
    if (!c->result) {
        cJSON_AddNullToObject(o, "status");
        cJSON_AddStringToObject(o, "message", "");
        cJSON_AddNullToObject(o, "last_run_ms");
        cJSON_AddNullToObject(o, "duration_ms");
        cJSON_AddNullToObject(o, "member");
        cJSON_AddArrayToObject(o, "metrics");
        cJSON_AddNumberToObject(o, "metrics_total", 0);
        return o;
    }
    copy_field(o, "status", c->result, "status");
    copy_field(o, "message", c->result, "message");
    copy_field(o, "last_run_ms", c->result, "started_ms");
    copy_field(o, "duration_ms", c->result, "duration_ms");
    copy_field(o, "member", c->result, "member");
    add_metrics(o, c->result, cfg, c->name);
    return o;
}

static void add_overall(cJSON *doc, const board *b)
{
    size_t counts[NBAQ_STATUS_COUNT] = {0};
    int any = 0;
    nbaq_status worst = NBAQ_PASS;
    for (size_t i = 0; i < b->count; i++) {
        if (!b->checks[i].result)
            continue;
        nbaq_status s = board_result_status(b->checks[i].result);
        counts[s]++;
        worst = status_worst(worst, s);
        any = 1;
    }
    if (any)
        cJSON_AddStringToObject(doc, "status", status_name(worst));
    else
        cJSON_AddNullToObject(doc, "status");
    cJSON *by = cJSON_AddObjectToObject(doc, "status_counts");
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++)
        cJSON_AddNumberToObject(by, status_name((nbaq_status)s),
                                (double)counts[s]);
}

static void add_alerts(cJSON *doc, const board *b)
{
    size_t counts[NBAQ_SEVERITY_COUNT] = {0};
    const cJSON *a;
    cJSON_ArrayForEach(a, b->alerts)
    {
        nbaq_severity sev;
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(a, "severity");
        if (cJSON_IsString(s) && severity_parse(s->valuestring, &sev) == 0)
            counts[sev]++;
    }
    cJSON *alerts = cJSON_AddObjectToObject(doc, "alerts");
    cJSON *by = cJSON_AddObjectToObject(alerts, "counts");
    for (int s = 0; s < NBAQ_SEVERITY_COUNT; s++)
        cJSON_AddNumberToObject(by, severity_name((nbaq_severity)s),
                                (double)counts[s]);
    cJSON_AddItemReferenceToObject(alerts, "active", b->alerts);
}

static void add_daemon(cJSON *doc, const daemon_stats *st, const config *cfg)
{
    cJSON *d = cJSON_AddObjectToObject(doc, "daemon");
    cJSON_AddStringToObject(d, "version", st->version);
    cJSON_AddNumberToObject(d, "pid", st->pid);
    cJSON_AddNumberToObject(d, "started_ms", (double)st->started_ms);
    cJSON_AddStringToObject(d, "config", st->config_path);
    cJSON_AddNumberToObject(d, "config_loaded_ms",
                            (double)st->config_loaded_ms);
    cJSON_AddNumberToObject(d, "rounds", (double)st->rounds);
    cJSON_AddNumberToObject(d, "rounds_failed", (double)st->rounds_failed);
    cJSON_AddNumberToObject(d, "rounds_running", (double)st->rounds_running);
    add_ms_or_null(d, "last_round_finished_ms", st->last_round_finished_ms);
    if (st->last_round_finished_ms > 0)
        cJSON_AddNumberToObject(d, "last_round_duration_ms",
                                (double)st->last_round_duration_ms);
    else
        cJSON_AddNullToObject(d, "last_round_duration_ms");
    cJSON_AddNumberToObject(d, "reloads", (double)st->reloads);
    cJSON_AddNumberToObject(d, "reload_failures", (double)st->reload_failures);
    if (st->last_reload_ms > 0) {
        cJSON *r = cJSON_AddObjectToObject(d, "last_reload");
        cJSON_AddNumberToObject(r, "at_ms", (double)st->last_reload_ms);
        cJSON_AddBoolToObject(r, "ok", st->last_reload_ok);
        cJSON_AddStringToObject(r, "error", st->last_reload_error);
    } else {
        cJSON_AddNullToObject(d, "last_reload");
    }
    cJSON_AddBoolToObject(d, "stopping", st->stopping);
    cJSON_AddBoolToObject(d, "history", cfg->history.configured);
    cJSON_AddNumberToObject(d, "refresh_ms", (double)cfg->daemon.refresh_ms);
    cJSON_AddNumberToObject(d, "max_metrics",
                            (double)cfg->daemon.dashboard_max_metrics);
    /* The page's CSRF token travels only in this answer, which needs the
     * bearer token when actions are on (they require one). */
    const char *csrf = cfg->daemon.actions ? actions_csrf_token() : NULL;
    cJSON_AddBoolToObject(d, "actions", csrf != NULL);
    if (csrf)
        cJSON_AddStringToObject(d, "csrf", csrf);
}

char *render_status(const board *b, const daemon_stats *st, const config *cfg,
                    int64_t now_ms, size_t *len)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    cJSON_AddStringToObject(doc, "monitor", cfg->monitor);
    cJSON_AddNumberToObject(doc, "generated_ms", (double)now_ms);
    add_overall(doc, b);
    add_daemon(doc, st, cfg);
    render_fleet_status(doc, st);
    cJSON *checks = cJSON_AddArrayToObject(doc, "checks");
    for (size_t i = 0; checks && i < b->count; i++)
        cJSON_AddItemToArray(checks, check_object(&b->checks[i], cfg));
    add_alerts(doc, b);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (text)
        *len = strlen(text);
    return text;
}
