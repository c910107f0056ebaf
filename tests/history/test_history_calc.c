/*
 * The pure computations of core/history against values worked out by hand:
 * statistics, trend, seasons, the anomaly and change rules, the metric
 * annotations, durations and times.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "history_calc.h"
#include "text.h"
#include "status.h"

#define HOUR 3600000LL
#define DAY (24 * HOUR)
/* 2024-05-01T10:30:00Z, a Wednesday. */
#define WED_1030 1714559400000LL

static void assert_near(double expected, double actual)
{
    if (fabs(expected - actual) > 1e-9 * (1 + fabs(expected)))
        fail_msg("expected %.12g, got %.12g", expected, actual);
}

/* ---- statistics --------------------------------------------------------*/

static void test_stats_odd_count(void **state)
{
    (void)state;
    const double v[] = {3, 1, 2};
    nbaq_stats s;
    assert_int_equal(history_stats_compute(v, 3, &s), 0);
    assert_int_equal(s.count, 3);
    assert_near(1, s.min);
    assert_near(3, s.max);
    assert_near(2, s.mean);
    assert_near(2, s.median);
    /* squares of deviations 1 + 0 + 1 = 2, over n - 1 = 2 */
    assert_near(1, s.stddev);
}

static void test_stats_even_count_median_is_mean_of_middle_two(void **state)
{
    (void)state;
    const double v[] = {4, 1, 3, 2};
    nbaq_stats s;
    assert_int_equal(history_stats_compute(v, 4, &s), 0);
    assert_near(2.5, s.median);
    assert_near(2.5, s.mean);
    /* squares 2.25 + 0.25 + 0.25 + 2.25 = 5; sample: sqrt(5 / 3) */
    assert_near(sqrt(5.0 / 3.0), s.stddev);
}

static void test_stats_sample_not_population_deviation(void **state)
{
    (void)state;
    /* The textbook set whose population deviation is exactly 2. */
    const double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
    nbaq_stats s;
    assert_int_equal(history_stats_compute(v, 8, &s), 0);
    assert_near(5, s.mean);
    assert_near(4.5, s.median);
    assert_near(sqrt(32.0 / 7.0), s.stddev); /* 2.138..., not 2 */
    assert_true(fabs(s.stddev - 2.0) > 0.1);
}

static void test_stats_single_value_and_empty(void **state)
{
    (void)state;
    const double one[] = {5};
    nbaq_stats s;
    assert_int_equal(history_stats_compute(one, 1, &s), 0);
    assert_int_equal(s.count, 1);
    assert_near(5, s.median);
    assert_near(0, s.stddev);
    assert_int_equal(history_stats_compute(NULL, 0, &s), 0);
    assert_int_equal(s.count, 0);
}

static void test_stats_skip_nan_and_infinity(void **state)
{
    (void)state;
    const double v[] = {1, NAN, 3, INFINITY, -INFINITY};
    nbaq_stats s;
    assert_int_equal(history_stats_compute(v, 5, &s), 0);
    assert_int_equal(s.count, 2);
    assert_near(2, s.mean);
    assert_near(2, s.median);
    assert_near(sqrt(2.0), s.stddev);
    assert_near(1, s.min);
    assert_near(3, s.max);
}

/* ---- trend -------------------------------------------------------------*/

static nbaq_stats stats_of(uint64_t count, double mean, double sd)
{
    nbaq_stats s = {0};
    s.count = count;
    s.mean = mean;
    s.stddev = sd;
    return s;
}

static void test_trend_small_relative_change_is_stable(void **state)
{
    (void)state;
    nbaq_stats prev = stats_of(10, 100, 1), cur = stats_of(10, 103, 1);
    /* 3 is above the standard error sqrt(0.1 + 0.1) = 0.45, but only 3%
     * of the previous mean */
    assert_int_equal(history_trend_classify(&prev, &cur, RULE_BETTER_NONE),
                     NBAQ_TREND_STABLE);
    cur.mean = 104.9;
    assert_int_equal(history_trend_classify(&prev, &cur, RULE_BETTER_NONE),
                     NBAQ_TREND_STABLE);
    cur.mean = 105.1;
    assert_int_equal(history_trend_classify(&prev, &cur, RULE_BETTER_NONE),
                     NBAQ_TREND_UP);
}

