"""Real streams on loopback: a stream carrying banked media is ended, an unrelated one is left alone."""

from __future__ import annotations

import time

import pytest

from childsafe.live import ListActions, LiveMonitor, LiveOptions
from tests.live.conftest import CHAIR_STREAMED, DOORKNOB, ffmpeg_live

pytestmark = [pytest.mark.timeout(120), pytest.mark.slow]


def _wait_for(path, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size > 0 and "#EXTINF" in path.read_text():
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def _run_pair(monitor, urls, started):
    decisions = {}
    monitor.on_decision = lambda d: decisions.setdefault(d.stream, []).append(d)
    watches = [monitor.watch(url, stream_id=name) for name, url in urls.items()]
    for w in watches:
        w.thread.join(timeout=60)
        assert not w.thread.is_alive(), f"{w.id} still being watched"
    for p in started:
        p.terminate()
        p.wait(timeout=10)
    return watches, decisions


def _check(watches, decisions, actions):
    chair, door = (next(w for w in watches if w.id == n) for n in ("chair", "doorknob"))
    assert chair.status == "terminated", decisions.get("chair")
    ended = [d for d in decisions["chair"] if d.action == "terminate_stream"]
    assert len(ended) == 1 and ended[0].matches and ended[0].matches[0]["bank"] == "known"
    assert ended[0].matches[0]["labels"] == ["test-benign-chair"]
    assert ended[0].latency_ms is not None and ended[0].latency_ms < 2000
    # a segment, not one frame: at least window_k sampled frames matched before the stream was ended
    assert sum(1 for d in decisions["chair"] if d.matches) >= 2
    assert door.status in ("ended", "error"), door.to_dict()
    assert not any(d.actions for d in decisions["doorknob"])
    assert sum(1 for d in decisions["doorknob"] if d.pdq) >= 2  # it really was watched
    assert [c[0] for c in actions.calls] == ["chair"]
    assert actions.calls[0][2] >= 2  # the matching frames went to the case as evidence


def test_hls_stream_with_banked_clip_is_terminated_and_other_left_alone(bank_db, http_dir, reference_media):
    db, matcher = bank_db
    root, base = http_dir
    procs, urls = [], {}
    for name, clip, secs in (("chair", CHAIR_STREAMED, 8), ("doorknob", DOORKNOB, None)):
        (root / name).mkdir()
        procs.append(ffmpeg_live(reference_media / clip, ["-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                                                          str(root / name / "index.m3u8")], seconds=secs))
        urls[name] = f"{base}/{name}/index.m3u8"
    for name in urls:
        _wait_for(root / name / "index.m3u8")
    actions = ListActions()
    monitor = LiveMonitor(matcher, banks=["known"], actions=actions, options=LiveOptions(read_timeout=8))
    watches, decisions = _run_pair(monitor, urls, procs)
    _check(watches, decisions, actions)


def test_rtmp_stream_with_banked_clip_is_terminated_and_other_left_alone(bank_db, rtmp_server, reference_media):
    db, matcher = bank_db
    procs, urls = [], {}
    for name, clip, secs in (("chair", CHAIR_STREAMED, 8), ("doorknob", DOORKNOB, None)):
        url = f"{rtmp_server}/{name}"
        procs.append(ffmpeg_live(reference_media / clip, ["-f", "flv", url], seconds=secs))
        urls[name] = url
    time.sleep(1.0)  # nginx refuses players before the publisher has started (idle_streams off)
    actions = ListActions()
    monitor = LiveMonitor(matcher, banks=["known"], actions=actions, options=LiveOptions(read_timeout=5))
    watches, decisions = _run_pair(monitor, urls, procs)
    _check(watches, decisions, actions)
