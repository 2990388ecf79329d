"""Policy checks per second on one core: the compiled engine against a naive rule walk.

Target: at least 100,000 checks per second on one core. The peer is what a straightforward
implementation does per request: validate the request into pydantic models and walk the policy's
rule list in priority order (``childsafe.policy.reference.ReferenceEvaluator``). Both answer the
same mixed workload (every action; children, adults and unknown ages; every assurance method;
expiring checks; random contexts), and the run also counts any disagreement between them.
"""

from __future__ import annotations

import os
import random
import time
from datetime import datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict

from childsafe.policy import ACTIONS, METHODS, Context, Person, PolicyEngine
from childsafe.policy.people import ACTIONS_WITHOUT_TARGET
from childsafe.policy.reference import ReferenceEvaluator

N_CASES = 20_000
SEED = 7
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    age: int | None = None
    assurance: str | None = None
    age_low: int | None = None
    age_high: int | None = None
    expires_at: datetime | None = None


class ContextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    connected: bool = False
    parent_permission: bool = False
    actor_flagged: bool = False
    actor_child_blocks: int = 0


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: str
    actor: PersonIn
    target: PersonIn | None = None
    context: ContextIn = ContextIn()


def _raw_person(rng: random.Random) -> dict:
    kind = rng.random()
    if kind < 0.15:
        return {}
    method = rng.choice(METHODS)
    if kind < 0.3:
        low = rng.randint(8, 30)
        return {"age_low": low, "age_high": low + rng.randint(0, 6), "assurance": method}
    person: dict = {"age": rng.choice([rng.randint(6, 19), rng.randint(20, 70)]), "assurance": method}
    if rng.random() < 0.2:
        person["expires_at"] = NOW + timedelta(days=rng.choice([-30, 30]))
    return person


def workload(n: int = N_CASES, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        action = rng.choice(ACTIONS)
        cases.append({
            "action": action,
            "actor": _raw_person(rng),
            "target": None if action in ACTIONS_WITHOUT_TARGET and rng.random() < 0.7 else _raw_person(rng),
            "context": {"connected": rng.random() < 0.4, "parent_permission": rng.random() < 0.2,
                        "actor_flagged": rng.random() < 0.05, "actor_child_blocks": rng.choice([0, 0, 0, 1, 3])},
        })
    return cases


def _rate(fn, n_items: int, min_seconds: float = 1.0) -> float:
    rounds, elapsed = 0, 0.0
    start = time.perf_counter()
    while elapsed < min_seconds:
        fn()
        rounds += 1
        elapsed = time.perf_counter() - start
    return rounds * n_items / elapsed


def main() -> None:
    raw = workload()
    prepared = [(c["action"], Person(**c["actor"]), Person(**c["target"]) if c["target"] is not None else None,
                 Context(**c["context"])) for c in raw]

    engine = PolicyEngine()
    cells = engine.compile_all()
    check = engine.check

    def compiled_prepared() -> None:
        for action, actor, target, ctx in prepared:
            check(action, actor, target, ctx, now=NOW)

    def compiled_from_raw() -> None:  # what an integration does per request: build the objects, then check
        for c in raw:
            t = c["target"]
            check(c["action"], Person(**c["actor"]), Person(**t) if t is not None else None, Context(**c["context"]),
                  now=NOW)

    def compiled_from_dicts() -> None:  # plain dicts straight from JSON
        for c in raw:
            check(c["action"], c["actor"], c["target"], c["context"], now=NOW)

    reference = ReferenceEvaluator(engine.policy)
    naive_cases = raw[:4000]

    def naive() -> None:
        for c in naive_cases:
            req = CheckIn.model_validate(c)
            actor = Person(**req.actor.model_dump())
            target = Person(**req.target.model_dump()) if req.target is not None else None
            reference.check(req.action, actor, target, Context(**req.context.model_dump()), now=NOW)

    cold_engine = PolicyEngine()
    t0 = time.perf_counter()
    for action, actor, target, ctx in prepared:
        cold_engine.check(action, actor, target, ctx, now=NOW)
    cold_rate = len(prepared) / (time.perf_counter() - t0)

    mismatches = sum(
        1 for action, actor, target, ctx in prepared[:5000]
        if engine.check(action, actor, target, ctx, now=NOW) != reference.check(action, actor, target, ctx, now=NOW)
    )

    rates = {
        "compiled, prepared Person/Context": _rate(compiled_prepared, len(prepared)),
        "compiled, building Person/Context": _rate(compiled_from_raw, len(raw)),
        "compiled, plain dicts": _rate(compiled_from_dicts, len(raw)),
        "compiled, cold table (first pass)": cold_rate,
        "naive: pydantic request + rule walk": _rate(naive, len(naive_cases)),
    }
    print(f"policy checks per second, one core, {len(raw)} mixed cases "
          f"(all {len(ACTIONS)} actions; table of {cells} decisions)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} during the run (other work shares the CPU)")
    print(f"{'variant':<40} {'checks/s':>12} {'us/check':>9}")
    for name, rate in rates.items():
        print(f"{name:<40} {rate:>12,.0f} {1e6 / rate:>9.2f}")
    print(f"disagreements engine vs naive on 5000 cases: {mismatches}")
    target = rates["compiled, building Person/Context"]
    print(f"target >= 100,000 checks/s (building objects per check): {'met' if target >= 100_000 else 'NOT met'}")
    naive_rate = rates["naive: pydantic request + rule walk"]
    print(f"ratio compiled (prepared) / naive: {rates['compiled, prepared Person/Context'] / naive_rate:.1f}x")
    print(f"ratio compiled (building objects) / naive: {target / naive_rate:.1f}x")


if __name__ == "__main__":
    main()
