"""Risk over time: it grows as tactics accumulate, stays low for everyday chat, and state is bounded and portable."""

from __future__ import annotations

import json
import time

import pytest

from childsafe.conversation import LEVELS, ConversationEngine, Message
from childsafe.errors import InvalidInput


def engine(**kw) -> ConversationEngine:
    kw.setdefault("detect_pii", False)
    kw.setdefault("nudge_for", False)
    return ConversationEngine(**kw)


def feed(e: ConversationEngine, cid: str, lines: list[tuple[str, str]], ages: dict[str, float] | None = None,
         start: int = 0, **extra):
    ages = ages or {}
    out = []
    for i, (sender, text) in enumerate(lines, start):
        out.append(e.observe(Message(cid, f"{cid}-{i}", sender, 1_700_000_000 + 60 * i, text,
                                     sender_age=ages.get(sender), **extra)))
    return out


GROOMING = [
    ("stranger", "hey, love your drawings on here"),
    ("kid", "thanks!"),
    ("stranger", "how old are you?"),
    ("kid", "12"),
    ("stranger", "you're really mature for your age"),
    ("kid", "lol thanks"),
    ("stranger", "are your parents around much?"),
    ("kid", "they work late"),
    ("stranger", "don't tell them we talk, they wouldn't get it"),
    ("kid", "ok"),
    ("stranger", "add me on snapchat, it's more private"),
    ("kid", "ok"),
    ("stranger", "send me a pic of you"),
    ("kid", "why"),
    ("stranger", "if you don't, i'll show our chats to your school"),
]

PEERS = [
    ("ana", "did you do the science homework"),
    ("ben", "yeah it was so long"),
    ("ana", "can you send me a pic of question 3"),
    ("ben", "sure one sec"),
    ("ana", "thanks!! wanna play later"),
    ("ben", "yes after dinner"),
    ("ana", "don't tell mum i broke the lamp lol"),
    ("ben", "haha i won't"),
    ("ana", "what's your username again, i got a new phone"),
    ("ben", "ben_plays_07"),
]

PARENT = [
    ("mum", "are you home yet?"),
    ("kid", "yes"),
    ("mum", "is anyone home with you? i'm stuck in traffic"),
    ("kid", "no just me"),
    ("mum", "ok lock the door, dinner's in the fridge"),
    ("kid", "ok mum"),
    ("mum", "send me a photo of the letter from school"),
    ("kid", "sent"),
    ("mum", "i'll pick you up from practice at 6"),
    ("kid", "love you"),
]


def test_risk_grows_as_tactics_accumulate_and_an_alert_comes_early():
    e = engine()
    out = feed(e, "g1", GROOMING, ages={"kid": 12})
    risks = [a.risk for a in out]
    assert risks[-1] > risks[8] > risks[4] > risks[0]
    assert out[-1].level in ("high", "critical")
    first = next(i for i, a in enumerate(out) if LEVELS.index(a.level) >= 2)
    assert first <= 8, f"first medium at message {first}"
    assert out[-1].first_alert_message_id == f"g1-{first}"
    assert {"secrecy", "platform_move", "threats_sextortion"} <= {t.tactic for t in out[-1].tactics}


def test_secrecy_and_a_platform_move_from_an_adult_to_a_child_reach_medium_at_once():
    e = engine()
    out = feed(e, "g2", [("man", "hi"), ("girl", "hi"),
                         ("man", "keep this between us ok? add me on whatsapp")], ages={"man": 34, "girl": 13})
    assert LEVELS.index(out[-1].level) >= LEVELS.index("medium")
    assert out[-1].recommended_action in ("nudge_child", "warn_sender", "hold_message", "open_case")


