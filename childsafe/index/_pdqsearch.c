/* Exact Hamming-radius search over 256-bit PDQ hashes: the hot loop of childsafe.index.
 *
 * An Engine borrows (through the buffer protocol) the arrays that tables.py builds: the hashes,
 * optional ids and alive mask, and per table the bucket directory (tables.make_directory), its
 * overflow offsets and the entries (residual chunk bits packed above the row number). search()
 * runs a batch of queries through one pipeline so the memory latency of all probes overlaps:
 * enumerate buckets -> read the directory -> filter entries ->
 * verify all 256 bits of the surviving rows. Each stage prefetches AHEAD items in advance.
 * build_table() is the counting sort that makes a table's offsets and entries (as tables.build_table).
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
#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
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

/* The bucket directory (tables.make_directory): buckets in blocks of DIR_BLOCK, a block being 32
   bytes, the little-endian offset of its first entry then each bucket's size in one byte. A bucket's
   start is its block's base plus the sizes before it (one SIMD sum), so a probe reads one cache line
   where a plain offsets array would take four bytes a bucket. A block holding a bucket of 255 or
   more rows has DIR_BIG | k as its base and its offsets in row k of the overflow array. */
#define DIR_BLOCK 28
#define DIR_BIG 0x80000000u

typedef struct {
    int start, width, hbits, rbits;
    uint32_t pshift, pmask;
    const unsigned char *dir;
    const uint32_t *overflow;
    uint32_t noverflow;
    const uint32_t *entries;
} table_t;

/* one bucket to visit for any query: flip these bits of the query's chunk, allow this many more in the residual */
typedef struct { uint32_t mask; uint8_t table; uint8_t allowed; } probe_t;
typedef struct { uint32_t lo, hi; } span_t;
typedef struct { uint32_t query, row; } cand_t;
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
    Py_buffer views[3 + 3 * MAX_TABLES];
    int nviews;
    /* probe lists by thresholds: made under the GIL, never changed after, freed with the engine */
    probeset_t probesets[MAX_PROBESETS];
    int nprobesets;
} Engine;

