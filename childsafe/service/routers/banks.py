"""/v1/banks: create banks, add or import entries, list them, disable false positives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
from fastapi import APIRouter, Query, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from childsafe.errors import ChildsafeError
from childsafe.service import audit
from childsafe.service.auth import Admin, Moderate
from childsafe.service.problems import Problem
from childsafe.service.schemas import PROBLEM_RESPONSES, BankIn, DisableIn, EntriesIn
from childsafe.service.uploads import read_upload, safe_name, switch

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


_MEDIA_SCHEMA = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "an image (pdq bank), a video (vpdq bank) or any file (md5 / sha256 bank)"},
        "crops": {"type": "boolean", "default": False,
                  "description": "also bank the crops `bank add --crops` banks (originals the platform holds)"},
        "labels": {"type": "string", "maxLength": 500, "description": "comma-separated labels for the entries"},
        "source": {"type": "string", "maxLength": 500, "description": "where the file came from"},
    },
}


@router.post("/{name}/media", status_code=201, summary="Hash a media file and bank it (with --crops' crops when asked)",
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _MEDIA_SCHEMA}}}})
async def add_media(name: str, request: Request, who: Admin) -> Response:
    """`bank add` over HTTP: multipart field ``file`` (an image for a pdq bank, a video for a vpdq
    bank, any file for md5/sha256), optional ``crops`` (true: also the crops `bank add --crops`
    banks, for originals the platform holds), ``labels`` (comma-separated) and ``source``. The
    entries' provenance names the file as uploaded (made a plain file name)."""
    svc = request.app.state.service
    data, filename, fields = await read_upload(request, {"crops": 10, "labels": 500, "source": 500})
    crops = switch(fields["crops"], "crops", default=False)
    labels = [label.strip() for label in (fields["labels"] or "").split(",") if label.strip()]
    filename = safe_name(filename)

    def add():
        from childsafe.banks.hashing import crop_entries

        with tempfile.TemporaryDirectory() as folder:  # named as uploaded: the entries' provenance says so
            path = Path(folder) / filename
            path.write_bytes(data)
            try:
                return svc.banks.add_files(name, [path], labels=labels, source=fields["source"] or "",
                                           actor=who.actor, extra=crop_entries if crops else None)
            except ChildsafeError as exc:  # its message names our temporary folder: name the upload
                exc.message = exc.message.replace(str(path), filename)
                exc.args = (exc.message,)
                raise

    summary = await run_in_threadpool(add)
    _audit(svc, who, "bank.add_media", f"bank:{name}", {"file": filename, "crops": crops})
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
