/*
 * One run's alerts end to end (core/alerts/alerts.c) over several runs,
 * on a real history store: SQLite in a temporary directory, or (argument
 * "pg") a fresh database on the ctest PostgreSQL fixture. Each run opens
 * the store anew, as the host does, so that everything a run knows comes
 * from the store. Expected values are worked out by hand in comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alerts.h"
#include "fingerprint.h"
#include "history_testlib.h"

#define T0 1714559400000LL /* 2024-05-01T10:30:00Z */
#define MIN 60000LL

static int use_pg;

typedef struct env {
    char *dir;
    char *url;
} env;

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    e->dir = tl_temp_dir();
    if (use_pg) {
        e->url = tl_pg_create_database();
        assert_memory_equal(e->url, "postgresql://", 13);
    } else {
        e->url = malloc(strlen(e->dir) + 16);
        sprintf(e->url, "%s/alerts.db", e->dir);
    }
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    if (use_pg)
        tl_pg_drop_database(e->url);
    tl_rmtree(e->dir);
    free(e->dir);
    free(e->url);
    free(e);
    return 0;
}

/* A config with checks orders (high) and stock (medium), reporters hook
 * and mail, the history store, and the given `alerts:` body. */
static config *load(env *e, const char *alerts, int with_history)
{
    char path[600], *text = malloc(8192);
    snprintf(path, sizeof path, "%s/monitor.yaml", e->dir);
    snprintf(text, 8192,
             "monitor: shop\n"
             "%s%s%s"
             "checks:\n"
             "  - {name: orders, plugin: exec, severity: high}\n"
             "  - {name: stock, plugin: exec}\n"
             "reporters:\n"
             "  - {name: hook, plugin: webhook}\n"
             "  - {name: mail, plugin: email}\n"
             "%s",
             with_history ? "history:\n  url: \"" : "",
             with_history ? e->url : "", with_history ? "\"\n" : "",
             alerts ? alerts : "");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(text);
    char err[1024];
    config *cfg = config_load(path, err, sizeof err);
    if (!cfg)
        fail_msg("config: %s", err);
    return cfg;
}

/* One run under construction: up to 4 checks, one metric each. */
typedef struct run_builder {
    nbaq_run run;
    char run_id[64];
    nbaq_check_result checks[4];
    const nbaq_check_result *check_ptrs[4];
    nbaq_metric metrics[4];
    const nbaq_metric *metric_ptrs[4];
    alerts_check_input inputs[4];
} run_builder;

static void begin_run(run_builder *b, int64_t ts)
{
    memset(b, 0, sizeof *b);
    snprintf(b->run_id, sizeof b->run_id, "run-%lld", (long long)ts);
    b->run.struct_size = sizeof b->run;
    b->run.monitor = "shop";
    b->run.run_id = b->run_id;
    b->run.started_ms = ts;
    b->run.finished_ms = ts + 1000;
    b->run.checks = b->check_ptrs;
}

/* A check whose plugin said own/message; metric NULL: no metric. */
static void add_check(run_builder *b, const char *name, nbaq_severity sev,
                      nbaq_status own, const char *message, const char *metric,
                      nbaq_status metric_status, const char *reason)
{
    size_t i = b->run.check_count++;
    nbaq_check_result *c = &b->checks[i];
    c->name = name;
    c->plugin = "exec";
    c->severity = sev;
    c->status = own > metric_status ? own : metric_status;
    c->message = message;
    c->started_ms = b->run.started_ms;
    if (metric) {
        nbaq_metric *m = &b->metrics[i];
        m->name = metric;
        m->value = 5;
        m->unit = "";
        m->status = metric_status;
        m->reason = reason;
        b->metric_ptrs[i] = m;
        c->metrics = &b->metric_ptrs[i];
        c->metric_count = 1;
    }
    b->check_ptrs[i] = c;
    b->inputs[i] = (alerts_check_input){c, own, message};
}

