/*
 * The anomaly rule's algorithm (core/history/detect.c), family by family,
 * with the rule's real defaults (anomaly_rule_defaults): which runs it
 * flags, what it says, and the episode it carries from run to run as the
 * host will. Series are made here from simple formulas; the expected runs
 * follow from how each was made.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "detect_robust.h"
#include "detect_space.h"
#include "history_calc.h"

#define HOUR 3600000LL
#define DAY (24 * HOUR)
/* 2026-01-05T00:00:00Z, a Monday. */
#define MONDAY 1767571200000LL
#define MAX_RUNS 2000

/* Runs judged in order, each seeing the ones before with the flags the
 * rule set (fired or suspect), and the episode left by the one before. */
typedef struct series {
    anomaly_rule rule;
    history_sample past[MAX_RUNS];
    size_t n;
    detect_episode episode;
    size_t openings; /* runs that opened an episode */
} series;

static series *series_new(void)
{
    series *s = calloc(1, sizeof *s);
    assert_non_null(s);
    anomaly_rule_defaults(&s->rule);
    return s;
}

static detect_result step(series *s, int64_t ts, double value)
{
    size_t need = detect_points_needed(&s->rule);
    size_t from = s->n > need ? s->n - need : 0;
    detect_result r;
    detect_judge(&s->rule, value, ts, s->past + from, s->n - from, &s->episode,
                 &r);
    s->episode = r.episode;
    s->openings += (size_t)r.opened;
    assert_true(s->n < MAX_RUNS);
    s->past[s->n++] = (history_sample){ts, value, r.fired || r.suspect};
    return r;
}

static void assert_close(double expected, double actual)
{
    if (fabs(expected - actual) > 1e-9 * (1 + fabs(expected)))
        fail_msg("expected %.12g, got %.12g", expected, actual);
}

/* Deterministic noise in [-1, 1], different at every i. */
static double wobble(size_t i)
{
    double x = sin((double)i * 12.9898 + 78.233) * 43758.5453;
    return 2 * (x - floor(x)) - 1;
}

/* A series with seasonal: none after `runs` daily values of level with
 * +-noise (a fraction) of wobble. */
static series *flat_series(double level, double noise, size_t runs)
{
    series *s = series_new();
    s->rule.seasonal = RULE_SEASON_NONE;
    for (size_t i = 0; i < runs; i++)
        step(s, MONDAY + (int64_t)i * DAY,
             round(level * (1 + noise * wobble(i))));
    return s;
}

/* ---- stable series ---------------------------------------------------- */

static void test_constant_series_catches_a_drop(void **state)
{
    (void)state;
    /* issue 11: ten runs at exactly 1000, then 600 (seasonal: none, so
     * that min_history 7 is the warm-up) */
    series *s = series_new();
    s->rule.seasonal = RULE_SEASON_NONE;
    for (int i = 0; i < 10; i++)
        assert_false(step(s, MONDAY + i * DAY, 1000).fired);
    detect_result r = step(s, MONDAY + 10 * DAY, 600);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_JUDGED);
    assert_true(r.fired && r.opened);
    assert_int_equal(r.side, -1);
    assert_true(r.constant);
    assert_close(1000, r.expected);
    /* the 5% relative floor is the band of a series that never moved */
    assert_close(950, r.lower);
    assert_close(1050, r.upper);
    char reason[200];
    detect_reason(&s->rule, 600, &r, reason, sizeof reason);
    assert_string_equal(
        reason,
        "anomaly: 600 vs baseline 1000.0 (no variation in 10 runs), -40.0%");
    free(s);
}

static void test_constant_series_small_moves_pass(void **state)
{
    (void)state;
    series *s = flat_series(1000, 0, 10);
    detect_result r = step(s, MONDAY + 10 * DAY, 1040); /* +4% < 5% */
    assert_false(r.fired);
    assert_true(r.score > 0 && r.score < s->rule.z);
    free(s);
}

/* ---- warm-up ---------------------------------------------------------- */

