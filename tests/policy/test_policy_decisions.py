"""What the shipped default policy decides, case by case (docs/policy.md explains each rule)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.errors import InvalidInput
from childsafe.policy import ACTIONS, Context, Person, PolicyEngine

ENGINE = PolicyEngine()

ADULT = Person(id="adult", age=34, assurance="id_document")
ADULT_SELF = Person(id="adult-self", age=34, assurance="self_declared")
TEEN = Person(id="teen", age=14, assurance="facial_estimation")
TEEN_SELF = Person(id="teen-self", age=14, assurance="self_declared")
OLDER_TEEN = Person(id="older-teen", age=17, assurance="id_document")
YOUNG_ADULT = Person(id="young-adult", age=18, assurance="digital_id")
CHILD = Person(id="child", age=10, assurance="parental_confirmation")
CHILD_ASSURED = Person(id="child-assured", age=11, assurance="facial_estimation")
UNKNOWN = Person(id="unknown")
NONE = None

CONNECTED = Context(connected=True)
PARENT_OK = Context(parent_permission=True)
FLAGGED = Context(actor_flagged=True, connected=True)
BLOCKED_BY_3 = Context(actor_child_blocks=3, connected=True)

# action, actor, target, context, allowed, rule, requires, modifiers
CASES = [
    # direct messages: only a child's connections
    ("start_dm", ADULT, TEEN, None, False, "dm-only-from-connections", ["connection"], []),
    ("start_dm", TEEN, TEEN_SELF, None, False, "dm-only-from-connections", ["connection"], []),
    ("start_dm", ADULT, TEEN, CONNECTED, True, "default", [], []),
    ("send_message", ADULT, CHILD, None, False, "dm-only-from-connections", ["connection"], []),
    ("start_dm", ADULT, ADULT, None, True, "default", [], []),
    ("start_dm", ADULT, ADULT_SELF, None, False, "dm-only-from-connections", ["connection"], []),
    ("start_dm", ADULT, UNKNOWN, None, False, "dm-only-from-connections", ["connection"], []),
    # media from non-connections arrives blurred
    ("send_media", ADULT, TEEN, None, True, "media-from-strangers-arrives-blurred", [], ["blur"]),
    ("send_media", TEEN, UNKNOWN, None, True, "media-from-strangers-arrives-blurred", [], ["blur"]),
    ("send_media", ADULT, TEEN, CONNECTED, True, "default", [], []),
    ("send_media", ADULT, ADULT, None, True, "default", [], []),
    # friend requests
    ("friend_request", ADULT, TEEN, None, False, "adult-friend-request-to-child-needs-parent", ["parent_permission"], []),
    ("friend_request", ADULT, TEEN, PARENT_OK, True, "default", [], []),
    ("friend_request", TEEN, TEEN_SELF, None, True, "default", [], []),
    # discovery
    ("appear_in_suggestions", ADULT, TEEN, None, False, "children-not-suggested", [], []),
    ("appear_in_suggestions", ADULT, TEEN, CONNECTED, False, "children-not-suggested", [], []),
    ("appear_in_suggestions", TEEN, ADULT, None, False, "no-suggestions-for-children", [], []),
    ("appear_in_suggestions", ADULT, ADULT, None, True, "default", [], []),
    ("appear_in_search", ADULT, TEEN, None, False, "children-not-searchable-by-strangers", [], []),
    ("appear_in_search", ADULT, TEEN, CONNECTED, True, "default", [], []),
    ("appear_in_search", TEEN, OLDER_TEEN, None, True, "child-findable-by-similar-age-children", [], []),
    ("appear_in_search", TEEN_SELF, OLDER_TEEN, None, False, "children-not-searchable-by-strangers", [], []),
    ("appear_in_search", CHILD_ASSURED, OLDER_TEEN, None, False, "children-not-searchable-by-strangers", [], []),
    # random matching
    ("match_random", TEEN, Person(age=15, assurance="open_banking"), None, True, "random-match-similar-age", [], []),
    ("match_random", TEEN, OLDER_TEEN, None, True, "random-match-similar-age", [], []),
    ("match_random", CHILD_ASSURED, OLDER_TEEN, None, False, "random-match-otherwise-denied", [], []),
    ("match_random", OLDER_TEEN, YOUNG_ADULT, None, False, "random-match-never-child-with-adult", [], []),
    ("match_random", YOUNG_ADULT, OLDER_TEEN, None, False, "random-match-never-adult-with-child", [], []),
    ("match_random", ADULT, YOUNG_ADULT, None, True, "random-match-similar-age", [], []),
    ("match_random", TEEN_SELF, TEEN, None, False, "random-match-needs-assured-age", ["age_check"], []),
    ("match_random", TEEN, TEEN_SELF, None, False, "random-match-partner-needs-assured-age", [], []),
    ("match_random", ADULT_SELF, ADULT, None, False, "random-match-needs-assured-age", ["age_check"], []),
    ("match_random", UNKNOWN, UNKNOWN, None, False, "random-match-needs-assured-age", ["age_check"], []),
    ("match_random", CHILD, CHILD_ASSURED, None, False, "random-match-needs-assured-age", ["age_check"], []),
    # live streams
    ("start_live", TEEN, NONE, None, False, "under-16-live-needs-parent", ["parent_permission", "age_check"], []),
    ("start_live", TEEN, NONE, PARENT_OK, True, "default", [], []),
    ("start_live", OLDER_TEEN, NONE, None, True, "default", [], []),
    ("start_live", Person(age=17, assurance="self_declared"), NONE, None, False, "under-16-live-needs-parent",
     ["parent_permission", "age_check"], []),
    ("start_live", UNKNOWN, NONE, None, False, "under-16-live-needs-parent", ["parent_permission", "age_check"], []),
    ("start_live", ADULT, NONE, None, True, "default", [], []),
    ("watch_live", ADULT, TEEN, None, True, "default", [], []),
    ("comment_live", ADULT, TEEN, None, False, "child-live-interaction-only-from-connections", ["connection"], []),
    ("gift_live", TEEN, TEEN, None, False, "child-live-interaction-only-from-connections", ["connection"], []),
    ("record_live", ADULT, UNKNOWN, None, False, "child-live-interaction-only-from-connections", ["connection"], []),
    ("comment_live", ADULT, TEEN, CONNECTED, True, "default", [], []),
    ("gift_live", ADULT, ADULT, None, True, "default", [], []),
    # location
    ("share_location", TEEN, NONE, None, False, "child-location-off-by-default", ["parent_permission"], []),
    ("share_location", TEEN, NONE, PARENT_OK, False, "child-location-never-public", [], []),
    ("share_location", TEEN, ADULT, Context(connected=True, parent_permission=True), True, "default", [], []),
    ("share_location", UNKNOWN, NONE, None, False, "child-location-off-by-default", ["parent_permission"], []),
    ("share_location", ADULT, NONE, None, True, "default", [], []),
    # people flagged, or blocked by several children, are kept away from children even when connected
    ("start_dm", ADULT, TEEN, FLAGGED, False, "flagged-user-kept-from-children", [], []),
    ("watch_live", ADULT, TEEN, FLAGGED, False, "flagged-user-kept-from-children", [], []),
    ("send_media", TEEN, CHILD, BLOCKED_BY_3, False, "blocked-by-children-kept-from-children", [], []),
    ("start_dm", ADULT, TEEN, Context(actor_child_blocks=2, connected=True), True, "default", [], []),
    ("start_dm", ADULT, ADULT, FLAGGED, True, "default", [], []),
]


@pytest.mark.parametrize(
    "action,actor,target,context,allowed,rule,requires,modifiers", CASES,
    ids=[f"{c[0]}-{c[1].id if c[1] else 'none'}-{c[2].id if c[2] else 'none'}-{i}" for i, c in enumerate(CASES)],
)
def test_default_policy_decides(action, actor, target, context, allowed, rule, requires, modifiers):
    decision = ENGINE.check(action, actor, target, context)
    assert (decision.allowed, decision.rule) == (allowed, rule), decision
    assert list(decision.requires) == requires
    assert list(decision.modifiers) == modifiers
    assert decision.reason and decision.explanation


def test_every_action_is_answered_with_a_complete_decision():
    for action in ACTIONS:
        d = ENGINE.check(action, ADULT, TEEN)
        out = d.to_dict()
        assert set(out) >= {"allowed", "rule", "reason", "explanation", "requires"}
        assert isinstance(out["requires"], list)


def test_expired_check_is_not_trusted():
    past = datetime.now(timezone.utc) - timedelta(days=1)
    expired = Person(age=15, assurance="facial_estimation", expires_at=past)
    fresh = Person(age=15, assurance="facial_estimation", expires_at=past + timedelta(days=30))
    assert ENGINE.check("match_random", fresh, TEEN).allowed
    d = ENGINE.check("match_random", expired, TEEN)
    assert not d.allowed and d.rule == "random-match-needs-assured-age"
    assert ENGINE.standing(expired)["assured"] is False


def test_age_range_from_estimate_straddling_adult_age_keeps_child_protections():
    # an estimate of 17..21 does not establish an adult: start_dm to them stays connection-only
    straddling = Person(age_low=17, age_high=21, assurance="facial_estimation")
    assert ENGINE.standing(straddling)["treated_as"] == "child"
    assert not ENGINE.check("start_dm", ADULT, straddling).allowed
    assert not ENGINE.check("match_random", straddling, ADULT).allowed
    over_18 = Person(age_low=18, assurance="credit_card")
    assert ENGINE.standing(over_18) | {} == {"band": "18+", "assured": True, "expired": False,
                                              "treated_as": "adult", "verified_adult": True}


@pytest.mark.parametrize("bad", [
    lambda: ENGINE.check("teleport", ADULT, TEEN),
    lambda: ENGINE.check("start_dm", ADULT, None),
    lambda: ENGINE.check("start_dm", None, TEEN),
    lambda: Person(age=-1),
    lambda: Person(age=131),
    lambda: Person(age=12.5),
    lambda: Person(age=True),
    lambda: Person(age=12, assurance="passport"),
    lambda: ENGINE.check("start_dm", Person(age=30, band="13-15"), TEEN),
    lambda: ENGINE.check("start_dm", Person(band="teens"), TEEN),
    lambda: ENGINE.check("start_dm", {"age": 30, "assurence": "id_document"}, TEEN),
    lambda: ENGINE.check("start_dm", ADULT, TEEN, {"conected": True}),
    lambda: Context(actor_child_blocks=-1),
])
def test_bad_input_is_a_clear_error(bad):
    with pytest.raises(InvalidInput):
        bad()


def test_plain_dicts_are_accepted_for_people_and_context():
    d = ENGINE.check("start_dm", {"age": 30, "assurance": "id_document"}, {"age": 14}, {"connected": False})
    assert d.rule == "dm-only-from-connections"


def test_context_flags_from_json_mark_the_actor_flagged():
    ctx = Context.from_dict({"connected": True, "flags": ["actor_flagged"]})
    assert ENGINE.check("start_dm", ADULT, TEEN, ctx).rule == "flagged-user-kept-from-children"
    assert Context.from_dict({"flags": None}).to_dict()["flags"] == []
    for bad in ({"flags": "actor_flagged"}, {"actor_child_blocks": 2.5}, {"connected": "yes"}):
        with pytest.raises(InvalidInput):
            Context.from_dict(bad)


_person_dicts = st.fixed_dictionaries({}, optional={
    "id": st.text(max_size=5),
    "age": st.one_of(st.none(), st.integers(-3, 140), st.floats(0, 40), st.booleans(), st.text(max_size=2)),
    "band": st.one_of(st.none(), st.sampled_from(["under_13", "13-15", "16-17", "18+", "unknown", "teen"])),
    "assurance": st.one_of(st.none(), st.sampled_from(["self_declared", "id_document", "passport", "credit_card"])),
    "age_low": st.one_of(st.none(), st.integers(-1, 131)),
    "age_high": st.one_of(st.none(), st.integers(-1, 131)),
    "nickname": st.just("x"),
})


def _outcome(fn):
    """The decision, or "refused" (which of several problems is reported first may differ)."""
    try:
        return fn()
    except InvalidInput:
        return "refused"


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["start_dm", "match_random", "send_media"]), _person_dicts, _person_dicts)
def test_people_as_plain_dicts_are_decided_and_refused_exactly_like_person_objects(action, actor, target):
    as_dicts = _outcome(lambda: ENGINE.check(action, actor, target))
    as_people = _outcome(lambda: ENGINE.check(action, Person.from_dict(actor), Person.from_dict(target)))
    assert as_dicts == as_people
    assert as_dicts == _outcome(lambda: ENGINE.check(action, actor, target))  # and again, from the cache
