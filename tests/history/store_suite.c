/*
 * store_suite.c - store behaviour that SQLite and PostgreSQL share.
 * Expected values are worked out by hand in the comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "history_calc.h"
#include "detect.h"
#include "history_episodes.h"
#include "history_store.h"
#include "history_testlib.h"
#include "store_suite.h"

static history_store *open_store(const store_env *env)
{
    history_store *store = NULL;
    char err[512];
    if (history_open(env->url, NULL, NULL, &store, err, sizeof err) != 0)
        fail_msg("open %s: %s", env->url, err);
    return store;
}

static int64_t count_where(history_store *store, const char *table,
                           const char *where);
static void load_past(history_store *store, const metric_rule *rule,
                      int64_t now, history_past *past);

static metric_rule anomaly_change_rule(void)
{
    metric_rule rule = {0};
    rule.anomaly.enabled = 1;
    rule.anomaly.z = 3;
    rule.anomaly.window_points = 30;
    rule.anomaly.min_history = 7;
    rule.anomaly.status = NBAQ_WARNING;
    rule.change.enabled = 1;
    rule.change.fail_pct = (rule_bound){1, 40};
    return rule;
}

void test_store_creates_schema_once(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    /* Version 2 adds the alert lifecycle's tables (alerts_schema.c), 3
     * the detection evidence and episodes, 4 the fleet's tables, 5 the
     * member of each run, 6 the bands in the series index. */
    assert_int_equal(history_schema_version(), 6);
    assert_int_equal(
        tl_query_int(store, "SELECT MAX(version) FROM nbaq_schema_version"), 6);
    assert_string_equal(history_store_name(store), env->name);
    history_close(store);
    store = open_store(env);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_schema_version"), 6);
    history_close(store);
}

/* Back to schema 5's series index, without the bands. */
static void series_index_to_version_5(history_store *store,
                                      const store_env *env)
{
    tl_exec(store, "DROP INDEX nbaq_metric_values_series_ts");
    tl_exec(store, env->is_pg ? "CREATE INDEX nbaq_metric_values_series_ts"
                                " ON nbaq_metric_values (series, ts_ms)"
                                " INCLUDE (value, anomalous)"
                              : "CREATE INDEX nbaq_metric_values_series_ts"
                                " ON nbaq_metric_values"
                                " (series, ts_ms, value, anomalous)");
    tl_exec(store, "DELETE FROM nbaq_schema_version WHERE version = 6");
}

/* 1 when the series index holds the bands (schema 6). */
static int64_t series_index_has_bands(history_store *store,
                                      const store_env *env)
{
    return tl_query_int(
        store, env->is_pg ? "SELECT COUNT(*) FROM pg_indexes"
                            " WHERE indexname = 'nbaq_metric_values_series_ts'"
                            " AND indexdef LIKE '%band_upper%'"
                          : "SELECT COUNT(*) FROM sqlite_master"
                            " WHERE name = 'nbaq_metric_values_series_ts'"
                            " AND sql LIKE '%band_upper%'");
}

/* A store written by the version before (schema 2) keeps its values and
 * gains the evidence columns (NULL) and the episodes table when opened. */
