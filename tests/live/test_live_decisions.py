"""Decision logic: segments not single frames, who broadcasts decides what runs, actions become webhooks and cases."""

from __future__ import annotations

import io

import numpy as np
import orjson
import pytest
from PIL import Image
from sqlalchemy import select

from childsafe.live import Detection, ListActions, LiveMonitor, LiveOptions, OutboxActions, RollingWindow, Sampler
from childsafe.policy import Person, PolicyEngine


def _picture(seed: int) -> bytes:
    """A benign synthetic picture (coloured blocks), different for each seed."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    img = Image.fromarray(np.kron(blocks, np.ones((40, 40, 1), dtype=np.uint8)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    return buf.getvalue()


class FlagFrames:
    """A test classifier: flags the frames whose time is in ``flagged`` (stands in for a nudity detector)."""

    def __init__(self, flagged):
        self.flagged = set(flagged)
        self.seen = 0
        self.now = None

    def classify(self, frame):
        self.seen += 1
        return [Detection("TEST_FLAG", 0.9)] if self.now in self.flagged else []


def _push_all(monitor, stream, frames, classifier=None):
    out = []
    for t, data in frames:
        if classifier is not None:
            classifier.now = t
        out.append(monitor.push_frame(stream, image=data, frame_time=float(t)))
    return out


def test_window_needs_k_of_n():
    w = RollingWindow(2, 3)
    assert [w.push(x) for x in (True, False, False, True, False, True)] == [False, False, False, False, False, True]
    with pytest.raises(Exception):
        RollingWindow(4, 3)


def test_sampler_samples_by_time_and_faster_after_a_hit():
    s = Sampler(fps=1, boost_fps=4, boost_seconds=2)
    taken = []
    for i in range(0, 200):
        t = i / 25
        if s.due(t):
            s.taken(t)
            taken.append(round(t, 2))
            if t == 3.0:
                s.boost(t)
    assert taken[:4] == [0.0, 1.0, 2.0, 3.0]
    assert taken[4:8] == [3.28, 3.52, 3.76, 4.0]  # every quarter second for two seconds
    assert taken[-2:] == [6.0, 7.0]


def test_one_noisy_frame_does_not_end_a_stream_but_a_segment_does(bank_db, reference_media):
    from childsafe.media import hash_video

    db, matcher = bank_db
    chair = [f.pdq for f in hash_video(reference_media / "vpdq/videos/chair-20-sd-bar.mp4", fps=1).frames
             if f.quality >= 50]
    other = "0" * 64
    actions = ListActions()
    monitor = LiveMonitor(matcher, banks=["known"], actions=actions)
    seq = [chair[0], other, other, other, chair[1], other, chair[2]]
    decisions = [monitor.push_frame("s", pdq=h, frame_time=float(i)) for i, h in enumerate(seq)]
    assert [bool(d.matches) for d in decisions] == [True, False, False, False, True, False, True]
    assert [d.action for d in decisions] == ["none"] * 6 + ["terminate_stream"]
    assert monitor.get("s").status == "terminated"
    later = monitor.push_frame("s", pdq=chair[3], frame_time=8.0)
    assert later.error["code"] == "stream_not_active"
    assert len(actions.calls) == 1



def test_a_stream_reads_terminated_only_beside_the_decision_that_ended_it(bank_db, reference_media):
    # Recording the actions (the case, the webhooks) takes a while after the status changes; a
    # platform polling the stream then saw "terminated" beside the decision before, without a reason.
    from childsafe.media import hash_video

    db, matcher = bank_db
    chair = [f.pdq for f in hash_video(reference_media / "vpdq/videos/chair-20-sd-bar.mp4", fps=1).frames
             if f.quality >= 50]
    seen = []

    class Watching(ListActions):
        def handle(self, watch, decision, evidence):
            seen.append((watch.status, watch.to_dict()["last_decision"]))
            super().handle(watch, decision, evidence)

    monitor = LiveMonitor(matcher, banks=["known"], actions=Watching())
    for i, h in enumerate(chair[:3]):
        monitor.push_frame("s", pdq=h, frame_time=float(i))
    (status, last), = seen
    assert status == "terminated" and last["action"] == "terminate_stream" and last["reason"].startswith("known media")

def test_detector_runs_for_child_and_unknown_broadcasters_not_for_verified_adults():
    frames = [(t, _picture(t)) for t in range(6)]
    policy = PolicyEngine()
    results = {}
    for name, person in (("child", Person(id="c", age=14, assurance="facial_estimation")),
                         ("unknown", None),
                         ("adult", Person(id="a", age=30, assurance="id_document"))):
        classifier = FlagFrames({2})
        actions = ListActions()
        monitor = LiveMonitor(None, policy=policy, classifier=classifier, actions=actions)
        monitor.open(name, broadcaster=person)
        decisions = _push_all(monitor, name, frames, classifier)
        results[name] = (classifier.seen, [d.action for d in decisions], actions)
    assert results["adult"][0] == 0 and set(results["adult"][1]) == {"none"}
    for name in ("child", "unknown"):
        seen, acts, actions = results[name]
        assert seen >= 3
        assert acts[2] == "pause_stream" and acts.count("pause_stream") == 1
        decision = actions.calls[0][1]
        assert decision.actions == ["pause_stream", "nudge_broadcaster", "alert_moderator"]


def test_detection_again_after_resume_ends_the_stream():
    classifier = FlagFrames({1, 4})
    monitor = LiveMonitor(None, classifier=classifier)
    monitor.open("s", broadcaster=Person(id="c", age=12, assurance="facial_estimation"))
    first = _push_all(monitor, "s", [(0, _picture(0)), (1, _picture(1))], classifier)
    assert first[-1].action == "pause_stream" and monitor.get("s").status == "paused"
    monitor.resume("s")
    rest = _push_all(monitor, "s", [(t, _picture(t)) for t in (2, 3, 4)], classifier)
    assert [d.action for d in rest] == ["none", "none", "terminate_stream"]
    assert rest[-1].actions == ["terminate_stream", "nudge_broadcaster", "alert_moderator"]


def test_actions_become_signed_webhooks_and_a_case_with_encrypted_frames(bank_db, data_dir, reference_media):
    from childsafe.cases import Case
    from childsafe.cases.evidence import EvidenceStore
    from childsafe.service.models import OutboxEvent

    db, matcher = bank_db
    classifier = FlagFrames({0, 1})
    policy = PolicyEngine()
    monitor = LiveMonitor(matcher, banks=["known"], policy=policy, classifier=classifier,
                          actions=OutboxActions(db, data_dir, policy=policy))
    monitor.open("kid-stream", broadcaster=Person(id="user-7", age=13, assurance="facial_estimation"))
    decisions = _push_all(monitor, "kid-stream", [(0, _picture(10)), (1, _picture(11))], classifier)
    paused = decisions[0]
    assert paused.action == "pause_stream" and paused.case_id and len(paused.event_ids) == 4
    with db.session() as s:
        rows = {r.event_type: orjson.loads(r.payload) for r in s.scalars(select(OutboxEvent))}
        case = s.get(Case, paused.case_id)
        assert case is not None and case.subject_user_id == "user-7" and case.trigger_kind == "live_nudity"
        evidence = list(case.evidence)
    assert set(rows) == {"pause_stream", "nudge_broadcaster", "alert_moderator", "open_case"}
    nudge = rows["nudge_broadcaster"]["data"]["nudge"]
    assert nudge["audience"] == "child" and nudge["age_band"] == "13-15" and nudge["text"]
    assert rows["pause_stream"]["data"]["stream_id"] == "kid-stream"
    frames = [e for e in evidence if e["kind"] == "encrypted_file"]
    assert len(frames) == 1
    on_disk = (data_dir / frames[0]["path"]).read_bytes()
    assert b"JFIF" not in on_disk[:64]  # encrypted at rest
    plain = EvidenceStore(data_dir).get(paused.case_id, frames[0]["name"])
    assert Image.open(io.BytesIO(plain)).format == "JPEG"


def test_evidence_does_not_decrypt_under_another_case_or_key(data_dir, tmp_path):
    from childsafe.cases.evidence import EvidenceError, EvidenceStore

    store = EvidenceStore(data_dir)
    ref = store.put("case_a", "frame-00", b"frame bytes")
    moved = data_dir / "evidence" / "case_b" / "frame-00.enc"
    moved.parent.mkdir(parents=True)
    moved.write_bytes((data_dir / ref["path"]).read_bytes())
    with pytest.raises(EvidenceError):
        store.get("case_b", "frame-00")
    with pytest.raises(EvidenceError):
        EvidenceStore(tmp_path / "elsewhere").get("case_a", "frame-00")
    assert store.get("case_a", "frame-00") == b"frame bytes"


def test_a_failing_action_sink_is_reported_and_the_decision_still_stands(bank_db, reference_media):
    from childsafe.media import hash_video

    class Broken:
        def handle(self, watch, decision, evidence):
            raise RuntimeError("database is down")

    db, matcher = bank_db
    chair = [f.pdq for f in hash_video(reference_media / "vpdq/videos/chair-20-sd-bar.mp4", fps=1).frames
             if f.quality >= 50]
    monitor = LiveMonitor(matcher, banks=["known"], actions=Broken())
    decisions = [monitor.push_frame("s", pdq=h, frame_time=float(i)) for i, h in enumerate(chair[:2])]
    assert decisions[-1].action == "terminate_stream"
    assert decisions[-1].error["code"] == "action_failed"
    assert monitor.get("s").errors[-1]["code"] == "action_failed"


def test_strangers_watching_a_childs_stream_raise_the_sampling_rate():
    policy = PolicyEngine()
    monitor = LiveMonitor(None, policy=policy, options=LiveOptions(fps=1, boost_fps=4))
    child = Person(id="c", age=13, assurance="facial_estimation")
    adult = Person(id="a", age=40, assurance="id_document")
    watch = monitor.open("kid", broadcaster=child, viewers=[(adult, True)])
    assert watch.sampler.fps == 1 and not watch.strangers_watching  # a connection is not a stranger
    monitor.set_viewers("kid", [(adult, True), Person(id="x", age=35, assurance="id_document")])
    assert watch.sampler.fps == 2 and watch.to_dict()["strangers_watching"] is True
    grown = monitor.open("grown", broadcaster=adult, viewers=[Person(id="y", age=30, assurance="id_document")])
    assert grown.sampler.fps == 1  # an adult's stream: viewers change nothing


def test_a_stream_frame_is_trimmed_as_video_frames_are_one_colour_of_bars_at_a_time():
    # A video with black bars of its own (as the banked original has them) re-streamed inside green
    # pillarbox bars: the green goes, the black stays, as `hash_video(trim=True)` trims.
    from childsafe.media.edits import trim_frame

    rng = np.random.default_rng(4)
    frame = np.zeros((240, 480, 3), np.uint8)
    frame[:, :] = (30, 160, 60)
    frame[:, 80:400] = 0
    frame[30:210, 80:400] = rng.integers(0, 256, (180, 320, 3), dtype=np.uint8)
    watch = LiveMonitor(None).open("s")
    assert LiveMonitor._trim_box(watch, frame, scene=True) == (80, 0, 400, 240)
    assert trim_frame(frame).shape == (240, 320, 3)