static void test_warmup_learns_and_keeps_gross_values_out(void **state)
{
    (void)state;
    series *s = series_new();
    s->rule.seasonal = RULE_SEASON_NONE;
    detect_result r = step(s, MONDAY, 1000);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_LEARNING);
    assert_int_equal(r.points_used, 0);
    assert_int_equal(r.points_needed, 7);
    step(s, MONDAY + DAY, 1000);
    r = step(s, MONDAY + 2 * DAY, 600); /* two points: too few to doubt */
    assert_false(r.suspect);
    s->n--; /* replay that run once three values are known */
    step(s, MONDAY + 2 * DAY, 1000);
    r = step(s, MONDAY + 3 * DAY, 600);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_LEARNING);
    assert_int_equal(r.points_used, 3);
    assert_true(r.suspect);
    assert_false(r.fired);
    char reason[200];
    detect_reason(&s->rule, 600, &r, reason, sizeof reason);
    assert_string_equal(reason,
                        "anomaly: learning (3 of 7 runs); 600 is far from the "
                        "1000.0 seen so far, -40.0%: kept out of the baseline");
    /* the suspect value stayed out: 7 more runs at 1000, then 600 fires */
    for (int i = 4; i < 11; i++)
        assert_false(step(s, MONDAY + i * DAY, 1000).fired);
    r = step(s, MONDAY + 11 * DAY, 600);
    assert_true(r.fired);
    assert_close(1000, r.expected);
    free(s);
}

static void test_warmup_accepts_a_new_level_after_three_suspects(void **state)
{
    (void)state;
    series *s = series_new();
    s->rule.seasonal = RULE_SEASON_NONE;
    for (int i = 0; i < 3; i++)
        step(s, MONDAY + i * DAY, 1000);
    for (int i = 3; i < 6; i++)
        assert_true(step(s, MONDAY + i * DAY, 200).suspect);
    /* the series moved: the fourth 200 in a row is learnt */
    detect_result r = step(s, MONDAY + 6 * DAY, 200);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_LEARNING);
    assert_false(r.suspect);
    free(s);
}

static void test_auto_season_waits_for_two_cycles(void **state)
{
    (void)state;
    series *s = series_new(); /* seasonal: auto, min_history 7 */
    detect_result r = {0};
    for (int i = 0; i < 10; i++)
        r = step(s, MONDAY + i * DAY, round(1000 + 20 * wobble((size_t)i)));
    /* daily runs: two weeks (14 runs) before a weekly cycle could show */
    assert_int_equal(r.state, NBAQ_JUDGEMENT_LEARNING);
    assert_int_equal(r.points_used, 9);
    assert_int_equal(r.points_needed, 14);
    s->n = 0;
    for (int i = 0; i < 10; i++)
        r = step(s, MONDAY + i * HOUR, round(1000 + 20 * wobble((size_t)i)));
    assert_int_equal(r.state, NBAQ_JUDGEMENT_LEARNING);
    assert_int_equal(r.points_needed, 48); /* hourly: two days */
    free(s);
}

static void test_constant_series_judged_during_season_warmup(void **state)
{
    (void)state;
    /* issue 11 with the defaults (seasonal: auto, hourly runs): a series
     * that never varied has no cycle to wait for, so the drop fires
     * before two days have passed, and the condition stays open. */
    series *s = series_new();
    for (int i = 0; i < 10; i++)
        assert_false(step(s, MONDAY + i * HOUR, 1000).fired);
    detect_result r = step(s, MONDAY + 10 * HOUR, 600);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_JUDGED);
    assert_true(r.fired && r.opened);
    assert_int_equal(r.side, -1);
    assert_close(950, r.lower);
    assert_close(1050, r.upper);
    char reason[200];
    detect_reason(&s->rule, 600, &r, reason, sizeof reason);
    assert_string_equal(
        reason,
        "anomaly: 600 vs baseline 1000.0 (no variation in 10 runs), -40.0%");
    r = step(s, MONDAY + 11 * HOUR, 600);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_OPEN);
    assert_true(r.fired && !r.opened);
    /* a small wobble during the warm-up is not a drop */
    series *t = series_new();
    for (int i = 0; i < 10; i++)
        step(t, MONDAY + i * HOUR, 1000);
    r = step(t, MONDAY + 10 * HOUR, 1030);
    assert_false(r.fired);
    free(t);
    free(s);
}

/* ---- noise ------------------------------------------------------------ */

/* 400 daily runs of level with +-noise (a fraction) of wobble, with the
 * default seasonal: auto. */
static series *noisy_daily_series(double level, double noise)
{
    series *s = series_new();
    for (size_t i = 0; i < 400; i++)
        step(s, MONDAY + (int64_t)i * DAY,
             round(level * (1 + noise * wobble(i))));
    return s;
}

