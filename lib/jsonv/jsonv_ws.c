/*
 * jsonv_ws.c - whitespace-run kernels and their run-time choice (see
 * jsonv_ws.h).
 *
 * Each vector kernel classifies a block at once: a mask of the bytes that
 * are whitespace, the first other byte ends the run (count trailing
 * zeros), and the newlines before it are counted with a popcount, so that
 * line tracking costs nothing per byte. Blocks are only loaded whole
 * inside [p, end); the last few bytes of a chunk go through the scalar
 * loop.
 */
#include "jsonv_ws.h"

#include <stddef.h>

static const uint8_t *skip_scalar(const uint8_t *p, const uint8_t *end,
                                  int lines, jsonv_ws_newlines *nl)
{
    for (; p < end; p++) {
        uint8_t c = *p;
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        if (c != '\n' || lines)
            break;
        nl->count++;
        nl->last = p;
    }
    return p;
}

/* Ends a vector run: `ws` has bit i set when byte i of the block at p is
 * whitespace, `newline` when it is '\n' (0 in LINES mode, where a newline
 * is not whitespace). Returns the end of the run, or NULL when the whole
 * block is whitespace (its newlines are counted either way).             */
static inline const uint8_t *block_end(const uint8_t *p, uint64_t ws,
                                       uint64_t newline, unsigned width,
                                       jsonv_ws_newlines *nl)
{
    uint64_t all = width == 64 ? ~0ull : (1ull << width) - 1;
    uint64_t stop = ~ws & all;
    unsigned run = stop ? (unsigned)__builtin_ctzll(stop) : width;
    if (run < 64)
        newline &= (1ull << run) - 1;
    if (newline) {
        nl->count += (uint64_t)__builtin_popcountll(newline);
        nl->last = p + 63 - __builtin_clzll(newline);
    }
    return stop ? p + run : NULL;
}

/* The loop of every vector kernel: classify(p, &newline) gives the mask
 * of the blanks (space, tab, CR) of the `width` bytes at p and sets
 * `newline` to the mask of their '\n'; the tail goes to `narrower`.    */
#define SKIP_BLOCKS(width, classify, narrower)                                 \
    do {                                                                       \
        const uint64_t keep_newlines = lines ? 0 : ~0ull;                      \
        while (end - p >= (width)) {                                           \
            uint64_t newline, blank = classify(p, &newline);                   \
            newline &= keep_newlines;                                          \
            const uint8_t *stop =                                              \
                block_end(p, blank | newline, newline, (width), nl);           \
            if (stop)                                                          \
                return stop;                                                   \
            p += (width);                                                      \
        }                                                                      \
        return narrower(p, end, lines, nl);                                    \
    } while (0)

#if defined(JSONV_HAVE_SSE2)
static inline uint64_t classify_sse2(const uint8_t *p, uint64_t *newline)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i blank =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')),
                                  _mm_cmpeq_epi8(x, _mm_set1_epi8('\t'))),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')));
    *newline =
        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
    return (unsigned)_mm_movemask_epi8(blank);
}

static const uint8_t *skip_sse2(const uint8_t *p, const uint8_t *end, int lines,
                                jsonv_ws_newlines *nl)
{
    SKIP_BLOCKS(16, classify_sse2, skip_scalar);
}
#endif

#if defined(JSONV_HAVE_WIDE)

TARGET_AVX2 static inline uint64_t classify_avx2(const uint8_t *p,
                                                 uint64_t *newline)
{
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i blank = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8(' ')),
                        _mm256_cmpeq_epi8(x, _mm256_set1_epi8('\t'))),
        _mm256_cmpeq_epi8(x, _mm256_set1_epi8('\r')));
    *newline = (uint32_t)_mm256_movemask_epi8(
        _mm256_cmpeq_epi8(x, _mm256_set1_epi8('\n')));
    return (uint32_t)_mm256_movemask_epi8(blank);
}

TARGET_AVX2 static const uint8_t *skip_avx2(const uint8_t *p,
                                            const uint8_t *end, int lines,
                                            jsonv_ws_newlines *nl)
{
    SKIP_BLOCKS(32, classify_avx2, skip_sse2);
}

