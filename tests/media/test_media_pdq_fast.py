"""childsafe.media.pdq gives the reference's bits and quality: compared with pdqhash itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pdqhash
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from scipy import ndimage

from childsafe.media import load_image, pdq
from childsafe.media.images import load_for_hashing



def draw_scene(seed: int, size: tuple[int, int]) -> Image.Image:
    """Shapes in random colours on a gradient, at any size."""
    rng = np.random.default_rng(seed)
    w, h = size
    ramp = np.add.outer(np.linspace(0, 120, h), np.linspace(0, 120, w)).astype(np.uint8)
    img = Image.fromarray(np.stack([ramp, ramp[::-1], ramp[:, ::-1]], axis=2), "RGB")
    draw = ImageDraw.Draw(img)
    for _ in range(10):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        box = (x0, y0, x0 + int(rng.integers(2, w // 2 + 3)), y0 + int(rng.integers(2, h // 2 + 3)))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    return img


TURNED = {  # each of pdq.DIHEDRAL as the picture itself turned or flipped
    "original": lambda p: p,
    "rot90": lambda p: np.rot90(p, 1),  # counter-clockwise
    "rot180": lambda p: np.rot90(p, 2),
    "rot270": lambda p: np.rot90(p, 3),
    "flip_v": lambda p: p[::-1],
    "flip_h": lambda p: p[:, ::-1],
    "transpose": lambda p: np.swapaxes(p, 0, 1),
    "transverse": lambda p: np.swapaxes(p[::-1, ::-1], 0, 1),
}


def reference(pixels: np.ndarray, dihedral: bool = False):
    """pdqhash's bits and quality; with ``dihedral``, of each of the eight pictures turned and flipped
    for real (pdqhash.compute_dihedral flips DCT signs, which is a sample a pixel off: see pdq)."""
    if dihedral:
        turned = [reference(TURNED[name](pixels)) for name in pdq.DIHEDRAL]
        return [bits for bits, _ in turned], turned[0][1]
    rgb = np.ascontiguousarray(np.repeat(pixels[:, :, None], 3, axis=2) if pixels.ndim == 2 else pixels)
    bits, quality = pdqhash.compute(rgb)
    return bits.astype(bool), int(quality)


def smooth(rng: np.random.Generator, height: int, width: int, blur: float) -> np.ndarray:
    """A random picture with structure at every scale down to ``blur`` pixels (no near-ties)."""
    a = ndimage.gaussian_filter(rng.random((height, width, 3)), (blur, blur, 0))
    return (255 * (a - a.min()) / max(1e-9, float(a.max() - a.min()))).astype(np.uint8)


def test_every_reference_photo_gets_the_reference_bits_and_quality(reference_media: Path):
    files = sorted((reference_media / "pdq").rglob("*.jpg")) + sorted((reference_media / "pdq").rglob("*.png"))
    assert len(files) >= 30
    compared = 0
    for path in files:
        for loader in (load_image, load_for_hashing):  # RGB, and the luma the product hashes
            pixels = np.asarray(loader(path))
            want, want_quality = reference(pixels, dihedral=True)
            got, quality = pdq.pdq_dihedral_bits(pixels)
            assert quality == want_quality, path.name
            if want_quality < 50:
                continue  # next to no detail: bits near the median are rounding (see the module)
            for name, ours, theirs in zip(pdq.DIHEDRAL, got, want):
                assert np.array_equal(ours, theirs), (path.name, loader.__name__, name)
            single, single_quality = pdq.pdq_bits(pixels)
            assert np.array_equal(single, got[0]) and single_quality == quality
            compared += 1
    assert compared >= 60


@pytest.mark.parametrize("size", [(5, 5), (5, 700), (64, 64), (65, 63), (127, 129), (128, 128), (255, 256),
                                  (300, 451), (640, 480), (960, 720), (1023, 77)])
def test_pictures_of_many_sizes_get_the_reference_bits(size):
    rng = np.random.default_rng(sum(size))
    for blur in (2.0, 8.0):
        pixels = smooth(rng, *size, blur=blur)
        want, want_quality = reference(pixels, dihedral=True)
        got, quality = pdq.pdq_dihedral_bits(pixels)
        assert quality == want_quality
        differing = [int((a != b).sum()) for a, b in zip(got, want)]
        if min(size) >= 64:
            assert differing == [0] * 8, (size, blur, differing)
        else:  # a few rows repeated into 64: some coefficients tie with the median up to rounding
            assert max(differing) <= 16, (size, blur, differing)


@settings(max_examples=40, deadline=None)
@given(height=st.integers(64, 500), width=st.integers(64, 500), seed=st.integers(0, 999))
def test_drawn_scenes_of_any_size_get_the_reference_bits(height, width, seed):
    """From 64 pixels a side up (below, the 64 samples repeat rows and columns, and whole rows of
    coefficients are zero up to rounding: those bits are rounding in any implementation). A flat
    drawn scene can put two coefficients within rounding of each other at the median (120 x 308,
    seed 308: 1e-4 apart, the median and the next): which of the two is above it is rounding, so a
    bit may differ there and only there."""
    pixels = np.asarray(draw_scene(seed, (width, height)))
    want, want_quality = reference(pixels)
    got, quality = pdq.pdq_bits(pixels)
    grid, coefficients, _ = pdq.samples(pixels)
    assert quality == want_quality or quality_at_a_rounding_edge(grid, want_quality), (quality, want_quality)
    values = coefficients.ravel()[::-1]  # in the bits' order
    median = np.sort(coefficients.ravel())[127]
    differing = np.nonzero(got != want)[0]
    assert len(differing) <= 2 and all(abs(values[i] - median) <= NEAR_TIE for i in differing), (
        [(int(i), float(values[i] - median)) for i in differing])


NEAR_TIE = 1e-3
"""How far from the median a coefficient may lie and still be a tie up to rounding: float32 sums of
4,096 samples up to 255 carry errors of about this size."""


def quality_at_a_rounding_edge(grid: np.ndarray, other: int) -> bool:
    """Whether the quality could be ``other`` up to rounding: the metric sums 8,064 gradients, each
    cut to whole percents of 255, then divides by 90; a gradient within `NEAR_TIE` of a whole percent
    is cut either way by samples summed in another order (a 64 x 64 scene, seed 56: 63 here, 62 in
    the reference), so the sum may lie that many units to either side. Only a step of one, and only
    where a multiple of 90 lies within that reach."""
    steps = np.concatenate([((grid[:-1, :] - grid[1:, :]) * np.float32(100) / np.float32(255)).ravel(),
                            ((grid[:, :-1] - grid[:, 1:]) * np.float32(100) / np.float32(255)).ravel()])
    total = int(np.abs(np.trunc(steps)).sum(dtype=np.int64))
    magnitude = np.abs(steps)
    # (a zero is cut to zero from either side: flat samples are no edge)
    edges = int(((magnitude >= 0.5) & (np.abs(magnitude - np.round(magnitude)) < NEAR_TIE * 100 / 255)).sum())
    reach = range(total - edges, total + edges + 1)
    return abs(pdq.quality_of(grid) - other) == 1 and any(min(100, t // 90) == other for t in reach)


def test_a_near_tie_at_the_median_is_the_only_difference_allowed():
    """The scene hypothesis found (two coefficients 1e-4 apart at the median): at most that pair
    differs; a smooth picture of the same size, with no near-tie, matches to the bit."""
    pixels = np.asarray(draw_scene(308, (120, 308)))
    got, _ = pdq.pdq_bits(pixels)
    assert int((got != reference(pixels)[0]).sum()) <= 2
    smooth_pixels = smooth(np.random.default_rng(308), 308, 120, blur=4.0)
    assert np.array_equal(pdq.pdq_bits(smooth_pixels)[0], reference(smooth_pixels)[0])


def test_images_under_five_pixels_a_side_hash_to_zeros_as_the_reference_does():
    for size in ((1, 1), (4, 300), (300, 4), (2, 2)):
        pixels = np.full((*size, 3), 200, dtype=np.uint8)
        want, want_quality = reference(pixels)
        got, quality = pdq.pdq_bits(pixels)
        assert not got.any() and not want.any() and quality == want_quality == 0
        hashes, quality = pdq.pdq_dihedral_bits(pixels)
        assert len(hashes) == 8 and not any(h.any() for h in hashes) and quality == 0


def test_a_flat_picture_has_quality_zero():
    _, quality = pdq.pdq_bits(np.full((200, 300), 90, dtype=np.uint8))
    assert quality == 0


def test_grey_and_rgb_of_the_same_grey_agree():
    grey = smooth(np.random.default_rng(7), 240, 320, 4.0)[:, :, 0]
    a, qa = pdq.pdq_bits(grey)
    b, qb = pdq.pdq_bits(np.repeat(grey[:, :, None], 3, axis=2))
    assert np.array_equal(a, b) and qa == qb


def test_shapes_it_cannot_hash_are_refused():
    for bad in (np.zeros((0, 10), np.uint8), np.zeros((10, 0, 3), np.uint8), np.zeros((10, 10, 4), np.uint8),
                np.zeros(10, np.uint8), np.zeros((2, 2, 2, 3), np.uint8)):
        with pytest.raises(ValueError):
            pdq.pdq_bits(bad)


def test_the_product_hashes_with_it(reference_media: Path):
    """pdq_hash_image and the dihedral set are the reference's bits for the luma they hash."""
    from childsafe.index.codec import bits_to_hex
    from childsafe.media import pdq_hash_image
    from childsafe.media.images import pdq_dihedral

    img = load_for_hashing(reference_media / "pdq" / "sample-b.jpg")
    bits, quality = reference(np.asarray(img))
    assert pdq_hash_image(img).pdq == bits_to_hex(bits) and pdq_hash_image(img).quality == quality
    hashes, _ = reference(np.asarray(img), dihedral=True)
    ours = {t.transform: t.pdq for t in pdq_dihedral(img)}
    assert ours == {name: bits_to_hex(bits) for name, bits in zip(pdq.DIHEDRAL, hashes)}