void test_store_migrates_version_2(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    tl_save_value(store, "orders", "rows", TL_WED_1030, 42, 1);
    /* back to what version 2 had */
    series_index_to_version_5(store, env);
    tl_exec(store, "DROP TABLE nbaq_episodes");
    tl_exec(store, "ALTER TABLE nbaq_metric_values DROP COLUMN expected");
    tl_exec(store, "ALTER TABLE nbaq_metric_values DROP COLUMN band_lower");
    tl_exec(store, "ALTER TABLE nbaq_metric_values DROP COLUMN band_upper");
    tl_exec(store, "ALTER TABLE nbaq_metric_values DROP COLUMN score");
    tl_exec(store, "DELETE FROM nbaq_schema_version WHERE version = 3");
    tl_exec(store, "DROP TABLE nbaq_fleet_members");
    tl_exec(store, "DROP TABLE nbaq_fleet_schedule");
    tl_exec(store, "ALTER TABLE nbaq_alert_outbox DROP COLUMN claimed_by");
    tl_exec(store,
            "ALTER TABLE nbaq_alert_outbox DROP COLUMN claimed_until_ms");
    tl_exec(store, "DELETE FROM nbaq_schema_version WHERE version = 4");
    tl_exec(store, "ALTER TABLE nbaq_runs DROP COLUMN member");
    tl_exec(store, "DELETE FROM nbaq_schema_version WHERE version = 5");
    history_close(store);

    store = open_store(env);
    assert_int_equal(
        tl_query_int(store, "SELECT MAX(version) FROM nbaq_schema_version"), 6);
    assert_int_equal(series_index_has_bands(store, env), 1);
    assert_int_equal(count_where(store, "nbaq_runs", "member = ''"), 1);
    assert_int_equal(count_where(store, "nbaq_metric_values",
                                 "value = 42 AND anomalous = 1"
                                 " AND expected IS NULL AND score IS NULL"),
                     1);
    assert_int_equal(count_where(store, "nbaq_episodes", "1 = 1"), 0);
    /* and the values read back as before */
    metric_rule rule = anomaly_change_rule();
    history_past past = HISTORY_PAST_INIT;
    load_past(store, &rule, TL_WED_1030 + TL_HOUR, &past);
    assert_int_equal(past.has_previous, 1);
    assert_true(past.previous == 42);
    assert_int_equal(past.bands[0].anomalous, 1);
    assert_true(isnan(past.bands[0].lower));
    history_past_free(&past);
    history_close(store);
}

void test_store_previous_window_points_and_stats(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    int64_t now = TL_WED_1030;
    /* k hours ago: 100 + k, for k = 30 .. 1 */
    for (int k = 30; k >= 1; k--)
        tl_save_value(store, "orders", "rows", now - k * TL_HOUR, 100 + k, 0);
    tl_save_value(store, "orders", "other", now - TL_HOUR, 5, 0);

    history_settings settings = {TL_DAY, 5};
    history_past past = HISTORY_PAST_INIT;
    char err[512];
    nbaq_metric m = {0};
    m.name = "rows";
    m.value = 100;
    history_verdict v;
    metric_rule rule = {0};
    rule.better = RULE_BETTER_HIGHER;
    assert_int_equal(history_evaluate_metric(store, "shop", "orders", &rule,
                                             now, &settings, &m, &past, &v, err,
                                             sizeof err),
                     0);
    assert_int_equal(v.status, NBAQ_PASS);
    assert_int_equal(m.has_previous, 1);
    assert_true(m.previous == 101);
    assert_true(fabs(m.change_pct - (-100.0 / 101.0)) < 1e-9);
    /* current window (now-24h, now]: 101..123 and this 100: 24 values */
    assert_int_equal(m.stats.count, 24);
    assert_true(m.stats.min == 100 && m.stats.max == 123);
    assert_true(fabs(m.stats.mean - 111.5) < 1e-9);
    assert_true(fabs(m.stats.median - 111.5) < 1e-9);
    assert_true(fabs(m.stats.stddev - sqrt(50.0)) < 1e-9); /* n(n+1)/12 */
    /* previous window (now-48h, now-24h]: 124..130 */
    assert_true(fabs(m.previous_window_mean - 127) < 1e-9);
    assert_int_equal(m.trend, NBAQ_TREND_WORSENING); /* down, higher better */
    assert_int_equal(m.window_ms, TL_DAY);
    /* points: the last four earlier values and this one */
    assert_int_equal(m.history_count, 5);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(m.history[i].ts_ms, now - (4 - i) * TL_HOUR);
        assert_true(m.history[i].value == 104 - i);
    }
    assert_int_equal(m.history[4].ts_ms, now);
    assert_true(m.history[4].value == 100);

    /* a metric never seen: no previous, UNKNOWN trend, itself only */
    nbaq_metric fresh = {0};
    fresh.name = "new_metric";
    fresh.value = 3;
    assert_int_equal(history_evaluate_metric(store, "shop", "orders", NULL, now,
                                             &settings, &fresh, &past, &v, err,
                                             sizeof err),
                     0);
    assert_int_equal(fresh.has_previous, 0);
    assert_int_equal(fresh.trend, NBAQ_TREND_UNKNOWN);
    assert_int_equal(fresh.stats.count, 1);
    assert_int_equal(fresh.history_count, 1);
    history_past_free(&past);
    history_close(store);
}

