/*
 * jsonv_walk.c - stage 2 of the fast path: the grammar, walked over the
 * structural index of a window (jsonv_blocks.h) instead of over every
 * byte.
 *
 * The walker only accepts; it never writes an error. It takes the plain
 * cases (ASCII strings without escapes, numbers and literals that end
 * inside the window, the structure) and hands everything else to the
 * byte-at-a-time scanner, whose states it shares: before a token it
 * cannot take, it writes its state, depth, offset and line into the
 * validator and returns, and jsonv_scan() goes on from there exactly as
 * if a chunk had ended at that byte (it also writes every message). A
 * string with escapes or non-ASCII bytes is given to jsonv_scan() alone,
 * up to the closing quote the index found, and the walk goes on after
 * it. Lines are counted only when the state is handed over, from the
 * newline masks of the blocks passed since the last hand-over.
 */
#include "jsonv_internal.h"

#include <stdlib.h>
#include <string.h>

/* The longest run of text given to the scanner before the next try,
 * and the blocks of that try (a short window: text costs the walker).  */
#define JSONV_SCAN_AHEAD_MAX (1024u * 1024)
#define JSONV_PROBE_BLOCKS 16

/* Bytes that may follow a number or a literal. */
static const uint8_t ends_value[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1,
    [','] = 1,  [']'] = 1,  ['}'] = 1,
};

/* The walk of one window. */
typedef struct walk {
    jsonv_validator *v;
    const uint8_t *base;   /* first byte of the window               */
    uint64_t base_offset;  /* its offset in the input                */
    const uint8_t *synced; /* v->line is exact up to here            */
    const jsonv_blocks *ix;
} walk;

/* Newlines of the window before byte `at`. */
static uint64_t lines_before(const jsonv_blocks *ix, size_t at)
{
    size_t b = at / 64;
    if (at % 64 == 0) /* also the end of the window */
        return ix->lines[b];
    uint64_t below = ix->newlines[b] & ((1ull << (at % 64)) - 1);
    return ix->lines[b] + (uint64_t)__builtin_popcountll(below);
}

/* Counts the newlines of [w->synced, to) into v's line and line start:
 * from the running counts of the blocks, then, if there are any, back
 * from `to` to the last one.                                            */
static void sync_lines(walk *w, const uint8_t *to)
{
    size_t from = (size_t)(w->synced - w->base);
    size_t upto = (size_t)(to - w->base);
    w->synced = to;
    if (from >= upto)
        return;
    const jsonv_blocks *ix = w->ix;
    uint64_t count = lines_before(ix, upto) - lines_before(ix, from);
    if (!count)
        return;
    size_t b = (upto - 1) / 64;
    uint64_t nl = ix->newlines[b];
    if (upto % 64)
        nl &= (1ull << (upto % 64)) - 1;
    while (!nl)
        nl = ix->newlines[--b];
    jsonv_validator *v = w->v;
    v->line += count;
    v->line_start = w->base_offset + b * 64 + 64 - (size_t)__builtin_clzll(nl);
    v->line_cont = 0;
}

/* The closing quote of the string whose body starts at `from`, or the
 * end of the window when it closes past it.                             */
static const uint8_t *closing_quote(const jsonv_blocks *ix, const uint8_t *base,
                                    const uint8_t *from)
{
    size_t at = (size_t)(from - base), b = at / 64;
    if (b >= ix->blocks)
        return base + ix->blocks * 64;
    uint64_t quotes = ix->quotes[b] & (~0ull << (at % 64));
    while (!quotes) {
        if (++b == ix->blocks)
            return base + b * 64;
        quotes = ix->quotes[b];
    }
    return base + b * 64 + (size_t)__builtin_ctzll(quotes);
}

/* Makes v exact at `at` in `state` (jsonv_scan() resumes there). */
static void hand_over(walk *w, const uint8_t *at, unsigned state,
                      uint64_t depth)
{
    jsonv_validator *v = w->v;
    sync_lines(w, at);
    v->state = (uint8_t)state;
    v->depth = depth;
    v->offset = w->base_offset + (uint64_t)(at - w->base);
}

