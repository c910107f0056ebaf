/*
 * outbox.c - who hears about each alert this run, and the outbox rows
 * that record it before anything is sent.
 *
 * Per alert shown this run:
 *   RESOLVED            every channel notified in the episode (even when
 *                       silenced: whoever was paged hears that it ended)
 *   silenced            nobody
 *   flapping            nobody, except when it starts (state FLAPPING)
 *   NEW, ESCALATED,
 *   FLAPPING (start),
 *   stopped flapping
 *   while failing       every channel it is routed to now (a lowered
 *                       severity too, with alerts.notify_lowered)
 *   otherwise (FIRING)  each routed channel not yet notified in the
 *                       episode, or last notified a repeat interval ago
 */
#include <stdlib.h>
#include <string.h>

#include "alerts_internal.h"
#include "notified.h"

nbaq_alert *outbox_alert(arena *mem, const history_outbox_row *row)
{
    nbaq_alert *a = arena_alloc(mem, sizeof *a);
    if (!a)
        return NULL;
    a->fingerprint = arena_strdup(mem, row->fingerprint);
    a->check = arena_strdup(mem, row->check);
    a->metric = arena_strdup(mem, row->metric);
    a->summary = arena_strdup(mem, row->summary);
    a->severity = row->severity;
    a->state = row->state;
    a->started_ms = row->started_ms;
    a->ended_ms = row->ended_ms;
    a->silenced_until_ms = 0;
    a->notify = 1;
    a->failing_runs = row->failing_runs;
    return a->fingerprint && a->check && a->metric && a->summary ? a : NULL;
}

static nbaq_alert_state sent_state(const tracked *t)
{
    switch (t->event) {
    case LIFECYCLE_OPENED:
        return NBAQ_ALERT_NEW;
    case LIFECYCLE_ESCALATED:
        return NBAQ_ALERT_ESCALATED;
    case LIFECYCLE_FLAPPING:
        return NBAQ_ALERT_FLAPPING;
    case LIFECYCLE_RESOLVED:
        return NBAQ_ALERT_RESOLVED;
    default:
        return t->row.state;
    }
}

/* Sets targets[i] for each channel that hears about t this run. routed
 * is scratch space of the same size. */
static void choose_targets(const router *r, const tracked *t, int64_t now_ms,
                           unsigned char *targets, unsigned char *routed)
{
    const history_alert *a = &t->row;
    memset(targets, 0, r->channel_count);
    if (t->event == LIFECYCLE_RESOLVED) {
        for (size_t i = 0; i < r->channel_count; i++)
            targets[i] = notified_get(a->notified, r->channels[i]) > 0;
        return;
    }
    if (!a->open || t->silenced_until_ms > now_ms)
        return;
    if (a->flapping && t->event != LIFECYCLE_FLAPPING)
        return;
    int64_t repeat =
        router_route(r, a->check, a->severity, now_ms - a->started_ms, routed);
    for (size_t i = 0; i < r->channel_count; i++) {
        if (!routed[i])
            continue;
        int64_t last = notified_get(a->notified, r->channels[i]);
        targets[i] = lifecycle_notifies(t->event, r->ac->notify_lowered) ||
                     last == 0 || (repeat > 0 && now_ms - last >= repeat);
    }
}

static history_outbox_row outbox_row(const tracked *t, const char *channel,
                                     const char *run_id, int64_t now_ms)
{
    const history_alert *a = &t->row;
    nbaq_alert_state state = sent_state(t);
    return (history_outbox_row){
        .channel = (char *)channel,
        .run_id = (char *)run_id,
        .created_ms = now_ms,
        .last_error = "",
        .episode = a->episode,
        .fingerprint = a->fingerprint,
        .check = a->check,
        .metric = a->metric,
        .summary = a->summary,
        .severity = a->severity,
        .state = state,
        .started_ms = a->started_ms,
        .ended_ms = state == NBAQ_ALERT_RESOLVED ? a->ended_ms : 0,
        .failing_runs = state == NBAQ_ALERT_RESOLVED ? 0 : a->failing_runs};
}

/* The notifications this run decides, before they reach the store. */
typedef struct queue {
    history_outbox_row *rows;
    size_t *channels; /* index of each row's channel                 */
    size_t count;
    size_t cap;
} queue;

static int queue_push(queue *q, const history_outbox_row *row, size_t channel)
{
    if (q->count == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        history_outbox_row *rows = realloc(q->rows, cap * sizeof *rows);
        if (rows)
            q->rows = rows;
        size_t *channels = realloc(q->channels, cap * sizeof *channels);
        if (channels)
            q->channels = channels;
        if (!rows || !channels)
            return -1;
        q->cap = cap;
    }
    q->rows[q->count] = *row;
    q->channels[q->count++] = channel;
    return 0;
}

/* Records that channel c hears about t this run. */
static int decide(alerts_run *ar, queue *q, size_t c, tracked *t,
                  const char *run_id)
{
    history_outbox_row row =
        outbox_row(t, ar->channels[c].name, run_id, ar->now_ms);
    if (queue_push(q, &row, c) != 0)
        return -1;
    t->notify = 1;
    t->touched = 1;
    if (t->event == LIFECYCLE_RESOLVED)
        return 0;
    char *list =
        notified_put(t->row.notified, ar->channels[c].name, ar->now_ms);
    if (!list)
        return -1;
    free(t->row.notified);
    t->row.notified = list;
    return 0;
}

