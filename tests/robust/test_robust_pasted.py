"""A picture pasted over texture: the outline finder's one-sided breaks (edits.SMOOTH_SIDE), its
contrast breaks (edits._contrast_maps: steps that stand out on average along a side), and the
evaluation's pasted sweep (eval.matching.pasted) that measures them."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image

from childsafe.media import edits
from childsafe.media.images import pdq_hash_image
from childsafe.media.queries import image_query_hashes
from eval.matching import pasted
from eval.matching.corpus import banked_images


def _over_texture() -> tuple[np.ndarray, tuple[int, int, int, int], np.ndarray]:
    """A smooth picture (gentle colour gradients) pasted over a fine texture: a checkerboard of 1 px
    cells, 40 and 200 in every channel, which steps by 160 between every two pixels. The picture's
    edge steps by less than that (80 give or take its gradient), so the texture's steps beside it
    hold the two-sided rule back; on the picture's side the next steps are a few levels."""
    h, w = 300, 360  # under 400 px: the outline finder works on every pixel
    y, x = np.mgrid[0:h, 0:w]
    back = np.where((x + y) % 2 == 0, 40, 200).astype(np.uint8)
    a = np.repeat(back[:, :, None], 3, axis=2)
    ph, pw = 150, 200
    py, px = np.mgrid[0:ph, 0:pw]
    picture = np.stack([100 + 40 * px / pw, 140 - 40 * py / ph, 110 + 20 * (px + py) / (pw + ph)], axis=2).astype(np.uint8)
    picture[30:70, 40:110] = (220, 190, 40)  # flat shapes away from its edge, so its hash has quality
    picture[80:130, 120:180] = (30, 50, 150)
    picture[20:60, 140:170] = (200, 60, 60)
    x0, y0 = 90, 70
    a[y0 : y0 + ph, x0 : x0 + pw] = picture
    return a, (x0, y0, x0 + pw, y0 + ph), picture


def _side_breaks(a: np.ndarray, box: tuple[int, int, int, int]) -> list[float]:
    across_rows, across_cols = edits._edge_maps(a)
    x0, y0, x1, y1 = box
    return [across_rows[y0 - 1, x0 + 2 : x1 - 2].mean(), across_rows[y1 - 1, x0 + 2 : x1 - 2].mean(),
            across_cols[y0 + 2 : y1 - 2, x0 - 1].mean(), across_cols[y0 + 2 : y1 - 2, x1 - 1].mean()]


def test_a_smooth_picture_over_texture_breaks_on_its_smooth_side():
    a, box, _ = _over_texture()
    assert min(_side_breaks(a, box)) > 0.95
    across_rows, across_cols = edits._edge_maps(a)
    assert not across_rows[: box[1] - 2].any() and not across_cols[:, : box[0] - 2].any()  # the texture: none
    assert edits.edge_boxes(a, max_regions=2)[0] == box
    assert edits._edge_boxes_numpy(a, max_regions=2)[0] == box


def test_without_the_one_sided_rule_the_texture_hides_it(monkeypatch):
    a, box, _ = _over_texture()
    monkeypatch.setattr(edits, "SMOOTH_SIDE_STEP", 256)  # no step is that large: the two-sided rule alone
    assert max(_side_breaks(a, box)) < 0.05
    assert box not in edits._edge_boxes_numpy(a, max_regions=2)


def test_the_pasted_picture_is_found_by_its_query_hashes():
    """End to end (here the labelled regions find it as well: the checkerboard is as even as a page)."""
    a, box, picture = _over_texture()
    own = int(pdq_hash_image(Image.fromarray(picture)).pdq, 16)
    queries = image_query_hashes(Image.fromarray(a))
    nearest = min(queries, key=lambda q: (int(q.pdq, 16) ^ own).bit_count())
    assert (int(nearest.pdq, 16) ^ own).bit_count() <= 31
    assert nearest.region is not None and max(abs(p - q) for p, q in zip(nearest.region, box)) <= 1
    assert (int(pdq_hash_image(Image.fromarray(a)).pdq, 16) ^ own).bit_count() > 31  # the naive hash misses


def test_the_pasted_sweep_counts_what_it_says():
    pictures = banked_images(drawn=2)[-4:]
    counts = pasted.evaluate(pictures, 16, seed=1)
    assert set(counts) <= set(pasted.KINDS)
    n, naive, found = (sum(row[i] for row in counts.values()) for i in range(3))
    assert n == 16
    assert naive <= found
    assert found >= 12  # 92% of 600 in make eval-matching; a floor, not the figure
    assert pasted.evaluate(pictures, 16, seed=1) == counts  # seeded: the same copies every run


