"""``childsafe cases ...``, ``childsafe report ...`` and ``childsafe transparency``: review work from a shell."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from childsafe.cli.common import DataDir, JsonFlag, resolve_data_dir

Database = Annotated[
    Optional[str],
    typer.Option("--database", help="postgresql://... to use PostgreSQL instead of SQLite in the data directory",
                 envvar="CHILDSAFE_DATABASE_URL"),
]
By = Annotated[Optional[str], typer.Option("--by", help="Who is doing this (kept in the record); default cli:$USER")]

cases_app = typer.Typer(help="Cases: list, inspect, hold, export evidence, apply retention.", no_args_is_help=True)
report_app = typer.Typer(help="Reports to the authorities: draft, confirm (a human), export, record submission.",
                         no_args_is_help=True)


def _db(data_dir, database):
    from childsafe.store import open_database

    return open_database(None if database else resolve_data_dir(data_dir), database)


def _actor(by: str | None) -> str:
    if by:
        return by
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _audit(db, actor: str, action: str, subject: str, detail: dict | None = None) -> None:
    from childsafe.service import audit

    with db.session() as s:
        audit.record(s, actor, action, subject, detail)


def _evidence(db, data_dir):
    from childsafe.cases.evidence import EvidenceStore

    return EvidenceStore(db.data_dir or resolve_data_dir(data_dir))


@cases_app.command("list")
def cases_list(
    state: Annotated[Optional[str], typer.Option(help="open, in_review, actioned, reported, closed; default: the queue")] = None,
    limit: Annotated[int, typer.Option(help="How many")] = 50,
    data_dir: DataDir = None, database: Database = None, as_json: JsonFlag = False,
) -> None:
    """The review queue (imminent harm first), or the cases in one state."""
    from childsafe import cases

    db = _db(data_dir, database)
    with db.session() as s:
        rows = cases.list_cases(s, state=state, limit=limit) if state else cases.queue(s, limit=limit)[0]
        out = [c.to_dict() for c in rows]
    for c in out:
        if as_json:
            typer.echo(json.dumps(c))
        else:
            flag = "!" if c["imminent"] else " "
            typer.echo(f"{flag} {c['priority']:<7} {c['state']:<9} {c['id']}  {c['subject_user_id'] or '-'}  {c['trigger']['reason']}")


@cases_app.command("show")
def cases_show(case_id: str, data_dir: DataDir = None, database: Database = None) -> None:
    """One case as JSON."""
    from childsafe import cases

    db = _db(data_dir, database)
    with db.session() as s:
        typer.echo(json.dumps(cases.get_case(s, case_id).to_dict(), indent=2))


@cases_app.command("user")
def cases_user(user_id: str, data_dir: DataDir = None, database: Database = None) -> None:
    """Every case, conversation and media match of one account, as JSON."""
    from childsafe import cases

    db = _db(data_dir, database)
    with db.session() as s:
        typer.echo(json.dumps(cases.user_view(s, user_id), indent=2))


@cases_app.command("hold")
def cases_hold(
    case_id: str,
    release: Annotated[bool, typer.Option("--release", help="Lift the hold instead")] = False,
    by: By = None, data_dir: DataDir = None, database: Database = None,
) -> None:
    """Put a case's evidence under legal hold (kept past its retention date) or release it."""
    from childsafe import cases

    db = _db(data_dir, database)
    with db.session() as s:
        cases.set_legal_hold(s, case_id, not release)
    _audit(db, _actor(by), "case.legal_hold" if not release else "case.legal_hold_released", f"case:{case_id}")
    typer.echo(f"{case_id}: legal hold {'released' if release else 'on'}")


@cases_app.command("export-evidence")
def cases_export_evidence(
    case_id: str, out: Annotated[Path, typer.Option("--out", help="Zip file to write")],
    by: By = None, data_dir: DataDir = None, database: Database = None, as_json: JsonFlag = False,
) -> None:
    """Write the law-enforcement bundle: case, messages, decrypted evidence, reports, manifest of SHA-256s."""
    from childsafe.cases.custody import export_bundle

    db = _db(data_dir, database)
    manifest = export_bundle(db, _evidence(db, data_dir), case_id, out)
    _audit(db, _actor(by), "evidence.export", f"case:{case_id}", {"bundle_sha256": manifest["bundle_sha256"]})
    typer.echo(json.dumps(manifest) if as_json else f"wrote {out} ({len(manifest['files'])} files, sha256 {manifest['bundle_sha256']})")


@cases_app.command("purge-evidence")
def cases_purge(data_dir: DataDir = None, database: Database = None, as_json: JsonFlag = False) -> None:
    """Delete evidence past its retention date (one year by default), except under legal hold."""
    from childsafe.cases.custody import purge_expired

    db = _db(data_dir, database)
    purged = purge_expired(db, _evidence(db, data_dir))
    if purged:
        _audit(db, "retention", "evidence.purge", "cases", {"cases": [p["case_id"] for p in purged]})
    for p in purged:
        typer.echo(json.dumps(p) if as_json else f"purged {p['items']} item(s) of {p['case_id']}")


