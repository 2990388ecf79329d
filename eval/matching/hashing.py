"""The two ways of hashing a query that the evaluation compares.

``naive``: PDQ of the image as it comes, the way a plain hash-list matcher works.
``robust``: childsafe's query set, `image_query_hashes` with everything on (all eight dihedral
variants of the image, of its trimmed picture and of each framed region).
"""

from __future__ import annotations

import numpy as np
import pdqhash
from PIL import Image

from childsafe.media.edits import CROPS, pictures_within


def _array(img: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(img.convert("RGB"), dtype=np.uint8))


def naive(img: Image.Image) -> np.ndarray:
    bits, _quality = pdqhash.compute(_array(img))
    return bits.astype(bool)


def robust(img: Image.Image, *, trim: bool = True, regions: bool = True) -> np.ndarray:
    vectors, _quality = pdqhash.compute_dihedral(_array(img))
    out = list(vectors)
    for picture in pictures_within(img, trim=trim, regions=regions):
        extra, _q = pdqhash.compute_dihedral(picture.pixels)
        out += extra
    return np.array(out, dtype=bool)


def crop_hashes(img: Image.Image) -> list[tuple[str, np.ndarray]]:
    w, h = img.size
    return [(crop.label, naive(img.crop(crop.box(w, h)))) for crop in CROPS]


def describe() -> str:
    return "8 dihedral variants of the image, its trimmed picture and up to 8 regions"
