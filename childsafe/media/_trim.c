/* Border trimming and page colours of childsafe.media.edits, compiled: trim_passes, backgrounds,
 * not_background, blend_cuts, floats_on_page and snap_box give exactly what the numpy versions there
 * (_trim_passes_numpy, _backgrounds_numpy, _not_background_numpy, _blend_cuts_numpy,
 * _floats_on_page_numpy, _snap_to_frame_numpy) give, which stay the reference.
 *
 * snap_box gives what _snap_to_frame_numpy gives (its size check aside).
 *
 * blend_cuts gives what _blend_cuts_numpy gives (Pillow's luma, the median as np.median rounds
 * it, the share compared in double).
 *
 * Pixels come through the buffer protocol as an (h, w, 3) uint8 array with any strides (slices and
 * sampled views of a bigger array are common), so no copy is made and no numpy header is needed.
 * The pixel work runs without the GIL.
 *
 * Where numpy is mirrored:
 *  - a line's colour is the per-channel element of rank length // 2 (np.partition), found here
 *    with a 256-bin histogram;
 *  - "a line is uniform" is count >= (1.0 - noise) * length, in double as numpy compares;
 *  - _prefix_of's chunk doubling only decides how many lines numpy tests at once: the answer is
 *    the first line that is not uniform, which is what the scan here returns;
 *  - _any_uniform_edge indexes rows [0, 1, h-2, h-1] and columns [0, 1, w-2, w-1] of the box:
 *    numpy raises IndexError for a box under 2 pixels either way, and so does this;
 *  - _backgrounds: the rim's colours first (only a colour on a share of the rim can be a page
 *    colour), then only those are counted over the image; the order is count (descending), then
 *    key, as numpy's lexsort; an empty image raises IndexError as numpy's a[0] / a[:, 0] do.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h> /* every x86-64 CPU has SSE2; elsewhere the plain loops, same counts */
#endif

#define NKEYS (1 << 15)
#define TOL_CLAMP 1024 /* a tolerance past +-255 means "all" or "none": clamping keeps the results */
#define FULL_BAR_NOISE 3.0 /* edits.FULL_BAR_NOISE: a full-length line's share of noise is noise / 3 */
#define FLAT_TOLERANCE 4   /* edits.FLAT_TOLERANCE */
#define BACKGROUND_SAMPLE 128 /* edits.BACKGROUND_SAMPLE */

#include "_image_buffer.h"
#include "_rgb_split.h"

static long long clamp_ll(long long v, long long lo, long long hi) { return v < lo ? lo : v > hi ? hi : v; }

/* ------------------------------------------------------------------ lines */

/* n lines of length pixels each: line i, pixel j, channel c at p + i*step + j*pix + c*ch. */
typedef struct {
    const unsigned char *p;
    Py_ssize_t step, n, pix, len, ch;
} lines_t;

#if defined(__GNUC__) || defined(__clang__)
#define INLINE static inline __attribute__((always_inline)) /* one copy per constant channel stride */
#else
#define INLINE static inline
#endif

/* The value of rank k (0-based) from a 256-bin histogram. */
static int hist_rank(const Py_ssize_t hist[256], Py_ssize_t k)
{
    Py_ssize_t acc = 0;
    int v = 0;
    for (; v < 255; v++) {
        acc += hist[v];
        if (acc > k)
            break;
    }
    return v;
}

/* Per-channel element of rank len // 2 of one line (np.partition(..., len // 2)). len > 0. */
INLINE void line_median_impl(const unsigned char *p, Py_ssize_t pix, Py_ssize_t ch, Py_ssize_t len, int med[3])
{
    Py_ssize_t hist[3][256];
    memset(hist, 0, sizeof hist);
    for (Py_ssize_t j = 0; j < len; j++, p += pix) {
        hist[0][p[0]]++;
        hist[1][p[ch]]++;
        hist[2][p[2 * ch]]++;
    }
    for (int c = 0; c < 3; c++)
        med[c] = hist_rank(hist[c], len / 2);
}

static void line_median(const unsigned char *p, Py_ssize_t pix, Py_ssize_t ch, Py_ssize_t len, int med[3])
{
    if (ch == 1) /* channels side by side, as almost always: constant offsets */
        line_median_impl(p, pix, 1, len, med);
    else
        line_median_impl(p, pix, ch, len, med);
}

/* Pixels of one line with every channel in [lo[c], hi[c]]. */
INLINE Py_ssize_t count_in_range_impl(const unsigned char *p, Py_ssize_t pix, Py_ssize_t ch, Py_ssize_t len,
                                 const int lo[3], const int hi[3])
{
    /* v in [lo, hi] as one unsigned comparison: (unsigned)(v - lo) <= hi - lo (an empty range
       matches nothing) */
    if (hi[0] < lo[0] || hi[1] < lo[1] || hi[2] < lo[2])
        return 0;
    Py_ssize_t count = 0;
    const int l0 = lo[0], l1 = lo[1], l2 = lo[2];
    const unsigned w0 = (unsigned)(hi[0] - lo[0]), w1 = (unsigned)(hi[1] - lo[1]), w2 = (unsigned)(hi[2] - lo[2]);
    for (Py_ssize_t j = 0; j < len; j++, p += pix) {
        unsigned a = (unsigned)(p[0] - l0), b = (unsigned)(p[ch] - l1), c = (unsigned)(p[2 * ch] - l2);
        count += (a <= w0) & (b <= w1) & (c <= w2);
    }
    return count;
}


#if defined(__SSE2__)
/* The byte ranges of a test of Pillow's four-byte pixels, for the channels at byte `first` of each dword (the fourth byte
   of a pixel, and whatever else falls outside the channels, any value). 0 when a channel's range is
   empty. */
static int rgbx_ranges(const int lo[3], const int hi[3], int first, __m128i *lov, __m128i *hiv)
{
    unsigned l = 0, h = 0xFFFFFFFFu;
    for (int c = 0; c < 3; c++) {
        int a = lo[c] < 0 ? 0 : lo[c], b = hi[c] > 255 ? 255 : hi[c];
        if (a > b)
            return 0;
        int shift = 8 * ((first + c) % 4);
        l |= (unsigned)a << shift;
        h = (h & ~(0xFFu << shift)) | (unsigned)b << shift;
    }
    *lov = _mm_set1_epi32((int)l);
    *hiv = _mm_set1_epi32((int)h);
    return 1;
}

/* Per dword, -1 where all four bytes of v lie in their ranges. */
static inline __m128i rgbx_ok(__m128i v, __m128i lov, __m128i hiv)
{
    const __m128i zero = _mm_setzero_si128();
    const __m128i ok = _mm_and_si128(_mm_cmpeq_epi8(_mm_subs_epu8(v, hiv), zero), _mm_cmpeq_epi8(_mm_subs_epu8(lov, v), zero));
    return _mm_cmpeq_epi32(ok, _mm_set1_epi32(-1));
}

/* count_in_range of the leading pixels of a line of Pillow's four-byte pixels (pix 4, or 8: every
   second one), four at a time; *done says how many were judged. Each byte of four pixels is tested
   against its channel's range (the fourth byte against 0..255), a pixel counts where all four hold.
   A block is taken only while another pixel of the line follows it: the bytes read past the last
   pixel's third lie before that one. The ranges are whole channel values, so the same as the scalar
   test's unsigned form: v in [lo, hi] clamped to 0..255, none where that is empty. */
static Py_ssize_t count_rgbx_sse2(const unsigned char *p, Py_ssize_t pix, Py_ssize_t len, const int lo[3],
                                  const int hi[3], Py_ssize_t *done)
{
    __m128i lov, hiv;
    if (!rgbx_ranges(lo, hi, 0, &lov, &hiv)) { /* nothing in range on some channel */
        *done = len;
        return 0;
    }
    __m128i acc = _mm_setzero_si128();
    Py_ssize_t j = 0;
    for (; j + 5 <= len; j += 4) {
        __m128i v;
        if (pix == 4) {
            v = _mm_loadu_si128((const __m128i *)(p + 4 * j));
        } else { /* pixels at 0, 8, 16, 24: dwords 0 and 2 of two loads */
            const __m128 a = _mm_castsi128_ps(_mm_loadu_si128((const __m128i *)(p + 8 * j)));
            const __m128 b = _mm_castsi128_ps(_mm_loadu_si128((const __m128i *)(p + 8 * j + 16)));
            v = _mm_castps_si128(_mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));
        }
        acc = _mm_sub_epi32(acc, rgbx_ok(v, lov, hiv));
    }
    int32_t lanes[4];
    _mm_storeu_si128((__m128i *)lanes, acc);
    *done = j;
    return (Py_ssize_t)lanes[0] + lanes[1] + lanes[2] + lanes[3];
}
#endif

static Py_ssize_t count_in_range(const unsigned char *p, Py_ssize_t pix, Py_ssize_t ch, Py_ssize_t len,
                                 const int lo[3], const int hi[3])
{
    if (ch != 1)
        return count_in_range_impl(p, pix, ch, len, lo, hi);
#if defined(__SSE2__)
    if (pix == 4 || pix == 8) { /* Pillow's own layout (images.rgb_array), every pixel or every second */
        Py_ssize_t done;
        Py_ssize_t count = count_rgbx_sse2(p, pix, len, lo, hi, &done);
        return count + (done < len ? count_in_range_impl(p + done * pix, pix, 1, len - done, lo, hi) : 0);
    }
#endif
    return count_in_range_impl(p, pix, 1, len, lo, hi);
}

static int is_uniform(Py_ssize_t count, Py_ssize_t len, double noise)
{
    return (double)count >= (1.0 - noise) * (double)len;
}

