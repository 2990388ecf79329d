/* Connected patches of a mask with their sizes and boxes, for childsafe.media.edits (regions).
 *
 * components(mask) -> list of (size, y0, y1, x0, x1), one per 8-connected patch of true pixels, in the
 * order scipy.ndimage.label numbers them (the raster order of each patch's first pixel); y1 and x1 are
 * exclusive, as ndimage.find_objects gives them. One pass of union-find keeping two rows of labels,
 * with each patch's size and box gathered as it goes: memory bounded by the width and the number of
 * patches, time by the mask's size.
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

static PyObject *components(PyObject *self, PyObject *arg) {
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
        return PyList_New(0);
    }
    if (h > INT32_MAX / w) {
        PyErr_SetString(PyExc_ValueError, "mask too large");
        PyBuffer_Release(&view);
        return NULL;
    }
    /* Two rows of seed numbers (this one and the one above); each pixel's size and box go to its
     * seed at once, and seeds are merged into their roots at the end. */
    int32_t *rows = (int32_t *)malloc((size_t)w * 2 * sizeof(int32_t));
    if (rows == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    const char *base = (const char *)view.buf;
    Py_ssize_t sy = view.strides[0], sx = view.strides[1];
    Seeds seeds = {NULL, NULL, 0, 0};
    int32_t *number = NULL;
    int32_t count = 0;
    int failed = 0;

    Py_BEGIN_ALLOW_THREADS
    int32_t *up = NULL, *lab = rows;
    for (Py_ssize_t y = 0; y < h && !failed; y++) {
        const char *row = base + y * sy;
        for (Py_ssize_t x = 0; x < w; x++) {
            if (!row[x * sx]) {
                lab[x] = -1;
                continue;
            }
            /* The usual decision tree: N touches W, NW and NE, so it alone decides; else NE may
             * join W or NW (which do not touch it). */
            int32_t north = up != NULL ? up[x] : -1;
            int32_t seed;
            if (north >= 0) {
                seed = north;
            } else {
                int32_t west = x > 0 ? lab[x - 1] : -1;
                int32_t nw = (up != NULL && x > 0) ? up[x - 1] : -1;
                int32_t ne = (up != NULL && x + 1 < w) ? up[x + 1] : -1;
                int32_t left = west >= 0 ? west : nw;
                if (ne >= 0) {
                    if (left >= 0) unite(seeds.parent, left, ne);
                    seed = ne;
                } else if (left >= 0) {
                    seed = left;
                } else {
                    seed = new_seed(&seeds, y, x);
                    if (seed < 0) {
                        failed = 1;
                        break;
                    }
                }
            }
            lab[x] = seed;
            Patch *p = &seeds.stats[seed];
            p->size++;
            if (y + 1 > p->y1) p->y1 = y + 1;
            if (x < p->x0) p->x0 = x;
            if (x + 1 > p->x1) p->x1 = x + 1;
        }
        up = lab;
        lab = lab == rows ? rows + w : rows;
    }
    /* A root is the smallest seed of its patch, made at the patch's first pixel in raster order: so
     * numbering roots in seed order is scipy.ndimage.label's order. */
    if (!failed && seeds.count > 0) {
        number = (int32_t *)malloc((size_t)seeds.count * sizeof(int32_t));
        if (number == NULL) {
            failed = 1;
        } else {
            for (int32_t s = 0; s < seeds.count; s++) {
                int32_t r = find(seeds.parent, s);
                if (r == s) {
                    number[s] = count++;
                } else {
                    number[s] = number[r]; /* r < s: numbered already */
                    merge(&seeds.stats[r], &seeds.stats[s]);
                }
            }
        }
    }
    Py_END_ALLOW_THREADS

    free(rows);
    PyBuffer_Release(&view);
    PyObject *out = failed ? PyErr_NoMemory() : PyList_New(count);
    for (int32_t s = 0; out != NULL && s < seeds.count; s++) {
        if (seeds.parent[s] != s) continue;  /* after find(), a root is its own parent */
        Patch *p = &seeds.stats[s];
        PyObject *item = Py_BuildValue("(nnnnn)", p->size, p->y0, p->y1, p->x0, p->x1);
        if (item == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, number[s], item);
    }
    free(number);
    free(seeds.parent);
    free(seeds.stats);
    return out;
}

static PyMethodDef methods[] = {
    {"components", components, METH_O,
     "8-connected patches of a 2-D mask: [(size, y0, y1, x0, x1), ...] in scipy.ndimage.label's order."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_components", NULL, -1, methods};

PyMODINIT_FUNC PyInit__components(void) { return PyModule_Create(&module); }
