/* Exact Hamming-radius search over 256-bit PDQ hashes: the hot loop of childsafe.index.
 *
 * An Engine borrows (through the buffer protocol) the arrays that tables.py builds: the hashes,
 * optional ids and alive mask, and per table its blocks and spill entries (tables.py describes the
 * layout). search() runs a batch of queries through one software pipeline so the memory latency
 * of all probes overlaps: prefetch a block (one cache line) -> AHEAD probes later filter its
 * entries by the chunk's low bits -> verify all 256 bits of the surviving rows, each prefetched
 * VERIFY_AHEAD candidates in advance. A block's entries are filtered in one vector step with
 * AVX-512 (with VPOPCNTDQ) or AVX2 where the CPU has them, else one at a time: the same results.
 * build_table() is the counting sort that fills a table's blocks (as tables.build_table).
 * With no thresholds it scans every row once, testing all queries against each row.
 * A search releases the GIL, so threads sharing one engine search in parallel.
 * Indices read from the arrays are bounds-checked, so a damaged index file gives wrong answers
 * at worst, never a crash.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_AVX512_PATH 1
#define HAVE_AVX2_PATH 1
#include <immintrin.h>
#endif

#define MAX_TABLES 32
#ifndef AHEAD
#define AHEAD 16
#endif
/* verifying a row is a few instructions: look further ahead to cover a DRAM miss */
#ifndef VERIFY_AHEAD
#define VERIFY_AHEAD 48
#endif

#if defined(__x86_64__) && defined(__GNUC__)
#define HOT __attribute__((target("popcnt")))
#else
#define HOT
#endif

/* A table's block (tables.py): 16 little-endian uint32 words, one 64-byte cache line: the offset
   of the block's spill entries, the block's entry count, then its first BLK_INLINE entries. An
   entry is the chunk's low bits (those not used to pick the block) above the row number. */
#define BLK_WORDS 16
#define BLK_INLINE 14

typedef struct {
    int start, width, hbits, lbits;
    uint32_t pshift, pmask;
    const uint32_t *blocks;
    const uint32_t *spill;
    uint32_t nspill;
} table_t;

/* one block to visit for any query: flip these bits of the query's block number, allow this many
   differing bits among the entry's low bits */
typedef struct { uint32_t mask; uint8_t table; uint8_t allowed; } probe_t;
typedef struct { uint32_t query, dist; int64_t id; uint32_t row; } hit_t;

#define MAX_PROBESETS 8
typedef struct { signed char thr[MAX_TABLES]; probe_t *probes; size_t n; } probeset_t;

typedef struct {
    PyObject_HEAD
    Py_ssize_t n;
    const unsigned char *hashes;
    const int64_t *ids;
    const uint8_t *alive;
    int ntables;
    table_t tables[MAX_TABLES];
    Py_buffer views[3 + 2 * MAX_TABLES];
    int nviews;
    /* queries are turned into the rows' bit order: src[p] is the query bit that becomes bit p */
    int permuted;
    unsigned char order[256];
    /* probe lists by thresholds: made under the GIL, never changed after, freed with the engine */
    probeset_t probesets[MAX_PROBESETS];
    int nprobesets;
} Engine;

/* one search's working memory: searches run without the GIL, so several threads can search at once.
   Candidates are (query, row) pairs kept as two arrays, so a vector step can append rows at once. */
typedef struct {
    uint32_t *crow, *cquery; size_t cands_cap;
    hit_t *hits; size_t hits_cap;
} scratch_t;

static int grow(void **buf, size_t *cap, size_t need, size_t item) {
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 1024;
    while (n < need) n *= 2;
    void *p = realloc(*buf, n * item);
    if (!p) return -1; /* the caller raises MemoryError once it holds the GIL */
    *buf = p; *cap = n;
    return 0;
}

/* room for ``need`` candidates (both arrays grow together) */
static int grow_cands(scratch_t *sc, size_t need) {
    if (need <= sc->cands_cap) return 0;
    size_t cap = sc->cands_cap, cap2 = sc->cands_cap;
    if (grow((void **)&sc->crow, &cap, need, sizeof(uint32_t)) < 0) return -1;
    if (grow((void **)&sc->cquery, &cap2, need, sizeof(uint32_t)) < 0) return -1;
    sc->cands_cap = cap < cap2 ? cap : cap2;
    return 0;
}

static inline uint64_t load64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static inline uint64_t load64_be(const unsigned char *p) {
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap64(load64(p));
#else
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
#endif
}

static HOT inline int distance(const unsigned char *a, const uint64_t q[4]) {
    return __builtin_popcountll(load64(a) ^ q[0]) + __builtin_popcountll(load64(a + 8) ^ q[1]) +
           __builtin_popcountll(load64(a + 16) ^ q[2]) + __builtin_popcountll(load64(a + 24) ^ q[3]);
}

/* bits [start, start+width) of the hash, bit 0 being the top bit of the first byte */
static inline uint32_t extract(const uint64_t be[4], int start, int width) {
    int wi = start >> 6, off = start & 63;
    uint64_t v;
    if (off + width <= 64) v = be[wi] >> (64 - off - width);
    else { int low = off + width - 64; v = (be[wi] << low) | (be[wi + 1] >> (64 - low)); }
    return (uint32_t)(v & ((1ULL << width) - 1));
}

