/* reportfmt.c - see reportfmt.h. */
#include "reportfmt.h"

#include <stdio.h>
#include <time.h>

char *reportfmt_iso8601_utc(int64_t epoch_ms, char *buf, size_t size)
{
    /* Floor division, so that -1 ms is 1969-12-31T23:59:59.999Z. */
    int64_t seconds = epoch_ms / 1000;
    int64_t millis = epoch_ms % 1000;
    if (millis < 0) {
        millis += 1000;
        seconds -= 1;
    }
    time_t t = (time_t)seconds;
    struct tm tm;
    if (size == 0) {
        return buf;
    }
    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(buf, size, "invalid-time");
        return buf;
    }
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, (int)millis);
    return buf;
}

/* "<big><u1><small><u2>", the small part left out when it is zero. */
static void format_two_units(char *buf, size_t size, const char *sign,
                             int64_t big, const char *big_unit, int64_t small,
                             const char *small_unit)
{
    if (small == 0) {
        snprintf(buf, size, "%s%lld%s", sign, (long long)big, big_unit);
    } else {
        snprintf(buf, size, "%s%lld%s%02lld%s", sign, (long long)big, big_unit,
                 (long long)small, small_unit);
    }
}

char *reportfmt_duration(int64_t ms, char *buf, size_t size)
{
    const char *sign = ms < 0 ? "-" : "";
    /* Magnitude in unsigned arithmetic: INT64_MIN has no positive twin. */
    uint64_t m = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
    if (size == 0) {
        return buf;
    }
    if (m < 1000) {
        snprintf(buf, size, "%s%llums", sign, (unsigned long long)m);
    } else if (m < 60000) {
        snprintf(buf, size, "%s%.3gs", sign, (double)m / 1000.0);
    } else if (m < 3600000) {
        format_two_units(buf, size, sign, (int64_t)(m / 60000), "m",
                         (int64_t)(m / 1000 % 60), "s");
    } else if (m < 86400000) {
        format_two_units(buf, size, sign, (int64_t)(m / 3600000), "h",
                         (int64_t)(m / 60000 % 60), "m");
    } else {
        format_two_units(buf, size, sign, (int64_t)(m / 86400000), "d",
                         (int64_t)(m / 3600000 % 24), "h");
    }
    return buf;
}
