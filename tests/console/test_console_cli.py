"""The review CLI: queue, reports that need a person's confirmation, transparency figures, evidence bundles."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import os
import subprocess

sys.path.insert(0, str(Path(__file__).parent))
from helpers_console import grooming_case  # noqa: E402

from childsafe import cases
from childsafe.store import open_database


CHILDSAFE = str(Path(sys.executable).with_name("childsafe"))


class _Result:
    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        self.exit_code, self.output = proc.returncode, proc.stdout + proc.stderr


def _run(*args: str, env: dict | None = None) -> _Result:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHILDSAFE_")}
    return _Result(subprocess.run([CHILDSAFE, *args], capture_output=True, text=True, env={**base, **(env or {})}, timeout=60))


def test_cli_takes_a_confirmed_case_to_an_exported_report_and_counts_it(data_dir, tmp_path):
    db = open_database(data_dir)
    with db.session() as s:
        grooming_case(s)
    db.dispose()
    d = ["--data-dir", str(data_dir)]
    listed = _run("cases", "list", "--json", *d)
    assert listed.exit_code == 0 and json.loads(listed.output.splitlines()[0])["id"] == "case_conv"
    refused = _run("report", "draft", "case_conv", "--kind", "nca", *d)
    assert refused.exit_code == 2 and "has not been confirmed" in refused.output
    db = open_database(data_dir)
    with db.session() as s:
        cases.decide(s, "case_conv", "key:alice", "confirm", expected_version=1)
    db.dispose()
    no_reporter = _run("report", "draft", "case_conv", *d, env={"CHILDSAFE_REPORTER_EMAIL": ""})
    assert no_reporter.exit_code == 2 and "CHILDSAFE_REPORTER_EMAIL" in no_reporter.output
    drafted = _run("report", "draft", "case_conv", *d, env={"CHILDSAFE_REPORTER_EMAIL": "safety@example.org"})
    assert drafted.exit_code == 0, drafted.output
    rid = drafted.output.strip()
    early = _run("report", "export", rid, "--out", str(tmp_path / "out"), *d)
    assert early.exit_code == 2 and "must confirm" in early.output
    assert _run("report", "confirm", rid, "--by", "Pat Lee", *d).exit_code == 0
    exported = _run("report", "export", rid, "--out", str(tmp_path / "out"), *d)
    assert exported.exit_code == 0 and "report.xml" in exported.output
    states = [json.loads(line)["state"] for line in _run("report", "list", "--json", *d).output.splitlines()]
    assert states == ["exported"]
    report = _run("transparency", "--from", "2020-01-01", "--format", "csv", *d)
    rows = {(r["section"], r["key"]): r["value"] for r in csv.DictReader(io.StringIO(report.output))}
    assert rows[("actions", "by_category.protection_of_minors")] == "1"
    statements = json.loads(_run("transparency", "--from", "2020-01-01", "--statements", *d).output)
    assert statements[0]["category"] == "protection_of_minors" and statements[0]["automated_decision"] is False
    bad = _run("transparency", "--from", "2026-02-30", *d)
    assert bad.exit_code == 2 and "is not a date" in bad.output
    bundle = _run("cases", "export-evidence", "case_conv", "--out", str(tmp_path / "b.zip"), "--json", *d)
    assert bundle.exit_code == 0 and any(f["path"] == "messages.json" for f in json.loads(bundle.output)["files"])
