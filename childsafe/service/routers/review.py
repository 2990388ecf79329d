"""Review work over the API, for platforms with their own tools: decisions with a version check (409 when
someone else changed the case), the account view, reports that a person confirms, transparency figures.
The console (/console) does the same through pages."""

from __future__ import annotations

from typing import Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.responses import Response

from childsafe import cases
from childsafe.service import audit
from childsafe.service.auth import Moderate, require
from childsafe.service.keys import Principal
from childsafe.service.schemas import PROBLEM_RESPONSES, Strict

router = APIRouter(tags=["review"], responses=PROBLEM_RESPONSES)
Reader = Depends(require("moderate", "admin", "audit"))


class DecisionIn(Strict):
    action: Literal["confirm", "dismiss", "escalate", "close", "release"] = Field(
        description="confirm; dismiss as a false positive (disables matched bank entries); escalate; close; "
                    "release (unassign, back to the queue)")
    version: int = Field(ge=1, description="the case version you decided on; 409 if it has changed since")
    note: str = Field("", max_length=500)


class ReportIn(Strict):
    kind: Literal["cybertipline", "nca"] = "cybertipline"


def _json(data, status: int = 200) -> Response:
    return Response(orjson.dumps(data, default=str), status_code=status, media_type="application/json")


@router.post("/v1/cases/{case_id}/decisions", summary="Decide a case (refused with 409 if it changed since you read it)")
async def decide(case_id: str, body: DecisionIn, request: Request, who: Moderate) -> Response:
    svc = request.app.state.service
    with svc.db.session() as s:
        if body.action == "release":
            case, follow_up = cases.assign(s, case_id, None, expected_version=body.version), []
        else:
            case, follow_up = cases.decide(s, case_id, who.actor, body.action, expected_version=body.version,
                                           note=body.note)
        audit.record(s, who.actor, f"case.{body.action}", f"case:{case_id}", {"version": case.version})
        out = case.to_dict()
    done = cases.apply_follow_up(svc.db, follow_up, who.actor) if follow_up else []
    if done:
        with svc.db.session() as s:
            audit.record(s, who.actor, "bank.disable_entries", f"case:{case_id}", {"entries": done})
    return _json({"case": out, "disabled_entries": done})


@router.get("/v1/users/{user_id}/cases", summary="Every case, conversation and media match of one account")
async def user_cases(user_id: str, request: Request, who: Moderate) -> Response:
    with request.app.state.service.db.session() as s:
        view = cases.user_view(s, user_id)
        audit.record(s, who.actor, "user.read", f"user:{user_id}")
    return _json(view)


@router.post("/v1/cases/{case_id}/reports", status_code=201, summary="Draft a report for a confirmed case")
async def draft_report(case_id: str, body: ReportIn, request: Request, who: Moderate) -> Response:
    from childsafe.reports import create_report, load_reporter

    svc = request.app.state.service
    reporter = load_reporter(svc.db.data_dir or svc.settings.data_dir)
    with svc.db.session() as s:
        report = create_report(s, case_id, body.kind, who.actor, reporter)
        audit.record(s, who.actor, "report.draft", f"report:{report.id}", {"case": case_id, "kind": body.kind})
        return _json(report.to_dict(body=True), 201)


@router.get("/v1/reports/{report_id}", summary="A report, its status and its documents")
async def get_report(report_id: str, request: Request, who: Moderate) -> Response:
    from childsafe.reports import get_report as fetch, report_documents

    with request.app.state.service.db.session() as s:
        report = fetch(s, report_id)
        return _json({**report.to_dict(), "documents": report_documents(report)})


@router.post("/v1/reports/{report_id}/confirm", summary="A person confirms the report may leave")
async def confirm_report(report_id: str, request: Request, who: Moderate) -> Response:
    from childsafe.reports import confirm_report as confirm

    with request.app.state.service.db.session() as s:
        report = confirm(s, report_id, who.actor)
        audit.record(s, who.actor, "report.confirm", f"report:{report_id}", {"case": report.case_id})
        return _json(report.to_dict())


@router.get("/v1/transparency", summary="Transparency report for a period (JSON or CSV)")
async def transparency(
    request: Request, who: Principal = Reader,
    start: str | None = Query(None, alias="from", max_length=40), end: str | None = Query(None, alias="to", max_length=40),
    format: Literal["json", "csv"] = "json",
) -> Response:
    from childsafe.reports.transparency import parse_period, report_csv, transparency_report

    s_, e_ = parse_period(start, end)
    with request.app.state.service.db.session() as s:
        rep = transparency_report(s, s_, e_)
    if format == "csv":
        return Response(report_csv(rep), media_type="text/csv")
    return _json(rep)


@router.get("/v1/statements-of-reasons", summary="DSA statements of reasons for a period")
async def statements(
    request: Request, who: Principal = Reader,
    start: str | None = Query(None, alias="from", max_length=40), end: str | None = Query(None, alias="to", max_length=40),
) -> Response:
    from childsafe.reports.transparency import parse_period, statements as rows

    s_, e_ = parse_period(start, end)
    with request.app.state.service.db.session() as s:
        return _json({"statements": rows(s, s_, e_)})
