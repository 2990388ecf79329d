"""``Idempotency-Key`` for ingest: the same key with the same body gets the stored answer without being
processed again; the same key with a different body is refused. Keys are scoped to the API key that
used them and kept for ``retention.idempotency_hours``.
"""

from __future__ import annotations

import asyncio
import hashlib
from contextlib import asynccontextmanager
from datetime import datetime, timezone

from fastapi import Request
from sqlalchemy import select
from starlette.responses import Response

from childsafe.service.keys import Principal
from childsafe.service.models import IdempotencyRecord
from childsafe.service.problems import Problem

HEADER = "idempotency-key"
_locks: dict[str, asyncio.Lock] = {}


def store(batch, key: str, digest: str, status: int, body: bytes) -> None:
    """Keep the answer in the same transaction as the work it answers for."""
    batch.insert(IdempotencyRecord, [{"key": key, "request_sha256": digest, "status_code": status, "response": body,
                                      "created_at": datetime.now(timezone.utc)}])


def _replay(db, key: str, digest: str) -> Response | None:
    with db.sessions() as s:
        row = s.execute(
            select(IdempotencyRecord.request_sha256, IdempotencyRecord.status_code, IdempotencyRecord.response)
            .where(IdempotencyRecord.key == key)
        ).first()
    if row is None:
        return None
    if row[0] != digest:
        raise Problem(
            422, "idempotency_key_reused",
            "this Idempotency-Key was already used with a different request body; use a new key for a new request",
        )
    return Response(bytes(row[2]), status_code=row[1], media_type="application/json",
                    headers={"Idempotent-Replayed": "true"})


@asynccontextmanager
async def idempotent(request: Request, who: Principal, route: str):
    """Yields ``None`` (no key), a stored ``Response`` to send back, or the ``(key, digest)`` to store."""
    raw = request.headers.get(HEADER)
    if raw is None:
        yield None
        return
    if not raw or len(raw) > 200 or not raw.isprintable():
        raise Problem(400, "bad_idempotency_key", "Idempotency-Key must be 1 to 200 printable characters")
    key = f"{who.key_id}:{route}:{raw}"
    digest = hashlib.sha256(await request.body()).hexdigest()
    lock = _locks.get(key)
    if lock is None:
        if len(_locks) > 10_000:
            for k in [k for k, l in _locks.items() if not l.locked()]:
                del _locks[k]
        lock = _locks[key] = asyncio.Lock()
    async with lock:
        db = request.app.state.service.db
        replay = _replay(db, key, digest)
        if replay is not None:
            yield replay
            return
        yield (key, digest)


def replay_after_conflict(request: Request, key: str, digest: str) -> Response:
    """Another worker stored an answer for this key first: give that one."""
    replay = _replay(request.app.state.service.db, key, digest)
    if replay is None:
        raise Problem(409, "idempotency_conflict", "a request with this Idempotency-Key is in progress; retry")
    return replay
