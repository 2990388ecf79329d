"""Age records and the webhook replay guard on PostgreSQL (the production database)."""

from __future__ import annotations

import base64
import json
import os
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from childsafe.policy import AgeStore, WebhookReplayed, signed_headers
from childsafe.store import open_database

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=test"
SECRET = "whsec_" + base64.b64encode(b"made-up-test-key-for-postgres").decode()


def _postgres_available() -> bool:
    if os.environ.get("CHILDSAFE_SKIP_POSTGRES"):
        return False
    try:
        import psycopg

        with psycopg.connect(ADMIN, connect_timeout=2, autocommit=True):
            return True
    except Exception:
        return False


@pytest.mark.postgres
def test_age_records_and_replay_guard_work_on_postgresql():
    if not _postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    import psycopg

    name = f"childsafe_policy_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    first, second = open_database(database_url=url), open_database(database_url=url)
    try:
        store, other = AgeStore(first), AgeStore(second)
        now = datetime.now(timezone.utc)
        store.set_age("kid", method="id_document", birth_date=date(2012, 3, 4), checked_at=now)
        store.set_age("kid", method="self_declared", age=30, checked_at=now + timedelta(seconds=1))
        current = other.current("kid")
        assert current.method == "id_document" and current.checked_at.tzinfo is not None
        assert other.appeal("kid").appeal_state == "pending"
        body = json.dumps({"user_id": "u1", "check_id": "c1", "threshold": 18, "result": "pass",
                           "method": "open_banking"}).encode()
        headers = signed_headers(SECRET, "msg_pg", body)
        store.receive_provider_webhook("bank", headers, body, secrets={"bank": SECRET})
        with pytest.raises(WebhookReplayed):
            other.receive_provider_webhook("bank", headers, body, secrets={"bank": SECRET})
        assert other.person("u1").age_low == 18
    finally:
        first.dispose()
        second.dispose()
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