/* Judges value at ts with rule through the store and saves it as a run;
 * returns the verdict's status. */
static nbaq_status judge_and_save(history_store *store, const metric_rule *rule,
                                  int64_t ts, double value, history_past *past,
                                  history_verdict *v)
{
    char err[512];
    tl_run *run = tl_run_new("judged", ts);
    nbaq_metric *m = tl_metric(run, "orders", "rows", value);
    if (history_evaluate_metric(store, "shop", "orders", rule, ts, NULL, m,
                                past, v, err, sizeof err) != 0)
        fail_msg("%s", err);
    m->status = v->status;
    m->reason = v->reason;
    if (history_save_run(store, &run->run, NULL, 0, err, sizeof err) != 0)
        fail_msg("%s", err);
    tl_run_free(run);
    return v->status;
}

static int64_t count_where(history_store *store, const char *table,
                           const char *where)
{
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s", table, where);
    return tl_query_int(store, sql);
}

/* 98, 100, 102, ... hourly up to now: a baseline near 100; last 102 */
static void save_near_100(history_store *store, int64_t now)
{
    for (int i = 0; i < 30; i++)
        tl_save_value(store, "orders", "rows", now - (30 - i) * TL_HOUR,
                      98 + 2 * (i % 3), 0);
}

void test_store_anomaly_and_change_from_history(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    int64_t now = TL_WED_1030;
    save_near_100(store, now);
    metric_rule rule = anomaly_change_rule();
    history_past past = HISTORY_PAST_INIT;
    history_verdict v;
    assert_int_equal(judge_and_save(store, &rule, now, 40, &past, &v),
                     NBAQ_FAIL);
    assert_int_equal(past.baseline_count, 30);
    /* change (40 - 102) / 102 = -60.8%, after the anomaly's words */
    const char *change = "; change: -60.8% vs previous 102 (fail_pct 40)";
    /* 40 vs the median 100: -60% */
    assert_non_null(strstr(v.reason, "anomaly: 40 vs baseline 100.0 ("));
    assert_non_null(strstr(v.reason, "30 runs), -60.0%; "));
    assert_string_equal(v.reason + strlen(v.reason) - strlen(change), change);
    assert_int_equal(count_where(store, "nbaq_metric_values",
                                 "anomalous = 1 AND status = 'FAIL'"
                                 " AND expected IS NOT NULL"
                                 " AND band_lower < 100 AND score < 0"),
                     1);
    /* both rules opened a condition, with the baseline frozen */
    assert_int_equal(
        count_where(store, "nbaq_episodes", "closed_ms IS NULL AND side = -1"),
        2);
    assert_int_equal(count_where(store, "nbaq_episodes",
                                 "rule = 'change' AND expected = 102"),
                     1);

    /* An hour later, 40 again: still open, measured from 102, and the
     * flagged 40 stays out of the baseline. */
    assert_int_equal(judge_and_save(store, &rule, now + TL_HOUR, 40, &past, &v),
                     NBAQ_FAIL);
    assert_true(past.anomaly_open.open && past.change_open.open);
    for (size_t i = 0; i < past.baseline_count; i++)
        assert_true(past.baseline[i].value != 40);
    assert_non_null(strstr(v.reason, "change: -60.8% vs 102 before the "
                                     "change (fail_pct 40)"));

    /* Then 100: both close as returned; nothing fires. */
    assert_int_equal(
        judge_and_save(store, &rule, now + 2 * TL_HOUR, 100, &past, &v),
        NBAQ_PASS);
    assert_string_equal(v.reason, "");
    char where[160];
    snprintf(where, sizeof where,
             "close_reason = 'returned' AND closed_ms = %lld",
             (long long)(now + 2 * TL_HOUR));
    assert_int_equal(count_where(store, "nbaq_episodes", where), 2);
    assert_int_equal(count_where(store, "nbaq_episodes", "closed_ms IS NULL"),
                     0);
    history_past_free(&past);
    history_close(store);
}

