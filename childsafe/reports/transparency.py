"""Transparency: DSA-style statements of reasons and a transparency report for a period.

The report counts, for ``[start, end)``: cases opened by detector, actions by category and restriction,
automated actions (the service acting on its own, e.g. blocking an upload) versus reviewers' decisions,
the median time from detection to action, and each automated detector's precision as judged by
reviewers (confirmed / (confirmed + dismissed as false positive)).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from childsafe.cases.models import Case, CaseFeedback, StatementOfReasons, as_utc
from childsafe.errors import InvalidInput


def parse_period(start: str | datetime | None, end: str | datetime | None) -> tuple[datetime, datetime]:
    def parse(value, what):
        if isinstance(value, datetime):
            return as_utc(value)
        try:
            when = as_utc(datetime.fromisoformat(value))
            # A bare end date includes that whole day.
            return when + timedelta(days=1) if what == "to" and len(str(value)) == 10 else when
        except (TypeError, ValueError):
            raise InvalidInput(f"--{what} {value!r} is not a date (use YYYY-MM-DD or an ISO time)", code="bad_period") from None

    now = datetime.now(timezone.utc)
    s = parse(start, "from") if start else now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    e = parse(end, "to") if end else now
    if e <= s:
        raise InvalidInput(f"the period ends ({e.isoformat()}) before it starts ({s.isoformat()})", code="bad_period")
    return s, e


def statements(session: Session, start: datetime, end: datetime, limit: int = 100_000) -> list[dict]:
    rows = session.scalars(select(StatementOfReasons).where(
        StatementOfReasons.created_at >= start, StatementOfReasons.created_at < end)
        .order_by(StatementOfReasons.created_at).limit(limit))
    return [r.to_dict() for r in rows]


def transparency_report(session: Session, start: datetime, end: datetime) -> dict:
    from childsafe.service.models import IngestEvent

    opened = Counter(dict(session.execute(
        select(Case.trigger_kind, func.count()).where(Case.opened_at >= start, Case.opened_at < end)
        .group_by(Case.trigger_kind)).all()))
    sors = session.execute(select(StatementOfReasons.category, StatementOfReasons.restriction,
                                  StatementOfReasons.automated_detection, StatementOfReasons.automated_decision)
                           .where(StatementOfReasons.created_at >= start, StatementOfReasons.created_at < end)).all()
    by_category = Counter(r[0] for r in sors)
    by_restriction = Counter(r[1] for r in sors)
    automated_actions = Counter(dict(session.execute(
        select(IngestEvent.action, func.count()).where(IngestEvent.created_at >= start, IngestEvent.created_at < end,
                                                       IngestEvent.action != "none")
        .group_by(IngestEvent.action)).all()))
    times = [(as_utc(a) - as_utc(o)).total_seconds() for o, a in session.execute(
        select(Case.opened_at, Case.actioned_at).where(Case.actioned_at >= start, Case.actioned_at < end)).all()]
    feedback = session.execute(select(CaseFeedback.detector, CaseFeedback.verdict, func.count())
                               .where(CaseFeedback.at >= start, CaseFeedback.at < end)
                               .group_by(CaseFeedback.detector, CaseFeedback.verdict)).all()
    precision: dict[str, dict] = {}
    for detector, verdict, n in feedback:
        p = precision.setdefault(detector, {"confirmed": 0, "false_positive": 0})
        p["confirmed" if verdict == "true_positive" else "false_positive"] += n
    for p in precision.values():
        judged = p["confirmed"] + p["false_positive"]
        p["reviewed"] = judged
        p["precision"] = round(p["confirmed"] / judged, 4) if judged else None
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "cases_opened": {"total": sum(opened.values()), "by_detector": dict(sorted(opened.items()))},
        "actions": {
            "total": len(sors),
            "by_category": dict(sorted(by_category.items())),
            "by_restriction": dict(sorted(by_restriction.items())),
        },
        "automated_vs_human": {
            "automated_actions": sum(automated_actions.values()),
            "automated_actions_by_type": dict(sorted(automated_actions.items())),
            "human_decisions": sum(1 for r in sors if not r[3]),
            "automated_detection_then_human_decision": sum(1 for r in sors if r[2] and not r[3]),
            "human_detection": sum(1 for r in sors if not r[2]),
        },
        "time_to_action_seconds": {
            "count": len(times),
            "median": statistics.median(times) if times else None,
        },
        "automated_precision": dict(sorted(precision.items())),
    }


def report_csv(report: dict) -> str:
    """The same figures flattened to ``section,key,value`` rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["section", "key", "value"])

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        else:
            section, _, key = prefix.partition(".")
            writer.writerow([section, key, "" if value is None else value])

    walk("", report)
    return buf.getvalue()


def statements_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    fields = ["id", "case_id", "subject_user_id", "decision_visibility", "decision_ground", "legal_ground", "category",
              "facts", "automated_detection", "automated_decision", "detector", "detected_at", "created_at"]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