static void test_noisy_counts_no_alarm_then_a_shift(void **state)
{
    (void)state;
    series *s = noisy_daily_series(5000, 0.08);
    assert_int_equal(s->openings, 0);
    /* +-8% noise: -40% is far below any band the noise allows */
    detect_result r = step(s, MONDAY + 400 * DAY, 3000);
    assert_true(r.opened);
    assert_true(r.lower > 3000 && r.lower < 5000 * 0.92);
    free(s);
}

/* Proportional noise that is symmetric (sums of many events) gets a
 * symmetric band, expected x (1 +- h): logs would shrink upward departures;
 * noise skewed like a log-normal one keeps the band on logs. */
static void test_band_shape_follows_the_noise_shape(void **state)
{
    (void)state;
    series *s = noisy_daily_series(40000, 0.09);
    detect_result r = step(s, MONDAY + 400 * DAY, 40000);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_JUDGED);
    assert_close(r.upper - r.expected, r.expected - r.lower);
    free(s);

    series *skewed = series_new();
    for (size_t i = 0; i < 400; i++) {
        double x = 0.6 * (wobble(i) + wobble(i + 7919) + wobble(i + 104729));
        step(skewed, MONDAY + (int64_t)i * DAY, round(40000 * exp(x)));
    }
    r = step(skewed, MONDAY + 400 * DAY, 40000);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_JUDGED);
    /* exp(+h) - 1 > 1 - exp(-h): wider above than below, never below 0 */
    assert_true(r.upper - r.expected > 1.5 * (r.expected - r.lower));
    assert_true(r.lower > 0);
    free(skewed);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Qn's k-th smallest pair difference, found without selecting among all
 * pairs, is the one a sort of all pairs gives, with ties and without. */
static void test_qn_equals_its_definition(void **state)
{
    (void)state;
    static double v[DETECT_QN_MAX_POINTS],
        pairs[DETECT_QN_MAX_POINTS * DETECT_QN_MAX_POINTS / 2];
    for (size_t trial = 0; trial < 300; trial++) {
        size_t n = 2 + trial % (DETECT_QN_MAX_POINTS - 1);
        for (size_t i = 0; i < n; i++)
            v[i] = trial % 3 ? wobble(trial * 1000 + i)
                             : round(3 * wobble(trial * 1000 + i));
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                pairs[count++] = fabs(v[i] - v[j]);
        qsort(pairs, count, sizeof *pairs, compare_doubles);
        size_t h = n / 2 + 1;
        double expected = DETECT_QN_TO_SD * pairs[h * (h - 1) / 2 - 1];
        if (expected > 0)
            assert_close(expected, detect_qn(v, n, pairs));
    }
}

/* The choice itself: log residuals of symmetric proportional noise keep a
 * relative band; those of visibly skewed (log-normal) noise do not. */
static void test_relative_band_needs_unskewed_noise(void **state)
{
    (void)state;
    double symmetric[60], skewed[60];
    for (size_t i = 0; i < 60; i++) {
        symmetric[i] = log1p(0.09 * wobble(i));
        skewed[i] = 0.6 * (wobble(i) + wobble(i + 7919) + wobble(i + 104729));
    }
    assert_true(detect_space_relative_band(symmetric, 60));
    assert_false(detect_space_relative_band(skewed, 60));
    assert_false(detect_space_relative_band(symmetric, 2));
}

static void test_null_rate_near_zero(void **state)
{
    (void)state;
    /* NULL rate of 100,000 rows: 0 to 10 NULLs a run (0 to 0.01%) */
    series *s = series_new();
    for (size_t i = 0; i < 300; i++)
        step(s, MONDAY + (int64_t)i * DAY, round(5 + 5 * wobble(i)) / 100000.0);
    assert_int_equal(s->openings, 0);
    detect_result r = step(s, MONDAY + 300 * DAY, 0.01); /* 1000 NULLs */
    assert_true(r.opened);
    assert_int_equal(r.side, 1);
    /* no NULLs at all is within what such a rate does */
    s->episode.open = 0;
    r = step(s, MONDAY + 301 * DAY, 0);
    assert_false(r.fired);
    free(s);
}

/* ---- growth ----------------------------------------------------------- */

