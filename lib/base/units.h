/*
 * units.h - parsing of the scalar types a config can hold.
 *
 * Every function returns 0 and stores the value, or -1 and writes what was
 * expected into err (never the text itself: it may be a secret; callers add
 * it when they may).
 */
#ifndef NBAQ_CORE_UNITS_H
#define NBAQ_CORE_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* "250ms", "30s", "5m", "2h", "7d", sequences ("1h30m"), decimals
 * ("1.5s"), and "0". Result in milliseconds, at most about 100 years. */
int units_parse_duration(const char *text, int64_t *ms, char *err,
                         size_t err_size);
/* "512", "64K", "2M", "1G", "1T" (powers of 1024; "KB", "KiB" and lower
 * case accepted). Result in bytes. */
int units_parse_size(const char *text, int64_t *bytes, char *err,
                     size_t err_size);
/* A decimal 64-bit integer, optional sign. */
int units_parse_int(const char *text, int64_t *value, char *err,
                    size_t err_size);
/* A finite decimal number ("3", "-0.5", "1e6"). */
int units_parse_double(const char *text, double *value, char *err,
                       size_t err_size);
/* true/false, yes/no, on/off (any case). */
int units_parse_bool(const char *text, int *value, char *err, size_t err_size);

#endif
