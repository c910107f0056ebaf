/*
 * baselines.h - the detectors nbaq's anomaly rule is compared with, written
 * from their published descriptions (docs/detection.md, "Benchmark"):
 *   elementary    z-score over the training period (14 days), 3 sigma, at
 *                 least 7 training values, flagged values left out;
 *   deequ-online  Deequ's OnlineNormalStrategy: running mean and variance
 *                 of the values so far (anomalies left out), 3 sigma;
 *   deequ-rate    Deequ's RelativeRateOfChangeStrategy: value / previous
 *                 outside [0.5, 2.0];
 *   nbaq-1.x      nbaq's z-score rule before detect.c: mean and sample sd
 *                 of the last 30 values not flagged, at least 7, never
 *                 judged when sd is 0, fires beyond 3 sd.
 */
#ifndef NBAQ_BENCH_DETECT_BASELINES_H
#define NBAQ_BENCH_DETECT_BASELINES_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"

/* Each judges value at now_ms against past[0..n) (oldest first, with the
 * flags this detector set on earlier runs) and returns 1 when it fires. */
int baseline_elementary(const history_sample *past, size_t n, double value,
                        int64_t now_ms);
int baseline_deequ_online(const history_sample *past, size_t n, double value,
                          int64_t now_ms);
int baseline_deequ_rate(const history_sample *past, size_t n, double value,
                        int64_t now_ms);
int baseline_nbaq1(const history_sample *past, size_t n, double value,
                   int64_t now_ms);

#endif
