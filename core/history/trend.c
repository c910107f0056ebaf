/*
 * trend.c - is a metric moving, comparing the mean of this window with the
 * mean of the window before.
 */
#include <math.h>

#include "history_calc.h"

/* Standard error of (current mean - previous mean). */
static double difference_standard_error(const nbaq_stats *previous,
                                        const nbaq_stats *current)
{
    double variance = 0;
    if (previous->count >= 2)
        variance +=
            previous->stddev * previous->stddev / (double)previous->count;
    if (current->count >= 2)
        variance += current->stddev * current->stddev / (double)current->count;
    return sqrt(variance);
}

nbaq_trend history_trend_classify(const nbaq_stats *previous,
                                  const nbaq_stats *current, rule_better better)
{
    if (previous->count == 0 || current->count == 0)
        return NBAQ_TREND_UNKNOWN;
    if (!isfinite(previous->mean) || !isfinite(current->mean))
        return NBAQ_TREND_UNKNOWN;
    double delta = current->mean - previous->mean;
    if (fabs(delta) <= difference_standard_error(previous, current))
        return NBAQ_TREND_STABLE;
    if (previous->mean != 0 &&
        fabs(delta) < HISTORY_TREND_TOLERANCE * fabs(previous->mean))
        return NBAQ_TREND_STABLE;
    int rising = delta > 0;
    switch (better) {
    case RULE_BETTER_HIGHER:
        return rising ? NBAQ_TREND_IMPROVING : NBAQ_TREND_WORSENING;
    case RULE_BETTER_LOWER:
        return rising ? NBAQ_TREND_WORSENING : NBAQ_TREND_IMPROVING;
    default:
        return rising ? NBAQ_TREND_UP : NBAQ_TREND_DOWN;
    }
}
