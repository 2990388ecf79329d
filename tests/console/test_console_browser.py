"""The console in a real browser (headless Chromium driven by Playwright) against a real ``childsafe serve``:
sign in, work a grooming case from the queue to a confirmed, exported report with the keyboard only,
media blurred until revealed and every reveal in the audit log; and the refusals (no scope, two moderators
at once, a report for an unconfirmed case, evidence whose hash no longer matches). Screenshots of the
main pages are saved to test-artifacts/console/."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_console import drawn_png  # noqa: E402

from tests.chats import GROOMING  # noqa: E402

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
CHILDSAFE = str(Path(sys.executable).with_name("childsafe"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (make deps)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Console:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.keys: dict[str, str] = {}

    def db(self):
        from childsafe.store import open_database

        return open_database(self.data_dir)


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    from childsafe.banks import BankStore
    from childsafe.cases import open_case
    from childsafe.cases.evidence import EvidenceStore
    from childsafe.media import load_image, pdq_hash_image
    from childsafe.service import keys

    data_dir = tmp_path_factory.mktemp("console") / "data"
    data_dir.mkdir()
    con = Console(data_dir)
    db = con.db()
    with db.session() as s:
        for name, scopes in (("alice", ["moderate"]), ("bob", ["moderate"]), ("ingest", ["ingest"]), ("auditor", ["audit"])):
            con.keys[name], _ = keys.create_key(s, scopes, name)
    # The "known bad" bank holds the hash of a benign picture drawn here.
    banked = drawn_png(3)
    banks = BankStore(db)
    banks.create("known", "pdq")
    banks.add_hashes("known", [pdq_hash_image(load_image(banked)).pdq], labels=["test-benign-drawing"])
    # A live-stream case with encrypted frames (benign drawings), as the live monitor opens one.
    store = EvidenceStore(data_dir)
    for case_id, seed in (("case_live", 1), ("case_live_tampered", 2)):
        refs = [{"kind": "live_stream", "stream_id": f"s-{seed}", "matches": [], "detections": []},
                store.put(case_id, "frame-00", drawn_png(seed), content_type="image/png")]
        with db.session() as s:
            open_case(s, case_id=case_id, trigger_kind="live_nudity", reason="stream ended by the live monitor",
                      priority="high", evidence=refs, subject_user_id=f"streamer{seed}", conversation_id=f"stream:s-{seed}")
    db.dispose()

    env = {k: v for k, v in os.environ.items() if not k.startswith("CHILDSAFE_")}
    env.update({"CHILDSAFE_REPORTER_EMAIL": "safety@example.org", "CHILDSAFE_REPORTER_COMPANY": "Example Chat Ltd",
                "CHILDSAFE_REPORTER_ESP_SERVICE": "Example Chat", "CHILDSAFE_REPORTER_FIRST_NAME": "Pat"})
    log = open(data_dir / "server.log", "ab")
    proc = subprocess.Popen([CHILDSAFE, "serve", "--port", str(con.port), "--data-dir", str(data_dir)],
                            env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (data_dir / "server.log").read_text()[-3000:]
            try:
                if httpx.get(con.url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        ingest = {"Authorization": f"Bearer {con.keys['ingest']}"}
        with httpx.Client(base_url=con.url, headers=ingest, timeout=30) as c:
            people = [{"id": "adult", "age": 34}, {"id": "kid", "age": 13}]
            for n, (who, text) in enumerate(GROOMING):
                sender = next(p for p in people if p["id"] == who)
                r = c.post("/v1/messages", json={"conversation_id": "conv-1", "message_id": f"conv-1-m{n}",
                                                 "sender": sender, "recipients": [p for p in people if p["id"] != who],
                                                 "sent_at": f"2026-03-01T10:{n:02d}:00Z", "text": text})
                assert r.status_code == 200, r.text
                if r.json().get("case_id"):
                    con.conversation_case = r.json()["case_id"]
            r = c.post("/v1/media", files={"file": ("holiday.png", banked, "image/png")},
                       data={"uploader_id": "uploader9", "media_id": "upload-1"})
            assert r.status_code == 200 and r.json()["case_id"], r.text
            con.media_case = r.json()["case_id"]
        yield con
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _login(browser, console, who: str):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(console.url + "/console")
    assert "/console/login" in page.url
    # the key field has focus on load (autofocus may land just after the load event on a busy machine)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'key'", timeout=5000)
    page.keyboard.type(console.keys[who])
    page.keyboard.press("Enter")
    page.wait_for_url(console.url + "/console")
    return context, page


def _audit(console, action: str) -> list:
    from sqlalchemy import select

    from childsafe.service.models import AuditEntry

    db = console.db()
    try:
        with db.session() as s:
            return list(s.execute(select(AuditEntry.actor, AuditEntry.subject).where(AuditEntry.action == action)))
    finally:
        db.dispose()


def _press(page, key: str) -> None:
    """Press a shortcut that submits a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _alert(page) -> str:
    return page.locator('[role="alert"]').first.inner_text()


