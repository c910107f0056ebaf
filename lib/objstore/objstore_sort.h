/*
 * objstore_sort.h - the names of one directory into byte order, fast
 * (private to lib/objstore).
 *
 * A sort with strcmp() through qsort() was 10% of a local listing: the
 * names of a directory of objects share long prefixes ("event-0..."), so
 * every comparison scans them again through a function pointer. Here the
 * prefix all names share is found once, the next 8 bytes of each name
 * become a big-endian number, and the numbers are radix-sorted; only
 * names whose 8 bytes tie are compared further, with strcmp().
 */
#ifndef NBAQ_OBJSTORE_SORT_H
#define NBAQ_OBJSTORE_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Fills order[0..count) with the indexes of names[] (NUL-terminated,
 * all different) in strcmp() order. 0, or -1 when memory is out.       */
int objstore_sort_names(const char *const *names, size_t count,
                        uint32_t *order);

#endif
