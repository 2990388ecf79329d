"""The `childsafe bank` and `childsafe match` commands that integrators script against."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from childsafe.cli import app

runner = CliRunner()


def run(data_dir: Path, *args: str):
    return runner.invoke(app, [*args, "--data-dir", str(data_dir)], catch_exceptions=False)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def random_hex(rng: random.Random, chars: int = 64) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(chars))


def flip_bits(hex_hash: str, count: int) -> str:
    value = int(hex_hash, 16)
    for bit in range(count):
        value ^= 1 << (bit * 7)
    return f"{value:064x}"


@pytest.fixture
def rng() -> random.Random:
    return random.Random(99)


def test_create_list_and_duplicate(data_dir: Path) -> None:
    assert run(data_dir, "bank", "create", "known", "--type", "pdq").exit_code == 0
    result = run(data_dir, "bank", "list", "--json")
    assert result.exit_code == 0
    (bank,) = json_lines(result.stdout)
    assert (bank["name"], bank["signal_type"], bank["active"]) == ("known", "pdq", 0)
    again = run(data_dir, "bank", "create", "known", "--type", "pdq")
    assert again.exit_code == 2
    assert again.stderr.strip() == "error: bank 'known' already exists"


def test_import_bad_line_is_one_error_line_and_nothing_imported(data_dir: Path, tmp_path: Path, rng) -> None:
    run(data_dir, "bank", "create", "known", "--type", "pdq")
    f = tmp_path / "list.txt"
    f.write_text(f"{random_hex(rng)}\n{random_hex(rng)}\nnot-a-hash\n")
    result = run(data_dir, "bank", "import", "known", str(f))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: {f} line 3: pdq hash must be 64 hex characters, got 10"]
    assert result.stdout == ""
    (bank,) = json_lines(run(data_dir, "bank", "list", "--json").stdout)
    assert bank["entries"] == 0


def test_csv_missing_column_and_unknown_bank(data_dir: Path, tmp_path: Path) -> None:
    run(data_dir, "bank", "create", "known", "--type", "pdq")
    f = tmp_path / "list.csv"
    f.write_text("digest,label\nabc,A1\n")
    result = run(data_dir, "bank", "import", "known", str(f))
    assert result.exit_code == 2 and "missing hash column" in result.stderr
    result = run(data_dir, "bank", "import", "nosuch", str(f))
    assert result.exit_code == 2 and result.stderr.strip() == "error: no bank named 'nosuch'"


def test_hash_lookup_json_and_hashes_from(data_dir: Path, tmp_path: Path, rng) -> None:
    run(data_dir, "bank", "create", "known", "--type", "pdq")
    banked = [random_hex(rng) for _ in range(5)]
    f = tmp_path / "bank.txt"
    f.write_text("\n".join(banked) + "\n")
    assert run(data_dir, "bank", "import", "known", str(f), "--label", "A1").exit_code == 0

    near = flip_bits(banked[2], 20)
    far = flip_bits(banked[2], 36)
    result = run(data_dir, "match", "--hash", near, "--hash", far, "--json")
    assert result.exit_code == 0, result.output
    first, second = json_lines(result.stdout)
    assert first["hash"] == near and "path" not in first
    assert first["matches"] == [
        {"bank": "known", "hash": banked[2], "distance": 20, "labels": ["A1"], "entry_id": 3, "signal_type": "pdq"}
    ]
    assert second == {"hash": far, "matches": []}
    assert json_lines(run(data_dir, "match", "--hash", far, "--threshold", "40", "--json").stdout)[0]["matches"]

    listing = tmp_path / "queries.txt"
    listing.write_text(f"{banked[0]}\n\n{random_hex(rng)}\n")
    lines = json_lines(run(data_dir, "match", "--hashes-from", str(listing), "--json").stdout)
    assert [len(line["matches"]) for line in lines] == [1, 0]
    assert lines[0]["matches"][0]["distance"] == 0


def test_bad_hash_in_hashes_from_names_the_line(data_dir: Path, tmp_path: Path, rng) -> None:
    run(data_dir, "bank", "create", "known", "--type", "pdq")
    listing = tmp_path / "queries.txt"
    listing.write_text(f"{random_hex(rng)}\n{random_hex(rng)[:-2]}zz\n")
    result = run(data_dir, "match", "--hashes-from", str(listing), "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"error: {listing} line 2: pdq hash has a non-hex character 'z'"
    result = run(data_dir, "match", "--hash", "abc")
    assert result.exit_code == 2 and "must be 64 hex characters" in result.stderr


def test_md5_and_sha256_hashes_are_exact_lookups(data_dir: Path, tmp_path: Path, rng) -> None:
    run(data_dir, "bank", "create", "md5s", "--type", "md5")
    run(data_dir, "bank", "create", "shas", "--type", "sha256")
    md5, sha = random_hex(rng, 32), random_hex(rng, 64)
    (tmp_path / "m.txt").write_text(md5 + "\n")
    (tmp_path / "s.txt").write_text(sha + "\n")
    run(data_dir, "bank", "import", "md5s", str(tmp_path / "m.txt"))
    run(data_dir, "bank", "import", "shas", str(tmp_path / "s.txt"))
    lines = json_lines(run(data_dir, "match", "--hash", md5, "--hash", sha, "--json").stdout)
    assert [[(m["bank"], m["distance"]) for m in line["matches"]] for line in lines] == [[("md5s", 0)], [("shas", 0)]]
    only = json_lines(run(data_dir, "match", "--hash", sha, "--bank", "md5s", "--json").stdout)
    assert only[0]["matches"] == []


def test_disable_via_cli_stops_matches_and_entries_show_it(data_dir: Path, tmp_path: Path, rng) -> None:
    run(data_dir, "bank", "create", "known", "--type", "pdq")
    h = random_hex(rng)
    (tmp_path / "b.txt").write_text(h + "\n")
    run(data_dir, "bank", "import", "known", str(tmp_path / "b.txt"))
    (entry,) = json_lines(run(data_dir, "bank", "entries", "known", "--json").stdout)
    assert json_lines(run(data_dir, "match", "--hash", h, "--json").stdout)[0]["matches"]
    result = run(data_dir, "bank", "disable", "known", str(entry["id"]), "--reason", "false positive", "--by", "rev")
    assert result.exit_code == 0, result.output
    assert json_lines(run(data_dir, "match", "--hash", h, "--json").stdout)[0]["matches"] == []
    (entry,) = json_lines(run(data_dir, "bank", "entries", "known", "--json").stdout)
    assert (entry["active"], entry["disabled_reason"], entry["disabled_by"]) == (False, "false positive", "rev")
    history = json_lines(run(data_dir, "bank", "history", "known", "--json").stdout)
    assert [h["action"] for h in history] == ["create", "import", "disable"]


def test_export_to_file_and_stdout_round_trip(data_dir: Path, tmp_path: Path, rng) -> None:
    run(data_dir, "bank", "create", "known", "--type", "pdq")
    hashes = sorted(random_hex(rng) for _ in range(4))
    (tmp_path / "b.txt").write_text("\n".join(hashes) + "\n")
    run(data_dir, "bank", "import", "known", str(tmp_path / "b.txt"), "--label", "A1")
    out = run(data_dir, "bank", "export", "known", "--format", "hashes")
    assert sorted(out.stdout.split()) == hashes
    target = tmp_path / "out.csv"
    assert run(data_dir, "bank", "export", "known", str(target)).exit_code == 0
    run(data_dir, "bank", "create", "copy", "--type", "pdq")
    assert run(data_dir, "bank", "import", "copy", str(target)).exit_code == 0
    entries = json_lines(run(data_dir, "bank", "entries", "copy", "--json").stdout)
    assert sorted(e["hash"] for e in entries) == hashes and all(e["labels"] == ["A1"] for e in entries)
    bad = run(data_dir, "bank", "export", "known", str(tmp_path / "missing-dir" / "x.csv"))
    assert bad.exit_code == 2 and "does not exist" in bad.stderr
    (tmp_path / "out-dir").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    bad = run(data_dir, "bank", "export", "known", str(tmp_path / "out-dir"))
    assert bad.exit_code == 2 and "cannot write" in bad.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left behind


def test_match_without_input_or_with_unknown_bank_fails_cleanly(data_dir: Path, rng) -> None:
    result = run(data_dir, "match")
    assert result.exit_code == 2 and "give media paths" in result.stderr
    result = run(data_dir, "match", "--hash", random_hex(rng), "--bank", "nosuch")
    assert result.exit_code == 2 and result.stderr.strip() == "error: no bank named 'nosuch'"


def test_installed_command_keeps_stdout_clean_json(data_dir: Path, tmp_path: Path, reference_media: Path) -> None:
    """The real `childsafe` process: JSON lines on stdout only, errors on stderr, exit 2 on a bad file."""
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "childsafe", *args, "--data-dir", str(data_dir)],
                              capture_output=True, text=True, timeout=120)

    assert cli("bank", "create", "known-bad", "--type", "pdq").returncode == 0
    assert cli("bank", "add", "known-bad", str(reference_media / "pdq/bridge-mods/aaa-orig.jpg")).returncode == 0
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    done = cli("match", str(reference_media / "pdq/bridge-mods/blur-a-lot.jpg"), str(broken), "--json")
    assert done.returncode == 2
    lines = json_lines(done.stdout)
    assert [bool(line["matches"]) for line in lines] == [True, False]
    assert "error" in lines[1] and done.stderr.startswith(f"error: {broken}")
    assert "Traceback" not in done.stderr
