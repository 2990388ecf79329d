"""Cases as reviewers work them: lifecycle, priority, two reviewers at once, dismissals that teach the
detectors, the account view, and reports that only leave after a human confirms them."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_console import fresh_postgres, grooming_case  # noqa: E402

from childsafe import cases
from childsafe.errors import Conflict
from childsafe.store import open_database


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, data_dir):
    if request.param == "sqlite":
        database = open_database(data_dir)
        yield database
        database.dispose()
        return
    made = fresh_postgres()
    if made is None:
        pytest.skip("PostgreSQL is unreachable here")
    url, drop = made
    database = open_database(None, url)
    yield database
    database.dispose()
    drop()


def test_queue_puts_live_streams_and_critical_grooming_before_everything_else(db):
    t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with db.session() as s:
        cases.open_case(s, case_id="media", trigger_kind="media_match", reason="m", evidence=[], priority="urgent", opened_at=t0)
        cases.open_case(s, case_id="low", trigger_kind="manual", reason="m", evidence=[], priority="low", opened_at=t0)
        cases.open_case(s, case_id="live", trigger_kind="live_nudity", reason="m", evidence=[], priority="high",
                        opened_at=t0 + timedelta(hours=2))
        cases.open_case(s, case_id="critical", trigger_kind="conversation", reason="m", evidence=[], priority="urgent",
                        opened_at=t0 + timedelta(hours=1))
        cases.open_case(s, case_id="high_conv", trigger_kind="conversation", reason="m", evidence=[], priority="high",
                        opened_at=t0)
    with db.session() as s:
        queue, total = cases.queue(s)
    assert total == 5
    assert [c.id for c in queue] == ["critical", "live", "media", "high_conv", "low"]
    assert queue[0].imminent and queue[1].imminent and not queue[2].imminent


def test_confirm_moves_the_case_and_writes_a_statement_of_reasons(db):
    with db.session() as s:
        grooming_case(s)
    with db.session() as s:
        case = cases.claim(s, "case_conv", "key:alice", expected_version=1)
        assert (case.state, case.assignee, case.version) == ("in_review", "key:alice", 2)
    with db.session() as s:
        case, follow = cases.decide(s, "case_conv", "key:alice", "confirm", expected_version=2)
        assert follow == []
    with db.session() as s:
        case = cases.get_case(s, "case_conv")
        assert (case.state, case.decision, case.decided_by) == ("actioned", "confirmed", "key:alice")
        assert case.time_to_action_seconds is not None and case.time_to_action_seconds >= 0
        sor = s.query(cases.StatementOfReasons).one().to_dict()
    assert sor["category"] == "protection_of_minors"
    assert sor["automated_detection"] is True and sor["automated_decision"] is False
    assert sor["decision_visibility"] == "restriction_of_account"


def test_a_case_changed_by_two_moderators_at_once_refuses_the_second_and_changes_nothing(db):
    with db.session() as s:
        grooming_case(s)
    # Both moderators opened the case at version 1.
    with db.session() as s:
        cases.decide(s, "case_conv", "key:alice", "confirm", expected_version=1)
    with pytest.raises(Conflict) as err:
        with db.session() as s:
            cases.decide(s, "case_conv", "key:bob", "dismiss", expected_version=1)
    assert err.value.http_status == 409 and err.value.code == "case_changed"
    assert "changed by someone else" in str(err.value) and "nothing was changed" in str(err.value)
    with db.session() as s:
        case = cases.get_case(s, "case_conv")
        assert (case.state, case.decision, case.decided_by, case.version) == ("actioned", "confirmed", "key:alice", 2)
        assert s.query(cases.CaseFeedback).filter_by(verdict="false_positive").count() == 0


def test_dismissing_a_media_match_disables_the_bank_entry_after_the_case_commits(db):
    from childsafe.banks import BankStore

    store = BankStore(db)
    store.create("known", "pdq")
    added = store.add_hashes("known", ["f" * 64], labels=["test-benign"])
    entry_id = added.entry_ids[0]
    with db.session() as s:
        cases.open_case(s, case_id="mm", trigger_kind="media_match", reason="upload matched", priority="urgent",
                        evidence=[{"kind": "bank_entry", "bank": "known", "entry_id": entry_id}])
    with db.session() as s:
        _, follow = cases.decide(s, "mm", "key:alice", "dismiss", expected_version=1, note="a holiday photo")
    done = cases.apply_follow_up(db, follow, "key:alice")
    assert done == [{"bank": "known", "entry_id": entry_id, "disabled": True}]
    entry = store.entry("known", entry_id)
    assert not entry.active and "false positive in mm" in entry.disabled_reason
    with db.session() as s:
        fb = s.query(cases.CaseFeedback).one()
        assert (fb.detector, fb.verdict, fb.subject) == ("media_match", "false_positive", f"known#{entry_id}")


def test_dismissing_a_conversation_records_feedback_for_the_engine(db):
    with db.session() as s:
        grooming_case(s)
    with db.session() as s:
        cases.decide(s, "case_conv", "key:alice", "dismiss", expected_version=1, note="siblings joking")
    with db.session() as s:
        fb = s.query(cases.CaseFeedback).one()
        assert fb.verdict == "false_positive" and fb.detail["conversation_id"] == "conv_case_conv"
        assert cases.get_case(s, "case_conv").state == "closed"


def test_escalating_raises_priority_and_returns_the_case_to_the_queue(db):
    with db.session() as s:
        grooming_case(s, priority="normal")
    with db.session() as s:
        cases.claim(s, "case_conv", "key:alice")
        case, _ = cases.decide(s, "case_conv", "key:alice", "escalate", expected_version=2)
        assert (case.state, case.priority, case.escalated, case.assignee) == ("open", "urgent", True, None)
        assert case.imminent  # urgent grooming is imminent harm


def test_user_view_gathers_every_case_conversation_and_match_of_an_account(db):
    from childsafe.service.models import ConversationRecord, IngestEvent

    now = datetime.now(timezone.utc)
    with db.session() as s:
        grooming_case(s, case_id="c1", user="user_sam")
        grooming_case(s, case_id="c2", user="user_sam")
        grooming_case(s, case_id="other", user="user_else")
        s.add(ConversationRecord(conversation_id="conv_c1", version=1, state=b"{}", assessment=b"{}", risk=0.8,
                                 level="high", keeps_text=True, case_id="c1", participants=["user_sam", "user_kid"],
                                 updated_at=now))
        s.add(IngestEvent(event_id="evt_1", kind="media", sender_id="user_sam", action="block_media", risk=1.0,
                          level="critical", content_sha256="ab" * 32,
                          signals={"matches": [{"bank": "known", "entry_id": 1, "distance": 4}]}, created_at=now))
    with db.session() as s:
        view = cases.user_view(s, "user_sam")
    assert sorted(c["id"] for c in view["cases"]) == ["c1", "c2"]
    assert [c["conversation_id"] for c in view["conversations"]] == ["conv_c1"]
    assert view["matches"][0]["matches"][0]["distance"] == 4


def test_a_report_for_a_case_that_is_not_confirmed_is_refused_and_nothing_is_made(db):
    from childsafe.reports import Reporter, create_report, list_reports

    with db.session() as s:
        grooming_case(s)
    with pytest.raises(Conflict, match="has not been confirmed") as err:
        with db.session() as s:
            create_report(s, "case_conv", "cybertipline", "key:alice", Reporter(email="safety@example.org"))
    assert err.value.code == "case_not_confirmed"
    with db.session() as s:
        assert list_reports(s) == []


def test_cybertipline_report_is_drafted_confirmed_by_a_human_then_exported(db, tmp_path):
    import xml.etree.ElementTree as ET

    from childsafe.reports import Reporter, confirm_report, create_report, export_report

    reporter = Reporter(company="Example Chat Ltd", esp_service="Example Chat", first_name="Pat", last_name="Lee",
                        email="safety@example.org")
    with db.session() as s:
        grooming_case(s)
    with db.session() as s:
        cases.decide(s, "case_conv", "key:alice", "confirm", expected_version=1)
    with db.session() as s:
        report = create_report(s, "case_conv", "cybertipline", "key:alice", reporter)
        rid = report.id
    with pytest.raises(Conflict, match="must confirm"):
        with db.session() as s:
            export_report(s, rid, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    with db.session() as s:
        confirm_report(s, rid, "key:alice")
        assert cases.get_case(s, "case_conv").state == "reported"
    with db.session() as s:
        paths = export_report(s, rid, tmp_path / "out")
    with db.session() as s:
        from childsafe.reports import get_report

        assert get_report(s, rid).state == "exported"
    root = ET.parse(paths[0]).getroot()
    assert root.tag == "report"
    assert root.findtext("incidentSummary/incidentType") == "Online Enticement of Children for Sexual Act"
    assert root.findtext("reporter/reportingPerson/email") == "safety@example.org"
    assert root.findtext("personOrUserReported/espIdentifier") == "user_sam"
    assert "just for us" in root.findtext("internetDetails/chatImIncident/content")


def test_nca_referral_has_our_documented_json_and_csv_shape(db, tmp_path):
    import csv

    from childsafe.reports import Reporter, confirm_report, create_report, export_report

    with db.session() as s:
        grooming_case(s)
        s.flush()
        cases.decide(s, "case_conv", "key:alice", "confirm", expected_version=1)
    with db.session() as s:
        rid = create_report(s, "case_conv", "nca", "key:alice", Reporter(company="Example")).id
        confirm_report(s, rid, "key:bob")
    with db.session() as s:
        paths = {p.name: p for p in export_report(s, rid, tmp_path)}
    data = json.loads(paths["referral.json"].read_text())
    assert data["schema"] == "childsafe.nca-referral/1" and data["offence_type"] == "grooming_or_enticement"
    assert data["reported_user"]["platform_user_id"] == "user_sam" and len(data["messages"]) == 4
    rows = list(csv.DictReader(paths["referral.csv"].open()))
    assert len(rows) == 4 and rows[0]["item_kind"] == "message" and rows[0]["referral_id"] == rid


def test_transparency_report_counts_actions_time_to_action_and_precision(db):
    from childsafe.reports.transparency import parse_period, report_csv, transparency_report

    t0 = datetime.now(timezone.utc) - timedelta(hours=1)
    with db.session() as s:
        for n in range(3):
            grooming_case(s, case_id=f"tp{n}", opened_at=t0)
        grooming_case(s, case_id="fp", opened_at=t0)
    with db.session() as s:
        for n in range(3):
            cases.decide(s, f"tp{n}", "key:alice", "confirm", expected_version=1)
        cases.decide(s, "fp", "key:alice", "dismiss", expected_version=1)
    start, end = parse_period((t0 - timedelta(days=1)).isoformat(), (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat())
    with db.session() as s:
        rep = transparency_report(s, start, end)
    assert rep["cases_opened"]["by_detector"] == {"conversation": 4}
    assert rep["actions"]["by_category"] == {"protection_of_minors": 3}
    assert rep["automated_vs_human"]["human_decisions"] == 3
    assert rep["automated_precision"]["conversation"] == {"confirmed": 3, "false_positive": 1, "reviewed": 4, "precision": 0.75}
    assert 3500 < rep["time_to_action_seconds"]["median"] < 3700
    assert "automated_precision,conversation.precision,0.75" in report_csv(rep)


def test_a_conversation_that_turns_critical_after_its_case_opened_moves_up_to_imminent(db):
    with db.session() as s:
        grooming_case(s, case_id="later", priority="high")
        cases.open_case(s, case_id="media", trigger_kind="media_match", reason="m", evidence=[], priority="urgent")
    with db.session() as s:
        assert [c.id for c in cases.queue(s)[0]] == ["media", "later"]
        cases.raise_priority(s, "later", "urgent")
        cases.raise_priority(s, "later", "low")  # never lowers
    with db.session() as s:
        assert [c.id for c in cases.queue(s)[0]] == ["later", "media"]
        assert cases.get_case(s, "later").priority == "urgent"


def test_the_services_hook_makes_a_waiting_conversation_case_urgent_when_it_turns_critical(db):
    from childsafe.cases.records import escalate_critical_conversation

    with db.session() as s:
        grooming_case(s, case_id="waiting", priority="high")
        grooming_case(s, case_id="done", priority="high")
    with db.session() as s:
        cases.decide(s, "done", "key:alice", "confirm", expected_version=1)
    with db.session() as s:
        escalate_critical_conversation(s, "waiting")
        escalate_critical_conversation(s, "done")
        escalate_critical_conversation(s, "case_missing")  # never fails the message it rides with
    with db.session() as s:
        waiting, done = cases.get_case(s, "waiting"), cases.get_case(s, "done")
        assert (waiting.priority, waiting.imminent, waiting.version) == ("urgent", True, 2)
        assert (done.priority, done.version) == ("high", 2)
