#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "alerts.h"
#include "check_wire.h"
#include "clock.h"
#include "history.h"
#include "kvlist.h"
#include "hostapi.h"
#include "log.h"
#include "reconcile.h"
#include "registry.h"
#include "runcache.h"
#include "runner.h"
#include "status.h"
#include "text.h"
#include "vanished.h"

/* What one check or reporter job needs, in the parent and in the child. */
typedef struct instance_job {
    nbaq_ctx ctx;
    const plugin *plugin;
    const check_config *check; /* checks                                 */
    history_store *store;
    const char *monitor;
    history_state state; /* loaded before the fork, freed after     */
    const nbaq_run *run; /* reporters                               */
    long channel;        /* reporters: alerts channel, or -1        */
    char label[128];
    /* checks, judged as soon as each ends (judge_check)                 */
    aggregate_ctx *ax;
    int judged;
    vanished_check vanished;
    nbaq_check_result *result; /* in the run's arena; NULL: no memory  */
} instance_job;

/* The checks of one run, between running and reporting. */
typedef struct check_batch {
    size_t count;
    nbaq_check_result **results; /* in the run's arena                    */
    alerts_check_input *inputs;  /* in the run's arena: for the alerts    */
    kvlist *states;              /* malloc'd: each check's new state      */
} check_batch;

static void check_before_fork(job *j)
{
    instance_job *ij = j->arg;
    char err[512];
    if (!ij->store)
        return;
    if (history_state_load(ij->store, ij->monitor, ij->check->name, &ij->state,
                           err, sizeof err) != 0)
        log_msg(NBAQ_LOG_WARN, j->label, "cannot load its state: %s", err);
    ij->ctx.state = &ij->state;
}

static void check_after_fork(job *j)
{
    instance_job *ij = j->arg;
    history_state_free(&ij->state);
    ij->ctx.state = NULL;
}

static void check_encode(job *j, textbuf *out)
{
    instance_job *ij = j->arg;
    check_wire_encode(out, &ij->ctx);
}

static void check_child(void *arg, int stdout_fd, int64_t deadline_ms)
{
    instance_job *ij = arg;
    ij->ctx.stdout_fd = stdout_fd;
    ij->ctx.deadline_ms = deadline_ms;
    hostapi_run_check(&ij->ctx, ij->plugin->check);
}

static void reporter_child(void *arg, int stdout_fd, int64_t deadline_ms)
{
    instance_job *ij = arg;
    ij->ctx.stdout_fd = stdout_fd;
    ij->ctx.deadline_ms = deadline_ms;
    hostapi_run_report(&ij->ctx, ij->plugin->report, ij->run);
}

static int selected(const check_config *c, const char *const *only,
                    size_t only_count)
{
    if (!only_count)
        return c->enabled;
    for (size_t i = 0; i < only_count; i++) {
        if (strcmp(only[i], c->name) == 0)
            return 1;
    }
    return 0;
}

static void fill_ctx(nbaq_ctx *ctx, const config *cfg, const plugin *p,
                     const char *name, const nbaq_options *options,
                     const char *cache_dir, int64_t started_ms)
{
    ctx->kind = p->kind;
    ctx->flags = p->flags;
    ctx->instance = name;
    ctx->plugin = p->name;
    ctx->monitor = cfg->monitor;
    ctx->config_dir = cfg->dir;
    ctx->cache_dir = cache_dir;
    ctx->options = options;
    ctx->run_started_ms = started_ms;
    ctx->stdout_fd = -1;
}

static void log_check(const nbaq_check_result *r)
{
    log_msg(NBAQ_LOG_INFO, NULL, "check '%s': %s in %lld ms%s%s", r->name,
            status_name(r->status), (long long)r->duration_ms,
            r->message[0] ? ": " : "", r->message);
}

static void batch_free(check_batch *b)
{
    for (size_t i = 0; b->states && i < b->count; i++)
        kvlist_free(&b->states[i]);
    free(b->states);
    b->states = NULL;
}

