"""Scanning a chat export (JSON Lines, one message a line) with the streaming engine.

The file is read line by line, never whole, so a conversation of a million messages costs the memory of
its bounded state. Lines that are not JSON, not objects, or lack a required field stop the scan with an
error naming the file and line; broken UTF-8 is replaced and reported; unknown fields are ignored.
Messages a little out of order are put back in order by ``sent_at`` through a small buffer per
conversation; anything later than that is taken as it comes (and counted), which the engine handles.
"""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from childsafe.conversation.engine import ConversationEngine
from childsafe.conversation.models import LEVELS, Assessment, Message, parse_sent_at
from childsafe.errors import InvalidInput

REQUIRED = ("conversation_id", "message_id", "sender", "sent_at", "text")
REORDER_WINDOW = 32          # messages held per conversation to undo small reorderings
MAX_BUFFERED = 200_000       # messages held across all conversations before the fullest buffer is drained
MAX_EVENTS = 200             # timeline entries kept per conversation for the readable report
SNIPPET = 80


@dataclass
class TimelineEvent:
    """A message worth showing in the readable timeline: it carried a signal or moved the level."""

    message_id: str
    sender: str
    level: str
    risk: float
    signals: list[tuple[str, str, float, str]]  # (kind, name, score, the words that showed it)


@dataclass
class ConversationReport:
    """What a scan found in one conversation: the ``scan-chat --json`` object."""

    conversation_id: str
    risk: float = 0.0
    level: str = "none"
    current_risk: float = 0.0
    messages: int = 0
    last: Assessment | None = None
    first_alert_message_id: str | None = None
    events: list[TimelineEvent] = field(default_factory=list)
    events_dropped: int = 0

    def to_dict(self) -> dict:
        last = self.last
        return {
            "conversation_id": self.conversation_id,
            "risk": round(self.risk, 3),
            "level": self.level,
            "tactics": [t.to_dict() for t in last.tactics] if last else [],
            "pii": [p.to_dict() for p in last.pii] if last else [],
            "first_alert_message_id": self.first_alert_message_id,
            "current_risk": round(self.current_risk, 3),
            "messages": self.messages,
        }


@dataclass
class ScanNotes:
    """Things about the input the user should hear of, without stopping the scan."""

    lines: int = 0
    messages: int = 0
    broken_utf8_lines: list[int] = field(default_factory=list)
    late_messages: int = 0
    duplicate_messages: int = 0

    def warnings(self, path: str) -> list[str]:
        out = []
        if self.broken_utf8_lines:
            shown = ", ".join(str(n) for n in self.broken_utf8_lines[:10])
            more = "" if len(self.broken_utf8_lines) <= 10 else f" and {len(self.broken_utf8_lines) - 10} more"
            out.append(f"{path}: broken UTF-8 on line(s) {shown}{more}; bad bytes were replaced with U+FFFD")
        if self.late_messages:
            out.append(f"{path}: {self.late_messages} message(s) arrived after later ones of their conversation "
                       f"(beyond the {REORDER_WINDOW}-message reorder window) and were taken in file order")
        if self.duplicate_messages:
            out.append(f"{path}: {self.duplicate_messages} repeated message id(s) were counted once")
        return out


def read_messages(path: str | Path, notes: ScanNotes | None = None) -> Iterator[tuple[int, Message]]:
    """Yield (line number, Message) from a JSON Lines chat export, streaming."""
    path = Path(path)
    notes = notes if notes is not None else ScanNotes()
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror or exc})") from None
    if path.is_dir():
        handle.close()
        raise InvalidInput(f"{path}: is a directory, expected a JSON Lines file")
    with handle:
        for number, raw in enumerate(handle, 1):
            notes.lines = number
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                notes.broken_utf8_lines.append(number)
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
                raise InvalidInput(f"{path}:{number}: not JSON ({msg})") from None
            yield number, message_from_row(row, f"{path}:{number}")
            notes.messages += 1


