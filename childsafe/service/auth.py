"""Authentication and scopes as FastAPI dependencies: ``Authorization: Bearer <key>`` (or ``X-API-Key``).

One plain dependency reads the header (nested security dependencies cost more per request than the
key check itself); the OpenAPI document still declares both schemes (see ``app.py``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from childsafe.service.keys import Principal
from childsafe.service.problems import Problem

SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "An API key made with `childsafe keys create`"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "The same key, as a header"},
}


def _principal(request: Request) -> Principal:
    headers = request.headers
    auth = headers.get("authorization")
    key = None
    if auth:
        scheme, _, credentials = auth.partition(" ")
        if scheme.lower() == "bearer":
            key = credentials.strip()
    if not key:
        key = headers.get("x-api-key")
    if not key:
        raise Problem(401, "missing_api_key", "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'")
    found = request.app.state.service.keyring.check(key)
    if found is None:
        raise Problem(401, "invalid_api_key", "the API key is not known or has been revoked")
    return found


def authorize(request: Request, scopes: tuple[str, ...]) -> Principal:
    """The caller, if the key holds any of ``scopes`` (called directly on the hottest path)."""
    who = _principal(request)
    if who.scopes.isdisjoint(scopes):
        raise Problem(
            403,
            "insufficient_scope",
            f"this call needs the scope {' or '.join(scopes)}; the key has {', '.join(sorted(who.scopes))}",
        )
    return who


def require(*scopes: str):
    """A dependency that lets the call through when the key holds any of ``scopes``."""

    def check(request: Request) -> Principal:
        return authorize(request, scopes)

    check.scopes = scopes  # type: ignore[attr-defined]
    return check


Ingest = Annotated[Principal, Depends(require("ingest"))]
Moderate = Annotated[Principal, Depends(require("moderate", "admin"))]
Admin = Annotated[Principal, Depends(require("admin"))]
Audit = Annotated[Principal, Depends(require("audit"))]
Anyone = Annotated[Principal, Depends(require("ingest", "moderate", "admin", "audit"))]
