/*
 * lifecycle.c - one fingerprint's alert, one run at a time.
 */
#include "lifecycle.h"

nbaq_severity lifecycle_raise(nbaq_severity base)
{
    return base >= NBAQ_SEV_CRITICAL ? NBAQ_SEV_CRITICAL
                                     : (nbaq_severity)(base + 1);
}

int lifecycle_notifies(lifecycle_event event, int notify_lowered)
{
    if (event == LIFECYCLE_LOWERED)
        return notify_lowered;
    return event != LIFECYCLE_NONE;
}

static void count_result(history_alert *a, int failing, int64_t now_ms)
{
    flap_record(&a->results, &a->result_count, failing);
    if (failing) {
        if (a->failing_runs++ == 0)
            a->fail_since_ms = now_ms;
        a->passing_runs = 0;
        a->pass_since_ms = 0;
    } else {
        if (a->passing_runs++ == 0)
            a->pass_since_ms = now_ms;
        a->failing_runs = 0;
        a->fail_since_ms = 0;
    }
}

static void open_episode(history_alert *a, int64_t started_ms,
                         nbaq_severity severity)
{
    a->open = 1;
    a->episode++;
    a->started_ms = started_ms;
    a->ended_ms = 0;
    a->escalated = 0;
    a->severity = severity;
    if (a->notified)
        a->notified[0] = '\0';
}

static int escalation_due(const history_alert *a, const lifecycle_policy *p,
                          int64_t now_ms, nbaq_severity severity)
{
    if (a->escalated || severity >= NBAQ_SEV_CRITICAL)
        return 0;
    if (p->escalate_after_runs && a->failing_runs >= p->escalate_after_runs)
        return 1;
    return p->escalate_after_ms &&
           now_ms - a->started_ms >= p->escalate_after_ms;
}

/* An open alert failing again: its severity follows the status (one
 * level up once escalated). */
static lifecycle_event step_failing(history_alert *a, const lifecycle_policy *p,
                                    int64_t now_ms, nbaq_severity severity)
{
    nbaq_severity target = a->escalated ? lifecycle_raise(severity) : severity;
    nbaq_severity shown = a->severity;
    int raised = escalation_due(a, p, now_ms, target);
    if (raised) {
        a->escalated = 1;
        target = lifecycle_raise(target);
    }
    a->severity = target;
    if (raised || target > shown) {
        a->state = NBAQ_ALERT_ESCALATED;
        return LIFECYCLE_ESCALATED;
    }
    a->state = NBAQ_ALERT_FIRING;
    return target < shown ? LIFECYCLE_LOWERED : LIFECYCLE_NONE;
}

static lifecycle_event step_open(history_alert *a, const lifecycle_policy *p,
                                 int failing, int64_t now_ms,
                                 nbaq_severity severity)
{
    if (failing)
        return step_failing(a, p, now_ms, severity);
    if (a->passing_runs >= p->resolve_after) {
        a->open = 0;
        a->ended_ms = a->pass_since_ms;
        a->state = NBAQ_ALERT_RESOLVED;
        return LIFECYCLE_RESOLVED;
    }
    a->state = NBAQ_ALERT_FIRING;
    return LIFECYCLE_NONE;
}

/* While flapping nothing is notified but its start; the severity still
 * follows the failing runs. */
static lifecycle_event step_flapping(history_alert *a, int was_flapping,
                                     int failing, int64_t now_ms,
                                     nbaq_severity severity)
{
    lifecycle_event event = LIFECYCLE_NONE;
    if (!was_flapping) {
        if (!a->open)
            open_episode(a, now_ms, severity);
        event = LIFECYCLE_FLAPPING;
    }
    if (failing)
        a->severity = a->escalated ? lifecycle_raise(severity) : severity;
    a->state = NBAQ_ALERT_FLAPPING;
    return event;
}

lifecycle_event lifecycle_step(history_alert *a, const lifecycle_policy *p,
                               int failing, int64_t now_ms,
                               nbaq_severity severity)
{
    count_result(a, failing, now_ms);
    int was_flapping = a->flapping;
    a->flapping =
        flap_update(a->flapping, a->results, a->result_count, &p->flap);
    if (a->flapping)
        return step_flapping(a, was_flapping, failing, now_ms, severity);
    if (a->open && was_flapping && failing) {
        /* The alternation stopped on a lasting failure: say so. */
        step_failing(a, p, now_ms, severity);
        a->state = NBAQ_ALERT_FIRING;
        return LIFECYCLE_SETTLED;
    }
    if (a->open)
        return step_open(a, p, failing, now_ms, severity);
    if (failing && a->failing_runs >= p->open_after) {
        open_episode(a, a->fail_since_ms, severity);
        a->state = NBAQ_ALERT_NEW;
        return LIFECYCLE_OPENED;
    }
    return LIFECYCLE_NONE;
}

lifecycle_event lifecycle_close(history_alert *a, int64_t now_ms)
{
    if (!a->open)
        return LIFECYCLE_NONE;
    a->open = 0;
    a->flapping = 0;
    a->ended_ms = now_ms;
    a->state = NBAQ_ALERT_RESOLVED;
    return LIFECYCLE_RESOLVED;
}

int lifecycle_forgettable(const history_alert *a, const lifecycle_policy *p)
{
    if (a->open || a->failing_runs > 0)
        return 0;
    if (!p->flap.enabled)
        return 1;
    return !flap_window_has_failure(a->results, a->result_count,
                                    p->flap.window);
}
