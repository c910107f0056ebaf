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
#include "isotime.h"
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
    if (isotime_parse(text, ISOTIME_UTC, ms) == 0)
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