@pytest.mark.parametrize("seed, needs_margin", [(321, True), (184, False)])
def test_outlines_are_looked_for_past_the_trim(seed, needs_margin, monkeypatch):
    """Two cases of the pasted sweep's generator. Seed 321: a drawn scene's smooth bottom rows are
    trimmed as a bar, up to the pasted picture's lower side; the outline search looks a few lines past
    the trim (`edits.OUTLINE_MARGIN`), where that side is a line of its own and not the array's border
    (which runs on past every corner and scores a box down): found, and not without the margin. Seed
    184: the trim cut 3 rows, fewer than the contrast maps' step (`CONTRAST_ALONG`): no margin there,
    so the rows they sample are those of the trimmed box (3 rows more moved them off the picture's
    outline: not found)."""
    pictures = banked_images()
    rng = random.Random(seed)
    i = rng.randrange(len(pictures))
    original = pictures[i].image.convert("RGB")
    own = int(pdq_hash_image(original).pdq, 16)
    copy = pasted.pasted(original, rng)[1].convert("RGB")
    a, _ = edits.working_copy(copy)
    x0, y0, x1, y1 = edits.trim_passes(a)[0]
    assert (x0, y0, x1, y1) != (0, 0, a.shape[1], a.shape[0])  # the trim cut something

    def nearest() -> int:
        return min((int(q.pdq, 16) ^ own).bit_count() for q in image_query_hashes(copy))

    assert nearest() <= 31
    monkeypatch.setattr(edits, "OUTLINE_MARGIN", 0)
    assert (nearest() > 31) == needs_margin


# ---------------------------------------------------------------- contrast breaks


def _tinted_over_noise() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A picture as grainy as the noise it is pasted over, tinted (red +45, blue -45): across its
    sides a pixel steps about as much as anywhere in the noise, so pixel by pixel no side stands out
    (`_edge_maps` finds little there); averaged along a side, the tint does."""
    rng = np.random.default_rng(3)
    h, w = 320, 380
    a = np.clip(128 + rng.normal(0, 16, (h, w, 3)), 0, 255)
    y0, x0, ph, pw = 80, 100, 150, 180
    a[y0 : y0 + ph, x0 : x0 + pw] += np.array([45, 0, -45])
    return np.clip(a, 0, 255).astype(np.uint8), (x0, y0, x0 + pw, y0 + ph)


def test_contrast_breaks_outline_a_picture_that_sharp_breaks_miss():
    a, box = _tinted_over_noise()
    rows, cols = edits._contrast_maps(a)
    x0, y0, x1, y1 = box
    assert min(rows[y0 - 1, x0 + 8 : x1 - 8].mean(), rows[y1 - 1, x0 + 8 : x1 - 8].mean(),
               cols[y0 + 8 : y1 - 8, x0 - 1].mean(), cols[y0 + 8 : y1 - 8, x1 - 1].mean()) > 0.75
    assert rows[: y0 - 3].mean() < 0.01 and cols[:, : x0 - 3].mean() < 0.01  # the noise: next to none
    assert box not in edits.edge_boxes(a, max_regions=8)
    assert edits.edge_boxes(a, max_regions=2, contrast=True)[0] == box
    assert edits._edge_boxes_numpy(a, max_regions=2, contrast=True)[0] == box


def test_contrast_boxes_need_their_score():
    """A box of contrast breaks scoring under `CONTRAST_MIN_SCORE` is left out, by both engines: on
    scikit-image's text page one does (lines of text outline a box whose sides barely hold), as
    unrelated photos' windows and stairs do; flat, noise and tiny arrays give none at all."""
    from eval.matching.corpus import _skimage

    page = _skimage(("page",))
    if not page:
        pytest.skip("scikit-image's page is not available")
    a, _ = edits.working_copy(page[0].image.convert("RGB"))
    unscored = edits._find_edge_boxes(a, 2, maps=edits._contrast_maps(a), min_score=None)
    assert any(x1 - x0 >= edits.MIN_REGION_SIDE and y1 - y0 >= edits.MIN_REGION_SIDE for x0, y0, x1, y1 in unscored)
    assert edits._edge_boxes_numpy(a, max_regions=2, contrast=True) == []
    assert edits.edge_boxes(a, max_regions=2, contrast=True) == []
    flat = np.full((200, 300, 3), 90, np.uint8)
    noise = np.random.default_rng(1).integers(0, 256, (200, 300, 3), dtype=np.uint8)
    for arr in (flat, noise, a[:40, :40]):
        assert edits.edge_boxes(arr, max_regions=4, contrast=True) == []
        assert edits._edge_boxes_numpy(arr, max_regions=4, contrast=True) == []


