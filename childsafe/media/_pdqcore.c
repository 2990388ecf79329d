/* The arithmetic of childsafe.media.pdq: luma, the reference's two-pass box blur kept at 64 x 64
 * samples (as banded weights, `band`), the 16 x 16 DCT and the quality metric.
 *
 * One thread, no BLAS: a multi-threaded BLAS on a busy machine spent 30 ms on what takes 0.4 ms
 * here. Everything is bounded by the image's size; the buffers are checked before any pixel is read.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h> /* every x86-64 CPU has SSE2; elsewhere the plain loops below, same results */
#endif
#include "_rgb_split.h"

#define N 64
#define K 16

static float dct[K][N];   /* filled once when the module is imported */
static float dct_t[N][K]; /* the same, transposed */

/* Whether a buffer (taken with PyBUF_FORMAT) holds uint8 ("B" or "=B"). */
static int is_uint8(const Py_buffer *v) {
    return v->itemsize == 1 && v->format != NULL && (strcmp(v->format, "B") == 0 || strcmp(v->format, "=B") == 0);
}

static int get_float_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t want, int writable, const char *what) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) return -1;
    if (view->itemsize != 4 || view->format == NULL || strcmp(view->format, "f") != 0 || view->len != want * 4) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd contiguous float32 values", what, want);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static int get_int_buffer(PyObject *obj, Py_buffer *view, Py_ssize_t want, const char *what) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return -1;
    if (view->itemsize != 4 || view->format == NULL || (strcmp(view->format, "i") != 0 && strcmp(view->format, "=i") != 0
                                                         && strcmp(view->format, "<i") != 0)
        || view->len != want * 4) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd contiguous int32 values", what, want);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define PDQ_AVX2 1
static int use_avx2; /* set at import where the CPU has AVX2; a test may switch it off (set_avx2) */
#endif

/* The vector loops (kept rows, columns, the DCT), from one body for both register widths: _pdqcore_simd.h.
   (Written out for each width they were the same lines twice; one body in GCC's vector extensions,
   built for both, came out 2 to 4 times slower in both. Included per width with the intrinsics
   named, it is the same code as written out.) */
#if defined(__SSE2__)
/* Four bytes as four floats (SSE2 has no byte-to-int widening load). */
static inline __m128 u8x4_sse2(const unsigned char *p) {
    int32_t v;
    memcpy(&v, p, 4);
    const __m128i zero = _mm_setzero_si128();
    return _mm_cvtepi32_ps(_mm_unpacklo_epi16(_mm_unpacklo_epi8(_mm_cvtsi32_si128(v), zero), zero));
}
/* Thirty-two bytes as eight registers of four floats: two loads, widened in halves. */
static inline void u8x32_sse2(const unsigned char *p, __m128 f[8]) {
    const __m128i zero = _mm_setzero_si128();
    for (int h = 0; h < 2; h++) {
        const __m128i px = _mm_loadu_si128((const __m128i *)(p + 16 * h));
        const __m128i lo = _mm_unpacklo_epi8(px, zero), hi = _mm_unpackhi_epi8(px, zero);
        f[4 * h] = _mm_cvtepi32_ps(_mm_unpacklo_epi16(lo, zero));
        f[4 * h + 1] = _mm_cvtepi32_ps(_mm_unpackhi_epi16(lo, zero));
        f[4 * h + 2] = _mm_cvtepi32_ps(_mm_unpacklo_epi16(hi, zero));
        f[4 * h + 3] = _mm_cvtepi32_ps(_mm_unpackhi_epi16(hi, zero));
    }
}
/* The N rows of src (each `ss` floats apart, nc long) as nc rows of N floats at dst: dst[c][r] =
   src[r][c], four by four in registers, the last columns (nc not a multiple of four) one by one. */
static void transpose_rows(const float *src, Py_ssize_t ss, Py_ssize_t nc, float *dst) {
    const Py_ssize_t whole = nc - nc % 4;
    for (int r = 0; r < N; r += 4) /* along the rows: a column of a long image is a read a page apart */
        for (Py_ssize_t c = 0; c < whole; c += 4) {
            __m128 a = _mm_loadu_ps(src + r * ss + c), b = _mm_loadu_ps(src + (r + 1) * ss + c);
            __m128 e = _mm_loadu_ps(src + (r + 2) * ss + c), f = _mm_loadu_ps(src + (r + 3) * ss + c);
            _MM_TRANSPOSE4_PS(a, b, e, f);
            _mm_storeu_ps(dst + c * N + r, a);
            _mm_storeu_ps(dst + (c + 1) * N + r, b);
            _mm_storeu_ps(dst + (c + 2) * N + r, e);
            _mm_storeu_ps(dst + (c + 3) * N + r, f);
        }
    for (Py_ssize_t c = whole; c < nc; c++)
        for (int r = 0; r < N; r++) dst[c * N + r] = src[r * ss + c];
}
#define V_NAME(f) f##_sse2
#define V_TARGET
#define V_LANES 4
#define VEC __m128
#define V_ZERO() _mm_setzero_ps()
#define V_LOAD(p) _mm_loadu_ps(p)
#define V_STORE(p, v) _mm_storeu_ps(p, v)
#define V_SET1(x) _mm_set1_ps(x)
#define V_ADD(a, b) _mm_add_ps(a, b)
#define V_MUL(a, b) _mm_mul_ps(a, b)
#define V_U8(p) u8x4_sse2(p)
#define V_U8_BLOCK(p, f) u8x32_sse2(p, f)
#include "_pdqcore_simd.h"
#endif

