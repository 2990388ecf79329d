"""The two ways of hashing a query that the evaluation compares.

``naive``: PDQ of the image as it comes, the way a plain hash-list matcher works.
``robust``: childsafe's query set, `image_query_hashes` (with every option on: all eight dihedral
variants of the image, of its trimmed picture and of each framed region).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from childsafe.index.codec import hex_to_array
from childsafe.media import pdq_hash_image
from childsafe.media.queries import MatchOptions, image_query_hashes


def _bits(hexes: list[str]) -> np.ndarray:
    return np.unpackbits(hex_to_array(hexes), axis=1).astype(bool)


def naive(img: Image.Image) -> np.ndarray:
    return _bits([pdq_hash_image(img).pdq])[0]


def robust(img: Image.Image, *, trim: bool = True, regions: bool = True, stickers: bool = False) -> np.ndarray:
    queries = image_query_hashes(img, MatchOptions(trim=trim, regions=regions, stickers=stickers))
    return _bits([q.pdq for q in queries])


def crop_hashes(img: Image.Image) -> list[tuple[str, np.ndarray]]:
    """What ``bank add --crops`` stores besides the original (same crops, same hasher), and the
    original's trimmed picture (`bare_pdq`) that ``bank add`` keeps for any image with flat edges."""
    from childsafe.banks.hashing import bare_pdq, crop_hashes as banked_crops

    out = [(crop.label, _bits([h.pdq])[0]) for crop, h in banked_crops(img)]
    bare = bare_pdq(img, pdq_hash_image(img).pdq)
    return out + ([("trimmed", _bits([bare])[0])] if bare else [])


def describe() -> str:
    opts = MatchOptions()
    return (f"image_query_hashes with {opts}: 8 dihedral variants of the image, of its trimmed picture "
            f"and of up to {opts.max_regions} framed regions")