static void test_trend_within_standard_error_is_stable(void **state)
{
    (void)state;
    /* delta 40 = 40% of the mean, but SE = sqrt(60^2/4 + 60^2/4) = 42.4 */
    nbaq_stats prev = stats_of(4, 100, 60), cur = stats_of(4, 140, 60);
    assert_int_equal(history_trend_classify(&prev, &cur, RULE_BETTER_NONE),
                     NBAQ_TREND_STABLE);
    /* with sd 50, SE = 35.4 < 40 */
    prev.stddev = cur.stddev = 50;
    assert_int_equal(history_trend_classify(&prev, &cur, RULE_BETTER_NONE),
                     NBAQ_TREND_UP);
}

static void test_trend_words_follow_better(void **state)
{
    (void)state;
    nbaq_stats prev = stats_of(10, 100, 1);
    nbaq_stats up = stats_of(10, 110, 1), down = stats_of(10, 90, 1);
    assert_int_equal(history_trend_classify(&prev, &up, RULE_BETTER_NONE),
                     NBAQ_TREND_UP);
    assert_int_equal(history_trend_classify(&prev, &down, RULE_BETTER_NONE),
                     NBAQ_TREND_DOWN);
    assert_int_equal(history_trend_classify(&prev, &up, RULE_BETTER_HIGHER),
                     NBAQ_TREND_IMPROVING);
    assert_int_equal(history_trend_classify(&prev, &down, RULE_BETTER_HIGHER),
                     NBAQ_TREND_WORSENING);
    assert_int_equal(history_trend_classify(&prev, &up, RULE_BETTER_LOWER),
                     NBAQ_TREND_WORSENING);
    assert_int_equal(history_trend_classify(&prev, &down, RULE_BETTER_LOWER),
                     NBAQ_TREND_IMPROVING);
}

static void test_trend_zero_mean_and_empty_windows(void **state)
{
    (void)state;
    nbaq_stats zero = stats_of(3, 0, 0), one = stats_of(3, 1, 0);
    nbaq_stats empty = stats_of(0, 0, 0);
    assert_int_equal(history_trend_classify(&zero, &zero, RULE_BETTER_NONE),
                     NBAQ_TREND_STABLE);
    assert_int_equal(history_trend_classify(&zero, &one, RULE_BETTER_NONE),
                     NBAQ_TREND_UP);
    assert_int_equal(history_trend_classify(&empty, &one, RULE_BETTER_NONE),
                     NBAQ_TREND_UNKNOWN);
    assert_int_equal(history_trend_classify(&one, &empty, RULE_BETTER_NONE),
                     NBAQ_TREND_UNKNOWN);
    assert_string_equal(trend_name(NBAQ_TREND_WORSENING), "worsening");
}

/* ---- seasons -----------------------------------------------------------*/

static void test_season_keys_from_the_utc_calendar(void **state)
{
    (void)state;
    assert_int_equal(history_season_key(WED_1030, RULE_SEASON_HOUR_OF_DAY), 10);
    assert_int_equal(history_season_key(WED_1030, RULE_SEASON_DAY_OF_WEEK), 3);
    assert_int_equal(history_season_key(WED_1030, RULE_SEASON_HOUR_OF_WEEK),
                     3 * 24 + 10);
    /* 1970-01-01T00:00Z was a Thursday */
    assert_int_equal(history_season_key(0, RULE_SEASON_DAY_OF_WEEK), 4);
    assert_int_equal(history_season_key(0, RULE_SEASON_HOUR_OF_WEEK), 96);
    /* 2024-05-05T23:59:59Z, a Sunday */
    int64_t sunday = 1714953599000LL;
    assert_int_equal(history_season_key(sunday, RULE_SEASON_DAY_OF_WEEK), 0);
    assert_int_equal(history_season_key(sunday, RULE_SEASON_HOUR_OF_DAY), 23);
    assert_int_equal(history_season_key(sunday, RULE_SEASON_HOUR_OF_WEEK), 23);
    assert_int_equal(history_season_key(sunday, RULE_SEASON_NONE), 0);
}

/* ---- anomaly -----------------------------------------------------------*/
/* The algorithm is tested family by family in test_detect.c; these check
 * the rule's keys (window, floors, direction, min_history, seasons) on a
 * first value, with no episode open. */

static detect_result judge(const anomaly_rule *rule, double value,
                           const history_sample *past, size_t count)
{
    detect_result r;
    detect_judge(rule, value, WED_1030, past, count, NULL, &r);
    return r;
}

/* Compared with a baseline, as opposed to learning or not judged. */
static int judged(const detect_result *r)
{
    return r->state == NBAQ_JUDGEMENT_JUDGED || r->state == NBAQ_JUDGEMENT_OPEN;
}

