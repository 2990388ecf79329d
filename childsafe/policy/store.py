"""Stored age records: what each user's age is, how it was established, and appeals.

The record in force for a user is the trusted assured one establishing the youngest age, otherwise
the latest record of any kind: a later self-declaration never overrides a checked age (a child cannot
declare their way out of protections), conflicting checks keep protections until an appeal settles
them, and an expired or overturned check falls back.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from childsafe.errors import InvalidInput, NotFound
from childsafe.policy.assurance import AssuranceLevel, level_of
from childsafe.policy.models import AgeRecordRow, AgeWebhookReceipt
from childsafe.policy.people import Person
from childsafe.policy.policyfile import Policy, load_policy
from childsafe.policy.bands import MAX_AGE
from childsafe.policy.records import (
    AgeRecord,
    as_utc,
    expiry_for,
    normalise_provider_result,
    utcnow,
    years_between,
)
from childsafe.policy.webhooks import (
    WebhookReplayed,
    parse_payload,
    provider_secret,
    verify_signature,
    AgeProviderSettings,
    DEFAULT_TOLERANCE_S,
)


def _to_record(row: AgeRecordRow) -> AgeRecord:
    return AgeRecord(
        id=row.id, user_id=row.user_id, method=row.method, provider=row.provider, check_id=row.check_id,
        outcome=row.outcome, declared_age=row.declared_age, birth_date=row.birth_date, age_low=row.age_low,
        age_high=row.age_high, estimated_age=row.estimated_age, checked_at=as_utc(row.checked_at),
        expires_at=as_utc(row.expires_at), appeal_state=row.appeal_state,
    )


def _to_row(rec: AgeRecord) -> AgeRecordRow:
    return AgeRecordRow(
        user_id=rec.user_id, method=rec.method, provider=rec.provider, check_id=rec.check_id, outcome=rec.outcome,
        declared_age=rec.declared_age, birth_date=rec.birth_date, age_low=rec.age_low, age_high=rec.age_high,
        estimated_age=rec.estimated_age, checked_at=rec.checked_at, expires_at=rec.expires_at,
        appeal_state=rec.appeal_state,
    )


def choose_current(records: list[AgeRecord], now: datetime | None = None,
                   assured_methods: frozenset[str] | None = None) -> AgeRecord | None:
    """The record in force (``records`` in insertion order).

    Among trusted assured records the one establishing the *youngest* age wins, the latest on a
    tie: when checks disagree (a child's document says 14, a later face scan, perhaps of a parent,
    says 25) the child keeps protections until an appeal withdraws the younger result. Without a
    trusted assured record, the latest record of any kind is in force.
    """
    if not records:
        return None
    now = now or utcnow()
    best: tuple[int, int] | None = None
    chosen: AgeRecord | None = None
    for index, rec in enumerate(records):
        assured = (rec.method in assured_methods) if assured_methods is not None \
            else level_of(rec.method) is AssuranceLevel.HIGHLY_EFFECTIVE
        if not (assured and rec.is_trusted(now)):
            continue
        key = (_oldest_possible_age(rec, now), -index)
        if best is None or key < best:
            best, chosen = key, rec
    return chosen if chosen is not None else records[-1]


def _oldest_possible_age(rec: AgeRecord, now: datetime) -> int:
    age = rec.age_on(now)
    if age is not None:
        return age
    if rec.age_high is not None:
        return rec.age_high + max(0, years_between(rec.checked_at.date(), now.date()))
    return MAX_AGE


class AgeStore:
    """Age records in the shared database (``childsafe.store.open_database``)."""

    def __init__(self, db, policy: Policy | str | None = None) -> None:
        self.db = db
        self.policy = load_policy(policy)

    # -- writing --------------------------------------------------------------------------------

    def add(self, record: AgeRecord) -> AgeRecord:
        """Store a record; a provider check already stored (same provider and check id) is returned as is."""
        with self.db.session() as s:
            return self._add_in(s, record)

    @staticmethod
    def _add_in(s, record: AgeRecord) -> AgeRecord:
        if record.provider is not None and record.check_id is not None:
            existing = s.scalar(select(AgeRecordRow).where(
                AgeRecordRow.provider == record.provider, AgeRecordRow.check_id == record.check_id))
            if existing is not None:
                if existing.user_id != record.user_id:
                    raise InvalidInput(f"check {record.check_id!r} from {record.provider} is already stored "
                                       "for another user", code="check_id_reused")
                return _to_record(existing)
        row = _to_row(record)
        s.add(row)
        s.flush()
        return _to_record(row)

    def set_age(self, user_id: str, *, method: str, age: int | None = None, birth_date: date | None = None,
                age_low: int | None = None, age_high: int | None = None, provider: str | None = None,
                checked_at: datetime | None = None, expires_at: datetime | None = None) -> AgeRecord:
        """Record an age as established by ``method`` (self-declaration included)."""
        checked_at = as_utc(checked_at) or utcnow()
        record = AgeRecord(
            user_id=user_id, method=method, declared_age=age, birth_date=birth_date, age_low=age_low,
            age_high=age_high, provider=provider, checked_at=checked_at,
            expires_at=expires_at if expires_at is not None else expiry_for(method, checked_at, self.policy.valid_days),
        )
        return self.add(record)

    def apply_provider_result(self, provider: str, payload: Mapping[str, Any], *,
                              now: datetime | None = None) -> AgeRecord:
        record = normalise_provider_result(provider, payload, now=now, valid_days=self.policy.valid_days)
        return self.add(record)

    def receive_provider_webhook(self, provider: str, headers: Mapping[str, str], body: bytes, *,
                                 secrets: Mapping[str, Any] | None = None, now: float | None = None,
                                 tolerance_s: int | None = None) -> AgeRecord:
        """Verify a signed provider webhook and store the age record it carries, all or nothing.

        The webhook id and the record are written in one transaction, so a replay is refused even
        by another process, and a webhook whose body is invalid does not use up its id.
        """
        secret = provider_secret(provider, secrets)
        if tolerance_s is None:
            tolerance_s = AgeProviderSettings().age_webhook_tolerance_s if secrets is None else DEFAULT_TOLERANCE_S
        webhook_id, timestamp = verify_signature(secret, headers, body, now=now, tolerance_s=tolerance_s)
        payload = parse_payload(body)
        when = datetime.fromtimestamp(now, tz=utcnow().tzinfo) if now is not None else None
        record = normalise_provider_result(provider, payload, now=when, valid_days=self.policy.valid_days)
        replayed = WebhookReplayed(f"webhook {webhook_id!r} from {provider} was already received (replay refused)")
        try:
            with self.db.session() as s:
                if s.get(AgeWebhookReceipt, (provider, webhook_id)) is not None:
                    raise replayed
                s.add(AgeWebhookReceipt(provider=provider, webhook_id=webhook_id, webhook_timestamp=timestamp))
                s.flush()
                return self._add_in(s, record)
        except IntegrityError:
            raise replayed from None

    def remember(self, provider: str, webhook_id: str, timestamp: int) -> bool:
        """:class:`SeenWebhookIds` backed by the database (shared by every worker)."""
        try:
            with self.db.session() as s:
                if s.get(AgeWebhookReceipt, (provider, webhook_id)) is not None:
                    return False
                s.add(AgeWebhookReceipt(provider=provider, webhook_id=webhook_id, webhook_timestamp=timestamp))
            return True
        except IntegrityError:
            return False

    def purge_webhook_receipts(self, older_than_s: int = 2 * DEFAULT_TOLERANCE_S, *, now: float | None = None) -> int:
        """Forget webhook ids older than the replay window (they would be refused as stale anyway)."""
        cutoff = int((now if now is not None else utcnow().timestamp()) - older_than_s)
        with self.db.session() as s:
            result = s.execute(delete(AgeWebhookReceipt).where(AgeWebhookReceipt.webhook_timestamp < cutoff))
            return result.rowcount or 0

    # -- appeals ----------------------------------------------------------------------------------

    def appeal(self, user_id: str, *, now: datetime | None = None) -> AgeRecord:
        """The user disputes their current age result; it stands until the appeal is resolved."""
        return self._set_appeal(user_id, "pending", allowed_from=("none", "rejected"), now=now)

    def resolve_appeal(self, user_id: str, *, upheld: bool, now: datetime | None = None) -> AgeRecord:
        """Upheld: the result is withdrawn (no longer trusted, a new check is needed). Rejected: it stands."""
        return self._set_appeal(user_id, "upheld" if upheld else "rejected", allowed_from=("pending",), now=now)

    def _set_appeal(self, user_id: str, state: str, *, allowed_from: tuple[str, ...],
                    now: datetime | None) -> AgeRecord:
        current = self.current(user_id, now=now)
        if current is None or current.id is None:
            raise NotFound(f"no age record for user {user_id!r}", code="age_record_not_found")
        if current.appeal_state not in allowed_from:
            raise InvalidInput(f"the age record of {user_id!r} is in appeal state {current.appeal_state!r}; "
                               f"cannot move to {state!r}", code="bad_appeal_state")
        with self.db.session() as s:
            row = s.get(AgeRecordRow, current.id)
            assert row is not None
            row.appeal_state = state
            row.appeal_updated_at = now or utcnow()
            s.flush()
            return _to_record(row)

    # -- reading ----------------------------------------------------------------------------------

    def history(self, user_id: str) -> list[AgeRecord]:
        with self.db.session() as s:
            rows = s.scalars(select(AgeRecordRow).where(AgeRecordRow.user_id == user_id).order_by(AgeRecordRow.id))
            return [_to_record(r) for r in rows]

    def current(self, user_id: str, *, now: datetime | None = None) -> AgeRecord | None:
        return choose_current(self.history(user_id), now, self.policy.assured_methods)

    def person(self, user_id: str, *, now: datetime | None = None) -> Person:
        """The user as the policy sees them; someone with no record is of unknown age."""
        current = self.current(user_id, now=now)
        return current.to_person(now) if current is not None else Person(id=user_id)

    def get(self, user_id: str, *, now: datetime | None = None) -> AgeRecord:
        current = self.current(user_id, now=now)
        if current is None:
            raise NotFound(f"no age record for user {user_id!r}", code="age_record_not_found")
        return current
