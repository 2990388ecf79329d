"""Multi-index hashing tables: the structure that makes exact radius search sub-linear.

The 256 bits are cut into ``m`` contiguous chunks. If a banked hash lies within ``r`` bits of a
query, then for any thresholds ``t_j`` with ``sum(t_j + 1) >= r + 1`` at least one chunk ``j`` lies
within ``t_j`` bits (pigeonhole). Each table sorts the rows by one chunk: its high ``h`` bits pick
a bucket, the remaining low bits are packed with the row number into one uint32 ``entries`` word
so a bucket is filtered, and its rows found, without touching the full hashes. Where each bucket's
entries start is kept in a compact ``directory`` (see ``make_directory``). A query enumerates the
buckets within ``t_j`` bits of its own chunk, keeps entries whose whole chunk is within ``t_j``,
and verifies those against the full 256 bits. Nothing is approximate: every hash within ``r``
is a candidate of at least one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np

from childsafe.index import memory

HASH_BITS = 256
DESIGN_RADIUS = 31


def _dihedral_bit_order() -> np.ndarray:
    """The order the tables see a hash's bits in: grouped by the parity of the DCT coefficient.

    Bit ``i`` of a PDQ hash is the sign (against the median) of DCT coefficient (``i // 16``,
    ``i % 16``). Mirroring a picture negates the coefficients of odd column (or row) frequency and
    keeps the others; transposing swaps row and column. So across the eight rotations and flips of
    a photo, a chunk made of same-parity coefficients is either kept or inverted as a whole (up to
    the few bits near the median), and the four untransposed variants of a photo often share a
    chunk's value exactly. Queries that share a chunk value share its buckets
    (``_pdqsearch`` visits them once for the whole batch). Hamming distance does not care about
    the order, so the stored rows are simply kept in this order.
    """
    r, c = np.divmod(np.arange(HASH_BITS), 16)
    return np.concatenate([np.flatnonzero((r % 2 == a) & (c % 2 == b)) for a in (0, 1) for b in (0, 1)]).astype(np.uint8)


BIT_ORDER = _dihedral_bit_order()
BIT_ORDER_NAME = "dct-parity"
# 11 chunks (chunk width near log2 of a 10M bank, the multi-index optimum); at r=31 the ten wide
# ones get threshold 2 and the 20-bit one threshold 1.
DEFAULT_CHUNK_WIDTHS: tuple[int, ...] = (24,) * 6 + (23,) * 4 + (20,)
MAX_RESIDUAL_BITS = 16
# A bucket holds about 2**BUCKET_SHIFT rows on random data. Small buckets: a probe reads fewer
# entries, and the directory (one byte a bucket) keeps the cost of having many of them low.
BUCKET_SHIFT = 0
# The directory: buckets in blocks of DIR_BLOCK, one 32-byte block each (so one cache line serves a
# probe): the little-endian uint32 offset of the block's first entry, then one byte per bucket with
# its size. A block with a bucket of DIR_MAX_COUNT rows or more (a cluster of duplicates) has
# DIR_BIG | k as its base and its DIR_BLOCK + 1 offsets in row k of ``overflow``.
DIR_BLOCK = 28
DIR_BYTES = 32
DIR_MAX_COUNT = 255
DIR_BIG = 1 << 31
MAX_ROWS = DIR_BIG - 1


@dataclass(frozen=True)
class Chunk:
    """One table's slice of the hash: bits [start, start+width), ``high_bits`` of them pick the bucket."""

    start: int
    width: int
    high_bits: int

    @property
    def residual_bits(self) -> int:
        return self.width - self.high_bits

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "width": self.width, "high_bits": self.high_bits}


def position_bits(n: int) -> int:
    return max(int(n - 1).bit_length(), 1)


