#include "clock.h"

#include <stdio.h>
#include <time.h>

static int64_t read_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ms(void)
{
    return read_clock(CLOCK_MONOTONIC);
}

int64_t clock_wall_ms(void)
{
    return read_clock(CLOCK_REALTIME);
}

static void format(int64_t epoch_ms, const char *pattern, char *buf,
                   size_t size)
{
    time_t seconds = (time_t)(epoch_ms / 1000);
    struct tm tm;
    gmtime_r(&seconds, &tm);
    char date[64];
    strftime(date, sizeof date, pattern, &tm);
    snprintf(buf, size, "%s.%03dZ", date, (int)(epoch_ms % 1000));
}

void clock_format_iso(int64_t epoch_ms, char *buf, size_t size)
{
    format(epoch_ms, "%Y-%m-%dT%H:%M:%S", buf, size);
}

void clock_format_compact(int64_t epoch_ms, char *buf, size_t size)
{
    format(epoch_ms, "%Y%m%dT%H%M%S", buf, size);
}
