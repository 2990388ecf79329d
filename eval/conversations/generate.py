"""Compose the labelled evaluation conversations from the hand-written pools (seeded, reproducible).

Run ``python -m eval.conversations.generate`` to rewrite ``eval/conversations/data/{dev,test}.jsonl``.
The output is committed; regenerate only when the pools change, and never tune on ``test``.

One JSON object per message: the ``scan-chat`` message fields (conversation_id, message_id, sender,
sent_at, text, sender_age when the platform would know it) plus labels: ``tactics`` (grooming tactics
this message uses, only ever on offender messages in grooming conversations), ``cues`` (on hard
negatives: the tactic a surface reading might see although nothing is wrong), ``sender_role``,
and the conversation's ``label`` (grooming|benign), ``category``, ``split`` (dev|test).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from eval.conversations import pools
from eval.conversations.dataset import write_jsonl
from eval.conversations.evasion import TRANSFORMS

SEED = 20261125
DATA_DIR = Path(__file__).resolve().parent / "data"
SPLITS = ("dev", "test")

EARLY = ["age_identity_probing", "flattery_special_relationship", "gifts_offers"]
MIDDLE = ["risk_assessment", "secrecy", "isolation_exclusivity", "platform_move", "location_probing",
          "body_relationship_steering"]
LATE = ["photo_camera_request", "meeting_request", "guilt_pressure", "threats_sextortion"]
STYLES = ["generic", "gamer", "mentor", "scout", "peer"]
SPEEDS = {"fast": (6, 10), "medium": (20, 40), "slow": (70, 100)}
STYLE_MUST = {
    "gamer": ["gifts_offers"],
    "mentor": ["flattery_special_relationship", "gifts_offers"],
    "scout": ["flattery_special_relationship", "photo_camera_request"],
    "peer": ["age_identity_probing"],
    "generic": [],
}


def split_allows(index: int, split: str) -> bool:
    """Half of every pool is shared; a fifth is dev-only and the rest test-only (held out)."""
    r = index % 10
    return r < 5 or (split == "dev" and r in (5, 6)) or (split == "test" and r >= 7)


@dataclass
class Line:
    role: str
    text: str
    tactics: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)


class Composer:
    """Fills pools for one conversation: slot values stay fixed within it, like in a real chat."""

    def __init__(self, rng: random.Random, split: str) -> None:
        self.rng = rng
        self.split = split
        age = rng.choice([10, 11, 12, 12, 13, 13, 14, 14, 15, 16])
        self.slots = {
            "child": rng.choice(pools.CHILD_NAMES), "name": rng.choice(pools.ADULT_NAMES),
            "game": rng.choice(pools.GAMES), "currency": rng.choice(pools.CURRENCIES),
            "app": rng.choice(pools.APPS), "place": rng.choice(pools.PLACES), "amount": rng.choice(pools.AMOUNTS),
            "age": str(age), "age1": str(age + 1), "year": str(max(5, age - 4)),
            "fake_age": str(rng.choice([14, 15, 15, 16])), "day": rng.choice(pools.DAYS),
            "time": rng.choice(pools.TIMES), "sport": rng.choice(pools.SPORTS),
            "instrument": rng.choice(pools.INSTRUMENTS), "town": rng.choice(pools.TOWNS),
            "teacher": rng.choice(pools.TEACHERS), "outfit": rng.choice(pools.OUTFITS),
            "handle": rng.choice(pools.USERNAMES) + str(rng.randrange(10, 99)),
            "d3": f"{rng.randrange(0, 1000):03d}",
        }
        self.child_age = age

    def pick(self, pool: list[str]) -> str:
        eligible = [p for i, p in enumerate(pool) if split_allows(i, self.split)] or pool
        return self.fill(self.rng.choice(eligible))

    def fill(self, text: str) -> str:
        if " || " in text:  # alternative lines: dev never sees the last, test never sees the first
            options = text.split(" || ")
            text = self.rng.choice(options[:-1] if self.split == "dev" else options[1:])
        return text.format_map(self.slots)


def tactic_beats(rng: random.Random, style: str, speed: str) -> list[str]:
    """The offender's plan: a few tactics per stage, in stage order with some local reordering."""
    early = set(rng.sample(EARLY, rng.randint(1, 2)))
    middle = set(rng.sample(MIDDLE, rng.randint(2, 4)))
    late = set(rng.sample(LATE[:3], rng.randint(1, 2)))
    if rng.random() < 0.3:
        late.add("threats_sextortion")
    for must in STYLE_MUST[style]:
        (early if must in EARLY else late if must in LATE else middle).add(must)
    beats = []
    for stage in (EARLY, MIDDLE, LATE):
        chosen = [t for t in stage if t in early | middle | late]
        rng.shuffle(chosen)
        beats.extend(chosen)
    if speed != "fast":
        repeats = rng.randint(1, 3) if speed == "medium" else rng.randint(3, 6)
        for _ in range(repeats):
            t = rng.choice(beats[:-1] if len(beats) > 1 else beats)
            beats.insert(beats.index(t) + 1, t)
    if speed == "fast":
        beats = beats[: rng.randint(4, 6)]
    return beats


