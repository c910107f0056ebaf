/*
 * flapping.c - the share of state changes in a fingerprint's recent runs.
 */
#include "flapping.h"

#include "history_alerts.h"

static uint64_t low_bits(uint32_t n)
{
    return n >= 64 ? UINT64_MAX : (1ULL << n) - 1;
}

void flap_record(uint64_t *results, uint32_t *count, int failing)
{
    *results = ((*results << 1) | (failing ? 1u : 0u)) &
               low_bits(HISTORY_ALERT_RESULTS_MAX);
    if (*count < HISTORY_ALERT_RESULTS_MAX)
        (*count)++;
}

double flap_percent(uint64_t results, uint32_t count, uint32_t window)
{
    if (window < 2)
        return 0;
    uint32_t n = count < window ? count : window;
    unsigned changes = 0;
    for (uint32_t i = 0; i + 1 < n; i++)
        changes += ((results >> i) & 1u) != ((results >> (i + 1)) & 1u);
    return 100.0 * changes / (window - 1);
}

int flap_update(int flapping, uint64_t results, uint32_t count,
                const flap_policy *policy)
{
    if (!policy->enabled)
        return 0;
    double pct = flap_percent(results, count, policy->window);
    if (!flapping && pct > policy->start_pct)
        return 1;
    if (flapping && pct < policy->stop_pct)
        return 0;
    return flapping;
}

int flap_window_has_failure(uint64_t results, uint32_t count, uint32_t window)
{
    uint32_t n = count < window ? count : window;
    return (results & low_bits(n)) != 0;
}
