"""Verifying age-provider webhooks: signed, fresh, and seen only once.

Providers sign with HMAC-SHA256 in the Standard Webhooks format (``webhook-id``,
``webhook-timestamp``, ``webhook-signature: v1,<base64>``; the signed content is
``id.timestamp.body``). A webhook is refused when the signature is missing or wrong (compared in
constant time), when its timestamp is outside the tolerance window, or when its id has been seen
before, so a captured webhook cannot be replayed to change a child's age.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Mapping, Protocol

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from childsafe.errors import InvalidInput

DEFAULT_TOLERANCE_S = 300
MAX_BODY_BYTES = 256 * 1024
_HEADER_PREFIXES = ("webhook-", "svix-")


class WebhookRejected(InvalidInput):
    """An age-provider webhook that must not be acted on (unsigned, forged, stale or replayed)."""

    code = "webhook_rejected"
    http_status = 401


class WebhookReplayed(WebhookRejected):
    """A webhook id seen before: refused so a captured webhook cannot be played again."""

    code = "webhook_replayed"
    http_status = 409


class AgeProviderSettings(BaseSettings):
    """Provider secrets: ``CHILDSAFE_AGE_PROVIDER_SECRETS='{"yoti": "whsec_..."}'``."""

    model_config = SettingsConfigDict(env_prefix="CHILDSAFE_", env_file=".env", extra="ignore")

    age_provider_secrets: dict[str, SecretStr] = Field(default_factory=dict)
    age_webhook_tolerance_s: int = Field(default=DEFAULT_TOLERANCE_S, ge=1, le=3600)


def provider_secret(provider: str, secrets: Mapping[str, Any] | None = None) -> bytes:
    """The HMAC key for a provider, from ``secrets`` or the settings; unknown providers are refused."""
    if secrets is None:
        secrets = AgeProviderSettings().age_provider_secrets
    raw = secrets.get(provider)
    if raw is None:
        raise WebhookRejected(f"no webhook secret configured for age provider {provider!r}",
                              code="webhook_unknown_provider")
    value = raw.get_secret_value() if isinstance(raw, SecretStr) else raw
    return secret_bytes(value)


def secret_bytes(secret: str | bytes) -> bytes:
    if isinstance(secret, bytes):
        return secret
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[len("whsec_"):], validate=True)
        except ValueError:
            raise InvalidInput("webhook secret starting whsec_ is not valid base64", code="bad_secret") from None
    if not secret:
        raise InvalidInput("webhook secret is empty", code="bad_secret")
    return secret.encode("utf-8")


def sign_webhook(secret: str | bytes, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value for a body (what a provider sends; used in tests)."""
    content = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str | bytes, webhook_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {"webhook-id": webhook_id, "webhook-timestamp": str(ts),
            "webhook-signature": sign_webhook(secret, webhook_id, ts, body)}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = {k.lower(): v for k, v in headers.items()}
    for prefix in _HEADER_PREFIXES:
        value = lowered.get(prefix + name)
        if value is not None:
            return value
    return None


@dataclass(frozen=True, slots=True)
class VerifiedWebhook:
    provider: str
    webhook_id: str
    timestamp: int
    payload: dict


def verify_signature(secret: str | bytes, headers: Mapping[str, str], body: bytes, *,
                     now: float | None = None, tolerance_s: int = DEFAULT_TOLERANCE_S) -> tuple[str, int]:
    """Check signature and freshness; returns (webhook id, timestamp). Does not check replays."""
    if not isinstance(body, (bytes, bytearray)):
        raise WebhookRejected("webhook body must be bytes", code="webhook_bad_body")
    if len(body) > MAX_BODY_BYTES:
        raise WebhookRejected(f"webhook body over {MAX_BODY_BYTES} bytes", code="webhook_bad_body")
    webhook_id = _header(headers, "id")
    ts_text = _header(headers, "timestamp")
    signature = _header(headers, "signature")
    if not webhook_id or not ts_text or not signature:
        missing = [n for n, v in (("webhook-id", webhook_id), ("webhook-timestamp", ts_text),
                                  ("webhook-signature", signature)) if not v]
        raise WebhookRejected(f"unsigned webhook: missing header(s) {', '.join(missing)}", code="webhook_unsigned")
    if len(webhook_id) > 200:
        raise WebhookRejected("webhook-id is too long", code="webhook_bad_header")
    try:
        timestamp = int(ts_text)
    except ValueError:
        raise WebhookRejected(f"webhook-timestamp {ts_text!r} is not a whole number of seconds",
                              code="webhook_bad_header") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_s:
        raise WebhookRejected(
            f"webhook timestamp is {int(current - timestamp)}s from now, outside the {tolerance_s}s window",
            code="webhook_stale",
        )
    expected = sign_webhook(secret, webhook_id, timestamp, bytes(body)).split(",", 1)[1].encode()
    for candidate in signature.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return webhook_id, timestamp
    raise WebhookRejected("webhook signature does not match", code="webhook_bad_signature")


class SeenWebhookIds(Protocol):
    def remember(self, provider: str, webhook_id: str, timestamp: int) -> bool:
        """Record an id; False when it was already seen (a replay)."""


class MemorySeenWebhookIds:
    """Seen ids for one process; entries older than twice the window are dropped (they would be stale anyway)."""

    def __init__(self, tolerance_s: int = DEFAULT_TOLERANCE_S) -> None:
        self.tolerance_s = tolerance_s
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def remember(self, provider: str, webhook_id: str, timestamp: int) -> bool:
        now = time.time()
        with self._lock:
            if len(self._seen) > 10_000:
                cutoff = now - 2 * self.tolerance_s
                self._seen = {k: v for k, v in self._seen.items() if v >= cutoff}
            key = (provider, webhook_id)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


def verify_provider_webhook(provider: str, headers: Mapping[str, str], body: bytes, *, seen: SeenWebhookIds,
                            secrets: Mapping[str, Any] | None = None, now: float | None = None,
                            tolerance_s: int | None = None) -> VerifiedWebhook:
    """Verify a provider webhook end to end and return its JSON payload.

    This is what ``POST /v1/age-providers/{provider}/webhook`` runs before anything is stored.
    """
    secret = provider_secret(provider, secrets)
    if tolerance_s is None:
        tolerance_s = AgeProviderSettings().age_webhook_tolerance_s if secrets is None else DEFAULT_TOLERANCE_S
    webhook_id, timestamp = verify_signature(secret, headers, body, now=now, tolerance_s=tolerance_s)
    payload = parse_payload(body)
    if not seen.remember(provider, webhook_id, timestamp):
        raise WebhookReplayed(f"webhook {webhook_id!r} from {provider} was already received (replay refused)")
    return VerifiedWebhook(provider, webhook_id, timestamp, payload)


def parse_payload(body: bytes) -> dict:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("webhook body is not valid JSON", code="webhook_bad_body") from None
    if not isinstance(payload, dict):
        raise InvalidInput("webhook body must be a JSON object", code="webhook_bad_body")
    return payload
