"""``childsafe hash``: fingerprints for files, one result a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Iterator, List, Optional

import typer

from childsafe.cli.common import DataDir, JsonFlag
from childsafe.errors import ChildsafeError


def _expand(paths: list[Path]) -> Iterator[Path]:
    """Files as given (a missing one is reported by the hasher); folders walked as ``match`` and
    ``bank add`` walk them: recursively, sorted, hidden files and folders skipped."""
    from childsafe.banks.hashing import expand_paths

    for path in paths:
        if path.is_dir():
            yield from expand_paths([path])
        else:
            yield path


def hash_command(
    paths: Annotated[List[Path], typer.Argument(help="Image or video files (folders are walked).", show_default=False)],
    json_out: JsonFlag = False,
    fps: Annotated[
        Optional[float],
        typer.Option("--fps", help="Video: frames hashed per second (default: every frame, as the vPDQ reference)."),
    ] = None,
    vpdq_text: Annotated[
        bool,
        typer.Option("--vpdq", help="Videos: print the reference vpdq text (frame,quality,pdq,timestamp lines), "
                     "ready for `childsafe bank import`."),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Hash files: MD5, SHA-256 and PDQ (images) or vPDQ frame hashes (videos).

    A file that cannot be hashed gets one `error:` line on stderr, the others are still hashed, and the exit status is 2.
    """
    from childsafe.media import fingerprint_file, format_vpdq

    if fps is not None and not fps > 0:
        typer.echo("error: --fps must be a positive number", err=True)
        raise typer.Exit(2)
    failures = 0
    for path in _expand(paths):
        try:
            fp = fingerprint_file(path, fps=fps)
        except ChildsafeError as exc:
            failures += 1
            message = exc.message if str(path) in exc.message else f"{path}: {exc.message}"
            typer.echo(f"error: {message}", err=True)
            continue
        if json_out:
            typer.echo(json.dumps(fp.to_dict(), separators=(",", ":")))
        elif vpdq_text and fp.type == "video":
            typer.echo(format_vpdq(fp.vpdq or []), nl=False)
        elif fp.type == "image":
            typer.echo(f"{fp.path}\timage\tpdq={fp.pdq}\tquality={fp.quality}\tmd5={fp.md5}\tsha256={fp.sha256}")
        else:
            frames = fp.vpdq or []
            usable = sum(1 for f in frames if f.quality >= 50)
            typer.echo(f"{fp.path}\tvideo\tframes={len(frames)}\tquality>=50={usable}\tmd5={fp.md5}\tsha256={fp.sha256}")
    if failures:
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command("hash")(hash_command)
