"""POST /v1/messages: a chat message in, a decision out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from childsafe.service.auth import authorize
from childsafe.service.idempotency import idempotent, replay_after_conflict
from childsafe.service.messages import decide_message
from childsafe.service.problems import Problem, validation_problem
from childsafe.service.schemas import PROBLEM_RESPONSES, MessageDecision, MessageIn

router = APIRouter(prefix="/v1", tags=["events"])


@router.post(
    "/messages",
    response_model=None,
    responses={200: {"model": MessageDecision, "description": "the decision for this message"}, **PROBLEM_RESPONSES},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/MessageIn"}}}}},
    summary="Assess a chat message",
)
async def post_message(request: Request) -> Response:
    """Assess the message in its conversation, check the policy for each recipient and answer with the
    action, the assessment (risk, level, tactics with evidence), personal details found, the policy
    decision and a nudge for the child. Send ``Idempotency-Key`` to make retries safe."""
    who = authorize(request, ("ingest",))  # not a dependency: this is the hottest path
    raw = await request.body()
    try:
        message = MessageIn.model_validate_json(raw)
    except ValidationError as exc:
        raise validation_problem(exc) from exc
    async with idempotent(request, who, "messages") as idem:
        if isinstance(idem, Response):
            return idem
        try:
            body = await decide_message(request.app.state.service, message, idempotency=idem)
        except IntegrityError as exc:
            if idem is not None:
                return replay_after_conflict(request, *idem)
            raise Problem(409, "duplicate_event", "this event clashes with one already stored; retry") from exc
        return Response(body, media_type="application/json")
