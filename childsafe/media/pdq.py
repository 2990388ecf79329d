"""PDQ, computed as the reference computes it, with the blur done as banded sums at the samples only.

The reference PDQ (Meta's C++, wrapped by the pdqhash package) turns an image into its luma, blurs
it with two passes of a box filter each way (the Jarosz filter, a window of about 1/128 of the side,
clipped and renormalised at the edges), keeps 64 x 64 samples, takes a 16 x 16 DCT of those and sets
a bit for each coefficient above the median; the quality is the sum of the 64 x 64 samples'
gradients. The blur runs over every pixel several times, which is where nearly all its time goes.

Every step before the sampling is linear and separable, and only 64 rows and 64 columns of the
result are kept, so the 64 x 64 samples are ``Ky @ luma @ Kx.T``: ``Ky`` (64 x height) and ``Kx``
(64 x width) hold, for each kept row or column, the weights the two box passes give each pixel, a
band of about side / 64 pixels. They depend only on the side's length and are cached. The sums run
in a small C function (``_pdqcore``: one thread, no BLAS, whose threads fight on a busy machine),
several times faster than the reference's passes, and give the same bits and quality:
the tests compare every reference photo and random images of many sizes with pdqhash itself. (Where
an image has next to no detail, a flat colour or a few rows repeated, many coefficients tie with the
median up to rounding, and such bits differ between any two implementations; so do images under 64
pixels a side, whose 64 samples repeat rows or columns and zero whole rows of coefficients.)

The eight dihedral hashes (rotations and flips): the four flips are each summed from the pixels read
in the flipped order (the reference flips DCT signs instead, which is a pixel off, see
`pdq_dihedral_bits`), and a transpose transposes the coefficients.
"""

from __future__ import annotations

from functools import lru_cache

from typing import Callable

import numpy as np

try:  # the arithmetic in C (setup.py); the numpy fallback gives the same results, more slowly
    from childsafe.media import _pdqcore as _core  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - no C compiler at install time
    _core = None

DOWNSAMPLE = 64
"""Side of the sample grid the DCT is taken over."""

DIHEDRAL = ("original", "rot90", "rot180", "rot270", "flip_v", "flip_h", "transpose", "transverse")
"""The order :func:`pdq_dihedral_bits` returns hashes in, pdqhash.compute_dihedral's order:
``rot90`` is counter-clockwise, ``flip_v`` top-bottom, ``flip_h`` left-right, ``transpose`` about the
main diagonal, ``transverse`` about the other."""

MIN_SIDE = 5
"""The reference hashes an image narrower or shorter than this as all zeros, quality 0."""

LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
"""The reference's luma weights for R, G, B."""


def _window(side: int) -> int:
    """The reference's Jarosz window: about side / 128, at least 1."""
    return (side + 2 * DOWNSAMPLE - 1) // (2 * DOWNSAMPLE)