static int decide_all(alerts_run *ar, const router *r, tracked_set *set,
                      const char *run_id, queue *q)
{
    unsigned char *targets = malloc(2 * r->channel_count);
    if (!targets)
        return -1;
    unsigned char *routed = targets + r->channel_count;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < set->count; k++) {
        tracked *t = &set->items[k];
        if (!t->shown)
            continue;
        choose_targets(r, t, ar->now_ms, targets, routed);
        for (size_t i = 0; rc == 0 && i < r->channel_count; i++) {
            if (targets[i])
                rc = decide(ar, q, i, t, run_id);
            if (rc == 0 && t->row.open &&
                notified_get(t->row.notified, r->channels[i]) > 0)
                rc = channels_add_known(ar, &ar->channels[i],
                                        t->row.fingerprint);
        }
        if (rc == 0 && t->event == LIFECYCLE_RESOLVED)
            t->row.notified[0] = '\0'; /* the episode is over */
    }
    free(targets);
    return rc;
}

static int compare_pending(const void *a, const void *b)
{
    const history_outbox_row *x = *(const history_outbox_row *const *)a;
    const history_outbox_row *y = *(const history_outbox_row *const *)b;
    int c = strcmp(x->channel, y->channel);
    return c ? c : strcmp(x->fingerprint, y->fingerprint);
}

/* The ids of the undelivered rows that rows of q replace. */
static int superseded_ids(const alerts_run *ar, const queue *q, int64_t **ids,
                          size_t *count)
{
    *ids = NULL;
    *count = 0;
    if (ar->pending_count == 0)
        return 0;
    const history_outbox_row **sorted =
        malloc(ar->pending_count * sizeof *sorted);
    *ids = malloc(ar->pending_count * sizeof **ids);
    if (!sorted || !*ids) {
        free(sorted);
        return -1;
    }
    for (size_t i = 0; i < ar->pending_count; i++)
        sorted[i] = &ar->pending[i];
    qsort(sorted, ar->pending_count, sizeof *sorted, compare_pending);
    for (size_t i = 0; i < q->count; i++) {
        const history_outbox_row *key = &q->rows[i];
        const history_outbox_row **hit = bsearch(
            &key, sorted, ar->pending_count, sizeof *sorted, compare_pending);
        if (hit)
            (*ids)[(*count)++] = (*hit)->id;
    }
    free(sorted);
    return 0;
}

/* Writes q to the store (inside the lifecycle transaction) and hands
 * each row to its channel. */
static int store_queue(alerts_run *ar, queue *q, char *err, size_t err_size)
{
    int64_t *ids;
    size_t count;
    if (superseded_ids(ar, q, &ids, &count) != 0)
        return -1;
    const char *monitor = ar->cfg->monitor;
    int rc = history_outbox_supersede(ar->store, ids, count, ar->now_ms, err,
                                      err_size);
    free(ids);
    if (rc == 0)
        rc = history_outbox_add(ar->store, monitor, q->rows, q->count, err,
                                err_size);
    for (size_t i = 0; rc == 0 && i < q->count; i++) {
        channel_send send = {q->rows[i].id, outbox_alert(&ar->mem, &q->rows[i]),
                             ar->now_ms, 0};
        if (!send.alert ||
            channels_add_send(ar, &ar->channels[q->channels[i]], &send) != 0)
            rc = -1;
    }
    return rc;
}

int outbox_queue(alerts_run *ar, const router *r, tracked_set *set,
                 const char *run_id, int suppress, char *err, size_t err_size)
{
    if (suppress || r->channel_count == 0)
        return 0;
    queue q = {0};
    int rc = decide_all(ar, r, set, run_id, &q);
    if (rc == 0)
        rc = store_queue(ar, &q, err, err_size);
    free(q.rows);
    free(q.channels);
    return rc;
}

static alerts_channel *channel_named(alerts_run *ar, const char *name)
{
    for (size_t i = 0; i < ar->channel_count; i++) {
        if (strcmp(ar->channels[i].name, name) == 0)
            return &ar->channels[i];
    }
    return NULL;
}

int outbox_add_pending(alerts_run *ar, tracked_set *set)
{
    channels_sort(ar);
    for (size_t i = 0; i < ar->pending_count; i++) {
        const history_outbox_row *row = &ar->pending[i];
        alerts_channel *c = channel_named(ar, row->channel);
        /* A channel no longer configured keeps its rows for when it is. */
        if (!c || channels_find(c, row->fingerprint))
            continue;
        channel_send send = {row->id, outbox_alert(&ar->mem, row),
                             row->created_ms, row->attempts};
        if (!send.alert || channels_add_send(ar, c, &send) != 0)
            return -1;
        tracked *t = track_find(set, row->fingerprint);
        if (t)
            t->notify = 1;
    }
    channels_sort(ar);
    return 0;
}
