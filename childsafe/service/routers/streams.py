"""/v1/streams: live streams watched by URL, or frames the platform samples and pushes itself.

``POST /v1/streams`` starts watching a URL (HLS, RTMP, ...) or registers a stream for pushed frames;
``POST /v1/streams/{id}/frames`` judges one frame (a JPEG/PNG body, or JSON with a precomputed PDQ hash);
``GET /v1/streams/{id}`` says how the stream stands. Actions (``terminate_stream``, ``pause_stream``,
``alert_moderator``, ``nudge_broadcaster``) leave as signed webhooks through the outbox, with a case
whose triggering frames are kept encrypted. A bad stream or frame is a problem report, never a crash.
"""

from __future__ import annotations

import os
import threading
from typing import Any
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from childsafe.service import audit
from childsafe.service.auth import Ingest, Moderate
from childsafe.service.problems import Problem
from childsafe.service.schemas import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/streams", tags=["streams"], responses=PROBLEM_RESPONSES)

NETWORK_SCHEMES = ("http", "https", "rtmp", "rtmps", "srt")
PROTOCOL_WHITELIST = "http,https,tcp,tls,rtmp,rtmps,crypto,srt,udp"
MAX_FRAME_BYTES = 20_000_000
_lock = threading.Lock()


class ViewerIn(BaseModel):
    viewer_id: str | None = Field(None, max_length=200, description="whose stored age record applies")
    viewer: dict[str, Any] | None = Field(None, description="or the viewer as a policy person")
    connected: bool = Field(False, description="the broadcaster has accepted this viewer as a connection")


class ViewersIn(BaseModel):
    viewers: list[ViewerIn] = Field(default_factory=list, max_length=10_000)


class StreamIn(BaseModel):
    stream_id: str | None = Field(None, min_length=1, max_length=200)
    url: str | None = Field(None, max_length=2000, description="watch this URL; omit to push frames instead")
    broadcaster_id: str | None = Field(None, max_length=200, description="whose stored age record applies")
    broadcaster: dict[str, Any] | None = Field(None, description="or the broadcaster as a policy person")
    banks: list[str] = Field(default_factory=list, max_length=50)
    fps: float = Field(1.0, gt=0, le=30)
    viewers: list[ViewerIn] = Field(default_factory=list, max_length=10_000)


class FrameHashIn(BaseModel):
    pdq: str = Field(..., min_length=64, max_length=64)
    quality: int | None = Field(None, ge=0, le=100)
    frame_time: float | None = None


class ViewerActionIn(BaseModel):
    action: str = Field(..., description="watch_live, comment_live, gift_live or record_live")
    viewer_id: str | None = Field(None, max_length=200)
    viewer: dict[str, Any] | None = None
    context: dict[str, Any] | None = None


def _json(data, status: int = 200) -> Response:
    return Response(orjson.dumps(data, default=str), status_code=status, media_type="application/json")


def monitor(request: Request):
    """The process's live monitor, made on first use (detector only when CHILDSAFE_LIVE_NUDITY=1)."""
    app = request.app
    found = getattr(app.state, "live_monitor", None)
    if found is not None:
        return found
    with _lock:
        found = getattr(app.state, "live_monitor", None)
        if found is None:
            from childsafe.live import LiveMonitor, LiveOptions, NudeNetClassifier, OutboxActions

            svc = app.state.service
            data_dir = svc.db.data_dir or svc.settings.data_dir
            classifier = NudeNetClassifier() if os.environ.get("CHILDSAFE_LIVE_NUDITY") == "1" else None
            found = LiveMonitor(svc.matcher, policy=svc.policy, classifier=classifier,
                                actions=OutboxActions(svc.db, data_dir, policy=svc.policy, notify=svc.worker.notify),
                                options=LiveOptions(protocol_whitelist=PROTOCOL_WHITELIST), max_streams=500)
            app.state.live_monitor = found
    return found


