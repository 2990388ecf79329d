"""The index finds exactly what brute force finds: every hash within the radius, nothing else."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from childsafe.errors import InvalidInput
from childsafe.index import PDQIndex, engine_available
from childsafe.index.tables import thresholds, plan_chunks

# the compiled engine with each block filter (the best the CPU has up to AVX-512, AVX2, none), and numpy
ENGINES = ["compiled", "compiled-avx2", "compiled-scalar", "numpy"]
VECTOR_LEVELS = {"compiled": 2, "compiled-avx2": 1, "compiled-scalar": 0}


@pytest.fixture(params=ENGINES)
def engine(request, monkeypatch):
    if request.param == "numpy":
        monkeypatch.setenv("CHILDSAFE_INDEX_ENGINE", "numpy")
        yield request.param
        return
    if not engine_available():
        pytest.skip("compiled engine not built")
    from childsafe.index import _pdqsearch

    was = _pdqsearch.vector(VECTOR_LEVELS[request.param])
    try:
        yield request.param
    finally:
        _pdqsearch.vector(was)


def flip(row: np.ndarray, bits) -> np.ndarray:
    out = row.copy()
    for b in bits:
        out[b // 8] ^= 0x80 >> (b % 8)
    return out


def brute_force(hashes: np.ndarray, ids, query: np.ndarray, radius: int) -> list[tuple[int, int]]:
    """Reference written independently of the index: Python ints and bit_count."""
    q = int.from_bytes(query.tobytes(), "big")
    found = []
    for row, i in zip(hashes, ids):
        d = (int.from_bytes(row.tobytes(), "big") ^ q).bit_count()
        if d <= radius:
            found.append((int(i), d))
    return sorted(found, key=lambda m: (m[1], m[0]))


hash_rows = st.binary(min_size=32, max_size=32).map(lambda b: np.frombuffer(b, dtype=np.uint8).copy())
radii = st.sampled_from([0, 1, 3, 7, 8, 15, 16, 31, 32, 40, 63, 64])


@st.composite
def clustered_bank(draw):
    """Near-duplicate clusters, as real banks hold, plus exact duplicates and queries near them."""
    centres = draw(st.lists(hash_rows, min_size=1, max_size=6))
    rows = []
    for c in centres:
        for _ in range(draw(st.integers(1, 25))):
            k = draw(st.integers(0, 45))
            bits = draw(st.lists(st.integers(0, 255), min_size=k, max_size=k, unique=True))
            rows.append(flip(c, bits))
    rows += [rows[i] for i in draw(st.lists(st.integers(0, len(rows) - 1), max_size=5))]
    hashes = np.array(rows, dtype=np.uint8)
    queries = []
    for _ in range(draw(st.integers(1, 9))):
        base = centres[draw(st.integers(0, len(centres) - 1))]
        k = draw(st.integers(0, 40))
        queries.append(flip(base, draw(st.lists(st.integers(0, 255), min_size=k, max_size=k, unique=True))))
    return hashes, np.array(queries, dtype=np.uint8)


def build(hashes, ids=None) -> PDQIndex:
    # min_table_size=0 puts even tiny banks through the multi-index tables
    return PDQIndex(hashes, ids, min_table_size=0)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=clustered_bank(), radius=radii)
def test_clustered_bank_search_equals_brute_force(engine, data, radius):
    hashes, queries = data
    ids = np.arange(len(hashes)) * 7 + 3
    index = build(hashes, ids)
    for q in queries:
        assert index.search(q, radius) == brute_force(hashes, ids, q, radius)
    assert index.search_batch(queries, radius) == [brute_force(hashes, ids, q, radius) for q in queries]


@SETTINGS
@given(rows=st.lists(hash_rows, max_size=60), queries=st.lists(hash_rows, min_size=1, max_size=8), radius=radii)
def test_random_bank_search_equals_brute_force(engine, rows, queries, radius):
    hashes = np.array(rows, dtype=np.uint8).reshape(-1, 32)
    index = build(hashes)
    q = np.array(queries, dtype=np.uint8)
    assert index.search_batch(q, radius) == [brute_force(hashes, range(len(hashes)), x, radius) for x in q]


@SETTINGS
@given(query=hash_rows, radius=st.integers(0, 64), data=st.data())
def test_hash_at_exactly_radius_matches_and_one_more_bit_does_not(engine, query, radius, data):
    bits = data.draw(st.lists(st.integers(0, 255), min_size=radius + 1, max_size=radius + 1, unique=True))
    at_r = flip(query, bits[:radius])
    beyond = flip(query, bits)
    noise = np.random.default_rng(radius).integers(0, 256, (50, 32), dtype=np.uint8)
    hashes = np.vstack([noise, at_r, beyond, at_r])
    index = build(hashes)
    found = index.search(query, radius)
    assert (50, radius) in found and (52, radius) in found
    assert all(i != 51 for i, _ in found)
    assert found == brute_force(hashes, range(len(hashes)), query, radius)


@SETTINGS
@given(data=clustered_bank(), radius=radii, seed=st.integers(0, 2**32 - 1))
def test_search_stays_exact_after_add_and_remove(engine, data, radius, seed):
    hashes, queries = data
    rng = np.random.default_rng(seed)
    index = build(hashes[: len(hashes) // 2])
    index.add(hashes[len(hashes) // 2 :], np.arange(len(hashes) // 2, len(hashes)))
    ids = np.arange(len(hashes))
    gone = rng.choice(ids, size=rng.integers(0, len(ids) + 1), replace=False)
    assert index.remove(gone) == len(gone)
    keep = ~np.isin(ids, gone)
    assert len(index) == int(keep.sum())
    expected = [brute_force(hashes[keep], ids[keep], q, radius) for q in queries]
    assert index.search_batch(queries, radius) == expected
    index.compact()
    assert index.search_batch(queries, radius) == expected


@SETTINGS
@given(data=clustered_bank(), radius=radii)
def test_saved_and_loaded_index_finds_the_same(engine, data, radius, tmp_path_factory):
    hashes, queries = data
    ids = np.arange(len(hashes))[::-1].copy()
    index = build(hashes, ids)
    index.remove(ids[:2])
    path = tmp_path_factory.mktemp("ix") / "bank.pdqindex"
    index.save(path)
    loaded = PDQIndex.load(path)
    assert len(loaded) == len(index)
    assert loaded.search_batch(queries, radius) == index.search_batch(queries, radius)
    assert loaded.search_batch(queries, radius) == [brute_force(hashes[2:], ids[2:], q, radius) for q in queries]
    assert PDQIndex.load(path, mmap=False).search_batch(queries, radius) == loaded.search_batch(queries, radius)


def test_large_random_bank_uses_tables_and_matches_brute_force(engine):
    rng = np.random.default_rng(7)
    hashes = rng.integers(0, 256, (40_000, 32), dtype=np.uint8)
    index = PDQIndex(hashes)
    queries = np.array([flip(hashes[i], rng.choice(256, size=k, replace=False)) for i, k in
                        [(0, 0), (1, 31), (2, 32), (3, 12), (4, 64)]] + list(rng.integers(0, 256, (3, 32), dtype=np.uint8)),
                       dtype=np.uint8)
    for radius in (31, 0, 45):
        assert index.search_batch(queries, radius) == [brute_force(hashes, range(len(hashes)), q, radius) for q in queries]


def test_thresholds_satisfy_pigeonhole_for_every_radius():
    for widths in [(32,) * 8, (24, 24, 24) + (23,) * 8, (256 // 16,) * 16]:
        chunks = plan_chunks(10_000_000, widths)
        for r in range(0, 257):
            t = thresholds(chunks, r)
            assert sum(x + 1 for x in t) == r + 1


def test_hex_queries_and_empty_index(engine):
    index = PDQIndex()
    assert len(index) == 0
    assert index.search("f" * 64) == []
    index.add(["f" * 64, "0" * 64], [10, 11])
    assert index.search("F" * 63 + "e", radius=1) == [(10, 1)]
    assert index.search_batch([]) == []


@pytest.mark.parametrize(
    "call",
    [
        lambda ix: ix.search("abc"),
        lambda ix: ix.search("g" * 64),
        lambda ix: ix.search(np.zeros(31, np.uint8)),
        lambda ix: ix.search(np.zeros(32, np.int32)),
        lambda ix: ix.search("0" * 64, radius=-1),
        lambda ix: ix.search("0" * 64, radius=257),
        lambda ix: ix.search("0" * 64, radius=3.5),
        lambda ix: ix.add(np.zeros((2, 32), np.uint8), [1]),
        lambda ix: ix.add(np.zeros((2, 16), np.uint8)),
    ],
)
def test_bad_queries_and_rows_raise_invalid_input(call):
    with pytest.raises(InvalidInput):
        call(PDQIndex(np.zeros((3, 32), np.uint8)))


def test_loading_something_that_is_not_an_index_names_the_file(tmp_path):
    with pytest.raises(InvalidInput, match="meta.json"):
        PDQIndex.load(tmp_path)
    index = build(np.random.default_rng(0).integers(0, 256, (20, 32), dtype=np.uint8))
    index.save(tmp_path / "ix")
    np.save(tmp_path / "ix" / "table0_blocks.npy", np.zeros(3, np.uint32))
    with pytest.raises(InvalidInput, match="table0_blocks.npy"):
        PDQIndex.load(tmp_path / "ix")


def test_save_replaces_an_existing_index_whole(tmp_path):
    a = build(np.zeros((5, 32), np.uint8))
    a.save(tmp_path / "ix")
    b = build(np.full((2, 32), 255, np.uint8))
    b.save(tmp_path / "ix")
    assert len(PDQIndex.load(tmp_path / "ix")) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ix"]


def test_compiled_table_builder_makes_the_same_tables_as_numpy():
    if not engine_available():
        pytest.skip("compiled engine not built")
    from childsafe.index.pdq_index import _compiled_builder
    from childsafe.index.tables import build_table

    hashes = np.random.default_rng(3).integers(0, 256, (5000, 32), dtype=np.uint8)
    hashes[100:140] = hashes[7]  # duplicates land in one block, past its inline entries; rows stay ascending
    for chunk in plan_chunks(len(hashes)):
        ours, reference = _compiled_builder(hashes, chunk), build_table(hashes, chunk)
        assert np.array_equal(ours.blocks, reference.blocks)
        assert np.array_equal(ours.spill, reference.spill)
        assert ours.spill.size
        assert ours.blocks.ctypes.data % 64 == 0


def test_blocks_hold_every_row_once_sorted_by_chunk():
    from childsafe.index.tables import BLOCK_INLINE, build_table, extract, hash_words, place

    rng = np.random.default_rng(12)
    hashes = rng.integers(0, 256, (3000, 32), dtype=np.uint8)
    hashes[:50] = hashes[0]
    words = hash_words(hashes)
    for chunk in plan_chunks(len(hashes)):
        table = build_table(hashes, chunk)
        key = extract(words, chunk.start, chunk.width)
        seen = []
        where = place(np.arange(1 << chunk.high_bits), chunk.high_bits)
        assert sorted(where) == list(range(1 << chunk.high_bits))  # a bijection
        for b, entries in enumerate(table.entries()):
            rows = entries & np.uint32((1 << (32 - chunk.low_bits)) - 1) if chunk.low_bits else entries
            assert list(rows) == sorted(rows)
            assert all(where[int(key[r]) >> chunk.low_bits] == b for r in rows)
            if chunk.low_bits:
                assert all(int(e) >> (32 - chunk.low_bits) == int(key[r]) & ((1 << chunk.low_bits) - 1)
                           for e, r in zip(entries, rows))
            seen.extend(rows.tolist())
        assert sorted(seen) == list(range(len(hashes)))
        assert (table.blocks[:, 1] > BLOCK_INLINE).any()


def test_buckets_past_a_blocks_inline_entries_stay_exact(engine):
    """A few hundred copies of one hash (and near copies) fill a block far past its cache line."""
    rng = np.random.default_rng(21)
    hashes = rng.integers(0, 256, (4000, 32), dtype=np.uint8)
    hashes[:700] = hashes[0]
    hashes[700:1000] = [flip(hashes[0], rng.choice(256, 3, replace=False)) for _ in range(300)]
    index = build(hashes)
    assert engine == "numpy" or any(t.spill.size > 900 for t in index._tables)
    for q in [hashes[0], flip(hashes[0], range(20)), hashes[2000], flip(hashes[3000], range(31))]:
        assert index.search(q) == brute_force(hashes, range(len(hashes)), q, 31)


def test_vector_and_scalar_block_filters_agree():
    """The AVX-512 and AVX2 block filters (where the CPU has them) and the plain one find the same rows."""
    if not engine_available():
        pytest.skip("compiled engine not built")
    from childsafe.index import _pdqsearch

    rng = np.random.default_rng(13)
    hashes = rng.integers(0, 256, (60_000, 32), dtype=np.uint8)
    hashes[:400] = hashes[1]
    noise = rng.integers(0, 256, (4, 200, 32), dtype=np.uint8)
    queries = np.vstack([hashes[:200] ^ (noise[0] & noise[1] & noise[2] & noise[3]),
                         rng.integers(0, 256, (40, 32), dtype=np.uint8)])
    index = PDQIndex(hashes)
    was = _pdqsearch.vector(0)
    try:
        scalar = index.search_batch(queries)
        _pdqsearch.vector(1)
        avx2 = index.search_batch(queries)
        _pdqsearch.vector(2)
        avx512 = index.search_batch(queries)
        singles = [index.search(q) for q in queries]
    finally:
        _pdqsearch.vector(was)
    assert scalar == avx2 == avx512 == singles
    assert sum(map(len, scalar)) > 200
    for q in queries[::20]:
        assert index.search(q) == brute_force(hashes, range(len(hashes)), q, 31)


def _save_rows_in_an_old_format(folder, hashes: np.ndarray, version: int) -> None:
    """What formats 1 and 2 kept besides their tables: the rows (format 2 in DCT-parity bit order)."""
    import json

    from childsafe.index.tables import BIT_ORDER, permute_numpy

    folder.mkdir()
    rows = hashes if version == 1 else permute_numpy(hashes, BIT_ORDER)
    np.save(folder / "hashes.npy", np.ascontiguousarray(rows))
    np.save(folder / "table0_entries.npy", np.zeros(len(hashes), np.uint32))  # old table files are not read
    meta = {"format": "childsafe-pdq-index", "version": version, "count": len(hashes), "has_ids": False,
            "min_table_size": 0, "chunk_widths": [24] * 6 + [23] * 4 + [20],
            "tables": [{"start": 0, "width": 24, "high_bits": 11}]}
    if version == 2:
        meta["bit_order"] = "dct-parity"
    (folder / "meta.json").write_text(json.dumps(meta))


@pytest.mark.parametrize("version", [1, 2])
def test_an_index_saved_in_an_older_format_still_loads(tmp_path, version):
    """Formats 1 and 2 had other table layouts: their rows load and today's tables are built from them."""
    rng = np.random.default_rng(8)
    hashes = rng.integers(0, 256, (3000, 32), dtype=np.uint8)
    _save_rows_in_an_old_format(tmp_path / "ix", hashes, version)
    loaded = PDQIndex.load(tmp_path / "ix")
    assert len(loaded._tables) == 11
    for q in [hashes[5], flip(hashes[9], range(25)), rng.integers(0, 256, 32, dtype=np.uint8)]:
        assert loaded.search(q) == brute_force(hashes, range(len(hashes)), q, 31)
    assert np.array_equal(loaded.items()[0], hashes)
    loaded.save(tmp_path / "ix")
    assert json_version(tmp_path / "ix") == 3


