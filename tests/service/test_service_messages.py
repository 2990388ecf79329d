"""Chat messages end to end: assessment, policy, nudge, case and webhooks; text kept only once a
conversation is risky; state that survives a restart; idempotent retries; the audit trail of reads."""

from __future__ import annotations

import uuid

import httpx
import pytest
from standardwebhooks import Webhook

from service_harness import WEBHOOK_SECRET, make_server

from tests.chats import GROOMING

BENIGN = [
    ("ana", "did you finish the maths homework?"),
    ("ben", "yeah, question 4 was hard"),
    ("ana", "see you at football practice tomorrow"),
]


def message(cid: str, n: int, who: str, text: str, ages: dict[str, int] | None = None, others: tuple[str, ...] = ()) -> dict:
    ages = ages or {}
    sender = {"id": who, **({"age": ages[who]} if who in ages else {})}
    recipients = [{"id": o, **({"age": ages[o]} if o in ages else {})} for o in others if o != who]
    return {"conversation_id": cid, "message_id": f"{cid}-m{n}", "sender": sender, "recipients": recipients,
            "sent_at": f"2026-03-01T10:{n:02d}:00Z", "text": text}


def send_all(client, cid: str, lines, ages) -> list[dict]:
    people = tuple(dict.fromkeys(w for w, _ in lines))
    out = []
    for n, (who, text) in enumerate(lines):
        r = client.post("/v1/messages", json=message(cid, n, who, text, ages, people))
        assert r.status_code == 200, r.text
        out.append(r.json())
    return out


def test_grooming_conversation_is_assessed_held_nudged_and_opens_a_case(server, receiver):
    cid = f"conv-{uuid.uuid4().hex[:8]}"
    with server.client("ingest") as c:
        answers = send_all(c, cid, GROOMING, {"adult": 34, "kid": 13})
    first, last = answers[0], answers[-1]
    assert first["policy"]["allowed"] is False  # an adult may not start a DM with a 13-year-old by default
    assert first["policy"]["checks"][0]["recipient_id"] == "kid" and first["policy"]["checks"][0]["action"] == "start_dm"
    assert "hold_message" in first["actions"]
    assert last["assessment"]["level"] in ("high", "critical")
    tactics = {t["tactic"] for t in last["assessment"]["tactics"]}
    assert {"secrecy", "gifts_offers"} <= tactics
    evidence = [e for t in last["assessment"]["tactics"] for e in t["evidence"]]
    assert evidence and all(e["message_id"].startswith(cid) and e["end"] > e["start"] for e in evidence)
    nudged = [a for a in answers if a["nudge"] is not None]
    assert nudged and all(a["nudge"]["user_id"] == "kid" and a["nudge"]["text"] and a["nudge"]["actions"] for a in nudged)
    case_ids = {a["case_id"] for a in answers if a["case_id"]}
    assert len(case_ids) == 1  # one case per conversation, not one per message
    opened = [a for a in answers if "open_case" in a["actions"]]
    assert len(opened) == 1

    wanted = {w for a in answers for w in a["webhooks"]}
    assert receiver.wait_for(lambda got: wanted <= {g["headers"]["webhook-id"] for g in got})
    verifier = Webhook(WEBHOOK_SECRET)
    types = set()
    for delivery in receiver.received:
        if delivery["headers"]["webhook-id"] in wanted:
            payload = verifier.verify(delivery["body"], delivery["headers"])
            types.add(payload["type"])
            assert payload["data"]["conversation_id"] == cid
            assert "text" not in payload["data"]  # webhooks carry decisions, not message text
    assert {"hold_message", "nudge_child", "open_case"} <= types

    with server.client("moderate") as c:
        case = c.get(f"/v1/cases/{case_ids.pop()}").json()
        assert case["trigger"]["kind"] == "conversation" and case["conversation_id"] == cid
        assert any(e.get("kind") == "message" for e in case["evidence"])
        risk = c.get("/v1/users/adult/risk").json()
        assert risk["max_risk"] >= last["assessment"]["risk"] - 1e-9 and risk["highest_level"] in ("high", "critical")


def test_message_text_is_kept_only_once_a_conversation_is_risky(server):
    benign = f"benign-{uuid.uuid4().hex[:8]}"
    risky = f"risky-{uuid.uuid4().hex[:8]}"
    with server.client("ingest") as c:
        send_all(c, benign, BENIGN, {"ana": 12, "ben": 12})
        answers = send_all(c, risky, GROOMING, {"adult": 34, "kid": 13})
    with server.client("moderate") as c:
        b = c.get(f"/v1/conversations/{benign}", params={"include_text": True}).json()
        assert b["level"] in ("none", "low") and b["text_kept"] is False and b["messages"] == []
        r = c.get(f"/v1/conversations/{risky}", params={"include_text": True}).json()
        assert r["text_kept"] is True
        kept = {m["message_id"]: m["text"] for m in r["messages"]}
        first_alert = next(i for i, a in enumerate(answers) if a["assessment"]["level"] in ("medium", "high", "critical"))
        # the window that led to the alert is kept too, not just the messages after it
        assert f"{risky}-m0" in kept and kept[f"{risky}-m0"] == GROOMING[0][1]
        assert len(kept) == len(GROOMING) and first_alert >= 0
        without = c.get(f"/v1/conversations/{risky}").json()
        assert "messages" not in without
    audit = server.cli("audit", "verify", "--json")
    assert '"ok": true' in audit.stdout


