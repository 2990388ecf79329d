"""The persisted PDQ index follows bank changes: extended for additions, rebuilt for disables."""

from __future__ import annotations

import json
import os
import random
import uuid
from pathlib import Path

import pytest

from childsafe.banks import BankStore, Matcher
from childsafe.store import open_database


def random_hex(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(64))


def manifest(data_dir: Path) -> dict:
    return json.loads((data_dir / "indexes/pdq/manifest.json").read_text())


def test_index_is_saved_reused_extended_and_rebuilt(data_dir: Path) -> None:
    rng = random.Random(5)
    store = BankStore(open_database(data_dir))
    store.create("a", "pdq")
    store.create("b", "pdq")
    first = [random_hex(rng) for _ in range(50)]
    store.add_hashes("a", first)
    matcher = Matcher(store.db, data_dir)
    assert matcher.match_hash(first[7]).matches[0].distance == 0
    built = manifest(data_dir)
    assert built["rows"] == 50

    # A second process (a new Matcher) loads the saved index instead of building one.
    fresh = Matcher(open_database(data_dir), data_dir)
    assert fresh.match_hash(first[8]).matches
    assert manifest(data_dir)["generation"] == built["generation"]

    # Additions to another bank extend the index; the new rows match at once.
    more = [random_hex(rng) for _ in range(10)]
    store.add_hashes("b", more, labels=["X"])
    (hit,) = fresh.match_hash(more[3]).matches
    assert (hit.bank, hit.labels) == ("b", ["X"])
    assert manifest(data_dir)["rows"] == 60

    # A disable drops the entry from the index, in this process and the other.
    store.disable_entry("a", matcher.match_hash(first[0]).matches[0].entry_id, "fp")
    assert fresh.match_hash(first[0]).matches == []
    assert matcher.match_hash(first[0]).matches == []
    assert manifest(data_dir)["rows"] == 59
    assert len(list((data_dir / "indexes/pdq").glob("gen-*"))) == 1


def test_an_index_saved_in_an_older_layout_is_rebuilt_once_and_saved_again(data_dir: Path) -> None:
    """A data directory from before the block layout (index format 2) keeps working, and the first
    process to open it saves the index anew, so later ones do not rebuild it."""
    import numpy as np

    from childsafe.index.tables import BIT_ORDER, permute_numpy

    rng = random.Random(9)
    store = BankStore(open_database(data_dir))
    store.create("a", "pdq")
    hashes = [random_hex(rng) for _ in range(40)]
    store.add_hashes("a", hashes)
    assert Matcher(store.db, data_dir).match_hash(hashes[3]).matches
    built = manifest(data_dir)
    folder = data_dir / "indexes/pdq" / built["generation"] / "index.pdq"
    meta = json.loads((folder / "meta.json").read_text())
    rows = np.load(folder / "hashes.npy")
    if meta["bit_order"] == "pdq":  # a bank this small is scanned, its rows kept in PDQ's order
        rows = permute_numpy(rows, BIT_ORDER)
    for old in folder.glob("table*"):
        old.unlink()
    np.save(folder / "hashes.npy", np.ascontiguousarray(rows))
    np.save(folder / "table0_directory.npy", np.zeros((4, 32), np.uint8))  # format 2's files are not read
    meta.update(version=2, bit_order="dct-parity", tables=[{"start": 0, "width": 24, "high_bits": 2}])
    (folder / "meta.json").write_text(json.dumps(meta))

    fresh = Matcher(open_database(data_dir), data_dir)
    assert fresh.match_hash(hashes[5]).matches[0].distance == 0
    resaved = manifest(data_dir)
    assert resaved["generation"] != built["generation"] and resaved["rows"] == 40
    new_folder = data_dir / "indexes/pdq" / resaved["generation"] / "index.pdq"
    assert json.loads((new_folder / "meta.json").read_text())["version"] == 3
    again = Matcher(open_database(data_dir), data_dir)
    assert again.match_hash(hashes[6]).matches[0].distance == 0
    assert manifest(data_dir)["generation"] == resaved["generation"]


def test_bank_filter_limits_matches(data_dir: Path) -> None:
    rng = random.Random(6)
    store = BankStore(open_database(data_dir))
    store.create("a", "pdq")
    store.create("b", "pdq")
    h = random_hex(rng)
    store.add_hashes("a", [h])
    store.add_hashes("b", [h])
    matcher = Matcher(store.db, data_dir)
    assert sorted(m.bank for m in matcher.match_hash(h).matches) == ["a", "b"]
    assert [m.bank for m in matcher.match_hash(h, banks=["b"]).matches] == ["b"]


