"""Turning media files into bank entries (``bank add``) and walking folders (``match``)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from childsafe.banks import formats
from childsafe.banks.formats import ParsedEntry
from childsafe.errors import InvalidInput


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, folders recursively (sorted, hidden files skipped); missing paths raise."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        elif path.exists():
            yield path
        else:
            raise InvalidInput(f"{path}: no such file or folder", code="not_found")


def entries_for_file(path: Path, signal_type: str, *,
                     extra: Callable[[Path, Any], list[ParsedEntry]] | None = None) -> list[ParsedEntry]:
    """The bank entries one media file yields for a bank of ``signal_type``."""
    provenance = {"added_from": path.name}
    try:
        if signal_type in ("md5", "sha256"):
            from childsafe.media.images import require_file

            require_file(path, str(path))  # an empty file's digest would match every empty upload
            digest = file_digest(path, signal_type)
            return [ParsedEntry(value=digest, digest=digest, line=0, provenance=provenance)]
        from childsafe.media import detect_media_type

        kind = detect_media_type(path)
        if signal_type == "pdq":
            if kind == "video":
                raise InvalidInput(f"{path}: is a video; a pdq bank holds image hashes (use a vpdq bank)",
                                   code="wrong_media")
            from childsafe.media import load_image, pdq_hash_image

            img = load_image(path)
            h = pdq_hash_image(img)
            if h.quality == 0:
                raise InvalidInput(f"{path}: has no detail for PDQ to hash (quality 0: one colour throughout, or under "
                                   f"5 pixels a side); its hash would match every such upload, so it is not banked",
                                   code="no_detail")
            entries = [ParsedEntry(value=h.pdq, digest=h.pdq, line=0, quality=h.quality, provenance=provenance,
                                   bare=bare_pdq(img, h.pdq))]
            if extra is not None:
                entries.extend(extra(path, img))
            return entries
        if signal_type == "vpdq":
            if kind != "video":
                raise InvalidInput(f"{path}: is not a video; a vpdq bank holds video hashes", code="wrong_media")
            from childsafe.media import VPDQ_QUALITY_THRESHOLD, hash_video
            from childsafe.media.video import bars_were_cut

            video = hash_video(path, trim=True)
            if not any(f.quality >= VPDQ_QUALITY_THRESHOLD for f in video.frames):
                raise InvalidInput(f"{path}: no frame reaches vPDQ quality {VPDQ_QUALITY_THRESHOLD} (matching leaves "
                                   f"such frames out on both sides, as the reference does), so no copy of this video "
                                   f"could match; it is not banked", code="no_detail")
            entry = formats.vpdq_entry_from_frames(video.frames, line=0, where=str(path))
            entry.provenance = provenance
            if bars_were_cut(video.trimmed_frames, video.frames):
                # Frames with bars (the vPDQ reference videos have them): their bars cut as a query's
                # are, so a copy in more bars of the same colour, cut with them, is found.
                entry.bare = formats.vpdq_entry_from_frames(video.trimmed_frames, line=0, where=str(path)).value
            return [entry]
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", code="unreadable_file") from None
    raise InvalidInput(f"unknown signal type {signal_type!r}", code="bad_signal_type")


DERIVED_MIN_QUALITY = 10
"""A bank's hashes derived from an original (its trimmed picture, `bare_pdq`; its crops, `crop_entries`)
are compared with every query, and kept only from this PDQ quality (a query's regions' line,
`queries.MIN_PICTURE_QUALITY`); the original's own hash is kept whatever its quality, as the platform
gave it. A crop of a clear-sky photo (quality 5) matched a smooth gradient 26 bits away until crops
kept this line too (found by an outside check); the 286 crops of quality 10 to 19 of 67 drawings and
photos come no nearer than 62 bits to 150 smooth gradients and flat pages, and a line of 20 lost 2
of 12 drawings' cropped and turned copies. For the trimmed picture the line was PDQ's own 50
until 26 November 2026, but a drawing on a white page is trimmed to its shapes, whose hash is often a
little under the whole page's (48 against 57): a copy in a white border was then found through
neither (shapes on a white or black page in a border of the page's colour, against a bank made from
the files: 237 of 240 -> 240 of 240)."""


def bare_pdq(img: Any, own: str) -> str | None:
    """The hash a bank keeps beside an image's own (``own``) as its trimmed signal
    (`BankEntry.bare`): the image with its flat edges cut by one trimming pass, hashed as a query's
    trimmed picture is; None when nothing is cut, or when the trimmed picture's PDQ quality is under
    `DERIVED_MIN_QUALITY` (a flat picture's hash says little and matches by chance)."""
    from childsafe.media.queries import trimmed_hash

    bare = trimmed_hash(img)
    if bare is None or bare.pdq == own or bare.quality < DERIVED_MIN_QUALITY:
        return None
    return bare.pdq


def file_digest(path: Path, algorithm: str) -> str:
    """The file's hex digest by ``algorithm`` (md5, sha256), read a megabyte at a time."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def crop_hashes(img: Any) -> Iterator[tuple[Any, Any]]:
    """(crop, PDQ hash) for each crop in `childsafe.media.edits.CROPS` that a bank keeps: those of
    PDQ quality `DERIVED_MIN_QUALITY` or more (a flat crop, a sky or a wall, says little and matches
    flat uploads by chance)."""
    from childsafe.media import pdq_hash_image
    from childsafe.media.edits import crop_images

    for crop, cropped in crop_images(img):
        h = pdq_hash_image(cropped)
        if h.quality >= DERIVED_MIN_QUALITY:
            yield crop, h


def crop_entries(path: Path, img: Any) -> list[ParsedEntry]:
    """``bank add --crops``: one entry per crop `crop_hashes` keeps, labelled with its crop.

    For banks of originals a platform holds (its own removals): PDQ cannot see a cropped copy of a
    picture it never hashed, so the crops are hashed up front. Each entry carries the label
    ``crop:<name>`` and, in its provenance, the crop and the original's hash.
    """
    from childsafe.media import pdq_hash_image

    original = pdq_hash_image(img).pdq
    return [ParsedEntry(value=h.pdq, digest=h.pdq, line=0, quality=h.quality, labels=[f"crop:{crop.label}"],
                        provenance={"added_from": path.name, "crop": crop.to_dict(), "crop_of": original})
            for crop, h in crop_hashes(img)]
