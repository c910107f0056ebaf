/*
 * alerts.c - one run's alerts, from the checks' results to the outbox
 * (the sequence is in alerts.h).
 */
#include "alerts.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "alerts_internal.h"
#include "fingerprint.h"
#include "log.h"
#include "silence.h"
#include "text.h"

typedef struct run_state {
    alerts_run *ar;
    const alerts_params *params;
    tracked_set set;
    history_silence *silences;
    size_t silence_count;
    lifecycle_policy policy;
    int in_transaction;
} run_state;

static lifecycle_policy policy_of(const alerts_config *ac, int remembered)
{
    lifecycle_policy p = {.open_after = 1, .resolve_after = 1};
    if (!remembered)
        return p; /* without memory every failing fingerprint is new */
    p.open_after = ac->open_after;
    p.resolve_after = ac->resolve_after;
    p.escalate_after_runs = ac->escalate_after_runs;
    p.escalate_after_ms = ac->escalate_after_ms;
    p.flap = (flap_policy){ac->flapping, ac->flap_window, ac->flap_settle};
    return p;
}

/* Opens the lifecycle transaction and loads what the run needs. */
static int begin_and_load(run_state *rs, char *err, size_t err_size)
{
    alerts_run *ar = rs->ar;
    const char *monitor = ar->cfg->monitor;
    history_alert *rows = NULL;
    size_t count = 0;
    if (history_alerts_begin(ar->store, err, err_size) != 0)
        return -1;
    rs->in_transaction = 1;
    if (history_alerts_load(ar->store, monitor, &rows, &count, err, err_size) !=
        0)
        return -1;
    if (track_adopt(&rs->set, rows, count) != 0)
        return err_set(err, err_size, "out of memory");
    return history_silences_load(ar->store, monitor, ar->now_ms, &rs->silences,
                                 &rs->silence_count, err, err_size) != 0 ||
                   history_outbox_claimable(ar->store, monitor, &ar->pending,
                                            &ar->pending_count, err,
                                            err_size) != 0
               ? -1
               : 0;
}

static int observe(run_state *rs, const observation *o)
{
    char fp[ALERT_FINGERPRINT_SIZE];
    alert_fingerprint(rs->ar->cfg->monitor, o->check, o->metric, fp);
    tracked *t = track_find(&rs->set, fp);
    if (!t && !o->failing)
        return 0;
    if (!t && !(t = track_add(&rs->set, fp, o->check, o->metric)))
        return -1;
    nbaq_severity severity =
        alerts_severity_of(&rs->ar->cfg->alerts, o->status, o->severity);
    t->event = lifecycle_step(&t->row, &rs->policy, o->failing, rs->ar->now_ms,
                              severity);
    t->touched = 1;
    t->row.updated_ms = rs->ar->now_ms;
    return o->failing ? track_set_string(&t->row.summary, o->summary) : 0;
}

static const alerts_check_input *input_of(const alerts_params *p,
                                          const char *check)
{
    for (size_t i = 0; i < p->check_count; i++) {
        if (strcmp(p->checks[i].result->name, check) == 0)
            return &p->checks[i];
    }
    return NULL;
}

/* A row this run gave no result: its check is gone, did not run, or ran
 * without reporting the metric. */
static void settle_unobserved(run_state *rs, tracked *t)
{
    const alerts_params *p = rs->params;
    history_alert *a = &t->row;
    const check_config *c = config_find_check(p->cfg, a->check);
    /* The host's own checks (the daemon's watchdog) have a ':' in their
     * name, which no configured check can have: not the config's to
     * remove. */
    if (p->full_run && (!c || !c->enabled) && !strchr(a->check, ':')) {
        t->event = lifecycle_close(a, rs->ar->now_ms);
        t->touched = t->forget = 1;
        return;
    }
    const alerts_check_input *in = input_of(p, a->check);
    /* A check that measured but no longer reports the metric: the metric
     * passes. One that could not measure says nothing about it. */
    if (!in || !*a->metric || in->own_status == NBAQ_ERROR ||
        in->own_status == NBAQ_UNKNOWN)
        return;
    t->event = lifecycle_step(a, &rs->policy, 0, rs->ar->now_ms,
                              c ? c->severity : a->severity);
    t->touched = 1;
    a->updated_ms = rs->ar->now_ms;
}

