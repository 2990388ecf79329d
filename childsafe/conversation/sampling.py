"""Drawing example strings from a regular expression, to check the anchor-word prefilter is sound.

The detector skips a tactic's patterns when none of its anchor words occurs in a message. That is only
safe for patterns that cannot match without an anchor word; this module draws strings each pattern
matches and tells which patterns always contain one. Patterns that might not are run on every message.
"""

from __future__ import annotations

import random
import re._parser as sre_parse  # the standard library's own regex parser
from typing import Any

_C = sre_parse


def sample(regex: str, rng: random.Random, count: int = 48) -> list[str]:
    """Strings the pattern matches (upper bound on repeats kept small; gap words drawn as 'x')."""
    tree = sre_parse.parse(regex)
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


def always_contains(regex: str, words: frozenset[str], *, seed: int = 7, count: int = 16) -> bool:
    """Whether every drawn match of ``regex`` contains one of ``words`` (as a substring).

    A few draws at start-up (the tests draw hundreds more per pattern and must agree).
    """
    rng = random.Random(seed)
    for s in sample(regex, rng, count):
        if not any(w in s for w in words):
            return False
    return True

