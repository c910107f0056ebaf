/*
 * jsonv.c - the streaming RFC 8259 validator (see jsonv.h).
 *
 * jsonv_scan() is one function with labels rather than many small ones, on
 * purpose: the grammar state lives in the program counter while a chunk
 * is scanned, and is written to v->state only when the chunk ends (every
 * `if (p == end) SUSPEND(...)`), so that the hot loops (string bodies,
 * digits, whitespace) run on locals. A later chunk resumes at the label
 * the state names. Nothing recurses: nesting is a bit stack.
 *
 * jsonv_feed() gives plain input to the structural walker (jsonv_walk.c)
 * first; the walker hands the scanner every token it does not take, in
 * the scanner's own states, so that every message comes from here.
 */
#include "jsonv.h"

#include "jsonv_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const literal_text[] = {"true", "false", "null"};
static const uint8_t literal_len[] = {4, 5, 4};

/* 1 for bytes that may stand in a string body as they are: 0x20..0x7F
 * but '"' (0x22) and '\\' (0x5C).                                       */
const uint8_t jsonv_string_plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x30 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x70 */
};

/* 0..15, or -1 for a byte that is not a hex digit. */
static int hex_digit(unsigned c)
{
    if (IS_DIGIT(c))
        return (int)(c - '0');
    c |= 0x20;
    return c - 'a' < 6u ? (int)(c - 'a' + 10) : -1;
}

/* How many of the 16 bytes at p (all readable) are leading spaces: the
 * indentation after a line break, found without a loop.                 */
static inline unsigned indent_width(const uint8_t *p)
{
#if defined(JSONV_SSE2)
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    unsigned other =
        ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
    return (unsigned)__builtin_ctz(other | 0x10000u);
#elif defined(JSONV_SWAR)
    uint64_t x;
    memcpy(&x, p, 8);
    x ^= 0x2020202020202020ull; /* spaces become 0 */
    return x ? (unsigned)__builtin_ctzll(x) >> 3 : 8;
#else
    unsigned n = 0;
    while (n < 16 && p[n] == ' ')
        n++;
    return n;
#endif
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                               */

jsonv_validator *jsonv_new(const jsonv_options *opt)
{
    jsonv_validator *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    if (opt)
        v->opt = *opt;
    v->ws_skip = jsonv_ws_skip();
    v->blocks_fn = jsonv_blocks_kernel(jsonv_ws_chosen());
    v->stack_words = 8;
    v->stack = calloc(v->stack_words, sizeof *v->stack);
    if (!v->stack) {
        free(v);
        return NULL;
    }
    jsonv_reset(v);
    return v;
}

void jsonv_free(jsonv_validator *v)
{
    if (!v)
        return;
    jsonv_fields_free(v->fields);
    free(v->stack);
    free(v->blocks);
    free(v);
}

void jsonv_reset(jsonv_validator *v)
{
    memset(&v->result, 0, sizeof v->result);
    v->state = ST_DOC_START;
    v->num_state = 0;
    v->is_key = 0;
    v->capture = 0;
    v->high_surrogate = 0;
    v->utf8_need = 0;
    v->depth = 0;
    v->offset = 0;
    v->line = 1;
    v->line_start = 0;
    v->line_cont = 0;
    v->scan_ahead = 0;
    v->scanned_ahead = 0;
}

const jsonv_result *jsonv_get_result(const jsonv_validator *v)
{
    return &v->result;
}

int jsonv_require(jsonv_validator *v, const char *pointer, jsonv_type type,
                  char *err, size_t err_size)
{
    if (!v->fields) {
        v->fields = jsonv_fields_new();
        if (!v->fields) {
            snprintf(err, err_size, "JSON Pointer '%s': out of memory",
                     pointer);
            return -1;
        }
    }
    if (jsonv_fields_add(v->fields, pointer, type, err, err_size))
        return -1;
    v->fields_depth = jsonv_fields_depth(v->fields);
    return 0;
}

static const char *const type_names[] = {
    "any", "string", "number", "integer", "boolean", "object", "array", "null",
};

const char *jsonv_type_name(jsonv_type type)
{
    if ((unsigned)type >= sizeof type_names / sizeof type_names[0])
        return "unknown";
    return type_names[type];
}

int jsonv_type_parse(const char *name, jsonv_type *out)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
        if (strcmp(name, type_names[i]) == 0) {
            *out = (jsonv_type)i;
            return 0;
        }
    }
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

