/*
 * nameset.h - a hash index from names to small integers (an array index),
 * so that duplicate and lookup checks stay O(1) per name: YAML mapping
 * keys, check and reporter names, metric names of a running check.
 *
 * Ownership: the set keeps the key pointers, not copies; each key must
 * stay valid and unchanged while it is in the set. nameset_free()
 * releases the index only.
 */
#ifndef NBAQ_CORE_NAMESET_H
#define NBAQ_CORE_NAMESET_H

#include <stddef.h>

typedef struct nameset_entry {
    const char *key; /* NULL: a free slot */
    size_t value;
} nameset_entry;

typedef struct nameset {
    nameset_entry *slots;
    size_t cap; /* a power of two, or 0 */
    size_t count;
} nameset;

#define NAMESET_INIT                                                           \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/* Adds key -> value unless key is there. Returns 0 when added, 1 when key
 * was already there (*existing, when not NULL, gets its value), -1 when
 * out of memory. */
int nameset_put(nameset *set, const char *key, size_t value, size_t *existing);
/* 1 and *value when key is there, else 0. */
int nameset_get(const nameset *set, const char *key, size_t *value);
void nameset_free(nameset *set);

#endif
