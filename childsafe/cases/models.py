"""The minimal case record that review work builds on: what triggered it, the evidence it points at,
its priority and where it stands. Evidence is held as references (event ids, message ids, hashes),
not content; message text a case needs lives in the service's evidence table under retention.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.store import Base

CASE_STATES = ("open", "in_review", "actioned", "closed")
CASE_PRIORITIES = ("low", "normal", "high", "urgent")


def iso_utc(value: datetime | None) -> str | None:
    """ISO time in UTC (SQLite hands back naive datetimes; they were written as UTC)."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_state_priority", "state", "priority_rank"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    trigger_kind: Mapped[str] = mapped_column(String(40), nullable=False)
    trigger_event_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    trigger_reason: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    subject_user_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    conversation_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    evidence: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    priority: Mapped[str] = mapped_column(String(20), nullable=False, default="normal")
    priority_rank: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "trigger": {"kind": self.trigger_kind, "event_id": self.trigger_event_id, "reason": self.trigger_reason},
            "subject_user_id": self.subject_user_id,
            "conversation_id": self.conversation_id,
            "evidence": list(self.evidence or []),
            "priority": self.priority,
            "state": self.state,
            "opened_at": iso_utc(self.opened_at),
            "updated_at": iso_utc(self.updated_at),
        }
