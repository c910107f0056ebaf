/*
 * sqlm_values.c - reads the result of a sql_metric query, strictly: every
 * value must be a finite number and every label present and distinct, so
 * that a query that went wrong is an ERROR rather than a silent metric.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlm_values.h"

enum { QUOTED_MAX = 40 };

static int read_number(const sqlengine_result *res, size_t row, size_t column,
                       double *out, char *err, size_t err_size)
{
    const char *name = res->names[column];
    const char *text = sqlengine_cell(res, row, column);
    if (text == NULL) {
        snprintf(err, err_size, "row %zu, column \"%s\": the value is NULL",
                 row + 1, name);
        return -1;
    }
    if (sqlengine_parse_number(text, out) != 0) {
        snprintf(err, err_size,
                 "row %zu, column \"%s\": \"%.*s%s\" is not a number", row + 1,
                 name, QUOTED_MAX, text,
                 strlen(text) > QUOTED_MAX ? "..." : "");
        return -1;
    }
    return 0;
}

static int read_label(const sqlengine_result *res, size_t row, sqlm_values *out,
                      char *err, size_t err_size)
{
    const char *label = sqlengine_cell(res, row, 0);
    if (label == NULL || label[0] == '\0') {
        snprintf(err, err_size, "row %zu: the label (column \"%s\") is %s",
                 row + 1, res->names[0], label == NULL ? "NULL" : "empty");
        return -1;
    }
    for (size_t i = 0; i < out->count; i++)
        if (strcmp(out->items[i].label, label) == 0) {
            snprintf(err, err_size, "row %zu: the label \"%.*s\" repeats",
                     row + 1, QUOTED_MAX, label);
            return -1;
        }
    out->items[out->count].label = strdup(label);
    if (out->items[out->count].label == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    return 0;
}

static int check_shape(const sqlengine_result *res, char *err, size_t err_size)
{
    size_t rows = res->rows, columns = res->columns;
    if (rows == 0) {
        snprintf(err, err_size, "the query returned no rows");
        return -1;
    }
    if (columns == 1 && rows > 1) {
        snprintf(err, err_size,
                 "the query returned %zu rows of one column: expected one "
                 "number, or rows of (label, number)",
                 rows);
        return -1;
    }
    if (columns != 1 && columns != 2) {
        snprintf(err, err_size,
                 "the query returned %zu columns: expected one number, or "
                 "rows of (label, number)",
                 columns);
        return -1;
    }
    return 0;
}

int sqlm_values_read(const sqlengine_result *res, sqlm_values *out, char *err,
                     size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (check_shape(res, err, err_size) != 0)
        return -1;
    size_t rows = res->rows;
    int labelled = res->columns == 2;
    out->items = calloc(rows, sizeof *out->items);
    if (out->items == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t row = 0; row < rows; row++) {
        if (labelled && read_label(res, row, out, err, err_size) != 0)
            goto failed;
        out->count++;
        if (read_number(res, row, labelled ? 1u : 0u,
                        &out->items[out->count - 1].value, err, err_size) != 0)
            goto failed;
    }
    return 0;
failed:
    sqlm_values_free(out);
    return -1;
}

void sqlm_values_free(sqlm_values *values)
{
    for (size_t i = 0; i < values->count; i++)
        free(values->items[i].label);
    free(values->items);
    memset(values, 0, sizeof *values);
}