/* Records INVALID at absolute offset `at`, on the current line.          */
static void fail_at(jsonv_validator *v, uint64_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_at(jsonv_validator *v, uint64_t at, const char *fmt, ...)
{
    jsonv_result *r = &v->result;
    r->verdict = JSONV_INVALID;
    r->offset = at;
    r->line = v->line;
    r->column = at - v->line_start - v->line_cont + 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    v->state = ST_ERROR;
}

static void fail_memory(jsonv_validator *v)
{
    v->result.verdict = JSONV_FAILED;
    snprintf(v->result.reason, sizeof v->result.reason,
             "out of memory at nesting depth %llu",
             (unsigned long long)v->depth);
    v->state = ST_ERROR;
}

/* "'x'", "end of line", or "byte 0xNN", for messages. */
static const char *byte_name(unsigned c, char buf[16])
{
    if (c == '\n')
        return "end of line";
    if (c > 0x20 && c < 0x7f)
        snprintf(buf, 16, "'%c'", (char)c);
    else if (c == ' ')
        return "' '";
    else
        snprintf(buf, 16, "byte 0x%02X", c);
    return buf;
}

/* Why a byte cannot start a value: the mistakes people make get names. */
static void fail_value(jsonv_validator *v, uint64_t at, unsigned c,
                       const char *context)
{
    char name[16];
    switch (c) {
    case 'N':
        fail_at(v, at, "NaN is not JSON");
        return;
    case 'I':
        fail_at(v, at, "Infinity is not JSON");
        return;
    case '/':
        fail_at(v, at, "comments are not allowed in JSON");
        return;
    case '\'':
        fail_at(v, at, "strings must be in double quotes, not single");
        return;
    case '+':
        fail_at(v, at, "a number may not start with '+'");
        return;
    case '.':
        fail_at(v, at, "a number needs a digit before '.'");
        return;
    case 0xEF:
        if (at == 0) {
            fail_at(v, at,
                    "byte order mark at the start (not allowed by "
                    "RFC 8259)");
            return;
        }
        break;
    case '\n':
        fail_at(v, at, "line ends before the document is complete");
        return;
    }
    fail_at(v, at, "expected a value%s, found %s", context, byte_name(c, name));
}

/* A byte where the grammar wants one of `expected`. */
static void fail_expected(jsonv_validator *v, uint64_t at, unsigned c,
                          const char *expected)
{
    char name[16];
    if (c == '\n' && v->opt.mode == JSONV_MODE_LINES)
        fail_at(v, at, "line ends before the document is complete");
    else if (c == '/')
        fail_at(v, at, "comments are not allowed in JSON");
    else
        fail_at(v, at, "expected %s, found %s", expected, byte_name(c, name));
}

/* A byte that breaks a UTF-8 sequence inside a string. */
static void fail_utf8(jsonv_validator *v, uint64_t at, unsigned c)
{
    if (c < 0x80 || c > 0xBF) {
        fail_at(v, at,
                "invalid UTF-8: truncated sequence (lead byte 0x%02X, then "
                "byte 0x%02X)",
                v->utf8_lead, c);
        return;
    }
    switch (v->utf8_lead) {
    case 0xE0:
    case 0xF0:
        fail_at(v, at, "invalid UTF-8: overlong encoding (0x%02X 0x%02X)",
                v->utf8_lead, c);
        return;
    case 0xED:
        fail_at(v, at,
                "invalid UTF-8: encoded surrogate U+D800..U+DFFF (0xED "
                "0x%02X)",
                c);
        return;
    default: /* 0xF4 */
        fail_at(v, at,
                "invalid UTF-8: code point above U+10FFFF (0xF4 "
                "0x%02X)",
                c);
        return;
    }
}

/* A byte >= 0x80 that cannot start a UTF-8 sequence. */
static void fail_utf8_lead(jsonv_validator *v, uint64_t at, unsigned c)
{
    if (c < 0xC0)
        fail_at(v, at, "invalid UTF-8: unexpected continuation byte 0x%02X", c);
    else if (c < 0xC2)
        fail_at(v, at, "invalid UTF-8: overlong encoding (lead byte 0x%02X)",
                c);
    else if (c < 0xF8)
        fail_at(v, at,
                "invalid UTF-8: code point above U+10FFFF (lead byte 0x%02X)",
                c);
    else
        fail_at(v, at, "invalid UTF-8: byte 0x%02X never appears in UTF-8", c);
}

/* ------------------------------------------------------------------------ */
/* The bit stack                                                            */

static int stack_grow(jsonv_validator *v)
{
    size_t words = v->stack_words * 2;
    uint64_t *stack = realloc(v->stack, words * sizeof *stack);
    if (!stack)
        return -1;
    v->stack = stack;
    v->stack_words = words;
    return 0;
}

/* Opens a container at depth `depth` (before the push). 0, or -1 when
 * the depth limit is reached (INVALID) or memory is out (FAILED).       */
static int stack_push(jsonv_validator *v, uint64_t depth, int is_object,
                      uint64_t at)
{
    if (UNLIKELY(v->opt.max_depth && depth >= v->opt.max_depth)) {
        fail_at(v, at, "nesting deeper than %llu levels (max_depth)",
                (unsigned long long)v->opt.max_depth);
        return -1;
    }
    size_t word = (size_t)(depth >> 6);
    if (UNLIKELY(word >= v->stack_words) && stack_grow(v)) {
        v->depth = depth;
        fail_memory(v);
        return -1;
    }
    stack_set(v, depth, is_object);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The scanner                                                              */

/* Absolute offset of p. */
#define AT(ptr) (v->offset + (uint64_t)((ptr)-start))

#define SUSPEND(st)                                                            \
    do {                                                                       \
        v->state = (st);                                                       \
        goto suspend;                                                          \
    } while (0)

/* Inside a string, the part of a member name scanned so far is passed
 * on before the chunk ends.                                             */
#define SUSPEND_STRING(st)                                                     \
    do {                                                                       \
        if (v->capture)                                                        \
            jsonv_fields_key_append(v->fields, cap, (size_t)(end - cap));      \
        SUSPEND(st);                                                           \
    } while (0)

#define SUSPEND_NUMBER(ns)                                                     \
    do {                                                                       \
        v->num_state = (ns);                                                   \
        SUSPEND(ST_NUMBER);                                                    \
    } while (0)

#define FAIL(...)                                                              \
    do {                                                                       \
        fail_at(v, AT(p), __VA_ARGS__);                                        \
        return -1;                                                             \
    } while (0)

#define NEWLINE()                                                              \
    do {                                                                       \
        v->line++;                                                             \
        v->line_start = AT(p);                                                 \
        v->line_cont = 0;                                                      \
    } while (0)

/* Skips JSON whitespace. In LINES mode a newline is not skipped: it ends
 * a document, so the grammar looks at it. The two common cases stay
 * inline: the one space after a ':', and a line break followed by up to
 * 15 spaces of indentation before a token. Other runs (deep indentation,
 * tabs, blank lines) go to the vector kernel, which counts newlines.   */
#define SKIP_WS()                                                              \
    if (p < end && *p <= ' ') {                                                \
        const uint8_t *token = p + 1;                                          \
        if (*p == ' ' && end - p > 1 && *token > ' ') {                        \
            p = token;                                                         \
        } else if (*p == '\n' && !lines && end - p > 17 &&                     \
                   *(token += indent_width(token)) > ' ') {                    \
            v->line++;                                                         \
            v->line_start = AT(p) + 1;                                         \
            v->line_cont = 0;                                                  \
            p = token;                                                         \
        } else {                                                               \
            jsonv_ws_newlines nl = {0, NULL};                                  \
            p = ws_skip(p, end, lines, &nl);                                   \
            if (nl.count) {                                                    \
                v->line += nl.count;                                           \
                v->line_start = AT(nl.last) + 1;                               \
                v->line_cont = 0;                                              \
            }                                                                  \
        }                                                                      \
    }

/* A required-field hook, called only while the path is being followed. */
#define TRACK(call)                                                            \
    do {                                                                       \
        if (UNLIKELY(track) && depth <= v->fields_depth && (call) < 0) {       \
            fail_at(v, AT(p), "%s", reason);                                   \
            return -1;                                                         \
        }                                                                      \
    } while (0)

#define TRACK_VALUE(type)                                                      \
    TRACK(jsonv_fields_value(v->fields, depth, depth && !in_obj, (type),       \
                             reason, sizeof reason))

#define PUSH(is_object)                                                        \
    do {                                                                       \
        if (stack_push(v, depth, (is_object), AT(p)))                          \
            return -1;                                                         \
        depth++;                                                               \
        in_obj = (is_object);                                                  \
    } while (0)

int jsonv_scan(jsonv_validator *v, const uint8_t *start, const uint8_t *end)
{
    const uint8_t *p = start;
    const uint8_t *cap = start; /* where the captured name part begins */
    const int lines = v->opt.mode == JSONV_MODE_LINES;
    const int track = v->fields != NULL; /* required fields to follow */
    const jsonv_ws_skip_fn ws_skip = v->ws_skip;
    uint64_t depth = v->depth;
    int in_obj = depth ? stack_is_object(v, depth) : 0;
    int is_integer;
    unsigned c;
    char reason[JSONV_REASON_SIZE];

    switch ((enum scan_state)v->state) {
        JSONV_RESUME_CASES;
    case ST_ESCAPE:
        goto string_escape;
    case ST_HEX:
        goto string_hex;
    case ST_LOW_BACKSLASH:
        goto low_backslash;
    case ST_LOW_U:
        goto low_u;
    case ST_UTF8:
        goto utf8_continuation;
    case ST_NUMBER:
        goto number_resume;
    case ST_LITERAL:
        goto literal;
    case ST_FINISHED:
    case ST_ERROR:
        return -1;
    }
    return -1;

    /* --- documents ------------------------------------------------------ */
doc_start:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_DOC_START);
    if (*p == '\n') { /* LINES: a blank line */
        p++;
        NEWLINE();
        goto doc_start;
    }
    if (v->fields)
        jsonv_fields_document_start(v->fields);
    goto value_dispatch;

doc_complete:
    if (v->fields &&
        jsonv_fields_document_end(v->fields, reason, sizeof reason) < 0)
        FAIL("%s", reason);
    v->result.documents++;
doc_trailer:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_DOC_TRAILER);
    if (*p == '\n') { /* LINES: the document's line ends */
        p++;
        NEWLINE();
        goto doc_start;
    }
    if (lines)
        FAIL("unexpected %s after the document (one document per line)",
             byte_name(*p, reason));
    FAIL("unexpected %s after the end of the document", byte_name(*p, reason));

    /* --- values --------------------------------------------------------- */
value:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_VALUE);
value_dispatch:
    c = *p;
    switch (c) {
    case '"':
        TRACK_VALUE(JSONV_TYPE_STRING);
        p++;
        v->is_key = 0;
        goto string_start;
    case '{':
        TRACK_VALUE(JSONV_TYPE_OBJECT);
        PUSH(1);
        p++;
        goto object_first;
    case '[':
        TRACK_VALUE(JSONV_TYPE_ARRAY);
        PUSH(0);
        if (UNLIKELY(track) && depth <= v->fields_depth)
            jsonv_fields_array_start(v->fields, depth);
        p++;
        goto array_first;
    JSONV_CASES_NUMBER_START:
        TRACK_VALUE(JSONV_TYPE_NUMBER);
        goto number;
    case 't':
    case 'f':
    case 'n':
        TRACK_VALUE(c == 'n' ? JSONV_TYPE_NULL : JSONV_TYPE_BOOLEAN);
        v->literal = c == 't' ? 0 : c == 'f' ? 1 : 2;
        v->literal_pos = 1;
        p++;
        goto literal;
    default:
        fail_value(v, AT(p), c,
                   depth == 0 ? ""
                   : in_obj   ? " after ':'"
                              : " in the array");
        return -1;
    }

