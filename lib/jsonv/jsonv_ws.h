/*
 * jsonv_ws.h - skipping runs of JSON whitespace, the hot loop of indented
 * files, with a vector unit the CPU has (internal to lib/jsonv).
 *
 * SSE2 is the baseline on x86_64; SSE4.2 (with SSSE3's byte shuffle and
 * PCLMUL: what simdjson calls westmere, and the Pentium and Celeron parts
 * sold without AVX), AVX2 and AVX-512 (F, BW and VBMI2) kernels are
 * compiled with target attributes and chosen at run time with
 * __builtin_cpu_supports, so one binary runs everywhere. AVX-512
 * comes first where the CPU has all three (Ice Lake and later): the
 * structural index of the same width (jsonv_blocks.h) gains most from
 * it. Builds with -DJSONV_PORTABLE or -DJSONV_NO_SSE2 (and other
 * machines) have only the scalar kernel.
 */
#ifndef NBAQ_JSONV_WS_H
#define NBAQ_JSONV_WS_H

#include <stdint.h>

/* Which kernels this build has (jsonv_ws.c and jsonv_blocks.c). */
#if !defined(JSONV_PORTABLE) && !defined(JSONV_NO_SSE2) && defined(__SSE2__)
#include <emmintrin.h>
#define JSONV_HAVE_SSE2 1
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define JSONV_HAVE_WIDE 1 /* SSE4.2, AVX2, AVX-512BW: chosen at run time */
#endif
#endif

#if defined(JSONV_HAVE_WIDE)
#define TARGET_SSE42 __attribute__((target("ssse3,sse4.2,popcnt,pclmul")))
#define TARGET_AVX2 __attribute__((target("avx2,bmi,popcnt,lzcnt,pclmul")))
#define TARGET_AVX512                                                          \
    __attribute__((                                                            \
        target("avx512f,avx512bw,avx512vbmi2,bmi,popcnt,lzcnt,pclmul")))
#endif

/* Kernels, narrowest first. */
typedef enum jsonv_ws_kernel {
    JSONV_WS_SCALAR,
    JSONV_WS_SSE2,
    JSONV_WS_SSE42,
    JSONV_WS_AVX2,
    JSONV_WS_AVX512,
    JSONV_WS_KERNELS
} jsonv_ws_kernel;

/* Newlines passed over by a skip: how many, and where the last one is
 * (NULL when none). Lines and columns are computed from these.          */
typedef struct jsonv_ws_newlines {
    uint64_t count;
    const uint8_t *last;
} jsonv_ws_newlines;

/* Skips spaces, tabs, CRs and, unless `lines` (JSON Lines: a newline ends
 * a document), newlines from p < end. Returns the first other byte, or
 * end; adds the newlines skipped to *nl.                                 */
typedef const uint8_t *(*jsonv_ws_skip_fn)(const uint8_t *p, const uint8_t *end,
                                           int lines, jsonv_ws_newlines *nl);

/* The kernel in use: AVX-512, else AVX2, else SSE4.2, else SSE2, else
 * scalar, the
 * first this build and CPU have, unless jsonv_ws_use() chose another.   */
jsonv_ws_skip_fn jsonv_ws_skip(void);

/* The kernel in use (the one jsonv_ws_skip() returns); the structural
 * index (jsonv_blocks.h) uses the same vector width.                    */
jsonv_ws_kernel jsonv_ws_chosen(void);

/* 1 when this build and CPU can run `kernel`. */
int jsonv_ws_available(jsonv_ws_kernel kernel);

/* Makes every validator created afterwards use `kernel` (for tests and
 * the benchmark). 0, or -1 when it is not available here.               */
int jsonv_ws_use(jsonv_ws_kernel kernel);

/* "scalar", "sse2", "sse42", "avx2" or "avx512". */
const char *jsonv_ws_kernel_name(jsonv_ws_kernel kernel);

#endif