def test_each_dihedral_hash_is_the_turned_pictures_own_even_for_fine_textures():
    # pdqhash.compute_dihedral flips the one DCT's signs, so its flip of a brick wall lies 86 bits
    # from the hash of the flipped wall (a page of text 42, a photo 10): the 64 samples of a picture
    # sit a pixel off where its mirror's do. Ours are the turned pictures' own hashes.
    skimage_data = pytest.importorskip("skimage.data")
    for name in ("brick", "grass", "page", "astronaut"):
        pixels = np.asarray(getattr(skimage_data, name)())
        ours, _ = pdq.pdq_dihedral_bits(pixels)
        signs, _ = pdqhash.compute_dihedral(np.ascontiguousarray(np.repeat(pixels[:, :, None], 3, axis=2)
                                                                 if pixels.ndim == 2 else pixels))
        for variant, turned in TURNED.items():
            own, _ = reference(turned(pixels))
            assert np.array_equal(ours[pdq.DIHEDRAL.index(variant)], own), (name, variant)
        if name in ("brick", "page"):
            flip = pdq.DIHEDRAL.index("flip_h")
            assert int((signs[flip].astype(bool) != reference(TURNED["flip_h"](pixels))[0]).sum()) > 31


def test_the_numpy_fallback_gives_the_compiled_results():
    if pdq._core is None:
        pytest.skip("the compiled part was not built")
    rng = np.random.default_rng(11)
    for size, channels in (((5, 5), 3), ((64, 64), 0), ((300, 451), 3), ((961, 40), 0), ((720, 960), 3)):
        pixels = rng.integers(0, 256, size + ((channels,) if channels else ()), dtype=np.uint8)
        grid, coeffs, quality = pdq.samples(pixels)
        grid2, coeffs2, quality2 = pdq._samples_numpy(pixels)
        assert np.allclose(grid, grid2, atol=1e-3) and np.allclose(coeffs, coeffs2, atol=1e-2)
        assert abs(quality - quality2) <= 1
    view = rng.integers(0, 256, (400, 500, 3), dtype=np.uint8)[10:300:2, 5:400:3]  # any strides
    assert np.array_equal(pdq.pdq_bits(view)[0], pdq.pdq_bits(np.ascontiguousarray(view))[0])


