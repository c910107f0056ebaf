/*
 * detect_level.c - median level, and a trend only when it is steady.
 */
#include "detect_level.h"

#include "detect_robust.h"

double detect_level_at(const detect_level *level, int64_t now_ms, int64_t t_ms)
{
    return level->at_now - level->slope * (double)(now_ms - t_ms);
}

/* Same sign as the whole and within DETECT_TREND_HALVES_FACTOR of it. */
static int agrees(double half, double whole)
{
    double ratio = half / whole;
    return ratio >= 1 / DETECT_TREND_HALVES_FACTOR &&
           ratio <= DETECT_TREND_HALVES_FACTOR;
}

static detect_level fit_flat(const double *v, size_t m, double *scratch)
{
    return (detect_level){detect_median(v, m, scratch), 0, 0};
}

/* The median of the values carried to now along the median-of-slopes
 * trend; flat when there is none. */
static detect_level fit_sloped(const int64_t *t, const double *v, size_t m,
                               int64_t now_ms, double *scratch)
{
    double slope =
        m >= DETECT_TREND_MIN_POINTS ? detect_pair_slope(t, v, m, scratch) : 0;
    if (slope == 0)
        return fit_flat(v, m, scratch);
    double *carried = scratch + m;
    for (size_t i = 0; i < m; i++)
        carried[i] = v[i] + slope * (double)(now_ms - t[i]);
    return (detect_level){detect_median(carried, m, scratch), slope, 1};
}

static double spread_around(const int64_t *t, const double *v, size_t m,
                            int64_t now_ms, const detect_level *level,
                            double *scratch)
{
    double *residuals = scratch + m;
    for (size_t i = 0; i < m; i++)
        residuals[i] = v[i] - detect_level_at(level, now_ms, t[i]);
    return detect_spread(residuals, m, 0, scratch);
}

detect_level detect_level_fit(const int64_t *t, const double *v, size_t m,
                              int64_t now_ms, double *scratch)
{
    detect_level flat = fit_flat(v, m, scratch);
    detect_level sloped = fit_sloped(t, v, m, now_ms, scratch);
    if (!sloped.trend)
        return flat;
    double spread_flat = spread_around(t, v, m, now_ms, &flat, scratch);
    double spread_sloped = spread_around(t, v, m, now_ms, &sloped, scratch);
    if (!(spread_sloped < DETECT_TREND_SPREAD_GAIN * spread_flat))
        return flat;
    size_t half = m / 2;
    double first = detect_pair_slope(t, v, half, scratch);
    double second = detect_pair_slope(t + half, v + half, m - half, scratch);
    if (!agrees(first, sloped.slope) || !agrees(second, sloped.slope))
        return flat;
    return sloped;
}

detect_level detect_level_other(const int64_t *t, const double *v, size_t m,
                                size_t recent, int64_t now_ms,
                                const detect_level *chosen, double *scratch)
{
    if (chosen->trend)
        return fit_flat(v, m, scratch);
    return fit_sloped(t, v, m > recent ? m - recent : m, now_ms, scratch);
}