static void test_linear_growth_is_not_anomalous_a_break_is(void **state)
{
    (void)state;
    series *s = series_new();
    double v = 0;
    for (size_t i = 0; i < 200; i++) {
        v = (1000 + 20 * (double)i) * (1 + 0.01 * wobble(i));
        step(s, MONDAY + (int64_t)i * DAY, round(v));
    }
    assert_int_equal(s->openings, 0);
    detect_result r = step(s, MONDAY + 200 * DAY, round(5000 * 0.7));
    assert_true(r.trend);
    assert_true(r.opened);
    /* the trend carries the expected value to ~5000, not the median */
    assert_true(fabs(r.expected - 5000) < 100);
    free(s);
}

static void test_multiplicative_growth(void **state)
{
    (void)state;
    series *s = series_new();
    for (size_t i = 0; i < 300; i++)
        step(s, MONDAY + (int64_t)i * DAY,
             round(1000 * pow(1.01, (double)i) * (1 + 0.01 * wobble(i))));
    assert_int_equal(s->openings, 0);
    double expected = 1000 * pow(1.01, 300);
    detect_result r = step(s, MONDAY + 300 * DAY, round(expected));
    assert_false(r.fired);
    assert_true(fabs(r.expected / expected - 1) < 0.03);
    free(s);
}

/* ---- cycles ----------------------------------------------------------- */

static double daily_cycle(int64_t ts, size_t i)
{
    double hour = (double)(ts % DAY) / (double)HOUR;
    return round(1000 * (1 + 0.5 * sin(2 * M_PI * hour / 24)) *
                 (1 + 0.02 * wobble(i)));
}

static void test_daily_cycle_found_and_followed(void **state)
{
    (void)state;
    /* issue 11: hourly runs with a daily cycle fired ~13 times a day */
    series *s = series_new();
    size_t i = 0;
    for (; i < 14 * 24; i++) {
        int64_t ts = MONDAY + (int64_t)i * HOUR;
        step(s, ts, daily_cycle(ts, i));
    }
    assert_int_equal(s->openings, 0);
    /* 06:00, the peak (1500): the night's value (500) is anomalous */
    int64_t six = MONDAY + 14 * DAY + 6 * HOUR;
    for (; MONDAY + (int64_t)i * HOUR < six; i++)
        step(s, MONDAY + (int64_t)i * HOUR,
             daily_cycle(MONDAY + (int64_t)i * HOUR, i));
    detect_result r = step(s, six, 500);
    assert_string_equal(r.season, "daily");
    assert_true(r.season_detected);
    assert_true(fabs(r.expected - 1500) < 60);
    assert_true(r.opened);
    assert_int_equal(r.side, -1);
    char reason[300];
    detect_reason(&s->rule, 500, &r, reason, sizeof reason);
    assert_non_null(strstr(reason, "daily cycle"));
    free(s);
}

static void test_missing_runs_work_from_timestamps(void **state)
{
    (void)state;
    /* the same cycle with every third run missing */
    series *s = series_new();
    for (size_t i = 0; i < 14 * 24; i++) {
        if (i % 3 == 1)
            continue;
        int64_t ts = MONDAY + (int64_t)i * HOUR;
        step(s, ts, daily_cycle(ts, i));
    }
    assert_int_equal(s->openings, 0);
    int64_t six = MONDAY + 14 * DAY + 6 * HOUR;
    detect_result r = step(s, six, 1500);
    assert_true(r.season_detected);
    assert_false(r.fired);
    assert_true(fabs(r.expected - 1500) < 60);
    free(s);
}

/* Weekdays 10,000, weekends 4,000, +-3%. */
static double weekly_cycle(int64_t ts, size_t i)
{
    int64_t weekday = (ts / DAY + 4) % 7; /* 0 Sunday */
    double base = weekday == 0 || weekday == 6 ? 4000 : 10000;
    return round(base * (1 + 0.03 * wobble(i)));
}

static void test_weekly_cycle_and_a_tuesday_at_weekend_volume(void **state)
{
    (void)state;
    series *s = series_new();
    for (size_t i = 0; i < 8 * 7; i++) {
        int64_t ts = MONDAY + (int64_t)i * DAY;
        step(s, ts, weekly_cycle(ts, i));
    }
    assert_int_equal(s->openings, 0);
    /* day 57 is a Tuesday: a weekend's volume on it is anomalous */
    step(s, MONDAY + 56 * DAY, weekly_cycle(MONDAY + 56 * DAY, 56));
    detect_result r = step(s, MONDAY + 57 * DAY, 4000);
    assert_string_equal(r.season, "weekly");
    assert_true(r.season_detected);
    assert_true(r.opened);
    /* and Saturday at 4,000 is not */
    for (size_t i = 58; i < 61; i++)
        step(s, MONDAY + (int64_t)i * DAY,
             weekly_cycle(MONDAY + (int64_t)i * DAY, i));
    r = step(s, MONDAY + 61 * DAY, 4000); /* day 61: Saturday */
    assert_false(r.fired);
    free(s);
}