def message_from_row(row: Any, where: str) -> Message:
    """One message from a decoded JSON object; errors say where and which field."""
    if not isinstance(row, dict):
        raise InvalidInput(f"{where}: expected a JSON object, got {type(row).__name__}")
    missing = [k for k in REQUIRED if k not in row or row[k] is None]
    if missing:
        raise InvalidInput(f"{where}: missing field(s) {', '.join(missing)}")
    text = row["text"]
    if not isinstance(text, str):
        raise InvalidInput(f"{where}: text must be a string, got {type(text).__name__}")
    for key in ("conversation_id", "message_id", "sender"):
        if not isinstance(row[key], (str, int)) or isinstance(row[key], bool):
            raise InvalidInput(f"{where}: {key} must be a string or a number")
    try:
        parse_sent_at(row["sent_at"])
        return Message(
            conversation_id=str(row["conversation_id"]),
            message_id=str(row["message_id"]),
            sender=str(row["sender"]),
            sent_at=row["sent_at"],
            text=text,
            sender_age=row.get("sender_age"),
            sender_age_band=row.get("sender_age_band"),
            recipients=tuple(row.get("recipients") or ()) if isinstance(row.get("recipients"), list) else (),
            first_contact=row.get("first_contact") if isinstance(row.get("first_contact"), bool) else None,
            connected=row.get("connected") if isinstance(row.get("connected"), bool) else None,
        )
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc.message}") from None


class ChatScan:
    """Feeds a chat export through the engine, conversation by conversation, in ``sent_at`` order."""

    def __init__(self, engine: ConversationEngine | None = None, *, keep_events: bool = True) -> None:
        self.engine = engine or ConversationEngine(max_conversations=10_000_000)
        self.keep_events = keep_events
        self.reports: dict[str, ConversationReport] = {}
        self.notes = ScanNotes()
        self._buffers: dict[str, list[tuple[float, int, Message]]] = {}
        self._released: dict[str, float] = {}
        self._buffered = 0

    def run(self, path: str | Path) -> list[ConversationReport]:
        for number, message in read_messages(path, self.notes):
            self._push(number, message)
        for cid in list(self._buffers):
            self._drain(cid)
        return list(self.reports.values())

    def _push(self, number: int, message: Message) -> None:
        cid = message.conversation_id
        if cid not in self.reports:
            self.reports[cid] = ConversationReport(cid)
        t = parse_sent_at(message.sent_at)
        key = t if t is not None else float("-inf")
        buf = self._buffers.setdefault(cid, [])
        heapq.heappush(buf, (key, number, message))
        self._buffered += 1
        if len(buf) > REORDER_WINDOW:
            self._release(cid, heapq.heappop(buf))
        if self._buffered > MAX_BUFFERED:
            fullest = max(self._buffers, key=lambda c: len(self._buffers[c]))
            self._drain(fullest)

    def _drain(self, cid: str) -> None:
        buf = self._buffers.get(cid, [])
        while buf:
            self._release(cid, heapq.heappop(buf))
        self._buffers.pop(cid, None)

    def _release(self, cid: str, item: tuple[float, int, Message]) -> None:
        self._buffered -= 1
        key, _, message = item
        last = self._released.get(cid)
        if last is not None and key < last:
            self.notes.late_messages += 1
        else:
            self._released[cid] = key
        report = self.reports[cid]
        before = report.last.level if report.last else "none"
        a = self.engine.observe(message)
        if a.duplicate:
            self.notes.duplicate_messages += 1
            return
        report.messages += 1
        report.last = a
        report.current_risk = a.risk
        if a.risk >= report.risk:
            report.risk = a.risk
        if LEVELS.index(a.level) > LEVELS.index(report.level):
            report.level = a.level
        report.first_alert_message_id = a.first_alert_message_id
        if self.keep_events and (a.message_signals or a.level != before):
            if len(report.events) < MAX_EVENTS:
                report.events.append(TimelineEvent(
                    a.message_id, message.sender, a.level, a.risk,
                    [(s.kind, s.name, s.score, _snippet(message.text, s.start, s.end)) for s in a.message_signals]))
            else:
                report.events_dropped += 1


def _snippet(text: str, start: int, end: int) -> str:
    piece = text[start:end]
    if len(piece) > SNIPPET:
        piece = piece[: SNIPPET - 1] + "…"
    return "".join(ch if ch.isprintable() else " " for ch in piece)


def scan_file(path: str | Path, engine: ConversationEngine | None = None, *,
              keep_events: bool = True) -> tuple[list[ConversationReport], ScanNotes]:
    """Scan a JSON Lines chat export; returns one report per conversation, in order of first appearance.

    ``keep_events=False`` skips the readable timeline (less memory when there are many conversations)."""
    scan = ChatScan(engine, keep_events=keep_events)
    reports = scan.run(path)
    return reports, scan.notes
