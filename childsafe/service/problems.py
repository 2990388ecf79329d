"""RFC 9457 problem details for every error the service answers, each with a stable ``code``.

Validation failures (FastAPI's 422), malformed JSON, auth failures, library errors and anything
unexpected all leave as ``application/problem+json``; an unexpected error is logged (without content)
and answered 500 with code ``internal_error`` so a client never sees a stack trace.
"""

from __future__ import annotations

import logging

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from childsafe.errors import ChildsafeError

log = logging.getLogger("childsafe.service")

PROBLEM_TYPE = "https://childsafe.dev/problems/"
PROBLEM_JSON = "application/problem+json"

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class Problem(ChildsafeError):
    """An HTTP-level problem raised inside the service (auth, scope, size, idempotency)."""

    def __init__(self, status: int, code: str, message: str, **details: object) -> None:
        super().__init__(message, code=code, **details)
        self.http_status = status


def problem_response(status: int, code: str, detail: str, *, instance: str | None = None, **extra: object) -> Response:
    body: dict = {
        "type": PROBLEM_TYPE + code,
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return Response(orjson.dumps(body, default=str), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def validation_problem(exc) -> Problem:
    """A pydantic ValidationError from a body parsed by hand, as the same problem FastAPI's would give."""
    status, code, detail, errors = _validation_errors(exc, prefix=("body",))
    return Problem(status, code, detail, errors=errors)


def _validation_errors(exc, prefix: tuple = ()) -> tuple[int, str, str, list[dict]]:
    errors = []
    for err in exc.errors():
        loc = [str(x) for x in (*prefix, *err.get("loc", ()))]
        errors.append({"location": "/".join(loc), "type": err.get("type", ""), "message": err.get("msg", "")})
    if any(e["type"] == "json_invalid" for e in errors):
        first = next(e for e in errors if e["type"] == "json_invalid")
        return 400, "malformed_json", f"the request body is not valid JSON: {first['message']}", errors
    missing = [e for e in errors if e["type"] == "missing"]
    if missing and len(missing) == len(errors):
        names = ", ".join(e["location"] for e in missing)
        return 422, "missing_field", f"required field(s) missing: {names}", errors
    first = errors[0] if errors else {"location": "", "message": "invalid request"}
    return 422, "invalid_field", f"{first['location'] or 'request'}: {first['message']}", errors


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        status, code, detail, errors = _validation_errors(exc)
        return problem_response(status, code, detail, instance=request.url.path, errors=errors)

    @app.exception_handler(ChildsafeError)
    async def _library(request: Request, exc: ChildsafeError) -> Response:
        extra = {k: v for k, v in exc.details.items() if isinstance(v, (str, int, float, bool, list, dict))}
        return problem_response(exc.http_status, exc.code, exc.message, instance=request.url.path, **extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such resource: {request.url.path}"
        return problem_response(exc.status_code, code, detail, instance=request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error", exc_info=exc, extra={"path": request.url.path})
        return problem_response(500, "internal_error", "an unexpected error occurred; it has been logged")