static int apply_results(run_state *rs)
{
    observation *obs;
    size_t count;
    if (observe_run(&rs->ar->mem, rs->params, &obs, &count) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (observe(rs, &obs[i]) != 0)
            return -1;
    }
    for (size_t i = 0; i < rs->set.count; i++) {
        if (!rs->set.items[i].touched)
            settle_unobserved(rs, &rs->set.items[i]);
    }
    for (size_t i = 0; i < rs->set.count; i++) {
        tracked *t = &rs->set.items[i];
        /* A row this run touched had a result (or its check is gone). */
        int ran = t->touched || input_of(rs->params, t->row.check) != NULL;
        t->shown = t->event == LIFECYCLE_RESOLVED || (t->row.open && ran);
        if (t->shown)
            t->silenced_until_ms =
                silence_until(rs->silences, rs->silence_count,
                              t->row.fingerprint, t->row.check, rs->ar->now_ms);
        if (t->touched && lifecycle_forgettable(&t->row, &rs->policy))
            t->forget = 1;
    }
    return 0;
}

static int save_rows(run_state *rs, char *err, size_t err_size)
{
    tracked_set *set = &rs->set;
    history_alert *keep = malloc((set->count + 1) * sizeof *keep);
    const char **drop = malloc((set->count + 1) * sizeof *drop);
    size_t kept = 0, dropped = 0;
    int rc = keep && drop ? 0 : err_set(err, err_size, "out of memory");
    for (size_t i = 0; rc == 0 && i < set->count; i++) {
        const tracked *t = &set->items[i];
        if (t->forget && !t->is_new)
            drop[dropped++] = t->row.fingerprint;
        else if (t->touched && !t->forget)
            keep[kept++] = t->row;
    }
    const char *monitor = rs->ar->cfg->monitor;
    if (rc == 0)
        rc = history_alerts_save(rs->ar->store, monitor, keep, kept, err,
                                 err_size);
    if (rc == 0)
        rc = history_alerts_delete(rs->ar->store, monitor, drop, dropped, err,
                                   err_size);
    free(keep);
    free(drop);
    return rc;
}

#ifdef NBAQ_TEST_HOOKS
/* Test builds only: NBAQ_TEST_CRASH_AT=<point> kills the host there, so
 * that a test can check what a crash at that point leaves behind. */
static void crash_point(const char *point)
{
    const char *at = getenv("NBAQ_TEST_CRASH_AT");
    if (at && strcmp(at, point) == 0) {
        log_msg(NBAQ_LOG_WARN, NULL, "NBAQ_TEST_CRASH_AT=%s: killing the host",
                point);
        raise(SIGKILL);
    }
}
#else
static void crash_point(const char *point)
{
    (void)point;
}
#endif

/* After a failed transaction: nothing of this run is sent. */
static void drop_sends(run_state *rs)
{
    alerts_run *ar = rs->ar;
    for (size_t i = 0; i < ar->channel_count; i++)
        ar->channels[i].send_count = 0;
    for (size_t i = 0; i < rs->set.count; i++)
        rs->set.items[i].notify = 0;
    history_outbox_free(ar->pending, ar->pending_count);
    ar->pending = NULL;
    ar->pending_count = 0;
}

/* Ends the lifecycle transaction: saves and commits, or rolls back. */
static void finish_transaction(run_state *rs, int rc, const char *why)
{
    alerts_run *ar = rs->ar;
    char err[1024];
    if (rc == 0 && save_rows(rs, err, sizeof err) == 0 &&
        history_outbox_claim(ar->store, ar->cfg->monitor, err, sizeof err) ==
            0 &&
        history_alerts_commit(ar->store, err, sizeof err) == 0) {
        crash_point("outbox");
        return;
    }
    history_alerts_rollback(ar->store);
    log_msg(NBAQ_LOG_ERROR, NULL,
            "alerts: not saved, nothing notified this run: %s",
            rc == 0 ? err : why);
    ar->failed = 1;
    ar->remembered = 0;
    drop_sends(rs);
}

static nbaq_alert *run_alert(alerts_run *ar, const tracked *t)
{
    const history_alert *a = &t->row;
    arena *mem = &ar->mem;
    nbaq_alert *out = arena_alloc(mem, sizeof *out);
    if (!out)
        return NULL;
    int resolved = t->event == LIFECYCLE_RESOLVED;
    out->fingerprint = arena_strdup(mem, a->fingerprint);
    out->check = arena_strdup(mem, a->check);
    out->metric = arena_strdup(mem, a->metric);
    out->summary = arena_strdup(mem, a->summary);
    out->severity = a->severity;
    out->state = resolved                            ? NBAQ_ALERT_RESOLVED
                 : t->silenced_until_ms > ar->now_ms ? NBAQ_ALERT_SILENCED
                                                     : a->state;
    out->started_ms = a->started_ms;
    out->ended_ms = resolved ? a->ended_ms : 0;
    out->silenced_until_ms = resolved ? 0 : t->silenced_until_ms;
    out->notify = t->notify;
    out->failing_runs = a->failing_runs;
    if (!out->fingerprint || !out->check || !out->metric || !out->summary)
        return NULL;
    return out;
}

