/*
 * alert_format.h - what notification channels print beyond lib/reportfmt
 * (which names statuses, severities and states, and formats ISO 8601 times
 * and durations for every reporter): mail dates, and the clock.
 */
#ifndef NBAQ_ALERT_FORMAT_H
#define NBAQ_ALERT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"

/* Room for any date alert_format_rfc5322 writes, NUL included. */
#define ALERT_RFC5322_SIZE 40

/* Epoch milliseconds as an RFC 5322 date for mail headers, in UTC:
 * "Wed, 01 May 2024 12:00:00 +0000". */
void alert_format_rfc5322(int64_t epoch_ms, char *buf, size_t size);

/* The wall clock in epoch milliseconds. */
int64_t alert_now_ms(void);

#endif /* NBAQ_ALERT_FORMAT_H */