TARGET_AVX512 static inline uint64_t classify_avx512(const uint8_t *p,
                                                     uint64_t *newline)
{
    __m512i x = _mm512_loadu_si512((const void *)p);
    *newline = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
    return _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(' ')) |
           _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\t')) |
           _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\r'));
}

TARGET_AVX512 static const uint8_t *skip_avx512(const uint8_t *p,
                                                const uint8_t *end, int lines,
                                                jsonv_ws_newlines *nl)
{
    SKIP_BLOCKS(64, classify_avx512, skip_avx2);
}
#endif

static const jsonv_ws_skip_fn kernels[JSONV_WS_KERNELS] = {
    skip_scalar,
#if defined(JSONV_HAVE_SSE2)
    skip_sse2,
#else
    NULL,
#endif
#if defined(JSONV_HAVE_WIDE)
    skip_sse2, /* SSE4.2: its gain is in the structural index only */
    skip_avx2,   skip_avx512,
#else
    NULL,        NULL, NULL,
#endif
};

int jsonv_ws_available(jsonv_ws_kernel kernel)
{
    if ((unsigned)kernel >= JSONV_WS_KERNELS || !kernels[kernel])
        return 0;
#if defined(JSONV_HAVE_WIDE)
    __builtin_cpu_init();
    if (kernel == JSONV_WS_SSE42)
        return __builtin_cpu_supports("ssse3") &&
               __builtin_cpu_supports("sse4.2") &&
               __builtin_cpu_supports("popcnt") &&
               __builtin_cpu_supports("pclmul");
    int bits = __builtin_cpu_supports("bmi") &&
               __builtin_cpu_supports("popcnt") &&
               __builtin_cpu_supports("pclmul");
    if (kernel == JSONV_WS_AVX2)
        return bits && __builtin_cpu_supports("avx2");
    if (kernel == JSONV_WS_AVX512)
        return bits && __builtin_cpu_supports("avx512f") &&
               __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vbmi2");
#endif
    return 1;
}

/* -1 until the first validator asks: then the preferred kernel the CPU
 * has. Set once per process (or by jsonv_ws_use); a race only stores the
 * same value.                                                           */
static int chosen = -1;

/* AVX-512 first: with VBMI2's compress, the structural index
 * (jsonv_blocks.c) writes 16 offsets in one store, which made indented
 * files 15-20% faster than AVX2 (docs/performance.md). On whitespace
 * runs alone the 64-byte blocks measured no faster than AVX2.            */
static const jsonv_ws_kernel preference[] = {JSONV_WS_AVX512, JSONV_WS_AVX2,
                                             JSONV_WS_SSE42, JSONV_WS_SSE2,
                                             JSONV_WS_SCALAR};

jsonv_ws_kernel jsonv_ws_chosen(void)
{
    int k = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (k >= 0)
        return (jsonv_ws_kernel)k;
    k = JSONV_WS_SCALAR;
    for (size_t i = 0; i < sizeof preference / sizeof preference[0]; i++) {
        if (jsonv_ws_available(preference[i])) {
            k = (int)preference[i];
            break;
        }
    }
    __atomic_store_n(&chosen, k, __ATOMIC_RELAXED);
    return (jsonv_ws_kernel)k;
}

jsonv_ws_skip_fn jsonv_ws_skip(void)
{
    return kernels[jsonv_ws_chosen()];
}

int jsonv_ws_use(jsonv_ws_kernel kernel)
{
    if (!jsonv_ws_available(kernel))
        return -1;
    __atomic_store_n(&chosen, (int)kernel, __ATOMIC_RELAXED);
    return 0;
}

const char *jsonv_ws_kernel_name(jsonv_ws_kernel kernel)
{
    static const char *const names[JSONV_WS_KERNELS] = {
        "scalar", "sse2", "sse42", "avx2", "avx512"};
    return (unsigned)kernel < JSONV_WS_KERNELS ? names[kernel] : "unknown";
}