def test_a_moderator_works_a_case_from_queue_to_report_with_the_keyboard_only(browser, console):
    context, page = _login(browser, console, "alice")
    rows = page.locator("table.queue tbody tr")
    order = [rows.nth(i).get_attribute("data-case") for i in range(rows.count())]
    # Imminent harm first: the live streams (and critical grooming) come before the media match.
    assert order.index("case_live") < order.index(console.media_case)
    assert page.locator("table.queue tbody tr").first.locator(".tag.imminent").count() == 1
    _shot(page, "queue")
    target = order.index(console.conversation_case)
    for _ in range(target):
        page.keyboard.press("j")
    assert page.locator("tr.selected").get_attribute("data-case") == console.conversation_case
    page.keyboard.press("o")
    page.wait_for_url(f"**/console/cases/{console.conversation_case}")
    marks = page.locator(".timeline mark.t")
    assert marks.count() >= 2  # each tactic's evidence is highlighted in the text
    tactics = set(marks.evaluate_all("els => els.map(e => e.dataset.tactic)"))
    assert "secrecy" in tactics
    _shot(page, "case-conversation")
    _press(page, "c")  # confirm
    assert "actioned" in page.locator("#case-state").inner_text()
    page.keyboard.press("r")  # draft a report (CyberTipline)
    page.wait_for_url("**/console/reports/*")
    assert page.locator("#report-state").inner_text() == "draft"
    assert "<incidentType>Online Enticement of Children for Sexual Act</incidentType>" in page.locator("pre.doc").first.inner_text()
    _shot(page, "report-draft")
    _press(page, "c")  # a human confirms the report
    assert page.locator("#report-state").inner_text() == "confirmed"
    with page.expect_download() as download:
        page.keyboard.press("x")
    import zipfile

    with zipfile.ZipFile(download.value.path()) as zf:
        assert "report.xml" in zf.namelist()
    page.reload()
    assert page.locator("#report-state").inner_text() == "exported"
    page.keyboard.press("?")
    assert page.locator("dialog#help").is_visible()
    page.keyboard.press("?")
    context.close()
    from childsafe.cases import get_case

    db = console.db()
    with db.session() as s:
        assert get_case(s, console.conversation_case).state == "reported"
    db.dispose()


def test_media_is_blurred_and_grey_until_revealed_and_the_reveal_is_audited(browser, console):
    from PIL import Image

    context, page = _login(browser, console, "alice")
    page.goto(console.url + "/console/cases/case_live")
    img = page.locator("figure.media img")
    assert "blurred" in img.get_attribute("class")
    assert "blur" in img.evaluate("e => getComputedStyle(e).filter")
    preview = page.request.get(console.url + "/console/cases/case_live/evidence/frame-00/preview")
    assert Image.open(io.BytesIO(preview.body())).mode == "L"  # the server only ever sends a grey, blurred copy
    assert _audit(console, "evidence.reveal") == []
    _shot(page, "case-media-blurred")
    page.keyboard.press("v")
    page.locator('figure.media[data-revealed="true"]').wait_for()
    assert "blurred" not in (img.get_attribute("class") or "")
    assert img.evaluate("e => e.naturalWidth") == 256  # the original, not the preview thumbnail
    reveals = _audit(console, "evidence.reveal")
    assert [(a.split("(")[-1], s) for a, s in reveals] == [("alice)", "case:case_live/evidence/frame-00")]
    context.close()


