"""Banks as a library: imports are all or nothing, disabling keeps history, every format round-trips."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from childsafe.banks import BankStore, Matcher
from childsafe.errors import Conflict, InvalidInput, NotFound
from childsafe.store import open_database


def random_hex(rng: random.Random, chars: int = 64) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(chars))


@pytest.fixture
def store(data_dir: Path) -> BankStore:
    return BankStore(open_database(data_dir))


@pytest.fixture
def rng() -> random.Random:
    return random.Random(1234)


def test_bank_is_created_with_a_signal_type_and_listed(store: BankStore) -> None:
    store.create("known", "pdq")
    store.create("files", "video_md5")  # threatexchange's name for md5
    banks = {b.name: b for b in store.list()}
    assert banks["known"].signal_type == "pdq"
    assert banks["files"].signal_type == "md5"
    assert banks["known"].entries == 0


def test_duplicate_bank_and_unknown_type_are_refused(store: BankStore) -> None:
    store.create("known", "pdq")
    with pytest.raises(Conflict):
        store.create("known", "pdq")
    with pytest.raises(InvalidInput, match="unknown signal type 'tmk'"):
        store.create("other", "tmk")
    with pytest.raises(NotFound):
        store.get("missing")


def test_bad_line_fails_whole_import_with_line_number_and_bank_unchanged(store: BankStore, tmp_path: Path, rng) -> None:
    store.create("known", "pdq")
    good = tmp_path / "good.txt"
    good.write_text(random_hex(rng) + "\n")
    store.import_file("known", good)
    before = store.get("known")
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join([random_hex(rng), "# a comment", random_hex(rng), random_hex(rng)[:-1] + "g", random_hex(rng)]))
    with pytest.raises(InvalidInput, match=r"bad.txt line 4: pdq hash has a non-hex character 'g'"):
        store.import_file("known", bad)
    after = store.get("known")
    assert (after.entries, after.version) == (before.entries, before.version)
    assert len(store.entries("known")) == 1


def test_wrong_length_hash_names_the_line(store: BankStore, tmp_path: Path, rng) -> None:
    store.create("files", "md5")
    bad = tmp_path / "md5s.txt"
    bad.write_text(random_hex(rng, 32) + "\n" + random_hex(rng, 64) + "\n")
    with pytest.raises(InvalidInput, match=r"md5s.txt line 2: md5 hash must be 32 hex characters, got 64"):
        store.import_file("files", bad)
    assert store.get("files").entries == 0


def test_csv_without_hash_column_is_a_clear_error(store: BankStore, tmp_path: Path) -> None:
    store.create("known", "pdq")
    bad = tmp_path / "list.csv"
    bad.write_text("checksum,category\nabc,A1\n")
    with pytest.raises(InvalidInput, match="list.csv: missing hash column"):
        store.import_file("known", bad)


def test_csv_labels_source_and_extra_columns_are_kept(store: BankStore, tmp_path: Path, rng) -> None:
    store.create("known", "pdq")
    h1, h2 = random_hex(rng), random_hex(rng)
    f = tmp_path / "list.csv"
    f.write_text(f"hash,category,labels,source,case_ref\n{h1},A1,x;y,NCMEC,c-1\n{h2},B2,,IWF,\n")
    summary = store.import_file("known", f)
    assert summary.added == 2
    entries = {e.hash: e for e in store.entries("known")}
    assert entries[h1].labels == ["x", "y", "A1"]
    assert entries[h1].source == "NCMEC"
    assert entries[h1].provenance["case_ref"] == "c-1"
    assert entries[h1].provenance["line"] == 2
    assert entries[h2].labels == ["B2"] and entries[h2].source == "IWF"


def test_reimport_merges_labels_instead_of_duplicating(store: BankStore, tmp_path: Path, rng) -> None:
    store.create("known", "pdq")
    h = random_hex(rng)
    store.add_hashes("known", [h], labels=["A1"])
    summary = store.add_hashes("known", [h.upper()], labels=["B1"])
    assert (summary.added, summary.merged) == (0, 1)
    (entry,) = store.entries("known")
    assert entry.labels == ["A1", "B1"]


def test_disabled_entry_stops_matching_but_keeps_its_history(store: BankStore, data_dir: Path, rng) -> None:
    store.create("known", "pdq")
    h = random_hex(rng)
    summary = store.add_hashes("known", [h], labels=["A1"])
    matcher = Matcher(store.db, data_dir)
    assert [m.entry_id for m in matcher.match_hash(h).matches] == summary.entry_ids
    entry = store.disable_entry("known", summary.entry_ids[0], "false positive: stock photo", by="reviewer-7")
    assert not entry.active and entry.disabled_by == "reviewer-7"
    assert matcher.match_hash(h).matches == []
    (kept,) = store.entries("known")
    assert kept.labels == ["A1"] and kept.disabled_reason == "false positive: stock photo"
    actions = [c["action"] for c in store.history("known")]
    assert actions == ["create", "add", "disable"]
    # Importing the same hash again does not quietly undo the false-positive decision.
    store.add_hashes("known", [h])
    assert matcher.match_hash(h).matches == []
    store.enable_entry("known", kept.id, by="reviewer-8")
    assert [m.entry_id for m in matcher.match_hash(h).matches] == [kept.id]


def test_disable_needs_a_reason_and_an_existing_entry(store: BankStore) -> None:
    store.create("known", "pdq")
    with pytest.raises(NotFound, match="no entry 99"):
        store.disable_entry("known", 99, "fp")
    with pytest.raises(InvalidInput, match="reason"):
        store.disable_entry("known", 99, " ")


def test_bank_version_goes_up_with_every_change(store: BankStore, rng) -> None:
    store.create("known", "pdq")
    v1 = store.get("known").version
    summary = store.add_hashes("known", [random_hex(rng)])
    store.disable_entry("known", summary.entry_ids[0], "fp")
    assert store.get("known").version == v1 + 2


@pytest.mark.parametrize("fmt", ["hashes", "csv", "tx-csv", "tx-file", "hma-json"])
@pytest.mark.parametrize("signal_type", ["pdq", "md5", "sha256"])
def test_export_import_round_trip(store: BankStore, tmp_path: Path, rng, fmt: str, signal_type: str) -> None:
    chars = 32 if signal_type == "md5" else 64
    store.create("source", signal_type)
    hashes = [random_hex(rng, chars) for _ in range(20)]
    store.add_hashes("source", hashes[:10], labels=["A1"], source="NCMEC")
    store.add_hashes("source", hashes[10:], labels=["B2"])
    store.disable_entry("source", store.entries("source")[3].id, "false positive")
    exported = tmp_path / f"export.{fmt}"
    exported.write_text(store.export("source", fmt))
    store.create("copy", signal_type)
    store.import_file("copy", exported, fmt)

    def state(name: str) -> dict[str, tuple]:
        return {e.hash: (e.active, tuple(e.labels), e.source) for e in store.entries(name)}

    original, copy = state("source"), state("copy")
    if fmt in ("csv", "tx-csv"):
        assert copy == original  # labels, source and the disabled decision travel
    else:
        active = {h for h, (is_active, _, _) in original.items() if is_active}
        assert set(copy) == active and len(active) == 19


def test_threatexchange_dataset_csv_is_read(store: BankStore, tmp_path: Path, rng) -> None:
    """The columns `threatexchange dataset -P --csv` prints, written by threatexchange's own code."""
    from threatexchange.cli.dataset_cmd import DatasetCommand
    from threatexchange.exchanges.fetch_state import FetchedSignalMetadata
    from threatexchange.signal_type.pdq.signal import PdqSignal

    out = io.StringIO()
    writer = csv.DictWriter(out, ["signal_type", "signal_str", "collab", "category", "tags"])
    writer.writeheader()
    hashes = [random_hex(rng) for _ in range(3)]
    command = DatasetCommand(csv=True)
    for h in hashes:
        command._print_csv(writer, "Sample Collab", PdqSignal, h, FetchedSignalMetadata())
    f = tmp_path / "tx.csv"
    f.write_text(out.getvalue())
    store.create("known", "pdq")
    store.import_file("known", f)
    entries = store.entries("known")
    assert sorted(e.hash for e in entries) == sorted(hashes)
    assert {e.source for e in entries} == {"Sample Collab"}
    assert {e.provenance["opinion"] for e in entries} == {"INVESTIGATION_SEED"}


