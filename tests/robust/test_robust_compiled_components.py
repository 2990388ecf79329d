"""The compiled patch finder (childsafe.media._components) gives scipy.ndimage's patches exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from childsafe.media import edits

_components = pytest.importorskip("childsafe.media._components")


def same(mask: np.ndarray) -> None:
    want_sizes, want_boxes = edits._patches_scipy(mask)
    found = _components.components(mask)
    assert [p[0] for p in found] == want_sizes.tolist()
    assert [tuple(p[1:]) for p in found] == [tuple(int(v) for v in b) for b in want_boxes]
    # with a least size: the same patches, those as large or larger, in the same order (both engines)
    for least in {2, 5, int(np.median(want_sizes)) if len(want_sizes) else 1}:
        kept = [(int(n), tuple(int(v) for v in b)) for n, b in zip(want_sizes, want_boxes) if n >= least]
        assert [(p[0], tuple(p[1:])) for p in _components.components(mask, least)] == kept
        sizes, boxes = edits._patches(mask, least)
        assert [(int(n), tuple(int(v) for v in b)) for n, b in zip(sizes, boxes)] == kept
    # largest: np.argmax over the sizes (the first of the largest size), without the list
    largest = _components.largest(mask)
    if len(want_sizes) == 0:
        assert largest is None
    else:
        first = int(np.argmax(want_sizes))
        assert largest == (int(want_sizes[first]), *(int(v) for v in want_boxes[first]))


def test_random_masks_of_every_density_and_shape():
    rng = np.random.default_rng(0)
    for trial in range(600):
        h, w = int(rng.integers(1, 70)), int(rng.integers(1, 70))
        mask = rng.random((h, w)) < rng.random()
        same(mask)
        same(mask[::2, ::3])  # strided views, as a[::step, ::step] gives
        same(mask[::-1, ::-1])
        same(mask.view(np.uint8))


def test_wide_masks_read_a_word_at_a_time():
    # Long runs and long gaps (read eight pixels at once) ending at every offset, and uint8 masks whose
    # true pixels are any non-zero value (a byte of 0x80 or 0xff is no zero byte).
    rng = np.random.default_rng(3)
    for trial in range(200):
        h, w = int(rng.integers(1, 12)), int(rng.integers(8, 300))
        mask = np.zeros((h, w), np.uint8)
        for _ in range(int(rng.integers(0, 8))):
            y0, x0 = int(rng.integers(0, h)), int(rng.integers(0, w))
            mask[y0 : y0 + int(rng.integers(1, 4)), x0 : x0 + int(rng.integers(1, 90))] = rng.choice([1, 0x80, 0xFF])
        same(mask)
        same(mask.astype(bool))
        same(mask[:, 1:])  # a row that starts off a word boundary


def test_shapes_that_join_late():
    """U shapes, spirals and diagonals: patches that meet only further down, so their numbers merge."""
    u = np.zeros((30, 30), bool)
    u[2:28, 2] = u[2:28, 27] = u[27, 2:28] = True
    diagonal = np.eye(40, dtype=bool) | np.eye(40, dtype=bool)[::-1]
    comb = np.zeros((20, 41), bool)
    comb[:, ::2] = True
    comb[19, :] = True
    stairs = np.kron(np.eye(8, dtype=bool), np.ones((3, 3), bool))
    for mask in (u, diagonal, comb, stairs, ~u, np.ones((1, 1), bool), np.zeros((5, 5), bool),
                 np.ones((1, 300), bool), np.ones((300, 1), bool)):
        same(mask)


@settings(max_examples=150, deadline=None)
@given(hnp.arrays(bool, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=40)))
def test_any_mask(mask):
    same(mask)


def test_photos_as_the_regions_see_them(reference_media):
    from childsafe.media import load_image

    for path in sorted((reference_media / "pdq" / "labelme-subset").glob("*.jpg")):
        a, _ = edits.working_copy(load_image(path))
        for colours in (edits._backgrounds_numpy(a), [np.array([c, c, c]) for c in (20, 128, 235)]):
            same(edits._not_background_numpy(a, colours, edits.BORDER_TOLERANCE))


def test_bad_masks_are_refused():
    for bad in (np.zeros((3, 3, 3), bool), np.zeros(5, bool), np.zeros((4, 4), np.int32), np.zeros((4, 4), np.float32),
                b"abc", None, [[True]]):
        for find in (_components.components, _components.largest):
            with pytest.raises((TypeError, ValueError)):
                find(bad)
    assert _components.components(np.zeros((0, 7), bool)) == []
    assert _components.largest(np.zeros((0, 7), bool)) is None


def test_largest_patch_is_the_same_without_the_compiled_part(monkeypatch):
    rng = np.random.default_rng(5)
    masks = [rng.random((40, 50)) < d for d in (0.0, 0.2, 0.5, 0.9)] + [np.eye(6, dtype=bool)]
    compiled = [edits._largest_patch(m) for m in masks]
    monkeypatch.setattr(edits, "NUMPY_ONLY", True)
    assert [edits._largest_patch(m) for m in masks] == compiled
    assert compiled[0] is None and compiled[-1] == (0, 6, 0, 6)


def test_a_dot_grid_has_one_largest_patch_and_no_list():
    # 262,144 patches of one pixel (the most a 1,023 px working copy can hold): the first one
    mask = np.zeros((1023, 1023), bool)
    mask[::2, ::2] = True
    assert _components.largest(mask) == (1, 0, 1, 0, 1)
    mask[500, 1:4] = True  # joins the dots at columns 0, 2 and 4 of row 500: five pixels
    assert _components.largest(mask) == (5, 500, 501, 0, 5)
