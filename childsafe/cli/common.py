"""Options shared by every command, so the contract stays the same everywhere."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from childsafe.errors import ChildsafeError

DataDir = Annotated[
    Optional[Path],
    typer.Option(
        "--data-dir",
        help="Data directory (SQLite database, indexes). Default: $CHILDSAFE_DATA_DIR or ./childsafe-data",
        envvar="CHILDSAFE_DATA_DIR",
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="One JSON object a line, for scripts.")]


def resolve_data_dir(data_dir: Path | None) -> Path:
    from childsafe.settings import get_settings

    return Path(data_dir) if data_dir is not None else get_settings().data_dir


@contextmanager
def cli_errors() -> Iterator[None]:
    """Library errors become one ``error: ...`` line on stderr and exit status 2."""
    try:
        yield
    except ChildsafeError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None


def emit(obj: dict) -> None:
    """One JSON object a line on stdout, flushed so a script reading the pipe sees it at once."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()