static void test_configured_season_overrides_and_none_disables(void **state)
{
    (void)state;
    series *s = series_new();
    s->rule.seasonal = RULE_SEASON_DAY_OF_WEEK;
    for (size_t i = 0; i < 8 * 7; i++) {
        int64_t ts = MONDAY + (int64_t)i * DAY;
        step(s, ts, weekly_cycle(ts, i));
    }
    detect_result r = step(s, MONDAY + 56 * DAY, 10000); /* a Monday */
    assert_string_equal(r.season, "day_of_week");
    assert_false(r.season_detected);
    assert_false(r.fired);
    /* seasonal: none compares Saturday with every day: it fires */
    s->rule.seasonal = RULE_SEASON_NONE;
    s->episode.open = 0;
    r = step(s, MONDAY + 61 * DAY, 4000);
    assert_string_equal(r.season, "none");
    assert_true(r.fired);
    free(s);
}

/* ---- episodes ---------------------------------------------------------- */

static void test_level_shift_stays_open_then_closes(void **state)
{
    (void)state;
    series *s = flat_series(2000, 0.02, 60);
    size_t i = 60;
    detect_result first = step(s, MONDAY + (int64_t)i++ * DAY, 1200);
    assert_true(first.opened);
    detect_episode ep = first.episode;
    assert_true(ep.open && ep.side == -1);
    assert_true(ep.opened_ms == MONDAY + 60 * DAY);
    for (int k = 0; k < 5; k++) {
        detect_result r = step(s, MONDAY + (int64_t)i++ * DAY, 1250);
        assert_int_equal(r.state, NBAQ_JUDGEMENT_OPEN);
        assert_true(r.fired);
        assert_false(r.opened);
        /* frozen: the episode is the one that opened */
        assert_memory_equal(&r.episode, &ep, sizeof ep);
        assert_true(r.expected == ep.expected);
    }
    /* hysteresis: three quarters of the way back is still away */
    double half = ep.expected - ep.lower;
    detect_result r =
        step(s, MONDAY + (int64_t)i++ * DAY, ep.expected - 0.75 * half);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_OPEN);
    /* within half the band: closed, and not fired */
    r = step(s, MONDAY + (int64_t)i++ * DAY, ep.expected - 0.25 * half);
    assert_true(r.closed);
    assert_false(r.fired);
    assert_false(r.episode.open);
    assert_int_equal(s->openings, 1);
    free(s);
}

static void test_single_outlier_flagged_and_left_out(void **state)
{
    (void)state;
    series *s = flat_series(300, 0.03, 40);
    size_t i = 40;
    detect_result r = step(s, MONDAY + (int64_t)i++ * DAY, 900);
    assert_true(r.opened);
    assert_int_equal(r.side, 1);
    r = step(s, MONDAY + (int64_t)i++ * DAY, 300);
    assert_true(r.closed);
    assert_false(r.fired);
    /* the 900 stayed out of the baseline */
    assert_true(fabs(r.expected - 300) < 10);
    free(s);
}

static void test_gradual_drift_is_caught_during_the_ramp(void **state)
{
    (void)state;
    series *s = flat_series(8000, 0.02, 60);
    size_t i = 60;
    assert_int_equal(s->openings, 0);
    /* -2% a run for 20 runs */
    size_t caught = 0;
    for (size_t k = 1; k <= 20 && !caught; k++, i++) {
        double v = 8000 * (1 - 0.02 * (double)k) * (1 + 0.02 * wobble(i));
        if (step(s, MONDAY + (int64_t)i * DAY, round(v)).fired)
            caught = k;
    }
    assert_true(caught > 0 && caught < 20);
    free(s);
}

static void test_direction_keeps_one_side(void **state)
{
    (void)state;
    series *s = flat_series(1000, 0, 0);
    s->rule.direction = RULE_DIRECTION_ABOVE;
    for (int i = 0; i < 10; i++)
        step(s, MONDAY + i * DAY, 1000);
    assert_false(step(s, MONDAY + 10 * DAY, 500).fired);
    s->n--; /* the same past for the rise */
    detect_result r = step(s, MONDAY + 10 * DAY, 1500);
    assert_true(r.fired);
    assert_int_equal(r.side, 1);
    free(s);
}

