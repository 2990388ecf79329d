"""The hashes one image is looked up as.

A banked original can come back flipped, turned, letterboxed or pasted into a larger picture. A
matcher that looks up only the upload's own hash lets all of these through, so an image query is a
small set of hashes: the original, its seven other dihedral variants (one PDQ pass), and,
where the options ask for them, the hashes of the image with uniform borders trimmed, of
rectangular regions inside it, and of the image with a sticker over it filled from round it.

``trim``, ``regions`` and ``stickers`` can be switched per call (and per bank); the
border-trimming, region- and sticker-finding themselves live in :mod:`childsafe.media.edits`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable, Optional

import numpy as np
from PIL import Image

from childsafe.media import pdq
from childsafe.media.images import (TRANSFORMS, PDQHash, dihedral_hexes, image_of_rgb, luma_pixels, pdq_hash_pixels,
                                    pdq_hash_then_dihedral)

Region = tuple[int, int, int, int]


@dataclass(frozen=True)
class MatchOptions:
    """Which extra query hashes to compute. Dihedral variants, trimming and regions are on by default;
    each can be switched off for platforms that must keep latency minimal. ``stickers`` (the image
    with a sticker over it filled, `edits.stickers`) is asked for: finding a sticker costs a medium
    photo about as much again as the rest of the extra work (docs/robust-matching.md)."""

    dihedral: bool = True
    trim: bool = True
    regions: bool = True
    max_regions: int = 8
    stickers: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class QueryHash:
    """One hash to look up: ``transform`` (see ``TRANSFORMS``) applied to the image, or to the
    ``region`` (x0, y0, x1, y1 in the image's pixels) or the border-``trimmed`` image, or to the
    image with the stickers in the boxes ``covered`` filled from the picture round them."""

    pdq: str
    quality: int
    transform: str = "original"
    region: Optional[Region] = None
    trimmed: bool = False
    covered: Optional[tuple[Region, ...]] = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["region"] = list(self.region) if self.region is not None else None
        d["covered"] = [list(box) for box in self.covered] if self.covered is not None else None
        return d

    @classmethod
    def variants(cls, transforms: Iterable[str], hexes: Iterable[str], quality: int,
                 region: Optional[Region] = None, trimmed: bool = False,
                 covered: Optional[tuple[Region, ...]] = None) -> list[QueryHash]:
        """One QueryHash for each (transform, hex) pair, the rest alike. The same objects as the
        constructor makes (equal, hashed and frozen alike), made by filling each one's ``__dict__``:
        the frozen ``__init__`` sets every field through ``object.__setattr__``, 5.8 us for a
        picture's eight, 2.0 us this way (a query makes eight for the image and for each picture)."""
        new = object.__new__
        out = []
        for transform, h in zip(transforms, hexes):
            q = new(cls)
            fields = q.__dict__
            fields["pdq"] = h
            fields["quality"] = quality
            fields["transform"] = transform
            fields["region"] = region
            fields["trimmed"] = trimmed
            fields["covered"] = covered
            out.append(q)
        return out


MIN_PICTURE_QUALITY = 10
"""Region hashes below this PDQ quality (flat patches: a chat bubble with a line of words is 2, a
blank page 0) are dropped: they say little about the picture and are the likeliest to match by
chance. The floor was 50, PDQ's own line for a reliable hash, until 26 November 2026; but the
image's own hashes are looked up whatever their quality, and a simple drawing (shapes on a flat
page: quality 13 to 100, a third of them under 50) pasted into a screenshot, a collage or over a
photo was then missed a third of the time (`make eval-matching`'s simple drawings: 86.2% over their
transforms at 50, 91.7% at 20, 96.0% at 10; the unrelated images' lookups 5,200, 5,576 and 5,688,
no false match and the closest 84 bits at each). The trimmed picture is kept whatever its quality:
it is the image without its bars and stands for it, as the image's own hashes do (a smooth drawn
picture of quality 39 in a bank must still be found with a border around it, and a clear sky of
quality 0 inside bars)."""


NEAR_DUPLICATE = 8
"""A picture whose hash lies this close to the image's own (or to a picture kept before it) is not
looked up: whatever it would match lies within the threshold plus this of what is looked up
already. A trimmed photo's thin dark edge (8 pixels of 1,411) moves its hash 2 to 6 bits; a bar of a
twentieth of a side moves a texture's 50 or more, which is kept."""


def image_query_hashes(img: Image.Image, options: MatchOptions | None = None) -> list[QueryHash]:
    """The original hash first, then (with ``options.dihedral``) the seven other dihedral variants,
    then those of the border-trimmed picture (``options.trim``), of framed regions
    (``options.regions``, at most ``options.max_regions``) and of the image with stickers filled
    (``options.stickers``, off unless asked for); see `childsafe.media.edits`."""
    from childsafe.media.edits import working_copy

    options = options or MatchOptions()
    # Borders and regions are found on an RGB copy; at full size (an image of 512 pixels or so) it is
    # the image itself, and the luma PDQ hashes is then made from it (`luma_pixels` checks the size),
    # not converted a second time.
    working = working_copy(img) if options.trim or options.regions or options.stickers else None
    luma = luma_pixels(img, working[0] if working is not None else None)
    if options.dihedral:
        hashes, quality = pdq.pdq_dihedral_bytes(luma)
        out = QueryHash.variants(TRANSFORMS, dihedral_hexes(hashes), int(quality))
    else:
        h = pdq_hash_pixels(luma)
        out = [QueryHash(h.pdq, h.quality)]
    if working is not None:
        out.extend(_picture_hashes(img, luma, options, out[0].pdq, working))
    return out


def picture_luma(luma: np.ndarray, size: tuple[int, int], box: Region) -> np.ndarray:
    """The part of an image's luma that shows ``box`` (in the pixels of the image, of ``size``), as a
    view: the luma is ``luma_pixels``' (the image's own, box-filtered down to ``HASH_MAX_SIDE`` when
    larger), so a picture is hashed the way a whole image is, and a bank's original was. Every pixel
    of the part is hashed: sampling every second one of a part longer than 768 pixels (until 26
    November 2026) moved a drawn scene's hash 24 bits (8 on average over 52 bordered copies of 13
    photos and scenes of 700 to 2,000 pixels, 4 this way), and JPEG then took two of them past the
    threshold; averaging pixel pairs instead did no better."""
    width, height = size
    rows, cols = luma.shape
    x0, y0, x1, y1 = box
    c0, r0 = x0 * cols // width, y0 * rows // height
    c1 = max(c0 + 1, -(-x1 * cols // width))
    r1 = max(r0 + 1, -(-y1 * rows // height))
    return luma[r0:r1, c0:c1]


def _picture_hashes(img: Image.Image, luma: np.ndarray, options: MatchOptions, whole: str,
                    working: tuple[np.ndarray, int]) -> list[QueryHash]:
    """The hashes of the pictures found in the image (`pictures_within`); ``whole`` is the image's
    own hash. A picture is hashed once first: one below the quality floor, or within
    ``NEAR_DUPLICATE`` bits of the image or of a picture kept before it, is dropped before its
    other variants are made (it would look up what is looked up already)."""
    from childsafe.media.edits import pictures_within

    out = []
    kept = [int(whole, 16)]
    pictures = pictures_within(img, trim=options.trim, regions=options.regions, max_regions=options.max_regions,
                               working=working)
    for picture in pictures:
        out.extend(_new_variants(_hashed_pixels(img, luma, picture), options, kept, any_quality=picture.trimmed,
                                 region=picture.box, trimmed=picture.trimmed))
    if options.stickers:
        out.extend(_sticker_hashes(img, luma, options, kept, working))
    return out


def _new_variants(pixels: np.ndarray, options: MatchOptions, kept: list[int], *, any_quality: bool = False,
                  **fields) -> list[QueryHash]:
    """The query hashes of one more picture (``pixels``, hashed once first): none when it is below
    the quality floor (unless ``any_quality``) or within ``NEAR_DUPLICATE`` bits of a hash in ``kept``
    (which it then joins), else its dihedral variants (or the original alone), with ``fields``
    (``region``, ``trimmed``, ``covered``) saying what it is."""
    first, dihedral = pdq_hash_then_dihedral(pixels)
    if not (any_quality or first.quality >= MIN_PICTURE_QUALITY):
        return []
    value = int(first.pdq, 16)
    if any((value ^ other).bit_count() <= NEAR_DUPLICATE for other in kept):
        return []
    kept.append(value)
    transforms, hexes = (TRANSFORMS, dihedral()) if options.dihedral else (("original",), (first.pdq,))
    return QueryHash.variants(transforms, hexes, first.quality, **fields)


def _sticker_hashes(img: Image.Image, luma: np.ndarray, options: MatchOptions, kept: list[int],
                    working: tuple[np.ndarray, int]) -> list[QueryHash]:
    """The hashes of the image with each sticker found on it filled (`edits.stickers`,
    `edits.fill_sticker`), and with all of them filled when there are more than one (two emoji over a
    photo: each filled alone, 13 of 24 found; both, 23). Dropped as pictures are, below the quality
    floor or near a hash looked up already (``kept``, which grows)."""
    from childsafe.media.edits import fill_sticker, stickers

    found = stickers(working[0], working[1], img.size)
    out = []
    for covering in [[s] for s in found] + ([found] if len(found) > 1 else []):
        pixels = luma
        for sticker in covering:
            pixels = fill_sticker(pixels, img.size, sticker)
        out.extend(_new_variants(pixels, options, kept, covered=tuple(s.box for s in covering)))
    return out

def _hashed_pixels(img: Image.Image, luma: np.ndarray, picture) -> np.ndarray:
    """The pixels a picture found in the image is hashed from: the luma the image was hashed from (a
    bank's original was hashed the same way: a flat picture's hash moves with the rounding of its
    luma), box-filtered where the image was reduced, rather than every k-th pixel (a fine texture
    aliases: 36 bits off on one photo). A picture shorter than twice PICTURE_SIDE of an image that
    was reduced is hashed from its own pixels at full size instead (the reduced luma holds too few),
    turned to Pillow's luma first, as a whole image is before it is hashed. (Hashed from RGB until 26
    November 2026, each of PDQ's kept rows worked out the luma again for every row of its band: a
    picture of 384 x 288 in a 1280 x 720 copy took 497 us to hash, now 102. The pasted sweep's 300
    cases of one seed found the same 280 pictures either way, at a mean distance of 9.75 and 9.76
    bits.) A picture with rounded corners (``picture.corner``) is hashed with them filled
    (`edits.fill_corners`); one turned back (``picture.turned``) from its own pixels."""
    from childsafe.media.edits import PICTURE_SIDE, fill_corners

    x0, y0, x1, y1 = picture.box
    full_size = luma.shape == (img.height, img.width)
    large = max(x1 - x0, y1 - y0) >= 2 * PICTURE_SIDE
    if (full_size or large) and not picture.turned:  # (a turned picture's pixels are it turned back)
        pixels = picture_luma(luma, img.size, picture.box)
    else:
        grey = pdq.grey_of_rgb(picture.pixels)  # compiled; Pillow's own conversion without it
        pixels = grey if grey is not None else np.asarray(image_of_rgb(picture.pixels).convert("L"))
    return fill_corners(pixels, picture.corner) if picture.corner else pixels


def trimmed_hash(img: Image.Image) -> PDQHash | None:
    """The PDQ of the image with its own flat edges cut by one trimming pass (the first trimmed
    picture a query of it looks up, hashed the same way), or None when there is nothing to cut.

    A bank keeps it beside an original's hash (`BankEntry.bare`): a copy in a border of the colour
    of the picture's own edge (white around a picture on white) is trimmed together with that edge,
    to this picture, which is found through it and not otherwise."""
    from childsafe.media.edits import pictures_within, working_copy

    working = working_copy(img)
    trimmed = [p for p in pictures_within(img, regions=False, working=working) if p.trimmed and not p.turned]
    if not trimmed:
        return None
    luma = luma_pixels(img, working[0])
    return pdq_hash_pixels(_hashed_pixels(img, luma, trimmed[0]))
