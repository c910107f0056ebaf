/*
 * jsonv_fields.h - required fields (JSON Pointers with a type), followed
 * while the validator scans. Internal to lib/jsonv.
 *
 * Levels: the whole document is the value at level 0; the members or
 * elements of a container at level L are at level L + 1, which is also the
 * validator's depth (open containers) while it scans them. A pointer of n
 * tokens names a value at level n. For each level up to the deepest
 * pointer this module keeps the set (a bit mask) of pointers whose first
 * tokens match the path to the current value, and for array levels the
 * index of the current element. The validator calls in only while its
 * depth is at most jsonv_fields_depth().
 *
 * Ownership: jsonv_fields_new() allocates, jsonv_fields_free() frees; the
 * validator owns its fields. Reasons are written into the caller's buffer.
 */
#ifndef NBAQ_JSONV_FIELDS_H
#define NBAQ_JSONV_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "jsonv.h"

typedef struct jsonv_fields jsonv_fields;

jsonv_fields *jsonv_fields_new(void);
void jsonv_fields_free(jsonv_fields *f);

/* Adds a pointer; -1 with err filled when malformed or over a limit.   */
int jsonv_fields_add(jsonv_fields *f, const char *pointer, jsonv_type type,
                     char *err, size_t err_size);

/* Tokens of the deepest pointer: the last level the validator reports. */
uint64_t jsonv_fields_depth(const jsonv_fields *f);

/* A new document starts: nothing found yet.                            */
void jsonv_fields_document_start(jsonv_fields *f);

/* A value of type `type` (never INTEGER: numbers are NUMBER, then
 * number_end says whether it was an integer) starts at level `level`,
 * inside an array when in_array. Returns -1 with reason filled when a
 * required field has another type.                                     */
int jsonv_fields_value(jsonv_fields *f, uint64_t level, int in_array,
                       jsonv_type type, char *reason, size_t size);

/* The number announced last by jsonv_fields_value() ended.             */
int jsonv_fields_number_end(jsonv_fields *f, int is_integer, char *reason,
                            size_t size);

/* An array opened: its elements are at `level`.                        */
void jsonv_fields_array_start(jsonv_fields *f, uint64_t level);

/* A comma in the array whose elements are at `level`.                  */
void jsonv_fields_array_next(jsonv_fields *f, uint64_t level);

/* A member name starts at `level`. Returns 1 when its raw bytes (escapes
 * undecoded, between the quotes) must be passed to key_append.          */
int jsonv_fields_key_start(jsonv_fields *f, uint64_t level);
void jsonv_fields_key_append(jsonv_fields *f, const uint8_t *raw, size_t n);
/* The member name whose bytes were appended ended.                     */
void jsonv_fields_key_end(jsonv_fields *f, uint64_t level);

/* The document ended: -1 with reason filled when a field is missing.  */
int jsonv_fields_document_end(jsonv_fields *f, char *reason, size_t size);

#endif /* NBAQ_JSONV_FIELDS_H */
