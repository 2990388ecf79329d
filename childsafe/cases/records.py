"""Opening, claiming, deciding and closing cases.

The service calls :func:`open_case` inside the transaction that made the decision. Review work goes
through :func:`claim` and :func:`decide`, which check the version the reviewer saw: a case someone else
changed meanwhile is refused with :class:`~childsafe.errors.Conflict` (HTTP 409) and nothing is changed.

Lifecycle: open -> in_review -> actioned -> reported -> closed (a dismissed case goes straight to closed).
Priority: imminent harm (live streams, critical grooming) ranks above every other case, then
urgent > high > normal > low, then the oldest first.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from childsafe.cases.models import CASE_PRIORITIES, CASE_STATES, Case, CaseFeedback, StatementOfReasons, as_utc
from childsafe.errors import Conflict, InvalidInput, NotFound

RETENTION_DAYS = 365  # the US REPORT Act asks providers to preserve reported material for one year
QUEUE_STATES = ("open", "in_review")
TRANSITIONS = {
    "open": {"in_review", "actioned", "closed"},
    "in_review": {"open", "actioned", "closed"},
    "actioned": {"reported", "closed"},
    "reported": {"closed"},
    "closed": set(),
}
LIVE_TRIGGERS = ("live_known_media", "live_nudity", "live_stream")


def is_imminent(trigger_kind: str, priority: str) -> bool:
    """Imminent harm: a live stream, or grooming the engine rated critical (the service opens those urgent)."""
    return trigger_kind.startswith("live") or (trigger_kind == "conversation" and priority == "urgent") \
        or trigger_kind == "child_report" and priority == "urgent"


def priority_rank(trigger_kind: str, priority: str) -> int:
    base = CASE_PRIORITIES.index(priority)
    return base + len(CASE_PRIORITIES) if is_imminent(trigger_kind, priority) else base


def _now() -> datetime:
    return datetime.now(timezone.utc)


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
    opened_at: datetime | None = None,
) -> Case:
    if priority not in CASE_PRIORITIES:
        raise InvalidInput(f"priority must be one of {', '.join(CASE_PRIORITIES)}, not {priority!r}", code="bad_priority")
    now = opened_at or _now()
    case = Case(
        id=case_id or f"case_{uuid.uuid4().hex}",
        trigger_kind=trigger_kind,
        trigger_event_id=trigger_event_id,
        trigger_reason=reason[:500],
        subject_user_id=subject_user_id,
        conversation_id=conversation_id,
        evidence=evidence,
        priority=priority,
        priority_rank=priority_rank(trigger_kind, priority),
        state="open",
        opened_at=now,
        updated_at=now,
        escalated=False,
        legal_hold=False,
        retain_until=now + timedelta(days=RETENTION_DAYS),
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


def queue(session: Session, *, limit: int = 100, offset: int = 0) -> tuple[list[Case], int]:
    """Cases waiting for a reviewer, imminent harm first, then by priority, then the oldest; and how many wait."""
    where = Case.state.in_(QUEUE_STATES)
    total = int(session.scalar(select(func.count()).select_from(Case).where(where)) or 0)
    rows = session.scalars(
        select(Case).where(where).order_by(Case.priority_rank.desc(), Case.opened_at.asc(), Case.id)
        .limit(limit).offset(offset)
    )
    return list(rows), total


def set_state(session: Session, case_id: str, state: str, *, expected_version: int | None = None) -> Case:
    if state not in CASE_STATES:
        raise InvalidInput(f"state must be one of {', '.join(CASE_STATES)}, not {state!r}", code="bad_case_state")
    case = get_case(session, case_id)
    check_version(case, expected_version)
    now = _now()
    case.state = state
    case.updated_at = now
    if state == "actioned" and case.actioned_at is None:
        case.actioned_at = now
    if state == "closed" and case.closed_at is None:
        case.closed_at = now
    return case


def check_version(case: Case, expected_version: int | None) -> None:
    """Refuse a change made against a version of the case other than the current one."""
    if expected_version is not None and int(expected_version) != case.version:
        raise Conflict(
            f"case {case.id} was changed by someone else since you opened it (you saw version {expected_version}, "
            f"it is now version {case.version}{', ' + case.state if case.state else ''}"
            f"{', by ' + case.decided_by if case.decided_by else ''}); nothing was changed, reload it and decide again",
            code="case_changed", current_version=case.version, your_version=int(expected_version),
        )


def _move(case: Case, state: str) -> None:
    if state != case.state and state not in TRANSITIONS[case.state]:
        raise Conflict(f"case {case.id} is {case.state}; it cannot move to {state}", code="bad_transition")
    case.state = state
    case.updated_at = _now()


def _flush(session: Session, case: Case) -> Case:
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(f"case {case.id} was changed by someone else at the same moment; nothing was changed, "
                       "reload it and decide again", code="case_changed") from None
    return case


def claim(session: Session, case_id: str, actor: str, *, expected_version: int | None = None) -> Case:
    """Take a case for review (assign it to ``actor``); a case someone else holds is left with them."""
    case = get_case(session, case_id)
    check_version(case, expected_version)
    if case.state == "open" and case.assignee is None:
        case.assignee = actor
        _move(case, "in_review")
        return _flush(session, case)
    return case


def assign(session: Session, case_id: str, assignee: str | None, *, expected_version: int | None = None) -> Case:
    case = get_case(session, case_id)
    check_version(case, expected_version)
    case.assignee = assignee
    if case.state == "in_review" and assignee is None:
        _move(case, "open")
    case.updated_at = _now()
    return _flush(session, case)


def _detector(case: Case) -> str:
    return case.trigger_kind or "manual"


RESTRICTIONS = {
    "media_match": "removal_of_content",
    "live_known_media": "suspension_of_live_stream",
    "live_nudity": "suspension_of_live_stream",
    "conversation": "restriction_of_account",
    "manual": "restriction_of_account",
}


def decide(session: Session, case_id: str, actor: str, action: str, *, expected_version: int | None,
           note: str = "", now: datetime | None = None) -> tuple[Case, list[dict]]:
    """A reviewer's decision: ``confirm``, ``dismiss`` (false positive), ``escalate`` or ``close``.

    Returns the case and follow-up work to do after this transaction commits (bank entries to disable),
    so a refused decision leaves everything as it was. Confirming writes a DSA statement of reasons.
    """
    case = get_case(session, case_id)
    check_version(case, expected_version)
    now = now or _now()
    follow_up: list[dict] = []
    detector = _detector(case)
    if action == "confirm":
        if case.state not in ("open", "in_review"):
            raise Conflict(f"case {case.id} is already {case.state}; only an open case can be confirmed",
                           code="bad_transition")
        _move(case, "actioned")
        case.decision, case.decided_by, case.actioned_at = "confirmed", actor, now
        case.assignee = case.assignee or actor
        if detector != "manual":
            session.add(CaseFeedback(case_id=case.id, detector=detector, verdict="true_positive",
                                     subject=_feedback_subject(case), detail={}, actor=actor, at=now))
        session.add(_statement(case, now))
    elif action == "dismiss":
        if case.state not in ("open", "in_review"):
            raise Conflict(f"case {case.id} is already {case.state}; only an open case can be dismissed",
                           code="bad_transition")
        _move(case, "closed")
        case.decision, case.decided_by, case.closed_at = "dismissed", actor, now
        detail: dict = {"note": note[:500]} if note else {}
        if case.conversation_id and detector == "conversation":
            detail["conversation_id"] = case.conversation_id
        session.add(CaseFeedback(case_id=case.id, detector=detector, verdict="false_positive",
                                 subject=_feedback_subject(case), detail=detail, actor=actor, at=now))
        for ref in case.evidence or []:
            if ref.get("kind") == "bank_entry" and ref.get("bank") and ref.get("entry_id") is not None:
                follow_up.append({"disable_entry": (ref["bank"], int(ref["entry_id"])),
                                  "reason": f"false positive in {case.id}" + (f": {note}" if note else "")})
    elif action == "escalate":
        if case.state not in ("open", "in_review"):
            raise Conflict(f"case {case.id} is {case.state}; only an open case can be escalated", code="bad_transition")
        case.escalated = True
        case.priority = "urgent"
        case.priority_rank = max(case.priority_rank, priority_rank(case.trigger_kind, "urgent"))
        case.assignee = None
        _move(case, "open")
    elif action == "close":
        _move(case, "closed")
        case.closed_at = now
    else:
        raise InvalidInput(f"unknown decision {action!r}; use confirm, dismiss, escalate or close", code="bad_decision")
    return _flush(session, case), follow_up


def _feedback_subject(case: Case) -> str:
    entries = [f"{r.get('bank')}#{r.get('entry_id')}" for r in case.evidence or [] if r.get("kind") == "bank_entry"]
    if entries:
        return ",".join(entries)[:300]
    return (case.trigger_reason or "")[:300]


def _statement(case: Case, now: datetime) -> StatementOfReasons:
    detector = _detector(case)
    return StatementOfReasons(
        id=f"sor_{uuid.uuid4().hex}", case_id=case.id, subject_user_id=case.subject_user_id,
        restriction=RESTRICTIONS.get(detector, "restriction_of_account"),
        ground="incompatible_content",
        legal_ground="terms of service: child sexual exploitation and grooming are prohibited",
        category="protection_of_minors",
        facts=(case.trigger_reason or "")[:1000],
        automated_detection=detector != "manual",
        automated_decision=False,  # a reviewer confirmed it
        detector=detector, detected_at=case.opened_at, created_at=now,
    )


def apply_follow_up(db, follow_up: list[dict], actor: str) -> list[dict]:
    """Disable the bank entries a dismissal named (after the case change committed)."""
    from childsafe.banks import BankStore

    done = []
    store = BankStore(db)
    for item in follow_up:
        bank, entry_id = item["disable_entry"]
        try:
            store.disable_entry(bank, entry_id, item["reason"], by=actor)
            done.append({"bank": bank, "entry_id": entry_id, "disabled": True})
        except Conflict:
            done.append({"bank": bank, "entry_id": entry_id, "disabled": True, "already": True})
        except NotFound:
            done.append({"bank": bank, "entry_id": entry_id, "disabled": False, "missing": True})
    return done


def raise_priority(session: Session, case_id: str, priority: str) -> Case:
    """Raise (never lower) a waiting case's priority, e.g. when its conversation reaches critical risk
    after the case opened; the queue order follows at once (critical grooming ranks as imminent harm)."""
    if priority not in CASE_PRIORITIES:
        raise InvalidInput(f"priority must be one of {', '.join(CASE_PRIORITIES)}, not {priority!r}", code="bad_priority")
    case = get_case(session, case_id)
    if case.state in QUEUE_STATES and CASE_PRIORITIES.index(priority) > CASE_PRIORITIES.index(case.priority):
        case.priority = priority
        case.priority_rank = max(case.priority_rank, priority_rank(case.trigger_kind, priority))
        case.updated_at = _now()
        _flush(session, case)
    return case


def escalate_critical_conversation(session: Session, case_id: str) -> None:
    """The service's hook when a conversation with a waiting case reaches critical risk: the case becomes
    urgent (imminent harm, top of the queue). One UPDATE that never fails the message it rides with; it
    bumps the version, so a reviewer deciding on the older view is asked to reload."""
    from sqlalchemy import update

    rank = priority_rank("conversation", "urgent")
    session.execute(
        update(Case).where(Case.id == case_id, Case.state.in_(QUEUE_STATES), Case.priority_rank < rank)
        .values(priority="urgent", priority_rank=rank, version=Case.version + 1, updated_at=_now())
        .execution_options(synchronize_session=False)
    )


def mark_reported(session: Session, case: Case, now: datetime | None = None) -> Case:
    """A confirmed report left for the authorities: evidence is kept a year from now (REPORT Act)."""
    now = now or _now()
    _move(case, "reported")
    retain = now + timedelta(days=RETENTION_DAYS)
    if case.retain_until is None or as_utc(case.retain_until) < retain:
        case.retain_until = retain
    return _flush(session, case)


def set_legal_hold(session: Session, case_id: str, hold: bool) -> Case:
    case = get_case(session, case_id)
    case.legal_hold = hold
    case.updated_at = _now()
    return _flush(session, case)


def user_view(session: Session, user_id: str) -> dict:
    """Everything about one account: its cases, its conversations, its media matches (grooming shows across)."""
    from childsafe.service.models import ConversationRecord, IngestEvent

    cases = list(session.scalars(select(Case).where(Case.subject_user_id == user_id).order_by(Case.opened_at.desc())))
    needle = f'%"{user_id}"%'
    conversations = session.execute(
        select(ConversationRecord.conversation_id, ConversationRecord.level, ConversationRecord.risk,
               ConversationRecord.case_id, ConversationRecord.updated_at)
        .where(or_(cast(ConversationRecord.participants, String).like(needle),
                   ConversationRecord.conversation_id.in_(
                       select(IngestEvent.conversation_id).where(IngestEvent.sender_id == user_id,
                                                                 IngestEvent.conversation_id.is_not(None)))))
        .order_by(ConversationRecord.risk.desc()).limit(500)
    ).all()
    matches = session.execute(
        select(IngestEvent.event_id, IngestEvent.created_at, IngestEvent.signals, IngestEvent.content_sha256)
        .where(IngestEvent.sender_id == user_id, IngestEvent.kind == "media", IngestEvent.action != "none")
        .order_by(IngestEvent.created_at.desc()).limit(500)
    ).all()
    return {
        "user_id": user_id,
        "cases": [c.to_dict() for c in cases],
        "conversations": [
            {"conversation_id": r[0], "level": r[1], "risk": r[2], "case_id": r[3],
             "updated_at": as_utc(r[4]).isoformat() if r[4] else None} for r in conversations
        ],
        "matches": [
            {"event_id": r[0], "at": as_utc(r[1]).isoformat() if r[1] else None, "content_sha256": r[3],
             "matches": (r[2] or {}).get("matches", [])} for r in matches
        ],
    }
