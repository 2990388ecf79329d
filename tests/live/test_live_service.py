"""/v1/streams in the service: pushed frames and hashes decided, bad frames answered as problems."""

from __future__ import annotations

import io

import orjson
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def client(bank_db, data_dir):
    from childsafe.service.app import create_app
    from childsafe.service.keys import create_key
    from childsafe.service.settings import load_settings

    db, _ = bank_db
    with db.session() as s:
        key, _row = create_key(s, ["ingest", "moderate"], name="live-test")
    app = create_app(load_settings(data_dir=data_dir))
    with TestClient(app) as c:
        c.headers["Authorization"] = f"Bearer {key}"
        yield c, app


def _chair_hashes(reference_media):
    from childsafe.media import hash_video

    return [f.pdq for f in hash_video(reference_media / "vpdq/videos/chair-20-sd-bar.mp4", fps=1).frames
            if f.quality >= 50]


def test_pushed_hashes_of_banked_media_end_the_stream_with_webhooks_and_a_case(client, reference_media):
    from childsafe.service.models import OutboxEvent

    c, app = client
    r = c.post("/v1/streams", json={"stream_id": "s1", "broadcaster": {"age": 30, "assurance": "id_document"},
                                    "banks": ["known"]})
    assert r.status_code == 201, r.text
    assert r.json()["child_broadcaster"] is False
    hashes = _chair_hashes(reference_media)
    answers = [c.post("/v1/streams/s1/frames", json={"pdq": h, "frame_time": float(i)}) for i, h in enumerate(hashes[:2])]
    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["action"] for a in answers] == ["none", "terminate_stream"]
    final = answers[-1].json()
    assert final["matches"][0]["bank"] == "known" and final["case_id"]
    status = c.get("/v1/streams/s1").json()
    assert status["status"] == "terminated"
    late = c.post("/v1/streams/s1/frames", json={"pdq": hashes[2]})
    assert late.status_code == 409 and late.json()["code"] == "stream_not_active"
    svc = app.state.service
    with svc.db.session() as s:
        types = sorted(r.event_type for r in s.scalars(select(OutboxEvent)))
    assert types == ["alert_moderator", "open_case", "terminate_stream"]
    case = c.get(f"/v1/cases/{final['case_id']}").json()
    assert case["trigger"]["kind"] == "live_known_media" and case["priority"] == "urgent"


def test_a_pushed_frame_that_is_not_an_image_is_a_problem_not_a_crash(client):
    c, _ = client
    c.post("/v1/streams", json={"stream_id": "s2"})
    bad = c.post("/v1/streams/s2/frames", content=b"<html>nope</html>", headers={"content-type": "image/jpeg"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    img = Image.new("RGB", (200, 150), (40, 90, 160))
    buf = io.BytesIO()
    img.save(buf, "JPEG")
    ok = c.post("/v1/streams/s2/frames?frame_time=1.5", content=buf.getvalue(), headers={"content-type": "image/jpeg"})
    assert ok.status_code == 200 and ok.json()["frame_time"] == 1.5
    status = c.get("/v1/streams/s2").json()
    assert status["status"] == "watching" and status["errors"][0]["code"] == bad.json()["code"]
    assert status["child_broadcaster"] is True  # nobody said who broadcasts: treated as a child


def test_only_network_urls_may_be_watched_through_the_api(client, tmp_path):
    c, _ = client
    for url in (str(tmp_path / "x.mp4"), "file:///etc/passwd", "concat:a|b"):
        r = c.post("/v1/streams", json={"url": url})
        assert r.status_code == 422 and r.json()["code"] == "bad_stream_url"
    assert c.get("/v1/streams/nope").status_code == 404


def test_stream_hosts_can_be_limited_to_the_platforms_own(client, monkeypatch):
    c, _ = client
    monkeypatch.setenv("CHILDSAFE_LIVE_URL_HOSTS", "media.example.org,*.cdn.example.org")
    r = c.post("/v1/streams", json={"url": "http://169.254.169.254/latest/meta-data"})
    assert r.status_code == 422 and r.json()["code"] == "stream_host_not_allowed"
    r = c.post("/v1/streams", json={"url": "rtmp://evil.example.org.attacker.test/live/x"})
    assert r.json()["code"] == "stream_host_not_allowed"


def test_viewer_actions_on_a_childs_stream_follow_the_policy(client):
    c, _ = client
    c.post("/v1/streams", json={"stream_id": "kid", "broadcaster": {"age": 13, "assurance": "facial_estimation"}})
    adult = {"age": 35, "assurance": "id_document"}
    stranger = c.post("/v1/streams/kid/viewer-actions", json={"action": "comment_live", "viewer": adult}).json()
    friend = c.post("/v1/streams/kid/viewer-actions",
                    json={"action": "comment_live", "viewer": adult, "context": {"connected": True}}).json()
    assert stranger["allowed"] is False and friend["allowed"] is True


def test_service_watches_an_hls_url_and_ends_the_banked_stream(client, http_dir, reference_media):
    import time

    from childsafe.service.models import OutboxEvent
    from tests.live.conftest import CHAIR_STREAMED, ffmpeg_live

    c, app = client
    root, base = http_dir
    proc = ffmpeg_live(reference_media / CHAIR_STREAMED, ["-f", "hls", "-hls_time", "1", "-hls_list_size", "0",
                                                          str(root / "index.m3u8")], seconds=8)
    try:
        deadline = time.monotonic() + 15
        while not ((root / "index.m3u8").exists() and "#EXTINF" in (root / "index.m3u8").read_text()):
            assert time.monotonic() < deadline, "no playlist"
            time.sleep(0.05)
        r = c.post("/v1/streams", json={"stream_id": "hls-1", "url": f"{base}/index.m3u8", "banks": ["known"]})
        assert r.status_code == 201, r.text
        deadline = time.monotonic() + 30
        while (status := c.get("/v1/streams/hls-1").json())["status"] == "watching":
            assert time.monotonic() < deadline, status
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert status["status"] == "terminated", status
    assert status["last_decision"]["reason"].startswith("terminated")
    with app.state.service.db.session() as s:
        assert "terminate_stream" in {r.event_type for r in s.scalars(select(OutboxEvent))}


def test_viewers_of_a_childs_stream_set_through_the_api(client):
    c, _ = client
    c.post("/v1/streams", json={"stream_id": "kid2", "broadcaster": {"age": 12, "assurance": "facial_estimation"}})
    r = c.put("/v1/streams/kid2/viewers", json={"viewers": [{"viewer": {"age": 41, "assurance": "id_document"}}]})
    assert r.status_code == 200 and r.json()["strangers_watching"] is True and r.json()["sample_fps"] == 2.0
    r = c.put("/v1/streams/kid2/viewers", json={"viewers": [{"viewer": {"age": 41, "assurance": "id_document"},
                                                             "connected": True}]})
    assert r.json()["strangers_watching"] is False and r.json()["sample_fps"] == 1.0
