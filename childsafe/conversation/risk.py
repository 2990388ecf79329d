"""How tactics add up to a risk score for a conversation.

Grooming is a process, not a phrase (O'Connell 2003; Olson et al. 2007): one compliment means little, but
flattery, then "are your parents home?", then "keep this between us", then "add me on Snapchat" means a
lot. So the score grows with the weight of each tactic seen, with how many different tactics there are,
with how far along the stages they reach, and with who is talking to whom (an adult to a child counts for
more than two classmates). Old evidence fades, by messages and by time, so a long friendly chat with one
odd line a month ago does not stay flagged for ever.
"""

from __future__ import annotations

import math

from childsafe.conversation.tactics import STAGES

# How much one clear instance of each tactic says about grooming on its own.
TACTIC_WEIGHTS: dict[str, float] = {
    "age_identity_probing": 0.30,
    "flattery_special_relationship": 0.45,
    "gifts_offers": 0.50,
    "secrecy": 0.75,
    "isolation_exclusivity": 0.55,
    "risk_assessment": 0.60,
    "platform_move": 0.50,
    "photo_camera_request": 0.65,
    "meeting_request": 0.60,
    "guilt_pressure": 0.40,
    "threats_sextortion": 1.10,
    "body_relationship_steering": 0.55,
    "location_probing": 0.40,
}

LEVEL_THRESHOLDS: tuple[tuple[float, str], ...] = ((0.8, "critical"), (0.6, "high"), (0.4, "medium"), (0.2, "low"))
STRONG = 0.4                      # a tactic at or above this counts towards diversity and stages
FLOOR = 0.2                       # scores at or below this (weak or discounted hits) add nothing
DIVERSITY_BONUS = 0.20            # per extra distinct tactic
STAGE_BONUS = 0.08                # per extra distinct stage reached
REPEAT_GAIN = 0.35                # how much a repeat of the same tactic adds
HALF_LIFE_MESSAGES = 200.0
HALF_LIFE_SECONDS = 14 * 24 * 3600.0


def level_for(risk: float) -> str:
    for threshold, level in LEVEL_THRESHOLDS:
        if risk >= threshold:
            return level
    return "none"


def combine_repeat(old: float, new: float) -> float:
    """A tactic seen again: the stronger instance counts, the other adds a little."""
    hi, lo = (old, new) if old >= new else (new, old)
    return min(1.0, hi + (1.0 - hi) * lo * REPEAT_GAIN)


def decayed(score: float, messages_since: int, seconds_since: float | None) -> float:
    factor = 0.5 ** (max(0, messages_since) / HALF_LIFE_MESSAGES)
    if seconds_since is not None and seconds_since > 0:
        factor *= 0.5 ** (seconds_since / HALF_LIFE_SECONDS)
    return score * factor


def age_context(sender_age: float | None, youngest_other: float | None) -> float:
    """How much the ages of the sender and the youngest other person change what tactics mean."""
    if sender_age is None:
        if youngest_other is None:
            return 1.0
        return 1.1 if youngest_other < 18 else 0.5
    if sender_age >= 18:
        if youngest_other is None:
            return 1.1
        if youngest_other < 18:
            return 1.3 + min(0.2, (sender_age - youngest_other) / 50.0)
        return 0.35
    if youngest_other is None:
        return 0.75
    if youngest_other >= 18:
        return 0.4
    gap = sender_age - youngest_other
    if gap >= 4:
        return 1.0
    if gap >= 3:
        return 0.8
    return PEERS


PEERS = 0.3  # minors within two years of each other (the sender's age as the platform knows it)


def contact_context(first_contact: bool | None, connected: bool | None) -> float:
    factor = 1.0
    if first_contact:
        factor *= 1.2
    if connected is False:
        factor *= 1.1
    elif connected is True:
        factor *= 0.9
    return factor


# Getting-to-know-you tactics: between strangers of unknown age they are also how friends are made online.
ACQUAINTANCE = frozenset({"age_identity_probing", "location_probing", "platform_move",
                          "flattery_special_relationship", "gifts_offers"})
ACQUAINTANCE_CAP = 0.39       # below medium until a tactic from a later stage appears
ALONE_ENOUGH = frozenset({"threats_sextortion"})  # tactics that reach medium on their own even with no ages
# With ages known, a single strong tactic is one cue, not yet a pattern: a relative's "don't tell mum, it's
# a surprise", a parent's "are you home alone?", a counsellor's "this stays between us" each look like
# one tactic. Grooming shows several (flattery, questions, secrecy, a move to another app...), so one cue
# stays below medium until a second appears, except these, which say enough alone.
ALONE_ENOUGH_KNOWN = frozenset({"threats_sextortion", "photo_camera_request"})
SPECIAL_RELATIONSHIP = 0.6    # flattery this sure is "special relationship" talk, not a compliment


def sender_risk(scores: dict[str, float], context: float, *, ages_known: bool = True) -> float:
    """Risk in [0, 1) from one sender's current (decayed) tactic scores and the age/contact context.

    When neither side's age is known, getting-to-know-you tactics alone ("how old are you?", "where are
    you from?", "add me on discord?") stay below ``medium``: peers meeting in a game say exactly that.
    """
    if not scores:
        return 0.0
    if not ages_known and all(_acquaintance(t, s) for t, s in scores.items()):
        return min(ACQUAINTANCE_CAP, _sender_risk(scores, context))
    # A single cue ("promise u wont tell mum" between siblings, a parent's "are you home alone?") stays
    # below medium until a second tactic shows a pattern, unless it says enough alone.
    strong = [t for t, s in scores.items() if s >= STRONG]
    alone_enough = ALONE_ENOUGH_KNOWN if ages_known else ALONE_ENOUGH
    if len(strong) < 2 and not any(t in alone_enough for t in strong):
        return min(ACQUAINTANCE_CAP, _sender_risk(scores, context))
    return _sender_risk(scores, context)


def _acquaintance(tactic: str, score: float) -> bool:
    if score <= STRONG:
        return True
    if tactic == "flattery_special_relationship":
        return score < SPECIAL_RELATIONSHIP  # "we get each other", "not like other kids": not small talk
    return tactic in ACQUAINTANCE


def _sender_risk(scores: dict[str, float], context: float) -> float:
    raw = 0.0
    strong = 0
    stages: set[int] = set()
    for tactic, score in scores.items():
        if score <= FLOOR:
            continue
        raw += TACTIC_WEIGHTS.get(tactic, 0.3) * (score - FLOOR) / (1.0 - FLOOR)
        if score >= STRONG:
            strong += 1
            stages.add(STAGES.get(tactic, 0))
    if strong > 1:
        raw *= 1.0 + DIVERSITY_BONUS * (strong - 1)
    if len(stages) > 1:
        raw *= 1.0 + STAGE_BONUS * (len(stages) - 1)
    raw *= context
    return 1.0 - math.exp(-raw)
