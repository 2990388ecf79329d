"""Case records and what reviewers did with them: the case itself (trigger, evidence references, priority,
state, assignment, decision, retention), reviewers' feedback on automated detection, DSA statements of
reasons and reports to the authorities. Evidence is held as references (event ids, message ids, hashes,
encrypted-file references), not content; message text a case needs lives in the service's table under
retention.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.store import Base

CASE_STATES = ("open", "in_review", "actioned", "reported", "closed")
CASE_PRIORITIES = ("low", "normal", "high", "urgent")
DECISIONS = ("confirmed", "dismissed")
REPORT_KINDS = ("cybertipline", "nca")
REPORT_STATES = ("draft", "confirmed", "exported", "submitted")


def iso_utc(value: datetime | None) -> str | None:
    """ISO time in UTC (SQLite hands back naive datetimes; they were written as UTC)."""
    if value is None:
        return None
    return as_utc(value).isoformat()


def as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_state_priority", "state", "priority_rank"),
        Index("ix_cases_subject", "subject_user_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    trigger_kind: Mapped[str] = mapped_column(String(40), nullable=False)
    trigger_event_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    trigger_reason: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    subject_user_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    conversation_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    evidence: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    priority: Mapped[str] = mapped_column(String(20), nullable=False, default="normal")
    # Place in the queue: imminent harm (live streams, critical grooming) ranks above every other priority.
    priority_rank: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # Optimistic concurrency: every change bumps it; a change made against an older version is refused.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    escalated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    actioned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    legal_hold: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    retain_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __mapper_args__ = {"version_id_col": version}

    @property
    def imminent(self) -> bool:
        return self.priority_rank >= len(CASE_PRIORITIES)

    @property
    def time_to_action_seconds(self) -> float | None:
        if self.actioned_at is None:
            return None
        return (as_utc(self.actioned_at) - as_utc(self.opened_at)).total_seconds()

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "trigger": {"kind": self.trigger_kind, "event_id": self.trigger_event_id, "reason": self.trigger_reason},
            "subject_user_id": self.subject_user_id,
            "conversation_id": self.conversation_id,
            "evidence": list(self.evidence or []),
            "priority": self.priority,
            "imminent": self.imminent,
            "state": self.state,
            "version": self.version,
            "assignee": self.assignee,
            "decision": self.decision,
            "decided_by": self.decided_by,
            "escalated": bool(self.escalated),
            "opened_at": iso_utc(self.opened_at),
            "updated_at": iso_utc(self.updated_at),
            "actioned_at": iso_utc(self.actioned_at),
            "closed_at": iso_utc(self.closed_at),
            "time_to_action_seconds": self.time_to_action_seconds,
            "legal_hold": bool(self.legal_hold),
            "retain_until": iso_utc(self.retain_until),
        }


class CaseFeedback(Base):
    """A reviewer's verdict on what automated detection found (feeds precision figures and tuning)."""

    __tablename__ = "case_feedback"
    __table_args__ = (Index("ix_case_feedback_case", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(64), nullable=False)
    detector: Mapped[str] = mapped_column(String(40), nullable=False)  # media_match, conversation, live_*, manual
    verdict: Mapped[str] = mapped_column(String(20), nullable=False)  # true_positive | false_positive
    subject: Mapped[str] = mapped_column(String(300), nullable=False, default="")  # bank entry, tactics
    detail: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class StatementOfReasons(Base):
    """A DSA Article 17 statement of reasons for one action taken on a case."""

    __tablename__ = "case_statements"
    __table_args__ = (Index("ix_case_statements_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(64), nullable=False)
    subject_user_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    restriction: Mapped[str] = mapped_column(String(60), nullable=False)
    ground: Mapped[str] = mapped_column(String(40), nullable=False)
    legal_ground: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    category: Mapped[str] = mapped_column(String(80), nullable=False)
    facts: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    automated_detection: Mapped[bool] = mapped_column(Boolean, nullable=False)
    automated_decision: Mapped[bool] = mapped_column(Boolean, nullable=False)
    detector: Mapped[str] = mapped_column(String(40), nullable=False)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    def to_dict(self) -> dict:
        return {
            "id": self.id, "case_id": self.case_id, "subject_user_id": self.subject_user_id,
            "decision_visibility": self.restriction, "decision_ground": self.ground,
            "legal_ground": self.legal_ground or None, "category": self.category,
            "facts": self.facts, "automated_detection": bool(self.automated_detection),
            "automated_decision": bool(self.automated_decision), "detector": self.detector,
            "detected_at": iso_utc(self.detected_at), "created_at": iso_utc(self.created_at),
        }


class Report(Base):
    """A report to the authorities, kept with its status whatever happens to it."""

    __tablename__ = "case_reports"
    __table_args__ = (Index("ix_case_reports_case", "case_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    confirmed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(100), nullable=True)

    def to_dict(self, *, body: bool = False) -> dict:
        out = {
            "id": self.id, "case_id": self.case_id, "kind": self.kind, "state": self.state,
            "body_sha256": self.body_sha256, "created_by": self.created_by, "created_at": iso_utc(self.created_at),
            "confirmed_by": self.confirmed_by, "confirmed_at": iso_utc(self.confirmed_at),
            "sent_at": iso_utc(self.sent_at), "external_id": self.external_id,
        }
        if body:
            out["body"] = self.body
        return out
