/* Outline finding of childsafe.media.edits, compiled: edge_boxes gives exactly the boxes, in the
 * same order, that the numpy version there (_edge_boxes_numpy with _edge_maps, _strongest,
 * _side_tables, _find_edge_boxes, _refine_side, _iou) gives, which stays the reference.
 *
 * Pixels come through the buffer protocol as an (h, w, 3) uint8 array with any strides (a box cut
 * from a bigger array, every second pixel of one), so no copy is made and no numpy header is
 * needed. The pixel work runs without the GIL. One pass over the pixels finds every break and
 * counts each line's; the breaks are kept (two bytes a pixel: along the row lines, and across the
 * column lines row by row), and the few candidate lines' (at most MAX_LINES + 2 each way) are read
 * back from them. (Until 26 November 2026 they were worked out again from the pixels around each
 * candidate, columns gathered one pixel at a time: 20% of the time, for memory O(h + w).) Rows of a
 * packed array (or every second pixel of one) are split into channel planes with SSSE3 shuffles
 * where the CPU has them (checked at import), so the steps and breaks run as vector code.
 *
 * Where numpy is mirrored:
 *  - _edge_maps: a step is the largest per-channel difference; a break is step * 2 >= 2 * 24 and
 *    step * 2 >= 3 * (the larger step beside it); at the first and last line numpy takes
 *    step[1 % n] and step[-2 % n], which is the one neighbour there is (the line itself when n == 1).
 *    On the half-size copy (thin = 1), where the step after (before) it is the far side of a thin
 *    line of pixels (_thin_lines: above or below both lines beside it by 24 in some channel) and the
 *    step before it and two after (after it and two before) are "small" (v * 3 <= step * 2), the
 *    step before (after) counts instead; a missing step is never small. In bytes here, with
 *    lim = floor(2 step / 3) = step * 171 >> 8 for every step <= 255: small is v <= lim, a break
 *    step >= 24 and the step that counts <= lim;
 *  - _strongest takes lines in the order np.argsort(profile, kind="stable")[::-1] (count
 *    descending, then the later line first). NOTE: edits.py's default np.argsort is numpy's
 *    quicksort, whose order for equal counts depends on the CPU (numpy dispatches it to
 *    x86-simd-sort networks on AVX2 / AVX-512 machines), so no C code can follow it reliably;
 *    the stable order is what edits.py must use for the two to agree;
 *  - _side_tables: prefix sums in float32 (exact here: sums of 0, 1 and 0.75), the share is
 *    float32(float64(difference) / float64(length)) as numpy promotes float32 / int64 to float64;
 *    the reach past a corner is int64(span * 0.15) in double, at least 2;
 *  - comparisons of float32 tables with Python floats (0.35, 0.7) happen in float32 (numpy casts
 *    the Python float to the array's type); area and aspect tests are in double;
 *  - mean of four float32 supports summed left to right, / 4; score = np.round(mean - 0.5 * run_on, 2)
 *    which numpy computes in float32 as rint(x * 100) / 100;
 *  - np.lexsort((-area, -score)) is stable: score descending, area descending, then the row-major
 *    order of np.nonzero over (row pair, column pair), pairs in np.triu_indices order; the first
 *    MAX_OUTLINE_CANDIDATES of them are looked at;
 *  - _iou in double, _refine_side with np.argmax's first maximum.
 * The float code must not run in extended precision: on x86-64 (SSE, FLT_EVAL_METHOD 0) float
 * stays float, and no expression here could change under FMA contraction (products by 0.5, 100
 * and the like are exact or not followed by an addition).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(_MSC_VER)
#include <intrin.h>
static __inline int ctz32(uint32_t v) { unsigned long i; _BitScanForward(&i, v); return (int)i; }
#else
#define ctz32(v) __builtin_ctz(v)
#endif

#if defined(_MSC_VER) && !defined(restrict)
#define restrict __restrict
#endif

/* Must equal childsafe/media/edits.py: constants() exports them and the tests compare. */
#define EDGE_STEP 24
#define EDGE_RATIO_0 3
#define EDGE_RATIO_1 2
#define SMOOTH_SIDE 4
#define SMOOTH_SIDE_STEP 36
#define MAX_LINES 16
#define MIN_SIDE_SUPPORT 0.35
#define MIN_MEAN_SUPPORT 0.7
#define BORDER_SUPPORT 0.75
#define MAX_OUTLINE_CANDIDATES 256
#define OUTLINE_REACH 0.15
#define MIN_REGION_SIDE 24
#define MIN_OUTLINE_SHARE 0.02
#define MAX_REGION_SHARE 0.92
#define MAX_ASPECT 5.0
#define CONTRAST_WINDOW 5
#define CONTRAST_STEP 12
#define CONTRAST_RATIO_0 3
#define CONTRAST_RATIO_1 2
#define CONTRAST_MIN_SCORE 0.5
#define CONTRAST_ALONG 4
/* Literals of edits.py's code (not named there). */
#define OVERLAP 0.8         /* _find_edge_boxes: a box is kept when _iou < this with every one kept */
#define LOOK_FACTOR 6       /* _strongest looks at the count * 6 largest entries of the profile */
#define STEP_ABOVE 400      /* _edge_boxes_numpy works on every second pixel past this side */

#define MAX_CAND (MAX_LINES + 2)
#define MAX_PAIRS (MAX_CAND * (MAX_CAND - 1) / 2)

#include "_image_buffer.h"

/* ------------------------------------------------------------------ steps and breaks */

static inline unsigned absd(unsigned a, unsigned b) { return a > b ? a - b : b - a; }

static inline unsigned max3(unsigned a, unsigned b, unsigned c)
{
    unsigned m = a > b ? a : b;
    return m > c ? m : c;
}

/* The largest per-channel difference between two pixels. */
static inline unsigned pixel_step(const unsigned char *p, const unsigned char *q, Py_ssize_t sc)
{
    return max3(absd(p[0], q[0]), absd(p[sc], q[sc]), absd(p[2 * sc], q[2 * sc]));
}

static inline unsigned char min_u8(unsigned char p, unsigned char q) { return p < q ? p : q; }
static inline unsigned char max_u8(unsigned char p, unsigned char q) { return p > q ? p : q; }
static inline unsigned char sat_sub(unsigned char p, unsigned char q) { return (unsigned char)(p > q ? p - q : 0); }

/* floor(2 s / 3): a step v is "small" beside s (v * 3 <= s * 2) when v <= lim_of(s) (s * 171 >> 8
 * equals floor(2 s / 3) for every s <= 255). */
static inline unsigned char lim_of(unsigned char s) { return (unsigned char)(((unsigned short)s * (unsigned short)171) >> 8); }

/* A break: a large step, and at least EDGE_RATIO times the larger step beside it (s * 2 >= 2 * 24
 * and s * 2 >= 3 * beside), in bytes and without branches, so that the loops over a line vectorise. */
static inline unsigned char is_break(unsigned char s, unsigned char beside)
{
    return (unsigned char)((s >= EDGE_STEP) & (beside <= lim_of(s)));
}

/* How far the middle value y stands above both x and z, or below both (edits._thin_lines, one
 * channel): above the larger, or below the smaller. */
static inline unsigned char thin_amount(unsigned char x, unsigned char y, unsigned char z)
{
    return max_u8(sat_sub(y, max_u8(x, z)), sat_sub(min_u8(x, z), y));
}

/* A break by a smooth side: s is at least SMOOTH_SIDE_STEP and both steps on one side of it (b and
 * b2 before, a and a2 after) are SMOOTH_SIDE times smaller (v * SMOOTH_SIDE <= s exactly when
 * v <= s / SMOOTH_SIDE). */
static inline unsigned char smooth_break(unsigned char s, unsigned char b, unsigned char a, unsigned char b2,
                                         unsigned char a2)
{
    unsigned char lim = (unsigned char)(s / SMOOTH_SIDE);
    return (unsigned char)((s >= SMOOTH_SIDE_STEP) & ((max_u8(b, b2) <= lim) | (max_u8(a, a2) <= lim)));
}

/* _edge_maps' rule for one step s: nb / na the steps before and after it (the one there is at an
 * end, s itself alone), b / a the same as they are and b2 / a2 two away (255 where missing: never
 * small), tb / ta whether the line of pixels before / after s is thin (0 without the thin-line rule).
 * A break by the larger step beside (or, past a thin line, the other one), or by a smooth side.
 * Without branches (masks), so that rule_breaks' loop vectorises. */
static inline unsigned char rule_break1(unsigned char s, unsigned char nb, unsigned char na, unsigned char b,
                                        unsigned char a, unsigned char b2, unsigned char a2, unsigned char tb,
                                        unsigned char ta)
{
    unsigned char lim = lim_of(s);
    unsigned char use_b = (unsigned char)(ta & (a2 <= lim) & (b <= lim));
    unsigned char use_a = (unsigned char)((use_b ^ 1) & tb & (b2 <= lim) & (a <= lim));
    unsigned char mb = (unsigned char)-use_b, ma = (unsigned char)-use_a;
    unsigned char beside = (unsigned char)((nb & mb) | (na & ma) | (max_u8(nb, na) & (unsigned char)~(mb | ma)));
    return (unsigned char)(is_break(s, beside) | smooth_break(s, b, a, b2, a2));
}

/* rule_break1 without the thin-line rule (tb = ta = 0): fewer inputs, the loop over a line is
 * cheaper (the outline finder at full size, images of 400 pixels or less). */
static inline unsigned char plain_break1(unsigned char s, unsigned char nb, unsigned char na, unsigned char b,
                                         unsigned char a, unsigned char b2, unsigned char a2)
{
    return (unsigned char)(is_break(s, max_u8(nb, na)) | smooth_break(s, b, a, b2, a2));
}

#include "_rgb_split.h"
#ifdef RGB_SPLIT_SSSE3
#define OUTLINES_SSSE3 1
static int have_ssse3; /* set at import: the CPU has pshufb */

/* The leading pixels of a row of packed RGB (size 3) or Pillow's RGBX (size 4) pixels as planes, 16 at
 * a time, every pixel or every second one; returns how many were done. Reads only bytes of pixels of
 * the row up to its last one (the bytes between the pixels taken, when every second is, lie between
 * two of them). */
