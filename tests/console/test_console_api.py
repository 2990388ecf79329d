"""Review work over the API: a decision on a stale version is a 409 problem and changes nothing; reports
need a confirmed case and a person's confirmation; transparency figures in JSON and CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_console import grooming_case  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def api(data_dir, monkeypatch):
    from fastapi.testclient import TestClient

    from childsafe.service import keys as keymod
    from childsafe.service.app import create_app
    from childsafe.service.settings import load_settings
    from childsafe.store import open_database

    monkeypatch.setenv("CHILDSAFE_REPORTER_EMAIL", "safety@example.org")
    db = open_database(data_dir)
    made = {}
    with db.session() as s:
        for name, scopes in (("alice", ["moderate"]), ("bob", ["moderate"]), ("audit", ["audit"]), ("ingest", ["ingest"])):
            made[name], _ = keymod.create_key(s, scopes, name)
        grooming_case(s)
    db.dispose()
    with TestClient(create_app(load_settings(None, data_dir=data_dir))) as c:
        c.who = {k: {"Authorization": f"Bearer {v}"} for k, v in made.items()}
        yield c


def test_a_stale_decision_is_a_409_problem_and_changes_nothing(api):
    r = api.post("/v1/cases/case_conv/decisions", json={"action": "confirm", "version": 1}, headers=api.who["alice"])
    assert r.status_code == 200 and r.json()["case"]["state"] == "actioned"
    r = api.post("/v1/cases/case_conv/decisions", json={"action": "dismiss", "version": 1}, headers=api.who["bob"])
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "case_changed" and r.json()["current_version"] == 2
    case = api.get("/v1/cases/case_conv", headers=api.who["alice"]).json()
    assert (case["state"], case["decision"], case["version"]) == ("actioned", "confirmed", 2)
    r = api.post("/v1/cases/case_conv/decisions", json={"action": "confirm", "version": 1}, headers=api.who["ingest"])
    assert r.status_code == 403


def test_a_state_change_on_a_stale_version_is_refused(api):
    r = api.patch("/v1/cases/case_conv", json={"state": "in_review", "version": 1}, headers=api.who["alice"])
    assert r.status_code == 200 and (r.json()["state"], r.json()["version"]) == ("in_review", 2)
    r = api.patch("/v1/cases/case_conv", json={"state": "closed", "version": 1}, headers=api.who["bob"])
    assert r.status_code == 409 and r.json()["code"] == "case_changed"
    assert api.get("/v1/cases/case_conv", headers=api.who["alice"]).json()["state"] == "in_review"
    r = api.patch("/v1/cases/case_conv", json={"state": "closed"}, headers=api.who["bob"])  # no version: last write wins
    assert r.status_code == 200 and r.json()["state"] == "closed"


def test_reports_over_the_api_need_a_confirmed_case_then_a_person(api):
    r = api.post("/v1/cases/case_conv/reports", json={"kind": "cybertipline"}, headers=api.who["alice"])
    assert r.status_code == 409 and r.json()["code"] == "case_not_confirmed"
    api.post("/v1/cases/case_conv/decisions", json={"action": "confirm", "version": 1}, headers=api.who["alice"])
    r = api.post("/v1/cases/case_conv/reports", json={"kind": "cybertipline"}, headers=api.who["alice"])
    assert r.status_code == 201 and r.json()["state"] == "draft"
    rid = r.json()["id"]
    doc = api.get(f"/v1/reports/{rid}", headers=api.who["bob"]).json()
    assert doc["documents"]["report.xml"].startswith('<?xml version="1.0" encoding="UTF-8"?>\n<report>')
    r = api.post(f"/v1/reports/{rid}/confirm", headers=api.who["bob"])
    assert r.status_code == 200 and (r.json()["state"], r.json()["confirmed_by"].endswith("(bob)")) == ("confirmed", True)
    assert api.post(f"/v1/reports/{rid}/confirm", headers=api.who["bob"]).status_code == 409
    assert api.get("/v1/cases/case_conv", headers=api.who["alice"]).json()["state"] == "reported"
    view = api.get("/v1/users/user_sam/cases", headers=api.who["alice"]).json()
    assert [c["id"] for c in view["cases"]] == ["case_conv"]


def test_transparency_over_the_api_for_auditors(api):
    api.post("/v1/cases/case_conv/decisions", json={"action": "confirm", "version": 1}, headers=api.who["alice"])
    r = api.get("/v1/transparency", params={"from": "2020-01-01"}, headers=api.who["audit"])
    assert r.status_code == 200 and r.json()["actions"]["by_category"] == {"protection_of_minors": 1}
    r = api.get("/v1/transparency", params={"from": "2020-01-01", "format": "csv"}, headers=api.who["audit"])
    assert r.text.startswith("section,key,value\n")
    r = api.get("/v1/statements-of-reasons", params={"from": "2020-01-01"}, headers=api.who["audit"])
    assert r.json()["statements"][0]["automated_detection"] is True
    r = api.get("/v1/transparency", params={"from": "yesterday"}, headers=api.who["audit"])
    assert r.status_code == 422 and "is not a date" in r.json()["detail"]
