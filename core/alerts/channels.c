/*
 * channels.c - the run's channels: which reporters they are, what each
 * sends (its view of the run), what came of it, and the check-like entry
 * of a channel that failed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts_internal.h"
#include "clock.h"
#include "log.h"
#include "registry.h"
#include "status.h"

static int writes_report(const reporter_config *r)
{
    return r->plugin_ref && (r->plugin_ref->flags & NBAQ_FLAG_WRITES_OUTPUT);
}

static int named_by_levels(const alerts_config *ac, const char *name)
{
    for (size_t i = 0; i < ac->level_count; i++) {
        for (size_t c = 0; c < ac->levels[i].channel_count; c++) {
            if (strcmp(ac->levels[i].channels[c], name) == 0)
                return 1;
        }
    }
    return 0;
}

static int named_by_routes(const alerts_config *ac, const char *name)
{
    for (size_t i = 0; i < ac->route_count; i++) {
        if (strcmp(ac->routes[i].channel, name) == 0)
            return 1;
    }
    return 0;
}

int channels_build(alerts_run *ar)
{
    const config *cfg = ar->cfg;
    const alerts_config *ac = &cfg->alerts;
    ar->channels =
        arena_alloc(&ar->mem, (cfg->reporter_count + 1) * sizeof *ar->channels);
    if (!ar->channels)
        return -1;
    for (size_t i = 0; i < cfg->reporter_count; i++) {
        const reporter_config *r = &cfg->reporters[i];
        if (!r->enabled)
            continue;
        int is_default = !ac->routes_given && !writes_report(r);
        if (!is_default && !named_by_routes(ac, r->name) &&
            !named_by_levels(ac, r->name))
            continue;
        alerts_channel *c = &ar->channels[ar->channel_count++];
        c->reporter = i;
        c->name = r->name;
        c->is_default = (unsigned char)is_default;
    }
    return 0;
}

int channels_router(alerts_run *ar, router *r)
{
    size_t n = ar->channel_count;
    const char **names = arena_alloc(&ar->mem, (n + 1) * sizeof *names);
    unsigned char *is_default = arena_alloc(&ar->mem, n + 1);
    if (!names || !is_default)
        return -1;
    for (size_t i = 0; i < n; i++) {
        names[i] = ar->channels[i].name;
        is_default[i] = ar->channels[i].is_default;
    }
    *r = (router){&ar->cfg->alerts, names, is_default, n};
    return 0;
}

/* Makes room in an arena array of *cap items of size, count used, for
 * one more (doubling; the old block stays in the arena). 0, or -1 when
 * out of memory. */
static int room_for_one(arena *mem, void **items, size_t count, size_t *cap,
                        size_t size)
{
    if (count < *cap)
        return 0;
    size_t grown_cap = *cap ? *cap * 2 : 8;
    void *grown = arena_alloc(mem, grown_cap * size);
    if (!grown)
        return -1;
    if (count)
        memcpy(grown, *items, count * size);
    *items = grown;
    *cap = grown_cap;
    return 0;
}

int channels_add_send(alerts_run *ar, alerts_channel *c,
                      const channel_send *send)
{
    void *items = c->sends;
    if (room_for_one(&ar->mem, &items, c->send_count, &c->send_cap,
                     sizeof *c->sends) != 0)
        return -1;
    c->sends = items;
    c->sends[c->send_count++] = *send;
    return 0;
}

