"""/console: the review console, server-rendered HTML with a little vanilla JavaScript (no CDN; works offline).

A moderator signs in by pasting an API key with the ``moderate`` (or ``admin``) scope; the key is kept in an
HttpOnly, SameSite=Strict cookie scoped to /console and checked on every request, so revoking the key
ends the session. State-changing forms also carry a token derived from the key (CSRF). Media is served
blurred and greyscale; the original is sent only by the reveal endpoint, which writes the reveal to the
audit log before it sends anything.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import tempfile
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import FileResponse, RedirectResponse, Response

from childsafe import cases
from childsafe.cases.custody import export_bundle, read_item
from childsafe.errors import ChildsafeError, NotFound
from childsafe.service import audit
from childsafe.service.console.views import bar_chart, case_view, queue_view

HERE = Path(__file__).resolve().parent.parent / "console"
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(prefix="/console", include_in_schema=False)
COOKIE = "childsafe_console"
SCOPES = frozenset({"moderate", "admin"})
STATIC = {"console.css": "text/css", "console.js": "text/javascript"}


class _Refusal(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _csrf(key: str) -> str:
    return hmac.new(b"childsafe-console-csrf", key.encode(), hashlib.sha256).hexdigest()[:32]


def _page(request: Request, name: str, context: dict, status: int = 200, who=None) -> Response:
    key = request.cookies.get(COOKIE, "")
    ctx = {"who": who, "csrf": _csrf(key) if key else "", **context}
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _error(request: Request, status: int, title: str, message: str, who=None) -> Response:
    return _page(request, "error.html", {"title": title, "message": message, "status": status}, status, who)


def _svc(request: Request):
    return request.app.state.service


def _moderator(request: Request, *, form_csrf: str | None = None, check_csrf: bool = False):
    key = request.cookies.get(COOKIE)
    if not key:
        nxt = quote(request.url.path)
        raise _Refusal(RedirectResponse(f"/console/login?next={nxt}", status_code=303))
    who = _svc(request).keyring.check(key)
    if who is None:
        resp = _page(request, "login.html", {"error": "Your key is not known or has been revoked. Sign in again."}, 401)
        resp.delete_cookie(COOKIE, path="/console")
        raise _Refusal(resp)
    if not who.scopes & SCOPES:
        raise _Refusal(_error(request, 403, "Not allowed",
                              f"This key ({who.prefix}) has the scope(s) {', '.join(sorted(who.scopes))}; the review "
                              "console needs a key with the moderate scope. Ask an administrator for one."))
    if check_csrf and not hmac.compare_digest(form_csrf or "", _csrf(key)):
        raise _Refusal(_error(request, 403, "Form expired", "This form did not come from your console session; "
                              "reload the page and try again. Nothing was changed.", who))
    return who


def _guard(handler):
    """Turn refusals and the library's clear errors into pages (never a traceback)."""
    import functools

    @functools.wraps(handler)
    async def wrapper(request: Request, *args, **kwargs):
        try:
            return await handler(request, *args, **kwargs)
        except _Refusal as refusal:
            return refusal.response
        except ChildsafeError as exc:
            titles = {404: "Not found", 409: "Refused: nothing was changed", 422: "Refused"}
            key = request.cookies.get(COOKIE)
            who = _svc(request).keyring.check(key) if key else None
            return _error(request, exc.http_status, titles.get(exc.http_status, "Refused"), exc.message, who)

    return wrapper


@router.get("/static/{name}")
async def static(name: str) -> Response:
    if name not in STATIC:
        raise NotFound(f"no console file {name!r}", code="not_found")
    return FileResponse(HERE / "static" / name, media_type=STATIC[name], headers={"Cache-Control": "max-age=300"})


@router.get("/login")
async def login_page(request: Request, next: str = "/console") -> Response:
    return _page(request, "login.html", {"next": next if next.startswith("/console") else "/console"})


@router.post("/login")
async def login(request: Request, key: str = Form("", max_length=300), next: str = Form("/console")) -> Response:
    key = key.strip()
    who = _svc(request).keyring.check(key) if key else None
    if who is None:
        return _page(request, "login.html", {"error": "That key is not known or has been revoked.", "next": next}, 401)
    if not who.scopes & SCOPES:
        return _error(request, 403, "Not allowed",
                      f"This key ({who.prefix}) has the scope(s) {', '.join(sorted(who.scopes))}; the review console "
                      "needs a key with the moderate scope. Ask an administrator for one.")
    with _svc(request).db.session() as s:
        audit.record(s, who.actor, "console.login", "console")
    target = next if next.startswith("/console") and not next.startswith("/console/login") else "/console"
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(COOKIE, key, httponly=True, samesite="strict", path="/console",
                    secure=request.url.scheme == "https", max_age=12 * 3600)
    return resp