def test_tx_file_export_is_read_by_threatexchange_file_exchange(store: BankStore, tmp_path: Path, rng) -> None:
    from threatexchange.exchanges.impl.file_api import FileCollaborationConfig, LocalFileSignalExchangeAPI

    store.create("files", "md5")
    hashes = [random_hex(rng, 32) for _ in range(5)]
    store.add_hashes("files", hashes)
    f = tmp_path / "signals.txt"
    f.write_text(store.export("files", "tx-file"))
    api = LocalFileSignalExchangeAPI(FileCollaborationConfig(name="c", api="local_file", enabled=True, filename=str(f)))
    (delta,) = list(api.fetch_iter([], None))
    assert set(delta.updates) == {("video_md5", h) for h in hashes}


def test_signal_type_that_does_not_fit_the_bank_is_refused(store: BankStore, tmp_path: Path, rng) -> None:
    store.create("known", "pdq")
    f = tmp_path / "mixed.txt"
    f.write_text(f"pdq {random_hex(rng)}\nvideo_md5 {random_hex(rng, 32)}\n")
    with pytest.raises(InvalidInput, match="mixed.txt line 2: signal type 'video_md5' does not fit a pdq bank"):
        store.import_file("known", f)


def test_hma_signal_lines_round_trip(store: BankStore, tmp_path: Path, rng) -> None:
    store.create("known", "pdq")
    h = random_hex(rng)
    f = tmp_path / "hma.jsonl"
    f.write_text(json.dumps({"pdq": h}) + "\n" + "{not json\n")
    with pytest.raises(InvalidInput, match="hma.jsonl line 2: bad JSON"):
        store.import_file("known", f)
    f.write_text(json.dumps({"pdq": h}) + "\n")
    store.import_file("known", f)
    assert store.export("known", "hma-json") == json.dumps({"pdq": h}) + "\n"


