"""Age records, and provider results normalised into them.

Providers answer in one of two common shapes: an *age estimate* with an uncertainty (facial age
estimation: "25.8, standard deviation 1.7") or a *threshold* answer ("over 18: pass / fail /
inconclusive"). Document checks add a third: a date of birth. All three become an
:class:`AgeRecord` holding an age range, so the policy never has to know which provider spoke.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Mapping

from childsafe.errors import InvalidInput
from childsafe.policy.assurance import DEFAULT_VALID_DAYS, check_method, level_of
from childsafe.policy.bands import MAX_AGE, check_age
from childsafe.policy.people import Person

OUTCOMES = ("established", "inconclusive")
APPEAL_STATES = ("none", "pending", "upheld", "rejected")

# An estimate is widened to at least this many years either side (the "buffer"), and to two
# standard deviations when the provider gives one, before it establishes a band.
DEFAULT_ESTIMATE_BUFFER = 2.0
DEFAULT_MIN_CONFIDENCE = 0.9


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def years_between(earlier: date, later: date) -> int:
    """Whole years from one date to another (an age on a birthday counts)."""
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


@dataclass(frozen=True, slots=True)
class AgeRecord:
    """What is known about one user's age, how it was established, and whether it is still trusted.

    ``appeal_state``: ``pending`` while the user disputes the result (the result stands meanwhile),
    ``upheld`` when the dispute succeeded (the result is withdrawn and no longer trusted),
    ``rejected`` when it failed.
    """

    user_id: str
    method: str
    checked_at: datetime
    declared_age: int | None = None
    birth_date: date | None = None
    age_low: int | None = None
    age_high: int | None = None
    estimated_age: float | None = None
    provider: str | None = None
    check_id: str | None = None
    outcome: str = "established"
    expires_at: datetime | None = None
    appeal_state: str = "none"
    id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.user_id, str) or not self.user_id.strip() or len(self.user_id) > 200:
            raise InvalidInput("an age record needs a user id (1-200 characters)", code="bad_age_record")
        object.__setattr__(self, "method", check_method(self.method))
        if self.provider is not None and (not isinstance(self.provider, str) or not 0 < len(self.provider) <= 100):
            raise InvalidInput("provider name must be 1-100 characters", code="bad_age_record")
        if self.check_id is not None and (not isinstance(self.check_id, str) or not 0 < len(self.check_id) <= 200):
            raise InvalidInput("check id must be 1-200 characters", code="bad_age_record")
        if self.declared_age is not None:
            check_age(self.declared_age, "declared age")
        for name in ("age_low", "age_high"):
            if getattr(self, name) is not None:
                check_age(getattr(self, name), name)
        if self.age_low is not None and self.age_high is not None and self.age_low > self.age_high:
            raise InvalidInput(f"age range {self.age_low}..{self.age_high} is empty", code="bad_age_record")
        if self.outcome not in OUTCOMES:
            raise InvalidInput(f"outcome must be one of {', '.join(OUTCOMES)}", code="bad_age_record")
        if self.appeal_state not in APPEAL_STATES:
            raise InvalidInput(f"appeal state must be one of {', '.join(APPEAL_STATES)}", code="bad_age_record")
        object.__setattr__(self, "checked_at", as_utc(self.checked_at))
        object.__setattr__(self, "expires_at", as_utc(self.expires_at))
        if self.birth_date is not None:
            if self.birth_date > self.checked_at.date():
                raise InvalidInput(f"birth date {self.birth_date} is after the check", code="bad_age")
            check_age(years_between(self.birth_date, self.checked_at.date()), "age from birth date")
        if self.outcome == "established" and self.declared_age is None and self.birth_date is None \
                and self.age_low is None and self.age_high is None:
            raise InvalidInput("an established age record needs an age, a birth date or an age range",
                               code="bad_age_record")

    @property
    def level(self) -> str:
        return level_of(self.method).value

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    def is_trusted(self, now: datetime | None = None) -> bool:
        """Established, not expired, not withdrawn on appeal (the method's level is a separate matter)."""
        return self.outcome == "established" and self.appeal_state != "upheld" and not self.is_expired(now)

    def age_on(self, when: datetime | None = None) -> int | None:
        """The age now: from the birth date, else the declared age moved on by the years since."""
        when = when or utcnow()
        if self.birth_date is not None:
            return years_between(self.birth_date, when.date())
        if self.declared_age is not None:
            return min(MAX_AGE, self.declared_age + max(0, years_between(self.checked_at.date(), when.date())))
        return None

    def to_person(self, now: datetime | None = None) -> Person:
        """The person the policy sees: an untrusted record keeps its age but loses its assurance."""
        now = now or utcnow()
        trusted = self.is_trusted(now)
        if self.outcome != "established":
            return Person(id=self.user_id)
        elapsed = max(0, years_between(self.checked_at.date(), now.date()))
        age = self.age_on(now)
        low = high = None
        if age is None:
            low = None if self.age_low is None else min(MAX_AGE, self.age_low + elapsed)
            high = None if self.age_high is None else min(MAX_AGE, self.age_high + elapsed)
        return Person(
            id=self.user_id, age=age, age_low=low, age_high=high,
            assurance=self.method if trusted else None,
            expires_at=self.expires_at if trusted else None,
        )

    def to_dict(self, now: datetime | None = None) -> dict:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "method": self.method,
            "level": self.level,
            "provider": self.provider,
            "check_id": self.check_id,
            "outcome": self.outcome,
            "declared_age": self.declared_age,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "age_low": self.age_low,
            "age_high": self.age_high,
            "estimated_age": self.estimated_age,
            "age_now": self.age_on(now),
            "checked_at": self.checked_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "expired": self.is_expired(now),
            "trusted": self.is_trusted(now),
            "appeal_state": self.appeal_state,
        }


