/*
 * wilson.h - the Wilson score interval of a proportion.
 *
 * For x successes in n trials and a confidence level c (0.95), the interval
 * is the set of proportions p that a two-sided z-test at level c would not
 * reject, with z the normal quantile 1 - (1 - c) / 2:
 *
 *   centre = (x/n + z^2/(2n)) / (1 + z^2/n)
 *   half   = z / (1 + z^2/n) * sqrt(x/n (1 - x/n) / n + z^2 / (4 n^2))
 *
 * Unlike the normal ("Wald") interval it stays inside [0, 1] and is not
 * degenerate at x = 0 or x = n, which is where a validity rate usually is.
 */
#ifndef NBAQ_JSON_VALIDITY_WILSON_H
#define NBAQ_JSON_VALIDITY_WILSON_H

#include <stdint.h>

/* The standard normal quantile: the z with P(Z <= z) = p, 0 < p < 1.    */
double wilson_normal_quantile(double p);

/* The interval [*low, *high] (proportions in [0, 1]) for x of n, n > 0,
 * at confidence 0 < confidence < 1. x == n gives *high == 1 exactly and
 * x == 0 gives *low == 0 exactly.                                       */
void wilson_interval(uint64_t x, uint64_t n, double confidence, double *low,
                     double *high);

#endif /* NBAQ_JSON_VALIDITY_WILSON_H */
