"""Matching media and hashes against banks.

Images are looked up by PDQ (every query variant the media layer produces: the original, its
dihedral rotations and flips, trimmed and region hashes, all in one batched index call) and by
file digest in md5/sha256 banks. Videos follow vPDQ's two-way rule: a banked video matches when
the share of query frames matched and the share of its own frames matched both pass their
thresholds; a PDQ index over banked frames picks the candidates first, which is exact because a
video with no frame within the distance cannot reach a non-zero percentage.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from sqlalchemy import bindparam, select

from childsafe.banks.indexes import BankIndex
from childsafe.banks.models import Bank, BankEntry
from childsafe.errors import ChildsafeError, InvalidInput, NotFound
from childsafe.index.codec import hex_to_array, normalise_hex
from childsafe.store import Database

DEFAULT_THRESHOLD = 31
VPDQ_QUALITY = 50

DEGENERATE_SPREAD = 32
"""PDQ sets a bit for each of its 256 coefficients above their median: 128 bits, fewer only where
coefficients tie, in a picture with next to no detail (one colour, or under 5 pixels a side: every
black image hashes to all zeros). A hash with more than this many bits fewer or more than 128 lies
more than 31 bits from every hash of a picture with detail, so at the default threshold it can match
only another such hash: a blank image's hash in an imported list matched every blank upload. Such a
query hash of an image is not looked up (`informative`); a hash asked for directly still is."""


def informative(pdq_hex: str) -> bool:
    """Whether a PDQ hash (hex) comes from a picture with detail (`DEGENERATE_SPREAD`)."""
    return abs(int(pdq_hex, 16).bit_count() - 128) <= DEGENERATE_SPREAD


_CHUNK = 500


@dataclass
class Match:
    """One banked entry a query matched."""

    bank: str
    entry_id: int
    hash: str
    distance: int
    labels: list[str]
    signal_type: str
    transform: str = "original"
    region: tuple[int, int, int, int] | None = None
    trimmed: bool = False
    covered: tuple[tuple[int, int, int, int], ...] | None = None  # stickers filled (their boxes)
    query_match_pct: float | None = None
    compared_match_pct: float | None = None
    banked_trimmed: bool = False  # matched the entry's trimmed signal (BankEntry.bare), not its hash

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "bank": self.bank,
            "hash": self.hash,
            "distance": self.distance,
            "labels": list(self.labels),
            "entry_id": self.entry_id,
            "signal_type": self.signal_type,
        }
        if self.transform != "original":
            out["transform"] = self.transform
        if self.region is not None:
            out["region"] = list(self.region)
        if self.trimmed:
            out["trimmed"] = True
        if self.covered is not None:
            out["covered"] = [list(box) for box in self.covered]
        if self.banked_trimmed:
            out["banked_trimmed"] = True
        if self.query_match_pct is not None:
            out["query_match_pct"] = round(self.query_match_pct, 2)
            out["compared_match_pct"] = round(self.compared_match_pct or 0.0, 2)
        return out


@dataclass
class MatchResult:
    """The answer for one file or one hash; ``to_dict()`` is one ``childsafe match --json`` line."""

    matches: list[Match] = field(default_factory=list)
    path: str | None = None
    hash: str | None = None
    type: str | None = None
    error: ChildsafeError | None = None

    @property
    def matched(self) -> bool:
        return bool(self.matches)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.hash is not None:
            out["hash"] = self.hash
        else:
            out["path"] = self.path
        if self.type is not None:
            out["type"] = self.type
        out["matches"] = [m.to_dict() for m in self.matches]
        if self.error is not None:
            out["error"] = {"code": self.error.code, "message": self.error.message}
        return out


@dataclass
class _BankRef:
    id: int
    name: str
    signal_type: str
    version: int
    options: dict | None = None

    def allows(self, transform: str | None, trimmed: bool, region, covered=None) -> bool:
        """Whether this bank accepts a match made by this query variant (per-bank switches)."""
        o = self.options
        if not o:
            return True
        if region is not None and not o.get("regions", True):
            return False
        if covered is not None and not o.get("stickers", True):
            return False
        if trimmed and not o.get("trim", True):
            return False
        return (transform or "original") == "original" or o.get("dihedral", True)


@dataclass
class _Entry:
    id: int
    bank_id: int
    digest: str
    labels: list
    value: str
    bare: str | None

    def via_bare(self, query_hex: str, distance: int) -> bool:
        """Whether a PDQ hit at ``distance`` was on the entry's trimmed signal (its own hash lies
        at another distance from the query)."""
        return self.bare is not None and (int(query_hex, 16) ^ int(self.value, 16)).bit_count() != distance


# Built once: a lookup only binds values, so the statement cache answers and no SQL is rebuilt.
_entries_table = BankEntry.__table__
_banks_table = Bank.__table__
_ENTRY_COLUMNS = (_entries_table.c.id, _entries_table.c.bank_id, _entries_table.c.digest, _entries_table.c.labels,
                  _entries_table.c.value, _entries_table.c.bare)
_ACTIVE = (_entries_table.c.disabled_at.is_(None), _entries_table.c.removed_at.is_(None))
_BANKS = select(_banks_table.c.id, _banks_table.c.name, _banks_table.c.signal_type, _banks_table.c.version,
                _banks_table.c.match_options)
_ENTRIES_BY_ID = select(*_ENTRY_COLUMNS).where(
    _entries_table.c.id.in_(bindparam("ids", expanding=True)),
    _entries_table.c.bank_id.in_(bindparam("banks", expanding=True)), *_ACTIVE)
_ENTRIES_BY_DIGEST = select(*_ENTRY_COLUMNS).where(
    _entries_table.c.digest == bindparam("digest"),
    _entries_table.c.bank_id.in_(bindparam("banks", expanding=True)), *_ACTIVE)


def _check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 0 <= threshold <= 256:
        raise InvalidInput(f"threshold must be a whole number from 0 to 256, got {threshold!r}", code="bad_threshold")
    return threshold


class Matcher:
    """Looks media and hashes up in the banks of one database and data directory."""

    def __init__(self, db: Database, data_dir: str | Path) -> None:
        self.db = db
        self.data_dir = Path(data_dir)
        self.pdq_index = BankIndex(db, self.data_dir, "pdq")
        self.vpdq_index = BankIndex(db, self.data_dir, "vpdq")
        self._versions: dict[str, dict[int, int]] = {"pdq": {}, "vpdq": {}}
        self._frames_cache: dict[tuple[int, bool], list] = {}
        self._cache_lock = threading.Lock()

    # ---- banks ---------------------------------------------------------------------------

    def _banks(self, names: Iterable[str] | None) -> list[_BankRef]:
        with self.db.engine.connect() as conn:
            all_banks = [_BankRef(i, n, t, v, o or None) for i, n, t, v, o in conn.execute(_BANKS)]
        self._versions = {kind: {b.id: b.version for b in all_banks if b.signal_type == kind} for kind in ("pdq", "vpdq")}
        wanted = list(dict.fromkeys(names or []))
        if not wanted:
            return all_banks
        by_name = {b.name: b for b in all_banks}
        missing = [n for n in wanted if n not in by_name]
        if missing:
            raise NotFound(f"no bank named {missing[0]!r}", code="unknown_bank")
        return [by_name[n] for n in wanted]

    def check_banks(self, names: Iterable[str] | None) -> None:
        """Raise for an unknown bank name before any work starts."""
        self._banks(names)

    def _entries(self, ids: Sequence[int], banks: list[_BankRef]) -> dict[int, tuple[_BankRef, _Entry]]:
        """Active entries by id, restricted to ``banks`` (plain rows: lookups stay cheap)."""
        by_id = {b.id: b for b in banks}
        out: dict[int, tuple[_BankRef, _Entry]] = {}
        if not ids or not by_id:
            return out
        ids = list(ids)
        with self.db.engine.connect() as conn:
            for i in range(0, len(ids), _CHUNK):
                for row in conn.execute(_ENTRIES_BY_ID, {"ids": ids[i : i + _CHUNK], "banks": list(by_id)}):
                    entry = _Entry(*row)
                    out[entry.id] = (by_id[entry.bank_id], entry)
        return out

    # ---- lookups -------------------------------------------------------------------------

    def _exact(self, digests: dict[str, str], banks: list[_BankRef]) -> list[Match]:
        """md5/sha256 digests of a file (or a hash given directly) against exact banks."""
        matches: list[Match] = []
        if not any(b.signal_type in digests for b in banks):
            return matches
        by_id = {b.id: b for b in banks}
        with self.db.engine.connect() as conn:
            for signal_type, digest in digests.items():
                ids = [b.id for b in banks if b.signal_type == signal_type]
                if not ids:
                    continue
                for row in conn.execute(_ENTRIES_BY_DIGEST, {"digest": digest, "banks": ids}):
                    entry = _Entry(*row)
                    matches.append(Match(bank=by_id[entry.bank_id].name, entry_id=entry.id, hash=entry.digest,
                                         distance=0, labels=list(entry.labels or []), signal_type=signal_type))
        return matches

    def _pdq(self, queries: Sequence[Any], banks: list[_BankRef], threshold: int) -> list[Match]:
        """PDQ query variants (objects with ``pdq`` and optionally ``transform``/``region``/``trimmed``)."""
        pdq_banks = [b for b in banks if b.signal_type == "pdq"]
        if not queries or not pdq_banks:
            return []
        loaded = self.pdq_index.current(self._versions["pdq"])
        if len(loaded) == 0:
            return []
        found = loaded.index.search_batch(hex_to_array([q.pdq for q in queries]), radius=threshold)
        hits_by_entry: dict[int, list[tuple[int, int]]] = {}  # entry id -> [(distance, query number)]
        for qi, hits in enumerate(found):
            for row, distance in hits:
                hits_by_entry.setdefault(int(loaded.owners[row]), []).append((int(distance), qi))
        entries = self._entries(list(hits_by_entry), pdq_banks)
        matches = []
        for entry_id, candidates in hits_by_entry.items():
            if entry_id not in entries:
                continue
            bank, entry = entries[entry_id]
            allowed = [(d, qi) for d, qi in candidates
                       if bank.allows(getattr(queries[qi], "transform", None), bool(getattr(queries[qi], "trimmed", False)),
                                      getattr(queries[qi], "region", None), getattr(queries[qi], "covered", None))]
            if not allowed:
                continue
            distance, qi = min(allowed)
            q = queries[qi]
            region = getattr(q, "region", None)
            covered = getattr(q, "covered", None)
            matches.append(Match(
                bank=bank.name, entry_id=entry_id, hash=entry.digest, distance=distance,
                labels=list(entry.labels or []), signal_type="pdq",
                transform=getattr(q, "transform", "original") or "original",
                region=tuple(region) if region is not None else None, trimmed=bool(getattr(q, "trimmed", False)),
                covered=tuple(tuple(box) for box in covered) if covered is not None else None,
                banked_trimmed=entry.via_bare(q.pdq, distance),
            ))
        return matches

    def _vpdq(self, frame_sets: Sequence[tuple[str, Sequence[Any]]], banks: list[_BankRef],
              threshold: int) -> list[Match]:
        """Videos (as ``(transform, frames)``, e.g. original and mirror) against vpdq banks."""
        from childsafe.media import vpdq_match

        vpdq_banks = [b for b in banks if b.signal_type == "vpdq"]
        if not vpdq_banks:
            return []
        loaded = self.vpdq_index.current(self._versions["vpdq"])
        if len(loaded) == 0:
            return []
        best: dict[int, Match] = {}
        targets: dict[int, tuple[_BankRef, _Entry, list]] = {}
        for transform, frames, *rest in frame_sets:
            trimmed = bool(rest and rest[0])
            usable = [f for f in frames if f.quality >= VPDQ_QUALITY]
            if not usable:
                continue
            found = loaded.index.search_batch(hex_to_array([f.pdq for f in usable]), radius=threshold)
            nearest: dict[int, int] = {}
            for hits in found:
                for row, distance in hits:
                    entry_id = int(loaded.owners[row])
                    nearest[entry_id] = min(int(distance), nearest.get(entry_id, 257))
            missing = [e for e in nearest if e not in targets]
            for entry_id, (bank, entry) in self._entries(missing, vpdq_banks).items():
                targets[entry_id] = (bank, entry, self._banked_frames(entry))
            for entry_id, distance in nearest.items():
                if entry_id not in targets:
                    continue
                bank, entry, target_frames = targets[entry_id]
                if not bank.allows(transform, trimmed, None):
                    continue
                result = vpdq_match(list(frames), target_frames, distance=threshold, quality=VPDQ_QUALITY)
                via_bare = False
                if not result.is_match() and entry.bare:
                    # The banked video with its own bars cut: a copy in more bars of their colour,
                    # cut together with them.
                    result = vpdq_match(list(frames), self._banked_frames(entry, bare=True), distance=threshold,
                                        quality=VPDQ_QUALITY)
                    via_bare = True
                if not result.is_match():
                    continue
                candidate = Match(
                    bank=bank.name, entry_id=entry_id, hash=entry.digest, distance=distance,
                    labels=list(entry.labels or []), signal_type="vpdq", transform=transform, trimmed=trimmed,
                    query_match_pct=float(result.query_pct), compared_match_pct=float(result.compared_pct),
                    banked_trimmed=via_bare,
                )
                prior = best.get(entry_id)
                if prior is None or (candidate.query_match_pct + candidate.compared_match_pct
                                     > prior.query_match_pct + prior.compared_match_pct):
                    best[entry_id] = candidate
        return list(best.values())

    def _banked_frames(self, entry: _Entry, bare: bool = False) -> list:
        """A banked video's frames (or, with ``bare``, its trimmed frames), parsed once per process
        (an entry's signals never change once set)."""
        from childsafe.media.vpdq import parse_vpdq

        key = (entry.id, bare)
        frames = self._frames_cache.get(key)
        if frames is None:
            frames = parse_vpdq(entry.bare if bare else entry.value, source=f"bank entry {entry.id}")
            with self._cache_lock:
                if len(self._frames_cache) >= 1024:
                    self._frames_cache.pop(next(iter(self._frames_cache)))
                self._frames_cache[key] = frames
        return frames

    @staticmethod
    def _sorted(matches: list[Match]) -> list[Match]:
        return sorted(matches, key=lambda m: (m.distance, -(m.query_match_pct or 0), m.bank, m.entry_id))

    # ---- public API ----------------------------------------------------------------------

    def match_image(self, img, banks: Iterable[str] | None = None, threshold: int = DEFAULT_THRESHOLD,
                    options=None, *, digests: dict[str, str] | None = None) -> MatchResult:
        """A decoded image (PIL), matched as every query variant ``options`` asks for."""
        return self._match_image(img, self._banks(banks), _check_threshold(threshold), options, digests)

    def _match_image(self, img, refs: list[_BankRef], threshold: int, options, digests: dict[str, str] | None
                     ) -> MatchResult:
        from childsafe.media.queries import MatchOptions, image_query_hashes

        matches = []
        if any(b.signal_type == "pdq" for b in refs):
            queries = [q for q in image_query_hashes(img, options or MatchOptions()) if informative(q.pdq)]
            matches.extend(self._pdq(queries, refs, threshold))
        if digests:
            matches.extend(self._exact(digests, refs))
        return MatchResult(matches=self._sorted(matches), type="image")

    def match_video_hash(self, frames: Sequence[Any], banks: Iterable[str] | None = None,
                         threshold: int = DEFAULT_THRESHOLD, *, mirror_frames: Sequence[Any] | None = None,
                         digests: dict[str, str] | None = None, trimmed_frames: Sequence[Any] | None = None,
                         trimmed_mirror_frames: Sequence[Any] | None = None) -> MatchResult:
        """vPDQ frame hashes of a video (and, if given, of its mirror image and of its frames with
        bars trimmed, see ``hash_video(trim=True)``) against vpdq banks."""
        return self._match_video(frames, self._banks(banks), _check_threshold(threshold), mirror_frames,
                                 digests, trimmed_frames, trimmed_mirror_frames)

    def _match_video(self, frames: Sequence[Any], refs: list[_BankRef], threshold: int,
                     mirror_frames: Sequence[Any] | None, digests: dict[str, str] | None,
                     trimmed_frames: Sequence[Any] | None, trimmed_mirror_frames: Sequence[Any] | None
                     ) -> MatchResult:
        from childsafe.media.video import bars_were_cut

        frame_sets: list[tuple] = [("original", frames)]
        if mirror_frames:
            frame_sets.append(("flip_h", mirror_frames))
        if bars_were_cut(trimmed_frames, frames):
            frame_sets.append(("original", trimmed_frames, True))
            if trimmed_mirror_frames:
                frame_sets.append(("flip_h", trimmed_mirror_frames, True))
        matches = self._vpdq(frame_sets, refs, threshold)
        if digests:
            matches.extend(self._exact(digests, refs))
        return MatchResult(matches=self._sorted(matches), type="video")

    def match_file(self, path: str | Path, banks: Iterable[str] | None = None, threshold: int = DEFAULT_THRESHOLD,
                   options=None) -> MatchResult:
        """Hash a media file and match it; bad media raises InvalidInput naming the file."""
        from childsafe.media import detect_media_type, file_digests
        from childsafe.media.queries import MatchOptions

        path = Path(path)
        options = options or MatchOptions()
        threshold = _check_threshold(threshold)
        refs = self._banks(banks)
        types = {b.signal_type for b in refs}
        digests: dict[str, str] = {}
        if types & {"md5", "sha256"}:
            found = file_digests(path)
            digests = {t: getattr(found, t) for t in ("md5", "sha256") if t in types}
        try:
            kind = detect_media_type(path)
        except InvalidInput:
            if not digests:
                raise
            kind = "file"  # not media: only the file digest banks can say anything
        if kind == "video" and "vpdq" in types:
            from childsafe.media import hash_video

            mirror = bool(getattr(options, "mirror", getattr(options, "dihedral", True)))
            trim = bool(getattr(options, "trim", True))
            video = hash_video(path, mirror=mirror, trim=trim)
            result = self._match_video(video.frames, refs, threshold, video.mirror_frames if mirror else None,
                                       digests, video.trimmed_frames, video.trimmed_mirror_frames)
        elif kind == "image" and "pdq" in types:
            from childsafe.media import load_image

            result = self._match_image(load_image(path), refs, threshold, options, digests)
        else:
            result = MatchResult(matches=self._sorted(self._exact(digests, refs)), type=kind)
        result.path = str(path)
        return result

    def match_hash(self, hex_hash: str, banks: Iterable[str] | None = None, threshold: int = DEFAULT_THRESHOLD,
                   *, where: str = "") -> MatchResult:
        """One hash a platform computed itself: 64 hex = PDQ (or SHA-256), 32 hex = MD5."""
        value = hex_hash.strip().lower()
        normalise_hex(value, "md5" if len(value) == 32 else "pdq", where=where or "hash")
        return self._match_hash_batch([value], self._banks(banks), _check_threshold(threshold))[0]

    def match_hashes(self, hexes: Iterable[str], banks: Iterable[str] | None = None,
                     threshold: int = DEFAULT_THRESHOLD) -> list[MatchResult]:
        """Several hashes; every one is validated first, so one bad hash fails the call."""
        values = list(hexes)
        for n, value in enumerate(values, start=1):
            stripped = value.strip()
            normalise_hex(stripped, "md5" if len(stripped) == 32 else "pdq", where=f"hash {n}")
        return self._match_hash_batch(values, self._banks(banks), _check_threshold(threshold))

    def _match_hash_batch(self, values: list[str], refs: list[_BankRef], threshold: int) -> list[MatchResult]:
        normalised = [v.strip().lower() for v in values]
        pdq_positions = [i for i, v in enumerate(normalised) if len(v) == 64]
        results = [MatchResult(hash=v) for v in normalised]
        pdq_banks = [b for b in refs if b.signal_type == "pdq"]
        if pdq_positions and pdq_banks:
            loaded = self.pdq_index.current(self._versions["pdq"])
            if len(loaded):
                found = loaded.index.search_batch(hex_to_array([normalised[i] for i in pdq_positions]), radius=threshold)
                wanted = {int(loaded.owners[row]) for hits in found for row, _ in hits}
                entries = self._entries(sorted(wanted), pdq_banks)
                for i, hits in zip(pdq_positions, found):
                    seen: dict[int, int] = {}
                    for row, distance in hits:
                        entry_id = int(loaded.owners[row])
                        if entry_id in entries:
                            seen[entry_id] = min(int(distance), seen.get(entry_id, 257))
                    for entry_id, distance in seen.items():
                        bank, entry = entries[entry_id]
                        results[i].matches.append(Match(bank=bank.name, entry_id=entry_id, hash=entry.digest,
                                                        distance=distance, labels=list(entry.labels or []),
                                                        signal_type="pdq",
                                                        banked_trimmed=entry.via_bare(normalised[i], distance)))
        for i, value in enumerate(normalised):
            kind = "md5" if len(value) == 32 else "sha256"
            results[i].matches.extend(self._exact({kind: value}, refs))
            results[i].matches = self._sorted(results[i].matches)
        return results
