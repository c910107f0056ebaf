/*
 * perfdata.h - the performance data grammar of the monitoring-plugins
 * development guidelines:
 *
 *   'label'=value[UOM];[warn];[crit];[min];[max]
 *
 * Items are separated by spaces. A label is quoted with single quotes when
 * it holds spaces; a quote inside a quoted label is written twice ('').
 * value is a decimal number, or U when the plugin could not determine it.
 * UOM is a unit: s ms us % B KB MB GB TB c in the guidelines; any other run
 * of letters, '%' and '/' (at most 15) is kept as well. warn and crit are
 * ranges [@][start:][end] (start ~ is minus infinity; no end is plus
 * infinity; '@' alerts inside the range instead of outside). min and max
 * are plain numbers. Any field may be empty, trailing ones may be left out.
 *
 * Pure functions over caller memory: nothing is allocated.
 */
#ifndef NBAQ_EXEC_PERFDATA_H
#define NBAQ_EXEC_PERFDATA_H

#include <stddef.h>

#define PERFDATA_LABEL_MAX 256 /* bytes, NUL included */
#define PERFDATA_UNIT_MAX 16   /* bytes, NUL included */

typedef struct perfdata_range {
    int set;      /* 0: the field was empty or absent; the rest is unset */
    int inside;   /* '@': alert when start <= v <= end, else outside      */
    double start; /* -INFINITY for '~'                                    */
    double end;   /* INFINITY when nothing follows ':'                    */
} perfdata_range;

typedef struct perfdata_item {
    char label[PERFDATA_LABEL_MAX]; /* quotes removed, '' unescaped        */
    int has_value;                  /* 0: the value was U (undetermined)  */
    double value;
    char unit[PERFDATA_UNIT_MAX]; /* "" when none                       */
    perfdata_range warn, crit;
    int has_min, has_max;
    double min, max;
} perfdata_item;

/*
 * Parses the next item of text at *cursor (a NUL-terminated string).
 * Returns 1 with *item filled, 0 when only blanks remain, or -1 with err
 * naming the item and what is wrong ("perfdata 'load1=x': value 'x' is not
 * a number"). *cursor always moves past what was read (on error, past the
 * malformed item), so a caller can carry on with the next item.
 */
int perfdata_next(const char **cursor, perfdata_item *item, char *err,
                  size_t err_size);

/*
 * Parses text[0..len) as one decimal number: optional '-' or '+', digits
 * with an optional '.', an optional exponent. No blanks, hex, inf or nan.
 * Returns 0 with *value set, or -1.
 */
int perfdata_parse_number(const char *text, size_t len, double *value);

/* Non-zero when value would raise an alert under range r (set ranges
 * only): outside [start, end], or inside it for '@' ranges. */
int perfdata_range_alerts(const perfdata_range *r, double value);

#endif
