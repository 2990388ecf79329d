"""``childsafe scan-chat FILE.jsonl [--json]``: a thin layer over :mod:`childsafe.conversation.scan`.

``--json`` prints one object a line per conversation: ``conversation_id``, ``risk``, ``level`` (the highest
the conversation reached), ``tactics`` ``[{tactic, score, evidence: [{message_id, start, end}]}]``, ``pii``
(same shape with ``kind``), ``first_alert_message_id`` (where the level first reached ``medium``), plus
``current_risk`` and ``messages``. Without it, a readable timeline. Warnings about the input go to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from childsafe.cli.common import JsonFlag
from childsafe.errors import ChildsafeError

_LEVEL_STYLE = {"none": "dim", "low": "yellow", "medium": "dark_orange", "high": "red", "critical": "bold red"}


def register(app: typer.Typer) -> None:
    @app.command("scan-chat")
    def scan_chat(
        file: Annotated[Path, typer.Argument(help="Chat export: JSON Lines, one message a line "
                                                   "{conversation_id, message_id, sender, sent_at, text} with optional "
                                                   "sender_age or sender_age_band.")],
        as_json: JsonFlag = False,
    ) -> None:
        """Follow every conversation in a chat export and report grooming tactics, risk and shared personal details."""
        from childsafe.conversation.scan import scan_file

        try:
            reports, notes = scan_file(file, keep_events=not as_json)
        except ChildsafeError as exc:
            typer.echo(f"error: {exc.message}", err=True)
            raise typer.Exit(2) from None
        for warning in notes.warnings(str(file)):
            typer.echo(f"warning: {warning}", err=True)
        if as_json:
            out = sys.stdout
            for report in reports:
                out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
            out.flush()
            return
        _print_timeline(reports, notes)


def _print_timeline(reports, notes) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    flagged = sum(1 for r in reports if r.first_alert_message_id is not None)
    console.print(f"[bold]{len(reports)}[/] conversation(s), [bold]{notes.messages}[/] message(s); "
                  f"[bold]{flagged}[/] reached medium risk or above.")
    for report in reports:
        style = _LEVEL_STYLE.get(report.level, "")
        head = Text.assemble(("\n● ", style), (report.conversation_id, "bold"),
                             f"  peak risk {report.risk:.2f} ", (report.level.upper(), style),
                             f"  ({report.messages} messages",
                             f", first alert at {report.first_alert_message_id})" if report.first_alert_message_id else ")")
        console.print(head)
        if not report.events:
            console.print("  no signals")
            continue
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("message")
        table.add_column("sender")
        table.add_column("level")
        table.add_column("risk", justify="right")
        table.add_column("signals")
        for ev in report.events:
            signals = Text()
            for i, (kind, name, score, words) in enumerate(ev.signals):
                if i:
                    signals.append("\n")
                signals.append(f"{name}", "cyan" if kind == "tactic" else "magenta")
                signals.append(f" {score:.2f} ")
                signals.append(f"“{words}”", "italic")
            table.add_row(ev.message_id, ev.sender, Text(ev.level, _LEVEL_STYLE.get(ev.level, "")),
                          f"{ev.risk:.2f}", signals)
        console.print(table)
        if report.events_dropped:
            console.print(f"  … {report.events_dropped} more event(s) not shown")
        if report.last and report.last.tactics:
            names = ", ".join(f"{t.tactic} {t.score:.2f}" for t in report.last.tactics)
            console.print(f"  tactics: {names}")
        if report.last and report.last.pii:
            console.print("  personal details shared: " + ", ".join(p.kind for p in report.last.pii))