#ifdef PDQ_AVX2
#define V_NAME(f) f##_avx2
#define V_TARGET __attribute__((target("avx2")))
#define V_LANES 8
#define VEC __m256
#define V_ZERO() _mm256_setzero_ps()
#define V_LOAD(p) _mm256_loadu_ps(p)
#define V_STORE(p, v) _mm256_storeu_ps(p, v)
#define V_SET1(x) _mm256_set1_ps(x)
#define V_ADD(a, b) _mm256_add_ps(a, b)
#define V_MUL(a, b) _mm256_mul_ps(a, b)
#define V_U8(p) _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p))))
#define V_U8_BLOCK(p, f) for (int m_ = 0; m_ < 8; m_++) (f)[m_] = V_U8((p) + 8 * m_)
#include "_pdqcore_simd.h"
#endif

#if !defined(__SSE2__)
/* columns' plain loops, built twice where GCC and glibc let the CPU choose at load time (ifunc): with
   AVX2 the compiler makes them eight floats wide, each lane the same multiply and add in the same
   order (no contraction), so the same floats. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__)
#define PDQ_CPU_BUILDS __attribute__((target_clones("avx2", "default")))
#else
#define PDQ_CPU_BUILDS
#endif

/* Kept columns of the kept rows (N of w floats each) into g. With `mirror` (then `reversed` has room
   for w floats), those of the picture flipped left to right: its kept row i is this one read right
   to left, so its column j sums row[w - 1 - (x_start[j] + k)] for k = 0, 1, ...: the row is copied
   reversed first and summed as a plain one (the same floats; gathering from the far end directly was
   three times slower: every element a scalar load and store the vector loop then waits on).

   Column j of row i is acc = 0, then acc += weight[j][k] * pixel for k = 0, 1, ...: the same
   operations in the same order as the reference's loop, so the same float. They run for all 64
   columns of a row side by side (the pixels gathered first, the weights transposed: xwt_t[k][j]),
   which the compiler turns into vector arithmetic where one column at a time was a chain of
   dependent scalar adds. */
PDQ_CPU_BUILDS static void columns(const float *rows, Py_ssize_t w, const int *xstart, const float *xwt_t, Py_ssize_t xband,
                    float *restrict reversed, float *g) {
    for (int i = 0; i < N; i++) {
        const float *row = rows + (size_t)i * (size_t)w;
        if (reversed != NULL) {
            for (Py_ssize_t x = 0; x < w; x++) reversed[x] = row[w - 1 - x];
            row = reversed;
        }
        float acc[N], px[N];
        for (int j = 0; j < N; j++) acc[j] = 0.0f;
        for (Py_ssize_t k = 0; k < xband; k++) {
            for (int j = 0; j < N; j++) px[j] = row[xstart[j] + k];
            const float *wt = xwt_t + (size_t)k * N;
            for (int j = 0; j < N; j++) acc[j] += wt[j] * px[j];
        }
        memcpy(g + i * N, acc, sizeof acc);
    }
}
#endif

/* The reference's DCT: D (16 x 64), D[u][j] = sqrt(2/64) cos(pi/128 (u + 1)(2j + 1)); out = D g D^T.
   t[u][j] = 0 + D[u][0] g[0][j] + D[u][1] g[1][j] + ... and out[u][v] = 0 + t[u][0] D[v][0] + ...,
   each sum in that order, one multiply and one add a term: the reference's floats, to the bit. With
   SSE2 or AVX2 (_pdqcore_simd.h), t is made four rows of D by two registers of columns of g at a
   time with the sums in registers (it was loaded and stored at every term), and out sixteen v at a
   time from D transposed: 1.8 times faster with SSE2, the same operations in the same order in every
   lane. */
static void dct16(const float *g, float *out) {
#ifdef PDQ_AVX2
    if (use_avx2) {
        dct16_avx2(g, out);
        return;
    }
#endif
#if defined(__SSE2__)
    dct16_sse2(g, out);
#else
    float t[K][N];
    for (int u = 0; u < K; u++) {
        for (int j = 0; j < N; j++) t[u][j] = 0.0f;
        for (int i = 0; i < N; i++) {
            float d = dct[u][i];
            const float *gr = g + i * N;
            for (int j = 0; j < N; j++) t[u][j] += d * gr[j];
        }
    }
    for (int u = 0; u < K; u++) {
        float acc[K];
        for (int v = 0; v < K; v++) acc[v] = 0.0f;
        for (int j = 0; j < N; j++) {
            float tj = t[u][j];
            for (int v = 0; v < K; v++) acc[v] += tj * dct_t[j][v];
        }
        for (int v = 0; v < K; v++) out[u * K + v] = acc[v];
    }
#endif
}

/* Quality: the reference's gradients between neighbouring samples as whole percents of 255, summed,
   / 90, at most 100. |d| is at most 100 for samples within 0..255; any larger (weights that are not
   a blur's, infinities, NaN) is held at 9000, which alone makes the quality 100, before the
   conversion to an integer (out of range, it would be undefined). The sum fits an int: at most
   2 * 63 * 64 * 9000. Written so that it vectorises. */
