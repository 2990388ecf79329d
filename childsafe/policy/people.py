"""The plain types a policy check takes and gives: who acts, on whom, in what context, and the decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from childsafe.errors import InvalidInput
from childsafe.policy.assurance import LEVEL_OF_METHOD, check_method, level_of
from childsafe.policy.bands import MAX_AGE, check_age

# What one user may do to or with another. The actor does it; the target is the other person
# (the recipient, the person who would be suggested or matched, the owner of the live stream).
ACTIONS: tuple[str, ...] = (
    "send_message",  # a message in an existing conversation
    "start_dm",  # open a new direct conversation
    "send_media",  # send an image or video
    "friend_request",  # ask to connect / follow
    "appear_in_suggestions",  # may the target be suggested to the actor ("people you may know")
    "appear_in_search",  # may the target be found by the actor in search
    "match_random",  # be paired at random (random chat, random video)
    "start_live",  # go live (target: none)
    "watch_live",  # watch the target's live stream
    "comment_live",  # comment on the target's live stream
    "gift_live",  # send a gift to the target's live stream
    "record_live",  # record or clip the target's live stream
    "share_location",  # share the actor's location with the target (none: publicly)
)
ACTIONS_WITHOUT_TARGET = frozenset({"start_live", "share_location"})


@dataclass(slots=True)
class Person:
    """A user as the policy sees them: an age or an age range, and how that age was established.

    ``age`` is the best-known age in whole years (None: unknown). ``age_low``/``age_high`` carry
    a range when a check gives one (an estimate with a buffer, or "over 18"); ``band`` may name a
    band directly when only that is known. ``assurance`` is the method that established the age;
    ``expires_at`` is when that check stops being trusted. Treat it as immutable; it is a plain
    (not frozen) dataclass only because building one is most of what a policy check costs.
    """

    id: str | None = None
    age: int | None = None
    band: str | None = None
    assurance: str | None = None
    age_low: int | None = None
    age_high: int | None = None
    expires_at: datetime | None = None

    def __post_init__(self) -> None:
        # fast path first: a check's cost is mostly building these objects, so common values are
        # accepted with a couple of comparisons and anything unusual goes through the full checks
        age = self.age
        if age is not None and (age.__class__ is not int or not 0 <= age <= MAX_AGE):
            check_age(age)
        low, high = self.age_low, self.age_high
        if low is not None or high is not None:
            if low is not None:
                check_age(low, "age_low")
            if high is not None:
                check_age(high, "age_high")
            if low is not None and high is not None and low > high:
                raise InvalidInput(f"age range {low}..{high} is empty", code="bad_age")
        method = self.assurance
        if method is not None and (method.__class__ is not str or method not in LEVEL_OF_METHOD):
            self.assurance = check_method(method)
        if self.band is not None and self.band.__class__ is not str:
            raise InvalidInput(f"band must be a band name, got {self.band!r}", code="bad_age")
        expires = self.expires_at
        if expires is not None:
            if not isinstance(expires, datetime):
                raise InvalidInput(f"expires_at must be a datetime, got {expires!r}", code="bad_age")
            if expires.tzinfo is None:
                self.expires_at = expires.replace(tzinfo=timezone.utc)

    @property
    def level(self) -> str:
        return level_of(self.assurance).value

    def is_expired(self, now: datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return self.expires_at <= (now or datetime.now(timezone.utc))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "Person | None":
        if data is None:
            return None
        if data.__class__ is not dict and not isinstance(data, Mapping):
            raise InvalidInput(f"a person must be an object, got {type(data).__name__}", code="bad_person")
        if not data.keys() <= _PERSON_FIELDS:
            extra = sorted(set(data) - _PERSON_FIELDS)
            raise InvalidInput(f"unknown person field(s): {', '.join(map(str, extra))}", code="bad_person")
        exp = data.get("expires_at")
        if exp.__class__ is str:
            values = dict(data)
            try:
                values["expires_at"] = datetime.fromisoformat(exp.replace("Z", "+00:00"))
            except ValueError:
                raise InvalidInput(f"expires_at {exp!r} is not an ISO 8601 time", code="bad_person") from None
            return cls(**values)
        return cls(**data)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "age": self.age,
            "band": self.band,
            "assurance": self.assurance,
            "level": self.level,
            "age_low": self.age_low,
            "age_high": self.age_high,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }


Actor = Person


@dataclass(slots=True)
class Context:
    """What the platform knows about the two people's relationship at the time of the action.

    ``connected``: the target has accepted the actor as a connection (mutual follow, friend).
    ``parent_permission``: a parent has allowed this action for the child (e.g. going live).
    ``actor_flagged``: the conversation engine (or a moderator) has flagged the actor.
    ``actor_child_blocks``: how many children have blocked or reported the actor.
    ``flags``: further named signals; ``actor_flagged`` among them sets ``actor_flagged``.
    """

    connected: bool = False
    parent_permission: bool = False
    actor_flagged: bool = False
    actor_child_blocks: int = 0
    flags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.connected.__class__ is not bool or self.parent_permission.__class__ is not bool \
                or self.actor_flagged.__class__ is not bool:
            for name in ("connected", "parent_permission", "actor_flagged"):
                if not isinstance(getattr(self, name), bool):
                    raise InvalidInput(f"context.{name} must be true or false", code="bad_context")
        blocks = self.actor_child_blocks
        if blocks.__class__ is not int:
            if isinstance(blocks, bool) or not isinstance(blocks, int):
                raise InvalidInput(f"context.actor_child_blocks must be a count >= 0, got {blocks!r}", code="bad_context")
            self.actor_child_blocks = blocks = int(blocks)
        if blocks < 0:
            raise InvalidInput(f"context.actor_child_blocks must be a count >= 0, got {blocks!r}", code="bad_context")
        if self.flags is None:
            self.flags = frozenset()
        elif self.flags:
            if self.flags.__class__ is not frozenset:
                if isinstance(self.flags, str) or not all(isinstance(f, str) for f in self.flags):
                    raise InvalidInput("context.flags must be a list of names", code="bad_context")
                self.flags = frozenset(self.flags)
            if "actor_flagged" in self.flags:
                self.actor_flagged = True

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "Context":
        if data is None:
            return cls()
        if data.__class__ is not dict and not isinstance(data, Mapping):
            raise InvalidInput(f"context must be an object, got {type(data).__name__}", code="bad_context")
        if not data.keys() <= _CONTEXT_FIELDS:
            extra = sorted(set(data) - _CONTEXT_FIELDS)
            raise InvalidInput(f"unknown context field(s): {', '.join(map(str, extra))}", code="bad_context")
        return cls(**data)

    def to_dict(self) -> dict:
        return {
            "connected": self.connected,
            "parent_permission": self.parent_permission,
            "actor_flagged": self.actor_flagged,
            "actor_child_blocks": self.actor_child_blocks,
            "flags": sorted(self.flags),
        }


EMPTY_CONTEXT = Context()
_PERSON_FIELDS = frozenset({"id", "age", "band", "assurance", "age_low", "age_high", "expires_at"})
_CONTEXT_FIELDS = frozenset({"connected", "parent_permission", "actor_flagged", "actor_child_blocks", "flags"})


@dataclass(frozen=True, slots=True)
class PolicyDecision:
    """The answer to one check: allowed or not, the rule that decided, why, and what would allow it.

    ``requires`` names the steps that would allow a denied action, any one of them enough
    ("connection", "age_check", "parent_permission"); empty when nothing the user can do would; ``modifiers`` say how an allowed action is changed ("blur": media
    arrives blurred). ``measures`` cite the codes the deciding rule implements.
    """

    allowed: bool
    rule: str
    reason: str
    explanation: str
    requires: tuple[str, ...] = ()
    modifiers: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "allowed": self.allowed,
            "rule": self.rule,
            "reason": self.reason,
            "explanation": self.explanation,
            "requires": list(self.requires),
            "modifiers": list(self.modifiers),
            "measures": list(self.measures),
        }