def test_conversation_continues_after_a_restart(tmp_path):
    from childsafe.conversation import ConversationEngine, Message

    server = make_server(tmp_path, None, None)
    server.start()
    cid = "restart-conv"
    people = ("adult", "kid")
    ages = {"adult": 34, "kid": 13}
    try:
        with server.client("ingest") as c:
            for n, (who, text) in enumerate(GROOMING[:4]):
                assert c.post("/v1/messages", json=message(cid, n, who, text, ages, people)).status_code == 200
        server.stop()
        server.start()
        with server.client("ingest") as c:
            for n, (who, text) in enumerate(GROOMING[4:], start=4):
                last = c.post("/v1/messages", json=message(cid, n, who, text, ages, people)).json()
    finally:
        server.stop()
    engine = ConversationEngine()
    for n, (who, text) in enumerate(GROOMING):
        m = message(cid, n, who, text, ages, people)
        expected = engine.observe(Message(cid, m["message_id"], who, m["sent_at"], text, sender_age=ages[who],
                                          recipients=tuple(p for p in people if p != who)))
    assert last["assessment"]["risk"] == pytest.approx(round(expected.risk, 3), abs=1e-3)
    assert last["assessment"]["level"] == expected.level


@pytest.mark.slow
def test_two_workers_share_conversations_without_losing_a_message(tmp_path, backend):
    """Each message on a new connection, so the kernel spreads them over both worker processes; the
    versioned state makes the result the same as one engine seeing the whole conversation."""
    from childsafe.conversation import ConversationEngine, Message

    server = make_server(tmp_path, backend(), None)
    server.start(workers=2)
    ages = {"adult": 34, "kid": 13}
    people = ("adult", "kid")
    lines = GROOMING * 2
    try:
        for n, (who, text) in enumerate(lines):
            r = httpx.post(server.url + "/v1/messages", json=message("shared", n, who, text, ages, people),
                           headers={"Authorization": f"Bearer {server.keys['ingest']}", "Connection": "close"}, timeout=30)
            assert r.status_code == 200, r.text
            last = r.json()
    finally:
        server.stop()
    engine = ConversationEngine()
    for n, (who, text) in enumerate(lines):
        m = message("shared", n, who, text, ages, people)
        expected = engine.observe(Message("shared", m["message_id"], who, m["sent_at"], text, sender_age=ages[who],
                                          recipients=tuple(p for p in people if p != who)))
    assert last["assessment"]["risk"] == pytest.approx(round(expected.risk, 3), abs=1e-3)
    assert [t["tactic"] for t in last["assessment"]["tactics"]] == [t.tactic for t in expected.tactics]


def test_idempotent_retry_is_not_processed_twice(server):
    cid = f"idem-{uuid.uuid4().hex[:8]}"
    body = message(cid, 0, "sam", "hello there", {"sam": 15}, ("sam", "kai"))
    with server.client("ingest") as c:
        first = c.post("/v1/messages", json=body, headers={"Idempotency-Key": "k1-" + cid})
        again = c.post("/v1/messages", json=body, headers={"Idempotency-Key": "k1-" + cid})
        assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
        other = dict(body, text="something else")
        r = c.post("/v1/messages", json=other, headers={"Idempotency-Key": "k1-" + cid})
        assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    with server.client("moderate") as c:
        assert c.get("/v1/users/sam/risk").json()["events"] == 1


def test_reads_of_message_text_are_audited_and_tampering_is_detected(tmp_path, backend):
    server = make_server(tmp_path, backend(), None)
    server.start()
    try:
        cid = "audited"
        with server.client("ingest") as c:
            send_all(c, cid, GROOMING, {"adult": 34, "kid": 13})
        with server.client("moderate") as c:
            c.get(f"/v1/conversations/{cid}", params={"include_text": True})
            c.get(f"/v1/conversations/{cid}", params={"include_text": True})
    finally:
        server.stop()
    ok = server.cli("audit", "verify", "--json")
    assert '"ok": true' in ok.stdout
    from sqlalchemy import text

    from childsafe.store import open_database

    db = open_database(None if server.database_url else server.data_dir, server.database_url)
    with db.engine.begin() as conn:
        rows = conn.execute(text("SELECT seq, action FROM service_audit_log ORDER BY seq")).all()
        reads = [seq for seq, action in rows if action == "conversation.read_text"]
        assert len(reads) == 2
        with pytest.raises(Exception):  # the database itself refuses to change the log
            with conn.begin_nested():
                conn.execute(text("UPDATE service_audit_log SET actor = 'someone-else' WHERE seq = :s"), {"s": reads[0]})
    with db.engine.begin() as conn:  # an attacker with database rights drops the guard first
        if db.is_sqlite:
            conn.execute(text("DROP TRIGGER service_audit_log_no_update"))
            conn.execute(text("DROP TRIGGER service_audit_log_no_delete"))
        else:
            conn.execute(text("ALTER TABLE service_audit_log DISABLE TRIGGER service_audit_log_append_only"))
        conn.execute(text("UPDATE service_audit_log SET actor = 'someone-else' WHERE seq = :s"), {"s": reads[0]})
    changed = server.cli("audit", "verify", check=False)
    assert changed.returncode == 1 and f"entry {reads[0]}: changed" in changed.stderr
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM service_audit_log WHERE seq = :s"), {"s": reads[1]})
    missing = server.cli("audit", "verify", check=False)
    assert missing.returncode == 1 and f"entry {reads[1]}: missing" in missing.stderr
    db.dispose()