static int quality_of(const float *g) {
    int sum = 0;
    for (int i = 0; i < N - 1; i++)
        for (int j = 0; j < N; j++) {
            float d = fabsf(((g[i * N + j] - g[(i + 1) * N + j]) * 100.0f) / 255.0f);
            sum += (int)(d < 9000.0f ? d : 9000.0f);
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N - 1; j++) {
            float d = fabsf(((g[i * N + j] - g[i * N + j + 1]) * 100.0f) / 255.0f);
            sum += (int)(d < 9000.0f ? d : 9000.0f);
        }
    int quality = sum / 90;
    return quality > 100 ? 100 : quality;
}

/* samples(pixels, y_start, y_weights, y_band, x_start, x_weights, x_band, grid_out, coeffs_out) -> quality
 *
 * pixels: (h, w) or (h, w, 3) uint8, any strides. Kept row i is sum_k y_weights[i, k] * luma[y_start[i] + k]
 * (k < y_band); columns alike. grid_out (64 x 64 float32) gets the samples, coeffs_out (16 x 16) their
 * DCT; the return value is the reference's quality metric of the samples. With mirror_grid_out and
 * mirror_coeffs_out (optional) the same for the picture flipped left to right, from the same kept rows
 * read right to left: the very sums, in the very order, that hashing the flipped pixels makes.
 */
