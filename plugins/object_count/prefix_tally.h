/*
 * prefix_tally.h - objects and bytes per first-level prefix, for a bounded
 * number of distinct prefixes (the rest are added up as "other").
 */
#ifndef OBJECT_COUNT_PREFIX_TALLY_H
#define OBJECT_COUNT_PREFIX_TALLY_H

#include <stddef.h>
#include <stdint.h>

typedef struct prefix_count {
    char *part; /* the raw first-level part, NUL-terminated; owned */
    size_t part_len;
    uint64_t objects;
    uint64_t bytes;
} prefix_count;

typedef struct prefix_tally {
    prefix_count *slots; /* open addressing; part NULL: empty          */
    size_t slot_count;   /* a power of two, at least 2 * limit         */
    size_t used;
    size_t limit; /* distinct prefixes kept                     */
    uint64_t other_objects, other_bytes; /* beyond the limit           */
    int failed; /* out of memory                              */
} prefix_tally;

/* Returns 0, or -1 when out of memory. */
int prefix_tally_init(prefix_tally *t, size_t limit);
void prefix_tally_free(prefix_tally *t);
/* Counts one object under part[0..len). */
void prefix_tally_add(prefix_tally *t, const char *part, size_t len,
                      uint64_t bytes);

#endif
