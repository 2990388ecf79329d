"""The FastAPI application: ``create_app(settings)`` wires routers, errors, metrics and background work."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from childsafe.service import problems
from childsafe.service.metrics import ServiceMiddleware
from childsafe.service.routers import banks, cases, console, conversations, media, messages, policy, review, streams, system, webhooks
from childsafe.service.runtime import Service
from childsafe.service.auth import SECURITY_SCHEMES
from childsafe.service.schemas import MediaHashIn, MessageIn
from childsafe.service.settings import ServiceSettings, load_settings

DESCRIPTION = """\
One HTTP API over known-media matching, grooming detection, child nudges and safety-by-default policy.

Authenticate with `Authorization: Bearer <key>` (make one with `childsafe keys create`). Errors are
RFC 9457 problem details (`application/problem+json`) with a stable `code`. Actions reach your
platform as Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
"""


def _add_model(schemas: dict, model) -> None:
    """Put a request model parsed by hand (for speed) into the document's components."""
    full = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in full.pop("$defs", {}).items():
        schemas.setdefault(name, sub)
    schemas[model.__name__] = full


def create_app(settings: ServiceSettings | None = None, *, service: Service | None = None) -> FastAPI:
    settings = settings or load_settings()
    svc = service or Service(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        svc.start()
        try:
            yield
        finally:
            svc.stop()

    from childsafe import __version__

    app = FastAPI(
        title="childsafe",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = svc
    problems.install(app)
    for module in (messages, media, policy, banks, conversations, cases, review, streams, system, webhooks, console):
        app.include_router(module.router)
    app.add_middleware(
        ServiceMiddleware, metrics=svc.metrics, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes
    )

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            components = schema.setdefault("components", {})
            for model in (MessageIn, MediaHashIn):
                _add_model(components.setdefault("schemas", {}), model)
            components["securitySchemes"] = SECURITY_SCHEMES
            public = {"/healthz", "/readyz", "/metrics", "/openapi.json"}
            for path, methods in schema.get("paths", {}).items():
                if path in public or path.startswith("/v1/age-providers/"):
                    continue
                for operation in methods.values():
                    operation["security"] = [{"bearer": []}, {"apiKey": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
    return app