@pytest.mark.parametrize("name, seed, share, background", [
    ("astronaut", 39, 0.2, "drawn"), ("camera", 54, 0.2, "photo"), ("chelsea", 54, 0.2, "photo"),
])
def test_pictures_the_contrast_outlines_find(name, seed, share, background, monkeypatch):
    """The evaluation's picture in picture with a package photo (eval.matching.transforms): found
    through a contrast outline, and not without one."""
    from eval.matching.corpus import _skimage
    from eval.matching.transforms import picture_in_picture

    sample = _skimage((name,))
    if not sample:
        pytest.skip(f"scikit-image's {name} is not available")
    original = sample[0].image.convert("RGB")
    own = int(pdq_hash_image(original).pdq, 16)
    copy = picture_in_picture(original, random.Random(seed), share, background)

    def nearest() -> int:
        return min((int(q.pdq, 16) ^ own).bit_count() for q in image_query_hashes(copy))

    assert nearest() <= 31
    monkeypatch.setattr(edits, "CONTRAST_OUTLINES", False)
    assert nearest() > 31


# ---------------------------------------------------------------- a thin outline of the picture's own


@pytest.mark.parametrize("seed, where", [(2, (301, 455)), (3, (640, 99)), (1, (301, 455))])
def test_a_thin_outline_is_cut_from_the_box_put_on_the_images_own_pixels(seed, where):
    """A photo in a 3 px outline of its own over a busy drawing, on a canvas reduced by 2 for the
    search: the outline is found a line outside it on a side, and the box is put on the image's own
    pixels (`snap_to_frame`) at the outline's outer edge. The frame must then be cut from that box,
    not from the box as found (whose first line is background, so no side of one tone was there to
    cut): 24 to 54 bits off with the outline kept on a side, 0 now."""
    from PIL import ImageOps
    from skimage import data

    from eval.matching.corpus import drawn_scene

    picture = Image.fromarray(data.coffee()).resize((215, 143), Image.Resampling.LANCZOS)
    canvas = drawn_scene(40 + seed, (1237, 1259))
    canvas.paste(ImageOps.expand(picture, border=3, fill=(186, 209, 121)), where)
    own = int(pdq_hash_image(picture).pdq, 16)
    best = min(image_query_hashes(canvas), key=lambda q: (int(q.pdq, 16) ^ own).bit_count())
    x, y = where
    assert (int(best.pdq, 16) ^ own).bit_count() <= 8
    assert best.region is not None and max(abs(p - q) for p, q in zip(best.region, (x + 3, y + 3, x + 218, y + 146))) <= 1


# ---------------------------------------------------------------- a caption in a chat bubble


def _captioned_bubble(picture: np.ndarray, *, name: bool, time: bool, frame=(255, 255, 255)) -> tuple[np.ndarray, tuple]:
    """A bubble of one colour round a picture, with a sender's name drawn over it and the time under
    it (the words a chat app writes inside the bubble), as an array; and the picture's box in it."""
    from PIL import ImageDraw

    ph, pw = picture.shape[:2]
    margin, line = 8, 24
    top = margin + (line if name else 0)
    bubble = Image.new("RGB", (pw + 2 * margin, top + ph + margin + (line if time else 0)), frame)
    bubble.paste(Image.fromarray(picture), (margin, top))
    draw = ImageDraw.Draw(bubble)
    if name:
        draw.text((margin + 2, margin + 4), "Fen", fill=(200, 60, 90))
    if time:
        draw.text((margin + pw - 36, top + ph + 8), "12:01", fill=(120, 120, 120))
    return np.asarray(bubble), (margin, top, margin + pw, top + ph)


@pytest.mark.parametrize("name, time", [(False, True), (True, False), (True, True)])
def test_a_caption_in_the_frame_is_cut(name, time):
    """The bubble trimmed stops at the words (not one colour); `caption_cut` takes the band of the
    frame's colour with marks on it, down to the picture's edge."""
    from eval.matching.corpus import drawn_scene

    picture = np.asarray(drawn_scene(7, (150, 110)))
    bubble, box = _captioned_bubble(picture, name=name, time=time)
    whole = (0, 0, bubble.shape[1], bubble.shape[0])
    trimmed = edits.trim_passes(bubble, max_passes=2)[-1]
    assert trimmed != box  # the words stop the trim
    colour = edits.frame_colour(bubble, whole)
    assert colour is not None and colour.tolist() == [255, 255, 255]
    assert edits.caption_cut(bubble, trimmed, [colour] * 4) == box