typedef struct outcome {
    history_store *store;
    alerts_run ar;
    run_builder b;
} outcome;

/* Runs the lifecycle as the host does for the run in o->b. */
static void process(env *e, config *cfg, outcome *o, int full_run)
{
    char err[1024];
    o->store = NULL;
    if (cfg->history.configured &&
        history_open(cfg->history.url, e->dir, NULL, &o->store, err,
                     sizeof err) != 0)
        fail_msg("open: %s", err);
    alerts_params p = {cfg,     o->store, 0, o->b.inputs, o->b.run.check_count,
                       full_run};
    assert_int_equal(alerts_process(&o->ar, &p, &o->b.run, err, sizeof err), 0);
}

static void finish(outcome *o)
{
    alerts_run_free(&o->ar);
    history_close(o->store);
}

/* What channel `name` must send: "STATE:check/metric" items joined by
 * spaces, in view order; "" when nothing. */
static const char *sends(outcome *o, const char *name)
{
    static char out[512];
    out[0] = '\0';
    long channel = -1;
    for (size_t i = 0; i < o->ar.cfg->reporter_count; i++) {
        if (strcmp(o->ar.cfg->reporters[i].name, name) == 0)
            channel = alerts_channel_of(&o->ar, i);
    }
    if (channel < 0)
        return "not a channel";
    const nbaq_run *view = alerts_channel_view(&o->ar, channel, &o->b.run);
    assert_non_null(view);
    static const char *const states[] = {"NEW",      "FIRING",   "ESCALATED",
                                         "RESOLVED", "SILENCED", "FLAPPING"};
    for (size_t i = 0; i < view->alert_count; i++) {
        const nbaq_alert *a = view->alerts[i];
        if (!a->notify)
            continue;
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%s:%s%s%s", len ? " " : "",
                 states[a->state], a->check, *a->metric ? "/" : "", a->metric);
    }
    assert_int_equal(alerts_channel_pending(&o->ar, channel),
                     strlen(out) ? (size_t)(strchr(out, ' ') ? 2 : 1) : 0);
    return out;
}

static void deliver(outcome *o, const char *name, int ok, const char *reason)
{
    for (size_t i = 0; i < o->ar.cfg->reporter_count; i++) {
        if (strcmp(o->ar.cfg->reporters[i].name, name) == 0)
            alerts_channel_done(&o->ar, alerts_channel_of(&o->ar, i), ok,
                                reason);
    }
}

/* The run's alerts: "STATE:check/metric[!]" ('!' when notify is set). */
static const char *shown(const outcome *o)
{
    static char out[512];
    static const char *const states[] = {"NEW",      "FIRING",   "ESCALATED",
                                         "RESOLVED", "SILENCED", "FLAPPING"};
    out[0] = '\0';
    for (size_t i = 0; i < o->b.run.alert_count; i++) {
        const nbaq_alert *a = o->b.run.alerts[i];
        size_t len = strlen(out);
        snprintf(out + len, sizeof out - len, "%s%s:%s%s%s%s", len ? " " : "",
                 states[a->state], a->check, *a->metric ? "/" : "", a->metric,
                 a->notify ? "!" : "");
    }
    return out;
}

static const char ESCALATE_3[] = "alerts:\n"
                                 "  escalate: {after_runs: 3}\n"
                                 "  routes:\n"
                                 "    - {channel: hook}\n";

static const char ROUTE_HOOK[] = "alerts:\n  routes: [{channel: hook}]\n";

static void orders_run(outcome *o, int64_t ts, nbaq_status own)
{
    begin_run(&o->b, ts);
    add_check(&o->b, "orders", NBAQ_SEV_HIGH, own,
              own == NBAQ_PASS ? "ok" : "broken", NULL, NBAQ_PASS, "");
}