def test_the_compiled_band_weights_are_numpys_to_the_bit():
    """`pdq._band`'s weights of the two box passes, compiled, against numpy's (`_band_numpy`): every
    side up to 2,500 and some far larger, the same starts and float32 weights bit for bit; sides it
    cannot take refused."""
    if pdq._core is None or not hasattr(pdq._core, "band"):
        pytest.skip("the compiled part was not built")
    for side in [*range(1, 2501), 4095, 4096, 7919, 12345, 40000]:
        start, weights, band = pdq._band.__wrapped__(side)
        want_start, want_weights, want_band = pdq._band_numpy(side)
        assert band == want_band and start.dtype == np.int32 and weights.dtype == np.float32, side
        assert np.array_equal(start, want_start) and np.array_equal(weights.view(np.uint32), want_weights.view(np.uint32)), side
    for bad in (0, -3, 2**25):
        with pytest.raises(ValueError, match="side must be"):
            pdq._core.band(bad)
    with pytest.raises(TypeError):
        pdq._core.band("64")


def test_the_compiled_hash_bytes_are_numpys_even_with_ties():
    """The compiled median and bit packing (`pdq._hash_bytes`) against numpy's partition and packbits,
    for every pick, transposed or not: coefficients drawn smooth, from a few values (ties at the
    median), with whole rows zero, and negative."""
    if pdq._core is None or not hasattr(pdq._core, "hash_bytes"):
        pytest.skip("the compiled part was not built")
    rng = np.random.default_rng(5)
    picks = pdq._DIHEDRAL_PICKS + bytes([1, 128, 3 | 128])
    for trial in range(400):
        kind = trial % 4
        if kind == 0:
            c = rng.normal(0, 60, (4, 16, 16))
        elif kind == 1:
            c = rng.integers(0, 3, (4, 16, 16))
        elif kind == 2:
            c = np.zeros((4, 16, 16))
            c[:, : int(rng.integers(1, 16))] = rng.normal(0, 1, (4, 1, 16))
        else:
            c = -np.abs(np.round(rng.normal(0, 4, (4, 16, 16)), 1))
        c = c.astype(np.float32)
        chosen = [c[p % pdq.TRANSPOSED].T if p & pdq.TRANSPOSED else c[p % pdq.TRANSPOSED] for p in picks]
        assert np.array_equal(pdq._hash_bytes(c, picks), np.packbits(pdq._bits(np.stack(chosen)), axis=1)), trial


