"""Authentication and scopes as FastAPI dependencies: ``Authorization: Bearer <key>`` (or ``X-API-Key``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from childsafe.service.keys import Principal
from childsafe.service.problems import Problem

_bearer = HTTPBearer(auto_error=False, description="An API key made with `childsafe keys create`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The same key, as a header")


def principal(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> Principal:
    key = bearer.credentials if bearer is not None else header
    if not key:
        raise Problem(401, "missing_api_key", "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'")
    found = request.app.state.service.keyring.check(key)
    if found is None:
        raise Problem(401, "invalid_api_key", "the API key is not known or has been revoked")
    return found


def require(*scopes: str):
    """A dependency that lets the call through when the key holds any of ``scopes``."""

    def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if not who.scopes.intersection(scopes):
            raise Problem(
                403,
                "insufficient_scope",
                f"this call needs the scope {' or '.join(scopes)}; the key has {', '.join(sorted(who.scopes))}",
            )
        return who

    return check


Ingest = Annotated[Principal, Depends(require("ingest"))]
Moderate = Annotated[Principal, Depends(require("moderate", "admin"))]
Admin = Annotated[Principal, Depends(require("admin"))]
Audit = Annotated[Principal, Depends(require("audit"))]
Anyone = Annotated[Principal, Depends(principal)]
