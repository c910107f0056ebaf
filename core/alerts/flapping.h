/*
 * flapping.h - flap damping: a failure that did not last, back again
 * soon, is flapping.
 *
 * A fingerprint starts flapping on a run that begins a failing stretch
 * (failing after passing) when its previous failing stretch ended within
 * the latest `window` results and lasted fewer than `settle` runs. It
 * stops flapping once its latest `settle` results agree (all failing or
 * all passing). So a check that fails once and recovers is not flapping
 * (there is no second stretch), one that alternates from its first runs
 * flaps at its second failure, and a failure that lasts `settle` runs is
 * no longer hidden. docs/alerts.md works through the sequences.
 *
 * Results are kept as bits, the latest in bit 0, 1 for a failing run; at
 * most HISTORY_ALERT_RESULTS_MAX of them.
 */
#ifndef NBAQ_CORE_ALERTS_FLAPPING_H
#define NBAQ_CORE_ALERTS_FLAPPING_H

#include <stdint.h>

typedef struct flap_policy {
    int enabled;
    uint32_t window; /* results looked back for an earlier failure, 2..63 */
    uint32_t settle; /* equal results that end flapping, 2..63          */
} flap_policy;

/* Adds one result (failing non-zero) to the history. */
void flap_record(uint64_t *results, uint32_t *count, int failing);

/* Non-zero when the latest result begins a failing stretch and the
 * previous one ended within the window and lasted fewer than settle runs. */
int flap_starts(uint64_t results, uint32_t count, const flap_policy *policy);

/* Non-zero when the latest settle results agree. */
int flap_settled(uint64_t results, uint32_t count, uint32_t settle);

/* The flapping flag after this run (see above). Always 0 when the policy
 * is disabled. */
int flap_update(int flapping, uint64_t results, uint32_t count,
                const flap_policy *policy);

/* Non-zero when a failing result is among the latest window ones. */
int flap_window_has_failure(uint64_t results, uint32_t count, uint32_t window);

#endif
