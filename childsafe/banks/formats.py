"""Reading and writing bank content in the shapes other hash-sharing tools use.

Every reader parses the whole file before anything is stored and raises :class:`InvalidInput`
naming the file and line of the first bad record, so an import is all or nothing.

Formats (see docs/banks.md for examples):

- ``hashes``: one hex hash a line; blank lines and ``#`` comments skipped. A line may carry a
  leading signal type (``pdq <hex>``), which is python-threatexchange's local file exchange
  shape (``tx-file``), so both read with the same reader.
- ``tx-file``: ``<signal_type> <signal>`` a line, as python-threatexchange's
  ``LocalFileSignalExchangeAPI`` reads and appends.
- ``csv``: a header row, a hash column (``hash``, ``signal``, ``signal_str`` or the signal type's
  name) and metadata columns (``labels``, ``category``, ``tags``, ``source``/``collab``,
  ``quality``, ``disabled_at``/``disabled_reason``/``disabled_by``; others go to provenance).
- ``tx-csv``: python-threatexchange's ``threatexchange dataset -P --csv`` columns
  ``signal_type,signal_str,collab,category,tags``; read by the ``csv`` reader.
- ``hma-json``: one JSON object a line, ``{"<signal type>": "<signal>"}``, the body HMA's
  ``POST /c/bank/<bank>/signal`` takes.
- ``vpdq``: one video's frame lines in the reference vpdq format
  (``frame,quality,pdq,timestamp``); for vpdq banks only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from childsafe.errors import InvalidInput
from childsafe.index.codec import HEX_LENGTHS, normalise_hex

FORMATS = ("hashes", "csv", "vpdq", "tx-csv", "tx-file", "hma-json")

# Signal type names other tools use, mapped to ours.
SIGNAL_ALIASES = {
    "pdq": "pdq",
    "vpdq": "vpdq",
    "md5": "md5",
    "video_md5": "md5",
    "vmd5": "md5",  # the short name in HMA's API docs
    "photo_md5": "md5",
    "sha256": "sha256",
    "video_sha256": "sha256",
    "photo_sha256": "sha256",
}
# The names python-threatexchange and HMA give our signal types.
TX_SIGNAL_NAMES = {"pdq": "pdq", "vpdq": "vpdq", "md5": "video_md5", "sha256": "video_sha256"}
TX_OPINIONS = ("NEGATIVE_CLASS", "INVESTIGATION_SEED", "POSITIVE_CLASS", "DISPUTED")

HASH_COLUMNS = ("hash", "signal", "signal_str")
KNOWN_COLUMNS = {
    "signal_type", "labels", "label", "category", "tags", "source", "collab", "quality",
    "added_at", "disabled_at", "disabled_reason", "disabled_by", "entry_id", "provenance",
}

csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class ParsedEntry:
    """One record read from a file, validated and normalised, not yet stored."""

    value: str
    digest: str
    line: int
    quality: int | None = None
    labels: list[str] = field(default_factory=list)
    source: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    disabled_reason: str | None = None
    disabled_by: str | None = None
    bare: str | None = None  # see BankEntry.bare: only entries hashed from a file carry one


@dataclass
class ExportEntry:
    """What a writer needs from a stored entry."""

    entry_id: int
    value: str
    digest: str
    quality: int | None
    labels: list[str]
    source: str
    provenance: dict[str, Any]
    added_at: str
    disabled_at: str | None = None
    disabled_reason: str | None = None
    disabled_by: str | None = None


def signal_type_of(name: str, *, where: str) -> str:
    signal_type = SIGNAL_ALIASES.get(name.strip().lower())
    if signal_type is None:
        raise InvalidInput(f"{where}: unknown signal type {name!r}", code="bad_signal_type")
    return signal_type


def vpdq_digest(canonical_text: str) -> str:
    return hashlib.sha256(canonical_text.encode()).hexdigest()


def _where(source: str, line: int) -> str:
    return f"{source} line {line}" if source else f"line {line}"


def _vpdq_modules():
    from childsafe.media import vpdq

    return vpdq


def vpdq_entry_from_frames(frames: Sequence[Any], *, line: int, where: str) -> ParsedEntry:
    if not frames:
        raise InvalidInput(f"{where}: a vpdq signal needs at least one frame", code="bad_hash")
    text = _vpdq_modules().format_vpdq(frames)
    return ParsedEntry(value=text, digest=vpdq_digest(text), line=line)


def parse_tx_vpdq(signal: str, *, line: int, where: str) -> ParsedEntry:
    """python-threatexchange's vpdq signal: a JSON list of ``"pdq_hex,quality,timestamp"``."""
    from childsafe.media.vpdq import FrameHash

    try:
        items = json.loads(signal)
    except ValueError:
        raise InvalidInput(f"{where}: vpdq signal is not a JSON list of frames", code="bad_hash") from None
    if not isinstance(items, list):
        raise InvalidInput(f"{where}: vpdq signal is not a JSON list of frames", code="bad_hash")
    frames = []
    for n, item in enumerate(items):
        parts = item.split(",") if isinstance(item, str) else []
        if len(parts) != 3:
            raise InvalidInput(f"{where}: vpdq frame {n} is not 'pdq,quality,timestamp'", code="bad_hash")
        pdq = normalise_hex(parts[0], "pdq", where=f"{where} frame {n}")
        try:
            quality, timestamp = int(parts[1]), float(parts[2])
        except ValueError:
            raise InvalidInput(f"{where}: vpdq frame {n} has a bad quality or timestamp", code="bad_hash") from None
        if not 0 <= quality <= 100 or timestamp < 0:
            raise InvalidInput(f"{where}: vpdq frame {n} has a quality or timestamp out of range", code="bad_hash")
        frames.append(FrameHash(frame=n, quality=quality, pdq=pdq, timestamp=timestamp))
    return vpdq_entry_from_frames(frames, line=line, where=where)


