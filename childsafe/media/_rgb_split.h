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
   not read into any plane. One shuffle a load puts its four pixels' R, G and B in dwords 0, 1 and 2;
   unpacking then lines the loads' dwords up. */
__attribute__((target("ssse3"))) static inline void split16x(const unsigned char *p, __m128i *r, __m128i *g, __m128i *b)
{
    const __m128i pick = _mm_setr_epi8(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, -1, -1, -1, -1);
    const __m128i q0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), pick);
    const __m128i q1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), pick);
    const __m128i q2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), pick);
    const __m128i q3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), pick);
    const __m128i lo01 = _mm_unpacklo_epi32(q0, q1), lo23 = _mm_unpacklo_epi32(q2, q3); /* R R G G */
    const __m128i hi01 = _mm_unpackhi_epi32(q0, q1), hi23 = _mm_unpackhi_epi32(q2, q3); /* B B - - */
    *r = _mm_unpacklo_epi64(lo01, lo23);
    *g = _mm_unpackhi_epi64(lo01, lo23);
    *b = _mm_unpacklo_epi64(hi01, hi23);
}

/* Every second of 32 pixels of four bytes each (128 bytes at p: pixels 0, 2, ..., 30) to three planes
   of 16. A load holds two of them (bytes 0 and 8): one shuffle puts their R, G and B in words 0, 1
   and 2, and unpacking lines the eight loads' words up. Reads no byte past the fourth of pixel 31. */
__attribute__((target("ssse3"))) static inline void split16x2(const unsigned char *p, __m128i *r, __m128i *g, __m128i *b)
{
    const __m128i pick = _mm_setr_epi8(0, 8, 1, 9, 2, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    __m128i q[8];
    for (int i = 0; i < 8; i++)
        q[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), pick);
    const __m128i u01 = _mm_unpacklo_epi16(q[0], q[1]), u23 = _mm_unpacklo_epi16(q[2], q[3]); /* R4 G4 B4 - */
    const __m128i u45 = _mm_unpacklo_epi16(q[4], q[5]), u67 = _mm_unpacklo_epi16(q[6], q[7]);
    const __m128i lo03 = _mm_unpacklo_epi32(u01, u23), lo47 = _mm_unpacklo_epi32(u45, u67); /* R8 G8 */
    const __m128i hi03 = _mm_unpackhi_epi32(u01, u23), hi47 = _mm_unpackhi_epi32(u45, u67); /* B8 - */
    *r = _mm_unpacklo_epi64(lo03, lo47);
    *g = _mm_unpackhi_epi64(lo03, lo47);
    *b = _mm_unpacklo_epi64(hi03, hi47);
}

#endif
#endif
