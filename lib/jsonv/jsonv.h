/*
 * jsonv.h - a strict, streaming RFC 8259 JSON validator.
 *
 * Owner: helper "jsonv" (lib/jsonv/). Used by the json_validity checker and
 * by bench/jsonv. Functions are only ever added, never changed or removed.
 *
 * What it checks
 *   Exactly the grammar of RFC 8259, in UTF-8 (RFC 8259 section 8.1):
 *   no trailing commas, comments, single quotes, NaN or Infinity, leading
 *   zeros, '+' signs, raw control characters (U+0000..U+001F) in strings,
 *   unknown escapes, unpaired UTF-16 surrogate escapes (\uD800 alone),
 *   invalid UTF-8 (stray continuation bytes, truncated sequences, overlong
 *   encodings, encoded surrogates U+D800..U+DFFF, code points above
 *   U+10FFFF), a byte order mark, or anything but whitespace after the
 *   document. Any value is a document ("42" and "\"x\"" are valid).
 *
 * How
 *   The input is fed in chunks of any size (down to one byte): every token
 *   may be split anywhere, and the verdict does not depend on the split.
 *   Nothing of the document is kept: the state is a few words plus a stack
 *   of one bit per open container (object or array), so memory is bounded
 *   by the nesting depth, never by the size of the document. There is no
 *   recursion: 1,000,000 nested '[' cost 125 KB of heap and no stack.
 *   Plain input (DOCUMENT mode without required fields, chunks of 64
 *   bytes or more) goes through a structural index: windows of 16 KiB
 *   are classified 64 bytes at a time with the vector unit (SSE2, SSE4.2,
 *   AVX2 or AVX-512, chosen at run time) into the offsets of their tokens, and
 *   the grammar walks those only (jsonv_blocks.h, jsonv_walk.c; a fixed
 *   38 KB per validator). Anything else (escapes, non-ASCII, errors, JSON
 *   Lines, required fields, long texts) goes to a byte-at-a-time scanner
 *   that shares the walker's states and writes every message: string
 *   bodies 16 bytes at a time with SSE2 on x86_64, 8 bytes at a time
 *   elsewhere on little-endian machines, a byte at a time otherwise (or
 *   when built with -DJSONV_PORTABLE); runs of whitespace with the same
 *   vector unit (jsonv_ws.h).
 *
 * Positions
 *   An error is reported where it was found: line and column from 1 and
 *   the byte offset from 0. Columns count characters (code points), not
 *   bytes; a tab counts as one.
 *
 * JSON Lines (JSONV_MODE_LINES)
 *   Every line holding anything but whitespace (space, tab, CR) must be
 *   exactly one document; blank lines are skipped. The stream is valid
 *   when every document is; an input without any document is EMPTY. The
 *   last line needs no final newline.
 *
 * Required fields
 *   jsonv_require() adds a JSON Pointer (RFC 6901) that must be present in
 *   every document, with an expected type. The validator keeps no values:
 *   it follows the path of the current value down to the depth of the
 *   deepest pointer (a bit mask of still-matching pointers per level and an
 *   element counter per array level), and copies a member name only while
 *   that name could match a pointer token, into a buffer of
 *   JSONV_MAX_TOKEN_BYTES * 6 bytes (the longest escaped form of the
 *   longest token); a longer name cannot match and is not copied. A
 *   pointer that is absent, or present with the wrong type, makes the
 *   document invalid. When a name appears twice in one object, every
 *   occurrence is checked.
 *
 * Ownership
 *   jsonv_new() allocates the validator; jsonv_free() frees it. The result
 *   returned by jsonv_get_result() belongs to the validator and is valid until
 *   the next call that changes it (feed, finish, reset) or free. Data
 *   passed to jsonv_feed() is only read during the call. Not thread-safe:
 *   one validator per thread (they share nothing).
 */
#ifndef NBAQ_JSONV_H
#define NBAQ_JSONV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum jsonv_mode {
    JSONV_MODE_DOCUMENT = 0, /* the whole input is one document           */
    JSONV_MODE_LINES = 1     /* JSON Lines / NDJSON: one document per line */
} jsonv_mode;

typedef struct jsonv_options {
    jsonv_mode mode;
    /* Deepest nesting allowed (open objects and arrays); 0: no limit, the
     * bit stack then grows with the depth (1 bit per level).            */
    uint64_t max_depth;
} jsonv_options;

