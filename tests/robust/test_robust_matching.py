"""Edits people make to dodge a hash list, matched through the real matcher and CLI.

The "known bad" bank holds hashes of benign pictures: reference photos and scenes the tests draw.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from childsafe.banks import BankStore, Matcher
from childsafe.cli import app
from childsafe.media.edits import CROPS
from childsafe.media.queries import MatchOptions
from childsafe.store import open_database
from eval.matching.transforms import rounded_on_page
from eval.matching.video import write_clip

runner = CliRunner()

DIHEDRAL = {
    # transform named in the match -> Pillow operation that made the query from the original
    "rot90": Image.Transpose.ROTATE_90,
    "rot180": Image.Transpose.ROTATE_180,
    "rot270": Image.Transpose.ROTATE_270,
    "flip_h": Image.Transpose.FLIP_LEFT_RIGHT,
    "flip_v": Image.Transpose.FLIP_TOP_BOTTOM,
    "transpose": Image.Transpose.TRANSPOSE,
    "transverse": Image.Transpose.TRANSVERSE,
}


def run(data_dir: Path, *args: str):
    return runner.invoke(app, [*args, "--data-dir", str(data_dir)], catch_exceptions=False)


def scene(seed: int, size=(480, 360)) -> Image.Image:
    rng = random.Random(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack([(xx * 0.4 + yy * 0.2) % 256, (yy * 0.5) % 256, (xx * 0.3 + 60) % 256], axis=2)
    img = Image.fromarray(base.astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(w), rng.randrange(h)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x, y, x + rng.randint(20, 180), y + rng.randint(20, 140)), fill=tuple(rng.randrange(256) for _ in range(3)))
    return img


def bank_one(data_dir: Path, tmp_path: Path, original: Image.Image, *flags: str, name: str = "known") -> None:
    """A pdq bank ``name`` holding ``original`` (saved as PNG), added through the CLI with ``flags``."""
    path = tmp_path / "original.png"
    original.save(path)
    assert run(data_dir, "bank", "create", name, "--type", "pdq").exit_code == 0
    assert run(data_dir, "bank", "add", name, str(path), *flags).exit_code == 0


@pytest.fixture
def banked(data_dir: Path, tmp_path: Path) -> tuple[Path, Image.Image]:
    """A pdq bank holding one drawn picture, and the picture."""
    original = scene(11)
    bank_one(data_dir, tmp_path, original, "--label", "T1")
    return data_dir, original


def match_json(data_dir: Path, path: Path, *extra: str) -> list[dict]:
    result = run(data_dir, "match", str(path), "--json", *extra)
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    return line["matches"]


@pytest.mark.parametrize("transform", list(DIHEDRAL))
def test_every_rotation_and_flip_is_found_and_named(banked, tmp_path, transform):
    data_dir, original = banked
    query = tmp_path / f"{transform}.png"
    original.transpose(DIHEDRAL[transform]).save(query)
    matches = match_json(data_dir, query)
    assert matches, f"{transform} copy not found"
    assert matches[0]["labels"] == ["T1"] and matches[0]["distance"] <= 31
    # The reported transform, applied to the query, gives back the banked picture.
    from childsafe.media.images import apply_transform

    undone = apply_transform(Image.open(query).convert("RGB"), matches[0]["transform"])
    assert np.array_equal(np.asarray(undone), np.asarray(original))
    assert match_json(data_dir, query, "--no-dihedral") == []


@pytest.mark.parametrize("colour", [(0, 0, 0), (255, 255, 255), (200, 30, 30)])
@pytest.mark.parametrize("share", [0.05, 0.25])
def test_solid_borders_up_to_a_quarter_of_a_side_are_found(banked, tmp_path, colour, share):
    data_dir, original = banked
    w, h = original.size
    framed = Image.new("RGB", (round(w * (1 + 2 * share)), round(h * (1 + 2 * share))), colour)
    framed.paste(original, (round(w * share), round(h * share)))
    query = tmp_path / "framed.jpg"
    framed.save(query, quality=85)
    matches = match_json(data_dir, query)
    assert matches and matches[0]["trimmed"] is True
    assert match_json(data_dir, query, "--no-trim", "--no-regions") == []


def test_letterboxed_reference_photo_is_found(data_dir, reference_media):
    assert run(data_dir, "bank", "create", "ref", "--type", "pdq").exit_code == 0
    assert run(data_dir, "bank", "add", "ref", str(reference_media / "pdq/sample-b.jpg")).exit_code == 0
    boxed = reference_media / "pdq/letterboxed_sample-b.jpg"
    matches = match_json(data_dir, boxed)
    assert len(matches) == 1 and matches[0]["trimmed"] is True and matches[0]["distance"] <= 31
    assert match_json(data_dir, boxed, "--no-trim", "--no-regions") == []


def screenshot_with(picture: Image.Image) -> Image.Image:
    shot = Image.new("RGB", (720, 1280), (255, 255, 255))
    draw = ImageDraw.Draw(shot)
    draw.rectangle((0, 0, 720, 110), fill=(0, 120, 215))
    for y in (150, 240, 900, 990, 1080):
        draw.rounded_rectangle((20, y, 460, y + 70), radius=18, fill=(232, 235, 240))
        draw.text((36, y + 25), "see you at the park later", fill=(60, 60, 60))
    pw = 420
    ph = round(picture.height * pw / picture.width)
    draw.rounded_rectangle((262, 342, 262 + pw + 16, 342 + ph + 16), radius=14, fill=(0, 120, 215))
    shot.paste(picture.resize((pw, ph)), (270, 350))
    return shot


def test_picture_pasted_into_a_chat_screenshot_is_found_with_its_region(banked, tmp_path):
    data_dir, original = banked
    query = tmp_path / "screenshot.jpg"
    screenshot_with(original).save(query, quality=85)
    matches = match_json(data_dir, query)
    assert matches and matches[0]["labels"] == ["T1"]
    x0, y0, x1, y1 = matches[0]["region"]
    assert abs(x0 - 270) <= 12 and abs(y0 - 350) <= 12 and abs(x1 - 690) <= 12
    assert match_json(data_dir, query, "--no-trim", "--no-regions") == []


def test_crops_are_found_only_in_a_bank_built_with_crops(data_dir, tmp_path):
    original = scene(12, (640, 480))
    bank_one(data_dir, tmp_path, original, name="plain")
    bank_one(data_dir, tmp_path, original, "--crops", name="with-crops")
    store = BankStore(open_database(data_dir))
    # every crop but the one to the scene's own shape (4:3)
    assert store.get("plain").active == 1 and store.get("with-crops").active == len(CROPS)
    crop = tmp_path / "crop.png"
    original.crop((64, 0, 640, 480)).save(crop)  # 10% off the left
    matches = match_json(data_dir, crop)
    assert matches and {m["bank"] for m in matches} == {"with-crops"}
    assert "crop:left10" in matches[0]["labels"]  # the nearest entry is the crop that was made
    entry = store.entry("with-crops", matches[0]["entry_id"])
    assert entry.provenance["crop"] == {"label": "left10", "left": 0.1, "top": 0.0, "right": 0.0, "bottom": 0.0}
    assert entry.provenance["crop_of"] == store.entries("plain")[0].hash


def test_a_copy_cut_to_a_square_or_a_story_is_found_through_the_middle_crop(data_dir, tmp_path):
    # A feed cuts a 4:3 photo to a square, a story to 9:16: PDQ is far off either (and off every
    # crop by shares), the bank's crop of the middle to that shape is within a few bits.
    original = scene(21, (800, 600))
    bank_one(data_dir, tmp_path, original, "--crops", name="own")
    for shape, box, label in (("1:1", (100, 0, 700, 600), "crop:ratio1x1"),
                              ("9:16", (231, 0, 569, 600), "crop:ratio9x16")):
        copy = tmp_path / f"copy-{shape.replace(':', 'x')}.jpg"
        original.crop(box).resize((540, 540) if shape == "1:1" else (270, 480)).save(copy, quality=85)
        matches = match_json(data_dir, copy)
        assert matches and label in matches[0]["labels"], (shape, matches)
        assert matches[0]["distance"] <= 16
    store = BankStore(open_database(data_dir))
    square = [e for e in store.entries("own") if "crop:ratio1x1" in e.labels][0]
    assert square.provenance["crop"] == {"label": "ratio1x1", "left": 0.125, "top": 0.0, "right": 0.125,
                                         "bottom": 0.0, "ratio": 1.0}


def test_a_straightened_copy_is_found_through_the_turned_crops(data_dir, tmp_path):
    # An editor's "straighten" turns the photo a little and cuts it to fill its frame: PDQ loses
    # it at 2 degrees and no corner is left to measure the turn by; the bank's turned crops of the
    # original (steps of 1.5 degrees) are within a few bits.
    from eval.matching.transforms import straightened

    original = scene(21, (800, 600))
    bank_one(data_dir, tmp_path, original, name="plain")
    bank_one(data_dir, tmp_path, original, "--crops", name="own")
    for degrees in (3.7, -8.2):
        copy = tmp_path / f"straight{degrees}.jpg"
        straightened(original, degrees).save(copy, quality=85)
        matches = match_json(data_dir, copy)
        assert matches and {m["bank"] for m in matches} == {"own"}, (degrees, matches)
        assert any(label.startswith("crop:turn") for label in matches[0]["labels"])  # (26 and 14 bits off)
    store = BankStore(open_database(data_dir))
    turned = [e for e in store.entries("own") if "crop:turn-4.5" in e.labels][0]
    assert turned.provenance["crop"]["turn"] == -4.5 and turned.provenance["crop"]["left"] > 0


def test_flat_crops_are_not_banked_and_a_smooth_gradient_matches_none(data_dir, tmp_path, reference_media):
    # The labelme sky photo (PDQ quality 3): its crops along the right and bottom are of quality 5,
    # and a smooth gradient (an unrelated upload, quality 0) came within 26 to 30 bits of ten of them.
    from childsafe.banks.hashing import DERIVED_MIN_QUALITY

    sky = reference_media / "pdq" / "labelme-subset" / "q0003.jpg"
    assert run(data_dir, "bank", "create", "originals", "--type", "pdq").exit_code == 0
    assert run(data_dir, "bank", "add", "originals", str(sky), "--crops").exit_code == 0
    store = BankStore(open_database(data_dir))
    entries = store.entries("originals")
    crops = [e for e in entries if any(label.startswith("crop:") for label in e.labels)]
    assert len(crops) < len(CROPS) and all(e.quality >= DERIVED_MIN_QUALITY for e in crops)
    assert len(entries) == 1 + len(crops)  # the original itself is kept whatever its quality
    a = np.linspace(0, 1, 645)[None, :, None] * np.array([11, 216, 32]) + np.linspace(0, 1, 366)[:, None, None] * np.array([156, 43, 171])
    gradient = tmp_path / "gradient.png"
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(gradient)
    assert match_json(data_dir, gradient) == []


def in_bars(picture: Image.Image, sides: tuple[int, int, int, int], colour) -> Image.Image:
    """The picture with bars of ``colour`` as wide as ``sides`` (left, top, right, bottom) around it."""
    left, top, right, bottom = sides
    out = Image.new("RGB", (picture.width + left + right, picture.height + top + bottom), colour)
    out.paste(picture, (left, top))
    return out


def drifting_frames(first_seed: int) -> list[Image.Image]:
    """A 30-frame clip: three drawn scenes, each drifting for ten frames."""
    frames = []
    for i in range(30):
        s = scene(first_seed + i // 10, (360, 280))
        off = (i % 10) * 2
        frames.append(s.crop((off, off, off + 320, off + 240)))
    return frames


@pytest.mark.slow
def test_mirrored_video_is_found(data_dir, tmp_path):
    frames = drifting_frames(100)
    original = write_clip(tmp_path / "clip.mp4", frames)
    mirrored = write_clip(tmp_path / "mirrored.mp4", [f.transpose(Image.Transpose.FLIP_LEFT_RIGHT) for f in frames])
    assert run(data_dir, "bank", "create", "clips", "--type", "vpdq").exit_code == 0
    assert run(data_dir, "bank", "add", "clips", str(original)).exit_code == 0
    matches = match_json(data_dir, mirrored)
    assert matches and matches[0]["transform"] == "flip_h"
    assert match_json(data_dir, mirrored, "--no-dihedral") == []


def test_unrelated_photos_match_no_variant_or_region(data_dir, reference_media):
    assert run(data_dir, "bank", "create", "ref", "--type", "pdq").exit_code == 0
    assert run(data_dir, "bank", "add", "ref", str(reference_media / "pdq/sample-b.jpg")).exit_code == 0
    matcher = Matcher(open_database(data_dir), data_dir)
    photos = sorted((reference_media / "pdq/labelme-subset").glob("*.jpg"))
    assert len(photos) >= 7
    for photo in photos:
        result = matcher.match_file(photo, options=MatchOptions())
        assert result.matches == [], photo.name


@pytest.mark.slow
def test_letterboxed_and_mirrored_video_is_found_by_its_trimmed_frames(data_dir, tmp_path):
    frames = drifting_frames(200)

    def barred(frame: Image.Image) -> Image.Image:
        canvas = Image.new("RGB", (320, 420), (0, 0, 0))
        canvas.paste(frame.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (0, 90))
        return canvas

    original = write_clip(tmp_path / "clip.mp4", frames)
    boxed = write_clip(tmp_path / "boxed.mp4", [barred(f) for f in frames])
    assert run(data_dir, "bank", "create", "clips", "--type", "vpdq").exit_code == 0
    assert run(data_dir, "bank", "add", "clips", str(original)).exit_code == 0
    matches = match_json(data_dir, boxed)
    assert matches and matches[0]["transform"] == "flip_h" and matches[0]["trimmed"] is True
    assert match_json(data_dir, boxed, "--no-trim") == []



@pytest.mark.slow
def test_bars_added_around_a_barred_video_or_a_flat_edged_one_are_cut_alone(data_dir, tmp_path):
    # The bank holds a clip that has black bars of its own (as the vPDQ reference videos do) and one
    # whose sides are flat (a wall). Re-uploaded mirrored inside green pillarbox bars, each is found
    # by its trimmed frames: one pass cuts the green only, where cutting on would take the black bars
    # (which the banked clip has) or the flat sides (which it has too) as well.
    def barred(frame: Image.Image) -> Image.Image:
        return in_bars(frame, (0, 40, 0, 40), (0, 0, 0))

    def walled(frame: Image.Image) -> Image.Image:
        out = frame.copy()
        ImageDraw.Draw(out).rectangle((0, 0, 59, 239), fill=(200, 190, 170))
        ImageDraw.Draw(out).rectangle((260, 0, 319, 239), fill=(200, 190, 170))
        return out

    def reuploaded(frame: Image.Image) -> Image.Image:
        return in_bars(frame.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (80, 0, 80, 0), (30, 160, 60))

    assert run(data_dir, "bank", "create", "clips", "--type", "vpdq").exit_code == 0
    for name, edit, seed in (("barred", barred, 300), ("walled", walled, 400)):
        frames = [edit(f) for f in drifting_frames(seed)]
        original = write_clip(tmp_path / f"{name}.mp4", frames)
        assert run(data_dir, "bank", "add", "clips", str(original)).exit_code == 0
        query = write_clip(tmp_path / f"{name}-reuploaded.mp4", [reuploaded(f) for f in frames])
        matches = match_json(data_dir, query)
        assert [m["transform"] for m in matches] == ["flip_h"] and matches[0]["trimmed"] is True, name

def _closest(query: Image.Image, original: Image.Image) -> int:
    from childsafe.index.codec import hex_to_array
    from childsafe.media.images import pdq_hash_image
    from childsafe.media.queries import image_query_hashes

    want = hex_to_array(pdq_hash_image(original).pdq)[0]
    return min(int(np.unpackbits(hex_to_array(q.pdq)[0] ^ want).sum()) for q in image_query_hashes(query))


def test_a_picture_of_low_pdq_quality_is_found_inside_a_border():
    # A drawn scene of soft shapes whose PDQ quality is under 50, yet the picture is what the bank
    # holds: the trimmed picture stands for the image and is looked up whatever its quality.
    from childsafe.media.images import pdq_hash_image
    from eval.matching.corpus import drawn_scene

    original = drawn_scene(1010, (734, 360))
    assert pdq_hash_image(original).quality < 50
    for top, bottom, colour in ((65, 26, (200, 196, 164)), (80, 113, (118, 64, 215)), (40, 0, (0, 0, 0))):
        framed = Image.new("RGB", (734, 360 + top + bottom), colour)
        framed.paste(original, (0, top))
        assert _closest(framed, original) <= 31


def test_a_simple_drawing_of_low_pdq_quality_is_found_inside_a_screenshot():
    # Shapes on a flat page (PDQ quality 37: a flat page with a few edges) pasted into a chat
    # screenshot: its region is looked up, while a flat patch (quality 2) is not.
    from childsafe.media.edits import pictures_within
    from childsafe.media.images import pdq_hash_image
    from childsafe.media.queries import MIN_PICTURE_QUALITY, image_query_hashes

    from eval.matching.corpus import flat_page_drawing

    original = flat_page_drawing(7003)  # a pink page with four shapes
    assert MIN_PICTURE_QUALITY <= pdq_hash_image(original).quality < 50
    shot = screenshot_with(original)
    buf = io.BytesIO()
    shot.save(buf, "JPEG", quality=85)
    assert _closest(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), original) <= 31
    # A flat grey box with a line of words (quality 2) on a white page is found, and not looked up.
    page = Image.new("RGB", (600, 400), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle((60, 80, 260, 230), fill=(120, 120, 130))
    draw.text((80, 140), "see you later", fill=(90, 90, 90))
    draw.rectangle((330, 60, 560, 340), fill=(30, 90, 40))
    draw.ellipse((360, 100, 520, 300), fill=(200, 40, 40))
    box = (60, 80, 261, 231)
    assert box in [p.box for p in pictures_within(page)] and pdq_hash_image(page.crop(box)).quality < MIN_PICTURE_QUALITY
    assert box not in {q.region for q in image_query_hashes(page)}


def test_a_large_finely_textured_photo_in_a_border_is_found():
    # The retina photo scikit-image ships (1024 px, fine vessels): hashed from every other pixel, its
    # trimmed picture lay 36 bits from the original; from the box-filtered luma it lies a few bits off.
    skimage_data = pytest.importorskip("skimage.data")
    original = Image.fromarray(skimage_data.retina()).resize((1024, 1024), Image.Resampling.LANCZOS)
    framed = Image.new("RGB", (1024 + 256, 1024), (184, 53, 192))
    framed.paste(original, (256, 0))
    assert _closest(framed.transpose(Image.Transpose.ROTATE_270), original) <= 20


def test_a_fine_texture_in_a_jpeg_border_is_found_by_the_pass_that_cuts_the_blend_line():
    # A brick wall (scikit-image) pillarboxed in blue, saved as JPEG: the first pass stops at the
    # line where bar and wall blend, 48 bits off; the next cuts that line and lies 0 bits off. Every
    # pass is hashed, not only the first and the last (which dropped the second as a near-repeat).
    import io

    skimage_data = pytest.importorskip("skimage.data")
    original = Image.fromarray(skimage_data.brick()).convert("RGB")
    framed = Image.new("RGB", (512 + 93 + 49, 512), (66, 105, 218))
    framed.paste(original, (93, 0))
    buf = io.BytesIO()
    framed.save(buf, "JPEG", quality=75)
    assert _closest(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), original) <= 31


def _on_white(seed: int) -> Image.Image:
    """A drawn scene inside a white margin of its own (a product shot, a drawing on paper), 420 x 300:
    7:5, none of the shapes `ratio_cuts` guesses at."""
    return in_bars(scene(seed, (300, 220)), (30, 44, 90, 36), (255, 255, 255))


def test_a_border_the_colour_of_the_pictures_own_edge_is_found_through_the_banks_trimmed_picture(data_dir, tmp_path):
    # White bars around a picture whose own edge is white are cut with that edge: nothing in the
    # pixels says where the bar ended. A bank that hashed the original keeps its trimmed picture
    # (BankEntry.bare) and finds the copy through it; one that holds only the imported hash cannot
    # (the picture's shape is not a common one, which the query would guess).
    original = _on_white(500)
    original.save(tmp_path / "original.png")
    copies = {
        "letterbox": (0, 40, 0, 40),
        "one side": (70, 0, 0, 0),
        "frame": (25, 25, 25, 25),
    }
    assert run(data_dir, "bank", "create", "known", "--type", "pdq").exit_code == 0
    assert run(data_dir, "bank", "add", "known", str(tmp_path / "original.png")).exit_code == 0
    exported = run(data_dir, "bank", "export", "known").stdout
    assert len([line for line in exported.splitlines() if line.strip()]) == 2  # header + the one entry
    (tmp_path / "hashes.txt").write_text(exported.splitlines()[1].split(",")[0] + "\n")
    assert run(data_dir, "bank", "create", "imported", "--type", "pdq").exit_code == 0
    assert run(data_dir, "bank", "import", "imported", str(tmp_path / "hashes.txt")).exit_code == 0
    for name, sides in copies.items():
        copy = in_bars(original, sides, (255, 255, 255))
        path = tmp_path / f"{name}.jpg"
        copy.transpose(Image.Transpose.ROTATE_90).save(path, quality=85)
        assert _closest(Image.open(path), original) > 31, name  # its own hashes miss the original
        matches = match_json(data_dir, path, "--bank", "known")
        assert len(matches) == 1 and matches[0]["banked_trimmed"] is True and matches[0]["transform"] == "rot270", name
        assert match_json(data_dir, path, "--bank", "imported") == [], name


def test_a_bank_keeps_the_trimmed_picture_of_a_drawing_a_little_under_pdqs_quality_line():
    # Two shapes on a white 400 x 300 page: the whole page is of quality 57, its shapes alone (the
    # trimmed picture) of 48. A bank that kept trimmed pictures from quality 50 only found no copy
    # of it in white padding of four different widths (which no guess at the page's edge meets).
    from childsafe.banks.hashing import DERIVED_MIN_QUALITY, bare_pdq
    from childsafe.media.images import pdq_hash_image
    from childsafe.media.queries import image_query_hashes, trimmed_hash

    page = Image.new("RGB", (400, 300), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.rectangle((97, 207, 130, 263), fill=(165, 0, 107))
    draw.ellipse((304, 57, 484, 96), fill=(207, 15, 157))
    own = pdq_hash_image(page).pdq
    assert DERIVED_MIN_QUALITY <= trimmed_hash(page).quality < 50
    bare = bare_pdq(page, own)
    assert bare is not None
    copy = in_bars(page, (20, 50, 60, 10), (255, 255, 255))
    queries = [int(q.pdq, 16) for q in image_query_hashes(copy)]
    assert min((q ^ int(own, 16)).bit_count() for q in queries) > 31
    assert min((q ^ int(bare, 16)).bit_count() for q in queries) <= 31


@pytest.mark.slow
def test_black_bars_added_around_a_video_with_black_bars_are_found_through_the_banks_trimmed_frames(data_dir, tmp_path):
    # The vPDQ reference videos carry black bars. More black bars added around such a video are cut
    # together with its own, and the frames no longer match the banked ones; the bank's trimmed
    # frames (its own bars cut, at `bank add`) do.
    def barred(frame: Image.Image) -> Image.Image:
        return in_bars(frame, (0, 40, 0, 40), (0, 0, 0))

    def more_bars(frame: Image.Image) -> Image.Image:
        return in_bars(frame.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (48, 0, 48, 0), (0, 0, 0))

    frames = [barred(f) for f in drifting_frames(600)]
    original = write_clip(tmp_path / "barred.mp4", frames)
    query = write_clip(tmp_path / "more-bars.mp4", [more_bars(f) for f in frames])
    unrelated = write_clip(tmp_path / "other.mp4", [more_bars(barred(f)) for f in drifting_frames(700)])
    assert run(data_dir, "bank", "create", "clips", "--type", "vpdq").exit_code == 0
    assert run(data_dir, "bank", "add", "clips", str(original)).exit_code == 0
    matches = match_json(data_dir, query)
    assert len(matches) == 1 and matches[0]["banked_trimmed"] is True and matches[0]["transform"] == "flip_h"
    assert match_json(data_dir, unrelated) == []
    exported = run(data_dir, "bank", "export", "clips").stdout
    assert "banked" not in exported and exported.count("\n") <= 2


def test_a_small_picture_of_a_reduced_image_is_hashed_from_pillows_luma_of_its_pixels():
    """queries._hashed_pixels: in an image larger than PDQ's working size, a picture under twice
    PICTURE_SIDE is hashed from its own full-size pixels turned to Pillow's luma (as a bank's original
    is), and a larger one from the image's reduced luma; and the pasted picture is found."""
    from childsafe.media import edits
    from childsafe.media.images import luma_pixels, pdq_hash_image
    from childsafe.media.queries import _hashed_pixels, image_query_hashes

    rng = np.random.default_rng(12)
    picture = Image.fromarray((rng.random((60, 80, 3)) * 255).astype(np.uint8)).resize((400, 300), Image.Resampling.BICUBIC)
    canvas = Image.new("RGB", (2000, 1400), (246, 246, 246))  # a page: the picture is a region on it
    canvas.paste(picture, (900, 500))
    working = edits.working_copy(canvas)
    luma = luma_pixels(canvas, working[0])
    assert luma.shape != (canvas.height, canvas.width)  # reduced
    pictures = edits.pictures_within(canvas, working=working)
    small = [p for p in pictures if max(p.box[2] - p.box[0], p.box[3] - p.box[1]) < 2 * edits.PICTURE_SIDE]
    assert small
    for p in small:
        got = _hashed_pixels(canvas, luma, p)
        assert got.ndim == 2 and got.dtype == np.uint8
        assert np.array_equal(got, np.asarray(Image.fromarray(np.ascontiguousarray(p.pixels)).convert("L")))
        with mock.patch("childsafe.media.pdq.grey_of_rgb", return_value=None):  # no compiled part: Pillow's
            assert np.array_equal(_hashed_pixels(canvas, luma, p), got)
    own = int(pdq_hash_image(picture).pdq, 16)
    assert min((int(q.pdq, 16) ^ own).bit_count() for q in image_query_hashes(canvas)) <= 31


