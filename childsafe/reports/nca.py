"""A referral export for the UK's National Crime Agency.

The NCA's intake format is not public, so this shape is childsafe's own, documented in docs/console.md:
one JSON object (``childsafe.nca-referral/1``) and the same facts flattened to CSV rows (one row per
message or file) for intake tools that take spreadsheets.
"""

from __future__ import annotations

import csv
import io
import json

SCHEMA = "childsafe.nca-referral/1"
CSV_FIELDS = ("referral_id", "case_id", "offence_type", "detected_at", "platform", "reported_user_id",
              "item_kind", "item_id", "item_time", "item_sender", "item_text", "sha256", "pdq")


def offence_type_for(trigger_kind: str) -> str:
    return "grooming_or_enticement" if trigger_kind == "conversation" else "indecent_images_of_children"


def referral(facts: dict, referral_id: str) -> dict:
    case, reporter = facts["case"], facts["reporter"]
    return {
        "schema": SCHEMA,
        "referral_id": referral_id,
        "case_id": case["id"],
        "offence_type": offence_type_for(case["trigger"]["kind"]),
        "imminent_risk": bool(case.get("imminent")),
        "detected_at": case["opened_at"],
        "confirmed_by_reviewer": case.get("decided_by"),
        "platform": {"company": reporter.get("company"), "service": reporter.get("esp_service"),
                     "contact": {"name": f"{reporter.get('first_name', '')} {reporter.get('last_name', '')}".strip(),
                                 "email": reporter.get("email"), "phone": reporter.get("phone")}},
        "reported_user": {"platform_user_id": case.get("subject_user_id")},
        "summary": case["trigger"]["reason"],
        "messages": facts.get("messages", []),
        "files": [{k: f.get(k) for k in ("name", "sha256", "md5", "pdq", "bytes", "viewed")} for f in facts.get("files", [])],
    }


def referral_json(facts: dict, referral_id: str) -> str:
    return json.dumps(referral(facts, referral_id), indent=2, ensure_ascii=False) + "\n"


def referral_csv(facts: dict, referral_id: str) -> str:
    data = referral(facts, referral_id)
    base = {"referral_id": referral_id, "case_id": data["case_id"], "offence_type": data["offence_type"],
            "detected_at": data["detected_at"], "platform": data["platform"]["service"] or data["platform"]["company"],
            "reported_user_id": data["reported_user"]["platform_user_id"]}
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for m in data["messages"]:
        writer.writerow({**base, "item_kind": "message", "item_id": m["message_id"], "item_time": m["sent_at"],
                         "item_sender": m["sender_id"], "item_text": m["text"]})
    for f in data["files"]:
        writer.writerow({**base, "item_kind": "file", "item_id": f["name"], "sha256": f.get("sha256"), "pdq": f.get("pdq")})
    if not data["messages"] and not data["files"]:
        writer.writerow({**base, "item_kind": "case"})
    return buf.getvalue()