def test_no_caption_is_cut_without_a_frame():
    """A band of one colour with marks on it at a picture's edge, but no frame round it (the same
    bubble without its frame on three sides: a picture with words under it on a busy page): no
    frame colour; and a frame without marks: nothing is cut."""
    from eval.matching.corpus import drawn_scene

    picture = np.asarray(drawn_scene(7, (150, 110)))
    bubble, box = _captioned_bubble(picture, name=False, time=True)
    unframed = bubble.copy()
    rng = np.random.default_rng(3)
    for rows, cols in ((slice(0, box[1]), slice(None)), (slice(None), slice(0, box[0])), (slice(None), slice(box[2], None))):
        unframed[rows, cols] = rng.integers(0, 256, unframed[rows, cols].shape, dtype=np.uint8)
    whole = (0, 0, unframed.shape[1], unframed.shape[0])
    assert edits.frame_colour(unframed, whole) is None
    plain, box = _captioned_bubble(picture, name=False, time=False)
    colour = edits.frame_colour(plain, (0, 0, plain.shape[1], plain.shape[0]))
    assert colour is not None and edits.caption_cut(plain, box, [colour] * 4) == box


@pytest.mark.parametrize("index", [0, 5, 9, 12])
def test_a_photo_in_a_captioned_chat_bubble_is_found(index, monkeypatch):
    """The evaluation's chat screenshot with the sender's name and the time in the photo's bubble
    (white bubbles on a tinted page, the photo at a quarter of the screen's width): found, and not
    without the caption cut (the trimmed bubble keeps the time's band: 90 to 110 bits off). (Where
    the words are a few lines high on the reduced copy, a pass can also cut past them as lines of
    blend, `edits.BLEND_SKIP`: the coffee photo, index 3, is found either way since then.)"""
    from eval.matching.transforms import screenshot

    sample = banked_images()[index]
    own = int(pdq_hash_image(sample.image).pdq, 16)
    shot = screenshot(sample.image, random.Random(index), 0.25, caption=True)

    def nearest() -> int:
        return min((int(q.pdq, 16) ^ own).bit_count() for q in image_query_hashes(shot))

    assert nearest() <= 31
    monkeypatch.setattr(edits, "caption_cut", lambda a, box, colours: box)
    assert nearest() > 31


@pytest.mark.parametrize("seed", [0, 3, 5])
def test_a_picture_with_an_edge_of_its_bubbles_colour_is_found(seed, monkeypatch):
    """A picture whose right edge is white, in a white bubble of an even margin on a tinted page: the
    trim cuts into the picture's own white edge, and the bubble's margin taken alike on both sides
    (`EVEN_FRAME_GUESS`) finds it: 10 to 14 bits, 60 to 74 without."""
    from PIL import ImageDraw

    from eval.matching.corpus import drawn_scene

    picture = drawn_scene(20 + seed, (240, 180))
    ImageDraw.Draw(picture).rectangle((226, 0, 239, 179), fill=(255, 255, 255))
    own = int(pdq_hash_image(picture).pdq, 16)
    page = Image.new("RGB", (720, 1280), (236, 229, 221))
    draw = ImageDraw.Draw(page)
    for y in (150, 560, 700):
        draw.rounded_rectangle((20, y, 420, y + 70), radius=16, fill=(255, 255, 255))
        draw.text((36, y + 25), "see you at the park", fill=(30, 30, 30))
    draw.rounded_rectangle((440, 300, 696, 496), radius=12, fill=(255, 255, 255))
    page.paste(picture, (448, 308))

    def nearest() -> int:
        return min((int(q.pdq, 16) ^ own).bit_count() for q in image_query_hashes(page))

    assert nearest() <= 16
    monkeypatch.setattr(edits, "EVEN_FRAME_GUESS", False)
    assert nearest() > 31


