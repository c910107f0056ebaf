/*
 * jsonv_blocks.c - stage 1: the structural index of a window (see
 * jsonv_blocks.h).
 *
 * Each kernel only classifies the bytes of a block into masks; what
 * follows (escapes, string regions, token starts, writing the offsets)
 * is the same inline code for all, compiled once per target so that the
 * AVX2 and AVX-512 kernels run it with their own instructions.
 */
#include "jsonv_blocks.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* The bytes of one block, by class: bit i is byte i. */
typedef struct block_masks {
    uint64_t quote;
    uint64_t backslash;
    uint64_t blank;   /* space, tab, CR, LF                              */
    uint64_t op;      /* { } [ ] : ,                                     */
    uint64_t newline; /* LF                                              */
    uint64_t special; /* '\\', < 0x20 or >= 0x80: a string's bytes to check */
} block_masks;

/* What one block tells the next, and the window's running totals (kept
 * in registers, written to the index at the end).                       */
typedef struct lexer_carry {
    uint64_t in_string; /* all ones when the block starts in a string   */
    uint64_t escaped;   /* 1 when its first byte is escaped             */
    uint64_t scalar;    /* 1 when the byte before it is in a token      */
    uint32_t entries;
    uint32_t lines;
    uint32_t string_bytes;
} lexer_carry;

/* Bits that an odd run of backslashes escapes (simdjson's
 * find_escaped_branchless): runs are told apart by the parity of the
 * position they start at, with one addition for the carries.           */
static ALWAYS_INLINE uint64_t escaped_bits(uint64_t backslash, uint64_t *carry)
{
    const uint64_t even_bits = 0x5555555555555555ull;
    if (!(backslash | *carry))
        return 0;
    backslash &= ~*carry;
    uint64_t follows_escape = backslash << 1 | *carry;
    uint64_t odd_starts = backslash & ~even_bits & ~follows_escape;
    uint64_t even_series;
    *carry = __builtin_add_overflow(odd_starts, backslash, &even_series);
    uint64_t invert = even_series << 1;
    return (even_bits ^ invert) & follows_escape;
}

/* Bit i set when an odd number of bits 0..i of x are set. */
static ALWAYS_INLINE uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* Appends the offsets of the set bits of `bits` (block at `offset`) at
 * dst, eight at a time so that the loop runs a predictable number of
 * times; the writes past the last bit land in the spare slots. ctz(x):
 * the trailing zeros of x, any value for 0. Returns how many.          */
static ALWAYS_INLINE uint32_t write_offsets(uint64_t bits, uint32_t offset,
                                            jsonv_offset *dst,
                                            uint32_t (*ctz)(uint64_t))
{
    if (!bits) /* inside a long string, or indentation */
        return 0;
    uint32_t count = (uint32_t)__builtin_popcountll(bits);
    do {
#pragma GCC unroll 8
        for (int i = 0; i < 8; i++) {
            dst[i] = (jsonv_offset)(offset + ctz(bits));
            bits &= bits - 1;
        }
        dst += 8;
    } while (bits);
    return count;
}

static ALWAYS_INLINE uint32_t ctz_any(uint64_t x)
{
    return (uint32_t)__builtin_ctzll(x | 1ull << 63);
}

static ALWAYS_INLINE uint32_t write_offsets_any(uint64_t bits, uint32_t offset,
                                                jsonv_offset *dst)
{
    return write_offsets(bits, offset, dst, ctz_any);
}

static ALWAYS_INLINE void
index_block(const block_masks *m, size_t block, lexer_carry *carry,
            jsonv_blocks *out, uint64_t (*prefix)(uint64_t),
            uint32_t (*write)(uint64_t, uint32_t, jsonv_offset *))
{
    uint64_t quote = m->quote & ~escaped_bits(m->backslash, &carry->escaped);
    /* from each opening quote up to its closing quote, which is out */
    uint64_t inside = prefix(quote) ^ carry->in_string;
    carry->in_string = (uint64_t)((int64_t)inside >> 63);
    uint64_t string = inside | quote;
    uint64_t scalar = ~(string | m->blank | m->op);
    uint64_t starts = scalar & ~(scalar << 1 | carry->scalar);
    carry->scalar = scalar >> 63;
    uint64_t look = inside & m->special;
    uint64_t newlines = m->newline & ~string;
    out->quotes[block] = quote;
    out->newlines[block] = newlines;
    out->lines[block] = carry->lines;
    carry->lines += (uint32_t)__builtin_popcountll(newlines);
    carry->string_bytes += (uint32_t)__builtin_popcountll(string);
    carry->entries +=
        write((m->op & ~string) | starts | (quote & inside) | look,
              (uint32_t)(block * JSONV_BLOCK_BYTES), out->pos + carry->entries);
}

