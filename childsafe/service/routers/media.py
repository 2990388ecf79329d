"""POST /v1/media: an upload (multipart) or precomputed hashes (JSON), matched against the banks."""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime, timezone

import orjson
from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from childsafe.errors import InvalidInput
from childsafe.service.auth import Ingest
from childsafe.service.idempotency import idempotent, replay_after_conflict
from childsafe.service.models import IngestEvent, OutboxEvent
from childsafe.service.outbox import new_event_id, outbox_row
from childsafe.service.problems import Problem, validation_problem
from childsafe.service.schemas import PROBLEM_RESPONSES, MediaDecision, MediaHashIn
from childsafe.service.uploads import read_upload, switch

router = APIRouter(prefix="/v1", tags=["events"])

_MULTIPART_SCHEMA = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "the image or video"},
        "uploader_id": {"type": "string", "maxLength": 200},
        "conversation_id": {"type": "string", "maxLength": 200},
        "media_id": {"type": "string", "maxLength": 200},
        "banks": {"type": "string", "description": "comma-separated bank names (default: all)"},
        "dihedral": {"type": "boolean", "default": True,
                     "description": "also look the image up as its 7 rotations/flips (a video as its mirror)"},
        "trim": {"type": "boolean", "default": True, "description": "also look up the picture with uniform borders trimmed"},
        "regions": {"type": "boolean", "default": True,
                    "description": "also look up pictures found inside the image (screenshots, collages)"},
        "stickers": {"type": "boolean", "default": False,
                     "description": "also look for stickers over the image and look it up with them filled from the "
                                    "picture round them (slower)"},
    },
}
_SWITCHES = ("dihedral", "trim", "regions", "stickers")


@router.post(
    "/media",
    response_model=None,
    responses={200: {"model": MediaDecision, "description": "matches and the action"}, **PROBLEM_RESPONSES},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": _MULTIPART_SCHEMA},
                "application/json": {"schema": {"$ref": "#/components/schemas/MediaHashIn"}},
            },
        }
    },
    summary="Match an upload or its hashes against the banks",
)
async def post_media(request: Request, who: Ingest) -> Response:
    """Send the file as ``multipart/form-data`` (field ``file``), or hashes computed on the client as JSON.
    The bytes are hashed in memory and never stored; a match answers ``block_media``, queues the
    ``block_media`` and ``open_case`` webhooks and opens a case."""
    async with idempotent(request, who, "media") as idem:
        if isinstance(idem, Response):
            return idem
        try:
            return await _handle(request, who, idem)
        except Exception as exc:
            from sqlalchemy.exc import IntegrityError

            if isinstance(exc, IntegrityError) and idem is not None:
                return replay_after_conflict(request, *idem)
            raise


async def _handle(request: Request, who, idem) -> Response:
    svc = request.app.state.service
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fingerprint = None
    content_sha256 = None
    if ctype == "multipart/form-data":
        data, filename, fields = await read_upload(
            request, {"uploader_id": 200, "conversation_id": 200, "media_id": 200, "banks": None,
                      **{name: None for name in _SWITCHES}})
        meta = {k: fields[k] for k in ("uploader_id", "conversation_id", "media_id")}
        banks = [b.strip() for b in (fields["banks"] or "").split(",") if b.strip()]
        from childsafe.media.queries import MatchOptions

        options = MatchOptions(**{name: switch(fields[name], name, default=getattr(MatchOptions, name))
                                  for name in _SWITCHES})
        content_sha256 = hashlib.sha256(data).hexdigest()
        result, fingerprint = await run_in_threadpool(_match_bytes, svc, data, filename, banks or None, options)
        matches = result.to_dict().get("matches", [])
    elif ctype == "application/json":
        try:
            payload = MediaHashIn.model_validate_json(await request.body())
        except ValidationError as exc:
            raise validation_problem(exc) from exc
        if not (payload.pdq or payload.md5 or payload.sha256):
            raise Problem(422, "missing_field", "give at least one of pdq, md5, sha256 (or upload the file as multipart)")
        meta = {"uploader_id": payload.uploader_id, "conversation_id": payload.conversation_id, "media_id": payload.media_id}
        hexes = [*payload.pdq, *(h for h in (payload.md5, payload.sha256) if h)]
        content_sha256 = payload.sha256
        results = await run_in_threadpool(svc.matcher.match_hashes, hexes, payload.banks or None)
        matches = [m for r in results for m in r.to_dict().get("matches", [])]
    else:
        raise Problem(415, "unsupported_media_type", "send multipart/form-data with a 'file' field, or application/json hashes")
    return await _decide(svc, matches, fingerprint, meta, content_sha256, idem)


