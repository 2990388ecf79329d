"""Evidence: encrypted at rest, checked against the recorded hash on every read, kept a year unless held,
and exported for law enforcement with a manifest of hashes."""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers_console import drawn_png, grooming_case  # noqa: E402

from childsafe import cases
from childsafe.cases.custody import EvidenceTampered, export_bundle, purge_expired, read_item
from childsafe.cases.evidence import EvidenceError, EvidenceStore
from childsafe.store import open_database


@pytest.fixture
def db(data_dir):
    database = open_database(data_dir)
    yield database
    database.dispose()


@pytest.fixture
def store(data_dir):
    return EvidenceStore(data_dir, key=bytes(range(32)))


def _case_with_frame(db, store, case_id="live1", png=None):
    png = png or drawn_png(1)
    ref = store.put(case_id, "frame-00", png, content_type="image/png")
    with db.session() as s:
        cases.open_case(s, case_id=case_id, trigger_kind="live_nudity", reason="stream ended", priority="high",
                        evidence=[ref], subject_user_id="user_sam")
    return png, ref


def test_evidence_is_encrypted_at_rest_and_read_back_verified(db, store, data_dir):
    png, ref = _case_with_frame(db, store)
    on_disk = (data_dir / ref["path"]).read_bytes()
    assert png not in on_disk and on_disk.startswith(b"CSE1")
    with db.session() as s:
        data, got = read_item(store, cases.get_case(s, "live1"), "frame-00")
    assert data == png and got["sha256"] == hashlib.sha256(png).hexdigest()


def test_an_evidence_file_whose_hash_no_longer_matches_is_refused_and_nothing_changes(db, store, data_dir):
    _, ref = _case_with_frame(db, store)
    # Someone replaces the item with another validly encrypted picture: it decrypts, but is not what was recorded.
    store.put("live1", "frame-00", drawn_png(7), content_type="image/png")
    replaced = (data_dir / ref["path"]).read_bytes()
    with db.session() as s:
        before = cases.get_case(s, "live1").to_dict()
        with pytest.raises(EvidenceTampered, match="no longer matches the hash recorded") as err:
            read_item(store, cases.get_case(s, "live1"), "frame-00")
    assert err.value.code == "evidence_hash_mismatch"
    with pytest.raises(EvidenceTampered):
        export_bundle(db, store, "live1", data_dir / "bundle.zip")
    assert not (data_dir / "bundle.zip").exists()
    assert (data_dir / ref["path"]).read_bytes() == replaced
    with db.session() as s:
        assert cases.get_case(s, "live1").to_dict() == before


def test_a_flipped_byte_is_refused_by_the_cipher(db, store, data_dir):
    _, ref = _case_with_frame(db, store)
    path = data_dir / ref["path"]
    raw = bytearray(path.read_bytes())
    raw[40] ^= 1
    path.write_bytes(bytes(raw))
    with db.session() as s, pytest.raises(EvidenceError, match="altered"):
        read_item(store, cases.get_case(s, "live1"), "frame-00")


def test_export_bundle_holds_every_file_with_its_hash_in_the_manifest(db, store, data_dir, tmp_path):
    png, _ = _case_with_frame(db, store)
    with db.session() as s:
        grooming_case(s)
    out = tmp_path / "bundle.zip"
    manifest = export_bundle(db, store, "live1", out)
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        listed = json.loads(zf.read("manifest.json"))
        for item in listed["files"]:
            assert hashlib.sha256(zf.read(item["path"])).hexdigest() == item["sha256"]
        assert zf.read("evidence/frame-00.png") == png
    assert names == {"manifest.json", "case.json", "evidence/frame-00.png"}
    assert manifest["bundle_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    bundle2 = export_bundle(db, store, "case_conv", tmp_path / "conv.zip")
    assert {f["path"] for f in bundle2["files"]} == {"case.json", "messages.json"}


def test_retention_deletes_expired_evidence_but_not_under_legal_hold(db, store, data_dir):
    _case_with_frame(db, store, "old")
    _case_with_frame(db, store, "held")
    _case_with_frame(db, store, "fresh")
    with db.session() as s:
        cases.set_legal_hold(s, "held", True)
        for cid in ("old", "held", "fresh"):
            assert cases.get_case(s, cid).retain_until is not None
    later = datetime.now(timezone.utc) + timedelta(days=366)
    with db.session() as s:
        cases.get_case(s, "fresh").retain_until = later + timedelta(days=30)
    purged = purge_expired(db, store, now=later)
    assert [p["case_id"] for p in purged] == ["old"]
    assert not (data_dir / "evidence" / "old").exists()
    assert (data_dir / "evidence" / "held").exists() and (data_dir / "evidence" / "fresh").exists()
    with db.session() as s:
        assert cases.get_case(s, "old").evidence == []


def test_the_services_retention_keeps_what_a_case_needs_for_its_year(db, store, data_dir):
    from childsafe.service.models import ConversationRecord, IngestEvent, MessageText
    from childsafe.service.runtime import RetentionJob
    from childsafe.service.settings import load_settings

    old = datetime.now(timezone.utc) - timedelta(days=200)
    with db.session() as s:
        grooming_case(s, case_id="kept", opened_at=old)  # texts of conv_kept, stored 200 days ago
        for cid in ("conv_kept", "conv_free"):
            s.add(ConversationRecord(conversation_id=cid, version=1, state=b"{}", assessment=b"{}", risk=0.9, level="high",
                                     keeps_text=True, case_id=None, participants=[], updated_at=old))
        s.add(MessageText(conversation_id="conv_free", message_id="x", sender_id="u", sent_at="t", text="x", stored_at=old))
        for eid in ("evt_case", "evt_free"):
            s.add(IngestEvent(event_id=eid, kind="media", action="block_media", risk=1.0, level="critical", signals={},
                              created_at=old))
        cases.get_case(s, "kept").trigger_event_id = "evt_case"
    _case_with_frame(db, store, "expired")
    with db.session() as s:
        cases.get_case(s, "expired").retain_until = old
    deleted = RetentionJob(db, load_settings(None, data_dir=data_dir)).run_once()
    assert (deleted["message_texts"], deleted["conversations"], deleted["events"], deleted["case_evidence"]) == (1, 1, 1, 1)
    with db.session() as s:
        assert s.query(MessageText).filter_by(conversation_id="conv_kept").count() == 4
        assert s.get(ConversationRecord, "conv_kept") is not None and s.get(IngestEvent, "evt_case") is not None
    assert not (data_dir / "evidence" / "expired").exists()
