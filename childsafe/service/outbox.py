"""The transactional outbox and its delivery worker.

A decision and the webhooks it causes are written in one transaction, so a crash between deciding and
delivering loses nothing: the worker (a thread in the serve process) finds undelivered rows, signs them
per Standard Webhooks (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``: HMAC-SHA256 over
``id.timestamp.body``) and retries with exponential backoff until the receiver answers 2xx. Delivery is
at least once; receivers de-duplicate by ``webhook-id`` (equal to the payload's ``event_id``).

A row that still fails after ``webhook_max_attempts`` is *failed* (given up): it stays in the outbox,
``list_failed`` shows it and ``redeliver`` queues it again (same ``event_id``, same payload), audited.
"""

from __future__ import annotations

import base64
import logging
import random
import secrets
import threading
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import httpx
import orjson
from sqlalchemy import and_, event, func, insert, or_, select, update
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from childsafe.errors import InvalidInput
from childsafe.service import audit
from childsafe.service.models import OutboxEvent, ServiceSetting

log = logging.getLogger("childsafe.service.outbox")

ACTION_EVENT_TYPES = (
    "hold_message",
    "block_media",
    "nudge_child",
    "warn_sender",
    "restrict_user",
    "open_case",
)


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def webhook_body(event_id: str, event_type: str, payload: dict, at: datetime) -> bytes:
    """The Standard Webhooks payload shape: ``type``, ``timestamp``, ``data`` (plus our ``event_id``)."""
    return orjson.dumps({"type": event_type, "timestamp": at.isoformat(), "event_id": event_id, "data": payload})


def outbox_row(event_type: str, payload: dict, *, event_id: str | None = None, now: datetime | None = None) -> dict:
    now = now or datetime.now(timezone.utc)
    event_id = event_id or new_event_id()
    return {
        "event_id": event_id,
        "event_type": event_type,
        "payload": webhook_body(event_id, event_type, payload, now),
        "created_at": now,
        "attempts": 0,
        "next_attempt_at": now,
    }


def enqueue(session: Session, event_type: str, payload: dict, *, event_id: str | None = None) -> str:
    """Queue a webhook in the caller's transaction; it is delivered only if that transaction commits."""
    row = outbox_row(event_type, payload, event_id=event_id)
    session.execute(insert(OutboxEvent), [row])
    return row["event_id"]


def generate_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_secret(session: Session, configured: str | None) -> str:
    """The signing secret: the configured one, else one generated once and kept in the database."""
    if configured:
        return configured
    row = session.get(ServiceSetting, "webhook_secret")
    if row is None:
        row = ServiceSetting(name="webhook_secret", value=generate_secret())
        session.add(row)
        session.flush()
    return row.value


def backoff_seconds(attempts: int, base: float, cap: float) -> float:
    """Exponential backoff with full jitter: base * 2**(attempts-1), capped, randomised to avoid bursts."""
    delay = min(cap, base * (2 ** max(0, attempts - 1)))
    return delay / 2 + random.random() * delay / 2


MAX_LIST_LIMIT = 1000
MAX_REDELIVER_IDS = 1000

# delivery workers running in this process, woken when a redelivery commits
_running_workers: "weakref.WeakSet[DeliveryWorker]" = weakref.WeakSet()


def wake_workers() -> None:
    """Wake every delivery worker running in this process (a no-op where none runs, e.g. the CLI:
    a serve process polls the outbox twice a second anyway)."""
    for worker in list(_running_workers):
        worker.notify()


def _failed(max_attempts: int):
    return and_(OutboxEvent.delivered_at.is_(None), OutboxEvent.attempts >= max_attempts)


def _utc(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=timezone.utc) if at is not None and at.tzinfo is None else at


@dataclass
class FailedEvent:
    """A webhook given up after ``max_attempts``: what it is and why it failed, never its payload."""

    id: int
    event_id: str
    event_type: str
    attempts: int
    last_error: str | None
    created_at: datetime

    def to_dict(self) -> dict:
        return {
            "event_id": self.event_id,
            "event_type": self.event_type,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
        }


@dataclass
class FailedPage:
    events: list[FailedEvent]
    next_after: int | None  # pass as ``after`` for the next page; None on the last page

    def to_dict(self) -> dict:
        return {"failed": [e.to_dict() for e in self.events], "next_after": self.next_after}


def count_failed(session: Session, max_attempts: int) -> int:
    return int(session.scalar(select(func.count(OutboxEvent.id)).where(_failed(max_attempts))) or 0)