def tactic_text(c: Composer, style: str, tactic: str) -> str:
    pool = pools.STYLE_TACTICS.get(style, {}).get(tactic)
    if pool and c.rng.random() < 0.7:
        return c.pick(pool)
    return c.pick(pools.TACTICS[tactic])


def grooming(c: Composer, style: str, speed: str) -> list[Line]:
    rng = c.rng
    lo, hi = SPEEDS[speed]
    n = rng.randint(lo, hi)
    beats = tactic_beats(rng, style, speed)
    messages: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(beats):
        if i + 1 < len(beats) and beats[i + 1] != beats[i] and rng.random() < (0.35 if speed == "fast" else 0.15):
            a, b = tactic_text(c, style, beats[i]), tactic_text(c, style, beats[i + 1])
            messages.append((a + rng.choice([", ", ". ", " - ", " ... ", "\n"]) + b, [beats[i], beats[i + 1]]))
            i += 2
        else:
            messages.append((tactic_text(c, style, beats[i]), [beats[i]]))
            i += 1
    offender_slots = max(len(messages) + 1, n // 2 + rng.randint(-1, 2))
    if speed == "fast":
        positions = sorted(rng.sample(range(1, offender_slots), len(messages)))
    else:
        first = rng.randint(1, max(2, offender_slots // 8))
        span = max(1, offender_slots - 1 - first)
        step = span / max(1, len(messages) - 1)
        positions = []
        for k in range(len(messages)):
            p = int(first + k * step + rng.uniform(-0.4, 0.4) * step)
            p = min(max(p, positions[-1] + 1 if positions else first), offender_slots - 1)
            positions.append(p)
        positions = [min(p, offender_slots - 1) for p in positions]
    at = dict(zip(positions, messages))
    lines: list[Line] = []
    smalltalk = pools.OFFENDER_SMALLTALK[style]
    for slot in range(offender_slots):
        if slot in at:
            text, tactics = at[slot]
            lines.append(Line("offender", text, list(tactics)))
            replies = pools.CHILD_REPLIES[tactics[-1]]
            if rng.random() < 0.8:
                lines.append(Line("child", c.fill(rng.choice(replies))))
        else:
            lines.append(Line("offender", c.pick(smalltalk) if slot else rng.choice(["hey", "hi", "heyy", "hii :)", "yo"])))
            if rng.random() < 0.85:
                lines.append(Line("child", c.pick(pools.CHILD_SMALLTALK)))
    return lines


def teen_chat(c: Composer, spice: int) -> list[Line]:
    rng = c.rng
    n = rng.randint(8, 40)
    lines = [Line(rng.choice("ab"), c.pick(pools.TEEN_TEEN)) for _ in range(n)]
    cue_of = {"meeting": "meeting_request", "number": "platform_move", "gift": "gifts_offers",
              "photo": "photo_camera_request", "age": "age_identity_probing", "where": "location_probing",
              "flattery": "flattery_special_relationship"}
    for _ in range(spice):
        kind = rng.choice(sorted(pools.TEEN_TEEN_SPICE))
        lines.insert(rng.randrange(len(lines) + 1), Line(rng.choice("ab"), c.pick(pools.TEEN_TEEN_SPICE[kind]), cues=[cue_of[kind]]))
    return lines


def adult_child(c: Composer, script: dict[str, list[str]]) -> list[Line]:
    rng = c.rng
    adult_pool = script.get("adult") or script["parent"]
    lines = []
    for _ in range(rng.randint(6, 24)):
        lines.append(Line("adult", c.pick(adult_pool)))
        if rng.random() < 0.75:
            lines.append(Line("child", c.pick(script["child"])))
    return lines


ADULT_LED = {"permission_slip": pools.COACH_CHILD, "home_yet": pools.PARENT_CHILD, "tutor_video": pools.TEACHER_CHILD,
             "youth_club": pools.COACH_CHILD, "cousin_gaming": pools.RELATIVE_CHILD}


def hard_negative(c: Composer, kind: str) -> list[Line]:
    rng = c.rng
    adult_a = kind in ADULT_LED
    script_lines = pools.HARD_NEGATIVES.get(kind) or pools.EXTRA_HARD_NEGATIVES[kind]
    lines = [Line("child" if s == "b" else ("adult" if adult_a else "a"), c.fill(t), cues=list(cues))
             for s, t, cues in script_lines if cues or rng.random() < 0.8]
    if adult_a:
        script = ADULT_LED[kind]
        adult_pool = script.get("adult") or script["parent"]
        before = [Line(r, c.pick(adult_pool if r == "adult" else script["child"]))
                  for r in ["adult", "child"] * rng.randint(1, 4)]
        after = [Line(r, c.pick(adult_pool if r == "adult" else script["child"]))
                 for r in ["adult", "child"] * rng.randint(0, 3)]
    else:
        lines = [Line("a" if ln.role == "a" else "b", ln.text, cues=ln.cues) for ln in lines]
        before = [Line(rng.choice("ab"), c.pick(pools.TEEN_TEEN)) for _ in range(rng.randint(0, 6))]
        after = [Line(rng.choice("ab"), c.pick(pools.TEEN_TEEN)) for _ in range(rng.randint(0, 6))]
    return before + lines + after


def disguise(c: Composer, lines: list[Line], transform: str, only_tactics: bool) -> list[Line]:
    fn = TRANSFORMS[transform]
    for ln in lines:
        if ln.tactics or (not only_tactics and ln.role in ("a", "b", "offender") and c.rng.random() < 0.5):
            ln.text = fn(ln.text, c.rng)
    return lines


def plan(split: str) -> list[tuple[str, str, dict]]:
    """(label, category, params) for every conversation of a split."""
    out: list[tuple[str, str, dict]] = []
    for style in STYLES:
        for speed in SPEEDS:
            out += [("grooming", f"grooming_{style}_{speed}", {"style": style, "speed": speed})] * 6
    for transform in TRANSFORMS:
        out += [("grooming", f"grooming_evasion_{transform}", {"transform": transform})] * 4
    out += [("benign", "benign_teen_teen", {"spice": 0})] * 18
    out += [("benign", "benign_teen_teen_cues", {"spice": 2})] * 12
    out += [("benign", "benign_teen_slang", {"transform": "abbreviations"})] * 6
    out += [("benign", "benign_teen_leetspeak", {"transform": "leetspeak"})] * 4
    out += [("benign", "benign_parent", {"script": "parent"})] * 12
    out += [("benign", "benign_teacher", {"script": "teacher"})] * 10
    out += [("benign", "benign_coach", {"script": "coach"})] * 10
    out += [("benign", "benign_relative", {"script": "relative"})] * 8
    for kind in pools.HARD_NEGATIVES:
        out += [("benign", f"hard_negative_{kind}", {"kind": kind})] * 5
    return out


SCRIPTS = {"parent": pools.PARENT_CHILD, "teacher": pools.TEACHER_CHILD, "coach": pools.COACH_CHILD,
           "relative": pools.RELATIVE_CHILD}


def plan_extra(split: str) -> list[tuple[str, str, dict]]:
    """Conversations added later, numbered after the first ones so those keep their ids."""
    out: list[tuple[str, str, dict]] = []
    for kind in pools.EXTRA_HARD_NEGATIVES:
        out += [("benign", f"hard_negative_{kind}", {"kind": kind})] * 5
    return out


def build(split: str) -> list[dict]:
    """Every conversation draws from its own random stream (seed, split, number), so editing a pool
    or adding conversations changes only the conversations that use what changed."""
    order = random.Random(f"{SEED}-{split}")
    rows: list[dict] = []
    items = plan(split)
    order.shuffle(items)
    extra = plan_extra(split)
    random.Random(f"{SEED}-{split}-extra").shuffle(extra)
    start_day = datetime(2025, 1, 6, tzinfo=timezone.utc)
    for number, (label, category, params) in enumerate(items + extra, 1):
        rng = random.Random(f"{SEED}-{split}-{number}")
        c = Composer(rng, split)
        speed = params.get("speed")
        if label == "grooming":
            if "transform" in params:
                speed = rng.choice(["fast", "medium", "medium", "slow"])
                style = rng.choice(STYLES)
                lines = disguise(c, grooming(c, style, speed), params["transform"], only_tactics=False)
            else:
                lines = grooming(c, params["style"], speed)
        elif "spice" in params:
            lines = teen_chat(c, params["spice"])
        elif "transform" in params:
            lines = disguise(c, teen_chat(c, rng.randint(0, 1)), params["transform"], only_tactics=False)
        elif "script" in params:
            lines = adult_child(c, SCRIPTS[params["script"]])
        else:
            lines = hard_negative(c, params["kind"])
        cid = f"{split}-{number:04d}"
        senders = {role: rng.choice(pools.USERNAMES) + str(rng.randrange(100, 999)) for role in ("offender", "child", "adult", "a", "b")}
        ages = {"child": c.child_age, "a": c.child_age, "b": c.child_age + rng.choice([-1, 0, 0, 1])}
        if rng.random() < 0.3:
            ages.pop("child")
        if rng.random() < 0.4:
            ages.pop("a")
            ages.pop("b")
        if rng.random() < (0.25 if params.get("style") == "peer" else 0.45):
            ages["offender"] = rng.randint(22, 55)
        if rng.random() < 0.5:
            ages["adult"] = rng.randint(28, 70)
        t = start_day + timedelta(days=rng.randrange(0, 300), hours=rng.randrange(7, 21), minutes=rng.randrange(60))
        for k, ln in enumerate(lines, 1):
            if speed == "slow" and k > 1 and rng.random() < 0.08:
                t += timedelta(days=rng.randint(1, 3), minutes=rng.randrange(600))
            else:
                t += timedelta(seconds=rng.randint(5, 240))
            row = {
                "conversation_id": cid, "message_id": f"{cid}-m{k:03d}", "sender": senders[ln.role],
                "sent_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": ln.text,
            }
            if ln.role in ages:
                row["sender_age"] = ages[ln.role]
            row["sender_role"] = "teen" if ln.role in ("a", "b") else ln.role
            row["tactics"] = ln.tactics
            if ln.cues:
                row["cues"] = ln.cues
            row.update({"label": label, "category": category, "split": split})
            rows.append(row)
    return rows


def main() -> None:
    for split in SPLITS:
        print(write_jsonl(DATA_DIR / f"{split}.jsonl", build(split)))


if __name__ == "__main__":
    main()