/* one search's working memory: searches run without the GIL, so several threads can search at once */
typedef struct {
    cand_t *cands; size_t cands_cap;
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

/* bytes [4, 4 + pos) of a block: 0xFF */
static unsigned char prefix_mask[DIR_BLOCK + 1][32] __attribute__((aligned(32)));

static void init_prefix_masks(void) {
    for (int pos = 0; pos <= DIR_BLOCK; pos++)
        for (int i = 0; i < 32; i++) prefix_mask[pos][i] = (i >= 4 && i < 4 + pos) ? 255 : 0;
}

/* entries [lo, hi) of bucket b */
static inline void bucket_span(const table_t *t, uint32_t b, uint32_t *lo, uint32_t *hi) {
    uint32_t k = b / DIR_BLOCK, pos = b - k * DIR_BLOCK;
    const unsigned char *blk = t->dir + 32 * (size_t)k;
    uint32_t base = (uint32_t)blk[0] | (uint32_t)blk[1] << 8 | (uint32_t)blk[2] << 16 | (uint32_t)blk[3] << 24;
    if (base & DIR_BIG) {
        uint32_t row = base & ~DIR_BIG;
        if (row < t->noverflow) { *lo = t->overflow[row * (DIR_BLOCK + 1) + pos]; *hi = t->overflow[row * (DIR_BLOCK + 1) + pos + 1]; }
        else *lo = *hi = 0;
        return;
    }
#if defined(__SSE2__)
    const unsigned char *m = prefix_mask[pos];
    __m128i z = _mm_setzero_si128();
    __m128i s = _mm_add_epi64(_mm_sad_epu8(_mm_and_si128(_mm_load_si128((const __m128i *)blk), _mm_load_si128((const __m128i *)m)), z),
                              _mm_sad_epu8(_mm_and_si128(_mm_load_si128((const __m128i *)(blk + 16)), _mm_load_si128((const __m128i *)(m + 16))), z));
    uint32_t before = (uint32_t)_mm_cvtsi128_si32(s) + (uint32_t)_mm_cvtsi128_si32(_mm_unpackhi_epi64(s, s));
#else
    uint32_t before = 0;
    for (uint32_t i = 0; i < pos; i++) before += blk[4 + i];
#endif
    *lo = base + before;
    *hi = *lo + blk[4 + pos];
}

static int Engine_init(Engine *self, PyObject *args, PyObject *kwds) {
    PyObject *hashes, *ids, *alive, *spec;
    if (!PyArg_ParseTuple(args, "OOOO", &hashes, &ids, &alive, &spec)) return -1;
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
        if (v->len != self->n * 8) { PyErr_SetString(PyExc_ValueError, "ids must be int64, one per row"); return -1; }
        self->ids = v->buf;
    }
    if (alive != Py_None) {
        v = &self->views[self->nviews];
        if (PyObject_GetBuffer(alive, v, PyBUF_C_CONTIGUOUS) < 0) return -1;
        self->nviews++;
        if (v->len != self->n) { PyErr_SetString(PyExc_ValueError, "alive must be uint8, one per row"); return -1; }
        self->alive = v->buf;
    }
    PyObject *seq = PySequence_Fast(spec, "tables must be a sequence");
    if (!seq) return -1;
    Py_ssize_t nt = PySequence_Fast_GET_SIZE(seq);
    if (nt > MAX_TABLES) { Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "too many tables"); return -1; }
    for (Py_ssize_t j = 0; j < nt; j++) {
        table_t *t = &self->tables[j];
        PyObject *dir, *ovf, *ent;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, j), "iiiOOO", &t->start, &t->width, &t->hbits, &dir, &ovf, &ent)) {
            Py_DECREF(seq); return -1;
        }
        t->rbits = t->width - t->hbits;
        if (t->start < 0 || t->width < 1 || t->width > 32 || t->start + t->width > 256 || t->hbits < 1 ||
            t->hbits > t->width || t->hbits > 30 || t->rbits > 16) {
            Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "bad table layout"); return -1;
        }
        t->pshift = (uint32_t)(32 - t->rbits);
        t->pmask = t->rbits ? (1u << t->pshift) - 1 : 0xFFFFFFFFu;
        PyObject *arrs[3] = {dir, ovf, ent};
        Py_ssize_t nblocks = (((Py_ssize_t)1 << t->hbits) + DIR_BLOCK - 1) / DIR_BLOCK;
        Py_ssize_t want[3] = {nblocks * 32, -1, self->n * 4};
        for (int k = 0; k < 3; k++) {
            v = &self->views[self->nviews];
            if (PyObject_GetBuffer(arrs[k], v, PyBUF_C_CONTIGUOUS) < 0) { Py_DECREF(seq); return -1; }
            self->nviews++;
            if (want[k] >= 0 ? v->len != want[k] : v->len % ((DIR_BLOCK + 1) * 4) != 0) {
                Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "table array has the wrong size"); return -1;
            }
        }
        if (((uintptr_t)self->views[self->nviews - 3].buf) % 16) {
            Py_DECREF(seq); PyErr_SetString(PyExc_ValueError, "the directory must be 16-byte aligned"); return -1;
        }
        t->dir = self->views[self->nviews - 3].buf;
        t->overflow = self->views[self->nviews - 2].buf;
        t->noverflow = (uint32_t)(self->views[self->nviews - 2].len / ((DIR_BLOCK + 1) * 4));
        t->entries = self->views[self->nviews - 1].buf;
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
                p->mask = (uint32_t)mask; p->table = (uint8_t)j; p->allowed = (uint8_t)(tj - d);
                if (!d) break;
                uint64_t c = mask | (mask - 1); /* next combination of d bits */
                mask = (c + 1) | (((~c & -~c) - 1) >> (__builtin_ctzll(mask) + 1));
            }
        }
    }
    set->n = np;
    /* by table, then by mask: buckets near each other in memory are visited together */
    qsort(set->probes, np, sizeof(probe_t), probe_order);
    memcpy(set->thr, thr, (size_t)self->ntables);
    if (set != spare) self->nprobesets++;
    return set;
}