def test_only_a_bubbles_margins_take_the_even_guess():
    """Thin and alike on three sides (the fourth trimmed into a picture's edge, or not): a bubble's.
    A flat shape round another in a drawing (margins of any width) is not."""
    assert edits._even_frame((6, 6, 187, 140), (146, 199))  # 6, 6, 12, 6
    assert edits._even_frame((6, 6, 193, 140), (146, 199))  # alike all round
    assert not edits._even_frame((6, 20, 180, 140), (146, 199))  # two sides deeper: 6, 20, 19, 6
    assert not edits._even_frame((30, 30, 169, 116), (146, 199))  # thick: a shape round a shape


def test_frames_and_captions_of_tiny_and_empty_arrays():
    """No frame colour of an empty array, nothing cut from a box too small to hold a caption."""
    grey = np.array([200, 200, 200], np.uint8)
    for shape in [(0, 5, 3), (5, 0, 3), (1, 1, 3), (1, 7, 3), (7, 1, 3), (2, 2, 3), (3, 40, 3)]:
        a = np.full(shape, 200, np.uint8)
        box = (0, 0, shape[1], shape[0])
        assert edits.frame_colour(a, box) is None or edits.frame_colour(a, box).tolist() == [200, 200, 200]
        assert edits.caption_cut(a, box, [grey] * 4) == box


@pytest.mark.parametrize("index, above, below", [(0, 0.0, 0.15), (3, 0.0, 0.15), (9, 0.0, 0.15), (5, 0.1, 0.1),
                                                  (5, 0.18, 0.0)])
def test_a_picture_with_a_caption_bar_is_found(index, above, below, monkeypatch):
    """A meme's words in a white bar under the picture (and over it): the trim stops at the words,
    the bar's colour is the image's bottom line's, and the band of it with words is cut: found, and
    not without the caption cut (68 bits off and more) once outlines are off too (the bar's edge
    can outline a picture whose own top edge the trim did not cut: a drawn scene, 16 bits). (Words
    a few lines high on the reduced copy a pass can also cut past as lines of blend,
    `edits.BLEND_SKIP`: the deep-field photo's, above and below, are since then, 14 bits.)"""
    from eval.matching.transforms import meme

    sample = banked_images()[index]
    own = int(pdq_hash_image(sample.image).pdq, 16)
    copy = meme(sample.image, random.Random(index), above, below)

    def nearest() -> int:
        return min((int(q.pdq, 16) ^ own).bit_count() for q in image_query_hashes(copy))

    assert nearest() <= 31
    monkeypatch.setattr(edits, "caption_cut", lambda a, box, colours: box)
    monkeypatch.setattr(edits, "edge_boxes", lambda a, max_regions, contrast=False: [])
    assert nearest() > 31


@pytest.mark.parametrize("index, above, below, bar", [(1, 0.1, 0.0, (0, 0, 0)), (5, 0.12, 0.0, (255, 255, 255)),
                                                       (5, 0.1, 0.0, (0, 0, 0))])
def test_a_picture_under_big_words_is_found(index, above, below, bar):
    """A meme's one line of capitals three quarters of its bar high: a row of flat tops leaves a
    quarter to a half of a line in the bar's colour, and the words run 30 lines and more with no
    plain line between. The band still ends at the picture (80 to 110 bits off when it did not)."""
    from eval.matching.transforms import meme

    sample = banked_images()[index]
    own = int(pdq_hash_image(sample.image).pdq, 16)
    copy = meme(sample.image, random.Random(index), above, below, big=True, bar=bar)
    assert min((int(q.pdq, 16) ^ own).bit_count() for q in image_query_hashes(copy)) <= 31


