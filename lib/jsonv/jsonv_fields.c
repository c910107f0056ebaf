/*
 * jsonv_fields.c - required fields by JSON Pointer (RFC 6901), followed
 * without keeping any value: see jsonv_fields.h for the model.
 */
#include "jsonv_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_INDEX UINT64_MAX

typedef struct field_token {
    char *text; /* unescaped, NUL-terminated                            */
    size_t len;
    uint64_t index; /* the array index it names, or NO_INDEX             */
} field_token;

typedef struct field {
    char *pointer; /* as written, for messages                          */
    jsonv_type type;
    uint64_t token_count;
    field_token *tokens;
} field;

struct jsonv_fields {
    field items[JSONV_MAX_FIELDS];
    size_t count;
    uint64_t depth; /* token count of the deepest pointer               */
    /* Per level: pointers that end there, and pointers that go deeper. */
    uint64_t ends_at[JSONV_MAX_POINTER_DEPTH + 1];
    uint64_t deeper[JSONV_MAX_POINTER_DEPTH + 1];
    /* Per level: pointers matching the path to the current value, and
     * the index of the current element when the level is in an array.  */
    uint64_t match[JSONV_MAX_POINTER_DEPTH + 1];
    uint64_t index[JSONV_MAX_POINTER_DEPTH + 1];
    uint64_t found;           /* pointers seen in this document        */
    uint64_t pending_integer; /* expect INTEGER of the current number  */
    uint8_t key[JSONV_MAX_TOKEN_BYTES * 6]; /* raw member name          */
    size_t key_len;
    int key_overflow; /* the name is longer than any token can be       */
};

jsonv_fields *jsonv_fields_new(void)
{
    return calloc(1, sizeof(jsonv_fields));
}

static void field_release(field *f)
{
    for (uint64_t t = 0; t < f->token_count; t++)
        free(f->tokens[t].text);
    free(f->tokens);
    free(f->pointer);
    memset(f, 0, sizeof *f);
}

void jsonv_fields_free(jsonv_fields *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->count; i++)
        field_release(&f->items[i]);
    free(f);
}

uint64_t jsonv_fields_depth(const jsonv_fields *f)
{
    return f->depth;
}

/* "0" or [1-9][0-9]{0,18}: an array index (RFC 6901 section 4). */
static uint64_t token_index(const char *s, size_t len)
{
    if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
        return NO_INDEX;
    uint64_t value = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NO_INDEX;
        value = value * 10 + (uint64_t)(s[i] - '0');
    }
    return value;
}

/* Unescapes one reference token [s, s+len) (~0 is '~', ~1 is '/'). */
static int token_parse(const char *pointer, const char *s, size_t len,
                       field_token *out, char *err, size_t err_size)
{
    char *text = malloc(len + 1);
    if (!text) {
        snprintf(err, err_size, "JSON Pointer '%s': out of memory", pointer);
        return -1;
    }
    size_t w = 0;
    for (size_t r = 0; r < len; r++) {
        if (s[r] != '~') {
            text[w++] = s[r];
            continue;
        }
        if (r + 1 < len && (s[r + 1] == '0' || s[r + 1] == '1')) {
            text[w++] = s[r + 1] == '0' ? '~' : '/';
            r++;
            continue;
        }
        snprintf(err, err_size,
                 "JSON Pointer '%s': '~' must be followed by 0 or 1", pointer);
        free(text);
        return -1;
    }
    text[w] = '\0';
    if (w > JSONV_MAX_TOKEN_BYTES) {
        snprintf(err, err_size,
                 "JSON Pointer '%s': a token is longer than %d bytes", pointer,
                 JSONV_MAX_TOKEN_BYTES);
        free(text);
        return -1;
    }
    out->text = text;
    out->len = w;
    out->index = token_index(text, w);
    return 0;
}

static uint64_t count_tokens(const char *pointer)
{
    uint64_t n = 0;
    for (const char *s = pointer; *s; s++)
        n += *s == '/';
    return n;
}