/* The loop of every kernel: classify(p) gives the masks of the block at
 * p, prefix(x) the prefix XOR, write() appends the offsets of a mask.  */
#define INDEX_BLOCKS(classify, prefix, write)                                  \
    do {                                                                       \
        lexer_carry carry = {in_string ? ~0ull : 0, 0, 0, 0, 0, 0};            \
        for (size_t b = 0; b < blocks; b++) {                                  \
            block_masks m = classify(base + b * JSONV_BLOCK_BYTES);            \
            index_block(&m, b, &carry, out, prefix, write);                    \
        }                                                                      \
        out->blocks = blocks;                                                  \
        out->count = carry.entries;                                            \
        out->lines[blocks] = carry.lines;                                      \
        out->string_bytes = carry.string_bytes;                                \
    } while (0)

static block_masks classify_scalar(const uint8_t *p)
{
    block_masks masks = {0}, *m = &masks;
    for (unsigned i = 0; i < JSONV_BLOCK_BYTES; i++) {
        uint64_t bit = 1ull << i;
        uint8_t c = p[i];
        switch (c) {
        case '"':
            m->quote |= bit;
            break;
        case '\\':
            m->backslash |= bit;
            m->special |= bit;
            break;
        case '\n':
            m->newline |= bit;
            m->special |= bit;
            m->blank |= bit;
            break;
        case '\t':
        case '\r':
            m->special |= bit;
            m->blank |= bit;
            break;
        case ' ':
            m->blank |= bit;
            break;
        case '{':
        case '}':
        case '[':
        case ']':
        case ':':
        case ',':
            m->op |= bit;
            break;
        default:
            if (c < 0x20 || c >= 0x80)
                m->special |= bit;
            break;
        }
    }
    return masks;
}

static void index_scalar(const uint8_t *base, size_t blocks, int in_string,
                         jsonv_blocks *out)
{
    INDEX_BLOCKS(classify_scalar, prefix_xor, write_offsets_any);
}

#if defined(JSONV_HAVE_SSE2)
/* The masks of 16 bytes, shifted to their place in the block. */
static ALWAYS_INLINE void classify_sse2_16(const uint8_t *p, unsigned shift,
                                           block_masks *m)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i newline = _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'));
    __m128i blank = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))),
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\r')), newline));
    /* '[' and ']' are '{' and '}' without bit 0x20 */
    __m128i folded = _mm_or_si128(x, _mm_set1_epi8(0x20));
    __m128i op =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')),
                                  _mm_cmpeq_epi8(folded, _mm_set1_epi8('}'))),
                     _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(':')),
                                  _mm_cmpeq_epi8(x, _mm_set1_epi8(','))));
    __m128i backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
    /* signed compare: bytes < 0x20 and bytes >= 0x80 alike */
    __m128i special =
        _mm_or_si128(backslash, _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
#define MASK16(v) ((uint64_t)(unsigned)_mm_movemask_epi8(v) << shift)
    m->quote |= MASK16(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
    m->backslash |= MASK16(backslash);
    m->blank |= MASK16(blank);
    m->op |= MASK16(op);
    m->newline |= MASK16(newline);
    m->special |= MASK16(special);
#undef MASK16
}

static ALWAYS_INLINE block_masks classify_sse2(const uint8_t *p)
{
    block_masks m = {0};
#pragma GCC unroll 4 /* constant shifts: a shift by %cl costs 3 uops */
    for (unsigned i = 0; i < 4; i++)
        classify_sse2_16(p + 16 * i, 16 * i, &m);
    return m;
}

static void index_sse2(const uint8_t *base, size_t blocks, int in_string,
                       jsonv_blocks *out)
{
    INDEX_BLOCKS(classify_sse2, prefix_xor, write_offsets_any);
}
#endif

#if defined(JSONV_HAVE_WIDE)
/* The prefix XOR as a carry-less multiplication by all ones. */
TARGET_SSE42 static ALWAYS_INLINE uint64_t prefix_xor_clmul(uint64_t x)
{
    __m128i all_ones = _mm_set1_epi8((char)0xFF);
    __m128i r =
        _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), all_ones, 0);
    return (uint64_t)_mm_cvtsi128_si64(r);
}

