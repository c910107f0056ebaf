/*
 * kvlist.h - a small list of string pairs in insertion order; setting a
 * key again replaces its value. Holds the state_set records of one check
 * until the run is saved. Keys and values are malloc'd copies owned by the
 * list; kvlist_free() releases them.
 */
#ifndef NBAQ_CORE_KVLIST_H
#define NBAQ_CORE_KVLIST_H

#include <stddef.h>

typedef struct kv_pair {
    char *key;
    char *value;
} kv_pair;

typedef struct kvlist {
    kv_pair *items;
    size_t count;
} kvlist;

/* Copies key and value; returns -1 when out of memory. */
int kvlist_set(kvlist *list, const char *key, const char *value);
/* The value of key, or NULL. */
const char *kvlist_get(const kvlist *list, const char *key);
void kvlist_free(kvlist *list);

#endif
