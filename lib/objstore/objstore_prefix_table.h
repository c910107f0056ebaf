/*
 * objstore_prefix_table.h - objects grouped by first-level prefix (the
 * part of a listed name before its first '/'), for the checkers that
 * report per prefix or per partition (object_count by_prefix, freshness
 * partition_by: prefix). The table keeps at most `limit` distinct
 * prefixes, so that memory stays bounded whatever the bucket holds; what
 * the caller does with objects of further prefixes is its own choice.
 *
 * Ownership: the table owns its slots and the copies of the parts; free
 * it with nbaq_objstore_prefix_table_free(). An entry pointer returned by
 * _entry() lives until the table is freed (entries never move).
 */
#ifndef NBAQ_OBJSTORE_PREFIX_TABLE_H
#define NBAQ_OBJSTORE_PREFIX_TABLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One prefix. The counters are the caller's to update.                  */
typedef struct nbaq_objstore_prefix_stats {
    char *part; /* the raw part, NUL-terminated; NULL: empty slot        */
    size_t part_len;
    uint64_t objects;  /* 0 when added                                   */
    uint64_t bytes;    /* 0 when added                                   */
    int64_t newest_ms; /* INT64_MIN when added                           */
} nbaq_objstore_prefix_stats;

typedef struct nbaq_objstore_prefix_table {
    nbaq_objstore_prefix_stats
        *slots;        /* open addressing; walk all slot_count */
    size_t slot_count; /* a power of two, at least 2 * limit   */
    size_t used;       /* distinct prefixes kept               */
    size_t limit;
    int full;   /* a new prefix came after `limit` were kept             */
    int failed; /* memory ran out for a new prefix below the limit       */
} nbaq_objstore_prefix_table;

/* Returns 0, or -1 when out of memory (then free is still fine).        */
int nbaq_objstore_prefix_table_init(nbaq_objstore_prefix_table *t,
                                    size_t limit);
void nbaq_objstore_prefix_table_free(nbaq_objstore_prefix_table *t);

/* The entry of part[0..len), added if new; NULL when it is new and the
 * table is full (t->full set) or memory ran out (t->failed set).        */
nbaq_objstore_prefix_stats *
nbaq_objstore_prefix_table_entry(nbaq_objstore_prefix_table *t,
                                 const char *part, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* NBAQ_OBJSTORE_PREFIX_TABLE_H */