def expiry_for(method: str, checked_at: datetime, valid_days: Mapping[str, int | None] | None = None) -> datetime | None:
    method = check_method(method)
    days = (valid_days or DEFAULT_VALID_DAYS).get(method, DEFAULT_VALID_DAYS[method])
    return None if days is None else checked_at + timedelta(days=days)


# ---------------------------------------------------------------------------------------------
# Provider results
# ---------------------------------------------------------------------------------------------


def _parse_time(value: Any, field: str) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)  # type: ignore[return-value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise InvalidInput(f"{field}: {value!r} is not a valid time", code="bad_provider_result") from None
    if isinstance(value, str):
        try:
            return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))  # type: ignore[return-value]
        except ValueError:
            pass
    raise InvalidInput(f"{field}: {value!r} is not an ISO 8601 time or epoch seconds", code="bad_provider_result")


def _number(payload: Mapping[str, Any], *names: str) -> float | None:
    for name in names:
        if name in payload and payload[name] is not None:
            value = payload[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InvalidInput(f"{name}: must be a number, got {value!r}", code="bad_provider_result")
            return float(value)
    return None


def normalise_provider_result(provider: str, payload: Mapping[str, Any], *, now: datetime | None = None,
                              valid_days: Mapping[str, int | None] | None = None,
                              min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> AgeRecord:
    """Turn one provider answer into an age record.

    Recognised shapes (besides ``user_id`` and optional ``check_id``, ``method``, ``checked_at``,
    ``expires_at``):

    - estimate: ``age_estimate`` (or ``estimated_age``/``age``) with ``st_dev`` or ``uncertainty``
      and/or ``buffer`` in years, optional ``confidence`` (0..1) and ``liveness`` (bool). The range
      is the estimate plus or minus the larger of the buffer (default 2) and two standard
      deviations; low confidence or a failed liveness check makes it inconclusive.
    - threshold: ``threshold`` (an age) and ``result`` ``pass``/``fail``/``inconclusive``:
      pass means at least the threshold, fail means under it.
    - document: ``date_of_birth`` (ISO date).
    """
    if not isinstance(provider, str) or not provider.strip() or len(provider) > 100:
        raise InvalidInput("provider name must be 1-100 characters", code="bad_provider_result")
    if not isinstance(payload, Mapping):
        raise InvalidInput(f"provider {provider}: result must be a JSON object", code="bad_provider_result")
    user_id = payload.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        raise InvalidInput(f"provider {provider}: result has no user_id", code="bad_provider_result")
    check_id = payload.get("check_id")
    if check_id is not None and (not isinstance(check_id, str) or not check_id or len(check_id) > 200):
        raise InvalidInput(f"provider {provider}: check_id must be a non-empty string", code="bad_provider_result")
    checked_at = _parse_time(payload["checked_at"], "checked_at") if payload.get("checked_at") is not None \
        else (now or utcnow())
    common: dict[str, Any] = {"user_id": user_id, "provider": provider, "check_id": check_id,
                              "checked_at": checked_at}

    estimate = _number(payload, "age_estimate", "estimated_age", "age")
    if "date_of_birth" in payload:
        method = check_method(payload.get("method", "id_document"))
        try:
            dob = date.fromisoformat(str(payload["date_of_birth"]))
        except ValueError:
            raise InvalidInput(f"date_of_birth: {payload['date_of_birth']!r} is not an ISO date",
                               code="bad_provider_result") from None
        record = AgeRecord(method=method, birth_date=dob, **common)
    elif "threshold" in payload:
        if "method" not in payload:
            raise InvalidInput(f"provider {provider}: a threshold result must name its method "
                               "(credit_card, open_banking, mobile_operator, digital_id, ...)", code="bad_provider_result")
        method = check_method(payload["method"])
        threshold = payload["threshold"]
        check_age(threshold, "threshold")
        result = payload.get("result")
        if result == "pass":
            record = AgeRecord(method=method, age_low=threshold, **common)
        elif result == "fail":
            if threshold == 0:
                raise InvalidInput("threshold 0 cannot be failed", code="bad_provider_result")
            record = AgeRecord(method=method, age_high=threshold - 1, **common)
        elif result == "inconclusive":
            record = AgeRecord(method=method, outcome="inconclusive", **common)
        else:
            raise InvalidInput(f"result: must be pass, fail or inconclusive, got {result!r}", code="bad_provider_result")
    elif estimate is not None:
        method = check_method(payload.get("method", "facial_estimation"))
        if not 0 <= estimate <= MAX_AGE:
            raise InvalidInput(f"age estimate {estimate} is not a plausible age", code="bad_provider_result")
        st_dev = _number(payload, "st_dev", "uncertainty")
        buffer = _number(payload, "buffer")
        if (st_dev is not None and st_dev < 0) or (buffer is not None and buffer < 0):
            raise InvalidInput("st_dev and buffer must not be negative", code="bad_provider_result")
        confidence = _number(payload, "confidence")
        if confidence is not None and not 0 <= confidence <= 1:
            raise InvalidInput(f"confidence must be between 0 and 1, got {confidence}", code="bad_provider_result")
        width = max(buffer if buffer is not None else DEFAULT_ESTIMATE_BUFFER, 2 * st_dev if st_dev else 0.0)
        live = payload.get("liveness", True)
        if (confidence is not None and confidence < min_confidence) or live is False:
            record = AgeRecord(method=method, estimated_age=estimate, outcome="inconclusive", **common)
        else:
            low = max(0, math.floor(estimate - width))
            high = min(MAX_AGE, math.ceil(estimate + width))
            record = AgeRecord(method=method, estimated_age=estimate, age_low=low, age_high=high, **common)
    else:
        raise InvalidInput(
            f"provider {provider}: unrecognised result: expected age_estimate, threshold+result or date_of_birth",
            code="bad_provider_result",
        )
    expires = _parse_time(payload["expires_at"], "expires_at") if payload.get("expires_at") is not None \
        else expiry_for(record.method, checked_at, valid_days)
    return replace(record, expires_at=expires)
