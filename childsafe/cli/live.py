"""``childsafe live watch URL``: watch a live stream (or a file) and print a decision per sampled frame."""

from __future__ import annotations

import json
from typing import Annotated, List, Optional

import typer

from childsafe.cli.common import DataDir, JsonFlag, resolve_data_dir

live_app = typer.Typer(help="Live streams: watch a stream as it happens against the banks.", no_args_is_help=True)


def _line(d: dict) -> str:
    matches = ", ".join(f"{m['bank']}#{m['entry_id']} d={m['distance']}" for m in d["matches"]) or "-"
    when = "-" if d["frame_time"] is None else f"{d['frame_time']:8.2f}s"
    extra = d.get("error", {}).get("code") or d.get("reason", "")
    return f"{d['stream']}  {when}  {d['action']:<17} matches: {matches}  {d['latency_ms'] or 0:.1f} ms  {extra}".rstrip()


@live_app.command("watch")
def watch_command(
    url: Annotated[str, typer.Argument(help="Stream URL (HLS http(s)://.../index.m3u8, rtmp://..., a file: anything FFmpeg opens).")],
    bank: Annotated[Optional[List[str]], typer.Option("--bank", help="PDQ bank to match against (repeat; default: all).")] = None,
    fps: Annotated[float, typer.Option("--fps", help="Frames sampled a second (more while risk is raised).")] = 1.0,
    boost_fps: Annotated[float, typer.Option("--boost-fps", help="Frames a second after a hit or a scene change.")] = 4.0,
    window: Annotated[str, typer.Option("--window", help="K/N: act when K of the last N sampled frames match.")] = "2/3",
    threshold: Annotated[int, typer.Option("--threshold", help="PDQ distance that counts as a match.")] = 31,
    stream_id: Annotated[Optional[str], typer.Option("--stream-id", help="Name of the stream in the output (default: the URL).")] = None,
    broadcaster_age: Annotated[Optional[int], typer.Option("--broadcaster-age", help="The broadcaster's age, if known (unknown is treated as a child).")] = None,
    broadcaster_assurance: Annotated[str, typer.Option("--broadcaster-assurance", help="How that age was established (policy assurance method); only an assured adult is treated as an adult.")] = "self_declared",
    nudity: Annotated[bool, typer.Option("--nudity", help="Run the NudeNet detector on a child's (or unknown-age) stream; needs childsafe\\[nudity].")] = False,
    realtime: Annotated[bool, typer.Option("--realtime", help="Pace a file by its timestamps, as if it were live.")] = False,
    record: Annotated[bool, typer.Option("--record", help="Queue the actions as webhooks and open cases (with encrypted evidence) in the data directory.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the stream to open or send data.")] = 10.0,
    json_out: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Watch URL until the stream ends; one line (or JSON object) a decision.

    A problem with the stream (no answer, a stall, corrupt data, an unknown codec) is printed as a
    decision with action "error" and the exit status is 2.
    """
    from childsafe.banks import Matcher
    from childsafe.errors import InvalidInput
    from childsafe.live import LiveMonitor, LiveOptions
    from childsafe.policy import Person, PolicyEngine
    from childsafe.store import open_database

    try:
        k, n = (int(x) for x in window.split("/"))
    except ValueError:
        raise InvalidInput(f"--window must look like K/N (e.g. 2/3), got {window!r}", code="bad_argument") from None
    if not 0 < timeout <= 3600:
        raise InvalidInput("--timeout must be between 0 and 3600 seconds", code="bad_argument")
    options = LiveOptions(fps=fps, boost_fps=max(fps, boost_fps), window_k=k, window_n=n, threshold=threshold,
                          realtime=realtime, open_timeout=timeout, read_timeout=timeout)
    directory = resolve_data_dir(data_dir)
    db = open_database(directory)
    policy = PolicyEngine()
    classifier = None
    if nudity:
        from childsafe.live import NudeNetClassifier

        classifier = NudeNetClassifier()
    actions = None
    if record:
        from childsafe.live import OutboxActions

        actions = OutboxActions(db, directory, policy=policy)
    broadcaster = Person(id="broadcaster", age=broadcaster_age, assurance=broadcaster_assurance) if broadcaster_age is not None else None
    monitor = LiveMonitor(Matcher(db, directory), banks=bank or None, policy=policy, classifier=classifier,
                          actions=actions, options=options)
    failed = False
    for decision in monitor.run(url, stream_id=stream_id or url, broadcaster=broadcaster):
        d = decision.to_dict()
        failed = failed or decision.action == "error"
        typer.echo(json.dumps(d, separators=(",", ":")) if json_out else _line(d))
    if failed:
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.add_typer(live_app, name="live")
