"""Runs every recognizer over a message and settles overlaps, like Presidio's analyzer."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from childsafe.errors import InvalidInput
from childsafe.pii.findings import PII_KINDS, PIIFinding
from childsafe.pii.recognizers import Recognizer, default_recognizers
from childsafe.pii.text import fold

DEFAULT_MIN_SCORE = 0.5


class RecognizerRegistry:
    """The recognizers in use; add your own (e.g. a national ID) or remove one by name."""

    def __init__(self, recognizers: Iterable[Recognizer] | None = None) -> None:
        self.recognizers: list[Recognizer] = list(default_recognizers() if recognizers is None else recognizers)

    def add(self, recognizer: Recognizer) -> None:
        self.recognizers.append(recognizer)

    def remove(self, name: str) -> None:
        self.recognizers = [r for r in self.recognizers if r.name != name]

    def analyze(self, text: str, *, region: str = "GB", kinds: Iterable[str] | None = None,
                min_score: float = DEFAULT_MIN_SCORE) -> list[PIIFinding]:
        if not isinstance(text, str):
            raise InvalidInput(f"text must be a string, not {type(text).__name__}")
        if not text:
            return []
        wanted = set(kinds) if kinds is not None else None
        if wanted is not None and (unknown := wanted - set(PII_KINDS) - {r.kind for r in self.recognizers}):
            raise InvalidInput(f"unknown personal-detail kind {sorted(unknown)[0]!r}; known: {', '.join(PII_KINDS)}")
        folded = fold(text)
        found: list[PIIFinding] = []
        for recognizer in self.recognizers:
            if wanted is None or recognizer.kind in wanted:
                found.extend(f for f in recognizer.analyze(text, folded, region.upper()) if f.score >= min_score)
        return settle(found)


def settle(findings: list[PIIFinding]) -> list[PIIFinding]:
    """Keep the surest finding where two of one kind overlap, and drop any finding lying inside a
    surer or longer one of another kind (a ZIP inside a phone number), then order by position.

    Only findings that overlap can clash, so the greedy choice runs per group of overlapping
    spans: linear in the number of findings even for a huge message full of details."""
    kept: list[PIIFinding] = []
    group: list[PIIFinding] = []
    group_end = -1
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if group and f.start >= group_end:
            kept.extend(_settle_group(group))
            group = []
        group.append(f)
        group_end = max(group_end, f.end) if len(group) > 1 else f.end
    kept.extend(_settle_group(group))
    return sorted(kept, key=lambda f: (f.start, f.end, f.kind))


def _settle_group(group: list[PIIFinding]) -> list[PIIFinding]:
    kept: list[PIIFinding] = []
    for f in sorted(group, key=lambda f: (-f.score, -(f.end - f.start), f.start)):
        if not any(f.start < k.end and k.start < f.end and (k.kind == f.kind or (k.start <= f.start and f.end <= k.end))
                   for k in kept):
            kept.append(f)
    return kept


_default: RecognizerRegistry | None = None
_lock = threading.Lock()


def default_registry() -> RecognizerRegistry:
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = RecognizerRegistry()
    return _default


def detect_pii(text: str, *, region: str = "GB", kinds: Iterable[str] | None = None,
               min_score: float = DEFAULT_MIN_SCORE) -> list[PIIFinding]:
    """Personal details in a message, with spans, before it is sent. ``region`` is the ISO country
    used to read national phone numbers (``"GB"``, ``"US"``, ...)."""
    return default_registry().analyze(text, region=region, kinds=kinds, min_score=min_score)


def redact(text: str, findings: Iterable[PIIFinding] | None = None, *, style: str = "label",
           region: str = "GB") -> str:
    """Replace each personal detail: ``style="label"`` gives ``[phone]``, ``"mask"`` gives ``•••``."""
    if style not in ("label", "mask"):
        raise InvalidInput(f"unknown redaction style {style!r}: use label or mask")
    spans = sorted(findings if findings is not None else detect_pii(text, region=region), key=lambda f: f.start)
    out, pos = [], 0
    for f in spans:
        if f.end <= pos:
            continue
        start = max(f.start, pos)
        out.append(text[pos:start])
        out.append(f"[{f.kind}]" if style == "label" else "•" * (f.end - start))
        pos = f.end
    out.append(text[pos:])
    return "".join(out)