def plan_chunks(n: int, widths: tuple[int, ...] = DEFAULT_CHUNK_WIDTHS) -> list[Chunk]:
    """Chunk layout for ``n`` rows: buckets sized so each holds a handful of rows.

    An entry packs the residual bits above the row number, so residual + row bits must fit 32.
    """
    if sum(widths) != HASH_BITS or any(not 1 <= w <= 32 for w in widths):
        raise ValueError(f"chunk widths must be 1..32 bits and cover {HASH_BITS} bits: {widths}")
    log_n = max(int(n).bit_length() - 1, 0)
    max_residual = min(MAX_RESIDUAL_BITS, 32 - position_bits(n))
    chunks = []
    start = 0
    for w in widths:
        h = min(w, max(log_n - BUCKET_SHIFT, w - max_residual, 1))
        if w - h > max_residual or h > 26:
            raise ValueError(f"{n} rows are too many for {w}-bit chunks")
        chunks.append(Chunk(start, w, h))
        start += w
    return chunks


def thresholds(chunks: list[Chunk], radius: int) -> list[int]:
    """Per-table thresholds t_j with sum(t_j + 1) == radius + 1; the widest chunks get the extra bit.

    A table with t_j == -1 is not consulted at all.
    """
    m = len(chunks)
    base, extra = divmod(radius + 1, m)
    order = sorted(range(m), key=lambda j: (-chunks[j].width, j))
    t = [base - 1] * m
    for j in order[:extra]:
        t[j] += 1
    return t


def ball_size(bits: int, radius: int) -> int:
    return sum(comb(bits, d) for d in range(0, min(radius, bits) + 1))


def probe_cost(chunks: list[Chunk], radius: int) -> int:
    """Number of buckets a query visits at this radius (to decide against a plain scan)."""
    return sum(ball_size(c.high_bits, t) for c, t in zip(chunks, thresholds(chunks, radius)) if t >= 0)


