"""What the console's pages show, gathered from the database (kept apart from the routes so the bench and
tests can time and check it without HTTP)."""

from __future__ import annotations

from datetime import datetime, timezone

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from childsafe.cases import queue
from childsafe.cases.custody import evidence_items
from childsafe.cases.models import Case, Report, as_utc
from childsafe.errors import ChildsafeError

PAGE_SIZE = 100


def age_text(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return ""
    seconds = max(0, int(((now or datetime.now(timezone.utc)) - as_utc(when)).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def queue_view(session: Session, page: int = 1) -> dict:
    page = max(1, page)
    rows, total = queue(session, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    now = datetime.now(timezone.utc)
    items = [{
        "id": c.id, "priority": c.priority, "imminent": c.imminent, "escalated": bool(c.escalated),
        "trigger": c.trigger_kind, "reason": c.trigger_reason, "subject": c.subject_user_id, "state": c.state,
        "assignee": c.assignee, "age": age_text(c.opened_at, now), "opened_at": as_utc(c.opened_at).isoformat(),
    } for c in rows]
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    return {"items": items, "total": total, "page": page, "pages": pages}


def highlight(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """Split ``text`` into (segment, tactic-or-None) so each tactic's evidence span can be marked."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, tactic in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], tactic))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _assessment(session: Session, conversation_id: str | None) -> dict:
    if not conversation_id:
        return {}
    from childsafe.service.models import ConversationRecord

    raw = session.scalar(select(ConversationRecord.assessment).where(ConversationRecord.conversation_id == conversation_id))
    if not raw:
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {}


def _matches(session: Session, case: Case, banks) -> list[dict]:
    from childsafe.service.models import IngestEvent

    found: list[dict] = []
    if case.trigger_event_id:
        signals = session.scalar(select(IngestEvent.signals).where(IngestEvent.event_id == case.trigger_event_id)) or {}
        found += [dict(m) for m in signals.get("matches", [])]
    for ref in case.evidence or []:
        if ref.get("kind") == "live_stream":
            found += [dict(m) for m in ref.get("matches") or [] if isinstance(m, dict)]
    if not found:
        found = [{"bank": r.get("bank"), "entry_id": r.get("entry_id"), "distance": None}
                 for r in case.evidence or [] if r.get("kind") == "bank_entry"]
    for m in found:
        m["labels"], m["active"] = [], None
        if banks is not None and m.get("bank") and m.get("entry_id") is not None:
            try:
                entry = banks.entry(m["bank"], int(m["entry_id"]))
                m["labels"], m["active"] = list(entry.labels), entry.active
            except (ChildsafeError, ValueError, TypeError):
                pass
    return found


def case_view(session: Session, case: Case, banks=None) -> dict:
    from childsafe.service.models import MessageText

    assessment = _assessment(session, case.conversation_id)
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for t in assessment.get("tactics", []):
        for e in t.get("evidence", []):
            spans.setdefault(e["message_id"], []).append((int(e["start"]), int(e["end"]), t["tactic"]))
    evidence_ids = {r.get("message_id") for r in case.evidence or [] if r.get("kind") == "message"}
    messages = []
    if case.conversation_id:
        for m in session.scalars(select(MessageText).where(MessageText.conversation_id == case.conversation_id)
                                 .order_by(MessageText.sent_at, MessageText.message_id).limit(2000)):
            messages.append({"id": m.message_id, "sender": m.sender_id, "sent_at": m.sent_at,
                             "subject": m.sender_id == case.subject_user_id, "evidence": m.message_id in evidence_ids,
                             "segments": highlight(m.text, spans.get(m.message_id, []))})
    tactics = [{"tactic": t["tactic"], "score": t.get("score"), "count": len(t.get("evidence", []))}
               for t in assessment.get("tactics", [])]
    reports = list(session.scalars(select(Report).where(Report.case_id == case.id).order_by(Report.created_at)))
    return {
        "case": case.to_dict(),
        "level": assessment.get("level"), "risk": assessment.get("risk"),
        "tactics": tactics, "messages": messages,
        "matches": _matches(session, case, banks),
        "media": [{"name": r["name"], "content_type": r.get("content_type"), "sha256": r.get("sha256"),
                   "bytes": r.get("bytes"), "frame_time": r.get("frame_time")} for r in evidence_items(case)],
        "reports": [r.to_dict() for r in reports],
        "other_refs": [r for r in case.evidence or [] if r.get("kind") not in ("message", "encrypted_file")],
    }


def bar_chart(data: dict, *, width: int = 360, bar: int = 22, fmt: str = "{:g}") -> dict:
    """Bars for an inline SVG chart (no script, no library): label, value, length in pixels."""
    items = [(str(k), v) for k, v in data.items() if isinstance(v, (int, float))]
    top = max([v for _, v in items] + [0]) or 1
    label_w = 190
    bars = [{"label": k, "value": fmt.format(v), "y": i * (bar + 8), "w": max(1, int((width - label_w - 60) * v / top)),
             "x": label_w} for i, (k, v) in enumerate(items)]
    return {"bars": bars, "height": max(bar, len(bars) * (bar + 8)), "width": width, "bar": bar}