def test_one_cue_from_an_adult_is_not_yet_a_pattern_but_a_second_one_is():
    ages = {"aunt": 41, "kid": 11}
    one = feed(engine(), "c1", [("aunt", "hi sweetie"), ("kid", "hi"),
                                ("aunt", "dont tell your mum, its a secret ok?")], ages=ages)
    assert one[-1].level == "low" and one[-1].risk > 0, (one[-1].level, one[-1].risk)
    assert "secrecy" in {t.tactic for t in one[-1].tactics}  # the cue is still reported, with its evidence
    two = feed(engine(), "c2", [("aunt", "hi sweetie"), ("kid", "hi"),
                                ("aunt", "dont tell your mum, its a secret ok?"), ("kid", "ok"),
                                ("aunt", "add me on snapchat instead")], ages=ages)
    assert LEVELS.index(two[-1].level) >= LEVELS.index("medium")
    photo = feed(engine(), "c3", [("man", "hi"), ("kid", "hi"), ("man", "send me a selfie")], ages={"man": 38, "kid": 12})
    assert LEVELS.index(photo[-1].level) >= LEVELS.index("medium"), (photo[-1].level, photo[-1].risk)


@pytest.mark.parametrize("lines,ages", [(PEERS, {"ana": 13, "ben": 13}), (PEERS, {}),
                                        (PARENT, {"mum": 44, "kid": 12}), (PARENT, {"kid": 12})])
def test_everyday_chat_stays_below_medium(lines, ages):
    out = feed(engine(), "b", lines, ages=ages)
    assert max(LEVELS.index(a.level) for a in out) < LEVELS.index("medium"), [(a.level, a.risk) for a in out]
    assert out[-1].first_alert_message_id is None


def test_the_same_words_weigh_more_from_an_adult_to_a_child_than_between_classmates():
    lines = [("a", "you're so mature for your age"), ("b", "thanks"), ("a", "do you have a boyfriend?")]
    adult = feed(engine(), "x", lines, ages={"a": 31, "b": 13})[-1].risk
    peer = feed(engine(), "y", lines, ages={"a": 13, "b": 13})[-1].risk
    unknown = feed(engine(), "z", lines)[-1].risk
    assert adult > unknown > peer


def test_a_suspect_claiming_to_be_a_child_does_not_lower_the_risk():
    base = [("s", "how old r u"), ("k", "13"), ("s", "ur so mature for ur age. are your parents home?")]
    claimed = [("s", "how old r u"), ("k", "13"), ("s", "im 14 too lol"),
               ("s", "ur so mature for ur age. are your parents home?")]
    a = feed(engine(), "c1", base)[-1].risk
    b = feed(engine(), "c2", claimed)[-1].risk
    assert b >= a * 0.95


def test_first_contact_from_someone_not_connected_raises_the_risk():
    lines = [("s", "what school do you go to?")]
    plain = feed(engine(), "p", lines)[-1].risk
    stranger = feed(engine(), "q", lines, first_contact=True, connected=False)[-1].risk
    assert stranger > plain


def test_interleaved_conversations_do_not_mix():
    e = engine()
    for i, ((s1, t1), (s2, t2)) in enumerate(zip(GROOMING, PEERS * 2)):
        e.observe(Message("groom", f"g{i}", s1, 1_700_000_000 + i, t1, sender_age={"kid": 12}.get(s1)))
        e.observe(Message("peer", f"p{i}", s2, 1_700_000_000 + i, t2, sender_age=13))
    groom = feed(e, "groom", [("stranger", "ok")], start=99)[-1]
    peer = feed(e, "peer", [("ana", "ok")], start=99, ages={"ana": 13})[-1]
    assert groom.level in ("high", "critical") and peer.level in ("none", "low")
    assert all(ev.message_id.startswith("g") for t in groom.tactics for ev in t.evidence)


def test_evidence_points_at_the_words_in_the_original_message():
    e = engine()
    text = "heyyy 😊 pls dont tell ur p4rents about us"
    a = e.observe(Message("ev", "m1", "s", 0, text))
    ev = next(t for t in a.tactics if t.tactic == "secrecy").evidence[0]
    assert ev.message_id == "m1"
    assert text[ev.start:ev.end].lower().startswith("dont tell ur p4rents")


def test_state_round_trips_and_carries_on_identically():
    a, b = engine(), engine()
    feed(a, "rt", GROOMING[:9], ages={"kid": 12})
    exported = a.export_state("rt")
    b.import_state(json.loads(json.dumps(exported)))
    rest_a = feed(a, "rt", GROOMING[9:], ages={"kid": 12}, start=9)
    rest_b = feed(b, "rt", GROOMING[9:], ages={"kid": 12}, start=9)
    assert [x.to_dict() for x in rest_a] == [x.to_dict() for x in rest_b]
    assert b.export_state("rt") == a.export_state("rt")


