/* Connected patches of a mask with their sizes and boxes, for childsafe.media.edits (regions).
 *
 * components(mask) -> list of (size, y0, y1, x0, x1), one per 8-connected patch of true pixels, in the
 * order scipy.ndimage.label numbers them (the raster order of each patch's first pixel); y1 and x1 are
 * exclusive, as ndimage.find_objects gives them. One pass of union-find over runs of true pixels,
 * keeping two rows of runs, with each patch's size and box gathered as it goes: memory bounded by the
 * width and the number of patches, time by the mask's size (a word at a time through long runs).
 *
 * largest(mask) -> (size, y0, y1, x0, x1) of the largest patch (the first in that order among equals),
 * or None: what np.argmax over components' sizes picks, without a list of every patch.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int32_t find(int32_t *parent, int32_t x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void unite(int32_t *parent, int32_t a, int32_t b) {
    a = find(parent, a);
    b = find(parent, b);
    if (a == b) return;
    if (a < b) parent[b] = a; else parent[a] = b; /* the earlier patch keeps its number */
}

typedef struct {
    Py_ssize_t size, y0, y1, x0, x1;
} Patch;
typedef struct {
    Py_ssize_t start, end; /* end exclusive */
    int32_t seed;
} Run;
typedef struct {
    int32_t *parent;
    Patch *stats;
    int32_t count, capacity;
} Seeds;

static int32_t new_seed(Seeds *seeds, Py_ssize_t y, Py_ssize_t x) {
    if (seeds->count == seeds->capacity) {
        int32_t capacity = seeds->capacity ? seeds->capacity * 2 : 1024;
        int32_t *parent = (int32_t *)realloc(seeds->parent, (size_t)capacity * sizeof(int32_t));
        if (parent == NULL) return -1;
        seeds->parent = parent;
        Patch *stats = (Patch *)realloc(seeds->stats, (size_t)capacity * sizeof(Patch));
        if (stats == NULL) return -1;
        seeds->stats = stats;
        seeds->capacity = capacity;
    }
    int32_t s = seeds->count++;
    seeds->parent[s] = s;
    Patch *p = &seeds->stats[s];
    p->size = 0;
    p->y0 = y;
    p->y1 = y + 1;
    p->x0 = x;
    p->x1 = x + 1;
    return s;
}

static void merge(Patch *into, const Patch *from) {
    into->size += from->size;
    if (from->y0 < into->y0) into->y0 = from->y0;
    if (from->y1 > into->y1) into->y1 = from->y1;
    if (from->x0 < into->x0) into->x0 = from->x0;
    if (from->x1 > into->x1) into->x1 = from->x1;
}

/* The patches of the mask in scipy.ndimage.label's order, those of at least min_size pixels (a list
   of (size, y0, y1, x0, x1)), or with largest_only the largest one only (or None). */