/* The past values the check backfilled, stored before its metrics are
 * judged (they are part of their past). */
static void store_backfill(aggregate_ctx *ax, const check_config *check, job *j)
{
    char err[1024];
    size_t stored = 0;
    if (backfill_store(ax->store, ax->monitor, check->name, check->plugin,
                       &j->out.backfill, ax->now_ms, &stored, err,
                       sizeof err) != 0)
        log_msg(NBAQ_LOG_WARN, j->label, "backfill not stored: %s", err);
    else if (stored > 0)
        log_msg(NBAQ_LOG_INFO, j->label, "%zu past values backfilled", stored);
}

/* Judges a check's metrics against their past as soon as it has ended,
 * while the other checks still run (job.on_done). */
static void judge_check(job *j)
{
    instance_job *ij = j->arg;
    aggregate_ctx *ax = ij->ax;
    store_backfill(ax, ij->check, j);
    /* Judging only reads: one snapshot for the whole check. */
    history_read_begin(ax->store);
    vanished_detect(ax->store, ax->monitor, ij->check, j, ax->now_ms,
                    &ij->vanished);
    ij->result = aggregate_check(ax, ij->check, j);
    history_read_end(ax->store);
    ij->judged = 1;
}

static int run_checks(config *cfg, const char *const *only, size_t only_count,
                      const char *cache_dir, aggregate_ctx *ax,
                      check_batch *batch, char *err, size_t err_size)
{
    arena *mem = ax->mem;
    history_store *store = ax->store;
    int64_t started_ms = ax->now_ms;
    size_t n = 0;
    for (size_t i = 0; i < cfg->check_count; i++)
        n += selected(&cfg->checks[i], only, only_count) ? 1 : 0;
    job *jobs = calloc(n ? n : 1, sizeof *jobs);
    instance_job *args = calloc(n ? n : 1, sizeof *args);
    batch->results = arena_alloc(mem, (n ? n : 1) * sizeof *batch->results);
    batch->inputs = arena_alloc(mem, (n ? n : 1) * sizeof *batch->inputs);
    batch->states = calloc(n ? n : 1, sizeof *batch->states);
    batch->count = n;
    int rc = 0;
    if (!jobs || !args || !batch->results || !batch->inputs || !batch->states) {
        rc = err_set(err, err_size, "out of memory");
        goto done;
    }
    for (size_t i = 0, k = 0; i < cfg->check_count; i++) {
        check_config *c = &cfg->checks[i];
        if (!selected(c, only, only_count))
            continue;
        instance_job *ij = &args[k];
        ij->plugin = c->plugin_ref;
        ij->check = c;
        ij->store = store;
        ij->monitor = cfg->monitor;
        ij->ax = ax;
        fill_ctx(&ij->ctx, cfg, c->plugin_ref, c->name, c->options, cache_dir,
                 started_ms);
        snprintf(ij->label, sizeof ij->label, "check '%.100s'", c->name);
        jobs[k++] = (job){.label = ij->label,
                          .timeout_ms = c->timeout_ms,
                          .child_main = check_child,
                          .arg = ij,
                          .before_fork = check_before_fork,
                          .after_fork = check_after_fork,
                          .plugin_name = c->plugin_ref->name,
                          .plugin_path = c->plugin_ref->path,
                          .encode = check_encode,
                          .on_done = judge_check};
    }
    rc = runner_run(jobs, n, cfg->workers, err, err_size);
    for (size_t k = 0; rc == 0 && k < n; k++) {
        if (!args[k].judged) /* never started */
            judge_check(&jobs[k]);
        batch->results[k] = args[k].result;
        if (batch->results[k] &&
            vanished_report(mem, &args[k].vanished, batch->results[k]) != 0)
            batch->results[k] = NULL;
        if (!batch->results[k]) {
            rc = err_set(err, err_size, "out of memory");
            break;
        }
        log_check(batch->results[k]);
        /* The plugin's own status, without its metrics': the alert of
         * the check's condition "status" (core/alerts/). */
        char buf[RECORD_MESSAGE_MAX + 256];
        const char *own;
        alerts_check_input *in = &batch->inputs[k];
        job_conclude(&jobs[k], &in->own_status, &own, buf, sizeof buf);
        in->result = batch->results[k];
        in->own_message = arena_strdup(mem, own);
        batch->states[k] = jobs[k].out.state;
        jobs[k].out.state = (kvlist){0};
    }
done:
    for (size_t k = 0; args && k < n; k++)
        vanished_free(&args[k].vanished);
    for (size_t k = 0; jobs && k < n; k++)
        job_outcome_free(&jobs[k].out);
    free(jobs);
    free(args);
    if (rc != 0)
        batch_free(batch);
    return rc;
}

