/*
 * detect.c - the anomaly rule's judgement of one value: warm-up, baseline
 * (season, level, spread, floors), band, direction and episodes.
 * Method and defaults: docs/detection.md.
 */
#include "detect.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect_level.h"
#include "detect_robust.h"
#include "detect_season.h"
#include "detect_space.h"

/* Standard error of a median of n normal values: 1.2533 sigma / sqrt(n). */
#define DETECT_MEDIAN_SE 1.2533
/* Asymptotic efficiency of Qn at the normal (Rousseeuw & Croux). */
#define DETECT_QN_EFFICIENCY 0.82

/* A band never narrower than this fraction of max(1, |expected|): keeps
 * scores finite on a series that never moved. */
#define DETECT_MIN_HALF_WIDTH 1e-9

/* Every finite sample before now (anomalous ones flagged), and scratch,
 * in one allocation. */
typedef struct detect_work {
    size_t n;
    int64_t *t;
    double *v;
    unsigned char *flagged;
    double *adjusted, *held_out;
    double *scratch; /* scratch_count(n) doubles */
    int64_t *window_t;
    double *window_adjusted, *window_held_out;
    detect_season_work season;
} detect_work;

/* The level fit needs 2 n; Qn needs one per pair of its points. */
static size_t scratch_count(size_t n)
{
    size_t pairs = DETECT_QN_MAX_POINTS * (DETECT_QN_MAX_POINTS - 1) / 2;
    return 2 * n > pairs ? 2 * n : pairs;
}

static void *work_alloc(detect_work *w, size_t count)
{
    size_t c = count ? count : 1;
    size_t size = c * (2 * sizeof(int64_t) + 6 * sizeof(double) +
                       2 * sizeof(detect_phase_entry) + 1) +
                  scratch_count(c) * sizeof(double);
    char *block = malloc(size);
    if (!block)
        return NULL;
    memset(w, 0, sizeof *w);
    w->season.entries = (detect_phase_entry *)block;
    w->season.sorted = w->season.entries + c;
    w->t = (int64_t *)(w->season.sorted + c);
    w->window_t = w->t + c;
    w->v = (double *)(w->window_t + c);
    w->adjusted = w->v + c;
    w->held_out = w->adjusted + c;
    w->window_adjusted = w->held_out + c;
    w->window_held_out = w->window_adjusted + c;
    w->season.projected = w->window_held_out + c;
    w->scratch = w->season.projected + c;
    w->season.scratch = w->scratch;
    w->flagged = (unsigned char *)(w->scratch + scratch_count(c));
    return block;
}

static size_t collect(detect_work *w, const history_sample *past, size_t count,
                      int64_t now_ms)
{
    size_t usable = 0;
    for (size_t i = 0; i < count; i++) {
        if (!isfinite(past[i].value) || past[i].ts_ms >= now_ms)
            continue;
        w->t[w->n] = past[i].ts_ms;
        w->v[w->n] = past[i].value;
        w->flagged[w->n] = past[i].anomalous != 0;
        usable += !past[i].anomalous;
        w->n++;
    }
    return usable;
}

/* The model's space, from the values not flagged (a flagged outlier says
 * nothing of the noise). */
static detect_space choose_space(detect_work *w)
{
    size_t m = 0;
    for (size_t i = 0; i < w->n; i++)
        if (!w->flagged[i])
            w->adjusted[m++] = w->v[i];
    return detect_space_choose(w->adjusted, m, w->scratch);
}

/* Median time between consecutive samples; 0 with fewer than 2. */
static double median_spacing(const detect_work *w)
{
    if (w->n < 2)
        return 0;
    for (size_t i = 1; i < w->n; i++)
        w->scratch[i - 1] = (double)(w->t[i] - w->t[i - 1]);
    return detect_median_inplace(w->scratch, w->n - 1);
}

static uint32_t min_history(const anomaly_rule *rule)
{
    uint32_t n =
        rule->min_history ? rule->min_history : DETECT_DEFAULT_MIN_HISTORY;
    return n < 2 ? 2 : n;
}

