"""Invariants no combination of ages, assurance methods and context may break (hypothesis).

People are generated from a *true* age plus what the platform knows: an assured method reports
the truth (exact age, a range around it, a threshold, or the band); self-declaration and parental
confirmation may report anything at all, because people lie about their age.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.policy import ACTIONS, Context, Person, Policy, PolicyEngine, default_policy_text
from childsafe.policy.people import ACTIONS_WITHOUT_TARGET
from childsafe.policy.reference import ReferenceEvaluator

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
ASSURED_METHODS = ["facial_estimation", "id_document", "credit_card", "open_banking", "mobile_operator", "digital_id"]
UNASSURED_METHODS = ["self_declared", "parental_confirmation"]

DEFAULT = PolicyEngine()
ROBLOX_POLICY = Policy.from_yaml(default_policy_text().replace("bands: default ", "bands: roblox "), source="roblox")
ROBLOX = PolicyEngine(ROBLOX_POLICY)
ENGINES = st.sampled_from([DEFAULT, ROBLOX])
TARGET_ACTIONS = [a for a in ACTIONS if a not in ACTIONS_WITHOUT_TARGET]


@st.composite
def person_with_true_age(draw, true_age=st.integers(0, 100)):
    """(true age, Person as the platform knows them)."""
    age = draw(true_age)
    kind = draw(st.sampled_from(["assured", "assured", "assured", "unassured", "unknown", "expired"]))
    if kind == "unknown":
        return age, Person(assurance=draw(st.sampled_from([None, *ASSURED_METHODS, *UNASSURED_METHODS])))
    if kind == "unassured":
        claimed = draw(st.integers(0, 130))
        return age, Person(age=claimed, assurance=draw(st.sampled_from([None, *UNASSURED_METHODS])))
    method = draw(st.sampled_from(ASSURED_METHODS))
    expires = NOW - timedelta(days=1) if kind == "expired" else draw(st.sampled_from([None, NOW + timedelta(days=30)]))
    shape = draw(st.sampled_from(["exact", "range", "over", "under"]))
    if shape == "exact":
        return age, Person(age=age, assurance=method, expires_at=expires)
    if shape == "range":
        low = draw(st.integers(0, age))
        high = draw(st.integers(age, 130))
        return age, Person(age_low=low, age_high=high, assurance=method, expires_at=expires)
    if shape == "over":
        return age, Person(age_low=draw(st.integers(0, age)), assurance=method, expires_at=expires)
    return age, Person(age_high=draw(st.integers(age, 130)), assurance=method, expires_at=expires)


# ages at band edges (default and Roblox-like bands) are where mistakes hide, so they are drawn often
EDGE_CHILD_AGES = [0, 8, 9, 12, 13, 15, 16, 17]
EDGE_ADULT_AGES = [18, 19, 20, 21]
child_ages = st.one_of(st.sampled_from(EDGE_CHILD_AGES), st.integers(0, 17))
adult_ages = st.one_of(st.sampled_from(EDGE_ADULT_AGES), st.integers(18, 100))
children = person_with_true_age(child_ages)
adults = person_with_true_age(adult_ages)
anyone = person_with_true_age(st.one_of(child_ages, adult_ages))
contexts = st.builds(Context, connected=st.booleans(), parent_permission=st.booleans(),
                     actor_flagged=st.booleans(), actor_child_blocks=st.integers(0, 6))
unconnected = st.builds(Context, connected=st.just(False), parent_permission=st.booleans(),
                        actor_flagged=st.booleans(), actor_child_blocks=st.integers(0, 6))


@settings(max_examples=400, deadline=None)
@given(ENGINES, anyone, children, unconnected, st.sampled_from(["start_dm", "send_message"]))
def test_no_one_outside_a_childs_connections_can_message_them(engine, actor, child, ctx, action):
    assert not engine.check(action, actor[1], child[1], ctx, now=NOW).allowed


@settings(max_examples=400, deadline=None)
@given(ENGINES, adults, children, unconnected)
def test_no_adult_of_any_assurance_starts_a_dm_with_an_unconnected_child(engine, adult, child, ctx):
    assert not engine.check("start_dm", adult[1], child[1], ctx, now=NOW).allowed


@settings(max_examples=500, deadline=None)
@given(ENGINES, children, adults, contexts, st.booleans())
def test_a_child_is_never_matched_at_random_with_an_adult(engine, child, adult, ctx, child_first):
    pair = (child[1], adult[1]) if child_first else (adult[1], child[1])
    assert not engine.check("match_random", *pair, ctx, now=NOW).allowed


@settings(max_examples=300, deadline=None)
@given(ENGINES, anyone, anyone, contexts)
def test_random_matches_are_only_between_assured_ages_in_neighbouring_bands(engine, a, b, ctx):
    if engine.check("match_random", a[1], b[1], ctx, now=NOW).allowed:
        sa, sb = engine.standing(a[1], now=NOW), engine.standing(b[1], now=NOW)
        assert sa["assured"] and sb["assured"]
        names = engine.bands.names
        assert abs(names.index(sa["band"]) - names.index(sb["band"])) <= 1


@settings(max_examples=200, deadline=None)
@given(ENGINES, st.sampled_from([None, *ASSURED_METHODS, *UNASSURED_METHODS]))
def test_unknown_age_is_never_treated_as_adult(engine, method):
    standing = engine.standing(Person(assurance=method), now=NOW)
    assert standing["treated_as"] == "child" and not standing["verified_adult"]


@settings(max_examples=400, deadline=None)
@given(ENGINES, st.sampled_from(TARGET_ACTIONS), anyone, st.integers(0, 17), contexts)
def test_an_unknown_age_target_is_protected_at_least_like_a_self_declared_child(engine, action, actor, child_age, ctx):
    unknown = engine.check(action, actor[1], Person(), ctx, now=NOW)
    declared_child = engine.check(action, actor[1], Person(age=child_age, assurance="self_declared"), ctx, now=NOW)
    if unknown.allowed:
        assert declared_child.allowed
        assert set(unknown.modifiers) >= set(declared_child.modifiers)


@settings(max_examples=400, deadline=None)
@given(ENGINES, st.sampled_from(ACTIONS), st.integers(0, 130), st.sampled_from(UNASSURED_METHODS), anyone, contexts)
def test_an_age_that_is_not_assured_grants_no_privilege(engine, action, claimed, method, other, ctx):
    target = None if action in ACTIONS_WITHOUT_TARGET else other[1]
    claimed_decision = engine.check(action, Person(age=claimed, assurance=method), target, ctx, now=NOW)
    unknown_decision = engine.check(action, Person(), target, ctx, now=NOW)
    assert claimed_decision.allowed == unknown_decision.allowed


@settings(max_examples=400, deadline=None)
@given(ENGINES, st.sampled_from(ACTIONS), anyone, anyone, contexts)
def test_an_expired_check_counts_for_no_more_than_no_check(engine, action, actor, target, ctx):
    t = None if action in ACTIONS_WITHOUT_TARGET else target[1]
    a = actor[1]
    if a.assurance is None or a.expires_at is None or a.expires_at > NOW:
        return
    stripped = Person(age=a.age, age_low=a.age_low, age_high=a.age_high)
    assert engine.check(action, a, t, ctx, now=NOW) == engine.check(action, stripped, t, ctx, now=NOW)


@settings(max_examples=400, deadline=None)
@given(ENGINES, st.sampled_from(ACTIONS), anyone, anyone, contexts)
def test_connection_and_parent_permission_never_take_anything_away(engine, action, actor, target, ctx):
    t = None if action in ACTIONS_WITHOUT_TARGET else target[1]
    base = engine.check(action, actor[1], t, ctx, now=NOW)
    for more in (Context(True, ctx.parent_permission, ctx.actor_flagged, ctx.actor_child_blocks),
                 Context(ctx.connected, True, ctx.actor_flagged, ctx.actor_child_blocks)):
        if base.allowed:
            assert engine.check(action, actor[1], t, more, now=NOW).allowed


@settings(max_examples=400, deadline=None)
@given(ENGINES, st.sampled_from(TARGET_ACTIONS), anyone, children, contexts)
def test_a_flagged_or_often_blocked_user_is_kept_away_from_children(engine, action, actor, child, ctx):
    flagged = Context(ctx.connected, ctx.parent_permission, True, ctx.actor_child_blocks)
    blocked = Context(ctx.connected, ctx.parent_permission, ctx.actor_flagged, 3)
    for c in (flagged, blocked):
        assert not engine.check(action, actor[1], child[1], c, now=NOW).allowed


@settings(max_examples=600, deadline=None)
@given(ENGINES, st.sampled_from(ACTIONS), anyone, anyone, contexts)
def test_compiled_engine_decides_exactly_what_the_policy_file_says(engine, action, actor, target, ctx):
    t = None if action in ACTIONS_WITHOUT_TARGET else target[1]
    reference = ReferenceEvaluator(engine.policy)
    assert engine.check(action, actor[1], t, ctx, now=NOW) == reference.check(action, actor[1], t, ctx, now=NOW)


EVERY_CONDITION_POLICY = Policy.from_yaml("""
version: 1
name: every-condition
bands: roblox
default_effect: deny
suspicious_after_child_blocks: 2
rules:
  - {id: unknown-band, actions: [start_dm, watch_live], effect: deny, priority: 50,
     when: {actor: {bands: [unknown, under_9]}}, reason: r1, explanation: e}
  - {id: adults-21, actions: [start_dm, gift_live, share_location], effect: allow, priority: 40,
     when: {actor: {at_least: 21}, target: {at_least: 18}}, reason: r2, explanation: e}
  - {id: public-location, actions: [share_location], effect: deny, priority: 30,
     when: {has_target: false}, reason: r3, explanation: e}
  - {id: far-apart, actions: [start_dm, match_random], effect: deny, priority: 30,
     when: {band_gap: {min: 2}}, reason: r4, explanation: e}
  - {id: near, actions: [start_dm, match_random], effect: allow, priority: 20,
     when: {band_gap: {min: 0, max: 1}, actor: {under: 13}}, reason: r5, explanation: e}
  - {id: blocked, actions: [watch_live, start_dm], effect: deny, priority: 60,
     when: {actor_blocked_by_children: true, parent_permission: false}, reason: r6, explanation: e}
  - {id: permitted, actions: [watch_live, start_live], effect: allow, priority: 10,
     when: {parent_permission: true, actor_flagged: false, target: {assured: false}}, reason: r7, explanation: e}
  - {id: self-live, actions: [start_live], effect: allow, priority: 5,
     when: {has_target: false, actor: {treated_as: adult}, connected: false}, reason: r8, explanation: e}