def test_state_stays_bounded_however_long_the_conversation():
    e = engine()
    lines = (GROOMING + PEERS) * 10
    feed(e, "long", lines, ages={"kid": 12})
    small = len(json.dumps(e.export_state("long")))
    feed(e, "long", lines * 20, ages={"kid": 12}, start=len(lines))
    big = len(json.dumps(e.export_state("long")))
    assert big < 40_000 and big < small * 2


def test_many_conversations_are_evicted_to_the_hook_and_can_come_back():
    evicted: dict[str, dict] = {}
    e = engine(max_conversations=5, on_evict=lambda cid, state: evicted.__setitem__(cid, state))
    for n in range(12):
        feed(e, f"c{n}", GROOMING[:3])
    assert len(e) == 5 and len(evicted) == 7 and "c0" in evicted
    e.import_state(evicted["c0"])
    assert "c0" in e and e.export_state("c0")["index"] == 3


def test_a_repeated_message_id_is_counted_once():
    e = engine()
    m = Message("d", "m1", "s", 0, "don't tell anyone about us")
    first = e.observe(m)
    again = e.observe(m)
    assert again.duplicate and not again.message_signals and again.risk == first.risk


def test_evidence_fades_after_a_long_friendly_stretch():
    e = engine()
    hot = feed(e, "fade", [("s", "don't tell your parents about us")])[-1].risk
    cooled = feed(e, "fade", [("s", "lol yeah"), ("k", "haha")] * 400, start=1)[-1].risk
    assert cooled < hot / 2


def test_child_shares_personal_details_and_gets_a_nudge_the_sender_never_sees():
    e = ConversationEngine()
    feed(e, "pii", [("man", "what's your number? add me on whatsapp"), ("girl", "hi")], ages={"man": 30, "girl": 13})
    a = e.observe(Message("pii", "m9", "girl", 10_000, "it's 07700 900123", sender_age=13))
    kinds = {p.kind for p in a.pii}
    assert "phone" in kinds
    ev = next(p for p in a.pii if p.kind == "phone").evidence[0]
    assert ev.message_id == "m9" and "07700 900123" in "it's 07700 900123"[ev.start:ev.end + 1]
    assert a.nudge is not None and a.nudge_for == "girl"
    assert a.recommended_action != "none"
    # What the adult writes is never counted as the child's personal details.
    b = e.observe(Message("pii", "m10", "man", 10_060, "my number is 07700 900456", sender_age=30))
    assert all(ev.message_id != "m10" for p in b.pii for ev in p.evidence)


def test_actions_follow_levels():
    e = engine()
    out = feed(e, "act", GROOMING, ages={"kid": 12})
    for a in out:
        if a.level == "none" or a.level == "low":
            assert a.recommended_action == "none"
        elif a.level == "medium":
            assert a.recommended_action == "nudge_child"
        elif a.level == "high":
            assert a.recommended_action in ("warn_sender", "hold_message")
        else:
            assert a.recommended_action == "open_case"
    assert 0.0 <= min(a.risk for a in out) and max(a.risk for a in out) <= 1.0


def test_assessment_to_dict_has_the_scan_chat_shape():
    a = feed(engine(), "shape", GROOMING, ages={"kid": 12})[-1]
    d = json.loads(json.dumps(a.to_dict()))
    assert {"conversation_id", "risk", "level", "tactics", "pii", "first_alert_message_id"} <= set(d)
    t = d["tactics"][0]
    assert set(t) == {"tactic", "score", "evidence"} and set(t["evidence"][0]) == {"message_id", "start", "end"}


@pytest.mark.parametrize("kwargs", [dict(sender_age="old"), dict(sender_age=-3), dict(sender_age_band="teenish"),
                                    dict(text=None), dict(sender="")])
def test_bad_messages_are_refused_clearly(kwargs):
    base = dict(conversation_id="c", message_id="m", sender="s", sent_at=0, text="hi")
    base.update(kwargs)
    with pytest.raises(InvalidInput):
        Message(**base)


