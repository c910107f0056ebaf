#include "dashboard_api.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "actions.h"
#include "alert_detail.h"
#include "history_alerts.h"
#include "history_calc.h"
#include "history_store.h"
#include "route.h"
#include "status.h"
#include "text.h"

#define STORE_BUSY_TIMEOUT_MS 2000

char *dashboard_api_error(int code, int *status, const char *message)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "error", message);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    *status = code;
    return text;
}

int dashboard_api_store(const snapshot *s, history_store **store, char **answer,
                        int *status)
{
    char why[1024];
    history_open_options options = {.busy_timeout_ms = STORE_BUSY_TIMEOUT_MS};
    *store = NULL;
    if (!s->history_url) {
        *answer = dashboard_api_error(
            404, status, "no history store is configured (history.url)");
        return -1;
    }
    if (history_open(s->history_url, s->config_dir, &options, store, why,
                     sizeof why) != 0) {
        *answer = dashboard_api_error(503, status, why);
        return -1;
    }
    return 0;
}

int dashboard_api_allows(const char *path, const char *method)
{
    char fingerprint[ROUTE_FINGERPRINT_MAX];
    const char *action;
    if (strcmp(method, "POST") == 0)
        return route_alert_path(path, fingerprint, &action) == 0 &&
               action[0] != '\0';
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static const char *arg(const dashboard_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* since (default 24h back) and until (default now); 0 or -1 with why. */
static int parse_range(const dashboard_request *rq, int64_t *since,
                       int64_t *until, const char **why)
{
    const char *s = arg(rq, "since"), *u = arg(rq, "until");
    *until = rq->now_ms;
    if (history_parse_time(s ? s : "24h", rq->now_ms, since) != 0) {
        *why = "'since' is neither a duration back from now (24h, 7d) nor "
               "a time (2025-01-31T12:00:00Z, epoch ms)";
        return -1;
    }
    if (u && history_parse_time(u, rq->now_ms, until) != 0) {
        *why = "'until' is neither a duration back from now nor a time";
        return -1;
    }
    if (*since > *until) {
        *why = "'since' is after 'until'";
        return -1;
    }
    return 0;
}

/* What /api/marks and /api/timeline both need: the check (and the
 * metric, when wanted), the range, and the store, open. */
typedef struct range_query {
    const char *check, *metric;
    int64_t since, until;
    history_store *store;
} range_query;

/* 0, or -1 with the error answer in *answer. */
static int open_query(const dashboard_request *rq, int with_metric,
                      range_query *q, char **answer, int *status)
{
    const char *why = NULL;
    q->check = arg(rq, "check");
    q->metric = arg(rq, "metric");
    if (!q->check || !text_is_name(q->check))
        why = "'check' is required: a check name ([A-Za-z0-9_.-])";
    else if (with_metric && (!q->metric || !q->metric[0]))
        why = "'metric' is required";
    if (why || parse_range(rq, &q->since, &q->until, &why) != 0) {
        *answer = dashboard_api_error(400, status, why);
        return -1;
    }
    return dashboard_api_store(rq->snap, &q->store, answer, status);
}

/* {"check", ["metric",] "since_ms", "until_ms"}: the start of an answer. */
static cJSON *query_json(const range_query *q, int with_metric)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "check", q->check);
    if (with_metric)
        cJSON_AddStringToObject(doc, "metric", q->metric);
    cJSON_AddNumberToObject(doc, "since_ms", (double)q->since);
    cJSON_AddNumberToObject(doc, "until_ms", (double)q->until);
    return doc;
}

static char *finish(cJSON *doc, int *status)
{
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    *status = 200;
    return text;
}

/* ---- /api/marks ------------------------------------------------------ */

/* Every stored value of (check, metric) in [since, until]: the trend
 * window of history_load_past holds (now - 2W, now); with now = until + 1
 * and 2W = until - since + 2 it is the range. */
static int load_values(history_store *store, const snapshot *s,
                       const char *check, const char *metric, int64_t since,
                       int64_t until, history_past *past, char *err,
                       size_t err_size)
{
    history_settings settings = {.trend_window_ms = (until - since + 3) / 2};
    return history_load_past(store, s->monitor, check, metric, NULL, until + 1,
                             &settings, past, err, err_size);
}

static void add_flagged(cJSON *doc, const history_past *past, int64_t since,
                        int64_t until)
{
    cJSON *flagged = cJSON_AddArrayToObject(doc, "flagged");
    for (size_t i = 0; i < past->window_count; i++) {
        const history_sample *x = &past->window[i];
        if (!x->anomalous || x->ts_ms < since || x->ts_ms > until ||
            !isfinite(x->value))
            continue;
        cJSON *p = cJSON_CreateArray();
        cJSON_AddItemToArray(p, cJSON_CreateNumber((double)x->ts_ms));
        cJSON_AddItemToArray(p, cJSON_CreateNumber(x->value));
        cJSON_AddItemToArray(flagged, p);
    }
}

/* The alert rows of (check, metric) whose episode overlaps the range. The
 * store keeps each fingerprint's latest episode. */
