"""What the personal-details guard reports: a kind, the exact span, and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass

PII_KINDS = (
    "phone", "email", "address", "postcode", "zip", "school", "home_area", "coordinates", "map_link",
    "handle", "age", "birthday", "full_name",
)


@dataclass(frozen=True, slots=True)
class PIIFinding:
    """A personal detail at ``text[start:end]``; the text itself is never stored, only the span."""

    kind: str
    start: int
    end: int
    score: float
    recognizer: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "score": round(self.score, 3),
                "recognizer": self.recognizer}
