"""The compiled border trimming and page colours (childsafe.media._trim) give exactly what the numpy
reference in childsafe.media.edits gives: trim_passes, _backgrounds, _not_background, _near_counts, the
colour-blend cuts (_blend_cuts_numpy), floats_on_page and snap_to_frame (_snap_to_frame_numpy), on the
images the edits tests draw, drawn scenes, the reference photos, noise, framed pictures, tiny and
sliced arrays and hypothesis' small images; and bad buffers are refused, never a crash."""

from __future__ import annotations

import contextlib
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from childsafe.media import edits

_trim = pytest.importorskip("childsafe.media._trim")
if not all(hasattr(_trim, name) for name in ("trim_passes", "backgrounds", "not_background", "blend_cuts",
                                             "floats_on_page", "snap_box", "near_counts")):
    pytest.skip("the compiled border trimming is not built", allow_module_level=True)

# (tolerance, noise, max_passes); the first is what edits uses
TRIM_PARAMS = [(24, 0.03, 4), (0, 0.0, 4), (8, 0.03, 2), (40, 0.1, 1), (24, 0.5, 8), (60, 0.0, 3), (-2, 0.03, 2)]
# (max_backgrounds, share, rim); the first is what edits uses. A share of 0 or less takes every
# colour of the rim (even one that the sampled pixels miss), a rim share of 0 every rim colour.
BG_PARAMS = [(3, 0.08, 0.05), (1, 0.02, 0.0), (6, 0.0, 0.05), (2, -1.0, 0.0), (0, 0.08, 0.05)]
TOLERANCES = [0, 7, 8, 24, 40]
# (lines, luma tolerance, share) of the colour-blend cut; the first is what edits uses
BLEND_PARAMS = [(4, 12, 0.65), (0, 12, 0.65), (8, 0, 0.0), (2, 40, 1.0), (6, -3, 0.5), (3, 300, 0.65)]
# (tolerance, floating) of floats_on_page; the first is what edits uses
FLOAT_PARAMS = [(24, 0.5), (0, 0.5), (8, 0.0), (40, 1.0), (-3, 0.5), (300, 0.25), (24, 0.9)]
# (reach, luma tolerance, share, break, break share, gain) of snap_to_frame; the first is what edits uses
SNAP_PARAMS = [(2, 12, 0.9, 16, 0.35, 1.25), (3, 0, 1.0, 1, 0.0, 1.0), (1, 12, 0.9, 16, 0.35, 1.25),
               (5, 40, 0.5, 60, 0.9, 0.5), (2, -3, 0.0, -5, -1.0, 0.0), (4, 300, 0.9, 300, 0.35, 3.0)]


@contextlib.contextmanager
def constants(**values):
    """Module constants of edits that the numpy reference reads as globals."""
    old = {name: getattr(edits, name) for name in values}
    for name, value in values.items():
        setattr(edits, name, value)
    try:
        yield
    finally:
        for name, value in old.items():
            setattr(edits, name, value)


def outcome(fn):
    """The result, or the exception's type (both engines must raise the same where numpy raises)."""
    try:
        return "ok", fn()
    except (IndexError, ValueError, TypeError) as exc:
        return "raised", type(exc)


def check_trim(a, tolerance=24, noise=0.03, max_passes=4, min_content=None):
    min_content = edits.MIN_CONTENT if min_content is None else min_content
    with constants(MIN_CONTENT=min_content):
        want = outcome(lambda: edits._trim_passes_numpy(a, tolerance=tolerance, noise=noise, max_passes=max_passes))
    got = outcome(lambda: _trim.trim_passes(a, tolerance, noise, max_passes, min_content))
    if want[0] == "ok" and want[1] is not None:
        want = ("ok", [tuple(int(v) for v in box) for box in want[1]])
    assert got == want, (a.shape, a.strides, tolerance, noise, max_passes, min_content)
    return want[1]


def check_backgrounds(a, max_backgrounds=3, share=0.08, rim=0.05):
    with constants(MAX_BACKGROUNDS=max_backgrounds, BACKGROUND_SHARE=share, BACKGROUND_RIM=rim):
        want = outcome(lambda: edits._backgrounds_numpy(a))
    got = outcome(lambda: _trim.backgrounds(a, max_backgrounds, share, rim))
    if want[0] == "ok":
        assert all(c.dtype == np.int32 and c.shape == (3,) for c in want[1])
        want = ("ok", [tuple(int(v) for v in c) for c in want[1]])
    assert got == want, (a.shape, a.strides, max_backgrounds, share, rim)
    return want[1] if want[0] == "ok" else []


def check_not_background(a, colours, tolerance):
    want = edits._not_background_numpy(a, [np.array(c) for c in colours], tolerance)
    out = np.empty(a.shape[:2], dtype=bool)
    out.view(np.uint8)[...] = 7  # every byte must be written, and as 0 or 1
    assert _trim.not_background(a, out, [tuple(c) for c in colours], tolerance) is None
    assert np.array_equal(out.view(np.uint8), want.view(np.uint8)), (a.shape, a.strides, colours, tolerance)


def check_near_counts(a, colour, tolerance):
    want = edits._near_counts_numpy(a, np.array(colour), tolerance)
    assert _trim.near_counts(a, tuple(colour), tolerance) == want, (a.shape, a.strides, colour, tolerance)


def check_blend(a, box, lines=4, tolerance=12, share=0.65):
    with constants(BLEND_LINES=lines, BLEND_LUMA_TOLERANCE=tolerance, BLEND_SHARE=share):
        want = edits._blend_cuts_numpy(a, box)
    got = _trim.blend_cuts(a, box, lines, tolerance, share)
    assert got == tuple(int(v) for v in want), (a.shape, a.strides, box, lines, tolerance, share)


def check_floats(a, box, tolerance=24, floating=0.5):
    with constants(FLOATING=floating):
        want = edits._floats_on_page_numpy(a, box, tolerance)
    got = _trim.floats_on_page(a, box, tolerance, floating)
    assert got is bool(want), (a.shape, a.strides, box, tolerance, floating)


