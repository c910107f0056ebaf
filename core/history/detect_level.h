/*
 * detect_level.h - the level of a metric at now, with a trend when the
 * recent values grow or shrink steadily.
 */
#ifndef NBAQ_HISTORY_DETECT_LEVEL_H
#define NBAQ_HISTORY_DETECT_LEVEL_H

#include <stddef.h>
#include <stdint.h>

/* A trend is used when it shrinks the spread to below this fraction... */
#define DETECT_TREND_SPREAD_GAIN 0.7
/* ... and both halves of the window slope the same way, each within this
 * factor of the whole window's slope: a steady trend, not a recent drift. */
#define DETECT_TREND_HALVES_FACTOR 3.0
/* Fewest values on which a trend is fitted. */
#define DETECT_TREND_MIN_POINTS 8

typedef struct detect_level {
    double at_now; /* the level the values point to at now_ms           */
    double slope;  /* per ms; 0 without a trend                         */
    int trend;     /* 1: a steady trend was found                       */
} detect_level;

/* Level of t[0..m), v[0..m) (oldest first) at now_ms: their median, or
 * the median of the values carried to now along a median-of-slopes trend
 * when that trend is steady (see above). scratch holds 2 * m doubles. */
detect_level detect_level_fit(const int64_t *t, const double *v, size_t m,
                              int64_t now_ms, double *scratch);

/* The model detect_level_fit did not choose: the flat one when it chose a
 * trend, else the median-of-slopes trend, without its steadiness tests,
 * of the values before the latest `recent` ones (so that a drift in them
 * does not bend it). A slow departure must stand out from both. */
detect_level detect_level_other(const int64_t *t, const double *v, size_t m,
                                size_t recent, int64_t now_ms,
                                const detect_level *chosen, double *scratch);

/* The level at time t_ms. */
double detect_level_at(const detect_level *level, int64_t now_ms, int64_t t_ms);

#endif