def _postgres_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=2, autocommit=True):
            return "postgresql+psycopg://postgres@127.0.0.1:5432/"
    except Exception:
        return None


@pytest.mark.postgres
def test_banks_work_on_postgresql(tmp_path: Path) -> None:
    base = _postgres_url()
    if base is None or os.environ.get("CHILDSAFE_SKIP_POSTGRES"):
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    import psycopg

    name = f"childsafe_banks_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db = open_database(database_url=base + name)
    try:
        rng = random.Random(7)
        store = BankStore(db)
        store.create("known", "pdq")
        hashes = [random_hex(rng) for _ in range(20)]
        summary = store.add_hashes("known", hashes, labels=["A1"])
        bad = tmp_path / "bad.txt"
        bad.write_text(random_hex(rng) + "\nxyz\n")
        with pytest.raises(Exception, match="bad.txt line 2"):
            store.import_file("known", bad)
        matcher = Matcher(db, tmp_path / "data")
        assert matcher.match_hash(hashes[4]).matches[0].labels == ["A1"]
        store.disable_entry("known", summary.entry_ids[4], "fp", by="rev")
        assert matcher.match_hash(hashes[4]).matches == []
        exported = store.export("known", "csv")
        store.create("copy", "pdq")
        store.import_text("copy", exported, "csv", filename="copy.csv")
        assert store.get("copy").disabled == 1 and store.get("copy").entries == 20
    finally:
        db.dispose()
        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_index_agrees_with_the_database_through_any_sequence_of_changes(data_dir: Path) -> None:
    """Adds, disables, enables and re-imports in random order; after each, exactly the active entries match."""
    rng = random.Random(11)
    store = BankStore(open_database(data_dir))
    store.create("a", "pdq")
    store.create("b", "pdq")
    pool = [random_hex(rng) for _ in range(40)]
    matchers = [Matcher(store.db, data_dir), Matcher(open_database(data_dir), data_dir)]
    for step in range(40):
        bank = rng.choice(["a", "b"])
        entries = store.entries(bank)
        action = rng.choice(["add", "add", "disable", "enable"])
        if action == "add":
            store.add_hashes(bank, rng.sample(pool, rng.randint(1, 5)))
        elif action == "disable" and any(e.active for e in entries):
            store.disable_entry(bank, rng.choice([e for e in entries if e.active]).id, "fp")
        elif action == "enable" and any(not e.active for e in entries):
            store.enable_entry(bank, rng.choice([e for e in entries if not e.active]).id)
        expected = {(e.bank, e.hash) for name in ("a", "b") for e in store.entries(name) if e.active}
        matcher = matchers[step % 2]
        found = {(m.bank, m.hash) for r in matcher.match_hashes(pool, threshold=0) for m in r.matches}
        assert found == expected, (step, action)
        loaded = matcher.pdq_index.current()
        hashes, rows = loaded.index.items()
        live = {(int(loaded.owners[r]), h.tobytes().hex()) for r, h in zip(rows, hashes)}
        active = {(e.id, e.hash) for name in ("a", "b") for e in store.entries(name) if e.active}
        assert live == active, (step, action)


def test_index_saved_for_another_database_is_not_trusted(data_dir: Path) -> None:
    """Replacing the SQLite file (bank and entry ids start over) must not reuse the old index."""
    rng = random.Random(8)
    store = BankStore(open_database(data_dir))
    store.create("a", "pdq")
    old_hashes = [random_hex(rng) for _ in range(5)]
    store.add_hashes("a", old_hashes)
    assert Matcher(store.db, data_dir).match_hash(old_hashes[0]).matches
    store.db.dispose()
    for file in data_dir.glob("childsafe.sqlite3*"):
        file.unlink()
    store = BankStore(open_database(data_dir))
    store.create("a", "pdq")
    new_hashes = [random_hex(rng) for _ in range(5)]
    store.add_hashes("a", new_hashes)  # same bank id, same version, same entry ids as before
    matcher = Matcher(store.db, data_dir)
    assert matcher.match_hash(old_hashes[0]).matches == []
    assert matcher.match_hash(new_hashes[0]).matches[0].hash == new_hashes[0]


def test_corrupt_saved_index_is_rebuilt(data_dir: Path) -> None:
    rng = random.Random(9)
    store = BankStore(open_database(data_dir))
    store.create("a", "pdq")
    h = random_hex(rng)
    store.add_hashes("a", [h])
    Matcher(store.db, data_dir).match_hash(h)
    generation = data_dir / "indexes/pdq" / manifest(data_dir)["generation"]
    (generation / "index.pdq" / "meta.json").write_text("{not json")
    assert Matcher(open_database(data_dir), data_dir).match_hash(h).matches
