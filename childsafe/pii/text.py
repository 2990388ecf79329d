"""Undo simple disguises without moving any character, so spans found stay spans in the original."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# letters from other scripts that look like Latin ones (Cyrillic, Greek), mapped one to one
_LOOKALIKES = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "і": "i", "ѕ": "s", "ј": "j",
    "ԁ": "d", "ո": "n", "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "ο": "o", "α": "a", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p",
    "τ": "t", "υ": "u", "Ο": "O", "Α": "A", "Β": "B", "Ε": "E", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "＠": "@", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2019": "'", "\u2018": "'", "\u200b": " ",
    "\u200c": " ", "\u200d": " ", "\u2060": " ", "\ufeff": " ",
})


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def fold(text: str) -> str:
    """Same length as ``text``: look-alike letters, full-width digits and odd spaces made plain."""
    text = text.translate(_LOOKALIKES)
    if text.isascii():
        return text
    return "".join(_fold_char(ch) if ord(ch) > 127 else ch for ch in text)
