"""GET /v1/conversations/{id} and GET /v1/users/{id}/risk: what childsafe has concluded so far."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Query, Request
from sqlalchemy import func, select
from starlette.responses import Response

from childsafe.cases.models import iso_utc
from childsafe.errors import NotFound
from childsafe.service import audit
from childsafe.service.auth import Moderate
from childsafe.service.models import ConversationRecord, IngestEvent, MessageText
from childsafe.service.schemas import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["read"], responses=PROBLEM_RESPONSES)

LEVELS = ("none", "low", "medium", "high", "critical")


def _json(data) -> Response:
    return Response(orjson.dumps(data, default=str), media_type="application/json")


@router.get("/conversations/{conversation_id}", summary="A conversation's assessment and evidence")
async def get_conversation(
    conversation_id: str,
    request: Request,
    who: Moderate,
    include_text: bool = Query(False, description="include the kept message text (written to the audit log)"),
) -> Response:
    svc = request.app.state.service
    with svc.db.session() as s:
        row = s.get(ConversationRecord, conversation_id)
        if row is None:
            raise NotFound(f"no conversation {conversation_id!r} (never seen, or past its retention)", code="unknown_conversation")
        assessment = orjson.loads(row.assessment)
        evidence_ids = sorted({e["message_id"] for t in assessment.get("tactics", []) for e in t.get("evidence", [])})
        kept = list(s.scalars(select(MessageText).where(MessageText.conversation_id == conversation_id).order_by(MessageText.sent_at)))
        out = {
            "conversation_id": conversation_id,
            "risk": row.risk,
            "level": row.level,
            "assessment": assessment,
            "evidence_message_ids": evidence_ids,
            "participants": row.participants,
            "case_id": row.case_id,
            "text_kept": row.keeps_text,
            "kept_messages": len(kept),
            "updated_at": iso_utc(row.updated_at),
        }
        if include_text:
            out["messages"] = [
                {"message_id": m.message_id, "sender_id": m.sender_id, "sent_at": m.sent_at, "text": m.text} for m in kept
            ]
            audit.record(s, who.actor, "conversation.read_text", f"conversation:{conversation_id}", {"messages": len(kept)})
        return _json(out)


@router.get("/users/{user_id}/risk", summary="A user's risk as a sender, over the events kept")
async def get_user_risk(user_id: str, request: Request, who: Moderate) -> Response:
    svc = request.app.state.service
    with svc.db.session() as s:
        rows = s.execute(
            select(IngestEvent.level, func.count(), func.max(IngestEvent.risk))
            .where(IngestEvent.sender_id == user_id)
            .group_by(IngestEvent.level)
        ).all()
        conversations = s.scalar(
            select(func.count(func.distinct(IngestEvent.conversation_id))).where(IngestEvent.sender_id == user_id)
        )
        last = s.execute(
            select(IngestEvent.created_at, IngestEvent.action).where(IngestEvent.sender_id == user_id)
            .order_by(IngestEvent.created_at.desc()).limit(1)
        ).first()
    by_level = {lvl: 0 for lvl in LEVELS}
    max_risk = 0.0
    for level, count, risk in rows:
        by_level[level] = by_level.get(level, 0) + count
        max_risk = max(max_risk, float(risk or 0.0))
    highest = max((lvl for lvl in LEVELS if by_level.get(lvl)), key=LEVELS.index, default="none")
    return _json({
        "user_id": user_id,
        "events": sum(by_level.values()),
        "conversations": conversations or 0,
        "max_risk": max_risk,
        "highest_level": highest,
        "events_by_level": by_level,
        "last_event_at": iso_utc(last[0]) if last else None,
        "last_action": last[1] if last else None,
    })