def check_snap(a, box, reach=2, tolerance=12, share=0.9, brk=16, brk_share=0.35, gain=1.25):
    with constants(SNAP_LUMA_TOLERANCE=tolerance, SNAP_SHARE=share, SNAP_BREAK=brk, SNAP_BREAK_SHARE=brk_share,
                   SNAP_BREAK_GAIN=gain):
        want = outcome(lambda: edits._snap_to_frame_numpy(a, box, reach))
    got = outcome(lambda: _trim.snap_box(a, box, reach, tolerance, share, brk, brk_share, gain))
    if want[0] == "ok":
        want = ("ok", tuple(int(v) for v in want[1]))
    assert got == want, (a.shape, a.strides, box, reach, tolerance, share, brk, brk_share, gain)


def blend_boxes(a, trimmed, rng: random.Random) -> list[tuple[int, int, int, int]]:
    """Boxes to cut colour blends from: what trimming found, and a few anywhere inside."""
    h, w = a.shape[:2]
    boxes = list(trimmed) if isinstance(trimmed, list) else []
    if h and w:
        for _ in range(3):
            x0, y0 = rng.randrange(w), rng.randrange(h)
            boxes.append((x0, y0, rng.randint(x0 + 1, w), rng.randint(y0 + 1, h)))
        boxes.append((0, 0, w, h))
    return boxes


def some_colours(a, rng: random.Random) -> list[list[tuple[int, int, int]]]:
    sets: list[list[tuple[int, int, int]]] = [[], [(0, 0, 0), (255, 255, 255), (128, 64, 200)]]
    if a.size:
        sets.append([tuple(int(v) for v in a[0, 0])])
        y, x = rng.randrange(a.shape[0]), rng.randrange(a.shape[1])
        sets.append([tuple(int(v) for v in a[y, x]), tuple(rng.randrange(256) for _ in range(3))])
    return sets


def check_all(a, seed=0, full=True):
    """Every function in both engines on one array; `full` tries every parameter set."""
    rng = random.Random(seed)
    for params in TRIM_PARAMS if full else TRIM_PARAMS[:1]:
        trimmed = check_trim(a, *params)
        for box in blend_boxes(a, trimmed, rng):
            for blend in BLEND_PARAMS if full else BLEND_PARAMS[:1]:
                check_blend(a, box, *blend)
            for params in FLOAT_PARAMS if full else FLOAT_PARAMS[:1]:
                check_floats(a, box, *params)
            for params in SNAP_PARAMS if full else SNAP_PARAMS[:2]:
                check_snap(a, box, *params)
    found = check_backgrounds(a)
    if full:
        for params in BG_PARAMS[1:]:
            check_backgrounds(a, *params)
    colour_sets = [found] + some_colours(a, rng) if full else [found, some_colours(a, rng)[-1]]
    big = a.shape[0] * a.shape[1] > 600_000
    for k, colours in enumerate(colour_sets[:2] if big else colour_sets):
        # two tolerances a colour set, a different pair for each (all of them over the sets)
        for tolerance in ([24] if big or not full else [TOLERANCES[k % 5], TOLERANCES[(k + 2) % 5]]):
            check_not_background(a, colours, tolerance)
            for colour in colours[:2]:
                check_near_counts(a, colour, tolerance)


def rgbx(a):
    """The pixels in Pillow's own layout, four bytes each (images.rgb_array's views), the fourth bytes
    all sorts of values: they are no channel and must not count."""
    out = np.empty(a.shape[:2] + (4,), np.uint8)
    out[..., :3] = a
    out[..., 3] = (np.arange(a.shape[0] * a.shape[1]) * 37 % 256).reshape(a.shape[:2])
    return out[..., :3]


def views(a):
    """Non-contiguous views of an array: sampled, sliced, reversed, transposed, channels reversed, and
    four bytes a pixel (every pixel, every second one, read backwards, transposed)."""
    four = rgbx(a)
    out = [a[::2, ::3], a[5:-7, 3:], a[::-1, ::-1], a.transpose(1, 0, 2), a[:, :, ::-1],
           four, four[::2, ::2], four[::-1, ::-1], four.transpose(1, 0, 2), four[3:-2, 1:-5]]
    return [v for v in out if v.shape[0] and v.shape[1]]


def working(img: Image.Image) -> np.ndarray:
    return edits.working_copy(img)[0]


# ---------------------------------------------------------------- the images the edits tests draw


