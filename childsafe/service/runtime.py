"""The running service: database, detectors, the group committer, the webhook worker and the retention job.

One ``Service`` per process. Detectors (conversation engine, policy, matcher) are made on first use so
a process that only serves banks never loads a model it does not need.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select

from childsafe.service.commits import GroupCommitter, InlineCommitter
from childsafe.service.keys import KeyRing
from childsafe.service.metrics import ServiceMetrics
from childsafe.service.models import ConversationRecord, IdempotencyRecord, IngestEvent, MessageText, OutboxEvent
from childsafe.service.outbox import DeliveryWorker
from childsafe.service.settings import ServiceSettings
from childsafe.store import Database, open_database

log = logging.getLogger("childsafe.service")


class Service:
    def __init__(self, settings: ServiceSettings, db: Database | None = None) -> None:
        self.settings = settings
        self.db = db or open_database(None if settings.database_url else settings.data_dir, settings.database_url)
        self.metrics = ServiceMetrics()
        self.keyring = KeyRing(self.db)
        mode = settings.group_commit
        committer = InlineCommitter if mode == "loop" or (mode == "auto" and self.db.is_sqlite) else GroupCommitter
        self.committer = committer(self.db, on_batch=self.metrics.batch_size.observe)
        self.worker = DeliveryWorker(self.db, settings, metrics=self.metrics)
        self.retention = RetentionJob(self.db, settings)
        self._lock = threading.Lock()
        self._policy = None
        self._matcher = None
        self._banks = None
        self._ages = None
        self._people: dict[str, tuple[float, object]] = {}
        from childsafe.service.conversations import ConversationTracker

        self.conversations = ConversationTracker(self.db, settings)
        self.started = False

    def start(self) -> None:
        # Build the detectors before the first request, so no request pays for loading them.
        _ = self.conversations.engine, self.policy
        from childsafe.media.edits import preload

        preload()  # and what media queries import when they first need it
        self.committer.start()
        self.worker.start()
        self.retention.start()
        self.started = True

    def stop(self) -> None:
        self.started = False
        self.retention.stop()
        self.committer.stop()
        self.worker.stop()

    @property
    def policy(self):
        if self._policy is None:
            from childsafe.policy import PolicyEngine

            self._policy = PolicyEngine()
        return self._policy

    @property
    def ages(self):
        if self._ages is None:
            from childsafe.policy import AgeStore

            self._ages = AgeStore(self.db)
        return self._ages

    @property
    def banks(self):
        if self._banks is None:
            from childsafe.banks import BankStore

            self._banks = BankStore(self.db)
        return self._banks

    @property
    def matcher(self):
        with self._lock:
            if self._matcher is None:
                from childsafe.banks import Matcher

                self._matcher = Matcher(self.db, self.db.data_dir or self.settings.data_dir)
            return self._matcher

    def stored_person(self, user_id: str):
        """The user's stored age record as a policy ``Person`` (cached for ``person_cache_seconds``).

        Most users in a message stream have no record; a one-row index probe answers that cheaply
        before the age store works out which of a user's records counts.
        """
        now = time.monotonic()
        hit = self._people.get(user_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        from childsafe.policy import Person
        from childsafe.policy.models import AgeRecordRow

        with self.db.engine.connect() as conn:
            has_record = conn.execute(
                select(AgeRecordRow.id).where(AgeRecordRow.user_id == user_id).limit(1)
            ).first() is not None
        person = self.ages.person(user_id) if has_record else Person(id=user_id)
        if len(self._people) > 100_000:
            self._people.clear()
        self._people[user_id] = (now + self.settings.person_cache_seconds, person)
        return person

    def forget_person(self, user_id: str) -> None:
        self._people.pop(user_id, None)

    def outbox_pending(self) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.count(OutboxEvent.id)).where(OutboxEvent.delivered_at.is_(None))) or 0)

    def outbox_failed(self) -> int:
        """Webhooks given up after ``webhook_max_attempts`` (they wait for a redelivery)."""
        from childsafe.service.outbox import count_failed

        with self.db.session() as s:
            return count_failed(s, self.settings.webhook_max_attempts)


class RetentionJob:
    """Deletes what has outlived its retention period, every ``job_interval_seconds``."""

    def __init__(self, db: Database, settings: ServiceSettings) -> None:
        self.db = db
        self.settings = settings
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="childsafe-retention", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=10)

    def _run(self) -> None:
        while not self.stop_event.is_set():
            try:
                self.run_once()
            except Exception as exc:
                log.warning("retention job failed", extra={"error": type(exc).__name__})
            self.stop_event.wait(self.settings.retention.job_interval_seconds)

    def run_once(self, now: datetime | None = None) -> dict[str, int]:
        now = now or datetime.now(timezone.utc)
        r = self.settings.retention
        deleted: dict[str, int] = {}
        from childsafe.cases.custody import purge_expired_evidence, retained_conversations, retained_events

        # What a case still keeps (a year by default, longer under legal hold) outlives these periods.
        kept_conversations, kept_events = retained_conversations(now), retained_events(now)
        with self.db.session() as s:
            deleted["events"] = s.execute(
                delete(IngestEvent).where(IngestEvent.created_at < now - timedelta(days=r.events_days),
                                          IngestEvent.event_id.not_in(kept_events))
            ).rowcount
            deleted["message_texts"] = s.execute(
                delete(MessageText).where(MessageText.stored_at < now - timedelta(days=r.message_text_days),
                                          MessageText.conversation_id.not_in(kept_conversations))
            ).rowcount
            deleted["conversations"] = s.execute(
                delete(ConversationRecord).where(
                    ConversationRecord.updated_at < now - timedelta(days=r.conversation_state_days),
                    ConversationRecord.conversation_id.not_in(kept_conversations),
                )
            ).rowcount
            deleted["delivered_webhooks"] = s.execute(
                delete(OutboxEvent).where(
                    OutboxEvent.delivered_at.is_not(None),
                    OutboxEvent.delivered_at < now - timedelta(days=r.delivered_webhooks_days),
                )
            ).rowcount
            deleted["idempotency_keys"] = s.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.created_at < now - timedelta(hours=r.idempotency_hours)
                )
            ).rowcount
        deleted["case_evidence"] = purge_expired_evidence(self.db, self.db.data_dir or self.settings.data_dir, now)
        try:
            from childsafe.policy import AgeStore

            deleted["age_webhook_ids"] = AgeStore(self.db).purge_webhook_receipts()
        except ImportError:
            pass
        if any(deleted.values()):
            log.info("retention job deleted expired records", extra={"deleted": deleted})
        return deleted
