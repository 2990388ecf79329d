"""Chain of custody for case evidence: verified reads, retention with legal hold, and the export bundle
for law enforcement.

Encryption is :mod:`childsafe.cases.evidence` (AES-256-GCM). On top of it every read is checked against
the SHA-256 the case recorded when the item was stored: an item that decrypts but is not what was
recorded (swapped, re-encrypted, replaced) is refused with a clear message and nothing is changed.
Evidence is kept a year by default (a year from reporting once reported, as the US REPORT Act asks);
a legal hold keeps it past that until released.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from childsafe.cases.evidence import EvidenceError, EvidenceStore
from childsafe.cases.models import Case, Report, as_utc, iso_utc
from childsafe.errors import NotFound


class EvidenceTampered(EvidenceError):
    code = "evidence_hash_mismatch"
    http_status = 409


def evidence_items(case: Case) -> list[dict]:
    """The encrypted files a case points at (live-stream frames, uploads kept as evidence)."""
    return [r for r in case.evidence or [] if r.get("kind") == "encrypted_file" and r.get("name")]


def find_item(case: Case, name: str) -> dict:
    for ref in evidence_items(case):
        if ref["name"] == name:
            return ref
    raise NotFound(f"case {case.id} has no evidence item {name!r}", code="evidence_not_found")


def read_item(store: EvidenceStore, case: Case, name: str) -> tuple[bytes, dict]:
    """Decrypt one item and check it is exactly what the case recorded; refused otherwise."""
    ref = find_item(case, name)
    data = store.get(case.id, name)
    digest = hashlib.sha256(data).hexdigest()
    if ref.get("sha256") and digest != ref["sha256"]:
        raise EvidenceTampered(
            f"evidence {name!r} of case {case.id} no longer matches the hash recorded when it was stored "
            f"(recorded sha256 {ref['sha256'][:16]}..., file now {digest[:16]}...); refused - the file was "
            "replaced or altered, keep it as it is and tell your security team",
            case_id=case.id, name=name,
        )
    return data, ref


def _conversation_messages(session, case: Case) -> list[dict]:
    if not case.conversation_id:
        return []
    from childsafe.service.models import MessageText

    rows = session.scalars(select(MessageText).where(MessageText.conversation_id == case.conversation_id)
                           .order_by(MessageText.sent_at, MessageText.message_id))
    return [{"message_id": m.message_id, "sender_id": m.sender_id, "sent_at": m.sent_at, "text": m.text} for m in rows]


def export_bundle(db, store: EvidenceStore, case_id: str, out: str | Path) -> dict:
    """Write a zip for law enforcement: the case, its messages, its decrypted evidence, its reports, and a
    manifest with the SHA-256 of every file. Every item is verified first; one bad item refuses the export
    and nothing is written."""
    from childsafe.cases.records import get_case

    with db.session() as s:
        case = get_case(s, case_id)
        files: dict[str, bytes] = {"case.json": json.dumps(case.to_dict(), indent=2).encode()}
        messages = _conversation_messages(s, case)
        if messages:
            files["messages.json"] = json.dumps(messages, indent=2, ensure_ascii=False).encode()
        for ref in evidence_items(case):
            data, _ = read_item(store, case, ref["name"])
            ext = {"image/jpeg": ".jpg", "image/png": ".png"}.get(ref.get("content_type", ""), ".bin")
            files[f"evidence/{ref['name']}{ext}"] = data
        for report in s.scalars(select(Report).where(Report.case_id == case_id, Report.state != "draft")):
            for doc, text in json.loads(report.body).items():
                files[f"reports/{report.id}/{doc}"] = text.encode()
    manifest = {
        "case_id": case_id,
        "generated_at": datetime.now(timezone.utc).isoformat(),
        "generator": "childsafe",
        "files": [{"path": p, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for p, b in sorted(files.items())],
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in sorted(files.items()):
            zf.writestr(path, data)
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(buf.getvalue())
    os.replace(tmp, out)
    manifest["bundle_sha256"] = hashlib.sha256(buf.getvalue()).hexdigest()
    manifest["path"] = str(out)
    return manifest


def purge_expired(db, store: EvidenceStore, now: datetime | None = None) -> list[dict]:
    """Delete the evidence of cases past their retention date, except cases under legal hold."""
    now = now or datetime.now(timezone.utc)
    purged = []
    with db.session() as s:
        for case in s.scalars(select(Case).where(Case.retain_until.is_not(None), Case.legal_hold.is_(False))):
            if as_utc(case.retain_until) >= now or not evidence_items(case):
                continue
            removed = store.delete_case(case.id)
            case.evidence = [r for r in case.evidence or [] if r.get("kind") != "encrypted_file"]
            purged.append({"case_id": case.id, "items": removed, "retain_until": iso_utc(case.retain_until)})
    return purged


def _retained(now: datetime):
    from sqlalchemy import or_

    return or_(Case.legal_hold.is_(True), Case.retain_until > now)


def retained_conversations(now: datetime):
    """Conversation ids whose text, state and events a case still needs (the service's retention skips them)."""
    return select(Case.conversation_id).where(Case.conversation_id.is_not(None), _retained(now))


def retained_events(now: datetime):
    """Event ids that triggered a case still kept (their match signals are the case's evidence)."""
    return select(Case.trigger_event_id).where(Case.trigger_event_id.is_not(None), _retained(now))


def purge_expired_evidence(db, data_dir, now: datetime | None = None) -> int:
    """For the service's retention job: purge expired evidence files if this data directory has any."""
    if data_dir is None or not (Path(data_dir) / "evidence").is_dir():
        return 0
    return len(purge_expired(db, EvidenceStore(data_dir), now))
