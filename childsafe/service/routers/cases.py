"""/v1/cases: the minimal case record (trigger, evidence references, priority, state)."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from childsafe import cases
from childsafe.service import audit
from childsafe.service.auth import Moderate
from childsafe.service.schemas import PROBLEM_RESPONSES, CaseIn, CaseStateIn

router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=PROBLEM_RESPONSES)


def _json(data, status: int = 200) -> Response:
    return Response(orjson.dumps(data, default=str), status_code=status, media_type="application/json")


@router.get("", summary="List cases, most urgent first")
async def list_cases(
    request: Request, who: Moderate, state: str | None = Query(None, max_length=20), limit: int = Query(50, ge=1, le=1000)
) -> Response:
    with request.app.state.service.db.session() as s:
        return _json({"cases": [c.to_dict() for c in cases.list_cases(s, state=state, limit=limit)]})


@router.post("", status_code=201, summary="Open a case by hand")
async def create_case(body: CaseIn, request: Request, who: Moderate) -> Response:
    with request.app.state.service.db.session() as s:
        case = cases.open_case(
            s, trigger_kind="manual", reason=body.reason,
            evidence=[e.model_dump(exclude_none=True) for e in body.evidence], priority=body.priority,
            subject_user_id=body.subject_user_id, conversation_id=body.conversation_id,
        )
        audit.record(s, who.actor, "case.open", f"case:{case.id}", {"priority": body.priority})
        return _json(case.to_dict(), 201)


@router.get("/{case_id}", summary="One case")
async def get_case(case_id: str, request: Request, who: Moderate) -> Response:
    with request.app.state.service.db.session() as s:
        case = cases.get_case(s, case_id)
        audit.record(s, who.actor, "case.read", f"case:{case_id}")
        return _json(case.to_dict())


@router.patch("/{case_id}", summary="Move a case to another state")
async def update_case(case_id: str, body: CaseStateIn, request: Request, who: Moderate) -> Response:
    with request.app.state.service.db.session() as s:
        case = cases.set_state(s, case_id, body.state, expected_version=body.version)
        audit.record(s, who.actor, "case.state", f"case:{case_id}", {"state": body.state})
        return _json(case.to_dict())