static anomaly_rule anomaly_defaults(void)
{
    anomaly_rule r = {0};
    r.enabled = 1;
    r.z = 4;
    r.window_points = 30;
    r.min_history = 7;
    r.rel_floor = 0.05;
    r.seasonal = RULE_SEASON_NONE; /* the season is test_detect.c's */
    r.status = NBAQ_WARNING;
    return r;
}

/* 98, 100, 102 repeated: median 100, every value within 2 of it. */
static size_t pattern_past(history_sample *past, size_t n, int64_t now_ms,
                           int64_t step_ms)
{
    for (size_t i = 0; i < n; i++) {
        past[i].ts_ms = now_ms - (int64_t)(n - i) * step_ms;
        past[i].value = 98 + 2.0 * (double)(i % 3);
        past[i].anomalous = 0;
    }
    return n;
}

static void test_anomaly_judges_against_the_median(void **state)
{
    (void)state;
    anomaly_rule rule = anomaly_defaults();
    history_sample past[30];
    pattern_past(past, 30, WED_1030, HOUR);
    detect_result r = judge(&rule, 150, past, 30);
    assert_true(judged(&r));
    assert_true(r.fired); /* +50%: far outside a band around 100 +- 2 */
    assert_int_equal(r.points_used, 30);
    assert_near(100, r.expected);
    assert_true(r.score > rule.z);
    char reason[200];
    detect_reason(&rule, 150, &r, reason, sizeof reason);
    assert_non_null(strstr(reason, "anomaly: 150 vs baseline 100.0 ("));
    assert_non_null(strstr(reason, "30 runs), +50.0%"));

    /* within the 5% relative floor: never fires, whatever the spread */
    r = judge(&rule, 104, past, 30);
    assert_true(judged(&r));
    assert_false(r.fired);
    r = judge(&rule, 50, past, 30);
    assert_true(r.fired);
    assert_true(r.score < -rule.z);
}

static void test_anomaly_direction(void **state)
{
    (void)state;
    anomaly_rule rule = anomaly_defaults();
    history_sample past[30];
    pattern_past(past, 30, WED_1030, HOUR);
    detect_result r;
    rule.direction = RULE_DIRECTION_ABOVE;
    r = judge(&rule, 50, past, 30);
    assert_false(r.fired);
    r = judge(&rule, 150, past, 30);
    assert_true(r.fired);
    assert_int_equal(r.side, 1);
    rule.direction = RULE_DIRECTION_BELOW;
    r = judge(&rule, 150, past, 30);
    assert_false(r.fired);
    r = judge(&rule, 50, past, 30);
    assert_true(r.fired);
    assert_int_equal(r.side, -1);
}

static void test_anomaly_absolute_and_relative_floors(void **state)
{
    (void)state;
    anomaly_rule rule = anomaly_defaults();
    history_sample past[30];
    pattern_past(past, 30, WED_1030, HOUR);
    detect_result r;
    rule.floor = (rule_bound){1, 60};
    r = judge(&rule, 150, past, 30); /* |50| */
    assert_false(r.fired);
    assert_true(r.upper >= 160);
    r = judge(&rule, 170, past, 30); /* |70| */
    assert_true(r.fired);
    rule.floor.set = 0;
    rule.rel_floor = 0.6; /* the band is at least 100 +- 60 */
    r = judge(&rule, 150, past, 30);
    assert_false(r.fired);
    assert_true(r.lower <= 40 && r.upper >= 160);
}

static void test_anomaly_needs_min_history(void **state)
{
    (void)state;
    anomaly_rule rule = anomaly_defaults();
    history_sample past[7];
    pattern_past(past, 7, WED_1030, HOUR);
    detect_result r;
    r = judge(&rule, 1000, past, 6);
    assert_false(judged(&r));
    assert_false(r.fired);
    assert_int_equal(r.points_used, 6);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_LEARNING);
    assert_int_equal(r.points_needed, 7);
    assert_true(r.suspect); /* 1000 is ten times what came before */
    r = judge(&rule, 1000, past, 7);
    assert_true(judged(&r));
    assert_true(r.fired);
    r = judge(&rule, 1000, NULL, 0);
    assert_false(judged(&r));
    assert_false(r.suspect); /* nothing to compare with */
}

static void test_anomaly_constant_series_fires(void **state)
{
    (void)state;
    /* issue 11: a series that never moved now catches a departure */
    anomaly_rule rule = anomaly_defaults();
    history_sample past[30];
    for (int i = 0; i < 30; i++)
        past[i] = (history_sample){WED_1030 - (30 - i) * HOUR, 100, 0};
    detect_result r;
    r = judge(&rule, 60, past, 30);
    assert_true(judged(&r));
    assert_true(r.fired);
    assert_true(r.constant);
    r = judge(&rule, 100, past, 30);
    assert_false(r.fired);
}

