"""The audit log: append-only and hash-chained, so a changed, removed or cut-off entry is detectable.

Each entry's hash covers the previous entry's hash and the entry's own fields; a one-row head holds the
last sequence number and hash. Appending updates the head first, which takes the write lock on SQLite and
a row lock on PostgreSQL, so concurrent appends from many workers still form one chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from childsafe.service.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, subject: str, detail: str) -> str:
    body = json.dumps([prev_hash, seq, at, actor, action, subject, detail], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(session: Session, actor: str, action: str, subject: str, detail: dict | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction (it commits or rolls back with the work it records)."""
    head = session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1).returning(AuditHead.seq, AuditHead.hash)
    ).first()
    if head is None:
        session.add(AuditHead(id=1, seq=1, hash=GENESIS))
        session.flush()
        seq, prev = 1, GENESIS
    else:
        seq, prev = int(head[0]), head[1]
    at = datetime.now(timezone.utc).isoformat()
    detail_json = json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = _entry_hash(prev, seq, at, actor, action, subject, detail_json)
    entry = AuditEntry(seq=seq, at=at, actor=actor, action=action, subject=subject, detail=detail_json, prev_hash=prev, hash=digest)
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=digest))
    return entry


@dataclass
class AuditProblem:
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.problem}"


def verify(session: Session) -> tuple[int, list[AuditProblem]]:
    """Walk the chain; returns (entries checked, problems naming each bad entry)."""
    problems: list[AuditProblem] = []
    expected_seq, prev = 1, GENESIS
    count = 0
    for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).yield_per(1000):
        count += 1
        while e.seq > expected_seq:
            problems.append(AuditProblem(expected_seq, "missing (deleted from the chain)"))
            expected_seq += 1
        if e.prev_hash != prev:
            problems.append(AuditProblem(e.seq, "does not follow the entry before it (previous hash differs)"))
        if _entry_hash(e.prev_hash, e.seq, e.at, e.actor, e.action, e.subject, e.detail) != e.hash:
            problems.append(AuditProblem(e.seq, "changed after it was written (hash does not match its contents)"))
        prev = e.hash
        expected_seq = e.seq + 1
    head = session.get(AuditHead, 1)
    if head is not None:
        last = expected_seq - 1
        if head.seq > last:
            for s in range(last + 1, head.seq + 1):
                problems.append(AuditProblem(s, "missing (cut off the end of the chain)"))
        elif head.hash != prev:
            problems.append(AuditProblem(last, "chain head hash does not match the last entry"))
    elif count:
        problems.append(AuditProblem(0, "chain head is missing"))
    return count, problems

