"""Persisted PDQ indexes over banked hashes, kept in step with bank versions.

Two indexes live under ``<data dir>/indexes/``: ``pdq/`` holds every active PDQ entry of every pdq
bank, ``vpdq/`` every frame hash of every active banked video (the prefilter for video matching).
Index row *i* belongs to bank entry ``owners[i]`` (-1 once dropped); ``manifest.json`` records the
bank versions the index reflects. On a change, the entries touched since those versions (added,
disabled, enabled, removed: each entry records the version of each) have their rows dropped and,
if still active, added again, so a disabled entry can never match and nothing is rebuilt until
half the rows are dead. Each build is
written to a fresh generation folder and the manifest is swapped in atomically, so a reader in
another process sees the old index or the new one, never half of one.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
from sqlalchemy import and_, or_, select

from childsafe.banks.models import Bank, BankEntry
from childsafe.errors import ChildsafeError
from childsafe.index.codec import hex_to_array
from childsafe.store import Database

_CHUNK = 20_000


@dataclass
class LoadedIndex:
    index: object  # childsafe.index.PDQIndex
    owners: np.ndarray  # int64 entry id per index row
    versions: dict[int, int]
    generation: str

    def __len__(self) -> int:
        return int(self.owners.shape[0])


class BankIndex:
    """The index for one kind (``pdq`` or ``vpdq``) in one data directory."""

    def __init__(self, db: Database, data_dir: Path, kind: str) -> None:
        if kind not in ("pdq", "vpdq"):
            raise ValueError(kind)
        self.db = db
        self.kind = kind
        self.root = Path(data_dir) / "indexes" / kind
        self._loaded: LoadedIndex | None = None
        self._lock = threading.Lock()

    # ---- state ---------------------------------------------------------------------------

    def bank_versions(self) -> dict[int, int]:
        with self.db.session() as s:
            rows = s.execute(select(Bank.id, Bank.version).where(Bank.signal_type == self.kind))
            return {bank_id: version for bank_id, version in rows}

    def _manifest(self) -> dict | None:
        try:
            data = json.loads((self.root / "manifest.json").read_text())
        except (OSError, ValueError):
            return None
        if not (self.root / data.get("generation", "\0")).is_dir():
            return None
        return data

    def current(self, versions: dict[int, int] | None = None) -> LoadedIndex:
        """The index as of the banks' current versions: loaded, extended or rebuilt as needed.

        ``versions`` (bank id -> version for this kind) saves a query when the caller just read them.
        """
        versions = self.bank_versions() if versions is None else versions
        with self._lock:
            if self._loaded is not None and self._loaded.versions == versions:
                return self._loaded
            with self._build_lock():
                versions = self.bank_versions()
                manifest = self._manifest()
                if manifest is not None and (self._loaded is None or self._loaded.generation != manifest["generation"]):
                    try:
                        self._loaded = self._load(manifest["generation"], {int(k): v for k, v in manifest["versions"].items()})
                    except (ChildsafeError, OSError, ValueError):
                        manifest = None  # unreadable: build afresh
                    else:
                        if not self._agrees_with_database(self._loaded):
                            manifest = None  # saved for another database (replaced or restored): build afresh
                        elif self._loaded.index.upgraded_from is not None:
                            # saved in an older layout and rebuilt on load: save it as it is now, once
                            loaded = self._loaded
                            self._loaded = self._publish(loaded.index, loaded.owners, loaded.versions)
                if manifest is not None:
                    stored = self._loaded.versions
                    if stored == versions:
                        return self._loaded
                    if all(bank_id in versions and versions[bank_id] >= v for bank_id, v in stored.items()):
                        self._loaded = self._update(self._loaded, stored, versions)
                        return self._loaded
                self._loaded = self._rebuild(versions)
                return self._loaded

    def _agrees_with_database(self, loaded: LoadedIndex, sample: int = 16) -> bool:
        """Spot-check saved rows against their entries, so an index saved beside another database
        (the SQLite file replaced, a backup restored) is never trusted because bank ids coincide."""
        hashes, rows = loaded.index.items()
        if len(rows) == 0:
            return True
        picks = np.unique(np.linspace(0, len(rows) - 1, num=min(sample, len(rows))).astype(np.int64))
        owners = [int(loaded.owners[int(rows[i])]) for i in picks]
        with self.db.engine.connect() as conn:
            values = {entry_id: value + "\n" + (bare or "") for entry_id, value, bare in conn.execute(
                select(BankEntry.id, BankEntry.value, BankEntry.bare).where(BankEntry.id.in_(owners))).all()}
        for i, owner in zip(picks, owners):
            value = values.get(owner)
            if value is None or hashes[i].tobytes().hex() not in value:
                return False
        return True

    @contextmanager
    def _build_lock(self) -> Iterator[None]:
        """One process at a time reads or replaces the saved index (others wait, then reuse it)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ---- rows from the database ----------------------------------------------------------

    def _rows(self, conditions) -> tuple[np.ndarray, np.ndarray]:
        """(hashes (n, 32) uint8, owners (n,) int64) for active entries matching ``conditions``."""
        hashes: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        query = (
            select(BankEntry.id, BankEntry.value, BankEntry.bare)
            .join(Bank, Bank.id == BankEntry.bank_id)
            .where(Bank.signal_type == self.kind, BankEntry.disabled_at.is_(None), BankEntry.removed_at.is_(None),
                   conditions)
            .order_by(BankEntry.id)
            .execution_options(yield_per=_CHUNK)
        )
        with self.db.session() as s:
            batch_ids: list[int] = []
            batch_hex: list[str] = []
            for entry_id, value, bare in s.execute(query):
                # An entry's rows: its signal, then its trimmed signal when it has one (BankEntry.bare).
                for signal in (value, bare) if bare else (value,):
                    if self.kind == "pdq":
                        batch_ids.append(entry_id)
                        batch_hex.append(signal)
                    else:
                        frames = _frame_hexes(signal)
                        batch_ids.extend([entry_id] * len(frames))
                        batch_hex.extend(frames)
                if len(batch_hex) >= _CHUNK:
                    hashes.append(hex_to_array(batch_hex))
                    owners.append(np.asarray(batch_ids, dtype=np.int64))
                    batch_ids, batch_hex = [], []
            if batch_hex:
                hashes.append(hex_to_array(batch_hex))
                owners.append(np.asarray(batch_ids, dtype=np.int64))
        if not hashes:
            return np.zeros((0, 32), dtype=np.uint8), np.zeros(0, dtype=np.int64)
        return np.concatenate(hashes), np.concatenate(owners)

    # ---- building ------------------------------------------------------------------------

    def _rebuild(self, versions: dict[int, int]) -> LoadedIndex:
        from childsafe.index import PDQIndex

        hashes, owners = self._rows(True)
        index = PDQIndex(hashes, np.arange(len(owners), dtype=np.int64))
        return self._publish(index, owners, versions)

    def _update(self, loaded: LoadedIndex, stored: dict[int, int], versions: dict[int, int]) -> LoadedIndex:
        """Apply the entries changed since ``stored``: drop their old rows, add the active ones."""
        changed = or_(*[
            and_(BankEntry.bank_id == bank_id, or_(BankEntry.added_version > since, BankEntry.disabled_version > since,
                                                   BankEntry.removed_version > since))
            for bank_id, since in ((b, stored.get(b, 0)) for b, v in versions.items() if v != stored.get(b, 0))
        ])
        with self.db.session() as s:
            changed_ids = np.fromiter(s.scalars(select(BankEntry.id).where(changed)), dtype=np.int64)
        if not len(changed_ids):
            # Only the banks' own settings changed (e.g. match options): the rows stand, so record
            # the new versions without copying and re-saving the whole index.
            self._write_manifest(loaded.generation, loaded.owners, versions)
            return LoadedIndex(index=loaded.index, owners=loaded.owners, versions=dict(versions),
                               generation=loaded.generation)
        owners = np.array(loaded.owners, dtype=np.int64)
        stale = np.flatnonzero(np.isin(owners, changed_ids)) if len(changed_ids) else np.zeros(0, np.int64)
        if (np.count_nonzero(owners < 0) + len(stale)) * 2 > len(owners):
            return self._rebuild(versions)
        # Change a fresh copy: threads still searching the current one must not see it move.
        index = self._load(loaded.generation, stored).index
        if len(stale):
            index.remove(stale)
            owners[stale] = -1
        hashes, new_owners = self._rows(changed)
        if len(new_owners):
            start = len(owners)
            index.add(hashes, np.arange(start, start + len(new_owners), dtype=np.int64))
            owners = np.concatenate([owners, new_owners])
        return self._publish(index, owners, versions)

    def _write_manifest(self, generation: str, owners: np.ndarray, versions: dict[int, int]) -> None:
        """Point the manifest at ``generation`` as of ``versions``, replaced atomically."""
        owners = np.asarray(owners)
        manifest = {"generation": generation, "versions": {str(k): v for k, v in versions.items()},
                    "rows": int(np.count_nonzero(owners >= 0)), "dead_rows": int(np.count_nonzero(owners < 0))}
        tmp = self.root / f".manifest-{generation}.json"
        tmp.write_text(json.dumps(manifest))
        os.replace(tmp, self.root / "manifest.json")

    def _publish(self, index, owners: np.ndarray, versions: dict[int, int]) -> LoadedIndex:
        self.root.mkdir(parents=True, exist_ok=True)
        generation = f"gen-{uuid.uuid4().hex[:12]}"
        folder = self.root / generation
        folder.mkdir()
        index.save(folder / "index.pdq")
        np.save(folder / "owners.npy", owners)
        self._write_manifest(generation, owners, versions)
        for old in self.root.glob("gen-*"):
            if old.name != generation:
                shutil.rmtree(old, ignore_errors=True)
        return LoadedIndex(index=index, owners=owners, versions=dict(versions), generation=generation)

    def _load(self, generation: str, versions: dict[int, int]) -> LoadedIndex:
        from childsafe.index import PDQIndex

        folder = self.root / generation
        # copied into (huge-page) memory rather than mapped: about a second per GB to open, and a
        # third faster to search than 4 KiB file pages
        index = PDQIndex.load(folder / "index.pdq", mmap=False)
        owners = np.load(folder / "owners.npy")
        return LoadedIndex(index=index, owners=owners, versions=versions, generation=generation)


def _frame_hexes(vpdq_text: str) -> list[str]:
    """The PDQ hashes of a stored (already validated) vpdq text, in frame order."""
    out = []
    for line in vpdq_text.splitlines():
        parts = line.split(",")
        if len(parts) >= 3:
            out.append(parts[2].strip())
    return out