__attribute__((target("ssse3"))) static Py_ssize_t gather_ssse3(const unsigned char *p, Py_ssize_t w, int size,
                                                                int every_second, unsigned char *r, unsigned char *g,
                                                                unsigned char *b)
{
    Py_ssize_t x = 0;
    __m128i r0, g0, b0, r1, g1, b1;
    if (!every_second) {
        /* four-byte pixels: the last pixel's fourth byte is not the view's, so never the last block */
        for (; x + 16 + (size == 4) <= w; x += 16) {
            if (size == 4) split16x(p + 4 * x, &r0, &g0, &b0);
            else split16(p + 3 * x, &r0, &g0, &b0);
            _mm_storeu_si128((__m128i *)(r + x), r0);
            _mm_storeu_si128((__m128i *)(g + x), g0);
            _mm_storeu_si128((__m128i *)(b + x), b0);
        }
        return x;
    }
    const __m128i low = _mm_set1_epi16(0x00FF);
    for (; x + 17 <= w; x += 16) { /* bytes 2 size x .. + 32 size - 1; the last pixel's end is 2 size w - size + 2 */
        const unsigned char *q = p + 2 * size * x;
        if (size == 4) {
            split16x2(q, &r0, &g0, &b0);
        } else {
            split16(q, &r0, &g0, &b0);
            split16(q + 48, &r1, &g1, &b1);
            r0 = _mm_packus_epi16(_mm_and_si128(r0, low), _mm_and_si128(r1, low));
            g0 = _mm_packus_epi16(_mm_and_si128(g0, low), _mm_and_si128(g1, low));
            b0 = _mm_packus_epi16(_mm_and_si128(b0, low), _mm_and_si128(b1, low));
        }
        _mm_storeu_si128((__m128i *)(r + x), r0);
        _mm_storeu_si128((__m128i *)(g + x), g0);
        _mm_storeu_si128((__m128i *)(b + x), b0);
    }
    return x;
}
#endif

/* The pixel loops below (planes, steps, breaks, profiles: byte arithmetic that the compiler
 * vectorises) run about a sixth faster as AVX2 code (edge_boxes on 256 to 512 px photos: 152 ->
 * 127 us). Where GCC and glibc let a function's build be chosen when the module loads (ifunc),
 * each is built twice and the CPU picks; elsewhere there is the one baseline build. They do integer
 * work only, so both builds give the same breaks to the bit. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__) && !defined(OUTLINES_ONE_BUILD)
#define CPU_BUILDS __attribute__((target_clones("avx2", "default")))
#else
#define CPU_BUILDS
#endif

/* The same step and break loops written out in AVX2 (where GCC or clang build x86-64 code; used when
 * the CPU has AVX2, checked at import, and a line holds at least 32 steps). The compiler's own
 * vectors of the loops above left a line's last n % 32 steps to scalar code (27 of a 256 px photo's
 * 251) and summed the 0/1 breaks by widening them to 32 bits; here the last block is the line's
 * last 32 steps again, overlapping the one before (every output is a function of its inputs alone,
 * which never alias it, so writing it twice writes the same), and a block's breaks are counted from
 * its compare mask. Byte arithmetic exactly as above: "small" (v * 3 <= s * 2) is v + ceil(v / 2)
 * <= s with v <= 170 (the sum then stays under 256; past 170, 3 v > 510 >= 2 s), s / 4 is a shift. */
#if defined(__GNUC__) && defined(__x86_64__) && defined(RGB_SPLIT_SSSE3) && !defined(OUTLINES_ONE_BUILD)
#define OUTLINES_AVX2 1
static int have_avx2; /* set at import */
#define AVX2 __attribute__((target("avx2")))

AVX2 static inline __m256i ld32(const unsigned char *p) { return _mm256_loadu_si256((const __m256i *)p); }
AVX2 static inline __m256i absd32(__m256i x, __m256i y) { return _mm256_or_si256(_mm256_subs_epu8(x, y), _mm256_subs_epu8(y, x)); }
/* x <= y, unsigned, as 0x00 / 0xFF bytes */
AVX2 static inline __m256i le32(__m256i x, __m256i y) { return _mm256_cmpeq_epi8(_mm256_min_epu8(x, y), x); }

/* v * 3 <= s * 2 (v <= lim_of(s)) */
AVX2 static inline __m256i small32(__m256i v, __m256i s)
{
    const __m256i ceil_half = _mm256_avg_epu8(v, _mm256_setzero_si256());
    return _mm256_and_si256(le32(_mm256_adds_epu8(v, ceil_half), s), le32(v, _mm256_set1_epi8((char)170)));
}

/* smooth_break: s >= SMOOTH_SIDE_STEP, and both steps on one side at most s / SMOOTH_SIDE */
AVX2 static inline __m256i smooth32(__m256i s, __m256i b, __m256i a, __m256i b2, __m256i a2)
{
    const __m256i quarter = _mm256_and_si256(_mm256_srli_epi16(s, 2), _mm256_set1_epi8(0x3F));
    const __m256i side = _mm256_or_si256(le32(_mm256_max_epu8(b, b2), quarter), le32(_mm256_max_epu8(a, a2), quarter));
    return _mm256_and_si256(le32(_mm256_set1_epi8((char)SMOOTH_SIDE_STEP), s), side);
}

/* is_break(s, beside) */
AVX2 static inline __m256i break32(__m256i s, __m256i beside)
{
    return _mm256_and_si256(le32(_mm256_set1_epi8((char)EDGE_STEP), s), small32(beside, s));
}

/* Stores a block's breaks (0/1) at out and returns how many of its last `fresh` are set. */
AVX2 static inline uint32_t put32(__m256i mask, unsigned char *out, int fresh)
{
    _mm256_storeu_si256((__m256i *)out, _mm256_and_si256(mask, _mm256_set1_epi8(1)));
    return (uint32_t)__builtin_popcount((uint32_t)_mm256_movemask_epi8(mask) >> (32 - fresh));
}

AVX2 static void plane_steps_avx2(const unsigned char *r0, const unsigned char *g0, const unsigned char *b0,
                                  const unsigned char *r1, const unsigned char *g1, const unsigned char *b1,
                                  Py_ssize_t n, unsigned char *out)
{
    for (Py_ssize_t i = 0;; i += 32) {
        if (i + 32 > n)
            i = n - 32;
        const __m256i m = _mm256_max_epu8(_mm256_max_epu8(absd32(ld32(r0 + i), ld32(r1 + i)), absd32(ld32(g0 + i), ld32(g1 + i))),
                                          absd32(ld32(b0 + i), ld32(b1 + i)));
        _mm256_storeu_si256((__m256i *)(out + i), m);
        if (i + 32 >= n)
            return;
    }
}

AVX2 static Py_ssize_t plain_breaks_avx2(const unsigned char *s, const unsigned char *nb, const unsigned char *na,
                                         const unsigned char *b, const unsigned char *a, const unsigned char *b2,
                                         const unsigned char *a2, Py_ssize_t n, unsigned char *out)
{
    uint32_t count = 0;
    for (Py_ssize_t i = 0, done = 0;; i += 32) {
        if (i + 32 > n)
            i = n - 32;
        const __m256i sv = ld32(s + i);
        const __m256i mask = _mm256_or_si256(break32(sv, _mm256_max_epu8(ld32(nb + i), ld32(na + i))),
                                             smooth32(sv, ld32(b + i), ld32(a + i), ld32(b2 + i), ld32(a2 + i)));
        count += put32(mask, out + i, (int)(i + 32 - done));
        done = i + 32;
        if (done >= n)
            return (Py_ssize_t)count;
    }
}

AVX2 static Py_ssize_t rule_breaks_avx2(const unsigned char *s, const unsigned char *nb, const unsigned char *na,
                                        const unsigned char *b, const unsigned char *a, const unsigned char *b2,
                                        const unsigned char *a2, const unsigned char *tb, const unsigned char *ta,
                                        Py_ssize_t n, unsigned char *out)
{
    const __m256i zero = _mm256_setzero_si256();
    uint32_t count = 0;
    for (Py_ssize_t i = 0, done = 0;; i += 32) {
        if (i + 32 > n)
            i = n - 32;
        const __m256i sv = ld32(s + i), bv = ld32(b + i), av = ld32(a + i), b2v = ld32(b2 + i), a2v = ld32(a2 + i);
        const __m256i nbv = ld32(nb + i), nav = ld32(na + i);
        const __m256i thin_b = _mm256_xor_si256(_mm256_cmpeq_epi8(ld32(tb + i), zero), _mm256_set1_epi8(-1));
        const __m256i thin_a = _mm256_xor_si256(_mm256_cmpeq_epi8(ld32(ta + i), zero), _mm256_set1_epi8(-1));
        const __m256i use_b = _mm256_and_si256(thin_a, _mm256_and_si256(small32(a2v, sv), small32(bv, sv)));
        const __m256i use_a = _mm256_andnot_si256(use_b, _mm256_and_si256(thin_b, _mm256_and_si256(small32(b2v, sv), small32(av, sv))));
        const __m256i beside = _mm256_or_si256(
            _mm256_or_si256(_mm256_and_si256(nbv, use_b), _mm256_and_si256(nav, use_a)),
            _mm256_andnot_si256(_mm256_or_si256(use_b, use_a), _mm256_max_epu8(nbv, nav)));
        const __m256i mask = _mm256_or_si256(break32(sv, beside), smooth32(sv, bv, av, b2v, a2v));
        count += put32(mask, out + i, (int)(i + 32 - done));
        done = i + 32;
        if (done >= n)
            return (Py_ssize_t)count;
    }
}

/* thin_flags for n >= 32: per channel how far y stands above max(x, z) or below min(x, z)
 * (saturating), the largest of the three channels against EDGE_STEP; the last block overlaps the one
 * before it. */
AVX2 static void thin_flags_avx2(const unsigned char *x, const unsigned char *y, const unsigned char *z,
                                 Py_ssize_t plane, Py_ssize_t n, unsigned char *out)
{
    const __m256i step = _mm256_set1_epi8((char)EDGE_STEP), one = _mm256_set1_epi8(1);
    for (Py_ssize_t i = 0;; i += 32) {
        if (i + 32 > n)
            i = n - 32;
        __m256i most = _mm256_setzero_si256();
        for (Py_ssize_t c = 0; c < 3; c++) {
            const __m256i xv = ld32(x + c * plane + i), yv = ld32(y + c * plane + i), zv = ld32(z + c * plane + i);
            const __m256i above = _mm256_subs_epu8(yv, _mm256_max_epu8(xv, zv));
            const __m256i below = _mm256_subs_epu8(_mm256_min_epu8(xv, zv), yv);
            most = _mm256_max_epu8(most, _mm256_max_epu8(above, below));
        }
        _mm256_storeu_si256((__m256i *)(out + i), _mm256_and_si256(le32(step, most), one));
        if (i + 32 >= n)
            return;
    }
}

/* The same for Pillow's four-byte pixels: pick 2 r + k (k = 0, 1) starts 16 k + 4 r bytes into
 * the load r at 28 r, so the four loads of a row are blended into one vector whose dword r of lane
 * k is that pick (then one difference, one byte maximum, one shuffle). The loads reach 116 bytes
 * past the first pick, 12 past the eighth's start. */
