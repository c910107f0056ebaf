/*
 * sqlm_values.c - reads the result of a sql_metric query, strictly: every
 * value must be a finite number and every label present and distinct, so
 * that a query that went wrong is an ERROR rather than a silent metric.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"
#include "sqlm_values.h"

enum { QUOTED_MAX = 40 };

static int read_number(const PGresult *res, int row, int column, double *out,
                       char *err, size_t err_size)
{
    const char *name = PQfname(res, column);
    if (PQgetisnull(res, row, column)) {
        snprintf(err, err_size, "row %d, column \"%s\": the value is NULL",
                 row + 1, name);
        return -1;
    }
    const char *text = PQgetvalue(res, row, column);
    if (pgconn_parse_number(text, out) != 0) {
        snprintf(err, err_size,
                 "row %d, column \"%s\": \"%.*s%s\" is not a number", row + 1,
                 name, QUOTED_MAX, text,
                 strlen(text) > QUOTED_MAX ? "..." : "");
        return -1;
    }
    return 0;
}

static int read_label(const PGresult *res, int row, sqlm_values *out, char *err,
                      size_t err_size)
{
    if (PQgetisnull(res, row, 0) || PQgetvalue(res, row, 0)[0] == '\0') {
        snprintf(err, err_size, "row %d: the label (column \"%s\") is %s",
                 row + 1, PQfname(res, 0),
                 PQgetisnull(res, row, 0) ? "NULL" : "empty");
        return -1;
    }
    const char *label = PQgetvalue(res, row, 0);
    for (size_t i = 0; i < out->count; i++)
        if (strcmp(out->items[i].label, label) == 0) {
            snprintf(err, err_size, "row %d: the label \"%.*s\" repeats",
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

static int check_shape(const PGresult *res, char *err, size_t err_size)
{
    int rows = PQntuples(res), columns = PQnfields(res);
    if (rows == 0) {
        snprintf(err, err_size, "the query returned no rows");
        return -1;
    }
    if (columns == 1 && rows > 1) {
        snprintf(err, err_size,
                 "the query returned %d rows of one column: expected one "
                 "number, or rows of (label, number)",
                 rows);
        return -1;
    }
    if (columns != 1 && columns != 2) {
        snprintf(err, err_size,
                 "the query returned %d columns: expected one number, or "
                 "rows of (label, number)",
                 columns);
        return -1;
    }
    return 0;
}

int sqlm_values_read(const PGresult *res, sqlm_values *out, char *err,
                     size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (check_shape(res, err, err_size) != 0)
        return -1;
    int rows = PQntuples(res);
    int labelled = PQnfields(res) == 2;
    out->items = calloc((size_t)rows, sizeof *out->items);
    if (out->items == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (int row = 0; row < rows; row++) {
        if (labelled && read_label(res, row, out, err, err_size) != 0)
            goto failed;
        out->count++;
        if (read_number(res, row, labelled ? 1 : 0,
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
