"""``childsafe bank ...`` and ``childsafe match``: thin layers over :mod:`childsafe.banks`.

Integrators script against these commands, so their names, options and ``--json`` shapes are a
contract (docs/banks.md). Output for scripts goes to stdout only; progress and errors go to stderr.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Callable, Iterator, Optional

import typer

from childsafe.cli.common import DataDir, JsonFlag, cli_errors, emit, resolve_data_dir
from childsafe.errors import ChildsafeError, InvalidInput

bank_app = typer.Typer(name="bank", help="Hash banks: create, import, export, add media, disable false positives.",
                       no_args_is_help=True)

FormatOption = Annotated[
    Optional[str],
    typer.Option("--format", "-f", help="hashes | csv | vpdq | tx-csv | tx-file | hma-json (default: from the file name)"),
]
LabelOption = Annotated[Optional[list[str]], typer.Option("--label", "-l", help="Label every entry (repeatable), e.g. A1.")]
SourceOption = Annotated[str, typer.Option("--source", help="Where these hashes came from (e.g. NCMEC, own-removals).")]
BankName = Annotated[str, typer.Argument(help="Bank name.")]


def open_banks(data_dir: Path | None):
    """(BankStore, Database, data directory) for the command's ``--data-dir``."""
    from childsafe.banks import BankStore
    from childsafe.store import open_database

    db = open_database(data_dir)
    return BankStore(db), db, resolve_data_dir(data_dir)


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, renamed into place."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InvalidInput(f"cannot write {path}: folder {directory} does not exist", code="unwritable_file")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}", code="unwritable_file") from None


@contextmanager
def progress_bar(what: str, total: int, *, disable: bool) -> Iterator[Callable[[], None]]:
    """A Rich progress bar on stderr (stdout stays clean), shown only on a terminal; yields the function that advances it."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    progress = Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, transient=True, disable=disable or not console.is_terminal)
    with progress:
        task = progress.add_task(what, total=total)
        yield lambda: progress.advance(task)


# ---- bank commands ---------------------------------------------------------------------------


@bank_app.command("create")
def bank_create(
    name: BankName,
    signal_type: Annotated[str, typer.Option("--type", "-t", help="pdq | vpdq | md5 | sha256")],
    description: Annotated[str, typer.Option("--description", help="What the bank holds.")] = "",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Create an empty bank of one signal type."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        info = store.create(name, signal_type, description=description)
        if as_json:
            emit(info.to_dict())
        else:
            typer.echo(f"created {info.signal_type} bank {info.name}")


@bank_app.command("import")
def bank_import(
    name: BankName,
    file: Annotated[Path, typer.Argument(help="File to import (for vpdq, a file or a folder of .txt files).")],
    fmt: FormatOption = None,
    label: LabelOption = None,
    source: SourceOption = "",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Import hashes: all of the file, or nothing if any line is bad."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        summary = store.import_file(name, file, fmt, labels=label or [], source=source)
        _print_summary(summary, as_json, verb="imported")


@bank_app.command("export")
def bank_export(
    name: BankName,
    file: Annotated[Optional[str], typer.Argument(help="Output file (stdout if left out); for vpdq, a folder "
                                                      "(an existing one, or a name ending in /).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv | hashes | vpdq | tx-csv | tx-file | hma-json")] = "csv",
    include_disabled: Annotated[
        Optional[bool],
        typer.Option("--include-disabled/--active-only",
                     help="Keep disabled entries (default: yes for csv and tx-csv, which mark them; no otherwise)."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Export a bank's entries (removed entries never; disabled ones as the format allows)."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        # A Path drops a trailing slash, so the folder intent is read from the text as given.
        if fmt == "vpdq" and file is not None and (os.path.isdir(file) or file.endswith(("/", os.sep))):
            folder = Path(file)
            files = store.export_vpdq_files(name)
            folder.mkdir(parents=True, exist_ok=True)
            for filename, text in files.items():
                write_atomically(folder / filename, text)
            typer.echo(f"exported {len(files)} videos to {folder}", err=True)
            return
        text = store.export(name, fmt, include_disabled=include_disabled)
        if file is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_atomically(Path(file), text)


@bank_app.command("list")
def bank_list(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """List banks with their entry counts and versions."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        banks = store.list()
        if as_json:
            for info in banks:
                emit(info.to_dict())
            return
        if not banks:
            typer.echo("no banks")
            return
        for info in banks:
            typer.echo(f"{info.name}\t{info.signal_type}\t{info.active} active\t{info.disabled} disabled\tversion {info.version}")


