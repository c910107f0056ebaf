/*
 * detect_robust.h - robust statistics for the anomaly rule: median, median
 * absolute deviation and a median-of-slopes trend, each O(n).
 */
#ifndef NBAQ_HISTORY_DETECT_ROBUST_H
#define NBAQ_HISTORY_DETECT_ROBUST_H

#include <stddef.h>
#include <stdint.h>

/* MAD * 1.4826 estimates the standard deviation of normal data; the mean
 * absolute deviation * 1.2533 does the same, used when more than half the
 * values are equal (the MAD is then 0 while the values still vary). */
#define DETECT_MAD_TO_SD 1.4826
#define DETECT_MEAN_AD_TO_SD 1.2533

/* Median of v[0..n) (the mean of the middle two for an even n); reorders
 * v. NAN when n is 0. */
double detect_median_inplace(double *v, size_t n);

/* Median of v[0..n) without touching it; scratch holds n doubles. */
double detect_median(const double *v, size_t n, double *scratch);

/* Robust spread of v[0..n) around center, as a standard deviation:
 * 1.4826 * MAD, or 1.2533 * the mean absolute deviation when the MAD is 0.
 * 0 only when every value equals center. scratch holds n doubles. */
double detect_spread(const double *v, size_t n, double center, double *scratch);

/* Rousseeuw & Croux's Qn, as a standard deviation: 2.2219 times the
 * k-th smallest |v[i] - v[j]| (i < j), k = h(h-1)/2, h = n/2 + 1; 82%
 * efficient where the MAD is 37%, so a short window estimates the spread
 * better. Uses the latest DETECT_QN_MAX_POINTS values. Falls back to
 * detect_spread when it is 0 (ties). scratch holds
 * DETECT_QN_MAX_POINTS^2 / 2 doubles or n, the larger. */
#define DETECT_QN_MAX_POINTS 120
#define DETECT_QN_TO_SD 2.2219
double detect_qn(const double *v, size_t n, double *scratch);

/* Mean absolute deviation of v[0..n) from center. */
double detect_mean_abs_dev(const double *v, size_t n, double center);

/* Median of the slopes (v[j] - v[i]) / (t[j] - t[i]) over the pairs
 * (i, i + ceil(n / 2)): a Theil-Sen style slope in O(n), per millisecond.
 * 0 when n < 4 or no pair has distinct times. scratch holds n doubles. */
double detect_pair_slope(const int64_t *t, const double *v, size_t n,
                         double *scratch);

#endif
