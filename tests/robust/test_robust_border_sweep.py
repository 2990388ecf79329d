"""The evaluation's border sweep (eval.matching.borders) counts what it says: a bank made from the
files finds a silhouette on white in white borders, which the original's hash alone misses."""

from __future__ import annotations

import pytest

from eval.matching import borders
from eval.matching.corpus import _skimage


def test_the_sweep_finds_through_the_banks_trimmed_picture_what_a_hash_list_misses():
    samples = _skimage(("horse",))
    if not samples:
        pytest.skip("scikit-image is not installed")
    counts = borders.evaluate(samples, seed=0)
    kinds, colours = borders.KINDS + borders.LATER_KINDS, borders.COLOURS + borders.NEAR_COLOURS
    assert set(counts) == {(kind, colour) for kind in kinds for colour in colours}
    n, naive, listed, from_files = (sum(row[i] for row in counts.values()) for i in range(4))
    assert n == len(kinds) * len(colours)
    assert naive <= listed <= from_files
    white = [counts[(kind, "white")] for kind in borders.KINDS]
    assert sum(row[2] for row in white) < len(white)  # white around white: the hash alone misses
    assert all(row[3] == row[0] for row in white)  # the bank's trimmed picture finds every one
