/*
 * timefmt.c - numbers, durations and points in time as text, for reasons,
 * the command line and its output.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_calc.h"
#include "numfmt.h"
#include "text.h"
#include "units.h"

void history_format_value(double value, char *buf, size_t size)
{
    textfmt_number_exact(buf, size, value);
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

int history_parse_duration(const char *text, int64_t *ms)
{
    int64_t value;
    if (!text || units_parse_duration(text, &value, NULL, 0) != 0 || value <= 0)
        return -1;
    *ms = value;
    return 0;
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