@report_app.command("draft")
def report_draft(
    case_id: str, kind: Annotated[str, typer.Option(help="cybertipline or nca")] = "cybertipline",
    by: By = None, data_dir: DataDir = None, database: Database = None,
) -> None:
    """Draft a report for a confirmed case (refused otherwise); prints its id."""
    from childsafe.reports import create_report, load_reporter

    db = _db(data_dir, database)
    actor = _actor(by)
    with db.session() as s:
        report = create_report(s, case_id, kind, actor, load_reporter(db.data_dir or resolve_data_dir(data_dir)))
        rid = report.id
    _audit(db, actor, "report.draft", f"report:{rid}", {"case": case_id, "kind": kind})
    typer.echo(rid)


@report_app.command("show")
def report_show(report_id: str, data_dir: DataDir = None, database: Database = None) -> None:
    """A report's status and documents (read them before confirming)."""
    from childsafe.reports import get_report

    db = _db(data_dir, database)
    with db.session() as s:
        typer.echo(json.dumps(get_report(s, report_id).to_dict(body=True), indent=2))


@report_app.command("confirm")
def report_confirm(report_id: str, by: Annotated[str, typer.Option("--by", help="The person confirming it")],
                   data_dir: DataDir = None, database: Database = None) -> None:
    """A person confirms a draft report may leave; its case becomes 'reported'."""
    from childsafe.reports import confirm_report

    db = _db(data_dir, database)
    with db.session() as s:
        confirm_report(s, report_id, by)
    _audit(db, by, "report.confirm", f"report:{report_id}")
    typer.echo(f"{report_id}: confirmed by {by}")


@report_app.command("export")
def report_export(report_id: str, out: Annotated[Path, typer.Option("--out", help="Directory to write into")],
                  by: By = None, data_dir: DataDir = None, database: Database = None) -> None:
    """Write a confirmed report's documents (refused for a draft)."""
    from childsafe.reports import export_report

    db = _db(data_dir, database)
    with db.session() as s:
        paths = export_report(s, report_id, out)
    _audit(db, _actor(by), "report.export", f"report:{report_id}")
    for p in paths:
        typer.echo(str(p))


@report_app.command("submitted")
def report_submitted(report_id: str, external_id: Annotated[str, typer.Option("--external-id", help="The authority's id")],
                     by: By = None, data_dir: DataDir = None, database: Database = None) -> None:
    """Record that a report was submitted and the id the authority gave it."""
    from childsafe.reports import mark_submitted

    db = _db(data_dir, database)
    with db.session() as s:
        mark_submitted(s, report_id, external_id)
    _audit(db, _actor(by), "report.submitted", f"report:{report_id}", {"external_id": external_id})
    typer.echo(f"{report_id}: submitted as {external_id}")


@report_app.command("list")
def report_list(case: Annotated[Optional[str], typer.Option(help="Only this case's reports")] = None,
                data_dir: DataDir = None, database: Database = None, as_json: JsonFlag = False) -> None:
    """Every report with its status."""
    from childsafe.reports import list_reports

    db = _db(data_dir, database)
    with db.session() as s:
        rows = [r.to_dict() for r in list_reports(s, case_id=case)]
    for r in rows:
        typer.echo(json.dumps(r) if as_json else f"{r['id']}  {r['kind']:<12} {r['state']:<9} {r['case_id']}")


def transparency(
    start: Annotated[Optional[str], typer.Option("--from", help="Start date (YYYY-MM-DD); default 1 January this year")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="End date, inclusive (YYYY-MM-DD); default now")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or csv")] = "json",
    statements: Annotated[bool, typer.Option("--statements", help="The statements of reasons instead of the report")] = False,
    data_dir: DataDir = None, database: Database = None,
) -> None:
    """The transparency report for a period (DSA-style), or its statements of reasons."""
    from childsafe.errors import InvalidInput
    from childsafe.reports import transparency as t

    if fmt not in ("json", "csv"):
        raise InvalidInput(f"--format must be json or csv, not {fmt!r}", code="bad_format")
    s_, e_ = t.parse_period(start, end)
    db = _db(data_dir, database)
    with db.session() as s:
        if statements:
            rows = t.statements(s, s_, e_)
            typer.echo(t.statements_csv(rows) if fmt == "csv" else json.dumps(rows, indent=2), nl=fmt != "csv")
            return
        rep = t.transparency_report(s, s_, e_)
    typer.echo(t.report_csv(rep) if fmt == "csv" else json.dumps(rep, indent=2), nl=fmt != "csv")


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
    app.add_typer(report_app, name="report")
    app.command("transparency")(transparency)
