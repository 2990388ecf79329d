"""Tables for hash banks.

A bank's ``version`` goes up by one with every change to its entries; each entry records the
version that added, disabled or removed it, so an index built at version *v* can be brought up to
date from the entries changed since *v* instead of being rebuilt. Entries are never deleted:
disabling (a false positive) and removing keep the row, its labels and who did it.

Only portable column types are used, so the same tables work on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from childsafe.store import Base

SIGNAL_TYPES = ("pdq", "vpdq", "md5", "sha256")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Bank(Base):
    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    signal_type: Mapped[str] = mapped_column(String(16), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    # Which robust-matching query variants may match this bank ({"dihedral"|"trim"|"regions": false});
    # absent keys mean allowed. Lets a platform keep a bank to exact-as-uploaded matching.
    match_options: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)

    entries: Mapped[list["BankEntry"]] = relationship(back_populates="bank", lazy="raise")


class BankEntry(Base):
    """One banked signal: a hash (pdq, md5, sha256) or one video's frame hashes (vpdq)."""

    __tablename__ = "bank_entries"
    __table_args__ = (
        UniqueConstraint("bank_id", "digest", name="uq_bank_entries_bank_digest"),
        Index("ix_bank_entries_digest", "digest"),
        Index("ix_bank_entries_bank_added_version", "bank_id", "added_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), nullable=False)
    # The lookup key: the hex hash itself, or for vpdq the SHA-256 of the canonical frame text.
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    # The signal: hex hash, or for vpdq the frame lines in the reference vpdq format.
    value: Mapped[str] = mapped_column(Text, nullable=False)
    quality: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The signal of the original with its own flat edges trimmed (one trimming pass: the trimmed
    # picture's PDQ, or the video's frames with their bars cut), for entries hashed from the file
    # (`bank add`); matched besides `value`, never exported. A copy in bars of the colour of the
    # picture's own edge is trimmed together with that edge, and is found only through it.
    bare: Mapped[str | None] = mapped_column(Text, nullable=True)
    labels: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    source: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    provenance: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)

    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    added_version: Mapped[int] = mapped_column(Integer, nullable=False)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    removed_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disabled_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    disabled_by: Mapped[str | None] = mapped_column(String(200), nullable=True)

    bank: Mapped[Bank] = relationship(back_populates="entries", lazy="raise")

    @property
    def active(self) -> bool:
        return self.disabled_at is None and self.removed_at is None


class BankChange(Base):
    """The history of a bank: one row per change (create, import, add, disable, enable, remove)."""

    __tablename__ = "bank_changes"
    __table_args__ = (Index("ix_bank_changes_bank_version", "bank_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    entry_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    detail: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