after_value:
    if (depth == 0)
        goto doc_complete;
after_value_ws:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_AFTER_VALUE);
    c = *p;
    if (c == ',') {
        p++;
        if (in_obj)
            goto key;
        if (UNLIKELY(track) && depth <= v->fields_depth)
            jsonv_fields_array_next(v->fields, depth);
        goto array_next;
    }
    if (c == (in_obj ? '}' : ']')) {
        p++;
        POP();
        goto after_value;
    }
    fail_expected(v, AT(p), c,
                  in_obj ? "',' or '}' after a member"
                         : "',' or ']' after an array element");
    return -1;

    /* --- arrays and objects --------------------------------------------- */
array_first:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_ARRAY_FIRST);
    if (*p == ']') {
        p++;
        POP();
        goto after_value;
    }
    goto value_dispatch;

array_next:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_ARRAY_NEXT);
    if (*p == ']')
        FAIL("trailing comma before ']'");
    goto value_dispatch;

object_first:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_OBJECT_FIRST);
    if (*p == '}') {
        p++;
        POP();
        goto after_value;
    }
    goto key_dispatch;

key:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_KEY);
    if (*p == '}')
        FAIL("trailing comma before '}'");
key_dispatch:
    if (*p != '"') {
        fail_expected(v, AT(p), *p, "a member name in double quotes");
        return -1;
    }
    p++;
    v->is_key = 1;
    if (UNLIKELY(track) && depth <= v->fields_depth)
        v->capture = (uint8_t)jsonv_fields_key_start(v->fields, depth);
    goto string_start;

