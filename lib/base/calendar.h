/*
 * calendar.h - the days of the (proleptic Gregorian) calendar, for the
 * checks that read dates out of keys and rules.
 */
#ifndef NBAQ_BASE_CALENDAR_H
#define NBAQ_BASE_CALENDAR_H

#include <stdint.h>

/* The days of month (1..12) in year, leap years included. */
int calendar_days_in_month(int year, int month);

/* Days from 1970-01-01 to year-month-day (a real day; negative before
 * 1970), by Howard Hinnant's days_from_civil: plain integer arithmetic,
 * no timegm() and no time_t, so any year of int is exact. */
int64_t calendar_days_from_civil(int year, int month, int day);

#endif
