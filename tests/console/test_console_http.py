"""The console over HTTP without a browser: who may sign in, forms that must come from the session,
revoked keys, and the refusals rendered as pages (never a traceback)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_console import grooming_case  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def client(data_dir):
    from fastapi.testclient import TestClient

    from childsafe.service import keys as keymod
    from childsafe.service.app import create_app
    from childsafe.service.settings import load_settings
    from childsafe.store import open_database

    db = open_database(data_dir)
    made = {}
    with db.session() as s:
        for name, scopes in (("alice", ["moderate"]), ("admin", ["admin"]), ("ingest", ["ingest"])):
            made[name], _ = keymod.create_key(s, scopes, name)
        grooming_case(s)
    db.dispose()
    with TestClient(create_app(load_settings(None, data_dir=data_dir))) as c:
        c.keys = made
        yield c


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="(\w+)"', html).group(1)


def test_pages_need_a_signed_in_moderator(client):
    r = client.get("/console/cases/case_conv", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login?next=/console/cases/case_conv"
    r = client.post("/console/login", data={"key": "cs_nope_nope"})
    assert r.status_code == 401 and "not known" in r.text
    r = client.post("/console/login", data={"key": client.keys["ingest"]})
    assert r.status_code == 403 and "needs a key with the moderate scope" in r.text
    assert "childsafe_console" not in r.headers.get("set-cookie", "")


def test_the_key_is_kept_in_an_httponly_strict_cookie_and_admins_may_moderate(client):
    r = client.post("/console/login", data={"key": client.keys["admin"], "next": "/console/cases/case_conv"},
                    follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert r.headers["location"] == "/console/cases/case_conv"
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    page = client.get("/console/cases/case_conv")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]


def test_a_decision_without_the_session_form_token_is_refused_and_changes_nothing(client):
    client.post("/console/login", data={"key": client.keys["alice"]})
    page = client.get("/console/cases/case_conv")
    r = client.post("/console/cases/case_conv/decide", data={"action": "confirm", "version": 2, "csrf": "forged"})
    assert r.status_code == 403 and "Nothing was changed" in r.text
    r = client.post("/console/cases/case_conv/decide", data={"action": "confirm", "version": 2, "csrf": _csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303


def test_unknown_case_and_unknown_decision_are_pages_not_tracebacks(client):
    client.post("/console/login", data={"key": client.keys["alice"]})
    r = client.get("/console/cases/case_missing")
    assert r.status_code == 404 and "no case &#39;case_missing&#39;" in r.text and "<html" in r.text
    page = client.get("/console/cases/case_conv")
    r = client.post("/console/cases/case_conv/decide", data={"action": "delete", "version": 2, "csrf": _csrf(page.text)})
    assert r.status_code == 422 and "unknown decision" in r.text


def test_a_revoked_key_ends_the_session(client, data_dir):
    from childsafe.service import keys as keymod
    from childsafe.store import open_database

    client.post("/console/login", data={"key": client.keys["alice"]})
    assert client.get("/console").status_code == 200
    db = open_database(data_dir)
    with db.session() as s:
        keymod.revoke_key(s, client.keys["alice"])
    db.dispose()
    client.app.state.service.keyring._cache.clear()  # the key ring caches answers for a few seconds
    r = client.get("/console")
    assert r.status_code == 401 and "revoked" in r.text


def test_console_pages_are_not_in_the_api_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/console")]


def test_releasing_a_case_hands_it_back_to_the_queue_unassigned(client):
    client.post("/console/login", data={"key": client.keys["alice"]})
    page = client.get("/console/cases/case_conv")
    assert "alice" in page.text
    r = client.post("/console/cases/case_conv/decide", data={"action": "release", "version": 2, "csrf": _csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303
    from childsafe import cases

    with client.app.state.service.db.session() as s:
        case = cases.get_case(s, "case_conv")
        assert (case.state, case.assignee, case.version) == ("open", None, 3)
