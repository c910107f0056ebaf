#include "isotime.h"

#include "calendar.h"

#define MS_PER_DAY 86400000LL

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Exactly n digits at *p, their value in *out; p moves past them. */
static int read_digits(const char **p, int n, int *out)
{
    *out = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!is_digit(**p))
            return 0;
        *out = *out * 10 + (**p - '0');
    }
    return 1;
}

/* c at *p: p moves past it. */
static int skip(const char **p, char c)
{
    if (**p != c)
        return 0;
    (*p)++;
    return 1;
}

/* YYYY-MM-DD, a day that exists: its days from 1970-01-01. */
static int read_date(const char **p, int64_t *days)
{
    int year, month, day;
    if (!read_digits(p, 4, &year) || !skip(p, '-') ||
        !read_digits(p, 2, &month) || !skip(p, '-') || !read_digits(p, 2, &day))
        return 0;
    if (year < 1 || month < 1 || month > 12 || day < 1 ||
        day > calendar_days_in_month(year, month))
        return 0;
    *days = calendar_days_from_civil(year, month, day);
    return 1;
}

/* One digit or more after the '.', cut to milliseconds. */
static int read_fraction(const char **p, int *ms)
{
    int scale = 100;
    *ms = 0;
    if (!is_digit(**p))
        return 0;
    for (; is_digit(**p); (*p)++, scale /= 10)
        *ms += (**p - '0') * scale;
    return 1;
}

/* HH:MM[:SS[.fraction]], the seconds required when seconds is set: its
 * milliseconds from midnight. */
static int read_time(const char **p, int seconds, int64_t *ms)
{
    int hour, minute, second = 0, milli = 0;
    if (!read_digits(p, 2, &hour) || !skip(p, ':') ||
        !read_digits(p, 2, &minute))
        return 0;
    if (skip(p, ':')) {
        if (!read_digits(p, 2, &second) ||
            (skip(p, '.') && !read_fraction(p, &milli)))
            return 0;
    } else if (seconds) {
        return 0;
    }
    if (hour > 23 || minute > 59 || second > 59)
        return 0;
    *ms = ((hour * 60LL + minute) * 60 + second) * 1000 + milli;
    return 1;
}

/* Z, or +-HH[[:]MM]: the offset east of UTC in minutes. */
static int read_zone(const char **p, int *minutes)
{
    int sign = **p == '-' ? -1 : 1, hour, minute = 0;
    if (skip(p, 'Z')) {
        *minutes = 0;
        return 1;
    }
    if (!skip(p, '+') && !skip(p, '-'))
        return 0;
    if (!read_digits(p, 2, &hour))
        return 0;
    if ((skip(p, ':') || is_digit(**p)) && !read_digits(p, 2, &minute))
        return 0;
    if (hour > 15 || minute > 59)
        return 0;
    *minutes = sign * (hour * 60 + minute);
    return 1;
}

/* What may follow the date: [(T| )time[zone]] as flags allow, to the end
 * of the text; *ms the time of day, *offset the zone's minutes. */
static int read_after_date(const char *p, unsigned flags, int64_t *ms,
                           int *offset)
{
    int full = (flags & ISOTIME_TIME) != 0;
    if (*p == '\0')
        return !(flags & (ISOTIME_TIME | ISOTIME_ZONE));
    if ((flags & ISOTIME_DATE) || !(skip(&p, 'T') || (!full && skip(&p, ' '))))
        return 0;
    if (!read_time(&p, full, ms))
        return 0;
    if (*p == '\0')
        return !(flags & ISOTIME_ZONE);
    if ((flags & ISOTIME_LOCAL) || !read_zone(&p, offset))
        return 0;
    return *p == '\0' && !((flags & ISOTIME_UTC) && *offset != 0);
}

int isotime_parse(const char *text, unsigned flags, int64_t *ms_out)
{
    const char *p = text;
    int64_t days, ms = 0;
    int offset = 0;
    if (!read_date(&p, &days) || !read_after_date(p, flags, &ms, &offset))
        return -1;
    *ms_out = days * MS_PER_DAY + ms - offset * 60000LL;
    return 0;
}
