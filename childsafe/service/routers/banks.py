"""/v1/banks: create banks, add or import entries, list them, disable false positives."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from childsafe.service import audit
from childsafe.service.auth import Admin, Moderate
from childsafe.service.problems import Problem
from childsafe.service.schemas import PROBLEM_RESPONSES, BankIn, DisableIn, EntriesIn

router = APIRouter(prefix="/v1/banks", tags=["banks"], responses=PROBLEM_RESPONSES)


def _json(data, status: int = 200) -> Response:
    return Response(orjson.dumps(data, default=str), status_code=status, media_type="application/json")


def _audit(svc, who, action: str, subject: str, detail: dict | None = None) -> None:
    with svc.db.session() as s:
        audit.record(s, who.actor, action, subject, detail)


@router.get("", summary="List banks")
async def list_banks(request: Request, who: Moderate) -> Response:
    banks = await run_in_threadpool(request.app.state.service.banks.list)
    return _json({"banks": [b.to_dict() for b in banks]})


@router.post("", status_code=201, summary="Create a bank")
async def create_bank(body: BankIn, request: Request, who: Admin) -> Response:
    svc = request.app.state.service
    info = await run_in_threadpool(
        lambda: svc.banks.create(body.name, body.signal_type, description=body.description, actor=who.actor)
    )
    _audit(svc, who, "bank.create", f"bank:{body.name}", {"signal_type": body.signal_type})
    return _json(info.to_dict(), 201)


@router.get("/{name}", summary="One bank")
async def get_bank(name: str, request: Request, who: Moderate) -> Response:
    info = await run_in_threadpool(request.app.state.service.banks.get, name)
    return _json(info.to_dict())


@router.get("/{name}/entries", summary="List a bank's entries")
async def list_entries(
    name: str,
    request: Request,
    who: Moderate,
    include_disabled: bool = True,
    limit: int = Query(1000, ge=1, le=100_000),
) -> Response:
    entries = await run_in_threadpool(
        lambda: request.app.state.service.banks.entries(name, include_disabled=include_disabled, limit=limit)
    )
    return _json({"bank": name, "entries": [e.to_dict() for e in entries]})


@router.post("/{name}/entries", status_code=201, summary="Add hashes to a bank")
async def add_entries(name: str, body: EntriesIn, request: Request, who: Admin) -> Response:
    svc = request.app.state.service
    summary = await run_in_threadpool(
        lambda: svc.banks.add_hashes(name, body.hashes, labels=body.labels, source=body.source, actor=who.actor)
    )
    _audit(svc, who, "bank.add", f"bank:{name}", {"count": len(body.hashes)})
    return _json(summary.to_dict(), 201)


@router.post("/{name}/import", status_code=201, summary="Import a hash list file (all or nothing)")
async def import_entries(
    name: str,
    request: Request,
    who: Admin,
    file: UploadFile,
    fmt: str = Query(..., alias="format", min_length=1, max_length=20, description="csv (HMA), vpdq, txt (one hash a line), ..."),
) -> Response:
    svc = request.app.state.service
    data = await file.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(422, "bad_encoding", f"{file.filename or 'upload'} is not UTF-8 text") from exc
    summary = await run_in_threadpool(
        lambda: svc.banks.import_text(name, text, fmt, actor=who.actor, filename=file.filename or "upload")
    )
    _audit(svc, who, "bank.import", f"bank:{name}", {"file": file.filename, "format": fmt})
    return _json(summary.to_dict(), 201)


@router.post("/{name}/entries/{entry_id}/disable", summary="Disable an entry (a false positive)")
async def disable_entry(name: str, entry_id: int, body: DisableIn, request: Request, who: Admin) -> Response:
    svc = request.app.state.service
    info = await run_in_threadpool(lambda: svc.banks.disable_entry(name, entry_id, body.reason, by=who.actor))
    _audit(svc, who, "bank.disable_entry", f"bank:{name}/entry:{entry_id}", {"reason": body.reason})
    return _json(info.to_dict())
