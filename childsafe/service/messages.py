"""Deciding on one chat message: assess the conversation, check the policy for each recipient, pick the
actions, and write the event, the conversation state, any evidence text, a case and the webhooks in one
transaction before answering.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone
from typing import Any

import orjson
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from childsafe.service.conversations import ConversationView, StaleConversation, WindowMessage
from childsafe.service.models import ConversationRecord, IngestEvent, MessageText, OutboxEvent
from childsafe.service.outbox import new_event_id, outbox_row
from childsafe.service.people import child_band, person_for
from childsafe.service.problems import Problem
from childsafe.service.schemas import MessageIn

ACTION_SEVERITY = ("none", "nudge_child", "warn_sender", "hold_message", "restrict_user", "open_case")
KEEP_TEXT_LEVELS = frozenset({"medium", "high", "critical"})
CASE_LEVELS = frozenset({"high", "critical"})
CASE_PRIORITY = {"high": "high", "critical": "urgent"}


def most_severe(actions: list[str]) -> str:
    return max(actions, key=lambda a: ACTION_SEVERITY.index(a) if a in ACTION_SEVERITY else 0, default="none")


def _assessment_out(assessment: Any) -> tuple[dict, list]:
    data = assessment.to_dict()
    tactics = [
        {
            "tactic": t["tactic"],
            "score": t["score"],
            "evidence": [
                {"message_id": e["message_id"], "start": e["start"], "end": e["end"]} for e in t.get("evidence", [])
            ],
        }
        for t in data.get("tactics", [])
    ]
    out = {
        "risk": data["risk"],
        "level": data["level"],
        "tactics": tactics,
        "recommended_action": data.get("recommended_action", "none"),
        "first_alert_message_id": data.get("first_alert_message_id"),
    }
    return out, list(data.get("pii", []))


async def decide_message(svc, msg: MessageIn, *, idempotency: tuple[str, str] | None = None) -> bytes:
    """Process one message; returns the JSON answer, once everything it decided has been committed."""
    tracker = svc.conversations
    cid = msg.conversation_id
    async with tracker.lock(cid):
        for _attempt in range(5):
            view = tracker.prepare(cid)
            try:
                body, write, after = _process(svc, msg, view, idempotency)
            except Exception:  # the engine may have taken the message in: reload the stored state next time
                tracker.forget(cid)
                raise
            try:
                await svc.committer.write(write)
            except StaleConversation:
                tracker.forget(cid)
                continue
            except IntegrityError:
                tracker.forget(cid)
                raise
            except Exception as exc:
                tracker.forget(cid)
                raise Problem(503, "storage_unavailable", f"the event could not be stored ({type(exc).__name__}); retry") from exc
            after()
            return body
    raise Problem(409, "conversation_busy", f"conversation {cid!r} is being changed by another worker; retry")


def _process(svc, msg: MessageIn, view: ConversationView, idempotency):
    from childsafe.conversation import Message
    from childsafe.policy import Context

    settings = svc.settings
    tracker = svc.conversations
    now = datetime.now(timezone.utc)
    cid = msg.conversation_id
    sender = person_for(svc, msg.sender)
    recipients = [(r, person_for(svc, r)) for r in msg.recipients]
    if len(msg.text) > settings.max_text_chars:
        raise Problem(422, "text_too_long", f"text is {len(msg.text)} characters; the limit is {settings.max_text_chars}")

    message = Message(
        conversation_id=cid,
        message_id=msg.message_id,
        sender=msg.sender.id,
        sent_at=msg.sent_at,
        text=msg.text,
        sender_age=sender.age,
        sender_age_band=child_band(svc, sender),
        recipients=tuple(r.id for r, _ in recipients),
        connected=msg.connected,
    )
    assessment = tracker.engine.observe(message)
    assessment_out, pii = _assessment_out(assessment)
    level = assessment_out["level"]

    policy_action = "send_message" if view.version > 0 else "start_dm"
    context = Context(connected=bool(msg.connected), actor_flagged=level in CASE_LEVELS)
    checks = []
    for party, person in recipients:
        decision = svc.policy.check(policy_action, sender, person, context).to_dict()
        checks.append({"recipient_id": party.id, "action": policy_action, **decision})
    policy_allowed = all(c["allowed"] for c in checks)

    actions = []
    if assessment_out["recommended_action"] not in ("none", None):
        actions.append(assessment_out["recommended_action"])
    if not policy_allowed:
        actions.append("hold_message")
    if level == "critical":
        actions.append("restrict_user")
    nudge = _nudge_for(svc, assessment, msg, sender, recipients)
    if nudge is not None and "nudge_child" not in actions:
        actions.append("nudge_child")
    opens_case = view.case_id is None and (level in CASE_LEVELS or "open_case" in actions)
    if view.case_id is not None and "open_case" in actions:
        actions.remove("open_case")
    if opens_case and "open_case" not in actions:
        actions.append("open_case")
    actions = sorted(set(actions), key=ACTION_SEVERITY.index)
    action = most_severe(actions)

    event_id = new_event_id()
    case_id = view.case_id or (f"case_{uuid.uuid4().hex}" if opens_case else None)
    keeps_text = view.keeps_text or level in KEEP_TEXT_LEVELS or opens_case
    tactic_names = [t["tactic"] for t in assessment_out["tactics"]]
    webhooks = []
    for a in actions:
        payload = {
            "action": a,
            "source_event_id": event_id,
            "conversation_id": cid,
            "message_id": msg.message_id,
            "sender_id": msg.sender.id,
            "recipient_ids": [r.id for r, _ in recipients],
            "risk": assessment_out["risk"],
            "level": level,
            "tactics": tactic_names,
            "case_id": case_id,
        }
        if a == "nudge_child" and nudge is not None:
            payload["nudge"] = nudge
        if a == "hold_message":
            payload["policy"] = [c for c in checks if not c["allowed"]]
        webhooks.append(outbox_row(a, payload, now=now))

    answer = {
        "event_id": event_id,
        "conversation_id": cid,
        "message_id": msg.message_id,
        "action": action,
        "actions": actions,
        "assessment": assessment_out,
        "pii": pii,
        "policy": {"allowed": policy_allowed, "checks": checks},
        "nudge": nudge,
        "case_id": case_id,
        "webhooks": [w["event_id"] for w in webhooks],
    }
    body = orjson.dumps(answer)

    window = tracker.window(cid)
    current = WindowMessage(msg.message_id, msg.sender.id, msg.sent_at.isoformat(), msg.text)
    texts: list[WindowMessage] = []
    if keeps_text:
        texts = [current] if view.keeps_text else [*window, current]
    participants = sorted({*view.participants, msg.sender.id, *(r.id for r, _ in recipients)})
    state_bytes = orjson.dumps(tracker.engine.export_state(cid))
    assessment_bytes = orjson.dumps({**assessment_out, "pii": pii, "message_id": msg.message_id})
    event_row = {
        "event_id": event_id,
        "kind": "message",
        "conversation_id": cid,
        "message_id": msg.message_id,
        "sender_id": msg.sender.id,
        "action": action,
        "risk": float(assessment_out["risk"]),
        "level": level,
        "content_sha256": hashlib.sha256(msg.text.encode("utf-8")).hexdigest(),
        "signals": {
            "tactics": [{"tactic": t["tactic"], "score": t["score"]} for t in assessment_out["tactics"]],
            "pii": sorted({p.get("kind", "") for p in pii}),
            "policy_denied": [c["recipient_id"] for c in checks if not c["allowed"]],
            "actions": actions,
        },
        "created_at": now,
    }
    record_values = {
        "version": view.version + 1,
        "state": state_bytes,
        "assessment": assessment_bytes,
        "risk": float(assessment_out["risk"]),
        "level": level,
        "keeps_text": keeps_text,
        "case_id": case_id,
        "participants": participants,
        "updated_at": now,
    }
    case_args = None
    if opens_case:
        evidence = [{"kind": "event", "event_id": event_id}]
        msg_ids = sorted({e["message_id"] for t in assessment_out["tactics"] for e in t["evidence"]} | {msg.message_id})
        evidence += [{"kind": "message", "conversation_id": cid, "message_id": m} for m in msg_ids]
        case_args = dict(
            case_id=case_id,
            trigger_kind="conversation",
            trigger_event_id=event_id,
            reason=f"conversation reached {level} risk ({', '.join(tactic_names) or 'policy'})",
            evidence=evidence,
            priority=CASE_PRIORITY.get(level, "normal"),
            subject_user_id=msg.sender.id,
            conversation_id=cid,
        )

    def write(batch):
        session = batch.session
        conn = session.connection()
        if view.version == 0:
            created = conn.execute(_create_statement(conn.dialect.name), {"conversation_id": cid, **record_values}).first()
            if created is None:  # another worker started this conversation first
                raise StaleConversation(cid)
        else:
            result = conn.execute(_UPDATE_CONVERSATION, {"cid": cid, "expected": view.version, **record_values})
            if result.rowcount != 1:
                raise StaleConversation(cid)
        batch.insert(IngestEvent, [event_row])
        if texts:
            have = set(
                session.scalars(
                    select(MessageText.message_id).where(
                        MessageText.conversation_id == cid, MessageText.message_id.in_([t.message_id for t in texts])
                    )
                )
            )
            rows = [
                {"conversation_id": cid, "message_id": t.message_id, "sender_id": t.sender_id, "sent_at": t.sent_at,
                 "text": t.text, "stored_at": now}
                for t in {t.message_id: t for t in texts}.values()
                if t.message_id not in have
            ]
            if rows:
                batch.insert(MessageText, rows)
        if case_args is not None:
            from childsafe.cases import open_case

            open_case(session, **case_args)
        elif view.case_id is not None and level == "critical":
            from childsafe.cases.records import escalate_critical_conversation

            escalate_critical_conversation(session, view.case_id)
        if webhooks:
            batch.insert(OutboxEvent, webhooks)
        if idempotency is not None:
            from childsafe.service.idempotency import store

            store(batch, idempotency[0], idempotency[1], 200, body)

    def after():
        from childsafe.service.conversations import ConversationView as View

        tracker.remember(cid, View(view.version + 1, keeps_text, case_id, participants))
        if keeps_text:
            window.clear()
        else:
            window.append(current)
        for a in actions:
            svc.metrics.actions.labels("message", a).inc()
        if webhooks:
            svc.worker.notify()

    return body, write, after


_RECORD_COLUMNS = ("version", "state", "assessment", "risk", "level", "keeps_text", "case_id", "participants", "updated_at")
_conversations = ConversationRecord.__table__
# Built once: constructing a statement per message costs more than executing it.
_UPDATE_CONVERSATION = (
    update(_conversations)
    .where(_conversations.c.conversation_id == bindparam("cid"), _conversations.c.version == bindparam("expected"))
    .values({name: bindparam(name) for name in _RECORD_COLUMNS})
)
_CREATE_CONVERSATION: dict[str, Any] = {}


def _create_statement(dialect: str):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING, so a conversation another worker started is noticed."""
    statement = _CREATE_CONVERSATION.get(dialect)
    if statement is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        statement = (
            dialect_insert(_conversations)
            .values({name: bindparam(name) for name in ("conversation_id", *_RECORD_COLUMNS)})
            .on_conflict_do_nothing(index_elements=["conversation_id"])
            .returning(_conversations.c.conversation_id)
        )
        _CREATE_CONVERSATION[dialect] = statement
    return statement


def _nudge_for(svc, assessment, msg: MessageIn, sender, recipients) -> dict | None:
    """The engine's nudge, addressed to the child it is for; never one for a known adult."""
    nudge = getattr(assessment, "nudge", None)
    if nudge is None:
        return None
    data = nudge.to_dict() if hasattr(nudge, "to_dict") else dict(nudge)
    user_id = getattr(assessment, "nudge_for", None)
    people = {msg.sender.id: sender, **{party.id: person for party, person in recipients}}
    person = people.get(user_id) if user_id is not None else None
    if person is not None and person.age is not None and person.age >= 18:
        return None
    return {"text": data.get("text", ""), "actions": list(data.get("actions", [])), "user_id": user_id}
