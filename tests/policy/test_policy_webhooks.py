"""Age-provider webhooks: only signed, fresh, first-time webhooks change an age."""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime, timezone

import pytest
from standardwebhooks.webhooks import Webhook

from childsafe.errors import InvalidInput
from childsafe.policy import (
    AgeStore,
    MemorySeenWebhookIds,
    WebhookRejected,
    WebhookReplayed,
    signed_headers,
    verify_provider_webhook,
)
from childsafe.store import open_database

SECRET = "whsec_" + base64.b64encode(b"made-up-test-key-0123456789").decode()
SECRETS = {"yoti": SECRET}
BODY = json.dumps({"user_id": "u1", "check_id": "c1", "age_estimate": 13.4, "st_dev": 0.6}).encode()


@pytest.fixture
def store(data_dir):
    db = open_database(data_dir)
    yield AgeStore(db)
    db.dispose()


def test_signed_webhook_is_accepted_and_stored(store):
    record = store.receive_provider_webhook("yoti", signed_headers(SECRET, "msg_1", BODY), BODY, secrets=SECRETS)
    assert record.user_id == "u1" and record.provider == "yoti" and record.method == "facial_estimation"
    assert store.person("u1").age_low == 11


def test_replayed_webhook_is_refused(store):
    headers = signed_headers(SECRET, "msg_1", BODY)
    store.receive_provider_webhook("yoti", headers, BODY, secrets=SECRETS)
    with pytest.raises(WebhookReplayed, match="replay refused") as exc:
        store.receive_provider_webhook("yoti", headers, BODY, secrets=SECRETS)
    assert exc.value.code == "webhook_replayed" and exc.value.http_status == 409
    assert len(store.history("u1")) == 1


def test_replay_is_refused_across_store_instances(data_dir):
    headers = signed_headers(SECRET, "msg_1", BODY)
    first, second = AgeStore(open_database(data_dir)), AgeStore(open_database(data_dir))
    first.receive_provider_webhook("yoti", headers, BODY, secrets=SECRETS)
    with pytest.raises(WebhookReplayed):
        second.receive_provider_webhook("yoti", headers, BODY, secrets=SECRETS)


@pytest.mark.parametrize("mutate,code", [
    (lambda h, b: ({}, b), "webhook_unsigned"),
    (lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b), "webhook_unsigned"),
    (lambda h, b: (h, b.replace(b"13.4", b"31.4")), "webhook_bad_signature"),
    (lambda h, b: (h | {"webhook-id": "msg_2"}, b), "webhook_bad_signature"),
    (lambda h, b: (h | {"webhook-signature": "v1," + base64.b64encode(b"x" * 32).decode()}, b), "webhook_bad_signature"),
    (lambda h, b: (h | {"webhook-timestamp": str(int(time.time()) - 3600)}, b), "webhook_stale"),
    (lambda h, b: (h | {"webhook-timestamp": "soon"}, b), "webhook_bad_header"),
])
def test_unsigned_forged_or_stale_webhooks_are_refused(store, mutate, code):
    headers, body = mutate(signed_headers(SECRET, "msg_1", BODY), BODY)
    with pytest.raises(WebhookRejected) as exc:
        store.receive_provider_webhook("yoti", headers, body, secrets=SECRETS)
    assert exc.value.code == code
    assert store.history("u1") == []


def test_unknown_provider_is_refused(store):
    with pytest.raises(WebhookRejected, match="no webhook secret configured for age provider 'acme'"):
        store.receive_provider_webhook("acme", signed_headers(SECRET, "m", BODY), BODY, secrets=SECRETS)


def test_signed_but_invalid_body_does_not_use_up_the_webhook_id(store):
    bad = b'{"user_id": "u1", "age_estimate": "old"}'
    with pytest.raises(InvalidInput, match="must be a number"):
        store.receive_provider_webhook("yoti", signed_headers(SECRET, "msg_9", bad), bad, secrets=SECRETS)
    store.receive_provider_webhook("yoti", signed_headers(SECRET, "msg_9", BODY), BODY, secrets=SECRETS)


def test_signatures_from_the_standard_webhooks_library_verify():
    ts = int(time.time())
    sig = Webhook(SECRET).sign("msg_std", datetime.fromtimestamp(ts, tz=timezone.utc), BODY.decode())
    headers = {"Webhook-Id": "msg_std", "Webhook-Timestamp": str(ts), "Webhook-Signature": f"v0,abc {sig}"}
    seen = MemorySeenWebhookIds()
    verified = verify_provider_webhook("yoti", headers, BODY, seen=seen, secrets=SECRETS)
    assert verified.payload["user_id"] == "u1" and verified.webhook_id == "msg_std"
    with pytest.raises(WebhookReplayed):
        verify_provider_webhook("yoti", headers, BODY, seen=seen, secrets=SECRETS)


def test_our_signatures_verify_with_the_standard_webhooks_library():
    headers = signed_headers(SECRET, "msg_ours", BODY)
    assert Webhook(SECRET).verify(BODY, headers) is not None


def test_provider_secrets_come_from_settings(store, monkeypatch):
    monkeypatch.setenv("CHILDSAFE_AGE_PROVIDER_SECRETS", json.dumps({"yoti": SECRET}))
    record = store.receive_provider_webhook("yoti", signed_headers(SECRET, "msg_env", BODY), BODY)
    assert record.user_id == "u1"