colon:
    SKIP_WS();
    if (p == end)
        SUSPEND(ST_COLON);
    if (*p != ':') {
        fail_expected(v, AT(p), *p, "':' after the member name");
        return -1;
    }
    p++;
    goto value;

    /* --- strings -------------------------------------------------------- */
string_start:
    cap = p;
string_body :
#if defined(JSONV_SSE2)
{
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        /* signed: bytes < 0x20 and bytes >= 0x80 alike */
        __m128i is_quote = _mm_cmpeq_epi8(x, quote);
        __m128i special =
            _mm_or_si128(_mm_or_si128(is_quote, _mm_cmpeq_epi8(x, backslash)),
                         _mm_cmplt_epi8(x, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);
        if (mask) {
            p += __builtin_ctz(mask);
            /* the usual end, decided from the masks: no reload of *p */
            if ((unsigned)_mm_movemask_epi8(is_quote) & mask & (0u - mask))
                goto string_quote;
            goto string_special;
        }
        p += 16;
    }
}
#elif defined(JSONV_SWAR)
{
    const uint64_t ones = 0x0101010101010101ull;
    const uint64_t highs = 0x8080808080808080ull;
    while (end - p >= 8) {
        uint64_t x, quote, backslash;
        memcpy(&x, p, 8);
        quote = x ^ (ones * '"');
        backslash = x ^ (ones * '\\');
        /* exact for the lowest flagged byte, which is all we use */
        uint64_t special =
            (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
             ((x - ones * 0x20) & ~x) | x) &
            highs;
        if (special) {
            p += __builtin_ctzll(special) >> 3;
            goto string_special;
        }
        p += 8;
    }
}
#endif
    while (p < end && jsonv_string_plain[*p])
        p++;
    if (p == end)
        SUSPEND_STRING(ST_STRING);
