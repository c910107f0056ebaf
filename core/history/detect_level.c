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

detect_level detect_level_fit(const int64_t *t, const double *v, size_t m,
                              int64_t now_ms, double *scratch)
{
    double *carried = scratch + m;
    detect_level flat = {detect_median(v, m, scratch), 0, 0};
    if (m < DETECT_TREND_MIN_POINTS)
        return flat;
    double spread_flat = detect_spread(v, m, flat.at_now, scratch);
    double slope = detect_pair_slope(t, v, m, scratch);
    if (slope == 0)
        return flat;
    for (size_t i = 0; i < m; i++)
        carried[i] = v[i] + slope * (double)(now_ms - t[i]);
    detect_level sloped = {detect_median(carried, m, scratch), slope, 1};
    double spread_sloped = detect_spread(carried, m, sloped.at_now, scratch);
    if (!(spread_sloped < DETECT_TREND_SPREAD_GAIN * spread_flat))
        return flat;
    size_t half = m / 2;
    double first = detect_pair_slope(t, v, half, scratch);
    double second = detect_pair_slope(t + half, v + half, m - half, scratch);
    if (!agrees(first, slope) || !agrees(second, slope))
        return flat;
    return sloped;
}