def _match_bytes(svc, data: bytes, filename: str, banks, options=None):
    from childsafe.media import load_image

    try:
        image = load_image(data)
    except InvalidInput:
        image = None
    if image is not None:
        return svc.matcher.match_image(image, banks=banks, options=options), {"type": "image"}
    suffix = os.path.splitext(filename)[1][:10]
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=True) as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            result = svc.matcher.match_file(tmp.name, banks=banks, options=options)
        except InvalidInput as exc:
            raise Problem(422, "not_media", f"the upload {filename!r} is not an image or video childsafe can read") from exc
    return result, {"type": "video"}


async def _decide(svc, matches: list[dict], fingerprint, meta, content_sha256, idem) -> Response:
    now = datetime.now(timezone.utc)
    event_id = new_event_id()
    actions = ["block_media", "open_case"] if matches else []
    case_id = f"case_{event_id[4:]}" if matches else None
    webhooks = []
    for a in actions:
        webhooks.append(outbox_row(a, {
            "action": a, "source_event_id": event_id, "uploader_id": meta.get("uploader_id"),
            "conversation_id": meta.get("conversation_id"), "media_id": meta.get("media_id"),
            "content_sha256": content_sha256, "matches": matches, "case_id": case_id,
        }, now=now))
    answer = {
        "event_id": event_id,
        "action": "block_media" if matches else "none",
        "actions": actions,
        "matches": matches,
        "fingerprint": fingerprint,
        "case_id": case_id,
        "webhooks": [w["event_id"] for w in webhooks],
    }
    body = orjson.dumps(answer, default=str)
    event_row = {
        "event_id": event_id, "kind": "media", "conversation_id": meta.get("conversation_id"),
        "message_id": meta.get("media_id"), "sender_id": meta.get("uploader_id"),
        "action": answer["action"], "risk": 1.0 if matches else 0.0, "level": "critical" if matches else "none",
        "content_sha256": content_sha256,
        "signals": {"matches": [{"bank": m.get("bank"), "entry_id": m.get("entry_id"), "distance": m.get("distance")} for m in matches]},
        "created_at": now,
    }

    def write(batch):
        session = batch.session
        batch.insert(IngestEvent, [event_row])
        if matches:
            from childsafe.cases import open_case

            open_case(
                session, case_id=case_id, trigger_kind="media_match", trigger_event_id=event_id,
                reason=f"upload matched {len(matches)} banked hash(es)", priority="urgent",
                subject_user_id=meta.get("uploader_id"), conversation_id=None,
                evidence=[{"kind": "event", "event_id": event_id},
                          {"kind": "media", "sha256": content_sha256, "media_id": meta.get("media_id")},
                          *({"kind": "bank_entry", "bank": m.get("bank"), "entry_id": m.get("entry_id")} for m in matches)],
            )
        if webhooks:
            batch.insert(OutboxEvent, webhooks)
        if idem is not None:
            from childsafe.service.idempotency import store

            store(batch, idem[0], idem[1], 200, body)

    await svc.committer.write(write)
    for a in actions or ["none"]:
        svc.metrics.actions.labels("media", a).inc()
    if webhooks:
        svc.worker.notify()
    return Response(body, media_type="application/json")
