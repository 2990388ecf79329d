"""The policy file: YAML a platform can read, change and prove, validated before anything is used.

A policy file is read whole, validated with pydantic (unknown keys are errors that name the key
and the line), its band names and actions are checked, and contradicting rules are found by
trying every combination they could both decide. Only then is a :class:`Policy` returned, so an
invalid file is never used half-way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from childsafe.errors import InvalidInput
from childsafe.policy.assurance import DEFAULT_VALID_DAYS, LEVEL_OF_METHOD, METHODS, AssuranceLevel
from childsafe.policy.bands import BAND_PRESETS, MAX_AGE, UNKNOWN_BAND, BandScheme
from childsafe.policy.people import ACTIONS

DEFAULT_POLICY_RESOURCE = "default_policy.yaml"
MAX_POLICY_CHARS = 1_000_000
SLUG = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
Slug = Annotated[str, Field(pattern=SLUG.pattern, min_length=1, max_length=80)]


class InvalidPolicy(InvalidInput):
    """A policy file that cannot be used: syntax, unknown key, bad value or contradicting rules."""

    code = "invalid_policy"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BandSpec(_Strict):
    name: Slug
    min_age: int = Field(ge=0, le=MAX_AGE)


class MethodSettings(_Strict):
    assured: bool | None = None
    valid_days: int | None = Field(default=None, ge=1)


class Audience(_Strict):
    """Who a rule is about, as the policy can know them. All given fields must hold.

    ``treated_as``: ``child`` is anyone not assured to be an adult (unknown and self-declared
    ages included); ``adult`` is only an assured adult. ``under``/``at_least`` work the same way
    for another age boundary (which must be where a band starts).
    """

    treated_as: Literal["child", "adult"] | None = None
    bands: list[str] | None = Field(default=None, min_length=1)
    assured: bool | None = None
    under: int | None = Field(default=None, ge=1, le=MAX_AGE)
    at_least: int | None = Field(default=None, ge=1, le=MAX_AGE)


class BandGap(_Strict):
    """How many bands apart actor and target are; never holds when either band is unknown."""

    max: int | None = Field(default=None, ge=0)
    min: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_bound(self) -> "BandGap":
        if self.max is None and self.min is None:
            raise ValueError("give max or min")
        if self.max is not None and self.min is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class When(_Strict):
    actor: Audience | None = None
    target: Audience | None = None
    has_target: bool | None = None
    connected: bool | None = None
    parent_permission: bool | None = None
    actor_flagged: bool | None = None
    actor_blocked_by_children: bool | None = None
    band_gap: BandGap | None = None


class RuleSpec(_Strict):
    id: Slug
    actions: list[str] = Field(min_length=1)
    effect: Literal["allow", "deny"]
    priority: int = Field(default=0, ge=-1000, le=1000)
    when: When = When()
    reason: Slug
    explanation: str = Field(min_length=1)
    requires: list[Slug] = Field(default_factory=list)
    modifiers: list[Slug] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)

    @field_validator("actions")
    @classmethod
    def _known_actions(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a not in ACTIONS]
        if unknown:
            raise ValueError(f"unknown action(s) {', '.join(map(repr, unknown))} (valid: {', '.join(ACTIONS)})")
        if len(set(value)) != len(value):
            raise ValueError("an action is listed twice")
        return value

    @model_validator(mode="after")
    def _effect_fields(self) -> "RuleSpec":
        if self.effect == "allow" and self.requires:
            raise ValueError("'requires' only makes sense on a deny rule (what would allow it)")
        if self.effect == "deny" and self.modifiers:
            raise ValueError("'modifiers' only make sense on an allow rule (how the action is changed)")
        return self


class PolicySpec(_Strict):
    version: Literal[1]
    name: Slug
    description: str = ""
    bands: str | list[BandSpec] = "default"
    adult_age: int = Field(default=18, ge=1, le=MAX_AGE)
    default_effect: Literal["allow", "deny"] = "allow"
    suspicious_after_child_blocks: int = Field(default=3, ge=1)
    assurance: dict[str, MethodSettings] = Field(default_factory=dict)
    rules: list[RuleSpec] = Field(default_factory=list)

    @field_validator("assurance")
    @classmethod
    def _known_methods(cls, value: dict[str, MethodSettings]) -> dict[str, MethodSettings]:
        unknown = [m for m in value if m not in LEVEL_OF_METHOD]
        if unknown:
            raise ValueError(f"unknown assurance method(s) {', '.join(map(repr, unknown))} (valid: {', '.join(METHODS)})")
        if value.get("self_declared") and value["self_declared"].assured:
            raise ValueError("self_declared can never count as assured")
        return value


# ----------------------------------------------------------------------------------------------
# The state space the compiled policy works over. A person is reduced to (band index or unknown,
# assured or not); a target may also be absent. Everything a rule can say about a person is a set
# of these states, so matching is a set lookup and contradictions can be found exhaustively.
# ----------------------------------------------------------------------------------------------

CTX_CONNECTED = 1
CTX_PARENT_PERMISSION = 2
CTX_ACTOR_FLAGGED = 4
CTX_ACTOR_BLOCKED = 8
CTX_COMBINATIONS = 16


@dataclass(frozen=True, slots=True)
class PersonState:
    band: int | None  # index into the band scheme, None: unknown
    assured: bool
    present: bool = True


def state_id(band: int | None, assured: bool) -> int:
    return ((0 if band is None else band + 1) << 1) | (1 if assured else 0)


def all_states(scheme: BandScheme) -> list[PersonState]:
    """Index = state id; the last entry is the absent target."""
    states = [PersonState(None, False), PersonState(None, True)]
    for i in range(len(scheme)):
        states.append(PersonState(i, False))
        states.append(PersonState(i, True))
    states.append(PersonState(None, False, present=False))
    return states


@dataclass(frozen=True, slots=True)
class CompiledRule:
    spec: RuleSpec
    order: int
    actions: frozenset[str]
    actor_states: frozenset[int] | None
    target_states: frozenset[int] | None
    contexts: frozenset[int]
    gap_min: int | None
    gap_max: int | None
    line: int | None

    @property
    def id(self) -> str:
        return self.spec.id

    def matches(self, a: int, t: int, ctx: int, states: list[PersonState]) -> bool:
        if self.actor_states is not None and a not in self.actor_states:
            return False
        if self.target_states is not None and t not in self.target_states:
            return False
        if ctx not in self.contexts:
            return False
        if self.gap_min is not None or self.gap_max is not None:
            ab, tb = states[a].band, states[t].band
            if ab is None or tb is None or not states[t].present:
                return False
            gap = abs(ab - tb)
            if self.gap_min is not None and gap < self.gap_min:
                return False
            if self.gap_max is not None and gap > self.gap_max:
                return False
        return True


class Policy:
    """A validated, compiled policy file: bands, assurance settings and rules ready to evaluate."""

    def __init__(self, spec: PolicySpec, *, source: str = "<policy>", lines: dict[int, int] | None = None) -> None:
        self.spec = spec
        self.source = source
        if isinstance(spec.bands, str):
            if spec.bands not in BAND_PRESETS:
                raise InvalidPolicy(
                    f"{source}: bands: unknown preset {spec.bands!r} (have: {', '.join(BAND_PRESETS)})"
                )
            pairs = BAND_PRESETS[spec.bands]
            preset: str | None = spec.bands
        else:
            pairs = tuple((b.name, b.min_age) for b in spec.bands)
            preset = None
        try:
            self.bands = BandScheme(pairs, adult_age=spec.adult_age, preset=preset)
        except InvalidInput as exc:
            raise InvalidPolicy(f"{source}: {exc.message}") from None
        self.states = all_states(self.bands)
        self.absent_state = len(self.states) - 1
        self.assured_methods = frozenset(
            m for m, lvl in LEVEL_OF_METHOD.items()
            if (spec.assurance[m].assured if m in spec.assurance and spec.assurance[m].assured is not None
                else lvl is AssuranceLevel.HIGHLY_EFFECTIVE)
        )
        self.valid_days = {
            m: (spec.assurance[m].valid_days if m in spec.assurance and spec.assurance[m].valid_days is not None
                else DEFAULT_VALID_DAYS[m])
            for m in METHODS
        }
        lines = lines or {}
        ids = [r.id for r in spec.rules]
        for i, rid in enumerate(ids):
            if rid in ids[:i]:
                raise InvalidPolicy(f"{source}:{lines.get(i, '?')}: rules[{i}]: duplicate rule id {rid!r}")
        self.rules: tuple[CompiledRule, ...] = tuple(
            self._compile_rule(i, r, lines.get(i)) for i, r in enumerate(spec.rules)
        )
        self.rules_by_action: dict[str, tuple[CompiledRule, ...]] = {
            action: tuple(sorted((r for r in self.rules if action in r.actions), key=lambda r: (-r.spec.priority, r.order)))
            for action in ACTIONS
        }
        self._find_contradictions()

    # -- compiling ------------------------------------------------------------------------------

    def _where(self, index: int, line: int | None) -> str:
        return f"{self.source}:{line if line is not None else '?'}: rules[{index}] ({self.spec.rules[index].id})"

    def _audience_states(self, aud: Audience | None, where: str, side: str) -> frozenset[int] | None:
        if aud is None:
            return None
        scheme = self.bands
        for boundary_name in ("under", "at_least"):
            boundary = getattr(aud, boundary_name)
            if boundary is not None and boundary not in [b.min_age for b in scheme.bands]:
                raise InvalidPolicy(
                    f"{where}: when.{side}.{boundary_name}: {boundary} is not where a band starts "
                    f"(band starts: {[b.min_age for b in scheme.bands]})"
                )
        band_set: set[int | None] | None = None
        if aud.bands is not None:
            band_set = set()
            for name in aud.bands:
                if name == UNKNOWN_BAND:
                    band_set.add(None)
                elif name in scheme.names:
                    band_set.add(scheme.index_of(name))
                else:
                    raise InvalidPolicy(
                        f"{where}: when.{side}.bands: unknown band {name!r} (bands: {', '.join(scheme.names)}, {UNKNOWN_BAND})"
                    )
        result = set()
        for sid, st in enumerate(self.states):
            if not st.present:
                continue
            known_min = scheme.bands[st.band].min_age if st.band is not None else None
            verified_adult = st.assured and st.band is not None and scheme.is_adult_index(st.band)
            if aud.treated_as == "child" and verified_adult:
                continue
            if aud.treated_as == "adult" and not verified_adult:
                continue
            if band_set is not None and st.band not in band_set:
                continue
            if aud.assured is not None and st.assured != aud.assured:
                continue
            if aud.under is not None and st.assured and known_min is not None and known_min >= aud.under:
                continue
            if aud.at_least is not None and not (st.assured and known_min is not None and known_min >= aud.at_least):
                continue
            result.add(sid)
        return frozenset(result)

    def _compile_rule(self, index: int, spec: RuleSpec, line: int | None) -> CompiledRule:
        where = self._where(index, line)
        when = spec.when
        actor_states = self._audience_states(when.actor, where, "actor")
        target_states = self._audience_states(when.target, where, "target")
        if when.has_target is not None:
            present = frozenset(i for i, s in enumerate(self.states) if s.present == when.has_target)
            target_states = present if target_states is None else target_states & present
        contexts = frozenset(
            c for c in range(CTX_COMBINATIONS)
            if (when.connected is None or bool(c & CTX_CONNECTED) == when.connected)
            and (when.parent_permission is None or bool(c & CTX_PARENT_PERMISSION) == when.parent_permission)
            and (when.actor_flagged is None or bool(c & CTX_ACTOR_FLAGGED) == when.actor_flagged)
            and (when.actor_blocked_by_children is None or bool(c & CTX_ACTOR_BLOCKED) == when.actor_blocked_by_children)
        )
        gap = when.band_gap
        return CompiledRule(
            spec=spec, order=index, actions=frozenset(spec.actions), actor_states=actor_states,
            target_states=target_states, contexts=contexts,
            gap_min=gap.min if gap else None, gap_max=gap.max if gap else None, line=line,
        )

    def _find_contradictions(self) -> None:
        """Two rules at the same priority with opposite effects that can both decide one case."""
        n = len(self.states)
        for action, rules in self.rules_by_action.items():
            for i, r1 in enumerate(rules):
                for r2 in rules[i + 1:]:
                    if r2.spec.priority != r1.spec.priority:
                        break
                    if r1.spec.effect == r2.spec.effect:
                        continue
                    witness = self._witness(r1, r2, n)
                    if witness is not None:
                        a, t, c = witness
                        raise InvalidPolicy(
                            f"{self.source}:{r2.line or '?'}: rule {r2.id!r} contradicts rule {r1.id!r} "
                            f"(line {r1.line or '?'}): both have priority {r1.spec.priority} and opposite effects, "
                            f"and both apply to {action} with {self.describe_case(a, t, c)}; "
                            "give one a higher priority or narrow its 'when'"
                        )

    def _witness(self, r1: CompiledRule, r2: CompiledRule, n: int) -> tuple[int, int, int] | None:
        contexts = sorted(r1.contexts & r2.contexts)
        if not contexts:
            return None
        for a in range(n - 1):
            for t in range(n):
                for c in contexts:
                    if r1.matches(a, t, c, self.states) and r2.matches(a, t, c, self.states):
                        return a, t, c
        return None

    def describe_state(self, sid: int) -> str:
        st = self.states[sid]
        if not st.present:
            return "no target"
        band = UNKNOWN_BAND if st.band is None else self.bands.names[st.band]
        return f"{band} ({'assured' if st.assured else 'not assured'})"

    def describe_case(self, a: int, t: int, c: int) -> str:
        flags = [name for bit, name in ((CTX_CONNECTED, "connected"), (CTX_PARENT_PERMISSION, "parent_permission"),
                                         (CTX_ACTOR_FLAGGED, "actor_flagged"), (CTX_ACTOR_BLOCKED, "actor_blocked_by_children"))
                 if c & bit]
        return (f"actor {self.describe_state(a)}, target {self.describe_state(t)}, "
                f"context {{{', '.join(flags) if flags else 'none'}}}")

    # -- reading --------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.spec.name

    def to_dict(self) -> dict:
        return {
            "name": self.spec.name,
            "source": self.source,
            "description": self.spec.description,
            "bands": self.bands.describe(),
            "band_preset": self.bands.preset,
            "adult_age": self.bands.adult_age,
            "default_effect": self.spec.default_effect,
            "suspicious_after_child_blocks": self.spec.suspicious_after_child_blocks,
            "assured_methods": sorted(self.assured_methods),
            "valid_days": self.valid_days,
            "rules": [r.spec.model_dump(exclude_none=True) | {"line": r.line} for r in self.rules],
        }

    # -- loading --------------------------------------------------------------------------------

    @classmethod
    def from_yaml(cls, text: str, *, source: str = "<policy>") -> "Policy":
        if len(text) > MAX_POLICY_CHARS:
            raise InvalidPolicy(f"{source}: policy file is over {MAX_POLICY_CHARS:,} characters")
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            _reject_duplicate_keys(root, source)
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{source}:{mark.line + 1}" if mark is not None else source
            problem = getattr(exc, "problem", None) or str(exc)
            raise InvalidPolicy(f"{where}: not valid YAML: {problem}") from None
        if not isinstance(data, dict):
            raise InvalidPolicy(f"{source}: a policy file must be a mapping with version, name and rules")
        try:
            spec = PolicySpec.model_validate(data)
        except ValidationError as exc:
            raise InvalidPolicy(_format_errors(exc, root, source, data)) from None
        rule_lines: dict[int, int] = {}
        rules_node = _child(root, "rules")
        if isinstance(rules_node, yaml.SequenceNode):
            for i, node in enumerate(rules_node.value):
                rule_lines[i] = node.start_mark.line + 1
        return cls(spec, source=source, lines=rule_lines)

    @classmethod
    def from_file(cls, path: str | Path) -> "Policy":
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InvalidPolicy(f"{p}: policy file not found") from None
        except IsADirectoryError:
            raise InvalidPolicy(f"{p}: is a directory, not a policy file") from None
        except UnicodeDecodeError:
            raise InvalidPolicy(f"{p}: not UTF-8 text") from None
        except OSError as exc:
            raise InvalidPolicy(f"{p}: cannot read: {exc.strerror}") from None
        return cls.from_yaml(text, source=str(p))

    @classmethod
    def default(cls) -> "Policy":
        global _DEFAULT
        if _DEFAULT is None:
            text = resources.files("childsafe.policy").joinpath(DEFAULT_POLICY_RESOURCE).read_text(encoding="utf-8")
            _DEFAULT = cls.from_yaml(text, source=f"childsafe/policy/{DEFAULT_POLICY_RESOURCE}")
        return _DEFAULT


_DEFAULT: Policy | None = None


def default_policy_text() -> str:
    return resources.files("childsafe.policy").joinpath(DEFAULT_POLICY_RESOURCE).read_text(encoding="utf-8")


def load_policy(source: "Policy | str | Path | None" = None) -> Policy:
    """A policy from a Policy, a path, or None (the shipped default)."""
    if source is None:
        return Policy.default()
    if isinstance(source, Policy):
        return source
    if isinstance(source, (str, Path)):
        return Policy.from_file(source)
    raise InvalidInput(f"policy must be a Policy or a file path, got {type(source).__name__}", code="invalid_policy")


# ---------------------------------------------------------------------------------------------
# YAML helpers: line numbers for errors, and duplicate keys (which PyYAML silently merges).
# ---------------------------------------------------------------------------------------------


def _child(node: Any, key: Any) -> Any:
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]
    return None


def _key_node(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for k, _v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k
    return None


def _line_for(root: Any, loc: tuple) -> int | None:
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for i, part in enumerate(loc):
        if i == len(loc) - 1 and isinstance(part, str):
            key = _key_node(node, part)
            if key is not None:
                return key.start_mark.line + 1
        nxt = _child(node, part)
        if nxt is None:
            break
        node, line = nxt, nxt.start_mark.line + 1
    return line


def _reject_duplicate_keys(node: Any, source: str, seen: set[int] | None = None) -> None:
    """Duplicate keys (PyYAML keeps the last silently) and aliases (``*name``: a policy never needs
    them, and nested aliases can make a small file expand without bound) are refused."""
    if seen is None:
        seen = set()
    if id(node) in seen:
        raise InvalidPolicy(f"{source}:{node.start_mark.line + 1}: anchors and aliases (&name, *name) "
                            "are not allowed in a policy file")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in keys:
                    raise InvalidPolicy(f"{source}:{k.start_mark.line + 1}: key {k.value!r} appears twice")
                keys.add(k.value)
            _reject_duplicate_keys(v, source, seen)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _reject_duplicate_keys(v, source, seen)


def _dotted(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))


_UNION_TAGS = ("str", "list[BandSpec]")


def _format_errors(exc: ValidationError, root: Any, source: str, data: Any = None) -> str:
    parts: list[str] = []
    errors = exc.errors(include_url=False)
    bands_value = data.get("bands") if isinstance(data, dict) else None
    bands_reported = False
    for err in errors:
        raw_loc = tuple(err["loc"])
        if raw_loc[:1] == ("bands",) and len(raw_loc) > 1 and raw_loc[1] in _UNION_TAGS:
            # ``bands`` is a preset name or a list: report the branch the file meant, not both
            if isinstance(bands_value, list) and raw_loc[1] == "list[BandSpec]":
                raw_loc = ("bands",) + raw_loc[2:]
            elif not bands_reported and not isinstance(bands_value, list):
                bands_reported = True
                line = _line_for(root, ("bands",))
                parts.append(f"{source}:{line if line is not None else '?'}: bands: must be a preset name "
                             f"({', '.join(BAND_PRESETS)}) or a list of {{name, min_age}}")
                continue
            else:
                continue
        loc = tuple(p for p in raw_loc if not (isinstance(p, str) and p.startswith("function-")))
        line = _line_for(root, loc)
        path = _dotted(loc)
        if err["type"] == "extra_forbidden":
            msg, path = f"unknown key {loc[-1]!r}", _dotted(loc[:-1]) or "top level"
        elif err["type"] == "missing":
            msg, path = f"missing required key {loc[-1]!r}", _dotted(loc[:-1]) or "top level"
        elif err["type"] == "string_pattern_mismatch":
            msg = f"{err.get('input')!r} must be lowercase letters, digits, '_', '-' or '.'"
        else:
            msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{source}:{line if line is not None else '?'}: {path}: {msg}")
    shown = parts[:5]
    if len(parts) > 5:
        shown.append(f"(and {len(parts) - 5} more problem(s))")
    return "; ".join(shown)