string_special: /* unused in the byte-at-a-time build */
    __attribute__((unused));
    c = *p;
    if (c == '"') {
    string_quote:
        __attribute__((unused));
        p++;
        if (!v->is_key)
            goto after_value;
        if (v->capture) {
            jsonv_fields_key_append(v->fields, cap, (size_t)(p - 1 - cap));
            jsonv_fields_key_end(v->fields, depth);
            v->capture = 0;
        }
        goto colon;
    }
    if (c == '\\') {
        p++;
        goto string_escape;
    }
    if (c < 0x20)
        FAIL("unescaped control character U+%04X in a string", c);
    /* c >= 0x80: a UTF-8 lead byte (Unicode 15, table 3-7) */
    v->utf8_lead = (uint8_t)c;
    v->utf8_lo = 0x80;
    v->utf8_hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        v->utf8_need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        v->utf8_need = 2;
        if (c == 0xE0)
            v->utf8_lo = 0xA0;
        else if (c == 0xED)
            v->utf8_hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        v->utf8_need = 3;
        if (c == 0xF0)
            v->utf8_lo = 0x90;
        else if (c == 0xF4)
            v->utf8_hi = 0x8F;
    } else {
        fail_utf8_lead(v, AT(p), c);
        return -1;
    }
    p++;
