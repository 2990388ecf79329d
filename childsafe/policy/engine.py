"""The policy engine: ``check(action, actor, target, context) -> PolicyDecision`` in microseconds.

A check reduces each person to a small state (band, assured or not), the context to four bits,
and looks the answer up in a table compiled from the policy. Each table cell is filled the first
time it is needed by walking the action's rules in priority order, so a check is a few list
indexings once warm and the policy file stays the single source of truth.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

from childsafe.errors import InvalidInput
from childsafe.policy.bands import UNKNOWN_BAND
from childsafe.policy.people import (
    ACTIONS,
    ACTIONS_WITHOUT_TARGET,
    EMPTY_CONTEXT,
    Context,
    Person,
    PolicyDecision,
)
from childsafe.policy.policyfile import (
    CTX_ACTOR_BLOCKED,
    CTX_ACTOR_FLAGGED,
    CTX_COMBINATIONS,
    CTX_CONNECTED,
    CTX_PARENT_PERMISSION,
    Policy,
    load_policy,
    state_id,
)

_ACTION_INDEX = {a: i for i, a in enumerate(ACTIONS)}
# fields whose values alone decide a person's state (no expiry): safe to answer from the cache
_CACHEABLE_PERSON_KEYS = frozenset({"id", "age", "band", "assurance", "age_low", "age_high"})


class PolicyEngine:
    """Decides who may contact, match with or watch whom, under one policy file.

    ``policy``: a :class:`Policy`, a path to a YAML policy file, or None for the shipped default.
    Thread-safe: the table only ever gains cells, and :meth:`reload` swaps in a fully validated
    policy or keeps the old one.
    """

    def __init__(self, policy: Policy | str | Path | None = None) -> None:
        self._install(load_policy(policy))

    def _install(self, policy: Policy) -> None:
        n_states = len(policy.states)
        default_allowed = policy.spec.default_effect == "allow"
        self._default = PolicyDecision(
            allowed=default_allowed,
            rule="default",
            reason="no_rule_applies" if default_allowed else "denied_by_default",
            explanation=("No rule restricts this action." if default_allowed
                         else "This policy denies anything no rule allows."),
        )
        self._decisions = {
            r.id: PolicyDecision(
                allowed=r.spec.effect == "allow", rule=r.id, reason=r.spec.reason,
                explanation=r.spec.explanation.strip(), requires=tuple(r.spec.requires),
                modifiers=tuple(r.spec.modifiers), measures=tuple(r.spec.measures),
            )
            for r in policy.rules
        }
        # swap everything at once so a concurrent check sees either the old or the new policy
        self._state = (policy, n_states, [None] * (len(ACTIONS) * n_states * n_states), {})

    @property
    def policy(self) -> Policy:
        return self._state[0]

    @property
    def bands(self):
        return self._state[0].bands

    def reload(self, policy: Policy | str | Path | None) -> Policy:
        """Switch to another policy; on any error the current one stays in force."""
        new = load_policy(policy)
        self._install(new)
        return new

    # -- the hot path ---------------------------------------------------------------------------

    def check(self, action: str, actor: Person | Mapping[str, Any] | None,
              target: Person | Mapping[str, Any] | None = None,
              context: Context | Mapping[str, Any] | None = None, *, now: datetime | None = None) -> PolicyDecision:
        """May ``actor`` do ``action`` to ``target`` in ``context``? Never raises for a valid input."""
        policy, n_states, table, person_cache = self._state
        ai = _ACTION_INDEX.get(action)
        if ai is None:
            raise InvalidInput(f"unknown action {action!r} (valid: {', '.join(ACTIONS)})", code="unknown_action")
        if actor is None:
            raise InvalidInput("a check needs an actor (use Person() for someone of unknown age)", code="bad_person")
        if actor.__class__ is Person:
            a = self._person_state(actor, policy, person_cache, now)
        elif actor.__class__ is dict:
            a = self._dict_state(actor, policy, person_cache, now)
        else:
            a = self._person_state(_as_person(actor, "actor"), policy, person_cache, now)
        if target is None:
            if action not in ACTIONS_WITHOUT_TARGET:
                raise InvalidInput(f"action {action!r} needs a target", code="bad_person")
            t = n_states - 1
        elif target.__class__ is Person:
            t = self._person_state(target, policy, person_cache, now)
        elif target.__class__ is dict:
            t = self._dict_state(target, policy, person_cache, now)
        else:
            t = self._person_state(_as_person(target, "target"), policy, person_cache, now)
        if context is None:
            context = EMPTY_CONTEXT
        elif context.__class__ is not Context:
            context = Context.from_dict(context) if context.__class__ is dict else _as_context(context)
        bits = (
            (CTX_CONNECTED if context.connected else 0)
            | (CTX_PARENT_PERMISSION if context.parent_permission else 0)
            | (CTX_ACTOR_FLAGGED if context.actor_flagged else 0)
            | (CTX_ACTOR_BLOCKED if context.actor_child_blocks >= policy.spec.suspicious_after_child_blocks else 0)
        )
        key = (ai * n_states + a) * n_states + t
        cell = table[key]
        if cell is None:
            cell = table[key] = self._fill(policy, action, a, t)
        return cell[bits]

    def _person_state(self, person: Person, policy: Policy, cache: dict, now: datetime | None) -> int:
        if person.expires_at is not None and person.assurance is not None and person.is_expired(now):
            return self._resolve(person, policy, expired=True)
        key = (person.age, person.band, person.assurance, person.age_low, person.age_high)
        sid = cache.get(key)
        if sid is None:
            sid = self._resolve(person, policy, expired=False)
            if len(cache) < 100_000:
                cache[key] = sid
        return sid

    def _dict_state(self, data: dict, policy: Policy, cache: dict, now: datetime | None) -> int:
        """A person given as a plain dict (JSON as received): answered from the cache without building
        a Person when exactly these values were validated before; anything else takes the full path."""
        if data.keys() <= _CACHEABLE_PERSON_KEYS:
            age, low, high = data.get("age"), data.get("age_low"), data.get("age_high")
            band, method = data.get("band"), data.get("assurance")
            if (age is None or age.__class__ is int) and (low is None or low.__class__ is int) \
                    and (high is None or high.__class__ is int) and (band is None or band.__class__ is str) \
                    and (method is None or method.__class__ is str):
                sid = cache.get((age, band, method, low, high))
                if sid is not None:
                    return sid
        return self._person_state(Person.from_dict(data), policy, cache, now)  # type: ignore[arg-type]

    @staticmethod
    def _resolve(person: Person, policy: Policy, *, expired: bool) -> int:
        scheme = policy.bands
        if person.age is not None:
            band: int | None = scheme.band_index(person.age)
            if person.band is not None and person.band != UNKNOWN_BAND and scheme.index_of(person.band) != band:
                raise InvalidInput(
                    f"age {person.age} is not in band {person.band!r} (it is in {scheme.names[band]!r})", code="bad_age"
                )
            if person.age_low is not None and person.age < person.age_low or (
                    person.age_high is not None and person.age > person.age_high):
                raise InvalidInput(f"age {person.age} is outside the range {person.age_low}..{person.age_high}",
                                   code="bad_age")
        elif person.age_low is not None or person.age_high is not None:
            band = scheme.index_for_range(person.age_low, person.age_high)
        elif person.band is not None and person.band != UNKNOWN_BAND:
            band = scheme.index_of(person.band)
        else:
            band = None
        assured = not expired and person.assurance in policy.assured_methods
        return state_id(band, assured)

    def _fill(self, policy: Policy, action: str, a: int, t: int) -> tuple[PolicyDecision, ...]:
        rules = policy.rules_by_action[action]
        states = policy.states
        out = []
        for ctx in range(CTX_COMBINATIONS):
            decision = self._default
            for rule in rules:
                if rule.matches(a, t, ctx, states):
                    decision = self._decisions[rule.id]
                    break
            out.append(decision)
        return tuple(out)

    # -- conveniences ---------------------------------------------------------------------------

    def compile_all(self) -> int:
        """Fill every table cell now (for benchmarks and for proving a policy); returns the cell count."""
        policy, n_states, table, _ = self._state
        count = 0
        for ai, action in enumerate(ACTIONS):
            for a in range(n_states - 1):
                for t in range(n_states):
                    key = (ai * n_states + a) * n_states + t
                    if table[key] is None:
                        table[key] = self._fill(policy, action, a, t)
                    count += CTX_COMBINATIONS
        return count

    def band_of(self, person: Person, *, now: datetime | None = None) -> str:
        """The band the policy places a person in ('unknown' when no band is established)."""
        policy = self._state[0]
        sid = self._resolve(person, policy, expired=person.is_expired(now))
        st = policy.states[sid]
        return UNKNOWN_BAND if st.band is None else policy.bands.names[st.band]

    def standing(self, person: Person, *, now: datetime | None = None) -> dict:
        """How the policy treats a person: band, assured, treated as child, verified adult."""
        policy = self._state[0]
        expired = person.assurance is not None and person.is_expired(now)
        st = policy.states[self._resolve(person, policy, expired=expired)]
        verified_adult = st.assured and st.band is not None and policy.bands.is_adult_index(st.band)
        return {
            "band": UNKNOWN_BAND if st.band is None else policy.bands.names[st.band],
            "assured": st.assured,
            "expired": expired,
            "treated_as": "adult" if verified_adult else "child",
            "verified_adult": verified_adult,
        }


def _as_person(value: Any, what: str) -> Person:
    if isinstance(value, Person):
        return value
    if isinstance(value, Mapping):
        return Person.from_dict(value)  # type: ignore[return-value]
    to_person = getattr(value, "to_person", None)
    if callable(to_person):
        return to_person()
    raise InvalidInput(f"{what} must be a Person or an object, got {type(value).__name__}", code="bad_person")


def _as_context(value: Any) -> Context:
    if isinstance(value, Context):
        return value
    if isinstance(value, Mapping):
        return Context.from_dict(value)
    raise InvalidInput(f"context must be a Context or an object, got {type(value).__name__}", code="bad_context")