def _switch(name: str, what: str):
    return Annotated[Optional[bool], typer.Option(f"--{name}/--no-{name}", help=f"Let {what} match this bank (default: on).", show_default=False)]


@bank_app.command("options")
def bank_options(
    name: BankName,
    dihedral: _switch("dihedral", "rotated and mirrored copies") = None,
    trim: _switch("trim", "copies with borders trimmed") = None,
    regions: _switch("regions", "pictures found inside a larger picture") = None,
    stickers: _switch("stickers", "copies with a sticker over them, filled from round it") = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Show or set which robust-matching variants may match this bank."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        if dihedral is None and trim is None and regions is None and stickers is None:
            info = store.get(name)
        else:
            info = store.set_match_options(name, dihedral=dihedral, trim=trim, regions=regions, stickers=stickers,
                                           actor=_decided_by(""))
        options = info.to_dict()["match_options"]
        if as_json:
            emit({"bank": info.name, "match_options": options})
            return
        typer.echo(f"{info.name}: " + ", ".join(f"{k} {'on' if v else 'off'}" for k, v in options.items()))


@bank_app.command("add")
def bank_add(
    name: BankName,
    paths: Annotated[list[Path], typer.Argument(help="Media files or folders to hash and bank.")],
    label: LabelOption = None,
    source: SourceOption = "",
    crops: Annotated[bool, typer.Option("--crops", help="Also bank the hashes of a set of centre, side and corner crops of each image, of its middle cut to common shapes (square, 4:5, 9:16, ...) and of it turned 1.5-10.5 degrees and cut to fill (banks of originals you hold); flat crops, under PDQ quality 10, are left out.")] = False,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Hash media and bank it: image PDQ, video vPDQ, or MD5/SHA-256 of the file."""
    with cli_errors():
        from childsafe.banks.hashing import crop_entries, expand_paths

        store, _, _ = open_banks(data_dir)
        store.get(name)  # an unknown bank fails before any hashing
        files = list(expand_paths(paths))
        with progress_bar("hashing", len(files), disable=as_json) as advance:
            summary = store.add_files(name, files, labels=label or [], source=source,
                                      extra=crop_entries if crops else None, on_file=lambda _path: advance())
        _print_summary(summary, as_json, verb="added")


EntryId = Annotated[int, typer.Argument(help="Entry id (see `childsafe bank entries`).")]
DecidedBy = Annotated[str, typer.Option("--by", help="Who decided (default: $USER).")]


def _entry_changed(entry, as_json: bool, message: str) -> None:
    if as_json:
        emit(entry.to_dict())
    else:
        typer.echo(message)


def _decided_by(by: str) -> str:
    return by or os.environ.get("USER", "")


@bank_app.command("disable")
def bank_disable(
    name: BankName,
    entry_id: EntryId,
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. 'false positive: stock photo').")],
    by: DecidedBy = "",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Disable an entry as a false positive: it stops matching, its history stays."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        entry = store.disable_entry(name, entry_id, reason, by=_decided_by(by))
        _entry_changed(entry, as_json, f"disabled entry {entry.id} in {name}: {entry.disabled_reason}")


@bank_app.command("enable")
def bank_enable(
    name: BankName,
    entry_id: EntryId,
    reason: Annotated[str, typer.Option("--reason", help="Why it should match again.")] = "",
    by: DecidedBy = "",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Re-enable a disabled entry (the disable stays in the history)."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        entry = store.enable_entry(name, entry_id, reason=reason, by=_decided_by(by))
        _entry_changed(entry, as_json, f"enabled entry {entry.id} in {name}")


@bank_app.command("remove")
def bank_remove(
    name: BankName,
    entry_id: EntryId,
    reason: Annotated[str, typer.Option("--reason", help="Why (e.g. 'withdrawn by the source').")] = "",
    by: DecidedBy = "",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Remove an entry (withdrawn from the list): it stops matching and is no longer exported; the row stays."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        entry = store.remove_entry(name, entry_id, reason=reason, by=_decided_by(by))
        _entry_changed(entry, as_json, f"removed entry {entry.id} from {name}")


@bank_app.command("entries")
def bank_entries(
    name: BankName,
    active_only: Annotated[bool, typer.Option("--active-only", help="Leave out disabled entries.")] = False,
    removed: Annotated[bool, typer.Option("--removed", help="Include removed entries.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", min=0, help="At most this many.")] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """List a bank's entries with ids, labels and disabled state."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        for entry in store.entries(name, include_disabled=not active_only, include_removed=removed, limit=limit):
            if as_json:
                emit(entry.to_dict())
            else:
                state = "active" if entry.active else f"disabled ({entry.disabled_reason})"
                typer.echo(f"{entry.id}\t{entry.hash}\t{','.join(entry.labels)}\t{state}")


@bank_app.command("history")
def bank_history(name: BankName, data_dir: DataDir = None,
                 as_json: JsonFlag = False) -> None:
    """Every change to a bank, oldest first."""
    with cli_errors():
        store, _, _ = open_banks(data_dir)
        for change in store.history(name):
            if as_json:
                emit(change)
            else:
                entry = f" entry {change['entry_id']}" if change["entry_id"] else ""
                typer.echo(f"v{change['version']}\t{change['at']}\t{change['action']}{entry}\t{change['actor']}\t{json.dumps(change['detail'])}")


def _print_summary(summary, as_json: bool, *, verb: str) -> None:
    if as_json:
        emit(summary.to_dict())
        return
    extra = []
    if summary.merged:
        extra.append(f"{summary.merged} already banked")
    if summary.reactivated:
        extra.append(f"{summary.reactivated} restored")
    if summary.disabled:
        extra.append(f"{summary.disabled} of them disabled")
    more = f" ({', '.join(extra)})" if extra else ""
    noun = "entry" if summary.added == 1 else "entries"
    typer.echo(f"{verb} {summary.added} {noun} to {summary.bank}{more}; bank version {summary.version}")


# ---- match -----------------------------------------------------------------------------------


def match_options(no_dihedral: bool, no_trim: bool, no_regions: bool, stickers: bool = False):
    """The per-call switches for robust matching (issue 9)."""
    from childsafe.media.queries import MatchOptions

    return MatchOptions(dihedral=not no_dihedral, trim=not no_trim, regions=not no_regions, stickers=stickers)


def read_hashes_file(path: Path) -> list[str]:
    """One hex hash a line (blank lines and # comments skipped); each checked, naming its line."""
    from childsafe.banks.formats import decode_text
    from childsafe.index.codec import normalise_hex

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}", code="unreadable_file") from None
    hashes = []
    for n, raw in enumerate(decode_text(data, str(path)).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        hashes.append(normalise_hex(line, "md5" if len(line) == 32 else "pdq", where=f"{path} line {n}"))
    return hashes


def _describe(result) -> str:
    where = result.path if result.hash is None else result.hash
    if not result.matches:
        return f"no match\t{where}"
    lines = []
    for m in result.matches:
        extra = f" transform={m.transform}" if m.transform != "original" else ""
        if m.query_match_pct is not None:
            extra += f" query={m.query_match_pct:.1f}% compared={m.compared_match_pct:.1f}%"
        labels = ",".join(m.labels) or "-"
        lines.append(f"MATCH\t{where}\tbank={m.bank} entry={m.entry_id} distance={m.distance} labels={labels}{extra}")
    return "\n".join(lines)


def match_command(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Media files or folders (searched recursively).")] = None,
    bank: Annotated[Optional[list[str]], typer.Option("--bank", "-b", help="Only these banks (repeatable).")] = None,
    threshold: Annotated[int, typer.Option("--threshold", help="Largest PDQ Hamming distance that matches.")] = 31,
    hash_: Annotated[Optional[list[str]], typer.Option("--hash", help="Look up a hex hash directly (repeatable).")] = None,
    hashes_from: Annotated[Optional[Path], typer.Option("--hashes-from", help="File of hex hashes, one a line.")] = None,
    no_dihedral: Annotated[bool, typer.Option("--no-dihedral", help="Do not try rotations and flips.")] = False,
    no_trim: Annotated[bool, typer.Option("--no-trim", help="Do not trim borders before hashing.")] = False,
    no_regions: Annotated[bool, typer.Option("--no-regions", help="Do not hash framed regions.")] = False,
    stickers: Annotated[bool, typer.Option("--stickers", help="Also look for stickers pasted over a picture and look it up with them filled from round them (slower).")] = False,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """Match media files, folders or hashes against the banks."""
    from childsafe.banks import Matcher

    with cli_errors():
        if not paths and not hash_ and hashes_from is None:
            raise InvalidInput("give media paths, --hash or --hashes-from", code="bad_input")
        if paths and (hash_ or hashes_from is not None):
            raise InvalidInput("give either media paths or hashes, not both", code="bad_input")
        if not 0 <= threshold <= 256:
            raise InvalidInput(f"--threshold must be from 0 to 256, got {threshold}", code="bad_threshold")
        _, db, directory = open_banks(data_dir)
        matcher = Matcher(db, directory)
        matcher.check_banks(bank)
        if not paths:
            from childsafe.index.codec import normalise_hex

            hexes = list(hash_ or [])
            for n, value in enumerate(hexes, start=1):
                stripped = value.strip()
                normalise_hex(stripped, "md5" if len(stripped) == 32 else "pdq", where=f"--hash {n} ({stripped[:70]})")
            if hashes_from is not None:
                hexes.extend(read_hashes_file(hashes_from))
            for result in matcher.match_hashes(hexes, bank, threshold):
                _report(result, as_json)
            return
        options = match_options(no_dihedral, no_trim, no_regions, stickers)
        failed = _match_paths(matcher, paths, bank, threshold, options, as_json)
    if failed:
        raise typer.Exit(2)


def _match_paths(matcher, paths: list[Path], banks, threshold: int, options, as_json: bool) -> int:
    """Match every file; a bad file reports an error and the rest are still matched."""
    from childsafe.banks.hashing import expand_paths
    from childsafe.banks.matcher import MatchResult

    files: list[Path] = []
    failed = 0
    for path in paths:
        try:
            files.extend(expand_paths([path]))
        except ChildsafeError as exc:
            failed += 1
            _report(MatchResult(path=str(path), error=exc), as_json)
    with progress_bar("matching", len(files), disable=as_json) as advance:
        for file in files:
            try:
                result = matcher.match_file(file, banks, threshold, options)
            except ChildsafeError as exc:
                failed += 1
                result = MatchResult(path=str(file), error=exc)
            _report(result, as_json)
            advance()
    return failed


def _report(result, as_json: bool) -> None:
    if result.error is not None:
        typer.echo(f"error: {result.error.message}", err=True)
        if as_json:
            emit(result.to_dict())
        return
    if as_json:
        emit(result.to_dict())
    else:
        typer.echo(_describe(result))


def register(app: typer.Typer) -> None:
    app.add_typer(bank_app, name="bank")
    app.command("match")(match_command)
