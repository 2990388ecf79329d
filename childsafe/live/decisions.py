"""What the monitor says about each sampled frame: a ``Decision`` (one ``live watch --json`` line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The actions a decision can ask the platform to take, strongest first.
ACTIONS = ("terminate_stream", "pause_stream", "alert_moderator", "nudge_broadcaster")
NO_ACTION = "none"
ERROR = "error"
ENDED = "ended"


@dataclass
class Decision:
    """One sampled frame's outcome (or an error / the end of the stream).

    ``action`` is the strongest action taken ("none" for a frame that changes nothing, "error"
    for a problem the monitor reports and survives, "ended" when the stream is over); ``actions``
    lists every action taken. ``latency_ms`` runs from the frame leaving the decoder (or the pushed
    frame arriving) to this decision, including any webhooks queued for it.
    """

    stream: str
    frame_time: float | None
    action: str = NO_ACTION
    actions: list[str] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)
    detections: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: float | None = None
    reason: str = ""
    error: dict[str, str] | None = None
    pdq: str | None = None
    quality: int | None = None
    scene_change: bool = False
    boosted: bool = False
    case_id: str | None = None
    event_ids: list[str] = field(default_factory=list)
    decoded_at: float | None = None
    """Wall-clock time (epoch seconds) the frame was decoded; carried into webhooks for latency."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "stream": self.stream,
            "frame_time": None if self.frame_time is None else round(self.frame_time, 3),
            "action": self.action,
            "matches": self.matches,
            "latency_ms": None if self.latency_ms is None else round(self.latency_ms, 2),
        }
        if self.actions:
            out["actions"] = list(self.actions)
        if self.detections:
            out["detections"] = self.detections
        if self.reason:
            out["reason"] = self.reason
        if self.error is not None:
            out["error"] = dict(self.error)
        if self.pdq is not None:
            out["pdq"] = self.pdq
            out["quality"] = self.quality
        if self.scene_change:
            out["scene_change"] = True
        if self.boosted:
            out["boosted"] = True
        if self.case_id:
            out["case_id"] = self.case_id
        if self.event_ids:
            out["event_ids"] = list(self.event_ids)
        return out


def error_decision(stream: str, code: str, message: str, *, frame_time: float | None = None) -> Decision:
    return Decision(stream=stream, frame_time=frame_time, action=ERROR, reason=message,
                    error={"code": code, "message": message})
