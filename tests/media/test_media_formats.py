"""Formats and orientation: what a photo looks like, not how it was stored, decides its hash."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from childsafe.index.codec import hamming
from childsafe.media import detect_media_type, fingerprint_file, load_image, pdq_hash_file, pdq_hash_image


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF"])
def test_common_formats_hash_alike(tmp_path: Path, drawn_image, fmt: str):
    img = drawn_image(11)
    path = tmp_path / f"scene.{fmt.lower()}"
    img.save(path, fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    assert hamming(pdq_hash_file(path).pdq, pdq_hash_image(img).pdq) <= 16


def test_animated_gif_hashes_its_first_frame(tmp_path: Path, drawn_image):
    first, second = drawn_image(21), drawn_image(22)
    path = tmp_path / "anim.gif"
    first.save(path, save_all=True, append_images=[second], duration=100, loop=0)
    h = pdq_hash_file(path).pdq
    assert hamming(h, pdq_hash_image(first).pdq) <= 16
    assert hamming(h, pdq_hash_image(second).pdq) > 31


@pytest.mark.parametrize("orientation,undo", [(3, Image.Transpose.ROTATE_180), (6, Image.Transpose.ROTATE_90),
                                              (8, Image.Transpose.ROTATE_270), (2, Image.Transpose.FLIP_LEFT_RIGHT)])
def test_exif_orientation_is_applied_before_hashing(tmp_path: Path, drawn_image, orientation, undo):
    upright = drawn_image(31, (600, 400))
    stored = upright.transpose(undo)  # what the camera wrote; EXIF says how to show it
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "camera.jpg"
    stored.save(path, "JPEG", quality=92, exif=exif.tobytes())
    loaded = load_image(path)
    assert loaded.size == upright.size
    assert hamming(pdq_hash_file(path).pdq, pdq_hash_image(upright).pdq) <= 16


def test_bytes_load_like_files(reference_media: Path):
    f = reference_media / "pdq" / "sample-b.jpg"
    assert pdq_hash_file(f.read_bytes()) == pdq_hash_file(f)


def test_large_photo_is_hashed_from_a_reduced_decode(tmp_path: Path, drawn_image):
    big = drawn_image(41, (4000, 3000))
    path = tmp_path / "big.jpg"
    big.save(path, "JPEG", quality=90)
    assert max(load_image(path, max_side=960).size) <= 960
    assert load_image(path).size == (4000, 3000)
    assert hamming(pdq_hash_file(path).pdq, pdq_hash_image(load_image(path)).pdq) <= 10


def test_type_comes_from_content_not_extension(tmp_path: Path, reference_media: Path):
    photo = tmp_path / "looks-like-a.mp4"
    photo.write_bytes((reference_media / "pdq" / "sample-b.jpg").read_bytes())
    clip = tmp_path / "looks-like-a.jpg"
    clip.write_bytes((reference_media / "vpdq" / "videos" / "doorknob-hd-no-bar.mp4").read_bytes())
    assert detect_media_type(photo) == "image"
    assert detect_media_type(clip) == "video"
    assert fingerprint_file(photo).type == "image"
    assert fingerprint_file(clip, fps=1).type == "video"


def test_tiny_image_hashes_with_zero_quality(drawn_image):
    tiny = drawn_image(51, (4, 4))
    h = pdq_hash_image(tiny)
    assert h.quality == 0 and len(h.pdq) == 64
    one_wide = drawn_image(52, (1, 300))
    assert pdq_hash_image(one_wide).quality == 0


# ---------------------------------------------------------------- RGB pixels without a copy


def test_rgb_array_is_the_images_pixels_read_only_in_every_size():
    from childsafe.media.images import rgb_array

    rng = np.random.default_rng(3)
    for h, w in [(1, 1), (1, 7), (7, 1), (3, 5), (256, 256), (333, 517), (1004, 1600)]:
        pixels = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        img = Image.fromarray(pixels, "RGB")
        got = rgb_array(img)
        assert got.shape == (h, w, 3) and got.dtype == np.uint8
        assert np.array_equal(got, pixels)
        assert not got.flags.writeable  # a view of the image's own memory must not be written through
    jpeg = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)).save(jpeg, "JPEG")
    decoded = Image.open(io.BytesIO(jpeg.getvalue()))
    assert np.array_equal(rgb_array(decoded), np.asarray(decoded.convert("RGB")))  # loads a lazy image


def test_rgb_array_outlives_its_image():
    import gc

    from childsafe.media.images import rgb_array

    rng = np.random.default_rng(4)
    kept = []
    for i in range(20):
        pixels = rng.integers(0, 256, (64 + i, 80, 3), dtype=np.uint8)
        kept.append((pixels, rgb_array(Image.fromarray(pixels, "RGB"))))  # the image goes at once
    gc.collect()
    churn = [Image.new("RGB", (80, 80), (i, i, i)) for i in range(50)]  # memory freed would be reused here
    assert all(np.array_equal(view, pixels) for pixels, view in kept)
    del churn


def test_rgb_array_copies_where_the_export_is_not_there_or_not_one_block(monkeypatch):
    from childsafe.media import images
    from childsafe.media.images import rgb_array

    big = Image.new("RGB", (2100, 2100), (10, 20, 30))  # over Pillow's 16 MB block: rows not one piece
    big.putpixel((2099, 2099), (1, 2, 3))
    a = rgb_array(big)
    assert a.shape == (2100, 2100, 3) and tuple(a[-1, -1]) == (1, 2, 3) and tuple(a[0, 0]) == (10, 20, 30)
    small = Image.new("RGB", (30, 20), (5, 6, 7))
    assert images._arrow_rgbx(small) is not None

    def broken(self, requested_schema=None):
        raise ValueError("no export")

    monkeypatch.setattr(Image.Image, "__arrow_c_array__", broken)
    assert images._arrow_rgbx(small) is None
    assert np.array_equal(rgb_array(small), np.full((20, 30, 3), (5, 6, 7), np.uint8))
    with pytest.raises(ValueError, match="RGB"):
        rgb_array(small.convert("L"))


def test_rgb_sampled_takes_the_pixels_pillows_nearest_resize_takes():
    from childsafe.media.images import rgb_sampled

    rng = np.random.default_rng(5)
    for h, w in [(1004, 1600), (723, 1152), (97, 61), (5, 9)]:
        img = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
        for step in (1, 2, 3, 4, 5):
            size = (max(1, w // step), max(1, h // step))
            if size[0] * step > w or size[1] * step > h:
                continue
            want = np.asarray(img.resize(size, Image.Resampling.NEAREST, box=(0, 0, size[0] * step, size[1] * step)))
            got = rgb_sampled(img, step, size)
            assert got.shape == want.shape and np.array_equal(got, want), (h, w, step)
            assert not got.flags.writeable
        # from anywhere inside: the resize over a box that starts there (edits._picture_pixels)
        for step in (2, 3, 5):
            for _ in range(6):
                x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
                size = ((w - x0) // step, (h - y0) // step)
                if min(size) == 0:
                    continue
                size = (int(rng.integers(1, size[0] + 1)), int(rng.integers(1, size[1] + 1)))
                box = (x0, y0, x0 + size[0] * step, y0 + size[1] * step)
                want = np.asarray(img.resize(size, Image.Resampling.NEAREST, box=box))
                assert np.array_equal(rgb_sampled(img, step, size, (x0, y0)), want), (h, w, step, box)
    img = Image.new("RGB", (40, 30), (1, 2, 3))
    assert rgb_sampled(img.convert("L"), 2, (20, 15)) is None  # not RGB: the caller resizes
    with pytest.raises(ValueError):
        rgb_sampled(img, 2, (21, 15))  # more than fit
    with pytest.raises(ValueError):
        rgb_sampled(img, 2, (20, 15), (1, 0))  # more than fit from there


def test_a_large_picture_found_is_cut_as_pillows_nearest_resize_cuts_it():
    """edits._picture_pixels: every k-th pixel of a box of 768 px or more, read from Pillow's memory,
    is the resize over that box; a sliver narrower than k is resized by Pillow (its box is cut)."""
    from childsafe.media.edits import PICTURE_SIDE, _picture_pixels

    rng = np.random.default_rng(8)
    img = Image.fromarray(rng.integers(0, 256, (1300, 1700, 3), dtype=np.uint8), "RGB")
    for box in [(0, 0, 1700, 1300), (13, 7, 1601, 1111), (100, 200, 1000, 260), (5, 9, 1405, 10), (3, 4, 5, 1290)]:
        x0, y0, x1, y1 = box
        k = max(x1 - x0, y1 - y0) // PICTURE_SIDE
        w, h = max(1, (x1 - x0) // k), max(1, (y1 - y0) // k)
        want = np.asarray(img.resize((w, h), Image.Resampling.NEAREST, box=(x0, y0, min(x1, x0 + w * k), min(y1, y0 + h * k))))
        assert np.array_equal(_picture_pixels(img, box), want), box


def test_an_image_of_rgb_pixels_is_fromarrays_in_every_layout():
    """images.image_of_rgb: Pillow's four-byte layout that numpy holds (rgb_sampled's) is decoded as raw
    RGBX, anything else goes through fromarray; the same image either way, and reduced alike."""
    from childsafe.media.images import image_of_rgb, rgb_sampled

    rng = np.random.default_rng(9)
    img = Image.fromarray(rng.integers(0, 256, (300, 401, 3), dtype=np.uint8), "RGB")
    four = np.zeros((30, 41, 4), np.uint8)
    four[..., :3] = rng.integers(0, 256, (30, 41, 3), dtype=np.uint8)
    four[..., 3] = 99
    for pixels in [rgb_sampled(img, 2, (200, 150)), rgb_sampled(img, 3, (7, 5), (100, 200)),
                   rgb_sampled(img, 2, (1, 1), (399, 298)), four[:, :, :3], four[3:, :, :3], four[:, 2:-1, :3],
                   four[::2, ::2, :3], np.ascontiguousarray(four[:, :, :3]), four[::-1, :, :3]]:
        got = image_of_rgb(pixels)
        assert got.mode == "RGB" and got.size == (pixels.shape[1], pixels.shape[0])
        assert np.array_equal(np.asarray(got), pixels)
        assert np.array_equal(np.asarray(got.reduce(2)), np.asarray(Image.fromarray(np.ascontiguousarray(pixels)).reduce(2)))


def test_the_working_copy_is_every_factor_th_pixel_as_pillows_nearest_resize_gives():
    from childsafe.media.edits import WORKING_SIDE, working_copy

    rng = np.random.default_rng(6)
    for h, w in [(1004, 1600), (1404, 2000), (1411, 1411), (5000, 2), (3, 5000), (1, 1), (700, 1023), (513, 1024)]:
        img = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
        factor = max(1, max(w, h) // WORKING_SIDE)
        size = (max(1, w // factor), max(1, h // factor))
        want = np.asarray(img.resize(size, Image.Resampling.NEAREST, box=(0, 0, min(w, size[0] * factor),
                                                                         min(h, size[1] * factor))))
        for source in (img, img.convert("RGBA")):  # RGB from Pillow's memory; other modes resized, then converted
            got, got_factor = working_copy(source)
            assert got_factor == factor and np.array_equal(got, want), (h, w, source.mode)