/* The end of a number starting at p, when it is one and a byte that may
 * follow a value comes before `end`; else NULL.                         */
static const uint8_t *number_end(const uint8_t *p, const uint8_t *end)
{
    if (*p == '-')
        p++;
    if (p >= end)
        return NULL;
    if (*p == '0')
        p++;
    else if ((unsigned)*p - '1' < 9u)
        p = skip_digits(p + 1, end);
    else
        return NULL;
    if (p < end && *p == '.') {
        p++;
        if (p >= end || !IS_DIGIT(*p))
            return NULL;
        p = skip_digits(p + 1, end);
    }
    if (p < end && (*p | 0x20) == 'e') {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !IS_DIGIT(*p))
            return NULL;
        p = skip_digits(p + 1, end);
    }
    return p < end && ends_value[*p] ? p : NULL;
}

/* Likewise for true, false and null. */
static const uint8_t *literal_end(const uint8_t *p, const uint8_t *end)
{
    /* the last four bytes of each, compared as one word */
    static const char *const tails[] = {"true", "alse", "null"};
    size_t len = *p == 'f' ? 5 : 4;
    const char *tail = tails[*p == 't' ? 0 : *p == 'f' ? 1 : 2];
    uint32_t got, want;
    if ((size_t)(end - p) <= len)
        return NULL;
    memcpy(&got, p + len - 4, 4);
    memcpy(&want, tail, 4);
    return got == want && ends_value[p[len]] ? p + len : NULL;
}

/* Room for one more open container without the slow path's checks. */
static inline uint64_t depth_room(const jsonv_validator *v)
{
    uint64_t words = (uint64_t)v->stack_words * 64;
    return v->opt.max_depth && v->opt.max_depth < words ? v->opt.max_depth
                                                        : words;
}

#define PUSH(is_object)                                                        \
    do {                                                                       \
        if (UNLIKELY(depth >= room))                                           \
            goto hand_over_token;                                              \
        stack_set(v, depth, (is_object));                                      \
        depth++;                                                               \
        in_obj = (is_object);                                                  \
    } while (0)

/* The next token, or the end of the window in `st`. */
#define NEXT_TOKEN(st)                                                         \
    do {                                                                       \
        state = (st);                                                          \
        if (UNLIKELY(at == last))                                              \
            goto window_end;                                                   \
        t = base + *at++;                                                      \
    } while (0)