def json_version(folder) -> int:
    import json

    return json.loads((folder / "meta.json").read_text())["version"]


def test_rows_come_back_in_pdq_bit_order(tmp_path):
    """The tables keep rows in their own bit order; items() and a saved copy give the hashes back."""
    rng = np.random.default_rng(9)
    hashes = rng.integers(0, 256, (2000, 32), dtype=np.uint8)
    index = build(hashes)
    assert np.array_equal(index.items()[0], hashes)
    index.save(tmp_path / "ix")
    assert np.array_equal(PDQIndex.load(tmp_path / "ix").items()[0], hashes)


def test_compiled_bit_permutation_agrees_with_numpy():
    if not engine_available():
        pytest.skip("compiled engine not built")
    from childsafe.index import _pdqsearch
    from childsafe.index.tables import BIT_ORDER, permute_numpy

    rng = np.random.default_rng(10)
    for n in (1, 63, 64, 500):
        rows = rng.integers(0, 256, (n, 32), dtype=np.uint8)
        out = np.empty_like(rows)
        _pdqsearch.permute(rows, out, BIT_ORDER.tobytes())
        assert np.array_equal(out, permute_numpy(rows, BIT_ORDER))
    with pytest.raises(ValueError):
        _pdqsearch.permute(rows, out, bytes(256))