/* BMI's count, 64 for 0. */
TARGET_AVX2 static ALWAYS_INLINE uint32_t tzcnt(uint64_t x)
{
    return (uint32_t)_tzcnt_u64(x);
}

TARGET_AVX2 static ALWAYS_INLINE uint32_t write_offsets_bmi(uint64_t bits,
                                                            uint32_t offset,
                                                            jsonv_offset *dst)
{
    return write_offsets(bits, offset, dst, tzcnt);
}

/* AVX-512 VBMI2 packs the byte numbers of the set bits in one compress;
 * they are widened and written 32 at a time.                           */
TARGET_AVX512 static ALWAYS_INLINE uint32_t
write_offsets_vbmi2(uint64_t bits, uint32_t offset, jsonv_offset *dst)
{
    if (!bits)
        return 0;
    const __m512i byte_numbers = _mm512_set_epi8(
        63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46,
        45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28,
        27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10,
        9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    uint32_t count = (uint32_t)__builtin_popcountll(bits);
    __m512i packed = _mm512_maskz_compress_epi8(bits, byte_numbers);
    __m512i base = _mm512_set1_epi16((short)offset);
    _mm512_storeu_si512(
        dst, _mm512_add_epi16(
                 base, _mm512_cvtepu8_epi16(_mm512_castsi512_si256(packed))));
    if (count > 32)
        _mm512_storeu_si512(
            dst + 32,
            _mm512_add_epi16(base, _mm512_cvtepu8_epi16(
                                       _mm512_extracti64x4_epi64(packed, 1))));
    return count;
}

/* simdjson's classification: a byte is whitespace when the table entry
 * of its low nibble is itself, and '{' '}' ':' ',' likewise after the
 * bit 0x20 is set ('[' and ']' become '{' and '}'). Bytes >= 0x80 look
 * up 0 and match nothing. The tables of 16 entries: */
#define BLANK_TABLE                                                            \
    ' ', 100, 100, 100, 17, 100, 113, 2, 100, '\t', '\n', 112, 100, '\r', 100, \
        100
#define OP_TABLE 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ':', '{', ',', '}', 0, 0

/* The masks of the vector x by those tables, with the instructions of
 * prefix mm (_mm: SSSE3, 16 bytes; _mm256: AVX2, 32 bytes) on vectors of
 * type suffix si; movemask(v) turns a vector of bytes into bits.        */
#define CLASSIFY_BY_TABLES(mm, si, x, blank_table, op_table, movemask)         \
    ((block_masks){                                                            \
        movemask(mm##_cmpeq_epi8(x, mm##_set1_epi8('"'))),                     \
        movemask(mm##_cmpeq_epi8(x, mm##_set1_epi8('\\'))),                    \
        movemask(mm##_cmpeq_epi8(mm##_shuffle_epi8(blank_table, x), x)),       \
        movemask(mm##_cmpeq_epi8(mm##_shuffle_epi8(op_table, x),               \
                                 mm##_or_##si(x, mm##_set1_epi8(0x20)))),      \
        movemask(mm##_cmpeq_epi8(x, mm##_set1_epi8('\n'))),                    \
        movemask(mm##_or_##si(mm##_cmpeq_epi8(x, mm##_set1_epi8('\\')),        \
                              mm##_cmpgt_epi8(mm##_set1_epi8(0x20), x)))})

#define MOVEMASK32(v) ((uint64_t)(uint32_t)_mm256_movemask_epi8(v))
#define MOVEMASK16(v) ((uint64_t)(unsigned)_mm_movemask_epi8(v))

TARGET_AVX2 static ALWAYS_INLINE block_masks classify_avx2_32(const uint8_t *p)
{
    const __m256i blank_table = _mm256_setr_epi8(BLANK_TABLE, BLANK_TABLE);
    const __m256i op_table = _mm256_setr_epi8(OP_TABLE, OP_TABLE);
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
    return CLASSIFY_BY_TABLES(_mm256, si256, x, blank_table, op_table,
                              MOVEMASK32);
}

/* Adds the masks of a part of a block, which starts at byte `shift`.   */
static ALWAYS_INLINE void add_masks(block_masks *m, block_masks part,
                                    unsigned shift)
{
    m->quote |= part.quote << shift;
    m->backslash |= part.backslash << shift;
    m->blank |= part.blank << shift;
    m->op |= part.op << shift;
    m->newline |= part.newline << shift;
    m->special |= part.special << shift;
}

TARGET_AVX2 static ALWAYS_INLINE block_masks classify_avx2(const uint8_t *p)
{
    block_masks m = classify_avx2_32(p);
    add_masks(&m, classify_avx2_32(p + 32), 32);
    return m;
}

TARGET_AVX2 static void index_avx2(const uint8_t *base, size_t blocks,
                                   int in_string, jsonv_blocks *out)
{
    INDEX_BLOCKS(classify_avx2, prefix_xor_clmul, write_offsets_bmi);
}

/* The same tables as classify_avx2_32(), 16 bytes at a time. */
TARGET_SSE42 static ALWAYS_INLINE block_masks
classify_sse42_16(const uint8_t *p)
{
    const __m128i blank_table = _mm_setr_epi8(BLANK_TABLE);
    const __m128i op_table = _mm_setr_epi8(OP_TABLE);
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    return CLASSIFY_BY_TABLES(_mm, si128, x, blank_table, op_table, MOVEMASK16);
}

TARGET_SSE42 static ALWAYS_INLINE block_masks classify_sse42(const uint8_t *p)
{
    block_masks m = {0};
#pragma GCC unroll 4 /* as classify_sse2() */
    for (unsigned i = 0; i < 4; i++)
        add_masks(&m, classify_sse42_16(p + 16 * i), 16 * i);
    return m;
}

TARGET_SSE42 static void index_sse42(const uint8_t *base, size_t blocks,
                                     int in_string, jsonv_blocks *out)
{
    INDEX_BLOCKS(classify_sse42, prefix_xor_clmul, write_offsets_any);
}

/* The same tables as classify_avx2_32(), in each 16-byte lane. */
TARGET_AVX512 static ALWAYS_INLINE block_masks classify_avx512(const uint8_t *p)
{
    const __m512i blank_table =
        _mm512_broadcast_i32x4(_mm_setr_epi8(BLANK_TABLE));
    const __m512i op_table = _mm512_broadcast_i32x4(_mm_setr_epi8(OP_TABLE));
    __m512i x = _mm512_loadu_si512((const void *)p);
    block_masks m;
    m.quote = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"'));
    m.backslash = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\\'));
    m.newline = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
    m.blank = _mm512_cmpeq_epi8_mask(_mm512_shuffle_epi8(blank_table, x), x);
    m.op = _mm512_cmpeq_epi8_mask(_mm512_shuffle_epi8(op_table, x),
                                  _mm512_or_si512(x, _mm512_set1_epi8(0x20)));
    m.special = _mm512_cmplt_epi8_mask(x, _mm512_set1_epi8(0x20)) | m.backslash;
    return m;
}

TARGET_AVX512 static void index_avx512(const uint8_t *base, size_t blocks,
                                       int in_string, jsonv_blocks *out)
{
    INDEX_BLOCKS(classify_avx512, prefix_xor_clmul, write_offsets_vbmi2);
}
#endif

jsonv_blocks_fn jsonv_blocks_kernel(jsonv_ws_kernel kernel)
{
    switch (kernel) {
#if defined(JSONV_HAVE_SSE2)
    case JSONV_WS_SSE2:
        return index_sse2;
#endif
#if defined(JSONV_HAVE_WIDE)
    case JSONV_WS_SSE42:
        return index_sse42;
    case JSONV_WS_AVX2:
        return index_avx2;
    case JSONV_WS_AVX512:
        return index_avx512;
#endif
    default:
        return index_scalar;
    }
}
