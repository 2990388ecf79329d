/* Packed RGB to three planes with SSSE3's byte shuffle, for the compiled parts of childsafe.media
 * (_outlines: colour steps; _pdqcore: Pillow's RGB -> L). Included by each; x86 with GCC or clang
 * only (RGB_SPLIT_SSSE3 says so), each caller checks at import that the CPU has SSSE3. Also Pillow's
 * luma of one pixel (PILLOW_LUMA, everywhere), which _pdqcore and _trim compute. split16 reads packed
 * RGB (3 bytes a pixel), split16x Pillow's own layout (4: `images.rgb_array`'s views). */
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

/* 16 pixels of four bytes each (Pillow's RGBX, 64 bytes at p) to three planes; the fourth byte is
   not read into any plane. */
__attribute__((target("ssse3"))) static inline void split16x(const unsigned char *p, __m128i *r, __m128i *g, __m128i *b)
{
    const __m128i a0 = _mm_loadu_si128((const __m128i *)p);
    const __m128i a1 = _mm_loadu_si128((const __m128i *)(p + 16));
    const __m128i a2 = _mm_loadu_si128((const __m128i *)(p + 32));
    const __m128i a3 = _mm_loadu_si128((const __m128i *)(p + 48));
    /* each load's four pixels' channel c to bytes 0..3; then the four loads side by side */
    __m128i c[3];
    for (int k = 0; k < 3; k++) {
        const __m128i pick = _mm_setr_epi8((char)k, (char)(k + 4), (char)(k + 8), (char)(k + 12), -1, -1, -1, -1,
                                           -1, -1, -1, -1, -1, -1, -1, -1);
        const __m128i q0 = _mm_shuffle_epi8(a0, pick), q1 = _mm_shuffle_epi8(a1, pick);
        const __m128i q2 = _mm_shuffle_epi8(a2, pick), q3 = _mm_shuffle_epi8(a3, pick);
        c[k] = _mm_unpacklo_epi64(_mm_unpacklo_epi32(q0, q1), _mm_unpacklo_epi32(q2, q3));
    }
    *r = c[0];
    *g = c[1];
    *b = c[2];
}

#endif
#endif
