"""``childsafe scan-chat``: the JSON shape, the readable timeline, and every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from childsafe.cli import app
from childsafe.conversation import ConversationEngine, Message
from childsafe.conversation.scan import scan_file

runner = CliRunner()

CHAT = [
    ("g", "stranger", None, "hey you seem cool"),
    ("g", "kid", 12, "thanks"),
    ("g", "stranger", None, "how old r u?"),
    ("g", "kid", 12, "12"),
    ("g", "stranger", None, "ur so mature for ur age. are ur parents home?"),
    ("g", "kid", 12, "no they're at work"),
    ("g", "stranger", None, "dont tell them we talk ok. add me on snap"),
    ("g", "kid", 12, "my number is 07700 900123"),
    ("p", "ana", 13, "did u do the homework"),
    ("p", "ben", 13, "yeah send me a pic of q3"),
]


def write_chat(path: Path, rows=CHAT, extra: dict | None = None) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i, (cid, sender, age, text) in enumerate(rows):
            row = {"conversation_id": cid, "message_id": f"{cid}{i}", "sender": sender,
                   "sent_at": f"2025-03-01T10:{i:02d}:00Z", "text": text}
            if age is not None:
                row["sender_age"] = age
            row.update(extra or {})
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def scan_json(path: Path) -> list[dict]:
    result = runner.invoke(app, ["scan-chat", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_json_has_one_object_per_conversation_with_tactics_pii_and_first_alert(tmp_path):
    out = scan_json(write_chat(tmp_path / "chat.jsonl"))
    by_id = {o["conversation_id"]: o for o in out}
    assert list(by_id) == ["g", "p"]
    g = by_id["g"]
    assert g["level"] in ("medium", "high", "critical") and 0 <= g["risk"] <= 1
    assert g["first_alert_message_id"] is not None
    tactics = {t["tactic"]: t for t in g["tactics"]}
    assert {"secrecy", "platform_move", "age_identity_probing"} <= set(tactics)
    ev = tactics["secrecy"]["evidence"][0]
    assert ev["message_id"] == "g6" and CHAT[6][3][ev["start"]:ev["end"]].startswith("dont tell them")
    pii = {p["kind"]: p for p in g["pii"]}
    assert "phone" in pii and pii["phone"]["evidence"][0]["message_id"] == "g7"
    assert by_id["p"]["level"] in ("none", "low") and by_id["p"]["first_alert_message_id"] is None


def test_timeline_without_json_is_readable(tmp_path):
    result = runner.invoke(app, ["scan-chat", str(write_chat(tmp_path / "chat.jsonl"))])
    assert result.exit_code == 0, result.output
    assert "secrecy" in result.stdout and "g6" in result.stdout and "2 conversation(s)" in result.stdout


def test_a_line_that_is_not_json_is_named(tmp_path):
    path = write_chat(tmp_path / "chat.jsonl")
    lines = path.read_text().splitlines()
    lines.insert(2, "{this is not json")
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["scan-chat", str(path), "--json"])
    assert result.exit_code == 2
    assert ":3:" in result.output and "not JSON" in result.output
    assert result.stdout.strip() == "" or "error" in result.output  # nothing half-written


@pytest.mark.parametrize("line,expected", [
    ('["a list"]', "expected a JSON object"),
    ('{"conversation_id": "c", "message_id": "m", "sender": "s", "sent_at": "2025-01-01"}', "missing field(s) text"),
    ('{"conversation_id": "c", "message_id": "m", "sender": "s", "sent_at": "x", "text": "hi"}', "sent_at"),
    ('{"conversation_id": "c", "message_id": "m", "sender": "s", "sent_at": 1, "text": 5}', "text must be a string"),
    ('{"conversation_id": "c", "message_id": "m", "sender": "s", "sent_at": 1, "text": "hi", "sender_age": "ten"}',
     "sender_age"),
])
def test_bad_lines_give_one_clear_error_with_the_line(tmp_path, line, expected):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"conversation_id": "c", "message_id": "m0", "sender": "s", "sent_at": 0, "text": "hi"}\n'
                    + line + "\n")
    result = runner.invoke(app, ["scan-chat", str(path), "--json"])
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.output and expected in result.output
    assert "Traceback" not in result.output


def test_missing_file_and_directory_are_clear_errors(tmp_path):
    for target in (tmp_path / "nope.jsonl", tmp_path):
        result = runner.invoke(app, ["scan-chat", str(target)])
        assert result.exit_code == 2 and "error:" in result.output


def test_broken_utf8_is_replaced_and_reported(tmp_path):
    path = write_chat(tmp_path / "chat.jsonl")
    data = path.read_bytes().replace(b"hey you seem cool", b"hey \xff\xfe you seem cool")
    path.write_bytes(data)
    result = runner.invoke(app, ["scan-chat", str(path), "--json"])
    assert result.exit_code == 0
    assert "broken UTF-8 on line(s) 1" in result.output
    assert len([l for l in result.stdout.splitlines() if l.startswith("{")]) == 2


def test_unknown_fields_empty_text_and_control_characters_are_fine(tmp_path):
    rows = CHAT + [("g", "stranger", None, ""), ("g", "stranger", None, "\x00\x1b[2J\x07 hi \u202e")]
    out = scan_json(write_chat(tmp_path / "chat.jsonl", rows, extra={"reactions": ["👍"], "edited": True}))
    assert {o["conversation_id"] for o in out} == {"g", "p"}


def test_out_of_order_messages_are_put_back_in_order(tmp_path):
    ordered = write_chat(tmp_path / "ordered.jsonl")
    shuffled = tmp_path / "shuffled.jsonl"
    lines = ordered.read_text().splitlines()
    shuffled.write_text("\n".join(reversed(lines)) + "\n")
    a = {o["conversation_id"]: o for o in scan_json(ordered)}
    b = {o["conversation_id"]: o for o in scan_json(shuffled)}
    assert a["g"]["first_alert_message_id"] == b["g"]["first_alert_message_id"]
    assert a["g"]["level"] == b["g"]["level"]


def test_repeated_lines_are_counted_once(tmp_path):
    path = write_chat(tmp_path / "chat.jsonl")
    path.write_text(path.read_text() * 2)
    result = runner.invoke(app, ["scan-chat", str(path), "--json"])
    assert result.exit_code == 0 and "repeated message id" in result.output


def test_a_one_megabyte_message_is_scanned(tmp_path):
    big = "add me on snapchat " + "x" * 1_000_000
    out = scan_json(write_chat(tmp_path / "big.jsonl", [("c", "s", None, big)]))
    assert out[0]["tactics"][0]["tactic"] == "platform_move"


@pytest.mark.slow
def test_a_long_conversation_streams_in_bounded_memory(tmp_path):
    """Ten times the messages must not cost ten times the memory: the file is streamed, the state bounded."""
    lines = ["hey", "lol same", "did you see the match", "haha yes", "dont tell anyone about us", "ok"]
    peaks = []
    for n in (2_000, 20_000):
        path = tmp_path / f"long{n}.jsonl"
        with path.open("w") as f:
            for i in range(n):
                f.write(json.dumps({"conversation_id": "long", "message_id": str(i), "sender": "ab"[i % 2],
                                    "sent_at": 1_700_000_000 + i, "text": lines[i % len(lines)]}) + "\n")
        engine = ConversationEngine(detect_pii=False, nudge_for=False)
        engine.observe(Message("warm", "0", "a", 0, "warm up the detector"))
        tracemalloc.start()
        reports, notes = scan_file(path, engine)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert notes.messages == n and reports[0].messages == n
        peaks.append(peak)
    assert peaks[1] < peaks[0] * 2, f"peak memory grew from {peaks[0] / 1e6:.1f} MB to {peaks[1] / 1e6:.1f} MB"


def test_the_installed_command_runs(tmp_path):
    path = write_chat(tmp_path / "chat.jsonl")
    done = subprocess.run([sys.executable, "-m", "childsafe", "scan-chat", str(path), "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2