AVX2 static Py_ssize_t pick_steps_rgbx_avx2(const unsigned char *p, const unsigned char *q, Py_ssize_t n,
                                           unsigned char *out)
{
    /* byte 0 of dword r of lane 0 -> out 2 r, of lane 1 -> out 2 r + 1; -1 leaves a zero */
    const __m256i to = _mm256_setr_epi8(0, -1, 4, -1, 8, -1, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                        -1, 0, -1, 4, -1, 8, -1, 12, -1, -1, -1, -1, -1, -1, -1, -1);
    Py_ssize_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const unsigned char *pp = p + 16 * i, *qq = q + 16 * i;
        __m256i a = ld32(pp), b = ld32(qq);
        a = _mm256_blend_epi32(a, ld32(pp + 28), 0x22);
        b = _mm256_blend_epi32(b, ld32(qq + 28), 0x22);
        a = _mm256_blend_epi32(a, ld32(pp + 56), 0x44);
        b = _mm256_blend_epi32(b, ld32(qq + 56), 0x44);
        a = _mm256_blend_epi32(a, ld32(pp + 84), 0x88);
        b = _mm256_blend_epi32(b, ld32(qq + 84), 0x88);
        __m256i d = absd32(a, b); /* byte 0 of each dword: the largest of its bytes 0, 1, 2 */
        d = _mm256_max_epu8(_mm256_max_epu8(d, _mm256_srli_epi32(d, 8)), _mm256_srli_epi32(d, 16));
        const __m256i m = _mm256_shuffle_epi8(d, to);
        const uint64_t eight = (uint64_t)_mm256_extract_epi64(m, 0) | (uint64_t)_mm256_extract_epi64(m, 2);
        memcpy(out + i, &eight, 8);
    }
    return i;
}

/* The step between rows p and q (packed RGB) at every fourth pixel, out[i] for the first n - n % 8
 * of n: eight from three loads of 32 bytes of each row, their byte differences; no pixel's three
 * bytes cross a 16-byte lane (12 i mod 16 is 0, 12, 8 or 4), so each lane takes its bytes' maximum
 * with in-lane shifts and gives its picks to their places with one shuffle. The loads reach 11
 * bytes past the eighth pixel's. Returns how many it did. */
AVX2 static Py_ssize_t pick_steps_avx2(const unsigned char *p, const unsigned char *q, Py_ssize_t n, unsigned char *out)
{
    /* lanes of the three loads: picks at byte 0 and 12 (-> out 0, 1), 8 (-> 2); 4 (-> 3), 0 and 12
       (-> 4, 5); 8 (-> 6), 4 (-> 7); -1 leaves a zero */
    const __m256i s0 = _mm256_setr_epi8(0, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                        -1, -1, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i s1 = _mm256_setr_epi8(-1, -1, -1, 4, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                        -1, -1, -1, -1, 0, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i s2 = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                        -1, -1, -1, -1, -1, -1, -1, 4, -1, -1, -1, -1, -1, -1, -1, -1);
    Py_ssize_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const unsigned char *pp = p + 12 * i, *qq = q + 12 * i;
        __m256i a = absd32(ld32(pp), ld32(qq)), b = absd32(ld32(pp + 32), ld32(qq + 32));
        __m256i c = absd32(ld32(pp + 64), ld32(qq + 64));
        a = _mm256_max_epu8(_mm256_max_epu8(a, _mm256_srli_si256(a, 1)), _mm256_srli_si256(a, 2));
        b = _mm256_max_epu8(_mm256_max_epu8(b, _mm256_srli_si256(b, 1)), _mm256_srli_si256(b, 2));
        c = _mm256_max_epu8(_mm256_max_epu8(c, _mm256_srli_si256(c, 1)), _mm256_srli_si256(c, 2));
        const __m256i m = _mm256_or_si256(_mm256_or_si256(_mm256_shuffle_epi8(a, s0), _mm256_shuffle_epi8(b, s1)),
                                          _mm256_shuffle_epi8(c, s2));
        /* each lane's picks sit at their places among its first eight bytes, zeros elsewhere */
        const uint64_t eight = (uint64_t)_mm256_extract_epi64(m, 0) | (uint64_t)_mm256_extract_epi64(m, 2);
        memcpy(out + i, &eight, 8);
    }
    return i;
}
#endif

/* Row y of the view as three channel planes (contiguous: the step loops below vectorise). */
CPU_BUILDS static void gather_row(const image_t *v, Py_ssize_t y, unsigned char *restrict r, unsigned char *restrict g,
                       unsigned char *restrict b)
{
    const unsigned char *restrict p = v->base + y * v->sy;
    Py_ssize_t sx = v->sx, sc = v->sc, x = 0, w = v->w;
#ifdef OUTLINES_SSSE3
    if (have_ssse3 && sc == 1 && (sx == 3 || sx == 6 || sx == 4 || sx == 8))
        x = gather_ssse3(p, w, sx % 3 == 0 ? 3 : 4, sx > 4, r, g, b);
#endif
    /* constant strides (packed RGB or RGBX, every pixel or every second one): the compiler
       vectorises each */
#define GATHER_REST(step)                                                                                       \
    for (; x < w; x++) {                                                                                        \
        r[x] = p[(step) * x];                                                                                   \
        g[x] = p[(step) * x + 1];                                                                               \
        b[x] = p[(step) * x + 2];                                                                               \
    }
    if (sc == 1 && sx == 3) GATHER_REST(3)
    else if (sc == 1 && sx == 4) GATHER_REST(4)
    else if (sc == 1 && sx == 6) GATHER_REST(6)
    else if (sc == 1 && sx == 8) GATHER_REST(8)
    else {
        for (p += x * sx; x < w; x++, p += sx) {
            r[x] = p[0];
            g[x] = p[sc];
            b[x] = p[2 * sc];
        }
    }
#undef GATHER_REST
}

/* row[i + 1] = the breaks among line[0..i] (row[0] is 0), as floats: counted in integers (a float
 * add waits for the one before it four times as long) and converted, the same values while the count
 * stays under 2^24. */
static void prefix_counts(const unsigned char *line, Py_ssize_t n, float *row)
{
    int32_t acc = 0;
    for (Py_ssize_t x = 0; x < n; x++) {
        acc += line[x];
        row[x + 1] = (float)acc;
    }
}

/* out[i] = the step between pixel i of planes (r0, g0, b0) and pixel i of (r1, g1, b1). */
CPU_BUILDS static void plane_steps(const unsigned char *restrict r0, const unsigned char *restrict g0,
                        const unsigned char *restrict b0, const unsigned char *restrict r1,
                        const unsigned char *restrict g1, const unsigned char *restrict b1, Py_ssize_t n,
                        unsigned char *restrict out)
{
#ifdef OUTLINES_AVX2
    if (have_avx2 && n >= 32) {
        plane_steps_avx2(r0, g0, b0, r1, g1, b1, n, out);
        return;
    }
#endif
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char dr = (unsigned char)(r0[i] > r1[i] ? r0[i] - r1[i] : r1[i] - r0[i]);
        unsigned char dg = (unsigned char)(g0[i] > g1[i] ? g0[i] - g1[i] : g1[i] - g0[i]);
        unsigned char db = (unsigned char)(b0[i] > b1[i] ? b0[i] - b1[i] : b1[i] - b0[i]);
        unsigned char m = dr > dg ? dr : dg;
        out[i] = m > db ? m : db;
    }
}

/* thin[i] = whether pixel i of the middle of three lines of planes (r at 0, g at `plane`, b at
 * 2 `plane` from each pointer) is a thin line between the other two (edits._thin_lines: above or
 * below both by EDGE_STEP in some channel), in saturating byte arithmetic, so that it vectorises. */
CPU_BUILDS static void thin_flags(const unsigned char *restrict x, const unsigned char *restrict y,
                                  const unsigned char *restrict z, Py_ssize_t plane, Py_ssize_t n,
                                  unsigned char *restrict out)
{
#ifdef OUTLINES_AVX2
    if (have_avx2 && n >= 32) {
        thin_flags_avx2(x, y, z, plane, n, out);
        return;
    }
#endif
    const unsigned char *restrict x1 = x + plane, *restrict y1 = y + plane, *restrict z1 = z + plane;
    const unsigned char *restrict x2 = x + 2 * plane, *restrict y2 = y + 2 * plane, *restrict z2 = z + 2 * plane;
    for (Py_ssize_t i = 0; i < n; i++)
        out[i] = (unsigned char)(max_u8(max_u8(thin_amount(x[i], y[i], z[i]), thin_amount(x1[i], y1[i], z1[i])),
                                        thin_amount(x2[i], y2[i], z2[i])) >= EDGE_STEP);
}

/* rule_break1 for n steps, every input an array. Writes 0/1 to out; returns the count. */
CPU_BUILDS static Py_ssize_t rule_breaks(const unsigned char *restrict s, const unsigned char *restrict nb,
                                         const unsigned char *restrict na, const unsigned char *restrict b,
                                         const unsigned char *restrict a, const unsigned char *restrict b2,
                                         const unsigned char *restrict a2, const unsigned char *restrict tb,
                                         const unsigned char *restrict ta, Py_ssize_t n, unsigned char *restrict out)
{
#ifdef OUTLINES_AVX2
    if (have_avx2 && n >= 32)
        return rule_breaks_avx2(s, nb, na, b, a, b2, a2, tb, ta, n, out);
#endif
    for (Py_ssize_t i = 0; i < n; i++)
        out[i] = rule_break1(s[i], nb[i], na[i], b[i], a[i], b2[i], a2[i], tb[i], ta[i]);
    uint32_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        count += out[i];
    return (Py_ssize_t)count; /* n < 2 ** 32: lines this long would not fit in memory as pixels */
}

/* plain_break1 for n steps: out[i] 0/1, returns the count. */
CPU_BUILDS static Py_ssize_t plain_breaks(const unsigned char *restrict s, const unsigned char *restrict nb,
                                          const unsigned char *restrict na, const unsigned char *restrict b,
                                          const unsigned char *restrict a, const unsigned char *restrict b2,
                                          const unsigned char *restrict a2, Py_ssize_t n, unsigned char *restrict out)
{
#ifdef OUTLINES_AVX2
    if (have_avx2 && n >= 32)
        return plain_breaks_avx2(s, nb, na, b, a, b2, a2, n, out);
#endif
    for (Py_ssize_t i = 0; i < n; i++)
        out[i] = plain_break1(s[i], nb[i], na[i], b[i], a[i], b2[i], a2[i]);
    uint32_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        count += out[i];
    return (Py_ssize_t)count;
}

/* Breaks of a line of steps s[0..n) given the steps of the lines before and after it and two away
 * (NULL where there is none: at the ends numpy takes the one neighbour there is, the line itself
 * when alone) and the thin flags of the lines of pixels on either side of it (NULL: not thin).
 * `far`: n bytes of 255, `none`: n zero bytes. Writes 0/1 to out and returns the count. */
