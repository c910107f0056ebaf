/*
 * history_table.c - a plain text table for the `history` command.
 */
#include <stdlib.h>
#include <string.h>

#include "history_table.h"

void history_table_init(cli_table *t, const char *const *header, size_t columns)
{
    memset(t, 0, sizeof *t);
    t->columns = columns;
    history_table_add(t, header);
}

void history_table_add(cli_table *t, const char *const *cells)
{
    if (t->failed)
        return;
    if (t->rows == t->capacity) {
        size_t capacity = t->capacity ? t->capacity * 2 : 16;
        char **grown = realloc(t->cells, capacity * t->columns * sizeof *grown);
        if (!grown) {
            t->failed = 1;
            return;
        }
        t->cells = grown;
        t->capacity = capacity;
    }
    char **row = &t->cells[t->rows * t->columns];
    for (size_t c = 0; c < t->columns; c++) {
        row[c] = strdup(cells[c] ? cells[c] : "");
        if (!row[c]) {
            while (c > 0)
                free(row[--c]);
            t->failed = 1;
            return;
        }
    }
    t->rows++;
}

int history_table_print(const cli_table *t, FILE *out)
{
    if (t->failed)
        return -1;
    size_t *widths = calloc(t->columns ? t->columns : 1, sizeof *widths);
    if (!widths)
        return -1;
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->columns; c++) {
            size_t len = strlen(t->cells[r * t->columns + c]);
            if (len > widths[c])
                widths[c] = len;
        }
    }
    for (size_t r = 0; r < t->rows; r++) {
        char **row = &t->cells[r * t->columns];
        size_t last = t->columns; /* the last non-empty cell, no padding */
        while (last > 1 && row[last - 1][0] == '\0')
            last--;
        for (size_t c = 0; c < last; c++) {
            if (c + 1 < last)
                fprintf(out, "%-*s  ", (int)widths[c], row[c]);
            else
                fputs(row[c], out);
        }
        fputc('\n', out);
    }
    free(widths);
    return 0;
}

void history_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->rows * t->columns; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}
