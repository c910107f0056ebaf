/*
 * flapping.c - short failures that come back soon.
 */
#include "flapping.h"

#include "history_alerts.h"

static uint64_t low_bits(uint32_t n)
{
    return n >= 64 ? UINT64_MAX : (1ULL << n) - 1;
}

static int bit(uint64_t results, uint32_t i)
{
    return (int)((results >> i) & 1u);
}

void flap_record(uint64_t *results, uint32_t *count, int failing)
{
    *results = ((*results << 1) | (failing ? 1u : 0u)) &
               low_bits(HISTORY_ALERT_RESULTS_MAX);
    if (*count < HISTORY_ALERT_RESULTS_MAX)
        (*count)++;
}

int flap_starts(uint64_t results, uint32_t count, const flap_policy *policy)
{
    if (count < 3 || !bit(results, 0) || bit(results, 1))
        return 0;
    uint32_t seen = count < policy->window ? count : policy->window;
    uint32_t i = 1;
    while (i < seen && !bit(results, i))
        i++;
    if (i >= seen)
        return 0; /* no earlier failure inside the window */
    uint32_t lasted = 0;
    while (i < count && bit(results, i)) {
        lasted++;
        i++;
    }
    return lasted < policy->settle;
}

int flap_settled(uint64_t results, uint32_t count, uint32_t settle)
{
    if (count < settle)
        return 0;
    uint64_t latest = results & low_bits(settle);
    return latest == 0 || latest == low_bits(settle);
}

int flap_update(int flapping, uint64_t results, uint32_t count,
                const flap_policy *policy)
{
    if (!policy->enabled)
        return 0;
    if (flapping)
        return !flap_settled(results, count, policy->settle);
    return flap_starts(results, count, policy);
}

int flap_window_has_failure(uint64_t results, uint32_t count, uint32_t window)
{
    uint32_t n = count < window ? count : window;
    return (results & low_bits(n)) != 0;
}