def edits_test_images() -> list[Image.Image]:
    from tests.robust.test_robust_edits import (busy_background, chat_screenshot, drawn_photo, jpeg,
                                                rectangle_grid, specks, textured_background, with_border)

    photo = drawn_photo()
    images = [photo]
    for colour in [(0, 0, 0), (255, 255, 255), (128, 128, 128), (200, 30, 30), (20, 90, 200)]:
        for share in [0.03, 0.10, 0.25]:
            images.append(with_border(photo, share, colour))
    images.append(jpeg(with_border(drawn_photo(3), 0.15, (0, 0, 0)), 30))
    images.append(with_border(with_border(with_border(drawn_photo(4), 0.04, (250, 250, 250)), 0.06, (20, 20, 90)),
                              0.05, (0, 0, 0)))
    canvas = Image.new("RGB", (854, 480), (0, 0, 0))
    canvas.paste(drawn_photo(5, (360, 480)), ((854 - 360) // 2, 0))
    ImageDraw.Draw(canvas).rectangle((10, 440, 40, 470), fill=(255, 255, 255))
    images.append(canvas)
    for size in [(300, 200), (1, 400), (400, 1), (1, 1), (3, 3)]:
        images.append(Image.new("RGB", size, (90, 140, 200)))
    images.append(Image.fromarray(np.random.default_rng(1).integers(0, 255, (500, 1, 3), dtype=np.uint8)))
    rings = Image.new("RGB", (400, 300), (0, 0, 0))
    draw = ImageDraw.Draw(rings)
    for i, colour in enumerate([(255, 255, 255), (200, 0, 0), (0, 0, 200), (0, 150, 0)]):
        draw.rectangle((i * 40, i * 30, 400 - i * 40, 300 - i * 30), fill=colour)
    images.append(rings)
    images += [chat_screenshot(drawn_photo(8), dark=dark) for dark in (False, True)]
    images.append(specks())
    tiles = Image.new("RGB", (1200, 1200), (255, 255, 255))
    for i in range(16):
        tiles.paste(drawn_photo(20 + i, (250, 250)), (20 + (i % 4) * 295, 20 + (i // 4) * 295))
    images.append(tiles)
    composite = busy_background(3)
    composite.paste(drawn_photo(12, (400, 300)), (410, 230))
    images.append(jpeg(composite, 90))
    texture = textured_background(4)
    for where in [(300, 200), (0, 150), (560, 420)]:
        pasted = texture.copy()
        pasted.paste(drawn_photo(13, (400, 300)), where)
        images.append(jpeg(pasted, 85))
    grid = rectangle_grid()
    images.append(grid)
    # Sides one colour end to end (bars) beside the picture's own flat edges: which goes first.
    from tests.robust.test_robust_edits import sky_and_bars, with_border_sides

    for seed, (sky, bar, share) in enumerate([((150, 150, 150), (255, 255, 255), 0.06), ((0, 0, 0), (0, 0, 0), 0.04),
                                              ((20, 90, 200), (30, 100, 190), 0.08), ((200, 30, 30), (0, 0, 0), 0.2)]):
        picture, barred = sky_and_bars(30 + seed, sky, bar, share)
        images += [barred, with_border_sides(picture, (0, 0, 0, 25), bar), jpeg(barred, 60)]
    dark = np.asarray(drawn_photo(34)).copy()
    dark[:, :90] = np.clip(np.random.default_rng(6).normal(12, 5, dark[:, :90].shape), 0, 255).astype(np.uint8)
    for colour in [(57, 200, 176), (12, 12, 12), (255, 255, 255)]:
        images.append(with_border_sides(Image.fromarray(dark), (0, 0, 40, 0), colour))
        images.append(with_border_sides(Image.fromarray(dark), (0, 30, 40, 0), colour))
    images.append(Image.fromarray(np.random.default_rng(5).integers(0, 256, (1200, 1600, 3), dtype=np.uint8)))
    for w, h in [(2, 5000), (5000, 3), (30, 4000)]:
        images.append(Image.fromarray(np.random.default_rng(2).integers(0, 255, (h, w, 3), dtype=np.uint8)))
    return images


def test_the_images_the_edits_tests_draw():
    for i, img in enumerate(edits_test_images()):
        a = working(img)
        check_all(a, seed=i)
        for view in views(a):
            check_all(view, seed=i, full=False)
        if max(img.size) > edits.WORKING_SIDE:  # and the image itself, as trim_frame and regions see it
            check_all(np.asarray(img), seed=i, full=False)


# ---------------------------------------------------------------- drawn scenes and reference photos


def framed(a: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The picture inside 1 to 3 frames, each with its own colour and width per side."""
    for _ in range(int(rng.integers(1, 4))):
        top, bottom, left, right = (int(v) for v in rng.integers(0, 40, 4))
        out = np.empty((a.shape[0] + top + bottom, a.shape[1] + left + right, 3), dtype=np.uint8)
        out[...] = rng.integers(0, 256, 3, dtype=np.uint8)
        out[top : top + a.shape[0], left : left + a.shape[1]] = a
        a = out
    return a


def test_drawn_scenes_plain_and_framed():
    from eval.matching.corpus import drawn_scene

    rng = np.random.default_rng(11)
    for seed in range(8):
        scene = np.asarray(drawn_scene(seed))
        check_all(scene, seed=seed)
        boxed = framed(scene, rng)
        check_all(boxed, seed=seed)
        check_all(working(Image.fromarray(boxed)), seed=seed, full=False)
        for view in views(boxed):
            check_all(view, seed=seed, full=False)


def test_reference_photos(reference_photos):
    from childsafe.media.images import load_image

    files = reference_photos
    for i, path in enumerate(files):
        img = load_image(path)
        a = working(img)
        check_all(a, seed=i)
        for view in views(a)[:2]:
            check_all(view, seed=i, full=False)
        check_all(np.asarray(img), seed=i, full=False)


# ---------------------------------------------------------------- noise, framed pictures, tiny and sliced arrays


def test_random_noise():
    rng = np.random.default_rng(3)
    for h, w in [(64, 64), (256, 256), (100, 700), (700, 100), (480, 640), (9, 9), (8, 300)]:
        a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        check_all(a, seed=h * w)
        low = rng.integers(100, 110, (h, w, 3), dtype=np.uint8)  # noise within the tolerance: all border
        check_all(low, seed=h + w)


def test_flat_arrays_with_bordered_pictures():
    rng = np.random.default_rng(4)
    for i in range(40):
        h, w = (int(v) for v in rng.integers(12, 200, 2))
        if i % 3 == 0:
            picture = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        elif i % 3 == 1:
            picture = np.full((h, w, 3), rng.integers(0, 256, 3), dtype=np.uint8)  # flat all the way in
        else:
            yy, xx = np.mgrid[0:h, 0:w]
            picture = np.stack([xx * 255 // w, yy * 255 // h, (xx + yy) % 256], axis=2).astype(np.uint8)
        a = framed(picture, rng)
        if i % 4 == 0:  # JPEG-ish noise over the frames
            a = np.clip(a.astype(int) + rng.integers(-6, 7, a.shape), 0, 255).astype(np.uint8)
        if i % 5 == 0:  # specks on the border
            ys, xs = rng.integers(0, a.shape[0], 20), rng.integers(0, a.shape[1], 20)
            a[ys, xs] = rng.integers(0, 256, (20, 3))
        check_all(a, seed=i)
        for view in views(a):
            check_all(view, seed=i, full=False)


def test_sides_in_other_colours_than_the_pass_with_odd_first_lines():
    # A full bar sets a pass's colour; the other sides start with bands of that colour or another,
    # behind up to four first lines of other colours or not (a band is looked for after up to
    # BLEND_SKIP of them, in the pass's colour), over a flat or a busy inside. The compiled pass
    # turns a band of another colour down without reading it to its end: the answers must not change.
    rng = np.random.default_rng(12)
    palette = [(0, 0, 0), (255, 255, 255), (128, 128, 128), (20, 200, 40)]
    for i in range(160):
        h, w = (int(v) for v in rng.integers(24, 140, 2))
        if i % 2:
            a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        else:
            a = np.full((h, w, 3), palette[int(rng.integers(4))], dtype=np.uint8)
        for side in rng.permutation(4):
            depth = int(rng.integers(0, 12))
            colour = palette[int(rng.integers(4))]
            odd = int(rng.integers(0, 5))  # the first 1 to 4 lines each in a colour of its own (blends)
            lines = [slice(0, depth), slice(h - depth, h), slice(0, depth), slice(w - depth, w)][side]
            if side < 2:
                a[lines] = colour
            else:
                a[:, lines] = colour
            for k in range(odd):
                line = [k, h - 1 - k, k, w - 1 - k][side]
                if side < 2:
                    a[line] = palette[int(rng.integers(4))]
                else:
                    a[:, line] = palette[int(rng.integers(4))]
        if i % 3 == 0:
            a = np.clip(a.astype(int) + rng.integers(-5, 6, a.shape), 0, 255).astype(np.uint8)
        for tolerance, noise, max_passes in TRIM_PARAMS[:4]:
            check_trim(a, tolerance, noise, max_passes)


def test_sides_alike_flat_in_different_colours():
    # Shapes on a flat page with a bar of another colour on one or two sides (and noise, and the
    # page's own colour for a bar now and then): several sides are one colour end to end and
    # equally flat, and the colour that runs least along the sides beside them sets the pass.
    rng = np.random.default_rng(21)
    for i in range(120):
        h, w = (int(v) for v in rng.integers(30, 160, 2))
        page = tuple(int(v) for v in rng.integers(0, 256, 3))
        img = Image.new("RGB", (w, h), page)
        draw = ImageDraw.Draw(img)
        for _ in range(int(rng.integers(1, 5))):
            x0, y0 = int(rng.integers(-10, w)), int(rng.integers(-10, h))
            draw.rectangle((x0, y0, x0 + int(rng.integers(5, 60)), y0 + int(rng.integers(5, 60))),
                           fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
        a = np.asarray(img).copy()
        for side in rng.permutation(4)[: int(rng.integers(1, 3))]:
            depth = int(rng.integers(1, 25))
            colour = page if i % 7 == 0 else tuple(int(v) for v in rng.integers(0, 256, 3))
            if side < 2:
                a[[slice(0, depth), slice(h - depth, h)][side]] = colour
            else:
                a[:, [slice(0, depth), slice(w - depth, w)][side - 2]] = colour
        if i % 3 == 0:
            a = np.clip(a.astype(int) + rng.integers(-3, 4, a.shape), 0, 255).astype(np.uint8)
        for tolerance, noise, max_passes in TRIM_PARAMS[:4]:
            check_trim(a, tolerance, noise, max_passes)
        for v in views(a)[2:4]:
            check_trim(v)


def test_long_lines_sampled_every_second_pixel():
    # Lines over 320 pixels are judged on every second pixel, after the tenth cut from each end.
    rng = np.random.default_rng(5)
    for h, w in [(40, 356), (40, 357), (40, 400), (401, 402), (60, 2001), (2001, 60)]:
        a = np.full((h, w, 3), 30, dtype=np.uint8)
        a[h // 4 : h - h // 4, w // 5 : w - w // 5] = rng.integers(0, 256, (h - 2 * (h // 4), w - 2 * (w // 5), 3))
        a[::2, ::7] = 200  # every other pixel of some lines differs: decided by the sampling
        check_all(a)


def test_lines_of_320_and_321_pixels_after_the_cut():
    # Stripes on every second pixel of the top rows: uniform when a line is sampled (over 320 pixels
    # after the tenth cut from each end), half off when it is not. With a flat bottom border the
    # edge test passes either way and _uniform_prefix decides; without, _any_uniform_edge does.
    rng = np.random.default_rng(13)
    for w in (398, 399, 400, 401, 402, 403):
        for parity in (0, 1):
            for bottom in (0, 10):
                a = rng.integers(0, 256, (60, w, 3), dtype=np.uint8)
                a[:12] = 40
                a[:12, w // 10 + parity :: 2] = 220
                if bottom:
                    a[-bottom:] = 90
                for image in (a, a.transpose(1, 0, 2), a[::-1]):
                    for params in TRIM_PARAMS[:3]:
                        check_trim(image, *params)


def test_rim_corners_count_twice():
    # The rim is a[0], a[-1], a[:, 0], a[:, -1]: a colour on one corner only counts 2 of its 2w + 2h
    # pixels, which is the rim share of 5% on a 10 x 10 image.
    rng = np.random.default_rng(14)
    for corner in [(0, 0), (0, -1), (-1, 0), (-1, -1)]:
        a = np.zeros((10, 10, 3), dtype=np.uint8)
        keys = rng.permutation(1 << 15)[:100]  # distinct buckets everywhere
        a[...] = np.stack([(keys >> 10) & 31, (keys >> 5) & 31, keys & 31], axis=1).reshape(10, 10, 3) * 8
        a[3:6, 3:6] = (200, 16, 96)
        a[corner] = (200, 16, 96)
        assert check_backgrounds(a) == [(204, 20, 100)]
        a[corner] = (0, 255, 0)
        assert check_backgrounds(a) == []


def test_many_page_colours_in_order_of_pixels_then_bucket():
    # Seven colours each on the rim and over 8% of the image, some with equal counts: the three (or
    # one, or all) most common come back, ties to the lower bucket, and a colour inside only is no page.
    colours = [(16, 16, 16), (240, 8, 8), (8, 240, 8), (8, 8, 240), (200, 200, 0), (0, 200, 200), (120, 60, 30)]
    a = np.zeros((70, 80, 3), dtype=np.uint8)
    for i, colour in enumerate(colours):
        a[i * 10 : (i + 1) * 10, :60] = colour  # bands of 600 pixels (10.7%), 10 of them on the left edge
    a[:, 60:] = (128, 128, 128)  # grey on the whole right edge
    a[30:40, 65:75] = (64, 0, 128)  # inside only
    assert check_backgrounds(a) == [(132, 132, 132), (20, 20, 20), (124, 60, 28)]  # top and bottom rows: on the rim
    assert check_backgrounds(a, 9, 0.05, 0.02) == [(132, 132, 132)] + [
        tuple(v // 8 * 8 + 4 for v in c) for c in sorted(colours, key=lambda c: (c[0] >> 3, c[1] >> 3, c[2] >> 3))]
    for params in [(1, 0.08, 0.05), (7, 0.05, 0.02), (9, 0.0, 0.0), (3, 0.2, 0.05)]:
        check_backgrounds(a, *params)
        # Pillow's four-byte layout: up to eight candidates are counted by key in registers, more by table
        for four in (rgbx(a), rgbx(a)[::2, ::3], rgbx(a)[:, :7], rgbx(a)[:, :5]):
            check_backgrounds(four, *params)


def test_counts_right_at_the_shares():
    # 8 pixels of 100 are exactly the 8% share (0.08 * 100 == 8.0): a page colour; 7 are not.
    rng = np.random.default_rng(15)
    for n in (7, 8, 9):
        a = np.zeros((10, 10, 3), dtype=np.uint8)
        keys = rng.permutation(1 << 15)[:100]
        a[...] = np.stack([(keys >> 10) & 31, (keys >> 5) & 31, keys & 31], axis=1).reshape(10, 10, 3) * 8
        flat = a.reshape(100, 3)
        flat[[0, 9] + list(range(33, 33 + n - 2))] = (64, 128, 192)  # two corners: 4 of the 40 rim pixels
        assert check_backgrounds(a) == ([(68, 132, 196)] if n >= 8 else [])
        for share in (0.07, 0.09, 0.25, 1.0):
            check_backgrounds(a, 3, share, 0.05)


def test_colour_blends_beside_coloured_bars_after_jpeg():
    """Where the cut is not zero: small photos in bars of strong colours, JPEG 50 to 90 (the cases
    the cut is for), at the first trim and a line or two either side of it."""
    from tests.robust.test_robust_edits import drawn_photo, jpeg, with_border_sides

    rng = random.Random(4)
    cut_somewhere = 0
    for seed in range(24):
        colour = rng.choice([(255, 230, 0), (230, 0, 200), (0, 200, 60), (20, 40, 220), (0, 0, 0), (250, 250, 250)])
        sides = tuple(rng.choice([0, 0, rng.randint(3, 30)]) for _ in range(4))
        picture = drawn_photo(40 + seed, (rng.randint(60, 200), rng.randint(60, 200)))
        a = np.asarray(jpeg(with_border_sides(picture, sides, colour), rng.choice([50, 70, 90])))
        first = check_trim(a)
        boxes = first[:1] if isinstance(first, list) else []
        boxes += [(max(0, x0 - d), max(0, y0 - d), min(a.shape[1], x1 + d), min(a.shape[0], y1 + d))
                  for x0, y0, x1, y1 in boxes[:1] for d in (1, 2)]
        for box in boxes:
            for params in BLEND_PARAMS:
                check_blend(a, box, *params)
            for params in FLOAT_PARAMS:
                check_floats(a, box, *params)
            for params in SNAP_PARAMS:
                check_snap(a, box, *params)
            cut_somewhere += any(_trim.blend_cuts(a, box, *BLEND_PARAMS[0]))
    assert cut_somewhere >= 5  # the cases are ones the cut is made for


def test_pictures_in_two_colour_frames_after_jpeg():
    """A frame of one strong colour in a border of another, then JPEG: its halved colour blends up
    to three lines between the two, which may make a band of their own (`BLEND_SKIP`)."""
    from tests.robust.test_robust_edits import drawn_photo, jpeg

    rng = random.Random(9)
    inner_cut = 0
    for seed in range(30):
        picture = drawn_photo(80 + seed, (rng.randint(80, 260), rng.randint(80, 260)))
        frame, border = (tuple(rng.randrange(256) for _ in range(3)) for _ in range(2))
        m = rng.randint(3, 14)
        framed = Image.new("RGB", (picture.width + 2 * m, picture.height + 2 * m), frame)
        framed.paste(picture, (m, m))
        sides = [rng.randint(4, 60) for _ in range(4)]
        out = Image.new("RGB", (framed.width + sides[0] + sides[2], framed.height + sides[1] + sides[3]), border)
        out.paste(framed, (sides[0], sides[1]))
        a = np.asarray(jpeg(out, rng.choice([60, 75, 90])))
        boxes = check_trim(a)
        want = (sides[0] + m, sides[1] + m, sides[0] + m + picture.width, sides[1] + m + picture.height)
        inner_cut += isinstance(boxes, list) and any(max(abs(u - v) for u, v in zip(b, want)) <= 3 for b in boxes)
    assert inner_cut >= 20  # 16 of 30 with two lines of blend at most, 21 with four


@pytest.mark.parametrize("min_content", [0, 1, 2, 3, 8])
def test_tiny_shapes(min_content):
    rng = np.random.default_rng(6)
    shapes = [(h, w) for h in range(1, 11) for w in range(1, 11)]
    shapes += [(1, n) for n in (12, 50, 400, 1000)] + [(n, 1) for n in (12, 50, 400, 1000)]
    shapes += [(0, 5), (5, 0), (0, 0)]
    for h, w in shapes:
        for a in (rng.integers(0, 256, (h, w, 3), dtype=np.uint8), np.full((h, w, 3), 77, dtype=np.uint8),
                  np.where(rng.random((h, w, 1)) < 0.8, 10, 240).astype(np.uint8).repeat(3, axis=2)):
            for params in TRIM_PARAMS[:3]:
                check_trim(a, *params, min_content=min_content)
            if min_content == 8:
                check_backgrounds(a)
                check_backgrounds(a, 2, 0.0, 0.0)
                for colours in some_colours(a, random.Random(h * 16 + w)):
                    check_not_background(a, colours, 8)
                    for colour in colours:
                        for tolerance in (-1, 0, 8, 300):
                            check_near_counts(a, colour, tolerance)


def test_near_counts_of_a_box_s_sides_read_across_memory():
    """A box's left and right sides (`edits._side`: lines side by side in memory, a pixel apart) are
    counted row by row of memory, four lines a load in Pillow's four-byte layout: the same counts as
    numpy for every side, from 1 to 40 lines (the groups of four, sixteen a pass, and what is left),
    in both layouts and read backwards."""
    from eval.matching.corpus import drawn_scene

    rng = np.random.default_rng(11)
    scene = np.asarray(drawn_scene(5))[:72, :96]
    base = np.where(rng.random((72, 96, 1)) < 0.7, scene, 20).astype(np.uint8)
    checked = 0
    for a in (base, rgbx(base), rgbx(base)[::-1, ::-1], base[:, ::-1]):
        for depth in [*range(1, 21), 33, 40]:
            box = (int(rng.integers(0, 10)), int(rng.integers(0, 10)), 0, 0)
            box = (box[0], box[1], min(a.shape[1], box[0] + depth + int(rng.integers(0, 4))),
                   min(a.shape[0], box[1] + depth + int(rng.integers(0, 4))))
            for side in range(4):
                lines = edits._side(a, box, side)[:depth]
                colours = [lines[0, 0], np.array([20, 20, 20]), lines[-1, -1]]
                for colour in colours:
                    for tolerance in (-1, 0, 24, 300):
                        check_near_counts(lines, colour, tolerance)
                        checked += 1
    assert checked == 4 * 22 * 4 * 3 * 4


def test_non_contiguous_views_of_a_bigger_array():
    from eval.matching.corpus import drawn_scene

    a = framed(np.asarray(drawn_scene(3)), np.random.default_rng(8))
    for view in [a[::2, ::3], a[5:-7, 3:], a[::3, ::2][10:-10, 10:-10], a[1::5, 2::4], a[:, ::-1], a[::-2]]:
        check_all(view)
    for view in views(a[::2, ::2]):
        check_all(view, full=False)
    # zero strides (broadcast, read-only): one colour everywhere, one row repeated, one column repeated
    for view in [np.broadcast_to(np.array([10, 20, 30], dtype=np.uint8), (50, 60, 3)),
                 np.broadcast_to(a[100:101], (40, a.shape[1], 3)), np.broadcast_to(a[:, 7:8], (a.shape[0], 30, 3))]:
        check_all(view)


def test_a_bytearray_through_a_memoryview_is_read_and_released():
    rng = np.random.default_rng(9)
    data = bytearray(framed(rng.integers(0, 256, (40, 50, 3), dtype=np.uint8), rng).tobytes())
    h = len(data) // 3 // 50  # reshape whatever framed made into rows of 50
    data = data[: h * 50 * 3]
    view = memoryview(data).cast("B", (h, 50, 3))
    a = np.frombuffer(bytes(data), dtype=np.uint8).reshape(h, 50, 3)
    assert _trim.trim_passes(view, 24, 0.03, 4, 8) == check_trim(a)
    assert _trim.backgrounds(view, 3, 0.08, 0.05) == check_backgrounds(a)
    out = bytearray(h * 50)
    out_view = memoryview(out).cast("?", (h, 50))
    _trim.not_background(view, out_view, [(0, 0, 0)], 8)
    assert np.array_equal(np.frombuffer(bytes(out), dtype=bool).reshape(h, 50),
                          edits._not_background_numpy(a, [np.array((0, 0, 0))], 8))
    out_view.release()  # raises BufferError if the module kept an export
    view.release()
    data.append(0)  # so does resizing the bytearray


# ---------------------------------------------------------------- hypothesis


palette = st.sampled_from([0, 3, 20, 24, 25, 120, 128, 200, 231, 255])


@st.composite
def small_images(draw):
    h = draw(st.integers(1, 24))
    w = draw(st.integers(1, 24))
    kind = draw(st.sampled_from(["palette", "framed", "noise"]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if kind == "noise":
        a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    elif kind == "palette":
        colours = np.array(draw(st.lists(st.tuples(palette, palette, palette), min_size=1, max_size=4)), dtype=np.uint8)
        a = colours[rng.integers(0, len(colours), (h, w))]
    else:
        a = framed(rng.integers(0, 256, (max(1, h // 2), max(1, w // 2), 3), dtype=np.uint8), rng)[:48, :48]
    if draw(st.booleans()) and a.shape[0] > 2 and a.shape[1] > 2:
        a = a[:: draw(st.integers(1, 2)), 1:]
    if draw(st.booleans()):  # four bytes a pixel, as the working copy is
        a = rgbx(a)
    return a


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=small_images(), tolerance=st.integers(-5, 60), noise=st.sampled_from([0.0, 0.03, 0.1, 0.25, 0.5, 1.0]),
       max_passes=st.integers(0, 5), min_content=st.integers(1, 9),
       colours=st.lists(st.tuples(st.integers(-20, 300), st.integers(0, 255), st.integers(0, 255)), max_size=3),
       nb_tolerance=st.integers(-10, 80), bg=st.tuples(st.integers(0, 4), st.sampled_from([-1.0, 0.0, 0.01, 0.08, 0.3]),
                                                         st.sampled_from([0.0, 0.05, 0.5])))
def test_hypothesis_small_images(a, tolerance, noise, max_passes, min_content, colours, nb_tolerance, bg):
    trimmed = check_trim(a, tolerance, noise, max_passes, min_content)
    for box in blend_boxes(a, trimmed, random.Random(tolerance)):
        check_blend(a, box, max_passes, nb_tolerance, noise)
        check_floats(a, box, nb_tolerance, noise)
        check_snap(a, box, max_passes, nb_tolerance, noise, min_content, noise, max_passes / 4)
    check_backgrounds(a, *bg)
    check_not_background(a, colours, nb_tolerance)


def check_noise_depths(a, depths, lines=2, spread=12, step=900):
    with constants(NOISE_LINES=lines, NOISE_SPREAD=spread, NOISE_STEP=step):
        want = edits._noise_depths_numpy(a, depths)
    got = _trim.noise_depths(a, lines, depths, spread, step)
    assert got == tuple(int(v) for v in want), (a.shape, a.strides, depths, lines, spread, step)
    return got


def test_noise_depths_of_pictures_in_borders_of_noise_and_of_other_images(reference_media):
    """`_trim.noise_depths` against `edits._noise_depths_numpy` (the same integer test of a line):
    pictures in borders of noise of every width per side (colour, grey, a narrow range of levels, JPEG's),
    photos, flat and drawn images, noise right through, in Pillow's four-byte layout and sliced views,
    at the thresholds edits uses and others."""
    from tests.robust.test_robust_edits import jpeg

    rng = np.random.default_rng(21)
    photo = np.asarray(Image.open(reference_media / "pdq" / "sample-b.jpg").convert("RGB").reduce(4))
    cases = []
    for i in range(60):
        h, w = (int(v) for v in rng.integers(20, 160, 2))
        picture = rng.integers(0, 256, 3, dtype=np.uint8) + np.zeros((h, w, 3), dtype=np.uint8)
        if i % 3:
            picture = photo[: h, : w]
        top, bottom, left, right = (int(v) for v in rng.integers(0, 30, 4))
        H, W = picture.shape[0] + top + bottom, picture.shape[1] + left + right
        kind = i % 4
        if kind == 0:
            noise = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
        elif kind == 1:
            noise = np.repeat(rng.integers(0, 256, (H, W, 1), dtype=np.uint8), 3, axis=2)
        elif kind == 2:
            noise = rng.integers(100, 120, (H, W, 3), dtype=np.uint8)  # near the spread line
        else:
            noise = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
        a = noise.copy()
        a[top : top + picture.shape[0], left : left + picture.shape[1]] = picture
        if kind == 3:
            a = np.asarray(jpeg(Image.fromarray(a), 50))
        cases.append(a)
    cases += [rng.integers(0, 256, (50, 70, 3), dtype=np.uint8), np.zeros((30, 30, 3), np.uint8),
              np.zeros((1, 1, 3), np.uint8), rng.integers(0, 256, (1, 40, 3), dtype=np.uint8),
              rng.integers(0, 256, (40, 2, 3), dtype=np.uint8)]
    cases.append(np.ascontiguousarray(photo))
    found = 0
    for a in cases:
        h, w = a.shape[:2]
        for depths in [(int(h * 0.45), int(h * 0.45), int(w * 0.45), int(w * 0.45)), (h, h, w, w), (0, 3, 1, 10**9)]:
            for view in (a, rgbx(a), a[::-1, 1:], a.transpose(1, 0, 2)):
                found += any(check_noise_depths(view, depths))
        check_noise_depths(a, (h, h, w, w), lines=1, spread=0, step=0)
        check_noise_depths(a, (h, h, w, w), lines=4, spread=40, step=1100)
    assert found > 100  # the borders are found, not only the empty answers compared


def test_noise_depths_refuses_bad_arguments():
    good = np.zeros((10, 12, 3), dtype=np.uint8)
    for args in [(good, 0, (1, 1, 1, 1), 12, 900), (good, 2, (1, 1, 1, 1), -1, 900), (good, 2, (1, 1, 1, 1), 12, 2**21),
                 (good, 2, (1, 1, 1), 12, 900), (good, 2, None, 12, 900), (np.zeros((10, 12), np.uint8), 2, (1, 1, 1, 1), 12, 900),
                 (good.astype(np.float32), 2, (1, 1, 1, 1), 12, 900), ("image", 2, (1, 1, 1, 1), 12, 900)]:
        with pytest.raises((TypeError, ValueError)):
            _trim.noise_depths(*args)
    assert _trim.noise_depths(good, 2, (-5, 0, 10**12, 3), 12, 900) == (0, 0, 0, 0)


def check_soft_ends(a, axis, depth, step=12, brk=6, share=0.05, mean=2.5, outer=2, contrast=5):
    length = a.shape[1 - axis]
    most, total = int(share * (length - 1)), int(mean * (length - 1))
    with constants(SOFT_STEP=step, SOFT_BREAK=brk, SOFT_LINES=outer, SOFT_CONTRAST=contrast):
        want = edits._soft_ends_numpy(a, axis, depth, most, total)
    got = _trim.soft_ends(a, axis, depth, step, brk, most, outer, total, contrast)
    if want is None:
        assert got is None, (a.shape, a.strides, axis, depth)
        return None
    assert got is not None, (a.shape, a.strides, axis, depth)
    got = tuple(np.frombuffer(b, np.int64) for b in got)
    assert all(np.array_equal(g, w) for g, w in zip(got, want)), (a.shape, a.strides, axis, depth)
    return got


def test_soft_ends_of_pictures_in_blurred_bars_and_of_other_images(reference_media):
    """`_trim.soft_ends` against `edits._soft_ends_numpy`: pictures centred in bars that hold the
    picture blurred (and JPEG'd), bars of one colour, photos, noise and flat arrays, in Pillow's
    four-byte layout and sliced views, at the thresholds edits uses and others."""
    from PIL import ImageFilter

    rng = np.random.default_rng(23)
    photo = Image.open(reference_media / "pdq" / "sample-b.jpg").convert("RGB").reduce(4)
    cases = []
    for i in range(24):
        w, h = (int(v) for v in rng.integers(60, 200, 2))
        picture = photo.resize((w, h))
        bar = int(rng.integers(3, 60))
        size = (w, h + 2 * bar + int(rng.integers(0, 2)))
        frame = picture.resize(size).filter(ImageFilter.GaussianBlur(float(rng.uniform(4, 20))))
        frame.paste(picture, (0, bar))
        if i % 3 == 0:
            frame = frame.transpose(Image.Transpose.TRANSPOSE)
        a = np.asarray(frame)
        if i % 4 == 1:
            from tests.robust.test_robust_edits import jpeg

            a = np.asarray(jpeg(frame, 70))
        cases.append(a)
    cases += [np.asarray(photo), rng.integers(0, 256, (80, 90, 3), dtype=np.uint8), np.zeros((60, 70, 3), np.uint8),
              np.zeros((1, 1, 3), np.uint8), np.zeros((5, 1, 3), np.uint8)]
    found = 0
    for a in cases:
        for axis in (0, 1):
            n = a.shape[axis]
            for depth in (int(n * 0.4) + 1, n, 0, 3, 10**9):
                for view in (a, rgbx(a), a[::-1, 1:]):
                    found += check_soft_ends(view, axis, depth) is not None
            check_soft_ends(a, axis, n, step=0, brk=0, share=1.0, mean=300, outer=1, contrast=0)
            check_soft_ends(a, axis, n // 2, step=30, brk=20, share=0.2, mean=10, outer=3, contrast=2)
    assert found > 60  # soft ends are read, not only the refusals compared


def test_soft_ends_refuses_bad_arguments():
    good = np.zeros((10, 12, 3), dtype=np.uint8)
    for args in [(good, 2, 5, 12, 6, 1, 2, 100, 5), (good, 0, -1, 12, 6, 1, 2, 100, 5), (good, 0, 5, 12, 6, 1, 0, 100, 5),
                 (good, 0, 5, 12, 6, 1, 2, 100, -1), (good, 0, 5, 12, 6, 1, 2, 100), (good.astype(np.int16), 0, 5, 12, 6, 1, 2, 100, 5),
                 (np.zeros((10, 12), np.uint8), 0, 5, 12, 6, 1, 2, 100, 5), (None, 0, 5, 12, 6, 1, 2, 100, 5)]:
        with pytest.raises((TypeError, ValueError)):
            _trim.soft_ends(*args)


# ---------------------------------------------------------------- bad input is refused


def test_bad_buffers_are_refused_not_crashed():
    good = np.zeros((10, 12, 3), dtype=np.uint8)
    out = np.zeros((10, 12), dtype=bool)
    bad_images = [
        np.zeros((10, 12), dtype=np.uint8),  # no channels
        np.zeros((10, 12, 3, 1), dtype=np.uint8),  # four dimensions
        np.zeros((10, 12, 4), dtype=np.uint8),  # four channels
        np.zeros((10, 12, 1), dtype=np.uint8),
        np.zeros((10, 12, 3), dtype=np.float32),
        np.zeros((10, 12, 3), dtype=np.int16),
        np.zeros((10, 12, 3), dtype=np.int8),
        np.zeros((10, 12, 3), dtype=bool),
        np.zeros(30, dtype=np.uint8),
        b"abc",
        None,
        [[[0, 0, 0]]],
        "image",
    ]
    for bad in bad_images:
        with pytest.raises((TypeError, ValueError)):
            _trim.trim_passes(bad, 24, 0.03, 4, 8)
        with pytest.raises((TypeError, ValueError)):
            _trim.backgrounds(bad, 3, 0.08, 0.05)
        with pytest.raises((TypeError, ValueError)):
            _trim.not_background(bad, out, [], 8)
    read_only = np.zeros((10, 12), dtype=bool)
    read_only.flags.writeable = False
    bad_outs = [
        np.zeros((12, 10), dtype=bool),  # transposed shape
        np.zeros((10, 12, 1), dtype=bool),
        np.zeros((10,), dtype=bool),
        np.zeros((10, 12), dtype=np.uint8),
        np.zeros((10, 12), dtype=np.float64),
        np.zeros((10, 24), dtype=bool)[:, ::2],  # not contiguous
        read_only,
        bytes(120),
        None,
        [[False] * 12] * 10,
    ]
    for bad in bad_outs:
        with pytest.raises((TypeError, ValueError)):
            _trim.not_background(good, bad, [], 8)
    for colours in ([(1, 2)], [(1, 2, 3, 4)], [1], 5, [("a", 0, 0)], [(1.5, 0, 0)], [(2**70, 0, 0)]):
        with pytest.raises((TypeError, ValueError, OverflowError)):
            _trim.not_background(good, out, colours, 8)
    with pytest.raises(TypeError):
        _trim.not_background(good, out, [], 8.0)
    with pytest.raises(TypeError):
        _trim.trim_passes(good, 24, 0.03, 4)
    with pytest.raises(TypeError):
        _trim.trim_passes(good, "24", 0.03, 4, 8)
    with pytest.raises(TypeError):
        _trim.backgrounds(good, 3, 0.08)
    for bad in bad_images:
        with pytest.raises((TypeError, ValueError)):
            _trim.blend_cuts(bad, (0, 0, 5, 5), 4, 12, 0.65)
    for box in [(0, 0, 0, 5), (3, 0, 2, 5), (-1, 0, 5, 5), (0, 0, 13, 10), (0, 0, 12, 11), (0, 0, 5), "box", None]:
        with pytest.raises((TypeError, ValueError)):
            _trim.blend_cuts(good, box, 4, 12, 0.65)
    with pytest.raises(ValueError):
        _trim.blend_cuts(good, (0, 0, 5, 5), -1, 12, 0.65)
    for bad in bad_images:
        with pytest.raises((TypeError, ValueError)):
            _trim.floats_on_page(bad, (0, 0, 5, 5), 24, 0.5)
    for box in [(3, 0, 2, 5), (-1, 0, 5, 5), (0, 0, 13, 10), (0, 0, 12, 11), (0, 0, 5), "box", None]:
        with pytest.raises((TypeError, ValueError)):
            _trim.floats_on_page(good, box, 24, 0.5)
    for bad in bad_images:
        with pytest.raises((TypeError, ValueError)):
            _trim.snap_box(bad, (0, 0, 5, 5), 2, 12, 0.9, 16, 0.35, 1.25)
    for box in [(0, 0, 0, 5), (3, 0, 2, 5), (-1, 0, 5, 5), (0, 0, 13, 10), (0, 0, 12, 11), (0, 0, 5), "box", None]:
        with pytest.raises((TypeError, ValueError)):
            _trim.snap_box(good, box, 2, 12, 0.9, 16, 0.35, 1.25)
    for bad in bad_images:
        with pytest.raises((TypeError, ValueError)):
            _trim.near_counts(bad, (0, 0, 0), 24)
    for colour in ((1, 2), (1, 2, 3, 4), 1, ("a", 0, 0), (1.5, 0, 0), (2**70, 0, 0), None):
        with pytest.raises((TypeError, ValueError, OverflowError)):
            _trim.near_counts(good, colour, 24)
    with pytest.raises(TypeError):
        _trim.near_counts(good, (0, 0, 0), 24.0)
    assert _trim.near_counts(good, (0, 0, 0), 0) == [12] * 10
    assert _trim.snap_box(good, (2, 2, 10, 8), 10**9, 12, 0.9, 16, 0.35, 1.25) == (2, 2, 10, 8)  # flat all through
    assert _trim.floats_on_page(good, (1, 1, 11, 9), 24, 0.5) is True  # flat: the page runs on inside
    assert _trim.floats_on_page(good, (0, 0, 12, 10), 24, 0.5) is False  # nothing was cut
    assert _trim.blend_cuts(good, (1, 1, 11, 9), 4, 12, 0.65) == (0, 0, 0, 0)  # flat: as near the picture as the bar
    # and the same arrays still work (nothing was left locked or half-written)
    assert _trim.trim_passes(good, 24, 0.03, 4, 8) is None
    _trim.not_background(good, out, [(0, 0, 0)], 8)
    assert not out.any()


def test_huge_tolerances_and_colours_mean_all_or_nothing_as_in_numpy():
    rng = np.random.default_rng(12)
    a = framed(rng.integers(0, 256, (30, 40, 3), dtype=np.uint8), rng)
    for tolerance in (-10**6, -300, -256, -255, 255, 256, 10**6, 2**40):
        check_trim(a, tolerance, 0.03, 4)
        check_not_background(a, [(0, 0, 0), (255, 255, 255)], tolerance)
    for colours in ([(-1000, 5, 5)], [(10**6, 0, 0)], [(-8, -9, -1)], [(256, 263, 264)]):
        for tolerance in (0, 8, 30, 10**7):
            check_not_background(a, colours, tolerance)
