#include "text.h"

#include "numfmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int err_set(char *err, size_t err_size, const char *fmt, ...)
{
    if (err && err_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

size_t text_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return la > lb ? la : lb; /* names are short; no typo past this */
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *text_suggest(const char *word, const char *const *candidates,
                         size_t n)
{
    const char *best = NULL;
    size_t best_distance = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i])
            continue;
        size_t d = text_edit_distance(word, candidates[i]);
        if (d < best_distance) {
            best_distance = d;
            best = candidates[i];
        }
    }
    size_t len = strlen(word);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    return best_distance <= limit ? best : NULL;
}

int text_is_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
        if (!ok)
            return 0;
    }
    return 1;
}

#define DAY_MS 86400000

/* Largest first. */
static const struct {
    const char *unit;
    int64_t ms;
} duration_units[] = {{"w", 7 * (int64_t)DAY_MS},
                      {"d", DAY_MS},
                      {"h", 3600000},
                      {"m", 60000},
                      {"s", 1000},
                      {"ms", 1}};
#define DURATION_UNIT_COUNT (sizeof duration_units / sizeof duration_units[0])

void text_format_duration(int64_t ms, char *buf, size_t size)
{
    if (ms <= 0 || ms % 1000 != 0) {
        snprintf(buf, size, "%lldms", (long long)ms);
        return;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < DURATION_UNIT_COUNT && ms > 0; i++) {
        /* Weeks stay days here ("14d"), as a config would write them. */
        if (ms < duration_units[i].ms || duration_units[i].ms > DAY_MS)
            continue;
        int64_t count = ms / duration_units[i].ms;
        ms %= duration_units[i].ms;
        int n = snprintf(buf + used, size - used, "%lld%s", (long long)count,
                         duration_units[i].unit);
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
}

void text_format_duration_unit(int64_t ms, char *buf, size_t size)
{
    for (size_t i = 0; i < DURATION_UNIT_COUNT; i++) {
        if (ms > 0 && ms % duration_units[i].ms == 0) {
            snprintf(buf, size, "%lld%s",
                     (long long)(ms / duration_units[i].ms),
                     duration_units[i].unit);
            return;
        }
    }
    snprintf(buf, size, "%lldms", (long long)ms);
}

void text_format_size(double bytes, char *buf, size_t size)
{
    static const char units[] = "KMGT";
    int unit = -1;
    while (unit < 3 && bytes >= 1024 && fmod(bytes, 1024) == 0) {
        bytes /= 1024;
        unit++;
    }
    if (unit < 0)
        textfmt_number_exact(buf, size, bytes);
    else
        snprintf(buf, size, "%.0f%c", bytes, units[unit]);
}

void text_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return;
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}
