"""kill -9 mid-ingest: every acknowledged event is still there after a restart, and every webhook it
queued is delivered (at least once) once the receiver is reachable again."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from sqlalchemy import func, select

from service_harness import make_server

LINES = [
    "you seem really mature for your age",
    "this is just between us, dont tell your parents",
    "i could buy you a new phone",
    "add me on snapchat",
]


@pytest.mark.slow
def test_acknowledged_events_and_pending_webhooks_survive_kill_9(tmp_path, backend, receiver):
    server = make_server(tmp_path, backend(), receiver)
    receiver.fail_first = 10**9  # the platform is down: every webhook stays pending
    server.start()
    acknowledged: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(worker: int) -> None:
        n = 0
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.keys['ingest']}"}, timeout=10) as c:
            while not stop.is_set():
                cid = f"crash-{worker}-{n // len(LINES)}"
                body = {"conversation_id": cid, "message_id": f"{cid}-{n}", "sender": {"id": f"adult-{worker}", "age": 35},
                        "recipients": [{"id": f"kid-{worker}", "age": 12}], "sent_at": f"2026-04-01T10:00:{n % 60:02d}Z",
                        "text": LINES[n % len(LINES)]}
                n += 1
                try:
                    r = c.post("/v1/messages", json=body)
                except httpx.HTTPError:
                    return  # the server died under us: this request was never acknowledged
                if r.status_code == 200:
                    with lock:
                        acknowledged.append(r.json())

    threads = [threading.Thread(target=load, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged) >= 80:
                break
        time.sleep(0.01)
    server.kill9()  # mid-ingest: the load threads are still sending
    stop.set()
    for t in threads:
        t.join()
    assert len(acknowledged) >= 80

    from childsafe.service.models import IngestEvent, OutboxEvent
    from childsafe.store import open_database

    db = open_database(None if server.database_url else server.data_dir, server.database_url)
    event_ids = {a["event_id"] for a in acknowledged}
    webhook_ids = {w for a in acknowledged for w in a["webhooks"]}
    assert webhook_ids, "the decisions should have queued webhooks (adult to 12-year-old is held by policy)"
    with db.sessions() as s:
        stored = set(s.scalars(select(IngestEvent.event_id).where(IngestEvent.event_id.in_(event_ids))))
        pending = set(s.scalars(select(OutboxEvent.event_id).where(OutboxEvent.delivered_at.is_(None))))
    assert stored == event_ids
    assert webhook_ids <= pending

    receiver.fail_first = 0  # the platform is back
    server.start()
    try:
        delivered = receiver.wait_for(lambda got: webhook_ids <= {g["headers"]["webhook-id"] for g in got}, timeout=90)
        assert delivered, f"{len(webhook_ids - receiver.event_ids())} acknowledged webhooks never arrived"
        # events committed just before the kill but never acknowledged are delivered too: the outbox drains
        deadline = time.monotonic() + 30
        while True:
            with db.sessions() as s:
                left = s.scalar(select(func.count(OutboxEvent.id)).where(OutboxEvent.delivered_at.is_(None)))
            if left == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert left == 0
    finally:
        server.stop()
        db.dispose()
