#include "numfmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Drops trailing zeros after a decimal point, and the point itself. */
static void strip_trailing_zeros(char *s)
{
    if (!strchr(s, '.'))
        return;
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '0')
        s[--n] = '\0';
    if (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
}

static int integer_digits(double magnitude)
{
    int digits = 1;
    while (magnitude >= 10.0 && digits < 20) {
        magnitude /= 10.0;
        digits++;
    }
    return digits;
}

void textfmt_number(char *out, size_t size, double value)
{
    double magnitude = fabs(value);
    if (isnan(value)) {
        snprintf(out, size, "n/a");
    } else if (isinf(value)) {
        snprintf(out, size, value > 0 ? "inf" : "-inf");
    } else if (magnitude >= 1e15 || (magnitude < 1e-4 && magnitude > 0)) {
        snprintf(out, size, "%.6g", value);
    } else if (value == floor(value)) {
        snprintf(out, size, "%.0f", value == 0 ? 0.0 : value);
    } else {
        int decimals = 6 - integer_digits(magnitude);
        if (magnitude < 1.0)
            decimals = 6;
        if (decimals < 2)
            decimals = 2;
        snprintf(out, size, "%.*f", decimals, value);
        strip_trailing_zeros(out);
        if (strcmp(out, "-0") == 0)
            snprintf(out, size, "0");
    }
}

void textfmt_number_exact(char *out, size_t size, double value)
{
    if (!isfinite(value)) {
        snprintf(out, size, isnan(value) ? "nan" : value > 0 ? "inf" : "-inf");
        return;
    }
    if (value == 0) {
        snprintf(out, size, "0"); /* also -0 */
        return;
    }
    /* A normal double that reads back from 15 digits reads back from no
     * fewer that would print shorter (%g drops trailing zeros); subnormal
     * ones have less precision, so they start from 1. */
    for (int digits = fabs(value) < DBL_MIN ? 1 : 15; digits <= 17; digits++) {
        snprintf(out, size, "%.*g", digits, value);
        if (strtod(out, NULL) == value)
            return;
    }
}

void textfmt_percent_change(char *out, size_t size, double pct)
{
    if (isnan(pct)) {
        snprintf(out, size, "n/a");
        return;
    }
    if (isinf(pct)) {
        snprintf(out, size, pct > 0 ? "+inf%%" : "-inf%%");
        return;
    }
    double rounded = round(pct * 10.0) / 10.0;
    if (rounded == 0)
        snprintf(out, size, "0.0%%");
    else
        snprintf(out, size, "%+.1f%%", rounded);
}

void textfmt_seconds(char *out, size_t size, long long ms)
{
    if (ms < 0)
        ms = 0;
    snprintf(out, size, "%lld.%03lld", ms / 1000, ms % 1000);
}