static void add_episodes(cJSON *doc, const history_alert *rows, size_t count,
                         const char *check, const char *metric, int64_t since,
                         int64_t until)
{
    cJSON *episodes = cJSON_AddArrayToObject(doc, "episodes");
    for (size_t i = 0; i < count; i++) {
        const history_alert *a = &rows[i];
        int64_t end = a->open ? 0 : a->ended_ms;
        if (strcmp(a->check, check) != 0 || strcmp(a->metric, metric) != 0 ||
            a->started_ms <= 0 || a->started_ms > until ||
            (end > 0 && end < since) || (!a->open && end == 0))
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "fingerprint", a->fingerprint);
        cJSON_AddNumberToObject(e, "start_ms", (double)a->started_ms);
        if (end > 0)
            cJSON_AddNumberToObject(e, "end_ms", (double)end);
        else
            cJSON_AddNullToObject(e, "end_ms");
        cJSON_AddStringToObject(e, "severity", severity_name(a->severity));
        cJSON_AddStringToObject(e, "state", alert_state_name(a->state));
        cJSON_AddItemToArray(episodes, e);
    }
}

static char *answer_marks(const dashboard_request *rq, int *status)
{
    range_query q;
    char *answer, err[1024];
    if (open_query(rq, 1, &q, &answer, status) != 0)
        return answer;
    history_past past = HISTORY_PAST_INIT;
    history_alert *rows = NULL;
    size_t count = 0;
    int rc = load_values(q.store, rq->snap, q.check, q.metric, q.since, q.until,
                         &past, err, sizeof err) ||
             history_alerts_load(q.store, rq->snap->monitor, &rows, &count, err,
                                 sizeof err);
    history_close(q.store);
    if (rc != 0) {
        history_past_free(&past);
        return dashboard_api_error(503, status, err);
    }
    cJSON *doc = query_json(&q, 1);
    add_flagged(doc, &past, q.since, q.until);
    add_episodes(doc, rows, count, q.check, q.metric, q.since, q.until);
    history_past_free(&past);
    history_alerts_free(rows, count);
    return finish(doc, status);
}

/* ---- /api/timeline --------------------------------------------------- */

/* The latest `limit` runs of check in [since, until], newest first, at
 * the check's own start (a round's checks start a few ms apart). */
static const char timeline_sql[] =
    "SELECT c.started_ms, c.status FROM nbaq_check_results c"
    " JOIN nbaq_runs r ON r.id = c.run"
    " WHERE r.monitor = $1 AND c.check_name = $2"
    " AND c.started_ms >= $3 AND c.started_ms <= $4"
    " ORDER BY c.started_ms DESC LIMIT $5";

static int load_timeline(history_store *store, const snapshot *s,
                         const char *check, int64_t since, int64_t until,
                         cJSON *runs, char *err, size_t err_size)
{
    const store_backend *db = store->backend;
    store_stmt *st = db->prepare(store->conn, timeline_sql, err, err_size);
    if (!st)
        return -1;
    db->bind_text(st, 1, s->monitor);
    db->bind_text(st, 2, check);
    db->bind_int64(st, 3, since);
    db->bind_int64(st, 4, until);
    db->bind_int64(st, 5, (int64_t)s->history_points);
    int rc;
    while ((rc = db->step(st, err, err_size)) == 1) {
        const char *status = db->column_text(st, 1);
        cJSON *run = cJSON_CreateArray();
        cJSON_AddItemToArray(
            run, cJSON_CreateNumber((double)db->column_int64(st, 0)));
        cJSON_AddItemToArray(run, cJSON_CreateString(status ? status : ""));
        cJSON_InsertItemInArray(runs, 0, run); /* oldest first */
    }
    db->finalize(st);
    return rc;
}

static char *answer_timeline(const dashboard_request *rq, int *status)
{
    range_query q;
    char *answer, err[1024];
    if (open_query(rq, 0, &q, &answer, status) != 0)
        return answer;
    cJSON *doc = query_json(&q, 0);
    cJSON_AddNumberToObject(doc, "limit", rq->snap->history_points);
    cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
    int rc = load_timeline(q.store, rq->snap, q.check, q.since, q.until, runs,
                           err, sizeof err);
    history_close(q.store);
    if (rc != 0) {
        cJSON_Delete(doc);
        return dashboard_api_error(503, status, err);
    }
    return finish(doc, status);
}

/* ---- routing --------------------------------------------------------- */

char *dashboard_api_answer(const dashboard_request *rq, int *status)
{
    char fingerprint[ROUTE_FINGERPRINT_MAX];
    const char *action = "";
    if (!dashboard_api_allows(rq->path, rq->method))
        return dashboard_api_error(405, status, "method not allowed");
    if (strcmp(rq->path, "/api/marks") == 0)
        return answer_marks(rq, status);
    if (strcmp(rq->path, "/api/timeline") == 0)
        return answer_timeline(rq, status);
    if (route_alert_path(rq->path, fingerprint, &action) != 0)
        return dashboard_api_error(404, status, "not found");
    if (action[0] && strcmp(rq->method, "POST") != 0)
        return dashboard_api_error(405, status, "use POST for an action");
    if (action[0])
        return actions_answer(rq, fingerprint, action, status);
    return alert_detail_answer(rq, fingerprint, status);
}
