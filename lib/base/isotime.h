/*
 * isotime.h - the one reader of ISO 8601 dates and times: the history
 * command's --since and --until (and the dashboard API, imports), NBAQ_NOW,
 * S3's LastModified, freshness's as_of and db_quality's date and timestamp
 * literals. Its own file beside calendar.h: that one is arithmetic on days,
 * this one reads text (fields, separators, fractions, zones).
 *
 *   YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]][zone]]
 *   zone: Z, +HH, +HH:MM or +HHMM (or -), at most 15:59 from UTC
 *
 * Every field has exactly its digits (4, 2, 2...). The day exists (29
 * February in leap years only), the year is 0001..9999, the hour 00..23,
 * the minute 00..59 and the second 00..59: a leap second (:60) is refused,
 * as MySQL and MariaDB refuse it (db_quality's literals must read alike on
 * every engine) and as nothing nbaq reads writes one (POSIX clocks, S3).
 * A fraction has at least one digit and is cut, not rounded, to
 * milliseconds; a zone only follows a time, and its offset is applied.
 * The arithmetic is calendar_days_from_civil(): no timegm(), no time_t.
 */
#ifndef NBAQ_BASE_ISOTIME_H
#define NBAQ_BASE_ISOTIME_H

#include <stdint.h>

/* What a caller requires beyond the form above (0: nothing more). */
enum {
    /* The date alone: a time or a zone is refused. */
    ISOTIME_DATE = 1u << 0,
    /* A time with its seconds after a T (RFC 3339's date-time): the date
     * alone, HH:MM and the blank separator are refused. */
    ISOTIME_TIME = 1u << 1,
    /* A zone is required. */
    ISOTIME_ZONE = 1u << 2,
    /* A zone, when there is one, says UTC: Z or an offset of 00:00. */
    ISOTIME_UTC = 1u << 3,
    /* No zone: a database's timestamp without a time zone. */
    ISOTIME_LOCAL = 1u << 4,
};

/* The whole of text as one date or time under flags (ISOTIME_*): 0 and
 * the instant in *ms_out (milliseconds since 1970-01-01T00:00:00Z; a date
 * alone is its midnight, a time without a zone is read as UTC), or -1 and
 * *ms_out untouched. */
int isotime_parse(const char *text, unsigned flags, int64_t *ms_out);

#endif
