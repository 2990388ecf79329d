"""``childsafe live watch`` prints one decision a line; the optional NudeNet adapter behind the interface."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from tests.live.conftest import CHAIR_STREAMED, DOORKNOB

CHILDSAFE = str(Path(sys.executable).with_name("childsafe"))


def _cli(*args, timeout=60):
    return subprocess.run([CHILDSAFE, *args], capture_output=True, text=True, timeout=timeout)


def test_cli_watch_prints_json_decisions_and_ends_a_banked_stream(bank_db, data_dir, reference_media):
    r = _cli("live", "watch", str(reference_media / CHAIR_STREAMED), "--bank", "known", "--json",
             "--data-dir", str(data_dir), "--stream-id", "cam-1")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    for d in lines:
        assert {"stream", "frame_time", "action", "matches", "latency_ms"} <= set(d)
        assert d["stream"] == "cam-1"
    assert [d["action"] for d in lines][-2:] == ["terminate_stream", "ended"]
    hit = lines[-2]["matches"][0]
    assert hit["bank"] == "known" and hit["distance"] <= 31 and hit["labels"] == ["test-benign-chair"]
    assert lines[-2]["latency_ms"] > 0


def test_cli_record_queues_webhooks_and_opens_a_case_with_encrypted_frames(bank_db, data_dir, reference_media):
    from sqlalchemy import select

    from childsafe.cases import Case
    from childsafe.service.models import OutboxEvent

    db, _ = bank_db
    r = _cli("live", "watch", str(reference_media / CHAIR_STREAMED), "--bank", "known", "--json", "--record",
             "--data-dir", str(data_dir))
    assert r.returncode == 0, r.stderr
    ended = [json.loads(line) for line in r.stdout.splitlines()][-2]
    assert ended["action"] == "terminate_stream" and ended["case_id"] and len(ended["event_ids"]) == 3
    with db.session() as s:
        assert {e.event_type for e in s.scalars(select(OutboxEvent))} == {"terminate_stream", "alert_moderator", "open_case"}
        case = s.get(Case, ended["case_id"])
        frames = [e for e in case.evidence if e["kind"] == "encrypted_file"]
    assert len(frames) >= 2 and all((data_dir / f["path"]).is_file() for f in frames)
    assert (data_dir / "evidence.key").stat().st_mode & 0o777 == 0o600


def test_cli_watch_leaves_an_unbanked_stream_alone(bank_db, data_dir, reference_media):
    r = _cli("live", "watch", str(reference_media / DOORKNOB), "--json", "--data-dir", str(data_dir))
    assert r.returncode == 0, r.stderr
    actions = [json.loads(line)["action"] for line in r.stdout.splitlines()]
    assert actions[-1] == "ended" and set(actions[:-1]) == {"none"} and len(actions) >= 4


def test_cli_watch_reports_a_dead_url_and_exits_2(data_dir):
    r = _cli("live", "watch", "http://127.0.0.1:9/live.m3u8", "--json", "--data-dir", str(data_dir), "--timeout", "2")
    assert r.returncode == 2
    line = json.loads(r.stdout.splitlines()[-1])
    assert line["action"] == "error" and line["error"]["code"] in ("stream_unavailable", "stream_timeout")
    assert "Traceback" not in r.stderr


def test_cli_unknown_bank_is_one_error_line(data_dir, reference_media):
    r = _cli("live", "watch", str(reference_media / DOORKNOB), "--bank", "nope", "--data-dir", str(data_dir))
    assert r.returncode == 2 and r.stderr.startswith("error:") and "nope" in r.stderr


@pytest.mark.skipif(importlib.util.find_spec("nudenet") is not None, reason="nudenet is installed")
def test_nudenet_missing_is_a_clear_error():
    from childsafe.live import DetectorUnavailable, NudeNetClassifier

    with pytest.raises(DetectorUnavailable, match=r"childsafe\[nudity\]"):
        NudeNetClassifier()


@pytest.mark.skipif(importlib.util.find_spec("nudenet") is None, reason="optional extra childsafe[nudity] not installed")
def test_nudenet_finds_nothing_on_benign_frames(reference_media):
    from childsafe.live import FrameClassifier, NudeNetClassifier

    classifier = NudeNetClassifier()
    assert isinstance(classifier, FrameClassifier)
    with av.open(str(reference_media / DOORKNOB)) as c:
        frame = next(c.decode(video=0)).to_ndarray(format="rgb24")
    assert classifier.classify(np.ascontiguousarray(frame)) == []