def tx_vpdq_signal(canonical_text: str) -> str:
    frames = _vpdq_modules().parse_vpdq(canonical_text)
    return json.dumps([f"{f.pdq},{f.quality},{f.timestamp:.3f}" for f in frames])


def parse_signal(text: str, signal_type: str, *, line: int, where: str) -> ParsedEntry:
    """One signal as it appears in a line or a cell."""
    if signal_type == "vpdq":
        return parse_tx_vpdq(text.strip(), line=line, where=where)
    value = normalise_hex(text, signal_type, where=where)
    return ParsedEntry(value=value, digest=value, line=line)


def signal_text(entry: ExportEntry, signal_type: str) -> str:
    """The one-line form of a stored signal (vpdq as threatexchange's JSON list)."""
    return tx_vpdq_signal(entry.value) if signal_type == "vpdq" else entry.value


def decode_text(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(f"{_where(source, line)}: not UTF-8 text", code="bad_encoding") from None


def _check_type(name: str, bank_type: str, *, where: str) -> None:
    found = signal_type_of(name, where=where)
    if found != bank_type:
        raise InvalidInput(
            f"{where}: signal type {name!r} does not fit a {bank_type} bank", code="bad_signal_type"
        )


def read_hash_lines(text: str, bank_type: str, *, source: str) -> Iterator[ParsedEntry]:
    """Plain hashes or threatexchange ``<type> <signal>`` lines."""
    for n, raw in enumerate(io.StringIO(text), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = _where(source, n)
        head, sep, rest = line.partition(" ")
        if sep and head.lower() in SIGNAL_ALIASES:
            _check_type(head, bank_type, where=where)
            line = rest.strip()
        elif sep and bank_type in ("md5", "sha256") and len(head) == HEX_LENGTHS[bank_type]:
            line = head  # md5sum / sha256sum output: "<hex>  <file name>"
        yield parse_signal(line, bank_type, line=n, where=where)


def _split_labels(row: dict[str, str]) -> list[str]:
    labels: list[str] = []
    for part in (row.get("labels") or "").split(";"):
        labels.append(part.strip())
    labels.append((row.get("label") or "").strip())
    category = (row.get("category") or "").strip()
    if category and category.upper() not in TX_OPINIONS:
        labels.append(category)
    labels.extend((row.get("tags") or "").split())
    return unique_labels(labels)


def unique_labels(labels: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for label in labels:
        label = label.strip()
        if label:
            seen.setdefault(label, None)
    return list(seen)


def read_csv(text: str, bank_type: str, *, source: str) -> Iterator[ParsedEntry]:
    """CSV with a header; our own columns and python-threatexchange's ``dataset --csv`` columns."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(f"{source or 'CSV'}: empty file, expected a header row", code="missing_column") from None
    except csv.Error as exc:
        raise InvalidInput(f"{_where(source, 1)}: bad CSV ({exc})", code="bad_csv") from None
    columns = [c.strip().lower() for c in header]
    hash_column = next((c for c in (*HASH_COLUMNS, bank_type) if c in columns), None)
    if hash_column is None:
        names = ", ".join(repr(c) for c in (*HASH_COLUMNS, bank_type))
        raise InvalidInput(
            f"{source or 'CSV'}: missing hash column (expected one of {names}; header has {', '.join(columns)})",
            code="missing_column",
        )
    try:
        for row_values in reader:
            n = reader.line_num
            if not any(v.strip() for v in row_values):
                continue
            where = _where(source, n)
            if len(row_values) > len(columns):
                raise InvalidInput(f"{where}: {len(row_values)} fields but the header has {len(columns)}", code="bad_csv")
            row = dict(zip(columns, row_values))
            if row.get("signal_type", "").strip():
                _check_type(row["signal_type"], bank_type, where=where)
            cell = row.get(hash_column, "")
            if not cell.strip():
                raise InvalidInput(f"{where}: empty {hash_column} column", code="bad_hash")
            entry = parse_signal(cell, bank_type, line=n, where=where)
            entry.labels = _split_labels(row)
            entry.source = (row.get("source") or row.get("collab") or "").strip()
            quality = (row.get("quality") or "").strip()
            if quality:
                try:
                    entry.quality = int(quality)
                except ValueError:
                    raise InvalidInput(f"{where}: quality {quality!r} is not a whole number", code="bad_csv") from None
                if not 0 <= entry.quality <= 100:
                    raise InvalidInput(f"{where}: quality {quality!r} outside 0..100", code="bad_csv")
            provenance: dict[str, Any] = {}
            raw_provenance = (row.get("provenance") or "").strip()
            if raw_provenance:
                try:
                    loaded = json.loads(raw_provenance)
                except ValueError:
                    loaded = raw_provenance
                provenance.update(loaded if isinstance(loaded, dict) else {"note": loaded})
            category = (row.get("category") or "").strip().upper()
            if category in TX_OPINIONS:
                provenance["opinion"] = category
            for column, value in row.items():
                if column not in KNOWN_COLUMNS and column != hash_column and column not in HASH_COLUMNS and value.strip():
                    provenance[column] = value.strip()
            entry.provenance = provenance
            if (row.get("disabled_at") or "").strip() or category == "NEGATIVE_CLASS":
                entry.disabled_reason = (row.get("disabled_reason") or "").strip() or (
                    "marked NEGATIVE_CLASS in the imported file" if category == "NEGATIVE_CLASS" else "disabled in the imported file"
                )
                entry.disabled_by = (row.get("disabled_by") or "").strip() or None
            yield entry
    except csv.Error as exc:
        raise InvalidInput(f"{_where(source, reader.line_num)}: bad CSV ({exc})", code="bad_csv") from None


def read_hma_json(text: str, bank_type: str, *, source: str) -> Iterator[ParsedEntry]:
    """JSON lines of HMA signal maps (``{"pdq": "..."}``); a JSON array of them is read too."""
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError as exc:
            raise InvalidInput(f"{_where(source, exc.lineno)}: bad JSON ({exc.msg})", code="bad_json") from None
        numbered = [(i + 1, item) for i, item in enumerate(items)]
    else:
        numbered = []
        for n, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                numbered.append((n, json.loads(raw)))
            except ValueError as exc:
                raise InvalidInput(f"{_where(source, n)}: bad JSON ({exc.msg})", code="bad_json") from None
    for n, item in numbered:
        where = _where(source, n)
        if not isinstance(item, dict) or not item:
            raise InvalidInput(f"{where}: expected an object like {{\"pdq\": \"<hash>\"}}", code="bad_json")
        signals = item.get("signals", item)
        if not isinstance(signals, dict):
            raise InvalidInput(f"{where}: 'signals' must be an object", code="bad_json")
        mine = [(k, v) for k, v in signals.items() if SIGNAL_ALIASES.get(str(k).lower()) == bank_type]
        if not mine:
            raise InvalidInput(f"{where}: no {bank_type} signal in {sorted(signals)}", code="bad_signal_type")
        for _name, value in mine:
            if not isinstance(value, str):
                raise InvalidInput(f"{where}: signal must be a string", code="bad_json")
            yield parse_signal(value, bank_type, line=n, where=where)


def read_vpdq(text: str, bank_type: str, *, source: str) -> list[ParsedEntry]:
    if bank_type != "vpdq":
        raise InvalidInput(f"{source or 'input'}: the vpdq format is for vpdq banks, not {bank_type}", code="bad_format")
    frames = _vpdq_modules().parse_vpdq(text, source=source)
    return [vpdq_entry_from_frames(frames, line=1, where=source or "input")]


READERS = {
    "hashes": read_hash_lines,
    "tx-file": read_hash_lines,
    "csv": read_csv,
    "tx-csv": read_csv,
    "hma-json": read_hma_json,
    "vpdq": read_vpdq,
}


def guess_format(path: Path, bank_type: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".json", ".jsonl", ".ndjson"):
        return "hma-json"
    if bank_type == "vpdq" and (path.is_dir() or suffix == ".txt"):
        return "vpdq"
    return "hashes"


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", code="bad_format")
    return fmt


# ---- writers ---------------------------------------------------------------------------------

CSV_COLUMNS = ["hash", "labels", "source", "quality", "provenance", "added_at", "disabled_at",
               "disabled_reason", "disabled_by", "entry_id"]


def write_hashes(entries: Sequence[ExportEntry], signal_type: str) -> str:
    return "".join(f"{signal_text(e, signal_type)}\n" for e in entries)


def write_tx_file(entries: Sequence[ExportEntry], signal_type: str) -> str:
    name = TX_SIGNAL_NAMES[signal_type]
    return "".join(f"{name} {signal_text(e, signal_type)}\n" for e in entries)


def write_csv(entries: Sequence[ExportEntry], signal_type: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([
            signal_text(e, signal_type), ";".join(e.labels), e.source,
            "" if e.quality is None else e.quality,
            json.dumps(e.provenance, sort_keys=True) if e.provenance else "",
            e.added_at, e.disabled_at or "", e.disabled_reason or "", e.disabled_by or "", e.entry_id,
        ])
    return out.getvalue()


def write_tx_csv(entries: Sequence[ExportEntry], signal_type: str) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["signal_type", "signal_str", "collab", "category", "tags"], lineterminator="\n")
    writer.writeheader()
    name = TX_SIGNAL_NAMES[signal_type]
    for e in entries:
        category = "NEGATIVE_CLASS" if e.disabled_at else str(e.provenance.get("opinion") or "POSITIVE_CLASS")
        writer.writerow({
            "signal_type": name,
            "signal_str": signal_text(e, signal_type),
            "collab": e.source,
            "category": category,
            "tags": " ".join(label.replace(" ", "_") for label in e.labels),
        })
    return out.getvalue()


def write_hma_json(entries: Sequence[ExportEntry], signal_type: str) -> str:
    name = TX_SIGNAL_NAMES[signal_type]
    return "".join(json.dumps({name: signal_text(e, signal_type)}) + "\n" for e in entries)


def write_vpdq(entries: Sequence[ExportEntry], signal_type: str) -> str:
    if signal_type != "vpdq":
        raise InvalidInput(f"the vpdq format is for vpdq banks, not {signal_type}", code="bad_format")
    if len(entries) != 1:
        raise InvalidInput(
            f"the vpdq format holds one video and this export has {len(entries)}; "
            "export to a folder (one .txt per video) or use --format csv",
            code="bad_format",
        )
    return entries[0].value


WRITERS = {
    "hashes": write_hashes,
    "tx-file": write_tx_file,
    "csv": write_csv,
    "tx-csv": write_tx_csv,
    "hma-json": write_hma_json,
    "vpdq": write_vpdq,
}
# Formats that carry disabled entries (and so can restore a false-positive decision).
FORMATS_WITH_DISABLED = ("csv", "tx-csv")
