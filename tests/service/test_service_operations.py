"""Running the service: keys made, listed and revoked from the CLI; webhooks retried until the platform
answers; logs without message text; the retention job; the first-start hint."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import datetime, timedelta, timezone

import httpx

from service_harness import CHILDSAFE, make_server


def test_keys_cli_prints_once_lists_without_secret_and_revokes(tmp_path):
    server = make_server(tmp_path, None, None)
    made = server.cli("keys", "create", "--scopes", "ingest,audit", "--name", "platform", "--json")
    info = json.loads(made.stdout)
    key = info["key"]
    assert key.startswith("cs_") and info["scopes"] == ["ingest", "audit"]
    listed = server.cli("keys", "list").stdout
    assert info["prefix"] in listed and key not in listed and "platform" in listed
    bad = server.cli("keys", "create", "--scopes", "ingest,superuser", check=False)
    assert bad.returncode == 2 and "unknown scope" in bad.stderr
    server.start()
    try:
        assert httpx.get(server.url + "/v1/config", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        server.cli("keys", "revoke", info["prefix"])
        deadline = time.monotonic() + 15
        status = 200
        while time.monotonic() < deadline and status == 200:
            status = httpx.get(server.url + "/v1/config", headers={"Authorization": f"Bearer {key}"}).status_code
            time.sleep(0.5)
        assert status == 401
    finally:
        server.stop()
    assert "revoked" in server.cli("keys", "list").stdout


def test_first_start_of_an_empty_data_directory_says_how_to_make_a_key(tmp_path):
    proc = subprocess.Popen([CHILDSAFE, "serve", "--port", "9", "--data-dir", str(tmp_path / "fresh")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        seen = ""
        while time.monotonic() < deadline and "keys create" not in seen:
            line = proc.stdout.readline()
            if not line:
                break
            seen += line
    finally:
        proc.kill()
        proc.wait()
    assert "childsafe keys create --scopes ingest,moderate,admin,audit" in seen
    assert str(tmp_path / "fresh") in seen


def test_webhooks_are_retried_until_the_platform_answers_and_logs_hold_no_text(tmp_path, receiver):
    server = make_server(tmp_path, None, receiver)
    receiver.fail_first = 3
    server.start()
    secret_text = "this is just between us, dont tell your parents"
    try:
        with server.client("ingest") as c:
            r = c.post("/v1/messages", json={
                "conversation_id": "retry", "message_id": "r1", "sender": {"id": "adult", "age": 40},
                "recipients": [{"id": "kid", "age": 11}], "sent_at": "2026-06-01T09:00:00Z", "text": secret_text})
        wanted = set(r.json()["webhooks"])
        assert wanted
        assert receiver.wait_for(lambda got: wanted <= {g["headers"]["webhook-id"] for g in got}, timeout=30)
        assert receiver.fail_first == 0  # the first three attempts were refused, then it got through
    finally:
        server.stop()
    logs = server.logs()
    assert "webhook delivery failed" in logs and "webhook delivered" in logs
    assert secret_text not in logs and "dont tell" not in logs
    for line in logs.splitlines():
        if line.startswith("{"):
            json.loads(line)  # every log line from the service is one JSON object


def test_retention_job_deletes_what_is_past_its_period(tmp_path):
    from sqlalchemy import func, select

    from childsafe.service.models import IngestEvent, MessageText, OutboxEvent
    from childsafe.service.runtime import RetentionJob
    from childsafe.service.settings import load_settings
    from childsafe.store import open_database

    settings = load_settings(data_dir=tmp_path, retention={"events_days": 1, "message_text_days": 2,
                                                           "delivered_webhooks_days": 1})
    db = open_database(tmp_path)
    old = datetime.now(timezone.utc) - timedelta(days=3)
    new = datetime.now(timezone.utc)
    with db.session() as s:
        for n, at in enumerate((old, new)):
            s.add(IngestEvent(event_id=f"e{n}", kind="message", action="none", risk=0.0, level="none", signals={},
                              created_at=at))
            s.add(MessageText(conversation_id="c", message_id=f"m{n}", sender_id="u", sent_at="t", text="x", stored_at=at))
            s.add(OutboxEvent(event_id=f"w{n}", event_type="nudge_child", payload=b"{}", created_at=at, attempts=1,
                              next_attempt_at=at, delivered_at=at))
        s.add(OutboxEvent(event_id="w-pending", event_type="nudge_child", payload=b"{}", created_at=old, attempts=0,
                          next_attempt_at=old))
    deleted = RetentionJob(db, settings).run_once()
    assert deleted["events"] == 1 and deleted["message_texts"] == 1 and deleted["delivered_webhooks"] == 1
    with db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(IngestEvent)) == 1
        assert s.scalar(select(func.count()).select_from(MessageText)) == 1
        pending = s.scalar(select(OutboxEvent.event_id).where(OutboxEvent.delivered_at.is_(None)))
        assert pending == "w-pending"  # undelivered webhooks are never dropped by retention
    db.dispose()


def test_an_error_is_logged_without_its_message():
    import logging

    from childsafe.service.logs import JsonFormatter

    record = None
    try:
        raise ValueError("you seem really mature for your age")
    except ValueError:
        import sys

        record = logging.LogRecord("childsafe.service", logging.ERROR, __file__, 1, "unexpected error", (), sys.exc_info())
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert data["error"] == "ValueError" and data["traceback"]
    assert "mature" not in line


def test_generated_webhook_secret_from_the_cli_verifies_deliveries(tmp_path, receiver):
    from standardwebhooks import Webhook

    server = make_server(tmp_path, None, receiver)
    server.env.pop("CHILDSAFE_WEBHOOK_SECRET")
    server.start()
    try:
        with server.client("ingest") as c:
            r = c.post("/v1/messages", json={
                "conversation_id": "gen-secret", "message_id": "g1", "sender": {"id": "adult", "age": 40},
                "recipients": [{"id": "kid", "age": 11}], "sent_at": "2026-06-01T09:00:00Z", "text": "hi"})
        wanted = set(r.json()["webhooks"])
        assert wanted and receiver.wait_for(lambda got: wanted <= {g["headers"]["webhook-id"] for g in got})
    finally:
        server.stop()
    secret = server.cli("webhooks", "secret").stdout.strip()
    assert secret.startswith("whsec_")
    delivery = next(g for g in receiver.received if g["headers"]["webhook-id"] in wanted)
    assert Webhook(secret).verify(delivery["body"], delivery["headers"])["data"]["conversation_id"] == "gen-secret"


def _requests_for(metrics_text: str, route: str) -> float:
    total = 0.0
    for line in metrics_text.splitlines():
        if line.startswith("childsafe_http_requests_total{") and f'route="{route}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_add_up_every_worker(tmp_path):
    """With two workers, /metrics counts the requests both answered, whichever worker is asked."""
    import os
    import tempfile

    started = time.time()
    server = make_server(tmp_path, None, None)
    server.start(workers=2)
    try:
        for _ in range(40):  # a new connection each time: the kernel spreads them over both workers
            assert httpx.get(server.url + "/healthz", headers={"Connection": "close"}, timeout=10).status_code == 200
        seen = []
        for _ in range(6):
            text = httpx.get(server.url + "/metrics", headers={"Connection": "close"}, timeout=10).text
            seen.append(_requests_for(text, "/healthz"))
            assert "childsafe_outbox_pending" in text and "childsafe_outbox_failed" in text
        pids = {line for line in open(server.log_path) if '"Started server process' in line}
    finally:
        server.stop()
    assert seen == [40.0] * 6, seen
    assert len(pids) >= 2  # there were two workers to add up
    tmp = tempfile.gettempdir()
    assert not [d for d in os.listdir(tmp) if d.startswith("childsafe-metrics-") and
                os.path.getmtime(os.path.join(tmp, d)) > started]  # the shared folder is removed
