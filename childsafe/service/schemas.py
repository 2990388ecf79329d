"""Request and response shapes of the HTTP API (they are what /openapi.json documents)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

Id = Field(min_length=1, max_length=200)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Party(Strict):
    id: str = Field(min_length=1, max_length=200, description="the platform's user id")
    age: int | None = Field(None, ge=0, le=130, description="age in years, if the platform knows it")
    band: str | None = Field(None, max_length=40, description="age band, e.g. under_13, 13-15, 16-17, 18+")


class MessageIn(Strict):
    conversation_id: str = Field(min_length=1, max_length=200)
    message_id: str = Field(min_length=1, max_length=200)
    sender: Party
    recipients: list[Party] = Field(default_factory=list, max_length=500)
    sent_at: datetime
    text: str = Field(max_length=100_000)
    connected: bool | None = Field(None, description="the recipients have accepted the sender as a connection (if known)")


class Evidence(BaseModel):
    message_id: str
    start: int
    end: int


class TacticOut(BaseModel):
    tactic: str
    score: float
    evidence: list[Evidence] = []


class AssessmentOut(BaseModel):
    risk: float
    level: Literal["none", "low", "medium", "high", "critical"]
    tactics: list[TacticOut] = []
    recommended_action: str
    first_alert_message_id: str | None = None


class NudgeOut(BaseModel):
    text: str
    actions: list[str]
    user_id: str | None = Field(None, description="the child the nudge is for")


class PolicyCheckOut(BaseModel):
    allowed: bool
    rule: str
    reason: str
    explanation: str
    requires: list[str] = []
    modifiers: list[str] = []
    measures: list[str] = []


class RecipientPolicy(PolicyCheckOut):
    recipient_id: str
    action: str


class MessagePolicyOut(BaseModel):
    allowed: bool = Field(description="false when the policy refuses delivery to any recipient")
    checks: list[RecipientPolicy]


class MessageDecision(BaseModel):
    event_id: str
    conversation_id: str
    message_id: str
    action: str = Field(description="the most severe action: none, nudge_child, warn_sender, hold_message, restrict_user, open_case")
    actions: list[str]
    assessment: AssessmentOut
    pii: list[dict[str, Any]]
    policy: MessagePolicyOut
    nudge: NudgeOut | None
    case_id: str | None = None
    webhooks: list[str] = Field(description="webhook event ids queued for this decision")


class MediaHashIn(Strict):
    pdq: list[str] = Field(default_factory=list, max_length=64, description="PDQ hashes (64 hex), e.g. from a client SDK")
    md5: str | None = Field(None, pattern=r"^[0-9a-fA-F]{32}$")
    sha256: str | None = Field(None, pattern=r"^[0-9a-fA-F]{64}$")
    uploader_id: str | None = Field(None, max_length=200)
    conversation_id: str | None = Field(None, max_length=200)
    media_id: str | None = Field(None, max_length=200)
    banks: list[str] = Field(default_factory=list, max_length=50)


class MediaDecision(BaseModel):
    event_id: str
    action: Literal["none", "block_media"]
    actions: list[str]
    matches: list[dict[str, Any]]
    fingerprint: dict[str, Any] | None = None
    case_id: str | None = None
    webhooks: list[str]


class ContactCheckIn(Strict):
    action: str = Field(min_length=1, max_length=40, description="e.g. start_dm, send_message, friend_request, match_random")
    actor: Party
    target: Party | None = None
    context: dict[str, Any] | None = None


class AgeIn(Strict):
    age: int | None = Field(None, ge=0, le=130)
    age_low: int | None = Field(None, ge=0, le=130)
    age_high: int | None = Field(None, ge=0, le=130)
    birth_date: str | None = Field(None, max_length=10, description="YYYY-MM-DD")
    method: str = Field(min_length=1, max_length=40, description="assurance method, e.g. self_declared, facial_estimation, id_document")
    provider: str | None = Field(None, max_length=100)
    checked_at: datetime | None = None


class BankIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    signal_type: str = Field(min_length=1, max_length=20, description="pdq, vpdq, md5 or sha256")
    description: str = Field("", max_length=1000)


class EntriesIn(Strict):
    hashes: list[str] = Field(min_length=1, max_length=100_000)
    labels: list[str] = Field(default_factory=list, max_length=50)
    source: str = Field("", max_length=200)


class DisableIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class EvidenceRef(Strict):
    """A pointer to evidence, never the evidence itself."""

    kind: Literal["event", "message", "media", "bank_entry", "user", "note"]
    event_id: str | None = Field(None, max_length=64)
    conversation_id: str | None = Field(None, max_length=200)
    message_id: str | None = Field(None, max_length=200)
    media_id: str | None = Field(None, max_length=200)
    sha256: str | None = Field(None, pattern=r"^[0-9a-fA-F]{64}$")
    bank: str | None = Field(None, max_length=100)
    entry_id: int | None = Field(None, ge=0, le=2**62)
    user_id: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=1000)


class CaseIn(Strict):
    reason: str = Field(min_length=1, max_length=500)
    subject_user_id: str | None = Field(None, max_length=200)
    conversation_id: str | None = Field(None, max_length=200)
    evidence: list[EvidenceRef] = Field(default_factory=list, max_length=500)
    priority: Literal["low", "normal", "high", "urgent"] = "normal"


class CaseStateIn(Strict):
    state: Literal["open", "in_review", "actioned", "closed"]
    # the version the caller last saw: a case changed since is refused with 409 `case_changed`
    version: int | None = Field(None, ge=1)


class RedeliverIn(Strict):
    """Either ``event_ids`` or ``all_failed: true`` (checked by ``outbox.redeliver``, which says which is wrong)."""

    event_ids: list[StrictStr] | None = Field(None, max_length=1000, description="webhook event ids (`webhook-id`)")
    all_failed: StrictBool = Field(False, description="every webhook given up after the maximum attempts")


class Problem(BaseModel):
    """RFC 9457 problem details; ``code`` is stable and machine-readable."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}, "description": desc}
    for status, desc in {
        400: "malformed request (e.g. invalid JSON)",
        401: "missing or unknown API key",
        403: "the key's scopes do not allow this call",
        413: "request body over the configured limit",
        422: "a field is missing or has the wrong type",
    }.items()
}