/* Is reporter i of the group being run: the alerts channels, or the
 * other reporters? */
static int in_group(const config *cfg, const alerts_run *ar, size_t i,
                    int channels)
{
    return cfg->reporters[i].enabled &&
           (alerts_channel_of(ar, i) >= 0) == channels;
}

/* Runs the enabled reporters of one group, in config order; a channel
 * gets its own view of the alerts and its outcome is recorded in the
 * outbox. Returns how many failed. */
static size_t run_reporter_group(config *cfg, const nbaq_run *run,
                                 const char *cache_dir, alerts_run *ar,
                                 int channels)
{
    size_t n = 0, failed = 0;
    for (size_t i = 0; i < cfg->reporter_count; i++)
        n += in_group(cfg, ar, i, channels);
    if (n == 0)
        return 0;
    job *jobs = calloc(n, sizeof *jobs);
    instance_job *args = calloc(n, sizeof *args);
    if (!jobs || !args) {
        free(jobs);
        free(args);
        log_msg(NBAQ_LOG_ERROR, NULL, "reporters not run: out of memory");
        return n;
    }
    for (size_t i = 0, k = 0; i < cfg->reporter_count; i++) {
        reporter_config *r = &cfg->reporters[i];
        if (!in_group(cfg, ar, i, channels))
            continue;
        instance_job *ij = &args[k];
        ij->plugin = r->plugin_ref;
        ij->channel = alerts_channel_of(ar, i);
        ij->run = channels ? alerts_channel_view(ar, ij->channel, run) : run;
        if (!ij->run) {
            log_msg(NBAQ_LOG_ERROR, NULL, "reporters not run: out of memory");
            free(jobs);
            free(args);
            return n;
        }
        fill_ctx(&ij->ctx, cfg, r->plugin_ref, r->name, r->options, cache_dir,
                 run->started_ms);
        snprintf(ij->label, sizeof ij->label, "reporter '%.100s'", r->name);
        jobs[k++] = (job){.label = ij->label,
                          .timeout_ms = r->timeout_ms,
                          .child_main = reporter_child,
                          .arg = ij};
    }
    char err[512];
    /* One at a time: reports on stdout come out whole, in config order. */
    if (runner_run(jobs, n, 1, err, sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "reporters not run: %s", err);
        failed = n;
    }
    for (size_t k = 0; failed < n && k < n; k++) {
        nbaq_status status;
        const char *message;
        char buf[RECORD_MESSAGE_MAX + 256];
        job_conclude(&jobs[k], &status, &message, buf, sizeof buf);
        if (channels)
            alerts_channel_done(ar, args[k].channel, status == NBAQ_PASS,
                                message);
        if (status != NBAQ_PASS) {
            log_msg(NBAQ_LOG_ERROR, NULL, "%s failed: %s", jobs[k].label,
                    message);
            failed++;
        } else {
            log_msg(NBAQ_LOG_DEBUG, jobs[k].label, "done in %lld ms",
                    (long long)jobs[k].out.duration_ms);
        }
    }
    for (size_t k = 0; k < n; k++)
        job_outcome_free(&jobs[k].out);
    free(jobs);
    free(args);
    return failed;
}