/* out = the 32-byte row with bit p taken from bit src[p] of in */
static void permute_row(const unsigned char *in, unsigned char *out, const unsigned char *src) {
    unsigned char o[32] = {0};
    for (int p = 0; p < 256; p++)
        if (in[src[p] >> 3] & (0x80 >> (src[p] & 7))) o[p >> 3] |= (unsigned char)(0x80 >> (p & 7));
    memcpy(out, o, 32);
}

/* the block filter in use: 0 one entry at a time, 1 AVX2, 2 AVX-512 (see vector()) */
static int vector_level = 0;

/* Where block b of a table lives (tables.place): a bijection of hbits-bit numbers. The blocks a
   query visits differ from its own in one or two bits; placed as they are, they would land close
   together (likely in the same few DRAM banks). Spread out, the probe stage measured ~13% faster. */
static inline uint32_t place(uint32_t b, int hbits) {
    uint32_t m = (uint32_t)((1ULL << hbits) - 1);
    b = (b * 0x9E3779B1u) & m;
    b ^= b >> ((hbits + 1) / 2);
    return (b * 0x85EBCA77u) & m;
}

/* Engine(hashes, ids | None, alive | None, tables, order | None): tables is a sequence of
   (start, width, high_bits, blocks, spill); order, 256 bytes, is the bit order of the rows (the
   engine turns each query into it) */
static int Engine_init(Engine *self, PyObject *args, PyObject *kwds) {
    PyObject *hashes, *ids, *alive, *spec, *order = Py_None;
    if (!PyArg_ParseTuple(args, "OOOO|O", &hashes, &ids, &alive, &spec, &order)) return -1;
    if (self->nviews) { PyErr_SetString(PyExc_RuntimeError, "Engine already initialised"); return -1; }
    Py_buffer *v = &self->views[0];
    if (PyObject_GetBuffer(hashes, v, PyBUF_C_CONTIGUOUS) < 0) return -1;
    self->nviews = 1;
    if (v->len % 32) { PyErr_SetString(PyExc_ValueError, "hashes must be 32-byte rows"); return -1; }
    self->n = v->len / 32;
    self->hashes = v->buf;
    if (ids != Py_None) {
        v = &self->views[self->nviews];
        if (PyObject_GetBuffer(ids, v, PyBUF_C_CONTIGUOUS) < 0) return -1;
        self->nviews++;
        if (v->len != self->n * 8 || ((uintptr_t)v->buf) % 8) {
            PyErr_SetString(PyExc_ValueError, "ids must be aligned int64, one per row"); return -1;
        }
        self->ids = v->buf;
    }
    if (alive != Py_None) {
        v = &self->views[self->nviews];
        if (PyObject_GetBuffer(alive, v, PyBUF_C_CONTIGUOUS) < 0) return -1;
        self->nviews++;
        if (v->len != self->n) { PyErr_SetString(PyExc_ValueError, "alive must be uint8, one per row"); return -1; }
        self->alive = v->buf;
    }
    if (order != Py_None) {
        Py_buffer ob;
        if (PyObject_GetBuffer(order, &ob, PyBUF_SIMPLE) < 0) return -1;
        int ok = ob.len == 256, seen[256] = {0};
        for (Py_ssize_t p = 0; ok && p < 256; p++) ok = !seen[((const unsigned char *)ob.buf)[p]]++;
        if (ok) memcpy(self->order, ob.buf, 256);
        PyBuffer_Release(&ob);
        if (!ok) { PyErr_SetString(PyExc_ValueError, "order must be a permutation of 256 bit positions"); return -1; }
        self->permuted = 1;
    }
    PyObject *seq = PySequence_Fast(spec, "tables must be a sequence");
    if (!seq) return -1;
    Py_ssize_t nt = PySequence_Fast_GET_SIZE(seq);
    if (nt > MAX_TABLES) { Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "too many tables"); return -1; }
    for (Py_ssize_t j = 0; j < nt; j++) {
        table_t *t = &self->tables[j];
        PyObject *blk, *spill;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, j), "iiiOO", &t->start, &t->width, &t->hbits, &blk, &spill)) {
            Py_DECREF(seq); return -1;
        }
        t->lbits = t->width - t->hbits;
        if (t->start < 0 || t->width < 1 || t->width > 32 || t->start > 256 - t->width || t->hbits < 1 ||
            t->hbits > t->width || t->hbits > 30 || t->lbits > 16) {
            Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "bad table layout"); return -1;
        }
        t->pshift = (uint32_t)(32 - t->lbits);
        t->pmask = t->lbits ? (1u << t->pshift) - 1 : 0xFFFFFFFFu;
        PyObject *arrs[2] = {blk, spill};
        for (int k = 0; k < 2; k++) {
            v = &self->views[self->nviews];
            if (PyObject_GetBuffer(arrs[k], v, PyBUF_C_CONTIGUOUS) < 0) { Py_DECREF(seq); return -1; }
            self->nviews++;
        }
        const Py_buffer *bv = &self->views[self->nviews - 2], *sv = &self->views[self->nviews - 1];
        if (bv->len != ((Py_ssize_t)1 << t->hbits) * BLK_WORDS * 4 || sv->len % 4 || ((uintptr_t)sv->buf) % 4) {
            Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "table array has the wrong size"); return -1;
        }
        if (((uintptr_t)bv->buf) % 64) {
            Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "a table's blocks must be 64-byte aligned"); return -1;
        }
        t->blocks = bv->buf;
        t->spill = sv->buf;
        t->nspill = (uint32_t)(sv->len / 4);
        self->ntables = (int)j + 1;
    }
    Py_DECREF(seq);
    return 0;
}