def test_the_compiled_part_refuses_buffers_that_do_not_fit():
    if pdq._core is None:
        pytest.skip("the compiled part was not built")
    pixels = np.zeros((100, 100), np.uint8)
    ys, yw, yb = pdq._band(100)
    grid, coeffs = np.empty((64, 64), np.float32), np.empty((16, 16), np.float32)
    assert pdq._core.samples(pixels, ys, yw, yb, ys, yw, yb, grid, coeffs) == 0
    far = np.full(64, 100 - yb + 1, dtype=np.int32)
    for args in (
        (pixels, far, yw, yb, ys, yw, yb, grid, coeffs),  # a band past the edge
        (pixels, ys, yw, yb + 1, ys, yw, yb, grid, coeffs),  # weights of the wrong length
        (pixels.astype(np.float32), ys, yw, yb, ys, yw, yb, grid, coeffs),
        (np.zeros((100, 100, 4), np.uint8), ys, yw, yb, ys, yw, yb, grid, coeffs),
        (pixels, ys, yw, yb, ys, yw, yb, np.empty((64, 63), np.float32), coeffs),
        (pixels, ys.astype(np.int64), yw, yb, ys, yw, yb, grid, coeffs),
        (pixels, ys, yw, 500, ys, yw, yb, grid, coeffs),
    ):
        with pytest.raises((ValueError, TypeError, BufferError)):
            pdq._core.samples(*args)
    readonly = np.empty((16, 16), np.float32)
    readonly.setflags(write=False)
    with pytest.raises((ValueError, TypeError, BufferError)):
        pdq._core.samples(pixels, ys, yw, yb, ys, yw, yb, grid, readonly)