/* The channel values within tol of colour c, as _near takes them: max(0, c - tol) .. min(255, c + tol). */
static void near_range(const int c[3], int tol, int lo[3], int hi[3])
{
    for (int k = 0; k < 3; k++) {
        lo[k] = c[k] - tol > 0 ? c[k] - tol : 0;
        hi[k] = c[k] + tol < 255 ? c[k] + tol : 255;
    }
}

#if defined(__SSE2__)
/* prefix_with for four lines at a time where the lines are side by side columns of four-byte pixels
   (step +4 or -4: a left or right side of Pillow's own layout): one load a row reads a pixel of each
   of the four, and their four counts come out together (the same pixels as four count_in_range
   calls). Lines i .. i + 3 are taken only when line i + 4 is inside the side too: on a left side
   (step +4) the load reads up to the fourth byte of line i + 3, and line i + 4 follows it; on a right
   side the load starts one byte early, at the fourth byte of line i + 4. Returns the first line that
   is not uniform (*decided set), or how many leading lines the blocks found uniform (the caller goes
   on line by line from there). */
static Py_ssize_t prefix_columns_rgbx(const lines_t *l, Py_ssize_t start, const int lo[3], const int hi[3],
                                      double noise, Py_ssize_t limit, int *decided)
{
    const int right = l->step < 0;
    __m128i lov, hiv;
    *decided = 0;
    if (!rgbx_ranges(lo, hi, right ? 1 : 0, &lov, &hiv))
        return 0;
    Py_ssize_t i = 0;
    for (; i + 4 < limit && start + i + 4 < l->n; i += 4) {
        /* the lowest address of the four lines' pixels in the first row */
        const unsigned char *p = l->p + (start + i) * l->step + (right ? 3 * l->step - 1 : 0);
        __m128i acc = _mm_setzero_si128();
        for (Py_ssize_t j = 0; j < l->len; j++, p += l->pix)
            acc = _mm_sub_epi32(acc, rgbx_ok(_mm_loadu_si128((const __m128i *)p), lov, hiv));
        int32_t counts[4];
        _mm_storeu_si128((__m128i *)counts, acc);
        for (int k = 0; k < 4; k++) /* line i + k: lane k on a left side, 3 - k on a right one */
            if (!is_uniform(counts[right ? 3 - k : k], l->len, noise)) {
                *decided = 1;
                return i + k;
            }
    }
    return i;
}
#endif

/* Leading lines from `start` on, up to `limit` of them, within tol of the colour med (uniform). */
static Py_ssize_t prefix_with(const lines_t *l, Py_ssize_t start, const int med[3], int tol, double noise,
                              Py_ssize_t limit)
{
    int lo[3], hi[3];
    near_range(med, tol, lo, hi);
    Py_ssize_t i = 0;
#if defined(__SSE2__)
    if (l->ch == 1 && (l->step == 4 || l->step == -4)) { /* columns of Pillow's own layout */
        int decided;
        i = prefix_columns_rgbx(l, start, lo, hi, noise, limit, &decided);
        if (decided)
            return i;
    }
#endif
    const unsigned char *p = l->p + (start + i) * l->step;
    for (; i < limit; i++, p += l->step) {
        if (!is_uniform(count_in_range(p, l->pix, l->ch, l->len, lo, hi), l->len, noise))
            return i;
    }
    return limit;
}

/* Whether colour c is within tol of want on every channel (want NULL: any colour is). */
static int colour_ok(const int c[3], const int *want, int tol)
{
    if (want == NULL)
        return 1;
    for (int k = 0; k < 3; k++) {
        int d = c[k] - want[k];
        if (d > tol || -d > tol)
            return 0;
    }
    return 1;
}

/* _uniform_prefix: the count, and the colour of the band in colour; lines judged by their middle
   eight tenths, or with `whole` over their full length. _prefix_of is the first line's median, then
   prefix_with.

   With `want`, the count is 0 where the band's colour is not within tol of want (what band() then
   makes of it), and a band of another colour is not scanned to its end: only whether it spans fewer
   than two lines matters (the next line's band is tried instead then, up to BLEND_SKIP lines in;
   two lines of blend can make a band of their own). A flat photo's sides are not each read through
   to the far edge to be turned down. */
#define BLEND_SKIP 4 /* edits.BLEND_SKIP */

static Py_ssize_t uniform_prefix(lines_t l, int tol, double noise, int whole, int colour[3], const int *want)
{
    Py_ssize_t n = l.n;
    if (n == 0 || l.len == 0)
        return 0;
    Py_ssize_t end = whole ? 0 : l.len / 10;
    if (end) {
        l.p += end * l.pix;
        l.len -= 2 * end;
    }
    if (l.len > 320) {
        l.pix *= 2;
        l.len = (l.len + 1) / 2;
    }
    int first[3];
    line_median(l.p, l.pix, l.ch, l.len, first);
    const int first_ok = colour_ok(first, want, tol);
    Py_ssize_t count = prefix_with(&l, 0, first, tol, noise, first_ok ? n : (n < 2 ? n : 2));
    /* the outermost lines may be a blend of border and surroundings (resampling, JPEG): up to
       BLEND_SKIP of them, each tried in turn */
    for (Py_ssize_t skip = 1; count <= 1 && skip <= BLEND_SKIP && n > skip + 1; skip++) {
        int inner[3];
        line_median(l.p + skip * l.step, l.pix, l.ch, l.len, inner);
        const int inner_ok = colour_ok(inner, want, tol);
        Py_ssize_t rest = prefix_with(&l, skip, inner, tol, noise, inner_ok ? n - skip : 2);
        if (rest >= 2 && inner_ok) {
            memcpy(colour, inner, sizeof inner);
            return skip + rest;
        } /* a band of another colour after `skip` lines: a blend band, the next skip may be this colour's */
    }
    memcpy(colour, first, sizeof first);
    return first_ok ? count : 0;
}

typedef struct { Py_ssize_t x0, y0, x1, y1; } box_t;

/* _any_uniform_edge on the box: 1 or 0, or -1 when numpy would raise IndexError (box under 2 pixels). */
static int any_uniform_edge(const image_t *img, box_t b, int tol, double noise)
{
    Py_ssize_t h = b.y1 - b.y0, w = b.x1 - b.x0;
    if (h < 2 || w < 2)
        return -1;
    const unsigned char *origin = img->base + b.y0 * img->sy + b.x0 * img->sx;
    for (int side = 0; side < 2; side++) {
        Py_ssize_t across = side == 0 ? h : w; /* which lines: rows (side 0) or columns */
        Py_ssize_t along = side == 0 ? w : h;
        Py_ssize_t lstep = side == 0 ? img->sy : img->sx;
        Py_ssize_t pix = side == 0 ? img->sx : img->sy;
        Py_ssize_t cut = along / 10;
        Py_ssize_t len = along - 2 * cut;
        if (len <= 0)
            return 1;
        if (len > 320) {
            pix *= 2;
            len = (len + 1) / 2;
        }
        const Py_ssize_t which[4] = {0, 1, across - 2, across - 1};
        for (int k = 0; k < 4; k++) {
            const unsigned char *p = origin + which[k] * lstep + cut * (side == 0 ? img->sx : img->sy);
            int med[3], lo[3], hi[3];
            line_median(p, pix, img->sc, len, med);
            for (int c = 0; c < 3; c++) { /* |p - median| <= tolerance in int16: p in [m - t, m + t] */
                lo[c] = med[c] - tol;
                hi[c] = med[c] + tol;
            }
            if (is_uniform(count_in_range(p, pix, img->sc, len, lo, hi), len, noise))
                return 1;
        }
    }
    return 0;
}

/* _trim_once: a pass cuts bands of one colour only, that of its first band (within tol on every
   channel); a side in another colour waits for the next pass. */
typedef struct { int set; int colour[3]; } pass_colour_t;

static Py_ssize_t band(lines_t l, int tol, double noise, pass_colour_t *pass)
{
    int colour[3];
    Py_ssize_t count = uniform_prefix(l, tol, noise, 0, colour, pass->set ? pass->colour : NULL);
    if (count > 0 && !pass->set) {
        pass->set = 1;
        memcpy(pass->colour, colour, sizeof colour);
    }
    return count;
}

/* One side of box b as lines_t (0 top, 1 bottom, 2 left, 3 right), read from its outer edge in:
   _side in edits. */
static lines_t side_of(const image_t *img, box_t b, int side)
{
    Py_ssize_t rows = b.y1 - b.y0, cols = b.x1 - b.x0;
    const unsigned char *corner = img->base + b.y0 * img->sy + b.x0 * img->sx;
    switch (side) {
    case 0: return (lines_t){corner, img->sy, rows, img->sx, cols, img->sc};
    case 1: return (lines_t){corner + (rows - 1) * img->sy, -img->sy, rows, img->sx, cols, img->sc};
    case 2: return (lines_t){corner, img->sx, cols, img->sy, rows, img->sc};
    default: return (lines_t){corner + (cols - 1) * img->sx, -img->sx, cols, img->sy, rows, img->sc};
    }
}

/* side_of the box grown by the `outside` lines just outside it on that side (which must exist): those
   lines first, then the box's own from its edge in. */
static lines_t side_with_lines_outside(const image_t *img, box_t b, int side, Py_ssize_t outside)
{
    switch (side) {
    case 0: b.y0 -= outside; break;
    case 1: b.y1 += outside; break;
    case 2: b.x0 -= outside; break;
    default: b.x1 += outside; break;
    }
    return side_of(img, b, side);
}

/* side_with_lines_outside with the one line just outside. */
static lines_t side_with_outside(const image_t *img, box_t b, int side) { return side_with_lines_outside(img, b, side, 1); }