static const uint8_t *walk_window(jsonv_validator *v, const uint8_t *base,
                                  const uint8_t *wend)
{
    walk w = {v, base, v->offset, base, v->blocks};
    const jsonv_offset *at = v->blocks->pos;
    const jsonv_offset *const last = at + v->blocks->count;
    const uint64_t room = depth_room(v);
    uint64_t depth = v->depth;
    int in_obj = depth ? stack_is_object(v, depth) : 0;
    int is_key = v->is_key;
    unsigned state = v->state;
    const uint8_t *t = base;
    const uint8_t *q;

    switch ((enum scan_state)state) {
        JSONV_RESUME_CASES;
    default:
        return base;
    }

doc_start:
    NEXT_TOKEN(ST_DOC_START);
    goto value_dispatch;
value:
    NEXT_TOKEN(ST_VALUE);
    goto value_dispatch;
array_first:
    NEXT_TOKEN(ST_ARRAY_FIRST);
    if (*t == ']') {
        POP();
        goto after_value;
    }
    goto value_dispatch;
array_next:
    NEXT_TOKEN(ST_ARRAY_NEXT);
value_dispatch:
    switch (*t) {
    case '"':
        is_key = 0;
        goto string_body;
    case '{':
        PUSH(1);
        goto object_first;
    case '[':
        PUSH(0);
        goto array_first;
    JSONV_CASES_NUMBER_START:
        if (!number_end(t, wend))
            goto hand_over_token;
        goto after_value;
    case 't':
    case 'f':
    case 'n':
        if (!literal_end(t, wend))
            goto hand_over_token;
        goto after_value;
    default:
        goto hand_over_token;
    }

after_value:
    if (depth == 0) {
        v->result.documents++;
        goto doc_trailer;
    }
after_value_ws:
    NEXT_TOKEN(ST_AFTER_VALUE);
    if (*t == ',') {
        if (in_obj)
            goto key;
        goto array_next;
    }
    if (*t == (in_obj ? '}' : ']')) {
        POP();
        goto after_value;
    }
    goto hand_over_token;

object_first:
    NEXT_TOKEN(ST_OBJECT_FIRST);
    if (*t == '}') {
        POP();
        goto after_value;
    }
    goto key_dispatch;
key:
    NEXT_TOKEN(ST_KEY);
key_dispatch:
    if (*t != '"')
        goto hand_over_token;
    is_key = 1;
    goto string_body;

colon:
    NEXT_TOKEN(ST_COLON);
    if (*t != ':')
        goto hand_over_token;
    goto value;

doc_trailer:
    NEXT_TOKEN(ST_DOC_TRAILER);
    goto hand_over_token;

    /* t: the opening quote, or the window's start inside a string. A
     * plain string holds no entry: the next one is the token after it,
     * whose first byte is one a plain string may hold (no string holds
     * an entry that is, see jsonv_blocks.h; '"' is not, but a string
     * after a string is an error anyway). The closing quote is only
     * looked for when that is not so.                                  */
string_body:
    if (LIKELY(at != last)) {
        unsigned next = base[*at];
        /* the usual next tokens, taken at once */
        if (is_key) {
            if (LIKELY(next == ':')) {
                at++;
                goto value;
            }
        } else if (next == ',' && depth) {
            at++;
            if (in_obj)
                goto key;
            goto array_next;
        }
        if (jsonv_string_plain[next]) {
            if (is_key)
                goto colon;
            goto after_value;
        }
    }
    q = closing_quote(v->blocks, base, state == ST_STRING ? t : t + 1);
    if (at == last || base + *at > q) { /* plain, and the window ends */
        if (q == wend) {
            v->is_key = (uint8_t)is_key;
            state = ST_STRING;
            goto window_end;
        }
        if (is_key)
            goto colon;
        goto after_value;
    }
    /* An escape or a byte that is not ASCII: jsonv_scan() takes the
     * string from there to its closing quote (not included), and the walk
     * goes on after the quote.                                           */
    hand_over(&w, base + *at, ST_STRING, depth);
    v->is_key = (uint8_t)is_key;
    if (jsonv_scan(v, base + *at, q))
        return NULL;
    w.synced = q;
    while (at < last && base + *at < q)
        at++;
    if (q == wend || v->state != ST_STRING)
        return q; /* v is exact there */
    if (is_key)
        goto colon;
    goto after_value;

hand_over_token:
    hand_over(&w, t, state, depth);
    return t;

window_end:
    hand_over(&w, wend, state, depth);
    return wend;
}

const uint8_t *jsonv_walk(jsonv_validator *v, const uint8_t *p,
                          const uint8_t *end)
{
    size_t blocks = (size_t)(end - p) / JSONV_BLOCK_BYTES;
    size_t most = v->scan_ahead ? JSONV_PROBE_BLOCKS : JSONV_WINDOW_BLOCKS;
    if (blocks > most)
        blocks = most;
    if (!v->blocks) {
        v->blocks = malloc(sizeof *v->blocks);
        if (!v->blocks)
            return p; /* the byte-at-a-time scanner needs no more memory */
    }
    v->blocks_fn(p, blocks, v->state == ST_STRING, v->blocks);
    if (v->blocks->string_bytes * 10 > blocks * JSONV_BLOCK_BYTES * 9) {
        /* over 90% strings: the scanner's string loop is faster */
        v->scan_ahead = v->scan_ahead ? v->scan_ahead * 2 : 16 * 1024;
        if (v->scan_ahead > JSONV_SCAN_AHEAD_MAX)
            v->scan_ahead = JSONV_SCAN_AHEAD_MAX;
        v->scanned_ahead = v->scan_ahead;
    } else {
        v->scan_ahead = 0;
    }
    return walk_window(v, p, p + blocks * JSONV_BLOCK_BYTES);
}