static PyObject *samples(PyObject *self, PyObject *args) {
    PyObject *pix_obj, *ys_obj, *yw_obj, *xs_obj, *xw_obj, *grid_obj, *coef_obj, *grid2_obj = NULL, *coef2_obj = NULL;
    Py_ssize_t yband, xband;
    if (!PyArg_ParseTuple(args, "OOOnOOnOO|OO", &pix_obj, &ys_obj, &yw_obj, &yband, &xs_obj, &xw_obj, &xband, &grid_obj,
                          &coef_obj, &grid2_obj, &coef2_obj))
        return NULL;
    if ((grid2_obj == NULL) != (coef2_obj == NULL)) {
        PyErr_SetString(PyExc_TypeError, "give both mirror_grid_out and mirror_coeffs_out, or neither");
        return NULL;
    }
    Py_buffer pix, ys, yw, xs, xw, grid, coef;
    if (PyObject_GetBuffer(pix_obj, &pix, PyBUF_STRIDES | PyBUF_FORMAT) < 0) return NULL;
    int channels;
    if (!is_uint8(&pix)) {
        PyErr_SetString(PyExc_ValueError, "pixels must be uint8");
        PyBuffer_Release(&pix);
        return NULL;
    }
    if (pix.ndim == 2) {
        channels = 1;
    } else if (pix.ndim == 3 && pix.shape[2] == 3) {
        channels = 3;
    } else {
        PyErr_SetString(PyExc_ValueError, "pixels must be (h, w) grey or (h, w, 3) RGB");
        PyBuffer_Release(&pix);
        return NULL;
    }
    Py_ssize_t h = pix.shape[0], w = pix.shape[1];
    /* The sizes below (N * band floats, N * w floats) must not overflow: a view with zero strides
     * can claim any shape without the memory behind it. */
    if (h <= 0 || w <= 0 || yband <= 0 || xband <= 0 || yband > h || xband > w
        || h > PY_SSIZE_T_MAX / (Py_ssize_t)(sizeof(float) * N * 2) || w > PY_SSIZE_T_MAX / (Py_ssize_t)(sizeof(float) * (N * 3 + 1))) {
        PyErr_SetString(PyExc_ValueError, "pixels and bands do not fit");
        PyBuffer_Release(&pix);
        return NULL;
    }
    if (get_int_buffer(ys_obj, &ys, N, "y_start") < 0) { PyBuffer_Release(&pix); return NULL; }
    if (get_float_buffer(yw_obj, &yw, N * yband, 0, "y_weights") < 0) {
        PyBuffer_Release(&pix); PyBuffer_Release(&ys); return NULL;
    }
    if (get_int_buffer(xs_obj, &xs, N, "x_start") < 0) {
        PyBuffer_Release(&pix); PyBuffer_Release(&ys); PyBuffer_Release(&yw); return NULL;
    }
    if (get_float_buffer(xw_obj, &xw, N * xband, 0, "x_weights") < 0) {
        PyBuffer_Release(&pix); PyBuffer_Release(&ys); PyBuffer_Release(&yw); PyBuffer_Release(&xs); return NULL;
    }
    if (get_float_buffer(grid_obj, &grid, N * N, 1, "grid_out") < 0) {
        PyBuffer_Release(&pix); PyBuffer_Release(&ys); PyBuffer_Release(&yw); PyBuffer_Release(&xs);
        PyBuffer_Release(&xw); return NULL;
    }
    if (get_float_buffer(coef_obj, &coef, K * K, 1, "coeffs_out") < 0) {
        PyBuffer_Release(&pix); PyBuffer_Release(&ys); PyBuffer_Release(&yw); PyBuffer_Release(&xs);
        PyBuffer_Release(&xw); PyBuffer_Release(&grid); return NULL;
    }
    Py_buffer grid2, coef2;
    int mirror = grid2_obj != NULL;
    if (mirror && get_float_buffer(grid2_obj, &grid2, N * N, 1, "mirror_grid_out") < 0) {
        PyBuffer_Release(&pix); PyBuffer_Release(&ys); PyBuffer_Release(&yw); PyBuffer_Release(&xs);
        PyBuffer_Release(&xw); PyBuffer_Release(&grid); PyBuffer_Release(&coef); return NULL;
    }
    if (mirror && get_float_buffer(coef2_obj, &coef2, K * K, 1, "mirror_coeffs_out") < 0) {
        PyBuffer_Release(&pix); PyBuffer_Release(&ys); PyBuffer_Release(&yw); PyBuffer_Release(&xs);
        PyBuffer_Release(&xw); PyBuffer_Release(&grid); PyBuffer_Release(&coef); PyBuffer_Release(&grid2); return NULL;
    }
    /* Copied before they are checked: the arrays stay writable by other threads once the GIL is released. */
    int ystart[N], xstart[N];
    memcpy(ystart, ys.buf, sizeof ystart);
    memcpy(xstart, xs.buf, sizeof xstart);
    int bad = 0;
    for (int i = 0; i < N; i++) {
        if (ystart[i] < 0 || ystart[i] + yband > h || xstart[i] < 0 || xstart[i] + xband > w) bad = 1;
    }
    float *rows = NULL;
    int quality = 0;
    if (!bad) rows = (float *)malloc(sizeof(float) * ((size_t)N * (2 * (size_t)w + (size_t)xband) + (size_t)w)); /* + the rows transposed, or the weights and a reversed row */
    if (bad || rows == NULL) {
        if (bad) PyErr_SetString(PyExc_ValueError, "a band reaches outside the image");
        else PyErr_NoMemory();
        PyBuffer_Release(&pix); PyBuffer_Release(&ys); PyBuffer_Release(&yw); PyBuffer_Release(&xs);
        PyBuffer_Release(&xw); PyBuffer_Release(&grid); PyBuffer_Release(&coef);
        if (mirror) { PyBuffer_Release(&grid2); PyBuffer_Release(&coef2); }
        return NULL;
    }
    const unsigned char *base = (const unsigned char *)pix.buf;
    Py_ssize_t sy = pix.strides[0], sx = pix.strides[1], sc = channels == 3 ? pix.strides[2] : 0;
    const float *ywt = (const float *)yw.buf, *xwt = (const float *)xw.buf;
    float *g = (float *)grid.buf, *out = (float *)coef.buf;
    float *g2 = mirror ? (float *)grid2.buf : NULL, *out2 = mirror ? (float *)coef2.buf : NULL;

    Py_BEGIN_ALLOW_THREADS
    /* Kept rows: weighted sums of image rows, each converted to luma as it is read. */
    for (int i = 0; i < N; i++) {
        float *restrict row = rows + (size_t)i * (size_t)w; /* restrict: the pixels (chars) do not alias it */
#if defined(__SSE2__)
        if (channels == 1 && sx == 1) { /* grey, rows contiguous: what PDQ hashes */
#ifdef PDQ_AVX2
            if (use_avx2) {
                kept_row_grey_avx2(base, sy, ystart[i], ywt + (size_t)i * (size_t)yband, yband, w, row);
                continue;
            }
#endif
            kept_row_grey_sse2(base, sy, ystart[i], ywt + (size_t)i * (size_t)yband, yband, w, row);
            continue;
        }
#endif
        for (Py_ssize_t x = 0; x < w; x++) row[x] = 0.0f;
        for (Py_ssize_t k = 0; k < yband; k++) {
            float wt = ywt[(size_t)i * (size_t)yband + (size_t)k];
            if (wt == 0.0f) continue;
            const unsigned char *restrict line = base + (ystart[i] + k) * sy;
            if (channels == 1) {
                if (sx == 1) {
                    for (Py_ssize_t x = 0; x < w; x++) row[x] += wt * (float)line[x];
                } else {
                    for (Py_ssize_t x = 0; x < w; x++) row[x] += wt * (float)line[x * sx];
                }
            } else if (sx == 3 && sc == 1) { /* packed RGB: constant strides, so the compiler vectorises */
                for (Py_ssize_t x = 0; x < w; x++) {
                    const unsigned char *restrict p = line + 3 * x;
                    float luma = 0.299f * (float)p[0] + 0.587f * (float)p[1] + 0.114f * (float)p[2];
                    row[x] += wt * luma;
                }
            } else if (sx == 4 && sc == 1) { /* Pillow's RGBX: the same */
                for (Py_ssize_t x = 0; x < w; x++) {
                    const unsigned char *restrict p = line + 4 * x;
                    float luma = 0.299f * (float)p[0] + 0.587f * (float)p[1] + 0.114f * (float)p[2];
                    row[x] += wt * luma;
                }
            } else {
                for (Py_ssize_t x = 0; x < w; x++) {
                    const unsigned char *p = line + x * sx;
                    float luma = 0.299f * (float)p[0] + 0.587f * (float)p[sc] + 0.114f * (float)p[2 * sc];
                    row[x] += wt * luma;
                }
            }
        }
    }
#if defined(__SSE2__)
    /* The kept rows transposed, so that the columns sum whole registers (columns_t): 1.4 to 2 times
       faster than gathering the pixels of each column (`columns`), the same floats. */
    float *rt = rows + (size_t)N * (size_t)w, gt[N * N];
    transpose_rows(rows, w, w, rt);
    for (int flip = 0; flip <= mirror; flip++) {
#ifdef PDQ_AVX2
        if (use_avx2) columns_t_avx2(rt, w, xstart, xwt, xband, flip, gt);
        else
#endif
        columns_t_sse2(rt, w, xstart, xwt, xband, flip, gt);
        transpose_rows(gt, N, N, flip ? g2 : g);
    }
#else
    float *xwt_t = (float *)rows + (size_t)N * (size_t)w; /* the weights transposed: [k][j] */
    for (int j = 0; j < N; j++)
        for (Py_ssize_t k = 0; k < xband; k++) xwt_t[(size_t)k * N + j] = xwt[(size_t)j * (size_t)xband + (size_t)k];
    columns(rows, w, xstart, xwt_t, xband, NULL, g);
    if (mirror) columns(rows, w, xstart, xwt_t, xband, xwt_t + (size_t)xband * N, g2);
#endif
    dct16(g, out);
    if (g2 != NULL) dct16(g2, out2);
    quality = quality_of(g);
    Py_END_ALLOW_THREADS

    free(rows);
    PyBuffer_Release(&pix); PyBuffer_Release(&ys); PyBuffer_Release(&yw); PyBuffer_Release(&xs);
    PyBuffer_Release(&xw); PyBuffer_Release(&grid); PyBuffer_Release(&coef);
    if (mirror) { PyBuffer_Release(&grid2); PyBuffer_Release(&coef2); }
    return PyLong_FromLong(quality);
}

