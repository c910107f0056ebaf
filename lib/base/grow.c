/*
 * grow.c - doubling arrays (grow.h).
 */
#include "grow.h"

#include <stdlib.h>

void *grow_for_one(void *items, size_t *capacity, size_t count,
                   size_t item_size, size_t first)
{
    if (count < *capacity)
        return items;
    size_t wanted = *capacity ? *capacity * 2 : first;
    void *grown = realloc(items, wanted * item_size);
    if (grown)
        *capacity = wanted;
    return grown;
}
