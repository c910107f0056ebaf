/*
 * arena.h - a bump allocator for data that lives as long as one owner (a
 * loaded config, a parsed YAML document, a run's results). Everything
 * allocated from an arena is freed at once by arena_free(); individual
 * pieces are never freed. Keeps the host's heap compact and its malloc
 * count low with thousands of checks.
 */
#ifndef NBAQ_CORE_ARENA_H
#define NBAQ_CORE_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
    arena_chunk *head;
    size_t chunk_size; /* 0: the default (16 KiB)                         */
} arena;

#define ARENA_INIT                                                             \
    {                                                                          \
        0                                                                      \
    }

/* Zeroed memory aligned for any type; NULL when out of memory. */
void *arena_alloc(arena *a, size_t size);
/* Copies of strings; NULL when s is NULL or out of memory. */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
/* Frees every allocation of the arena; the arena can be reused. */
void arena_free(arena *a);

#endif
