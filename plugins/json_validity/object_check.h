/*
 * object_check.h - the verdict on one object: its bytes, as stored, go in
 * chunk by chunk; gzip (a key ending in ".gz") is inflated on the fly;
 * the JSON is validated by lib/jsonv as one document or as JSON Lines.
 * Memory per object in flight: the validator (a few hundred bytes plus
 * one bit per nesting level), and for gzip zlib's state (~40 KB) and a
 * 16 KB output buffer. Nothing of the object is kept.
 *
 * Ownership: object_check_new() allocates, object_check_free() frees.
 * The rules (and the fields they point to) are the caller's and must
 * outlive the check; the key is copied.
 */
#ifndef NBAQ_JSON_VALIDITY_OBJECT_CHECK_H
#define NBAQ_JSON_VALIDITY_OBJECT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "jsonv.h"

typedef enum object_verdict {
    OBJECT_PENDING = 0,
    OBJECT_VALID,
    OBJECT_INVALID,
    OBJECT_EMPTY,     /* no bytes, or only whitespace                     */
    OBJECT_OVERSIZED, /* over the byte cap, stored or decompressed        */
    OBJECT_UNREADABLE /* could not be read (set by the caller), or out of
                         memory                                          */
} object_verdict;

typedef enum object_format {
    OBJECT_FORMAT_AUTO = 0, /* .jsonl and .ndjson (before .gz): lines      */
    OBJECT_FORMAT_JSON,     /* every object is one document               */
    OBJECT_FORMAT_LINES     /* every object is JSON Lines                 */
} object_format;

typedef struct object_field {
    const char *pointer; /* RFC 6901                                     */
    jsonv_type type;
} object_field;

typedef struct object_rules {
    object_format format;
    uint64_t max_depth; /* 0: none                                      */
    uint64_t max_bytes; /* cap on the bytes validated (after inflating); 0:
                           none. The stored size is capped by the reader. */
    const object_field *fields;
    size_t field_count;
} object_rules;

typedef struct object_check object_check;

/* NULL with err filled when out of memory or a field is malformed.     */
object_check *object_check_new(const object_rules *rules, const char *key,
                               char *err, size_t err_size);

/* The next stored bytes. Returns 0 to go on, 1 once the verdict is known
 * (invalid, or over the cap): the rest need not be read.               */
int object_check_feed(object_check *oc, const void *data, size_t len);

/* Every byte was fed: settles the verdict.                             */
void object_check_finish(object_check *oc);

object_verdict object_check_verdict(const object_check *oc);

/* Why, for INVALID ("3:17: trailing comma before ']'", "corrupt gzip
 * data: ..."), OVERSIZED and UNREADABLE; "" otherwise. Lives as long as
 * the check.                                                            */
const char *object_check_reason(const object_check *oc);

/* Documents validated (JSON Lines: lines).                             */
uint64_t object_check_documents(const object_check *oc);

void object_check_free(object_check *oc);

/* Whether a key names gzip data, and whether it is JSON Lines under the
 * given format.                                                         */
int object_key_is_gzip(const char *key);
int object_key_is_lines(const char *key, object_format format);

#endif /* NBAQ_JSON_VALIDITY_OBJECT_CHECK_H */
