"""Policy files: a typo, a bad value or contradicting rules is a clear error naming the line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from childsafe.policy import InvalidPolicy, Person, Policy, PolicyEngine, default_policy_text

HEADER = "version: 1\nname: test\n"


def policy(body: str) -> Policy:
    return Policy.from_yaml(HEADER + textwrap.dedent(body), source="p.yaml")


def rule(**fields) -> str:
    base = {"id": "r", "actions": "[start_dm]", "effect": "deny", "reason": "x", "explanation": "because"}
    base.update(fields)
    return "  - {" + ", ".join(f"{k}: {v}" for k, v in base.items()) + "}\n"


def test_shipped_default_policy_is_valid_and_documented_rule_by_rule():
    p = Policy.default()
    assert p.name == "childsafe-default"
    assert [b.name for b in p.bands.bands] == ["under_13", "13-15", "16-17", "18+"]
    docs = (Path(__file__).resolve().parents[2] / "docs" / "policy.md").read_text(encoding="utf-8")
    for r in p.rules:
        assert f"`{r.id}`" in docs, f"rule {r.id} is not documented in docs/policy.md"
        assert r.spec.measures, f"rule {r.id} names no measure"
        for measure in r.spec.measures:
            assert f"`{measure}`" in docs, f"measure {measure} is not explained in docs/policy.md"


def test_typo_in_a_key_is_an_error_naming_key_and_line():
    with pytest.raises(InvalidPolicy) as exc:
        policy("rules:\n" + rule(when="{conected: false}"))
    assert "p.yaml:4" in str(exc.value) and "unknown key 'conected'" in str(exc.value)


def test_typo_in_a_top_level_key_is_an_error():
    with pytest.raises(InvalidPolicy, match=r"p.yaml:3: top level: unknown key 'rulez'"):
        policy("rulez: []\n")


def test_missing_key_is_named():
    with pytest.raises(InvalidPolicy, match="missing required key 'reason'"):
        policy("rules:\n  - {id: a, actions: [start_dm], effect: deny, explanation: e}\n")


def test_unknown_action_and_band_are_named():
    with pytest.raises(InvalidPolicy, match="unknown action.*'dance'"):
        policy("rules:\n" + rule(actions="[dance]"))
    with pytest.raises(InvalidPolicy, match="unknown band 'teens'"):
        policy("rules:\n" + rule(when="{target: {bands: [teens]}}"))


def test_contradicting_rules_are_refused_with_an_example():
    text = "rules:\n" + rule(id="a", priority=5, when="{target: {treated_as: child}}") \
        + rule(id="b", effect="allow", priority=5, when="{connected: true}")
    with pytest.raises(InvalidPolicy) as exc:
        policy(text)
    msg = str(exc.value)
    assert "rule 'b' contradicts rule 'a'" in msg and "priority 5" in msg and "start_dm" in msg


def test_same_rules_at_different_priorities_are_not_a_contradiction():
    p = policy("rules:\n" + rule(id="a", priority=5, when="{target: {treated_as: child}}")
               + rule(id="b", effect="allow", priority=6, when="{connected: true}"))
    engine = PolicyEngine(p)
    assert engine.check("start_dm", Person(), Person(age=10), {"connected": True}).rule == "b"
    assert engine.check("start_dm", Person(), Person(age=10)).rule == "a"


def test_rules_that_cannot_both_apply_are_not_a_contradiction():
    policy("rules:\n" + rule(id="a", when="{connected: false}") + rule(id="b", effect="allow", when="{connected: true}"))


def test_duplicate_keys_and_ids_are_refused():
    with pytest.raises(InvalidPolicy, match="key 'name' appears twice"):
        Policy.from_yaml(HEADER + "name: again\n", source="p.yaml")
    with pytest.raises(InvalidPolicy, match="duplicate rule id 'a'"):
        policy("rules:\n" + rule(id="a") + rule(id="a", actions="[send_message]"))


@pytest.mark.parametrize("text,match", [
    ("version: 1\nname: [t\n", "not valid YAML"),
    ("- just\n- a list\n", "must be a mapping"),
    ("version: 2\nname: t\n", "version"),
    (HEADER + "bands: elves\n", "unknown preset 'elves'"),
    (HEADER + "bands: [{name: kid, min_age: 0}, {name: grown, min_age: 21}]\n", "adult_age 18 must be where a band starts"),
    (HEADER + "bands: [{name: kid, min_age: 3}, {name: grown, min_age: 18}]\n", "must start at age 0"),
    (HEADER + "assurance: {self_declared: {assured: true}}\n", "self_declared can never count as assured"),
    (HEADER + "assurance: {passport: {assured: true}}\n", "unknown assurance method"),
    (HEADER + "rules:\n" + rule(modifiers="[blur]"), "'modifiers' only make sense on an allow rule"),
    (HEADER + "rules:\n" + rule(when="{actor: {under: 14}}"), "14 is not where a band starts"),
    (HEADER + "rules:\n" + rule(when="{band_gap: {}}"), "give max or min"),
])
def test_invalid_policy_files_are_refused(text, match):
    with pytest.raises(InvalidPolicy, match=match):
        Policy.from_yaml(text, source="p.yaml")


def test_aliases_that_could_expand_without_bound_are_refused():
    bomb = HEADER + "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    with pytest.raises(InvalidPolicy, match="anchors and aliases"):
        Policy.from_yaml(bomb, source="p.yaml")
    with pytest.raises(InvalidPolicy, match="over 1,000,000 characters"):
        Policy.from_yaml(HEADER + "#" * 1_000_001, source="p.yaml")


def test_invalid_file_is_never_loaded_half_way(tmp_path):
    engine = PolicyEngine()
    before = engine.check("start_dm", Person(age=40, assurance="id_document"), Person(age=12))
    bad = tmp_path / "bad.yaml"
    bad.write_text(default_policy_text().replace("effect: deny\n    priority: 100\n    when: {target: {treated_as: child}, connected: false}",
                                                 "effect: deny\n    priority: 100\n    when: {target: {treated_as: child}, conected: false}"))
    with pytest.raises(InvalidPolicy, match="conected"):
        engine.reload(bad)
    assert engine.policy.name == "childsafe-default"
    assert engine.check("start_dm", Person(age=40, assurance="id_document"), Person(age=12)) == before


def test_reload_switches_to_a_valid_policy(tmp_path):
    engine = PolicyEngine()
    path = tmp_path / "strict.yaml"
    path.write_text(HEADER + "default_effect: deny\n")
    engine.reload(path)
    d = engine.check("start_dm", Person(age=40, assurance="id_document"), Person(age=40, assurance="id_document"))
    assert (d.allowed, d.rule, d.reason) == (False, "default", "denied_by_default")


def test_missing_policy_file_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidPolicy, match="not found"):
        PolicyEngine(tmp_path / "nope.yaml")


def test_roblox_like_bands_can_be_chosen():
    p = Policy.from_yaml(default_policy_text().replace("bands: default ", "bands: roblox "))
    engine = PolicyEngine(p)
    assert engine.band_of(Person(age=8)) == "under_9"
    assert engine.band_of(Person(age=19)) == "18-20"
    nine = Person(age=9, assurance="facial_estimation")
    twelve = Person(age=12, assurance="facial_estimation")
    fourteen = Person(age=14, assurance="facial_estimation")
    sixteen = Person(age=16, assurance="facial_estimation")
    assert engine.check("match_random", nine, twelve).allowed
    assert engine.check("match_random", twelve, fourteen).allowed
    assert not engine.check("match_random", twelve, sixteen).allowed
    # 8 and 13 are neighbouring bands by default (under_13, 13-15) but two apart in the finer set
    eight = Person(age=8, assurance="facial_estimation")
    thirteen = Person(age=13, assurance="facial_estimation")
    assert PolicyEngine().check("match_random", eight, thirteen).allowed
    assert not engine.check("match_random", eight, thirteen).allowed


def test_custom_bands_and_parental_confirmation_can_be_trusted_by_policy():
    p = policy("""\
        bands: [{name: child, min_age: 0}, {name: teen, min_age: 13}, {name: adult, min_age: 18}]
        assurance: {parental_confirmation: {assured: true}}
        rules:
          - {id: m, actions: [match_random], effect: deny, when: {actor: {assured: false}}, reason: r, explanation: e}
        """)
    engine = PolicyEngine(p)
    confirmed = Person(age=10, assurance="parental_confirmation")
    assert engine.standing(confirmed)["assured"] is True
    assert engine.check("match_random", confirmed, confirmed).allowed
    assert not PolicyEngine().check("match_random", confirmed, confirmed).allowed


def test_compile_all_fills_every_cell():
    engine = PolicyEngine()
    n_states = len(engine.policy.states)
    assert engine.compile_all() == 13 * (n_states - 1) * n_states * 16