/* Usable points before judging: min_history, and, for seasonal: auto,
 * enough runs to see twice the cycle that the run spacing can show, when
 * that many fit in DETECT_SEASON_POINTS (runs a minute apart cannot show
 * a daily cycle in the history the rule reads). */
static uint32_t points_to_learn(const anomaly_rule *rule, double spacing_ms)
{
    uint32_t needed = min_history(rule);
    if (rule->seasonal != RULE_SEASON_AUTO)
        return needed;
    int64_t cycle = detect_season_warmup_cycle_ms(spacing_ms);
    double runs = cycle > 0 ? ceil(2.0 * (double)cycle / spacing_ms) : 0;
    if (runs <= DETECT_SEASON_POINTS && runs > needed)
        needed = (uint32_t)runs;
    return needed;
}

size_t detect_points_needed(const anomaly_rule *rule)
{
    if (!rule)
        return 0;
    size_t needed = rule->window_ms > 0
                        ? DETECT_SEASON_POINTS
                        : (rule->window_points ? rule->window_points
                                               : DETECT_DEFAULT_WINDOW);
    if (rule->seasonal != RULE_SEASON_NONE && needed < DETECT_SEASON_POINTS)
        needed = DETECT_SEASON_POINTS;
    if (needed < min_history(rule))
        needed = min_history(rule);
    return needed;
}

static double z_limit(const anomaly_rule *rule)
{
    return rule->z > 0 ? rule->z : DETECT_DEFAULT_Z;
}

/*
 * z for a spread estimated from m values rather than known: the Student-t
 * quantile with 0.82 m - 1 degrees of freedom (Qn's efficiency) at the
 * normal tail of z, by the Cornish-Fisher expansion, times the prediction
 * interval's widening for the error of the expected value itself: a median
 * of m values has the variance pi/2m (in spreads), and a cycle's value at
 * now's phase is a median of the phase_n values of that phase, which adds
 * pi/2 phase_n (a weekly phase has a seventh of the values). Without the
 * first a 30-value window fires several times as often as z promises;
 * without the second a phase level estimated a little high fires on the
 * tail of ordinary noise.
 */
static double band_z(const anomaly_rule *rule, size_t m, size_t phase_n)
{
    double z = z_limit(rule);
    double df = DETECT_QN_EFFICIENCY * (double)m - 1;
    if (df < 1)
        df = 1;
    double z3 = z * z * z, z5 = z3 * z * z;
    double t =
        z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
    double level_error = M_PI / (2 * (double)(m ? m : 1));
    if (phase_n > 0)
        level_error += M_PI / (2 * (double)phase_n);
    return t * sqrt(1 + level_error);
}

/* Half-width of the band in the model's space: z spreads, never 0 (keeps
 * scores finite on a series that never moved). */
static double half_width(double z, double center, double spread)
{
    double width = z * spread;
    double least = DETECT_MIN_HALF_WIDTH * fmax(1.0, fabs(center));
    return width > least ? width : least;
}

/* Fills expected, band, scale and score from the band [lower, upper]
 * around expected, widened to the relative and absolute floors. scale is
 * the band's half-width on the value's side over z, so that |score| > z
 * exactly outside the band. */
static void fill_band(const anomaly_rule *rule, double value, double expected,
                      double lower, double upper, detect_result *out)
{
    double floor = rule->rel_floor * fabs(expected);
    if (rule->floor.set && rule->floor.value > floor)
        floor = rule->floor.value;
    out->expected = expected;
    out->lower = fmin(lower, expected - floor);
    out->upper = fmax(upper, expected + floor);
    double side =
        value >= expected ? out->upper - expected : expected - out->lower;
    out->scale = side / z_limit(rule);
    out->score = out->scale > 0 ? (value - expected) / out->scale : 0;
}

/* The band center +- half in the model's space, back in values; on logs
 * with `relative`, expected x (1 +- half) instead (see
 * detect_space_relative_band), while that stays above 0. */
static void set_band(const anomaly_rule *rule, double value, double center,
                     double half, const detect_space *space, int relative,
                     detect_result *out)
{
    double expected = detect_space_from(space, center);
    if (relative && space->kind == DETECT_SPACE_LOG && half < 1) {
        fill_band(rule, value, expected, expected * (1 - half),
                  expected * (1 + half), out);
        return;
    }
    fill_band(rule, value, expected, detect_space_from(space, center - half),
              detect_space_from(space, center + half), out);
}