@router.post("/logout")
async def logout(request: Request) -> Response:
    resp = RedirectResponse("/console/login", status_code=303)
    resp.delete_cookie(COOKIE, path="/console")
    return resp


@router.get("")
@_guard
async def queue_page(request: Request, page: int = 1) -> Response:
    who = _moderator(request)
    with _svc(request).db.session() as s:
        view = queue_view(s, page)
    return _page(request, "queue.html", view, who=who)


@router.get("/cases/{case_id}")
@_guard
async def case_page(request: Request, case_id: str) -> Response:
    who = _moderator(request)
    svc = _svc(request)
    with svc.db.session() as s:
        case = cases.claim(s, case_id, who.actor)  # opening an open, unassigned case takes it for review
        audit.record(s, who.actor, "case.read", f"case:{case_id}")
        view = case_view(s, case, svc.banks)
    return _page(request, "case.html", view, who=who)


@router.post("/cases/{case_id}/decide")
@_guard
async def decide(request: Request, case_id: str, action: str = Form(..., max_length=20),
                 version: int = Form(...), note: str = Form("", max_length=500), csrf: str = Form("")) -> Response:
    who = _moderator(request, form_csrf=csrf, check_csrf=True)
    svc = _svc(request)
    with svc.db.session() as s:
        if action == "release":  # hand the case back to the queue for someone else
            case, follow_up = cases.assign(s, case_id, None, expected_version=version), []
        else:
            case, follow_up = cases.decide(s, case_id, who.actor, action, expected_version=version, note=note)
        audit.record(s, who.actor, f"case.{action}", f"case:{case_id}", {"version": case.version})
    done = cases.apply_follow_up(svc.db, follow_up, who.actor) if follow_up else []
    if done:
        with svc.db.session() as s:
            audit.record(s, who.actor, "bank.disable_entries", f"case:{case_id}", {"entries": done})
    target = f"/console/cases/{case_id}" if action == "confirm" else "/console"
    return RedirectResponse(target, status_code=303)


def _evidence_store(request: Request):
    from childsafe.cases.evidence import EvidenceStore

    svc = _svc(request)
    return EvidenceStore(svc.db.data_dir or svc.settings.data_dir)


