"""``make bench``: runs every ``bench/bench_*.py`` module's ``main()`` in turn.

Each benchmark prints its own table and ends with ratio lines against the peer it names.
Pass names to run a subset: ``python -m bench index policy``.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [a if a.startswith("bench_") else f"bench_{a}" for a in argv]
    if wanted:
        unknown = [w for w in wanted if w not in names]
        if unknown:
            print(f"error: unknown benchmark(s): {', '.join(unknown)}; have: {', '.join(names)}", file=sys.stderr)
            return 2
        names = wanted
    failures = 0
    for name in names:
        print(f"\n===== {name} =====", flush=True)
        t0 = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception as exc:  # keep going: one broken benchmark must not hide the others
            failures += 1
            print(f"{name} FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(f"({name} took {time.perf_counter() - t0:.1f}s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
