#include "watchdog_run.h"

#include <stdlib.h>
#include <string.h>

#include "watchdog.h"

/* Least wait before asking the fleet again for a run another member
 * holds. */
#define RETRY_MIN_MS 50

int watchdog_applies(const config *cfg)
{
    return cfg->daemon.watchdog_enabled && cfg->history.configured;
}

static watchdog_policy policy_of(const config *cfg, const fleet_member *m)
{
    const daemon_config *d = &cfg->daemon;
    return (watchdog_policy){.stale_after = d->watchdog_stale_after,
                             .jitter = d->jitter,
                             .member_dead_after_ms =
                                 d->watchdog_member_dead_after_ms
                                     ? d->watchdog_member_dead_after_ms
                                     : m->lease_ms};
}

static int watched(const config *cfg, const char *check)
{
    const check_config *c = config_find_check(cfg, check);
    return c && c->enabled;
}

/* Is the member alive (heartbeating within dead_after_ms, not stopped)? */
static int member_alive(const history_fleet_view *v, const char *member,
                        int64_t dead_after_ms)
{
    for (size_t i = 0; i < v->member_count; i++) {
        const history_fleet_member *m = &v->members[i];
        if (strcmp(m->member, member) == 0)
            return !m->stopped_ms &&
                   v->now_ms - m->heartbeat_ms <= dead_after_ms;
    }
    return 0;
}

/* The fleet's checks (those of this member's config) and members. */
static int fleet_input(arena *mem, const history_fleet_view *v,
                       const config *cfg, int64_t dead_after_ms,
                       watchdog_input *in)
{
    watchdog_check_age *checks =
        arena_alloc(mem, (v->check_count + 1) * sizeof *checks);
    watchdog_member_age *members =
        arena_alloc(mem, (v->member_count + 1) * sizeof *members);
    if (!checks || !members)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < v->check_count; i++) {
        const history_fleet_check *c = &v->checks[i];
        if (!watched(cfg, c->check))
            continue;
        int held = c->lease_owner[0] != '\0';
        int live = held && c->lease_until_ms >= v->now_ms;
        int dead_holder =
            held && !member_alive(v, c->lease_owner, dead_after_ms);
        checks[n++] = (watchdog_check_age){
            .check = c->check,
            .interval_ms = c->interval_ms,
            .started_ms =
                c->last_started_ms ? c->last_started_ms : c->next_slot_ms,
            .last_member = c->last_member,
            .running_on = live && !dead_holder ? c->lease_owner : NULL,
            .held_until_ms = dead_holder ? c->lease_until_ms : 0};
    }
    for (size_t i = 0; i < v->member_count; i++) {
        const history_fleet_member *mb = &v->members[i];
        members[i] = (watchdog_member_age){.member = mb->member,
                                           .host = mb->host,
                                           .started_ms = mb->started_ms,
                                           .heartbeat_ms = mb->heartbeat_ms,
                                           .stopped_ms = mb->stopped_ms};
    }
    *in = (watchdog_input){v->now_ms, checks, n, members, v->member_count};
    return 0;
}

/* A daemon alone: its own schedule, on the monotonic clock. */
static int schedule_input(arena *mem, const schedule *s, int64_t now_mono_ms,
                          watchdog_input *in)
{
    watchdog_check_age *checks =
        arena_alloc(mem, (s->count + 1) * sizeof *checks);
    if (!checks)
        return -1;
    for (size_t i = 0; i < s->count; i++) {
        const schedule_entry *e = &s->entries[i];
        checks[i] = (watchdog_check_age){.check = e->name,
                                         .interval_ms = e->interval_ms,
                                         .started_ms = e->started_ms,
                                         .running_on =
                                             e->running ? "this daemon" : NULL};
    }
    *in = (watchdog_input){now_mono_ms, checks, s->count, NULL, 0};
    return 0;
}

/* In a fleet, claims the watchdog's run: 1 claimed, 0 not (next set). */
static int claim(watchdog_timer *t, fleet_member *m, const config *cfg,
                 int64_t now_mono_ms)
{
    int64_t wait;
    if (fleet_member_claim(m, WATCHDOG_CHECK, cfg->daemon.watchdog_interval_ms,
                           &wait) == 1)
        return 1;
    t->next_mono_ms = now_mono_ms + (wait < RETRY_MIN_MS ? RETRY_MIN_MS : wait);
    return 0;
}

nbaq_check_result *watchdog_poll(watchdog_timer *t, fleet_member *m,
                                 const schedule *s, const config *cfg,
                                 int64_t now_mono_ms)
{
    if (!watchdog_applies(cfg) || t->round_pid || now_mono_ms < t->next_mono_ms)
        return NULL;
    if (m->shared && !claim(t, m, cfg, now_mono_ms))
        return NULL;
    t->next_mono_ms = now_mono_ms + cfg->daemon.watchdog_interval_ms;
    arena_free(&t->mem);
    watchdog_input in;
    watchdog_policy p = policy_of(cfg, m);
    int rc = m->shared ? (fleet_member_refresh_view(m) == 0
                              ? fleet_input(&t->mem, &m->view, cfg,
                                            p.member_dead_after_ms, &in)
                              : -1)
                       : schedule_input(&t->mem, s, now_mono_ms, &in);
    nbaq_check_result *r = rc == 0 ? watchdog_judge(&t->mem, &p, &in) : NULL;
    if (!r && m->shared)
        fleet_member_release(m, WATCHDOG_CHECK);
    return r;
}

void watchdog_set_round(watchdog_timer *t, pid_t pid)
{
    t->round_pid = pid;
}

int64_t watchdog_next(const watchdog_timer *t, const config *cfg)
{
    return watchdog_applies(cfg) && !t->round_pid ? t->next_mono_ms : INT64_MAX;
}

void watchdog_timer_free(watchdog_timer *t)
{
    arena_free(&t->mem);
}
