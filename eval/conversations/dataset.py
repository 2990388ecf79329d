"""Labelled conversations for evaluation, from our JSONL files or from other corpora.

Every loader returns ``LabelledConversation`` objects, so the runner measures any source the same
way: our written set (``load_split``), benign dialogue nobody here wrote (``load_chatterbot``) and
the PAN 2012 sexual-predator-identification corpus for those who hold it (``eval.conversations.pan2012``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from childsafe.errors import InvalidInput

DATA_DIR = Path(__file__).resolve().parent / "data"
SPLITS = ("dev", "validation", "fresh", "test")
MESSAGE_FIELDS = ("conversation_id", "message_id", "sender", "sent_at", "text", "sender_age")
TACTICS = (
    "age_identity_probing", "flattery_special_relationship", "gifts_offers", "secrecy",
    "isolation_exclusivity", "risk_assessment", "platform_move", "photo_camera_request", "meeting_request",
    "guilt_pressure", "threats_sextortion", "body_relationship_steering", "location_probing",
)


@dataclass
class LabelledMessage:
    conversation_id: str
    message_id: str
    sender: str
    sent_at: str
    text: str
    sender_age: int | None = None
    tactics: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    sender_role: str | None = None

    def message_fields(self) -> dict:
        """The fields a platform would send (what ``scan-chat`` reads); labels left out."""
        out = {k: getattr(self, k) for k in MESSAGE_FIELDS}
        if out["sender_age"] is None:
            del out["sender_age"]
        return out


@dataclass
class LabelledConversation:
    conversation_id: str
    label: str  # grooming | benign
    category: str
    split: str
    source: str
    messages: list[LabelledMessage] = field(default_factory=list)

    @property
    def is_grooming(self) -> bool:
        return self.label == "grooming"


def write_jsonl(path: str | Path, rows: list[dict]) -> str:
    """Write message rows (one JSON object a line) and say what was written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return f"{path}: {len({r['conversation_id'] for r in rows})} conversations, {len(rows)} messages"


def load_jsonl(path: str | Path, *, source: str = "childsafe") -> list[LabelledConversation]:
    """Read labelled message lines; errors name the file and line."""
    path = Path(path)
    conversations: dict[str, LabelledConversation] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from exc
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path}:{number}: not JSON ({exc.msg})") from exc
            missing = [k for k in ("conversation_id", "message_id", "sender", "sent_at", "text", "label") if k not in row]
            if missing:
                raise InvalidInput(f"{path}:{number}: missing {', '.join(missing)}")
            unknown = [t for t in row.get("tactics", []) if t not in TACTICS]
            if unknown:
                raise InvalidInput(f"{path}:{number}: unknown tactic {unknown[0]!r}")
            cid = row["conversation_id"]
            conv = conversations.get(cid)
            if conv is None:
                conv = conversations[cid] = LabelledConversation(
                    cid, row["label"], row.get("category", row["label"]), row.get("split", ""), source)
            conv.messages.append(LabelledMessage(
                cid, row["message_id"], row["sender"], row["sent_at"], row["text"], row.get("sender_age"),
                list(row.get("tactics", [])), list(row.get("cues", [])), row.get("sender_role")))
    return list(conversations.values())


def load_split(split: str) -> list[LabelledConversation]:
    """Our written conversations: ``dev`` (tune on it), ``validation`` (written apart from the pools, see
    ``eval.conversations.validation``; tune on it too), ``fresh`` (72 conversations of the issue's hard
    kinds written by someone who had seen neither the rules nor the other sets; see docs/evaluation.md)
    or ``test`` (held out, report only)."""
    if split not in SPLITS:
        raise InvalidInput(f"unknown split {split!r}: use {', '.join(SPLITS)}")
    return load_jsonl(DATA_DIR / f"{split}.jsonl")