/* _full_bar_colour: of the sides whose two outermost lines (or the next two) are one colour over their
   full length, with a third of the noise, the flattest: the most of its (up to) three outer lines' pixels
   within FLAT_TOLERANCE of that colour, as a share (compared by cross-multiplying, exact: share_cmp). Of sides
   alike flat (equal shares), the one whose colour runs least along the two sides beside it (their
   outermost lines, within tol), then the first. 0 when no side is. */
/* The sign of a / b - c / d for counts a <= b, c <= d (b, d > 0), exactly: the products reach 9 len^2,
   past 64 bits for a line over a billion pixels long (a view with a zero stride can claim one). */
static int share_cmp(long long a, long long b, long long c, long long d)
{
#ifdef __SIZEOF_INT128__
    __int128 x = (__int128)a * d, y = (__int128)c * b;
#else
    long double x = (long double)a * (long double)d, y = (long double)c * (long double)b;
#endif
    return (x > y) - (x < y);
}

static int full_bar_colour(const image_t *img, box_t b, int tol, double noise, int colour[3])
{
    int n = 0, side[4], cols[4][3];
    long long flat[4], total[4];
    for (int k = 0; k < 4; k++) {
        lines_t l = side_of(img, b, k);
        if (l.n > 3)
            l.n = 3;
        int c[3];
        if (uniform_prefix(l, tol, noise / FULL_BAR_NOISE, 1, c, NULL) < 2)
            continue; /* a single line is not a bar */
        int lo[3], hi[3];
        near_range(c, FLAT_TOLERANCE, lo, hi);
        long long f = 0;
        for (Py_ssize_t i = 0; i < l.n; i++)
            f += count_in_range(l.p + i * l.step, l.pix, l.ch, l.len, lo, hi);
        side[n] = k;
        flat[n] = f;
        total[n] = (long long)l.n * (long long)l.len;
        memcpy(cols[n], c, sizeof c);
        n++;
    }
    if (n == 0)
        return 0;
    int best = 0;
    for (int i = 1; i < n; i++)
        if (share_cmp(flat[i], total[i], flat[best], total[best]) > 0)
            best = i;
    int alike = 0;
    for (int i = 0; i < n; i++)
        alike += share_cmp(flat[i], total[i], flat[best], total[best]) == 0;
    if (alike > 1) {
        long long fewest = -1;
        for (int i = 0; i < n; i++) {
            if (share_cmp(flat[i], total[i], flat[best], total[best]) != 0)
                continue;
            int lo[3], hi[3];
            near_range(cols[i], tol, lo, hi);
            long long along = 0;
            for (int k = side[i] < 2 ? 2 : 0, e = k + 2; k < e; k++) {
                lines_t l = side_of(img, b, k);
                along += count_in_range(l.p, l.pix, l.ch, l.len, lo, hi);
            }
            if (fewest < 0 || along < fewest) {
                fewest = along;
                best = i;
            }
        }
    }
    memcpy(colour, cols[best], sizeof cols[best]);
    return 1;
}

static box_t trim_once(const image_t *img, box_t b, int tol, double noise, Py_ssize_t min_content)
{
    pass_colour_t pass = {0, {0, 0, 0}};
    pass.set = full_bar_colour(img, b, tol, noise, pass.colour);
    b.y0 += band(side_of(img, b, 0), tol, noise, &pass);
    if (b.y1 - b.y0 < min_content)
        return (box_t){b.x0, b.y0, b.x1, b.y0};
    b.y1 -= band(side_of(img, b, 1), tol, noise, &pass);
    if (b.y1 - b.y0 < min_content)
        return (box_t){b.x0, b.y0, b.x1, b.y0};
    b.x0 += band(side_of(img, b, 2), tol, noise, &pass);
    if (b.x1 - b.x0 < min_content)
        return (box_t){b.x0, b.y0, b.x0, b.y1};
    b.x1 -= band(side_of(img, b, 3), tol, noise, &pass);
    return b;
}

/* ------------------------------------------------------------------ trim_passes */

static PyObject *py_trim_passes(PyObject *self, PyObject *args)
{
    PyObject *obj;
    long long tolerance;
    double noise;
    Py_ssize_t max_passes, min_content;
    if (!PyArg_ParseTuple(args, "OLdnn:trim_passes", &obj, &tolerance, &noise, &max_passes, &min_content))
        return NULL;
    Py_buffer view;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    int tol = (int)clamp_ll(tolerance, -TOL_CLAMP, TOL_CLAMP);

    /* status: 0 boxes, 1 nothing left (None), -1 IndexError (as numpy), -2 no memory */
    int status = 0;
    box_t *boxes = NULL;
    Py_ssize_t nboxes = 0, cap = 0;
    Py_BEGIN_ALLOW_THREADS
    if (img.w < min_content || img.h < min_content) {
        status = 1;
    } else {
        box_t box = {0, 0, img.w, img.h};
        for (Py_ssize_t pass = 0; pass < max_passes; pass++) {
            int edge = any_uniform_edge(&img, box, tol, noise);
            if (edge < 0) { status = -1; break; }
            if (!edge)
                break; /* no side starts with a line of one colour: nothing (more) to trim */
            box_t nb = trim_once(&img, box, tol, noise, min_content);
            if (nb.x1 - nb.x0 < min_content || nb.y1 - nb.y0 < min_content) { status = 1; break; }
            if (nb.x0 == box.x0 && nb.y0 == box.y0 && nb.x1 == box.x1 && nb.y1 == box.y1)
                break;
            if (nboxes == cap) {
                Py_ssize_t ncap = cap ? 2 * cap : 8;
                box_t *grown = (box_t *)realloc(boxes, (size_t)ncap * sizeof(box_t));
                if (grown == NULL) { status = -2; break; }
                boxes = grown;
                cap = ncap;
            }
            boxes[nboxes++] = nb;
            box = nb;
        }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);

    PyObject *result = NULL;
    if (status == -1) {
        PyErr_SetString(PyExc_IndexError, "box under 2 pixels wide or tall (as numpy indexes its edge lines)");
    } else if (status == -2) {
        PyErr_NoMemory();
    } else if (status == 1) {
        result = Py_NewRef(Py_None);
    } else {
        result = PyList_New(nboxes);
        for (Py_ssize_t i = 0; result != NULL && i < nboxes; i++) {
            PyObject *t = Py_BuildValue("(nnnn)", boxes[i].x0, boxes[i].y0, boxes[i].x1, boxes[i].y1);
            if (t == NULL) { Py_CLEAR(result); break; }
            PyList_SET_ITEM(result, i, t);
        }
    }
    free(boxes);
    return result;
}

/* ------------------------------------------------------------------ backgrounds */

static inline int little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

static inline unsigned colour_key(const unsigned char *p, Py_ssize_t ch)
{
    return ((unsigned)(p[0] >> 3) << 10) | ((unsigned)(p[ch] >> 3) << 5) | (unsigned)(p[2 * ch] >> 3);
}

/* rim[key] holds a colour's count on the rim, or, for a candidate page colour, SLOT_BIT | its slot
   (1, 2, ...; the same slot in count_slots' table, where slot 0 takes every other colour). */
#define SLOT_BIT 0x80000000u
#define COPIES 4 /* counters a slot: neighbouring pixels add to different ones (no wait on the last add) */

/* Counts the pixels of a[::sample, ::sample] into counts[copy * nslots + slot], the slots from a table
   of two bytes a colour (slot[key]: 0, or 1 + the candidate's index): 64 KB, where the rim's table of
   counts is twice that (page colours 57 -> 54 us on a 512 px photo). */
INLINE void count_slots(const image_t *img, Py_ssize_t sample, Py_ssize_t rows, Py_ssize_t cols, Py_ssize_t ch,
                        const uint16_t *slot, uint32_t *counts, Py_ssize_t nslots)
{
    Py_ssize_t xs = sample * img->sx;
    for (Py_ssize_t y = 0; y < rows; y++) {
        const unsigned char *p = img->base + y * sample * img->sy;
        Py_ssize_t x = 0;
        for (; x + COPIES <= cols; x += COPIES, p += COPIES * xs) {
            counts[slot[colour_key(p, ch)]]++;
            counts[nslots + slot[colour_key(p + xs, ch)]]++;
            counts[2 * nslots + slot[colour_key(p + 2 * xs, ch)]]++;
            counts[3 * nslots + slot[colour_key(p + 3 * xs, ch)]]++;
        }
        for (; x < cols; x++, p += xs)
            counts[slot[colour_key(p, ch)]]++;
    }
}

/* A page colour found, with its count: sorted by count (descending), then key. */
typedef struct { uint32_t count; uint32_t key; } cand_t;

#if defined(__SSE2__)
#define VECTOR_CANDIDATES 8 /* count_keys_sse2 keeps a register of counts a candidate */

/* count_slots for Pillow's four-byte pixels (channels side by side: red the low byte of a
   little-endian dword) and at most VECTOR_CANDIDATES candidates: the keys of four sampled pixels at
   once, each compared with every candidate's key, where count_slots looks each pixel's slot up in
   its 64 KB table (page colours of the labelme 256 px photos 30 -> 18.5 us). counts[1 + i] gets candidate i's
   count, the same numbers. A block is taken only while another sampled pixel of the row follows it:
   the fourth byte of its last pixel lies before that one. */
