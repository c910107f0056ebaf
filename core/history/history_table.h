/*
 * history_table.h - a plain text table for the `history` command: columns
 * sized to their widest cell, two spaces apart.
 */
#ifndef NBAQ_HISTORY_CLI_TABLE_H
#define NBAQ_HISTORY_CLI_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct cli_table {
    size_t columns;
    char **cells; /* rows * columns strings, row-major; owned          */
    size_t rows;
    size_t capacity;
    int failed; /* an allocation failed                                */
} cli_table;

/* header: `columns` names; copied. */
void history_table_init(cli_table *t, const char *const *header,
                        size_t columns);
/* Appends one row of `columns` strings (NULL: ""); copied. */
void history_table_add(cli_table *t, const char *const *cells);
/* -1 when an allocation failed earlier. */
int history_table_print(const cli_table *t, FILE *out);
void history_table_free(cli_table *t);

#endif
