"""The plain data the conversation engine takes in and hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from childsafe.errors import InvalidInput

LEVELS: tuple[str, ...] = ("none", "low", "medium", "high", "critical")
ACTIONS: tuple[str, ...] = ("none", "nudge_child", "warn_sender", "hold_message", "open_case")
AGE_BANDS: tuple[str, ...] = ("under_13", "13-15", "16-17", "18+")
_BAND_ALIASES = {
    "under13": "under_13", "under_13": "under_13", "u13": "under_13", "child": "under_13", "<13": "under_13",
    "13-15": "13-15", "13_15": "13-15", "teen": "13-15", "16-17": "16-17", "16_17": "16-17",
    "18+": "18+", "adult": "18+", "18_plus": "18+", "over_18": "18+", "18plus": "18+",
    "minor": "minor", "unknown": None, "": None,
}
# A rough age for each band, to compare ages across bands ("minor" is a child of unknown band).
BAND_AGE = {"under_13": 11.0, "13-15": 14.0, "16-17": 16.5, "18+": 30.0, "minor": 14.0}


def band_for_age(age: float) -> str:
    if age < 13:
        return "under_13"
    if age < 16:
        return "13-15"
    if age < 18:
        return "16-17"
    return "18+"


def parse_age_band(value: Any) -> str | None:
    """Accept the bands and their common spellings; anything else is a clear error."""
    if value is None:
        return None
    key = str(value).strip().lower().replace(" ", "")
    if key not in _BAND_ALIASES:
        raise InvalidInput(f"unknown age band {value!r}; expected one of {', '.join(AGE_BANDS)}, minor or unknown")
    return _BAND_ALIASES[key]


def parse_sent_at(value: Any) -> float | None:
    """Seconds since the epoch from an ISO 8601 string or a number; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"sent_at must be a time, got {value!r}")
    if isinstance(value, (int, float)):
        v = float(value)
        return v / 1000.0 if v > 1e11 else v
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).strip()
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                return parse_sent_at(float(text))
            except ValueError:
                raise InvalidInput(f"sent_at {value!r} is not an ISO 8601 time or a number") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


@dataclass(slots=True)
class Message:
    """One chat message as the platform sees it. Ages are optional; contact context is optional too."""

    conversation_id: str
    message_id: str
    sender: str
    sent_at: Any
    text: str
    sender_age: float | None = None
    sender_age_band: str | None = None
    recipients: tuple[str, ...] = ()
    first_contact: bool | None = None
    connected: bool | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise InvalidInput(f"message {self.message_id!r}: text must be a string")
        for name in ("conversation_id", "message_id", "sender"):
            value = getattr(self, name)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise InvalidInput(f"message is missing {name}")
            if not isinstance(value, str):
                setattr(self, name, str(value))
        if self.sender_age is not None:
            if isinstance(self.sender_age, bool) or not isinstance(self.sender_age, (int, float)):
                try:
                    self.sender_age = float(self.sender_age)
                except (TypeError, ValueError):
                    raise InvalidInput(f"message {self.message_id!r}: sender_age {self.sender_age!r} is not a number") from None
            if not 0 <= float(self.sender_age) <= 130:
                raise InvalidInput(f"message {self.message_id!r}: sender_age {self.sender_age!r} is out of range")
        self.sender_age_band = parse_age_band(self.sender_age_band)
        self.recipients = tuple(str(r) for r in (self.recipients or ()))


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a signal was seen: characters [start, end) of one message's original text."""

    message_id: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"message_id": self.message_id, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class TacticScore:
    tactic: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"tactic": self.tactic, "score": round(self.score, 3), "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class PIISignal:
    """Personal details of one kind that a child shared in this conversation."""

    kind: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "score": round(self.score, 3), "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class MessageSignal:
    """A tactic or personal detail found in the message just observed."""

    kind: str
    name: str
    score: float
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "score": round(self.score, 3), "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Assessment:
    """Where a conversation stands after one more message."""

    conversation_id: str
    message_id: str
    risk: float
    level: str
    tactics: list[TacticScore]
    pii: list[PIISignal]
    recommended_action: str
    first_alert_message_id: str | None
    nudge: Any = None
    nudge_for: str | None = None
    message_signals: list[MessageSignal] = field(default_factory=list)
    suspect: str | None = None
    duplicate: bool = False  # the message id was seen moments ago; nothing was counted twice

    def to_dict(self) -> dict:
        """The ``scan-chat --json`` object, plus the streaming fields."""
        nudge = self.nudge.to_dict() if hasattr(self.nudge, "to_dict") else self.nudge
        return {
            "conversation_id": self.conversation_id,
            "risk": round(self.risk, 3),
            "level": self.level,
            "tactics": [t.to_dict() for t in self.tactics],
            "pii": [p.to_dict() for p in self.pii],
            "first_alert_message_id": self.first_alert_message_id,
            "message_id": self.message_id,
            "recommended_action": self.recommended_action,
            "nudge": nudge,
            "nudge_for": self.nudge_for,
            "message_signals": [s.to_dict() for s in self.message_signals],
        }
