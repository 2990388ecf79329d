"""Webhooks given up after CHILDSAFE_WEBHOOK_MAX_ATTEMPTS do not disappear silently: they are listed
(HTTP and CLI), counted in a gauge, and redelivered (same webhook-id, signed) by an admin, audited."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy import select, update
from standardwebhooks import Webhook

from service_harness import WEBHOOK_SECRET, WebhookReceiver, make_server, problem

SECRET_TEXT = "this is just between us, dont tell your parents, delete this"


def metric(server, name: str) -> float:
    text = httpx.get(server.url + "/metrics").text
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def wait_until(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_webhooks_that_fail_for_good_are_listed_counted_and_redelivered(tmp_path, backend):
    receiver = WebhookReceiver()
    receiver.fail_first = 10**9  # the platform is down: every attempt fails
    server = make_server(tmp_path, backend(), receiver, CHILDSAFE_WEBHOOK_MAX_ATTEMPTS=2)
    server.start()
    try:
        wanted: list[str] = []
        with server.client("ingest") as c:
            for n in range(2):
                r = c.post("/v1/messages", json={
                    "conversation_id": f"lost-{n}", "message_id": "m1", "sender": {"id": "adult", "age": 40},
                    "recipients": [{"id": "kid", "age": 11}], "sent_at": "2026-06-01T09:00:00Z", "text": SECRET_TEXT})
                assert r.status_code == 200, r.text
                wanted += r.json()["webhooks"]
        assert len(wanted) >= 2

        with server.client("admin") as admin:
            def all_failed():
                got = admin.get("/v1/webhooks/failed", params={"limit": 1000}).json()
                return got if {e["event_id"] for e in got["failed"]} == set(wanted) else None

            listed = wait_until(all_failed)
            assert listed["max_attempts"] == 2 and listed["next_after"] is None
            for e in listed["failed"]:
                assert set(e) == {"event_id", "event_type", "attempts", "last_error", "created_at"}  # no payload
                assert e["attempts"] == 2 and e["last_error"] == "receiver answered 503"
                assert datetime.fromisoformat(e["created_at"]).tzinfo is not None
            assert [e["event_id"] for e in listed["failed"]] == wanted  # oldest first
            assert SECRET_TEXT not in json.dumps(listed)

            # paginated by a cursor
            first = admin.get("/v1/webhooks/failed", params={"limit": 1}).json()
            assert [e["event_id"] for e in first["failed"]] == wanted[:1] and first["next_after"] is not None
            rest = admin.get("/v1/webhooks/failed", params={"limit": 1000, "after": first["next_after"]}).json()
            assert [e["event_id"] for e in rest["failed"]] == wanted[1:] and rest["next_after"] is None

            # the gauge counts them, next to the pending one
            assert metric(server, "childsafe_outbox_failed") == len(wanted)
            assert metric(server, "childsafe_outbox_pending") == len(wanted)

            # the CLI shows the same
            cli_json = [json.loads(line) for line in server.cli("webhooks", "failed", "--json").stdout.splitlines()]
            assert [e["event_id"] for e in cli_json] == wanted
            text = server.cli("webhooks", "failed", "--limit", "1")
            assert wanted[0] in text.stdout and wanted[1] not in text.stdout and "--after" in text.stderr

            # the platform is back: redeliver one over HTTP, with an unknown id beside it
            receiver.fail_first = 0
            r = admin.post("/v1/webhooks/redeliver", json={"event_ids": [wanted[0], "evt_nope", wanted[0]]})
            assert r.status_code == 200, r.text
            assert r.json() == {"queued": [wanted[0]], "unknown": ["evt_nope"], "already_delivered": [],
                                "in_flight": []}
            assert receiver.wait_for(lambda got: wanted[0] in {g["headers"]["webhook-id"] for g in got}, timeout=20)
            delivery = next(g for g in receiver.received if g["headers"]["webhook-id"] == wanted[0])
            verified = Webhook(WEBHOOK_SECRET).verify(delivery["body"], delivery["headers"])
            assert verified["event_id"] == wanted[0] and verified["data"]["conversation_id"] == "lost-0"

            # delivered now (the receiver may answer before the worker has recorded it): asking again says so;
            # the others are still failed
            wait_until(lambda: metric(server, "childsafe_outbox_pending") == len(wanted) - 1)
            r = admin.post("/v1/webhooks/redeliver", json={"event_ids": [wanted[0]]})
            assert r.json() == {"queued": [], "unknown": [], "already_delivered": [wanted[0]], "in_flight": []}
            left = {e["event_id"] for e in admin.get("/v1/webhooks/failed").json()["failed"]}
            assert left == set(wanted[1:])

            # the CLI redelivers the rest
            out = server.cli("webhooks", "redeliver", "--all-failed")
            assert all(f"queued  {e}" in out.stdout for e in wanted[1:])
            assert receiver.wait_for(lambda got: set(wanted) <= {g["headers"]["webhook-id"] for g in got}, timeout=20)
            wait_until(lambda: not admin.get("/v1/webhooks/failed").json()["failed"])
            assert metric(server, "childsafe_outbox_failed") == 0
            out = server.cli("webhooks", "redeliver", wanted[0], "evt_gone", check=False)
            assert f"already delivered  {wanted[0]}" in out.stdout and "unknown  evt_gone" in out.stdout
            assert out.returncode == 1 and out.stderr.startswith("error: 1 unknown event id(s): evt_gone")
    finally:
        server.stop()
        receiver.close()
    ids = [g["headers"]["webhook-id"] for g in receiver.received]
    assert sorted(set(ids)) == sorted(wanted)  # each delivered under its own, unchanged webhook-id

    # each redelivery is in the audit log by event id, never with the payload
    from childsafe.service.models import AuditEntry
    from childsafe.store import open_database

    db = open_database(None if server.database_url else server.data_dir, server.database_url)
    try:
        with db.sessions() as s:
            entries = s.execute(select(AuditEntry.actor, AuditEntry.subject, AuditEntry.detail)
                                .where(AuditEntry.action == "webhook.redeliver")).all()
    finally:
        db.dispose()
    assert sorted(e.subject for e in entries) == sorted(f"webhook:{e}" for e in wanted)
    http_actors = {e.actor for e in entries} - {"cli"}
    assert len(http_actors) == 1 and next(iter(http_actors)).startswith("key:") and "(admin)" in next(iter(http_actors))
    assert sum(e.actor == "cli" for e in entries) == len(wanted) - 1
    assert all(SECRET_TEXT not in e.detail and "kid" not in e.detail for e in entries)
    assert '"ok": true' in server.cli("audit", "verify", "--json").stdout
    assert SECRET_TEXT not in server.logs()


def test_redelivery_input_is_checked_and_needs_the_admin_scope(server):
    with server.client("admin") as c:
        body = problem(c.post("/v1/webhooks/redeliver", json={"event_ids": []}), 422, "bad_redelivery")
        assert "empty" in body["detail"]
        body = problem(c.post("/v1/webhooks/redeliver", json={"event_ids": ["evt_a"], "all_failed": True}), 422,
                       "bad_redelivery")
        assert "not both" in body["detail"]
        problem(c.post("/v1/webhooks/redeliver", json={}), 422, "bad_redelivery")
        problem(c.post("/v1/webhooks/redeliver", json={"all_failed": False}), 422, "bad_redelivery")
        body = problem(c.post("/v1/webhooks/redeliver", json={"event_ids": [5]}), 422, "invalid_field")
        assert "event_ids" in body["detail"] and "string" in body["detail"]
        problem(c.post("/v1/webhooks/redeliver", json={"event_ids": "evt_a"}), 422, "invalid_field")
        problem(c.post("/v1/webhooks/redeliver", json={"all_failed": "yes"}), 422, "invalid_field")
        problem(c.post("/v1/webhooks/redeliver", json={"event_ids": ["evt_a"], "extra": 1}), 422, "invalid_field")
        problem(c.post("/v1/webhooks/redeliver", content=b"{nope", headers={"content-type": "application/json"}),
                400, "malformed_json")
        problem(c.get("/v1/webhooks/failed", params={"limit": 0}), 422, "invalid_field")
        problem(c.get("/v1/webhooks/failed", params={"after": "x"}), 422, "invalid_field")
        assert c.post("/v1/webhooks/redeliver", json={"event_ids": ["evt_never_made"]}).json()["unknown"] == [
            "evt_never_made"]
    for scope in ("moderate", "ingest", "audit"):
        with server.client(scope) as c:
            problem(c.get("/v1/webhooks/failed"), 403, "insufficient_scope")
            problem(c.post("/v1/webhooks/redeliver", json={"all_failed": True}), 403, "insufficient_scope")
    with server.client(None) as c:
        problem(c.get("/v1/webhooks/failed"), 401, "missing_api_key")


def test_cli_refuses_bad_input_in_one_line(server):
    for args, words in ((("webhooks", "redeliver"), "--all-failed"),
                        (("webhooks", "redeliver", "evt_a", "--all-failed"), "not both"),
                        (("webhooks", "failed", "--limit", "0"), "limit")):
        result = server.cli(*args, check=False)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]


@pytest.fixture()
def outbox_db(tmp_path):
    from childsafe.service.models import OutboxEvent
    from childsafe.store import open_database

    db = open_database(tmp_path)
    now = datetime.now(timezone.utc)
    with db.session() as s:
        for n, (attempts, delivered) in enumerate([(3, None), (1, None), (3, now), (5, None), (3, None)]):
            s.add(OutboxEvent(event_id=f"evt_{n}", event_type="block_media", payload=b'{"data": "secret"}',
                              created_at=now - timedelta(minutes=10 - n), attempts=attempts,
                              next_attempt_at=now + timedelta(hours=1), delivered_at=delivered,
                              lease_until=now + timedelta(hours=1) if n == 3 else None, last_error="ConnectError"))
    yield db
    db.dispose()


def test_library_lists_pages_and_redelivers_failed_events(outbox_db):
    from childsafe.errors import InvalidInput
    from childsafe.service import outbox
    from childsafe.service.models import AuditEntry, OutboxEvent

    with outbox_db.sessions() as s:
        assert outbox.count_failed(s, 3) == 3
        page = outbox.list_failed(s, 3, limit=2)
        assert [e.event_id for e in page.events] == ["evt_0", "evt_3"] and page.next_after is not None
        page2 = outbox.list_failed(s, 3, limit=2, after=page.next_after)
        assert [e.event_id for e in page2.events] == ["evt_4"] and page2.next_after is None
        assert page.events[0].to_dict()["last_error"] == "ConnectError" and "payload" not in page.events[0].to_dict()
        with pytest.raises(InvalidInput):
            outbox.list_failed(s, 3, limit=0)

    class FakeWorker:
        woken = 0

        def notify(self):
            FakeWorker.woken += 1

    worker = FakeWorker()
    outbox._running_workers.add(worker)
    try:
        with outbox_db.session() as s:
            result = outbox.redeliver(s, 3, ["evt_0", "evt_1", "evt_2", "evt_9"], actor="test")
            assert FakeWorker.woken == 0  # not before the transaction commits
        assert FakeWorker.woken == 1
    finally:
        outbox._running_workers.discard(worker)
    # a pending (not yet failed) event is queued at once too; the delivered and the unknown are reported
    assert result.to_dict() == {"queued": ["evt_0", "evt_1"], "unknown": ["evt_9"], "already_delivered": ["evt_2"],
                                "in_flight": []}
    with outbox_db.session() as s:
        assert outbox.redeliver(s, 3, all_failed=True, actor="test").queued == ["evt_3", "evt_4"]
        for bad in ({"event_ids": []}, {"event_ids": None}, {"event_ids": ["a"], "all_failed": True},
                    {"event_ids": [7]}, {"event_ids": ["x" * 65]}):
            with pytest.raises(InvalidInput):
                outbox.redeliver(s, 3, bad["event_ids"], all_failed=bad.get("all_failed", False), actor="test")
    with outbox_db.sessions() as s:
        rows = {r.event_id: r for r in s.scalars(select(OutboxEvent))}
        for e in ("evt_0", "evt_1", "evt_3", "evt_4"):
            assert rows[e].attempts == 0 and rows[e].lease_until is None and rows[e].delivered_at is None
            assert rows[e].payload == b'{"data": "secret"}'
        assert rows["evt_2"].attempts == 3
        assert outbox.count_failed(s, 3) == 0
        details = [a.detail for a in s.scalars(select(AuditEntry).where(AuditEntry.action == "webhook.redeliver"))]
        assert len(details) == 4 and not any("secret" in d for d in details)


def test_an_event_a_worker_is_sending_is_left_to_that_attempt(outbox_db):
    """Resetting a row under a live lease would let a second worker send it while the first still is."""
    from childsafe.service import outbox
    from childsafe.service.models import OutboxEvent

    lease = datetime.now(timezone.utc) + timedelta(minutes=5)
    with outbox_db.session() as s:
        s.execute(update(OutboxEvent).where(OutboxEvent.event_id == "evt_1").values(lease_until=lease))
    with outbox_db.session() as s:
        result = outbox.redeliver(s, 3, ["evt_1", "evt_3"], actor="test")
    # evt_3 has failed for good: its old lease is stale and does not hold it back
    assert result.to_dict() == {"queued": ["evt_3"], "unknown": [], "already_delivered": [], "in_flight": ["evt_1"]}
    with outbox_db.sessions() as s:
        row = s.scalar(select(OutboxEvent).where(OutboxEvent.event_id == "evt_1"))
        assert row.attempts == 1 and row.lease_until is not None