static void test_anomaly_never_on_nan_infinity_or_disabled(void **state)
{
    (void)state;
    anomaly_rule rule = anomaly_defaults();
    history_sample past[30];
    pattern_past(past, 30, WED_1030, HOUR);
    detect_result r;
    r = judge(&rule, NAN, past, 30);
    assert_false(r.fired);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_NONE);
    r = judge(&rule, INFINITY, past, 30);
    assert_false(r.fired);
    r = judge(&rule, -INFINITY, past, 30);
    assert_false(r.fired);
    rule.enabled = 0;
    r = judge(&rule, 1000, past, 30);
    assert_false(r.fired);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_NONE);
}

static void test_anomaly_baseline_skips_anomalous_and_non_finite(void **state)
{
    (void)state;
    anomaly_rule rule = anomaly_defaults();
    history_sample past[36];
    pattern_past(past, 36, WED_1030, HOUR);
    /* Six of the latest: flagged or not finite; the 30 usable ones are
     * the first 30, whose median is 100. */
    past[30].value = 500, past[30].anomalous = 1;
    past[31].value = NAN;
    past[32].value = INFINITY;
    past[33].value = 700, past[33].anomalous = 1;
    past[34].value = -INFINITY;
    past[35].value = 600, past[35].anomalous = 1;
    detect_result r;
    r = judge(&rule, 150, past, 36);
    assert_int_equal(r.points_used, 30);
    assert_near(100, r.expected);
    assert_true(r.fired);
}

static void test_anomaly_last_n_and_time_window(void **state)
{
    (void)state;
    anomaly_rule rule = anomaly_defaults();
    history_sample past[40];
    pattern_past(past, 40, WED_1030, HOUR);
    for (int i = 0; i < 10; i++)
        past[i].value = 1000; /* the oldest ten */
    detect_result r;
    r = judge(&rule, 100, past, 40);
    assert_int_equal(r.points_used, 30); /* the last 30 only */
    assert_near(100, r.expected);
    rule.window_points = 40;
    r = judge(&rule, 100, past, 40);
    assert_int_equal(r.points_used, 40);
    /* the median shrugs off the ten 1000s that a mean (325) would follow:
     * the middle two of the 40 are 100 and 102 */
    assert_true(r.expected >= 100 && r.expected <= 102);
    assert_false(r.fired);
    /* 20 h: the values 1..20 hours before now */
    rule.window_ms = 20 * HOUR;
    r = judge(&rule, 100, past, 40);
    assert_int_equal(r.points_used, 20);
    assert_true(judged(&r));
    assert_near(100, r.expected);
    /* values at or after now are never part of the baseline */
    past[39].ts_ms = WED_1030;
    r = judge(&rule, 100, past, 40);
    assert_int_equal(r.points_used, 19);
}

static void test_anomaly_seasonal_hour_of_day(void **state)
{
    (void)state;
    /* Ten days of hourly values: 500 +- 2 at 10h UTC, 100 +- 2 otherwise */
    enum { N = 240 };
    static history_sample past[N];
    for (int i = 0; i < N; i++) {
        int64_t ts = WED_1030 - (int64_t)(N - i) * HOUR;
        /* -2, 0, +2 from hour to hour and from day to day */
        double wiggle = 2.0 * (double)((i + i / 24) % 3) - 2;
        double base =
            history_season_key(ts, RULE_SEASON_HOUR_OF_DAY) == 10 ? 500 : 100;
        past[i] = (history_sample){ts, base + wiggle, 0};
    }
    anomaly_rule rule = anomaly_defaults();
    rule.window_points = 10;
    detect_result r;
    /* without seasons the last 10 hours are all ~100: 500 fires */
    r = judge(&rule, 500, past, N);
    assert_true(r.fired);
    /* with the hour of day, 10h is expected near 500 */
    rule.seasonal = RULE_SEASON_HOUR_OF_DAY;
    r = judge(&rule, 500, past, N);
    assert_int_equal(r.points_used, 10);
    assert_true(fabs(r.expected - 500) <= 2);
    assert_false(r.fired);
    r = judge(&rule, 100, past, N);
    assert_true(r.fired);
    char reason[200];
    detect_reason(&rule, 100, &r, reason, sizeof reason);
    assert_non_null(strstr(reason, "same hour_of_day"));
    /* hour of week: ten days hold one earlier Wednesday 10h, too few */
    rule.seasonal = RULE_SEASON_HOUR_OF_WEEK;
    r = judge(&rule, 500, past, N);
    assert_false(judged(&r));
    assert_int_equal(r.state, NBAQ_JUDGEMENT_LEARNING);
}

