"""Arrays for the index's hot data, on transparent huge pages where the kernel offers them.

A lookup touches a few thousand random cache lines spread over hundreds of megabytes; with 4 KiB
pages nearly every one of them also misses the TLB. numpy already asks for huge pages on large
allocations, but its blocks are not 2 MiB-aligned, and a 4 MiB table then gets at most one huge
page. Here each array gets its own anonymous mapping, aligned to 2 MiB and advised
``MADV_HUGEPAGE``: on the 10M-hash benchmark lookups are about a quarter faster. Elsewhere (no
``mmap.MADV_HUGEPAGE``, small arrays) it is ``numpy.empty``, aligned to a cache line (the search
engine reads a table's blocks a cache line at a time).
"""

from __future__ import annotations

import mmap
from typing import Any

import numpy as np

HUGE_PAGE = 2 << 20
CACHE_LINE = 64
# below this an array fits in a few 4 KiB pages' worth of TLB reach anyway
MIN_BYTES = 1 << 20


def empty(shape: int | tuple[int, ...], dtype: Any) -> np.ndarray:
    """An uninitialised C-contiguous array, huge-page backed when large enough and supported."""
    dt = np.dtype(dtype)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dt.itemsize
    advise = getattr(mmap, "MADV_HUGEPAGE", None)
    if nbytes < MIN_BYTES or advise is None:
        return _aligned(shape, dt, nbytes)
    try:
        region = mmap.mmap(-1, nbytes + HUGE_PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        raw = np.frombuffer(region, dtype=np.uint8)
        start = (-raw.ctypes.data) % HUGE_PAGE
        region.madvise(advise, start - start % mmap.PAGESIZE, nbytes + start % mmap.PAGESIZE)
    except (OSError, ValueError):  # no such advice on this kernel, or no memory for the mapping
        return _aligned(shape, dt, nbytes)
    # the array keeps ``raw`` (and through it the mapping) alive as its base
    return raw[start : start + nbytes].view(dt).reshape(shape)


def _aligned(shape: tuple[int, ...], dt: np.dtype, nbytes: int) -> np.ndarray:
    raw = np.empty(nbytes + CACHE_LINE, np.uint8)
    start = (-raw.ctypes.data) % CACHE_LINE
    return raw[start : start + nbytes].view(dt).reshape(shape)


def copy(arr: np.ndarray) -> np.ndarray:
    """A huge-page backed copy of ``arr`` (C order)."""
    out = empty(arr.shape, arr.dtype)
    np.copyto(out, arr)
    return out