static void count_keys_sse2(const image_t *img, Py_ssize_t sample, Py_ssize_t rows, Py_ssize_t cols,
                            const cand_t *cands, Py_ssize_t ncand, uint32_t *counts)
{
    const Py_ssize_t xs = sample * img->sx;
    __m128i want[VECTOR_CANDIDATES], acc[VECTOR_CANDIDATES];
    uint32_t rest[VECTOR_CANDIDATES] = {0};
    for (Py_ssize_t i = 0; i < ncand; i++) {
        want[i] = _mm_set1_epi32((int)cands[i].key);
        acc[i] = _mm_setzero_si128();
    }
    const __m128i red = _mm_set1_epi32(0xF8), green = _mm_set1_epi32(0x3E0), blue = _mm_set1_epi32(0x1F);
    for (Py_ssize_t y = 0; y < rows; y++) {
        const unsigned char *p = img->base + y * sample * img->sy;
        Py_ssize_t x = 0;
        for (; x + 5 <= cols; x += 4, p += 4 * xs) {
            int32_t d[4];
            for (int k = 0; k < 4; k++)
                memcpy(&d[k], p + k * xs, 4);
            const __m128i v = _mm_setr_epi32(d[0], d[1], d[2], d[3]);
            /* colour_key: (r >> 3) << 10 | (g >> 3) << 5 | b >> 3 */
            const __m128i key = _mm_or_si128(_mm_or_si128(_mm_slli_epi32(_mm_and_si128(v, red), 7),
                                                          _mm_and_si128(_mm_srli_epi32(v, 6), green)),
                                             _mm_and_si128(_mm_srli_epi32(v, 19), blue));
            for (Py_ssize_t i = 0; i < ncand; i++)
                acc[i] = _mm_sub_epi32(acc[i], _mm_cmpeq_epi32(key, want[i]));
        }
        for (; x < cols; x++, p += xs) {
            const unsigned key = colour_key(p, 1);
            for (Py_ssize_t i = 0; i < ncand; i++)
                rest[i] += key == cands[i].key;
        }
    }
    for (Py_ssize_t i = 0; i < ncand; i++) {
        uint32_t lanes[4];
        _mm_storeu_si128((__m128i *)lanes, acc[i]);
        counts[1 + i] = lanes[0] + lanes[1] + lanes[2] + lanes[3] + rest[i];
    }
}
#endif

static int cand_cmp(const void *a, const void *b)
{
    const cand_t *x = (const cand_t *)a, *y = (const cand_t *)b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1; /* larger count first */
    return x->key < y->key ? -1 : x->key > y->key; /* then the lower key */
}

static PyObject *py_backgrounds(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t max_backgrounds;
    double share, rim_share;
    if (!PyArg_ParseTuple(args, "Ondd:backgrounds", &obj, &max_backgrounds, &share, &rim_share))
        return NULL;
    Py_buffer view;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    if (img.h == 0 || img.w == 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_IndexError, "an empty image has no rim (as numpy's a[0], a[:, 0])");
        return NULL;
    }

    if (img.w > (Py_ssize_t)(INT32_MAX / 8) || img.h > (Py_ssize_t)(INT32_MAX / 8)) { /* rim counts < 2^31 */
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "image too large");
        return NULL;
    }

    int status = 0; /* 0 ok, -2 no memory */
    uint32_t *rim = NULL, *counts = NULL;
    uint16_t *slot = NULL;
    cand_t *cands = NULL;
    Py_ssize_t ncand = 0, found = 0;
    Py_BEGIN_ALLOW_THREADS
    rim = (uint32_t *)calloc(NKEYS, sizeof(uint32_t));
    Py_ssize_t rim_len = 2 * img.w + 2 * img.h; /* a[0], a[-1], a[:, 0], a[:, -1]: corners twice */
    cands = (cand_t *)malloc((size_t)(rim_len < NKEYS ? rim_len : NKEYS) * sizeof(cand_t));
    if (rim == NULL || cands == NULL) {
        status = -2;
    } else {
        const unsigned char *p;
        Py_ssize_t j;
#define RIM(start, n, step, body) for (p = (start), j = 0; j < (n); j++, p += (step)) { body }
#define EACH_RIM(body)                                                     \
        RIM(img.base, img.w, img.sx, body)                                 \
        RIM(img.base + (img.h - 1) * img.sy, img.w, img.sx, body)          \
        RIM(img.base, img.h, img.sy, body)                                 \
        RIM(img.base + (img.w - 1) * img.sx, img.h, img.sy, body)
        EACH_RIM(rim[colour_key(p, img.sc)]++;)
        /* candidates: the colours on at least rim_share of the rim, each given a slot once */
        double rim_least = rim_share * (double)rim_len;
        EACH_RIM({
            unsigned key = colour_key(p, img.sc);
            uint32_t v = rim[key];
            if (!(v & SLOT_BIT) && (double)v >= rim_least) {
                cands[ncand].key = key;
                rim[key] = SLOT_BIT | (uint32_t)(++ncand);
            }
        })
#undef EACH_RIM
#undef RIM
        if (ncand > 0 && max_backgrounds > 0) {
            Py_ssize_t longest = img.h > img.w ? img.h : img.w;
            Py_ssize_t sample = longest / BACKGROUND_SAMPLE > 1 ? longest / BACKGROUND_SAMPLE : 1;
            Py_ssize_t rows = (img.h + sample - 1) / sample, cols = (img.w + sample - 1) / sample;
            double threshold = share * (double)(rows * cols);
            Py_ssize_t nslots = ncand + 1;
            int by_keys = 0;
#if defined(__SSE2__)
            by_keys = img.sc == 1 && img.sx == 4 && ncand <= VECTOR_CANDIDATES && little_endian();
#endif
            counts = (uint32_t *)calloc((size_t)(COPIES * nslots), sizeof(uint32_t));
            slot = by_keys ? NULL : (uint16_t *)calloc(NKEYS, sizeof(uint16_t));
            if (counts == NULL || (slot == NULL && !by_keys)) {
                status = -2;
            } else {
#if defined(__SSE2__)
                if (by_keys)
                    count_keys_sse2(&img, sample, rows, cols, cands, ncand, counts);
#endif
                if (!by_keys) {
                    for (Py_ssize_t i = 0; i < ncand; i++) /* ncand <= NKEYS: a slot fits two bytes */
                        slot[cands[i].key] = (uint16_t)(i + 1);
                    if (img.sc == 1)
                        count_slots(&img, sample, rows, cols, 1, slot, counts, nslots);
                    else
                        count_slots(&img, sample, rows, cols, img.sc, slot, counts, nslots);
                }
                for (Py_ssize_t i = 0; i < ncand; i++) {
                    uint32_t n = 0;
                    for (int c = 0; c < COPIES; c++)
                        n += counts[c * nslots + i + 1];
                    if ((double)n >= threshold)
                        cands[found++] = (cand_t){n, cands[i].key};
                }
                qsort(cands, (size_t)found, sizeof(cand_t), cand_cmp);
                if (found > max_backgrounds)
                    found = max_backgrounds;
            }
        }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);

    PyObject *result = NULL;
    if (status == -2) {
        PyErr_NoMemory();
        goto done;
    }
    result = PyList_New(found);
    for (Py_ssize_t i = 0; result != NULL && i < found; i++) {
        uint32_t key = cands[i].key;
        PyObject *t = Py_BuildValue("(iii)", (int)((key >> 10) & 31) * 8 + 4, (int)((key >> 5) & 31) * 8 + 4,
                                    (int)(key & 31) * 8 + 4);
        if (t == NULL)
            Py_CLEAR(result);
        else
            PyList_SET_ITEM(result, i, t);
    }
done:
    free(rim);
    free(counts);
    free(slot);
    free(cands);
    return result;
}

/* ------------------------------------------------------------------ not_background */

static long long floor_div8(long long v) { return v / 8 - (v % 8 < 0 ? 1 : 0); }
static long long ceil_div8(long long v) { return v / 8 + (v % 8 > 0 ? 1 : 0); }

/* The writable, C-contiguous (h, w) bool array behind out: 0 with *view held (the caller releases
 * it), or -1 with nothing held and an error saying what is wrong with out (``shape``: the shape asked
 * for, in words). */
static int get_bool_out(PyObject *out, Py_buffer *view, Py_ssize_t h, Py_ssize_t w, const char *shape)
{
    if (PyObject_GetBuffer(out, view, PyBUF_RECORDS) < 0) {
        if (PyErr_ExceptionMatches(PyExc_BufferError)) { /* e.g. a read-only array */
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, "out must be a writable buffer");
        }
        return -1;
    }
    const char *fmt = view->format;
    if (view->itemsize != 1 || (fmt != NULL && !(fmt[0] == '?' && fmt[1] == '\0')))
        PyErr_SetString(PyExc_TypeError, "out must be a bool array");
    else if (view->ndim != 2 || view->shape[0] != h || view->shape[1] != w)
        PyErr_Format(PyExc_ValueError, "out must have %s", shape);
    else if (!PyBuffer_IsContiguous(view, 'C'))
        PyErr_SetString(PyExc_ValueError, "out must be C-contiguous");
    else
        return 0;
    PyBuffer_Release(view);
    return -1;
}