def test_damaged_state_is_refused_clearly():
    e = engine()
    with pytest.raises(InvalidInput):
        e.import_state({"version": 99})
    with pytest.raises(InvalidInput):
        e.import_state({"version": 1, "conversation_id": "x", "participants": [{"nope": 1}]})


def test_empty_huge_and_control_character_messages_are_handled():
    e = engine()
    assert e.observe(Message("h", "1", "s", 0, "")).level == "none"
    assert e.observe(Message("h", "2", "s", 1, "\x00\x07\x1b[31m don't\x00 tell anyone \x7f")).message_signals
    huge = "add me on snapchat " + ("blah " * 200_000)  # 1 MB
    started = time.process_time()
    a = e.observe(Message("h", "3", "s", 2, huge))
    assert any(s.name == "platform_move" for s in a.message_signals)
    assert time.process_time() - started < 5


def test_strangers_getting_acquainted_stay_below_medium_until_a_later_stage_tactic():
    """Age, place and an app handle between two people of unknown age is how gamers make friends; an adult
    asking a child the same, or anyone adding secrecy, is not."""
    intro = [("p", "gg! how old are you btw"), ("q", "13 u?"), ("p", "same!! where u from"),
             ("q", "uk, near the coast"), ("p", "add me on discord?")]
    unknown = feed(engine(), "u", intro)[-1]
    assert unknown.level in ("none", "low")
    adult = feed(engine(), "a", intro, ages={"p": 29, "q": 13})[-1]
    assert LEVELS.index(adult.level) >= LEVELS.index("medium")
    secret = feed(engine(), "s", intro + [("p", "don't tell your parents about me ok")])[-1]
    assert LEVELS.index(secret.level) >= LEVELS.index("medium")


def test_a_tactic_nudge_never_goes_to_the_sender_who_claims_to_be_a_teen():
    """An offender of unknown age who states a teen age (a personal detail in the same message as a
    tactic) must not be the one nudged: the nudge would tell them what was detected."""
    e = ConversationEngine()
    lines = [
        ("pal", "hi"),
        ("kid", "yeah its good"),
        ("pal", "you're honestly so mature for your age"),
        ("kid", "aww"),
        ("pal", "wait ur 13? im 16 haha close"),
        ("kid", "lol"),
        ("pal", "dont tell ur parents we talk ok, its our secret"),
    ]
    out = feed(e, "teen-claim", lines, ages={"kid": 13})
    nudged = [a for a in out if a.nudge is not None]
    assert nudged, "a child facing these tactics gets at least one nudge"
    assert all(a.nudge_for == "kid" for a in nudged)


def _pii_nudges(out, lines):
    return [(lines[i][0], a.nudge.kind) for i, a in enumerate(out) if a.nudge is not None and a.nudge.kind in
            {"phone", "email", "address", "postcode", "zip", "school", "home_area", "coordinates", "map_link",
             "handle", "age", "birthday", "full_name"}]


def test_a_personal_detail_nudge_goes_to_the_child_sharing_never_to_the_other_side():
    """The sharer of a personal detail is nudged only when they are the child. An offender of unknown age
    who introduces himself with a claimed teen age and a town, then gives his own handle, is never told
    what the guard watches; the child the platform knows, sharing hers, is."""
    e = ConversationEngine()
    lines = [
        ("kid", "hi"),
        ("pal", "hey im 15 too lol, from near Leeds"),
        ("kid", "cool"),
        ("pal", "my snap is jay_k2011"),
        ("pal", "add me there its easier"),
        ("kid", "ok mine is mia.rose24"),
        ("kid", "i live on Mill Lane btw"),
    ]
    out = feed(e, "pii-routing", lines, ages={"kid": 13})
    nudged = _pii_nudges(out, lines)
    assert all(who == "kid" for who, _ in nudged), nudged
    assert any(who == "kid" for who, _ in nudged), "the child sharing her handle and street is nudged"
    assert all(a.nudge_for in (None, "kid") for a in out)


