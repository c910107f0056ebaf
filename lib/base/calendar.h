/*
 * calendar.h - the days of the (proleptic Gregorian) calendar, for the
 * checks that read dates out of keys and rules.
 */
#ifndef NBAQ_BASE_CALENDAR_H
#define NBAQ_BASE_CALENDAR_H

/* The days of month (1..12) in year, leap years included. */
int calendar_days_in_month(int year, int month);

#endif
