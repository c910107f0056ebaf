#include "alert_detail.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "history_alerts.h"
#include "notified.h"
#include "status.h"

static void add_ms(cJSON *o, const char *key, int64_t ms)
{
    if (ms > 0)
        cJSON_AddNumberToObject(o, key, (double)ms);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_transition(cJSON *list, int64_t at_ms, const char *event,
                           const char *detail)
{
    cJSON *t = cJSON_CreateObject();
    add_ms(t, "at_ms", at_ms);
    cJSON_AddStringToObject(t, "event", event);
    cJSON_AddStringToObject(t, "detail", detail);
    cJSON_AddItemToArray(list, t);
}

/* Where delivery of an outbox row stands. "failed": tried and failed so
 * far; the next round tries again. */
static const char *delivery_of(const history_outbox_row *r)
{
    if (r->delivered_ms > 0)
        return "delivered";
    if (r->superseded_ms > 0)
        return "superseded";
    return r->attempts > 0 ? "failed" : "pending";
}

static void add_outbox_row(cJSON *list, const history_outbox_row *r,
                           cJSON *transitions)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "channel", r->channel);
    cJSON_AddStringToObject(o, "delivery", delivery_of(r));
    cJSON_AddStringToObject(o, "state", alert_state_name(r->state));
    cJSON_AddNumberToObject(o, "episode", (double)r->episode);
    add_ms(o, "queued_ms", r->created_ms);
    add_ms(o, "delivered_ms", r->delivered_ms);
    add_ms(o, "at_ms",
           r->delivered_ms    ? r->delivered_ms
           : r->superseded_ms ? r->superseded_ms
                              : r->created_ms);
    cJSON_AddNumberToObject(o, "attempts", (double)r->attempts);
    cJSON_AddStringToObject(o, "last_error", r->last_error);
    cJSON_AddItemToArray(list, o);
    add_transition(transitions, r->created_ms, "queued", r->channel);
    if (r->delivered_ms > 0)
        add_transition(transitions, r->delivered_ms, "delivered", r->channel);
}

typedef struct sent_args {
    cJSON *list;
    const history_outbox_row *rows;
    size_t count;
} sent_args;

/* A channel of the episode's notified list that no outbox row shows
 * (its rows were pruned): "sent", with the time it was notified. */
static void add_sent(void *arg, const char *channel, size_t len, int64_t ms)
{
    const sent_args *sent = arg;
    for (size_t i = 0; i < sent->count; i++)
        if (strlen(sent->rows[i].channel) == len &&
            memcmp(sent->rows[i].channel, channel, len) == 0)
            return;
    cJSON *n = cJSON_CreateObject();
    char *name = strndup(channel, len);
    cJSON_AddStringToObject(n, "channel", name ? name : "");
    cJSON_AddStringToObject(n, "delivery", "sent");
    add_ms(n, "at_ms", ms);
    cJSON_AddNumberToObject(n, "attempts", 0);
    cJSON_AddStringToObject(n, "last_error", "");
    free(name);
    cJSON_AddItemToArray(sent->list, n);
}

/* The alert's outbox rows, newest first, then the channels the episode
 * notified that they no longer show. */
static void add_notifications(cJSON *doc, const history_alert *a,
                              const history_outbox_row *out, size_t n,
                              cJSON *transitions)
{
    cJSON *list = cJSON_AddArrayToObject(doc, "notifications");
    for (size_t i = 0; i < n; i++)
        add_outbox_row(list, &out[i], transitions);
    sent_args sent = {list, out, n};
    notified_each(a->notified, add_sent, &sent);
}

static int covers(const history_silence *s, const history_alert *a)
{
    return (s->fingerprint[0] && strcmp(s->fingerprint, a->fingerprint) == 0) ||
           (s->check[0] && strcmp(s->check, a->check) == 0);
}

static void add_silences(cJSON *doc, const history_alert *a,
                         const history_silence *s, size_t n, int64_t now_ms,
                         cJSON *transitions)
{
    cJSON *list = cJSON_AddArrayToObject(doc, "silences");
    for (size_t i = 0; i < n; i++) {
        if (!covers(&s[i], a))
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)s[i].id);
        cJSON_AddStringToObject(o, "scope",
                                s[i].fingerprint[0] ? "alert" : "check");
        add_ms(o, "created_ms", s[i].created_ms);
        add_ms(o, "until_ms", s[i].until_ms);
        cJSON_AddBoolToObject(o, "active", s[i].until_ms > now_ms);
        cJSON_AddStringToObject(o, "comment", s[i].comment);
        cJSON_AddItemToArray(list, o);
        add_transition(transitions, s[i].created_ms, "silenced", s[i].comment);
    }
}

