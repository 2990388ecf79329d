"""Policy: contact checks, stored age records and signed age-provider callbacks."""

from __future__ import annotations

from datetime import date, datetime, timezone

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from childsafe.service import audit
from childsafe.service.auth import Admin, Ingest
from childsafe.service.models import IngestEvent
from childsafe.service.outbox import new_event_id
from childsafe.service.people import person_for
from childsafe.service.problems import Problem
from childsafe.service.schemas import PROBLEM_RESPONSES, AgeIn, ContactCheckIn, PolicyCheckOut

router = APIRouter(prefix="/v1", tags=["policy"], responses=PROBLEM_RESPONSES)


def _json(data, status: int = 200) -> Response:
    return Response(orjson.dumps(data, default=str), status_code=status, media_type="application/json")


@router.post(
    "/contact-check",
    response_model=None,
    responses={200: {"model": PolicyCheckOut, "description": "the policy decision"}},
    summary="May the actor do this to or with the target?",
)
async def contact_check(body: ContactCheckIn, request: Request, who: Ingest) -> Response:
    """Checks one action (start_dm, friend_request, match_random, watch_live, ...) against the policy,
    using the ages sent here or, when absent, the stored age records."""
    from childsafe.policy import Context

    svc = request.app.state.service
    actor = person_for(svc, body.actor)
    target = person_for(svc, body.target) if body.target is not None else None
    context = Context.from_dict(body.context)
    decision = svc.policy.check(body.action, actor, target, context).to_dict()
    event_id = new_event_id()
    row = {
        "event_id": event_id, "kind": "contact", "conversation_id": None, "message_id": None,
        "sender_id": body.actor.id, "action": "none" if decision["allowed"] else "deny",
        "risk": 0.0, "level": "none", "content_sha256": None,
        "signals": {"check": body.action, "target_id": body.target.id if body.target else None,
                    "allowed": decision["allowed"], "rule": decision["rule"]},
        "created_at": datetime.now(timezone.utc),
    }
    await svc.committer.write(lambda batch: batch.insert(IngestEvent, [row]))
    return _json({"event_id": event_id, "action": body.action, **decision})


@router.put("/users/{user_id}/age", summary="Store how old a user is and how that was established")
async def put_age(user_id: str, body: AgeIn, request: Request, who: Admin) -> Response:
    svc = request.app.state.service
    values = body.model_dump(exclude_none=True)
    if "birth_date" in values:
        try:
            values["birth_date"] = date.fromisoformat(values["birth_date"])
        except ValueError as exc:
            raise Problem(422, "invalid_field", f"birth_date {body.birth_date!r} is not a YYYY-MM-DD date") from exc
    from childsafe.policy.assurance import check_method

    method = check_method(values.pop("method"))
    record = await run_in_threadpool(lambda: svc.ages.set_age(user_id, method=method, **values))
    svc.forget_person(user_id)
    with svc.db.session() as s:
        audit.record(s, who.actor, "age.set", f"user:{user_id}", {"method": method})
    return _json(record.to_dict())


@router.get("/users/{user_id}/age", summary="A user's current age record")
async def get_age(user_id: str, request: Request, who: Admin) -> Response:
    svc = request.app.state.service
    record = await run_in_threadpool(svc.ages.get, user_id)
    return _json(record.to_dict())


@router.post(
    "/age-providers/{provider}/webhook",
    summary="A signed result from an age-assurance provider",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}},
)
async def provider_webhook(provider: str, request: Request) -> Response:
    """Authenticated by the provider's signature (Standard Webhooks headers ``webhook-id``,
    ``webhook-timestamp``, ``webhook-signature`` with the secret in ``CHILDSAFE_AGE_PROVIDER_SECRETS``),
    not by an API key. A forged signature or stale timestamp is refused (401), a replayed
    ``webhook-id`` too (409); the record and the webhook id are stored together or not at all."""
    svc = request.app.state.service
    raw = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    record = await run_in_threadpool(lambda: svc.ages.receive_provider_webhook(provider, headers, raw))
    svc.forget_person(record.user_id)
    with svc.db.session() as s:
        audit.record(s, f"provider:{provider}", "age.set", f"user:{record.user_id}", {"method": record.method})
    return _json(record.to_dict())
