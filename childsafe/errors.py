"""Errors the library raises on purpose.

Every error carries a stable machine-readable ``code`` (used verbatim as the ``code`` of an
RFC 9457 problem document by the service and printed by the CLI) and a message that names the
problem, the file and the line where there is one. Anything else escaping the library is a bug.
"""

from __future__ import annotations


class ChildsafeError(Exception):
    """Base class: a clear, expected failure caused by input or state, never a crash."""

    code: str = "error"
    http_status: int = 400

    def __init__(self, message: str, *, code: str | None = None, **details: object) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def __str__(self) -> str:
        return self.message


class InvalidInput(ChildsafeError):
    """The input (file, hash, JSON line, argument) is malformed or unsupported."""

    code = "invalid_input"
    http_status = 422


class NotFound(ChildsafeError):
    code = "not_found"
    http_status = 404


class Conflict(ChildsafeError):
    """The request clashes with current state (duplicate name, concurrent change)."""

    code = "conflict"
    http_status = 409


class Forbidden(ChildsafeError):
    code = "forbidden"
    http_status = 403
