"""The compiled outline finding (childsafe.media._outlines.edge_boxes) gives exactly the boxes, in the
same order, that the numpy reference in childsafe.media.edits (_edge_boxes_numpy) gives, with sharp
breaks and with contrast breaks (`contrast=True`, `_contrast_maps`): on the images the edits tests
draw, pictures pasted into other pictures (eval's picture in picture, collage and screenshot), the
reference photos, noise, flat, tiny and thin arrays, both sides of the 400-pixel switch to every
second pixel, sliced and strided views (packed RGB and Pillow's four-byte pixels, whose rows the
contrast pass reads eight pixels at a time), and hypothesis' small images with a few rectangles; and
bad buffers are refused, never a crash."""

from __future__ import annotations

import ctypes
import mmap
import random
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from childsafe.media import edits

_outlines = pytest.importorskip("childsafe.media._outlines")
if not hasattr(_outlines, "edge_boxes"):
    pytest.skip("the compiled outline finding is not built", allow_module_level=True)

MAXES = (0, 1, 2, 8)


def reference(a: np.ndarray, max_regions: int, contrast: bool = False) -> list:
    return edits._edge_boxes_numpy(a, max_regions=max_regions, contrast=contrast)


def check(a: np.ndarray, maxes=MAXES) -> list:
    """Both engines on a, for every max_regions, sharp and contrast breaks; returns the sharp boxes
    for the last and the contrast boxes after them."""
    found: list = []
    for contrast in (False, True):
        want: list = []
        for m in maxes:
            want = [tuple(int(v) for v in box) for box in reference(a, m, contrast)]
            got = _outlines.edge_boxes(a, m, contrast)
            assert isinstance(got, list) and all(type(v) is int for box in got for v in box)
            assert got == want, (a.shape, a.strides, m, contrast)
        found += want
    return found


def check_as_the_product_does(img: Image.Image) -> int:
    """The working copy, and the part of it inside its first trim (what pictures_within hands over)."""
    a, _factor = edits.working_copy(img)
    found = len(check(a))
    boxes = edits._trim_passes_numpy(a, tolerance=edits.BORDER_TOLERANCE, noise=edits.BORDER_NOISE,
                                     max_passes=edits.MAX_TRIM_PASSES)
    if boxes:
        ox, oy, ex, ey = boxes[0]
        found += len(check(a[oy:ey, ox:ex]))
    return found


def test_constants_are_those_of_edits():
    names = ("EDGE_STEP", "EDGE_RATIO", "SMOOTH_SIDE", "SMOOTH_SIDE_STEP",
             "MAX_LINES", "MIN_SIDE_SUPPORT", "MIN_MEAN_SUPPORT", "BORDER_SUPPORT",
             "MAX_OUTLINE_CANDIDATES", "OUTLINE_REACH", "MIN_REGION_SIDE", "MIN_OUTLINE_SHARE", "MAX_REGION_SHARE",
             "MAX_ASPECT", "CONTRAST_WINDOW", "CONTRAST_STEP", "CONTRAST_RATIO", "CONTRAST_MIN_SCORE", "CONTRAST_ALONG")
    compiled = _outlines.constants()
    assert set(compiled) == set(names)
    for name in names:
        assert compiled[name] == getattr(edits, name), name
        assert type(compiled[name]) is type(getattr(edits, name)), name


def test_the_reference_takes_equal_lines_in_a_stable_order():
    """Equal counts are taken later line first on every CPU (numpy's default argsort orders ties by
    whichever SIMD sort the CPU dispatches to), so both engines, and any two machines, agree."""
    profile = np.array([3, 5, 5, 0, 5, 2, 5, 1, 1, 1, 4, 4, 0, 0, 5, 5, 3], dtype=np.int64)
    assert edits._strongest(profile, 3).tolist() == [2, 6, 15]
    assert edits._strongest(np.ones(200, dtype=np.int64), 4).tolist() == [190, 193, 196, 199]