/* ---- change ------------------------------------------------------------*/

static change_rule change_of(double warn_pct, double fail_pct)
{
    change_rule c = {0};
    c.enabled = 1;
    if (warn_pct > 0)
        c.warn_pct = (rule_bound){1, warn_pct};
    if (fail_pct > 0)
        c.fail_pct = (rule_bound){1, fail_pct};
    return c;
}

static void test_change_percent(void **state)
{
    (void)state;
    change_rule rule = change_of(20, 40);
    history_change_result r;
    history_change_judge(&rule, 66, 1, 120, &r);
    assert_int_equal(r.status, NBAQ_FAIL);
    assert_near(-45, r.pct);
    char reason[200];
    history_change_reason(&r, 120, 0, reason, sizeof reason);
    assert_string_equal(reason, "change: -45.0% vs previous 120 (fail_pct 40)");
    history_change_judge(&rule, 96, 1, 120, &r); /* -20%: at the bound */
    assert_int_equal(r.status, NBAQ_WARNING);
    history_change_reason(&r, 120, 0, reason, sizeof reason);
    assert_string_equal(reason, "change: -20.0% vs previous 120 (warn_pct 20)");
    history_change_judge(&rule, 100, 1, 120, &r); /* -16.7% */
    assert_int_equal(r.status, NBAQ_PASS);
    assert_true(r.judged);
    history_change_judge(&rule, 180, 1, 120, &r); /* +50% */
    assert_int_equal(r.status, NBAQ_FAIL);
    history_change_reason(&r, 120, 0, reason, sizeof reason);
    assert_string_equal(reason, "change: +50.0% vs previous 120 (fail_pct 40)");
}

static void test_change_absolute(void **state)
{
    (void)state;
    change_rule rule = {0};
    rule.enabled = 1;
    rule.warn_abs = (rule_bound){1, 10};
    rule.fail_abs = (rule_bound){1, 50};
    history_change_result r;
    history_change_judge(&rule, 66, 1, 120, &r);
    assert_int_equal(r.status, NBAQ_FAIL);
    char reason[200];
    history_change_reason(&r, 120, 0, reason, sizeof reason);
    assert_string_equal(reason, "change: -54 vs previous 120 (fail_abs 50)");
    history_change_judge(&rule, 130, 1, 120, &r);
    assert_int_equal(r.status, NBAQ_WARNING);
    history_change_reason(&r, 120, 0, reason, sizeof reason);
    assert_string_equal(reason, "change: +10 vs previous 120 (warn_abs 10)");
}

static void test_change_direction(void **state)
{
    (void)state;
    change_rule rule = change_of(0, 40);
    history_change_result r;
    rule.direction = RULE_DIRECTION_ABOVE;
    history_change_judge(&rule, 60, 1, 120, &r); /* a fall */
    assert_int_equal(r.status, NBAQ_PASS);
    history_change_judge(&rule, 200, 1, 120, &r);
    assert_int_equal(r.status, NBAQ_FAIL);
    rule.direction = RULE_DIRECTION_BELOW;
    history_change_judge(&rule, 200, 1, 120, &r);
    assert_int_equal(r.status, NBAQ_PASS);
    history_change_judge(&rule, 60, 1, 120, &r);
    assert_int_equal(r.status, NBAQ_FAIL);
}

static void test_change_previous_zero_missing_or_not_finite(void **state)
{
    (void)state;
    change_rule rule = change_of(10, 0);
    history_change_result r;
    history_change_judge(&rule, 5, 1, 0, &r);
    assert_int_equal(r.status, NBAQ_PASS); /* no percent of 0 */
    assert_true(isnan(r.pct));
    rule.warn_abs = (rule_bound){1, 3};
    history_change_judge(&rule, 5, 1, 0, &r);
    assert_int_equal(r.status, NBAQ_WARNING);
    history_change_judge(&rule, 500, 0, 0, &r);
    assert_false(r.judged);
    assert_int_equal(r.status, NBAQ_PASS);
    history_change_judge(&rule, NAN, 1, 100, &r);
    assert_false(r.judged);
    history_change_judge(&rule, 100, 1, INFINITY, &r);
    assert_false(r.judged);
}

/* ---- rules and annotations of one metric -------------------------------*/

/* A past whose baseline is n hourly values of pattern_past before
 * WED_1030, held in baseline. */
