"""Ways offenders disguise words to slip past filters, applied to evaluation messages.

Each transform takes a message and a seeded ``random.Random`` and returns the disguised text.
The evaluation set stores the disguised text, so measuring a detector on the ``evasion`` categories
shows what each disguise costs it.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

# words a filter is likely to key on: these are the ones an evader bothers to disguise
KEYWORDS = {
    "secret", "tell", "anyone", "parents", "mum", "mom", "dad", "alone", "home", "old", "age", "gift",
    "skin", "skins", "vbucks", "robux", "snap", "snapchat", "whatsapp", "insta", "discord", "telegram",
    "number", "pic", "pics", "photo", "photos", "picture", "selfie", "camera", "cam", "webcam", "video",
    "meet", "live", "school", "address", "where", "delete", "private", "between", "us", "promise",
    "boyfriend", "girlfriend", "send", "money", "trust", "special", "mature", "friends", "location",
    "postcode", "street", "pick", "secret", "facetime", "call", "owe", "everyone", "post", "show",
}

LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "g": "9", "b": "8"}
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у", "s": "ѕ"}
EMOJI = {
    "secret": "🤫", "photo": "📸", "pic": "📸", "picture": "📸", "selfie": "🤳", "camera": "📷",
    "snap": "👻", "snapchat": "👻", "gift": "🎁", "money": "💰", "home": "🏠", "meet": "🤝",
    "location": "📍", "call": "📞", "number": "📱#", "phone": "📱", "video": "🎥", "school": "🏫",
    "parents": "👪", "love": "❤️", "special": "💖", "car": "🚗", "quiet": "🤐", "private": "🔒",
}
ABBREVIATIONS = [
    (r"\byou\b", "u"), (r"\byour\b", "ur"), (r"\byou're\b", "ur"), (r"\bare\b", "r"),
    (r"\bpicture\b", "pic"), (r"\bphotos?\b", "pic"), (r"\bdon't\b", "dont"), (r"\bparents\b", "rents"),
    (r"\bplease\b", "pls"), (r"\bbecause\b", "cuz"), (r"\btonight\b", "2nite"), (r"\bto\b", "2"),
    (r"\bfor\b", "4"), (r"\bwhat\b", "wat"), (r"\bokay\b", "k"), (r"\bok\b", "k"),
    (r"\bhow old are you\b", "hbu age?"), (r"\bwhere do you live\b", "wru from"),
    (r"\bwhat are you doing\b", "wyd"), (r"\bsnapchat\b", "sc"), (r"\binstagram\b", "ig"),
    (r"\bnumber\b", "num"), (r"\bbetween us\b", "btwn us"), (r"\bmessages\b", "msgs"),
    (r"\bthanks\b", "thx"), (r"\bwhatsapp\b", "wa"), (r"\bboyfriend\b", "bf"), (r"\bgirlfriend\b", "gf"),
]

_WORD = re.compile(r"[A-Za-z']+")


def _keyword_spans(text: str) -> list[re.Match[str]]:
    hits = [m for m in _WORD.finditer(text) if m.group().lower() in KEYWORDS]
    if not hits:
        hits = sorted(_WORD.finditer(text), key=lambda m: -len(m.group()))[:1]
    return hits


def _replace_words(text: str, rng: random.Random, change: Callable[[str], str], share: float = 1.0) -> str:
    out, last = [], 0
    for m in _keyword_spans(text):
        out.append(text[last:m.start()])
        out.append(change(m.group()) if rng.random() < share else m.group())
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def leetspeak(text: str, rng: random.Random) -> str:
    return _replace_words(text, rng, lambda w: "".join(LEET.get(c.lower(), c) if rng.random() < 0.7 else c for c in w))


def spaced(text: str, rng: random.Random) -> str:
    def change(w: str) -> str:
        return rng.choice([" ", ".", "-", "*", "_"]).join(w)

    return _replace_words(text, rng, change, share=0.8)


def homoglyphs(text: str, rng: random.Random) -> str:
    return "".join(HOMOGLYPHS.get(c, c) if rng.random() < 0.5 else c for c in text)


def emoji(text: str, rng: random.Random) -> str:
    def change(w: str) -> str:
        return EMOJI.get(w.lower(), w)

    return _replace_words(text, rng, change)


def abbreviations(text: str, rng: random.Random) -> str:
    for pattern, short in ABBREVIATIONS:
        if rng.random() < 0.85:
            text = re.sub(pattern, short, text, flags=re.IGNORECASE)
    return text


def misspellings(text: str, rng: random.Random) -> str:
    def change(w: str) -> str:
        if len(w) < 3:
            return w + w[-1]
        i = rng.randrange(1, len(w) - 1)
        kind = rng.choice(["swap", "drop", "double", "vowel"])
        if kind == "swap":
            return w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if kind == "drop":
            return w[:i] + w[i + 1:]
        if kind == "double":
            return w[:i] + w[i] + w[i:]
        return re.sub(r"[aeiou]", lambda m: rng.choice("aeiou"), w, count=1)

    return _replace_words(text, rng, change, share=0.8)


def mixed_case(text: str, rng: random.Random) -> str:
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)


def mixed(text: str, rng: random.Random) -> str:
    names = [n for n in TRANSFORMS if n != "mixed"]
    for name in rng.sample(names, 2):
        text = TRANSFORMS[name](text, rng)
    return text


TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "leetspeak": leetspeak,
    "spaced": spaced,
    "homoglyphs": homoglyphs,
    "emoji": emoji,
    "abbreviations": abbreviations,
    "misspellings": misspellings,
    "mixed_case": mixed_case,
    "mixed": mixed,
}