static void test_fail_repeat_escalate_resolve(void **state)
{
    env *e = *state;
    config *cfg = load(e, ESCALATE_3, 1);
    outcome o;
    /* Run 1 fails: NEW, sent once. mail is no channel (routes name
     * hook only). */
    orders_run(&o, T0, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "NEW:orders!");
    assert_string_equal(sends(&o, "hook"), "NEW:orders");
    assert_string_equal(sends(&o, "mail"), "not a channel");
    assert_string_equal(o.b.run.alerts[0]->summary, "FAIL: broken");
    assert_int_equal(o.b.run.alerts[0]->severity, NBAQ_SEV_HIGH);
    deliver(&o, "hook", 1, "");
    finish(&o);
    /* Run 2 fails again: FIRING, nothing sent (repeat 4h). */
    orders_run(&o, T0 + 10 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "FIRING:orders");
    assert_string_equal(sends(&o, "hook"), "");
    deliver(&o, "hook", 1, "");
    finish(&o);
    /* Run 3: the third consecutive failure escalates: high -> critical. */
    orders_run(&o, T0 + 20 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "ESCALATED:orders!");
    assert_string_equal(sends(&o, "hook"), "ESCALATED:orders");
    assert_int_equal(o.b.run.alerts[0]->severity, NBAQ_SEV_CRITICAL);
    assert_int_equal(o.b.run.alerts[0]->failing_runs, 3);
    deliver(&o, "hook", 1, "");
    finish(&o);
    /* Run 4 passes: RESOLVED, from run 1 to run 4 (30 minutes). */
    orders_run(&o, T0 + 30 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "RESOLVED:orders!");
    assert_string_equal(sends(&o, "hook"), "RESOLVED:orders");
    assert_int_equal(o.b.run.alerts[0]->started_ms, T0);
    assert_int_equal(o.b.run.alerts[0]->ended_ms, T0 + 30 * MIN);
    deliver(&o, "hook", 1, "");
    finish(&o);
    /* Run 5 passes: nothing at all. */
    orders_run(&o, T0 + 40 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "");
    assert_string_equal(sends(&o, "hook"), "");
    finish(&o);
    config_free(cfg);
}

static void test_failed_delivery_is_retried_next_run(void **state)
{
    env *e = *state;
    config *cfg = load(e, ROUTE_HOOK, 1);
    outcome o;
    orders_run(&o, T0, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "NEW:orders");
    deliver(&o, "hook", 0, "HTTP 500 from http://127.0.0.1:1");
    /* The failure shows as a check-like entry, ERROR. */
    arena mem = ARENA_INIT;
    assert_int_equal(alerts_add_failures(&o.ar, &o.b.run, &mem), 1);
    assert_int_equal(o.b.run.check_count, 2);
    const nbaq_check_result *entry = o.b.run.checks[1];
    assert_string_equal(entry->name, "channel:hook");
    assert_int_equal(entry->status, NBAQ_ERROR);
    assert_int_equal(o.b.run.status, NBAQ_ERROR);
    assert_non_null(strstr(entry->message, "1 notification not delivered: "
                                           "HTTP 500 from http://127.0.0.1:1"));
    assert_non_null(strstr(entry->message, "1 failed attempt)"));
    arena_free(&mem);
    finish(&o);
    /* Run 2: still failing, nothing new; the NEW of run 1 goes again. */
    orders_run(&o, T0 + 10 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "FIRING:orders!");
    assert_string_equal(sends(&o, "hook"), "NEW:orders");
    deliver(&o, "hook", 0, "HTTP 503");
    assert_int_equal(alerts_add_failures(&o.ar, &o.b.run, &mem), 1);
    assert_non_null(strstr(o.b.run.checks[1]->message, "2 failed attempts"));
    arena_free(&mem);
    finish(&o);
    /* Run 3 delivers it; run 4 sends nothing. */
    orders_run(&o, T0 + 12 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "NEW:orders");
    deliver(&o, "hook", 1, "");
    finish(&o);
    orders_run(&o, T0 + 14 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "");
    finish(&o);
    config_free(cfg);
}

