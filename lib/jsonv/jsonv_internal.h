/*
 * jsonv_internal.h - what the two scanners of lib/jsonv share: the
 * validator's state, the byte-at-a-time scanner (jsonv.c) and the
 * structural walker (jsonv_walk.c) that hands tokens it does not take
 * to it. Internal to lib/jsonv.
 */
#ifndef NBAQ_JSONV_INTERNAL_H
#define NBAQ_JSONV_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "jsonv.h"
#include "jsonv_blocks.h"
#include "jsonv_fields.h"
#include "jsonv_ws.h"

/* -DJSONV_PORTABLE: a byte at a time; -DJSONV_NO_SSE2: 8 bytes at a time
 * even where SSE2 exists (both are built by the tests).                  */
#if !defined(JSONV_PORTABLE) && !defined(JSONV_NO_SSE2) && defined(__SSE2__)
#include <emmintrin.h>
#define JSONV_SSE2 1
#elif !defined(JSONV_PORTABLE) && defined(__BYTE_ORDER__) &&                   \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
#define JSONV_SWAR 1
#endif

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Where jsonv_scan() and the walker resume. */
enum scan_state {
    ST_DOC_START,     /* before a document (LINES: at a line start)       */
    ST_VALUE,         /* after ':' or before the root value               */
    ST_ARRAY_FIRST,   /* after '['                                         */
    ST_ARRAY_NEXT,    /* after ',' in an array                            */
    ST_OBJECT_FIRST,  /* after '{'                                         */
    ST_KEY,           /* after ',' in an object                           */
    ST_COLON,         /* after a member name                              */
    ST_AFTER_VALUE,   /* after a value inside a container                 */
    ST_DOC_TRAILER,   /* after the document: whitespace only              */
    ST_STRING,        /* inside a string body                             */
    ST_ESCAPE,        /* after '\'                                         */
    ST_HEX,           /* inside \uXXXX                                     */
    ST_LOW_BACKSLASH, /* after a high surrogate escape: want '\'          */
    ST_LOW_U,         /* ... then 'u'                                      */
    ST_UTF8,          /* inside a multi-byte UTF-8 sequence               */
    ST_NUMBER,        /* inside a number, at num_state                    */
    ST_LITERAL,       /* inside true/false/null                            */
    ST_FINISHED,      /* jsonv_finish() gave the verdict                  */
    ST_ERROR          /* INVALID or FAILED                                 */
};

/* Where a number resumes. */
enum num_state {
    N_MINUS, /* after '-'                                                  */
    N_ZERO,  /* after a leading 0                                         */
    N_INT,   /* in the integer digits                                     */
    N_DOT,   /* after '.'                                                  */
    N_FRAC,  /* in the fraction digits                                    */
    N_E,     /* after 'e'                                                  */
    N_ESIGN, /* after the exponent's sign                                 */
    N_EXP    /* in the exponent digits                                    */
};

struct jsonv_validator {
    jsonv_options opt;
    jsonv_result result;
    uint8_t state;       /* enum scan_state                             */
    uint8_t num_state;   /* enum num_state                              */
    uint8_t is_key;      /* the string being scanned is a member name   */
    uint8_t capture;     /* its raw bytes go to the fields module       */
    uint8_t literal;     /* index into literal_text                     */
    uint8_t literal_pos; /* characters of it matched                    */
    uint8_t hex_count;   /* hex digits of \uXXXX read                   */
    uint8_t utf8_need;   /* continuation bytes still expected           */
    uint8_t utf8_lead;   /* lead byte of the sequence, for messages     */
    uint8_t utf8_lo;     /* range of the next continuation byte         */
    uint8_t utf8_hi;
    uint32_t hex_value;      /* code unit being read                      */
    uint32_t high_surrogate; /* waiting for its low half; 0: none         */
    uint64_t depth;          /* open containers                           */
    uint64_t *stack;         /* bit d: container at depth d+1 is an object */
    size_t stack_words;
    uint64_t offset;     /* bytes consumed before the current chunk      */
    uint64_t line;       /* current line, from 1                         */
    uint64_t line_start; /* offset of its first byte                     */
    uint64_t line_cont;  /* UTF-8 continuation bytes on it so far        */
    jsonv_fields *fields;
    uint64_t fields_depth; /* hooks are called up to this depth          */
    jsonv_ws_skip_fn ws_skip;
    /* The structural index of the window being walked (jsonv_walk.c):
     * allocated on the first feed that can use it, fixed size.         */
    jsonv_blocks_fn blocks_fn;
    jsonv_blocks *blocks;
    /* Text (long strings) goes faster byte by byte: after a window of
     * mostly strings, this many bytes go to the scanner before the
     * walker tries again (doubled while that goes on).                 */
    uint32_t scan_ahead;
    uint32_t scanned_ahead; /* of those, still to scan                  */
};