utf8_continuation:
    while (v->utf8_need) {
        if (p == end)
            SUSPEND_STRING(ST_UTF8);
        c = *p;
        if (c < v->utf8_lo || c > v->utf8_hi) {
            fail_utf8(v, AT(p), c);
            return -1;
        }
        p++;
        v->line_cont++;
        v->utf8_need--;
        v->utf8_lo = 0x80;
        v->utf8_hi = 0xBF;
    }
    goto string_body;

string_escape:
    if (p == end)
        SUSPEND_STRING(ST_ESCAPE);
    c = *p;
    switch (c) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        p++;
        goto string_body;
    case 'u':
        p++;
        v->hex_count = 0;
        v->hex_value = 0;
        goto string_hex;
    default:
        FAIL("invalid escape: '\\' followed by %s", byte_name(c, reason));
    }

string_hex:
    while (v->hex_count < 4) {
        if (p == end)
            SUSPEND_STRING(ST_HEX);
        int digit = hex_digit(*p);
        if (digit < 0)
            FAIL("invalid \\u escape: %s is not a hex digit",
                 byte_name(*p, reason));
        v->hex_value = v->hex_value << 4 | (uint32_t)digit;
        v->hex_count++;
        p++;
    }
    if (v->high_surrogate) {
        if (v->hex_value < 0xDC00 || v->hex_value > 0xDFFF) {
            fail_at(v, AT(p) - 6,
                    "unpaired surrogate \\u%04X: \\u%04X is not a low "
                    "surrogate",
                    (unsigned)v->high_surrogate, (unsigned)v->hex_value);
            return -1;
        }
        v->high_surrogate = 0;
        goto string_body;
    }
    if (v->hex_value >= 0xD800 && v->hex_value <= 0xDBFF) {
        v->high_surrogate = v->hex_value;
        goto low_backslash;
    }
    if (v->hex_value >= 0xDC00 && v->hex_value <= 0xDFFF) {
        fail_at(v, AT(p) - 6, "unpaired low surrogate \\u%04X",
                (unsigned)v->hex_value);
        return -1;
    }
    goto string_body;

low_backslash:
    if (p == end)
        SUSPEND_STRING(ST_LOW_BACKSLASH);
    if (*p != '\\')
        FAIL("unpaired surrogate \\u%04X: no \\uDC00..\\uDFFF follows",
             (unsigned)v->high_surrogate);
    p++;
low_u:
    if (p == end)
        SUSPEND_STRING(ST_LOW_U);
    if (*p != 'u')
        FAIL("unpaired surrogate \\u%04X: no \\uDC00..\\uDFFF follows",
             (unsigned)v->high_surrogate);
    p++;
    v->hex_count = 0;
    v->hex_value = 0;
    goto string_hex;

    /* --- numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ---------- */
number:
    if (*p != '-')
        goto num_first_digit;
    p++;
num_minus:
    if (p == end)
        SUSPEND_NUMBER(N_MINUS);
    if (*p == 'I')
        FAIL("-Infinity is not JSON");
num_first_digit:
    c = *p;
    if (c == '0') {
        p++;
        goto num_zero;
    }
    if (c - '1' < 9u) {
        p++;
        goto num_int;
    }
    FAIL("expected a digit after '-', found %s", byte_name(c, reason));
