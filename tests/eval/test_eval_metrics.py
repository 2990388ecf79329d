"""The measures make eval reports, checked against values worked out by hand."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from eval.conversations import metrics, runner
from eval.conversations.__main__ import main
from eval.conversations.dataset import LabelledConversation, LabelledMessage


def test_roc_auc_counts_ties_as_half():
    assert metrics.roc_auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert metrics.roc_auc([0.1, 0.2, 0.9, 0.8], [True, True, False, False]) == 0.0
    assert metrics.roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert metrics.roc_auc([0.3, 0.7, 0.5, 0.5], [True, True, False, False]) == pytest.approx(0.5)
    assert metrics.roc_auc([0.1], [True]) is None


def test_latency_penalty_is_zero_at_first_message_and_half_at_k_half():
    p = metrics.latency_p(30)
    assert metrics.latency_penalty(1, p) == 0
    assert metrics.latency_penalty(30, p) == pytest.approx(0.5)
    assert metrics.latency_penalty(1000, p) == pytest.approx(1, abs=1e-6)


def test_latency_weighted_f1_is_f1_times_speed():
    out = metrics.latency_weighted_f1([1, 1, 30], fp=1, fn=0, k_half=30)
    f1 = 2 * 0.75 * 1.0 / 1.75
    assert out["f1"] == pytest.approx(f1)
    assert out["speed"] == pytest.approx(1.0)  # median penalty of [0, 0, 0.5] is 0
    assert out["f_latency"] == pytest.approx(f1)
    assert metrics.latency_weighted_f1([], fp=2, fn=3, k_half=10)["f_latency"] == 0.0


def test_percentile_and_median():
    assert metrics.percentile(list(range(1, 101)), 99) == 99
    assert metrics.median([3, 1, 2, 10]) == 2.5
    assert metrics.precision_recall_f1(0, 0, 0) == (None, None, None)


@dataclass
class Signal:
    kind: str
    name: str


@dataclass
class FakeAssessment:
    level: str
    risk: float
    message_signals: list = field(default_factory=list)


class SecretWordEngine:
    """Warns when 'secret' appears: enough to check how the runner counts."""

    def __init__(self):
        self.seen: dict[str, bool] = {}

    def observe(self, m):
        hit = "secret" in m.text
        self.seen[m.conversation_id] = self.seen.get(m.conversation_id, False) or hit
        level = "medium" if self.seen[m.conversation_id] else "none"
        return FakeAssessment(level, 0.9 if hit else 0.1, [Signal("tactic", "secrecy")] if hit else [])


def conv(cid, label, texts, tactics=None, cues=None):
    c = LabelledConversation(cid, label, label, "dev", "test")
    for i, t in enumerate(texts):
        c.messages.append(LabelledMessage(cid, f"{cid}-{i}", "a" if i % 2 == 0 else "b", f"2025-01-01T00:00:0{i}Z", t,
                                          tactics=(tactics or {}).get(i, []), cues=(cues or {}).get(i, [])))
    return c


def test_runner_counts_messages_conversations_and_earliness():
    convs = [
        conv("g1", "grooming", ["hi", "keep it secret", "ok", "bye"], tactics={1: ["secrecy"]}),
        conv("g2", "grooming", ["hi", "how old", "12", "send a pic"], tactics={1: ["age_identity_probing"],
                                                                              3: ["photo_camera_request"]}),
        conv("b1", "benign", ["party is a secret!", "ok"], cues={0: ["secrecy"]}),
        conv("b2", "benign", ["hello", "hi"]),
    ]
    res = runner.evaluate(convs, SecretWordEngine)
    c = res["conversation"]
    assert (c["grooming_alerted"], c["benign_alerted"]) == (1, 1)
    assert c["recall"] == 0.5 and c["precision"] == 0.5 and c["benign_alert_rate"] == 0.5
    assert c["median_share_at_first_alert"] == 0.5  # message 2 of 4
    s = res["tactics"]["secrecy"]
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 0)
    assert s["precision"] == 0.5 and s["precision_cues_forgiven"] == 1.0
    assert res["tactics"]["photo_camera_request"]["fn"] == 1
    assert res["speed"]["messages"] == 12
    assert runner.targets(res)["grooming_recall"]["met"] is False


def test_pii_measure_matches_kind_and_overlapping_span():
    rows = [{"text": "text 07700 900123", "findings": [{"kind": "phone", "start": 5, "end": 17}]},
            {"text": "im 12", "findings": [{"kind": "age", "start": 3, "end": 5}]},
            {"text": "nothing here", "findings": []}]
    res = runner.evaluate_pii(rows)
    assert res["overall"]["tp"] == 2 and res["overall"]["fp"] == 0 and res["overall"]["exact_span_share"] == 1.0


@pytest.mark.slow
def test_make_eval_writes_json_with_every_section(tmp_path):
    out = tmp_path / "r.json"
    md = tmp_path / "RESULTS.md"
    assert main(["--splits", "dev", "--limit", "30", "--no-chatterbot", "--no-evasion", "--out", str(out),
                 "--markdown", str(md)]) == 0
    assert "## Per tactic (message level)" in md.read_text() and "| secrecy |" in md.read_text()
    data = json.loads(out.read_text())
    dev = data["splits"]["dev"]
    assert set(dev) == {"conversation", "speed", "nudges", "tactics", "categories"}
    assert dev["conversation"]["conversations"] == 30 and 0 <= dev["conversation"]["roc_auc"] <= 1
    assert set(data["pii"]) == {"dev", "test"}


def test_disguise_cost_changes_only_offender_tactic_messages_in_grooming():
    import random

    g = conv("g", "grooming", ["hello there", "keep it secret ok"], tactics={1: ["secrecy"]})
    b = conv("b", "benign", ["keep the party secret"])
    dg = runner.disguised_copy(g, "spaced", random.Random(1))
    assert dg.messages[0].text == "hello there" and dg.messages[1].text != "keep it secret ok"
    assert dg.messages[1].tactics == ["secrecy"] and g.messages[1].text == "keep it secret ok"
    assert runner.disguised_copy(b, "spaced", random.Random(1)).messages[0].text != "keep the party secret"
    cost = runner.evasion_cost([g, b], SecretWordEngine)
    assert cost["none"]["tactic_recall"] == 1.0 and set(cost) >= {"leetspeak", "spaced", "homoglyphs", "emoji"}


def test_nudges_addressed_to_the_offender_are_counted():
    @dataclass
    class Nudged(FakeAssessment):
        nudge: object = None
        nudge_for: str | None = None

    class NudgeEveryone:
        def observe(self, m):
            return Nudged("none", 0.0, [], nudge=type("N", (), {"kind": "secrecy"})(), nudge_for=m.sender)

    g = conv("g", "grooming", ["keep it secret", "ok"], tactics={0: ["secrecy"]})
    g.messages[0].sender_role, g.messages[1].sender_role = "offender", "child"
    res = runner.evaluate([g], NudgeEveryone)
    assert res["nudges"]["nudges_addressed_to_offender"] == 1
    assert res["nudges"]["grooming_with_child_nudged"] == 1.0