static int pointer_parse(const char *pointer, field *out, char *err,
                         size_t err_size)
{
    if (pointer[0] != '\0' && pointer[0] != '/') {
        snprintf(err, err_size,
                 "JSON Pointer '%s' must be empty or start with '/'", pointer);
        return -1;
    }
    uint64_t n = count_tokens(pointer);
    if (n > JSONV_MAX_POINTER_DEPTH) {
        snprintf(err, err_size, "JSON Pointer '%s' has more than %d tokens",
                 pointer, JSONV_MAX_POINTER_DEPTH);
        return -1;
    }
    out->tokens = n ? calloc(n, sizeof(field_token)) : NULL;
    out->pointer = strdup(pointer);
    if ((n && !out->tokens) || !out->pointer) {
        snprintf(err, err_size, "JSON Pointer '%s': out of memory", pointer);
        return -1;
    }
    const char *s = pointer;
    for (uint64_t t = 0; t < n; t++) {
        const char *begin = s + 1;
        const char *stop = strchr(begin, '/');
        size_t len = stop ? (size_t)(stop - begin) : strlen(begin);
        if (token_parse(pointer, begin, len, &out->tokens[t], err, err_size))
            return -1;
        out->token_count = t + 1;
        s = begin + len;
    }
    return 0;
}

int jsonv_fields_add(jsonv_fields *f, const char *pointer, jsonv_type type,
                     char *err, size_t err_size)
{
    if (f->count >= JSONV_MAX_FIELDS) {
        snprintf(err, err_size,
                 "JSON Pointer '%s': more than %d required fields", pointer,
                 JSONV_MAX_FIELDS);
        return -1;
    }
    field *item = &f->items[f->count];
    if (pointer_parse(pointer, item, err, err_size)) {
        field_release(item);
        return -1;
    }
    item->type = type;
    uint64_t bit = 1ull << f->count;
    f->ends_at[item->token_count] |= bit;
    for (uint64_t level = 0; level < item->token_count; level++)
        f->deeper[level] |= bit;
    if (item->token_count > f->depth)
        f->depth = item->token_count;
    f->count++;
    return 0;
}

void jsonv_fields_document_start(jsonv_fields *f)
{
    f->match[0] = f->count == 64 ? UINT64_MAX : (1ull << f->count) - 1;
    f->found = 0;
    f->pending_integer = 0;
}

/* "a string", "an object"... for "field /x is <this>, expected <type>". */
static const char *type_phrase(jsonv_type type)
{
    switch (type) {
    case JSONV_TYPE_STRING:
        return "a string";
    case JSONV_TYPE_NUMBER:
        return "a number";
    case JSONV_TYPE_INTEGER:
        return "an integer";
    case JSONV_TYPE_BOOLEAN:
        return "a boolean";
    case JSONV_TYPE_OBJECT:
        return "an object";
    case JSONV_TYPE_ARRAY:
        return "an array";
    case JSONV_TYPE_NULL:
        return "null";
    default:
        return "a value";
    }
}

static int type_fits(jsonv_type expected, jsonv_type actual)
{
    if (expected == JSONV_TYPE_ANY || expected == actual)
        return 1;
    return expected == JSONV_TYPE_INTEGER && actual == JSONV_TYPE_NUMBER;
}

static int lowest_bit(uint64_t mask)
{
    return __builtin_ctzll(mask);
}

/* Elements of an array: the pointers whose token names this index. */
static uint64_t match_index(const jsonv_fields *f, uint64_t level)
{
    uint64_t candidates = f->match[level - 1] & f->deeper[level - 1];
    uint64_t matched = 0;
    while (candidates) {
        int i = lowest_bit(candidates);
        candidates &= candidates - 1;
        if (f->items[i].tokens[level - 1].index == f->index[level])
            matched |= 1ull << i;
    }
    return matched;
}