/* The channels first, so that the reports written after them show a
 * channel that could not deliver (a "channel:<name>" entry); then the
 * other reporters. Returns how many failed. */
static size_t run_reporters(config *cfg, nbaq_run *run, const char *cache_dir,
                            alerts_run *ar, arena *mem)
{
    size_t failed = run_reporter_group(cfg, run, cache_dir, ar, 1);
    if (alerts_add_failures(ar, run, mem) < 0)
        log_msg(NBAQ_LOG_ERROR, NULL, "alerts: out of memory");
    return failed + run_reporter_group(cfg, run, cache_dir, ar, 0);
}

/* Every state_set of the run, as the history store takes them. */
static history_state_entry *state_entries(const check_batch *batch,
                                          size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < batch->count; i++)
        n += batch->states[i].count;
    *count = n;
    history_state_entry *entries = calloc(n ? n : 1, sizeof *entries);
    if (!entries)
        return NULL;
    for (size_t i = 0, k = 0; i < batch->count; i++) {
        for (size_t s = 0; s < batch->states[i].count; s++)
            entries[k++] =
                (history_state_entry){.check = batch->results[i]->name,
                                      .key = batch->states[i].items[s].key,
                                      .value = batch->states[i].items[s].value};
    }
    return entries;
}

/* Saves the run (and prunes) when a store is open; sets history_saved. */
static void save_history(const config *cfg, history_store *store,
                         int open_failed, nbaq_run *run,
                         const check_batch *batch, run_summary *summary)
{
    char err[1024];
    if (!cfg->history.configured) {
        run->history_saved = 0;
        return;
    }
    run->history_saved = -1;
    summary->history_failed = 1;
    if (open_failed)
        return;
    size_t count;
    history_state_entry *entries = state_entries(batch, &count);
    if (!entries) {
        log_msg(NBAQ_LOG_ERROR, NULL, "history not saved: out of memory");
        return;
    }
    int rc = history_save_run(store, run, entries, count, err, sizeof err);
    free(entries);
    if (rc != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "history not saved: %s", err);
        return;
    }
    run->history_saved = 1;
    summary->history_failed = 0;
    if (cfg->history.retention_ms > 0) {
        uint64_t deleted = 0;
        if (history_prune(store, run->monitor,
                          run->started_ms - cfg->history.retention_ms, &deleted,
                          err, sizeof err) != 0)
            log_msg(NBAQ_LOG_WARN, NULL, "history not pruned: %s", err);
        else if (deleted > 0)
            log_msg(NBAQ_LOG_INFO, NULL, "history: %llu old runs pruned",
                    (unsigned long long)deleted);
    }
}

static history_store *open_history(const config *cfg, int *failed)
{
    history_store *store = NULL;
    char err[1024];
    *failed = 0;
    if (!cfg->history.configured)
        return NULL;
    if (history_open(cfg->history.url, cfg->dir, NULL, &store, err,
                     sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "%s: history store: %s",
                cfg->history.location, err);
        *failed = 1;
        return NULL;
    }
    return store;
}

int run_monitor(config *cfg, const char *const *only, size_t only_count,
                run_summary *summary, char *err, size_t err_size)
{
    return run_monitor_observed(cfg, only, only_count, NULL, NULL, summary, err,
                                err_size);
}