static int same_double(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static void assert_same_points(const history_past *a, const history_past *b)
{
    assert_int_equal(a->point_count, b->point_count);
    assert_int_equal(a->window_count, b->window_count);
    assert_int_equal(a->baseline_count, b->baseline_count);
    for (size_t i = 0; i < a->point_count; i++) {
        assert_int_equal(a->points[i].ts_ms, b->points[i].ts_ms);
        assert_true(a->points[i].value == b->points[i].value);
        assert_true(same_double(a->bands[i].lower, b->bands[i].lower));
        assert_true(same_double(a->bands[i].upper, b->bands[i].upper));
        assert_int_equal(a->bands[i].anomalous, b->bands[i].anomalous);
    }
}

/* A schema 5 store gets the bands into its series index when opened, and
 * reads the same points, bands, window and baseline as before. */
void test_store_migrates_version_5(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    int64_t now = TL_WED_1030;
    save_near_100(store, now);
    metric_rule rule = anomaly_change_rule();
    history_past judged = HISTORY_PAST_INIT, before = HISTORY_PAST_INIT,
                 after = HISTORY_PAST_INIT;
    history_verdict v;
    judge_and_save(store, &rule, now, 40, &judged, &v);
    judge_and_save(store, &rule, now + TL_HOUR, 101, &judged, &v);
    series_index_to_version_5(store, env);
    assert_int_equal(series_index_has_bands(store, env), 0);
    load_past(store, &rule, now + 2 * TL_HOUR, &before);
    history_close(store);

    store = open_store(env);
    assert_int_equal(
        tl_query_int(store, "SELECT MAX(version) FROM nbaq_schema_version"), 6);
    assert_int_equal(series_index_has_bands(store, env), 1);
    load_past(store, &rule, now + 2 * TL_HOUR, &after);
    /* the judged 40 and 101 kept their bands */
    assert_int_equal(after.point_count, 32);
    assert_true(after.bands[30].anomalous && !after.bands[31].anomalous);
    assert_true(after.bands[30].lower < after.bands[30].upper);
    assert_same_points(&before, &after);
    history_past_free(&judged);
    history_past_free(&before);
    history_past_free(&after);
    history_close(store);
}

/* The baseline is the latest detect_points_needed() usable values, within
 * the rule's window; flagged and suspect values stay out. */
/* history_load_past at now with rule; fails the test on error. */
static void load_past(history_store *store, const metric_rule *rule,
                      int64_t now, history_past *past)
{
    char err[512];
    if (history_load_past(store, "shop", "orders", "rows", rule, now, NULL,
                          past, err, sizeof err) != 0)
        fail_msg("%s", err);
}

void test_store_baseline_points_and_window(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    int64_t now = TL_WED_1030;
    /* 100 hourly values 0..99; every 10th flagged, every 10th + 1 a
     * suspect warm-up value: 80 usable */
    for (int i = 0; i < 100; i++)
        tl_save_value(store, "orders", "rows", now - (100 - i) * TL_HOUR, i,
                      i % 10 == 0   ? 1
                      : i % 10 == 1 ? 2
                                    : 0);
    metric_rule rule = anomaly_change_rule();
    rule.anomaly.seasonal = RULE_SEASON_NONE;
    history_past past = HISTORY_PAST_INIT;
    load_past(store, &rule, now, &past);
    size_t needed = detect_points_needed(&rule.anomaly);
    assert_true(needed < 80);
    assert_int_equal(past.baseline_count, needed);
    assert_true(past.baseline[past.baseline_count - 1].value == 99);
    for (size_t i = 0; i < past.baseline_count; i++) {
        int v = (int)past.baseline[i].value;
        assert_true(v % 10 >= 2);
        assert_int_equal(past.baseline[i].anomalous, 0);
        if (i > 0)
            assert_true(past.baseline[i - 1].ts_ms < past.baseline[i].ts_ms);
    }
    /* window: 10 h: values 90..99, of which 92..99 are usable */
    rule.anomaly.window_ms = 10 * TL_HOUR;
    load_past(store, &rule, now, &past);
    assert_int_equal(past.baseline_count, 8);
    assert_true(past.baseline[0].value == 92);
    history_past_free(&past);
    history_close(store);
}

/* history accept and relearn_after: the values since the condition
 * opened become the baseline, flagged as they were. */
void test_store_accept_and_relearn_rebase(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    int64_t now = TL_WED_1030;
    metric_rule rule = anomaly_change_rule();
    rule.anomaly.seasonal = RULE_SEASON_NONE;
    rule.change.enabled = 0;
    history_past past = HISTORY_PAST_INIT;
    history_verdict v;
    for (int i = 0; i < 10; i++)
        tl_save_value(store, "orders", "rows", now - (10 - i) * TL_HOUR,
                      98 + 2 * (i % 3), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(
            judge_and_save(store, &rule, now + i * TL_HOUR, 40, &past, &v),
            NBAQ_WARNING);
    /* relearn_after 2h, three hours after it opened: relearned on load */
    rule.anomaly.relearn_after_ms = 2 * TL_HOUR;
    load_past(store, &rule, now + 3 * TL_HOUR, &past);
    assert_false(past.anomaly_open.open);
    assert_int_equal(past.baseline_since_ms, now);
    assert_int_equal(past.baseline_count, 3); /* the three 40s */
    assert_true(past.baseline[0].value == 40);
    assert_int_equal(past.accepted_ms, 0);
    history_episodes_forget(store); /* that load was not a run */

    /* accept instead, by alice, half an hour after the third 40 */
    rule.anomaly.relearn_after_ms = 0;
    accepted_episode closed[2];
    size_t count = 0;
    char err[512];
    int64_t at = now + 2 * TL_HOUR + TL_HOUR / 2;
    int64_t series = history_store_series_id(store, "shop", "orders", "rows", 0,
                                             err, sizeof err);
    assert_true(series > 0);
    assert_int_equal(history_episodes_accept(store, series, at, "alice",
                                             "new feed", closed, 2, &count, err,
                                             sizeof err),
                     0);
    assert_int_equal(count, 1);
    assert_string_equal(closed[0].rule, "anomaly");
    assert_int_equal(closed[0].opened_ms, now);
    assert_int_equal(count_where(store, "nbaq_episodes",
                                 "close_reason = 'accepted'"
                                 " AND closed_by = 'alice'"
                                 " AND note = 'new feed'"),
                     1);
    assert_int_equal(
        judge_and_save(store, &rule, now + 3 * TL_HOUR, 40, &past, &v),
        NBAQ_PASS);
    assert_int_equal(past.accepted_ms, at);
    assert_string_equal(past.accepted_by, "alice");
    assert_int_equal(past.baseline_count, 3);
    /* nothing open any more: the 40 did not re-open it */
    assert_int_equal(count_where(store, "nbaq_episodes", "closed_ms IS NULL"),
                     0);
    history_past_free(&past);
    history_close(store);
}

void test_store_state_roundtrip(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    char err[512];
    history_state st;
    assert_int_equal(
        history_state_load(store, "shop", "orders", &st, err, sizeof err), 0);
    assert_int_equal(st.count, 0);
    history_state_free(&st);

    tl_run *run = tl_run_new("state", TL_WED_1030);
    tl_metric(run, "orders", "rows", 1);
    history_state_entry first[] = {
        {"orders", "schema", "id int, total numeric"},
        {"orders", "etag", "abc"},
        {"customers", "schema", "id int"},
    };
    assert_int_equal(
        history_save_run(store, &run->run, first, 3, err, sizeof err), 0);
    tl_run_free(run);
    assert_int_equal(
        history_state_load(store, "shop", "orders", &st, err, sizeof err), 0);
    assert_int_equal(st.count, 2);
    assert_string_equal(history_state_find(&st, "schema"),
                        "id int, total numeric");
    assert_string_equal(history_state_find(&st, "etag"), "abc");
    assert_null(history_state_find(&st, "missing"));
    history_state_free(&st);

    run = tl_run_new("state", TL_WED_1030 + TL_HOUR);
    history_state_entry second[] = {{"orders", "schema", "id bigint"},
                                    {"orders", "etag", NULL}};
    assert_int_equal(
        history_save_run(store, &run->run, second, 2, err, sizeof err), 0);
    tl_run_free(run);
    assert_int_equal(
        history_state_load(store, "shop", "orders", &st, err, sizeof err), 0);
    assert_int_equal(st.count, 1);
    assert_string_equal(history_state_find(&st, "schema"), "id bigint");
    history_state_free(&st);
    assert_int_equal(
        history_state_load(store, "shop", "customers", &st, err, sizeof err),
        0);
    assert_string_equal(history_state_find(&st, "schema"), "id int");
    history_state_free(&st);
    assert_int_equal(
        history_state_load(store, "other", "orders", &st, err, sizeof err), 0);
    assert_int_equal(st.count, 0);
    history_state_free(&st);
    history_close(store);
}

void test_store_nan_and_infinity_roundtrip(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    char err[512];
    history_past past = HISTORY_PAST_INIT;
    tl_save_value(store, "orders", "rows", TL_WED_1030 - 2 * TL_HOUR, INFINITY,
                  0);
    assert_int_equal(history_load_past(store, "shop", "orders", "rows", NULL,
                                       TL_WED_1030, NULL, &past, err,
                                       sizeof err),
                     0);
    assert_true(past.has_previous);
    assert_true(isinf(past.previous) && past.previous > 0);
    tl_save_value(store, "orders", "rows", TL_WED_1030 - TL_HOUR, NAN, 0);
    assert_int_equal(history_load_past(store, "shop", "orders", "rows", NULL,
                                       TL_WED_1030, NULL, &past, err,
                                       sizeof err),
                     0);
    assert_true(past.has_previous);
    assert_true(isnan(past.previous));
    assert_int_equal(past.point_count, 0); /* neither value is finite */
    history_past_free(&past);
    history_close(store);
}

void test_store_prune(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    char err[512];
    int64_t now = TL_WED_1030;
    for (int d = 10; d >= 0; d--)
        tl_save_value(store, "orders", "rows", now - d * TL_DAY, d, 0);
    tl_run *other = tl_run_new("other", now - 10 * TL_DAY);
    other->run.monitor = "warehouse";
    tl_metric(other, "stock", "items", 1);
    assert_int_equal(
        history_save_run(store, &other->run, NULL, 0, err, sizeof err), 0);
    tl_run_free(other);

    uint64_t deleted = 99;
    /* days 10..6 are before now - 5d; day 5 is at it and stays */
    assert_int_equal(history_prune(store, "shop", now - 5 * TL_DAY, &deleted,
                                   err, sizeof err),
                     0);
    assert_int_equal(deleted, 5);
    assert_int_equal(tl_query_int(store, "SELECT COUNT(*) FROM nbaq_runs"),
                     6 + 1);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_metric_values"), 7);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_check_results"), 7);
    assert_int_equal(tl_query_int(store, "SELECT MIN(ts_ms) FROM "
                                         "nbaq_metric_values v JOIN "
                                         "nbaq_series s ON s.id = v.series "
                                         "WHERE s.monitor = 'shop'"),
                     now - 5 * TL_DAY);
    /* every monitor */
    assert_int_equal(
        history_prune(store, NULL, now + 1, &deleted, err, sizeof err), 0);
    assert_int_equal(deleted, 7);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_metric_values"), 0);
    history_close(store);
}