def test_the_compiled_part_refuses_shapes_whose_sizes_overflow():
    """A view with zero strides claims any shape: its sizes must not wrap the buffer sizes round
    (a (1, 2**56) image made a 0-byte row buffer; a band of 2**56 matched an empty weights array)."""
    if pdq._core is None:
        pytest.skip("the compiled part was not built")
    from numpy.lib.stride_tricks import as_strided

    one = np.zeros(1, np.uint8)
    starts = np.zeros(64, np.int32)
    ones = np.ones((64, 1), np.float32)
    grid, coeffs = np.empty((64, 64), np.float32), np.empty((16, 16), np.float32)
    wide = as_strided(one, shape=(1, 2**56), strides=(0, 0))
    tall = as_strided(one, shape=(2**56, 1), strides=(0, 0))
    for args in (
        (wide, starts, ones, 1, starts, ones, 1, grid, coeffs),
        (tall, starts, np.ones(0, np.float32), 2**56, starts, ones, 1, grid, coeffs),
    ):
        with pytest.raises((ValueError, MemoryError)):
            pdq._core.samples(*args)


def test_weights_that_are_not_a_blur_still_give_a_quality_from_0_to_100():
    """Infinite or NaN samples (weights from a direct call) are held, not converted out of range."""
    if pdq._core is None:
        pytest.skip("the compiled part was not built")
    pixels = np.full((8, 8), 255, np.uint8)
    starts = (np.arange(64) % 8).astype(np.int32)
    grid, coeffs = np.empty((64, 64), np.float32), np.empty((16, 16), np.float32)
    for value in (1e38, np.inf, np.nan):
        weights = np.full((64, 1), value, np.float32)
        weights[::2] = -weights[::2]
        assert 0 <= pdq._core.samples(pixels, starts, weights, 1, starts, weights, 1, grid, coeffs) <= 100


def test_the_mirror_from_the_same_rows_is_the_mirrored_pixels_own_to_the_bit(monkeypatch):
    if pdq._core is None:
        pytest.skip("the compiled part was not built")
    rng = np.random.default_rng(12)
    for size, channels in (((64, 64), 0), ((300, 451), 3), ((961, 40), 0), ((77, 1023), 3)):
        pixels = rng.integers(0, 256, size + ((channels,) if channels else ()), dtype=np.uint8)
        both = np.empty((2, 16, 16), np.float32)
        quality = pdq._flip_coefficients(pixels, both)
        c, mirror = both
        assert np.array_equal(c, pdq.samples(pixels)[1]) and quality == pdq.samples(pixels)[2]
        assert np.array_equal(mirror, pdq.samples(np.ascontiguousarray(pixels[:, ::-1]))[1])
        compiled = pdq.pdq_dihedral_bits(pixels)[0]
        monkeypatch.setattr(pdq, "_core", None)  # the numpy fallback: the same bits
        assert int((pdq.pdq_dihedral_bits(pixels)[0] != compiled).sum()) <= 2
        monkeypatch.undo()
    ys, yw, yb = pdq._band(100)
    grid, coeffs = np.empty((64, 64), np.float32), np.empty((16, 16), np.float32)
    with pytest.raises(TypeError):  # a mirror grid without its coefficients
        pdq._core.samples(np.zeros((100, 100), np.uint8), ys, yw, yb, ys, yw, yb, grid, coeffs, grid.copy())
    with pytest.raises(ValueError):  # a mirror grid of the wrong size
        pdq._core.samples(np.zeros((100, 100), np.uint8), ys, yw, yb, ys, yw, yb, grid, coeffs,
                          np.empty((64, 63), np.float32), coeffs.copy())