static void test_crash_before_send_sends_once_next_run(void **state)
{
    env *e = *state;
    config *cfg = load(e, ESCALATE_3, 1);
    outcome o;
    /* The run commits its outbox and dies before the channel runs:
     * alerts_channel_done is never called. */
    orders_run(&o, T0, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "NEW:orders");
    finish(&o);
    orders_run(&o, T0 + 10 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "NEW:orders");
    deliver(&o, "hook", 1, "");
    finish(&o);
    orders_run(&o, T0 + 20 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "RESOLVED:orders");
    finish(&o);
    config_free(cfg);
}

static void test_undelivered_transition_is_superseded(void **state)
{
    env *e = *state;
    config *cfg = load(e, ESCALATE_3, 1);
    outcome o;
    orders_run(&o, T0, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    deliver(&o, "hook", 0, "down");
    finish(&o);
    /* It resolved before the NEW got through: only RESOLVED is sent. */
    orders_run(&o, T0 + 10 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "RESOLVED:orders");
    deliver(&o, "hook", 1, "");
    finish(&o);
    orders_run(&o, T0 + 20 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "");
    finish(&o);
    config_free(cfg);
}

static void silence(env *e, config *cfg, const char *fingerprint,
                    const char *check, int64_t until)
{
    history_store *store;
    char err[512];
    assert_int_equal(
        history_open(cfg->history.url, e->dir, NULL, &store, err, sizeof err),
        0);
    history_silence s = {.fingerprint = (char *)fingerprint,
                         .check = (char *)check,
                         .until_ms = until,
                         .created_ms = T0,
                         .comment = "deploy"};
    int64_t id;
    assert_int_equal(
        history_silence_add(store, "shop", &s, &id, err, sizeof err), 0);
    assert_true(id > 0);
    history_close(store);
}

static void test_silence_by_check_then_expiry(void **state)
{
    env *e = *state;
    config *cfg = load(e, ESCALATE_3, 1);
    silence(e, cfg, "", "orders", T0 + 60 * MIN);
    outcome o;
    /* Silenced from the start: shown SILENCED, sent nowhere. */
    orders_run(&o, T0, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "SILENCED:orders");
    assert_int_equal(o.b.run.alerts[0]->silenced_until_ms, T0 + 60 * MIN);
    assert_string_equal(sends(&o, "hook"), "");
    finish(&o);
    /* The silence ended at T0+60m: the channel never heard of the alert,
     * so it gets it now, as FIRING (escalation came at run 3 while
     * silenced, unnotified). */
    orders_run(&o, T0 + 20 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    finish(&o);
    orders_run(&o, T0 + 40 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "SILENCED:orders");
    assert_int_equal(o.b.run.alerts[0]->severity, NBAQ_SEV_CRITICAL);
    finish(&o);
    orders_run(&o, T0 + 60 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "FIRING:orders!");
    assert_string_equal(sends(&o, "hook"), "FIRING:orders");
    deliver(&o, "hook", 1, "");
    finish(&o);
    config_free(cfg);
}

static void test_silenced_alert_still_resolves_where_notified(void **state)
{
    env *e = *state;
    config *cfg = load(e, ESCALATE_3, 1);
    outcome o;
    orders_run(&o, T0, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), "NEW:orders");
    deliver(&o, "hook", 1, "");
    char fp[ALERT_FINGERPRINT_SIZE];
    alert_fingerprint("shop", "orders", "", fp);
    assert_string_equal(o.b.run.alerts[0]->fingerprint, fp);
    finish(&o);
    silence(e, cfg, fp, "", T0 + 600 * MIN);
    orders_run(&o, T0 + 10 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "SILENCED:orders");
    assert_string_equal(sends(&o, "hook"), "");
    finish(&o);
    /* The channel that was paged hears that it ended. */
    orders_run(&o, T0 + 20 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "RESOLVED:orders!");
    assert_string_equal(sends(&o, "hook"), "RESOLVED:orders");
    finish(&o);
    config_free(cfg);
}

static void test_repeat_interval(void **state)
{
    env *e = *state;
    config *cfg = load(e,
                       "alerts:\n  repeat_interval: 1h\n"
                       "  routes: [{channel: hook}]\n",
                       1);
    static const struct {
        int64_t minutes;
        const char *sent;
    } runs[] = {{0, "NEW:orders"},     {30, ""}, {59, ""},
                {60, "FIRING:orders"}, {90, ""}, {120, "FIRING:orders"}};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        outcome o;
        orders_run(&o, T0 + runs[i].minutes * MIN, NBAQ_FAIL);
        process(e, cfg, &o, 1);
        assert_string_equal(sends(&o, "hook"), runs[i].sent);
        deliver(&o, "hook", 1, "");
        finish(&o);
    }
    config_free(cfg);
}