static history_past past_of_pattern(history_sample *baseline, size_t n)
{
    pattern_past(baseline, n, WED_1030, HOUR);
    history_past past = HISTORY_PAST_INIT;
    past.baseline = baseline;
    past.baseline_count = n;
    return past;
}

static void test_apply_rules_joins_reasons_and_takes_worst(void **state)
{
    (void)state;
    history_sample baseline[30];
    history_past past = past_of_pattern(baseline, 30);
    past.has_previous = 1;
    past.previous = 100;
    metric_rule rule = {0};
    rule.anomaly = anomaly_defaults();
    rule.change = change_of(20, 40);
    nbaq_metric m = {0};
    m.name = "rows";
    m.value = 40;
    history_verdict v;
    history_evidence_none(&m);
    history_apply_rules(&rule, &past, WED_1030, &m, &v);
    assert_int_equal(m.anomalous, 1);
    assert_int_equal(v.status, NBAQ_FAIL);
    /* 40 vs the median 100: -60% */
    assert_non_null(strstr(v.reason, "anomaly: 40 vs baseline 100.0 ("));
    assert_non_null(strstr(v.reason,
                           "30 runs), -60.0%; "
                           "change: -60.0% vs previous 100 (fail_pct 40)"));
    /* the anomaly rule gives the evidence: a baseline near 100 */
    assert_int_equal(m.evidence.state, NBAQ_JUDGEMENT_JUDGED);
    assert_true(fabs(m.evidence.expected - 100) < 2);
    assert_true(m.evidence.lower > 40 && m.evidence.lower < 100);
    m.value = 101;
    history_apply_rules(&rule, &past, WED_1030, &m, &v);
    assert_int_equal(m.anomalous, 0);
    assert_int_equal(v.status, NBAQ_PASS);
    assert_string_equal(v.reason, "");
    history_apply_rules(NULL, &past, WED_1030, &m, &v);
    assert_int_equal(v.status, NBAQ_PASS);
}

/* A change that stays away is measured from the value before it. */
static void test_change_step_episode(void **state)
{
    (void)state;
    change_rule rule = change_of(20, 40);
    rule.status_above = RULE_SIDE_WARNING;
    history_change_outcome c;
    history_change_step(&rule, 50, WED_1030, 1, 100, NULL, &c);
    assert_int_equal(c.status, NBAQ_FAIL);
    assert_true(c.opened && !c.closed && !c.frozen);
    /* band: the smallest bound, 20% of 100 */
    assert_near(20, c.width);
    assert_near(80, c.lower);
    assert_near(120, c.upper);
    assert_int_equal(c.episode.side, -1);
    assert_near(100, c.episode.expected);
    assert_int_equal(c.episode.opened_ms, WED_1030);

    history_episode open = c.episode;
    /* still 50, previous 50: against 100 it is still -50% */
    history_change_step(&rule, 50, WED_1030 + HOUR, 1, 50, &open, &c);
    assert_int_equal(c.status, NBAQ_FAIL);
    assert_true(c.frozen && !c.opened && !c.closed);
    char reason[200];
    history_change_reason(&c.r, c.base, c.frozen, reason, sizeof reason);
    assert_string_equal(reason, "change: -50.0% vs 100 before the change "
                                "(fail_pct 40)");
    /* 90: -10% from 100, inside the bounds: returned */
    history_change_step(&rule, 90, WED_1030 + 2 * HOUR, 1, 50, &open, &c);
    assert_int_equal(c.status, NBAQ_PASS);
    assert_true(c.closed && !c.episode.open);

    /* +50% reaches fail_pct; status_above: warning caps it */
    history_change_step(&rule, 150, WED_1030, 1, 100, NULL, &c);
    assert_int_equal(c.r.status, NBAQ_FAIL);
    assert_int_equal(c.status, NBAQ_WARNING);
    /* ignore: falls never fire, and the band has no lower side */
    rule.status_below = RULE_SIDE_IGNORE;
    history_change_step(&rule, 10, WED_1030, 1, 100, NULL, &c);
    assert_int_equal(c.status, NBAQ_PASS);
    assert_false(c.opened);
    assert_true(isnan(c.lower));
    assert_near(120, c.upper);
    /* no previous value and no episode: not judged */
    history_change_step(&rule, 10, WED_1030, 0, NAN, NULL, &c);
    assert_false(c.r.judged);
}