def permute_numpy(rows: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Rows with bit p taken from bit order[p] (the compiled ``_pdqsearch.permute`` does the same, faster)."""
    return np.packbits(np.unpackbits(np.asarray(rows, dtype=np.uint8).reshape(-1, 32), axis=1)[:, order], axis=1)


def hash_words(hashes: np.ndarray) -> np.ndarray:
    """(n, 32) uint8 -> (n, 4) uint64 with bit 0 of the hash as the top bit of word 0."""
    return np.ascontiguousarray(hashes, dtype=np.uint8).reshape(-1, 32).view(">u8").astype(np.uint64)


def extract(words: np.ndarray, start: int, width: int) -> np.ndarray:
    """Bits [start, start+width) of every hash as uint64 values."""
    w, off = divmod(start, 64)
    mask = np.uint64((1 << width) - 1)
    if off + width <= 64:
        return (words[:, w] >> np.uint64(64 - off - width)) & mask
    low = off + width - 64
    high = (words[:, w] << np.uint64(low)) & mask
    return high | (words[:, w + 1] >> np.uint64(64 - low))


def make_directory(offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(directory, overflow) for a table's bucket offsets (uint32, one more than there are buckets)."""
    offsets = np.asarray(offsets, dtype=np.uint32)
    nb = len(offsets) - 1
    nblocks = max(-(-nb // DIR_BLOCK), 1)
    padded = np.empty(nblocks * DIR_BLOCK + 1, dtype=np.uint32)
    padded[: nb + 1] = offsets
    padded[nb + 1 :] = offsets[-1]
    counts = np.diff(padded).reshape(nblocks, DIR_BLOCK)
    big = counts >= DIR_MAX_COUNT
    big_blocks = np.flatnonzero(big.any(axis=1))
    base = padded[:-1:DIR_BLOCK].astype(np.uint32)
    base[big_blocks] = np.uint32(DIR_BIG) | np.arange(len(big_blocks), dtype=np.uint32)
    directory = memory.empty((nblocks, DIR_BYTES), np.uint8)
    directory[:, :4] = base.astype("<u4").view(np.uint8).reshape(nblocks, 4)
    directory[:, 4 : 4 + DIR_BLOCK] = np.where(big, 0, counts).astype(np.uint8)
    directory[:, 4 + DIR_BLOCK :] = 0
    starts = big_blocks * DIR_BLOCK
    overflow = padded[starts[:, None] + np.arange(DIR_BLOCK + 1)].astype(np.uint32).reshape(len(big_blocks), DIR_BLOCK + 1)
    return directory, overflow


def directory_offsets(directory: np.ndarray, overflow: np.ndarray, buckets: int) -> np.ndarray:
    """The bucket offsets a directory encodes (the inverse of ``make_directory``)."""
    base = directory[:, :4].copy().view("<u4").reshape(-1).astype(np.int64)
    counts = directory[:, 4 : 4 + DIR_BLOCK].astype(np.int64)
    starts = base[:, None] + np.concatenate([np.zeros((len(base), 1), np.int64), np.cumsum(counts, axis=1)], axis=1)
    for b in np.flatnonzero(base & DIR_BIG):
        starts[b] = overflow[base[b] & ~DIR_BIG]
    flat = starts[:, :DIR_BLOCK].reshape(-1)[:buckets]
    return np.append(flat, starts[(buckets - 1) // DIR_BLOCK][(buckets - 1) % DIR_BLOCK + 1]).astype(np.uint32)


@dataclass
class Table:
    chunk: Chunk
    directory: np.ndarray  # uint8 (blocks, 32): where each bucket's entries start (make_directory)
    overflow: np.ndarray  # uint32 (k, DIR_BLOCK + 1): offsets of the blocks with a bucket too big for a byte
    entries: np.ndarray  # uint32, n: residual << (32 - residual_bits) | row, rows ascending per bucket

    @property
    def nbytes(self) -> int:
        return self.directory.nbytes + self.overflow.nbytes + self.entries.nbytes

    @property
    def offsets(self) -> np.ndarray:
        """Bucket b holds entries[offsets[b]:offsets[b+1]] (decoded from the directory)."""
        return directory_offsets(self.directory, self.overflow, 1 << self.chunk.high_bits)

    @classmethod
    def from_offsets(cls, chunk: Chunk, offsets: np.ndarray, entries: np.ndarray) -> "Table":
        directory, overflow = make_directory(offsets)
        return cls(chunk, directory, overflow, entries)


def build_table(hashes: np.ndarray, chunk: Chunk, words: np.ndarray | None = None) -> Table:
    """Counting sort of the rows by the chunk's high bits (numpy version of the compiled builder)."""
    n = len(hashes)
    if words is None:
        words = hash_words(hashes)
    key = extract(words, chunk.start, chunk.width)
    high = (key >> np.uint64(chunk.residual_bits)).astype(np.intp)
    order = np.argsort(high, kind="stable")
    counts = np.bincount(high, minlength=1 << chunk.high_bits)
    offsets = np.zeros((1 << chunk.high_bits) + 1, dtype=np.uint32)
    np.cumsum(counts, out=offsets[1:])
    residual = key[order] & np.uint64((1 << chunk.residual_bits) - 1)
    shift = np.uint64(32 - chunk.residual_bits) if chunk.residual_bits else np.uint64(0)
    entries = memory.empty(n, np.uint32)
    entries[:] = ((residual << shift) | order.astype(np.uint64)).astype(np.uint32)
    return Table.from_offsets(chunk, offsets, entries)


def build_tables(hashes: np.ndarray, widths: tuple[int, ...] = DEFAULT_CHUNK_WIDTHS, builder=None) -> list[Table]:
    """All tables for these rows; ``builder(hashes, chunk)`` may be the compiled counting sort."""
    n = len(hashes)
    if n > MAX_ROWS:
        raise ValueError(f"an index holds at most {MAX_ROWS} hashes")
    chunks = plan_chunks(n, widths)
    if builder is not None:
        return [builder(hashes, c) for c in chunks]
    words = hash_words(hashes)
    return [build_table(hashes, c, words) for c in chunks]