def test_the_compiled_grey_is_pillows_for_every_colour():
    # The luma PDQ hashes is Pillow's RGB -> L; made from the RGB array that border finding reads,
    # it must be the same value for all 2 ** 24 colours, packed or from a strided view.
    from childsafe.media.pdq import grey_of_rgb

    r, g, b = np.meshgrid(*(np.arange(256, dtype=np.uint8),) * 3, indexing="ij")
    colours = np.stack([r, g, b], axis=-1).reshape(4096, 4096, 3)
    grey = grey_of_rgb(colours)
    if grey is None:
        pytest.skip("the compiled part is not built")
    assert np.array_equal(grey, np.asarray(Image.fromarray(colours).convert("L")))
    view = colours[::-3, 1::2]
    assert np.array_equal(grey_of_rgb(view), np.asarray(Image.fromarray(np.ascontiguousarray(view)).convert("L")))
    rgbx = np.zeros((4096, 4096, 4), np.uint8)  # Pillow's own layout (images.rgb_array's views)
    rgbx[..., :3] = colours
    rgbx[..., 3] = 255
    # AVX2 takes 32 four-byte pixels at a time, then SSSE3 16, then one by one: rows of every length
    # around those blocks, with the AVX2 loops and without
    was = pdq._core.set_avx2(True)
    try:
        for avx2 in (True, False):
            pdq._core.set_avx2(avx2)
            assert np.array_equal(grey_of_rgb(rgbx[..., :3]), grey)
            for width in (1, 15, 16, 17, 31, 32, 33, 34, 48, 49, 64, 65, 97, 4095):
                assert np.array_equal(grey_of_rgb(rgbx[:64, :width, :3]), grey[:64, :width]), (avx2, width)
    finally:
        pdq._core.set_avx2(was)


def test_the_compiled_grey_reads_no_byte_past_the_last_pixel():
    # A view of four-byte pixels whose last pixel's fourth byte lies past the end of its memory (a
    # block ending there): the vector loops must stop short of it (an ASan build fails otherwise).
    from numpy.lib.stride_tricks import as_strided

    from childsafe.media.pdq import grey_of_rgb

    rng = np.random.default_rng(5)
    for width in (33, 64, 65, 200):
        raw = rng.integers(0, 256, 4 * width * 3 - 1, dtype=np.uint8)  # malloc'd by numpy: exactly this long
        view = as_strided(raw, shape=(3, width, 3), strides=(4 * width, 4, 1), writeable=False)
        got = grey_of_rgb(view)
        if got is None:
            pytest.skip("the compiled part is not built")
        assert np.array_equal(got, np.asarray(Image.fromarray(np.ascontiguousarray(view)).convert("L")))


def test_an_image_hashes_the_same_with_and_without_the_shared_rgb(reference_media: Path):
    from childsafe.media.edits import working_copy
    from childsafe.media.images import luma_pixels

    for path in sorted((reference_media / "pdq" / "labelme-subset").glob("*.jpg"))[:3]:
        img = Image.open(path)
        img.load()
        a, factor = working_copy(img)
        assert factor == 1
        assert np.array_equal(luma_pixels(img, a), luma_pixels(img))


def test_the_compiled_grey_refuses_arrays_that_do_not_fit():
    core = pdq._core
    if core is None:
        pytest.skip("the compiled part is not built")
    rgb = np.zeros((4, 5, 3), np.uint8)
    for bad_rgb, out in [(np.zeros((4, 5), np.uint8), np.zeros((4, 5), np.uint8)),
                         (np.zeros((4, 5, 4), np.uint8), np.zeros((4, 5), np.uint8)),
                         (rgb.astype(np.float32), np.zeros((4, 5), np.uint8)),
                         (rgb, np.zeros((5, 4), np.uint8)),
                         (rgb, np.zeros((4, 5), np.int32)),
                         (rgb, np.zeros((4, 10), np.uint8)[:, ::2])]:
        with pytest.raises((ValueError, BufferError)):
            core.grey(bad_rgb, out)
    frozen = np.zeros((4, 5), np.uint8)
    frozen.flags.writeable = False
    with pytest.raises((ValueError, BufferError)):
        core.grey(rgb, frozen)