def _check_url(url: str) -> None:
    """Only network streams, and (when ``CHILDSAFE_LIVE_URL_HOSTS`` is set) only from the platform's own
    media hosts: a service that fetches any URL it is given can be pointed at internal addresses."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in NETWORK_SCHEMES:
        raise Problem(422, "bad_stream_url", f"stream URLs must be {', '.join(NETWORK_SCHEMES)}, not {scheme or 'a path'!r}")
    host = (parts.hostname or "").lower()
    if not host:
        raise Problem(422, "bad_stream_url", "the stream URL has no host")
    allowed = [h.strip().lower() for h in os.environ.get("CHILDSAFE_LIVE_URL_HOSTS", "").split(",") if h.strip()]
    if allowed and not any(host == a or (a.startswith("*.") and host.endswith(a[1:])) for a in allowed):
        raise Problem(422, "stream_host_not_allowed", f"streams are watched only from {', '.join(allowed)}; "
                      f"{host!r} is not one of them (CHILDSAFE_LIVE_URL_HOSTS)")


def _person(svc, person_id: str | None, person: dict | None):
    from childsafe.policy import Person

    if person is not None:
        return Person.from_dict(person)
    if person_id:
        return svc.stored_person(person_id)
    return None


@router.post("", status_code=201, summary="Watch a stream by URL, or register one for pushed frames")
async def start_stream(body: StreamIn, request: Request, who: Ingest) -> Response:
    from dataclasses import replace

    svc = request.app.state.service
    mon = monitor(request)
    broadcaster = await run_in_threadpool(_person, svc, body.broadcaster_id, body.broadcaster)
    viewers = await run_in_threadpool(_viewers, svc, body.viewers)
    options = replace(mon.options, fps=body.fps, boost_fps=max(body.fps, mon.options.boost_fps))
    if body.url is not None:
        _check_url(body.url)
        watch = mon.watch(body.url, body.stream_id, broadcaster=broadcaster, viewers=viewers, banks=body.banks or None,
                          options=options)
    else:
        watch = mon.open(body.stream_id, broadcaster=broadcaster, viewers=viewers, banks=body.banks or None,
                         options=options)
    with svc.db.session() as s:
        audit.record(s, who.actor, "stream.watch", f"stream:{watch.id}", {"by_url": body.url is not None})
    return _json(watch.to_dict(), 201)


def _viewers(svc, viewers: list[ViewerIn]) -> list:
    return [(_person(svc, v.viewer_id, v.viewer), v.connected) for v in viewers]


@router.put("/{stream_id}/viewers", summary="Who is watching now (strangers on a child's stream raise the sampling rate)")
async def set_viewers(stream_id: str, body: ViewersIn, request: Request, who: Ingest) -> Response:
    svc = request.app.state.service
    viewers = await run_in_threadpool(_viewers, svc, body.viewers)
    return _json(monitor(request).set_viewers(stream_id, viewers).to_dict())


@router.get("/{stream_id}", summary="How a stream stands: status, frames, last decision, errors")
async def get_stream(stream_id: str, request: Request, who: Ingest) -> Response:
    return _json(monitor(request).get(stream_id).to_dict())


@router.delete("/{stream_id}", summary="Stop watching a stream")
async def stop_stream(stream_id: str, request: Request, who: Ingest) -> Response:
    watch = await run_in_threadpool(monitor(request).stop, stream_id)
    return _json(watch.to_dict())


@router.post("/{stream_id}/resume", summary="A moderator lets a paused stream go on")
async def resume_stream(stream_id: str, request: Request, who: Moderate) -> Response:
    watch = monitor(request).resume(stream_id)
    with request.app.state.service.db.session() as s:
        audit.record(s, who.actor, "stream.resume", f"stream:{stream_id}")
    return _json(watch.to_dict())


@router.post(
    "/{stream_id}/frames",
    summary="Judge one frame the platform sampled: an image body, or JSON with its PDQ hash",
    openapi_extra={"requestBody": {"required": True, "content": {
        "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
        "image/png": {"schema": {"type": "string", "format": "binary"}},
        "application/json": {"schema": FrameHashIn.model_json_schema()},
    }}},
)
async def push_frame(stream_id: str, request: Request, who: Ingest) -> Response:
    """A frame that is not an image is answered with a problem (and recorded on the stream); the stream
    and the others go on. ``frame_time`` may be given as a query parameter for image bodies."""
    mon = monitor(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > MAX_FRAME_BYTES:
        raise Problem(413, "frame_too_large", f"a pushed frame may be at most {MAX_FRAME_BYTES:,} bytes")
    if ctype == "application/json":
        try:
            frame = FrameHashIn.model_validate_json(body)
        except ValidationError as exc:
            from childsafe.service.problems import validation_problem

            raise validation_problem(exc) from exc
        decision = await run_in_threadpool(mon.push_frame, stream_id, pdq=frame.pdq, quality=frame.quality,
                                           frame_time=frame.frame_time)
    else:
        if not body:
            raise Problem(422, "empty_frame", "the frame body is empty")
        frame_time = request.query_params.get("frame_time")
        try:
            t = float(frame_time) if frame_time is not None else None
        except ValueError:
            raise Problem(422, "invalid_field", "frame_time must be a number of seconds") from None
        decision = await run_in_threadpool(mon.push_frame, stream_id, image=body, frame_time=t)
    if decision.action == "error":  # an action whose recording failed still answers the decision
        status = 409 if decision.error["code"] == "stream_not_active" else 422
        raise Problem(status, decision.error["code"], decision.error["message"], stream=stream_id)
    return _json(decision.to_dict())


@router.post("/{stream_id}/viewer-actions", summary="May this viewer watch, comment on, gift to or record the stream?")
async def viewer_action(stream_id: str, body: ViewerActionIn, request: Request, who: Ingest) -> Response:
    if body.action not in ("watch_live", "comment_live", "gift_live", "record_live"):
        raise Problem(422, "unknown_action", "action must be watch_live, comment_live, gift_live or record_live")
    svc = request.app.state.service
    watch = monitor(request).get(stream_id)
    viewer = await run_in_threadpool(_person, svc, body.viewer_id, body.viewer)
    from childsafe.policy import Person

    decision = svc.policy.check(body.action, viewer or Person(), watch.broadcaster or Person(), body.context)
    out = decision.to_dict() if hasattr(decision, "to_dict") else dict(decision.__dict__)
    return _json(dict(out, stream_id=stream_id, action=body.action))
