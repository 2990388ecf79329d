"""The plain types a policy check takes and gives: who acts, on whom, in what context, and the decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping

from childsafe.errors import InvalidInput
from childsafe.policy.assurance import check_method, level_of
from childsafe.policy.bands import check_age

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


@dataclass(frozen=True, slots=True)
class Person:
    """A user as the policy sees them: an age or an age range, and how that age was established.

    ``age`` is the best-known age in whole years (None: unknown). ``age_low``/``age_high`` carry
    a range when a check gives one (an estimate with a buffer, or "over 18"); ``band`` may name a
    band directly when only that is known. ``assurance`` is the method that established the age;
    ``expires_at`` is when that check stops being trusted.
    """

    id: str | None = None
    age: int | None = None
    band: str | None = None
    assurance: str | None = None
    age_low: int | None = None
    age_high: int | None = None
    expires_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.age is not None:
            check_age(self.age)
        if self.age_low is not None:
            check_age(self.age_low, "age_low")
        if self.age_high is not None:
            check_age(self.age_high, "age_high")
        if self.age_low is not None and self.age_high is not None and self.age_low > self.age_high:
            raise InvalidInput(f"age range {self.age_low}..{self.age_high} is empty", code="bad_age")
        if self.assurance is not None:
            object.__setattr__(self, "assurance", check_method(self.assurance))
        if self.band is not None and not isinstance(self.band, str):
            raise InvalidInput(f"band must be a band name, got {self.band!r}", code="bad_age")
        if self.expires_at is not None and self.expires_at.tzinfo is None:
            object.__setattr__(self, "expires_at", self.expires_at.replace(tzinfo=timezone.utc))

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
        if not isinstance(data, Mapping):
            raise InvalidInput(f"a person must be an object, got {type(data).__name__}", code="bad_person")
        known = {"id", "age", "band", "assurance", "age_low", "age_high", "expires_at"}
        extra = sorted(set(data) - known)
        if extra:
            raise InvalidInput(f"unknown person field(s): {', '.join(extra)}", code="bad_person")
        values = dict(data)
        exp = values.get("expires_at")
        if isinstance(exp, str):
            try:
                values["expires_at"] = datetime.fromisoformat(exp.replace("Z", "+00:00"))
            except ValueError:
                raise InvalidInput(f"expires_at {exp!r} is not an ISO 8601 time", code="bad_person") from None
        return cls(**values)

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


@dataclass(frozen=True, slots=True)
class Context:
    """What the platform knows about the two people's relationship at the time of the action.

    ``connected``: the target has accepted the actor as a connection (mutual follow, friend).
    ``parent_permission``: a parent has allowed this action for the child (e.g. going live).
    ``actor_flagged``: the conversation engine (or a moderator) has flagged the actor.
    ``actor_child_blocks``: how many children have blocked or reported the actor.
    """

    connected: bool = False
    parent_permission: bool = False
    actor_flagged: bool = False
    actor_child_blocks: int = 0
    flags: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for name in ("connected", "parent_permission", "actor_flagged"):
            if not isinstance(getattr(self, name), bool):
                raise InvalidInput(f"context.{name} must be true or false", code="bad_context")
        blocks = self.actor_child_blocks
        if isinstance(blocks, bool) or not isinstance(blocks, int) or blocks < 0:
            raise InvalidInput(f"context.actor_child_blocks must be a count >= 0, got {blocks!r}", code="bad_context")
        if not isinstance(self.flags, frozenset):
            object.__setattr__(self, "flags", frozenset(self.flags))
        if "actor_flagged" in self.flags and not self.actor_flagged:
            object.__setattr__(self, "actor_flagged", True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "Context":
        if data is None:
            return EMPTY_CONTEXT
        if not isinstance(data, Mapping):
            raise InvalidInput(f"context must be an object, got {type(data).__name__}", code="bad_context")
        known = {"connected", "parent_permission", "actor_flagged", "actor_child_blocks", "flags"}
        extra = sorted(set(data) - known)
        if extra:
            raise InvalidInput(f"unknown context field(s): {', '.join(extra)}", code="bad_context")
        values = dict(data)
        if "flags" in values:
            values["flags"] = frozenset(values["flags"] or ())
        return cls(**values)

    def to_dict(self) -> dict:
        return {
            "connected": self.connected,
            "parent_permission": self.parent_permission,
            "actor_flagged": self.actor_flagged,
            "actor_child_blocks": self.actor_child_blocks,
            "flags": sorted(self.flags),
        }


EMPTY_CONTEXT = Context()


@dataclass(frozen=True, slots=True)
class PolicyDecision:
    """The answer to one check: allowed or not, the rule that decided, why, and what would allow it.

    ``requires`` names the steps that would allow a denied action ("connection", "age_check",
    "parent_permission"); ``modifiers`` say how an allowed action is changed ("blur": media
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