static int by_time(const void *x, const void *y)
{
    const cJSON *a =
        cJSON_GetObjectItemCaseSensitive(*(cJSON *const *)x, "at_ms");
    const cJSON *b =
        cJSON_GetObjectItemCaseSensitive(*(cJSON *const *)y, "at_ms");
    double ta = cJSON_IsNumber(a) ? a->valuedouble : 0;
    double tb = cJSON_IsNumber(b) ? b->valuedouble : 0;
    return (ta > tb) - (ta < tb);
}

/* Oldest first; qsort needs an array, cJSON keeps a list. */
static void sort_transitions(cJSON *list)
{
    int n = cJSON_GetArraySize(list);
    cJSON **items = calloc((size_t)(n ? n : 1), sizeof *items);
    if (!items)
        return;
    for (int i = n - 1; i >= 0; i--)
        items[i] = cJSON_DetachItemFromArray(list, i);
    qsort(items, (size_t)n, sizeof *items, by_time);
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(list, items[i]);
    free(items);
}

static cJSON *alert_json(const history_alert *a)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "fingerprint", a->fingerprint);
    cJSON_AddStringToObject(doc, "check", a->check);
    cJSON_AddStringToObject(doc, "metric", a->metric);
    cJSON_AddStringToObject(doc, "summary", a->summary);
    cJSON_AddStringToObject(doc, "severity", severity_name(a->severity));
    cJSON_AddStringToObject(doc, "state", alert_state_name(a->state));
    cJSON_AddBoolToObject(doc, "open", a->open);
    cJSON_AddNumberToObject(doc, "episode", (double)a->episode);
    add_ms(doc, "started_ms", a->started_ms);
    add_ms(doc, "ended_ms", a->ended_ms);
    cJSON_AddNumberToObject(doc, "failing_runs", a->failing_runs);
    cJSON_AddBoolToObject(doc, "flapping", a->flapping);
    cJSON_AddBoolToObject(doc, "escalated", a->escalated);
    add_ms(doc, "updated_ms", a->updated_ms);
    return doc;
}

static cJSON *detail_json(const history_alert *a, const history_silence *s,
                          size_t ns, const history_outbox_row *out, size_t no,
                          int64_t now_ms)
{
    cJSON *doc = alert_json(a);
    cJSON *transitions = cJSON_AddArrayToObject(doc, "transitions");
    if (a->started_ms > 0)
        add_transition(transitions, a->started_ms, "opened", a->summary);
    if (a->escalated)
        add_transition(transitions, a->updated_ms, "escalated",
                       severity_name(a->severity));
    if (a->flapping)
        add_transition(transitions, a->updated_ms, "flapping", "");
    if (!a->open && a->ended_ms > 0)
        add_transition(transitions, a->ended_ms, "resolved", "");
    add_notifications(doc, a, out, no, transitions);
    add_silences(doc, a, s, ns, now_ms, transitions);
    sort_transitions(transitions);
    return doc;
}

typedef struct loaded {
    history_alert *alerts;
    size_t alert_count;
    history_silence *silences;
    size_t silence_count;
    history_outbox_row *outbox;
    size_t outbox_count;
} loaded;

static int load_all(history_store *store, const char *monitor,
                    const char *fingerprint, loaded *l, char *err,
                    size_t err_size)
{
    return history_alerts_load(store, monitor, &l->alerts, &l->alert_count, err,
                               err_size) ||
           history_silences_load(store, monitor, -1, &l->silences,
                                 &l->silence_count, err, err_size) ||
           history_outbox_of_alert(store, monitor, fingerprint, &l->outbox,
                                   &l->outbox_count, err, err_size);
}

static void free_all(loaded *l)
{
    history_alerts_free(l->alerts, l->alert_count);
    history_silences_free(l->silences, l->silence_count);
    history_outbox_free(l->outbox, l->outbox_count);
}

char *alert_detail_answer(const dashboard_request *rq, const char *fingerprint,
                          int *status)
{
    history_store *store;
    char *answer, err[1024];
    if (dashboard_api_store(rq->snap, &store, &answer, status) != 0)
        return answer;
    loaded l = {0};
    int rc =
        load_all(store, rq->snap->monitor, fingerprint, &l, err, sizeof err);
    history_close(store);
    if (rc != 0) {
        free_all(&l);
        return dashboard_api_error(503, status, err);
    }
    const history_alert *a = NULL;
    for (size_t i = 0; i < l.alert_count && !a; i++)
        if (strcmp(l.alerts[i].fingerprint, fingerprint) == 0)
            a = &l.alerts[i];
    if (!a) {
        free_all(&l);
        return dashboard_api_error(404, status, "no such alert");
    }
    cJSON *doc = detail_json(a, l.silences, l.silence_count, l.outbox,
                             l.outbox_count, rq->now_ms);
    free_all(&l);
    answer = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    *status = 200;
    return answer;
}
