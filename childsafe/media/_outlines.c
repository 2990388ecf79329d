/* Placeholder: the compiled part of childsafe.media.edits (_outlines); filled in by its port. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyMethodDef methods[] = {{NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_outlines", NULL, -1, methods};
PyMODINIT_FUNC PyInit__outlines(void) { return PyModule_Create(&module); }
