/*
 * yread.h - typed reading of config nodes with user-facing errors.
 *
 * Each reader takes the node holding the value, a description of where it
 * is ("check 'disk_root'") and the key, and returns 0 with the value, or
 * -1 with err "file:line:column: <where>: '<key>' <what was expected>, got
 * '<text>'".
 */
#ifndef NBAQ_CORE_YREAD_H
#define NBAQ_CORE_YREAD_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "nbaq.h"
#include "ydoc.h"

/* Rejects a key of mapping not in allowed (NULL-terminated), suggesting
 * the closest one: "unknown key 'timout' in check 'x' (did you mean
 * 'timeout'?)". where reads "in check 'x'", "at the top level". Also
 * fails when node is not a mapping. */
int yread_check_keys(const ynode *mapping, const char *const *allowed,
                     const char *where, char *err, size_t err_size);

/* Fails with "file:line:column: <where>: <message>". */
int yread_fail(const ynode *node, const char *where, char *err, size_t err_size,
               const char *fmt, ...) NBAQ_PRINTF(5, 6);

/* A non-null scalar as a string, copied into mem. */
int yread_string(arena *mem, const ynode *node, const char *where,
                 const char *key, char **out, char *err, size_t err_size);
/* A name matching [A-Za-z0-9_.-]+. */
int yread_name(arena *mem, const ynode *node, const char *where,
               const char *key, char **out, char *err, size_t err_size);
int yread_bool(const ynode *node, const char *where, const char *key, int *out,
               char *err, size_t err_size);
int yread_int(const ynode *node, const char *where, const char *key,
              int64_t min, int64_t max, int64_t *out, char *err,
              size_t err_size);
int yread_double(const ynode *node, const char *where, const char *key,
                 double *out, char *err, size_t err_size);
/* A duration; min_ms is the smallest value accepted. */
int yread_duration(const ynode *node, const char *where, const char *key,
                   int64_t min_ms, int64_t *out, char *err, size_t err_size);
/* One of choices (NULL-terminated); *out is its index. */
int yread_choice(const ynode *node, const char *where, const char *key,
                 const char *const *choices, int *out, char *err,
                 size_t err_size);

#endif
