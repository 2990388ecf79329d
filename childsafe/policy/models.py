"""Tables for age records and for the ids of provider webhooks already received.

Records are never overwritten: a new check adds a row, so the history of how a user's age was
established (and appealed) stays. Only portable column types are used (SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import BigInteger, Date, DateTime, Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from childsafe.store import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class AgeRecordRow(Base):
    __tablename__ = "age_records"
    __table_args__ = (
        UniqueConstraint("provider", "check_id", name="uq_age_records_provider_check"),
        Index("ix_age_records_user", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(200), nullable=False)
    method: Mapped[str] = mapped_column(String(40), nullable=False)
    provider: Mapped[str | None] = mapped_column(String(100), nullable=True)
    check_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False, default="established")
    declared_age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    age_low: Mapped[int | None] = mapped_column(Integer, nullable=True)
    age_high: Mapped[int | None] = mapped_column(Integer, nullable=True)
    estimated_age: Mapped[float | None] = mapped_column(Float, nullable=True)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    appeal_state: Mapped[str] = mapped_column(String(20), nullable=False, default="none")
    appeal_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)


class AgeWebhookReceipt(Base):
    """One row per provider webhook id received: the primary key refuses a replay, even across processes."""

    __tablename__ = "age_webhook_receipts"

    provider: Mapped[str] = mapped_column(String(100), primary_key=True)
    webhook_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    webhook_timestamp: Mapped[int] = mapped_column(BigInteger, nullable=False)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