static Py_ssize_t line_breaks(const unsigned char *s, const unsigned char *before, const unsigned char *after,
                              const unsigned char *before2, const unsigned char *after2,
                              const unsigned char *thin_before, const unsigned char *thin_after,
                              const unsigned char *far, const unsigned char *none, Py_ssize_t n, unsigned char *out)
{
    const unsigned char *nb = before ? before : after ? after : s, *na = after ? after : before ? before : s;
    if (thin_before == NULL && thin_after == NULL)
        return plain_breaks(s, nb, na, before ? before : far, after ? after : far, before2 ? before2 : far,
                            after2 ? after2 : far, n, out);
    return rule_breaks(s, nb, na, before ? before : far, after ? after : far, before2 ? before2 : far,
                       after2 ? after2 : far, thin_before ? thin_before : none, thin_after ? thin_after : none, n, out);
}

/* One step of a line by the same rule, at an end of a row (the few that lack a neighbour). */
static unsigned end_break(const unsigned char *t, const unsigned char *thin, Py_ssize_t m, Py_ssize_t c)
{
    unsigned char b = c >= 1 ? t[c - 1] : 255, a = c + 1 < m ? t[c + 1] : 255;
    unsigned char nb = c >= 1 ? b : c + 1 < m ? a : t[c], na = c + 1 < m ? a : c >= 1 ? b : t[c];
    unsigned char b2 = c >= 2 ? t[c - 2] : 255, a2 = c + 2 < m ? t[c + 2] : 255;
    unsigned char tb = c >= 1 ? thin[c - 1] : 0, ta = c + 1 < m ? thin[c] : 0;
    return rule_break1(t[c], nb, na, b, a, b2, a2, tb, ta);
}

/* Breaks along a row of steps t[0..m) (between columns c and c + 1), written to line[c] (0/1) and
 * added to prof[c]; thin[c - 1] whether pixel column c of the row is thin (1 <= c <= m - 1; NULL
 * without the thin-line rule); `none`: m zero bytes. */
static void add_row_breaks(const unsigned char *t, const unsigned char *thin, const unsigned char *none, Py_ssize_t m,
                           int32_t *prof, unsigned char *line)
{
    Py_ssize_t c;
    const unsigned char *flags = thin ? thin : none;
    for (c = 0; c < m && c < 2; c++)
        line[c] = (unsigned char)end_break(t, flags, m, c);
    if (m > 4 && thin) /* 2 <= c <= m - 3: every neighbour there */
        rule_breaks(t + 2, t + 1, t + 3, t + 1, t + 3, t, t + 4, thin + 1, thin + 2, m - 4, line + 2);
    else if (m > 4)
        plain_breaks(t + 2, t + 1, t + 3, t + 1, t + 3, t, t + 4, m - 4, line + 2);
    for (c = m - 2 > 2 ? m - 2 : 2; c < m; c++)
        line[c] = (unsigned char)end_break(t, flags, m, c);
    for (c = 0; c < m; c++)
        prof[c] += line[c];
}

/* ------------------------------------------------------------------ contrast breaks */

/* win[x] = s[lo] + ... + s[hi - 1], lo = max(x - CONTRAST_WINDOW / 2, 0), hi = min(x + CONTRAST_WINDOW / 2 + 1, n)
 * (edits._contrast_lines' window along a line); at most CONTRAST_WINDOW * 255, so uint16. */
CPU_BUILDS static void window_along(const unsigned char *restrict s, Py_ssize_t n, uint16_t *restrict win)
{
    const Py_ssize_t half = CONTRAST_WINDOW / 2;
    Py_ssize_t x;
    if (n > 2 * half) /* whole windows, one sum each (the loop vectorises) */
        for (x = half; x < n - half; x++) {
            unsigned acc = 0;
            for (Py_ssize_t d = -half; d <= half; d++)
                acc += s[x + d];
            win[x] = (uint16_t)acc;
        }
    for (x = 0; x < n; x++) {
        if (x == half && n - half > half)
            x = n - half; /* past the whole windows */
        Py_ssize_t lo = x - half > 0 ? x - half : 0, hi = x + half + 1 < n ? x + half + 1 : n;
        unsigned acc = 0;
        for (Py_ssize_t t = lo; t < hi; t++)
            acc += s[t];
        win[x] = (uint16_t)acc;
    }
}

/* out[i] = whether win[i] is a contrast break beside the windows before[i] and after[i] over
 * count[i] places (count NULL: `one` for all): win >= CONTRAST_STEP count and win * 2 >= 3 *
 * max(before, after) (sums of the same window, so the means compare alike). Returns how many are
 * set. */
CPU_BUILDS static uint32_t contrast_breaks(const uint16_t *restrict win, const uint16_t *restrict before,
                                           const uint16_t *restrict after, const uint16_t *restrict count,
                                           uint16_t one, Py_ssize_t n, unsigned char *restrict out)
{
    /* in uint16: at most 3 * CONTRAST_WINDOW * 255 */
    uint32_t set = 0;
    if (count != NULL)
        for (Py_ssize_t i = 0; i < n; i++) {
            uint16_t v = win[i], b = before[i] > after[i] ? before[i] : after[i];
            unsigned char o = (unsigned char)((v >= (uint16_t)(CONTRAST_STEP * count[i])) &
                                              ((uint16_t)(v * CONTRAST_RATIO_1) >= (uint16_t)(b * CONTRAST_RATIO_0)));
            out[i] = o;
            set += o;
        }
    else {
        const uint16_t need = (uint16_t)(CONTRAST_STEP * one);
        for (Py_ssize_t i = 0; i < n; i++) {
            uint16_t v = win[i], b = before[i] > after[i] ? before[i] : after[i];
            unsigned char o = (unsigned char)((v >= need) & ((uint16_t)(v * CONTRAST_RATIO_1) >= (uint16_t)(b * CONTRAST_RATIO_0)));
            out[i] = o;
            set += o;
        }
    }
    return set;
}

/* How many pixels the window at each of n positions along a line holds (window_along's hi - lo). */
static void window_counts(Py_ssize_t n, uint16_t *count)
{
    const Py_ssize_t half = CONTRAST_WINDOW / 2;
    for (Py_ssize_t x = 0; x < n; x++) {
        Py_ssize_t lo = x - half > 0 ? x - half : 0, hi = x + half + 1 < n ? x + half + 1 : n;
        count[x] = (uint16_t)(hi - lo);
    }
}

/* The breaks of a row line's windows beside the row lines before and after it (counts: each
 * window's places), found on every CONTRAST_ALONG-th of fw pixels, written to out; returns how
 * many of the fw are set when each stands for the pixels up to the next (np.repeat cut to fw: the
 * last for the rest). */
static int32_t row_line_breaks(const uint16_t *line, const uint16_t *before, const uint16_t *after,
                               const uint16_t *counts, Py_ssize_t w, Py_ssize_t fw, unsigned char *out)
{
    const Py_ssize_t half = CONTRAST_WINDOW / 2;
    uint32_t set;
    if (w <= 2 * half)
        set = contrast_breaks(line, before, after, counts, 0, w, out);
    else /* whole windows in the middle, the ends' shorter ones either side */
        set = contrast_breaks(line, before, after, counts, 0, half, out) +
              contrast_breaks(line + half, before + half, after + half, NULL, CONTRAST_WINDOW, w - 2 * half, out + half) +
              contrast_breaks(line + w - half, before + w - half, after + w - half, counts + w - half, 0, half, out + w - half);
    /* each stands for CONTRAST_ALONG pixels, the last for fw - CONTRAST_ALONG (w - 1) */
    return (int32_t)(CONTRAST_ALONG * set - (uint32_t)(CONTRAST_ALONG * w - fw) * out[w - 1]);
}

/* The m breaks of a full-size line from the n found on every CONTRAST_ALONG-th pixel (np.repeat). */
static void widen(const unsigned char *in, Py_ssize_t m, unsigned char *out)
{
    for (Py_ssize_t x = 0; x < m; x++)
        out[x] = in[x / CONTRAST_ALONG];
}

/* acc[i] += in[i] (add) or -= (subtract), uint16 wrapping: the running window sums. */
CPU_BUILDS static void add_u8(uint16_t *restrict acc, const unsigned char *restrict in, Py_ssize_t n, int subtract)
{
    if (subtract)
        for (Py_ssize_t i = 0; i < n; i++)
            acc[i] = (uint16_t)(acc[i] - in[i]);
    else
        for (Py_ssize_t i = 0; i < n; i++)
            acc[i] = (uint16_t)(acc[i] + in[i]);
}

/* Scratch of contrast_pass (a few lines of the view, see the two passes). */
#define CONTRAST_RING (CONTRAST_WINDOW + 1)
static size_t contrast_scratch(Py_ssize_t h, Py_ssize_t w)
{
    const size_t big = (size_t)(h > w ? h : w) + 1;
    /* planes (6 big), steps and breaks (2 big), a ring of steps (CONTRAST_RING big); uint16: three
       lines of windows and their counts (rows), or sums, counts and tallies (columns) */
    return (8 + CONTRAST_RING) * big + 2 * 4 * big + 64;
}

/* The steps across the row line below row y of c at every CONTRAST_ALONG-th pixel (n of them) into
 * out: for packed pixels (RGB or Pillow's RGBX, a row's pixels side by side) eight at a time from
 * both rows' bytes (pick_steps_avx2), the rest pixel by pixel. The vector loads stay inside the
 * rows: they reach at most 11 (RGB) or 15 (RGBX) bytes past a pixel two (one) before the last pick. */
#if CONTRAST_ALONG != 4
#error "pick_steps_avx2 and pick_steps_rgbx_avx2 take every fourth pixel"
#endif
static void sparse_row_steps(const image_t *c, Py_ssize_t y, Py_ssize_t n, unsigned char *out)
{
    const unsigned char *p = c->base + y * c->sy, *q = p + c->sy;
    const Py_ssize_t stride = CONTRAST_ALONG * c->sx;
    Py_ssize_t i = 0;
#ifdef OUTLINES_AVX2
    if (have_avx2 && c->sc == 1 && c->sx == 3 && n >= 10)
        i = pick_steps_avx2(p, q, n - 2, out);
    else if (have_avx2 && c->sc == 1 && c->sx == 4 && n >= 9)
        i = pick_steps_rgbx_avx2(p, q, n - 1, out);
#endif
    for (; i < n; i++)
        out[i] = (unsigned char)pixel_step(p + i * stride, q + i * stride, c->sc);
}

/* Row lines of _contrast_maps, on every CONTRAST_ALONG-th column of c: one pass down its rows with a
 * few lines' room: the steps across row line y - 1 at those columns (sparse_row_steps) and their
 * windows along it (a ring of three lines); row line k's breaks are made once line k + 1's windows
 * are in (the last after the loop), kept as found (row_breaks: lines of ceil(w / CONTRAST_ALONG),
 * widened in pass 2 for the few candidate lines) and counted as widened. */
