/*
 * grow.h - room for one more item in a malloc'd array that doubles.
 */
#ifndef NBAQ_BASE_GROW_H
#define NBAQ_BASE_GROW_H

#include <stddef.h>

/* items (NULL at first) holds count items of item_size bytes in room for
 * *capacity. When count has reached *capacity, the array is reallocated to
 * twice as many (first when empty) and *capacity updated. Returns the
 * array to use from now on, or NULL when out of memory (items is then
 * unchanged and still the caller's). */
void *grow_for_one(void *items, size_t *capacity, size_t count,
                   size_t item_size, size_t first);

#endif