void test_store_failed_save_leaves_nothing(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    char err[512];
    tl_run *run = tl_run_new("dup", TL_WED_1030);
    tl_metric(run, "orders", "rows", 1);
    tl_metric(run, "orders", "bytes", 2);
    /* a second check of the same name: its row breaks the primary key
     * after the first check's metrics are written */
    run->checks[1] = run->checks[0];
    run->check_ptrs[1] = &run->checks[1];
    run->run.check_count = 2;
    assert_int_equal(
        history_save_run(store, &run->run, NULL, 0, err, sizeof err), -1);
    char prefix[600];
    snprintf(prefix, sizeof prefix, "history store %s: ", env->name);
    assert_memory_equal(err, prefix, strlen(prefix));
    assert_int_equal(tl_query_int(store, "SELECT COUNT(*) FROM nbaq_runs"), 0);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_metric_values"), 0);
    assert_int_equal(tl_query_int(store, "SELECT COUNT(*) FROM nbaq_series"),
                     0);
    /* the store is still usable, and forgot the rolled-back series ids */
    run->run.check_count = 1;
    assert_int_equal(
        history_save_run(store, &run->run, NULL, 0, err, sizeof err), 0);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_metric_values"), 2);
    /* the same run id twice */
    assert_int_equal(
        history_save_run(store, &run->run, NULL, 0, err, sizeof err), -1);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_metric_values"), 2);
    tl_run_free(run);
    history_close(store);
}