static void Engine_dealloc(Engine *self) {
    for (int i = 0; i < self->nviews; i++) PyBuffer_Release(&self->views[i]);
    for (int i = 0; i < self->nprobesets; i++) free(self->probesets[i].probes);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int hit_order(const void *a, const void *b) {
    const hit_t *x = a, *y = b;
    if (x->query != y->query) return x->query < y->query ? -1 : 1;
    if (x->dist != y->dist) return x->dist < y->dist ? -1 : 1;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return x->row < y->row ? -1 : (x->row > y->row);
}

static int add_hit(const Engine *self, scratch_t *sc, size_t *nhits, uint32_t query, uint32_t row, int dist) {
    if (*nhits == sc->hits_cap && grow((void **)&sc->hits, &sc->hits_cap, *nhits + 1, sizeof(hit_t)) < 0) return -1;
    hit_t *h = &sc->hits[(*nhits)++];
    h->query = query; h->row = row; h->dist = (uint32_t)dist;
    h->id = self->ids ? self->ids[row] : (int64_t)row;
    return 0;
}

/* every row against every query, one pass over memory */
static HOT int scan_all(const Engine *self, scratch_t *sc, const uint64_t (*q)[4], uint32_t m, int radius, size_t *nhits) {
    for (Py_ssize_t i = 0; i < self->n; i++) {
        if (self->alive && !self->alive[i]) continue;
        const unsigned char *row = self->hashes + 32 * i;
        for (uint32_t k = 0; k < m; k++) {
            int d = distance(row, q[k]);
            if (d <= radius && add_hit(self, sc, nhits, k, (uint32_t)i, d) < 0) return -1;
        }
    }
    return 0;
}

static int probe_order(const void *a, const void *b) {
    const probe_t *x = a, *y = b;
    if (x->table != y->table) return x->table < y->table ? -1 : 1;
    return x->mask < y->mask ? -1 : (x->mask > y->mask);
}

/* the probe list for these thresholds: same for every query, so made once per radius (GIL held) */
static const probeset_t *probes_for(Engine *self, const signed char *thr, probeset_t *spare) {
    for (int i = 0; i < self->nprobesets; i++)
        if (!memcmp(self->probesets[i].thr, thr, (size_t)self->ntables)) return &self->probesets[i];
    probeset_t *set = self->nprobesets < MAX_PROBESETS ? &self->probesets[self->nprobesets] : spare;
    memset(set, 0, sizeof(*set));
    size_t np = 0, cap = 0;
    for (int j = 0; j < self->ntables; j++) {
        const table_t *t = &self->tables[j];
        int tj = thr[j];
        uint64_t limit = 1ULL << t->hbits;
        for (int d = 0; d <= tj && d <= t->hbits; d++) {
            uint64_t mask = d ? (1ULL << d) - 1 : 0;
            while (mask < limit) {
                if (np == cap && grow((void **)&set->probes, &cap, np + 1, sizeof(probe_t)) < 0) {
                    free(set->probes); set->probes = NULL; PyErr_NoMemory(); return NULL;
                }
                probe_t *p = &set->probes[np++];
                p->mask = (uint32_t)mask; p->table = (uint8_t)j;
                p->allowed = (uint8_t)(tj - d < t->lbits ? tj - d : t->lbits);
                if (!d) break;
                uint64_t c = mask | (mask - 1); /* next combination of d bits */
                mask = (c + 1) | (((~c & -~c) - 1) >> (__builtin_ctzll(mask) + 1));
            }
        }
    }
    set->n = np;
    /* by table, then by mask: blocks near each other in memory are visited together */
    if (np) qsort(set->probes, np, sizeof(probe_t), probe_order);
    memcpy(set->thr, thr, (size_t)self->ntables);
    if (set != spare) self->nprobesets++;
    return set;
}

/* queries of a batch that share a chunk value in one table: their blocks are visited once */
typedef struct { uint32_t key; uint32_t query; } keyed_t;
typedef struct { uint32_t qh, ql, first, count, pbeg, pend; uint8_t table; } group_t;
/* a block with entries past its inline ones: scanned after the pipeline */
typedef struct { uint32_t group, probe, lo, hi; } spilled_t;

static int keyed_order(const void *a, const void *b) {
    const keyed_t *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->query < y->query ? -1 : (x->query > y->query);
}

/* the entries e[0, cnt) whose low bits lie within ``allowed`` bits of the group's: a candidate for
   each query of the group (room for them is made by the caller) */
static HOT inline size_t filter_entries(const uint32_t *e, uint32_t cnt, const table_t *t, const group_t *gr,
                                        const uint32_t *members, uint32_t allowed, scratch_t *sc, size_t nc) {
    uint32_t *crow = sc->crow, *cq = sc->cquery;
    const uint32_t want = gr->ql, shift = t->pshift, pmask = t->pmask;
    if (gr->count == 1) {
        const uint32_t k = members[gr->first];
        if (t->lbits) {
            for (uint32_t x = 0; x < cnt; x++) {
                uint32_t v = e[x];
                crow[nc] = v & pmask; cq[nc] = k;
                nc += (uint32_t)__builtin_popcount((v >> shift) ^ want) <= allowed;
            }
        } else {
            for (uint32_t x = 0; x < cnt; x++) { crow[nc] = e[x]; cq[nc] = k; nc++; }
        }
        return nc;
    }
    for (uint32_t x = 0; x < cnt; x++) {
        uint32_t v = e[x];
        if (t->lbits && (uint32_t)__builtin_popcount((v >> shift) ^ want) > allowed) continue;
        for (uint32_t z = 0; z < gr->count; z++) { crow[nc] = v & pmask; cq[nc] = members[gr->first + z]; nc++; }
    }
    return nc;
}

#ifdef HAVE_AVX512_PATH
/* filter_entries for a whole block at once: the rows kept are compressed into one register, then
   written once for each query of the group (16 slots a query) */
__attribute__((target("avx512f,avx512vpopcntdq"))) static inline size_t filter_block_avx512(
    const uint32_t *blk, uint32_t inl, const table_t *t, const group_t *gr, const uint32_t *members, uint32_t allowed,
    scratch_t *sc, size_t nc) {
    __m512i v = _mm512_load_si512((const void *)blk);
    __mmask16 lanes = (__mmask16)(((1u << inl) - 1) << 2);
    __m512i low = _mm512_srl_epi32(v, _mm_cvtsi32_si128((int)t->pshift)); /* a shift of 32 gives 0 */
    __m512i bits = _mm512_popcnt_epi32(_mm512_xor_si512(low, _mm512_set1_epi32((int)gr->ql)));
    __mmask16 keep = _mm512_mask_cmple_epu32_mask(lanes, bits, _mm512_set1_epi32((int)allowed));
    /* compress in a register, then store all 16 lanes: a compressing store to memory is slow on some CPUs */
    __m512i rows = _mm512_maskz_compress_epi32(keep, _mm512_and_si512(v, _mm512_set1_epi32((int)t->pmask)));
    size_t kept = (size_t)__builtin_popcount(keep);
    for (uint32_t z = 0; z < gr->count; z++) {
        _mm512_storeu_si512((void *)(sc->crow + nc), rows);
        _mm512_storeu_si512((void *)(sc->cquery + nc), _mm512_set1_epi32((int)members[gr->first + z]));
        nc += kept;
    }
    return nc;
}
#endif

#ifdef HAVE_AVX2_PATH
/* for each 8-bit lane mask, the lanes it keeps, in order (then zeros): AVX2 has no compress */
static uint32_t compress_lut[256][8] __attribute__((aligned(32)));

static void init_compress_lut(void) {
    for (int m = 0; m < 256; m++) {
        int k = 0;
        for (int lane = 0; lane < 8; lane++)
            if (m & (1 << lane)) compress_lut[m][k++] = (uint32_t)lane;
        while (k < 8) compress_lut[m][k++] = 0;
    }
}

/* filter_block_avx512 with AVX2: two halves of eight words, the bits counted with a nibble table */
__attribute__((target("avx2,popcnt"))) static inline size_t filter_block_avx2(
    const uint32_t *blk, uint32_t inl, const table_t *t, const group_t *gr, const uint32_t *members, uint32_t allowed,
    scratch_t *sc, size_t nc) {
    const __m256i nibble = _mm256_set1_epi8(0x0F), ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
    const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                           0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m128i shift = _mm_cvtsi32_si128((int)t->pshift); /* a shift of 32 gives 0 */
    const __m256i want = _mm256_set1_epi32((int)gr->ql), limit = _mm256_set1_epi32((int)allowed + 1);
    const __m256i pmask = _mm256_set1_epi32((int)t->pmask);
    const uint32_t lanes = ((1u << inl) - 1) << 2;
    uint32_t kept_rows[24] __attribute__((aligned(32)));
    size_t kept = 0;
    for (int half = 0; half < 2; half++) {
        __m256i v = _mm256_load_si256((const __m256i *)(blk + 8 * half));
        __m256i x = _mm256_xor_si256(_mm256_srl_epi32(v, shift), want); /* below 2**16 */
        __m256i bytes = _mm256_add_epi8(_mm256_shuffle_epi8(table, _mm256_and_si256(x, nibble)),
                                        _mm256_shuffle_epi8(table, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble)));
        __m256i bits = _mm256_madd_epi16(_mm256_maddubs_epi16(bytes, ones8), ones16);
        __m256i ok = _mm256_cmpgt_epi32(limit, bits);
        uint32_t m = (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(ok)) & ((lanes >> (8 * half)) & 0xFF);
        __m256i rows = _mm256_permutevar8x32_epi32(_mm256_and_si256(v, pmask),
                                                   _mm256_load_si256((const __m256i *)compress_lut[m]));
        _mm256_storeu_si256((__m256i *)(kept_rows + kept), rows);
        kept += (size_t)__builtin_popcount(m);
    }
    const __m256i r0 = _mm256_load_si256((const __m256i *)kept_rows), r1 = _mm256_load_si256((const __m256i *)(kept_rows + 8));
    for (uint32_t z = 0; z < gr->count; z++) {
        const __m256i k = _mm256_set1_epi32((int)members[gr->first + z]);
        _mm256_storeu_si256((__m256i *)(sc->crow + nc), r0);
        _mm256_storeu_si256((__m256i *)(sc->crow + nc + 8), r1);
        _mm256_storeu_si256((__m256i *)(sc->cquery + nc), k);
        _mm256_storeu_si256((__m256i *)(sc->cquery + nc + 8), k);
        nc += kept;
    }
    return nc;
}
#endif