def test_query_hash_variants_are_the_objects_the_constructor_makes():
    import copy
    import dataclasses
    import pickle

    from childsafe.media.queries import QueryHash

    made = QueryHash.variants(["original", "rot90"], ["ab" * 32, "cd" * 32], 57, (1, 2, 30, 40), True)
    want = [QueryHash("ab" * 32, 57, "original", (1, 2, 30, 40), True), QueryHash("cd" * 32, 57, "rot90", (1, 2, 30, 40), True)]
    assert made == want and [hash(q) for q in made] == [hash(q) for q in want]
    assert [q.to_dict() for q in made] == [q.to_dict() for q in want] and [repr(q) for q in made] == [repr(q) for q in want]
    assert pickle.loads(pickle.dumps(made)) == want and copy.deepcopy(made) == want
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].quality = 3
    assert QueryHash.variants(["original"], ["ab" * 32], 57) == [QueryHash("ab" * 32, 57)]


def _padded_see_through(picture: Image.Image, pad: int, under: np.ndarray) -> Image.Image:
    """``picture`` in a margin of ``pad`` pixels that is fully transparent, with the colours
    ``under`` (the padded size) beneath it, where a viewer sees only the page."""
    w, h = picture.size
    pixels = np.zeros((h + 2 * pad, w + 2 * pad, 4), dtype=np.uint8)
    pixels[:, :, :3] = under
    pixels[pad:pad + h, pad:pad + w, :3] = np.asarray(picture.convert("RGB"))
    pixels[pad:pad + h, pad:pad + w, 3] = 255
    return Image.fromarray(pixels, "RGBA")