/* +1 or -1 when value is outside [lower, upper] on a side the rule
 * watches; else 0. */
static int outside(const anomaly_rule *rule, double value, double lower,
                   double upper)
{
    if (value > upper && rule->direction != RULE_DIRECTION_BELOW)
        return 1;
    if (value < lower && rule->direction != RULE_DIRECTION_ABOVE)
        return -1;
    return 0;
}

static void open_episode(detect_result *out, int side, int64_t now_ms)
{
    out->fired = out->opened = 1;
    out->side = side;
    out->episode = (detect_episode){
        1, now_ms, side, out->expected, out->scale, out->lower, out->upper};
}

/*
 * An episode open before this run. The baseline it opened against is
 * frozen: the values it flags stay out of later baselines, and its band
 * keeps its width. When the model follows a cycle or trend (moving), the
 * frozen band moves with the model's expected value (scaled in log space,
 * shifted otherwise); otherwise it stays exactly where it was. The
 * episode stays open while the value stays beyond DETECT_CLOSE_FRACTION
 * of the band's half-width on its side; beyond the band on the other
 * side, it closes and a new one opens.
 */
static void continue_episode(const anomaly_rule *rule, double value,
                             int64_t now_ms, const detect_episode *ep,
                             int moving, const detect_space *space,
                             detect_result *out)
{
    double expected = ep->expected, lower = ep->lower, upper = ep->upper;
    if (moving && space->kind == DETECT_SPACE_LOG && ep->expected > 0) {
        double ratio = out->expected / ep->expected;
        expected *= ratio, lower *= ratio, upper *= ratio;
    } else if (moving) {
        double shift = out->expected - ep->expected;
        expected += shift, lower += shift, upper += shift;
    }
    fill_band(rule, value, expected, lower, upper, out);
    double half = ep->side > 0 ? upper - expected : expected - lower;
    if ((value - expected) * ep->side > DETECT_CLOSE_FRACTION * half) {
        out->state = NBAQ_JUDGEMENT_OPEN;
        out->fired = 1;
        out->side = ep->side;
        out->episode = *ep;
        return;
    }
    out->state = NBAQ_JUDGEMENT_JUDGED;
    out->closed = 1;
    int side = outside(rule, value, lower, upper);
    if (side)
        open_episode(out, side, now_ms);
}

/*
 * Warm-up: the usable values so far are too few. From
 * DETECT_SUSPECT_MIN_POINTS of them on, a value beyond twice the rule's
 * band around their median (at least the relative floor) is suspect, so
 * that the host keeps it out of the baseline, unless the latest values
 * were all suspect too: then the series has moved, and the new level is
 * learnt rather than refused forever.
 *
 * A series whose min_history values so far never varied at all has no
 * cycle to wait for: it is judged at once against that flat level (the
 * relative and absolute floors make its band), so that 10 runs at 1000
 * and then 600 fire. Returns 1 when it judged, 0 when still learning.
 */
static int learn(const anomaly_rule *rule, double value, detect_work *w,
                 size_t usable, const detect_space *space, detect_result *out)
{
    out->state = NBAQ_JUDGEMENT_LEARNING;
    out->points_used = (uint32_t)usable;
    if (usable < DETECT_SUSPECT_MIN_POINTS)
        return 0;
    size_t m = 0;
    for (size_t i = 0; i < w->n; i++)
        if (!w->flagged[i])
            w->adjusted[m++] = w->v[i];
    double median = detect_median(w->adjusted, m, w->scratch);
    double spread = detect_qn(w->adjusted, m, w->scratch);
    out->constant = spread == 0;
    if (out->constant && usable >= min_history(rule)) {
        out->state = NBAQ_JUDGEMENT_JUDGED;
        set_band(rule, value, median, half_width(z_limit(rule), median, 0),
                 space, 0, out);
        return 1;
    }
    set_band(rule, value, median, 2 * half_width(z_limit(rule), median, spread),
             space, 0, out);
    int moved = w->n >= DETECT_SUSPECT_MIN_POINTS;
    for (size_t k = 1; moved && k <= DETECT_SUSPECT_MIN_POINTS; k++)
        moved = w->flagged[w->n - k];
    out->suspect = !moved && (value < out->lower || value > out->upper);
    return 0;
}

