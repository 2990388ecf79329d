"""``childsafe policy ...`` and ``childsafe age ...`` as scripts use them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from childsafe.cli import app
from childsafe.policy import default_policy_text

runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, list(args))


def run_module(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "childsafe", *args], capture_output=True, text=True, timeout=60)


def test_check_json_is_one_object_with_the_contract_keys():
    proc = run_module("policy", "check", "--action", "start_dm", "--actor-age", "34", "--actor-assurance", "id_document",
                      "--target-age", "14", "--target-assurance", "self_declared", "--json")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert {"allowed", "rule", "reason", "explanation", "requires"} <= set(out)
    assert out["allowed"] is False and out["rule"] == "dm-only-from-connections" and out["requires"] == ["connection"]


def test_check_connected_and_parent_permission_flags():
    base = ["policy", "check", "--actor-age", "14", "--actor-assurance", "facial_estimation", "--json"]
    live = json.loads(cli(*base, "--action", "start_live").stdout)
    assert live["allowed"] is False and live["requires"] == ["parent_permission", "age_check"]
    assert json.loads(cli(*base, "--action", "start_live", "--parent-permission").stdout)["allowed"] is True
    dm = ["--action", "start_dm", "--target-age", "15", "--target-assurance", "id_document"]
    assert json.loads(cli(*base, *dm).stdout)["allowed"] is False
    assert json.loads(cli(*base, *dm, "--connected").stdout)["allowed"] is True


def test_check_unknown_age_and_blur_modifier():
    out = json.loads(cli("policy", "check", "--action", "send_media", "--actor-age", "40", "--actor-assurance",
                         "id_document", "--target-age", "unknown", "--json").stdout)
    assert out["allowed"] is True and out["modifiers"] == ["blur"]
    assert out["target"]["treated_as"] == "child"


def test_check_human_output_says_what_would_allow_it():
    result = cli("policy", "check", "--action", "match_random", "--actor-age", "15", "--target-age", "15",
                 "--target-assurance", "id_document")
    assert result.exit_code == 0
    assert result.stdout.startswith("denied: match_random")
    assert "would be allowed with: age_check" in result.stdout


@pytest.mark.parametrize("args,message", [
    (["--action", "teleport", "--actor-age", "20"], "unknown action 'teleport'"),
    (["--action", "start_dm", "--actor-age", "-4"], "must not be negative"),
    (["--action", "start_dm", "--actor-age", "200"], "not a plausible human age"),
    (["--action", "start_dm", "--actor-age", "twelve"], "expected a whole number of years or 'unknown'"),
    (["--action", "start_dm", "--actor-age", "20", "--actor-assurance", "passport"], "unknown --actor-assurance 'passport'"),
    (["--action", "start_dm", "--actor-age", "20", "--policy", "/nonexistent/p.yaml"], "policy file not found"),
])
def test_bad_input_is_one_error_line_and_exit_2(args, message):
    proc = run_module("policy", "check", *args)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("error: ") and message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_lint_accepts_the_default_and_names_a_typo(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(default_policy_text())
    result = cli("policy", "lint", str(good))
    assert result.exit_code == 0 and result.stdout.startswith("ok: ")
    bad = tmp_path / "bad.yaml"
    bad.write_text(default_policy_text().replace("    effect: deny\n    priority: 300", "    efect: deny\n    priority: 300", 1))
    proc = run_module("policy", "lint", str(bad))
    assert proc.returncode == 2
    assert "bad.yaml:" in proc.stderr and "unknown key 'efect'" in proc.stderr


def test_lint_refuses_contradicting_rules(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("version: 1\nname: t\nrules:\n"
                    "  - {id: a, actions: [gift_live], effect: deny, reason: r, explanation: e}\n"
                    "  - {id: b, actions: [gift_live], effect: allow, when: {connected: true}, reason: r, explanation: e}\n")
    result = cli("policy", "lint", str(path))
    assert result.exit_code == 2
    assert "rule 'b' contradicts rule 'a'" in result.output


def test_show_lists_every_rule_and_json_matches(tmp_path):
    text = cli("policy", "show")
    assert text.exit_code == 0
    as_json = json.loads(cli("policy", "show", "--json").stdout)
    for rule in as_json["rules"]:
        assert rule["id"] in text.stdout
    assert [b["name"] for b in as_json["bands"]] == ["under_13", "13-15", "16-17", "18+"]
    assert cli("policy", "show", "--yaml").stdout == default_policy_text()


def test_age_records_from_the_command_line(data_dir):
    d = ["--data-dir", str(data_dir)]
    out = json.loads(cli("age", "set", "kid", "--age", "13", "--method", "facial_estimation", *d, "--json").stdout)
    assert out["standing"]["band"] == "13-15" and out["trusted"] is True
    check = json.loads(cli("policy", "check", "--action", "match_random", "--actor-id", "kid", "--target-age", "14",
                           "--target-assurance", "id_document", *d, "--json").stdout)
    assert check["allowed"] is True
    assert json.loads(cli("age", "appeal", "kid", *d, "--json").stdout)["appeal_state"] == "pending"
    assert json.loads(cli("age", "appeal", "kid", "--resolve", "upheld", *d, "--json").stdout)["trusted"] is False
    shown = cli("age", "show", "kid", *d)
    assert "not trusted" in shown.stdout and "appeal upheld" in shown.stdout
    missing = cli("age", "show", "nobody", *d)
    assert missing.exit_code == 2 and "no age record for user 'nobody'" in missing.output


def test_import_provider_result_file(data_dir, tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"user_id": "u9", "method": "credit_card", "threshold": 18, "result": "pass"}))
    out = json.loads(cli("age", "import-result", "cardco", str(path), "--data-dir", str(data_dir), "--json").stdout)
    assert out["standing"]["verified_adult"] is True and out["age_low"] == 18
    path.write_text("{not json")
    bad = cli("age", "import-result", "cardco", str(path), "--data-dir", str(data_dir))
    assert bad.exit_code == 2 and "not valid JSON" in bad.output


@pytest.mark.parametrize("args,message", [
    (["age", "set", "u1", "--age", "14", "--method", "passport"], "unknown --method 'passport'"),
    (["age", "import-result", "cardco", "."], ": cannot read"),
])
def test_bad_age_input_is_one_error_line_and_exit_2(data_dir, args, message):
    proc = run_module(*args, "--data-dir", str(data_dir))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("error: ") and message in proc.stderr


def test_an_unknown_method_is_refused_by_the_library(data_dir):
    from childsafe.errors import InvalidInput
    from childsafe.policy import AgeStore
    from childsafe.store import open_database

    with pytest.raises(InvalidInput, match="unknown assurance method 'passport'"):
        AgeStore(open_database(data_dir)).set_age("u1", method="passport", age=14)