#define RING (4 * AHEAD)

/* queries of a batch that share a chunk value in one table: their buckets are visited once */
typedef struct { uint32_t key; uint32_t query; } keyed_t;
typedef struct { uint32_t qh, qr, first, count, pbeg, pend; uint8_t table; } group_t;

static int keyed_order(const void *a, const void *b) {
    const keyed_t *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->query < y->query ? -1 : (x->query > y->query);
}

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
       often agree on a chunk, and then share its buckets */
    keyed_t *keyed = malloc(sizeof(keyed_t) * (size_t)m + 1); /* one table at a time */
    group_t *groups = malloc(sizeof(group_t) * (size_t)m * nt + 1);
    uint32_t *members = malloc(sizeof(uint32_t) * (size_t)m * nt + 1);
    if (!keyed || !groups || !members) { free(keyed); free(groups); free(members); return -1; }
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
                g->table = (uint8_t)j; g->qh = keyed[k].key >> t->rbits;
                g->qr = keyed[k].key & ((1u << t->rbits) - 1); g->first = (uint32_t)nm; g->count = 0;
                g->pbeg = (uint32_t)pstart[j]; g->pend = (uint32_t)pstart[j + 1];
            }
            members[nm++] = keyed[k].query;
            groups[ng - 1].count++;
        }
    }
    free(keyed);
    /* 2 + 3, software-pipelined over (group, probe of its table): prefetch the bucket's directory
       line; AHEAD steps later read it and prefetch the bucket; AHEAD steps later scan it for
       entries whose whole chunk is within t_j, a candidate for each query of the group */
    size_t total = 0;
    for (size_t g = 0; g < ng; g++) total += groups[g].pend - groups[g].pbeg;
    span_t ring[RING];
    size_t nc = 0;
    size_t g1 = 0, g2 = 0, g3 = 0;                                 /* group of each stage */
    size_t x1 = ng ? groups[0].pbeg : 0, x2 = x1, x3 = x1;         /* probe of each stage */
