"""Drawing example strings from a regular expression, to check the anchor-word prefilter is sound.

The detector skips a tactic's patterns when none of its anchor words occurs in a message. That is only
safe for patterns that cannot match without an anchor word; this module draws strings each pattern
matches and tells which patterns always contain one. Patterns that might not are run on every message.
"""

from __future__ import annotations

import random
import re
import re._parser as sre_parse  # the standard library's own regex parser
from typing import Any

_C = sre_parse


def sample(regex: str | Any, rng: random.Random, count: int = 48) -> list[str]:
    """Strings the pattern matches (upper bound on repeats kept small; gap words drawn as 'x')."""
    tree = sre_parse.parse(regex) if isinstance(regex, str) else regex
    return [_emit(tree, rng) for _ in range(count)]


def _emit(items: Any, rng: random.Random) -> str:
    out: list[str] = []
    for op, av in items:
        if op is _C.LITERAL:
            out.append(chr(av))
        elif op is _C.NOT_LITERAL:
            out.append("x" if chr(av) != "x" else "y")
        elif op is _C.ANY:
            out.append("x")
        elif op is _C.IN:
            out.append(_pick_in(av, rng))
        elif op is _C.BRANCH:
            out.append(_emit(rng.choice(av[1]), rng))
        elif op is _C.SUBPATTERN:
            out.append(_emit(av[-1], rng))
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            hi = min(hi, lo + 3)
            out.append("".join(_emit(sub, rng) for _ in range(rng.randint(lo, hi))))
        elif op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue
        elif op is _C.CATEGORY:
            out.append(_category(av))
        else:
            raise ValueError(f"cannot sample regex op {op}")
    return "".join(out)


def _pick_in(av: list, rng: random.Random) -> str:
    negated = any(op is _C.NEGATE for op, _ in av)
    if negated:
        return "x"
    op, val = rng.choice(av)
    if op is _C.LITERAL:
        return chr(val)
    if op is _C.RANGE:
        return chr(rng.randint(val[0], val[1]))
    if op is _C.CATEGORY:
        return _category(val)
    return "x"


def _category(cat: Any) -> str:
    name = str(cat)
    if "DIGIT" in name:
        return "5"
    if "SPACE" in name:
        return " "
    return "x"


def evasive_match(regex: str | Any, words: frozenset[str]) -> str:
    """A match of ``regex`` built to contain as few of ``words`` as it can: at every alternation the branch
    whose text holds no word is taken, and every optional part is left out."""
    tree = sre_parse.parse(regex) if isinstance(regex, str) else regex
    return _avoid(tree, _finder(words))


def _finder(words: frozenset[str]) -> Any:
    if not words:
        return lambda text: False
    rx = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return lambda text: rx.search(text) is not None


def _avoid(items: Any, has_word: Any, prefix: str = "") -> str:
    """Build the match left to right; each choice is judged together with what comes before it, since the
    regex parser factors shared prefixes out of alternations ("do not|dont" becomes "do" + " not|nt")."""
    out: list[str] = []
    for op, av in items:
        before = prefix + "".join(out)
        if op is _C.BRANCH:
            options = [_avoid(branch, has_word, before) for branch in av[1]]
            clean = [o for o in options if not has_word(before[-40:] + o)]
            out.append(min(clean or options, key=len))
        elif op is _C.SUBPATTERN:
            out.append(_avoid(av[-1], has_word, before))
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
            lo, hi, sub = av
            choices = []
            for count in (lo, lo + 1) if hi > lo else (lo,):
                part = ""
                for _ in range(count):
                    part += _avoid(sub, has_word, before + part)
                choices.append(part)
            # Prefer the longer clean choice: an optional space or gap word splits words, so anchors are
            # less likely to form across what follows ("any ?one" read as "any one").
            clean = [c for c in choices if not has_word(before[-40:] + c)]
            out.append((clean or choices)[-1])
        elif op is _C.LITERAL:
            out.append(chr(av))
        else:
            out.append(_emit([(op, av)], _FIXED))
    return "".join(out)


_FIXED = random.Random(0)


def always_contains(regex: str, words: frozenset[str], *, seed: int = 7, count: int = 8) -> bool:
    """Whether every match of ``regex`` contains one of ``words`` (as a substring).

    Checked with a match built to avoid the words and a few random draws at start-up; the tests draw
    hundreds more per pattern and must agree.
    """
    tree = sre_parse.parse(regex)
    has_word = _finder(words)
    if not has_word(_avoid(tree, has_word)):
        return False
    rng = random.Random(seed)
    return all(has_word(s) for s in sample(tree, rng, count))