def list_failed(session: Session, max_attempts: int, *, limit: int = 50, after: int | None = None) -> FailedPage:
    """Failed webhooks (undelivered, ``attempts >= max_attempts``), oldest first; ``after`` is the
    ``next_after`` cursor of the previous page."""
    if not 1 <= limit <= MAX_LIST_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIST_LIMIT}, not {limit}", code="bad_limit")
    if after is not None and after < 0:
        raise InvalidInput(f"after must be a cursor from a previous page (0 or more), not {after}", code="bad_cursor")
    query = select(
        OutboxEvent.id, OutboxEvent.event_id, OutboxEvent.event_type, OutboxEvent.attempts,
        OutboxEvent.last_error, OutboxEvent.created_at,
    ).where(_failed(max_attempts))
    if after is not None:
        query = query.where(OutboxEvent.id > after)
    rows = session.execute(query.order_by(OutboxEvent.id).limit(limit + 1)).all()
    events = [
        FailedEvent(id=r.id, event_id=r.event_id, event_type=r.event_type, attempts=r.attempts,
                    last_error=r.last_error, created_at=_utc(r.created_at))
        for r in rows[:limit]
    ]
    return FailedPage(events, events[-1].id if len(rows) > limit else None)


@dataclass
class Redelivery:
    """What a redelivery did with each event id asked for."""

    queued: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    already_delivered: list[str] = field(default_factory=list)
    in_flight: list[str] = field(default_factory=list)  # a worker is delivering it right now: left to that attempt

    def to_dict(self) -> dict:
        return {"queued": self.queued, "unknown": self.unknown, "already_delivered": self.already_delivered,
                "in_flight": self.in_flight}


def redeliver(
    session: Session,
    max_attempts: int,
    event_ids: list[str] | None = None,
    *,
    all_failed: bool = False,
    actor: str,
    now: datetime | None = None,
) -> Redelivery:
    """Queue webhooks again in the caller's transaction: the given event ids, or every failed one.

    Each undelivered row gets ``attempts = 0``, ``next_attempt_at = now`` and no lease; its payload
    and ``event_id`` (the ``webhook-id``) stay, so the receiver can still de-duplicate. An unknown or
    already delivered id is reported, not raised; so is one a worker holds a live lease on (``in_flight``):
    resetting it mid-delivery would send it twice. Each queued event is one audit entry (its id only).
    Delivery workers in this process are woken once the transaction commits.
    """
    if all_failed and event_ids:
        raise InvalidInput("give either event ids or all_failed (--all-failed in the CLI), not both", code="bad_redelivery")
    if not all_failed:
        if event_ids is None:
            raise InvalidInput("give the event ids to redeliver, or all_failed: true", code="bad_redelivery")
        if not event_ids:
            raise InvalidInput("the list of event ids is empty; give at least one, or all_failed", code="bad_redelivery")
        if len(event_ids) > MAX_REDELIVER_IDS:
            raise InvalidInput(f"at most {MAX_REDELIVER_IDS} event ids at a time, not {len(event_ids)}",
                               code="bad_redelivery")
        for e in event_ids:
            if not isinstance(e, str) or not 1 <= len(e) <= 64:
                raise InvalidInput("each event id must be a string of 1 to 64 characters", code="bad_redelivery")
    now = now or datetime.now(timezone.utc)
    result = Redelivery()
    if all_failed:
        rows = session.execute(
            select(OutboxEvent.id, OutboxEvent.event_id, OutboxEvent.attempts)
            .where(_failed(max_attempts))
            .order_by(OutboxEvent.id)
        ).all()
        targets = [(r.id, r.event_id, r.attempts) for r in rows]
    else:
        wanted = list(dict.fromkeys(event_ids))  # de-duplicated, in the order given
        found = {
            r.event_id: r
            for r in session.execute(
                select(OutboxEvent.id, OutboxEvent.event_id, OutboxEvent.attempts, OutboxEvent.delivered_at)
                .where(OutboxEvent.event_id.in_(wanted))
            ).all()
        }
        targets = []
        for e in wanted:
            row = found.get(e)
            if row is None:
                result.unknown.append(e)
            elif row.delivered_at is not None:
                result.already_delivered.append(e)
            else:
                targets.append((row.id, row.event_id, row.attempts))
    for row_id, event_id, attempts in targets:
        done = session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id == row_id, OutboxEvent.delivered_at.is_(None),
                   # a lease is live only on a row a worker may still be sending; a failed row's is stale
                   or_(OutboxEvent.lease_until.is_(None), OutboxEvent.lease_until < now,
                       OutboxEvent.attempts >= max_attempts))
            .values(attempts=0, next_attempt_at=now, lease_until=None)
        ).rowcount
        if not done:  # delivered, or claimed by a worker, between the read and the update
            delivered = session.scalar(select(OutboxEvent.delivered_at).where(OutboxEvent.id == row_id))
            (result.already_delivered if delivered is not None else result.in_flight).append(event_id)
            continue
        result.queued.append(event_id)
        audit.record(session, actor, "webhook.redeliver", f"webhook:{event_id}",
                     {"attempts": attempts, "all_failed": all_failed})
    if result.queued:
        event.listen(session, "after_commit", lambda _s: wake_workers(), once=True)
    return result