int channels_add_known(alerts_run *ar, alerts_channel *c,
                       const char *fingerprint)
{
    void *items = (void *)c->known;
    const char *copy = arena_strdup(&ar->mem, fingerprint);
    if (!copy || room_for_one(&ar->mem, &items, c->known_count, &c->known_cap,
                              sizeof *c->known) != 0)
        return -1;
    c->known = items;
    c->known[c->known_count++] = copy;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_known(const alerts_channel *c, const char *fingerprint)
{
    return c->known_count > 0 &&
           bsearch(&fingerprint, c->known, c->known_count, sizeof *c->known,
                   compare_names) != NULL;
}

long alerts_channel_of(const alerts_run *ar, size_t reporter)
{
    for (size_t i = 0; i < ar->channel_count; i++) {
        if (ar->channels[i].reporter == reporter)
            return (long)i;
    }
    return -1;
}

size_t alerts_channel_pending(const alerts_run *ar, long channel)
{
    if (channel < 0 || (size_t)channel >= ar->channel_count)
        return 0;
    return ar->channels[channel].send_count;
}

static int compare_sends(const void *a, const void *b)
{
    return strcmp(((const channel_send *)a)->alert->fingerprint,
                  ((const channel_send *)b)->alert->fingerprint);
}

void channels_sort(alerts_run *ar)
{
    for (size_t i = 0; i < ar->channel_count; i++) {
        alerts_channel *c = &ar->channels[i];
        if (c->send_count > 1)
            qsort(c->sends, c->send_count, sizeof *c->sends, compare_sends);
        c->sorted = c->send_count;
        if (c->known_count > 1)
            qsort(c->known, c->known_count, sizeof *c->known, compare_names);
    }
}

const channel_send *channels_find(const alerts_channel *c,
                                  const char *fingerprint)
{
    size_t lo = 0, hi = c->sorted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->sends[mid].alert->fingerprint, fingerprint);
        if (cmp == 0)
            return &c->sends[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The run's alerts in its order that this channel sends (notify 1) or
 * has heard of while they are open (copied with notify 0; alerts never
 * routed to it are left out); then what the channel sends of alerts no
 * longer in the run (undelivered from earlier runs), in fingerprint
 * order. */
static int build_view(alerts_run *ar, alerts_channel *c, const nbaq_run *run)
{
    size_t n = run->alert_count + c->send_count;
    const nbaq_alert **alerts =
        arena_alloc(&ar->mem, (n ? n : 1) * sizeof *alerts);
    unsigned char *used = arena_alloc(&ar->mem, c->send_count + 1);
    if (!alerts || !used)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < run->alert_count; i++) {
        const channel_send *send =
            channels_find(c, run->alerts[i]->fingerprint);
        if (send) {
            used[send - c->sends] = 1;
            alerts[k++] = send->alert;
            continue;
        }
        if (!is_known(c, run->alerts[i]->fingerprint))
            continue;
        nbaq_alert *quiet = arena_alloc(&ar->mem, sizeof *quiet);
        if (!quiet)
            return -1;
        *quiet = *run->alerts[i];
        quiet->notify = 0;
        alerts[k++] = quiet;
    }
    for (size_t i = 0; i < c->send_count; i++) {
        if (!used[i])
            alerts[k++] = c->sends[i].alert;
    }
    c->view = *run;
    c->view.alerts = alerts;
    c->view.alert_count = k;
    c->view_built = 1;
    return 0;
}

const nbaq_run *alerts_channel_view(alerts_run *ar, long channel,
                                    const nbaq_run *run)
{
    if (channel < 0 || (size_t)channel >= ar->channel_count)
        return run;
    alerts_channel *c = &ar->channels[channel];
    if (!c->view_built && build_view(ar, c, run) != 0)
        return NULL;
    return &c->view;
}

static void mark(alerts_run *ar, alerts_channel *c, int delivered,
                 const char *reason)
{
    if (!ar->remembered || c->send_count == 0)
        return;
    int64_t *ids = malloc(c->send_count * sizeof *ids);
    if (!ids) {
        log_msg(NBAQ_LOG_ERROR, NULL, "alerts: out of memory");
        return;
    }
    for (size_t i = 0; i < c->send_count; i++)
        ids[i] = c->sends[i].id;
    char err[1024];
    if (history_outbox_mark(ar->store, ids, c->send_count, delivered,
                            clock_wall_ms(), reason, err, sizeof err) != 0)
        log_msg(NBAQ_LOG_ERROR, NULL,
                "alerts: channel '%s': cannot record the outcome (%s): "
                "%s",
                c->name, delivered ? "delivered" : "failed", err);
    free(ids);
}

void alerts_channel_done(alerts_run *ar, long channel, int delivered,
                         const char *reason)
{
    if (channel < 0 || (size_t)channel >= ar->channel_count)
        return;
    alerts_channel *c = &ar->channels[channel];
    c->failed = !delivered;
    c->reason = arena_strdup(&ar->mem, reason ? reason : "");
    if (c->send_count > 0)
        log_msg(delivered ? NBAQ_LOG_INFO : NBAQ_LOG_ERROR, NULL,
                "alerts: channel '%s': %zu notification%s %s", c->name,
                c->send_count, c->send_count == 1 ? "" : "s",
                delivered ? "delivered"
                          : "not delivered, kept for the "
                            "next run");
    mark(ar, c, delivered, reason);
}

static nbaq_check_result *failure_entry(alerts_run *ar, const alerts_channel *c,
                                        arena *mem)
{
    nbaq_check_result *r = arena_alloc(mem, sizeof *r);
    char name[256], oldest[64], message[2048];
    if (!r)
        return NULL;
    int64_t first = c->sends[0].created_ms, attempts = 0;
    nbaq_severity worst = NBAQ_SEV_INFO;
    for (size_t i = 0; i < c->send_count; i++) {
        if (c->sends[i].created_ms < first)
            first = c->sends[i].created_ms;
        if (c->sends[i].attempts > attempts)
            attempts = c->sends[i].attempts;
        if (c->sends[i].alert->severity > worst)
            worst = c->sends[i].alert->severity;
    }
    clock_format_iso(first, oldest, sizeof oldest);
    snprintf(name, sizeof name, "channel:%s", c->name);
    snprintf(message, sizeof message,
             "%zu notification%s not delivered: %s (waiting since %s, "
             "%" PRId64 " failed attempt%s)",
             c->send_count, c->send_count == 1 ? "" : "s",
             c->reason && *c->reason ? c->reason : "failed", oldest,
             attempts + 1, attempts == 0 ? "" : "s");
    r->name = arena_strdup(mem, name);
    r->plugin = ar->cfg->reporters[c->reporter].plugin;
    r->status = NBAQ_ERROR;
    r->message = arena_strdup(mem, message);
    r->severity = worst;
    r->started_ms = ar->now_ms;
    r->duration_ms = 0;
    r->metrics = NULL;
    r->metric_count = 0;
    return r->name && r->message ? r : NULL;
}

long alerts_add_failures(alerts_run *ar, nbaq_run *run, arena *mem)
{
    size_t failed = 0;
    for (size_t i = 0; i < ar->channel_count; i++)
        failed += ar->channels[i].failed && ar->channels[i].send_count > 0;
    if (failed == 0)
        return 0;
    size_t n = run->check_count + failed;
    const nbaq_check_result **checks = arena_alloc(mem, n * sizeof *checks);
    if (!checks)
        return -1;
    for (size_t i = 0; i < run->check_count; i++)
        checks[i] = run->checks[i];
    size_t k = run->check_count;
    for (size_t i = 0; i < ar->channel_count; i++) {
        const alerts_channel *c = &ar->channels[i];
        if (!c->failed || c->send_count == 0)
            continue;
        nbaq_check_result *entry = failure_entry(ar, c, mem);
        if (!entry)
            return -1;
        checks[k++] = entry;
        run->status = status_worst(run->status, entry->status);
        run->status_counts[entry->status]++;
    }
    run->checks = checks;
    run->check_count = k;
    return (long)failed;
}