#define NEXT(g, x) do { if (++(x) == groups[g].pend && ++(g) < ng) (x) = groups[g].pbeg; } while (0)
    for (size_t i = 0; i < total + 2 * AHEAD; i++) {
        if (i < total) {
            const group_t *gr = &groups[g1];
            const table_t *t = &self->tables[gr->table];
            uint32_t b = gr->qh ^ probes[x1].mask;
            __builtin_prefetch(t->dir + 32 * (size_t)(b / DIR_BLOCK));
            NEXT(g1, x1);
        }
        if (i >= AHEAD && i - AHEAD < total) {
            const group_t *gr = &groups[g2];
            const table_t *t = &self->tables[gr->table];
            uint32_t b = gr->qh ^ probes[x2].mask;
            uint32_t lo, hi;
            bucket_span(t, b, &lo, &hi);
            if (hi > n) hi = n;
            if (lo > hi) lo = hi;
            span_t *sp = &ring[(i - AHEAD) % RING];
            sp->lo = lo; sp->hi = hi;
            /* the bucket's cache lines (at most four: a bigger one is a cluster, scanned anyway) */
            const char *first = (const char *)&t->entries[lo], *last = (const char *)&t->entries[hi > lo ? hi - 1 : lo];
            for (int l = 0; l < 4 && first <= last; l++, first += 64) __builtin_prefetch(first);
            if (first <= last) __builtin_prefetch(last);
            NEXT(g2, x2);
        }
        if (i >= 2 * AHEAD) {
            const group_t *gr = &groups[g3];
            const probe_t *p = &probes[x3];
            const table_t *t = &self->tables[gr->table];
            const span_t *sp = &ring[(i - 2 * AHEAD) % RING];
            uint32_t lo = sp->lo, hi = sp->hi, cnt = gr->count;
            const uint32_t *mem = members + gr->first;
            if (nc + (size_t)(hi - lo) * cnt >= sc->cands_cap &&
                grow((void **)&sc->cands, &sc->cands_cap, nc + (size_t)(hi - lo) * cnt + 1, sizeof(cand_t)) < 0) {
                free(groups); free(members); return -1;
            }
            uint32_t want = gr->qr, allowed = p->allowed, shift = t->pshift, pmask = t->pmask;
            const uint32_t *e = t->entries;
            cand_t *c = sc->cands;
            if (cnt == 1) {
                uint32_t k = mem[0];
                if (t->rbits) {
                    for (uint32_t x = lo; x < hi; x++) {
                        uint32_t v = e[x];
                        c[nc].query = k; c[nc].row = v & pmask;
                        nc += (uint32_t)__builtin_popcount((v >> shift) ^ want) <= allowed;
                    }
                } else {
                    for (uint32_t x = lo; x < hi; x++) { c[nc].query = k; c[nc].row = e[x]; nc++; }
                }
            } else {
                for (uint32_t x = lo; x < hi; x++) {
                    uint32_t v = e[x];
                    if (t->rbits && (uint32_t)__builtin_popcount((v >> shift) ^ want) > allowed) continue;
                    for (uint32_t z = 0; z < cnt; z++) { c[nc].query = mem[z]; c[nc].row = v & pmask; nc++; }
                }
            }
            NEXT(g3, x3);
        }
    }
#undef NEXT
    free(groups); free(members);
    /* 4. verify all 256 bits */
    for (size_t i = 0; i < nc; i++) {
        if (i + VERIFY_AHEAD < nc && sc->cands[i + VERIFY_AHEAD].row < n)
            __builtin_prefetch(self->hashes + 32 * (size_t)sc->cands[i + VERIFY_AHEAD].row);
        uint32_t row = sc->cands[i].row;
        if (row >= n || (self->alive && !self->alive[row])) continue;
        int d = distance(self->hashes + 32 * (size_t)row, q[sc->cands[i].query]);
        if (d <= radius && add_hit(self, sc, nhits, sc->cands[i].query, row, d) < 0) return -1;
    }
    return 0;
}

/* build_table(hashes, start, width, high_bits, offsets_out, entries_out): counting sort by the
   chunk's high bits; rows stay ascending within a bucket (as tables.build_table) */