def test_remove_takes_any_integer_ids_and_rejects_others():
    index = PDQIndex(np.zeros((4, 32), np.uint8), [5, 6, 7, 8])
    assert index.remove([]) == 0
    assert index.remove(np.array([6, 99], dtype=np.int32)) == 1
    assert [i for i, _ in index.search("0" * 64)] == [5, 7, 8]
    with pytest.raises(InvalidInput):
        index.remove(["a"])


def test_added_rows_get_fresh_ids_by_default():
    index = PDQIndex(np.zeros((3, 32), np.uint8))
    index.add(np.full((2, 32), 255, np.uint8))
    assert index.search("f" * 64) == [(3, 0), (4, 0)]


def test_damaged_table_files_never_crash_a_lookup(tmp_path):
    rng = np.random.default_rng(5)
    hashes = rng.integers(0, 256, (3000, 32), dtype=np.uint8)
    hashes[:300] = hashes[0]  # a block with far more entries than fit its cache line: they spill
    build(hashes).save(tmp_path / "ix")
    assert np.load(tmp_path / "ix" / "table1_spill.npy").size
    for name in ("table0_blocks.npy", "table1_spill.npy", "table3_blocks.npy"):
        arr = np.load(tmp_path / "ix" / name)
        top = np.iinfo(arr.dtype).max + 1
        np.save(tmp_path / "ix" / name, rng.integers(0, top, arr.shape, dtype=np.uint64).astype(arr.dtype))
    index = PDQIndex.load(tmp_path / "ix")
    for q in hashes[:20]:
        found = index.search(q)
        assert all(0 <= i < len(hashes) and 0 <= d <= 31 for i, d in found)