#ifdef RGB_SPLIT_SSSE3
static int have_ssse3; /* set at import */

/* Pillow's L of the leading pixels of a row of packed RGB (size 3) or Pillow's RGBX (size 4), 16 at a
   time (returns how many): 32-bit products from 16-bit halves (mullo, mulhi), the sum and the shift
   as Pillow makes them. A four-byte pixel's fourth byte is not the view's: the last pixel is never in
   a block. */
__attribute__((target("ssse3"))) static Py_ssize_t grey_packed_ssse3(const unsigned char *p, Py_ssize_t w, int size,
                                                                     unsigned char *q) {
    const __m128i zero = _mm_setzero_si128(), half = _mm_set1_epi32(0x8000);
    const __m128i cr = _mm_set1_epi16((short)19595), cg = _mm_set1_epi16((short)38470), cb = _mm_set1_epi16((short)7471);
    Py_ssize_t x = 0;
    for (; x + 16 + (size == 4) <= w; x += 16) {
        __m128i r, g, b, half8[2];
        if (size == 4) split16x(p + 4 * x, &r, &g, &b);
        else split16(p + 3 * x, &r, &g, &b);
        for (int h = 0; h < 2; h++) {
            const __m128i r16 = h ? _mm_unpackhi_epi8(r, zero) : _mm_unpacklo_epi8(r, zero);
            const __m128i g16 = h ? _mm_unpackhi_epi8(g, zero) : _mm_unpacklo_epi8(g, zero);
            const __m128i b16 = h ? _mm_unpackhi_epi8(b, zero) : _mm_unpacklo_epi8(b, zero);
            const __m128i rl = _mm_mullo_epi16(r16, cr), rh = _mm_mulhi_epu16(r16, cr);
            const __m128i gl = _mm_mullo_epi16(g16, cg), gh = _mm_mulhi_epu16(g16, cg);
            const __m128i bl = _mm_mullo_epi16(b16, cb), bh = _mm_mulhi_epu16(b16, cb);
            __m128i s0 = _mm_add_epi32(_mm_add_epi32(_mm_unpacklo_epi16(rl, rh), _mm_unpacklo_epi16(gl, gh)),
                                       _mm_add_epi32(_mm_unpacklo_epi16(bl, bh), half));
            __m128i s1 = _mm_add_epi32(_mm_add_epi32(_mm_unpackhi_epi16(rl, rh), _mm_unpackhi_epi16(gl, gh)),
                                       _mm_add_epi32(_mm_unpackhi_epi16(bl, bh), half));
            half8[h] = _mm_packs_epi32(_mm_srli_epi32(s0, 16), _mm_srli_epi32(s1, 16)); /* 0..255 */
        }
        _mm_storeu_si128((__m128i *)(q + x), _mm_packus_epi16(half8[0], half8[1]));
    }
    return x;
}
#endif

#if defined(PDQ_AVX2) && defined(RGB_SPLIT_SSSE3)
/* Pillow's L of the leading pixels of a row of Pillow's four-byte pixels, 32 at a time (returns how
   many), to the value: each pixel's fourth byte is replaced by its green (r g b g), so one multiply-add
   of 16-bit pairs by (19595, 19235, 7471, 19235) gives r 19595 + g 19235 and b 7471 + g 19235, whose
   sum is Pillow's (38470 = 2 x 19235; every product and sum fits a signed 32-bit lane). About 2.5 times
   the pixels a second of grey_packed_ssse3, which splits channels and multiplies each in halves. The
   last pixel's fourth byte is not the view's: it is never in a block. */