def test_compiled_hash_bytes_are_numpys_median_bits_packed():
    # The median, the bits and their packing in C must give numpy's bytes to the bit: ties with the
    # median (a flat picture's many zeros, repeated values), transposed picks, every array picked.
    if pdq._core is None or not hasattr(pdq._core, "hash_bytes"):
        pytest.skip("the compiled part was not built")
    rng = np.random.default_rng(3)
    stacks = [rng.normal(0, 100, (4, 16, 16)).astype(np.float32),
              np.zeros((2, 16, 16), np.float32),
              rng.integers(-2, 3, (3, 16, 16)).astype(np.float32),
              np.where(rng.random((4, 16, 16)) < 0.6, 0, rng.normal(0, 1, (4, 16, 16))).astype(np.float32),
              np.full((1, 16, 16), 7.5, np.float32),
              np.float32(1e30) * rng.normal(0, 1, (2, 16, 16)).astype(np.float32)]
    for coefficients in stacks:
        m = len(coefficients)
        picks = bytes(list(range(m)) + [i | pdq.TRANSPOSED for i in range(m)] + [0, 0 | pdq.TRANSPOSED])
        want = np.packbits(pdq._bits(np.stack([coefficients[p % 128].T if p & 128 else coefficients[p % 128]
                                               for p in picks])), axis=1)
        assert np.array_equal(pdq._hash_bytes(coefficients, picks), want)
    out = np.empty((1, 32), np.uint8)
    with pytest.raises(ValueError):  # a pick past the arrays given
        pdq._core.hash_bytes(np.zeros((1, 16, 16), np.float32), bytes([1]), out)
    with pytest.raises(ValueError):  # not float32 coefficients
        pdq._core.hash_bytes(np.zeros((1, 16, 16)), bytes([0]), out)
    with pytest.raises(ValueError):  # too small an output
        pdq._core.hash_bytes(np.zeros((1, 16, 16), np.float32), bytes([0, 0]), out)
    with pytest.raises(ValueError):  # coefficients of another shape, the same number of bytes
        pdq._core.hash_bytes(np.zeros((4, 8, 8), np.float32), bytes([0]), out)
    with pytest.raises(ValueError):  # an output of another type, the same number of bytes
        pdq._core.hash_bytes(np.zeros((1, 16, 16), np.float32), bytes([0]), np.empty((1, 8), np.float32))


def test_the_avx2_loops_give_the_sse2_floats_to_the_bit():
    # Eight floats a register where the CPU has AVX2, four otherwise: every lane the same multiply and
    # add in the same order, so the samples and the DCT must not move by a bit (widths around the
    # loops' steps of 64 and 8, and views).
    if pdq._core is None or not hasattr(pdq._core, "set_avx2"):
        pytest.skip("the compiled part was not built")
    rng = np.random.default_rng(12)
    cases = [rng.integers(0, 256, (h, w), dtype=np.uint8) for h, w in
             [(64, 64), (256, 256), (300, 451), (512, 63), (700, 71), (960, 129), (97, 1000), (33, 8 * 64 + 7)]]
    cases.append(rng.integers(0, 256, (500, 700), dtype=np.uint8)[7:400, 3:650])
    cases.append(np.asarray(draw_scene(3, (640, 480))).mean(axis=2).astype(np.uint8))
    was = pdq._core.set_avx2(False)
    try:
        four = [pdq.samples(a) for a in cases]
        pdq._core.set_avx2(True)
        eight = [pdq.samples(a) for a in cases]
    finally:
        pdq._core.set_avx2(was)
    for a, (g4, c4, q4), (g8, c8, q8) in zip(cases, four, eight):
        assert g4.tobytes() == g8.tobytes() and c4.tobytes() == c8.tobytes() and q4 == q8, a.shape
