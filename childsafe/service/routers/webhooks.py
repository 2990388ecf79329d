"""/v1/webhooks: webhooks given up after the maximum attempts, listed and queued again (admin)."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from childsafe.service import outbox
from childsafe.service.auth import Admin
from childsafe.service.schemas import PROBLEM_RESPONSES, RedeliverIn

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=PROBLEM_RESPONSES)


def _json(data, status: int = 200) -> Response:
    return Response(orjson.dumps(data, default=str), status_code=status, media_type="application/json")


@router.get("/failed", summary="Webhooks given up after CHILDSAFE_WEBHOOK_MAX_ATTEMPTS, oldest first")
async def list_failed(
    request: Request,
    who: Admin,
    limit: int = Query(50, ge=1, le=outbox.MAX_LIST_LIMIT),
    after: int | None = Query(None, ge=0, description="the `next_after` of the previous page"),
) -> Response:
    svc = request.app.state.service

    def work():
        with svc.db.session() as s:
            return outbox.list_failed(s, svc.settings.webhook_max_attempts, limit=limit, after=after)

    page = await run_in_threadpool(work)
    return _json({**page.to_dict(), "max_attempts": svc.settings.webhook_max_attempts})


@router.post("/redeliver", summary="Queue webhooks again (same webhook-id and payload); each one is audited")
async def redeliver(body: RedeliverIn, request: Request, who: Admin) -> Response:
    svc = request.app.state.service

    def work():
        with svc.db.session() as s:
            return outbox.redeliver(
                s, svc.settings.webhook_max_attempts, body.event_ids, all_failed=body.all_failed, actor=who.actor
            )

    result = await run_in_threadpool(work)
    return _json(result.to_dict())
