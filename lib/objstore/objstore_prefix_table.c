#include "objstore_prefix_table.h"

#include <stdlib.h>
#include <string.h>

#include "objstore_internal.h"

int nbaq_objstore_prefix_table_init(nbaq_objstore_prefix_table *t, size_t limit)
{
    memset(t, 0, sizeof *t);
    t->limit = limit;
    t->slot_count = 16;
    while (t->slot_count < 2 * limit)
        t->slot_count *= 2;
    t->slots = calloc(t->slot_count, sizeof *t->slots);
    return t->slots != NULL ? 0 : -1;
}

void nbaq_objstore_prefix_table_free(nbaq_objstore_prefix_table *t)
{
    for (size_t i = 0; t->slots != NULL && i < t->slot_count; i++)
        free(t->slots[i].part);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

nbaq_objstore_prefix_stats *
nbaq_objstore_prefix_table_entry(nbaq_objstore_prefix_table *t,
                                 const char *part, size_t len)
{
    size_t mask = t->slot_count - 1;
    size_t i = (size_t)objstore_fnv1a(part, len) & mask;
    nbaq_objstore_prefix_stats *p;

    for (;; i = (i + 1) & mask) {
        p = &t->slots[i];
        if (p->part == NULL)
            break;
        if (p->part_len == len && memcmp(p->part, part, len) == 0)
            return p;
    }
    if (t->used == t->limit) {
        t->full = 1;
        return NULL;
    }
    p->part = malloc(len + 1);
    if (p->part == NULL) {
        t->failed = 1;
        return NULL;
    }
    memcpy(p->part, part, len);
    p->part[len] = '\0';
    p->part_len = len;
    p->objects = 0;
    p->bytes = 0;
    p->newest_ms = INT64_MIN;
    t->used++;
    return p;
}
