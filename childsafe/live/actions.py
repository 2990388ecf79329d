"""Turning live decisions into the platform's actions: signed, durable webhooks and a case.

Everything a decision causes is written in one transaction (the outbox rows for each action and
``open_case``, and the case with its evidence references), so a crash never leaves a stream ended
without a case or a case without its webhooks. The triggering frames are encrypted to disk first;
the case points at them.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Callable, Sequence

from childsafe.live.decisions import Decision

LIVE_EVENT_TYPES = ("terminate_stream", "pause_stream", "alert_moderator", "nudge_broadcaster")


def _age_band(policy, person) -> str | None:
    if policy is None or person is None:
        return "13-15"
    band = policy.standing(person)["band"]
    return band if band in ("under_13", "13-15", "16-17") else "13-15"


def child_nudge(policy=None, person=None) -> dict | None:
    """What to tell a child whose stream was paused: the nudges' "going on camera" message."""
    from childsafe.live.monitor import CHILD_NUDGE_KIND
    from childsafe.nudges import nudge_for

    nudge = nudge_for(CHILD_NUDGE_KIND, age_band=_age_band(policy, person))
    if nudge is None:
        return None
    return nudge.to_dict() if hasattr(nudge, "to_dict") else {"text": nudge.text, "actions": list(nudge.actions)}


class OutboxActions:
    """An ``ActionSink`` that queues webhooks in the service's outbox and opens a case with evidence."""

    def __init__(self, db, data_dir: str | Path, *, policy=None, notify: Callable[[], None] | None = None,
                 evidence=None) -> None:
        from childsafe.cases.evidence import EvidenceStore

        self.db = db
        self.policy = policy
        self.notify = notify
        self.evidence = evidence or EvidenceStore(data_dir)

    def handle(self, watch, decision: Decision, evidence: Sequence) -> None:
        from childsafe.cases import open_case
        from childsafe.service.outbox import enqueue

        case_id = f"case_{uuid.uuid4().hex}"
        refs = [{"kind": "live_stream", "stream_id": watch.id, "url": watch.url, "frame_time": decision.frame_time,
                 "matches": decision.matches, "detections": decision.detections}]
        for n, frame in enumerate(evidence):
            ref = self.evidence.put(case_id, f"frame-{n:02d}", frame.jpeg, content_type="image/jpeg")
            ref.update({"frame_time": frame.frame_time, "pdq": frame.pdq, "reason": frame.reason})
            refs.append(ref)
        broadcaster_id = getattr(watch.broadcaster, "id", None)
        base = {
            "stream_id": watch.id,
            "broadcaster_id": broadcaster_id,
            "frame_time": decision.frame_time,
            "reason": decision.reason,
            "matches": decision.matches,
            "detections": decision.detections,
            "case_id": case_id,
            "frame_decoded_at": decision.decoded_at,
            "decided_at": time.time(),
        }
        known = bool(decision.matches)
        with self.db.session() as s:
            ids = []
            for action in decision.actions:
                payload = dict(base, action=action)
                if action == "nudge_broadcaster":
                    payload["nudge"] = child_nudge(self.policy, watch.broadcaster)
                ids.append(enqueue(s, action, payload))
            ids.append(enqueue(s, "open_case", dict(base, action="open_case")))
            open_case(s, trigger_kind="live_known_media" if known else "live_nudity", reason=decision.reason,
                      evidence=refs, priority="urgent" if known or watch.child_broadcaster else "high",
                      trigger_event_id=ids[0], subject_user_id=broadcaster_id, conversation_id=f"stream:{watch.id}",
                      case_id=case_id)
        decision.case_id = case_id
        decision.event_ids = ids
        if self.notify is not None:
            self.notify()


class ListActions:
    """An ``ActionSink`` that only remembers what it was asked to do (tests, dry runs)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Decision, int]] = []

    def handle(self, watch, decision: Decision, evidence: Sequence) -> None:
        self.calls.append((watch.id, decision, len(evidence)))
