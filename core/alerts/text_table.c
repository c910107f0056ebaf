/*
 * text_table.c - columns padded to their widest cell, two spaces apart;
 * the last column is not padded.
 */
#include <stdlib.h>
#include <string.h>

#include "alerts_cli_internal.h"

struct text_table {
    size_t columns;
    char **cells;
    size_t count;
    size_t cap;
    int failed;
};

text_table *table_new(size_t columns)
{
    text_table *t = calloc(1, sizeof *t);
    if (t)
        t->columns = columns;
    return t;
}

void table_add(text_table *t, const char *cell)
{
    if (!t || t->failed)
        return;
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char **grown = realloc(t->cells, cap * sizeof *grown);
        if (!grown) {
            t->failed = 1;
            return;
        }
        t->cells = grown;
        t->cap = cap;
    }
    char *copy = strdup(cell ? cell : "");
    if (!copy) {
        t->failed = 1;
        return;
    }
    t->cells[t->count++] = copy;
}

void table_print(text_table *t, FILE *out)
{
    if (!t)
        return;
    size_t *width = calloc(t->columns, sizeof *width);
    if (!width)
        return;
    for (size_t i = 0; i < t->count; i++) {
        size_t len = strlen(t->cells[i]);
        if (len > width[i % t->columns])
            width[i % t->columns] = len;
    }
    for (size_t i = 0; i < t->count; i++) {
        size_t column = i % t->columns;
        int last = column == t->columns - 1 || i == t->count - 1;
        if (last)
            fprintf(out, "%s\n", t->cells[i]);
        else
            fprintf(out, "%-*s  ", (int)width[column], t->cells[i]);
    }
    free(width);
}

void table_free(text_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}