/* The latest usable values of the rule's window, oldest first. */
static size_t take_window(const anomaly_rule *rule, int64_t now_ms,
                          detect_work *w)
{
    size_t limit = rule->window_ms > 0   ? w->n
                   : rule->window_points ? rule->window_points
                                         : DETECT_DEFAULT_WINDOW;
    int64_t since = rule->window_ms > 0 ? now_ms - rule->window_ms : INT64_MIN;
    size_t start = w->n, m = 0;
    while (start > 0 && m < limit && w->t[start - 1] >= since) {
        start--;
        m += !w->flagged[start];
    }
    size_t j = 0;
    for (size_t k = start; k < w->n; k++) {
        if (w->flagged[k])
            continue;
        w->window_t[j] = w->t[k];
        w->window_adjusted[j] = w->adjusted[k];
        w->window_held_out[j] = w->held_out[k];
        j++;
    }
    return j;
}

/* Robust spread of the held-out residuals around the level: each value is
 * compared with a cycle it did not help estimate. *relative: whether their
 * shape asks for a relative band (detect_space_relative_band). */
static double residual_spread(detect_work *w, size_t m,
                              const detect_level *level, int64_t now_ms,
                              int *relative)
{
    size_t k = 0;
    double *residuals = w->season.projected; /* free after the fit */
    for (size_t i = 0; i < m; i++) {
        if (isnan(w->window_held_out[i]))
            continue;
        residuals[k++] = w->window_held_out[i] -
                         detect_level_at(level, now_ms, w->window_t[i]);
    }
    *relative = detect_space_relative_band(residuals, k);
    return detect_qn(residuals, k, w->scratch);
}

/* Median residual of the latest DETECT_SUSTAIN_RUNS runs (this one's
 * included) against level; NAN when one of them was flagged. The median,
 * not the mean: one wild value is the band's business, not a drift. */
static double recent_median_residual(const detect_work *w,
                                     const detect_level *level, int64_t now_ms,
                                     double residual_now)
{
    double r[DETECT_SUSTAIN_RUNS];
    size_t n = 0;
    r[n++] = residual_now;
    for (size_t k = w->n - (DETECT_SUSTAIN_RUNS - 1); k < w->n; k++) {
        if (w->flagged[k])
            return NAN;
        r[n++] = w->adjusted[k] - detect_level_at(level, now_ms, w->t[k]);
    }
    return detect_median_inplace(r, n);
}

static int side_of(double mean, double limit)
{
    return mean > limit ? 1 : mean < -limit ? -1 : 0;
}

/*
 * A departure too slow for the band: the median residual of the latest
 * DETECT_SUSTAIN_RUNS runs (this one included, none flagged) beyond z
 * times its standard error, 1.2533 spread / sqrt(runs), on this value's
 * side, with the value itself beyond the floors,
 * against both the chosen level and the other one (trend or flat), so
 * that a weak steady trend the chosen model left out is not a drift.
 * Catches a drift before its values widen the spread that hides it.
 */
static int sustained_side(const anomaly_rule *rule, const detect_work *w,
                          const detect_level *levels, int64_t now_ms,
                          double value_in_space, double spread, double z)
{
    if (w->n < DETECT_SUSTAIN_RUNS - 1 || !isfinite(value_in_space) ||
        !(spread > 0))
        return 0;
    double limit = z * DETECT_MEDIAN_SE * spread / sqrt(DETECT_SUSTAIN_RUNS);
    int side = 0;
    for (int k = 0; k < 2; k++) {
        double now_residual = value_in_space - levels[k].at_now;
        double median =
            recent_median_residual(w, &levels[k], now_ms, now_residual);
        int s = isnan(median) ? 0 : side_of(median, limit);
        if (s == 0 || s * now_residual <= 0 || (k == 1 && s != side))
            return 0;
        side = s;
    }
    if ((side > 0 && rule->direction == RULE_DIRECTION_BELOW) ||
        (side < 0 && rule->direction == RULE_DIRECTION_ABOVE))
        return 0;
    return side;
}