/* Appends t's alert to alerts once, when it is shown. */
static int emit(alerts_run *ar, tracked_set *set, tracked *t,
                unsigned char *done, const nbaq_alert **alerts, size_t *k)
{
    if (!t || !t->shown || done[t - set->items])
        return 0;
    done[t - set->items] = 1;
    return (alerts[(*k)++] = run_alert(ar, t)) ? 0 : -1;
}

/* run->alerts: the shown alerts, checks in the run's order (each check's
 * own status first, then its metrics in the order reported), then the
 * others (metrics no longer reported, checks that are gone). */
static int build_run_alerts(run_state *rs, nbaq_run *run)
{
    alerts_run *ar = rs->ar;
    tracked_set *set = &rs->set;
    const nbaq_alert **alerts =
        arena_alloc(&ar->mem, (set->count + 1) * sizeof *alerts);
    unsigned char *done = arena_alloc(&ar->mem, set->count + 1);
    if (!alerts || !done)
        return -1;
    size_t k = 0;
    char fp[ALERT_FINGERPRINT_SIZE];
    for (size_t c = 0; c < rs->params->check_count; c++) {
        const nbaq_check_result *r = rs->params->checks[c].result;
        for (size_t m = 0; m <= r->metric_count; m++) {
            alert_fingerprint(ar->cfg->monitor, r->name,
                              m == 0 ? "" : r->metrics[m - 1]->name, fp);
            if (emit(ar, set, track_find(set, fp), done, alerts, &k) != 0)
                return -1;
        }
    }
    for (size_t i = 0; i < set->count; i++) {
        if (emit(ar, set, &set->items[i], done, alerts, &k) != 0)
            return -1;
    }
    run->alerts = alerts;
    run->alert_count = k;
    return 0;
}

static void prune_outbox(alerts_run *ar)
{
    int64_t retention = ar->cfg->history.retention_ms;
    char err[1024];
    if (!ar->remembered || retention <= 0)
        return;
    if (history_outbox_prune(ar->store, ar->cfg->monitor,
                             ar->now_ms - retention, NULL, err,
                             sizeof err) != 0)
        log_msg(NBAQ_LOG_WARN, NULL, "alerts: outbox not pruned: %s", err);
}

static int process(run_state *rs, nbaq_run *run, char *err, size_t err_size)
{
    alerts_run *ar = rs->ar;
    const alerts_params *p = rs->params;
    int suppress = p->store_failed;
    char why[1024] = "out of memory";
    if (p->store) {
        if (begin_and_load(rs, why, sizeof why) == 0) {
            ar->remembered = 1;
        } else {
            log_msg(NBAQ_LOG_ERROR, NULL,
                    "alerts: lifecycle not loaded, nothing notified this "
                    "run: %s",
                    why);
            if (rs->in_transaction)
                history_alerts_rollback(ar->store);
            rs->in_transaction = 0;
            track_free(&rs->set);
            history_outbox_free(ar->pending, ar->pending_count);
            ar->pending = NULL;
            ar->pending_count = 0;
            ar->failed = suppress = 1;
        }
    }
    rs->policy = policy_of(&p->cfg->alerts, ar->remembered);
    router r;
    int rc = channels_router(ar, &r);
    if (rc == 0)
        rc = apply_results(rs);
    if (rc == 0)
        rc = outbox_queue(ar, &r, &rs->set, run->run_id, suppress, why,
                          sizeof why);
    if (rs->in_transaction)
        finish_transaction(rs, rc, why);
    else if (rc != 0)
        return err_set(err, err_size, "alerts: %s", why);
    if (outbox_add_pending(ar, &rs->set) != 0)
        return err_set(err, err_size, "alerts: out of memory");
    if (build_run_alerts(rs, run) != 0)
        return err_set(err, err_size, "alerts: out of memory");
    prune_outbox(ar);
    return 0;
}

int alerts_process(alerts_run *ar, const alerts_params *params, nbaq_run *run,
                   char *err, size_t err_size)
{
    memset(ar, 0, sizeof *ar);
    ar->cfg = params->cfg;
    ar->store = params->store;
    ar->now_ms = run->started_ms;
    run->alerts = NULL;
    run->alert_count = 0;
    if (channels_build(ar) != 0)
        return err_set(err, err_size, "alerts: out of memory");
    run_state rs = {.ar = ar, .params = params};
    int rc = process(&rs, run, err, err_size);
    track_free(&rs.set);
    history_silences_free(rs.silences, rs.silence_count);
    return rc;
}

void alerts_run_free(alerts_run *ar)
{
    history_outbox_free(ar->pending, ar->pending_count);
    ar->pending = NULL;
    ar->pending_count = 0;
    arena_free(&ar->mem);
    ar->channels = NULL;
    ar->channel_count = 0;
}