void test_store_newer_schema_is_refused(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    tl_exec(store, "INSERT INTO nbaq_schema_version (version, applied_ms)"
                   " VALUES (99, 0)");
    history_close(store);
    char err[512];
    assert_int_equal(
        history_open(env->url, NULL, NULL, &store, err, sizeof err), -1);
    assert_null(store);
    char expected[800];
    snprintf(expected, sizeof expected,
             "history store %s: schema version 99 is newer than this nbaq "
             "supports (%d); upgrade nbaq",
             env->name, history_schema_version());
    assert_string_equal(err, expected);
}

void test_store_alerts_and_checks_saved(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    char err[512];
    tl_run *run = tl_run_new("alerts", TL_WED_1030);
    tl_metric(run, "orders", "rows", 1);
    tl_metric(run, "lag", "seconds", 2);
    run->checks[1].status = NBAQ_FAIL;
    run->checks[1].message = "lag 2 s";
    nbaq_alert alert = {"shop/lag",
                        "lag",
                        "",
                        "lag too high",
                        NBAQ_SEV_HIGH,
                        NBAQ_ALERT_NEW,
                        TL_WED_1030,
                        0,
                        0,
                        1,
                        1};
    const nbaq_alert *alerts[] = {&alert};
    run->run.alerts = alerts;
    run->run.alert_count = 1;
    run->run.status = NBAQ_FAIL;
    assert_int_equal(
        history_save_run(store, &run->run, NULL, 0, err, sizeof err), 0);
    tl_run_free(run);
    assert_int_equal(tl_query_int(store, "SELECT COUNT(*) FROM nbaq_runs "
                                         "WHERE status = 'FAIL'"),
                     1);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_check_results WHERE "
                            "check_name = 'lag' AND status = 'FAIL' AND "
                            "message = 'lag 2 s' AND severity = 'MEDIUM'"),
        1);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_run_alerts WHERE "
                            "fingerprint = 'shop/lag' AND state = 'NEW' AND "
                            "severity = 'HIGH' AND notify = 1"),
        1);
    history_close(store);
}

