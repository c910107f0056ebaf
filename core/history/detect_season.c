/*
 * detect_season.c - daily and weekly cycles found in a metric's history.
 *
 * Each candidate cycle sorts the values into phases (history_season_key:
 * hour of day, hour of week or day of week, UTC). Its strength is
 * 1 - (s_cycle / s_all)^2, where s_all is the mean absolute deviation of
 * the values (around their mean) and s_cycle that of each value minus the
 * median of the OTHER values of its phase. (Not the MAD: a weekly cycle moves 2
 * days in 7, which the median of the deviations does not see.) Judging each
 * value by the others keeps noise from looking like a cycle: on data without
 * one, s_cycle exceeds s_all.
 */
#include "detect_season.h"

#include <math.h>
#include <string.h>

#include "detect_robust.h"
#include "history_calc.h"

#define HOUR_MS 3600000.0
#define DAY_MS (24 * HOUR_MS)

/* Share of the occupied phases that must hold 2 values or more. */
#define PHASES_WITH_TWO 0.75
/* See try_cycle. */
#define TREND_NEGLIGIBLE 0.05
/* A weekly cycle wins over a daily one only when clearly stronger. */
#define WEEKLY_MARGIN 0.1

int64_t detect_season_warmup_cycle_ms(double spacing_ms)
{
    if (!(spacing_ms > 0))
        return 0;
    if (spacing_ms < 20 * HOUR_MS)
        return (int64_t)DAY_MS;
    if (spacing_ms <= 3.5 * DAY_MS)
        return (int64_t)(7 * DAY_MS);
    return 0;
}

/* Sorts entries[0..n) by phase (counting sort: phases are below
 * DETECT_MAX_PHASES) and each phase's run by value (insertion sort: runs
 * are short). into: n entries of scratch. */
static void sort_by_phase(detect_phase_entry *entries, size_t n,
                          detect_phase_entry *into)
{
    size_t start[DETECT_MAX_PHASES + 1] = {0};
    for (size_t i = 0; i < n; i++)
        start[entries[i].phase + 1]++;
    for (size_t p = 0; p < DETECT_MAX_PHASES; p++)
        start[p + 1] += start[p];
    for (size_t i = 0; i < n; i++)
        into[start[entries[i].phase]++] = entries[i];
    for (size_t i = 1; i < n; i++) {
        detect_phase_entry e = into[i];
        size_t j = i;
        while (j > 0 && into[j - 1].phase == e.phase &&
               into[j - 1].value > e.value) {
            into[j] = into[j - 1];
            j--;
        }
        into[j] = e;
    }
    memcpy(entries, into, n * sizeof *entries);
}

/* The k-th of the sorted run x[0..c) once x[skip] is removed. */
static double without(const detect_phase_entry *x, size_t skip, size_t k)
{
    return x[k < skip ? k : k + 1].value;
}

/* Median of the sorted run x[0..c) without x[skip] (c >= 2). */
static double median_without(const detect_phase_entry *x, size_t c, size_t skip)
{
    size_t m = c - 1;
    if (m % 2)
        return without(x, skip, m / 2);
    return (without(x, skip, m / 2 - 1) + without(x, skip, m / 2)) / 2;
}

static double median_sorted(const detect_phase_entry *x, size_t c)
{
    return c % 2 ? x[c / 2].value : (x[c / 2 - 1].value + x[c / 2].value) / 2;
}

typedef struct phase_pass {
    double now_component; /* NAN: now's phase has fewer than 2 values  */
    size_t now_count;     /* values in now's phase                     */
    size_t occupied, with_two;
} phase_pass;

/* Sorts the projected values into phases of `key` and fills adjusted and
 * held_out (see the header). */
static phase_pass split_by_phase(const int64_t *t, size_t n, int64_t now_ms,
                                 rule_season key, detect_season_work *w,
                                 double *adjusted, double *held_out)
{
    phase_pass pass = {NAN, 0, 0, 0};
    for (size_t i = 0; i < n; i++)
        w->entries[i] = (detect_phase_entry){history_season_key(t[i], key),
                                             w->projected[i], i};
    sort_by_phase(w->entries, n, w->sorted);
    int64_t now_phase = history_season_key(now_ms, key);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && w->entries[b].phase == w->entries[a].phase)
            b++;
        const detect_phase_entry *run = &w->entries[a];
        size_t c = b - a;
        double median = median_sorted(run, c);
        pass.occupied++;
        pass.with_two += c >= 2;
        if (run->phase == now_phase && c >= 2) {
            pass.now_component = median;
            pass.now_count = c;
        }
        for (size_t k = 0; k < c; k++) {
            adjusted[run[k].index] = run[k].value - median;
            held_out[run[k].index] =
                c >= 2 ? run[k].value - median_without(run, c, k) : NAN;
        }
        a = b;
    }
    return pass;
}

static void project(const int64_t *t, const double *v, size_t n, int64_t now_ms,
                    double slope, double *projected)
{
    for (size_t i = 0; i < n; i++)
        projected[i] = v[i] - slope * (double)(t[i] - now_ms);
}

static double mean_of(const double *v, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return n ? sum / (double)n : 0;
}

