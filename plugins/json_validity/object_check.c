/*
 * object_check.c - one object's verdict: gzip inflated on the fly, JSON
 * validated as it streams (see object_check.h).
 */
#include "object_check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { INFLATE_CHUNK = 16384 };

struct object_check {
    const object_rules *rules;
    jsonv_validator *validator;
    int gzip;
    int inflating;  /* z is initialised                                */
    int stream_end; /* the current gzip member ended                   */
    z_stream z;
    uint64_t stored;    /* bytes fed, as stored                        */
    uint64_t validated; /* bytes given to the validator                */
    object_verdict verdict;
    char reason[JSONV_REASON_SIZE + 64];
    unsigned char out[INFLATE_CHUNK];
};

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

int object_key_is_gzip(const char *key)
{
    return ends_with(key, strlen(key), ".gz");
}

int object_key_is_lines(const char *key, object_format format)
{
    if (format != OBJECT_FORMAT_AUTO)
        return format == OBJECT_FORMAT_LINES;
    size_t len = strlen(key);
    if (ends_with(key, len, ".gz"))
        len -= 3;
    return ends_with(key, len, ".jsonl") || ends_with(key, len, ".ndjson");
}

object_check *object_check_new(const object_rules *rules, const char *key,
                               char *err, size_t err_size)
{
    object_check *oc = calloc(1, sizeof *oc);
    jsonv_options opt = {.mode = object_key_is_lines(key, rules->format)
                                     ? JSONV_MODE_LINES
                                     : JSONV_MODE_DOCUMENT,
                         .max_depth = rules->max_depth};
    if (oc)
        oc->validator = jsonv_new(&opt);
    if (!oc || !oc->validator) {
        snprintf(err, err_size, "%s: out of memory", key);
        object_check_free(oc);
        return NULL;
    }
    for (size_t i = 0; i < rules->field_count; i++) {
        if (jsonv_require(oc->validator, rules->fields[i].pointer,
                          rules->fields[i].type, err, err_size)) {
            object_check_free(oc);
            return NULL;
        }
    }
    oc->rules = rules;
    oc->gzip = object_key_is_gzip(key);
    return oc;
}

void object_check_free(object_check *oc)
{
    if (!oc)
        return;
    if (oc->inflating)
        inflateEnd(&oc->z);
    jsonv_free(oc->validator);
    free(oc);
}

static void settle(object_check *oc, object_verdict verdict, const char *reason)
{
    oc->verdict = verdict;
    snprintf(oc->reason, sizeof oc->reason, "%s", reason);
}

/* The validator's verdict, once it has one. */
static void settle_from_validator(object_check *oc)
{
    const jsonv_result *r = jsonv_get_result(oc->validator);
    switch (r->verdict) {
    case JSONV_VALID:
        settle(oc, OBJECT_VALID, "");
        break;
    case JSONV_EMPTY:
        settle(oc, OBJECT_EMPTY, "empty");
        break;
    case JSONV_INVALID:
        oc->verdict = OBJECT_INVALID;
        snprintf(oc->reason, sizeof oc->reason, "%" PRIu64 ":%" PRIu64 ": %s",
                 r->line, r->column, r->reason);
        break;
    default:
        settle(oc, OBJECT_UNREADABLE, r->reason);
        break;
    }
}

/* Decoded bytes to the validator; 1 once the verdict is known. */
static int validate(object_check *oc, const void *data, size_t len)
{
    oc->validated += len;
    if (oc->rules->max_bytes && oc->validated > oc->rules->max_bytes) {
        char reason[128];
        snprintf(reason, sizeof reason,
                 "more than %" PRIu64 " bytes after decompression "
                 "(max_object_bytes)",
                 oc->rules->max_bytes);
        settle(oc, OBJECT_OVERSIZED, reason);
        return 1;
    }
    if (jsonv_feed(oc->validator, data, len) == 0)
        return 0;
    settle_from_validator(oc);
    return 1;
}

static int start_inflate(object_check *oc)
{
    memset(&oc->z, 0, sizeof oc->z);
    if (inflateInit2(&oc->z, 16 + MAX_WBITS) != Z_OK) {
        settle(oc, OBJECT_UNREADABLE, "gzip: out of memory");
        return 1;
    }
    oc->inflating = 1;
    return 0;
}

static int corrupt_gzip(object_check *oc, int rc)
{
    char reason[160];
    snprintf(reason, sizeof reason, "corrupt gzip data: %s",
             oc->z.msg ? oc->z.msg : zError(rc));
    settle(oc, OBJECT_INVALID, reason);
    return 1;
}

/* Inflates one stored chunk; several gzip members in a row are one stream
 * (as gzip -d reads them). 1 once the verdict is known.                 */
static int inflate_chunk(object_check *oc, const void *data, size_t len)
{
    if (!oc->inflating && start_inflate(oc))
        return 1;
    oc->z.next_in = (unsigned char *)(uintptr_t)data;
    oc->z.avail_in = (uInt)len;
    for (;;) {
        if (oc->stream_end) {
            if (oc->z.avail_in == 0)
                return 0;
            inflateReset(&oc->z); /* the next member */
            oc->stream_end = 0;
        }
        oc->z.next_out = oc->out;
        oc->z.avail_out = sizeof oc->out;
        int rc = inflate(&oc->z, Z_NO_FLUSH);
        size_t produced = sizeof oc->out - oc->z.avail_out;
        if (produced && validate(oc, oc->out, produced))
            return 1;
        if (rc == Z_STREAM_END) {
            oc->stream_end = 1;
            continue;
        }
        if (rc == Z_BUF_ERROR ||
            (rc == Z_OK && oc->z.avail_in == 0 && oc->z.avail_out != 0))
            return 0; /* needs more input */
        if (rc != Z_OK)
            return corrupt_gzip(oc, rc);
    }
}

int object_check_feed(object_check *oc, const void *data, size_t len)
{
    if (oc->verdict != OBJECT_PENDING)
        return 1;
    oc->stored += len;
    if (len == 0)
        return 0;
    if (!oc->gzip)
        return validate(oc, data, len);
    /* zlib counts in uInt: feed very large chunks in slices */
    const unsigned char *p = data;
    while (len > 0) {
        size_t slice = len > (1u << 30) ? (1u << 30) : len;
        if (inflate_chunk(oc, p, slice))
            return 1;
        p += slice;
        len -= slice;
    }
    return 0;
}

void object_check_finish(object_check *oc)
{
    if (oc->verdict != OBJECT_PENDING)
        return;
    if (oc->gzip && oc->stored > 0 && !oc->stream_end) {
        settle(oc, OBJECT_INVALID, "corrupt gzip data: truncated stream");
        return;
    }
    jsonv_finish(oc->validator);
    settle_from_validator(oc);
}

object_verdict object_check_verdict(const object_check *oc)
{
    return oc->verdict;
}

const char *object_check_reason(const object_check *oc)
{
    return oc->reason;
}

uint64_t object_check_documents(const object_check *oc)
{
    return jsonv_get_result(oc->validator)->documents;
}