__attribute__((target("avx2"))) static Py_ssize_t grey_rgbx_avx2(const unsigned char *p, Py_ssize_t w, unsigned char *q) {
    const __m256i rgbg = _mm256_setr_epi8(0, 1, 2, 1, 4, 5, 6, 5, 8, 9, 10, 9, 12, 13, 14, 13,
                                          0, 1, 2, 1, 4, 5, 6, 5, 8, 9, 10, 9, 12, 13, 14, 13);
    const __m256i coef = _mm256_setr_epi16(19595, 19235, 7471, 19235, 19595, 19235, 7471, 19235,
                                           19595, 19235, 7471, 19235, 19595, 19235, 7471, 19235);
    const __m256i half = _mm256_set1_epi32(0x8000), zero = _mm256_setzero_si256();
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    Py_ssize_t x = 0;
    for (; x + 33 <= w; x += 32) {
        __m256i d[4];
        for (int k = 0; k < 4; k++) { /* pixels 8k .. 8k + 3 in the low lane, 8k + 4 .. 8k + 7 in the high */
            const __m256i v = _mm256_shuffle_epi8(_mm256_loadu_si256((const __m256i *)(p + 4 * x + 32 * k)), rgbg);
            const __m256i lo = _mm256_madd_epi16(_mm256_unpacklo_epi8(v, zero), coef);
            const __m256i hi = _mm256_madd_epi16(_mm256_unpackhi_epi8(v, zero), coef);
            d[k] = _mm256_srli_epi32(_mm256_add_epi32(_mm256_hadd_epi32(lo, hi), half), 16);
        }
        /* packing works lane by lane: groups of four pixels come out as 0 8 16 24 | 4 12 20 28 */
        const __m256i bytes = _mm256_packus_epi16(_mm256_packus_epi32(d[0], d[1]), _mm256_packus_epi32(d[2], d[3]));
        _mm256_storeu_si256((__m256i *)(q + x), _mm256_permutevar8x32_epi32(bytes, order));
    }
    return x;
}
#endif

/* grey(rgb, out): Pillow's RGB -> L, (r 19595 + g 38470 + b 7471 + 0x8000) >> 16, of an (h, w, 3)
 * uint8 array with any strides into a C-contiguous (h, w) uint8 array: the luma PDQ hashes, made from
 * the RGB array that border and region finding read anyway, instead of a second conversion by
 * Pillow. Exactly Pillow's values (a test compares them). */
static PyObject *grey(PyObject *self, PyObject *args) {
    PyObject *rgb_obj, *out_obj;
    if (!PyArg_ParseTuple(args, "OO", &rgb_obj, &out_obj)) return NULL;
    Py_buffer rgb, out;
    if (PyObject_GetBuffer(rgb_obj, &rgb, PyBUF_STRIDES | PyBUF_FORMAT) < 0) return NULL;
    if (!is_uint8(&rgb) || rgb.ndim != 3 || rgb.shape[2] != 3) {
        PyErr_SetString(PyExc_ValueError, "rgb must be (h, w, 3) uint8");
        PyBuffer_Release(&rgb);
        return NULL;
    }
    if (PyObject_GetBuffer(out_obj, &out, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&rgb);
        return NULL;
    }
    Py_ssize_t h = rgb.shape[0], w = rgb.shape[1];
    if (!is_uint8(&out) || out.ndim != 2 || out.shape[0] != h || out.shape[1] != w) {
        PyErr_SetString(PyExc_ValueError, "out must be a C-contiguous (h, w) uint8 array");
        PyBuffer_Release(&rgb); PyBuffer_Release(&out);
        return NULL;
    }
    const unsigned char *base = (const unsigned char *)rgb.buf;
    Py_ssize_t sy = rgb.strides[0], sx = rgb.strides[1], sc = rgb.strides[2];
    unsigned char *o = (unsigned char *)out.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t y = 0; y < h; y++) {
        const unsigned char *p = base + y * sy;
        unsigned char *restrict q = o + y * w;
        if ((sx == 3 || sx == 4) && sc == 1) { /* packed rows, or Pillow's RGBX */
            Py_ssize_t x = 0;
#if defined(PDQ_AVX2) && defined(RGB_SPLIT_SSSE3)
            if (use_avx2 && sx == 4) x = grey_rgbx_avx2(p, w, q);
#endif
#ifdef RGB_SPLIT_SSSE3
            if (have_ssse3) x += grey_packed_ssse3(p + sx * x, w - x, (int)sx, q + x);
#endif
            if (sx == 3)
                for (; x < w; x++) q[x] = PILLOW_LUMA(p[3 * x], p[3 * x + 1], p[3 * x + 2]);
            else
                for (; x < w; x++) q[x] = PILLOW_LUMA(p[4 * x], p[4 * x + 1], p[4 * x + 2]);
        } else {
            for (Py_ssize_t x = 0; x < w; x++, p += sx)
                q[x] = PILLOW_LUMA(p[0], p[sc], p[2 * sc]);
        }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&rgb);
    PyBuffer_Release(&out);
    Py_RETURN_NONE;
}