static void contrast_rows(const image_t *c, unsigned char *scratch, unsigned char *row_breaks, int32_t *row_prof)
{
    const Py_ssize_t h = c->h, fw = c->w, w = (fw + CONTRAST_ALONG - 1) / CONTRAST_ALONG, nr = h - 1;
    const size_t big = (size_t)(h > fw ? h : fw) + 1;
    unsigned char *steps = scratch + 6 * big;
    uint16_t *rw = (uint16_t *)(((uintptr_t)(steps + 2 * big) + 31) & ~(uintptr_t)31);
    uint16_t *counts = rw + 3 * big;
#define RW(k) (rw + big * ((k) % 3))
    window_counts(w, counts);
    for (Py_ssize_t y = 0; y < h; y++) {
        if (y >= 1) { /* row line y - 1: its windows */
            sparse_row_steps(c, y - 1, w, steps);
            window_along(steps, w, RW(y - 1));
        }
        if (y >= 2) { /* row line y - 2: its neighbours are in (before the first, the one after it) */
            const Py_ssize_t k = y - 2;
            row_prof[k] = row_line_breaks(RW(k), k >= 1 ? RW(k - 1) : RW(k + 1), RW(k + 1), counts, w, fw, row_breaks + k * w);
        }
    }
    if (nr >= 1) { /* the last row line: beside the one before it, or itself when alone */
        const Py_ssize_t k = nr - 1;
        const uint16_t *other = k >= 1 ? RW(k - 1) : RW(k);
        row_prof[k] = row_line_breaks(RW(k), other, other, counts, w, fw, row_breaks + k * w);
    }
#undef RW
}

/* Column lines of _contrast_maps: on v (the view of every CONTRAST_ALONG-th row), one pass down its
 * rows: the steps across row y's column lines join a ring of CONTRAST_RING rows and running window
 * sums down each column line; once row y + CONTRAST_WINDOW / 2 is in (or the last row), row y's
 * windows are whole, and its breaks (each column line beside those left and right of it) go to row
 * y of col_breaks (pass 2 reads it for each of the fh full-size rows it stands for) and to
 * col_prof, once for each of them. */
static void contrast_cols(const image_t *v, Py_ssize_t fh, unsigned char *scratch, unsigned char *col_breaks,
                          int32_t *col_prof)
{
    const Py_ssize_t h = v->h, w = v->w, nc = w - 1, half = CONTRAST_WINDOW / 2;
    const size_t big = (size_t)(h > w ? h : w) + 1;
    if (nc <= 0)
        return;
    unsigned char *planes = scratch, *line = planes + 6 * big, *ring = line + 2 * big;
    uint16_t *acc = (uint16_t *)(((uintptr_t)(ring + CONTRAST_RING * big) + 31) & ~(uintptr_t)31);
    uint16_t *counts = acc + big, *tally = counts + big;
    Py_ssize_t tallied = 0;
    window_counts(h, counts);
    for (Py_ssize_t cl = 0; cl < nc; cl++)
        acc[cl] = tally[cl] = 0;
    for (Py_ssize_t y = 0, yy = -half; yy < h; y++, yy++) {
        if (y < h) { /* row y's column steps join the running sums */
            unsigned char *cur = planes, *in = ring + big * (size_t)(y % CONTRAST_RING);
            gather_row(v, y, cur, cur + w, cur + 2 * w);
            plane_steps(cur, cur + w, cur + 2 * w, cur + 1, cur + w + 1, cur + 2 * w + 1, nc, in);
            add_u8(acc, in, nc, 0);
        }
        if (yy < 0)
            continue;
        if (yy - half - 1 >= 0) { /* the row that left row yy's window */
            const unsigned char *out = ring + big * (size_t)((yy - half - 1) % CONTRAST_RING);
            add_u8(acc, out, nc, 1);
        }
        /* each column line beside those left and right of it (at an end, the one there is; alone,
           itself): the running sums read one place either way, the ends apart */
        unsigned char *out = col_breaks + yy * nc;
        if (nc >= 2) {
            contrast_breaks(acc, acc + 1, acc + 1, NULL, counts[yy], 1, out);
            contrast_breaks(acc + 1, acc, acc + 2, NULL, counts[yy], nc - 2, out + 1);
            contrast_breaks(acc + nc - 1, acc + nc - 2, acc + nc - 2, NULL, counts[yy], 1, out + nc - 1);
        } else
            contrast_breaks(acc, acc, acc, NULL, counts[yy], 1, out);
        /* the full-size rows it stands for: CONTRAST_ALONG, the last perhaps fewer */
        const Py_ssize_t stands = fh - CONTRAST_ALONG * yy < CONTRAST_ALONG ? fh - CONTRAST_ALONG * yy : CONTRAST_ALONG;
        if (stands == CONTRAST_ALONG) { /* tallied once, counted four times when added (tally below 2^14) */
            add_u8(tally, out, nc, 0);
            if (++tallied == 16383) {
                for (Py_ssize_t cl = 0; cl < nc; cl++) {
                    col_prof[cl] += CONTRAST_ALONG * tally[cl];
                    tally[cl] = 0;
                }
                tallied = 0;
            }
        } else {
            for (Py_ssize_t cl = 0; cl < nc; cl++)
                col_prof[cl] += (int32_t)stands * out[cl];
        }
    }
    for (Py_ssize_t cl = 0; cl < nc; cl++)
        col_prof[cl] += CONTRAST_ALONG * tally[cl];
}

/* Pass 1 of find_edge_boxes with `contrast` (edits._contrast_maps): the row lines on every
 * CONTRAST_ALONG-th column, the column lines on every CONTRAST_ALONG-th row (a view of those rows). */
static void contrast_pass(const image_t *c, unsigned char *scratch, unsigned char *row_breaks, unsigned char *col_breaks,
                          int32_t *row_prof, int32_t *col_prof)
{
    contrast_rows(c, scratch, row_breaks, row_prof);
    image_t v = *c;
    v.h = (c->h + CONTRAST_ALONG - 1) / CONTRAST_ALONG;
    v.sy = c->sy * CONTRAST_ALONG;
    contrast_cols(&v, c->h, scratch, col_breaks, col_prof);
}

/* ------------------------------------------------------------------ candidate lines */

/* _strongest(profile, MAX_LINES) in np.argsort(profile, kind="stable")[::-1] order: writes the
 * taken indices, ascending, to taken and returns how many. order/cnt: scratch of n and maxval + 1. */
static int strongest(const int32_t *profile, Py_ssize_t n, Py_ssize_t maxval, int32_t *order, Py_ssize_t *cnt,
                     Py_ssize_t *taken)
{
    Py_ssize_t i, v, look, k;
    int ntaken = 0;
    memset(cnt, 0, (size_t)(maxval + 1) * sizeof(Py_ssize_t));
    for (i = 0; i < n; i++)
        cnt[profile[i]]++;
    Py_ssize_t pos = 0;
    for (v = 0; v <= maxval; v++) {
        Py_ssize_t c = cnt[v];
        cnt[v] = pos;
        pos += c;
    }
    for (i = 0; i < n; i++)
        order[cnt[profile[i]]++] = (int32_t)i; /* stable ascending */
    look = n < (Py_ssize_t)MAX_LINES * LOOK_FACTOR ? n : (Py_ssize_t)MAX_LINES * LOOK_FACTOR;
    for (k = 0; k < look; k++) {
        Py_ssize_t idx = order[n - 1 - k]; /* [::-1] */
        if (profile[idx] <= 0)
            break;
        int far = 1;
        for (int t = 0; t < ntaken; t++) {
            Py_ssize_t d = idx - taken[t];
            if (d <= 2 && d >= -2) {
                far = 0;
                break;
            }
        }
        if (far)
            taken[ntaken++] = idx;
        if (ntaken >= MAX_LINES)
            break;
    }
    for (int a = 1; a < ntaken; a++) { /* sorted(taken) */
        Py_ssize_t x = taken[a];
        int b = a - 1;
        while (b >= 0 && taken[b] > x) {
            taken[b + 1] = taken[b];
            b--;
        }
        taken[b + 1] = x;
    }
    return ntaken;
}

/* ------------------------------------------------------------------ side tables */

/* share() of _side_tables for one line's prefix sums row[0..len]. */
static inline float share(const float *row, Py_ssize_t len, Py_ssize_t lo, Py_ssize_t hi)
{
    lo = lo < 0 ? 0 : lo > len ? len : lo;
    hi = hi < 0 ? 0 : hi > len ? len : hi;
    if (hi <= lo)
        return 0.0f;
    float d = row[hi] - row[lo];
    return (float)((double)d / (double)(hi - lo));
}

/* support[l * P + p] for nl lines (prefix sums rows of len + 1) and the P pairs (i < j,
 * np.triu_indices order) of ends; span[p]; run[l * P + p] set to NaN, for run_on. */
static void side_tables(const float *sums, int nl, Py_ssize_t len, const Py_ssize_t *ends, int ne, float *support,
                        float *run, int64_t *span)
{
    int P = ne * (ne - 1) / 2, p = 0;
    for (int i = 0; i < ne; i++) {
        for (int j = i + 1; j < ne; j++, p++) {
            Py_ssize_t start = ends[i], stop = ends[j];
            span[p] = (int64_t)(stop - start);
            for (int l = 0; l < nl; l++)
                support[l * P + p] = share(sums + (Py_ssize_t)l * (len + 1), len, start + 3, stop - 1);
        }
    }
    memset(run, 0xFF, sizeof(float) * (size_t)nl * (size_t)P); /* all bits set: a NaN */
}

/* _side_tables' run_on for line l and the pair p of ends (start, stop): the larger share of breaks
 * just before start and just after stop. Worked out when a box that passes every other test first
 * asks for it, then kept in run[l * P + p] (shares are never negative; NaN is not yet known): a few
 * boxes pass, and this took two of every three divisions of the side tables. */
static inline float run_on(float *run, int P, int p, int l, const float *sums, Py_ssize_t len, Py_ssize_t start,
                           Py_ssize_t stop)
{
    float *slot = run + l * P + p;
    if (*slot >= 0.0f)
        return *slot;
    int64_t reach = (int64_t)((double)(int64_t)(stop - start) * OUTLINE_REACH);
    if (reach < 2)
        reach = 2;
    const float *row = sums + (Py_ssize_t)l * (len + 1);
    float before = share(row, len, start - (Py_ssize_t)reach + 1, start - 1);
    float after = share(row, len, stop + 3, stop + 3 + (Py_ssize_t)reach);
    return *slot = before >= after ? before : after;
}

/* ------------------------------------------------------------------ boxes */

typedef struct {
    float score;
    int64_t area;
    int32_t idx; /* row pair * column pairs + column pair: np.nonzero's order */
} cand_t;

