#include "partitions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"

int key_pattern_compile(key_pattern *p, const char *text, char *err,
                        size_t err_size)
{
    int seen_y = 0, seen_m = 0, seen_d = 0;

    memset(p, 0, sizeof *p);
    if (strlen(text) >= sizeof p->text) {
        snprintf(err, err_size, "partition_pattern is too long");
        return -1;
    }
    for (const char *c = text; *c; c++) {
        if (*c != '%')
            continue;
        switch (*++c) {
        case 'Y':
            seen_y = 1;
            break;
        case 'm':
            seen_m = 1;
            break;
        case 'd':
            seen_d = 1;
            break;
        case 'H':
            p->hourly = 1;
            break;
        case '%':
            break;
        default:
            snprintf(err, err_size,
                     "partition_pattern '%s': unknown directive '%%%c' "
                     "(use %%Y %%m %%d %%H)",
                     text, *c ? *c : ' ');
            return -1;
        }
    }
    if (!seen_y || !seen_m || !seen_d) {
        snprintf(err, err_size, "partition_pattern '%s' needs %%Y, %%m and %%d",
                 text);
        return -1;
    }
    strcpy(p->text, text);
    return 0;
}

static int read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Matches the pattern at key; fills tm on success.                     */
static int match_at(const key_pattern *p, const char *key, struct tm *tm)
{
    const char *k = key;
    for (const char *c = p->text; *c; c++) {
        int width = 0, *field = NULL;
        if (*c != '%' || c[1] == '%') {
            if (*c == '%')
                c++;
            if (*k++ != *c)
                return -1;
            continue;
        }
        switch (*++c) {
        case 'Y':
            width = 4, field = &tm->tm_year;
            break;
        case 'm':
            width = 2, field = &tm->tm_mon;
            break;
        case 'd':
            width = 2, field = &tm->tm_mday;
            break;
        default:
            width = 2, field = &tm->tm_hour;
            break;
        }
        if (read_digits(k, width, field) != 0)
            return -1;
        k += width;
    }
    return 0;
}

int key_pattern_match(const key_pattern *p, const char *key, int64_t *start_ms)
{
    for (const char *k = key; *k; k++) {
        struct tm tm = {0};
        if (match_at(p, k, &tm) != 0)
            continue;
        if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
            tm.tm_mday < 1 ||
            tm.tm_mday > calendar_days_in_month(tm.tm_year, tm.tm_mon) ||
            tm.tm_hour > 23)
            continue;
        int64_t days =
            calendar_days_from_civil(tm.tm_year, tm.tm_mon, tm.tm_mday);
        *start_ms = (days * 24 + tm.tm_hour) * 3600000;
        return 0;
    }
    return -1;
}

void key_pattern_format(const key_pattern *p, int64_t start_ms, char *out,
                        size_t out_size)
{
    time_t t = (time_t)(start_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (strftime(out, out_size, p->text, &tm) == 0 && out_size > 0)
        out[0] = '\0';
}

/* --- period_set ---------------------------------------------------------- */

static size_t slots_for(size_t limit)
{
    size_t n = 16;
    while (n < 2 * limit)
        n *= 2;
    return n;
}

static size_t hash64(int64_t v)
{
    uint64_t x = (uint64_t)v;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (size_t)x;
}

int period_set_init(period_set *s, size_t limit)
{
    s->limit = limit;
    s->used = 0;
    s->overflow = 0;
    s->slot_count = slots_for(limit);
    s->slots = malloc(s->slot_count * sizeof *s->slots);
    if (s->slots == NULL)
        return -1;
    for (size_t i = 0; i < s->slot_count; i++)
        s->slots[i] = INT64_MIN;
    return 0;
}

void period_set_free(period_set *s)
{
    free(s->slots);
    s->slots = NULL;
}

static size_t period_slot(const period_set *s, int64_t v)
{
    size_t mask = s->slot_count - 1, i = hash64(v) & mask;
    while (s->slots[i] != INT64_MIN && s->slots[i] != v)
        i = (i + 1) & mask;
    return i;
}

void period_set_add(period_set *s, int64_t start_ms)
{
    size_t i = period_slot(s, start_ms);
    if (s->slots[i] == start_ms)
        return;
    if (s->used == s->limit) {
        s->overflow = 1;
        return;
    }
    s->slots[i] = start_ms;
    s->used++;
}

int period_set_has(const period_set *s, int64_t start_ms)
{
    return s->slots[period_slot(s, start_ms)] == start_ms;
}