@lru_cache(maxsize=128)
def _band(side: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The weights of each pixel in each of the 64 samples after two box passes, as a band: sample
    i is ``weights[i] . pixels[start[i] : start[i] + band]``. Cached by side (128 sides at most,
    a few KB each). Compiled where built: every new side (an image's, and each picture's found in
    it, which are seldom seen twice) cost 150 to 500 us in numpy (a quarter of a 256 px photo's
    eight hashes), 2 to 20 us in C; both give the same weights to the bit."""
    if _core is not None and hasattr(_core, "band"):
        starts, weights, band = _core.band(side)
        return (np.frombuffer(starts, dtype=np.int32), np.frombuffer(weights, dtype=np.float32).reshape(DOWNSAMPLE, band),
                band)
    return _band_numpy(side)


def _band_numpy(side: int) -> tuple[np.ndarray, np.ndarray, int]:
    """`_band` in numpy.

    The reference's box filter writes output ``o`` as the mean of inputs ``o - (w - h)`` to
    ``o + h - 1`` (``h = (w + 2) // 2``), cut off at the ends, and keeps sample ``i`` at
    ``int((i + 0.5) * side / 64)``. Two passes make each sample a mean of at most ``w`` boxes.
    """
    w = _window(side)
    half = (w + 2) // 2
    out = np.arange(side)
    lo = np.clip(out - (w - half), 0, side)
    hi = np.clip(out + half, 0, side)
    kept = ((np.arange(DOWNSAMPLE) + 0.5) * side / DOWNSAMPLE).astype(np.int64)
    lo_k, hi_k = lo[kept], hi[kept]
    first = lo[lo_k]
    band = int((hi[hi_k - 1] - first).max())
    start = np.minimum(first, side - band)
    at = np.arange(band)[None, :]
    weights = np.zeros((DOWNSAMPLE, band), dtype=np.float64)
    outer = 1.0 / (hi_k - lo_k)
    for k in range(w):  # the k-th box of the first pass, in the order the reference adds them
        p = lo_k + k
        inside = p < hi_k
        p = np.minimum(p, side - 1)
        share = np.where(inside, outer / (hi[p] - lo[p]), 0.0)
        covered = (at >= (lo[p] - start)[:, None]) & (at < (hi[p] - start)[:, None])
        weights += np.where(covered, share[:, None], 0.0)
    start = start.astype(np.int32)
    weights = weights.astype(np.float32)
    for a in (start, weights):
        a.setflags(write=False)
    return start, weights, band


def _dct_matrix() -> np.ndarray:
    i = np.arange(16)[:, None]
    j = np.arange(DOWNSAMPLE)[None, :]
    m = (np.sqrt(2.0 / DOWNSAMPLE) * np.cos(np.pi / (2 * DOWNSAMPLE) * (i + 1) * (2 * j + 1))).astype(np.float32)
    m.setflags(write=False)
    return m


_DCT = _dct_matrix()


def grey_of_rgb(rgb: np.ndarray) -> np.ndarray | None:
    """Pillow's RGB -> L of an (h, w, 3) uint8 array, compiled; None without the compiled part
    (Pillow's own conversion is then the faster way)."""
    if _core is None or not hasattr(_core, "grey"):
        return None
    out = np.empty(rgb.shape[:2], dtype=np.uint8)
    _core.grey(rgb, out)
    return out


def luma_of(pixels: np.ndarray) -> np.ndarray:
    """A 2-D luma array from (h, w) grey or (h, w, 3) RGB uint8 pixels, as float32."""
    if pixels.ndim == 2:
        return pixels.astype(np.float32, copy=False)
    if pixels.ndim == 3 and pixels.shape[2] == 3:
        return pixels.astype(np.float32, copy=False) @ LUMA
    raise ValueError(f"expected (h, w) grey or (h, w, 3) RGB pixels, not shape {pixels.shape}")


def _samples_numpy(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The fallback of the compiled ``samples``: the same sums by gathers, no BLAS."""
    luma = luma_of(pixels)
    (ys, yw, yb), (xs, xw, xb) = _band(luma.shape[0]), _band(luma.shape[1])
    rows = (luma[ys[:, None] + np.arange(yb)] * yw[:, :, None]).sum(axis=1, dtype=np.float32)
    grid = (rows[:, xs[:, None] + np.arange(xb)] * xw[None, :, :]).sum(axis=2, dtype=np.float32)
    coeffs = np.einsum("uj,jk,vk->uv", _DCT, grid, _DCT, optimize=False).astype(np.float32)
    return grid, coeffs, quality_of(grid)


def samples(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The 64 x 64 blurred samples the reference takes its DCT of, the 16 x 16 DCT and the quality."""
    if _core is None:
        return _samples_numpy(pixels)
    if pixels.ndim not in (2, 3):
        raise ValueError(f"expected (h, w) grey or (h, w, 3) RGB pixels, not shape {pixels.shape}")
    (ys, yw, yb), (xs, xw, xb) = _band(pixels.shape[0]), _band(pixels.shape[1])
    grid = np.empty((DOWNSAMPLE, DOWNSAMPLE), dtype=np.float32)
    coeffs = np.empty((16, 16), dtype=np.float32)
    quality = _core.samples(np.asarray(pixels, dtype=np.uint8), ys, yw, yb, xs, xw, xb, grid, coeffs)
    return grid, coeffs, quality


def _flip_coefficients(pixels: np.ndarray, out: np.ndarray) -> int:
    """The DCT coefficients of the picture and of its left-right mirror into ``out`` ((2, 16, 16)
    float32), and the picture's quality: compiled, from one pass over the pixels (the mirror's kept
    rows are the picture's read right to left); each is what `samples` gives for those pixels, to the
    bit."""
    if _core is None:
        _, out[0], quality = samples(pixels)
        out[1] = samples(pixels[:, ::-1])[1]
        return quality
    (ys, yw, yb), (xs, xw, xb) = _band(pixels.shape[0]), _band(pixels.shape[1])
    grids = np.empty((2, DOWNSAMPLE, DOWNSAMPLE), dtype=np.float32)
    return _core.samples(np.asarray(pixels, dtype=np.uint8), ys, yw, yb, xs, xw, xb, grids[0], out[0], grids[1], out[1])


def quality_of(grid: np.ndarray) -> int:
    """The reference's quality: gradients between neighbouring samples, as whole percents of 255."""
    down = np.trunc((grid[:-1, :] - grid[1:, :]) * np.float32(100) / np.float32(255))
    across = np.trunc((grid[:, :-1] - grid[:, 1:]) * np.float32(100) / np.float32(255))
    return min(100, int(np.abs(down).sum(dtype=np.int64) + np.abs(across).sum(dtype=np.int64)) // 90)


def _bits(coefficients: np.ndarray) -> np.ndarray:
    """Bools in pdqhash's order, a bit for each coefficient above the median (the 128th smallest),
    for one (16, 16) array or a stack of them: (256,) or (n, 256)."""
    flat = coefficients.reshape(-1, 256)
    median = np.partition(flat, 127, axis=1)[:, 127:128]
    bits = (flat > median)[:, ::-1]
    return bits[0] if coefficients.ndim == 2 else bits


TRANSPOSED = 128
"""In a pick of `_hash_bytes`: take the coefficient array transposed."""


def _hash_bytes(coefficients: np.ndarray, picks: bytes) -> np.ndarray:
    """(len(picks), 32) uint8: the PDQ hash bytes (hex order) of ``coefficients[p % 128]`` for each
    pick p, transposed when p has `TRANSPOSED`. Compiled where built: the median, the bits and their
    packing of all picks in one call (the numpy steps cost a quarter of hashing a 256 px photo)."""
    if _core is not None and hasattr(_core, "hash_bytes"):
        out = np.empty((len(picks), 32), dtype=np.uint8)
        _core.hash_bytes(np.ascontiguousarray(coefficients, dtype=np.float32), picks, out)
        return out
    chosen = [coefficients[p % TRANSPOSED].T if p & TRANSPOSED else coefficients[p % TRANSPOSED] for p in picks]
    return np.packbits(_bits(np.stack(chosen)), axis=1)


def _too_small(pixels: np.ndarray) -> bool:
    if pixels.ndim not in (2, 3) or pixels.shape[0] == 0 or pixels.shape[1] == 0:
        raise ValueError(f"expected (h, w) grey or (h, w, 3) RGB pixels with at least one pixel, not shape {pixels.shape}")
    return pixels.shape[0] < MIN_SIDE or pixels.shape[1] < MIN_SIDE


def pdq_bits(pixels: np.ndarray) -> tuple[np.ndarray, int]:
    """PDQ of grey or RGB uint8 pixels: 256 bools (pdqhash's order) and the quality (0 to 100)."""
    if _too_small(pixels):
        return np.zeros(256, dtype=bool), 0
    _, c, quality = samples(pixels)
    return _bits(c), quality


def pdq_dihedral_bits(pixels: np.ndarray) -> tuple[np.ndarray, int]:
    """The PDQ bits of all eight rotations and flips, (8, 256) in :data:`DIHEDRAL` order, and the
    quality: `pdq_dihedral_bytes` unpacked."""
    packed, quality = pdq_dihedral_bytes(pixels)
    return np.unpackbits(packed, axis=1).astype(bool), quality


def pdq_dihedral_bytes(pixels: np.ndarray) -> tuple[np.ndarray, int]:
    """The PDQ hashes of all eight rotations and flips as (8, 32) uint8 rows (hex order) in
    :data:`DIHEDRAL` order, and the quality.

    The four flips (none, left-right, top-bottom, both) are each hashed from the pixels read in that
    order (a view, no copy), so each is the hash of the flipped picture itself; the transposed four
    are their coefficients transposed, which transposing the picture gives (the same sums, added in
    another order). The reference instead flips the one DCT's signs, which assumes the 64 samples sit
    where the flipped picture's do: they sit a pixel off (sample i is taken at ``int((i + 0.5) *
    side / 64)``), so a fine texture or a page of text came out 40 to 100 bits from its own flipped
    copy's hash, and a photo up to 10. Two passes over the pixels (down, and up for the top-bottom
    flips; each gives its mirror too) where the reference makes one.
    """
    if _too_small(pixels):
        return np.zeros((len(DIHEDRAL), 32), dtype=np.uint8), 0
    coefficients = np.empty((4, 16, 16), dtype=np.float32)
    quality = _flip_coefficients(pixels, coefficients[:2])
    return _dihedral_rest(pixels, coefficients), quality


def pdq_bytes_then_dihedral(pixels: np.ndarray) -> tuple[np.ndarray, int, Callable[[], np.ndarray]]:
    """The picture's own PDQ hash (32 uint8, hex order) and quality, and a function that gives all
    eight variants as `pdq_dihedral_bytes` does, finishing the work the first answer began (the
    first pass over the pixels gives the picture and its mirror). For a caller that may not need the
    other seven: a picture whose hash is a near-repeat of one looked up already."""
    if _too_small(pixels):
        return np.zeros(32, dtype=np.uint8), 0, lambda: np.zeros((len(DIHEDRAL), 32), dtype=np.uint8)
    coefficients = np.empty((4, 16, 16), dtype=np.float32)
    quality = _flip_coefficients(pixels, coefficients[:2])
    return _hash_bytes(coefficients, b"\x00")[0], quality, lambda: _dihedral_rest(pixels, coefficients)


# Where each variant's coefficients come from in `_dihedral_rest`'s four arrays (the picture, its
# left-right mirror, its top-bottom mirror, both), in DIHEDRAL order; c[v, u]: vertical frequency
# v + 1, horizontal u + 1, so transposing the picture transposes it.
_DIHEDRAL_PICKS = bytes([
    0,  # original
    1 | TRANSPOSED,  # rot90 (counter-clockwise): the transpose of the left-right flip
    3,  # rot180
    2 | TRANSPOSED,  # rot270: the transpose of the top-bottom flip
    2,  # flip_v
    1,  # flip_h
    0 | TRANSPOSED,  # transpose
    3 | TRANSPOSED,  # transverse
])


def _dihedral_rest(pixels: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """All eight variants' hash bytes from the picture's coefficients and its mirror's
    (``coefficients[:2]``, the first pass) and a second pass up the rows into ``coefficients[2:]``."""
    _flip_coefficients(pixels[::-1], coefficients[2:])  # rows read bottom up: as fast
    return _hash_bytes(coefficients, _DIHEDRAL_PICKS)


def pdq_mirror_bits(pixels: np.ndarray) -> tuple[np.ndarray, int]:
    """The PDQ bits of the picture and of its left-right mirror, (2, 256), and the quality: what a
    video frame is matched as (`pdq_dihedral_bits`' ``original`` and ``flip_h``, for half the sums)."""
    if _too_small(pixels):
        return np.zeros((2, 256), dtype=bool), 0
    coefficients = np.empty((2, 16, 16), dtype=np.float32)
    quality = _flip_coefficients(pixels, coefficients)
    return np.unpackbits(_hash_bytes(coefficients, b"\x00\x01"), axis=1).astype(bool), quality