num_zero:
    if (p == end)
        SUSPEND_NUMBER(N_ZERO);
    if (IS_DIGIT(*p))
        FAIL("leading zero in a number");
    goto num_after_int;
num_int:
    p = skip_digits(p, end);
    if (p == end)
        SUSPEND_NUMBER(N_INT);
num_after_int:
    c = *p;
    if (c == '.') {
        p++;
        goto num_dot;
    }
    if (c == 'e' || c == 'E') {
        p++;
        goto num_e;
    }
    is_integer = 1;
    goto num_end;
num_dot:
    if (p == end)
        SUSPEND_NUMBER(N_DOT);
    if (!IS_DIGIT(*p))
        FAIL("expected a digit after '.', found %s", byte_name(*p, reason));
    p++;
num_frac:
    p = skip_digits(p, end);
    if (p == end)
        SUSPEND_NUMBER(N_FRAC);
    if (*p == 'e' || *p == 'E') {
        p++;
        goto num_e;
    }
    is_integer = 0;
    goto num_end;
num_e:
    if (p == end)
        SUSPEND_NUMBER(N_E);
    if (*p == '+' || *p == '-')
        p++;
num_exp_sign:
    if (p == end)
        SUSPEND_NUMBER(N_ESIGN);
    if (!IS_DIGIT(*p))
        FAIL("expected a digit in the exponent, found %s",
             byte_name(*p, reason));
    p++;
num_exp:
    while (p < end && IS_DIGIT(*p))
        p++;
    if (p == end)
        SUSPEND_NUMBER(N_EXP);
    is_integer = 0;
num_end:
    TRACK(
        jsonv_fields_number_end(v->fields, is_integer, reason, sizeof reason));
    goto after_value;

number_resume:
    switch ((enum num_state)v->num_state) {
    case N_MINUS:
        goto num_minus;
    case N_ZERO:
        goto num_zero;
    case N_INT:
        goto num_int;
    case N_DOT:
        goto num_dot;
    case N_FRAC:
        goto num_frac;
    case N_E:
        goto num_e;
    case N_ESIGN:
        goto num_exp_sign;
    case N_EXP:
        goto num_exp;
    }
    return -1;

    /* --- true, false, null ---------------------------------------------- */
literal : {
    const char *text = literal_text[v->literal];
    unsigned len = literal_len[v->literal];
    unsigned pos = v->literal_pos;
    while (pos < len) {
        if (p == end) {
            v->literal_pos = (uint8_t)pos;
            SUSPEND(ST_LITERAL);
        }
        if (*p != (uint8_t)text[pos])
            FAIL("invalid literal: expected '%s'", text);
        p++;
        pos++;
    }
    goto after_value;
}

suspend:
    v->depth = depth;
    v->offset += (uint64_t)(end - start);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Feeding and finishing                                                    */

/* The states the walker starts from: between tokens, or in the plain
 * part of a string body.                                                */
static int walkable(uint8_t state)
{
    return state <= ST_STRING;
}

int jsonv_feed(jsonv_validator *v, const void *data, size_t len)
{
    if (v->state == ST_ERROR || v->state == ST_FINISHED)
        return -1;
    if (len == 0)
        return 0;
    const uint8_t *p = data, *end = p + len;
    if (v->opt.mode != JSONV_MODE_DOCUMENT || v->fields)
        return jsonv_scan(v, p, end);
    /* the walker while it can go on; the byte-at-a-time scanner for a
     * block where it cannot (a token it does not take, a state inside a
     * token), and for the last bytes of the chunk                      */
    while (p < end) {
        if (v->scanned_ahead) {
            size_t n = (size_t)(end - p) < v->scanned_ahead ? (size_t)(end - p)
                                                            : v->scanned_ahead;
            v->scanned_ahead -= (uint32_t)n;
            if (jsonv_scan(v, p, p + n))
                return -1;
            p += n;
            continue;
        }
        if (end - p >= JSONV_BLOCK_BYTES && walkable(v->state)) {
            const uint8_t *q = jsonv_walk(v, p, end);
            if (!q)
                return -1;
            if (q > p) {
                p = q;
                continue;
            }
        }
        const uint8_t *stop =
            end - p > JSONV_BLOCK_BYTES ? p + JSONV_BLOCK_BYTES : end;
        if (jsonv_scan(v, p, stop))
            return -1;
        p = stop;
    }
    return 0;
}