/* The k-th smallest of v[0..n), n <= K * K: quickselect that copies each round's smaller values to
   the front of a buffer and its larger ones to the back (both stores made, the counts moved by the
   comparisons), so no branch depends on the data. Any correct selection gives the same value;
   choosing by branches, as this did until 26 November 2026, mispredicted on every other value and
   took 2.1 us a median where this takes 0.9 (four medians make a photo's eight hashes). */
static inline float median3(float a, float b, float c) {
    const float lo = a < b ? a : b, hi = a < b ? b : a;
    return c < lo ? lo : c > hi ? hi : c;
}
static float kth_smallest(const float *v, int n, int k) {
    float buf[2][K * K];
    for (int side = 0;; side ^= 1) {
        const float pivot = median3(v[0], v[n / 2], v[n - 1]);
        float *out = buf[side];
        int below = 0, above = 0;
        for (int i = 0; i < n; i++) {
            const float x = v[i];
            out[below] = x;
            out[n - 1 - above] = x;
            below += x < pivot;
            above += x > pivot;
        }
        if (k < below) {
            v = out;
            n = below;
        } else if (k >= n - above) {
            k -= n - above;
            v = out + (n - above);
            n = above;
        } else {
            return pivot;
        }
    }
}

/* hash_bytes(coeffs, picks, out): the 32 bytes of PDQ hash for each pick, as pdq._bits then
 * numpy.packbits give them. coeffs: (m, 16, 16) float32, C order. picks: bytes, one a hash: the
 * index into coeffs, plus 128 to take that array transposed (a transposed picture's coefficients).
 * out: (len(picks), 32) uint8, written. Bit p (most significant first) is set when the coefficient at
 * flat index 255 - p lies above the median, the 128th smallest of the 256 (numpy.partition's).
 * The coefficients must be finite (they are sums of pixel values). */
static PyObject *hash_bytes(PyObject *self, PyObject *args) {
    PyObject *coef_obj, *out_obj;
    Py_buffer picks, coef, out;
    (void)self;
    if (!PyArg_ParseTuple(args, "Oy*O", &coef_obj, &picks, &out_obj)) return NULL;
    Py_ssize_t n = picks.len;
    if (PyObject_GetBuffer(coef_obj, &coef, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) { PyBuffer_Release(&picks); return NULL; }
    if (coef.itemsize != 4 || coef.format == NULL || (strcmp(coef.format, "f") != 0 && strcmp(coef.format, "=f") != 0)
        || coef.ndim != 3 || coef.shape[1] != K || coef.shape[2] != K) {
        PyErr_SetString(PyExc_ValueError, "coeffs must be (m, 16, 16) float32, C order");
        PyBuffer_Release(&coef); PyBuffer_Release(&picks); return NULL;
    }
    Py_ssize_t m = coef.shape[0];
    if (PyObject_GetBuffer(out_obj, &out, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE | PyBUF_FORMAT) < 0) {
        PyBuffer_Release(&coef); PyBuffer_Release(&picks); return NULL;
    }
    const unsigned char *pk = (const unsigned char *)picks.buf;
    int bad = !is_uint8(&out) || out.ndim != 2 || out.shape[0] != n || out.shape[1] != 32;
    for (Py_ssize_t i = 0; i < n && !bad; i++) bad = (pk[i] & 127) >= m;
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "out must be (len(picks), 32) uint8, C order, and every pick name an array of coeffs");
        PyBuffer_Release(&out); PyBuffer_Release(&coef); PyBuffer_Release(&picks); return NULL;
    }
    const float *all = (const float *)coef.buf;
    unsigned char *dst = (unsigned char *)out.buf;
    /* An array and its transpose hold the same values, so one median serves both picks of it (the
       eight dihedral picks name four arrays): found once, at the first pick of each. */
    float medians[128];
    unsigned char have[128] = {0};
    for (Py_ssize_t h = 0; h < n; h++) {
        const int which = pk[h] & 127;
        const float *c = all + (size_t)which * K * K;
        int transposed = pk[h] >> 7;
        float tr[K * K];
        const float *flat = c;
        if (transposed) {
            for (int u = 0; u < K; u++)
                for (int v = 0; v < K; v++) tr[u * K + v] = c[v * K + u];
            flat = tr;
        }
        if (!have[which]) {
            medians[which] = kth_smallest(c, K * K, K * K / 2 - 1);
            have[which] = 1;
        }
        float median = medians[which];
        unsigned char *o = dst + h * 32;
#if defined(__SSE2__)
        /* byte b: flat[255 - 8 b] (its top bit) down to flat[248 - 8 b], eight comparisons at once */
        const __m128 mv = _mm_set1_ps(median);
        for (int b = 0; b < 32; b++) {
            const float *f = flat + 248 - 8 * b;
            const int lo = _mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(f), mv));
            const int hi = _mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(f + 4), mv));
            o[b] = (unsigned char)(lo | hi << 4);
        }
#else
        for (int b = 0; b < 32; b++) {
            unsigned byte = 0;
            for (int k = 0; k < 8; k++) byte = (byte << 1) | (flat[255 - (8 * b + k)] > median);
            o[b] = (unsigned char)byte;
        }
#endif
    }
    PyBuffer_Release(&out); PyBuffer_Release(&coef); PyBuffer_Release(&picks);
    Py_RETURN_NONE;
}

