"""Scoped API keys. A key is ``cs_<prefix>_<secret>``; only its SHA-256 is stored, the prefix finds the row.

The key is shown once, when made. Lookups are cached for a few seconds per process so a check costs a
hash, not a query; a revoked key stops working within that time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from childsafe.cases.models import iso_utc
from childsafe.errors import InvalidInput, NotFound
from childsafe.service.models import ApiKey

SCOPES = ("ingest", "moderate", "admin", "audit")
KEY_PREFIX = "cs_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id and name (for the audit log) and what it may do."""

    key_id: int
    prefix: str
    name: str
    scopes: frozenset[str]

    @property
    def actor(self) -> str:
        return f"key:{self.prefix}" + (f"({self.name})" if self.name else "")


def parse_scopes(text: str | list[str]) -> list[str]:
    items = text if isinstance(text, list) else [s.strip() for s in text.split(",")]
    items = [s for s in items if s]
    if not items:
        raise InvalidInput(f"give at least one scope: {', '.join(SCOPES)}", code="bad_scopes")
    unknown = [s for s in items if s not in SCOPES]
    if unknown:
        raise InvalidInput(f"unknown scope(s) {', '.join(unknown)}; scopes are {', '.join(SCOPES)}", code="bad_scopes")
    return sorted(set(items), key=SCOPES.index)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, scopes: list[str], name: str = "") -> tuple[str, ApiKey]:
    """Make a key; returns the plaintext (shown once) and the stored row."""
    scopes = parse_scopes(scopes)
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        prefix=prefix, key_sha256=_digest(key), name=name, scopes=",".join(scopes), created_at=datetime.now(timezone.utc)
    )
    session.add(row)
    session.flush()
    return key, row


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(session: Session, prefix: str) -> ApiKey:
    prefix = prefix.removeprefix(KEY_PREFIX).split("_")[0]
    row = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if row is None:
        raise NotFound(f"no API key with prefix {prefix!r}", code="unknown_key")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(timezone.utc)
    return row


def key_to_dict(row: ApiKey) -> dict:
    return {
        "prefix": row.prefix,
        "name": row.name,
        "scopes": row.scopes.split(","),
        "created_at": iso_utc(row.created_at),
        "revoked_at": iso_utc(row.revoked_at),
    }


def count_keys(session: Session) -> int:
    return len(list(session.scalars(select(ApiKey.id).limit(1))))


class KeyRing:
    """Checks presented keys against the database, caching answers briefly."""

    def __init__(self, db, ttl_seconds: float = 5.0) -> None:
        self.db = db
        self.ttl = ttl_seconds
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> Principal | None:
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        principal = self._lookup(key)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[key] = (now + self.ttl, principal)
        return principal

    def _lookup(self, key: str) -> Principal | None:
        if not key.startswith(KEY_PREFIX) or key.count("_") < 2:
            return None
        prefix = key[len(KEY_PREFIX):].split("_", 1)[0]
        with self.db.session() as s:
            row = s.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
            if row is None or row.revoked_at is not None:
                return None
            if not hmac.compare_digest(row.key_sha256, _digest(key)):
                return None
            return Principal(row.id, row.prefix, row.name, frozenset(row.scopes.split(",")))