def test_non_utf8_file_names_the_line(store: BankStore, tmp_path: Path, rng) -> None:
    store.create("known", "pdq")
    f = tmp_path / "latin1.txt"
    f.write_bytes((random_hex(rng) + "\n").encode() + b"caf\xe9\n")
    with pytest.raises(InvalidInput, match="latin1.txt line 2: not UTF-8"):
        store.import_file("known", f)


def test_missing_file_is_a_clear_error(store: BankStore, tmp_path: Path) -> None:
    store.create("known", "pdq")
    with pytest.raises(InvalidInput, match="cannot read"):
        store.import_file("known", tmp_path / "nope.txt")


def test_removed_entry_stops_matching_leaves_exports_and_comes_back_on_reimport(store: BankStore, data_dir: Path,
                                                                               rng) -> None:
    store.create("known", "pdq")
    keep, withdrawn = random_hex(rng), random_hex(rng)
    summary = store.add_hashes("known", [keep, withdrawn], labels=["A1"])
    matcher = Matcher(store.db, data_dir)
    assert matcher.match_hash(withdrawn).matches
    removed = store.remove_entry("known", summary.entry_ids[1], reason="withdrawn by the source", by="ops")
    assert removed.removed_at is not None and not removed.active
    assert matcher.match_hash(withdrawn).matches == []
    assert withdrawn not in store.export("known", "csv") and keep in store.export("known", "csv")
    assert [e.hash for e in store.entries("known", include_removed=True)] == [keep, withdrawn]
    back = store.add_hashes("known", [withdrawn])
    assert back.reactivated == 1 and back.entry_ids == [summary.entry_ids[1]]
    assert [m.entry_id for m in matcher.match_hash(withdrawn).matches] == [summary.entry_ids[1]]
    assert [c["action"] for c in store.history("known")] == ["create", "add", "remove", "add"]


def test_large_import_is_all_or_nothing_across_batches(store: BankStore, tmp_path: Path, data_dir: Path) -> None:
    """Imports are stored a batch at a time; a bad line far down still leaves the bank untouched."""
    rng = random.Random(77)
    store.create("known", "pdq")
    hashes = [random_hex(rng) for _ in range(12_000)]
    lines = hashes + hashes[:3]  # repeats in a later batch
    bad = list(lines)
    bad[11_000] = "0" * 63
    f = tmp_path / "big.txt"
    f.write_text("\n".join(bad) + "\n")
    with pytest.raises(InvalidInput, match="big.txt line 11001"):
        store.import_file("known", f)
    info = store.get("known")
    assert (info.entries, info.version) == (0, 1)
    assert [c["action"] for c in store.history("known")] == ["create"]
    f.write_text("\n".join(lines) + "\n")
    summary = store.import_file("known", f, labels=["A1"])
    assert (summary.added, summary.merged) == (12_000, 0)
    assert store.get("known").entries == 12_000
    assert store.history("known")[-1]["detail"]["records"] == 12_003
    assert Matcher(store.db, data_dir).match_hash(hashes[11_500]).matches[0].labels == ["A1"]


def test_md5sum_and_sha256sum_output_imports(store: BankStore, tmp_path: Path) -> None:
    import hashlib

    store.create("files", "sha256")
    digests = [hashlib.sha256(f"file {i}".encode()).hexdigest() for i in range(3)]
    listing = tmp_path / "SHA256SUMS"
    listing.write_text(f"{digests[0]}  a.jpg\n{digests[1]} *b b.png\n{digests[2]}\n")
    store.import_file("files", listing)
    assert sorted(e.hash for e in store.entries("files")) == sorted(digests)
