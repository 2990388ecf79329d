"""Per-bank robust-matching switches: a bank can refuse matches made through rotations, trimming, regions or stickers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from childsafe.banks import BankStore, Matcher
from childsafe.cli import app
from childsafe.errors import InvalidInput
from childsafe.store import open_database

runner = CliRunner()


def run(data_dir: Path, *args: str):
    return runner.invoke(app, [*args, "--data-dir", str(data_dir)], catch_exceptions=False)


@pytest.fixture
def two_banks(data_dir: Path, reference_media: Path) -> Path:
    """The same benign photo banked twice: 'strict' refuses rotated copies, 'robust' keeps the defaults."""
    original = str(reference_media / "pdq/dih/bridge-1-original.jpg")
    for name in ("strict", "robust"):
        assert run(data_dir, "bank", "create", name, "--type", "pdq").exit_code == 0
        assert run(data_dir, "bank", "add", name, original).exit_code == 0
    result = run(data_dir, "bank", "options", "strict", "--no-dihedral", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["match_options"] == {"dihedral": False, "trim": True, "regions": True, "stickers": True}
    return data_dir


def banks_matched(data_dir: Path, path: Path) -> dict[str, str]:
    result = run(data_dir, "match", str(path), "--json")
    assert result.exit_code == 0, result.output
    return {m["bank"]: m.get("transform", "original") for m in json.loads(result.output)["matches"]}


def test_a_bank_that_refuses_rotations_matches_only_the_original(two_banks: Path, reference_media: Path):
    rotated = banks_matched(two_banks, reference_media / "pdq/dih/bridge-2-rotate-90.jpg")
    assert "robust" in rotated and rotated["robust"] != "original"
    assert "strict" not in rotated
    original = banks_matched(two_banks, reference_media / "pdq/dih/bridge-1-original.jpg")
    assert set(original) == {"strict", "robust"}


def test_a_bank_that_refuses_trimming_ignores_a_framed_copy(data_dir: Path, reference_media: Path, tmp_path: Path):
    photo = Image.open(reference_media / "pdq/dih/bridge-1-original.jpg").convert("RGB")
    framed = Image.new("RGB", (photo.width, int(photo.height * 1.6)), (0, 0, 0))
    framed.paste(photo, (0, int(photo.height * 0.3)))
    framed_path = tmp_path / "letterboxed.png"
    framed.save(framed_path)
    for name in ("no-trim", "default"):
        assert run(data_dir, "bank", "create", name, "--type", "pdq").exit_code == 0
        assert run(data_dir, "bank", "add", name, str(reference_media / "pdq/dih/bridge-1-original.jpg")).exit_code == 0
    assert run(data_dir, "bank", "options", "no-trim", "--no-trim").exit_code == 0
    matched = banks_matched(data_dir, framed_path)
    assert "default" in matched and "no-trim" not in matched


def test_switches_are_kept_in_the_bank_history_and_can_be_turned_back_on(two_banks: Path, reference_media: Path):
    assert run(two_banks, "bank", "options", "strict", "--dihedral").exit_code == 0
    assert "strict" in banks_matched(two_banks, reference_media / "pdq/dih/bridge-2-rotate-90.jpg")
    db = open_database(two_banks)
    actions = [h.action if hasattr(h, "action") else h["action"] for h in BankStore(db).history("strict")]
    assert actions.count("match_options") == 2


def test_an_unknown_switch_is_refused(data_dir: Path):
    store = BankStore(open_database(data_dir))
    store.create("b", "pdq")
    with pytest.raises(InvalidInput):
        store.set_match_options("b", rotations=False)


def test_changing_switches_does_not_rebuild_the_saved_index(two_banks: Path, reference_media: Path):
    banks_matched(two_banks, reference_media / "pdq/dih/bridge-1-original.jpg")  # builds and saves the index
    manifest = two_banks / "indexes" / "pdq" / "manifest.json"
    before = json.loads(manifest.read_text())
    assert run(two_banks, "bank", "options", "strict", "--no-trim").exit_code == 0
    assert "strict" not in banks_matched(two_banks, reference_media / "pdq/dih/bridge-2-rotate-90.jpg")
    after = json.loads(manifest.read_text())
    assert after["generation"] == before["generation"]
    assert after["versions"] != before["versions"] and after["rows"] == before["rows"]