@pytest.mark.parametrize("size", [(480, 360), (1500, 1100)])  # the working copy the image itself; reduced
def test_transparent_padding_is_trimmed_whatever_colours_lie_under_it(data_dir, tmp_path, size):
    """Dropping the alpha (what PDQ hashes) shows the colours under a see-through margin: noise there
    hid the margin from trimming (the picture was found only as a region, 6 to 26 bits off). The
    finders look at the image as shown; the image's own hash still drops the alpha, as the reference
    hashers do."""
    from childsafe.media import load_image
    from childsafe.media.images import pdq_hash_image

    original = scene(11, size)
    bank_one(data_dir, tmp_path, original)
    rng = np.random.default_rng(3)
    pad = size[0] // 5
    shape = (size[1] + 2 * pad, size[0] + 2 * pad, 3)
    for under in (rng.integers(0, 256, shape, dtype=np.uint8), np.asarray(scene(5, shape[1::-1]))):
        query = tmp_path / "padded.png"
        _padded_see_through(original, pad, under).save(query)
        matches = match_json(data_dir, query, "--no-regions")
        assert matches and matches[0]["trimmed"] is True and matches[0]["distance"] <= 10, matches
        assert tuple(matches[0]["region"]) == (pad, pad, pad + size[0], pad + size[1])
        assert match_json(data_dir, query, "--no-regions", "--no-trim") == []
        own = pdq_hash_image(load_image(query)).pdq
        assert own == pdq_hash_image(Image.open(query).convert("RGB")).pdq  # the alpha dropped
    # a palette image with a transparent colour (GIF) is looked at as shown too
    query = tmp_path / "padded.gif"
    _padded_see_through(original, pad, rng.integers(0, 256, shape, dtype=np.uint8)).save(query)
    matches = match_json(data_dir, query, "--no-regions")
    assert matches and matches[0]["trimmed"] is True, matches