static void test_level_adds_channel_after_a_while(void **state)
{
    env *e = *state;
    config *cfg = load(e,
                       "alerts:\n"
                       "  routes: [{channel: hook, min_severity: critical}]\n"
                       "  levels:\n"
                       "    - {after: 30m, min_severity: high, "
                       "channels: [mail]}\n",
                       1);
    outcome o;
    /* orders is high: no route takes it at first. */
    orders_run(&o, T0, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "NEW:orders");
    assert_string_equal(sends(&o, "hook"), "");
    assert_string_equal(sends(&o, "mail"), "");
    finish(&o);
    /* Open for 30 minutes: mail gets it, once. */
    orders_run(&o, T0 + 30 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "mail"), "FIRING:orders");
    assert_string_equal(sends(&o, "hook"), "");
    deliver(&o, "mail", 1, "");
    finish(&o);
    orders_run(&o, T0 + 40 * MIN, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "mail"), "");
    finish(&o);
    /* The resolution goes to mail only, the one channel that heard. */
    orders_run(&o, T0 + 50 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "mail"), "RESOLVED:orders");
    assert_string_equal(sends(&o, "hook"), "");
    finish(&o);
    config_free(cfg);
}

static void test_metric_alerts_and_own_status(void **state)
{
    env *e = *state;
    config *cfg = load(e, "alerts:\n  routes: [{channel: hook}]\n", 1);
    outcome o;
    /* The plugin said OK; its metric failed a threshold: one alert, the
     * metric's. stock's plugin failed too: its own alert. */
    begin_run(&o.b, T0);
    add_check(&o.b, "orders", NBAQ_SEV_HIGH, NBAQ_PASS, "ok", "rows", NBAQ_FAIL,
              "rows=5 below fail_below 10");
    add_check(&o.b, "stock", NBAQ_SEV_MEDIUM, NBAQ_WARNING, "slow\nreply", NULL,
              NBAQ_PASS, "");
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "NEW:orders/rows! NEW:stock!");
    assert_string_equal(o.b.run.alerts[0]->summary,
                        "rows=5 below fail_below 10");
    assert_string_equal(o.b.run.alerts[1]->summary, "WARNING: slow reply");
    assert_string_equal(sends(&o, "hook"), "NEW:orders/rows NEW:stock");
    deliver(&o, "hook", 1, "");
    finish(&o);
    /* orders measures but no longer reports rows: the metric passes. */
    begin_run(&o.b, T0 + 10 * MIN);
    add_check(&o.b, "orders", NBAQ_SEV_HIGH, NBAQ_PASS, "ok", NULL, NBAQ_PASS,
              "");
    add_check(&o.b, "stock", NBAQ_SEV_MEDIUM, NBAQ_WARNING, "slow", NULL,
              NBAQ_PASS, "");
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "FIRING:stock RESOLVED:orders/rows!");
    finish(&o);
    config_free(cfg);
}

