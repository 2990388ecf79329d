"""Options shared by every command, so the contract stays the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

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
