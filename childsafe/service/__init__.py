"""The childsafe HTTP service: events in, decisions back, actions out as signed webhooks.

``create_app(settings)`` builds the FastAPI app; ``childsafe serve`` runs it on uvicorn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

    from childsafe.service.settings import ServiceSettings


def create_app(settings: "ServiceSettings | None" = None) -> "FastAPI":
    from childsafe.service.app import create_app as _create_app

    return _create_app(settings)


__all__ = ["create_app"]
