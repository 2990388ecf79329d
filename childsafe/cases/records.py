"""Opening and moving cases; the service calls these inside the transaction that made the decision."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from childsafe.cases.models import CASE_PRIORITIES, CASE_STATES, Case
from childsafe.errors import InvalidInput, NotFound


def open_case(
    session: Session,
    *,
    trigger_kind: str,
    reason: str,
    evidence: list[dict],
    priority: str = "normal",
    trigger_event_id: str | None = None,
    subject_user_id: str | None = None,
    conversation_id: str | None = None,
    case_id: str | None = None,
) -> Case:
    if priority not in CASE_PRIORITIES:
        raise InvalidInput(f"priority must be one of {', '.join(CASE_PRIORITIES)}, not {priority!r}", code="bad_priority")
    now = datetime.now(timezone.utc)
    case = Case(
        id=case_id or f"case_{uuid.uuid4().hex}",
        trigger_kind=trigger_kind,
        trigger_event_id=trigger_event_id,
        trigger_reason=reason[:500],
        subject_user_id=subject_user_id,
        conversation_id=conversation_id,
        evidence=evidence,
        priority=priority,
        priority_rank=CASE_PRIORITIES.index(priority),
        state="open",
        opened_at=now,
        updated_at=now,
    )
    session.add(case)
    return case


def open_case_for_conversation(session: Session, conversation_id: str) -> Case | None:
    """The case still open for a conversation, so a conversation gets one case, not one per message."""
    return session.scalars(
        select(Case).where(Case.conversation_id == conversation_id, Case.state != "closed").limit(1)
    ).first()


def get_case(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id!r}", code="unknown_case")
    return case


def list_cases(session: Session, *, state: str | None = None, limit: int = 50) -> list[Case]:
    query = select(Case).order_by(Case.priority_rank.desc(), Case.opened_at.desc()).limit(limit)
    if state is not None:
        if state not in CASE_STATES:
            raise InvalidInput(f"state must be one of {', '.join(CASE_STATES)}, not {state!r}", code="bad_case_state")
        query = query.where(Case.state == state)
    return list(session.scalars(query))


def set_state(session: Session, case_id: str, state: str) -> Case:
    if state not in CASE_STATES:
        raise InvalidInput(f"state must be one of {', '.join(CASE_STATES)}, not {state!r}", code="bad_case_state")
    case = get_case(session, case_id)
    case.state = state
    case.updated_at = datetime.now(timezone.utc)
    return case