def test_a_key_without_the_moderate_scope_gets_a_403_page(browser, console):
    context = browser.new_context()
    page = context.new_page()
    page.goto(console.url + "/console/login")
    page.fill("#key", console.keys["auditor"])
    _press(page, "Enter")
    assert "needs a key with the moderate scope" in _alert(page)
    response = page.request.post(console.url + "/console/login", form={"key": console.keys["ingest"]})
    assert response.status == 403
    _shot(page, "forbidden")
    assert page.context.cookies() == []
    context.close()


def test_a_case_changed_by_two_moderators_at_once_gives_a_409_and_changes_nothing(browser, console):
    ctx_a, alice = _login(browser, console, "alice")
    ctx_b, bob = _login(browser, console, "bob")
    alice.goto(console.url + f"/console/cases/{console.media_case}")
    bob.goto(console.url + f"/console/cases/{console.media_case}")
    _press(alice, "c")
    with bob.expect_navigation() as answer:
        bob.keyboard.press("d")
    assert answer.value.status == 409
    assert "changed by someone else" in _alert(bob) and "nothing was changed" in _alert(bob)
    _shot(bob, "conflict-409")
    from childsafe.banks import BankStore
    from childsafe.cases import get_case

    db = console.db()
    with db.session() as s:
        case = get_case(s, console.media_case)
        assert (case.state, case.decision) == ("actioned", "confirmed")
    assert all(e.active for e in BankStore(db).entries("known"))  # bob's dismissal did not disable the entry
    db.dispose()
    ctx_a.close()
    ctx_b.close()


def test_a_report_for_an_unconfirmed_case_is_refused(browser, console):
    context, page = _login(browser, console, "bob")
    page.goto(console.url + "/console/cases/case_live_tampered")
    with page.expect_navigation() as answer:
        page.keyboard.press("r")
    assert answer.value.status == 409
    assert "has not been confirmed" in _alert(page)
    from childsafe.reports import list_reports

    db = console.db()
    with db.session() as s:
        assert list_reports(s, case_id="case_live_tampered") == []
    db.dispose()
    context.close()


def test_evidence_whose_hash_no_longer_matches_is_refused_with_a_clear_message(browser, console):
    from childsafe.cases.evidence import EvidenceStore

    store = EvidenceStore(console.data_dir)
    store.put("case_live_tampered", "frame-00", drawn_png(9), content_type="image/png")  # swapped behind our back
    path = console.data_dir / "evidence" / "case_live_tampered" / "frame-00.enc"
    before = path.read_bytes()
    context, page = _login(browser, console, "alice")
    page.goto(console.url + "/console/cases/case_live_tampered")
    page.keyboard.press("v")
    error = page.locator(".reveal-error")
    error.wait_for(state="visible")
    assert "no longer matches the hash recorded" in error.inner_text()
    assert "blurred" in page.locator("figure.media img").get_attribute("class")
    assert path.read_bytes() == before
    refused = page.request.get(console.url + "/console/cases/case_live_tampered/evidence/frame-00/preview")
    assert refused.status == 409 and refused.headers["x-childsafe-refused"] == "evidence_hash_mismatch"
    _shot(page, "evidence-refused")
    page.goto(console.url + "/console/transparency")
    assert page.locator(".chart svg rect").count() >= 2
    _shot(page, "transparency")
    page.goto(console.url + "/console/users/adult")
    assert page.locator(f'a[href="/console/cases/{console.conversation_case}"]').count() >= 1
    _shot(page, "user")
    context.close()
