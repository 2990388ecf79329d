"""vPDQ: frame hashes, the reference text format, and the two-way matching rule.

A vPDQ hash is the list of PDQ hashes of a video's (sampled) frames. The text format is the one the
reference ``vpdq-hash-video`` tool writes: one line per frame,
``frame_number,quality,pdq_hex,timestamp`` with the timestamp in seconds to three decimals.

Matching follows python-threatexchange's ``match_VPDQ_hash_brute``: drop exact duplicate hashes
and frames below the quality threshold (50), count the query frames that lie within the distance
threshold (31, inclusive) of any compared frame and vice versa, and call it a match when the
query percentage reaches 80 (the compared percentage threshold defaults to 0).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

import numpy as np

from childsafe.errors import InvalidInput
from childsafe.index.codec import hex_to_array, normalise_hex

VPDQ_DISTANCE_THRESHOLD = 31
VPDQ_QUALITY_THRESHOLD = 50
VPDQ_QUERY_MATCH_THRESHOLD_PERCENT = 80.0
VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT = 0.0
TIMESTAMP_PRECISION = 3


@dataclass(frozen=True)
class FrameHash:
    """One sampled frame: its number in decode order, PDQ quality and hash, time in seconds."""

    frame: int
    quality: int
    pdq: str
    timestamp: float

    def to_dict(self) -> dict:
        d = asdict(self)
        d["timestamp"] = round(self.timestamp, TIMESTAMP_PRECISION)
        return d


@dataclass(frozen=True)
class VideoMatch:
    """Share (percent) of the query's usable frames found in the compared video, and vice versa."""

    query_pct: float
    compared_pct: float

    def is_match(
        self,
        query_threshold: float = VPDQ_QUERY_MATCH_THRESHOLD_PERCENT,
        compared_threshold: float = VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT,
    ) -> bool:
        return self.query_pct >= query_threshold and self.compared_pct >= compared_threshold and self.query_pct > 0

    def to_dict(self) -> dict:
        return {"query_pct": round(self.query_pct, 2), "compared_pct": round(self.compared_pct, 2),
                "match": self.is_match()}


def format_vpdq(frames: Iterable[FrameHash]) -> str:
    """Frames -> the reference vpdq text (one line per frame, newline-terminated)."""
    return "".join(f"{f.frame},{f.quality},{f.pdq},{f.timestamp:.{TIMESTAMP_PRECISION}f}\n" for f in frames)


def parse_vpdq(text: str, *, source: str = "") -> list[FrameHash]:
    """The reference vpdq text -> frames; any malformed line raises InvalidInput with its number.

    As the reference loader, fields after the fourth are ignored; unlike it, a line without a
    timestamp (the three-field form in the reference's FORMAT.md) is read with timestamp 0."""
    where = source or "<vpdq>"
    frames: list[FrameHash] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 3:
            raise InvalidInput(
                f"{where}: line {lineno}: expected comma-separated frame,quality,pdq,timestamp "
                f"(timestamp optional), got {len(parts)} field(s)", code="bad_vpdq")
        frame_s, quality_s, pdq_s = parts[:3]
        ts_s = parts[3] if len(parts) > 3 else "0"  # older files (FORMAT.md) carry no timestamp
        try:
            frame = int(frame_s)
            quality = int(quality_s)
            timestamp = float(ts_s)
        except ValueError:
            raise InvalidInput(f"{where}: line {lineno}: frame and quality must be integers and the "
                               f"timestamp a number", code="bad_vpdq") from None
        if frame < 0 or not 0 <= quality <= 100 or not math.isfinite(timestamp) or timestamp < 0:
            raise InvalidInput(f"{where}: line {lineno}: frame must be >= 0, quality 0-100 and "
                               f"timestamp >= 0", code="bad_vpdq")
        pdq = normalise_hex(pdq_s, "pdq", where=f"{where}: line {lineno}")
        frames.append(FrameHash(frame, quality, pdq, timestamp))
    return frames


def _usable(frames: Sequence[FrameHash], quality: int) -> np.ndarray:
    seen: set[str] = set()
    kept: list[str] = []
    for f in frames:
        if f.pdq not in seen:
            seen.add(f.pdq)
            if f.quality >= quality:
                kept.append(f.pdq)
    return hex_to_array(kept)


def _matched_rows(a: np.ndarray, b: np.ndarray, distance: int) -> tuple[int, int]:
    """How many rows of ``a`` lie within ``distance`` of some row of ``b``, and vice versa."""
    a64 = np.ascontiguousarray(a).view(np.uint64)
    b64 = np.ascontiguousarray(b).view(np.uint64)
    b_hit = np.zeros(len(b64), dtype=bool)
    a_hits = 0
    chunk = max(1, (1 << 20) // max(1, len(b64)))  # bounds the (chunk, n, 4) block to ~32 MB
    for start in range(0, len(a64), chunk):
        block = a64[start:start + chunk]
        d = np.bitwise_count(block[:, None, :] ^ b64[None, :, :]).sum(axis=2, dtype=np.int32)
        close = d <= distance
        a_hits += int(close.any(axis=1).sum())
        b_hit |= close.any(axis=0)
    return a_hits, int(b_hit.sum())


def vpdq_match(
    query_frames: Sequence[FrameHash],
    target_frames: Sequence[FrameHash],
    *,
    distance: int = VPDQ_DISTANCE_THRESHOLD,
    quality: int = VPDQ_QUALITY_THRESHOLD,
) -> VideoMatch:
    """Two-way frame match percentages between a query video and a compared one."""
    q = _usable(query_frames, quality)
    t = _usable(target_frames, quality)
    if len(q) == 0 or len(t) == 0:
        return VideoMatch(0.0, 0.0)
    q_hits, t_hits = _matched_rows(q, t, distance)
    return VideoMatch(q_hits * 100.0 / len(q), t_hits * 100.0 / len(t))
