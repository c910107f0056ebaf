/*
 * numfmt.h - numbers as people read them in a report. Deterministic (no
 * locale), so that golden-file tests compare byte for byte.
 */
#ifndef NBAQ_NUMFMT_H
#define NBAQ_NUMFMT_H

#include <stddef.h>

/* Fits every output below, sign and exponent included. */
#define TEXTFMT_NUMBER_SIZE 48

/* A value: integers in full ("1500000"), others with about six
 * significant digits and at least two decimals kept when nonzero
 * ("0.0123", "12.3457", "1234567.89"); very large or small magnitudes in
 * exponent form ("1.5e+20"). NaN "n/a", infinities "inf" and "-inf". */
void textfmt_number(char *out, size_t size, double value);

/* The shortest text that reads back as exactly value ("0.1", "2000000",
 * "0.30000000000000004", "1.7976931348623157e+308"): for every place a
 * number is written for programs (JSON, /metrics, history output). NaN
 * "nan", infinities "inf" and "-inf"; callers with a format of their own
 * for those test isfinite() first. */
void textfmt_number_exact(char *out, size_t size, double value);

/* A change in percent with its sign and one decimal: "+12.5%", "-3.0%",
 * "0.0%"; NaN "n/a". */
void textfmt_percent_change(char *out, size_t size, double pct);

/* Milliseconds as seconds with three decimals, "1.250" (for JUnit). */
void textfmt_seconds(char *out, size_t size, long long ms);

#endif /* NBAQ_NUMFMT_H */
