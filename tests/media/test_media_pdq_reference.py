"""PDQ agrees with Meta's reference on the reference media and keeps edited copies matchable."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from childsafe.index.codec import hamming
from childsafe.media import fingerprint_file, load_image, pdq_hash_file, pdq_hash_image

THRESHOLD = 31


def test_dihedral_photos_hash_within_10_bits_of_reference(reference_media: Path):
    rows = list(csv.DictReader((reference_media / "pdq" / "reference-hashes.csv").open()))
    assert len(rows) == 8
    for row in rows:
        ours = pdq_hash_file(reference_media / "pdq" / row["file"])
        assert hamming(ours.pdq, row["hash"]) <= 10, row["file"]
        assert ours.quality >= 50


def test_edited_copies_match_the_original_and_unrelated_photos_do_not(reference_media: Path):
    mods = reference_media / "pdq" / "bridge-mods"
    original = pdq_hash_file(mods / "aaa-orig.jpg").pdq
    copies = sorted(p for p in mods.glob("*.jpg") if p.name != "aaa-orig.jpg")
    assert len(copies) >= 10
    for copy in copies:
        assert hamming(pdq_hash_file(copy).pdq, original) <= THRESHOLD, copy.name
    unrelated = {p.name: pdq_hash_file(p).pdq for p in sorted((reference_media / "pdq" / "labelme-subset").glob("*.jpg"))}
    assert len(unrelated) >= 5
    for name, h in unrelated.items():
        assert hamming(h, original) > THRESHOLD, name
    names = sorted(unrelated)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert hamming(unrelated[a], unrelated[b]) > THRESHOLD, (a, b)


def test_every_pillow_mode_file_hashes_like_the_original(reference_media: Path):
    modes = reference_media / "pdq" / "misc-images" / "modes"
    original = pdq_hash_file(modes / "original.jpg").pdq
    files = sorted(p for p in modes.iterdir() if p.suffix != ".md")
    assert len(files) >= 10
    for f in files:
        h = pdq_hash_file(f)
        assert hamming(h.pdq, original) <= 10, f.name


@pytest.mark.parametrize("mode", ["1", "L", "P", "PA", "LA", "La", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr",
                                  "I", "I;16", "F", "HSV", "LAB"])
def test_every_pillow_mode_in_memory_hashes_like_rgb(reference_media: Path, mode: str):
    rgb = load_image(reference_media / "pdq" / "misc-images" / "modes" / "original.jpg")
    if mode in ("PA",):
        img = rgb.convert("P").convert("PA")
    elif mode in ("La", "RGBa"):
        img = rgb.convert("RGBA").convert(mode)
    elif mode == "I;16":
        img = rgb.convert("L").convert("I").convert("I;16")
    else:
        img = rgb.convert(mode)
    assert img.mode == mode
    assert hamming(pdq_hash_image(img).pdq, pdq_hash_image(rgb).pdq) <= 12


def test_sixteen_bit_grey_is_scaled_not_clipped(drawn_image):
    import numpy as np
    from PIL import Image

    grey = drawn_image(3).convert("L")
    wide = Image.fromarray(np.asarray(grey).astype(np.uint16) * 257)
    assert wide.mode.startswith("I;16")
    h = pdq_hash_image(wide)
    assert h.quality >= 50
    assert hamming(h.pdq, pdq_hash_image(grey).pdq) <= 4


def test_reduced_decoding_stays_close_to_full_resolution(reference_media: Path):
    """The fast path (reduced JPEG decode) must not move hashes far from a full decode."""
    files = sorted((reference_media / "pdq" / "bridge-mods").glob("*.jpg")) + [reference_media / "pdq" / "sample-b.jpg"]
    for f in files:
        full = pdq_hash_image(load_image(f))
        fast = pdq_hash_file(f)
        assert hamming(full.pdq, fast.pdq) <= 10, f.name
        assert abs(full.quality - fast.quality) <= 5


def test_image_fingerprint_carries_digests_and_pdq(reference_media: Path):
    import hashlib

    f = reference_media / "pdq" / "sample-b.jpg"
    fp = fingerprint_file(f).to_dict()
    data = f.read_bytes()
    assert fp["type"] == "image"
    assert fp["md5"] == hashlib.md5(data).hexdigest()
    assert fp["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(fp["pdq"]) == 64 and 0 <= fp["quality"] <= 100
    assert fp["path"] == str(f)
