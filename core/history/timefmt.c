/*
 * timefmt.c - numbers, durations and points in time as text, for reasons,
 * the command line and its output.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_calc.h"

void history_format_value(double value, char *buf, size_t size)
{
    if (isfinite(value) && value == floor(value) && fabs(value) < 1e15)
        snprintf(buf, size, "%.0f", value);
    else
        snprintf(buf, size, "%.10g", value);
}

void history_format_stat(double value, char *buf, size_t size)
{
    if (!isfinite(value) || fabs(value) >= 1e15)
        snprintf(buf, size, "%.6g", value);
    else if (fabs(value) >= 1 || value == 0)
        snprintf(buf, size, "%.1f", value);
    else
        snprintf(buf, size, "%.3g", value);
}

static const struct {
    const char *suffix;
    int64_t ms;
} duration_units[] = {
    {"ms", 1},      {"s", 1000},     {"m", 60000},
    {"h", 3600000}, {"d", 86400000}, {"w", 604800000},
};

static int64_t unit_ms(const char *suffix, size_t len)
{
    for (size_t i = 0; i < sizeof duration_units / sizeof duration_units[0];
         i++) {
        if (strlen(duration_units[i].suffix) == len &&
            strncmp(duration_units[i].suffix, suffix, len) == 0)
            return duration_units[i].ms;
    }
    return 0;
}

int history_parse_duration(const char *text, int64_t *ms)
{
    if (!text || !*text)
        return -1;
    int64_t total = 0;
    const char *p = text;
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return -1;
        errno = 0;
        char *end;
        unsigned long long number = strtoull(p, &end, 10);
        const char *suffix = end;
        while (isalpha((unsigned char)*end))
            end++;
        int64_t unit = unit_ms(suffix, (size_t)(end - suffix));
        if (errno || unit == 0 ||
            number > (unsigned long long)INT64_MAX / (unsigned long long)unit)
            return -1;
        int64_t part = (int64_t)number * unit;
        if (total > INT64_MAX - part)
            return -1;
        total += part;
        p = end;
    }
    if (total <= 0)
        return -1;
    *ms = total;
    return 0;
}

void history_format_duration(int64_t ms, char *buf, size_t size)
{
    for (size_t i = sizeof duration_units / sizeof duration_units[0]; i > 0;
         i--) {
        int64_t unit = duration_units[i - 1].ms;
        if (ms > 0 && ms % unit == 0) {
            snprintf(buf, size, "%" PRId64 "%s", ms / unit,
                     duration_units[i - 1].suffix);
            return;
        }
    }
    snprintf(buf, size, "%" PRId64 "ms", ms);
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS]][Z]" in UTC. */
static int parse_utc(const char *text, int64_t *ms)
{
    struct tm tm = {0};
    int consumed = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &consumed) != 3)
        return -1;
    const char *p = text + consumed;
    if (*p == 'T' || *p == ' ') {
        int hm = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &hm) != 2)
            return -1;
        p += 1 + hm;
        if (*p == ':') {
            int s = 0;
            if (sscanf(p + 1, "%2d%n", &tm.tm_sec, &s) != 1)
                return -1;
            p += 1 + s;
        }
    }
    if (*p == 'Z')
        p++;
    if (*p || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
        tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    *ms = (int64_t)t * 1000;
    return 0;
}

int history_parse_time(const char *text, int64_t now_ms, int64_t *ms)
{
    if (!text || !*text)
        return -1;
    if (strcmp(text, "now") == 0) {
        *ms = now_ms;
        return 0;
    }
    int64_t back;
    if (history_parse_duration(text, &back) == 0) {
        *ms = now_ms - back;
        return 0;
    }
    if (parse_utc(text, ms) == 0)
        return 0;
    char *end;
    errno = 0;
    long long epoch = strtoll(text, &end, 10);
    if (!errno && !*end && epoch >= 0) {
        *ms = epoch;
        return 0;
    }
    return -1;
}

void history_format_time(int64_t ms, char *buf, size_t size)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm) ||
        strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "%" PRId64, ms);
}