/* a comes before b in np.lexsort((-area, -score)) */
static inline int cand_before(const cand_t *a, const cand_t *b)
{
    if (a->score != b->score)
        return a->score > b->score;
    if (a->area != b->area)
        return a->area > b->area;
    return a->idx < b->idx;
}

static int cand_cmp(const void *pa, const void *pb)
{
    const cand_t *a = (const cand_t *)pa, *b = (const cand_t *)pb;
    return cand_before(a, b) ? -1 : cand_before(b, a) ? 1 : 0;
}

/* Keep the k best of a stream: heap[0] is the worst kept. */
static void heap_push(cand_t *heap, int *n, int k, const cand_t *c)
{
    int i;
    if (*n < k) {
        i = (*n)++;
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!cand_before(&heap[parent], c))
                break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = *c;
        return;
    }
    if (!cand_before(c, &heap[0]))
        return;
    i = 0;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, worst = -1;
        if (l < *n)
            worst = l;
        if (r < *n && cand_before(&heap[l], &heap[r]))
            worst = r;
        if (worst < 0 || !cand_before(c, &heap[worst]))
            break;
        heap[i] = heap[worst];
        i = worst;
    }
    heap[i] = *c;
}

typedef struct {
    int64_t x0, y0, x1, y1;
} box_t;

static double iou(const box_t *a, const box_t *b)
{
    int64_t ix = (a->x1 < b->x1 ? a->x1 : b->x1) - (a->x0 > b->x0 ? a->x0 : b->x0);
    int64_t iy = (a->y1 < b->y1 ? a->y1 : b->y1) - (a->y0 > b->y0 ? a->y0 : b->y0);
    if (ix < 0)
        ix = 0;
    if (iy < 0)
        iy = 0;
    int64_t inter = ix * iy;
    int64_t uni = (a->x1 - a->x0) * (a->y1 - a->y0) + (b->x1 - b->x0) * (b->y1 - b->y0) - inter;
    return uni ? (double)inter / (double)uni : 0.0;
}

/* ------------------------------------------------------------------ scratch */

typedef struct {
    char *mem;
    size_t used, size;
} arena_t;

static void *take(arena_t *a, size_t bytes)
{
    size_t at = (a->used + 15) & ~(size_t)15;
    if (at + bytes > a->size)
        return NULL; /* sized up front: cannot happen */
    a->used = at + bytes;
    return a->mem + at;
}

/* Pass 2 for one candidate line, into row (len + 1 floats): 0, then the running count of its breaks
 * (`breaks`: len bytes of 0/1, as pass 1 found them), or BORDER_SUPPORT a pixel for a border of the
 * image (`breaks` NULL). */
static void line_sums(const unsigned char *breaks, Py_ssize_t len, float *row)
{
    row[0] = 0.0f;
    if (breaks == NULL) {
        float acc = 0.0f;
        for (Py_ssize_t x = 0; x < len; x++)
            row[x + 1] = acc += (float)BORDER_SUPPORT;
        return;
    }
    prefix_counts(breaks, len, row);
}

/* _find_edge_boxes on view c: writes up to max_regions boxes to out (capacity cap), returns how
 * many, or -1 when out of memory. With `profiles` (break_counts), copies there the breaks each row
 * line and each column line holds (h - 1, then w - 1 counts) and returns 0 after pass 1. With
 * `contrast`, the breaks are _contrast_maps' (contrast_pass), else _edge_maps' (thin: its thin-line
 * rule). */
static int find_edge_boxes(const image_t *c, Py_ssize_t max_regions, box_t *out, int cap, int thin, int contrast,
                           int32_t *profiles)
{
    const Py_ssize_t h = c->h, w = c->w;
    const Py_ssize_t nr = h - 1, nc = w - 1; /* row lines (between rows), column lines */
    const Py_ssize_t big = h > w ? h : w;
    int result = 0;
    /* Scratch, one block: sizes first, then the same takes in the same order. */
    const size_t sizes[] = {
        9 * (size_t)w,                                /* planes: three rows, three planes each */
        2 * (size_t)w,                                /* tbuf: steps along a row, then its thin flags */
        (size_t)(h > 1 ? h - 1 : 0) * (size_t)w,      /* row_breaks: along each row line (pass 1, kept) */
        (size_t)h * (size_t)(w > 1 ? w - 1 : 0),      /* col_breaks: along each row, of the column lines */
        5 * (size_t)big,                              /* sbuf: five lines of steps */
        3 * (size_t)big,                              /* thinbuf: thin flags of three lines of pixels */
        2 * (size_t)big,                              /* far (255s: a missing line of steps), none (0s) */
        (size_t)big,                                  /* line: breaks along one line, or a column line's */
        4 * (size_t)h, 4 * (size_t)w,                 /* row_prof, col_prof */
        4 * (size_t)big,                              /* order */
        sizeof(Py_ssize_t) * (size_t)(big + 2),       /* cnt */
        4 * (size_t)MAX_CAND * (size_t)(w + 1),       /* sums_h */
        4 * (size_t)MAX_CAND * (size_t)(h + 1),       /* sums_v */
        4 * (size_t)MAX_CAND * MAX_PAIRS, 4 * (size_t)MAX_CAND * MAX_PAIRS, /* h_sup, h_run */
        4 * (size_t)MAX_CAND * MAX_PAIRS, 4 * (size_t)MAX_CAND * MAX_PAIRS, /* v_sup, v_run */
        8 * (size_t)MAX_PAIRS, 8 * (size_t)MAX_PAIRS, /* box_w, box_h */
        sizeof(cand_t) * MAX_OUTLINE_CANDIDATES,      /* heap */
        contrast ? contrast_scratch(h, w) : 0,        /* contrast_pass' lines */
    };
    arena_t A;
    A.size = 0;
    A.used = 0;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        A.size += sizes[i] + 16;
    A.mem = (char *)malloc(A.size);
    if (A.mem == NULL)
        return -1;
    int si = 0;
    unsigned char *planes = (unsigned char *)take(&A, sizes[si++]);
    unsigned char *tbuf = (unsigned char *)take(&A, sizes[si++]);
    unsigned char *row_breaks = (unsigned char *)take(&A, sizes[si++]);
    unsigned char *col_breaks = (unsigned char *)take(&A, sizes[si++]);
    unsigned char *sbuf = (unsigned char *)take(&A, sizes[si++]);
    unsigned char *thinbuf = (unsigned char *)take(&A, sizes[si++]);
    unsigned char *far = (unsigned char *)take(&A, sizes[si++]);
    unsigned char *line = (unsigned char *)take(&A, sizes[si++]);
    int32_t *row_prof = (int32_t *)take(&A, sizes[si++]);
    int32_t *col_prof = (int32_t *)take(&A, sizes[si++]);
    int32_t *order = (int32_t *)take(&A, sizes[si++]);
    Py_ssize_t *cnt = (Py_ssize_t *)take(&A, sizes[si++]);
    float *sums_h = (float *)take(&A, sizes[si++]);
    float *sums_v = (float *)take(&A, sizes[si++]);
    float *h_sup = (float *)take(&A, sizes[si++]);
    float *h_run = (float *)take(&A, sizes[si++]);
    float *v_sup = (float *)take(&A, sizes[si++]);
    float *v_run = (float *)take(&A, sizes[si++]);
    int64_t *box_w = (int64_t *)take(&A, sizes[si++]);
    int64_t *box_h = (int64_t *)take(&A, sizes[si++]);
    cand_t *heap = (cand_t *)take(&A, sizes[si++]);
    unsigned char *lines = (unsigned char *)take(&A, sizes[si++]);
    if (heap == NULL || lines == NULL) {
        free(A.mem);
        return -1;
    }

    unsigned char *none = far + big;
    memset(far, 255, (size_t)big);
    memset(none, 0, (size_t)big);

    /* Pass 1: the breaks along every row line and, row by row, across every column line
     * (_edge_maps), kept for pass 2, and how many each line holds. Row line k (between rows k and
     * k + 1) needs the steps of lines k - 2 .. k + 2 and the thin flags of rows k and k + 1: it is
     * counted once row k + 3 is read (rings of 3 rows of planes, 5 lines of steps and 3 rows of thin
     * flags), the last lines after the loop. Row y's breaks between its columns are the breaks of the
     * column lines at y: the same steps, neighbours and thin flags as down a column line. */
    memset(row_prof, 0, 4 * (size_t)h);
    memset(col_prof, 0, 4 * (size_t)w);
    if (contrast)
        contrast_pass(c, lines, row_breaks, col_breaks, row_prof, col_prof);
    else {
#define ROW_PLANES(y) (planes + 3 * w * ((y) % 3))
#define STEPS(k) (sbuf + big * ((k) % 5))
#define THIN(y) (thinbuf + big * ((y) % 3))
        unsigned char *thin_cols = tbuf + w;
        for (Py_ssize_t y = 0; y < h + 3; y++) {
            if (y < h) {
                unsigned char *cur = ROW_PLANES(y);
                gather_row(c, y, cur, cur + w, cur + 2 * w);
                if (nc > 0) {
                    plane_steps(cur, cur + w, cur + 2 * w, cur + 1, cur + w + 1, cur + 2 * w + 1, nc, tbuf);
                    if (thin && w >= 3)
                        thin_flags(cur, cur + 1, cur + 2, w, w - 2, thin_cols);
                    add_row_breaks(tbuf, thin ? thin_cols : NULL, none, nc, col_prof, col_breaks + y * nc);
                }
                if (y >= 1) { /* steps between rows y - 1 and y: row line y - 1 */
                    unsigned char *prev = ROW_PLANES(y - 1);
                    plane_steps(prev, prev + w, prev + 2 * w, cur, cur + w, cur + 2 * w, w, STEPS(y - 1));
                }
                if (thin && y >= 2) /* row y - 1, between rows y - 2 and y */
                    thin_flags(ROW_PLANES(y - 2), ROW_PLANES(y - 1), cur, w, w, THIN(y - 1));
            }
            Py_ssize_t k = y - 3; /* row line k: lines up to k + 2 and rows up to k + 3 are in */
            if (k < 0 || k >= nr)
                continue;
            row_prof[k] = (int32_t)line_breaks(STEPS(k), k >= 1 ? STEPS(k - 1) : NULL, k + 1 < nr ? STEPS(k + 1) : NULL,
                                               k >= 2 ? STEPS(k - 2) : NULL, k + 2 < nr ? STEPS(k + 2) : NULL,
                                               thin && k >= 1 ? THIN(k) : NULL, thin && k + 1 < nr ? THIN(k + 1) : NULL,
                                               far, none, w, row_breaks + k * w);
        }
#undef ROW_PLANES
#undef STEPS
#undef THIN
    }

    if (profiles != NULL) {
        memcpy(profiles, row_prof, 4 * (size_t)(nr > 0 ? nr : 0));
        memcpy(profiles + (nr > 0 ? nr : 0), col_prof, 4 * (size_t)(nc > 0 ? nc : 0));
        free(A.mem);
        return 0;
    }

    /* Candidate lines: the border (-1 and n) and the strongest. */
    Py_ssize_t rows[MAX_CAND], cols[MAX_CAND], taken[MAX_LINES];
    int nR = 0, nC = 0, k;
    rows[nR++] = -1;
    k = nr > 0 ? strongest(row_prof, nr, w, order, cnt, taken) : 0;
    for (int i = 0; i < k; i++)
        rows[nR++] = taken[i];
    rows[nR++] = h - 1;
    cols[nC++] = -1;
    k = nc > 0 ? strongest(col_prof, nc, h, order, cnt, taken) : 0;
    for (int i = 0; i < k; i++)
        cols[nC++] = taken[i];
    cols[nC++] = w - 1;

    /* Pass 2: the breaks along each candidate line, as float32 prefix sums (the border: 0.75), from
     * pass 1's maps (a column line's gathered down the rows). */
    for (int i = 0; i < nR; i++) {
        Py_ssize_t r = rows[i];
        const unsigned char *breaks = NULL;
        if (r >= 0 && r < nr && contrast) { /* kept at every CONTRAST_ALONG-th pixel: widened */
            widen(row_breaks + r * ((w + CONTRAST_ALONG - 1) / CONTRAST_ALONG), w, line);
            breaks = line;
        } else if (r >= 0 && r < nr)
            breaks = row_breaks + r * w;
        line_sums(breaks, w, sums_h + (Py_ssize_t)i * (w + 1));
    }
    for (int i = 0; i < nC; i++) {
        Py_ssize_t cl = cols[i];
        if (cl >= 0 && cl < nc && contrast) /* kept for every CONTRAST_ALONG-th row */
            for (Py_ssize_t y = 0, k = 0; y < h; k++)
                for (int t = 0; t < CONTRAST_ALONG && y < h; t++, y++)
                    line[y] = col_breaks[k * nc + cl];
        else if (cl >= 0 && cl < nc)
            for (Py_ssize_t y = 0; y < h; y++)
                line[y] = col_breaks[y * nc + cl];
        line_sums(cl >= 0 && cl < nc ? line : NULL, h, sums_v + (Py_ssize_t)i * (h + 1));
    }

    /* Side tables: h_* per row line and column pair, v_* per column line and row pair. */
    int PC = nC * (nC - 1) / 2, PR = nR * (nR - 1) / 2;
    side_tables(sums_h, nR, w, cols, nC, h_sup, h_run, box_w);
    side_tables(sums_v, nC, h, rows, nR, v_sup, v_run, box_h);

    /* Every box (row pair, column pair), best MAX_OUTLINE_CANDIDATES kept in lexsort order. */
    const float min_side = (float)MIN_SIDE_SUPPORT, min_mean = (float)MIN_MEAN_SUPPORT;
    const double total = MIN_OUTLINE_SHARE * (double)w * (double)h;
    const double most = MAX_REGION_SHARE * (double)w * (double)h;
    int nheap = 0;
    int pr = 0;
    for (int r0 = 0; r0 < nR; r0++) {
        for (int r1 = r0 + 1; r1 < nR; r1++, pr++) {
            /* column lines whose side between rows r0 and r1 has the support (at most MAX_CAND bits) */
            uint32_t strong = 0;
            for (int cc = 0; cc < nC; cc++)
                if (v_sup[cc * PR + pr] >= min_side)
                    strong |= (uint32_t)1 << cc;
            for (uint32_t left_bits = strong; left_bits; left_bits &= left_bits - 1) {
                const int c0 = ctz32(left_bits); /* the set bits in ascending order, as a scan would */
                const int base_pc = c0 * nC - c0 * (c0 + 1) / 2 - c0 - 1; /* + c1: triu's index of (c0, c1) */
                for (uint32_t right_bits = left_bits & (left_bits - 1); right_bits; right_bits &= right_bits - 1) {
                    const int c1 = ctz32(right_bits);
                    const int pc = base_pc + c1;
                    float top = h_sup[r0 * PC + pc], bottom = h_sup[r1 * PC + pc];
                    if (!(top >= min_side) || !(bottom >= min_side))
                        continue;
                    float left = v_sup[c0 * PR + pr], right = v_sup[c1 * PR + pr];
                    int on_border = (r0 == 0) + (r1 == nR - 1) + (c0 == 0) + (c1 == nC - 1);
                    int64_t bw = box_w[pc], bh = box_h[pr], area = bw * bh;
                    float mean = (((top + bottom) + left) + right) / 4.0f;
                    if (!(mean >= min_mean) || on_border > 2 || bw < MIN_REGION_SIDE / 2 || bh < MIN_REGION_SIDE / 2
                        || !((double)area >= total) || !((double)area <= most) || !((double)bw <= MAX_ASPECT * (double)bh)
                        || !((double)bh <= MAX_ASPECT * (double)bw))
                        continue;
                    float ha = run_on(h_run, PC, pc, r0, sums_h, w, cols[c0], cols[c1]);
                    float hb = run_on(h_run, PC, pc, r1, sums_h, w, cols[c0], cols[c1]);
                    float va = run_on(v_run, PR, pr, c0, sums_v, h, rows[r0], rows[r1]);
                    float vb = run_on(v_run, PR, pr, c1, sums_v, h, rows[r0], rows[r1]);
                    float hm = ha >= hb ? ha : hb, vm = va >= vb ? va : vb;
                    float run = hm >= vm ? hm : vm;
                    float half = 0.5f * run;
                    float x = mean - half;
                    float scaled = x * 100.0f;
                    cand_t cd;
                    cd.score = rintf(scaled) / 100.0f;
                    if (contrast && !(cd.score >= (float)CONTRAST_MIN_SCORE))
                        continue; /* _find_edge_boxes' min_score */
                    cd.area = area;
                    cd.idx = pr * PC + pc;
                    heap_push(heap, &nheap, MAX_OUTLINE_CANDIDATES, &cd);
                }
            }
        }
    }
    qsort(heap, (size_t)nheap, sizeof(cand_t), cand_cmp);

    /* Row pair / column pair of an index: the inverse of the triu enumeration. */
    int pr_r0[MAX_PAIRS], pr_r1[MAX_PAIRS], pc_c0[MAX_PAIRS], pc_c1[MAX_PAIRS];
    {
        int p = 0;
        for (int i = 0; i < nR; i++)
            for (int j = i + 1; j < nR; j++, p++) {
                pr_r0[p] = i;
                pr_r1[p] = j;
            }
        p = 0;
        for (int i = 0; i < nC; i++)
            for (int j = i + 1; j < nC; j++, p++) {
                pc_c0[p] = i;
                pc_c1[p] = j;
            }
    }
    for (int n = 0; n < nheap; n++) {
        int a = heap[n].idx / PC, b = heap[n].idx % PC;
        box_t bx;
        bx.x0 = cols[pc_c0[b]] + 1;
        bx.y0 = rows[pr_r0[a]] + 1;
        bx.x1 = cols[pc_c1[b]] + 1;
        bx.y1 = rows[pr_r1[a]] + 1;
        int fresh = 1;
        for (int o = 0; o < result; o++)
            if (!(iou(&bx, &out[o]) < OVERLAP)) {
                fresh = 0;
                break;
            }
        if (fresh && result < cap)
            out[result++] = bx;
        if (result >= max_regions)
            break;
    }
    free(A.mem);
    return result;
}

