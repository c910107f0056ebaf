/*
 * flapping.h - flap detection in the manner of Icinga: the share of state
 * changes among a fingerprint's latest results. A fingerprint starts
 * flapping when the share rises above start_pct and stops when it falls
 * below stop_pct (the gap keeps it from toggling at the edge).
 *
 * Results are kept as bits, the latest in bit 0, 1 for a failing run; at
 * most HISTORY_ALERT_RESULTS_MAX of them. Unlike Icinga the changes are
 * not weighted by age: every change in the window counts the same, so
 * that the thresholds can be worked out by hand (docs/alerts.md).
 */
#ifndef NBAQ_CORE_ALERTS_FLAPPING_H
#define NBAQ_CORE_ALERTS_FLAPPING_H

#include <stdint.h>

typedef struct flap_policy {
    int enabled;
    uint32_t window; /* results looked at, 2..63                     */
    double start_pct;
    double stop_pct;
} flap_policy;

/* Adds one result (failing non-zero) to the history. */
void flap_record(uint64_t *results, uint32_t *count, int failing);

/* 100 * changes / (window - 1), the changes counted between adjacent
 * results among the latest min(count, window). */
double flap_percent(uint64_t results, uint32_t count, uint32_t window);

/* The flapping flag after this run: starts above start_pct, stops below
 * stop_pct, otherwise unchanged. Always 0 when the policy is disabled. */
int flap_update(int flapping, uint64_t results, uint32_t count,
                const flap_policy *policy);

/* Non-zero when a failing result is among the latest window ones. */
int flap_window_has_failure(uint64_t results, uint32_t count, uint32_t window);

#endif