/* ---- what the host needs ----------------------------------------------- */

static void test_points_needed(void **state)
{
    (void)state;
    anomaly_rule rule;
    anomaly_rule_defaults(&rule);
    assert_int_equal(detect_points_needed(&rule), DETECT_SEASON_POINTS);
    rule.seasonal = RULE_SEASON_NONE;
    assert_int_equal(detect_points_needed(&rule), 60); /* the window */
    rule.window_points = 100;
    assert_int_equal(detect_points_needed(&rule), 100);
    rule.window_ms = 7 * DAY;
    assert_int_equal(detect_points_needed(&rule), DETECT_SEASON_POINTS);
    assert_int_equal(detect_points_needed(NULL), 0);
}

static void test_evidence_and_open_reason(void **state)
{
    (void)state;
    series *s = flat_series(1000, 0, 10);
    step(s, MONDAY + 10 * DAY, 600);
    detect_result r = step(s, MONDAY + 11 * DAY, 620);
    nbaq_evidence e;
    memset(&e, 0, sizeof e);
    detect_fill_evidence(&r, &e);
    assert_int_equal(e.state, NBAQ_JUDGEMENT_OPEN);
    assert_close(1000, e.expected);
    assert_close(950, e.lower);
    assert_close(1050, e.upper);
    assert_true(e.open_since_ms == MONDAY + 10 * DAY);
    assert_int_equal(e.points_used, 10);
    assert_string_equal(e.season, "none");
    assert_true(e.score < -s->rule.z);
    char reason[300];
    detect_reason(&s->rule, 620, &r, reason, sizeof reason);
    assert_string_equal(reason,
                        "anomaly: 620 still away from baseline 1000.0 (open "
                        "since 2026-01-15T00:00:00Z; closes within ±25.0), "
                        "-38.0%");
    free(s);
}

static void test_disabled_or_not_finite_is_none(void **state)
{
    (void)state;
    anomaly_rule rule;
    anomaly_rule_defaults(&rule);
    detect_result r;
    detect_judge(&rule, NAN, MONDAY, NULL, 0, NULL, &r);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_NONE);
    assert_true(isnan(r.expected));
    rule.enabled = 0;
    detect_judge(&rule, 1, MONDAY, NULL, 0, NULL, &r);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_NONE);
    detect_judge(NULL, 1, MONDAY, NULL, 0, NULL, &r);
    assert_int_equal(r.state, NBAQ_JUDGEMENT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant_series_catches_a_drop),
        cmocka_unit_test(test_constant_series_small_moves_pass),
        cmocka_unit_test(test_warmup_learns_and_keeps_gross_values_out),
        cmocka_unit_test(test_warmup_accepts_a_new_level_after_three_suspects),
        cmocka_unit_test(test_auto_season_waits_for_two_cycles),
        cmocka_unit_test(test_constant_series_judged_during_season_warmup),
        cmocka_unit_test(test_noisy_counts_no_alarm_then_a_shift),
        cmocka_unit_test(test_band_shape_follows_the_noise_shape),
        cmocka_unit_test(test_relative_band_needs_unskewed_noise),
        cmocka_unit_test(test_qn_equals_its_definition),
        cmocka_unit_test(test_null_rate_near_zero),
        cmocka_unit_test(test_linear_growth_is_not_anomalous_a_break_is),
        cmocka_unit_test(test_multiplicative_growth),
        cmocka_unit_test(test_daily_cycle_found_and_followed),
        cmocka_unit_test(test_missing_runs_work_from_timestamps),
        cmocka_unit_test(test_weekly_cycle_and_a_tuesday_at_weekend_volume),
        cmocka_unit_test(test_configured_season_overrides_and_none_disables),
        cmocka_unit_test(test_level_shift_stays_open_then_closes),
        cmocka_unit_test(test_single_outlier_flagged_and_left_out),
        cmocka_unit_test(test_gradual_drift_is_caught_during_the_ramp),
        cmocka_unit_test(test_direction_keeps_one_side),
        cmocka_unit_test(test_points_needed),
        cmocka_unit_test(test_evidence_and_open_reason),
        cmocka_unit_test(test_disabled_or_not_finite_is_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
