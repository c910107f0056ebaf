/*
 * fingerprint.c - FNV-1a over "monitor\0check\0metric:<name>" or
 * "monitor\0check\0condition:status". The NUL separators keep
 * ("ab", "c") and ("a", "bc") apart.
 */
#include "fingerprint.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv_add(uint64_t h, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= FNV_PRIME;
    }
    return h;
}

void alert_fingerprint(const char *monitor, const char *check,
                       const char *metric, char out[ALERT_FINGERPRINT_SIZE])
{
    uint64_t h = FNV_OFFSET;
    h = fnv_add(h, monitor, strlen(monitor) + 1);
    h = fnv_add(h, check, strlen(check) + 1);
    if (metric && *metric) {
        h = fnv_add(h, "metric:", 7);
        h = fnv_add(h, metric, strlen(metric));
    } else {
        h = fnv_add(h, "condition:status", 16);
    }
    snprintf(out, ALERT_FINGERPRINT_SIZE, "%016llx", (unsigned long long)h);
}

int alert_fingerprint_valid(const char *text)
{
    if (!text || strlen(text) != ALERT_FINGERPRINT_SIZE - 1)
        return 0;
    for (const char *p = text; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    }
    return 1;
}