static PyObject *label(PyObject *arg, int largest_only, Py_ssize_t min_size) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_STRIDES | PyBUF_FORMAT) < 0) return NULL;
    if (view.ndim != 2 || view.itemsize != 1 || view.format == NULL
        || (strcmp(view.format, "?") != 0 && strcmp(view.format, "B") != 0)) {
        PyErr_SetString(PyExc_ValueError, "mask must be a 2-D bool or uint8 array");
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_ssize_t h = view.shape[0], w = view.shape[1];
    if (h <= 0 || w <= 0) {
        PyBuffer_Release(&view);
        return largest_only ? Py_NewRef(Py_None) : PyList_New(0);
    }
    if (h > INT32_MAX / w) {
        PyErr_SetString(PyExc_ValueError, "mask too large");
        PyBuffer_Release(&view);
        return NULL;
    }
    /* Runs of true pixels, row by row: those of the row above and of this one (start, end exclusive,
     * seed). A run joins every run above that it touches (8-connected: overlapping or diagonal), takes
     * the first one's seed, or makes a new seed when it touches none; its size and box go to that seed
     * at once, and seeds are merged into their roots at the end. A row is read a machine word at a
     * time where it is contiguous, so long runs and long gaps cost little. */
    Py_ssize_t max_runs = w / 2 + 1;
    Run *runs = (Run *)malloc((size_t)max_runs * 2 * sizeof(Run));
    if (runs == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    const char *base = (const char *)view.buf;
    Py_ssize_t sy = view.strides[0], sx = view.strides[1];
    Seeds seeds = {NULL, NULL, 0, 0};
    int failed = 0;

    Py_BEGIN_ALLOW_THREADS
    Run *up = runs, *cur = runs + max_runs;
    Py_ssize_t nup = 0;
    for (Py_ssize_t y = 0; y < h && !failed; y++) {
        const char *row = base + y * sy;
        Py_ssize_t ncur = 0, x = 0, j = 0;
        while (x < w) {
            /* the next run: skip false pixels, then take true ones */
            if (sx == 1) {
                while (x + 8 <= w) {
                    uint64_t word;
                    memcpy(&word, row + x, 8);
                    if (word != 0) break;
                    x += 8;
                }
                while (x < w && !row[x]) x++;
            } else {
                while (x < w && !row[x * sx]) x++;
            }
            if (x >= w) break;
            Py_ssize_t start = x;
            if (sx == 1) {
                while (x + 8 <= w) {
                    uint64_t word;
                    memcpy(&word, row + x, 8);
                    /* every byte non-zero: no zero byte in the word */
                    if (((word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL) != 0) break;
                    x += 8;
                }
                while (x < w && row[x]) x++;
            } else {
                while (x < w && row[x * sx]) x++;
            }
            Py_ssize_t end = x;
            /* runs above touching [start - 1, end] */
            while (j < nup && up[j].end < start) j++;
            Py_ssize_t k = j;
            int32_t seed = -1;
            for (; k < nup && up[k].start <= end; k++) {
                if (seed < 0) seed = up[k].seed;
                else unite(seeds.parent, seed, up[k].seed);
            }
            if (k > j) j = k - 1; /* the last one may touch the next run too */
            if (seed < 0) {
                seed = new_seed(&seeds, y, start);
                if (seed < 0) {
                    failed = 1;
                    break;
                }
            }
            cur[ncur++] = (Run){start, end, seed};
            Patch *p = &seeds.stats[seed];
            p->size += end - start;
            if (y + 1 > p->y1) p->y1 = y + 1;
            if (start < p->x0) p->x0 = start;
            if (end > p->x1) p->x1 = end;
        }
        Run *t = up;
        up = cur;
        cur = t;
        nup = ncur;
    }
    /* A root is the smallest seed of its patch, made at the patch's first pixel in raster order: so
     * roots in seed order are in scipy.ndimage.label's order. */
    if (!failed) {
        for (int32_t s = 0; s < seeds.count; s++) {
            int32_t r = find(seeds.parent, s);
            if (r != s)
                merge(&seeds.stats[r], &seeds.stats[s]);
        }
    }
    Py_END_ALLOW_THREADS

    free(runs);
    PyBuffer_Release(&view);
    PyObject *out = NULL;
    if (failed) {
        PyErr_NoMemory();
    } else if (largest_only) {
        /* the first patch (scipy's numbering) of the largest size, as np.argmax picks it */
        int32_t best = -1;
        for (int32_t s = 0; s < seeds.count; s++)
            if (seeds.parent[s] == s && (best < 0 || seeds.stats[s].size > seeds.stats[best].size))
                best = s; /* roots come in numbering order, so the first of a size stays */
        if (best < 0) {
            out = Py_NewRef(Py_None);
        } else {
            Patch *p = &seeds.stats[best];
            out = Py_BuildValue("(nnnnn)", p->size, p->y0, p->y1, p->x0, p->x1);
        }
    } else {
        /* the roots in seed order, which is scipy's numbering */
        out = PyList_New(0);
        for (int32_t s = 0; out != NULL && s < seeds.count; s++) {
            if (seeds.parent[s] != s) continue;  /* after find(), a root is its own parent */
            Patch *p = &seeds.stats[s];
            if (p->size < min_size) continue;
            PyObject *item = Py_BuildValue("(nnnnn)", p->size, p->y0, p->y1, p->x0, p->x1);
            if (item == NULL || PyList_Append(out, item) < 0) {
                Py_XDECREF(item);
                Py_CLEAR(out);
                break;
            }
            Py_DECREF(item);
        }
    }
    free(seeds.parent);
    free(seeds.stats);
    return out;
}

static PyObject *components(PyObject *self, PyObject *args) {
    PyObject *mask;
    Py_ssize_t min_size = 0;
    if (!PyArg_ParseTuple(args, "O|n:components", &mask, &min_size)) return NULL;
    return label(mask, 0, min_size);
}

static PyObject *largest(PyObject *self, PyObject *arg) { return label(arg, 1, 0); }

static PyMethodDef methods[] = {
    {"components", components, METH_VARARGS,
     "components(mask, min_size=0)\n\n8-connected patches of a 2-D mask: [(size, y0, y1, x0, x1), ...] in\n"
     "scipy.ndimage.label's order, those of min_size pixels or more (no Python object for the others: a\n"
     "starfield's hundreds of specks cost nothing to leave out)."},
    {"largest", largest, METH_O,
     "The largest 8-connected patch of a 2-D mask, (size, y0, y1, x0, x1), the first in scipy.ndimage.label's\n"
     "order among equals; None when the mask has no true pixel. No Python object a patch: a dot grid of\n"
     "thousands of patches costs a few dozen bytes of C memory each, for a moment."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_components", NULL, -1, methods};

PyMODINIT_FUNC PyInit__components(void) { return PyModule_Create(&module); }