def test_a_round_pictures_edge_is_not_read_as_words(monkeypatch):
    """A round picture on black (the bar trimmed from it; the disc's edge a band of marks that
    narrows line by line): the scan stops after `CAPTION_RUN` lines or so, and nothing is cut (a band
    of big words as long is read to its end: `test_a_picture_under_big_words_is_found`)."""
    size = 400
    yy, xx = np.mgrid[:size, :size]
    disc = np.zeros((size, size, 3), np.uint8)
    inside = (yy - size / 2) ** 2 + (xx - size / 2) ** 2 <= (size / 2 - 2) ** 2
    disc[inside] = np.stack([(xx * 255 // size), (yy * 255 // size), np.full_like(xx, 120)], axis=-1)[inside]
    read = []
    counts = edits._near_counts
    monkeypatch.setattr(edits, "_near_counts", lambda a, c, t: read.append(a.shape[0]) or counts(a, c, t))
    black = np.zeros(3, np.uint8)
    top = int(np.argmax(inside.sum(axis=1) > 0.03 * size))  # as trimmed: the first line not plain black
    box = (0, top, size, size)
    assert edits.caption_cut(disc, box, [black, None, None, None]) == box
    assert sum(read) <= 3 + 8 + 16  # the first line, the middle row and column, two chunks


@pytest.mark.parametrize("share, end", [
    ([0.6, 0.5, 0.6, 1.0, 0.1], 4),  # words, a plain line, the picture
    ([0.6, 0.5, 0.6, 1.0, 0.9, 0.1], 5),  # ... and a blend line before it
    ([0.6, 0.5, 0.6, 1.0, 0.3, 0.0], 4),  # ... a line as little of the colour is the picture's
    ([0.6, 0.4, 1.0, 0.45, 0.6, 1.0, 1.0, 0.1], 7),  # two lines of big words: the deepest
    ([0.6, 0.6, 0.6, 1.0, 1.0, 0.4, 0.35, 0.3, 0.2], 5),  # a dark scene under a black bar runs the band on
    ([0.7, 0.6, 0.5, 0.6, 0.7, 0.6, 0.5, 0.0], 7),  # words right against the picture
    ([0.71, 0.65, 0.32, 0.02], 0),  # a photo's own mixed edge, three lines: not words
    ([0.6, 0.5, 0.6, 0.6, 0.5, 0.6, 0.5, 0.2], 0),  # no plain line and no clean drop
    ([1.0, 1.0, 1.0, 1.0, 0.1], 0),  # no marks: trimming's band, not a caption
    ([0.6, 0.5, 0.6, 1.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.2], 5),  # a picture's own edge mostly the bar's colour
])
def test_where_a_caption_band_ends(share, end):
    assert edits._caption_end(share) == end


def test_words_against_the_picture_are_cut():
    """A bar of capitals whose foot touches the picture (no line of the bar's colour alone between):
    found (the band ends in a line with none of the bar's colour)."""
    from PIL import ImageDraw, ImageFont

    from eval.matching.corpus import drawn_scene

    picture = drawn_scene(11, (360, 270))
    own = int(pdq_hash_image(picture).pdq, 16)
    font = ImageFont.load_default(size=30)
    meme = Image.new("RGB", (360, 270 + 40), (255, 255, 255))
    meme.paste(picture, (0, 40))
    draw = ImageDraw.Draw(meme)
    left, top, right, bottom = draw.textbbox((0, 0), "SEE YOU SOON", font=font)
    draw.text(((360 - right) / 2, 40 - bottom), "SEE YOU SOON", fill=(0, 0, 0), font=font)
    from eval.matching.transforms import jpeg

    copy = jpeg(meme, 85)
    assert min((int(q.pdq, 16) ^ own).bit_count() for q in image_query_hashes(copy)) <= 31


def test_a_round_picture_under_a_black_bar_is_found():
    """The retina photo (a disc on black) under words in a black bar: the band runs on into the
    disc's black corners, no line there holds under half the black; the picture starts at the
    first line after the plain gap that is not all black, where its trimmed original does."""
    from eval.matching.transforms import meme

    from childsafe.banks.hashing import bare_pdq

    sample = next(s for s in banked_images() if s.name.endswith("retina"))
    own = pdq_hash_image(sample.image).pdq
    bank = [int(own, 16), int(bare_pdq(sample.image, own) or own, 16)]
    copy = meme(sample.image, random.Random(2), 0.1, 0.0, big=True, bar=(0, 0, 0))
    assert min((int(q.pdq, 16) ^ b).bit_count() for q in image_query_hashes(copy) for b in bank) <= 31


def test_a_band_running_past_reach_is_still_cut_at_the_picture():
    """A dark picture in a dark bubble, a line of words under it: a third to a half of each of the
    picture's lines is the bubble's grey, so no line within a quarter of the box ends the band; the
    picture still starts after the plain gap where its lines hold under half the grey."""
    share = [0.85, 0.89, 0.84, 0.97, 1.0, 1.0, 1.0, 1.0, 0.99, 0.58, 0.48, 0.55, 0.56, 0.42, 0.39, 0.45]
    assert edits._caption_end(share, closed=False) == 10
    assert edits._caption_end(share + [0.2]) == 10
    # ... but neither a clean drop nor the own-edge fallback without the band's end
    assert edits._caption_end([0.6, 0.5, 0.6, 0.6, 0.5, 0.6, 0.5, 0.01], closed=False) == 0
    assert edits._caption_end([0.6, 0.5, 0.6, 1.0, 1.0, 0.9, 0.8, 0.7, 0.6], closed=False) == 0