/* ---- a process killed in the middle of history_save_run ----------------*/

typedef struct crash_pipes {
    int notify; /* the child writes one byte here, mid-transaction      */
    int hold;   /* then blocks reading this, until it is killed         */
} crash_pipes;

static void crash_hook(void *arg, size_t rows)
{
    crash_pipes *p = arg;
    if (rows >= 1500) {
        char c = 'x', ignored;
        if (write(p->notify, &c, 1) == 1) {
            while (read(p->hold, &ignored, 1) != 0)
                ;
        }
    }
}

static tl_run *big_run(const char *prefix, int64_t ts, int metrics)
{
    tl_run *run = tl_run_new(prefix, ts);
    for (int i = 0; i < metrics; i++) {
        char name[32];
        snprintf(name, sizeof name, "m%04d", i);
        tl_metric(run, "orders", name, i);
    }
    return run;
}

static void crash_child(const store_env *env, crash_pipes *pipes)
{
    history_store *store = NULL;
    char err[512];
    if (history_open(env->url, NULL, NULL, &store, err, sizeof err) != 0)
        _exit(3);
    if (!env->is_pg) /* spill uncommitted pages into the WAL early */
        store->backend->exec(store->conn, "PRAGMA cache_size = 5", err,
                             sizeof err);
    history_set_save_hook(store, crash_hook, pipes);
    tl_run *run = big_run("crash", TL_WED_1030, 2000);
    history_save_run(store, &run->run, NULL, 0, err, sizeof err);
    _exit(4); /* never reached: killed inside the hook */
}