/* Strength of `key` on the projected values; -INFINITY when it cannot be
 * measured. */
static double cycle_strength(const int64_t *t, size_t n, int64_t now_ms,
                             rule_season key, detect_season_work *w,
                             double *adjusted, double *held_out)
{
    phase_pass pass = split_by_phase(t, n, now_ms, key, w, adjusted, held_out);
    if (isnan(pass.now_component) || pass.occupied < 2 ||
        (double)pass.with_two < PHASES_WITH_TWO * (double)pass.occupied ||
        (double)n < 2.5 * (double)pass.occupied)
        return -INFINITY;
    double all = detect_mean_abs_dev(w->projected, n, mean_of(w->projected, n));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(held_out[i]))
            adjusted[m++] = held_out[i]; /* adjusted is rewritten later */
    double cycle = detect_mean_abs_dev(adjusted, m, mean_of(adjusted, m));
    if (!(all > 0))
        return -INFINITY;
    return 1 - (cycle / all) * (cycle / all);
}

typedef struct candidate {
    rule_season key;
    const char *name;
    double slope, strength;
} candidate;

/* The better of "no trend" and "the median-of-slopes trend" for key. */
static candidate try_cycle(const int64_t *t, const double *v, size_t n,
                           int64_t now_ms, rule_season key, const char *name,
                           detect_season_work *w, double *adjusted,
                           double *held_out)
{
    candidate best = {key, name, 0, -INFINITY};
    history_season_formula f = history_season_formula_of(key);
    if (n < 2 || t[n - 1] - t[0] < 2 * f.unit_ms * f.modulus)
        return best; /* not two cycles yet */
    double slopes[2] = {0, detect_pair_slope(t, v, n, w->scratch)};
    /* A trend that moves the values less than TREND_NEGLIGIBLE of their
     * spread over the history changes nothing: one pass. */
    double moved = fabs(slopes[1]) * (double)(t[n - 1] - t[0]);
    int passes =
        moved > TREND_NEGLIGIBLE * detect_mean_abs_dev(v, n, v[n - 1]) ? 2 : 1;
    for (int s = 0; s < passes; s++) {
        project(t, v, n, now_ms, slopes[s], w->projected);
        double strength =
            cycle_strength(t, n, now_ms, key, w, adjusted, held_out);
        if (strength > best.strength) {
            best.strength = strength;
            best.slope = slopes[s];
        }
    }
    return best;
}

static const char *configured_name(rule_season season)
{
    switch (season) {
    case RULE_SEASON_HOUR_OF_DAY:
        return "hour_of_day";
    case RULE_SEASON_DAY_OF_WEEK:
        return "day_of_week";
    case RULE_SEASON_HOUR_OF_WEEK:
        return "hour_of_week";
    default:
        return "none";
    }
}

static candidate detect_cycle(const int64_t *t, const double *v, size_t n,
                              int64_t now_ms, double spacing_ms,
                              detect_season_work *w, double *adjusted,
                              double *held_out)
{
    candidate none = {RULE_SEASON_NONE, "none", 0, 0};
    int64_t cycle = detect_season_warmup_cycle_ms(spacing_ms);
    if (cycle == 0)
        return none;
    candidate weekly =
        try_cycle(t, v, n, now_ms,
                  cycle == (int64_t)DAY_MS ? RULE_SEASON_HOUR_OF_WEEK
                                           : RULE_SEASON_DAY_OF_WEEK,
                  "weekly", w, adjusted, held_out);
    candidate best = weekly;
    if (cycle == (int64_t)DAY_MS) {
        candidate daily = try_cycle(t, v, n, now_ms, RULE_SEASON_HOUR_OF_DAY,
                                    "daily", w, adjusted, held_out);
        if (!(weekly.strength > daily.strength + WEEKLY_MARGIN))
            best = daily;
    }
    return best.strength >= DETECT_SEASON_STRENGTH ? best : none;
}

int detect_season_fit_samples(const int64_t *t, const double *v, size_t n,
                              int64_t now_ms, rule_season season,
                              double spacing_ms, detect_season_work *work,
                              double *adjusted, double *held_out,
                              detect_season_fit *fit)
{
    candidate chosen = {season, configured_name(season), 0, NAN};
    if (season == RULE_SEASON_AUTO)
        chosen =
            detect_cycle(t, v, n, now_ms, spacing_ms, work, adjusted, held_out);
    *fit = (detect_season_fit){chosen.key,
                               chosen.name,
                               season == RULE_SEASON_AUTO &&
                                   chosen.key != RULE_SEASON_NONE,
                               chosen.strength,
                               chosen.slope,
                               0,
                               0};
    if (chosen.key == RULE_SEASON_NONE) {
        for (size_t i = 0; i < n; i++)
            adjusted[i] = held_out[i] = v[i];
        return 0;
    }
    project(t, v, n, now_ms, chosen.slope, work->projected);
    phase_pass pass =
        split_by_phase(t, n, now_ms, chosen.key, work, adjusted, held_out);
    if (isnan(pass.now_component))
        return -1;
    fit->now_component = pass.now_component;
    fit->now_count = pass.now_count;
    return 0;
}
