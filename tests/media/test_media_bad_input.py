"""Hostile or broken files fail fast with a clear error naming the file; nothing hangs."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from childsafe.errors import InvalidInput
from childsafe.media import fingerprint_file, hash_video, load_image, pdq_hash_file, pdq_hash_image
from childsafe.media.queries import image_query_hashes


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A 1-bit PNG whose header claims width x height; only a few rows of (zero) data follow."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    data = b"".join(comp.compress(row) for _ in range(64)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def gif_bomb() -> bytes:
    """A GIF whose screen and frame claim 65535 x 65535 pixels."""
    header = b"GIF89a" + struct.pack("<HH", 65535, 65535) + b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHH", 0, 0, 65535, 65535) + b"\x00" + b"\x02\x02\x44\x01\x00"
    return header + frame + b"\x3b"


@pytest.fixture
def bad_files(tmp_path: Path, reference_media: Path) -> dict[str, Path]:
    photo = (reference_media / "pdq" / "sample-b.jpg").read_bytes()
    clip = (reference_media / "vpdq" / "videos" / "chair-19-sd-bar.mp4").read_bytes()
    files = {
        "empty.jpg": b"",
        "empty.mp4": b"",
        "truncated.jpg": photo[: len(photo) // 3],
        "corrupt.jpg": photo[:600] + bytes(range(256)) * 40,
        "bomb.png": png_bomb(),
        "bomb.gif": gif_bomb(),
        "notes.png": b"these are plain words, not pixels\n" * 20,
        "random.bin": bytes((i * 7919) % 251 for i in range(5000)),
        "truncated.mp4": clip[: len(clip) // 5],
        "corrupt.mp4": clip[:32] + b"\x00\x01" * 4000,
    }
    out = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        out[name] = tmp_path / name
    return out


@pytest.mark.timeout(60)
def test_every_bad_file_is_refused_naming_it(bad_files: dict[str, Path]):
    for name, path in bad_files.items():
        with pytest.raises(InvalidInput) as err:
            fingerprint_file(path, fps=1)
        assert str(path) in str(err.value), name


@pytest.mark.timeout(20)
def test_decompression_bomb_is_refused_before_decoding(bad_files: dict[str, Path]):
    for name in ("bomb.png", "bomb.gif"):
        assert bad_files[name].stat().st_size < 10_000
        with pytest.raises(InvalidInput) as err:
            load_image(bad_files[name])
        assert err.value.code == "decompression_bomb"
        assert "bomb" in str(err.value)


def test_pixel_limit_is_adjustable(reference_media: Path):
    photo = reference_media / "pdq" / "sample-b.jpg"
    with pytest.raises(InvalidInput, match="decompression bomb"):
        load_image(photo, max_pixels=1_000_000)
    assert load_image(photo, max_pixels=2_000_000).size == (1600, 1004)


def test_truncated_video_is_not_half_hashed(bad_files: dict[str, Path]):
    with pytest.raises(InvalidInput, match="truncated|no decodable|not a video"):
        hash_video(bad_files["truncated.mp4"])


def test_missing_file_and_empty_bytes_are_clear(tmp_path: Path):
    with pytest.raises(InvalidInput, match="no such file"):
        pdq_hash_file(tmp_path / "nope.jpg")
    with pytest.raises(InvalidInput, match="empty"):
        pdq_hash_file(b"")
    with pytest.raises(InvalidInput, match="directory"):
        fingerprint_file(tmp_path)
    with pytest.raises(InvalidInput, match="directory"):
        hash_video(tmp_path)


def test_an_image_without_pixels_is_refused_not_crashed_on():
    from PIL import Image

    with pytest.raises(InvalidInput, match="no pixels"):
        pdq_hash_image(Image.new("RGB", (0, 0)))
    with pytest.raises(InvalidInput, match="no pixels"):
        image_query_hashes(Image.new("RGB", (0, 0)))


def test_bad_fps_is_refused(reference_media: Path):
    with pytest.raises(InvalidInput, match="fps"):
        hash_video(reference_media / "vpdq" / "videos" / "doorknob-hd-no-bar.mp4", fps=0)


@pytest.mark.parametrize("name,codec", [("clip.webm", "libvpx"), ("clip.mkv", "libx264"), ("clip.avi", "mpeg4")])
def test_cut_off_video_in_any_container_is_refused(tmp_path: Path, make_clip, clip_frames, name: str, codec: str):
    whole = make_clip(tmp_path / name, clip_frames(4, 30), codec=codec)
    assert len(hash_video(whole).frames) == 30
    cut = tmp_path / f"cut-{name}"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    with pytest.raises(InvalidInput) as err:
        fingerprint_file(cut)
    assert str(cut) in str(err.value)
