"""Hash banks: create, import, export, add, disable, with the history kept.

Every change runs in one transaction and bumps the bank's version, so an import either lands
whole or not at all, and indexes (see :mod:`childsafe.banks.indexes`) know when to catch up.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from sqlalchemy import and_, case, func, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from childsafe.banks import formats
from childsafe.banks.formats import ExportEntry, ParsedEntry
from childsafe.banks.models import SIGNAL_TYPES, Bank, BankChange, BankEntry, utcnow
from childsafe.errors import Conflict, InvalidInput, NotFound
from childsafe.store import Database

# Per-bank robust-matching switches (see docs/robust-matching.md); each defaults to on.
MATCH_SWITCHES = ("dihedral", "trim", "regions", "stickers")

MAX_NAME = 200
_CHUNK = 500
_INSERT_CHUNK = 5000


@dataclass
class BankInfo:
    name: str
    signal_type: str
    version: int
    entries: int
    active: int
    disabled: int
    removed: int
    description: str
    created_at: datetime
    updated_at: datetime
    match_options: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "signal_type": self.signal_type,
            "version": self.version,
            "entries": self.entries,
            "active": self.active,
            "disabled": self.disabled,
            "removed": self.removed,
            "description": self.description,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "match_options": {k: bool(self.match_options.get(k, True)) for k in MATCH_SWITCHES},
        }


@dataclass
class EntryInfo:
    id: int
    bank: str
    signal_type: str
    hash: str
    labels: list[str]
    source: str
    provenance: dict[str, Any]
    quality: int | None
    added_at: datetime
    disabled_at: datetime | None
    disabled_reason: str | None
    disabled_by: str | None
    removed_at: datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None and self.removed_at is None

    def to_dict(self) -> dict[str, Any]:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "id": self.id,
            "bank": self.bank,
            "signal_type": self.signal_type,
            "hash": self.hash,
            "labels": list(self.labels),
            "source": self.source,
            "provenance": dict(self.provenance),
            "quality": self.quality,
            "active": self.active,
            "added_at": iso(self.added_at),
            "disabled_at": iso(self.disabled_at),
            "disabled_reason": self.disabled_reason,
            "disabled_by": self.disabled_by,
            "removed_at": iso(self.removed_at),
        }


@dataclass
class ChangeSummary:
    """What an import or add did; ``to_dict()`` is the CLI's ``--json`` line.

    ``entry_ids`` (the entries added or touched, in input order) is filled by the ``add_*``
    methods; imports, which may hold millions of records, leave it empty.
    """

    bank: str
    version: int
    added: int = 0
    merged: int = 0
    reactivated: int = 0
    disabled: int = 0
    entry_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "version": self.version,
            "added": self.added,
            "merged": self.merged,
            "reactivated": self.reactivated,
            "disabled": self.disabled,
        }


def _aware(d: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if d is not None and d.tzinfo is None:
        from datetime import timezone

        return d.replace(tzinfo=timezone.utc)
    return d


def check_signal_type(signal_type: str) -> str:
    value = (signal_type or "").strip().lower()
    value = formats.SIGNAL_ALIASES.get(value, value)
    if value not in SIGNAL_TYPES:
        raise InvalidInput(
            f"unknown signal type {signal_type!r} (choose from {', '.join(SIGNAL_TYPES)})", code="bad_signal_type"
        )
    return value


def check_bank_name(name: str) -> str:
    value = (name or "").strip()
    if not value or len(value) > MAX_NAME or any(c in value for c in "/\\\n\r\t\0"):
        raise InvalidInput(
            f"bank name {name!r} must be 1 to {MAX_NAME} characters without slashes or control characters",
            code="bad_bank_name",
        )
    return value


class BankStore:
    """Banks in a :class:`childsafe.store.Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- banks ---------------------------------------------------------------------------

    def create(self, name: str, signal_type: str, *, description: str = "", actor: str = "") -> BankInfo:
        name = check_bank_name(name)
        signal_type = check_signal_type(signal_type)
        with self.db.session() as s:
            if s.scalar(select(Bank.id).where(Bank.name == name)) is not None:
                raise Conflict(f"bank {name!r} already exists", code="bank_exists")
            bank = Bank(name=name, signal_type=signal_type, description=description, version=1)
            s.add(bank)
            s.flush()
            s.add(BankChange(bank_id=bank.id, version=1, action="create", actor=actor,
                             detail={"signal_type": signal_type}))
        return self.get(name)

    def _bank(self, s: Session, name: str, *, lock: bool = False) -> Bank:
        query = select(Bank).where(Bank.name == name)
        if lock and not self.db.is_sqlite:
            query = query.with_for_update()
        bank = s.scalar(query)
        if bank is None:
            raise NotFound(f"no bank named {name!r}", code="unknown_bank")
        return bank

    def _info(self, s: Session, bank: Bank) -> BankInfo:
        is_active = and_(BankEntry.disabled_at.is_(None), BankEntry.removed_at.is_(None))
        total, disabled, removed, active = s.execute(
            select(
                func.count(BankEntry.id),
                func.count(BankEntry.disabled_at),
                func.count(BankEntry.removed_at),
                func.count(case((is_active, 1))),
            ).where(BankEntry.bank_id == bank.id)
        ).one()
        return BankInfo(
            name=bank.name, signal_type=bank.signal_type, version=bank.version, entries=total,
            active=active or 0, disabled=disabled, removed=removed, description=bank.description,
            created_at=_aware(bank.created_at), updated_at=_aware(bank.updated_at),
            match_options=dict(bank.match_options or {}),
        )

    def set_match_options(self, name: str, *, actor: str = "", **switches: bool | None) -> BankInfo:
        """Switch robust-matching variants on or off for one bank (None leaves a switch as it is).

        A bank can refuse matches made through rotations/flips (``dihedral``), trimmed borders
        (``trim``), regions found inside a picture (``regions``) or stickers filled (``stickers``);
        the change is in the history.
        """
        unknown = sorted(set(switches) - set(MATCH_SWITCHES))
        if unknown:
            raise InvalidInput(f"unknown match option {unknown[0]!r}; known: {', '.join(MATCH_SWITCHES)}",
                               code="bad_match_option")
        with self.db.session() as s:
            bank = self._bank(s, name, lock=True)
            options = dict(bank.match_options or {})
            for key, value in switches.items():
                if value is not None:
                    options[key] = bool(value)
            bank.match_options = {k: v for k, v in options.items() if v is False}
            bank.version += 1
            bank.updated_at = utcnow()
            s.add(BankChange(bank_id=bank.id, version=bank.version, action="match_options", actor=actor,
                             detail={"match_options": bank.match_options}))
            s.flush()
            return self._info(s, bank)

    def get(self, name: str) -> BankInfo:
        with self.db.session() as s:
            return self._info(s, self._bank(s, name))

    def list(self) -> list[BankInfo]:
        with self.db.session() as s:
            return [self._info(s, b) for b in s.scalars(select(Bank).order_by(Bank.name))]

    def versions(self, signal_type: str | None = None) -> dict[int, int]:
        """Bank id -> version, for indexes deciding whether they are stale."""
        with self.db.session() as s:
            query = select(Bank.id, Bank.version)
            if signal_type:
                query = query.where(Bank.signal_type == signal_type)
            return {bank_id: version for bank_id, version in s.execute(query)}

    def resolve(self, names: Iterable[str] | None) -> list[BankInfo]:
        """The named banks (each must exist), or every bank when ``names`` is empty."""
        names = list(names or [])
        if not names:
            return self.list()
        return [self.get(n) for n in dict.fromkeys(names)]

    # ---- adding --------------------------------------------------------------------------

    def _bump(self, s: Session, bank: Bank, action: str, *, actor: str, detail: dict | None = None,
              entry_id: int | None = None) -> BankChange:
        bank.version += 1
        bank.updated_at = utcnow()
        change = BankChange(bank_id=bank.id, version=bank.version, action=action, entry_id=entry_id,
                            actor=actor, detail=detail or {})
        s.add(change)
        return change

    def _store(self, name: str, parsed: Iterable[ParsedEntry], *, action: str, actor: str,
               detail: dict, labels: Sequence[str] = (), source: str = "", want_ids: bool = True) -> ChangeSummary:
        """Add entries in one transaction; existing entries get the new labels merged in.

        ``parsed`` may be a generator that validates as it goes: entries are stored a batch at a
        time (memory stays flat for lists of millions), and the first bad record raises inside the
        transaction, which rolls everything back. ``want_ids`` fills ``entry_ids`` (small adds).
        """
        with self.db.session() as s:
            if self.db.is_sqlite:
                s.execute(sql_text("PRAGMA cache_size = -65536"))  # 64 MiB: big imports touch index pages at random
            bank = self._bank(s, name, lock=True)
            bank_id = bank.id
            change = self._bump(s, bank, action, actor=actor, detail=detail)
            version = change.version
            summary = ChangeSummary(bank=bank.name, version=version)
            now = utcnow()
            may_exist = s.scalar(select(BankEntry.id).where(BankEntry.bank_id == bank_id).limit(1)) is not None
            records = 0
            table = BankEntry.__table__
            order: list[str] = []
            known_ids: dict[str, int] = {}
            for batch in _batches(parsed, _INSERT_CHUNK):
                records += len(batch)
                merged: dict[str, ParsedEntry] = {}
                for p in batch:
                    p.labels = formats.unique_labels([*p.labels, *labels])
                    p.source = p.source or source
                    prior = merged.get(p.digest)
                    if prior is None:
                        merged[p.digest] = p
                    else:
                        prior.labels = formats.unique_labels([*prior.labels, *p.labels])
                digests = list(merged)
                existing: dict[str, BankEntry] = {}
                for i in range(0, len(digests) if may_exist else 0, _CHUNK):
                    query = select(BankEntry).where(BankEntry.bank_id == bank_id, BankEntry.digest.in_(digests[i : i + _CHUNK]))
                    for entry in s.scalars(query):
                        existing[entry.digest] = entry
                rows = []
                for digest, p in merged.items():
                    old = existing.get(digest)
                    if old is None:
                        disabled = p.disabled_reason is not None
                        rows.append({
                            "bank_id": bank_id, "digest": digest, "value": p.value, "quality": p.quality,
                            "bare": p.bare,
                            "labels": p.labels, "source": p.source, "provenance": p.provenance,
                            "added_at": now, "added_version": version,
                            "disabled_at": now if disabled else None,
                            "disabled_version": version if disabled else None,
                            "disabled_reason": p.disabled_reason, "disabled_by": p.disabled_by if disabled else None,
                        })
                        summary.disabled += disabled
                        continue
                    new_labels = formats.unique_labels([*old.labels, *p.labels])
                    if new_labels != list(old.labels):
                        old.labels = new_labels
                    if p.bare is not None and old.bare is None:
                        # The file added again to an entry made before entries kept one (or imported as a
                        # hash): the entry learns its trimmed signal, and counts as changed so the
                        # index takes its rows again.
                        old.bare = p.bare
                        old.added_version = version
                    if old.removed_at is not None:
                        old.removed_at = None
                        old.removed_version = None
                        old.added_version = version
                        summary.reactivated += 1
                    elif old.added_version == version:
                        pass  # repeated within this import
                    else:
                        summary.merged += 1
                if rows:
                    s.execute(insert(table), rows)
                    summary.added += len(rows)
                s.flush()
                if want_ids:
                    order.extend(d for d in digests if d not in known_ids)
                    known_ids.update((d, e.id) for d, e in existing.items())
                for entry in existing.values():
                    s.expunge(entry)
                may_exist = True
            change.detail = {**detail, "records": records}
            if want_ids:
                if summary.added:
                    known_ids.update(s.execute(select(BankEntry.digest, BankEntry.id).where(
                        BankEntry.bank_id == bank_id, BankEntry.added_version == version)).all())
                summary.entry_ids = [known_ids[d] for d in order]
        return summary

    def import_file(self, name: str, path: str | Path, fmt: str | None = None, *, labels: Sequence[str] = (),
                    source: str = "", actor: str = "") -> ChangeSummary:
        """Import a file (or, for vpdq, a folder of .txt files): all of it or, on any bad line, nothing."""
        path = Path(path)
        info = self.get(name)
        fmt = formats.check_format(fmt) if fmt else formats.guess_format(path, info.signal_type)
        files = [path]
        if path.is_dir():
            if fmt != "vpdq":
                raise InvalidInput(f"{path} is a folder; only the vpdq format imports a folder", code="bad_input")
            files = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not files:
                raise InvalidInput(f"{path}: no .txt vpdq files in the folder", code="bad_input")
        def records() -> Iterator[ParsedEntry]:
            for file in files:
                try:
                    data = file.read_bytes()
                except OSError as exc:
                    raise InvalidInput(f"cannot read {file}: {exc.strerror or exc}", code="unreadable_file") from None
                text = formats.decode_text(data, str(file))
                del data
                for entry in formats.READERS[fmt](text, info.signal_type, source=str(file)):
                    entry.provenance = {**entry.provenance, "imported_from": file.name, "line": entry.line}
                    yield entry

        if not path.is_dir() and not path.is_file():
            raise InvalidInput(f"cannot read {path}: no such file", code="unreadable_file")
        return self._store(name, records(), action="import", actor=actor, labels=labels, source=source,
                           detail={"file": path.name, "format": fmt}, want_ids=False)

    def import_text(self, name: str, text: str, fmt: str, *, labels: Sequence[str] = (), source: str = "",
                    actor: str = "", filename: str = "input") -> ChangeSummary:
        """Import content already in memory (the HTTP service's upload path)."""
        info = self.get(name)
        fmt = formats.check_format(fmt)
        parsed = formats.READERS[fmt](text, info.signal_type, source=filename)
        return self._store(name, parsed, action="import", actor=actor, labels=labels, source=source,
                           detail={"file": filename, "format": fmt}, want_ids=False)

    def add_hashes(self, name: str, hashes: Sequence[str], *, labels: Sequence[str] = (), source: str = "",
                   provenance: dict | None = None, quality: int | None = None, actor: str = "") -> ChangeSummary:
        """Add hex hashes (pdq, md5, sha256) or, for vpdq banks, vpdq frame texts / tx JSON signals."""
        info = self.get(name)
        parsed = []
        for n, value in enumerate(hashes, start=1):
            where = f"hash {n}"
            if info.signal_type == "vpdq" and not value.strip().startswith("["):
                frames = formats._vpdq_modules().parse_vpdq(value, source=where)
                entry = formats.vpdq_entry_from_frames(frames, line=n, where=where)
            else:
                entry = formats.parse_signal(value, info.signal_type, line=n, where=where)
            entry.quality = quality
            entry.provenance = dict(provenance or {})
            parsed.append(entry)
        return self._store(name, parsed, action="add", actor=actor, labels=labels, source=source, detail={})

    def add_signals(self, name: str, entries: Sequence[ParsedEntry], *, labels: Sequence[str] = (),
                    source: str = "", actor: str = "", detail: dict | None = None) -> ChangeSummary:
        """Add entries already built (:class:`ParsedEntry`), e.g. hashes an integration computed itself."""
        return self._store(name, list(entries), action="add", actor=actor, labels=labels, source=source,
                           detail=detail or {})

    def add_files(self, name: str, paths: Sequence[str | Path], *, labels: Sequence[str] = (), source: str = "",
                  actor: str = "", extra: Callable[[Path, Any], list[ParsedEntry]] | None = None,
                  on_file: Callable[[Path], None] | None = None) -> ChangeSummary:
        """Hash media files and bank them: image PDQ, video vPDQ, or file digests.

        Every file is hashed before anything is stored, so one bad file adds nothing. ``extra``
        (path, image) may return more entries for an image (for example crop hashes).
        """
        from childsafe.banks.hashing import entries_for_file, expand_paths

        info = self.get(name)
        parsed: list[ParsedEntry] = []
        for path in expand_paths(paths):
            parsed.extend(entries_for_file(path, info.signal_type, extra=extra))
            if on_file:
                on_file(path)
        if not parsed:
            raise InvalidInput("no files to add", code="bad_input")
        return self._store(name, parsed, action="add", actor=actor, labels=labels, source=source,
                           detail={"files": len(parsed)})

    # ---- disabling -----------------------------------------------------------------------

    def _entry(self, s: Session, bank: Bank, entry_id: int) -> BankEntry:
        entry = s.scalar(select(BankEntry).where(BankEntry.id == entry_id, BankEntry.bank_id == bank.id))
        if entry is None:
            raise NotFound(f"bank {bank.name!r} has no entry {entry_id}", code="unknown_entry")
        return entry

    @contextmanager
    def _changing_entry(self, name: str, entry_id: int) -> Iterator[tuple[Session, Bank, BankEntry]]:
        """One transaction holding the bank (locked) and its entry, for a change to that entry."""
        with self.db.session() as s:
            bank = self._bank(s, name, lock=True)
            yield s, bank, self._entry(s, bank, entry_id)

    def disable_entry(self, name: str, entry_id: int, reason: str, *, by: str = "") -> EntryInfo:
        """Mark an entry a false positive: it stops matching; the row and its history stay."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput("disabling an entry needs a reason", code="missing_reason")
        with self._changing_entry(name, entry_id) as (s, bank, entry):
            if entry.disabled_at is not None:
                raise Conflict(f"entry {entry_id} in bank {name!r} is already disabled", code="already_disabled")
            version = self._bump(s, bank, "disable", actor=by, entry_id=entry.id, detail={"reason": reason}).version
            entry.disabled_at = utcnow()
            entry.disabled_version = version
            entry.disabled_reason = reason
            entry.disabled_by = by or None
        return self.entry(name, entry_id)

    def enable_entry(self, name: str, entry_id: int, *, reason: str = "", by: str = "") -> EntryInfo:
        """Undo a disable (the disable stays in the history)."""
        with self._changing_entry(name, entry_id) as (s, bank, entry):
            if entry.disabled_at is None:
                raise Conflict(f"entry {entry_id} in bank {name!r} is not disabled", code="not_disabled")
            version = self._bump(s, bank, "enable", actor=by, entry_id=entry.id,
                                 detail={"reason": reason, "was_disabled_at": entry.disabled_at.isoformat(),
                                         "was_reason": entry.disabled_reason}).version
            entry.disabled_at = None
            entry.disabled_reason = None
            entry.disabled_by = None
            entry.disabled_version = None
            entry.added_version = version
        return self.entry(name, entry_id)

    def remove_entry(self, name: str, entry_id: int, *, by: str = "", reason: str = "") -> EntryInfo:
        """Withdraw an entry: it stops matching and leaves exports; the row and history stay.

        Importing or adding the same hash later brings it back.
        """
        with self._changing_entry(name, entry_id) as (s, bank, entry):
            if entry.removed_at is not None:
                raise Conflict(f"entry {entry_id} in bank {name!r} is already removed", code="already_removed")
            version = self._bump(s, bank, "remove", actor=by, entry_id=entry.id, detail={"reason": reason}).version
            entry.removed_at = utcnow()
            entry.removed_version = version
        return self.entry(name, entry_id)

    # ---- reading -------------------------------------------------------------------------

    @staticmethod
    def _entry_info(entry: BankEntry, bank: Bank) -> EntryInfo:
        return EntryInfo(
            id=entry.id, bank=bank.name, signal_type=bank.signal_type, hash=entry.digest,
            labels=list(entry.labels or []), source=entry.source, provenance=dict(entry.provenance or {}),
            quality=entry.quality, added_at=_aware(entry.added_at), disabled_at=_aware(entry.disabled_at),
            disabled_reason=entry.disabled_reason, disabled_by=entry.disabled_by, removed_at=_aware(entry.removed_at),
        )

    def entry(self, name: str, entry_id: int) -> EntryInfo:
        with self.db.session() as s:
            bank = self._bank(s, name)
            return self._entry_info(self._entry(s, bank, entry_id), bank)

    def entries(self, name: str, *, include_disabled: bool = True, include_removed: bool = False,
                limit: int | None = None) -> list[EntryInfo]:
        with self.db.session() as s:
            bank = self._bank(s, name)
            query = select(BankEntry).where(BankEntry.bank_id == bank.id).order_by(BankEntry.id)
            if not include_disabled:
                query = query.where(BankEntry.disabled_at.is_(None))
            if not include_removed:
                query = query.where(BankEntry.removed_at.is_(None))
            if limit is not None:
                query = query.limit(limit)
            return [self._entry_info(e, bank) for e in s.scalars(query)]

    def history(self, name: str) -> list[dict[str, Any]]:
        with self.db.session() as s:
            bank = self._bank(s, name)
            changes = s.scalars(select(BankChange).where(BankChange.bank_id == bank.id).order_by(BankChange.id))
            return [
                {"version": c.version, "action": c.action, "entry_id": c.entry_id, "actor": c.actor,
                 "detail": c.detail, "at": _aware(c.at).isoformat()}
                for c in changes
            ]

    def signal_values(self, name: str, entry_ids: Sequence[int]) -> dict[int, str]:
        with self.db.session() as s:
            bank = self._bank(s, name)
            out = {}
            for i in range(0, len(entry_ids), _CHUNK):
                chunk = list(entry_ids[i : i + _CHUNK])
                for eid, value in s.execute(select(BankEntry.id, BankEntry.value).where(
                        BankEntry.bank_id == bank.id, BankEntry.id.in_(chunk))):
                    out[eid] = value
            return out

    def export_entries(self, name: str, fmt: str, *, include_disabled: bool | None = None) -> tuple[str, list[ExportEntry]]:
        """The bank's signal type and its entries as writers take them (removed entries never)."""
        fmt = formats.check_format(fmt)
        if include_disabled is None:
            include_disabled = fmt in formats.FORMATS_WITH_DISABLED
        with self.db.session() as s:
            bank = self._bank(s, name)
            query = select(BankEntry).where(BankEntry.bank_id == bank.id, BankEntry.removed_at.is_(None)).order_by(BankEntry.id)
            if not include_disabled:
                query = query.where(BankEntry.disabled_at.is_(None))
            rows = [
                ExportEntry(
                    entry_id=e.id, value=e.value, digest=e.digest, quality=e.quality, labels=list(e.labels or []),
                    source=e.source, provenance=dict(e.provenance or {}), added_at=_aware(e.added_at).isoformat(),
                    disabled_at=_aware(e.disabled_at).isoformat() if e.disabled_at else None,
                    disabled_reason=e.disabled_reason, disabled_by=e.disabled_by,
                )
                for e in s.scalars(query)
            ]
            return bank.signal_type, rows

    def export(self, name: str, fmt: str = "csv", *, include_disabled: bool | None = None) -> str:
        """The bank's content as text in ``fmt`` (csv and tx-csv keep disabled entries, marked)."""
        signal_type, rows = self.export_entries(name, fmt, include_disabled=include_disabled)
        return formats.WRITERS[fmt](rows, signal_type)

    def export_vpdq_files(self, name: str) -> dict[str, str]:
        """One reference-format vpdq text per active video, keyed ``<entry id>.txt``."""
        signal_type, rows = self.export_entries(name, "vpdq", include_disabled=False)
        if signal_type != "vpdq":
            raise InvalidInput(f"the vpdq format is for vpdq banks, not {signal_type}", code="bad_format")
        return {f"{row.entry_id}.txt": row.value for row in rows}


def _batches(items: Iterable[ParsedEntry], size: int) -> Iterator[list[ParsedEntry]]:
    batch: list[ParsedEntry] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
