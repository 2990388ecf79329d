"""A slow, direct reading of a policy file, used to cross-check the compiled engine.

It walks the validated pydantic rule models for every check, with no state reduction and no
table, so the tests can assert that :class:`PolicyEngine` decides exactly what the policy file
says, and the benchmark has an honest naive peer to compare against.
"""

from __future__ import annotations

from datetime import datetime, timezone

from childsafe.policy.bands import UNKNOWN_BAND
from childsafe.policy.people import ACTIONS, ACTIONS_WITHOUT_TARGET, Context, Person, PolicyDecision
from childsafe.policy.policyfile import Audience, Policy, RuleSpec
from childsafe.errors import InvalidInput


class ReferenceEvaluator:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    def _band(self, p: Person) -> int | None:
        scheme = self.policy.bands
        if p.age is not None:
            return scheme.band_index(p.age)
        if p.age_low is not None or p.age_high is not None:
            return scheme.index_for_range(p.age_low, p.age_high)
        if p.band is not None and p.band != UNKNOWN_BAND:
            return scheme.index_of(p.band)
        return None

    def _assured(self, p: Person, now: datetime) -> bool:
        if p.assurance not in self.policy.assured_methods:
            return False
        return p.expires_at is None or p.expires_at > now

    def _audience(self, aud: Audience, p: Person | None, now: datetime) -> bool:
        if p is None:
            return False
        scheme = self.policy.bands
        band = self._band(p)
        assured = self._assured(p, now)
        verified_adult = assured and band is not None and band >= scheme.first_adult_index
        band_min = scheme.bands[band].min_age if band is not None else None
        if aud.treated_as == "child" and verified_adult:
            return False
        if aud.treated_as == "adult" and not verified_adult:
            return False
        if aud.bands is not None:
            name = UNKNOWN_BAND if band is None else scheme.names[band]
            if name not in aud.bands:
                return False
        if aud.assured is not None and assured != aud.assured:
            return False
        if aud.under is not None and assured and band_min is not None and band_min >= aud.under:
            return False
        if aud.at_least is not None and not (assured and band_min is not None and band_min >= aud.at_least):
            return False
        return True

    def _rule_applies(self, rule: RuleSpec, actor: Person, target: Person | None, ctx: Context, now: datetime) -> bool:
        w = rule.when
        if w.actor is not None and not self._audience(w.actor, actor, now):
            return False
        if w.target is not None and not self._audience(w.target, target, now):
            return False
        if w.has_target is not None and (target is not None) != w.has_target:
            return False
        if w.connected is not None and ctx.connected != w.connected:
            return False
        if w.parent_permission is not None and ctx.parent_permission != w.parent_permission:
            return False
        if w.actor_flagged is not None and ctx.actor_flagged != w.actor_flagged:
            return False
        if w.actor_blocked_by_children is not None and \
                (ctx.actor_child_blocks >= self.policy.spec.suspicious_after_child_blocks) != w.actor_blocked_by_children:
            return False
        if w.band_gap is not None:
            if target is None:
                return False
            a, t = self._band(actor), self._band(target)
            if a is None or t is None:
                return False
            gap = abs(a - t)
            if w.band_gap.min is not None and gap < w.band_gap.min:
                return False
            if w.band_gap.max is not None and gap > w.band_gap.max:
                return False
        return True

    def check(self, action: str, actor: Person, target: Person | None = None, context: Context | None = None,
              *, now: datetime | None = None) -> PolicyDecision:
        if action not in ACTIONS:
            raise InvalidInput(f"unknown action {action!r}", code="unknown_action")
        if target is None and action not in ACTIONS_WITHOUT_TARGET:
            raise InvalidInput(f"action {action!r} needs a target", code="bad_person")
        now = now or datetime.now(timezone.utc)
        ctx = context or Context()
        candidates = [r for r in self.policy.spec.rules if action in r.actions]
        order = {id(r): i for i, r in enumerate(self.policy.spec.rules)}
        candidates.sort(key=lambda r: (-r.priority, order[id(r)]))
        for rule in candidates:
            if self._rule_applies(rule, actor, target, ctx, now):
                return PolicyDecision(rule.effect == "allow", rule.id, rule.reason, rule.explanation.strip(),
                                      tuple(rule.requires), tuple(rule.modifiers), tuple(rule.measures))
        allowed = self.policy.spec.default_effect == "allow"
        return PolicyDecision(allowed, "default", "no_rule_applies" if allowed else "denied_by_default",
                              "No rule restricts this action." if allowed else "This policy denies anything no rule allows.")
