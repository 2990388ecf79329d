"""`childsafe hash`: the scripted contract (one JSON object a line; errors on stderr, exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from childsafe.index.codec import hamming
from childsafe.media import pdq_hash_file


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "childsafe", *args], capture_output=True, text=True, timeout=120)


def test_hash_json_gives_one_object_per_file(tmp_path: Path, reference_media: Path):
    photo = reference_media / "pdq" / "dih" / "bridge-1-original.jpg"
    clip = reference_media / "vpdq" / "videos" / "doorknob-hd-no-bar.mp4"
    result = run_cli("hash", "--json", "--fps", "1", str(photo), str(clip), "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["type"] for d in lines] == ["image", "video"]
    image, video = lines
    assert image["path"] == str(photo)
    assert image["pdq"] == pdq_hash_file(photo).pdq and 0 <= image["quality"] <= 100
    assert len(image["md5"]) == 32 and len(image["sha256"]) == 64
    assert [f["frame"] for f in video["vpdq"]] == [0, 30, 60, 90]
    assert set(video["vpdq"][0]) == {"frame", "quality", "pdq", "timestamp"}
    ref = (reference_media / "vpdq" / "hashes" / "doorknob-hd-no-bar.txt").read_text().splitlines()[0].split(",")
    assert hamming(video["vpdq"][0]["pdq"], ref[2]) <= 16


def test_bad_file_gets_one_error_line_and_others_still_hash(tmp_path: Path, reference_media: Path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    good = reference_media / "pdq" / "sample-b.jpg"
    result = run_cli("hash", "--json", str(bad), str(good))
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: ") and str(bad) in errors[0]
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == [str(good)]


def test_folder_is_walked_like_match_walks_it(tmp_path: Path, reference_media: Path):
    folder = tmp_path / "upload"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    photo = reference_media / "pdq" / "sample-b.jpg"
    for place in (folder / "b.jpg", folder / "sub" / "a.jpg", folder / ".git" / "c.jpg"):
        place.write_bytes(photo.read_bytes())
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1 not media")
    result = run_cli("hash", "--json", str(folder))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["path"] for line in result.stdout.splitlines()] == [
        str(folder / "b.jpg"), str(folder / "sub" / "a.jpg")]


def test_plain_output_names_each_file(reference_media: Path):
    photo = reference_media / "pdq" / "sample-b.jpg"
    result = run_cli("hash", str(photo))
    assert result.returncode == 0
    assert result.stdout.startswith(str(photo)) and "pdq=" in result.stdout


def test_vpdq_text_output_imports_back(reference_media: Path):
    from childsafe.media import parse_vpdq

    clip = reference_media / "vpdq" / "videos" / "doorknob-hd-no-bar.mp4"
    result = run_cli("hash", "--vpdq", "--fps", "1", str(clip))
    assert result.returncode == 0, result.stderr
    frames = parse_vpdq(result.stdout, source="stdout")
    assert [f.frame for f in frames] == [0, 30, 60, 90]
    assert result.stdout.splitlines()[1].endswith(",1.000")
