"""Brute-force Hamming search in numpy: the reference the index is tested against, and the fallback
when the compiled engine is not available (same results, slower)."""

from __future__ import annotations

import numpy as np

_POPCOUNT8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)
_BLOCK_ROWS = 1 << 18


def distances(hashes: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Hamming distance from one (32,) query to every (n, 32) row, as int32."""
    hashes = np.asarray(hashes, dtype=np.uint8).reshape(-1, 32)
    q = np.asarray(query, dtype=np.uint8).reshape(32)
    out = np.empty(len(hashes), dtype=np.int32)
    if hasattr(np, "bitwise_count"):
        qw = q.view(np.uint64)
        for lo in range(0, len(hashes), _BLOCK_ROWS):
            block = np.ascontiguousarray(hashes[lo : lo + _BLOCK_ROWS]).view(np.uint64)
            out[lo : lo + len(block)] = np.bitwise_count(block ^ qw).sum(axis=1, dtype=np.int32)
    else:  # numpy < 2
        for lo in range(0, len(hashes), _BLOCK_ROWS):
            block = hashes[lo : lo + _BLOCK_ROWS]
            out[lo : lo + len(block)] = _POPCOUNT8[block ^ q].sum(axis=1, dtype=np.int32)
    return out


def search_rows(hashes: np.ndarray, query: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows within ``radius`` of ``query`` and their distances (row order)."""
    d = distances(hashes, query)
    rows = np.flatnonzero(d <= radius)
    return rows, d[rows]