static HOT int probe_tables(const Engine *self, scratch_t *sc, const probeset_t *set, const unsigned char *qbytes,
                            const uint64_t (*q)[4], uint32_t m, int radius, size_t *nhits) {
    const uint32_t nt = (uint32_t)self->ntables, n = (uint32_t)self->n;
    const size_t P = set->n;
    const probe_t *probes = set->probes;
    /* each table's run of probes (the list is sorted by table) */
    size_t pstart[MAX_TABLES + 1];
    for (uint32_t j = 0, x = 0; j <= nt; j++) {
        while (x < P && probes[x].table < j) x++;
        pstart[j] = x;
    }
    /* 1. each query's chunks, grouped per table by value: the eight dihedral variants of a photo
       often agree on a chunk, and then share its blocks */
    keyed_t *keyed = malloc(sizeof(keyed_t) * (size_t)m + 1); /* one table at a time */
    group_t *groups = malloc(sizeof(group_t) * (size_t)m * nt + 1);
    uint32_t *members = malloc(sizeof(uint32_t) * (size_t)m * nt + 1);
    spilled_t *spilled = NULL;
    size_t nspilled = 0, spilled_cap = 0;
    int rc = -1;
    if (!keyed || !groups || !members) goto out;
    size_t ng = 0, nm = 0;
    for (uint32_t j = 0; j < nt; j++) {
        const table_t *t = &self->tables[j];
        if (pstart[j] == pstart[j + 1]) continue; /* threshold -1: the table is not consulted */
        for (uint32_t k = 0; k < m; k++) {
            uint64_t be[4];
            for (int w = 0; w < 4; w++) be[w] = load64_be(qbytes + 32 * k + 8 * w);
            keyed[k].key = extract(be, t->start, t->width);
            keyed[k].query = k;
        }
        if (m > 1) qsort(keyed, m, sizeof(keyed_t), keyed_order);
        for (uint32_t k = 0; k < m; k++) {
            if (!k || keyed[k].key != keyed[k - 1].key) {
                group_t *g = &groups[ng++];
                g->table = (uint8_t)j; g->qh = keyed[k].key >> t->lbits;
                g->ql = keyed[k].key & ((1u << t->lbits) - 1); g->first = (uint32_t)nm; g->count = 0;
                g->pbeg = (uint32_t)pstart[j]; g->pend = (uint32_t)pstart[j + 1];
            }
            members[nm++] = keyed[k].query;
            groups[ng - 1].count++;
        }
    }
    /* 2. software-pipelined over (group, probe of its table): prefetch the block; AHEAD steps
       later filter its inline entries, a candidate for each query of the group */
    size_t total = 0;
    for (size_t g = 0; g < ng; g++) total += groups[g].pend - groups[g].pbeg;
    size_t nc = 0;
    size_t g1 = 0, g2 = 0;                                 /* group of each stage */
    size_t x1 = ng ? groups[0].pbeg : 0, x2 = x1;          /* probe of each stage */
#define NEXT(g, x) do { if (++(x) == groups[g].pend && ++(g) < ng) (x) = groups[g].pbeg; } while (0)
    for (size_t i = 0; i < total + AHEAD; i++) {
        if (i < total) {
            const table_t *t = &self->tables[groups[g1].table];
            __builtin_prefetch(t->blocks + BLK_WORDS * (size_t)place(groups[g1].qh ^ probes[x1].mask, t->hbits));
            NEXT(g1, x1);
        }
        if (i >= AHEAD) {
            const group_t *gr = &groups[g2];
            const probe_t *p = &probes[x2];
            const table_t *t = &self->tables[gr->table];
            const uint32_t *blk = t->blocks + BLK_WORDS * (size_t)place(gr->qh ^ p->mask, t->hbits);
            uint32_t cnt = blk[1], inl = cnt < BLK_INLINE ? cnt : BLK_INLINE;
            if (grow_cands(sc, nc + (size_t)BLK_WORDS * gr->count + BLK_WORDS) < 0) goto out;
#ifdef HAVE_AVX512_PATH
            if (vector_level == 2)
                nc = filter_block_avx512(blk, inl, t, gr, members, p->allowed, sc, nc);
            else
#endif
#ifdef HAVE_AVX2_PATH
            if (vector_level == 1)
                nc = filter_block_avx2(blk, inl, t, gr, members, p->allowed, sc, nc);
            else
#endif
                nc = filter_entries(blk + 2, inl, t, gr, members, p->allowed, sc, nc);
            if (cnt > BLK_INLINE) {
                uint32_t lo = blk[0], hi = lo + (cnt - BLK_INLINE);
                if (hi < lo || hi > t->nspill) lo = hi = 0; /* damaged: nothing to read */
                if (nspilled == spilled_cap && grow((void **)&spilled, &spilled_cap, nspilled + 1, sizeof(spilled_t)) < 0) goto out;
                spilled_t *s = &spilled[nspilled++];
                s->group = (uint32_t)g2; s->probe = (uint32_t)x2; s->lo = lo; s->hi = hi;
            }
            NEXT(g2, x2);
        }
    }
#undef NEXT
    /* 3. the spilled entries of crowded blocks (a few percent on random data; clusters of near
       duplicates make more) */
    for (size_t i = 0; i < nspilled + AHEAD; i++) {
        if (i < nspilled && spilled[i].hi > spilled[i].lo)
            __builtin_prefetch(self->tables[groups[spilled[i].group].table].spill + spilled[i].lo);
        if (i >= AHEAD) {
            const spilled_t *s = &spilled[i - AHEAD];
            const group_t *gr = &groups[s->group];
            const table_t *t = &self->tables[gr->table];
            if (grow_cands(sc, nc + (size_t)(s->hi - s->lo) * gr->count + BLK_WORDS) < 0) goto out;
            nc = filter_entries(t->spill + s->lo, s->hi - s->lo, t, gr, members, probes[s->probe].allowed, sc, nc);
        }
    }
    /* 4. verify all 256 bits */
    const uint32_t *crow = sc->crow, *cq = sc->cquery;
    for (size_t i = 0; i < nc; i++) {
        if (i + VERIFY_AHEAD < nc && crow[i + VERIFY_AHEAD] < n)
            __builtin_prefetch(self->hashes + 32 * (size_t)crow[i + VERIFY_AHEAD]);
        uint32_t row = crow[i];
        if (row >= n || (self->alive && !self->alive[row])) continue;
        int d = distance(self->hashes + 32 * (size_t)row, q[cq[i]]);
        if (d <= radius && add_hit(self, sc, nhits, cq[i], row, d) < 0) goto out;
    }
    rc = 0;
out:
    free(keyed); free(groups); free(members); free(spilled);
    return rc;
}

