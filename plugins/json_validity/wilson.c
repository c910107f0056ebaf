/*
 * wilson.c - Wilson score interval, with the normal quantile computed by
 * Acklam's rational approximation (relative error 1.15e-9) refined by one
 * Halley step against erfc(), which brings it to double precision.
 */
#include "wilson.h"

#include <math.h>

static double acklam_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    const double low = 0.02425;
    if (p < low) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q +
                c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low)
        return -acklam_quantile(1 - p);
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r +
            a[5]) *
           q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double wilson_normal_quantile(double p)
{
    double x = acklam_quantile(p);
    /* one Halley step on Phi(x) - p, Phi(x) = erfc(-x / sqrt 2) / 2 */
    double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
    double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

void wilson_interval(uint64_t x, uint64_t n, double confidence, double *low,
                     double *high)
{
    double z = wilson_normal_quantile(1 - (1 - confidence) / 2);
    double nn = (double)n;
    double p = (double)x / nn;
    double z2 = z * z;
    double denominator = 1 + z2 / nn;
    double centre = (p + z2 / (2 * nn)) / denominator;
    double half = z / denominator * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *low = x == 0 ? 0 : fmax(0, centre - half);
    *high = x == n ? 1 : fmin(1, centre + half);
}