static void test_removed_check_is_resolved(void **state)
{
    env *e = *state;
    config *cfg = load(e, "alerts:\n  routes: [{channel: hook}]\n", 1);
    outcome o;
    begin_run(&o.b, T0);
    add_check(&o.b, "stock", NBAQ_SEV_MEDIUM, NBAQ_FAIL, "gone", NULL,
              NBAQ_PASS, "");
    process(e, cfg, &o, 1);
    deliver(&o, "hook", 1, "");
    finish(&o);
    config_free(cfg);
    /* stock disabled: a run with --only leaves its alert alone... */
    cfg = load(e, "alerts:\n  routes: [{channel: hook}]\n", 1);
    cfg->checks[1].enabled = 0;
    orders_run(&o, T0 + 10 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 0);
    assert_string_equal(shown(&o), "");
    finish(&o);
    /* ...a full run resolves it, and says so where it was sent. */
    orders_run(&o, T0 + 20 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "RESOLVED:stock!");
    assert_string_equal(sends(&o, "hook"), "RESOLVED:stock");
    finish(&o);
    config_free(cfg);
}

static void test_without_store_every_failure_is_new(void **state)
{
    env *e = *state;
    config *cfg = load(e, NULL, 0);
    outcome o;
    for (int i = 0; i < 2; i++) {
        /* No routes: hook and mail are channels (neither writes a report
         * file: unbound here, they count as such). */
        orders_run(&o, T0 + i * MIN, NBAQ_FAIL);
        process(e, cfg, &o, 1);
        assert_string_equal(shown(&o), "NEW:orders!");
        assert_string_equal(sends(&o, "hook"), "NEW:orders");
        assert_string_equal(sends(&o, "mail"), "NEW:orders");
        finish(&o);
    }
    orders_run(&o, T0 + 2 * MIN, NBAQ_PASS);
    process(e, cfg, &o, 1);
    assert_string_equal(shown(&o), "");
    finish(&o);
    config_free(cfg);
}

static void test_store_that_failed_notifies_nothing(void **state)
{
    env *e = *state;
    config *cfg = load(e, ESCALATE_3, 1);
    outcome o;
    orders_run(&o, T0, NBAQ_FAIL);
    char err[512];
    alerts_params p = {cfg, NULL, 1, o.b.inputs, 1, 1};
    assert_int_equal(alerts_process(&o.ar, &p, &o.b.run, err, sizeof err), 0);
    o.store = NULL;
    assert_string_equal(shown(&o), "NEW:orders");
    assert_string_equal(sends(&o, "hook"), "");
    finish(&o);
    config_free(cfg);
}

/* Every alert of channel name's view: "STATE:check[!]" ('!' when it is to
 * be sent), in view order. */
static const char *viewed(outcome *o, const char *name)
{
    static char out[512];
    static const char *const states[] = {"NEW",      "FIRING",   "ESCALATED",
                                         "RESOLVED", "SILENCED", "FLAPPING"};
    out[0] = '\0';
    for (size_t i = 0; i < o->ar.cfg->reporter_count; i++) {
        if (strcmp(o->ar.cfg->reporters[i].name, name) != 0)
            continue;
        const nbaq_run *view = alerts_channel_view(
            &o->ar, alerts_channel_of(&o->ar, i), &o->b.run);
        assert_non_null(view);
        for (size_t k = 0; k < view->alert_count; k++) {
            const nbaq_alert *a = view->alerts[k];
            size_t len = strlen(out);
            snprintf(out + len, sizeof out - len, "%s%s:%s%s", len ? " " : "",
                     states[a->state], a->check, a->notify ? "!" : "");
        }
    }
    return out;
}

static void both_run(outcome *o, int64_t ts, nbaq_status orders,
                     nbaq_status stock)
{
    begin_run(&o->b, ts);
    add_check(&o->b, "orders", NBAQ_SEV_HIGH, orders, "o", NULL, NBAQ_PASS, "");
    add_check(&o->b, "stock", NBAQ_SEV_MEDIUM, stock, "s", NULL, NBAQ_PASS, "");
}