/* _refine_side on the full view. */
static int64_t refine_side(const image_t *a, int64_t guess, int64_t lo, int64_t hi, int64_t reach, int horizontal)
{
    int64_t limit = horizontal ? a->h : a->w, other = horizontal ? a->w : a->h;
    if (guess <= 0 || guess >= limit)
        return guess;
    int64_t first = guess - reach > 1 ? guess - reach : 1;
    int64_t last = guess + reach < limit - 1 ? guess + reach : limit - 1;
    if (last < first || hi <= lo)
        return guess;
    /* numpy slices lo:hi (both >= 0 here); a slice past the end stops at the end */
    if (hi > other)
        hi = other;
    if (lo > other)
        lo = other;
    Py_ssize_t along = horizontal ? a->sx : a->sy, across = horizontal ? a->sy : a->sx;
    int64_t best = -1, best_k = 0;
    for (int64_t k = 0; k <= last - first; k++) {
        const unsigned char *p = a->base + (first - 1 + k) * across + lo * along;
        int64_t count = 0;
        for (int64_t t = lo; t < hi; t++, p += along)
            count += pixel_step(p, p + across, a->sc) >= EDGE_STEP;
        if (count > best) {
            best = count;
            best_k = k;
        }
    }
    return first + best_k;
}

/* ------------------------------------------------------------------ seams (grid_cells) */

/* Lines of a collage's seams on the view of every step-th pixel: (rows, columns, row counts, column
 * counts). The counts are bytes of the view's h and w native int64: count i (1 <= i < lines) of the
 * sample-th positions along line i where the step between line i - 1 and line i is at least
 * EDGE_STEP, count 0 zero; rows and columns list the i where that count is at least share of the
 * positions (compared in double, as numpy compares the int64 counts with the float64 product).
 * edits._seam_lines_numpy on the planes of a[::step, ::step]. */
