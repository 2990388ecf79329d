/* The vector loops of _pdqcore.c, written once for any register width: _pdqcore.c includes this file
 * once for SSE2 (four floats a register) and once for AVX2 (eight), each time defining
 *
 *   V_NAME(f)      the function's name for that width (f##_sse2, f##_avx2)
 *   V_TARGET       the function attribute that enables the instructions
 *   V_LANES        floats a register
 *   VEC            the register type
 *   V_ZERO(), V_LOAD(p), V_STORE(p, v), V_SET1(x), V_ADD(a, b), V_MUL(a, b)
 *   V_U8(p)        V_LANES bytes from p as floats
 *   V_U8_BLOCK(p, f)  8 V_LANES bytes from p as floats into the registers f[0..7] (SSE2 widens two
 *                  loads of 16 where V_U8 would take eight of 4)
 *
 * Every lane does what the plain loops do: one multiply, then one add, the terms in the same order,
 * no fused multiply-add (the module is built without contraction), so every width gives the same
 * floats to the bit (tests/media/test_media_pdq_fast.py compares them). The small arrays of registers
 * below have constant sizes and indices; the compiler unrolls their loops and keeps them in registers.
 * The file undefines these names at its end, ready for the next width. */

/* One kept row of a grey image whose rows are contiguous: row[x] = 0 + wt[0] p[y0][x] + wt[1] p[y0 + 1][x]
   + ... (terms of weight 0 left out), in that order, as the plain loop in `samples` adds them; eight
   registers of x at a time with the sums in registers (each add waits for the one before it), then
   one register, then one x. */
static V_TARGET void V_NAME(kept_row_grey)(const unsigned char *base, Py_ssize_t sy, int y0, const float *wt,
                                           Py_ssize_t band, Py_ssize_t w, float *restrict row) {
    Py_ssize_t x = 0;
    for (; x + 8 * V_LANES <= w; x += 8 * V_LANES) {
        VEC a[8];
        for (int m = 0; m < 8; m++) a[m] = V_ZERO();
        for (Py_ssize_t k = 0; k < band; k++) {
            if (wt[k] == 0.0f) continue;
            const unsigned char *p = base + (y0 + k) * sy + x;
            const VEC c = V_SET1(wt[k]);
            VEC f[8];
            V_U8_BLOCK(p, f);
            for (int m = 0; m < 8; m++) a[m] = V_ADD(a[m], V_MUL(c, f[m]));
        }
        for (int m = 0; m < 8; m++) V_STORE(row + x + V_LANES * m, a[m]);
    }
    for (; x + V_LANES <= w; x += V_LANES) {
        VEC a = V_ZERO();
        for (Py_ssize_t k = 0; k < band; k++) {
            if (wt[k] == 0.0f) continue;
            a = V_ADD(a, V_MUL(V_SET1(wt[k]), V_U8(base + (y0 + k) * sy + x)));
        }
        V_STORE(row + x, a);
    }
    for (; x < w; x++) {
        float acc = 0.0f;
        for (Py_ssize_t k = 0; k < band; k++) {
            if (wt[k] == 0.0f) continue;
            acc += wt[k] * (float)base[(y0 + k) * sy + x];
        }
        row[x] = acc;
    }
}

/* `columns` from the kept rows transposed (rt: w lines of N floats, rt[x][i] = kept row i's x), for
   the picture or (mirror) its left-right flip: every kept row's column j at once, 0 + weight[j][0] rt[x_0]
   + weight[j][1] rt[x_1] + ..., x_k = x_start[j] + k, or w - 1 - x_k for the flip. Each lane makes the
   multiplies and adds `columns` makes, in its order, so the same floats; gt gets them transposed
   (gt[j][i]). The pixels are whole registers of rt, where `columns` gathers them one by one. */
static V_TARGET void V_NAME(columns_t)(const float *rt, Py_ssize_t w, const int *xstart, const float *xwt,
                                       Py_ssize_t xband, int mirror, float *gt) {
    for (int j = 0; j < N; j++) {
        VEC a[N / V_LANES];
        for (int m = 0; m < N / V_LANES; m++) a[m] = V_ZERO();
        for (Py_ssize_t k = 0; k < xband; k++) {
            const Py_ssize_t x = xstart[j] + k;
            const float *src = rt + (size_t)(mirror ? w - 1 - x : x) * N;
            const VEC c = V_SET1(xwt[(size_t)j * (size_t)xband + (size_t)k]);
            for (int m = 0; m < N / V_LANES; m++) a[m] = V_ADD(a[m], V_MUL(c, V_LOAD(src + m * V_LANES)));
        }
        for (int m = 0; m < N / V_LANES; m++) V_STORE(gt + j * N + m * V_LANES, a[m]);
    }
}

/* The reference's DCT (see dct16 in _pdqcore.c): t four rows of D by two registers of columns of g
   at a time, the sums in registers; out a row of all sixteen v at a time from D transposed. */
static V_TARGET void V_NAME(dct16)(const float *g, float *out) {
    float t[K][N];
    for (int u0 = 0; u0 < K; u0 += 4) {
        for (int j0 = 0; j0 < N; j0 += 2 * V_LANES) {
            VEC a[4][2];
            for (int r = 0; r < 4; r++) a[r][0] = a[r][1] = V_ZERO();
            for (int i = 0; i < N; i++) {
                const VEC g0 = V_LOAD(g + i * N + j0), g1 = V_LOAD(g + i * N + j0 + V_LANES);
                for (int r = 0; r < 4; r++) {
                    const VEC d = V_SET1(dct[u0 + r][i]);
                    a[r][0] = V_ADD(a[r][0], V_MUL(d, g0));
                    a[r][1] = V_ADD(a[r][1], V_MUL(d, g1));
                }
            }
            for (int r = 0; r < 4; r++) {
                V_STORE(&t[u0 + r][j0], a[r][0]);
                V_STORE(&t[u0 + r][j0 + V_LANES], a[r][1]);
            }
        }
    }
    for (int u = 0; u < K; u++) {
        VEC a[K / V_LANES];
        for (int c = 0; c < K / V_LANES; c++) a[c] = V_ZERO();
        for (int j = 0; j < N; j++) {
            const VEC tj = V_SET1(t[u][j]);
            for (int c = 0; c < K / V_LANES; c++) a[c] = V_ADD(a[c], V_MUL(tj, V_LOAD(&dct_t[j][c * V_LANES])));
        }
        for (int c = 0; c < K / V_LANES; c++) V_STORE(out + u * K + c * V_LANES, a[c]);
    }
}

#undef V_NAME
#undef V_TARGET
#undef V_LANES
#undef VEC
#undef V_ZERO
#undef V_LOAD
#undef V_STORE
#undef V_SET1
#undef V_ADD
#undef V_MUL
#undef V_U8
#undef V_U8_BLOCK
