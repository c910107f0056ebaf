/*
 * stats.c - summary statistics of one metric's values over a window.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "history_calc.h"

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

int history_stats_compute(const double *values, size_t n, nbaq_stats *out)
{
    memset(out, 0, sizeof *out);
    double *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    size_t count = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            continue;
        sorted[count++] = values[i];
        sum += values[i];
    }
    if (count == 0) {
        free(sorted);
        return 0;
    }
    qsort(sorted, count, sizeof *sorted, compare_doubles);
    out->count = count;
    out->min = sorted[0];
    out->max = sorted[count - 1];
    out->mean = sum / (double)count;
    out->median = count % 2 ? sorted[count / 2]
                            : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    if (count >= 2) {
        /* Two passes: the sum of squared deviations from the mean keeps
         * its precision for large values with small spread. */
        double squares = 0;
        for (size_t i = 0; i < count; i++) {
            double d = sorted[i] - out->mean;
            squares += d * d;
        }
        out->stddev = sqrt(squares / (double)(count - 1));
    }
    free(sorted);
    return 0;
}
