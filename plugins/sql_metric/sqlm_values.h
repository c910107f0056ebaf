/*
 * sqlm_values.h - the numbers a sql_metric query returned: one row of one
 * number, or rows of (label, number).
 *
 * Ownership: sqlm_values_read fills *out with copies it owns; the caller
 * frees them with sqlm_values_free. The result stays the caller's.
 */
#ifndef NBAQ_SQLM_VALUES_H
#define NBAQ_SQLM_VALUES_H

#include <stddef.h>

#include "sqlengine.h"

typedef struct sqlm_value {
    char *label; /* NULL for the single number of a one-column result      */
    double value;
} sqlm_value;

typedef struct sqlm_values {
    sqlm_value *items;
    size_t count;
} sqlm_values;

/* Returns 0, or -1 with a one-line reason in err (no rows, a NULL, a value
 * that is not a number, an empty or repeated label, another shape). */
int sqlm_values_read(const sqlengine_result *res, sqlm_values *out, char *err,
                     size_t err_size);

void sqlm_values_free(sqlm_values *values);

#endif
