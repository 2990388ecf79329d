/* The (h, w, 3) uint8 image behind a Python buffer, any strides: shared by the compiled parts of
 * childsafe.media.edits (_trim.c, _outlines.c). Include after Python.h. */
#ifndef CHILDSAFE_IMAGE_BUFFER_H
#define CHILDSAFE_IMAGE_BUFFER_H

typedef struct {
    const unsigned char *base;
    Py_ssize_t h, w;
    Py_ssize_t sy, sx, sc; /* byte strides: row, column, channel */
} image_t;

static int format_is_u8(const char *format)
{
    if (format == NULL)
        return 1; /* PyBUF_FORMAT not honoured: unsigned bytes */
    if (*format == '@' || *format == '=' || *format == '<' || *format == '>' || *format == '!')
        format++;
    return format[0] == 'B' && format[1] == '\0';
}

/* The (h, w, 3) uint8 image behind obj; on success the caller releases *view. */
static int get_image(PyObject *obj, Py_buffer *view, image_t *img)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_RECORDS_RO) < 0)
        return -1;
    if (view->ndim != 3 || view->shape == NULL || view->strides == NULL) {
        PyErr_Format(PyExc_ValueError, "expected an (h, w, 3) array, got %d dimensions", view->ndim);
        goto fail;
    }
    if (view->itemsize != 1 || !format_is_u8(view->format)) {
        PyErr_SetString(PyExc_TypeError, "expected a uint8 array");
        goto fail;
    }
    if (view->shape[2] != 3) {
        PyErr_Format(PyExc_ValueError, "expected 3 channels, got %zd", view->shape[2]);
        goto fail;
    }
    img->base = (const unsigned char *)view->buf;
    img->h = view->shape[0];
    img->w = view->shape[1];
    img->sy = view->strides[0];
    img->sx = view->strides[1];
    img->sc = view->strides[2];
    return 0;
fail:
    PyBuffer_Release(view);
    return -1;
}

#endif