#define IS_DIGIT(ch) ((unsigned)(ch) - '0' < 10u)

/* The first byte at or after p that is not a digit, or end. Numbers in
 * real data are runs of 5 to 20 digits: one vector compare covers most. */
static inline __attribute__((always_inline)) const uint8_t *
skip_digits(const uint8_t *p, const uint8_t *end)
{
#if defined(JSONV_SSE2)
    const __m128i below = _mm_set1_epi8('0' - 1);
    const __m128i above = _mm_set1_epi8('9' + 1);
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i digit =
            _mm_and_si128(_mm_cmpgt_epi8(x, below), _mm_cmplt_epi8(x, above));
        unsigned other = ~(unsigned)_mm_movemask_epi8(digit) & 0xFFFFu;
        if (other)
            return p + __builtin_ctz(other);
        p += 16;
    }
#elif defined(JSONV_SWAR)
    const uint64_t ones = 0x0101010101010101ull;
    while (end - p >= 8) {
        uint64_t x;
        memcpy(&x, p, 8);
        uint64_t t = x ^ (ones * '0'); /* digits become 0..9 */
        /* high bit set where t > 9; no carry crosses a byte */
        uint64_t other =
            (((t & (ones * 0x7F)) + ones * 0x76) | t) & (ones * 0x80);
        if (other)
            return p + (__builtin_ctzll(other) >> 3);
        p += 8;
    }
#endif
    while (p < end && IS_DIGIT(*p))
        p++;
    return p;
}

/* The cases of a switch on a scan_state that both scanners resume at
 * (between tokens, or in a string body): each jumps to the label of the
 * same name in jsonv_scan() and in the walker.                           */
#define JSONV_RESUME_CASES                                                     \
    case ST_DOC_START:                                                         \
        goto doc_start;                                                        \
    case ST_VALUE:                                                             \
        goto value;                                                            \
    case ST_ARRAY_FIRST:                                                       \
        goto array_first;                                                      \
    case ST_ARRAY_NEXT:                                                        \
        goto array_next;                                                       \
    case ST_OBJECT_FIRST:                                                      \
        goto object_first;                                                     \
    case ST_KEY:                                                               \
        goto key;                                                              \
    case ST_COLON:                                                             \
        goto colon;                                                            \
    case ST_AFTER_VALUE:                                                       \
        goto after_value_ws;                                                   \
    case ST_DOC_TRAILER:                                                       \
        goto doc_trailer;                                                      \
    case ST_STRING:                                                            \
        goto string_body

/* The case labels of the bytes a number starts with. */
#define JSONV_CASES_NUMBER_START                                               \
    case '-':                                                                  \
    case '0':                                                                  \
    case '1':                                                                  \
    case '2':                                                                  \
    case '3':                                                                  \
    case '4':                                                                  \
    case '5':                                                                  \
    case '6':                                                                  \
    case '7':                                                                  \
    case '8':                                                                  \
    case '9'

/* Is the container at depth `depth` (>= 1) an object? */
static inline int stack_is_object(const jsonv_validator *v, uint64_t depth)
{
    uint64_t d = depth - 1;
    return (int)((v->stack[d >> 6] >> (d & 63)) & 1);
}

/* Marks the container opened at depth `depth` (before the push) as an
 * object or an array; the stack has room for it.                        */
static inline void stack_set(jsonv_validator *v, uint64_t depth, int is_object)
{
    uint64_t bit = 1ull << (depth & 63);
    if (is_object)
        v->stack[depth >> 6] |= bit;
    else
        v->stack[depth >> 6] &= ~bit;
}

/* Closes the innermost container (locals `depth` and `in_obj`). */
#define POP()                                                                  \
    do {                                                                       \
        depth--;                                                               \
        in_obj = depth ? stack_is_object(v, depth) : 0;                        \
    } while (0)

/* 1 for bytes that may stand in a string body as they are: 0x20..0x7F
 * but '"' and '\\' (jsonv.c).                                            */
extern const uint8_t jsonv_string_plain[256];

/* Scans [start, end) as the next chunk, byte by byte (jsonv.c). 0, or -1
 * once the input is invalid (v->result says why).                       */
int jsonv_scan(jsonv_validator *v, const uint8_t *start, const uint8_t *end);

/* Walks [p, end) with the structural index while the input is plain
 * (jsonv_walk.c): returns where it stopped, with v's state, depth,
 * offset and line exact there (p when it could not start), or NULL when
 * a token it handed to jsonv_scan() was invalid.                        */
const uint8_t *jsonv_walk(jsonv_validator *v, const uint8_t *p,
                          const uint8_t *end);

#endif
