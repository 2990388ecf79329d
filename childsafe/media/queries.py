"""The hashes one image is looked up as.

A banked original can come back flipped, turned, letterboxed or pasted into a larger picture. A
matcher that looks up only the upload's own hash lets all of these through, so an image query is a
small set of hashes: the original, its seven other dihedral variants (one pdqhash pass), and,
where the options ask for them, the hashes of the image with uniform borders trimmed and of
rectangular regions inside it.

``trim`` and ``regions`` are accepted here so that callers and banks can switch them per call; the
border-trimming and region-finding work itself is added by the robust-matching part (issue 9). Until
it lands, these flags change nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

from PIL import Image

from childsafe.media.images import pdq_dihedral, pdq_hash_image

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


def image_query_hashes(img: Image.Image, options: MatchOptions | None = None) -> list[QueryHash]:
    """The original hash first, then (with ``options.dihedral``) the seven other dihedral variants."""
    options = options or MatchOptions()
    if options.dihedral:
        return [QueryHash(t.pdq, t.quality, t.transform) for t in pdq_dihedral(img)]
    h = pdq_hash_image(img)
    return [QueryHash(h.pdq, h.quality)]
