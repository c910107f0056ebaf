#include "watchdog.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

#define METRIC_NAME_MAX 400
#define REASON_MAX 1000 /* an alert summary holds up to 1000 bytes */

int64_t watchdog_stale_limit_ms(const watchdog_policy *p, int64_t interval_ms)
{
    int64_t limit = (int64_t)(p->stale_after * (double)interval_ms);
    int64_t healthy = interval_ms + (int64_t)(p->jitter * (double)interval_ms);
    return limit > healthy ? limit : healthy;
}

int64_t watchdog_stale_at_ms(const watchdog_policy *p,
                             const watchdog_check_age *c)
{
    int64_t at = c->started_ms + watchdog_stale_limit_ms(p, c->interval_ms);
    int64_t takeover = c->held_until_ms
                           ? c->held_until_ms + c->interval_ms +
                                 (int64_t)(p->jitter * (double)c->interval_ms)
                           : 0;
    return takeover > at ? takeover : at;
}

/* An age rounded down to whole seconds, as "1m30s". */
static void format_age(int64_t ms, char *buf, size_t size)
{
    text_format_duration(ms < 1000 ? 0 : ms / 1000 * 1000, buf, size);
}

static nbaq_metric *new_metric(arena *mem, const char *prefix, const char *name,
                               int64_t age_ms)
{
    nbaq_metric *m = arena_alloc(mem, sizeof *m);
    char full[METRIC_NAME_MAX];
    snprintf(full, sizeof full, "%s:%s", prefix, name);
    if (!m)
        return NULL;
    memset(m, 0, sizeof *m);
    m->name = arena_strdup(mem, full);
    m->value = (double)(age_ms < 0 ? 0 : age_ms) / 1000.0;
    m->unit = "s";
    m->reason = "";
    m->status = NBAQ_PASS;
    return m->name ? m : NULL;
}

static int fail_metric(arena *mem, nbaq_metric *m, const char *reason)
{
    m->status = NBAQ_FAIL;
    m->reason = arena_strdup(mem, reason);
    return m->reason ? 0 : -1;
}

static nbaq_metric *judge_check(arena *mem, const watchdog_policy *p,
                                const watchdog_check_age *c, int64_t now_ms)
{
    int64_t age = now_ms - c->started_ms;
    nbaq_metric *m = new_metric(mem, "stale", c->check, age);
    int64_t limit = watchdog_stale_limit_ms(p, c->interval_ms);
    if (!m || now_ms <= watchdog_stale_at_ms(p, c))
        return m;
    char reason[REASON_MAX], ago[64], every[64], after[64], who[300] = "";
    format_age(age, ago, sizeof ago);
    text_format_duration(c->interval_ms, every, sizeof every);
    text_format_duration(limit, after, sizeof after);
    if (c->running_on && *c->running_on)
        snprintf(who, sizeof who, "; still running on %.256s", c->running_on);
    else if (c->last_member && *c->last_member)
        snprintf(who, sizeof who, "; last run by %.256s", c->last_member);
    snprintf(reason, sizeof reason,
             "check '%.200s' has not started for %s (interval %s, stale "
             "after %s)%s",
             c->check, ago, every, after, who);
    return fail_metric(mem, m, reason) == 0 ? m : NULL;
}

/* A member whose host runs another member that joined after this one's
 * last heartbeat: it was restarted there. */
static const watchdog_member_age *successor(const watchdog_input *in,
                                            const watchdog_member_age *dead)
{
    for (size_t i = 0; i < in->member_count; i++) {
        const watchdog_member_age *m = &in->members[i];
        if (m != dead && m->host && dead->host &&
            strcmp(m->host, dead->host) == 0 &&
            m->started_ms > dead->heartbeat_ms)
            return m;
    }
    return NULL;
}

static nbaq_metric *judge_member(arena *mem, const watchdog_policy *p,
                                 const watchdog_input *in,
                                 const watchdog_member_age *mb)
{
    int64_t age = in->now_ms - mb->heartbeat_ms;
    nbaq_metric *m = new_metric(mem, "member", mb->member, age);
    if (!m || mb->stopped_ms || age <= p->member_dead_after_ms ||
        successor(in, mb))
        return m;
    char reason[REASON_MAX], ago[64];
    format_age(age, ago, sizeof ago);
    snprintf(reason, sizeof reason,
             "fleet member %.256s stopped heartbeating %s ago without a "
             "clean stop",
             mb->member, ago);
    return fail_metric(mem, m, reason) == 0 ? m : NULL;
}

static const char *summary(arena *mem, size_t stale, size_t dead)
{
    char text[160];
    if (!stale && !dead)
        return "";
    snprintf(text, sizeof text, "%zu stale check%s, %zu dead member%s", stale,
             stale == 1 ? "" : "s", dead, dead == 1 ? "" : "s");
    return arena_strdup(mem, text);
}

nbaq_check_result *watchdog_judge(arena *mem, const watchdog_policy *p,
                                  const watchdog_input *in)
{
    size_t n = in->check_count + in->member_count, k = 0;
    size_t failing[2] = {0, 0};
    nbaq_check_result *r = arena_alloc(mem, sizeof *r);
    const nbaq_metric **metrics =
        arena_alloc(mem, (n ? n : 1) * sizeof *metrics);
    if (!r || !metrics)
        return NULL;
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < in->check_count; i++, k++) {
        nbaq_metric *m = judge_check(mem, p, &in->checks[i], in->now_ms);
        if (!m)
            return NULL;
        failing[0] += m->status != NBAQ_PASS;
        metrics[k] = m;
    }
    for (size_t i = 0; i < in->member_count; i++, k++) {
        nbaq_metric *m = judge_member(mem, p, in, &in->members[i]);
        if (!m)
            return NULL;
        failing[1] += m->status != NBAQ_PASS;
        metrics[k] = m;
    }
    r->name = WATCHDOG_CHECK;
    r->plugin = "nbaq";
    r->status = failing[0] + failing[1] ? NBAQ_FAIL : NBAQ_PASS;
    r->message = summary(mem, failing[0], failing[1]);
    r->severity = WATCHDOG_SEVERITY;
    r->started_ms = in->now_ms;
    r->metrics = metrics;
    r->metric_count = n;
    return r->message ? r : NULL;
}