@router.get("/cases/{case_id}/evidence/{name}/preview")
@_guard
async def preview(request: Request, case_id: str, name: str) -> Response:
    """A small, blurred, greyscale copy: enough to see that something is there, not what."""
    from PIL import Image, ImageFilter

    _moderator(request)
    with _svc(request).db.session() as s:
        case = cases.get_case(s, case_id)
    try:
        data, _ = read_item(_evidence_store(request), case, name)
    except ChildsafeError as exc:  # a plain grey tile; the reveal button says why
        buf = io.BytesIO()
        Image.new("L", (320, 200), 150).save(buf, "JPEG")
        return Response(buf.getvalue(), status_code=exc.http_status, media_type="image/jpeg",
                        headers={"Cache-Control": "no-store", "X-Childsafe-Refused": exc.code})
    img = Image.open(io.BytesIO(data))
    img.thumbnail((320, 320))
    img = img.convert("L").filter(ImageFilter.GaussianBlur(radius=max(6, img.width // 20)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=60)
    return Response(buf.getvalue(), media_type="image/jpeg", headers={"Cache-Control": "no-store"})


@router.post("/cases/{case_id}/evidence/{name}/reveal")
@_guard
async def reveal(request: Request, case_id: str, name: str) -> Response:
    """The original media, only after the reveal is written to the audit log."""
    who = _moderator(request, form_csrf=request.headers.get("x-csrf-token"), check_csrf=True)
    svc = _svc(request)
    with svc.db.session() as s:
        case = cases.get_case(s, case_id)
        audit.record(s, who.actor, "evidence.reveal", f"case:{case_id}/evidence/{name}")
    try:
        data, ref = read_item(_evidence_store(request), case, name)
    except ChildsafeError as exc:
        return Response(json.dumps({"code": exc.code, "detail": exc.message}), status_code=exc.http_status,
                        media_type="application/json")
    return Response(data, media_type=ref.get("content_type") or "application/octet-stream",
                    headers={"Cache-Control": "no-store"})


@router.post("/cases/{case_id}/bundle")
@_guard
async def bundle(request: Request, case_id: str, csrf: str = Form("")) -> Response:
    who = _moderator(request, form_csrf=csrf, check_csrf=True)
    svc = _svc(request)
    with tempfile.TemporaryDirectory() as tmp:
        manifest = export_bundle(svc.db, _evidence_store(request), case_id, Path(tmp) / "bundle.zip")
        data = (Path(tmp) / "bundle.zip").read_bytes()
    with svc.db.session() as s:
        audit.record(s, who.actor, "evidence.export", f"case:{case_id}", {"bundle_sha256": manifest["bundle_sha256"]})
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{case_id}-evidence.zip"'})


@router.post("/cases/{case_id}/reports")
@_guard
async def create_report(request: Request, case_id: str, kind: str = Form("cybertipline", max_length=20),
                        csrf: str = Form("")) -> Response:
    from childsafe.reports import create_report as make, load_reporter

    who = _moderator(request, form_csrf=csrf, check_csrf=True)
    svc = _svc(request)
    reporter = load_reporter(svc.db.data_dir or svc.settings.data_dir)
    with svc.db.session() as s:
        report = make(s, case_id, kind, who.actor, reporter)
        audit.record(s, who.actor, "report.draft", f"report:{report.id}", {"case": case_id, "kind": kind})
        rid = report.id
    return RedirectResponse(f"/console/reports/{rid}", status_code=303)


@router.get("/reports/{report_id}")
@_guard
async def report_page(request: Request, report_id: str) -> Response:
    from childsafe.reports import get_report, report_documents

    who = _moderator(request)
    with _svc(request).db.session() as s:
        report = get_report(s, report_id)
        docs = report_documents(report)
        info = report.to_dict()
    return _page(request, "report.html", {"report": info, "docs": docs}, who=who)


@router.post("/reports/{report_id}/confirm")
@_guard
async def confirm_report(request: Request, report_id: str, csrf: str = Form("")) -> Response:
    from childsafe.reports import confirm_report as confirm

    who = _moderator(request, form_csrf=csrf, check_csrf=True)
    with _svc(request).db.session() as s:
        report = confirm(s, report_id, who.actor)
        audit.record(s, who.actor, "report.confirm", f"report:{report_id}", {"case": report.case_id})
    return RedirectResponse(f"/console/reports/{report_id}", status_code=303)


@router.post("/reports/{report_id}/export")
@_guard
async def export_report(request: Request, report_id: str, csrf: str = Form("")) -> Response:
    from childsafe.reports import export_report as export

    who = _moderator(request, form_csrf=csrf, check_csrf=True)
    with tempfile.TemporaryDirectory() as tmp, _svc(request).db.session() as s:
        paths = export(s, report_id, tmp)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in paths:
                zf.write(p, p.name)
        audit.record(s, who.actor, "report.export", f"report:{report_id}")
    return Response(buf.getvalue(), media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{report_id}.zip"'})


@router.get("/users/{user_id}")
@_guard
async def user_page(request: Request, user_id: str) -> Response:
    who = _moderator(request)
    with _svc(request).db.session() as s:
        view = cases.user_view(s, user_id)
        audit.record(s, who.actor, "user.read", f"user:{user_id}")
    return _page(request, "user.html", view, who=who)


def _period(start: str | None, end: str | None):
    from childsafe.reports.transparency import parse_period

    if not start:
        start = (datetime.now(timezone.utc) - timedelta(days=30)).date().isoformat()
    return parse_period(start, end or None)


@router.get("/transparency")
@_guard
async def transparency_page(request: Request, start: str | None = None, end: str | None = None) -> Response:
    from childsafe.reports.transparency import transparency_report

    who = _moderator(request)
    s_, e_ = _period(start, end)
    with _svc(request).db.session() as s:
        rep = transparency_report(s, s_, e_)
    precision = {k: v["precision"] for k, v in rep["automated_precision"].items() if v["precision"] is not None}
    charts = [
        ("Cases opened by detector", bar_chart(rep["cases_opened"]["by_detector"])),
        ("Actions by restriction", bar_chart(rep["actions"]["by_restriction"])),
        ("Automated actions and human decisions", bar_chart({
            "automated actions": rep["automated_vs_human"]["automated_actions"],
            "human decisions": rep["automated_vs_human"]["human_decisions"]})),
        ("Precision of automated detection (reviewers' decisions)", bar_chart(precision, fmt="{:.0%}")),
    ]
    query = f"start={quote(s_.isoformat())}&end={quote(e_.isoformat())}"
    return _page(request, "transparency.html", {"report": rep, "charts": charts, "query": query,
                                                "start": s_.date().isoformat(), "end": e_.date().isoformat()}, who=who)


@router.get("/transparency/report.{fmt}")
@_guard
async def transparency_download(request: Request, fmt: str, start: str | None = None, end: str | None = None) -> Response:
    from childsafe.reports.transparency import report_csv, transparency_report

    _moderator(request)
    s_, e_ = _period(start, end)
    with _svc(request).db.session() as s:
        rep = transparency_report(s, s_, e_)
    if fmt == "csv":
        return Response(report_csv(rep), media_type="text/csv")
    if fmt == "json":
        return Response(json.dumps(rep, indent=2), media_type="application/json")
    raise NotFound(f"no transparency format {fmt!r}; use json or csv", code="not_found")
