"""Stickers over a picture (`make eval-matching`'s sticker table): recall with sticker finding asked
for (``MatchOptions(stickers=True)``, off by default) beside naive PDQ and the default query set, and
the false matches and lookups it adds on the unrelated images."""

from __future__ import annotations

import random
from typing import Callable

import numpy as np
from PIL import Image

from childsafe.media.images import pdq_hash_image
from eval.matching import hashing
from eval.matching.corpus import Sample
from eval.matching.transforms import emoji_sticker, jpeg, label_sticker, patched

THRESHOLD = 31

Edit = Callable[[Image.Image, random.Random], Image.Image]


def _twice(make: Callable[..., Image.Image], share: float) -> Edit:
    return lambda im, r: make(make(im, r, share / 2), r, share / 2)


def edits() -> list[tuple[str, Edit]]:
    out: list[tuple[str, Edit]] = []
    for name, make in (("a square of one random colour", patched), ("an emoji", emoji_sticker),
                       ("a white label, outlined", label_sticker)):
        for share in (0.02, 0.05, 0.1):
            out.append((f"{name} over {share:.0%}", lambda im, r, m=make, s=share: m(im, r, s)))
            out.append((f"{name} over {share:.0%}, jpeg q75", lambda im, r, m=make, s=share: jpeg(m(im, r, s), 75)))
    for share in (0.04, 0.1):
        out.append((f"two emoji over {share:.0%} in all", _twice(emoji_sticker, share)))
    return out


def _found(queries: np.ndarray, original: np.ndarray) -> bool:
    return bool((np.count_nonzero(queries != original[None, :], axis=1) <= THRESHOLD).any())


def evaluate(banked: list[Sample]) -> list[tuple[str, int, int, int, int]]:
    """(edit, n, naive, childsafe, childsafe with stickers) over the banked originals."""
    originals = [hashing.naive(s.image) for s in banked]
    rows = []
    for name, edit in edits():
        counts = [0, 0, 0]
        for sample, original in zip(banked, originals):
            query = edit(sample.image, random.Random(f"{name}/{sample.name}"))
            counts[0] += _found(hashing.naive(query)[None, :], original)
            counts[1] += _found(hashing.robust(query), original)
            counts[2] += _found(hashing.robust(query, stickers=True), original)
        rows.append((name, len(banked), *counts))
    return rows


def unrelated_cost(unrelated: list[Sample], banked: list[Sample]) -> dict:
    """Lookups and the closest distance to any banked original, default against stickers asked for."""
    bank = np.array([hashing.naive(s.image) for s in banked])
    out = {}
    for key, stickers in (("default", False), ("stickers", True)):
        lookups, closest, matched = 0, 256, 0
        for sample in unrelated:
            queries = hashing.robust(sample.image, stickers=stickers)
            lookups += len(queries)
            best = int(np.count_nonzero(queries[:, None, :] != bank[None, :, :], axis=2).min())
            closest = min(closest, best)
            matched += best <= THRESHOLD
        out[key] = {"lookups": lookups, "closest": closest, "matched": matched}
    return out
