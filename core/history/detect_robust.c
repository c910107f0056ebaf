/*
 * detect_robust.c - median (quickselect), MAD and a median-of-slopes trend.
 */
#include "detect_robust.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Hoare's selection: afterwards v[k] holds the k-th smallest value and
 * v[0..k) are not greater. Signed indices: j may pass below lo. */
static double select_kth(double *v, size_t n, size_t k)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, target = (ptrdiff_t)k;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        ptrdiff_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j)
                swap(&v[i++], &v[j--]);
        }
        if (target <= j)
            hi = j;
        else if (target >= i)
            lo = i;
        else
            break;
    }
    return v[target];
}

double detect_median_inplace(double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double upper = select_kth(v, n, n / 2);
    if (n % 2)
        return upper;
    /* The lower middle is the largest value of v[0..n/2). */
    double lower = v[0];
    for (size_t i = 1; i < n / 2; i++)
        if (v[i] > lower)
            lower = v[i];
    return (lower + upper) / 2;
}

double detect_median(const double *v, size_t n, double *scratch)
{
    if (n)
        memcpy(scratch, v, n * sizeof *v);
    return detect_median_inplace(scratch, n);
}

double detect_spread(const double *v, size_t n, double center, double *scratch)
{
    if (n == 0)
        return 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        scratch[i] = fabs(v[i] - center);
        sum += scratch[i];
    }
    double mad = detect_median_inplace(scratch, n);
    if (mad > 0)
        return DETECT_MAD_TO_SD * mad;
    return DETECT_MEAN_AD_TO_SD * sum / (double)n;
}

double detect_pair_slope(const int64_t *t, const double *v, size_t n,
                         double *scratch)
{
    if (n < 4)
        return 0;
    size_t gap = (n + 1) / 2, count = 0;
    for (size_t i = 0; i + gap < n; i++) {
        int64_t dt = t[i + gap] - t[i];
        if (dt > 0)
            scratch[count++] = (v[i + gap] - v[i]) / (double)dt;
    }
    return count ? detect_median_inplace(scratch, count) : 0;
}

double detect_mean_abs_dev(const double *v, size_t n, double center)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += fabs(v[i] - center);
    return n ? sum / (double)n : 0;
}

/* Sorts v[0..n) ascending (n is at most DETECT_QN_MAX_POINTS). */
static void sort_small(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/*
 * The k-th smallest (1-based) of the differences x[j] - x[i], i < j, of
 * sorted x[0..n), in O(n log n) rather than a selection among all n(n-1)/2
 * of them: the pairs at most `lag` apart, with lag the least holding k
 * pairs, are a subset, so their k-th smallest, u, bounds the answer from
 * above; every pair within u (a short scan from each i) holds it exactly.
 * scratch: n(n-1)/2 doubles.
 */
static double kth_pair_difference(const double *x, size_t n, size_t k,
                                  double *scratch)
{
    size_t lag = 0, count = 0;
    while (count < k && lag + 1 < n) {
        lag++;
        count += n - lag;
    }
    count = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n && j <= i + lag; j++)
            scratch[count++] = x[j] - x[i];
    double bound = select_kth(scratch, count, k - 1);
    count = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n && x[j] - x[i] <= bound; j++)
            scratch[count++] = x[j] - x[i];
    return select_kth(scratch, count, k - 1);
}

double detect_qn(const double *v, size_t n, double *scratch)
{
    if (n > DETECT_QN_MAX_POINTS) {
        v += n - DETECT_QN_MAX_POINTS;
        n = DETECT_QN_MAX_POINTS;
    }
    if (n < 2)
        return 0;
    double sorted[DETECT_QN_MAX_POINTS];
    memcpy(sorted, v, n * sizeof *v);
    sort_small(sorted, n);
    size_t h = n / 2 + 1;
    size_t k = h * (h - 1) / 2;
    double qn = DETECT_QN_TO_SD * kth_pair_difference(sorted, n, k, scratch);
    if (qn > 0)
        return qn;
    return detect_spread(v, n, detect_median(v, n, scratch), scratch);
}
