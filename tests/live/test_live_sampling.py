"""Sampling a stream: one frame a second by timestamp, keyframes only when they suffice, more after a hit."""

from __future__ import annotations

import pytest

from childsafe.live import LiveMonitor, LiveOptions
from tests.live.conftest import CHAIR_STREAMED, DOORKNOB, ffmpeg_live


@pytest.fixture(scope="module")
def clips(tmp_path_factory, reference_media):
    folder = tmp_path_factory.mktemp("clips")
    out = {}
    for name, src, gop in (("door_gop1", DOORKNOB, "30"), ("door_gop3", DOORKNOB, "90"), ("chair_gop1", CHAIR_STREAMED, "30")):
        path = folder / f"{name}.mp4"
        proc = ffmpeg_live(reference_media / src, ["-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
                                                     "-f", "mp4", str(path)], seconds=8, realtime=False, loop=True)
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
        out[name] = path
    return out


def test_keyframe_every_second_is_all_that_is_decoded(clips):
    monitor = LiveMonitor(None)
    decisions = list(monitor.run(str(clips["door_gop1"]), "s"))
    watch = monitor.get("s")
    times = [d.frame_time for d in decisions if d.pdq]
    assert watch.decode_mode == "keyframes"
    assert watch.frames_decoded <= 9  # one frame a second, of ~240
    assert 7 <= len(times) <= 9 and times == sorted(times)  # 8 s of stream
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert all(0.9 <= g <= 1.6 for g in gaps), times


def test_sparse_keyframes_mean_every_frame_is_decoded_and_sampled_by_time(clips):
    monitor = LiveMonitor(None, options=LiveOptions(fps=2))
    decisions = list(monitor.run(str(clips["door_gop3"]), "s"))
    watch = monitor.get("s")
    times = [d.frame_time for d in decisions if d.pdq]
    assert watch.decode_mode == "all"
    # the first GOP is taken on trust as keyframes-only; once its length is known every frame is decoded
    assert times[0] == 0.0 and 2.9 <= times[1] <= 3.1
    later = times[1:]
    assert all(0.45 <= b - a <= 0.55 for a, b in zip(later, later[1:])) and len(later) >= 7


def test_a_hit_makes_sampling_faster(clips, bank_db):
    db, matcher = bank_db
    options = LiveOptions(stop_on_terminate=False, window_k=50, window_n=50)  # never trigger: just watch the rate
    monitor = LiveMonitor(matcher, banks=["known"], options=options)
    decisions = list(monitor.run(str(clips["chair_gop1"]), "s"))
    sampled = [d for d in decisions if d.pdq]
    assert sampled[0].matches and sampled[1].boosted
    # while only keyframes are decoded the faster rate starts at the next keyframe (here 1 s later)
    assert sampled[1].frame_time - sampled[0].frame_time <= 1.05
    assert all(b.frame_time - a.frame_time < 0.3 for a, b in zip(sampled[1:6], sampled[2:7]))
    assert len(sampled) > 20  # four a second while it keeps matching, not one
