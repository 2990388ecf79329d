"""Multi-index hashing tables: the structure that makes exact radius search sub-linear.

The 256 bits are cut into ``m`` contiguous chunks. If a banked hash lies within ``r`` bits of a
query, then for any thresholds ``t_j`` with ``sum(t_j + 1) >= r + 1`` at least one chunk ``j`` lies
within ``t_j`` bits (pigeonhole). Each table sorts the rows by one chunk: its high ``h`` bits pick
a **block**, one 64-byte cache line holding where the block's spilled entries start, how many
entries it has, and its first 14 entries; the rest go to the table's ``spill`` array. An entry packs
the chunk's low bits above the row number in one uint32, so a block is filtered, and its rows
found, without touching the full hashes, and a probe costs one cache line. A query visits the
blocks within ``t_j`` bits of its own chunk's high bits, keeps entries whose whole chunk is within
``t_j``, and verifies those against the full 256 bits. Nothing is approximate: every hash within
``r`` is a candidate of at least one table.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
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
    chunk's value exactly. Queries that share a chunk value share its blocks
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
MAX_LOW_BITS = 16
# what the compiled engine accepts (its MAX_TABLES, and block numbers of at most 30 bits)
MAX_TABLES = 32
MAX_HIGH_BITS = 30
# A block is 16 uint32 words: spill offset, entry count, then BLOCK_INLINE entries. Blocks are sized
# to hold about ROWS_PER_BLOCK rows on random data (so between 5.7 and 11.3), and only a few
# percent of the entries spill.
BLOCK_WORDS = 16
BLOCK_INLINE = BLOCK_WORDS - 2
ROWS_PER_BLOCK = 8
MAX_ROWS = (1 << 31) - 1


@dataclass(frozen=True)
class Chunk:
    """One table's slice of the hash: bits [start, start+width), ``high_bits`` of them pick the block."""

    start: int
    width: int
    high_bits: int

    @property
    def low_bits(self) -> int:
        """The bits an entry keeps above its row number."""
        return self.width - self.high_bits

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "width": self.width, "high_bits": self.high_bits}


def position_bits(n: int) -> int:
    return max(int(n - 1).bit_length(), 1)


def plan_chunks(n: int, widths: tuple[int, ...] = DEFAULT_CHUNK_WIDTHS) -> list[Chunk]:
    """Chunk layout for ``n`` rows: blocks sized to hold about ``ROWS_PER_BLOCK`` rows each.

    An entry packs the low bits above the row number, so low + row bits must fit 32.
    """
    if sum(widths) != HASH_BITS or any(not 1 <= w <= 32 for w in widths):
        raise ValueError(f"chunk widths must be 1..32 bits and cover {HASH_BITS} bits: {widths}")
    target = max(round(math.log2(max(n, 1) / ROWS_PER_BLOCK)), 1)
    max_low = min(MAX_LOW_BITS, 32 - position_bits(n))
    chunks = []
    start = 0
    for w in widths:
        h = min(w, max(target, w - max_low))
        if w - h > max_low or h > 26:
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
    """Number of blocks a query visits at this radius (to decide against a plain scan)."""
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


@dataclass
class Table:
    chunk: Chunk
    blocks: np.ndarray  # uint32 (2**high_bits, BLOCK_WORDS), 64-byte aligned: spill offset, count, entries
    spill: np.ndarray  # uint32: the entries past each block's first BLOCK_INLINE, block by block

    @property
    def nbytes(self) -> int:
        return self.blocks.nbytes + self.spill.nbytes

    def entries(self) -> list[np.ndarray]:
        """Each block's entries, inline then spilled (for tests and checks; slow on big tables)."""
        counts = self.blocks[:, 1].astype(np.int64)
        out = []
        for b, count in enumerate(counts):
            inline = self.blocks[b, 2 : 2 + min(count, BLOCK_INLINE)]
            lo = int(self.blocks[b, 0])
            out.append(np.concatenate([inline, self.spill[lo : lo + max(count - BLOCK_INLINE, 0)]]))
        return out


def place(block: np.ndarray, high_bits: int) -> np.ndarray:
    """Where each block lives in its table: a bijection of ``high_bits``-bit numbers.

    A query's probes differ from its own block in one or two bits; kept in that order they land
    close together in memory (likely in a few DRAM banks); spread out, the probes measured ~13%
    faster. The compiled engine's ``place`` computes the same.
    """
    m = np.uint64((1 << high_bits) - 1)
    b = (np.asarray(block, dtype=np.uint64) * np.uint64(0x9E3779B1)) & m
    b ^= b >> np.uint64((high_bits + 1) // 2)
    return (b * np.uint64(0x85EBCA77)) & m


def build_table(hashes: np.ndarray, chunk: Chunk, words: np.ndarray | None = None) -> Table:
    """Counting sort of the rows by the chunk's high bits into blocks (numpy version of the compiled builder)."""
    n = len(hashes)
    if words is None:
        words = hash_words(hashes)
    nblocks = 1 << chunk.high_bits
    key = extract(words, chunk.start, chunk.width)
    block = place(key >> np.uint64(chunk.low_bits), chunk.high_bits).astype(np.intp)
    order = np.argsort(block, kind="stable")
    counts = np.bincount(block, minlength=nblocks)
    starts = np.zeros(nblocks + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    low = key[order] & np.uint64((1 << chunk.low_bits) - 1)
    shift = np.uint64(32 - chunk.low_bits) if chunk.low_bits else np.uint64(0)
    entries = ((low << shift) | order.astype(np.uint64)).astype(np.uint32)
    in_block = block[order]
    pos = np.arange(n, dtype=np.int64) - starts[in_block]
    inline = pos < BLOCK_INLINE
    blocks = memory.empty((nblocks, BLOCK_WORDS), np.uint32)
    blocks[...] = 0
    blocks[in_block[inline], 2 + pos[inline]] = entries[inline]
    spilled = np.maximum(counts - BLOCK_INLINE, 0)
    blocks[1:, 0] = np.cumsum(spilled[:-1]).astype(np.uint32)
    blocks[:, 1] = counts.astype(np.uint32)
    return Table(chunk, blocks, memory.copy(entries[~inline]))


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
