/*
 * jsonv_blocks.h - the structural index of a window of input: stage 1 of
 * the validator's fast path (internal to lib/jsonv).
 *
 * A window is up to JSONV_WINDOW_BLOCKS blocks of 64 bytes, classified a
 * block at a time with the vector unit (the kernel jsonv_ws chose: SSE2,
 * SSE4.2, AVX2 or AVX-512BW, or a byte loop) into bit masks: quotes,
 * backslashes, whitespace, the six structural characters, newlines, and bytes a
 * string may not hold as they are (control characters, bytes >= 0x80, '\').
 * Quotes escaped by an odd run of backslashes are dropped and a prefix
 * XOR of the others marks the inside of strings, carried from block to
 * block (simdjson's stage 1). The index lists, in order, the offsets of:
 *   - the structural characters { } [ ] : , outside strings,
 *   - the first byte of every other run of non-whitespace outside strings
 *     (a number, a literal, or garbage),
 *   - every opening quote,
 *   - every byte inside a string that needs a closer look (a control
 *     character, a backslash, a byte >= 0x80).
 * Closing quotes are found in the masks of unescaped quotes kept per
 * block: a string is plain ASCII without escapes when no entry comes
 * before its closing quote. The window starts between tokens, or inside
 * a string body (in_string), never after a backslash.
 *
 * Memory: one jsonv_blocks per validator, a fixed 38 KB, whatever the
 * size of the input.
 */
#ifndef NBAQ_JSONV_BLOCKS_H
#define NBAQ_JSONV_BLOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "jsonv_ws.h"

#define JSONV_BLOCK_BYTES 64
#define JSONV_WINDOW_BLOCKS 256

/* An offset in a window (16 KiB). */
typedef uint16_t jsonv_offset;

typedef struct jsonv_blocks {
    uint32_t count;        /* entries in pos                         */
    uint32_t string_bytes; /* bytes in strings, quotes included      */
    size_t blocks;         /* blocks in the window                          */
    uint64_t quotes[JSONV_WINDOW_BLOCKS]; /* unescaped quotes, per block */
    /* newline masks of each block, outside strings (line tracking)     */
    uint64_t newlines[JSONV_WINDOW_BLOCKS];
    uint32_t lines[JSONV_WINDOW_BLOCKS + 1]; /* newlines before block b */
    /* offsets from the window's start; spare slots for the writes of
     * whole groups of 8 or 32                                           */
    jsonv_offset pos[JSONV_WINDOW_BLOCKS * JSONV_BLOCK_BYTES + 32];
} jsonv_blocks;

/* Indexes the `blocks` (1..JSONV_WINDOW_BLOCKS) blocks at base into out. */
typedef void (*jsonv_blocks_fn)(const uint8_t *base, size_t blocks,
                                int in_string, jsonv_blocks *out);

/* The indexing kernel of the same vector width as a whitespace kernel. */
jsonv_blocks_fn jsonv_blocks_kernel(jsonv_ws_kernel kernel);

#endif