def test_the_working_copy_of_a_see_through_image_is_its_sampled_pixels_over_black():
    from childsafe.media.edits import working_copy
    from childsafe.media.images import SEE_THROUGH, see_through

    rng = np.random.default_rng(8)
    for h, w in [(300, 200), (1404, 2000), (5000, 3)]:
        rgba = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
        rgba[:, :, 3] = rng.choice([0, 128, 255], (h, w))
        buf = io.BytesIO()
        Image.fromarray(rgba, "RGBA").save(buf, "PNG")
        from childsafe.media import load_image

        img = load_image(buf.getvalue())
        assert img.mode == "RGB" and see_through(img) and img.info[SEE_THROUGH].size == (w, h)
        got, factor = working_copy(img)
        shown = Image.fromarray(((rgba[:, :, :3].astype(np.uint16) * rgba[:, :, 3:] + 127) // 255).astype(np.uint8))
        size = (got.shape[1], got.shape[0])
        box = (0, 0, min(w, size[0] * factor), min(h, size[1] * factor))
        assert np.array_equal(got, np.asarray(shown.resize(size, Image.Resampling.NEAREST, box=box))), (h, w)
        assert not got.flags.writeable
    opaque = io.BytesIO()
    Image.new("RGBA", (40, 30), (9, 9, 9, 255)).save(opaque, "PNG")
    from childsafe.media import load_image

    assert not see_through(load_image(opaque.getvalue()))  # every pixel opaque: nothing kept


@pytest.mark.parametrize("kind, share, quality", [("colour", 0.15, 80), ("grey", 0.25, None), ("colour", 0.05, 40)])
def test_a_border_of_noise_is_trimmed(data_dir, tmp_path, kind, share, quality):
    """A picture padded with random pixels: no colour to trim, and the outlines found two of its sides
    at best (the photo below, in colour noise after JPEG 80, was not found at all). Lines whose
    neighbouring pixels differ as much as any two do are noise and cut as a border."""
    skimage_data = pytest.importorskip("skimage.data")
    original = Image.fromarray(skimage_data.astronaut())
    bank_one(data_dir, tmp_path, original)
    rng = np.random.default_rng(7)
    w, h = original.size
    dx, dy = round(w * share), round(h * share)
    channels = 3 if kind == "colour" else 1
    noise = rng.integers(0, 256, (h + 2 * dy, w + 2 * dx, channels), dtype=np.uint8)
    padded = Image.fromarray(np.repeat(noise, 3 // channels, axis=2))
    padded.paste(original, (dx, dy))
    query = tmp_path / ("padded.jpg" if quality else "padded.png")
    padded.save(query, **({"quality": quality} if quality else {}))
    matches = match_json(data_dir, query, "--no-regions")
    assert matches and matches[0]["trimmed"] is True and matches[0]["distance"] <= 10, matches
    assert all(abs(got - want) <= 2 for got, want in zip(matches[0]["region"], (dx, dy, dx + w, dy + h)))


def test_photos_textures_and_drawings_have_no_border_of_noise_nor_soft_bars(reference_photos):
    """The noise test of a line is met by no photo of the reference media nor scikit-image's (grass and
    gravel among them, the roughest), nor by the drawn scenes; nor do any of them give soft bars."""
    from childsafe.media import load_image
    from childsafe.media.edits import noise_border, soft_bars, trim_passes, working_copy
    from eval.matching.corpus import unrelated_images

    images = [load_image(p) for p in reference_photos] + [s.image for s in unrelated_images(drawn=40)]
    assert len(images) > 100
    copies = [working_copy(img)[0] for img in images]
    assert [i for i, a in enumerate(copies) if noise_border(a) is not None] == []
    # as a query asks: an axis whose ends the first trimming pass cut (black bars) is the trimmer's
    assert [i for i, a in enumerate(copies) if soft_bars(a, (trim_passes(a) or [None])[0])] == []


@pytest.mark.parametrize("ratio, radius, quality", [(9 / 16, 20, None), (1.0, 12, 80), (4 / 5, 8, 70)])
def test_a_picture_in_bars_of_itself_blurred_is_found(data_dir, tmp_path, ratio, radius, quality):
    """Phone apps fit a picture to a tall frame by filling the bars with the picture itself, enlarged
    and blurred: no colour to trim, and the outlines missed a smooth-edged picture there (the eval's
    originals: 16 of 24 found in 9:16 bars, 6 of 21 in 1:1 bars after JPEG). Soft bars at both ends
    that end on a strong break are cut (`soft_bars`)."""
    from eval.matching.transforms import blurred_letterbox

    skimage_data = pytest.importorskip("skimage.data")
    original = Image.fromarray(skimage_data.chelsea())
    bank_one(data_dir, tmp_path, original)
    framed = blurred_letterbox(original, ratio, radius)
    query = tmp_path / ("framed.jpg" if quality else "framed.png")
    framed.save(query, **({"quality": quality} if quality else {}))
    matches = match_json(data_dir, query, "--no-regions")
    assert matches and matches[0]["trimmed"] is True and matches[0]["distance"] <= 10, matches
    top = (framed.height - original.height) // 2
    assert all(abs(got - want) <= 2 for got, want in zip(matches[0]["region"], (0, top, original.width, top + original.height)))


@pytest.mark.parametrize("radius, page, quality", [(24, (255, 255, 255), None), (48, (0, 0, 0), 80)])
def test_a_picture_with_rounded_corners_is_found_with_its_corners_filled(data_dir, tmp_path, radius, page, quality):
    """The page's colour in a rounded picture's corners moved a drawn scene's hash 42 to 46 bits on its
    exact box; the box is also hashed with its corners filled from the picture (`fill_corners`)."""
    from childsafe.media import edits

    original = scene(11)
    bank_one(data_dir, tmp_path, original)
    query = tmp_path / ("rounded.jpg" if quality else "rounded.png")
    rounded_on_page(original, radius, page).save(query, **({"quality": quality} if quality else {}))
    matches = match_json(data_dir, query, "--no-regions")
    assert matches and matches[0]["trimmed"] is True and matches[0]["distance"] <= 24, matches  # 0 and 20
    with mock.patch.object(edits, "corner_radius", return_value=0.0):  # the same box, corners as they are
        unfilled = match_json(data_dir, query, "--no-regions")
    assert not unfilled or unfilled[0]["distance"] > matches[0]["distance"] + 10


def test_rounded_corners_are_told_from_square_ones_and_circles():
    from childsafe.media.edits import corner_radius, fill_corners

    rng = np.random.default_rng(4)
    picture = Image.fromarray(rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)).resize((300, 200), Image.Resampling.BICUBIC)
    rounded = np.asarray(rounded_on_page(picture, 30, (255, 255, 255)))
    box = (30, 20, 330, 220)
    assert corner_radius(rounded, box) == pytest.approx(30 / 200, abs=0.03)
    square = np.asarray(rounded_on_page(picture, 0, (255, 255, 255)))
    assert corner_radius(square, box) == 0.0
    assert corner_radius(rounded, (0, 0, *rounded.shape[1::-1])) == 0.0  # no outside at the image's edge
    one_white = rounded.copy()
    one_white[20:60, 30:70] = 250  # the picture's own corner near the page's colour: three corners tell
    assert corner_radius(one_white, box) == pytest.approx(30 / 200, abs=0.03)
    disc = Image.new("RGB", (300, 300), (255, 255, 255))
    ImageDraw.Draw(disc).ellipse((50, 50, 250, 250), fill=(200, 120, 40))
    assert corner_radius(np.asarray(disc), (50, 50, 251, 251)) == 0.0  # a coin's box is no rounded picture
    # the fill: the corners outside the rounding take the picture's pixels, the rest is untouched
    pixels = np.asarray(picture.convert("L"))
    cut = np.array(pixels)
    cut[:4, :4] = 255  # outside a rounding of 20 px, which reaches 5.9 px along the diagonal
    filled = fill_corners(cut, 0.1)
    assert filled[0, 0] != 255 and np.array_equal(filled[20:-20], cut[20:-20]) and filled is not cut
    assert np.array_equal(fill_corners(cut, 0.0), cut)


@pytest.mark.parametrize("degrees, page, quality", [(3, (255, 255, 255), None), (-7, (128, 128, 128), 80), (12, (0, 0, 0), None)])
def test_a_picture_turned_a_little_on_a_page_is_turned_back(data_dir, tmp_path, degrees, page, quality):
    """PDQ does not survive a turn of 2 degrees; a picture turned on a page of one colour is found by
    the angle of its sides (`tilt_angle`) and looked up turned back (`turned_back`)."""
    from childsafe.media import edits
    from eval.matching.transforms import turned_on_page

    original = scene(11)
    bank_one(data_dir, tmp_path, original)
    query = tmp_path / ("turned.jpg" if quality else "turned.png")
    turned_on_page(original, degrees, page).save(query, **({"quality": quality} if quality else {}))
    matches = match_json(data_dir, query, "--no-regions")
    assert matches and matches[0]["trimmed"] is True and matches[0]["distance"] <= 20, matches
    with mock.patch.object(edits, "tilt_angle", return_value=None):
        assert match_json(data_dir, query, "--no-regions") == []


def test_the_tilt_of_a_picture_is_measured_and_nothing_else_has_one():
    from childsafe.media.edits import tilt_angle, trim_passes, working_copy
    from eval.matching.transforms import turned_on_page

    def angle(img: Image.Image, page) -> float | None:
        a = working_copy(img)[0]
        return tilt_angle(a, trim_passes(a)[0], np.array(page))

    for degrees in (-20, -4, -1, 2, 6, 25):
        got = angle(turned_on_page(scene(3), degrees, (255, 255, 255)), (255, 255, 255))
        assert got == pytest.approx(degrees, abs=0.2)
    assert angle(turned_on_page(scene(3), 0, (255, 255, 255)), (255, 255, 255)) is None  # square on the page
    disc = Image.new("RGB", (400, 300), (255, 255, 255))
    ImageDraw.Draw(disc).ellipse((80, 40, 320, 260), fill=(40, 90, 160))
    assert angle(disc, (255, 255, 255)) is None
    drawing = Image.new("RGB", (400, 300), (255, 255, 255))
    ImageDraw.Draw(drawing).polygon([(60, 250), (200, 30), (340, 250)], fill=(200, 40, 40))  # a triangle
    ImageDraw.Draw(drawing).rectangle((150, 200, 250, 280), fill=(20, 120, 20))
    assert angle(drawing, (255, 255, 255)) is None


@pytest.mark.parametrize("degrees, fill, quality, bars", [(4, (0, 0, 0), None, False), (-9, (255, 255, 255), 80, False),
                                                         (15, (30, 140, 90), 90, False), (-6, (0, 0, 0), 85, True)])
def test_a_picture_turned_in_its_own_frame_is_turned_back(data_dir, tmp_path, degrees, fill, quality, bars):
    """An editor's turn that keeps the picture's size cuts its corners off and fills the frame's
    corners with one colour; PDQ loses it at 2 degrees. The turn is measured on the whole image (or
    inside bars added after it) from its sides and looked up turned back, the cut corners filled
    from the nearest pixels (`turned_in_frame`)."""
    from childsafe.media import edits

    original = scene(12)
    bank_one(data_dir, tmp_path, original)
    turned = original.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    if bars:  # then letterboxed to 9:16 in grey
        barred = Image.new("RGB", (turned.width, turned.width * 16 // 9), (90, 90, 90))
        barred.paste(turned, (0, (barred.height - turned.height) // 2))
        turned = barred
    query = tmp_path / ("turned.jpg" if quality else "turned.png")
    turned.save(query, **({"quality": quality} if quality else {}))
    matches = match_json(data_dir, query, "--no-regions")
    assert matches and matches[0]["distance"] <= 24, matches
    with mock.patch.object(edits, "tilt_angle", return_value=None):
        assert match_json(data_dir, query, "--no-regions") == []


def test_the_corners_a_turn_cut_off_are_filled_and_frames_corners_are_read():
    from childsafe.media.edits import corner_colour, turned_in_frame

    a = np.zeros((60, 80, 3), dtype=np.uint8)
    a[:, :] = (200, 10, 10)
    a[:4, :4] = a[:4, -4:] = a[-4:, :4] = (0, 0, 0)
    assert corner_colour(a, (0, 0, 80, 60)) is None  # three corners alike are not enough
    a[-4:, -4:] = (20, 12, 3)
    a[0, :] = (90, 90, 90)  # a line of blend along a side is not read
    assert corner_colour(a, (0, 0, 80, 60)).tolist() == [0, 0, 0]
    assert corner_colour(a, (3, 3, 77, 57)).tolist() == [200, 10, 10]
    assert corner_colour(a, (5, 5, 12, 30)) is None  # too narrow to have corners
    # a flat picture turned 10 degrees in its frame and back: no pixel of the fill's colour is left
    picture = Image.new("RGB", (300, 200), (40, 180, 220))
    turned = picture.rotate(10, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0))
    back = turned_in_frame(turned, (0, 0, 300, 200), 10.0, np.array([0, 0, 0]))
    assert back.shape == (200, 300, 3)
    assert np.abs(back.astype(int) - (40, 180, 220)).max() <= 2
    # a turn of nothing cuts nothing
    assert np.array_equal(turned_in_frame(picture, (0, 0, 300, 200), 0.0, np.array([0, 0, 0])), np.asarray(picture))


def test_a_picture_turned_a_little_in_a_chat_screenshot_is_turned_back(data_dir, tmp_path):
    """A region on the screenshot's page with the page all round it is measured for a turn too."""
    from childsafe.media import edits

    original = scene(11)
    bank_one(data_dir, tmp_path, original)
    shot = Image.new("RGB", (720, 1280), (255, 255, 255))
    draw = ImageDraw.Draw(shot)
    draw.rectangle((0, 0, 720, 110), fill=(0, 120, 215))
    for y in (150, 240, 1080):
        draw.rounded_rectangle((20, y, 460, y + 70), radius=18, fill=(232, 235, 240))
        draw.text((36, y + 25), "see you at the park later", fill=(60, 60, 60))
    turned = original.resize((420, 315)).convert("RGBA").rotate(-4, expand=True, resample=Image.Resampling.BICUBIC)
    shot.paste(turned, (150, 500), turned)
    query = tmp_path / "shot.jpg"
    shot.save(query, quality=85)
    matches = match_json(data_dir, query)
    assert matches and matches[0]["distance"] <= 20, matches
    with mock.patch.object(edits, "tilt_angle", return_value=None):
        assert match_json(data_dir, query) == []


@pytest.mark.parametrize("seed, size, border, frame, width, sides, quality", [
    (25, (584, 514), (42, 192, 120), (211, 82, 212), 24, (115, 92, 84, 70), 85),
    (125, (419, 572), (58, 88, 89), (133, 160, 40), 14, (13, 45, 43, 19), 63),
])
def test_a_frame_of_one_strong_colour_in_a_border_of_another_after_jpeg(data_dir, tmp_path, seed, size, border,
                                                                       frame, width, sides, quality):
    # JPEG halves the colour: between a magenta frame and a green border three or four lines are
    # off both colours (edits.BLEND_SKIP); the frame was left on a side, 38 and 42 bits off.
    original = scene(seed, size)
    bank_one(data_dir, tmp_path, original)
    framed = Image.new("RGB", (size[0] + 2 * width, size[1] + 2 * width), frame)
    framed.paste(original, (width, width))
    left, top, right, bottom = sides
    copy = Image.new("RGB", (framed.width + left + right, framed.height + top + bottom), border)
    copy.paste(framed, (left, top))
    path = tmp_path / "framed.jpg"
    copy.save(path, quality=quality)
    matches = match_json(data_dir, path)
    assert matches and matches[0]["distance"] <= 16 and matches[0]["trimmed"], matches


def test_an_original_turned_in_its_frame_and_barred_keeps_its_first_pass_as_its_trimmed_hash():
    # A bank keeps an original's first trimming pass beside its hash (queries.trimmed_hash); the
    # turned-back picture found in the same box is a query's guess, not that.
    from childsafe.media import edits
    from childsafe.media.images import pdq_hash_pixels
    from childsafe.media.queries import trimmed_hash

    turned = scene(12).rotate(6, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0))
    barred = Image.new("RGB", (turned.width, turned.width * 16 // 9), (90, 90, 90))
    barred.paste(turned, (0, (barred.height - turned.height) // 2))
    first = edits.trim_passes(edits.working_copy(barred)[0], max_passes=1)[0]
    pictures = edits.pictures_within(barred, regions=False)
    assert any(p.turned for p in pictures)  # the turn is found...
    assert trimmed_hash(barred).pdq == pdq_hash_pixels(np.asarray(barred.crop(first).convert("L"))).pdq  # ...and not kept


@pytest.mark.parametrize("mode", ["P", "1", "I;16", "CMYK", "LA", "F"])
def test_turned_pictures_of_any_mode_passed_to_the_library_are_turned_back(mode):
    # A palette image (a GIF opened with Pillow, not through load_image) raised "image has wrong
    # mode" where a large turned picture is reduced before it is turned back.
    from childsafe.media.queries import image_query_hashes

    picture = scene(5, (1600, 1200))
    for turned in (picture.rotate(6, fillcolor=(0, 0, 0)), picture.convert("RGBA").rotate(6, expand=True)):
        img = turned.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE) if mode == "P" else turned.convert(mode)
        queries = image_query_hashes(img)
        assert mode == "1" or any(q.region is not None for q in queries), mode  # (dithered to two levels: noise)
