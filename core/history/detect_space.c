/*
 * detect_space.c - linear, square-root or log scale for the model.
 */
#include "detect_space.h"

#include "detect_robust.h"

#include <math.h>

/* A value is a multiple of the quantum when within this fraction of one. */
#define QUANTUM_TOLERANCE 1e-6

/* Greatest common divisor of two non-negative reals, to within tol. */
static double real_gcd(double a, double b, double tol)
{
    while (b > tol) {
        double r = fmod(a, b);
        a = b;
        b = r;
    }
    return a;
}

/* The largest q of which every value is a whole multiple (the gcd of the
 * gaps between values), when there is one and it is at least `least`;
 * else 0. O(n). */
static double quantum_of(const double *v, size_t n, double least)
{
    double q = 0, largest = 0;
    for (size_t i = 0; i < n; i++)
        largest = fmax(largest, fabs(v[i]));
    double tol = QUANTUM_TOLERANCE * fmax(largest, 1e-300);
    for (size_t i = 1; i < n; i++) {
        double gap = fabs(v[i] - v[0]);
        if (gap > tol)
            q = q == 0 ? gap : real_gcd(fmax(q, gap), fmin(q, gap), tol);
        if (q > 0 && q < least)
            return 0; /* too fine to be a counting unit of small counts */
    }
    if (!(q > tol))
        return 0;
    for (size_t i = 0; i < n; i++) {
        double units = v[i] / q;
        if (fabs(units - round(units)) > QUANTUM_TOLERANCE * fmax(1, units))
            return 0;
    }
    return q;
}

/* Variance over mean of v[0..n) in units of q (the index of dispersion;
 * 1 for Poisson counts). */
static double dispersion(const double *v, size_t n, double q)
{
    double sum = 0, squares = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i] / q;
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        squares += (v[i] / q - mean) * (v[i] / q - mean);
    return n > 1 && mean > 0 ? squares / (double)(n - 1) / mean : 0;
}

detect_space detect_space_choose(const double *v, size_t n, double *scratch)
{
    detect_space s = {DETECT_SPACE_LINEAR, 0, 0};
    if (n == 0)
        return s;
    double least = v[0];
    for (size_t i = 1; i < n; i++)
        least = fmin(least, v[i]);
    if (least < 0)
        return s;
    double median = detect_median(v, n, scratch);
    double q = quantum_of(v, n, median / DETECT_SMALL_COUNT);
    if (q > 0 && median / q <= DETECT_SMALL_COUNT) {
        s.kind = DETECT_SPACE_SQRT;
        s.quantum = q;
        s.poisson = dispersion(v, n, q) >= DETECT_POISSON_DISPERSION;
    } else if (least > 0) {
        s.kind = DETECT_SPACE_LOG;
    }
    return s;
}

/* The square-root transform's value at 0; below it, a straight line. */
#define SQRT_AT_ZERO 1.2247448713915890 /* 2 sqrt(3/8) */

double detect_space_to(const detect_space *s, double x)
{
    switch (s->kind) {
    case DETECT_SPACE_LOG:
        return x > 0 ? log(x) : -INFINITY;
    case DETECT_SPACE_SQRT:
        x /= s->quantum;
        return x >= 0 ? 2 * sqrt(x + 0.375) : SQRT_AT_ZERO + x;
    default:
        return x;
    }
}

double detect_space_from(const detect_space *s, double y)
{
    switch (s->kind) {
    case DETECT_SPACE_LOG:
        return exp(y);
    case DETECT_SPACE_SQRT:
        if (y < SQRT_AT_ZERO)
            return (y - SQRT_AT_ZERO) * s->quantum;
        return (y * y / 4 - 0.375) * s->quantum;
    default:
        return y;
    }
}

int detect_space_relative_band(const double *residuals, size_t n)
{
    if (n < 3)
        return 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += expm1(residuals[i]);
    double mean = sum / (double)n, m2 = 0, m3 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = expm1(residuals[i]) - mean;
        m2 += d * d;
        m3 += d * d * d;
    }
    m2 /= (double)n;
    m3 /= (double)n;
    if (!(m2 > 0))
        return 0;
    double skewness = m3 / (m2 * sqrt(m2));
    return skewness <= DETECT_SKEW_LIMIT_SE * sqrt(6.0 / (double)n);
}
