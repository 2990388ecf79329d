"""Matching media against a "known bad" bank built from benign reference images and videos."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from childsafe.banks import BankStore, Matcher
from childsafe.cli import app
from childsafe.store import open_database

runner = CliRunner()

CHAIRS = [
    "chair-19-sd-bar", "chair-20-sd-bar", "chair-22-sd-grey-bar", "chair-22-with-small-logo-bar", "chair-orig-22-sd-bar",
]


def run(data_dir: Path, *args: str):
    return runner.invoke(app, [*args, "--data-dir", str(data_dir)], catch_exceptions=False)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def image_bank(data_dir: Path, reference_media: Path) -> Path:
    """A pdq bank holding the hash of the (benign) bridge photo, labelled as a test category."""
    assert run(data_dir, "bank", "create", "known-bad", "--type", "pdq").exit_code == 0
    result = run(data_dir, "bank", "add", "known-bad", str(reference_media / "pdq/bridge-mods/aaa-orig.jpg"),
                 "--label", "A1", "--source", "test")
    assert result.exit_code == 0, result.output
    return data_dir


def test_every_edited_copy_matches_and_unrelated_photos_do_not(image_bank: Path, reference_media: Path) -> None:
    result = run(image_bank, "match", str(reference_media / "pdq/bridge-mods"), str(reference_media / "pdq/labelme-subset"),
                 "--json")
    assert result.exit_code == 0, result.output
    lines = json_lines(result.stdout)
    bridge = [line for line in lines if "/bridge-mods/" in line["path"]]
    labelme = [line for line in lines if "/labelme-subset/" in line["path"]]
    assert len(bridge) == len(list((reference_media / "pdq/bridge-mods").iterdir()))
    assert len(labelme) == len(list((reference_media / "pdq/labelme-subset").iterdir()))
    for line in bridge:
        assert [m["bank"] for m in line["matches"]] == ["known-bad"], line["path"]
        match = line["matches"][0]
        assert match["labels"] == ["A1"] and 0 <= match["distance"] <= 31
        assert line["type"] == "image"
    assert all(line["matches"] == [] for line in labelme)


def test_rotated_copy_matches_as_a_dihedral_variant(image_bank: Path, reference_media: Path) -> None:
    rotated = str(reference_media / "pdq/dih/bridge-2-rotate-90.jpg")
    (line,) = json_lines(run(image_bank, "match", rotated, "--json").stdout)
    assert line["matches"] and line["matches"][0]["transform"] != "original"
    (plain,) = json_lines(run(image_bank, "match", rotated, "--json", "--no-dihedral").stdout)
    assert plain["matches"] == []


def test_one_bad_file_reports_an_error_and_the_rest_are_matched(image_bank: Path, reference_media: Path,
                                                                tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    shutil.copy(reference_media / "pdq/bridge-mods/blur-a-lot.jpg", folder / "a.jpg")
    (folder / "b.jpg").write_bytes(b"")  # zero bytes
    (folder / "c.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    shutil.copy(reference_media / "pdq/labelme-subset/q0003.jpg", folder / "d.jpg")
    result = run(image_bank, "match", str(folder), "--json")
    assert result.exit_code == 2
    lines = {Path(line["path"]).name: line for line in json_lines(result.stdout)}
    assert set(lines) == {"a.jpg", "b.jpg", "c.jpg", "d.jpg"}
    assert lines["a.jpg"]["matches"] and not lines["d.jpg"]["matches"]
    for bad in ("b.jpg", "c.jpg"):
        assert lines[bad]["error"]["message"].startswith(str(folder / bad)), lines[bad]
    assert len(result.stderr.strip().splitlines()) == 2


def test_disabled_entry_no_longer_matches_files(image_bank: Path, reference_media: Path) -> None:
    copy = str(reference_media / "pdq/bridge-mods/shrink-a-lot.jpg")
    (before,) = json_lines(run(image_bank, "match", copy, "--json").stdout)
    entry_id = before["matches"][0]["entry_id"]
    assert run(image_bank, "bank", "disable", "known-bad", str(entry_id), "--reason", "test").exit_code == 0
    (after,) = json_lines(run(image_bank, "match", copy, "--json").stdout)
    assert after["matches"] == []


def test_file_digest_banks_match_exact_copies_only(data_dir: Path, reference_media: Path) -> None:
    run(data_dir, "bank", "create", "exact", "--type", "sha256")
    original = reference_media / "pdq/bridge-mods/aaa-orig.jpg"
    assert run(data_dir, "bank", "add", "exact", str(original)).exit_code == 0
    lines = json_lines(run(data_dir, "match", str(original), str(reference_media / "pdq/bridge-mods/blur-a-little.jpg"),
                           "--json").stdout)
    assert [[m["distance"] for m in line["matches"]] for line in lines] == [[0], []]


def test_an_empty_file_is_not_banked_by_digest(data_dir: Path, tmp_path: Path) -> None:
    run(data_dir, "bank", "create", "exact", "--type", "md5")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    result = run(data_dir, "bank", "add", "exact", str(empty))
    assert result.exit_code == 2 and "empty file" in result.stderr
    assert run(data_dir, "bank", "list", "--json").stdout.count('"active": 0') == 1


def test_adding_a_video_to_a_pdq_bank_is_refused(data_dir: Path, reference_media: Path) -> None:
    run(data_dir, "bank", "create", "known-bad", "--type", "pdq")
    video = reference_media / "vpdq/videos/doorknob-hd-no-bar.mp4"
    result = run(data_dir, "bank", "add", "known-bad", str(video))
    assert result.exit_code == 2 and "is a video" in result.stderr


def test_an_image_with_no_detail_is_not_banked(data_dir: Path, tmp_path: Path) -> None:
    # PDQ gives one colour, and anything under 5 pixels a side, quality 0 and no real hash (every black
    # image hashes to all zeros): banked, it would match every such upload.
    from PIL import Image

    run(data_dir, "bank", "create", "known-bad", "--type", "pdq")
    for name, size, colour in (("black.png", (300, 200), (0, 0, 0)), ("grey.jpg", (640, 480), (128, 128, 128)),
                               ("dot.png", (1, 1), (200, 30, 40)), ("strip.png", (3, 500), (9, 9, 9))):
        Image.new("RGB", size, colour).save(tmp_path / name)
        result = run(data_dir, "bank", "add", "known-bad", str(tmp_path / name))
        assert result.exit_code == 2 and "no detail for PDQ" in result.stderr, name
    assert run(data_dir, "bank", "list", "--json").stdout.count('"active": 0') == 1
    other = Image.new("RGB", (400, 300), (0, 0, 0))
    other.save(tmp_path / "other-black.png")
    assert json_lines(run(data_dir, "match", str(tmp_path / "other-black.png"), "--json").stdout)[0]["matches"] == []


def test_a_video_with_no_frame_of_vpdq_quality_is_not_banked(data_dir: Path, tmp_path: Path) -> None:
    # Matching leaves frames under vPDQ quality 50 out on both sides (as the reference does): a video
    # made only of such frames was banked and then matched nothing, not even its own file.
    from PIL import Image

    from eval.matching.video import write_clip

    frames = [Image.new("RGB", (320, 240), (20 + 3 * i, 40, 60)) for i in range(20)]  # flat, fading
    clip = write_clip(tmp_path / "flat.mp4", frames)
    run(data_dir, "bank", "create", "videos", "--type", "vpdq")
    result = run(data_dir, "bank", "add", "videos", str(clip))
    assert result.exit_code == 2 and "no frame reaches vPDQ quality 50" in result.stderr
    assert run(data_dir, "bank", "list", "--json").stdout.count('"active": 0') == 1


# ---- video -----------------------------------------------------------------------------------


def reference_frames(reference_media: Path, name: str):
    from childsafe.media.vpdq import parse_vpdq

    return parse_vpdq((reference_media / f"vpdq/hashes/{name}.txt").read_text())


@pytest.fixture
def video_bank(data_dir: Path, reference_media: Path) -> Path:
    """A vpdq bank holding the reference hashes of the original chair clip (imported from vpdq text)."""
    assert run(data_dir, "bank", "create", "videos", "--type", "vpdq").exit_code == 0
    result = run(data_dir, "bank", "import", "videos", str(reference_media / "vpdq/hashes/chair-orig-22-sd-bar.txt"),
                 "--format", "vpdq", "--label", "B1")
    assert result.exit_code == 0, result.output
    return data_dir


def test_every_chair_video_hash_matches_the_banked_chair_and_doorknob_does_not(video_bank: Path,
                                                                                 reference_media: Path) -> None:
    matcher = Matcher(open_database(video_bank), video_bank)
    for name in CHAIRS:
        result = matcher.match_video_hash(reference_frames(reference_media, name))
        assert [m.bank for m in result.matches] == ["videos"], name
        assert result.matches[0].query_match_pct >= 80 and result.matches[0].labels == ["B1"]
    assert matcher.match_video_hash(reference_frames(reference_media, "doorknob-hd-no-bar")).matches == []


@pytest.mark.slow
def test_chair_video_files_match_and_doorknob_does_not(video_bank: Path, reference_media: Path, tmp_path: Path) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    for name in ("chair-20-sd-bar", "chair-22-with-small-logo-bar", "doorknob-hd-no-bar"):
        (folder / f"{name}.mp4").symlink_to(reference_media / f"vpdq/videos/{name}.mp4")
    result = run(video_bank, "match", str(folder), "--json")
    assert result.exit_code == 0, result.output
    lines = {Path(line["path"]).stem: line for line in json_lines(result.stdout)}
    for name in ("chair-20-sd-bar", "chair-22-with-small-logo-bar"):
        (match,) = lines[name]["matches"]
        assert match["bank"] == "videos" and lines[name]["type"] == "video"
        assert match["query_match_pct"] >= 80 and 0 <= match["compared_match_pct"] <= 100
    assert lines["doorknob-hd-no-bar"]["matches"] == []


@pytest.mark.slow
def test_bank_add_video_then_its_reference_hashes_match(data_dir: Path, reference_media: Path) -> None:
    run(data_dir, "bank", "create", "videos", "--type", "vpdq")
    result = run(data_dir, "bank", "add", "videos", str(reference_media / "vpdq/videos/doorknob-hd-no-bar.mp4"))
    assert result.exit_code == 0, result.output
    matcher = Matcher(open_database(data_dir), data_dir)
    assert [m.bank for m in matcher.match_video_hash(reference_frames(reference_media, "doorknob-hd-no-bar")).matches] == ["videos"]
    assert matcher.match_video_hash(reference_frames(reference_media, "chair-20-sd-bar")).matches == []


def test_vpdq_bank_round_trips_through_every_format(video_bank: Path, reference_media: Path, tmp_path: Path) -> None:
    store = BankStore(open_database(video_bank))
    store.import_file("videos", reference_media / "vpdq/hashes/doorknob-hd-no-bar.txt", "vpdq")
    original = {e.hash for e in store.entries("videos")}
    for fmt in ("csv", "tx-csv", "tx-file", "hashes", "hma-json"):
        exported = tmp_path / f"videos.{fmt}"
        exported.write_text(store.export("videos", fmt))
        store.create(f"copy-{fmt}", "vpdq")
        store.import_file(f"copy-{fmt}", exported, fmt)
        assert {e.hash for e in store.entries(f"copy-{fmt}")} == original, fmt
    folder = tmp_path / "vpdq-out"
    folder.mkdir()
    assert run(video_bank, "bank", "export", "videos", str(folder), "--format", "vpdq").exit_code == 0
    assert len(list(folder.glob("*.txt"))) == 2
    new_folder = tmp_path / "not-there-yet"
    assert run(video_bank, "bank", "export", "videos", f"{new_folder}/", "--format", "vpdq").exit_code == 0
    assert len(list(new_folder.glob("*.txt"))) == 2
    store.create("copy-vpdq", "vpdq")
    store.import_file("copy-vpdq", folder, "vpdq")
    assert {e.hash for e in store.entries("copy-vpdq")} == original
    from childsafe.media.vpdq import parse_vpdq

    exported_frames = [[f.pdq for f in parse_vpdq(text)] for text in store.export_vpdq_files("videos").values()]
    assert [f.pdq for f in reference_frames(reference_media, "doorknob-hd-no-bar")] in exported_frames


def test_bad_vpdq_line_fails_the_import(video_bank: Path, tmp_path: Path, reference_media: Path) -> None:
    lines = (reference_media / "vpdq/hashes/chair-20-sd-bar.txt").read_text().splitlines()
    lines[5] = lines[5].replace(",", ";", 1)
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines) + "\n")
    result = run(video_bank, "bank", "import", "videos", str(bad), "--format", "vpdq")
    assert result.exit_code == 2 and "line 6" in result.stderr
    (bank,) = json_lines(run(video_bank, "bank", "list", "--json").stdout)
    assert bank["entries"] == 1


def test_a_blank_images_hash_in_an_imported_list_matches_no_blank_upload(data_dir: Path, tmp_path: Path,
                                                                          reference_media: Path) -> None:
    # A list from elsewhere may hold the hash of a blank picture: all zeros for a black one, a few
    # bits for one flat colour. An image of no detail hashes to the same, so it matched every blank
    # upload; such a query hash (far from 128 bits set) is not looked up. Real pictures still match.
    from PIL import Image

    from childsafe.media import load_image, pdq_hash_image

    flat = [pdq_hash_image(Image.new("RGB", (300, 200), colour)).pdq for colour in ((0, 0, 0), (128, 128, 128))]
    bridge = pdq_hash_image(load_image(reference_media / "pdq/bridge-mods/aaa-orig.jpg")).pdq
    listing = tmp_path / "list.txt"
    listing.write_text("\n".join([*flat, bridge]) + "\n")
    run(data_dir, "bank", "create", "imported", "--type", "pdq")
    assert run(data_dir, "bank", "import", "imported", str(listing)).exit_code == 0
    for name, size, colour in (("black.png", (640, 480), (0, 0, 0)), ("grey.png", (300, 200), (128, 128, 128)),
                               ("dot.png", (2, 2), (9, 9, 9))):
        Image.new("RGB", size, colour).save(tmp_path / name)
        (line,) = json_lines(run(data_dir, "match", str(tmp_path / name), "--json").stdout)
        assert line["matches"] == [], name
    (line,) = json_lines(run(data_dir, "match", str(reference_media / "pdq/bridge-mods/aaa-orig.jpg"), "--json").stdout)
    assert [m["distance"] for m in line["matches"]] == [0]
    (line,) = json_lines(run(data_dir, "match", "--hash", "0" * 64, "--json").stdout)  # asked for directly
    assert [m["distance"] for m in line["matches"]] == [0]