static PyObject *py_not_background(PyObject *self, PyObject *args)
{
    PyObject *obj, *outobj, *colours;
    long long tolerance;
    if (!PyArg_ParseTuple(args, "OOOL:not_background", &obj, &outobj, &colours, &tolerance))
        return NULL;
    /* the colours first: nothing to release if they are wrong */
    PyObject *seq = PySequence_Fast(colours, "colours must be a sequence of (r, g, b)");
    if (seq == NULL)
        return NULL;
    Py_ssize_t ncol = PySequence_Fast_GET_SIZE(seq);
    long long (*rgb)[3] = (long long (*)[3])PyMem_Malloc((size_t)(ncol ? ncol : 1) * sizeof(*rgb));
    if (rgb == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < ncol; i++) {
        PyObject *c = PySequence_Fast(PySequence_Fast_GET_ITEM(seq, i), "a colour must be a sequence of 3 ints");
        if (c == NULL)
            goto colour_fail;
        if (PySequence_Fast_GET_SIZE(c) != 3) {
            PyErr_SetString(PyExc_ValueError, "a colour must have 3 channels");
            Py_DECREF(c);
            goto colour_fail;
        }
        for (int k = 0; k < 3; k++) {
            PyObject *v = PyNumber_Index(PySequence_Fast_GET_ITEM(c, k));
            rgb[i][k] = v == NULL ? -1 : PyLong_AsLongLong(v);
            Py_XDECREF(v);
            if (v == NULL || (rgb[i][k] == -1 && PyErr_Occurred())) {
                Py_DECREF(c);
                goto colour_fail;
            }
        }
        Py_DECREF(c);
    }
    Py_DECREF(seq);
    seq = NULL;

    Py_buffer view, outview;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        goto colour_fail;
    if (get_bool_out(outobj, &outview, img.h, img.w, "the image's shape (h, w)") < 0) {
        PyBuffer_Release(&view);
        goto colour_fail;
    }

    unsigned char *out = (unsigned char *)outview.buf;
    unsigned char *lut = (unsigned char *)PyMem_Malloc(NKEYS);
    if (lut == NULL) {
        PyErr_NoMemory();
        goto buffers_fail;
    }
    Py_BEGIN_ALLOW_THREADS
    memset(lut, 1, NKEYS);
    long long reach = ceil_div8(tolerance); /* -(-tolerance // 8) */
    for (Py_ssize_t i = 0; i < ncol; i++) {
        long long lo[3], hi[3];
        for (int k = 0; k < 3; k++) {
            long long v = floor_div8(rgb[i][k]); /* int(c) >> 3 */
            lo[k] = v - reach > 0 ? v - reach : 0;
            hi[k] = v + reach < 31 ? v + reach : 31;
        }
        for (long long r = lo[0]; r <= hi[0]; r++)
            for (long long g = lo[1]; g <= hi[1]; g++)
                for (long long b = lo[2]; b <= hi[2]; b++)
                    lut[(r << 10) | (g << 5) | b] = 0;
    }
    for (Py_ssize_t y = 0; y < img.h; y++) {
        const unsigned char *p = img.base + y * img.sy;
        unsigned char *o = out + y * img.w;
        if (img.sx == 3 && img.sc == 1) {
            for (Py_ssize_t x = 0; x < img.w; x++, p += 3)
                o[x] = lut[((unsigned)(p[0] >> 3) << 10) | ((unsigned)(p[1] >> 3) << 5) | (unsigned)(p[2] >> 3)];
        } else if (img.sc == 1 && img.sx >= 4 && img.sx % 4 == 0 && little_endian()) {
            /* Pillow's four-byte pixels (every one, or every n-th): a pixel but the row's last is read
               as one word (its fourth byte lies before the next pixel of the row) */
            Py_ssize_t x = 0;
            for (; x + 1 < img.w; x++, p += img.sx) {
                uint32_t v;
                memcpy(&v, p, 4);
                o[x] = lut[((v >> 3) & 31u) << 10 | ((v >> 11) & 31u) << 5 | ((v >> 19) & 31u)];
            }
            o[x] = lut[colour_key(p, 1)];
        } else {
            for (Py_ssize_t x = 0; x < img.w; x++, p += img.sx)
                o[x] = lut[colour_key(p, img.sc)];
        }
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(lut);
    PyBuffer_Release(&outview);
    PyBuffer_Release(&view);
    PyMem_Free(rgb);
    Py_RETURN_NONE;

buffers_fail:
    PyBuffer_Release(&outview);
    PyBuffer_Release(&view);
colour_fail:
    Py_XDECREF(seq);
    PyMem_Free(rgb);
    return NULL;
}

/* ------------------------------------------------------------------ colour-blend lines */

static inline int luma_at(const unsigned char *p, Py_ssize_t ch) { return PILLOW_LUMA(p[0], p[ch], p[2 * ch]); }

/* How many lines cut_colour_blend cuts on one side of box b (edits._blend_cuts_numpy): the side is
   read from the bar's last line (just outside b) inwards, over the middle of its length (a tenth left
   out at each end). The bar's luma is int(np.median) of its last line's; inner is the line max_lines
   + 1 in (or the last there is). A line counts while share of it lies within tol of the bar's luma
   and nearer to it than to inner's pixel; the first that does not stops the count. -1: no memory. */
static Py_ssize_t blend_side(const image_t *img, box_t b, int side, Py_ssize_t max_lines, int tol, double share)
{
    lines_t l = side_with_outside(img, b, side); /* line 0: the bar's last line */
    Py_ssize_t n = l.n < max_lines + 2 ? l.n : max_lines + 2;
    Py_ssize_t end = l.len / 10, m = l.len - 2 * end;
    if (m <= 0 || n < 3)
        return 0;
    Py_ssize_t hist[256];
    memset(hist, 0, sizeof hist);
    const unsigned char *bar_line = l.p + end * l.pix;
    for (Py_ssize_t j = 0; j < m; j++)
        hist[luma_at(bar_line + j * l.pix, l.ch)]++;
    /* np.median: the middle value, or the mean of the two middle ones (int() of it: rounded down) */
    int bar = m % 2 ? hist_rank(hist, m / 2) : (hist_rank(hist, m / 2 - 1) + hist_rank(hist, m / 2)) / 2;
    unsigned char *inner = (unsigned char *)malloc((size_t)m);
    if (inner == NULL)
        return -1;
    const unsigned char *inner_line = l.p + (n - 1) * l.step + end * l.pix;
    for (Py_ssize_t j = 0; j < m; j++)
        inner[j] = luma_at(inner_line + j * l.pix, l.ch);
    Py_ssize_t cuts = 0;
    for (Py_ssize_t i = 1; i < n - 1; i++) {
        const unsigned char *line = l.p + i * l.step + end * l.pix;
        Py_ssize_t count = 0;
        for (Py_ssize_t j = 0; j < m; j++) {
            int v = luma_at(line + j * l.pix, l.ch);
            int off = abs(v - bar);
            count += (off <= tol) & (off < abs(v - (int)inner[j]));
        }
        if ((double)count < share * (double)m)
            break;
        cuts++;
    }
    free(inner);
    return cuts;
}

static PyObject *py_blend_cuts(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t x0, y0, x1, y1, max_lines;
    long long tolerance;
    double share;
    if (!PyArg_ParseTuple(args, "O(nnnn)nLd:blend_cuts", &obj, &x0, &y0, &x1, &y1, &max_lines, &tolerance, &share))
        return NULL;
    Py_buffer view;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    if (x0 < 0 || y0 < 0 || x1 > img.w || y1 > img.h || x0 >= x1 || y0 >= y1 || max_lines < 0) {
        PyBuffer_Release(&view);
        PyErr_Format(PyExc_ValueError, "box (%zd, %zd, %zd, %zd) is not inside the %zd x %zd image, or max_lines < 0",
                     x0, y0, x1, y1, img.w, img.h);
        return NULL;
    }
    int tol = (int)clamp_ll(tolerance, -TOL_CLAMP, TOL_CLAMP);
    box_t b = {x0, y0, x1, y1};
    const int was_cut[4] = {y0 > 0, y1 < img.h, x0 > 0, x1 < img.w};
    Py_ssize_t cuts[4] = {0, 0, 0, 0};
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int side = 0; side < 4 && !failed; side++)
        if (was_cut[side] && (cuts[side] = blend_side(&img, b, side, max_lines, tol, share)) < 0)
            failed = 1;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (failed)
        return PyErr_NoMemory();
    return Py_BuildValue("(nnnn)", cuts[0], cuts[1], cuts[2], cuts[3]);
}

/* ------------------------------------------------------------------ a picture floating on its page */

/* floats_on_page(a, box, tolerance, floating) -> bool, as edits._floats_on_page_numpy: on a side of
   box that was cut (top, bottom, left, right in turn), the share of the box's second line whose pixels
   lie within tolerance of the line just outside the box on every channel (|p - q| <= tolerance) is at
   least `floating` (the count over the length, in double, as numpy's mean). A side under two lines
   deep, or of no length, is passed over. */