def test_threads_searching_one_index_get_the_same_answers():
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(11)
    hashes = rng.integers(0, 256, (50_000, 32), dtype=np.uint8)
    queries = np.vstack([hashes[:40] ^ np.uint8(1), rng.integers(0, 256, (40, 32), dtype=np.uint8)])
    index = PDQIndex(hashes)
    radii = [31, 20, 10, 31, 25, 0, 31, 16, 12, 8, 31, 28]  # more radii than the engine caches probe lists for
    expected = {r: index.search_batch(queries, r) for r in set(radii)}
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda r: (r, index.search_batch(queries, r)), radii * 3))
    assert all(found == expected[r] for r, found in results)


def test_the_engine_refuses_a_table_past_the_hash():
    """A start bit near the top of an int must not wrap around the bounds check."""
    if not engine_available():
        pytest.skip("compiled engine not built")
    from childsafe.index import _pdqsearch, memory

    hashes = np.zeros((10, 32), np.uint8)
    blocks = memory.empty((1 << 16, 16), np.uint32)
    blocks[...] = 0
    with pytest.raises(ValueError):
        _pdqsearch.Engine(hashes, None, None, [(2**31 - 1, 32, 16, blocks, np.zeros(0, np.uint32))])
    with pytest.raises(ValueError):
        _pdqsearch.build_table(hashes, 2**31 - 1, 32, 16, blocks, np.zeros(10, np.uint32))