static PyObject *seam_lines(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t step, sample;
    double share;
    Py_buffer buf;
    image_t a;
    (void)self;
    if (!PyArg_ParseTuple(args, "Onnd:seam_lines", &obj, &step, &sample, &share))
        return NULL;
    if (step < 1 || sample < 1) {
        PyErr_SetString(PyExc_ValueError, "step and sample must be at least 1");
        return NULL;
    }
    if (get_image(obj, &buf, &a) < 0)
        return NULL;
    image_t c = a;
    c.h = (a.h + step - 1) / step;
    c.w = (a.w + step - 1) / step;
    c.sy = a.sy * step;
    c.sx = a.sx * step;
    PyObject *out[4] = {PyList_New(0), PyList_New(0), NULL, NULL};
    Py_ssize_t *counts[2] = {NULL, NULL}; /* counts[0][i]: row line i, counts[1][i]: column line i */
    if (out[0] == NULL || out[1] == NULL)
        goto fail;
    counts[0] = (Py_ssize_t *)calloc((size_t)(c.h > 0 ? c.h : 1), sizeof(Py_ssize_t));
    counts[1] = (Py_ssize_t *)calloc((size_t)(c.w > 0 ? c.w : 1), sizeof(Py_ssize_t));
    if (counts[0] == NULL || counts[1] == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    /* One pass down the rows, reading along them: row line y (between rows y - 1 and y) at every
       sample-th column, and, on every sample-th row, every column line. */
    for (Py_ssize_t y = 0; y < c.h; y++) {
        const unsigned char *row = c.base + y * c.sy;
        if (y >= 1) {
            const unsigned char *p = row - c.sy;
            for (Py_ssize_t t = 0; t < c.w; t += sample, p += sample * c.sx)
                counts[0][y] += pixel_step(p, p + c.sy, c.sc) >= EDGE_STEP;
        }
        if (y % sample == 0) {
            const unsigned char *p = row;
            for (Py_ssize_t i = 1; i < c.w; i++, p += c.sx)
                counts[1][i] += pixel_step(p, p + c.sx, c.sc) >= EDGE_STEP;
        }
    }
    for (int axis = 0; axis < 2; axis++) {
        Py_ssize_t lines = axis == 0 ? c.h : c.w, length = axis == 0 ? c.w : c.h;
        Py_ssize_t samples = (length + sample - 1) / sample;
        double need = share * (double)samples;
        for (Py_ssize_t i = 1; i < lines && samples > 0; i++) {
            if ((double)counts[axis][i] >= need) {
                PyObject *v = PyLong_FromSsize_t(i);
                if (v == NULL || PyList_Append(out[axis], v) < 0) {
                    Py_XDECREF(v);
                    goto fail;
                }
                Py_DECREF(v);
            }
        }
        /* the counts as int64 bytes: numpy reads them without a list */
        out[2 + axis] = PyBytes_FromStringAndSize(NULL, (lines > 0 ? lines : 0) * (Py_ssize_t)sizeof(int64_t));
        if (out[2 + axis] == NULL)
            goto fail;
        int64_t *v = (int64_t *)PyBytes_AS_STRING(out[2 + axis]);
        for (Py_ssize_t i = 0; i < lines; i++)
            v[i] = (int64_t)counts[axis][i];
    }
    free(counts[0]);
    free(counts[1]);
    PyBuffer_Release(&buf);
    PyObject *result = PyTuple_Pack(4, out[0], out[1], out[2], out[3]);
    for (int k = 0; k < 4; k++)
        Py_DECREF(out[k]);
    return result;
fail:
    free(counts[0]);
    free(counts[1]);
    for (int k = 0; k < 4; k++)
        Py_XDECREF(out[k]);
    PyBuffer_Release(&buf);
    return NULL;
}

/* ------------------------------------------------------------------ module */

/* Whether find_edge_boxes' scratch sizes (a few times h w bytes) could overflow for a view this size
 * (a view with zero strides can claim any shape without the memory behind it). */
static int too_large(const image_t *a) { return a->h > PY_SSIZE_T_MAX / 1024 || a->w > PY_SSIZE_T_MAX / 1024; }

static PyObject *edge_boxes(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"a", "max_regions", "contrast", NULL};
    PyObject *obj;
    Py_ssize_t max_regions;
    int contrast = 0;
    Py_buffer buf;
    image_t a;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "On|p:edge_boxes", kwlist, &obj, &max_regions, &contrast))
        return NULL;
    if (get_image(obj, &buf, &a) < 0)
        return NULL;
    if (max_regions <= 0 || a.w < 2 * MIN_REGION_SIDE || a.h < 2 * MIN_REGION_SIDE) {
        PyBuffer_Release(&buf);
        return PyList_New(0);
    }
    if (too_large(&a)) {
        PyBuffer_Release(&buf);
        return PyErr_NoMemory();
    }
    int cap = max_regions < MAX_OUTLINE_CANDIDATES ? (int)max_regions : MAX_OUTLINE_CANDIDATES;
    box_t boxes[MAX_OUTLINE_CANDIDATES];
    int n, kept = 0;
    Py_BEGIN_ALLOW_THREADS
    /* contrast breaks are found on the view as given (edits._edge_boxes_numpy) */
    int64_t step = !contrast && (a.h > a.w ? a.h : a.w) > STEP_ABOVE ? 2 : 1;
    image_t c = a;
    c.h = (a.h + step - 1) / step;
    c.w = (a.w + step - 1) / step;
    c.sy = a.sy * step;
    c.sx = a.sx * step;
    n = find_edge_boxes(&c, max_regions, boxes, cap, step > 1, contrast, NULL);
    for (int i = 0; i < n; i++) {
        int64_t x0 = boxes[i].x0 * step, y0 = boxes[i].y0 * step;
        int64_t x1 = boxes[i].x1 * step, y1 = boxes[i].y1 * step;
        if (x1 > a.w)
            x1 = a.w;
        if (y1 > a.h)
            y1 = a.h;
        if (step > 1) {
            int64_t reach = step + 1;
            y0 = refine_side(&a, y0, x0 + 2, x1 - 2, reach, 1);
            y1 = refine_side(&a, y1, x0 + 2, x1 - 2, reach, 1);
            x0 = refine_side(&a, x0, y0 + 2, y1 - 2, reach, 0);
            x1 = refine_side(&a, x1, y0 + 2, y1 - 2, reach, 0);
        }
        if (x1 - x0 >= MIN_REGION_SIDE && y1 - y0 >= MIN_REGION_SIDE) {
            boxes[kept].x0 = x0;
            boxes[kept].y0 = y0;
            boxes[kept].x1 = x1;
            boxes[kept].y1 = y1;
            kept++;
        }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&buf);
    if (n < 0)
        return PyErr_NoMemory();
    PyObject *list = PyList_New(kept);
    if (list == NULL)
        return NULL;
    for (int i = 0; i < kept; i++) {
        PyObject *t = Py_BuildValue("(LLLL)", (long long)boxes[i].x0, (long long)boxes[i].y0, (long long)boxes[i].x1,
                                    (long long)boxes[i].y1);
        if (t == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, t);
    }
    return list;
}

/* break_counts(a, thin, contrast=False): pass 1 alone, for the tests: the breaks on each row line
 * and column line. */
static PyObject *break_counts(PyObject *self, PyObject *args)
{
    PyObject *obj;
    int thin, contrast = 0;
    Py_buffer buf;
    image_t a;
    (void)self;
    if (!PyArg_ParseTuple(args, "Op|p:break_counts", &obj, &thin, &contrast))
        return NULL;
    if (get_image(obj, &buf, &a) < 0)
        return NULL;
    if (too_large(&a)) {
        PyBuffer_Release(&buf);
        return PyErr_NoMemory();
    }
    const int empty = a.h == 0 || a.w == 0;
    const Py_ssize_t nr = !empty && a.h > 1 ? a.h - 1 : 0, nc = !empty && a.w > 1 ? a.w - 1 : 0;
    int32_t *profiles = (int32_t *)malloc(4 * (size_t)(nr + nc + 1));
    box_t unused[1];
    int failed = profiles == NULL || (!empty && find_edge_boxes(&a, 1, unused, 1, thin, contrast, profiles) < 0);
    PyBuffer_Release(&buf);
    if (failed) {
        free(profiles);
        return PyErr_NoMemory();
    }
    PyObject *lists[2] = {PyList_New(nr), PyList_New(nc)}, *out = NULL;
    int ok = lists[0] != NULL && lists[1] != NULL;
    for (Py_ssize_t i = 0; ok && i < nr + nc; i++) {
        PyObject *v = PyLong_FromLong(profiles[i]);
        if (v == NULL)
            ok = 0;
        else if (i < nr)
            PyList_SET_ITEM(lists[0], i, v);
        else
            PyList_SET_ITEM(lists[1], i - nr, v);
    }
    if (ok)
        out = PyTuple_Pack(2, lists[0], lists[1]);
    Py_XDECREF(lists[0]);
    Py_XDECREF(lists[1]);
    free(profiles);
    return out;
}

static PyObject *constants(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return Py_BuildValue("{s:i,s:(ii),s:i,s:i,s:i,s:d,s:d,s:d,s:i,s:d,s:i,s:d,s:d,s:d,s:i,s:i,s:(ii),s:d,s:i}", "EDGE_STEP", EDGE_STEP,
                         "EDGE_RATIO", EDGE_RATIO_0, EDGE_RATIO_1, "SMOOTH_SIDE", SMOOTH_SIDE, "SMOOTH_SIDE_STEP",
                         SMOOTH_SIDE_STEP, "MAX_LINES", MAX_LINES, "MIN_SIDE_SUPPORT", MIN_SIDE_SUPPORT,
                         "MIN_MEAN_SUPPORT", MIN_MEAN_SUPPORT, "BORDER_SUPPORT", BORDER_SUPPORT,
                         "MAX_OUTLINE_CANDIDATES", MAX_OUTLINE_CANDIDATES, "OUTLINE_REACH", OUTLINE_REACH,
                         "MIN_REGION_SIDE", MIN_REGION_SIDE, "MIN_OUTLINE_SHARE", MIN_OUTLINE_SHARE,
                         "MAX_REGION_SHARE", MAX_REGION_SHARE, "MAX_ASPECT", MAX_ASPECT, "CONTRAST_WINDOW",
                         CONTRAST_WINDOW, "CONTRAST_STEP", CONTRAST_STEP, "CONTRAST_RATIO", CONTRAST_RATIO_0,
                         CONTRAST_RATIO_1, "CONTRAST_MIN_SCORE", CONTRAST_MIN_SCORE,
                         "CONTRAST_ALONG", CONTRAST_ALONG);
}

static PyMethodDef methods[] = {
    {"edge_boxes", (PyCFunction)(void (*)(void))edge_boxes, METH_VARARGS | METH_KEYWORDS,
     "edge_boxes(a, max_regions, contrast=False) -> list of (x0, y0, x1, y1)\n\n"
     "childsafe.media.edits._edge_boxes_numpy(a, max_regions=max_regions, contrast=contrast), compiled:\n"
     "boxes outlined by sharp colour breaks in an (h, w, 3) uint8 array (any strides), best first."},
    {"seam_lines", seam_lines, METH_VARARGS,
     "seam_lines(a, step, sample, share) -> (rows, columns, row_counts, column_counts)\n\n"
     "How many of every sample-th position along each line of a[::step, ::step] break from the line\n"
     "before (bytes of native int64), and the lines where that is at least share of them\n"
     "(childsafe.media.edits._seam_lines_numpy)."},
    {"break_counts", break_counts, METH_VARARGS,
     "break_counts(a, thin, contrast=False) -> (rows, columns)\n\n"
     "How many breaks each row line and each column line of a holds (edge_boxes' first pass, with or\n"
     "without the thin-line rule): childsafe.media.edits._edge_maps(a, thin) summed along each line, or\n"
     "with contrast _contrast_maps(a)."},
    {"constants", constants, METH_NOARGS,
     "The constants compiled in, by their names in childsafe.media.edits (the tests compare them)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_outlines",
                                    "Outline finding of childsafe.media.edits (edge_boxes), compiled.", -1, methods};

PyMODINIT_FUNC PyInit__outlines(void)
{
#ifdef OUTLINES_SSSE3
    __builtin_cpu_init();
    have_ssse3 = __builtin_cpu_supports("ssse3") ? 1 : 0;
#endif
#ifdef OUTLINES_AVX2
    have_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
#endif
    return PyModule_Create(&module);
}
