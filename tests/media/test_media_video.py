"""Video hashes agree with the vPDQ reference, and matching follows its two-way rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from childsafe.index.codec import hamming
from childsafe.media import (
    FrameHash,
    fingerprint_file,
    format_vpdq,
    hash_video,
    parse_vpdq,
    vpdq_match,
)
from childsafe.errors import InvalidInput


@pytest.fixture(scope="module")
def reference_videos(reference_media: Path) -> dict[str, tuple[list[FrameHash], list[FrameHash]]]:
    """name -> (our frame hashes, the reference tool's frame hashes)."""
    videos = reference_media / "vpdq" / "videos"
    out = {}
    for mp4 in sorted(videos.glob("*.mp4")):
        ref = parse_vpdq((reference_media / "vpdq" / "hashes" / f"{mp4.stem}.txt").read_text(), source=mp4.stem)
        out[mp4.stem] = (hash_video(mp4).frames, ref)
    return out


@pytest.mark.slow
def test_frame_hashes_agree_with_the_reference_tool(reference_videos):
    assert len(reference_videos) >= 6
    for name, (ours, ref) in reference_videos.items():
        by_frame = {f.frame: f for f in ours}
        usable = [r for r in ref if r.quality >= 50]
        assert usable, name
        close = sum(1 for r in usable if r.frame in by_frame and hamming(by_frame[r.frame].pdq, r.pdq) <= 16)
        assert close / len(usable) >= 0.95, (name, close, len(usable))
        assert [f.frame for f in ours] == [r.frame for r in ref], name
        assert all(abs(by_frame[r.frame].timestamp - r.timestamp) < 0.0015 for r in ref), name


@pytest.mark.slow
def test_chair_edits_match_each_other_and_the_doorknob_matches_none(reference_videos):
    names = sorted(reference_videos)
    chairs = [n for n in names if n.startswith("chair")]
    assert len(chairs) >= 5 and "doorknob-hd-no-bar" in names
    for a in names:
        for b in names:
            if a == b:
                continue
            result = vpdq_match(reference_videos[a][0], reference_videos[b][0])
            expected = a in chairs and b in chairs
            assert result.is_match() == expected, (a, b, result)


def test_reference_hash_files_follow_the_same_matching_rule(reference_media: Path):
    hashes = {p.stem: parse_vpdq(p.read_text(), source=p.name) for p in (reference_media / "vpdq" / "hashes").glob("*.txt")}
    for a, fa in hashes.items():
        for b, fb in hashes.items():
            if a != b:
                assert vpdq_match(fa, fb).is_match() == (a.startswith("chair") and b.startswith("chair")), (a, b)


def test_fps_option_samples_frames_like_the_reference(reference_media: Path):
    clip = reference_media / "vpdq" / "videos" / "doorknob-hd-no-bar.mp4"
    every = hash_video(clip).frames
    one_a_second = hash_video(clip, fps=1).frames
    assert [f.frame for f in one_a_second] == [0, 30, 60, 90]
    assert [f.timestamp for f in one_a_second] == pytest.approx([0.0, 1.0, 2.0, 3.0])
    by_frame = {f.frame: f for f in every}
    assert all(by_frame[f.frame] == f for f in one_a_second)


def test_mirror_hashes_match_a_mirrored_upload(tmp_path: Path, make_clip, clip_frames):
    frames = clip_frames(7, 40)
    original = make_clip(tmp_path / "original.mp4", frames)
    mirrored = make_clip(tmp_path / "mirrored.mp4", [f.transpose(Image.Transpose.FLIP_LEFT_RIGHT) for f in frames])
    unrelated = make_clip(tmp_path / "other.mp4", clip_frames(8, 40))
    query = hash_video(mirrored, mirror=True)
    assert query.mirror_frames is not None and len(query.mirror_frames) == len(query.frames)
    banked = hash_video(original).frames
    assert not vpdq_match(query.frames, banked).is_match()
    assert vpdq_match(query.mirror_frames, banked).is_match()
    assert not vpdq_match(query.mirror_frames, hash_video(unrelated).frames).is_match()
    assert [f.pdq for f in hash_video(mirrored).frames] == [f.pdq for f in query.frames]


def test_vpdq_text_round_trips_in_the_reference_format(reference_media: Path):
    text = (reference_media / "vpdq" / "hashes" / "doorknob-hd-no-bar.txt").read_text()
    frames = parse_vpdq(text)
    assert format_vpdq(frames) == text if text.endswith("\n") else format_vpdq(frames) == text + "\n"


@pytest.mark.parametrize("line,problem", [
    ("0,100,abc,0.000", "64 hex"),
    ("0,100", "comma-separated frame,quality,pdq"),
    ("x,100," + "0" * 64 + ",0.0", "integers"),
    ("0,101," + "0" * 64 + ",0.0", "quality 0-100"),
    ("0,100," + "g" * 64 + ",0.0", "non-hex"),
])
def test_bad_vpdq_lines_are_reported_with_their_line_number(line: str, problem: str):
    good = "0,100," + "f" * 64 + ",0.000"
    with pytest.raises(InvalidInput) as err:
        parse_vpdq(f"{good}\n{line}\n", source="bank.txt")
    assert "bank.txt: line 2" in str(err.value) and problem in str(err.value)


def test_vpdq_lines_without_timestamp_are_read():
    frames = parse_vpdq("0,100," + "a" * 64 + "\n30,90," + "b" * 64 + "\n")
    assert [(f.frame, f.quality, f.timestamp) for f in frames] == [(0, 100, 0.0), (30, 90, 0.0)]


def test_low_quality_and_duplicate_frames_do_not_count():
    h1, h2 = "f" * 64, "0" * 64
    query = [FrameHash(0, 100, h1, 0.0), FrameHash(1, 100, h1, 0.1), FrameHash(2, 10, h2, 0.2)]
    target = [FrameHash(0, 100, h1, 0.0)]
    result = vpdq_match(query, target)
    assert result.query_pct == 100.0 and result.compared_pct == 100.0
    assert vpdq_match([FrameHash(0, 10, h1, 0.0)], target).is_match() is False


def test_video_fingerprint_lists_frames(reference_media: Path):
    fp = fingerprint_file(reference_media / "vpdq" / "videos" / "doorknob-hd-no-bar.mp4", fps=2).to_dict()
    assert fp["type"] == "video" and "pdq" not in fp
    assert [f["frame"] for f in fp["vpdq"]][:3] == [0, 15, 30]
    assert set(fp["vpdq"][0]) == {"frame", "quality", "pdq", "timestamp"}
