"""All eight rotations and flips come from one pass and are named for what they do."""

from __future__ import annotations

from pathlib import Path

import pytest

from childsafe.index.codec import hamming
from childsafe.media import (
    TRANSFORMS,
    MatchOptions,
    apply_transform,
    image_query_hashes,
    load_image,
    pdq_dihedral,
    pdq_hash_file,
    pdq_hash_image,
)

# dih/ file -> the transform that turns the original into it (pdq reference naming in the file name)
DIH_FILES = {
    "bridge-1-original.jpg": "original",
    "bridge-2-rotate-90.jpg": "rot90",
    "bridge-3-rotate-180.jpg": "rot180",
    "bridge-4-rotate-270.jpg": "rot270",
    "bridge-5-flipx.jpg": "flip_v",
    "bridge-6-flipy.jpg": "flip_h",
    "bridge-7-flip-plus-1.jpg": "transpose",
    "bridge-8-flip-minus-1.jpg": "transverse",
}
INVERSE = {"original": "original", "rot90": "rot270", "rot180": "rot180", "rot270": "rot90",
           "flip_h": "flip_h", "flip_v": "flip_v", "transpose": "transpose", "transverse": "transverse"}


def test_dihedral_hash_of_t_is_the_hash_of_the_photo_turned_by_t(reference_media: Path):
    dih = reference_media / "pdq" / "dih"
    variants = {t.transform: t.pdq for t in pdq_dihedral(load_image(dih / "bridge-1-original.jpg"))}
    assert list(variants) == list(TRANSFORMS)
    for name, transform in DIH_FILES.items():
        turned = pdq_hash_file(dih / name).pdq
        assert hamming(variants[transform], turned) <= 10, name
        others = [t for t in TRANSFORMS if t != transform]
        assert all(hamming(variants[t], turned) > 31 for t in others), name


def test_a_turned_upload_matches_the_banked_original_through_its_inverse(reference_media: Path):
    dih = reference_media / "pdq" / "dih"
    original = pdq_hash_file(dih / "bridge-1-original.jpg").pdq
    for name, transform in DIH_FILES.items():
        whole = [q for q in image_query_hashes(load_image(dih / name)) if q.region is None and not q.trimmed]
        queries = {q.transform: q.pdq for q in whole}
        assert len(queries) == len(whole) == 8
        assert hamming(queries[INVERSE[transform]], original) <= 31, name
        if transform != "original":
            assert hamming(queries["original"], original) > 31, name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dihedral_names_agree_with_pillow_transposes_on_drawn_images(drawn_image, seed: int):
    img = drawn_image(seed, (480, 320))
    variants = {t.transform: t for t in pdq_dihedral(img)}
    for transform in TRANSFORMS:
        direct = pdq_hash_image(apply_transform(img, transform))
        assert hamming(variants[transform].pdq, direct.pdq) <= 12, transform
        assert variants[transform].quality == variants["original"].quality


def test_query_hashes_start_with_the_original_and_can_skip_variants(drawn_image):
    img = drawn_image(5)
    all_eight = image_query_hashes(img, MatchOptions(trim=False, regions=False, stickers=False))
    assert [q.transform for q in all_eight] == list(TRANSFORMS)
    assert [q.transform for q in image_query_hashes(img)][:8] == list(TRANSFORMS)
    assert all(q.region is None and not q.trimmed for q in all_eight)
    only = image_query_hashes(img, MatchOptions(dihedral=False, trim=False, regions=False, stickers=False))
    assert len(only) == 1 and only[0].transform == "original"
    assert hamming(only[0].pdq, all_eight[0].pdq) == 0
    assert set(all_eight[0].to_dict()) == {"pdq", "quality", "transform", "region", "trimmed", "covered"}
