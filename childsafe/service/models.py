"""Tables the service keeps: API keys, the audit chain, the webhook outbox, idempotency records,
ingested events, persisted conversation state and the message text kept for risky conversations.

Only signals and hashes are kept by default; ``MessageText`` rows exist only for conversations that
reached medium risk or opened a case (data minimisation), and every table has a retention period.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.store import Base


class ApiKey(Base):
    """A scoped API key; only a SHA-256 of the key is stored, the prefix finds the row."""

    __tablename__ = "service_api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    key_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    scopes: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditEntry(Base):
    """One append-only, hash-chained audit record (who read or changed what, when)."""

    __tablename__ = "service_audit_log"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40), nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(100), nullable=False)
    subject: Mapped[str] = mapped_column(String(500), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditHead(Base):
    """The chain's head (last sequence number and hash): serialises appends and reveals a cut-off tail."""

    __tablename__ = "service_audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


class OutboxEvent(Base):
    """A webhook waiting to be delivered, written in the same transaction as the decision."""

    __tablename__ = "service_outbox"
    __table_args__ = (Index("ix_service_outbox_due", "delivered_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)


class IdempotencyRecord(Base):
    """The answer given for an ``Idempotency-Key``, so a retried request gets it again unprocessed."""

    __tablename__ = "service_idempotency"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    request_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int] = mapped_column(Integer, nullable=False)
    response: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class IngestEvent(Base):
    """An acknowledged event (message, media, contact check): its signals and decision, never content."""

    __tablename__ = "service_events"
    __table_args__ = (
        Index("ix_service_events_sender", "sender_id"),
        Index("ix_service_events_conversation", "conversation_id"),
        Index("ix_service_events_created", "created_at"),
    )

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    conversation_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    sender_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    risk: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    level: Mapped[str] = mapped_column(String(20), nullable=False, default="none")
    content_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    signals: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ConversationRecord(Base):
    """Persisted conversation-engine state, so a restart or a second worker continues the conversation."""

    __tablename__ = "service_conversations"

    conversation_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    state: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    assessment: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    risk: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    level: Mapped[str] = mapped_column(String(20), nullable=False, default="none")
    keeps_text: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    case_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    participants: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class MessageText(Base):
    """Message text kept as evidence: only for conversations that reached medium risk or opened a case."""

    __tablename__ = "service_message_texts"
    __table_args__ = (Index("ix_service_message_texts_conversation", "conversation_id"),)

    conversation_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(200), nullable=False)
    sent_at: Mapped[str] = mapped_column(String(40), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ServiceSetting(Base):
    """Small service-wide values the service makes for itself (e.g. the generated webhook secret)."""

    __tablename__ = "service_settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


def _append_only_ddl() -> None:
    """Triggers that make the database itself refuse UPDATE and DELETE on audit entries
    (migration 0002 adds the same triggers to a migrated database)."""
    from sqlalchemy import DDL, event

    table = AuditEntry.__table__
    for verb in ("UPDATE", "DELETE"):
        event.listen(
            table,
            "after_create",
            DDL(
                f"CREATE TRIGGER service_audit_log_no_{verb.lower()} BEFORE {verb} ON service_audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            ).execute_if(dialect="sqlite"),
        )
    event.listen(
        table,
        "after_create",
        DDL(
            "CREATE OR REPLACE FUNCTION service_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
        ).execute_if(dialect="postgresql"),
    )
    event.listen(
        table,
        "after_create",
        DDL(
            "CREATE TRIGGER service_audit_log_append_only BEFORE UPDATE OR DELETE ON service_audit_log "
            "FOR EACH ROW EXECUTE FUNCTION service_audit_log_append_only()"
        ).execute_if(dialect="postgresql"),
    )


_append_only_ddl()