void test_store_killed_mid_save_keeps_run_atomic(void **state)
{
    store_env *env = *state;
    history_store *store = open_store(env);
    char err[512];
    tl_run *before = big_run("before", TL_WED_1030 - TL_HOUR, 10);
    assert_int_equal(
        history_save_run(store, &before->run, NULL, 0, err, sizeof err), 0);
    tl_run_free(before);
    history_close(store);

    int notify[2], hold[2];
    assert_int_equal(pipe(notify), 0);
    assert_int_equal(pipe(hold), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(notify[0]);
        close(hold[1]);
        crash_pipes pipes = {notify[1], hold[0]};
        crash_child(env, &pipes);
    }
    close(notify[1]);
    close(hold[0]);
    struct pollfd pfd = {notify[0], POLLIN, 0};
    assert_int_equal(poll(&pfd, 1, 60000), 1); /* bounded wait */
    char c;
    assert_int_equal(read(notify[0], &c, 1), 1);
    if (!env->is_pg) { /* the transaction really reached the disk */
        char wal[1024];
        snprintf(wal, sizeof wal, "%s-wal", env->url);
        struct stat st;
        assert_int_equal(stat(wal, &st), 0);
        assert_true(st.st_size > 0);
    }
    assert_int_equal(kill(child, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    close(notify[0]);
    close(hold[1]);

    store = open_store(env);
    assert_int_equal(tl_query_int(store, "SELECT COUNT(*) FROM nbaq_runs"), 1);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_metric_values"), 10);
    /* and the same run, not interrupted, arrives whole */
    tl_run *run = big_run("crash", TL_WED_1030, 2000);
    assert_int_equal(
        history_save_run(store, &run->run, NULL, 0, err, sizeof err), 0);
    tl_run_free(run);
    assert_int_equal(
        tl_query_int(store, "SELECT COUNT(*) FROM nbaq_metric_values"), 2010);
    history_close(store);
}

void test_store_two_connections_share_it(void **state)
{
    store_env *env = *state;
    history_store *a = open_store(env);
    history_store *b = open_store(env);
    char err[512];
    for (int i = 0; i < 5; i++) {
        tl_save_value(a, "orders", "rows", TL_WED_1030 + i * 2 * TL_HOUR, i, 0);
        tl_save_value(b, "orders", "rows", TL_WED_1030 + (i * 2 + 1) * TL_HOUR,
                      i, 0);
    }
    history_past past = HISTORY_PAST_INIT;
    assert_int_equal(history_load_past(a, "shop", "orders", "rows", NULL,
                                       TL_WED_1030 + 10 * TL_HOUR, NULL, &past,
                                       err, sizeof err),
                     0);
    assert_int_equal(past.window_count, 10);
    assert_int_equal(tl_query_int(b, "SELECT COUNT(*) FROM nbaq_series"), 1);
    history_past_free(&past);
    history_close(a);
    history_close(b);
}