""", source="every-condition")


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(ACTIONS), anyone, anyone, contexts, st.booleans())
def test_every_kind_of_condition_compiles_to_what_the_file_says(action, actor, target, ctx, drop_target):
    engine = PolicyEngine(EVERY_CONDITION_POLICY)
    t = None if action in ACTIONS_WITHOUT_TARGET and drop_target else target[1]
    if t is None and action not in ACTIONS_WITHOUT_TARGET:
        return
    reference = ReferenceEvaluator(EVERY_CONDITION_POLICY)
    assert engine.check(action, actor[1], t, ctx, now=NOW) == reference.check(action, actor[1], t, ctx, now=NOW)


GRID_PEOPLE = [
    Person(), Person(age=7, assurance="facial_estimation"), Person(age=12, assurance="self_declared"),
    Person(age=14, assurance="id_document"), Person(age=17, assurance="digital_id"),
    Person(age_low=18, assurance="credit_card"), Person(age=22, assurance="open_banking"),
    Person(age=40, assurance="parental_confirmation"), Person(age_low=16, age_high=19, assurance="facial_estimation"),
]
GRID_CONTEXTS = [Context(c, p, f, b) for c in (False, True) for p in (False, True) for f in (False, True) for b in (0, 3)]


def test_engine_and_reference_agree_on_a_full_grid():
    for policy in (DEFAULT.policy, EVERY_CONDITION_POLICY):
        engine, reference = PolicyEngine(policy), ReferenceEvaluator(policy)
        fired = set()
        for action in ACTIONS:
            targets = GRID_PEOPLE + ([None] if action in ACTIONS_WITHOUT_TARGET else [])
            for actor in GRID_PEOPLE:
                for target in targets:
                    for ctx in GRID_CONTEXTS:
                        got = engine.check(action, actor, target, ctx, now=NOW)
                        assert got == reference.check(action, actor, target, ctx, now=NOW), (action, actor, target, ctx)
                        fired.add(got.rule)
        assert fired >= {r.id for r in policy.rules}, f"rules never exercised: {set(r.id for r in policy.rules) - fired}"
