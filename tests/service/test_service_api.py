"""The HTTP API through real HTTP: auth and scopes, problem details, banks and media matching, age
records and provider webhooks, contact checks, config, health and metrics, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import time
import uuid

import pytest
from PIL import Image
from standardwebhooks import Webhook

from service_harness import AGE_PROVIDER_SECRET, WEBHOOK_SECRET, problem


def test_health_ready_and_metrics_need_no_key(server):
    with server.client(scope="") as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        assert c.get("/readyz").json() == {"status": "ready"}
        metrics = c.get("/metrics")
        assert metrics.status_code == 200
        assert "childsafe_http_requests_total" in metrics.text


def test_openapi_and_offline_docs_page(server):
    with server.client(scope="") as c:
        spec = c.get("/openapi.json").json()
        assert "/v1/messages" in spec["paths"] and "/v1/media" in spec["paths"]
        page = c.get("/docs")
        assert page.status_code == 200 and "/docs/static/swagger-ui-bundle.js" in page.text
        assert "cdn" not in page.text.lower()
        assert c.get("/docs/static/swagger-ui-bundle.js").status_code == 200


def test_missing_or_unknown_key_is_refused(server):
    with server.client(scope="") as c:
        problem(c.get("/v1/config"), 401, "missing_api_key")
        problem(c.get("/v1/config", headers={"Authorization": "Bearer cs_nope_nope"}), 401, "invalid_api_key")
        problem(c.get("/v1/config", headers={"X-API-Key": server.keys["all"] + "x"}), 401, "invalid_api_key")
        assert c.get("/v1/config", headers={"X-API-Key": server.keys["all"]}).status_code == 200


def test_scope_that_does_not_allow_the_call_is_refused(server):
    with server.client("moderate") as c:
        problem(c.post("/v1/messages", json={}), 403, "insufficient_scope")
        problem(c.post("/v1/banks", json={"name": "x", "signal_type": "pdq"}), 403, "insufficient_scope")
    with server.client("ingest") as c:
        problem(c.get("/v1/banks"), 403, "insufficient_scope")
        problem(c.get("/v1/cases"), 403, "insufficient_scope")


def test_bad_bodies_get_problem_details_with_codes(server):
    with server.client("ingest") as c:
        problem(c.post("/v1/messages", content=b"{not json", headers={"content-type": "application/json"}), 400, "malformed_json")
        body = problem(c.post("/v1/messages", json={"conversation_id": "c1"}), 422, "missing_field")
        assert any("message_id" in e["location"] for e in body["errors"])
        bad_types = {"conversation_id": "c", "message_id": "m", "sender": {"id": "u", "age": "old"},
                     "sent_at": "2026-01-01T00:00:00Z", "text": "hi"}
        problem(c.post("/v1/messages", json=bad_types), 422, "invalid_field")
        problem(c.post("/v1/messages", json=[1, 2]), 422, "invalid_field")
        big = {"conversation_id": "c", "message_id": "m", "sender": {"id": "u"}, "sent_at": "2026-01-01T00:00:00Z",
               "text": "x" * 300_000}
        problem(c.post("/v1/messages", json=big), 413, "body_too_large")
        problem(c.get("/v1/nowhere"), 404, "not_found")


def test_config_shows_retention_and_limits_but_no_secrets(server):
    with server.client("ingest") as c:
        config = c.get("/v1/config").json()
    assert config["retention"]["events_days"] > 0 and config["retention"]["message_text_days"] > 0
    assert config["limits"]["max_body_bytes"] == 200000
    assert WEBHOOK_SECRET not in json.dumps(config)


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_upload_of_banked_image_is_blocked_and_webhooks_verify(server, receiver, reference_media):
    from childsafe.media import load_image, pdq_hash_image

    original = reference_media / "pdq" / "bridge-mods" / "aaa-orig.jpg"
    bank = f"known-{uuid.uuid4().hex[:6]}"
    with server.client("all") as c:
        assert c.post("/v1/banks", json={"name": bank, "signal_type": "pdq"}).status_code == 201
        added = c.post(f"/v1/banks/{bank}/entries", json={"hashes": [pdq_hash_image(load_image(original)).pdq],
                                                          "labels": ["test-benign"]})
        assert added.status_code == 201, added.text
        entries = c.get(f"/v1/banks/{bank}/entries").json()["entries"]
        assert len(entries) == 1
        img = Image.open(original).convert("RGB")
        resized = img.resize((img.width // 2, img.height // 2))
        r = c.post("/v1/media", files={"file": ("photo.jpg", _jpeg(resized), "image/jpeg")},
                   data={"uploader_id": "u-upl", "media_id": "m-1", "banks": bank})
        assert r.status_code == 200, r.text
        decision = r.json()
        assert decision["action"] == "block_media"
        assert decision["matches"][0]["bank"] == bank
        assert set(decision["actions"]) == {"block_media", "open_case"}
        case = c.get(f"/v1/cases/{decision['case_id']}").json()
        assert case["trigger"]["kind"] == "media_match" and case["priority"] == "urgent"
        other = reference_media / "pdq" / "labelme-subset"
        unrelated = sorted(p for p in other.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))[0]
        r2 = c.post("/v1/media", files={"file": (unrelated.name, unrelated.read_bytes(), "image/jpeg")},
                    data={"banks": bank})
        assert r2.json()["action"] == "none" and r2.json()["matches"] == []
    wanted = set(decision["webhooks"])
    assert receiver.wait_for(lambda got: wanted <= {g["headers"]["webhook-id"] for g in got})
    verifier = Webhook(WEBHOOK_SECRET)
    for delivery in receiver.received:
        if delivery["headers"]["webhook-id"] in wanted:
            payload = verifier.verify(delivery["body"], delivery["headers"])
            assert payload["event_id"] == delivery["headers"]["webhook-id"]
            assert payload["type"] in ("block_media", "open_case")
            assert payload["data"]["source_event_id"] == decision["event_id"]


def test_upload_switches_per_call_turn_off_rotations_and_bad_values_are_refused(server, reference_media):
    from childsafe.media import load_image, pdq_hash_image

    original = reference_media / "pdq" / "bridge-mods" / "aaa-orig.jpg"
    bank = f"mirror-{uuid.uuid4().hex[:6]}"
    mirrored = _jpeg(Image.open(original).convert("RGB").transpose(Image.FLIP_LEFT_RIGHT))
    with server.client("all") as c:
        c.post("/v1/banks", json={"name": bank, "signal_type": "pdq"})
        c.post(f"/v1/banks/{bank}/entries", json={"hashes": [pdq_hash_image(load_image(original)).pdq]})
        r = c.post("/v1/media", files={"file": ("m.jpg", mirrored, "image/jpeg")}, data={"banks": bank})
        assert r.json()["action"] == "block_media" and r.json()["matches"][0]["transform"] == "flip_h"
        r = c.post("/v1/media", files={"file": ("m.jpg", mirrored, "image/jpeg")},
                   data={"banks": bank, "dihedral": "false", "trim": "false", "regions": "false"})
        assert r.status_code == 200 and r.json()["action"] == "none"
        r = c.post("/v1/media", files={"file": ("m.jpg", mirrored, "image/jpeg")}, data={"banks": bank, "trim": "maybe"})
        problem(r, 422, "invalid_field")


def test_stickers_are_looked_for_only_when_the_upload_asks(server):
    import random

    from childsafe.media import pdq_hash_image
    from childsafe.media.queries import MatchOptions, image_query_hashes
    from eval.matching.corpus import banked_images
    from eval.matching.transforms import emoji_sticker

    def best(copy, original, **options) -> int:
        target = int(pdq_hash_image(original).pdq, 16)
        return min((int(q.pdq, 16) ^ target).bit_count() for q in image_query_hashes(copy, MatchOptions(**options)))

    for sample in banked_images(drawn=4):  # a copy the default query set misses and stickers find
        copy = Image.open(io.BytesIO(_jpeg(emoji_sticker(sample.image, random.Random(sample.name), 0.06)))).convert("RGB")
        if best(copy, sample.image) > 31 and best(copy, sample.image, stickers=True) <= 27:
            break
    else:
        pytest.fail("no stickered copy that only sticker finding recovers")
    bank = f"stickers-{uuid.uuid4().hex[:6]}"
    upload = _jpeg(emoji_sticker(sample.image, random.Random(sample.name), 0.06))
    with server.client("all") as c:
        c.post("/v1/banks", json={"name": bank, "signal_type": "pdq"})
        c.post(f"/v1/banks/{bank}/entries", json={"hashes": [pdq_hash_image(sample.image).pdq]})
        r = c.post("/v1/media", files={"file": ("s.jpg", upload, "image/jpeg")}, data={"banks": bank})
        assert r.status_code == 200 and r.json()["action"] == "none"
        r = c.post("/v1/media", files={"file": ("s.jpg", upload, "image/jpeg")}, data={"banks": bank, "stickers": "true"})
        assert r.json()["action"] == "block_media" and r.json()["matches"][0]["covered"]
        r = c.post("/v1/media", files={"file": ("s.jpg", upload, "image/jpeg")}, data={"banks": bank, "stickers": "maybe"})
        problem(r, 422, "invalid_field")


def test_precomputed_hash_matches_and_disabled_entry_stops_matching(server, reference_media):
    from childsafe.media import load_image, pdq_hash_image

    pdq = pdq_hash_image(load_image(reference_media / "pdq" / "sample-b.jpg")).pdq
    bank = f"hashes-{uuid.uuid4().hex[:6]}"
    with server.client("all") as c:
        c.post("/v1/banks", json={"name": bank, "signal_type": "pdq"})
        c.post(f"/v1/banks/{bank}/entries", json={"hashes": [pdq]})
        r = c.post("/v1/media", json={"pdq": [pdq], "banks": [bank]})
        assert r.json()["action"] == "block_media"
        entry_id = r.json()["matches"][0]["entry_id"]
        d = c.post(f"/v1/banks/{bank}/entries/{entry_id}/disable", json={"reason": "false positive in test"})
        assert d.status_code == 200, d.text
        r = c.post("/v1/media", json={"pdq": [pdq], "banks": [bank]})
        assert r.json()["action"] == "none"


def test_media_that_is_not_media_and_unknown_bank(server):
    with server.client("all") as c:
        problem(c.post("/v1/media", files={"file": ("notes.jpg", b"this is not an image at all", "image/jpeg")}), 422, "not_media")
        problem(c.post("/v1/media", files={"file": ("empty.jpg", b"", "image/jpeg")}), 422, "empty_media")
        problem(c.post("/v1/media", data={"uploader_id": "x"}, files={"other": ("a", b"b")}), 422, "missing_field")
        problem(c.post("/v1/media", json={"pdq": ["zz"]}), 422, "bad_hash")
        problem(c.post("/v1/media", json={"pdq": ["0" * 64], "banks": ["no-such-bank"]}), 404, "unknown_bank")
        problem(c.get("/v1/banks/no-such-bank/entries"), 404, "unknown_bank")
        problem(c.post("/v1/media", content=b"abc", headers={"content-type": "text/plain"}), 415, "unsupported_media_type")


def test_idempotency_key_gives_the_same_answer_once(server):
    body = {"pdq": ["f" * 64]}
    with server.client("ingest") as c:
        key = f"idem-{uuid.uuid4().hex}"
        first = c.post("/v1/media", json=body, headers={"Idempotency-Key": key})
        second = c.post("/v1/media", json=body, headers={"Idempotency-Key": key})
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()
        assert second.headers.get("idempotent-replayed") == "true"
        problem(c.post("/v1/media", json={"pdq": ["e" * 64]}, headers={"Idempotency-Key": key}), 422, "idempotency_key_reused")
        third = c.post("/v1/media", json=body, headers={"Idempotency-Key": key + "-new"})
        assert third.json()["event_id"] != first.json()["event_id"]


def test_stored_age_decides_contact_check(server):
    with server.client("all") as c:
        r = c.put("/v1/users/kid-1/age", json={"age": 12, "method": "id_document"})
        assert r.status_code == 200, r.text
        assert c.get("/v1/users/kid-1/age").json()["age_now"] == 12
        c.put("/v1/users/adult-1/age", json={"age": 40, "method": "id_document"})
        check = c.post("/v1/contact-check", json={"action": "start_dm", "actor": {"id": "adult-1"}, "target": {"id": "kid-1"}})
        assert check.status_code == 200, check.text
        assert check.json()["allowed"] is False and check.json()["rule"]
        problem(c.put("/v1/users/kid-2/age", json={"age": 12, "method": "guess"}), 422, "bad_assurance")
        problem(c.post("/v1/contact-check", json={"action": "teleport", "actor": {"id": "a"}, "target": {"id": "b"}}), 422,
                c.post("/v1/contact-check", json={"action": "teleport", "actor": {"id": "a"}, "target": {"id": "b"}}).json()["code"])


def test_age_provider_webhook_signed_forged_and_replayed(server):
    from childsafe.policy import signed_headers

    body = json.dumps({"user_id": "kid-9", "check_id": f"chk-{uuid.uuid4().hex[:6]}", "age_estimate": 14,
                       "st_dev": 0.5, "confidence": 0.95}).encode()
    headers = signed_headers(AGE_PROVIDER_SECRET, f"wh_{uuid.uuid4().hex}", body)
    url = "/v1/age-providers/acme-age/webhook"
    with server.client(scope="") as c:
        ok = c.post(url, content=body, headers={**headers, "content-type": "application/json"})
        assert ok.status_code == 200, ok.text
        problem(c.post(url, content=body, headers={**headers, "content-type": "application/json"}), 409, "webhook_replayed")
        forged = dict(headers, **{"webhook-id": f"wh_{uuid.uuid4().hex}"})
        problem(c.post(url, content=body, headers=forged), 401, "webhook_bad_signature")
        stale = signed_headers(AGE_PROVIDER_SECRET, f"wh_{uuid.uuid4().hex}", body, timestamp=int(time.time()) - 3600)
        problem(c.post(url, content=body, headers=stale), 401, "webhook_stale")
        problem(c.post(url, content=body), 401, "webhook_unsigned")


def test_media_banked_over_http_with_crops_then_a_square_copy_is_blocked(server):
    """`bank add --crops` over HTTP: the original's hash, its trimmed picture where it has one and
    its crops; a copy cut to a square (as a feed cuts it) is then blocked through its crop."""
    from eval.matching.corpus import drawn_scene

    original = drawn_scene(31, (800, 600))
    buf = io.BytesIO()
    original.save(buf, "PNG")
    bank = f"own-{uuid.uuid4().hex[:6]}"
    with server.client("all") as c:
        assert c.post("/v1/banks", json={"name": bank, "signal_type": "pdq"}).status_code == 201
        r = c.post(f"/v1/banks/{bank}/media", files={"file": ("removed-42.png", buf.getvalue(), "image/png")},
                   data={"crops": "true", "labels": "own-removal, test-benign", "source": "moderation"})
        assert r.status_code == 201, r.text
        assert r.json()["added"] > 50  # the original and its crops (flat ones left out)
        entries = c.get(f"/v1/banks/{bank}/entries").json()["entries"]
        assert len(entries) == r.json()["added"]
        assert all("own-removal" in e["labels"] for e in entries)
        square = [e for e in entries if "crop:ratio1x1" in e["labels"]]
        assert square and square[0]["provenance"]["added_from"] == "removed-42.png"
        copy = original.crop((100, 0, 700, 600)).resize((540, 540))
        d = c.post("/v1/media", files={"file": ("square.jpg", _jpeg(copy), "image/jpeg")}, data={"banks": bank})
        assert d.status_code == 200 and d.json()["action"] == "block_media", d.text
        assert "crop:ratio1x1" in d.json()["matches"][0]["labels"]
        # without crops: the original alone
        plain = f"plain-{uuid.uuid4().hex[:6]}"
        assert c.post("/v1/banks", json={"name": plain, "signal_type": "pdq"}).status_code == 201
        r = c.post(f"/v1/banks/{plain}/media", files={"file": ("o.png", buf.getvalue(), "image/png")})
        assert r.status_code == 201 and r.json()["added"] == 1, r.text
        # bad input: a clear problem, nothing added
        problem(c.post(f"/v1/banks/{plain}/media", data={"crops": "true"}), 422, "missing_field")
        problem(c.post(f"/v1/banks/{plain}/media", files={"file": ("o.png", buf.getvalue(), "image/png")},
                       data={"crops": "maybe"}), 422, "invalid_field")
        problem(c.post(f"/v1/banks/{plain}/media", files={"file": ("e.png", b"", "image/png")}), 422, "empty_media")
        bad = c.post(f"/v1/banks/{plain}/media", files={"file": ("x.jpg", b"not an image at all" * 5, "image/jpeg")})
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json"), bad.text
        assert "x.jpg" in bad.json()["detail"] and "/tmp" not in bad.json()["detail"]  # the upload's name, not ours
        # names that are no plain file name are made one (they broke the write: a 500 and a dropped connection)
        for odd, kept in (("..", "upload"), (".", "upload"), ("a/..", "upload"), ("../../etc/passwd.png", "passwd.png"),
                          ("\U0001F600" * 80 + ".png", "_.png"), ("photo of me.png", "photo_of_me.png")):
            odd_bank = f"odd-{uuid.uuid4().hex[:6]}"
            assert c.post("/v1/banks", json={"name": odd_bank, "signal_type": "pdq"}).status_code == 201
            r = c.post(f"/v1/banks/{odd_bank}/media", files={"file": (odd, buf.getvalue(), "image/png")})
            assert r.status_code == 201, (odd, r.text)
            added_from = c.get(f"/v1/banks/{odd_bank}/entries").json()["entries"][0]["provenance"]["added_from"]
            assert added_from.endswith(kept) and "/" not in added_from and not added_from.startswith("."), added_from
        problem(c.post("/v1/banks/no-such-bank/media", files={"file": ("o.png", buf.getvalue(), "image/png")}),
                404, "unknown_bank")
        assert len(c.get(f"/v1/banks/{plain}/entries").json()["entries"]) == 1
    with server.client("moderate") as c:
        problem(c.post(f"/v1/banks/{plain}/media", files={"file": ("o.png", buf.getvalue(), "image/png")}),
                403, "insufficient_scope")


def test_an_upload_over_the_size_limit_stays_a_413_when_read_as_a_form():
    """The size check raises inside the form parser; the upload reader lets it through (it answered
    400 malformed_multipart, with no reason, for a chunked body over the limit)."""
    import asyncio

    import pytest

    from childsafe.service.metrics import BodyTooLarge
    from childsafe.service.problems import Problem
    from childsafe.service.uploads import read_upload, safe_name, switch

    class Raising:
        def __init__(self, exc):
            self.exc = exc

        async def form(self, **_):
            raise self.exc

    with pytest.raises(BodyTooLarge):
        asyncio.run(read_upload(Raising(BodyTooLarge()), {}))
    with pytest.raises(Problem) as bad:
        asyncio.run(read_upload(Raising(ValueError("boundary missing")), {}))
    assert bad.value.http_status == 400 and bad.value.code == "malformed_multipart"
    assert [safe_name(n) for n in ("..", "", "a b.jpg", ".hidden", "x" * 300)] == ["upload", "upload", "a_b.jpg", "hidden", "x" * 100]
    assert switch(None, "crops", default=False) is False and switch(" ON ", "crops") is True
    with pytest.raises(Problem):
        switch("maybe", "crops")
