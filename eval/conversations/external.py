"""Conversations nobody here wrote: chatterbot-corpus dialogue and the PAN 2012 corpus format.

chatterbot-corpus (a pip package) gives benign everyday dialogue to measure false positives on text
whose wording we did not choose. PAN 2012 (sexual predator identification) is not redistributed;
whoever holds it can point ``load_pan2012`` at its XML and predator-id list to evaluate on it.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from childsafe.errors import InvalidInput
from eval.conversations.dataset import LabelledConversation, LabelledMessage


def chatterbot_dir(language: str = "english") -> Path | None:
    """Where the installed chatterbot-corpus keeps its yml files, or None when not installed."""
    spec = importlib.util.find_spec("chatterbot_corpus")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / language
    return path if path.is_dir() else None


def load_chatterbot(language: str = "english") -> list[LabelledConversation]:
    """Each dialogue in the corpus becomes a benign two-person conversation."""
    root = chatterbot_dir(language)
    if root is None:
        return []
    out: list[LabelledConversation] = []
    start = datetime(2024, 6, 1, 12, tzinfo=timezone.utc)
    for path in sorted(root.glob("*.yml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise InvalidInput(f"{path}: not valid YAML ({exc})") from exc
        for number, dialogue in enumerate(doc.get("conversations") or [], 1):
            turns = [str(t) for t in dialogue if t is not None] if isinstance(dialogue, list) else []
            if not turns:
                continue
            cid = f"chatterbot-{path.stem}-{number:03d}"
            conv = LabelledConversation(cid, "benign", f"chatterbot_{path.stem}", "external", "chatterbot-corpus")
            for k, text in enumerate(turns):
                sent = start + timedelta(minutes=k)
                conv.messages.append(LabelledMessage(
                    cid, f"{cid}-m{k + 1:03d}", ("speaker_a", "speaker_b")[k % 2],
                    sent.strftime("%Y-%m-%dT%H:%M:%SZ"), text))
            out.append(conv)
    return out


def read_predator_ids(path: str | Path) -> set[str]:
    """The PAN 2012 ground truth: one predator author id per line."""
    path = Path(path)
    try:
        return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from exc


_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class _XMLSafeReader:
    """Chat logs carry control characters that XML forbids; drop them so one stray byte does not stop
    the whole corpus (line numbers stay the same)."""

    def __init__(self, path: Path) -> None:
        self._fh = path.open("rb")

    def read(self, size: int = -1) -> bytes:
        chunk = self._fh.read(size)
        if not chunk:
            self._fh.close()
        return _NOT_XML.sub(b"", chunk)


def load_pan2012(xml_path: str | Path, predators: str | Path | set[str]) -> list[LabelledConversation]:
    """Read PAN 2012 ``<conversations><conversation id><message line><author/><time/><text/>``.

    A conversation is labelled grooming when one of its authors is in the predator list; the
    corpus has no tactic labels, so message tactics stay empty (conversation metrics only).
    Times are ``HH:MM`` without a date, so a day is added whenever the clock goes backwards.
    """
    xml_path = Path(xml_path)
    predator_ids = predators if isinstance(predators, set) else read_predator_ids(predators)
    out: list[LabelledConversation] = []
    try:
        for _event, elem in ET.iterparse(_XMLSafeReader(xml_path), events=("end",)):
            if elem.tag != "conversation":
                continue
            cid = elem.get("id") or f"pan-{len(out) + 1}"
            conv = LabelledConversation(cid, "benign", "pan2012", "external", "pan2012")
            day = datetime(2012, 1, 1, tzinfo=timezone.utc)
            last = None
            for k, msg in enumerate(elem.iter("message"), 1):
                author = (msg.findtext("author") or "").strip()
                clock = (msg.findtext("time") or "00:00").strip()
                try:
                    hh, mm = (int(x) for x in clock.split(":")[:2])
                    at = day.replace(hour=hh % 24, minute=mm % 60)
                except ValueError:
                    at = last or day
                if last is not None and at < last:
                    day += timedelta(days=1)
                    at += timedelta(days=1)
                last = at
                conv.messages.append(LabelledMessage(
                    cid, f"{cid}-{msg.get('line') or k}", author, at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    msg.findtext("text") or "", sender_role="predator" if author in predator_ids else None))
                if author in predator_ids:
                    conv.label = "grooming"
            out.append(conv)
            elem.clear()
    except ET.ParseError as exc:
        line, col = exc.position
        raise InvalidInput(f"{xml_path}:{line}:{col}: not valid PAN 2012 XML ({exc})") from exc
    except OSError as exc:
        raise InvalidInput(f"{xml_path}: cannot read ({exc.strerror})") from exc
    return out