def test_with_no_ages_known_the_one_who_approached_is_not_nudged_about_their_own_details():
    """Nobody's age is known and the child asks back ("how old are you? where are you from?"), which can
    make the child the riskier-looking side. The one who opened with the probing questions still gets no
    nudge about the town and handle they give; the child sharing a street does."""
    e = ConversationEngine()
    lines = [
        ("pal", "hey how old are you"),
        ("kid", "13, how old are you? where are you from?"),
        ("kid", "do you have snap"),
        ("pal", "15 and im from near Leeds"),
        ("pal", "yeah its jay_k2011"),
        ("kid", "cool i live on Mill Lane in Hexley"),
    ]
    out = feed(e, "no-ages-routing", lines)
    nudged = _pii_nudges(out, lines)
    assert all(who == "kid" for who, _ in nudged), nudged
    assert ("kid", "home_area") in nudged or ("kid", "address") in nudged, nudged
    state = e.export_state("no-ages-routing")
    assert state["opener"] == "pal"
    e2 = ConversationEngine()
    e2.import_state(state)
    assert e2.export_state("no-ages-routing") == state


def test_an_adult_sharing_their_own_number_is_never_nudged():
    e = ConversationEngine()
    for ages in ({"coach": 41, "kid": 12}, {"coach": 41}):
        lines = [("coach", "hi, it's the coach. ring me on 07700 900111 if you're late"),
                 ("coach", "my email is coach.sam@example.org"), ("kid", "ok thanks")]
        out = feed(e, f"adult-{len(ages)}", lines, ages=ages)
        assert not [a for a in out if a.nudge is not None and a.nudge_for == "coach"]
    # an adult age stated in the chat counts too
    lines = [("bob", "im 34 btw"), ("bob", "text me on 07700 900222"), ("kid", "ok")]
    out = feed(e, "stated-adult", lines)
    assert not [a for a in out if a.nudge is not None and a.nudge_for == "bob"]


def test_no_personal_detail_nudge_reaches_an_offender_in_the_written_conversations():
    """Over the dev and validation splits (offender roles are labelled), every personal-detail nudge goes
    to someone who is not the offender."""
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "eval" / "conversations" / "data"
    rows = [json.loads(line) for split in ("dev", "validation") if (data / f"{split}.jsonl").exists()
            for line in (data / f"{split}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        pytest.skip("evaluation data not present")
    e = ConversationEngine()
    offenders = {(r["conversation_id"], r["sender"]) for r in rows if r.get("sender_role") == "offender"}
    bad = []
    for r in rows:
        a = e.observe(Message(r["conversation_id"], r["message_id"], r["sender"], r["sent_at"], r["text"],
                              sender_age=r.get("sender_age")))
        if a.nudge is not None and (r["conversation_id"], a.nudge_for) in offenders:
            bad.append((r["conversation_id"], a.nudge.kind))
    assert not bad


def test_mutual_getting_to_know_you_lowers_the_risk_but_never_excuses_one_sided_tactics():
    """Friends flatter and ask each other; grooming is one-sided. A child who compliments back lowers the
    weighting of compliments and questions, not of isolation, photo requests or pressure."""
    friends = [("a", "ur drawings are so good"), ("b", "omg thanks ur so talented too"),
               ("a", "how old r u"), ("b", "13, how old are you?"), ("a", "13 too"),
               ("a", "add me on discord"), ("b", "ok add me too")]
    one_way = [("a", "ur drawings are so good"), ("b", "thanks"), ("a", "how old r u"), ("b", "13"),
               ("a", "add me on discord"), ("b", "ok")]
    ages = {"a": 13, "b": 13}
    mutual_peak = max(x.risk for x in feed(engine(), "mutual", friends, ages=ages))
    one_way_peak = max(x.risk for x in feed(engine(), "one-way", one_way, ages=ages))
    assert mutual_peak < one_way_peak
    groom = [("man", "ur so pretty"), ("kid", "aww thanks ur sweet"), ("man", "how old are you"),
             ("kid", "13"), ("man", "your parents dont get you like i do"), ("man", "send me a pic of you")]
    out = feed(engine(), "groom-mutual", groom, ages={"kid": 13})
    assert LEVELS.index(out[-1].level) >= LEVELS.index("medium")