static void test_channel_view_holds_the_open_alerts_it_heard_of(void **state)
{
    env *e = *state;
    config *cfg = load(e,
                       "alerts:\n  routes:\n"
                       "    - {channel: hook, checks: [orders]}\n"
                       "    - {channel: mail, checks: [stock]}\n",
                       1);
    outcome o;
    both_run(&o, T0, NBAQ_FAIL, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    /* Each channel sees the alert routed to it, never the other one. */
    assert_string_equal(viewed(&o, "hook"), "NEW:orders!");
    assert_string_equal(viewed(&o, "mail"), "NEW:stock!");
    deliver(&o, "hook", 1, "");
    deliver(&o, "mail", 1, "");
    finish(&o);
    /* Nothing to send: each still sees its open alert, for a keep-alive. */
    both_run(&o, T0 + 10 * MIN, NBAQ_FAIL, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(viewed(&o, "hook"), "FIRING:orders");
    assert_string_equal(viewed(&o, "mail"), "FIRING:stock");
    finish(&o);
    /* orders resolves: hook is sent that, and holds nothing open. */
    both_run(&o, T0 + 20 * MIN, NBAQ_PASS, NBAQ_FAIL);
    process(e, cfg, &o, 1);
    assert_string_equal(viewed(&o, "hook"), "RESOLVED:orders!");
    assert_string_equal(viewed(&o, "mail"), "FIRING:stock");
    finish(&o);
    config_free(cfg);
}

/* One run of orders with status own: hook must send expected, and
 * delivers. Returns the severity orders' alert was shown with. */
static nbaq_severity orders_sent(env *e, config *cfg, int64_t ts,
                                 nbaq_status own, const char *expected)
{
    outcome o;
    orders_run(&o, ts, own);
    process(e, cfg, &o, 1);
    assert_string_equal(sends(&o, "hook"), expected);
    assert_int_equal(o.b.run.alert_count, 1);
    nbaq_severity severity = o.b.run.alerts[0]->severity;
    deliver(&o, "hook", 1, "");
    finish(&o);
    return severity;
}

/* orders (high) fails, then turns WARNING: lowered to medium; sent to hook
 * as expected says. */
static void lowered_run(env *e, const char *alerts, const char *expected)
{
    config *cfg = load(e, alerts, 1);
    assert_int_equal(orders_sent(e, cfg, T0, NBAQ_FAIL, "NEW:orders"),
                     NBAQ_SEV_HIGH);
    assert_int_equal(orders_sent(e, cfg, T0 + 10 * MIN, NBAQ_WARNING, expected),
                     NBAQ_SEV_MEDIUM);
    config_free(cfg);
}

static void test_lowered_severity_is_sent_only_when_asked(void **state)
{
    env *e = *state;
    lowered_run(e, ROUTE_HOOK, "");
}

static void test_lowered_severity_with_notify_lowered(void **state)
{
    env *e = *state;
    lowered_run(e,
                "alerts:\n  notify_lowered: true\n"
                "  routes: [{channel: hook}]\n",
                "FIRING:orders");
}

int main(int argc, char **argv)
{
    use_pg = argc > 1 && strcmp(argv[1], "pg") == 0;
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_fail_repeat_escalate_resolve),
        T(test_failed_delivery_is_retried_next_run),
        T(test_crash_before_send_sends_once_next_run),
        T(test_undelivered_transition_is_superseded),
        T(test_silence_by_check_then_expiry),
        T(test_silenced_alert_still_resolves_where_notified),
        T(test_repeat_interval),
        T(test_level_adds_channel_after_a_while),
        T(test_metric_alerts_and_own_status),
        T(test_removed_check_is_resolved),
        T(test_without_store_every_failure_is_new),
        T(test_store_that_failed_notifies_nothing),
        T(test_channel_view_holds_the_open_alerts_it_heard_of),
        T(test_lowered_severity_is_sent_only_when_asked),
        T(test_lowered_severity_with_notify_lowered),
    };
    return cmocka_run_group_tests_name(use_pg ? "alerts engine (PostgreSQL)"
                                              : "alerts engine (SQLite)",
                                       tests, NULL, NULL);
}
