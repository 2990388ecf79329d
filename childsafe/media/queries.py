"""The hashes one image is looked up as.

A banked original can come back flipped, turned, letterboxed or pasted into a larger picture. A
matcher that looks up only the upload's own hash lets all of these through, so an image query is a
small set of hashes: the original, its seven other dihedral variants (one PDQ pass), and,
where the options ask for them, the hashes of the image with uniform borders trimmed and of
rectangular regions inside it.

``trim`` and ``regions`` can be switched per call (and per bank); the border-trimming and
region-finding themselves live in :mod:`childsafe.media.edits`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

from PIL import Image

from childsafe.media.images import pdq_dihedral, pdq_dihedral_pixels, pdq_hash_image, pdq_hash_pixels

Region = tuple[int, int, int, int]


@dataclass(frozen=True)
class MatchOptions:
    """Which extra query hashes to compute. All on by default; each can be switched off for
    platforms that must keep latency minimal."""

    dihedral: bool = True
    trim: bool = True
    regions: bool = True
    max_regions: int = 8

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class QueryHash:
    """One hash to look up: ``transform`` (see ``TRANSFORMS``) applied to the image, or to the
    ``region`` (x0, y0, x1, y1 in the image's pixels) or the border-``trimmed`` image."""

    pdq: str
    quality: int
    transform: str = "original"
    region: Optional[Region] = None
    trimmed: bool = False

    def to_dict(self) -> dict:
        d = asdict(self)
        d["region"] = list(self.region) if self.region is not None else None
        return d


MIN_PICTURE_QUALITY = 50
"""Trimmed and region hashes below this PDQ quality (flat patches: a chat bubble, a blank page) are
dropped: they say little about the picture and are the likeliest to match by chance."""


def image_query_hashes(img: Image.Image, options: MatchOptions | None = None) -> list[QueryHash]:
    """The original hash first, then (with ``options.dihedral``) the seven other dihedral variants,
    then those of the border-trimmed picture (``options.trim``) and of framed regions
    (``options.regions``, at most ``options.max_regions``); see `childsafe.media.edits`."""
    options = options or MatchOptions()
    if options.dihedral:
        out = [QueryHash(t.pdq, t.quality, t.transform) for t in pdq_dihedral(img)]
    else:
        h = pdq_hash_image(img)
        out = [QueryHash(h.pdq, h.quality)]
    if options.trim or options.regions:
        out.extend(_picture_hashes(img, options))
    return out


def _picture_hashes(img: Image.Image, options: MatchOptions) -> list[QueryHash]:
    from childsafe.media.edits import pictures_within

    out = []
    pictures = pictures_within(img, trim=options.trim, regions=options.regions, max_regions=options.max_regions)
    for picture in pictures:
        # Hashed from its RGB pixels as they are (at most twice PICTURE_SIDE a side): PDQ's own luma.
        if options.dihedral:
            variants = [(t.transform, t.pdq, t.quality) for t in pdq_dihedral_pixels(picture.pixels)]
        else:
            h = pdq_hash_pixels(picture.pixels)
            variants = [("original", h.pdq, h.quality)]
        out.extend(
            QueryHash(pdq, quality, transform, region=picture.box, trimmed=picture.trimmed)
            for transform, pdq, quality in variants
            if quality >= MIN_PICTURE_QUALITY
        )
    return out
