"""Health, readiness, metrics, configuration and the offline API docs page."""

from __future__ import annotations

from pathlib import Path

import orjson
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from sqlalchemy import text
from starlette.responses import FileResponse, HTMLResponse, Response

from childsafe.errors import NotFound
from childsafe.service.auth import Anyone
from childsafe.service.problems import problem_response

router = APIRouter(tags=["system"])


def _json(data, status: int = 200) -> Response:
    return Response(orjson.dumps(data, default=str), status_code=status, media_type="application/json")


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> Response:
    return _json({"status": "ok"})


@router.get("/readyz", summary="Readiness: the database answers and the schema is current")
async def readyz(request: Request) -> Response:
    svc = request.app.state.service
    try:
        with svc.db.sessions() as s:
            s.execute(text("SELECT 1"))
        from childsafe.store.migrations import is_current

        current = is_current(svc.db)
    except Exception as exc:
        return problem_response(503, "not_ready", f"database not reachable ({type(exc).__name__})")
    if not current:
        return problem_response(503, "not_ready", "the database schema is not at the latest migration")
    if not svc.started:
        return problem_response(503, "not_ready", "the service is still starting")
    return _json({"status": "ready"})


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    svc = request.app.state.service
    try:
        svc.metrics.outbox_pending.set(svc.outbox_pending())
        svc.metrics.outbox_failed.set(svc.outbox_failed())
    except Exception:
        pass
    body, ctype = svc.metrics.render()
    return Response(body, media_type=ctype)


@router.get("/v1/config", summary="Limits, retention periods and webhook settings (never secrets)")
async def config(request: Request, who: Anyone) -> Response:
    from childsafe import __version__

    return _json({"version": __version__, **request.app.state.service.settings.public_dict()})


def _swagger_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


@router.get("/docs", include_in_schema=False)
async def docs() -> Response:
    if _swagger_dir() is None:
        return HTMLResponse(
            "<p>The interactive docs need the <code>swagger-ui-bundle-v2</code> package (no CDN is used). "
            "The API description is at <a href='/openapi.json'>/openapi.json</a>.</p>"
        )
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="childsafe API",
        swagger_js_url="/docs/static/swagger-ui-bundle.js",
        swagger_css_url="/docs/static/swagger-ui.css",
        swagger_favicon_url="/docs/static/favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/docs/static/{name}", include_in_schema=False)
async def docs_static(name: str) -> Response:
    base = _swagger_dir()
    if base is None or name not in {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"}:
        raise NotFound(f"no docs asset {name!r}", code="not_found")
    return FileResponse(base / name)
