"""Exact Hamming-radius index over 256-bit PDQ hashes.

``PDQIndex.search`` returns exactly the rows brute force finds within the radius. Large indexes use
multi-index hashing tables (``tables.py``) searched by a small compiled engine (``_pdqsearch.c``);
small ones, and machines where the engine did not build, scan every row. Additions go to a small
side list scanned directly until it is worth rebuilding the tables; removals mark rows dead.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from childsafe.errors import InvalidInput
from childsafe.index import brute, memory
from childsafe.index.codec import hex_to_array, normalise_hex
from childsafe.index.tables import (
    BIT_ORDER,
    BIT_ORDER_NAME,
    BLOCK_WORDS,
    DEFAULT_CHUNK_WIDTHS,
    HASH_BITS,
    MAX_HIGH_BITS,
    MAX_LOW_BITS,
    MAX_TABLES,
    Chunk,
    Table,
    build_tables,
    permute_numpy,
    position_bits,
    probe_cost,
    thresholds,
)

try:  # the compiled engine; the numpy scan gives the same results without it
    from childsafe.index import _pdqsearch  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the build
    _pdqsearch = None

FORMAT = "childsafe-pdq-index"
# 3 keeps each table's blocks and spill; 1 (bucket offsets) and 2 (bucket directory) still load:
# their tables are built anew from the saved rows.
FORMAT_VERSION = 3
DEFAULT_RADIUS = 31
# Below this many rows a scan beats the tables (and costs no memory).
MIN_TABLE_SIZE = 32_768
# Added rows are scanned directly until there are this many (a ~20 us scan); then the tables are rebuilt.
MAX_PENDING = 16_384
Match = tuple[int, int]


def engine_available() -> bool:
    """Whether the compiled search engine is in use (CHILDSAFE_INDEX_ENGINE=numpy turns it off)."""
    return _pdqsearch is not None and os.environ.get("CHILDSAFE_INDEX_ENGINE", "") != "numpy"


def engine_description() -> str:
    """What does the searching: the compiled engine and its block filter (avx512, avx2, scalar), or numpy."""
    if not engine_available():
        return "numpy scan"
    return f"compiled, {_pdqsearch.block_filter()} block filter"


def _as_hash_rows(hashes: Any, what: str) -> np.ndarray:
    """Accept (n, 32) uint8 rows, one (32,) row, hex strings, or an iterable of hex strings."""
    if isinstance(hashes, str):
        hashes = [hashes]
    if isinstance(hashes, np.ndarray):
        if hashes.dtype != np.uint8:
            raise InvalidInput(f"{what} must be uint8 rows of 32 bytes, got dtype {hashes.dtype}", code="bad_hash")
        if hashes.ndim == 1 and hashes.shape[0] == 32:
            hashes = hashes.reshape(1, 32)
        if hashes.ndim != 2 or hashes.shape[1] != 32:
            raise InvalidInput(f"{what} must have shape (n, 32), got {hashes.shape}", code="bad_hash")
        return np.ascontiguousarray(hashes)
    if isinstance(hashes, (bytes, bytearray)):
        raise InvalidInput(f"{what}: pass hex strings or a uint8 array, not bytes", code="bad_hash")
    texts = list(hashes)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidInput(f"{what}[{i}] must be a 64-character hex string, got {type(text).__name__}", code="bad_hash")
    return hex_to_array([normalise_hex(t, "pdq", where=f"{what}[{i}]") for i, t in enumerate(texts)])


def _as_ids(ids: Any, n: int, what: str) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.ndim != 1 or len(arr) != n:
        raise InvalidInput(f"{what}: need one id per hash ({n}), got shape {arr.shape}", code="bad_ids")
    if n and not np.issubdtype(arr.dtype, np.integer):
        raise InvalidInput(f"{what}: ids must be integers, got dtype {arr.dtype}", code="bad_ids")
    return arr.astype(np.int64, copy=True)


def _check_radius(radius: Any) -> int:
    if isinstance(radius, bool) or not isinstance(radius, (int, np.integer)) or not 0 <= radius <= HASH_BITS:
        raise InvalidInput(f"radius must be an integer from 0 to {HASH_BITS}, got {radius!r}", code="bad_radius")
    return int(radius)


class PDQIndex:
    """All ids whose PDQ hash lies within a Hamming radius of a query; exact.

    ``hashes`` are (n, 32) uint8 rows (``childsafe.index.codec``); ``ids`` int64 (default 0..n-1).
    Results are ``(id, distance)`` pairs, nearest first, ties by id. Indexes smaller than
    ``min_table_size`` rows keep no tables and scan; ``min_table_size=0`` always uses the tables
    (tests use it to put tiny banks through them).
    """

    # set by ``load``: the saved format version whose tables were rebuilt, None if none were
    upgraded_from: int | None = None

    def __init__(
        self,
        hashes: np.ndarray | Sequence[str] | None = None,
        ids: np.ndarray | Sequence[int] | None = None,
        *,
        min_table_size: int = MIN_TABLE_SIZE,
        chunk_widths: tuple[int, ...] = DEFAULT_CHUNK_WIDTHS,
    ) -> None:
        self._min_table_size = int(min_table_size)
        self._chunk_widths = tuple(chunk_widths)
        rows = np.zeros((0, 32), np.uint8) if hashes is None else _as_hash_rows(hashes, "hashes")
        if ids is None:
            id_arr = None
        else:
            id_arr = _as_ids(ids, len(rows), "ids")
            if np.array_equal(id_arr, np.arange(len(rows))):
                id_arr = None  # row numbers: no need to keep 8 bytes a row
        # The built part: rows, their ids (None = row number), dead-row mask (None = all alive), tables.
        self._hashes = rows
        # with tables, the built rows are kept with their bits in tables.BIT_ORDER (queries too)
        self._order: np.ndarray | None = None
        self._ids: np.ndarray | None = id_arr
        self._alive: np.ndarray | None = None
        self._tables: list[Table] = []
        # Rows added since the last build, scanned directly.
        self._extra_hashes = np.zeros((0, 32), np.uint8)
        self._extra_ids = np.zeros(0, np.int64)
        self._engine: Any = None
        self._extra_engine: Any = None
        self._probe_cache: dict[int, bytes | None] = {}
        self._rebuild(rows, id_arr)

    # ----- size and contents -------------------------------------------------------------
    def __len__(self) -> int:
        main = len(self._hashes) if self._alive is None else int(np.count_nonzero(self._alive))
        return main + len(self._extra_hashes)

    def __repr__(self) -> str:
        return f"PDQIndex({len(self)} hashes, {len(self._tables)} tables)"

    def _main_ids(self) -> np.ndarray:
        return np.arange(len(self._hashes), dtype=np.int64) if self._ids is None else np.asarray(self._ids)

    def items(self) -> tuple[np.ndarray, np.ndarray]:
        """All live (hashes, ids), built rows first."""
        hashes, ids = self._unpermuted(np.asarray(self._hashes)), self._main_ids()
        if self._alive is not None:
            keep = self._alive.astype(bool)
            hashes, ids = hashes[keep], ids[keep]
        return np.concatenate([hashes, self._extra_hashes]), np.concatenate([ids, self._extra_ids])

    @property
    def nbytes(self) -> int:
        """Bytes held by the index's arrays (hashes, ids, tables, pending rows)."""
        total = np.asarray(self._hashes).nbytes + self._extra_hashes.nbytes + self._extra_ids.nbytes
        if self._ids is not None:
            total += np.asarray(self._ids).nbytes
        if self._alive is not None:
            total += self._alive.nbytes
        for t in self._tables:
            total += t.nbytes
        return total

    # ----- changes -----------------------------------------------------------------------
    def add(self, hashes: np.ndarray | Sequence[str], ids: np.ndarray | Sequence[int] | None = None) -> None:
        """Add rows; ids default to one past the largest id so far. Rebuilds when the side list grows."""
        rows = _as_hash_rows(hashes, "hashes")
        if ids is None:
            tops = [int(self._extra_ids.max())] if len(self._extra_ids) else []
            if len(self._hashes):
                tops.append(len(self._hashes) - 1 if self._ids is None else int(np.max(self._ids)))
            first = max(tops) + 1 if tops else 0
            id_arr = np.arange(first, first + len(rows), dtype=np.int64)
        else:
            id_arr = _as_ids(ids, len(rows), "ids")
        if not len(rows):
            return
        self._extra_hashes = np.concatenate([self._extra_hashes, rows])
        self._extra_ids = np.concatenate([self._extra_ids, id_arr])
        if len(self._extra_hashes) > MAX_PENDING and len(self._hashes) + len(self._extra_hashes) >= self._min_table_size:
            self.compact()
        else:
            self._extra_engine = self._make_engine(self._extra_hashes, self._extra_ids, None, [])

    def remove(self, ids: Iterable[int] | np.ndarray) -> int:
        """Remove every row with one of these ids; returns how many rows went."""
        arr = np.asarray(ids if isinstance(ids, np.ndarray) else list(ids))
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            raise InvalidInput(f"ids to remove must be integers, got dtype {arr.dtype}", code="bad_ids")
        gone = np.unique(arr.astype(np.int64).reshape(-1))
        removed = 0
        if len(self._extra_ids):
            drop = np.isin(self._extra_ids, gone)
            if drop.any():
                removed += int(drop.sum())
                self._extra_hashes = self._extra_hashes[~drop]
                self._extra_ids = self._extra_ids[~drop]
                self._extra_engine = self._make_engine(self._extra_hashes, self._extra_ids, None, [])
        hit = np.isin(self._main_ids(), gone)
        if self._alive is not None:
            hit &= self._alive.astype(bool)
        if hit.any():
            removed += int(hit.sum())
            if self._alive is None:
                self._alive = np.ones(len(self._hashes), dtype=np.uint8)
                self._alive[hit] = 0
                self._engine = self._make_engine(self._hashes, self._ids, self._alive, self._tables, self._order)
            else:
                self._alive[hit] = 0  # the engine reads this array in place
            if int(np.count_nonzero(self._alive)) < 3 * len(self._hashes) // 4:
                self.compact()
        return removed

    def compact(self) -> None:
        """Fold pending additions and drop removed rows, rebuilding the tables."""
        if self._alive is None and not len(self._extra_ids):
            return
        hashes, ids = self.items()
        if np.array_equal(ids, np.arange(len(ids))):
            self._rebuild(np.ascontiguousarray(hashes), None)
        else:
            self._rebuild(np.ascontiguousarray(hashes), ids)

    def _rebuild(self, hashes: np.ndarray, ids: np.ndarray | None) -> None:
        use_tables = len(hashes) >= max(self._min_table_size, 1)
        self._order = BIT_ORDER if use_tables else None
        # the rows a lookup verifies candidates against, in the tables' bit order, on huge pages
        self._hashes = hashes = _permute(hashes, self._order) if use_tables else hashes
        self._ids = ids
        self._alive = None
        self._extra_hashes = np.zeros((0, 32), np.uint8)
        self._extra_ids = np.zeros(0, np.int64)
        builder = _compiled_builder if engine_available() else None
        self._tables = build_tables(hashes, self._chunk_widths, builder) if use_tables else []
        self._after_change()

    def _after_change(self) -> None:
        self._probe_cache = {}
        self._engine = self._make_engine(self._hashes, self._ids, self._alive, self._tables, self._order)
        self._extra_engine = self._make_engine(self._extra_hashes, self._extra_ids, None, [])

    @staticmethod
    def _make_engine(
        hashes: np.ndarray, ids: np.ndarray | None, alive: np.ndarray | None, tables: list[Table],
        order: np.ndarray | None = None,
    ) -> Any:
        """The compiled engine over these rows; with ``order`` it turns each query into the rows' bit order."""
        if not engine_available():
            return None
        spec = [(t.chunk.start, t.chunk.width, t.chunk.high_bits, t.blocks, t.spill) for t in tables]
        return _pdqsearch.Engine(hashes, ids, alive, spec, None if order is None else order.tobytes())

    # ----- search ------------------------------------------------------------------------
    def _plan(self, radius: int) -> bytes | None:
        """Per-table thresholds for this radius, or None where a plain scan is cheaper."""
        if radius not in self._probe_cache:
            plan = None
            if self._tables:
                chunks = [t.chunk for t in self._tables]
                # each probed block costs about as much as scanning a few dozen rows
                if probe_cost(chunks, radius) * 32 < len(self._hashes) or self._min_table_size == 0:
                    plan = bytes(t & 0xFF for t in thresholds(chunks, radius))
            self._probe_cache[radius] = plan
        return self._probe_cache[radius]

    def search(self, query: np.ndarray | str, radius: int = DEFAULT_RADIUS) -> list[Match]:
        """(id, distance) of every row within ``radius`` of ``query``, nearest first."""
        q = _as_hash_rows(query, "query")
        if len(q) != 1:
            raise InvalidInput(f"query must be one hash, got {len(q)}; use search_batch", code="bad_hash")
        return self._search_rows(q, _check_radius(radius))[0]

    def search_batch(self, queries: np.ndarray | Sequence[str], radius: int = DEFAULT_RADIUS) -> list[list[Match]]:
        """One result list per query, all run through one pipeline (e.g. the eight dihedral variants of an image).

        Queries that agree on a chunk (the dihedral variants of a photo often do, in the tables' bit
        order) share that table's blocks: the engine visits them once for all. Unrelated queries
        share nothing, and a batch then saves only the per-call overhead.
        """
        q = _as_hash_rows(queries, "queries")
        return self._search_rows(q, _check_radius(radius))

    def _unpermuted(self, rows: np.ndarray) -> np.ndarray:
        if self._order is None:
            return rows
        inverse = np.argsort(self._order).astype(np.uint8)
        return _permute(rows, inverse)

    def _search_rows(self, q: np.ndarray, radius: int) -> list[list[Match]]:
        if not len(q):
            return []
        if self._engine is not None:  # the engine puts the queries into the rows' bit order itself
            queries = q.tobytes()
            results = self._engine.search(queries, radius, self._plan(radius))
            if len(self._extra_hashes):
                extra = self._extra_engine.search(queries, radius, None)
                results = [sorted(a + b, key=_nearest_first) for a, b in zip(results, extra)]
            return results
        main_q = _permute(q, self._order) if self._order is not None else q
        return [self._numpy_search(row, main_row, radius) for row, main_row in zip(q, main_q)]

    def _numpy_search(self, query: np.ndarray, main_query: np.ndarray, radius: int) -> list[Match]:
        found: list[Match] = []
        rows, dist = brute.search_rows(self._hashes, main_query, radius)
        if self._alive is not None:
            keep = self._alive[rows].astype(bool)
            rows, dist = rows[keep], dist[keep]
        ids = rows if self._ids is None else np.asarray(self._ids)[rows]
        found.extend(zip(ids.tolist(), dist.tolist()))
        if len(self._extra_hashes):
            rows, dist = brute.search_rows(self._extra_hashes, query, radius)
            found.extend(zip(self._extra_ids[rows].tolist(), dist.tolist()))
        found.sort(key=_nearest_first)
        return found

    # ----- disk --------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the index as a directory of .npy files (replaced whole, never half-written)."""
        self.compact()
        target = Path(path)
        tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex[:8]}")
        tmp.mkdir(parents=True)
        try:
            meta = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "count": len(self._hashes),
                "bit_order": BIT_ORDER_NAME if self._order is not None else "pdq",
                "has_ids": self._ids is not None,
                "min_table_size": self._min_table_size,
                "chunk_widths": list(self._chunk_widths),
                "tables": [t.chunk.to_dict() for t in self._tables],
            }
            np.save(tmp / "hashes.npy", np.asarray(self._hashes))
            if self._ids is not None:
                np.save(tmp / "ids.npy", np.asarray(self._ids))
            for j, t in enumerate(self._tables):
                np.save(tmp / f"table{j}_blocks.npy", t.blocks)
                np.save(tmp / f"table{j}_spill.npy", t.spill)
            (tmp / "meta.json").write_text(json.dumps(meta, indent=2))
            old = None
            if target.exists():
                if not (target / "meta.json").is_file():
                    raise InvalidInput(f"{target}: exists and is not a saved PDQ index; not replacing it", code="bad_index")
                old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
                os.rename(target, old)
            os.rename(tmp, target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, path: str | Path, *, mmap: bool = True) -> "PDQIndex":
        """Open a saved index.

        With ``mmap`` (default) the arrays are mapped, not read: opening is instant and processes
        share the page cache. ``mmap=False`` copies them into huge-page memory (about a second per
        GB), which makes lookups on a large index about a third faster (fewer TLB misses).
        Indexes saved in format versions 1 and 2 (older table layouts) are read too: their rows are
        kept and the tables built anew (seconds at 10M rows; save again to skip that next time).
        ``upgraded_from`` then names the version read (None when the file was current).
        """
        folder = Path(path)
        meta_path = folder / "meta.json"
        try:
            meta = json.loads(meta_path.read_text())
        except FileNotFoundError:
            raise InvalidInput(f"{folder}: not a saved PDQ index (no meta.json)", code="bad_index") from None
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"{meta_path}: unreadable index metadata ({exc})", code="bad_index") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") not in (1, 2, FORMAT_VERSION):
            raise InvalidInput(f"{meta_path}: not a version 1 to {FORMAT_VERSION} {FORMAT}", code="bad_index")
        version = meta["version"]
        try:
            n = int(meta["count"])
            widths = tuple(int(w) for w in meta["chunk_widths"])
            chunks = [Chunk(int(c["start"]), int(c["width"]), int(c["high_bits"])) for c in meta["tables"]]
            has_ids = bool(meta["has_ids"])
            min_table_size = int(meta["min_table_size"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"{meta_path}: bad index metadata ({exc})", code="bad_index") from None
        def array(name: str, dtype: Any, shape: tuple[int | None, ...]) -> np.ndarray:
            file = folder / name
            try:
                arr = np.load(file, mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as exc:
                raise InvalidInput(f"{file}: unreadable index file ({exc})", code="bad_index") from None
            if (arr.dtype != np.dtype(dtype) or arr.ndim != len(shape) or not arr.flags.c_contiguous
                    or any(want is not None and got != want for got, want in zip(arr.shape, shape))):
                raise InvalidInput(
                    f"{file}: expected {np.dtype(dtype)} {shape}, found {arr.dtype} {arr.shape}", code="bad_index"
                )
            if not mmap or not arr.flags.aligned:  # a private copy in huge-page memory: slower to open, faster to search
                return memory.copy(arr)
            return arr

        index = cls.__new__(cls)
        index._min_table_size = min_table_size
        index._chunk_widths = widths
        index._hashes = array("hashes.npy", np.uint8, (n, 32))
        bit_order = meta.get("bit_order", "pdq")
        if bit_order not in ("pdq", BIT_ORDER_NAME) or (version == 1 and bit_order != "pdq"):
            raise InvalidInput(f"{meta_path}: unknown bit order {bit_order!r}", code="bad_index")
        index._order = BIT_ORDER if bit_order == BIT_ORDER_NAME else None
        index._ids = array("ids.npy", np.int64, (n,)) if has_ids else None
        index._alive = None
        index._extra_hashes = np.zeros((0, 32), np.uint8)
        index._extra_ids = np.zeros(0, np.int64)
        index._tables = []
        index.upgraded_from = None
        if version < FORMAT_VERSION:
            # an older table layout: keep the rows, build today's tables from them
            index._rebuild(np.ascontiguousarray(index._unpermuted(np.asarray(index._hashes))), index._ids)
            index.upgraded_from = version
            return index
        if len(chunks) > MAX_TABLES:
            raise InvalidInput(f"{meta_path}: {len(chunks)} tables, at most {MAX_TABLES}", code="bad_index")
        for j, c in enumerate(chunks):
            if not (0 <= c.start and 1 <= c.width <= 32 and c.start + c.width <= HASH_BITS
                    and 1 <= c.high_bits <= min(c.width, MAX_HIGH_BITS)
                    and c.low_bits <= min(MAX_LOW_BITS, 32 - position_bits(n))):
                raise InvalidInput(f"{meta_path}: bad layout for table {j}: {c}", code="bad_index")
            blocks = array(f"table{j}_blocks.npy", np.uint32, (1 << c.high_bits, BLOCK_WORDS))
            if blocks.ctypes.data % 64:  # the engine reads a block as one cache line
                blocks = memory.copy(blocks)
            spill = array(f"table{j}_spill.npy", np.uint32, (None,))
            index._tables.append(Table(c, blocks, spill))
        starts = [sum(c.width for c in chunks[:j]) for j in range(len(chunks))]
        if index._tables and ([c.start for c in chunks] != starts or sum(c.width for c in chunks) != HASH_BITS):
            raise InvalidInput(f"{meta_path}: tables do not cover all {HASH_BITS} bits once", code="bad_index")
        index._after_change()
        return index


def _permute(rows: np.ndarray, order: np.ndarray) -> np.ndarray:
    """``rows`` with bit p taken from bit ``order[p]``, on huge pages (compiled, or numpy without the engine)."""
    rows = np.ascontiguousarray(rows, dtype=np.uint8).reshape(-1, 32)
    out = memory.empty(rows.shape, np.uint8)
    if _pdqsearch is None:
        out[...] = permute_numpy(rows, order)
    else:
        _pdqsearch.permute(rows, out, np.ascontiguousarray(order, dtype=np.uint8).tobytes())
    return out


def _compiled_builder(hashes: np.ndarray, chunk: Chunk) -> Table:
    blocks = memory.empty((1 << chunk.high_bits, BLOCK_WORDS), np.uint32)
    scratch = np.empty(len(hashes), dtype=np.uint32)
    spilled = _pdqsearch.build_table(hashes, chunk.start, chunk.width, chunk.high_bits, blocks, scratch)
    return Table(chunk, blocks, memory.copy(scratch[:spilled]))


def _nearest_first(match: Match) -> tuple[int, int]:
    return match[1], match[0]