typedef enum jsonv_verdict {
    JSONV_PENDING = 0, /* fed so far without error; not finished yet     */
    JSONV_VALID,       /* finished: every document valid                 */
    JSONV_INVALID,     /* an error, at result.line/column/offset         */
    JSONV_EMPTY,       /* finished: nothing but whitespace (or nothing)  */
    JSONV_FAILED       /* the validator could not go on (out of memory)  */
} jsonv_verdict;

/* Room for a reason, NUL included. */
#define JSONV_REASON_SIZE 160

typedef struct jsonv_result {
    jsonv_verdict verdict;
    /* INVALID: where the error is. line and column from 1, column in
     * characters; offset in bytes from 0. 0 for the other verdicts.      */
    uint64_t line;
    uint64_t column;
    uint64_t offset;
    /* Documents completed and valid so far (LINES: lines holding one).   */
    uint64_t documents;
    /* INVALID and FAILED: one line, e.g. "trailing comma before ']'".    */
    char reason[JSONV_REASON_SIZE];
} jsonv_result;

typedef struct jsonv_validator jsonv_validator;

/* A new validator with a copy of opt (NULL: one document, no depth
 * limit). NULL when out of memory. Free it with jsonv_free().            */
jsonv_validator *jsonv_new(const jsonv_options *opt);

void jsonv_free(jsonv_validator *v); /* NULL is fine */

/* Types a required field may be asked to have. INTEGER is a number
 * written without fraction or exponent ("42", "-7"; not "1.0" or "1e2");
 * NUMBER is any number, integers included.                              */
typedef enum jsonv_type {
    JSONV_TYPE_ANY = 0, /* present, whatever its type                    */
    JSONV_TYPE_STRING,
    JSONV_TYPE_NUMBER,
    JSONV_TYPE_INTEGER,
    JSONV_TYPE_BOOLEAN,
    JSONV_TYPE_OBJECT,
    JSONV_TYPE_ARRAY,
    JSONV_TYPE_NULL
} jsonv_type;

/* Limits of the required fields. */
#define JSONV_MAX_FIELDS 64        /* pointers per validator              */
#define JSONV_MAX_POINTER_DEPTH 32 /* reference tokens per pointer        */
#define JSONV_MAX_TOKEN_BYTES 256  /* bytes per reference token, unescaped */

/* "any", "string", "number", "integer", "boolean", "object", "array",
 * "null"; static.                                                        */
const char *jsonv_type_name(jsonv_type type);

/* Parses one of the names above. Returns 0, or -1 for an unknown name.  */
int jsonv_type_parse(const char *name, jsonv_type *out);

/* Requires the field at pointer (RFC 6901: "" is the whole document,
 * "/a/0/b~1c" member "a", element 0, member "b/c") in every document,
 * with the given type. Call before the first feed. Returns 0, or -1 with
 * err naming the pointer (malformed, too deep, too long, too many).     */
int jsonv_require(jsonv_validator *v, const char *pointer, jsonv_type type,
                  char *err, size_t err_size);

/* Feeds the next len bytes. Returns 0 while the input is still valid,
 * -1 once it is not (then jsonv_get_result() says why; later feeds do
 * nothing and return -1).                                               */
int jsonv_feed(jsonv_validator *v, const void *data, size_t len);

/* Ends the input. Returns 0 when VALID, -1 otherwise (INVALID, EMPTY or
 * FAILED; see jsonv_get_result()).                                          */
int jsonv_finish(jsonv_validator *v);

/* The verdict so far; see Ownership.                                     */
const jsonv_result *jsonv_get_result(const jsonv_validator *v);

/* Forgets the input so that the validator can take a new one; keeps the
 * options and the required fields.                                       */
void jsonv_reset(jsonv_validator *v);

/* Validates one buffer in one go: jsonv_new, feed, finish, free. Fills
 * *out; returns 0 when VALID, -1 otherwise.                              */
int jsonv_validate(const jsonv_options *opt, const void *data, size_t len,
                   jsonv_result *out);

/* Writes "line L, column C (byte O): reason" for INVALID, the reason for
 * FAILED, "empty" for EMPTY, "valid" for VALID. Returns buf.            */
char *jsonv_describe(const jsonv_result *r, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* NBAQ_JSONV_H */
