/*
 * baselines.c - the comparison detectors (see baselines.h).
 */
#include "baselines.h"

#include <math.h>

#define DAY_MS (24 * 3600 * 1000LL)
#define ELEMENTARY_TRAINING_MS (14 * DAY_MS)
#define ELEMENTARY_MIN_TRAINING 7
#define SIGMAS 3.0
#define DEEQU_MAX_RATE_DECREASE 0.5
#define DEEQU_MAX_RATE_INCREASE 2.0
#define NBAQ1_POINTS 30
#define NBAQ1_MIN_HISTORY 7

typedef struct moments {
    size_t n;
    double mean, m2; /* Welford: sum of squared deviations */
} moments;

static void moments_add(moments *m, double x)
{
    m->n++;
    double d = x - m->mean;
    m->mean += d / (double)m->n;
    m->m2 += d * (x - m->mean);
}

static double moments_sd(const moments *m)
{
    return m->n > 1 ? sqrt(m->m2 / (double)(m->n - 1)) : 0;
}

static int beyond(const moments *m, double value, size_t min_n)
{
    double sd = moments_sd(m);
    if (m->n < min_n || !(sd > 0))
        return 0;
    return fabs(value - m->mean) / sd > SIGMAS;
}

int baseline_elementary(const history_sample *past, size_t n, double value,
                        int64_t now_ms)
{
    moments m = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        if (!past[i].anomalous &&
            past[i].ts_ms >= now_ms - ELEMENTARY_TRAINING_MS)
            moments_add(&m, past[i].value);
    return beyond(&m, value, ELEMENTARY_MIN_TRAINING);
}

int baseline_deequ_online(const history_sample *past, size_t n, double value,
                          int64_t now_ms)
{
    (void)now_ms;
    moments m = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        if (!past[i].anomalous)
            moments_add(&m, past[i].value);
    return beyond(&m, value, 2);
}

int baseline_deequ_rate(const history_sample *past, size_t n, double value,
                        int64_t now_ms)
{
    (void)now_ms;
    if (n == 0 || past[n - 1].value == 0)
        return 0;
    double rate = value / past[n - 1].value;
    return rate < DEEQU_MAX_RATE_DECREASE || rate > DEEQU_MAX_RATE_INCREASE;
}

/* nbaq 1.x (core/history/anomaly.c at 7251050, seasonal none, window 30
 * points, z 3): the mean and sample sd of the latest 30 values not
 * flagged. */
int baseline_nbaq1(const history_sample *past, size_t n, double value,
                   int64_t now_ms)
{
    (void)now_ms;
    moments m = {0, 0, 0};
    size_t taken = 0, start = 0;
    for (size_t i = n; i > 0; i--) {
        if (!past[i - 1].anomalous && ++taken == NBAQ1_POINTS) {
            start = i - 1;
            break;
        }
    }
    for (size_t i = start; i < n; i++)
        if (!past[i].anomalous)
            moments_add(&m, past[i].value);
    return beyond(&m, value, NBAQ1_MIN_HISTORY);
}