/* Too little history: PASS, "learning (n of m values)", evidence says so. */
static void test_apply_rules_learning(void **state)
{
    (void)state;
    history_sample baseline[3];
    history_past past = past_of_pattern(baseline, 3);
    metric_rule rule = {0};
    rule.anomaly = anomaly_defaults();
    rule.anomaly.seasonal = RULE_SEASON_NONE;
    rule.anomaly.min_history = 7;
    nbaq_metric m = {0};
    m.value = 100;
    history_verdict v;
    history_evidence_none(&m);
    history_apply_rules(&rule, &past, WED_1030, &m, &v);
    assert_int_equal(v.status, NBAQ_PASS);
    assert_string_equal(v.reason, "learning (3 of 7 values)");
    assert_int_equal(m.evidence.state, NBAQ_JUDGEMENT_LEARNING);
    assert_int_equal(m.evidence.points_used, 3);
    assert_int_equal(m.evidence.points_needed, 7);

    /* a change rule alone, without a previous value */
    metric_rule change = {0};
    change.change = change_of(20, 40);
    history_past empty = HISTORY_PAST_INIT;
    history_evidence_none(&m);
    history_apply_rules(&change, &empty, WED_1030, &m, &v);
    assert_string_equal(v.reason, "learning (0 of 1 values)");
    assert_int_equal(m.evidence.state, NBAQ_JUDGEMENT_LEARNING);
}

static void test_annotate_windows_previous_and_points(void **state)
{
    (void)state;
    int64_t now = WED_1030;
    history_sample window[] = {
        {now - 30 * HOUR, 10, 0},
        {now - 24 * HOUR, 20, 0}, /* previous */
        {now - 23 * HOUR, 30, 0},
        {now - 1 * HOUR, 40, 0}, /* current */
    };
    nbaq_point points[3] = {{now - 2 * HOUR, 1}, {now - HOUR, 40}};
    history_past past = HISTORY_PAST_INIT;
    past.window = window;
    past.window_count = 4;
    past.has_previous = 1;
    past.previous = 40;
    past.points = points;
    past.point_count = 2;
    past.point_capacity = 3;
    nbaq_metric m = {0};
    m.value = 50;
    history_settings settings = {DAY, 3};
    history_annotate(&m, &past, RULE_BETTER_NONE, now, &settings);
    assert_int_equal(m.has_previous, 1);
    assert_near(40, m.previous);
    assert_near(25, m.change_pct);
    assert_int_equal(m.window_ms, DAY);
    /* current: 30, 40, 50 */
    assert_int_equal(m.stats.count, 3);
    assert_near(40, m.stats.mean);
    assert_near(40, m.stats.median);
    assert_near(10, m.stats.stddev);
    assert_near(30, m.stats.min);
    assert_near(50, m.stats.max);
    /* previous: 10, 20 (the boundary value at now - 24h is in it) */
    assert_near(15, m.previous_window_mean);
    /* +25, SE sqrt(50/2 + 100/3) = 7.6 */
    assert_int_equal(m.trend, NBAQ_TREND_UP);
    assert_int_equal(m.history_count, 3);
    assert_ptr_equal(m.history, points);
    assert_int_equal(m.history[2].ts_ms, now);
    assert_near(50, m.history[2].value);

    past.point_count = 2;
    history_annotate(&m, &past, RULE_BETTER_LOWER, now, &settings);
    assert_int_equal(m.trend, NBAQ_TREND_WORSENING);
}

static void test_annotate_without_history(void **state)
{
    (void)state;
    history_past past = HISTORY_PAST_INIT;
    nbaq_metric m = {0};
    m.value = 7;
    history_annotate(&m, &past, RULE_BETTER_NONE, WED_1030, NULL);
    assert_int_equal(m.has_previous, 0);
    assert_true(isnan(m.change_pct));
    assert_int_equal(m.trend, NBAQ_TREND_UNKNOWN);
    assert_true(isnan(m.previous_window_mean));
    assert_int_equal(m.stats.count, 1);
    assert_near(7, m.stats.mean);
    assert_int_equal(m.window_ms, HISTORY_DEFAULT_TREND_WINDOW_MS);
    assert_int_equal(m.history_count, 0);

    past.has_previous = 1;
    past.previous = 0;
    history_annotate(&m, &past, RULE_BETTER_NONE, WED_1030, NULL);
    assert_true(isnan(m.change_pct)); /* previous 0 */
}

/* ---- text --------------------------------------------------------------*/

