/* Packed RGB to three planes with SSSE3's byte shuffle, for the compiled parts of childsafe.media
 * (_outlines: colour steps; _pdqcore: Pillow's RGB -> L). Included by each; x86 with GCC or clang
 * only (RGB_SPLIT_SSSE3 says so), each caller checks at import that the CPU has SSSE3. Also Pillow's
 * luma of one pixel (PILLOW_LUMA, everywhere), which _pdqcore and _trim compute. */
#ifndef CHILDSAFE_RGB_SPLIT_H
#define CHILDSAFE_RGB_SPLIT_H

/* Pillow's RGB -> L of one pixel, to the value: (r 19595 + g 38470 + b 7471 + 0x8000) >> 16. */
#define PILLOW_LUMA(r, g, b) \
    ((unsigned char)(((unsigned)(r) * 19595u + (unsigned)(g) * 38470u + (unsigned)(b) * 7471u + 0x8000u) >> 16))
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define RGB_SPLIT_SSSE3 1

/* 16 pixels of packed RGB (48 bytes at p) to three planes. */
__attribute__((target("ssse3"))) static inline void split16(const unsigned char *p, __m128i *r, __m128i *g, __m128i *b)
{
    const __m128i a0 = _mm_loadu_si128((const __m128i *)p);
    const __m128i a1 = _mm_loadu_si128((const __m128i *)(p + 16));
    const __m128i a2 = _mm_loadu_si128((const __m128i *)(p + 32));
#define Z -1
    *r = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a0, _mm_setr_epi8(0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z)),
                                   _mm_shuffle_epi8(a1, _mm_setr_epi8(Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14, Z, Z, Z, Z, Z))),
                      _mm_shuffle_epi8(a2, _mm_setr_epi8(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 1, 4, 7, 10, 13)));
    *g = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a0, _mm_setr_epi8(1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z)),
                                   _mm_shuffle_epi8(a1, _mm_setr_epi8(Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15, Z, Z, Z, Z, Z))),
                      _mm_shuffle_epi8(a2, _mm_setr_epi8(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 2, 5, 8, 11, 14)));
    *b = _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a0, _mm_setr_epi8(2, 5, 8, 11, 14, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, Z)),
                                   _mm_shuffle_epi8(a1, _mm_setr_epi8(Z, Z, Z, Z, Z, 1, 4, 7, 10, 13, Z, Z, Z, Z, Z, Z))),
                      _mm_shuffle_epi8(a2, _mm_setr_epi8(Z, Z, Z, Z, Z, Z, Z, Z, Z, Z, 0, 3, 6, 9, 12, 15)));
#undef Z
}

#endif
#endif