/* band(side) -> (start, weights, band): `pdq._band_numpy`'s banded weights of the reference's two box
   passes, in the same double arithmetic added in the same order (so the float32 weights are the same
   to the bit), as bytes: 64 int32 starts and 64 x band float32 weights. About 300 us in numpy, a few
   here: every new side (an image's, each picture's found in it) needs its own. */
static long clip_long(long v, long lo, long hi) { return v < lo ? lo : (v > hi ? hi : v); }

static PyObject *band(PyObject *self, PyObject *arg) {
    (void)self;
    long side = PyLong_AsLong(arg);
    if (side == -1 && PyErr_Occurred()) return NULL;
    if (side < 1 || side > (1L << 24)) {
        PyErr_SetString(PyExc_ValueError, "side must be 1 to 2**24");
        return NULL;
    }
    const long w = (side + 2 * N - 1) / (2 * N), half = (w + 2) / 2;
#define LO(o) clip_long((o) - (w - half), 0, side)
#define HI(o) clip_long((o) + half, 0, side)
    long lo_k[N], hi_k[N], first[N], start[N], width = 0;
    for (int i = 0; i < N; i++) {
        const long kept = (long)(((double)i + 0.5) * (double)side / (double)N);
        lo_k[i] = LO(kept);
        hi_k[i] = HI(kept);
        first[i] = LO(lo_k[i]);
        const long reach = HI(hi_k[i] - 1) - first[i];
        if (reach > width) width = reach;
    }
    double *sums = calloc((size_t)N * (size_t)width, sizeof(double));
    PyObject *starts = PyBytes_FromStringAndSize(NULL, N * (Py_ssize_t)sizeof(int32_t));
    PyObject *weights = PyBytes_FromStringAndSize(NULL, N * (Py_ssize_t)width * (Py_ssize_t)sizeof(float));
    if (sums == NULL || starts == NULL || weights == NULL) {
        free(sums); Py_XDECREF(starts); Py_XDECREF(weights);
        return PyErr_NoMemory();
    }
    int32_t *st = (int32_t *)PyBytes_AS_STRING(starts);
    float *wt = (float *)PyBytes_AS_STRING(weights);
    for (int i = 0; i < N; i++) {
        start[i] = first[i] < side - width ? first[i] : side - width;
        st[i] = (int32_t)start[i];
        const double outer = 1.0 / (double)(hi_k[i] - lo_k[i]);
        double *row = sums + (size_t)i * (size_t)width;
        for (long k = 0; k < w; k++) { /* the k-th box of the first pass, in the order the reference adds them */
            long p = lo_k[i] + k;
            if (p >= hi_k[i]) continue;
            if (p > side - 1) p = side - 1;
            const long from = LO(p), to = HI(p);
            const double share = outer / (double)(to - from);
            for (long at = from - start[i]; at < to - start[i]; at++)
                if (at >= 0 && at < width) row[at] += share;
        }
    }
#undef LO
#undef HI
    for (Py_ssize_t j = 0; j < (Py_ssize_t)N * width; j++) wt[j] = (float)sums[j];
    free(sums);
    return Py_BuildValue("(NNl)", starts, weights, width);
}

/* set_avx2(on) -> whether it was on: the AVX2 loops where the CPU has them (on by default there), or
   the SSE2 ones, so that a test can compare the two. */
static PyObject *set_avx2(PyObject *self, PyObject *arg) {
    (void)self;
    int on = PyObject_IsTrue(arg);
    if (on < 0) return NULL;
#ifdef PDQ_AVX2
    int was = use_avx2;
    use_avx2 = on && __builtin_cpu_supports("avx2");
    return PyBool_FromLong(was);
#else
    (void)on;
    Py_RETURN_FALSE;
#endif
}

static PyMethodDef methods[] = {
    {"set_avx2", set_avx2, METH_O, "set_avx2(on) -> bool: use the AVX2 loops (where the CPU has them); returns the old setting."},
    {"samples", samples, METH_VARARGS, "The 64 x 64 PDQ samples of an image, their 16 x 16 DCT, and the quality."},
    {"grey", grey, METH_VARARGS, "Pillow's RGB to L of an (h, w, 3) uint8 array, into an (h, w) uint8 array."},
    {"band", band, METH_O, "band(side) -> (start bytes, weights bytes, band): the banded weights of the two box passes."},
    {"hash_bytes", hash_bytes, METH_VARARGS, "hash_bytes(coeffs, picks, out): the PDQ hash bytes of picked (and maybe transposed) coefficient arrays."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdqcore", NULL, -1, methods};

PyMODINIT_FUNC PyInit__pdqcore(void) {
#if defined(RGB_SPLIT_SSSE3) || defined(PDQ_AVX2)
    __builtin_cpu_init();
#endif
#ifdef RGB_SPLIT_SSSE3
    have_ssse3 = __builtin_cpu_supports("ssse3") ? 1 : 0;
#endif
#ifdef PDQ_AVX2
    use_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
#endif
    for (int u = 0; u < K; u++)
        for (int j = 0; j < N; j++)
            dct_t[j][u] = dct[u][j] = (float)(sqrt(2.0 / N) * cos(M_PI / (2.0 * N) * (u + 1) * (2 * j + 1)));
    return PyModule_Create(&module);
}