/* Fits the baseline: season, level and spread. 0, or -1 when the window
 * or the configured phase holds too few values (out says LEARNING). */
static int fit_baseline(const anomaly_rule *rule, double value, int64_t now_ms,
                        double spacing_ms, const detect_space *space,
                        detect_work *w, detect_result *out)
{
    detect_season_fit season;
    int rc = detect_season_fit_samples(w->t, w->v, w->n, now_ms, rule->seasonal,
                                       spacing_ms, &w->season, w->adjusted,
                                       w->held_out, &season);
    out->season = season.name;
    out->season_detected = season.detected;
    size_t m = rc == 0 ? take_window(rule, now_ms, w) : 0;
    if (rc != 0 || m < min_history(rule)) {
        out->state = NBAQ_JUDGEMENT_LEARNING;
        out->points_used = (uint32_t)m;
        return -1;
    }
    detect_level level = detect_level_fit(w->window_t, w->window_adjusted, m,
                                          now_ms, w->scratch);
    int relative = 0;
    double spread = residual_spread(w, m, &level, now_ms, &relative);
    if (space->kind == DETECT_SPACE_SQRT && space->poisson &&
        spread < DETECT_SQRT_POISSON_SD)
        spread = DETECT_SQRT_POISSON_SD;
    double expected = season.now_component + level.at_now;
    out->state = NBAQ_JUDGEMENT_JUDGED;
    out->points_used = (uint32_t)m;
    out->trend = level.trend || season.slope != 0;
    out->constant = spread == 0;
    set_band(rule, value, expected,
             half_width(band_z(rule, m, season.now_count), expected, spread),
             space, relative, out);
    detect_level levels[2] = {
        level, detect_level_other(w->window_t, w->window_adjusted, m,
                                  DETECT_SUSTAIN_RUNS - 1, now_ms, &level,
                                  w->scratch)};
    /* The drift test needs the value beyond the floors too; small counts
     * are too lumpy for a median of five. */
    double floor = fmax(rule->rel_floor * fabs(out->expected),
                        rule->floor.set ? rule->floor.value : 0);
    if (fabs(value - out->expected) > floor && space->kind != DETECT_SPACE_SQRT)
        out->sustained =
            sustained_side(rule, w, levels, now_ms,
                           detect_space_to(space, value) - season.now_component,
                           spread, z_limit(rule));
    return 0;
}

static void result_init(detect_result *out)
{
    memset(out, 0, sizeof *out);
    out->state = NBAQ_JUDGEMENT_NONE;
    out->expected = out->scale = out->score = NAN;
    out->lower = out->upper = NAN;
    out->season = "none";
}

void detect_judge(const anomaly_rule *rule, double value, int64_t now_ms,
                  const history_sample *past, size_t count,
                  const detect_episode *open_before, detect_result *out)
{
    result_init(out);
    if (!rule || !rule->enabled || !isfinite(value))
        return;
    detect_work w;
    void *block = work_alloc(&w, count);
    if (!block)
        return;
    size_t usable = collect(&w, past, count, now_ms);
    double spacing = median_spacing(&w);
    out->points_needed = points_to_learn(rule, spacing);
    int open = open_before && open_before->open;
    detect_space space = choose_space(&w);
    for (size_t i = 0; i < w.n; i++)
        w.v[i] = detect_space_to(&space, w.v[i]);
    int have_model = 0;
    if (usable < out->points_needed)
        have_model = learn(rule, value, &w, usable, &space, out);
    else
        have_model =
            fit_baseline(rule, value, now_ms, spacing, &space, &w, out) == 0;
    if (open) {
        int moving = have_model && (out->trend || strcmp(out->season, "none"));
        continue_episode(rule, value, now_ms, open_before, moving, &space, out);
        out->suspect = 0;
    } else if (have_model) {
        int side = outside(rule, value, out->lower, out->upper);
        if (!side)
            side = out->sustained;
        if (side)
            open_episode(out, side, now_ms);
    }
    free(block);
}