static void test_durations(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(history_parse_duration("24h", &ms), 0);
    assert_int_equal(ms, 86400000);
    assert_int_equal(history_parse_duration("1h30m", &ms), 0);
    assert_int_equal(ms, 5400000);
    assert_int_equal(history_parse_duration("250ms", &ms), 0);
    assert_int_equal(ms, 250);
    assert_int_equal(history_parse_duration("2w", &ms), 0);
    assert_int_equal(ms, 14 * 86400000LL);
    const char *bad[] = {"", "abc", "5", "0s", "-5m", "5x", "h", "5 m"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(history_parse_duration(bad[i], &ms), -1);
    char buf[32];
    text_format_duration_unit(5400000, buf, sizeof buf);
    assert_string_equal(buf, "90m");
    text_format_duration_unit(7 * 86400000LL, buf, sizeof buf);
    assert_string_equal(buf, "1w");
    text_format_duration_unit(1500, buf, sizeof buf);
    assert_string_equal(buf, "1500ms");
}

static void test_times(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(history_parse_time("2024-05-01", 0, &ms), 0);
    assert_int_equal(ms, 1714521600000LL);
    assert_int_equal(history_parse_time("2024-05-01T10:30:00Z", 0, &ms), 0);
    assert_int_equal(ms, WED_1030);
    assert_int_equal(history_parse_time("2024-05-01 10:30", 0, &ms), 0);
    assert_int_equal(ms, WED_1030);
    assert_int_equal(history_parse_time("7d", WED_1030, &ms), 0);
    assert_int_equal(ms, WED_1030 - 7 * DAY);
    assert_int_equal(history_parse_time("now", WED_1030, &ms), 0);
    assert_int_equal(ms, WED_1030);
    assert_int_equal(history_parse_time("1714521600000", 0, &ms), 0);
    assert_int_equal(ms, 1714521600000LL);
    assert_int_equal(history_parse_time("2024-13-01", 0, &ms), -1);
    assert_int_equal(history_parse_time("2024-02-31", 0, &ms), -1);
    assert_int_equal(history_parse_time("2024-5-01", 0, &ms), -1);
    assert_int_equal(history_parse_time("yesterday", 0, &ms), -1);
    char buf[32];
    history_format_time(WED_1030 + 123, buf, sizeof buf);
    assert_string_equal(buf, "2024-05-01T10:30:00Z");
}

static void test_number_formats(void **state)
{
    (void)state;
    char buf[32];
    history_format_value(40, buf, sizeof buf);
    assert_string_equal(buf, "40");
    history_format_value(101.25, buf, sizeof buf);
    assert_string_equal(buf, "101.25");
    history_format_value(-54, buf, sizeof buf);
    assert_string_equal(buf, "-54");
    history_format_stat(101.2333, buf, sizeof buf);
    assert_string_equal(buf, "101.2");
    history_format_stat(0.034567, buf, sizeof buf);
    assert_string_equal(buf, "0.0346");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_odd_count),
        cmocka_unit_test(test_stats_even_count_median_is_mean_of_middle_two),
        cmocka_unit_test(test_stats_sample_not_population_deviation),
        cmocka_unit_test(test_stats_single_value_and_empty),
        cmocka_unit_test(test_stats_skip_nan_and_infinity),
        cmocka_unit_test(test_trend_small_relative_change_is_stable),
        cmocka_unit_test(test_trend_within_standard_error_is_stable),
        cmocka_unit_test(test_trend_words_follow_better),
        cmocka_unit_test(test_trend_zero_mean_and_empty_windows),
        cmocka_unit_test(test_season_keys_from_the_utc_calendar),
        cmocka_unit_test(test_anomaly_judges_against_the_median),
        cmocka_unit_test(test_anomaly_direction),
        cmocka_unit_test(test_anomaly_absolute_and_relative_floors),
        cmocka_unit_test(test_anomaly_needs_min_history),
        cmocka_unit_test(test_anomaly_constant_series_fires),
        cmocka_unit_test(test_anomaly_never_on_nan_infinity_or_disabled),
        cmocka_unit_test(test_anomaly_baseline_skips_anomalous_and_non_finite),
        cmocka_unit_test(test_anomaly_last_n_and_time_window),
        cmocka_unit_test(test_anomaly_seasonal_hour_of_day),
        cmocka_unit_test(test_change_percent),
        cmocka_unit_test(test_change_absolute),
        cmocka_unit_test(test_change_direction),
        cmocka_unit_test(test_change_step_episode),
        cmocka_unit_test(test_apply_rules_learning),
        cmocka_unit_test(test_change_previous_zero_missing_or_not_finite),
        cmocka_unit_test(test_apply_rules_joins_reasons_and_takes_worst),
        cmocka_unit_test(test_annotate_windows_previous_and_points),
        cmocka_unit_test(test_annotate_without_history),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_number_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