class DeliveryWorker:
    """Delivers due outbox rows; a lease on each claimed row lets several serve processes share the work."""

    def __init__(self, db, settings, *, metrics=None) -> None:
        self.db = db
        self.settings = settings
        self.metrics = metrics
        self.wake = threading.Event()
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None
        self.client: httpx.Client | None = None
        self.signer: Webhook | None = None

    def start(self) -> None:
        if not self.settings.webhook_url:
            log.info("webhooks not configured; outbox rows wait until CHILDSAFE_WEBHOOK_URL is set")
            return
        with self.db.session() as s:
            self.signer = Webhook(webhook_secret(s, self.settings.webhook_secret))
        self.client = httpx.Client(timeout=self.settings.webhook_timeout_seconds)
        self.thread = threading.Thread(target=self._run, name="childsafe-webhooks", daemon=True)
        self.thread.start()
        _running_workers.add(self)

    def stop(self) -> None:
        _running_workers.discard(self)
        self.stop_event.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
        if self.client is not None:
            self.client.close()

    def notify(self) -> None:
        self.wake.set()

    def _run(self) -> None:
        while not self.stop_event.is_set():
            try:
                delivered_any = self.deliver_due()
            except Exception as exc:  # the database may be briefly unavailable; keep the worker alive
                log.warning("webhook delivery pass failed", extra={"error": type(exc).__name__})
                delivered_any = False
            if not delivered_any:
                self.wake.wait(timeout=0.5)
                self.wake.clear()

    def _claim(self, limit: int = 50) -> list[tuple[int, str, bytes, int]]:
        now = datetime.now(timezone.utc)
        lease = now + timedelta(seconds=self.settings.webhook_timeout_seconds * 4 + 10)
        with self.db.session() as s:
            ids = list(
                s.scalars(
                    select(OutboxEvent.id)
                    .where(
                        OutboxEvent.delivered_at.is_(None),
                        OutboxEvent.next_attempt_at <= now,
                        OutboxEvent.attempts < self.settings.webhook_max_attempts,
                        or_(OutboxEvent.lease_until.is_(None), OutboxEvent.lease_until < now),
                    )
                    .order_by(OutboxEvent.id)
                    .limit(limit)
                )
            )
            if not ids:
                return []
            s.execute(
                update(OutboxEvent)
                .where(
                    OutboxEvent.id.in_(ids),
                    or_(OutboxEvent.lease_until.is_(None), OutboxEvent.lease_until < now),
                )
                .values(lease_until=lease)
            )
            rows = s.execute(
                select(OutboxEvent.id, OutboxEvent.event_id, OutboxEvent.payload, OutboxEvent.attempts).where(
                    and_(OutboxEvent.id.in_(ids), OutboxEvent.lease_until == lease)
                )
            ).all()
        return [tuple(r) for r in rows]

    def deliver_due(self) -> bool:
        claimed = self._claim()
        for row_id, event_id, payload, attempts in claimed:
            if self.stop_event.is_set():
                return False
            self._deliver_one(row_id, event_id, bytes(payload), attempts)
        return bool(claimed)

    def _deliver_one(self, row_id: int, event_id: str, payload: bytes, attempts: int) -> None:
        assert self.client is not None and self.signer is not None
        now = datetime.now(timezone.utc)
        body = payload.decode()
        headers = {
            "content-type": "application/json",
            "webhook-id": event_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": self.signer.sign(event_id, now, body),
        }
        error: str | None = None
        try:
            response = self.client.post(self.settings.webhook_url, content=payload, headers=headers)
            if not 200 <= response.status_code < 300:
                error = f"receiver answered {response.status_code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}"
        attempts += 1
        done = datetime.now(timezone.utc)
        with self.db.session() as s:
            if error is None:
                s.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.id == row_id)
                    .values(delivered_at=done, attempts=attempts, lease_until=None, last_error=None)
                )
            else:
                delay = backoff_seconds(
                    attempts, self.settings.webhook_backoff_base_seconds, self.settings.webhook_backoff_max_seconds
                )
                s.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.id == row_id)
                    .values(
                        attempts=attempts,
                        lease_until=None,
                        last_error=error,
                        next_attempt_at=done + timedelta(seconds=delay),
                    )
                )
        if self.metrics is not None:
            self.metrics.webhook_result(error is None)
        if error is None:
            log.info("webhook delivered", extra={"event_id": event_id, "attempts": attempts})
        else:
            log.warning("webhook delivery failed", extra={"event_id": event_id, "attempts": attempts, "error": error})