/* What the input was in the middle of when it ended. */
static const char *unfinished_part(const jsonv_validator *v)
{
    switch ((enum scan_state)v->state) {
    case ST_STRING:
    case ST_ESCAPE:
    case ST_HEX:
    case ST_LOW_BACKSLASH:
    case ST_LOW_U:
    case ST_UTF8:
        return "inside a string";
    case ST_NUMBER:
        if (v->depth == 0)
            return "inside a number";
        break;
    case ST_LITERAL:
        return "inside a literal";
    case ST_ARRAY_NEXT:
    case ST_KEY:
        return "after ','";
    case ST_COLON:
        return "after a member name";
    case ST_VALUE:
        return "after ':'";
    default:
        break;
    }
    return v->depth && stack_is_object(v, v->depth) ? "inside an object"
                                                    : "inside an array";
}

/* A number at the very end of a document is complete only at the end of
 * the input: finish it as jsonv_scan() would have on a delimiter. */
static int finish_number(jsonv_validator *v)
{
    uint8_t ns = v->num_state;
    if (v->depth != 0 ||
        !(ns == N_ZERO || ns == N_INT || ns == N_FRAC || ns == N_EXP))
        return -1;
    if (v->fields) {
        char reason[JSONV_REASON_SIZE];
        int is_integer = ns == N_ZERO || ns == N_INT;
        if (jsonv_fields_number_end(v->fields, is_integer, reason,
                                    sizeof reason) < 0 ||
            jsonv_fields_document_end(v->fields, reason, sizeof reason) < 0) {
            fail_at(v, v->offset, "%s", reason);
            return 1;
        }
    }
    v->result.documents++;
    return 0;
}

int jsonv_finish(jsonv_validator *v)
{
    if (v->state == ST_ERROR)
        return -1;
    if (v->state == ST_FINISHED)
        return v->result.verdict == JSONV_VALID ? 0 : -1;
    int done;
    switch ((enum scan_state)v->state) {
    case ST_DOC_TRAILER:
        done = 0;
        break;
    case ST_DOC_START:
        done = v->result.documents ? 0 : 1;
        break;
    case ST_NUMBER:
        done = finish_number(v);
        if (done > 0)
            return -1;
        break;
    default:
        done = -1;
        break;
    }
    if (done < 0) {
        fail_at(v, v->offset, "unexpected end of input %s", unfinished_part(v));
        return -1;
    }
    v->state = ST_FINISHED;
    v->result.verdict = done == 0 ? JSONV_VALID : JSONV_EMPTY;
    return done == 0 ? 0 : -1;
}

int jsonv_validate(const jsonv_options *opt, const void *data, size_t len,
                   jsonv_result *out)
{
    jsonv_validator *v = jsonv_new(opt);
    if (!v) {
        memset(out, 0, sizeof *out);
        out->verdict = JSONV_FAILED;
        snprintf(out->reason, sizeof out->reason, "out of memory");
        return -1;
    }
    jsonv_feed(v, data, len);
    int rc = jsonv_finish(v);
    *out = v->result;
    jsonv_free(v);
    return rc;
}

char *jsonv_describe(const jsonv_result *r, char *buf, size_t size)
{
    switch (r->verdict) {
    case JSONV_INVALID:
        snprintf(buf, size, "line %llu, column %llu (byte %llu): %s",
                 (unsigned long long)r->line, (unsigned long long)r->column,
                 (unsigned long long)r->offset, r->reason);
        break;
    case JSONV_FAILED:
        snprintf(buf, size, "%s", r->reason);
        break;
    case JSONV_EMPTY:
        snprintf(buf, size, "empty");
        break;
    case JSONV_VALID:
        snprintf(buf, size, "valid");
        break;
    default:
        snprintf(buf, size, "not finished");
        break;
    }
    return buf;
}
