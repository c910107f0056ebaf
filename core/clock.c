#include "clock.h"

#include "isotime.h"

#include <stdio.h>
#include <stdlib.h>
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

/* NBAQ_NOW ("2026-03-01T08:00:00Z" or epoch milliseconds) starts the wall
 * clock at that instant; it then advances with the monotonic clock. Tests
 * and replays use it to run the host at chosen times (docs/history.md). */
static int parse_now(const char *text, int64_t *ms)
{
    char *end;
    long long epoch = strtoll(text, &end, 10);
    if (*text && *end == '\0') {
        *ms = epoch;
        return 0;
    }
    return isotime_parse(text, ISOTIME_TIME | ISOTIME_ZONE | ISOTIME_UTC, ms);
}

int clock_check_override(char *err, size_t err_size)
{
    const char *now = getenv("NBAQ_NOW");
    int64_t ms;
    if (now == NULL || *now == '\0' || parse_now(now, &ms) == 0)
        return 0;
    snprintf(err, err_size,
             "NBAQ_NOW: '%.64s' is not a time (epoch milliseconds, or UTC "
             "as 2026-01-01T00:00:00Z)",
             now);
    return -1;
}

int64_t clock_wall_ms(void)
{
    static int checked;
    static int64_t base_wall, base_mono;
    if (!checked) {
        checked = 1;
        const char *now = getenv("NBAQ_NOW");
        if (now && *now && parse_now(now, &base_wall) == 0)
            base_mono = clock_mono_ms();
        else
            base_mono = -1;
    }
    if (base_mono < 0)
        return read_clock(CLOCK_REALTIME);
    return base_wall + (clock_mono_ms() - base_mono);
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