def test_the_dispatch_uses_the_compiled_function(monkeypatch):
    from tests.robust.test_robust_edits import busy_background, drawn_photo

    composite = busy_background(3)
    composite.paste(drawn_photo(12, (400, 300)), (410, 230))
    a, _ = edits.working_copy(composite)
    monkeypatch.setattr(edits, "NUMPY_ONLY", False)
    with mock.patch.object(edits, "_edge_boxes_numpy", side_effect=AssertionError("numpy path taken")):
        got = edits.edge_boxes(a, max_regions=3)
    assert got and got == reference(a, 3)
    monkeypatch.setattr(edits, "NUMPY_ONLY", True)
    with mock.patch.object(_outlines, "edge_boxes", side_effect=AssertionError("compiled path taken")):
        assert edits.edge_boxes(a, max_regions=3) == reference(a, 3)
        assert edits.edge_boxes(a, max_regions=3, contrast=True) == reference(a, 3, True)


# ---------------------------------------------------------------- what the edits tests draw


def test_the_images_the_edits_tests_draw():
    from tests.robust.test_robust_edits import (
        busy_background, chat_screenshot, drawn_photo, jpeg, rectangle_grid, textured_background, with_border,
    )

    found = 0
    photo = drawn_photo(12, (400, 300))
    composite = busy_background(3)
    composite.paste(photo, (410, 230))
    found += check_as_the_product_does(jpeg(composite, 90))
    for where in [(300, 200), (0, 150), (560, 420)]:
        composite = textured_background(4)
        composite.paste(drawn_photo(13, (400, 300)), where)
        found += check_as_the_product_does(jpeg(composite, 85))
    for dark in (False, True):
        found += check_as_the_product_does(chat_screenshot(drawn_photo(8), dark=dark))
    framed = with_border(with_border(drawn_photo(4), 0.04, (250, 250, 250)), 0.06, (20, 20, 90))
    found += check_as_the_product_does(framed)
    tiles = Image.new("RGB", (1200, 1200), (255, 255, 255))
    for i in range(16):
        tiles.paste(drawn_photo(20 + i, (250, 250)), (20 + (i % 4) * 295, 20 + (i // 4) * 295))
    found += check_as_the_product_does(tiles)
    # every pair of grid lines makes a box with perfect outlines: the candidate cap matters here
    grid = rectangle_grid()
    found += check_as_the_product_does(grid)
    check(np.asarray(grid)[:700, :900], maxes=(300,))  # more boxes asked than candidates looked at
    try:
        from skimage import data

        back = Image.fromarray(np.asarray(data.brick())).convert("RGB").resize((960, 720))
        back.paste(drawn_photo(14, (360, 270)), (333, 187))
        found += check_as_the_product_does(back)
    except ImportError:
        pass
    for w, h in [(2, 5000), (5000, 3), (30, 4000)]:
        strip = Image.fromarray(np.random.default_rng(2).integers(0, 255, (h, w, 3), dtype=np.uint8))
        check_as_the_product_does(strip)
    assert found >= 10  # outlines were found, so the boxes themselves were compared


# ---------------------------------------------------------------- pictures pasted into pictures


def test_pictures_pasted_into_other_pictures():
    from eval.matching.corpus import drawn_scene
    from eval.matching.transforms import collage, picture_in_picture, screenshot

    found = 0
    for seed in range(9):
        rng = random.Random(seed)
        background = ("drawn", "any", "photo")[seed % 3]
        share = (0.4, 0.25, 0.6)[seed % 3]
        found += check_as_the_product_does(picture_in_picture(drawn_scene(100 + seed), rng, share, background))
    for seed in range(2):
        found += check_as_the_product_does(collage(drawn_scene(200 + seed), random.Random(seed)))
        found += check_as_the_product_does(screenshot(drawn_scene(300 + seed), random.Random(seed), 0.8,
                                                      dark=seed == 1))
    for seed in range(6):
        scene = drawn_scene(seed, ((640, 480), (512, 512), (480, 640))[seed % 3])
        found += len(check(np.asarray(scene)))
    assert found >= 20


@pytest.mark.parametrize("outline", [1, 2, 3])
def test_pictures_with_thin_outlines(outline):
    # Thin lines of their own colour (the thin-line rule of _edge_maps) on both sides of the switch
    # to every second pixel, light and dark, with and without JPEG, as views too.
    from eval.matching.corpus import drawn_scene
    from PIL import ImageOps

    found = 0
    for seed in range(6):
        rng = random.Random(seed)
        size = ((640, 480), (360, 300), (401, 399))[seed % 3]
        background = np.asarray(drawn_scene(400 + seed, size)).copy()
        picture = ImageOps.expand(drawn_scene(500 + seed, (size[0] // 3, size[1] // 3)), outline,
                                  fill=((255, 255, 255), (0, 0, 0), (220, 30, 30))[seed % 3])
        x, y = rng.randrange(size[0] - picture.width), rng.randrange(size[1] - picture.height)
        background[y:y + picture.height, x:x + picture.width] = np.asarray(picture)
        a = np.asarray(jpeg_copy(background)) if seed % 2 else background
        found += len(check(a)) + len(check(a[1:, 3:])) + len(check(np.ascontiguousarray(a[:, ::-1])))
    assert found >= 6


def jpeg_copy(a: np.ndarray) -> Image.Image:
    import io

    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=80)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


# ---------------------------------------------------------------- reference photos


def test_reference_photos(reference_photos):
    from childsafe.media.images import load_image

    files = reference_photos
    for path in files:
        img = load_image(path.read_bytes())
        check_as_the_product_does(img)
        # pasted over one another: a picture in a photo
        back = img.resize((max(img.width, 300) * 2, max(img.height, 300) * 2))
        back.paste(img, (back.width // 5, back.height // 4))
        check_as_the_product_does(back)


# ---------------------------------------------------------------- shapes, noise and views


def test_random_noise_and_flat_arrays():
    rng = np.random.default_rng(7)
    for h, w in [(48, 48), (60, 90), (256, 256), (300, 420), (512, 512)]:
        check(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
        check(np.full((h, w, 3), (30, 140, 200), dtype=np.uint8))
        smooth = (rng.integers(0, 256, (h // 8 + 1, w // 8 + 1, 3), dtype=np.uint8)
                  .repeat(8, axis=0).repeat(8, axis=1)[:h, :w])  # flat blocks: long equal edges, many ties
        check(smooth)


def _scene(h: int, w: int, seed: int) -> np.ndarray:
    """A smooth background with a few pasted rectangles (sharp outlines) and a little noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    a = np.stack([xx * 0.3 + yy * 0.1, yy * 0.4 + 30, (xx + yy) * 0.2], axis=2) % 256
    for _ in range(rng.integers(1, 5)):
        y0, x0 = rng.integers(0, max(1, h - 10)), rng.integers(0, max(1, w - 10))
        y1, x1 = y0 + rng.integers(5, max(6, h // 2)), x0 + rng.integers(5, max(6, w // 2))
        a[y0:y1, x0:x1] = rng.integers(0, 256, 3)
    a += rng.normal(0, 2, a.shape)
    return np.clip(a, 0, 255).astype(np.uint8)


def test_tiny_and_thin_shapes():
    for h in (1, 2, 3, 5, 23, 24, 47, 48, 49, 60):
        for w in (1, 2, 3, 24, 47, 48, 49, 60):
            check(_scene(h, w, h * 100 + w))
    for h, w in [(1, 500), (500, 1), (2, 700), (700, 2), (47, 900), (900, 48), (48, 2000)]:
        check(_scene(h, w, h + w))
    assert _outlines.edge_boxes(np.zeros((0, 0, 3), np.uint8), 8) == []
    assert _outlines.edge_boxes(np.zeros((0, 100, 3), np.uint8), 8) == []
    assert _outlines.edge_boxes(np.zeros((100, 0, 3), np.uint8), 8) == []


# values whose differences sit on the rules' edges: steps of 24 / 36 (large enough), 170 / 171 beside
# 255 (small: 3 v <= 2 s), 9 / 8 beside 36 (smooth side: 4 v <= s), 255 - 84 = 171, ...
EDGE_VALUES = np.array([0, 8, 9, 12, 24, 36, 60, 84, 85, 170, 171, 219, 231, 246, 255], np.uint8)


def test_contrast_break_counts_are_those_of_numpy():
    """The contrast pass alone (`break_counts(a, False, True)`) against `_contrast_maps`: lines of every
    length from 1 to 100 and a few longer (the pass reads every fourth pixel, eight at a time, and
    widens each break to the pixels up to the next), steps around `CONTRAST_STEP` and the ratio,
    grey, coloured, Pillow's four-byte layout and flipped views."""
    rng = np.random.default_rng(5)
    levels = np.array([0, 5, 11, 12, 13, 17, 18, 19, 40, 60, 61, 200, 255], np.uint8)
    for length in list(range(1, 101)) + [127, 128, 129, 255, 256, 257, 511]:
        other = int(rng.integers(1, 40))
        for h, w in ((other, length), (length, other)):
            base = levels[rng.integers(0, len(levels), (h, w, 3))]
            stripes = np.repeat(levels[rng.integers(0, len(levels), (h, 1, 3))], w, axis=1)  # lines of one tone
            rgbx = np.zeros((h, w, 4), np.uint8)
            rgbx[..., :3] = base
            for a in (base, stripes, np.repeat(base[..., :1], 3, axis=2), rgbx[..., :3], base[::-1], base[::-1, ::-1]):
                rows, cols = edits._contrast_maps(a)
                assert _outlines.break_counts(a, False, True) == (rows.sum(axis=1).tolist(), cols.sum(axis=0).tolist()), \
                    (a.shape, a.strides)


def _at_the_end_of_memory(a: np.ndarray, rgbx: bool) -> tuple[np.ndarray, object]:
    """A copy of a whose last byte is the last byte before a page that cannot be read (packed RGB,
    or Pillow's four bytes a pixel with the last pixel's fourth byte left off): a read past the
    view's end faults."""
    h, w = a.shape[:2]
    size = h * w * (4 if rgbx else 3) - (1 if rgbx else 0)
    page = mmap.PAGESIZE
    span = -(-size // page) * page
    region = mmap.mmap(-1, span + page, prot=mmap.PROT_READ | mmap.PROT_WRITE)
    guard = np.frombuffer(region, np.uint8)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    if libc.mprotect(guard.ctypes.data + span, page, 0) != 0:
        pytest.skip("mprotect is not available")
    start = span - size
    if rgbx:
        flat = guard[start : start + size]
        view = np.lib.stride_tricks.as_strided(flat, (h, w, 3), (4 * w, 4, 1))
        for c in range(3):
            flat[c::4] = a[..., c].reshape(-1)
    else:
        view = guard[start : start + size].reshape(h, w, 3)
        view[...] = a
    return view, region


def test_contrast_reads_stay_inside_the_view():
    """The contrast pass reads a row's bytes 32 at a time: pictures that end right before memory that
    cannot be read (packed RGB and Pillow's layout, widths around the eight-at-a-time blocks) give
    numpy's counts and boxes, and no fault."""
    if not hasattr(mmap, "PROT_READ"):
        pytest.skip("no mmap protection here")
    rng = np.random.default_rng(9)
    for h in (1, 2, 3, 9):
        for w in list(range(1, 80)) + [127, 128, 129, 255, 256, 257]:
            a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
            a[h // 3 :, w // 4 :] //= 2  # a darker block: some breaks
            for rgbx in (False, True):
                view, region = _at_the_end_of_memory(a, rgbx)
                rows, cols = edits._contrast_maps(a)
                assert _outlines.break_counts(view, False, True) == (rows.sum(axis=1).tolist(), cols.sum(axis=0).tolist())
                if h >= 48 and w >= 48:
                    assert _outlines.edge_boxes(view, 2, True) == reference(a, 2, True)
                del view
    big = rng.integers(0, 256, (60, 300, 3), dtype=np.uint8)
    big[20:50, 40:200] //= 3
    for rgbx in (False, True):
        view, region = _at_the_end_of_memory(big, rgbx)
        assert _outlines.edge_boxes(view, 2, True) == reference(big, 2, True)


def test_contrast_counts_on_very_tall_images():
    """Column lines are counted in 16 bits and added up every 16,383 rows of the view (every fourth
    row of the image): a tall broadcast image crosses that."""
    row = np.random.default_rng(4).integers(0, 256, (1, 50, 3), dtype=np.uint8)
    for h in (65532, 65537, 131075):
        a = np.broadcast_to(row, (h, 50, 3))
        rows, cols = edits._contrast_maps(a)
        assert _outlines.break_counts(a, False, True) == (rows.sum(axis=1).tolist(), cols.sum(axis=0).tolist())


@pytest.mark.parametrize("thin", [False, True])
def test_break_counts_are_those_of_numpy_on_the_rules_edges(thin):
    """edge_boxes' first pass, line by line (`break_counts`), against `_edge_maps`: pixels drawn from
    values whose steps fall on either side of every threshold, on lines of every length from 1 to
    100 (the vector code takes 32 steps at a time and its last block overlaps the one before), grey
    and coloured, and in Pillow's four-byte layout."""
    rng = np.random.default_rng(11 + thin)
    for length in range(1, 101):
        other = int(rng.integers(1, 12))
        for h, w in ((other, length), (length, other)):
            grey = EDGE_VALUES[rng.integers(0, len(EDGE_VALUES), (h, w))]
            colour = EDGE_VALUES[rng.integers(0, len(EDGE_VALUES), (h, w, 3))]
            rgbx = np.zeros((h, w, 4), np.uint8)
            rgbx[..., :3] = colour
            for a in (np.repeat(grey[..., None], 3, axis=2), colour, rgbx[..., :3]):
                rows, cols = edits._edge_maps(a, thin)
                assert _outlines.break_counts(a, thin) == (rows.sum(axis=1).tolist(), cols.sum(axis=0).tolist()), \
                    (a.shape, a.strides, thin)


def test_both_sides_of_the_switch_to_every_second_pixel():
    found = 0
    for h, w in [(400, 300), (300, 400), (401, 300), (300, 401), (400, 400), (401, 401), (402, 97), (512, 512),
                 (513, 257), (799, 801)]:
        for seed in range(3):
            found += len(check(_scene(h, w, seed)))
    assert found >= 10


def test_non_contiguous_views():
    from eval.matching.corpus import drawn_scene

    base = np.asarray(drawn_scene(5, (900, 700)))
    base = base.copy()
    base[200:420, 300:640] = np.asarray(drawn_scene(6, (340, 220)))  # a pasted picture
    views = [
        base[13:451, 7:600], base[::-1], base[:, ::-1], base[::-1, ::-1], base[::2, ::3], base[1::3, ::2],
        base.transpose(1, 0, 2), base[..., ::-1], base[100:700:2, 50:900], np.asfortranarray(base),
        base[::2, ::2], base[150:480, 250:700],
    ]
    packed = np.zeros(base.shape[:2] + (4,), np.uint8)
    packed[..., :3] = base
    views.append(packed[..., :3])  # RGBX rows: pixel stride 4
    wide = np.zeros((base.shape[0], base.shape[1], 3, 2), np.uint8)
    wide[..., 0] = base
    views.append(wide[..., 0])  # channel stride 2
    views.append(np.broadcast_to(base[300:301], (200, 900, 3)))  # row stride 0
    views.append(np.broadcast_to(base[:, 400:401], (700, 300, 3)))  # column stride 0
    found = 0
    for v in views:
        found += len(check(v))
        assert _outlines.edge_boxes(v, 8) == _outlines.edge_boxes(np.ascontiguousarray(v), 8)
    assert found >= 10
    ro = base[10:500, 10:600].copy()
    ro.flags.writeable = False
    check(ro)
    # a memoryview of a bytearray: the buffer is taken and given back (the bytearray can resize again)
    raw = bytearray(np.ascontiguousarray(base[:120, :150]).tobytes())
    view = memoryview(raw).cast("B", (120, 150, 3))
    assert _outlines.edge_boxes(view, 8) == _outlines.edge_boxes(base[:120, :150], 8)
    view.release()
    raw.extend(b"\0")


@st.composite
def small_images(draw):
    side = st.one_of(st.integers(1, 60), st.integers(48, 160), st.integers(48, 160))  # mostly big enough for boxes
    h, w = draw(side), draw(side)
    kind = draw(st.sampled_from(["flat", "noise", "gradient"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if kind == "flat":
        a = np.empty((h, w, 3), np.uint8)
        a[...] = rng.integers(0, 256, 3)
    elif kind == "noise":
        a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    else:
        yy, xx = np.mgrid[0:h, 0:w]
        a = (np.stack([xx, yy, xx + yy], axis=2) * draw(st.integers(0, 3))).astype(np.uint8)
    for _ in range(draw(st.integers(0, 5))):
        y0, x0 = draw(st.integers(0, h)), draw(st.integers(0, w))
        y1, x1 = draw(st.integers(y0, h)), draw(st.integers(x0, w))
        colour = draw(st.tuples(*[st.integers(0, 255)] * 3))
        a[y0:y1, x0:x1] = colour
    step = draw(st.sampled_from([1, 1, 1, 2]))
    return a[::step, ::step] if step > 1 and min(h, w) >= 2 else a


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_images(), st.sampled_from([0, 1, 2, 8, 20]))
def test_hypothesis_small_images(a, max_regions):
    check(a, maxes=(max_regions,))


# ---------------------------------------------------------------- refused inputs


def test_bad_buffers_are_refused_not_crashed():
    good = np.zeros((64, 64, 3), np.uint8)
    bad = [
        np.zeros((64, 64), np.uint8),  # no channels
        np.zeros((64, 64, 3, 1), np.uint8),  # four dimensions
        np.zeros((64, 64, 4), np.uint8),  # four channels
        np.zeros((64, 64, 1), np.uint8),
        np.zeros((64, 64, 3), np.float32),
        np.zeros((64, 64, 3), np.float64),
        np.zeros((64, 64, 3), np.int16),
        np.zeros((64, 64, 3), np.int8),  # one byte, but signed
        np.zeros((64, 64, 3), bool),
        np.zeros(64 * 64 * 3, np.uint8),  # flat
        b"\0" * (64 * 64 * 3),
        bytearray(12),
        [[[0, 0, 0]] * 64] * 64,  # no buffer at all
        None,
        "pixels",
    ]
    for obj in bad:
        for m in (0, 8):
            with pytest.raises((TypeError, ValueError)):
                _outlines.edge_boxes(obj, m)
    for m in (None, "8", 2.5):
        with pytest.raises(TypeError):
            _outlines.edge_boxes(good, m)
    with pytest.raises(TypeError):
        _outlines.edge_boxes(good)
    assert _outlines.edge_boxes(good, -3) == []
    assert _outlines.edge_boxes(a=good, max_regions=8) == []


def _collage(seed: int, gap: int) -> np.ndarray:
    """Tiles of noise and flat colours, touching (gap 0) or apart, JPEG-free."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 4))
    tile_h, tile_w = int(rng.integers(30, 120)), int(rng.integers(30, 120))
    out = np.zeros((n * tile_h + (n + 1) * gap, n * tile_w + (n + 1) * gap, 3), dtype=np.uint8)
    for i in range(n):
        for j in range(n):
            y, x = gap + i * (tile_h + gap), gap + j * (tile_w + gap)
            tile = rng.integers(0, 256, 3) + rng.normal(0, float(rng.choice([0, 4, 40])), (tile_h, tile_w, 3))
            out[y:y + tile_h, x:x + tile_w] = np.clip(tile, 0, 255).astype(np.uint8)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_seam_lines_are_those_of_numpy(seed):
    a = _collage(seed, gap=seed % 3)
    rgbx = np.full(a.shape[:2] + (4,), 255, np.uint8)
    rgbx[..., :3] = a
    views = [a, a[1:-1, 2:], a[::2], a[:, ::-1], np.asfortranarray(a), rgbx[..., :3]]
    for view in views:
        for step in (1, 2, 3):
            for share in (edits.GRID_LINE, edits.GRID_WEAK_LINE):
                rows, cols, row_counts, col_counts = _outlines.seam_lines(view, step, edits.GRID_SAMPLE, share)
                want = edits._seam_lines_numpy(view, step, share)
                where = (seed, view.shape, view.strides, step, share)
                assert (rows, cols) == (want[0], want[1]), where
                assert np.frombuffer(row_counts, np.int64).tolist() == want[2].tolist(), where
                assert np.frombuffer(col_counts, np.int64).tolist() == want[3].tolist(), where


def test_seam_lines_refuse_bad_buffers_and_steps():
    with pytest.raises(ValueError):
        _outlines.seam_lines(np.zeros((4, 4), np.uint8), 1, 4, 0.85)
    with pytest.raises(TypeError):
        _outlines.seam_lines(np.zeros((4, 4, 3), np.float32), 1, 4, 0.85)
    with pytest.raises(ValueError):
        _outlines.seam_lines(np.zeros((4, 4, 3), np.uint8), 0, 4, 0.85)
    assert _outlines.seam_lines(np.zeros((1, 1, 3), np.uint8), 1, 4, 0.85) == ([], [], bytes(8), bytes(8))
    assert _outlines.seam_lines(np.zeros((0, 5, 3), np.uint8), 2, 4, 0.85) == ([], [], b"", bytes(24))