static PyObject *build_table(PyObject *mod, PyObject *args) {
    Py_buffer hb, ob, eb;
    int start, width, hbits;
    if (!PyArg_ParseTuple(args, "y*iiiw*w*", &hb, &start, &width, &hbits, &ob, &eb)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t n = hb.len / 32;
    int rbits = width - hbits;
    if (hb.len % 32 || start < 0 || width < 1 || width > 32 || start + width > 256 || hbits < 1 || hbits > 30 ||
        rbits < 0 || rbits > 16 || ob.len != (((Py_ssize_t)1 << hbits) + 1) * 4 || eb.len != n * 4 ||
        (rbits && (uint64_t)n > (1ULL << (32 - rbits))) || (uint64_t)n >= 0xFFFFFFFFULL) {
        PyErr_SetString(PyExc_ValueError, "build_table: bad arguments");
        goto done;
    }
    uint32_t *off = ob.buf, *ent = eb.buf;
    const unsigned char *h = hb.buf;
    uint32_t nb = 1u << hbits, shift = (uint32_t)(32 - rbits), rmask = (1u << rbits) - 1;
    Py_BEGIN_ALLOW_THREADS
    memset(off, 0, ((size_t)nb + 1) * 4);
    int w0 = start >> 6, w1 = (start + width - 1) >> 6;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t be[4] = {0, 0, 0, 0};
        for (int w = w0; w <= w1; w++) be[w] = load64_be(h + 32 * i + 8 * w);
        off[(extract(be, start, width) >> rbits) + 1]++;
    }
    for (uint32_t b = 0; b < nb; b++) off[b + 1] += off[b];
    /* scatter, using off[b] as the cursor of bucket b, then shift the cursors back */
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t be[4] = {0, 0, 0, 0};
        for (int w = w0; w <= w1; w++) be[w] = load64_be(h + 32 * i + 8 * w);
        uint32_t key = extract(be, start, width);
        uint32_t res = key & rmask;
        ent[off[key >> rbits]++] = rbits ? (res << shift) | (uint32_t)i : (uint32_t)i;
    }
    for (uint32_t b = nb; b > 0; b--) off[b] = off[b - 1];
    off[0] = 0;
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&hb); PyBuffer_Release(&ob); PyBuffer_Release(&eb);
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
        for (Py_ssize_t r = 0; r < n; r++) {
            const unsigned char *row = in + 32 * r;
            unsigned char o[32] = {0};
            for (int p = 0; p < 256; p++)
                if (row[order[p] >> 3] & (0x80 >> (order[p] & 7))) o[p >> 3] |= (unsigned char)(0x80 >> (p & 7));
            memcpy(out + 32 * r, o, 32);
        }
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
    if (!q) { PyErr_NoMemory(); goto done; }
    for (uint32_t k = 0; k < m; k++)
        for (int w = 0; w < 4; w++) q[k][w] = load64((const unsigned char *)qbuf.buf + 32 * k + 8 * w);
    size_t nhits = 0;
    int rc;
    /* the arrays stay alive with the engine and the query bytes with qbuf: other threads may run */
    Py_BEGIN_ALLOW_THREADS
    rc = use_tables ? probe_tables(self, &sc, set, qbuf.buf, (const uint64_t(*)[4])q, m, radius, &nhits)
                    : scan_all(self, &sc, (const uint64_t(*)[4])q, m, radius, &nhits);
    if (rc == 0) qsort(sc.hits, nhits, sizeof(hit_t), hit_order);
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
    free(q); free(sc.cands); free(sc.hits); free(spare.probes);
    PyBuffer_Release(&qbuf);
    if (use_tables && tbuf.obj) PyBuffer_Release(&tbuf);
    return out;
}

static PyMethodDef Engine_methods[] = {
    {"search", (PyCFunction)Engine_search, METH_VARARGS,
     "search(queries: bytes (m*32), radius: int, thresholds: bytes | None) -> list of m lists of (id, distance)"},
    {NULL, NULL, 0, NULL}};

static PyTypeObject EngineType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "childsafe.index._pdqsearch.Engine",
    .tp_basicsize = sizeof(Engine),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Engine(hashes, ids | None, alive | None, tables): exact radius search over PDQ rows",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Engine_init,
    .tp_dealloc = (destructor)Engine_dealloc,
    .tp_methods = Engine_methods,
};

static PyMethodDef module_methods[] = {
    {"build_table", build_table, METH_VARARGS, "build_table(hashes, start, width, high_bits, offsets_out, entries_out)"},
    {"permute", permute, METH_VARARGS, "permute(rows, out, order): out bit p = row bit order[p], for 32-byte rows"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdqsearch", "Compiled search engine for childsafe.index", -1, module_methods};

PyMODINIT_FUNC PyInit__pdqsearch(void) {
    init_prefix_masks();
    if (PyType_Ready(&EngineType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&EngineType);
    if (PyModule_AddObject(m, "Engine", (PyObject *)&EngineType) < 0) { Py_DECREF(&EngineType); Py_DECREF(m); return NULL; }
    return m;
}