/* Host-judged results as a batch: the host's own status PASS. */
static int host_batch(arena *mem, nbaq_check_result *const *results,
                      size_t count, check_batch *batch, char *err,
                      size_t err_size)
{
    batch->count = count;
    batch->results = arena_alloc(mem, (count ? count : 1) * sizeof(void *));
    batch->inputs =
        arena_alloc(mem, (count ? count : 1) * sizeof *batch->inputs);
    batch->states = calloc(count ? count : 1, sizeof *batch->states);
    if (!batch->results || !batch->inputs || !batch->states) {
        batch_free(batch);
        return err_set(err, err_size, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        batch->results[i] = results[i];
        batch->inputs[i] = (alerts_check_input){
            .result = results[i], .own_status = NBAQ_PASS, .own_message = ""};
    }
    return 0;
}

/* What one run runs: plugin checks (only), or host-judged results. */
typedef struct run_plan {
    const char *const *only;
    size_t only_count;
    nbaq_check_result *const *host_results;
    size_t host_count;
    int host_checks;
} run_plan;

static int run_plan_execute(config *cfg, const run_plan *plan,
                            run_observer observe, void *observe_arg,
                            run_summary *summary, char *err, size_t err_size)
{
    memset(summary, 0, sizeof *summary);
    char cache_dir[4096];
    if (runcache_make(cfg->monitor, cache_dir, sizeof cache_dir, err, err_size))
        return -1;
    int open_failed;
    history_store *store = open_history(cfg, &open_failed);
    arena mem = ARENA_INIT;
    aggregate_ctx ax = {
        .mem = &mem,
        .store = store,
        .monitor = cfg->monitor,
        .now_ms = clock_wall_ms(),
        .settings = {cfg->history.trend_window_ms, cfg->history.report_points}};
    check_batch batch = {0};
    alerts_run alerts = {0};
    int rc = plan->host_checks
                 ? host_batch(&mem, plan->host_results, plan->host_count,
                              &batch, err, err_size)
                 : run_checks(cfg, plan->only, plan->only_count, cache_dir, &ax,
                              &batch, err, err_size);
    nbaq_run *run = NULL;
    if (rc == 0) {
        if (!plan->host_checks)
            reconcile_run(&mem, cfg, batch.results, batch.count);
        run = aggregate_run(&mem, cfg->monitor, ax.now_ms, clock_wall_ms(),
                            batch.results, batch.count);
        if (!run)
            rc = err_set(err, err_size, "out of memory");
    }
    if (rc == 0) {
        summary->checks_run = batch.count;
        summary->status = run->status;
        summary->interrupted = runner_interrupted();
        /* An interrupted run says nothing about the checks: no alert
         * changes state for it. */
        alerts_params ap = {.cfg = cfg,
                            .store = store,
                            .store_failed = open_failed,
                            .checks = batch.inputs,
                            .check_count = batch.count,
                            .full_run =
                                !plan->host_checks && plan->only_count == 0};
        if (!summary->interrupted &&
            alerts_process(&alerts, &ap, run, err, err_size) != 0)
            rc = -1;
        summary->alerts_failed = alerts.failed;
    }
    if (rc == 0) {
        if (!plan->host_checks)
            save_history(cfg, store, open_failed, run, &batch, summary);
        if (observe)
            observe(observe_arg, run);
        if (!summary->interrupted)
            summary->reporters_failed =
                plan->host_checks
                    ? run_reporter_group(cfg, run, cache_dir, &alerts, 1)
                    : run_reporters(cfg, run, cache_dir, &alerts, &mem);
    }
    alerts_run_free(&alerts);
    batch_free(&batch);
    aggregate_free(&ax);
    arena_free(&mem);
    runcache_remove(cache_dir);
    history_close(store);
    return rc;
}

int run_monitor_observed(config *cfg, const char *const *only,
                         size_t only_count, run_observer observe,
                         void *observe_arg, run_summary *summary, char *err,
                         size_t err_size)
{
    run_plan plan = {.only = only, .only_count = only_count};
    return run_plan_execute(cfg, &plan, observe, observe_arg, summary, err,
                            err_size);
}

int run_monitor_host_checks(config *cfg, nbaq_check_result *const *results,
                            size_t count, run_observer observe,
                            void *observe_arg, run_summary *summary, char *err,
                            size_t err_size)
{
    run_plan plan = {
        .host_results = results, .host_count = count, .host_checks = 1};
    return run_plan_execute(cfg, &plan, observe, observe_arg, summary, err,
                            err_size);
}
