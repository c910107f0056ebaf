#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

#define DURATION_MAX_MS (100.0 * 366 * 86400000.0)

static const char duration_hint[] =
    "expected a duration such as 250ms, 30s, 5m, 2h or 7d";

/* Reads an unsigned decimal number (digits, optional fraction) at *p. */
static int read_unsigned_decimal(const char **p, double *value)
{
    const char *s = *p;
    if (!isdigit((unsigned char)*s) &&
        !(*s == '.' && isdigit((unsigned char)s[1])))
        return -1;
    char *end = NULL;
    errno = 0;
    *value = strtod(s, &end);
    if (errno != 0 || end == s)
        return -1;
    /* strtod also reads exponents and hex; durations and sizes allow
     * neither, so stop at the first character that is not digit or dot. */
    const char *q = s;
    while (isdigit((unsigned char)*q) || *q == '.')
        q++;
    if (q != end) {
        char number[64];
        size_t n = (size_t)(q - s);
        if (n >= sizeof number)
            return -1;
        memcpy(number, s, n);
        number[n] = '\0';
        *value = strtod(number, &end);
        if (*end != '\0')
            return -1;
    }
    *p = q;
    return 0;
}

int units_parse_duration(const char *text, int64_t *ms, char *err,
                         size_t err_size)
{
    static const struct {
        const char *name;
        double ms;
    } units[] = {{"ms", 1},      {"s", 1000},     {"m", 60000},
                 {"h", 3600000}, {"d", 86400000}, {"w", 604800000}};
    const char *p = text;
    double total = 0;
    if (strcmp(text, "0") == 0) {
        *ms = 0;
        return 0;
    }
    if (!*p)
        return err_set(err, err_size, "%s", duration_hint);
    while (*p) {
        double value;
        if (read_unsigned_decimal(&p, &value) != 0)
            return err_set(err, err_size, "%s", duration_hint);
        size_t unit_len = 0;
        while (isalpha((unsigned char)p[unit_len]))
            unit_len++;
        if (unit_len == 0)
            return err_set(err, err_size, "%s (the unit is missing)",
                           duration_hint);
        double factor = -1;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
            if (strlen(units[i].name) == unit_len &&
                strncmp(p, units[i].name, unit_len) == 0)
                factor = units[i].ms;
        }
        if (factor < 0)
            return err_set(err, err_size, "%s (unknown unit '%.*s')",
                           duration_hint, (int)unit_len, p);
        total += value * factor;
        p += unit_len;
    }
    if (total > DURATION_MAX_MS)
        return err_set(err, err_size, "duration too long (at most 100 years)");
    *ms = (int64_t)llround(total);
    return 0;
}

int units_parse_size(const char *text, int64_t *bytes, char *err,
                     size_t err_size)
{
    static const char hint[] =
        "expected a size such as 512, 64K, 2M or 1G (powers of 1024)";
    const char *p = text;
    double value;
    if (read_unsigned_decimal(&p, &value) != 0)
        return err_set(err, err_size, "%s", hint);
    double factor = 1;
    if (*p) {
        switch (toupper((unsigned char)*p)) {
        case 'B':
            factor = 1;
            break;
        case 'K':
            factor = 1024.0;
            break;
        case 'M':
            factor = 1024.0 * 1024;
            break;
        case 'G':
            factor = 1024.0 * 1024 * 1024;
            break;
        case 'T':
            factor = 1024.0 * 1024 * 1024 * 1024;
            break;
        default:
            return err_set(err, err_size, "%s", hint);
        }
        const char *suffix = p + 1;
        if (toupper((unsigned char)*p) != 'B' && *suffix &&
            strcasecmp(suffix, "B") != 0 && strcasecmp(suffix, "iB") != 0)
            return err_set(err, err_size, "%s", hint);
        if (toupper((unsigned char)*p) == 'B' && *suffix)
            return err_set(err, err_size, "%s", hint);
    }
    double total = value * factor;
    if (total > 9.0e18)
        return err_set(err, err_size, "size too large");
    if (total != floor(total))
        return err_set(err, err_size, "%s (not a whole number of bytes)", hint);
    *bytes = (int64_t)total;
    return 0;
}

int units_parse_int(const char *text, int64_t *value, char *err,
                    size_t err_size)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return err_set(err, err_size, "expected an integer");
    for (const char *q = p; *q; q++) {
        if (!isdigit((unsigned char)*q))
            return err_set(err, err_size, "expected an integer");
    }
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno == ERANGE)
        return err_set(err, err_size, "integer out of range");
    *value = (int64_t)v;
    return 0;
}

int units_parse_double(const char *text, double *value, char *err,
                       size_t err_size)
{
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    if (!isdigit((unsigned char)*p) && *p != '.')
        return err_set(err, err_size, "expected a number");
    for (const char *q = p; *q; q++) {
        if (!isdigit((unsigned char)*q) && !strchr(".eE+-", *q))
            return err_set(err, err_size, "expected a number");
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0')
        return err_set(err, err_size, "expected a number");
    if (errno == ERANGE || !isfinite(v))
        return err_set(err, err_size, "number out of range");
    *value = v;
    return 0;
}

int units_parse_bool(const char *text, int *value, char *err, size_t err_size)
{
    static const char *const truthy[] = {"true", "yes", "on"};
    static const char *const falsy[] = {"false", "no", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(text, truthy[i]) == 0) {
            *value = 1;
            return 0;
        }
        if (strcasecmp(text, falsy[i]) == 0) {
            *value = 0;
            return 0;
        }
    }
    return err_set(err, err_size, "expected true or false");
}