int jsonv_fields_value(jsonv_fields *f, uint64_t level, int in_array,
                       jsonv_type type, char *reason, size_t size)
{
    if (in_array)
        f->match[level] = match_index(f, level);
    uint64_t ending = f->match[level] & f->ends_at[level];
    f->found |= ending;
    while (ending) {
        int i = lowest_bit(ending);
        ending &= ending - 1;
        const field *item = &f->items[i];
        if (!type_fits(item->type, type)) {
            snprintf(reason, size, "field '%s' is %s, expected %s",
                     item->pointer, type_phrase(type),
                     jsonv_type_name(item->type));
            return -1;
        }
        if (item->type == JSONV_TYPE_INTEGER)
            f->pending_integer |= 1ull << i;
    }
    return 0;
}

int jsonv_fields_number_end(jsonv_fields *f, int is_integer, char *reason,
                            size_t size)
{
    uint64_t pending = f->pending_integer;
    f->pending_integer = 0;
    if (!pending || is_integer)
        return 0;
    snprintf(reason, size,
             "field '%s' is a number with a fraction or exponent, expected "
             "integer",
             f->items[lowest_bit(pending)].pointer);
    return -1;
}

void jsonv_fields_array_start(jsonv_fields *f, uint64_t level)
{
    f->index[level] = 0;
}

void jsonv_fields_array_next(jsonv_fields *f, uint64_t level)
{
    f->index[level]++;
}

int jsonv_fields_key_start(jsonv_fields *f, uint64_t level)
{
    f->match[level] = 0;
    f->key_len = 0;
    f->key_overflow = 0;
    return (f->match[level - 1] & f->deeper[level - 1]) != 0;
}

void jsonv_fields_key_append(jsonv_fields *f, const uint8_t *raw, size_t n)
{
    if (f->key_overflow)
        return;
    if (n > sizeof f->key - f->key_len) {
        f->key_overflow = 1;
        return;
    }
    memcpy(f->key + f->key_len, raw, n);
    f->key_len += n;
}

static unsigned hex4(const uint8_t *s)
{
    unsigned value = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = s[i];
        unsigned digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        value = value << 4 | digit;
    }
    return value;
}

static size_t utf8_encode(uint32_t cp, uint8_t *out)
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | cp >> 18);
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the escapes of a member name in place. The validator has
 * already checked the escapes, so every one is complete and well formed;
 * the decoded form is never longer than the raw one.                    */
static size_t decode_escapes(uint8_t *s, size_t n)
{
    size_t r = 0, w = 0;
    while (r < n) {
        if (s[r] != '\\') {
            s[w++] = s[r++];
            continue;
        }
        uint8_t e = s[r + 1];
        if (e != 'u') {
            static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
            const char *hit = strchr(from, e);
            s[w++] = hit ? (uint8_t)to[hit - from] : e;
            r += 2;
            continue;
        }
        uint32_t cp = hex4(s + r + 2);
        r += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = hex4(s + r + 2);
            r += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        w += utf8_encode(cp, s + w);
    }
    return w;
}

void jsonv_fields_key_end(jsonv_fields *f, uint64_t level)
{
    if (f->key_overflow)
        return;
    size_t len = decode_escapes(f->key, f->key_len);
    uint64_t candidates = f->match[level - 1] & f->deeper[level - 1];
    uint64_t matched = 0;
    while (candidates) {
        int i = lowest_bit(candidates);
        candidates &= candidates - 1;
        const field_token *token = &f->items[i].tokens[level - 1];
        if (token->len == len && memcmp(token->text, f->key, len) == 0)
            matched |= 1ull << i;
    }
    f->match[level] = matched;
}

int jsonv_fields_document_end(jsonv_fields *f, char *reason, size_t size)
{
    uint64_t all = f->count == 64 ? UINT64_MAX : (1ull << f->count) - 1;
    uint64_t missing = all & ~f->found;
    if (!missing)
        return 0;
    int more = __builtin_popcountll(missing) - 1;
    const char *pointer = f->items[lowest_bit(missing)].pointer;
    if (more > 0)
        snprintf(reason, size, "missing required field '%s' (and %d more)",
                 pointer, more);
    else
        snprintf(reason, size, "missing required field '%s'", pointer);
    return -1;
}