/* build_table(hashes, start, width, high_bits, blocks_out, spill_out) -> spilled entries: a
   counting sort of the rows by the chunk's high bits into blocks, block b at place(b) (as
   tables.build_table); rows
   stay ascending within a block, and entries past a block's inline ones go to spill_out (n
   entries of room), the number written being returned */
static PyObject *build_table(PyObject *mod, PyObject *args) {
    Py_buffer hb, bb, sb;
    int start, width, hbits;
    if (!PyArg_ParseTuple(args, "y*iiiw*w*", &hb, &start, &width, &hbits, &bb, &sb)) return NULL;
    PyObject *result = NULL;
    uint32_t *cursor = NULL;
    Py_ssize_t n = hb.len / 32;
    int lbits = width - hbits;
    if (hb.len % 32 || start < 0 || width < 1 || width > 32 || start > 256 - width || hbits < 1 || hbits > 30 ||
        lbits < 0 || lbits > 16 || bb.len != ((Py_ssize_t)1 << hbits) * BLK_WORDS * 4 || sb.len != n * 4 ||
        (lbits && (uint64_t)n > (1ULL << (32 - lbits))) || (uint64_t)n >= 0xFFFFFFFFULL) {
        PyErr_SetString(PyExc_ValueError, "build_table: bad arguments");
        goto done;
    }
    size_t nb = (size_t)1 << hbits;
    cursor = calloc(nb, sizeof(uint32_t));
    if (!cursor) { PyErr_NoMemory(); goto done; }
    uint32_t *blk = bb.buf, *spill = sb.buf;
    const unsigned char *h = hb.buf;
    uint32_t shift = (uint32_t)(32 - lbits), lmask = (1u << lbits) - 1;
    size_t nspill = 0;
    Py_BEGIN_ALLOW_THREADS
    memset(blk, 0, nb * BLK_WORDS * 4);
    int w0 = start >> 6, w1 = (start + width - 1) >> 6;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t be[4] = {0, 0, 0, 0};
        for (int w = w0; w <= w1; w++) be[w] = load64_be(h + 32 * i + 8 * w);
        blk[BLK_WORDS * (size_t)place(extract(be, start, width) >> lbits, hbits) + 1]++;
    }
    for (size_t b = 0; b < nb; b++) {
        uint32_t cnt = blk[BLK_WORDS * b + 1];
        blk[BLK_WORDS * b] = (uint32_t)nspill;
        if (cnt > BLK_INLINE) nspill += cnt - BLK_INLINE;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t be[4] = {0, 0, 0, 0};
        for (int w = w0; w <= w1; w++) be[w] = load64_be(h + 32 * i + 8 * w);
        uint32_t key = extract(be, start, width), b = place(key >> lbits, hbits);
        uint32_t e = lbits ? ((key & lmask) << shift) | (uint32_t)i : (uint32_t)i;
        uint32_t pos = cursor[b]++;
        if (pos < BLK_INLINE) blk[BLK_WORDS * (size_t)b + 2 + pos] = e;
        else spill[blk[BLK_WORDS * (size_t)b] + pos - BLK_INLINE] = e;
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSize_t(nspill);
done:
    free(cursor);
    PyBuffer_Release(&hb); PyBuffer_Release(&bb); PyBuffer_Release(&sb);
    return result;
}

