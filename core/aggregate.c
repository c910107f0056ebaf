#include "aggregate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "clock.h"
#include "evaluate.h"
#include "log.h"
#include "metric_audit.h"
#include "status.h"

static history_past *keep_past(aggregate_ctx *ax)
{
    if (ax->past_count == ax->past_cap) {
        size_t cap = ax->past_cap ? ax->past_cap * 2 : 64;
        history_past **grown = realloc(ax->pasts, cap * sizeof *grown);
        if (!grown)
            return NULL;
        ax->pasts = grown;
        ax->past_cap = cap;
    }
    history_past *past = arena_alloc(ax->mem, sizeof *past);
    if (past)
        ax->pasts[ax->past_count++] = past;
    return past;
}

/* Thresholds, then history: the one place a metric gets its status. */
static int evaluate_check_metric(aggregate_ctx *ax, const check_config *check,
                                 nbaq_metric *m)
{
    const metric_rule *rule =
        evaluate_find_rule(check->rules, check->rule_count, m->name);
    history_past *past = keep_past(ax);
    if (!past)
        return -1;
    char err[512];
    int have_past = 1;
    if (history_load_past(ax->store, ax->monitor, check->name, m->name, rule,
                          ax->now_ms, &ax->settings, past, err,
                          sizeof err) != 0) {
        log_msg(NBAQ_LOG_WARN, NULL, "check '%s': metric '%s': history: %s",
                check->name, m->name, err);
        have_past = 0;
    }
    evaluate_metric(ax->mem, rule, ax->store && have_past ? past : NULL,
                    ax->now_ms, m);
    history_annotate(m, past, rule ? rule->better : RULE_BETTER_NONE,
                     ax->now_ms, &ax->settings);
    return 0;
}

static int build_metrics(aggregate_ctx *ax, const check_config *check,
                         const job_outcome *out, nbaq_check_result *r)
{
    arena *mem = ax->mem;
    size_t n = out->metric_count;
    nbaq_metric **metrics = arena_alloc(mem, (n ? n : 1) * sizeof *metrics);
    if (!metrics)
        return -1;
    for (size_t i = 0; i < n; i++) {
        nbaq_metric *m = arena_alloc(mem, sizeof *m);
        if (!m)
            return -1;
        m->name = arena_strdup(mem, out->metrics[i].name);
        m->unit = arena_strdup(mem, out->metrics[i].unit);
        m->value = out->metrics[i].value;
        m->reason = "";
        m->change_pct = NAN;
        m->previous_window_mean = NAN;
        if (!m->name || !m->unit)
            return -1;
        if (evaluate_check_metric(ax, check, m) != 0)
            return -1;
        metrics[i] = m;
    }
    r->metrics = (const nbaq_metric *const *)metrics;
    r->metric_count = n;
    return 0;
}

nbaq_check_result *aggregate_check(aggregate_ctx *ax, const check_config *check,
                                   const job *j)
{
    arena *mem = ax->mem;
    nbaq_check_result *r = arena_alloc(mem, sizeof *r);
    if (!r)
        return NULL;
    r->name = check->name;
    r->plugin = check->plugin;
    r->severity = check->severity;
    r->started_ms = j->out.started_ms;
    r->duration_ms = j->out.duration_ms;
    char buf[RECORD_MESSAGE_MAX + 256];
    nbaq_status plugin_status;
    const char *plugin_message;
    job_conclude(j, &plugin_status, &plugin_message, buf, sizeof buf);
    int ended_normally = plugin_message != buf;
    if (ended_normally) {
        if (build_metrics(ax, check, &j->out, r) != 0)
            return NULL;
        metric_audit_log(check, &j->out);
    } else {
        r->metrics = NULL;
        r->metric_count = 0;
    }
    evaluate_check_status(mem, plugin_status, plugin_message, r->metrics,
                          r->metric_count, &r->status, &r->message);
    if (ended_normally && j->out.metrics_dropped > 0) {
        size_t len = strlen(r->message) + 128;
        char *message = arena_alloc(mem, len);
        if (!message)
            return NULL;
        snprintf(message, len,
                 "%s%s%zu metrics dropped (a check may set "
                 "at most %d)",
                 r->message, r->message[0] ? "; " : "", j->out.metrics_dropped,
                 RECORD_METRICS_MAX);
        r->message = message;
    }
    return r;
}

void aggregate_run_id(int64_t started_ms, char *buf, size_t size)
{
    uint32_t random_bits = 0;
    if (getrandom(&random_bits, sizeof random_bits, GRND_NONBLOCK) !=
        (ssize_t)sizeof random_bits)
        random_bits = (uint32_t)getpid() ^ (uint32_t)clock_mono_ms();
    char stamp[64];
    clock_format_compact(started_ms, stamp, sizeof stamp);
    snprintf(buf, size, "%s-%08x", stamp, random_bits);
}

nbaq_run *aggregate_run(arena *mem, const char *monitor, int64_t started_ms,
                        int64_t finished_ms, nbaq_check_result **checks,
                        size_t count)
{
    nbaq_run *run = arena_alloc(mem, sizeof *run);
    if (!run)
        return NULL;
    char id[96];
    aggregate_run_id(started_ms, id, sizeof id);
    run->struct_size = (uint32_t)sizeof *run;
    run->monitor = monitor;
    run->run_id = arena_strdup(mem, id);
    run->started_ms = started_ms;
    run->finished_ms = finished_ms;
    run->status = NBAQ_PASS;
    for (size_t i = 0; i < count; i++) {
        run->status = status_worst(run->status, checks[i]->status);
        run->status_counts[checks[i]->status]++;
    }
    run->checks = (const nbaq_check_result *const *)checks;
    run->check_count = count;
    run->alerts = NULL;
    run->alert_count = 0;
    run->history_saved = 0;
    return run->run_id ? run : NULL;
}

void aggregate_free(aggregate_ctx *ax)
{
    for (size_t i = 0; i < ax->past_count; i++)
        history_past_free(ax->pasts[i]);
    free(ax->pasts);
    ax->pasts = NULL;
    ax->past_count = ax->past_cap = 0;
}