def _save_npy_misaligned(path, arr: np.ndarray) -> None:
    """An .npy file whose data starts one byte past a 64-byte boundary (a crafted or odd writer's file)."""
    header = repr({"descr": np.lib.format.dtype_to_descr(arr.dtype), "fortran_order": False, "shape": arr.shape})
    pad = (1 - (10 + len(header) + 1)) % 64
    encoded = (header + " " * pad + "\n").encode("latin1")
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(encoded).to_bytes(2, "little") + encoded + arr.tobytes())


def test_misaligned_saved_arrays_are_copied_on_load(tmp_path):
    rng = np.random.default_rng(14)
    hashes = rng.integers(0, 256, (5000, 32), dtype=np.uint8)
    hashes[100:400] = hashes[100]  # a crowded block: spilled entries
    index = PDQIndex(hashes, rng.permutation(5000).astype(np.int64) * 3, min_table_size=0)
    index.save(tmp_path / "ix")
    for file in (tmp_path / "ix").glob("*.npy"):
        _save_npy_misaligned(file, np.load(file))
    loaded = PDQIndex.load(tmp_path / "ix")
    assert loaded._ids.ctypes.data % 8 == 0 and all(t.spill.ctypes.data % 4 == 0 for t in loaded._tables)
    assert loaded.search_batch(hashes[95:110]) == index.search_batch(hashes[95:110])


def test_a_layout_the_engine_cannot_take_is_a_bad_index(tmp_path):
    import json

    index = PDQIndex(np.random.default_rng(15).integers(0, 256, (300, 32), dtype=np.uint8), min_table_size=0)
    index.save(tmp_path / "ix")
    meta = json.loads((tmp_path / "ix" / "meta.json").read_text())
    meta["tables"][0]["high_bits"] = 7  # 17 low bits: more than an entry keeps
    np.save(tmp_path / "ix" / "table0_blocks.npy", np.zeros((1 << 7, 16), np.uint32))
    (tmp_path / "ix" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(InvalidInput, match="bad layout for table 0"):
        PDQIndex.load(tmp_path / "ix")


def test_the_engine_says_which_block_filter_it_uses(monkeypatch):
    from childsafe.index.pdq_index import engine_description

    if engine_available():
        from childsafe.index import _pdqsearch

        was = _pdqsearch.vector(0)
        try:
            assert engine_description() == "compiled, scalar block filter"
        finally:
            _pdqsearch.vector(was)
        assert _pdqsearch.block_filter() in ("avx512", "avx2", "scalar")
    monkeypatch.setenv("CHILDSAFE_INDEX_ENGINE", "numpy")
    assert engine_description() == "numpy scan"
