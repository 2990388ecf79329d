"""Reports to the authorities, kept with their status: draft -> confirmed (a human read it and agreed)
-> exported (written out for sending) or submitted (the authority's id recorded).

A report is only drafted for a case a reviewer confirmed, and nothing leaves before a human confirms
the report itself; the documents are frozen (with their SHA-256) when drafted.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from childsafe.cases.models import REPORT_KINDS, Case, Report
from childsafe.errors import Conflict, InvalidInput, NotFound
from childsafe.reports import cybertipline, nca
from childsafe.reports.reporter import Reporter


def _now() -> datetime:
    return datetime.now(timezone.utc)


def gather(session: Session, case: Case, reporter: Reporter) -> dict:
    """The facts a report states: the case, the reporter, the kept messages and the files with hashes."""
    from childsafe.cases.custody import _conversation_messages, evidence_items
    from childsafe.service.models import AuditEntry

    revealed = set(session.scalars(select(AuditEntry.subject).where(
        AuditEntry.action == "evidence.reveal", AuditEntry.subject.like(f"case:{case.id}/%"))))
    files = []
    for ref in evidence_items(case):
        files.append({"name": ref["name"], "sha256": ref.get("sha256"), "pdq": ref.get("pdq"), "bytes": ref.get("bytes"),
                      "viewed": f"case:{case.id}/evidence/{ref['name']}" in revealed})
    for ref in case.evidence or []:
        if ref.get("kind") == "media":
            files.append({"name": ref.get("media_id") or ref.get("sha256", "")[:16], "sha256": ref.get("sha256"),
                          "viewed": False, "additional_info": "upload blocked on match; the file itself was not kept"})
    matched = [f"{r.get('bank')}#{r.get('entry_id')}" for r in case.evidence or [] if r.get("kind") == "bank_entry"]
    if matched and files:
        files[-1]["additional_info"] = (files[-1].get("additional_info", "") + f"; matched bank entries {', '.join(matched)}").lstrip("; ")
    return {
        "case": case.to_dict(),
        "reporter": reporter.to_dict(),
        "messages": _conversation_messages(session, case),
        "files": files,
        "escalate": "imminent risk to a child (live stream or critical grooming)" if case.imminent else None,
    }


def documents(kind: str, facts: dict, report_id: str) -> dict[str, str]:
    if kind == "cybertipline":
        docs = {"report.xml": cybertipline.report_xml(facts)}
        for n, f in enumerate(facts["files"], 1):
            docs[f"fileDetails-{n}.xml"] = cybertipline.file_details_xml(f)
        return docs
    return {"referral.json": nca.referral_json(facts, report_id), "referral.csv": nca.referral_csv(facts, report_id)}


def create_report(session: Session, case_id: str, kind: str, actor: str, reporter: Reporter) -> Report:
    """Draft a report for a confirmed case (refused for any case a reviewer has not confirmed)."""
    from childsafe.cases.records import get_case

    if kind not in REPORT_KINDS:
        raise InvalidInput(f"report kind must be one of {', '.join(REPORT_KINDS)}, not {kind!r}", code="bad_report_kind")
    case = get_case(session, case_id)
    if case.decision != "confirmed" or case.state not in ("actioned", "reported"):
        raise Conflict(f"case {case_id} has not been confirmed by a reviewer (it is {case.state}"
                       f"{', ' + case.decision if case.decision else ''}); confirm it before reporting, nothing was made",
                       code="case_not_confirmed")
    if kind == "cybertipline" and not reporter.email:
        raise InvalidInput("a CyberTipline report needs the reporting person's email: set CHILDSAFE_REPORTER_EMAIL "
                           "or 'email' in <data_dir>/reporter.yaml", code="reporter_not_configured")
    report_id = f"rep_{uuid.uuid4().hex}"
    body = json.dumps(documents(kind, gather(session, case, reporter), report_id), ensure_ascii=False)
    report = Report(id=report_id, case_id=case_id, kind=kind, state="draft", body=body,
                    body_sha256=hashlib.sha256(body.encode()).hexdigest(), created_by=actor, created_at=_now())
    session.add(report)
    session.flush()
    return report


def get_report(session: Session, report_id: str) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"no report {report_id!r}", code="unknown_report")
    return report


def report_documents(report: Report) -> dict[str, str]:
    if hashlib.sha256(report.body.encode()).hexdigest() != report.body_sha256:
        raise Conflict(f"report {report.id} no longer matches the hash recorded when it was drafted; refused",
                       code="report_tampered")
    return json.loads(report.body)


def confirm_report(session: Session, report_id: str, actor: str) -> Report:
    """A human read the report and agrees it may leave; the case becomes ``reported``."""
    from childsafe.cases.records import get_case, mark_reported

    report = get_report(session, report_id)
    if report.state != "draft":
        raise Conflict(f"report {report_id} is already {report.state}", code="report_not_draft")
    report_documents(report)
    report.state, report.confirmed_by, report.confirmed_at = "confirmed", actor, _now()
    case = get_case(session, report.case_id)
    if case.state == "actioned":
        mark_reported(session, case)
    return report


def export_report(session: Session, report_id: str, out_dir: str | Path) -> list[Path]:
    """Write a confirmed report's documents to ``out_dir``; refused for a draft."""
    report = get_report(session, report_id)
    if report.state == "draft":
        raise Conflict(f"report {report_id} is a draft: a human must confirm it before it leaves", code="report_not_confirmed")
    docs = report_documents(report)
    out = Path(out_dir) / report.id
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in docs.items():
        path = out / name
        tmp = path.with_name(name + ".part")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written.append(path)
    if report.state == "confirmed":
        report.state, report.sent_at = "exported", _now()
    return written


def mark_submitted(session: Session, report_id: str, external_id: str) -> Report:
    """Record the id the authority gave the report (e.g. the CyberTipline report id)."""
    report = get_report(session, report_id)
    if report.state == "draft":
        raise Conflict(f"report {report_id} is a draft: a human must confirm it before it leaves", code="report_not_confirmed")
    report.state, report.external_id = "submitted", external_id[:100]
    report.sent_at = report.sent_at or _now()
    return report


def list_reports(session: Session, *, case_id: str | None = None, limit: int = 200) -> list[Report]:
    query = select(Report).order_by(Report.created_at.desc()).limit(limit)
    if case_id:
        query = query.where(Report.case_id == case_id)
    return list(session.scalars(query))
