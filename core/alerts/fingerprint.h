/*
 * fingerprint.h - the stable identity of an alert: a hash of the monitor,
 * the check, and the metric or, for the check's own status, the
 * condition "status". The same inputs give the same fingerprint on every
 * host and in every version (FNV-1a, 64 bits, as 16 lowercase hex
 * digits); the CLI takes it to silence an alert.
 */
#ifndef NBAQ_CORE_ALERTS_FINGERPRINT_H
#define NBAQ_CORE_ALERTS_FINGERPRINT_H

#define ALERT_FINGERPRINT_SIZE 17 /* 16 hex digits and the NUL */

/* metric "" or NULL: the check's own status. */
void alert_fingerprint(const char *monitor, const char *check,
                       const char *metric, char out[ALERT_FINGERPRINT_SIZE]);

/* Non-zero when text has the form of a fingerprint. */
int alert_fingerprint_valid(const char *text);

#endif