/* permute(rows, out, order): bit p of each 32-byte output row is bit order[p] of the input row
   (bit 0 the top bit of byte 0). Many rows go through a table of each input byte's contribution. */
static PyObject *permute(PyObject *mod, PyObject *args) {
    Py_buffer src, dst, ob;
    if (!PyArg_ParseTuple(args, "y*w*y*", &src, &dst, &ob)) return NULL;
    PyObject *result = NULL;
    uint64_t (*lut)[256][4] = NULL;
    if (src.len % 32 || dst.len != src.len || ob.len != 256) {
        PyErr_SetString(PyExc_ValueError, "permute: rows of 32 bytes, an output of the same size and 256 positions");
        goto done;
    }
    const unsigned char *order = ob.buf;
    int dest[256], seen[256] = {0};
    for (int p = 0; p < 256; p++) {
        if (seen[order[p]]++) { PyErr_SetString(PyExc_ValueError, "permute: order is not a permutation"); goto done; }
        dest[order[p]] = p;
    }
    Py_ssize_t n = src.len / 32;
    const unsigned char *in = src.buf;
    unsigned char *out = dst.buf;
    if (n >= 64) lut = calloc(32, sizeof(*lut));
    Py_BEGIN_ALLOW_THREADS
    if (lut) {
        for (int i = 0; i < 32; i++)
            for (int v = 0; v < 256; v++)
                for (int bit = 0; bit < 8; bit++)
                    if (v & (0x80 >> bit)) {
                        int d = dest[8 * i + bit];
                        lut[i][v][d >> 6] |= 1ULL << (63 - (d & 63));
                    }
        for (Py_ssize_t r = 0; r < n; r++) {
            const unsigned char *row = in + 32 * r;
            uint64_t w[4] = {0, 0, 0, 0};
            for (int i = 0; i < 32; i++) {
                const uint64_t *c = lut[i][row[i]];
                w[0] |= c[0]; w[1] |= c[1]; w[2] |= c[2]; w[3] |= c[3];
            }
            for (int k = 0; k < 4; k++)
                for (int b = 0; b < 8; b++) out[32 * r + 8 * k + b] = (unsigned char)(w[k] >> (56 - 8 * b));
        }
    } else {
        for (Py_ssize_t r = 0; r < n; r++) permute_row(in + 32 * r, out + 32 * r, order);
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    free(lut);
    PyBuffer_Release(&src); PyBuffer_Release(&dst); PyBuffer_Release(&ob);
    return result;
}

static PyObject *Engine_search(Engine *self, PyObject *args) {
    Py_buffer qbuf, tbuf = {0};
    int radius;
    PyObject *thr_obj;
    if (!PyArg_ParseTuple(args, "y*iO", &qbuf, &radius, &thr_obj)) return NULL;
    PyObject *out = NULL;
    uint64_t (*q)[4] = NULL;
    unsigned char *qbytes = NULL;
    scratch_t sc = {0};
    probeset_t spare = {0};
    const probeset_t *set = NULL;
    int use_tables = thr_obj != Py_None;
    if (use_tables) {
        if (PyObject_GetBuffer(thr_obj, &tbuf, PyBUF_SIMPLE) < 0) goto done;
        if (tbuf.len != self->ntables) { PyErr_SetString(PyExc_ValueError, "one threshold per table"); goto done; }
        set = probes_for(self, tbuf.buf, &spare);
        if (!set) goto done;
    }
    if (qbuf.len % 32) { PyErr_SetString(PyExc_ValueError, "queries must be 32-byte rows"); goto done; }
    uint32_t m = (uint32_t)(qbuf.len / 32);
    q = malloc(sizeof(*q) * (m ? m : 1));
    qbytes = malloc(32 * (size_t)(m ? m : 1));
    if (!q || !qbytes) { PyErr_NoMemory(); goto done; }
    for (uint32_t k = 0; k < m; k++) {
        const unsigned char *src = (const unsigned char *)qbuf.buf + 32 * k;
        if (self->permuted) permute_row(src, qbytes + 32 * k, self->order);
        else memcpy(qbytes + 32 * k, src, 32);
        for (int w = 0; w < 4; w++) q[k][w] = load64(qbytes + 32 * k + 8 * w);
    }
    size_t nhits = 0;
    int rc;
    /* the arrays stay alive with the engine and the queries are our own copies: other threads may run */
    Py_BEGIN_ALLOW_THREADS
    rc = use_tables ? probe_tables(self, &sc, set, qbytes, (const uint64_t(*)[4])q, m, radius, &nhits)
                    : scan_all(self, &sc, (const uint64_t(*)[4])q, m, radius, &nhits);
    if (rc == 0 && nhits) qsort(sc.hits, nhits, sizeof(hit_t), hit_order);
    Py_END_ALLOW_THREADS
    if (rc < 0) { PyErr_NoMemory(); goto done; }
    out = PyList_New(m);
    if (!out) goto done;
    for (uint32_t k = 0; k < m; k++) {
        PyObject *l = PyList_New(0);
        if (!l) { Py_CLEAR(out); goto done; }
        PyList_SET_ITEM(out, k, l);
    }
    for (size_t i = 0; i < nhits; i++) {
        const hit_t *h = &sc.hits[i];
        /* the same row reached through several tables sorts next to itself */
        if (i && h->query == sc.hits[i - 1].query && h->row == sc.hits[i - 1].row) continue;
        PyObject *pair = Py_BuildValue("(Li)", (long long)h->id, (int)h->dist);
        if (!pair || PyList_Append(PyList_GET_ITEM(out, h->query), pair) < 0) { Py_XDECREF(pair); Py_CLEAR(out); goto done; }
        Py_DECREF(pair);
    }
done:
    free(q); free(qbytes); free(sc.crow); free(sc.cquery); free(sc.hits); free(spare.probes);
    PyBuffer_Release(&qbuf);
    if (use_tables && tbuf.obj) PyBuffer_Release(&tbuf);
    return out;
}

/* vector(level) -> the level in use before: the block filter to use, the best this CPU has up to
   ``level`` (2: AVX-512 with VPOPCNTDQ, 1: AVX2, 0: one entry at a time). All give the same
   results; tests compare them. */
static PyObject *vector(PyObject *mod, PyObject *arg) {
    long want = PyLong_AsLong(arg);
    if (want == -1 && PyErr_Occurred()) return NULL;
    int was = vector_level;
    vector_level = 0;
#if defined(HAVE_AVX512_PATH) || defined(HAVE_AVX2_PATH)
    __builtin_cpu_init();
#endif
#ifdef HAVE_AVX2_PATH
    if (want >= 1 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt")) vector_level = 1;
#endif
#ifdef HAVE_AVX512_PATH
    if (want >= 2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq")) vector_level = 2;
#endif
    return PyLong_FromLong(was);
}

/* block_filter() -> "avx512", "avx2" or "scalar": the block filter searches use now */
static PyObject *block_filter(PyObject *mod, PyObject *unused) {
    return PyUnicode_FromString(vector_level == 2 ? "avx512" : vector_level == 1 ? "avx2" : "scalar");
}

static PyMethodDef Engine_methods[] = {
    {"search", (PyCFunction)Engine_search, METH_VARARGS,
     "search(queries: bytes (m*32), radius: int, thresholds: bytes | None) -> list of m lists of (id, distance)"},
    {NULL, NULL, 0, NULL}};

static PyTypeObject EngineType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "childsafe.index._pdqsearch.Engine",
    .tp_basicsize = sizeof(Engine),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Engine(hashes, ids | None, alive | None, tables, order | None): exact radius search over PDQ rows",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Engine_init,
    .tp_dealloc = (destructor)Engine_dealloc,
    .tp_methods = Engine_methods,
};

static PyMethodDef module_methods[] = {
    {"build_table", build_table, METH_VARARGS,
     "build_table(hashes, start, width, high_bits, blocks_out, spill_out) -> number of spilled entries"},
    {"permute", permute, METH_VARARGS, "permute(rows, out, order): out bit p = row bit order[p], for 32-byte rows"},
    {"block_filter", block_filter, METH_NOARGS, "block_filter() -> the block filter in use: avx512, avx2 or scalar"},
    {"vector", vector, METH_O, "vector(level) -> previous level: the block filter, the best the CPU has up to level (2 AVX-512, 1 AVX2, 0 none)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdqsearch", "Compiled search engine for childsafe.index", -1, module_methods};

PyMODINIT_FUNC PyInit__pdqsearch(void) {
    if (PyType_Ready(&EngineType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
#ifdef HAVE_AVX2_PATH
    init_compress_lut();
#endif
    PyObject *two = PyLong_FromLong(2), *r = two ? vector(m, two) : NULL;
    Py_XDECREF(two);
    Py_XDECREF(r);
    if (!r) { Py_DECREF(m); return NULL; }
    Py_INCREF(&EngineType);
    if (PyModule_AddObject(m, "Engine", (PyObject *)&EngineType) < 0) { Py_DECREF(&EngineType); Py_DECREF(m); return NULL; }
    return m;
}