static PyObject *py_floats_on_page(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t x0, y0, x1, y1;
    long long tolerance;
    double floating;
    if (!PyArg_ParseTuple(args, "O(nnnn)Ld:floats_on_page", &obj, &x0, &y0, &x1, &y1, &tolerance, &floating))
        return NULL;
    Py_buffer view;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    if (x0 < 0 || y0 < 0 || x1 > img.w || y1 > img.h || x0 > x1 || y0 > y1) {
        PyBuffer_Release(&view);
        PyErr_Format(PyExc_ValueError, "box (%zd, %zd, %zd, %zd) is not inside the %zd x %zd image", x0, y0, x1, y1,
                     img.w, img.h);
        return NULL;
    }
    const int tol = (int)clamp_ll(tolerance, -TOL_CLAMP, TOL_CLAMP);
    const box_t b = {x0, y0, x1, y1};
    const int was_cut[4] = {y0 > 0, y1 < img.h, x0 > 0, x1 < img.w};
    int floats = 0;
    Py_BEGIN_ALLOW_THREADS
    for (int side = 0; side < 4 && !floats; side++) {
        if (!was_cut[side])
            continue;
        const lines_t l = side_with_outside(&img, b, side); /* line 0: outside, line 2: the box's second */
        if (l.n < 3 || l.len == 0)
            continue;
        const unsigned char *out = l.p, *in = l.p + 2 * l.step;
        Py_ssize_t near = 0;
        for (Py_ssize_t j = 0; j < l.len; j++, out += l.pix, in += l.pix) {
            int ok = 1;
            for (int c = 0; c < 3; c++)
                ok &= abs((int)in[c * l.ch] - (int)out[c * l.ch]) <= tol;
            near += ok;
        }
        floats = (double)near / (double)l.len >= floating;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return PyBool_FromLong(floats);
}

/* ------------------------------------------------------------------ a box put on the image's own pixels */

/* How many lines snap_to_frame moves one side of b inwards (negative: outwards; 0: it stays), as
   edits._snap_to_frame_numpy: the side is read from `outside` lines outside b to `inside` lines inside
   it (outside first), in Pillow's luma, over the middle of its length (a tenth left out at each end).
   A line is frame when share of it lies within tol of the outermost line's element of rank m / 2
   (np.partition); the side moves to the first line that is not, unless every line is. When the
   outermost is not frame, it moves to the step between two lines with the most pixels changing by brk
   or more (the first such step), when those are at least brk_share of the line and gain times as many
   as on the step the side is on. -1 with *failed set: no memory. */
static Py_ssize_t snap_side(const image_t *img, box_t b, int side, Py_ssize_t outside, Py_ssize_t inside, int tol,
                            double share, int brk, double brk_share, double gain, int *failed)
{
    const lines_t l = side_with_lines_outside(img, b, side, outside);
    const Py_ssize_t n = outside + inside, end = l.len / 10, m = l.len - 2 * end;
    unsigned char *luma = (unsigned char *)malloc((size_t)(n * m));
    Py_ssize_t *steps = (Py_ssize_t *)malloc(sizeof(Py_ssize_t) * (size_t)n);
    if (luma == NULL || steps == NULL) {
        free(luma);
        free(steps);
        *failed = 1;
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        const unsigned char *p = l.p + i * l.step + end * l.pix;
        for (Py_ssize_t j = 0; j < m; j++, p += l.pix)
            luma[i * m + j] = (unsigned char)luma_at(p, l.ch);
    }
    Py_ssize_t hist[256];
    memset(hist, 0, sizeof hist);
    for (Py_ssize_t j = 0; j < m; j++)
        hist[luma[j]]++;
    const int tone = hist_rank(hist, m / 2);
    Py_ssize_t count = 0;
    for (; count < n; count++) {
        Py_ssize_t near = 0;
        for (Py_ssize_t j = 0; j < m; j++)
            near += abs((int)luma[count * m + j] - tone) <= tol;
        if ((double)near < share * (double)m)
            break;
    }
    Py_ssize_t move = 0;
    if (count == 0) {
        Py_ssize_t best = 0;
        for (Py_ssize_t k = 0; k + 1 < n; k++) {
            Py_ssize_t c = 0;
            for (Py_ssize_t j = 0; j < m; j++)
                c += abs((int)luma[(k + 1) * m + j] - (int)luma[k * m + j]) >= brk;
            steps[k] = c;
            if (c > steps[best])
                best = k;
        }
        if (n > 1 && (double)steps[best] >= brk_share * (double)m && (double)steps[best] >= gain * (double)steps[outside - 1])
            move = best + 1 - outside;
    } else if (count < n) {
        move = count - outside;
    }
    free(luma);
    free(steps);
    return move;
}

/* snap_box(a, box, reach, tolerance, share, break, break_share, gain) -> (x0, y0, x1, y1), as
   edits._snap_to_frame_numpy before its size check. */
static PyObject *py_snap_box(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t x0, y0, x1, y1, reach;
    long long tolerance, brk;
    double share, brk_share, gain;
    if (!PyArg_ParseTuple(args, "O(nnnn)nLdLdd:snap_box", &obj, &x0, &y0, &x1, &y1, &reach, &tolerance, &share, &brk,
                          &brk_share, &gain))
        return NULL;
    Py_buffer view;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    if (x0 < 0 || y0 < 0 || x1 > img.w || y1 > img.h || x0 >= x1 || y0 >= y1) {
        PyBuffer_Release(&view);
        PyErr_Format(PyExc_ValueError, "box (%zd, %zd, %zd, %zd) is not inside the %zd x %zd image", x0, y0, x1, y1,
                     img.w, img.h);
        return NULL;
    }
    Py_ssize_t inside = 2 * (reach < img.w + img.h ? reach : img.w + img.h);
    if ((x1 - x0) / 2 < inside) inside = (x1 - x0) / 2;
    if ((y1 - y0) / 2 < inside) inside = (y1 - y0) / 2;
    Py_ssize_t edges[4] = {x0, y0, x1, y1};
    if (reach > 1 && inside >= 1) {
        const int tol = (int)clamp_ll(tolerance, -TOL_CLAMP, TOL_CLAMP), step = (int)clamp_ll(brk, -TOL_CLAMP, TOL_CLAMP);
        const box_t b = {x0, y0, x1, y1};
        /* edits' order: left, top, right, bottom; side_of's: top 0, bottom 1, left 2, right 3 */
        const int sides[4] = {2, 0, 3, 1};
        const Py_ssize_t room[4] = {x0, y0, img.w - x1, img.h - y1};
        int failed = 0;
        Py_BEGIN_ALLOW_THREADS
        for (int i = 0; i < 4 && !failed; i++) {
            Py_ssize_t outside = room[i] < reach ? room[i] : reach;
            if (outside < 1)
                continue;
            Py_ssize_t move = snap_side(&img, b, sides[i], outside, inside, tol, share, step, brk_share, gain, &failed);
            edges[i] += i < 2 ? move : -move;
        }
        Py_END_ALLOW_THREADS
        if (failed) {
            PyBuffer_Release(&view);
            return PyErr_NoMemory();
        }
    }
    PyBuffer_Release(&view);
    return Py_BuildValue("(nnnn)", edges[0], edges[1], edges[2], edges[3]);
}

/* ------------------------------------------------------------------ pixels near a colour */

/* near_counts of lines that lie side by side in memory (lines a pixel apart, their pixels a row apart:
 * the left or right side of an image, `edits._side`), read in memory order. Counting such lines one by
 * one reads a cache line for every pixel: the left side of a 1,000 px image took ten times as long as
 * its top. Lines from `first` on; rows[y] gets line y's count. */
static void count_columns(const image_t *img, Py_ssize_t first, const int lo[3], const int hi[3], Py_ssize_t *rows)
{
    for (Py_ssize_t y = first; y < img->h; y++)
        rows[y] = 0;
    if (hi[0] < lo[0] || hi[1] < lo[1] || hi[2] < lo[2] || first >= img->h)
        return;
    const unsigned w0 = (unsigned)(hi[0] - lo[0]), w1 = (unsigned)(hi[1] - lo[1]), w2 = (unsigned)(hi[2] - lo[2]);
    const Py_ssize_t sc = img->sc;
    for (Py_ssize_t j = 0; j < img->w; j++) {
        const unsigned char *p = img->base + j * img->sx + first * img->sy;
        for (Py_ssize_t y = first; y < img->h; y++, p += img->sy) {
            unsigned a = (unsigned)(p[0] - lo[0]), b = (unsigned)(p[sc] - lo[1]), c = (unsigned)(p[2 * sc] - lo[2]);
            rows[y] += (a <= w0) & (b <= w1) & (c <= w2);
        }
    }
}

#if defined(__SSE2__)
/* count_columns where the lines are columns of Pillow's four-byte pixels (line step +4 on a left side,
 * -4 on a right one): a load reads a pixel of four lines, as prefix_columns_rgbx does (lines y .. y + 3
 * only while line y + 4 exists: the load's bytes past the lines' channels lie in that line's pixel),
 * sixteen lines a pass over the rows (a whole cache line a load of four). Returns how many leading
 * lines were counted; count_columns counts the rest. */
static Py_ssize_t count_columns_rgbx(const image_t *img, const int lo[3], const int hi[3], Py_ssize_t *rows)
{
    const int right = img->sy < 0;
    __m128i lov, hiv;
    if (!rgbx_ranges(lo, hi, right ? 1 : 0, &lov, &hiv))
        return 0; /* an empty range: count_columns writes the zeros */
    Py_ssize_t y = 0;
    while (y + 4 < img->h) {
        int groups = (int)((img->h - 1 - y) / 4);
        if (groups > 4)
            groups = 4;
        __m128i acc[4] = {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
        const unsigned char *p = img->base + y * img->sy + (right ? 3 * img->sy - 1 : 0);
        for (Py_ssize_t j = 0; j < img->w; j++, p += img->sx)
            for (int g = 0; g < groups; g++)
                acc[g] = _mm_sub_epi32(acc[g], rgbx_ok(_mm_loadu_si128((const __m128i *)(p + g * 4 * img->sy)), lov, hiv));
        for (int g = 0; g < groups; g++, y += 4) {
            int32_t counts[4];
            _mm_storeu_si128((__m128i *)counts, acc[g]);
            for (int k = 0; k < 4; k++) /* line y + k: lane k on a left side, 3 - k on a right one */
                rows[y + k] = counts[right ? 3 - k : k];
        }
    }
    return y;
}
#endif

/* How many pixels of each row of a lie within tol of colour on every channel (edits._near, counted a
 * row as edits._near_counts_numpy does): count_in_range over near_range's channel ranges, a list of h
 * (rows that lie side by side in memory, a side's lines, by count_columns). */
static PyObject *py_near_counts(PyObject *self, PyObject *args)
{
    PyObject *obj;
    int rgb[3], tol;
    if (!PyArg_ParseTuple(args, "O(iii)i:near_counts", &obj, &rgb[0], &rgb[1], &rgb[2], &tol))
        return NULL;
    Py_buffer view;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    Py_ssize_t *rows = (Py_ssize_t *)PyMem_Malloc((size_t)(img.h + 1) * sizeof(Py_ssize_t));
    if (rows == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    int lo[3], hi[3];
    near_range(rgb, tol, lo, hi); /* a negative tolerance: an empty range, nothing near */
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t ay = img.sy < 0 ? -img.sy : img.sy, ax = img.sx < 0 ? -img.sx : img.sx;
    if (img.h > 1 && ay < ax) { /* the lines side by side: read row by row of memory */
        Py_ssize_t done = 0;
#if defined(__SSE2__)
        if (img.sc == 1 && ay == 4)
            done = count_columns_rgbx(&img, lo, hi, rows);
#endif
        count_columns(&img, done, lo, hi, rows);
    } else {
        for (Py_ssize_t y = 0; y < img.h; y++)
            rows[y] = count_in_range(img.base + y * img.sy, img.sx, img.sc, img.w, lo, hi);
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    PyObject *out = PyList_New(img.h);
    for (Py_ssize_t y = 0; out != NULL && y < img.h; y++) {
        PyObject *v = PyLong_FromSsize_t(rows[y]);
        if (v == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, y, v);
    }
    PyMem_Free(rows);
    return out;
}

/* ------------------------------------------------------------------ a border of noise */

/* Whether one line is noise (edits._noisy_lines_numpy): in Pillow's luma, its spread (standard deviation
   over the line) is at least `spread` and the mean step between neighbours at least `share`/1000 of
   the spread. Exactly, in integers: with S, Q the sum and the sum of squares, D the sum of the steps
   and L the length, L Q - S^2 >= spread^2 L^2 and (1000 D L)^2 >= share^2 (L - 1)^2 (L Q - S^2). */
static int noisy_line(const lines_t *l, Py_ssize_t j, long long spread, long long share)
{
    const unsigned char *p = l->p + j * l->step;
    const Py_ssize_t len = l->len;
    if (len < 2)
        return 0;
    long long sum = 0, squares = 0, steps = 0;
    int last = PILLOW_LUMA(p[0], p[l->ch], p[2 * l->ch]);
    for (Py_ssize_t i = 0; i < len; i++, p += l->pix) {
        const int v = PILLOW_LUMA(p[0], p[l->ch], p[2 * l->ch]);
        sum += v;
        squares += (long long)v * v;
        steps += v > last ? v - last : last - v;
        last = v;
    }
#ifdef __SIZEOF_INT128__
    typedef __int128 wide_t;
#else
    typedef long double wide_t;
#endif
    const wide_t n = (wide_t)len, spreads = n * (wide_t)squares - (wide_t)sum * (wide_t)sum;
    if (spreads < (wide_t)spread * (wide_t)spread * n * n)
        return 0;
    const wide_t lhs = (wide_t)1000 * (wide_t)steps * n, rest = (wide_t)share * (n - 1);
    return lhs * lhs >= rest * rest * spreads;
}

/* noise_depths(a, lines, depth, spread, share) -> (top, bottom, left, right): on each side, how many
   lines from the edge in are noise (noisy_line), when its first `lines` are and a line that is not
   comes within `depth` lines (else 0: no border, or noise past the depth, no picture inside it). */
static PyObject *py_noise_depths(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t lines, depth[4];
    long long spread, share;
    if (!PyArg_ParseTuple(args, "On(nnnn)LL:noise_depths", &obj, &lines, &depth[0], &depth[1], &depth[2], &depth[3],
                          &spread, &share))
        return NULL;
    if (lines < 1 || spread < 0 || share < 0 || spread > (1LL << 20) || share > (1LL << 20)) {
        PyErr_SetString(PyExc_ValueError, "lines must be at least 1, spread and share 0 to 2**20");
        return NULL;
    }
    Py_buffer view;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    Py_ssize_t found[4] = {0, 0, 0, 0};
    Py_BEGIN_ALLOW_THREADS
    box_t whole = {0, 0, img.w, img.h};
    for (int side = 0; side < 4 && img.h > 0 && img.w > 0; side++) {
        lines_t l = side_of(&img, whole, side);
        Py_ssize_t reach = depth[side] < l.n ? depth[side] : l.n, j = 0;
        while (j < reach && noisy_line(&l, j, spread, share))
            j++;
        found[side] = j >= lines && j < reach ? j : 0;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return Py_BuildValue("(nnnn)", found[0], found[1], found[2], found[3]);
}

/* ------------------------------------------------------------------ soft bars (a blurred picture) */

/* One line's luma (Pillow's) into out[0 .. l->len). */
static void line_luma(const lines_t *l, Py_ssize_t j, unsigned char *out)
{
    const unsigned char *p = l->p + j * l->step;
    for (Py_ssize_t i = 0; i < l->len; i++, p += l->pix)
        out[i] = (unsigned char)PILLOW_LUMA(p[0], p[l->ch], p[2 * l->ch]);
}

/* Of a line's luma: the sum of the steps between neighbours, and how many exceed `step`. */
static void line_steps(const unsigned char *v, Py_ssize_t len, int step, int64_t *sum, int64_t *over)
{
    int64_t s = 0, o = 0;
    for (Py_ssize_t i = 1; i < len; i++) {
        const int d = v[i] > v[i - 1] ? v[i] - v[i - 1] : v[i - 1] - v[i];
        s += d;
        o += d > step;
    }
    *sum = s;
    *over = o;
}

/* How many pixels of two lines' luma differ by `brk` or more. */
static int64_t line_breaks(const unsigned char *a, const unsigned char *b, Py_ssize_t len, int brk)
{
    int64_t n = 0;
    for (Py_ssize_t i = 0; i < len; i++)
        n += (a[i] > b[i] ? a[i] - b[i] : b[i] - a[i]) >= brk;
    return n;
}

/* soft_ends(a, axis, depth, step, brk, most, outer, mean, contrast) -> None or (near, far), as
   edits._soft_ends_numpy: the two ends of an axis (top and bottom for 0, left and right for 1) read
   in step from the edge, a line of each at a time, in Pillow's luma. None unless the first `outer`
   lines at both ends are soft (at most `most` of the steps between neighbours along them exceed
   `step`) with steps summing to at most `mean` a line, and three lines about the middle have a mean
   step `contrast` times theirs. Else the reading stops at the first line that
   is not soft at either end (or at `depth` lines) and near, far (int64 bytes) hold for each pair of
   neighbouring lines (i, i + 1) how many pixels differ by `brk` or more across, up to the pair into
   the second line past the soft ones. */
static PyObject *py_soft_ends(PyObject *self, PyObject *args)
{
    PyObject *obj;
    int axis, step, brk, contrast;
    Py_ssize_t depth, most, outer;
    long long mean;
    if (!PyArg_ParseTuple(args, "OiniinnLi:soft_ends", &obj, &axis, &depth, &step, &brk, &most, &outer, &mean, &contrast))
        return NULL;
    if (axis < 0 || axis > 1 || depth < 0 || outer < 1 || contrast < 0 || contrast > 1000000) {
        PyErr_SetString(PyExc_ValueError, "axis must be 0 or 1, depth at least 0, outer at least 1, contrast 0 to 10**6");
        return NULL;
    }
    Py_buffer view;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    box_t whole = {0, 0, img.w, img.h};
    lines_t ends[2] = {side_of(&img, whole, 2 * axis), side_of(&img, whole, 2 * axis + 1)};
    const Py_ssize_t len = ends[0].len, n = img.h > 0 && img.w > 0 ? ends[0].n : 0;
    if (depth > n)
        depth = n;
    if (depth < outer || len < 2) {
        PyBuffer_Release(&view);
        Py_RETURN_NONE;
    }
    unsigned char *luma = (unsigned char *)PyMem_Malloc((size_t)(5 * len)); /* two lines an end, a spare */
    int64_t *counts = (int64_t *)PyMem_Malloc((size_t)(2 * (depth + 1)) * sizeof(int64_t));
    if (luma == NULL || counts == NULL) {
        PyMem_Free(luma); PyMem_Free(counts); PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    Py_ssize_t read = 0;
    int soft = 1;
    int64_t outer_sum = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t j = 0; j < depth && soft; j++) {
        for (int e = 0; e < 2 && soft; e++) {
            unsigned char *now = luma + (2 * e + (j & 1)) * len, *before = luma + (2 * e + ((j + 1) & 1)) * len;
            int64_t sum, over;
            line_luma(&ends[e], j, now);
            line_steps(now, len, step, &sum, &over);
            if (over > most || (j < outer && sum > mean))
                soft = 0;
            else {
                if (j < outer)
                    outer_sum += sum;
                if (j > 0)
                    counts[e * (depth + 1) + j - 1] = line_breaks(now, before, len, brk);
            }
        }
        if (soft)
            read = j + 1;
        if (soft && j == outer - 1) {
            /* the picture between is sharper than the bars: the mean step along three lines about the
               middle is `contrast` times the outer lines' (or a quarter of a level) or more; in
               integers, 8 outer mid >= contrast max(12 outer_sum, 6 outer (len - 1)) */
            int64_t mid = 0, sum, over;
            const Py_ssize_t picks[3] = {n / 2, n / 2 - n / 8, n / 2 + n / 8};
            for (int k = 0; k < 3; k++) {
                line_luma(&ends[0], picks[k], luma + 4 * len);
                line_steps(luma + 4 * len, len, step, &sum, &over);
                mid += sum;
            }
            const int64_t base = 12 * outer_sum > 6 * (int64_t)outer * (len - 1) ? 12 * outer_sum : 6 * (int64_t)outer * (len - 1);
            if (8 * (int64_t)outer * mid < (int64_t)contrast * base)
                soft = 0, read = 0;
        }
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    PyObject *out = NULL;
    if (read >= outer) {
        /* and the breaks into the first two lines past the soft ones (the bar's end, or the far bar's
           a line deeper where the two differ by an odd remainder) */
        const Py_ssize_t pairs = read + 1 < n - 1 ? read + 1 : n - 1;
        for (int e = 0; e < 2; e++)
            for (Py_ssize_t g = read - 1; g < pairs; g++) {
                line_luma(&ends[e], g, luma);
                line_luma(&ends[e], g + 1, luma + len);
                counts[e * (depth + 1) + g] = line_breaks(luma, luma + len, len, brk);
            }
        out = Py_BuildValue("(y#y#)", (const char *)counts, pairs * (Py_ssize_t)sizeof(int64_t),
                            (const char *)(counts + depth + 1), pairs * (Py_ssize_t)sizeof(int64_t));
    } else {
        out = Py_None;
        Py_INCREF(out);
    }
    PyMem_Free(luma);
    PyMem_Free(counts);
    return out;
}

/* ------------------------------------------------------------------ flat_cells */

/* The channel sums of row pair cy's cells (2 x 2 pixels each) into sums, four uint16 lanes a cell
 * (R, G, B and a fourth that is not read): rows of packed pixels of three or four bytes (RGB, or
 * Pillow's RGBX behind a view) are added a byte lane at a time into v (uint16, a loop the compiler
 * vectorises), then each cell's two pixels four lanes at a time as one 64-bit add (a lane holds at
 * most 4 * 255: no carry into the next); any other strides pixel by pixel. v holds 8 * cw + 5 lanes. */
static void cell_sums(const image_t *img, Py_ssize_t cy, Py_ssize_t cw, uint16_t *restrict v, uint16_t *restrict sums)
{
    const unsigned char *restrict r0 = img->base + 2 * cy * img->sy, *restrict r1 = r0 + img->sy;
    const Py_ssize_t sx = img->sx, sc = img->sc;
    if (sc == 1 && (sx == 3 || sx == 4)) {
        /* Four bytes a pixel: the last pixel's fourth byte is not read (a view of channels 1..3 of a
           four-channel array ends before it; the fourth lane is never used) */
        const Py_ssize_t n = 2 * sx * cw - (sx == 4);
        for (Py_ssize_t i = 0; i < n; i++)
            v[i] = (uint16_t)(r0[i] + r1[i]);
        memset(v + n, 0, 5 * sizeof(uint16_t)); /* (and the last RGB cell's second load reads a lane past) */
        /* RGB: a cell's first pixel is lanes 6j..6j+2, the second 6j+3..6j+5; the fourth lane summed
           is the next pixel's, cleared */
        const uint64_t keep = sx == 4 ? ~(uint64_t)0 : 0x0000ffffffffffffULL;
        for (Py_ssize_t j = 0; j < cw; j++) {
            uint64_t a, b;
            memcpy(&a, v + 2 * sx * j, 8);
            memcpy(&b, v + 2 * sx * j + sx, 8);
            a = (a + b) & keep;
            memcpy(sums + 4 * j, &a, 8);
        }
        return;
    }
    for (Py_ssize_t j = 0; j < cw; j++) {
        const unsigned char *p0 = r0 + 2 * j * sx, *p1 = r1 + 2 * j * sx;
        for (int k = 0; k < 3; k++)
            sums[4 * j + k] = (uint16_t)(p0[k * sc] + p0[k * sc + sx] + p1[k * sc] + p1[k * sc + sx]);
        sums[4 * j + 3] = 0;
    }
}

/* right[i] and down[i] = whether lane i of cur lies within limit of the same lane of the cell right of
 * it, and of the cell below (next), for the first n lanes (a row's cells but its last). */
static void flat_lanes(const uint16_t *restrict cur, const uint16_t *restrict next, Py_ssize_t n, uint16_t limit,
                       unsigned char *restrict right, unsigned char *restrict down)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint16_t a = cur[i], b = cur[i + 4], c = next[i];
        right[i] = (unsigned char)((uint16_t)(a > b ? a - b : b - a) <= limit);
        down[i] = (unsigned char)((uint16_t)(a > c ? a - c : c - a) <= limit);
    }
}

static PyObject *py_flat_cells(PyObject *self, PyObject *args)
{
    PyObject *obj, *outobj;
    long long tolerance;
    if (!PyArg_ParseTuple(args, "OOL:flat_cells", &obj, &outobj, &tolerance))
        return NULL;
    Py_buffer view, outview;
    image_t img;
    if (get_image(obj, &view, &img) < 0)
        return NULL;
    const Py_ssize_t ch = img.h / 2, cw = img.w / 2;
    if (get_bool_out(outobj, &outview, ch, cw, "the shape (h // 2, w // 2)") < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    PyObject *result = NULL;
    uint16_t *rows = NULL;
    {
        const size_t width = (size_t)(cw > 0 ? cw : 1);
        rows = (uint16_t *)PyMem_Malloc(((8 + 4 + 4) * width + 5) * sizeof(uint16_t) + 11 * width);
    }
    if (rows == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    {
        const long long t = tolerance < 0 ? -1 : (tolerance > TOL_CLAMP ? TOL_CLAMP : tolerance);
        const long long limit = 4 * t; /* on sums of four pixels */
        unsigned char *out = (unsigned char *)outview.buf;
        Py_BEGIN_ALLOW_THREADS
        const Py_ssize_t width = cw > 0 ? cw : 1;
        uint16_t *v = rows, *cur = rows + 8 * width + 5, *next = cur + 4 * width;
        unsigned char *right = (unsigned char *)(next + 4 * width), *down = right + 4 * width;
        unsigned char *r = down + 4 * width, *d = r + width, *above = d + width; /* a cell's three lanes */
        memset(above, 1, (size_t)width); /* the first row has no row above: no test there */
        if (ch > 0 && cw > 0)
            cell_sums(&img, 0, cw, v, cur);
        for (Py_ssize_t cy = 0; cy < ch; cy++) {
            unsigned char *line = out + cy * cw;
            memset(line, 0, (size_t)cw); /* the last row and column have no cell beside them: not flat */
            if (cy + 1 >= ch || limit < 0)
                continue;
            cell_sums(&img, cy + 1, cw, v, next);
            flat_lanes(cur, next, 4 * (cw - 1), (uint16_t)(limit > 0xffff ? 0xffff : limit), right, down);
            for (Py_ssize_t cx = 0; cx + 1 < cw; cx++) {
                r[cx] = right[4 * cx] & right[4 * cx + 1] & right[4 * cx + 2];
                d[cx] = down[4 * cx] & down[4 * cx + 1] & down[4 * cx + 2];
            }
            /* like the cells right and below it, and (where there is one) left and above: a step
               between two flat patches leaves a line unflat on both sides of it */
            for (Py_ssize_t cx = 0; cx + 1 < cw; cx++)
                line[cx] = r[cx] & d[cx] & (cx > 0 ? r[cx - 1] : 1) & above[cx];
            memcpy(above, d, (size_t)cw);
            above[cw - 1] = 0;
            uint16_t *swap = cur;
            cur = next;
            next = swap;
        }
        Py_END_ALLOW_THREADS
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyMem_Free(rows);
    PyBuffer_Release(&outview);
    PyBuffer_Release(&view);
    return result;
}

/* ------------------------------------------------------------------ module */

static PyMethodDef methods[] = {
    {"trim_passes", py_trim_passes, METH_VARARGS,
     "trim_passes(a, tolerance, noise, max_passes, min_content) -> list of (x0, y0, x1, y1) or None\n\n"
     "The content box after each pass that changed something, as edits._trim_passes_numpy."},
    {"backgrounds", py_backgrounds, METH_VARARGS,
     "backgrounds(a, max_backgrounds, background_share, background_rim) -> list of (r, g, b)\n\n"
     "Page colours (bucket * 8 + 4), as edits._backgrounds_numpy."},
    {"not_background", py_not_background, METH_VARARGS,
     "not_background(a, out, colours, tolerance) -> None\n\n"
     "Writes into out (a C-contiguous bool array of shape a.shape[:2]) the pixels that are none of the\n"
     "colours, as edits._not_background_numpy."},
    {"floats_on_page", py_floats_on_page, METH_VARARGS,
     "floats_on_page(a, box, tolerance, floating) -> bool\n\n"
     "Whether what a trimming pass left floats on a page of the colour cut, as edits._floats_on_page_numpy."},
    {"blend_cuts", py_blend_cuts, METH_VARARGS,
     "blend_cuts(a, box, max_lines, luma_tolerance, share) -> (top, bottom, left, right)\n\n"
     "The colour-blend lines cut on each side of box, as edits._blend_cuts_numpy."},
    {"near_counts", py_near_counts, METH_VARARGS,
     "near_counts(a, (r, g, b), tolerance) -> list of int\n\n"
     "How many pixels of each row lie within tolerance of the colour on every channel, as edits._near_counts_numpy."},
    {"noise_depths", py_noise_depths, METH_VARARGS,
     "noise_depths(a, lines, (top, bottom, left, right) depths, spread, share) -> (top, bottom, left, right)\n\n"
     "How many lines of noise each side has from the edge in, as edits._noise_depths_numpy."},
    {"soft_ends", py_soft_ends, METH_VARARGS,
     "soft_ends(a, axis, depth, step, break, most, outer, mean, contrast) -> None or (near, far) int64 bytes\n\n"
     "The breaks between the soft lines at both ends of an axis, as edits._soft_ends_numpy."},
    {"snap_box", py_snap_box, METH_VARARGS,
     "snap_box(a, box, reach, tolerance, share, break, break_share, gain) -> (x0, y0, x1, y1)\n\n"
     "Each side of box put on the image's own frame or break, as edits._snap_to_frame_numpy (before its size check)."},
    {"flat_cells", py_flat_cells, METH_VARARGS,
     "flat_cells(a, out, tolerance) -> None\n\n"
     "Writes into out (a C-contiguous bool array of shape (h // 2, w // 2)) the cells of 2 x 2 pixels whose\n"
     "channel means lie within tolerance of the cells beside them, as edits._flat_cells_numpy."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_trim",
                                    "Compiled border trimming and page colours of childsafe.media.edits.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__trim(void) { return PyModule_Create(&module); }
