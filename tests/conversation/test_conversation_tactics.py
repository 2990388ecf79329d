"""Each grooming tactic is recognised in many phrasings, through evasions, with evidence on the right words."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from childsafe.conversation import TACTICS, TacticDetector
from childsafe.conversation.normalise import ALL_FEATURES
from childsafe.conversation.sampling import sample
from childsafe.conversation.tactics import COMMON_WORDS, _P, _expand, _words

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def detector() -> TacticDetector:
    return TacticDetector()


def found(detector: TacticDetector, text: str, minimum: float = 0.4) -> dict[str, float]:
    out: dict[str, float] = {}
    for hit in detector.read(text).hits:
        out[hit.tactic] = max(out.get(hit.tactic, 0.0), hit.confidence)
    return {t: c for t, c in out.items() if c >= minimum}


# Phrasings written for these tests (none copied from the evaluation set): several per tactic, different
# registers, no sexual content. Made-up names only.
PHRASINGS: dict[str, list[str]] = {
    "age_identity_probing": [
        "how old are you btw", "so what's your age?", "asl", "what grade are you in", "are you in middle school?",
        "you're like 12 or 13 right?", "r u over 16?", "when is your birthday", "which year are you in at school",
    ],
    "flattery_special_relationship": [
        "you're so mature for your age", "you're not like other girls your age", "we have a special connection",
        "nobody gets you like i do", "you're honestly so beautiful", "i've never met anyone like you",
        "you mean the world to me", "you seem way older than you are", "you've got real star quality",
    ],
    "gifts_offers": [
        "i'll buy you robux if you want", "want some vbucks? i have spare", "i can send you a steam gift card",
        "i'll get you the new skin", "do you want me to top up your phone", "i could pay for your ticket",
        "i'll send you 20 quid", "free nitro for you if you want it",
    ],
    "secrecy": [
        "don't tell your parents about us", "this stays between you and me", "it's our little secret ok",
        "nobody needs to know", "delete our chat after", "don't let your mum see this",
        "keep this to yourself", "your parents wouldn't understand", "if anyone asks, you don't know me",
    ],
    "isolation_exclusivity": [
        "your friends are just jealous of you", "you don't need them, you have me",
        "i'm the only one who really understands you", "only talk to me ok", "your parents are so controlling",
        "they don't really care about you", "forget about your friends", "we don't need anyone else tbh",
    ],
    "risk_assessment": [
        "are your parents home right now?", "is anyone else in the room with you", "are you alone?",
        "who reads your phone?", "do your parents check your messages", "what time does your mum get home",
        "is your bedroom door locked", "can anyone see your screen",
    ],
    "platform_move": [
        "add me on snapchat", "what's your snap", "let's move this to whatsapp", "give me your number",
        "text me on my number 07700 900456", "this app is monitored, let's go somewhere private",
        "do you have telegram?", "switch to discord", "hmu on insta",
    ],
    "photo_camera_request": [
        "send me a pic", "can you send a selfie", "turn your camera on", "let's video call tonight",
        "show me what you look like", "send a photo of you in your room", "one more picture please",
        "go live for me", "put your webcam on",
    ],
    "meeting_request": [
        "we should meet up sometime", "wanna meet in person?", "i can pick you up after school",
        "let's hang out this weekend, just us", "sneak out tonight and meet me", "come alone ok",
        "meet me at the park on saturday", "i'll get you a train ticket to come see me",
    ],
    "guilt_pressure": [
        "if you really cared about me you'd do it", "after everything i've done for you",
        "you owe me", "the least you can do is send one", "don't be so boring", "i thought you trusted me",
        "everyone else does it", "why are you ignoring me",
    ],
    "threats_sextortion": [
        "if you don't do it i'll send the pictures to your parents",
        "i'll post your photos everywhere", "everyone at your school will find out",
        "nobody will believe you", "i know where you live", "pay me or i'll share the chat with your friends",
        "i have screenshots of everything",
    ],
    "body_relationship_steering": [
        "do you have a boyfriend?", "have you ever kissed anyone", "are you mature yet?",
        "what are you wearing right now", "age is just a number", "would you date someone older",
        "you'd make a great girlfriend", "do you like older guys",
    ],
    "location_probing": [
        "where do you live?", "what school do you go to", "what's your address", "send me your location",
        "which part of town are you in", "what's the nearest station to you", "do you walk home from school",
        "what bus do you take",
    ],
}


@pytest.mark.parametrize("tactic,text", [(t, p) for t, ps in PHRASINGS.items() for p in ps])
def test_each_tactic_is_recognised_in_varied_phrasings(detector, tactic, text):
    assert tactic in found(detector, text), f"{tactic} not found in {text!r}: {found(detector, text, 0.0)}"


def test_every_tactic_in_the_taxonomy_has_phrasings_here():
    assert set(PHRASINGS) == set(TACTICS)
    assert len(TACTICS) >= 13


EVASIONS = [
    ("platform_move", "add me on s n a p c h a t", "s n a p c h a t"),
    ("platform_move", "add me on s.n.a.p", "s.n.a.p"),
    ("platform_move", "add me on s-n-a-p-c-h-a-t", "s-n-a-p-c-h-a-t"),
    ("platform_move", "whats ur 👻", "👻"),
    ("platform_move", "add me on Sn4pch4t", "Sn4pch4t"),
    ("secrecy", "d0nt t3ll ur p4r3nts", "d0nt t3ll ur p4r3nts"),
    ("secrecy", "dоn't tеll уоur раrеnts", "dоn't tеll уоur раrеnts"),          # Cyrillic lookalikes
    ("secrecy", "ＤＯＮ'Ｔ ＴＥＬＬ ＡＮＹＯＮＥ", "ＤＯＮ'Ｔ ＴＥＬＬ ＡＮＹＯＮＥ"),      # fullwidth
    ("secrecy", "DoNt TeLl YoUr MuM", "DoNt TeLl YoUr MuM"),
    ("secrecy", "dont tell ur parnets", "dont tell ur parnets"),              # misspelling
    ("secrecy", "do\u200bnt tell any\u200bone", "do\u200bnt tell any\u200bone"),  # zero-width spaces
    ("photo_camera_request", "send me a 📸", "send me a 📸"),
    ("photo_camera_request", "snd me a p1c", "snd me a p1c"),
    ("photo_camera_request", "sned me a pic", "sned me a pic"),
    ("risk_assessment", "r ur parents home rn?", "r ur parents home"),
    ("age_identity_probing", "h0w 0ld r u", "h0w 0ld r u"),
    ("location_probing", "wher do u live", "wher do u live"),
    ("gifts_offers", "i'll buy u r0bux", "i'll buy u r0bux"),
    ("meeting_request", "w4nna m33t up?", "w4nna m33t"),
]


@pytest.mark.parametrize("tactic,text,evidence", EVASIONS)
def test_evasions_are_undone_and_evidence_points_at_what_was_typed(detector, tactic, text, evidence):
    hits = [h for h in detector.read(text).hits if h.tactic == tactic and h.confidence >= 0.4]
    assert hits, f"{tactic} not found in {text!r} (plain: {detector.normalise(text).text!r})"
    spans = [text[h.start:h.end] for h in hits]
    # The evidence is a slice of the original message, and covers the words that gave the tactic away.
    assert any(evidence in s or s in evidence for s in spans), spans


def test_each_evasion_feature_is_what_catches_its_variant():
    cases = {
        "unicode": "dоn't tеll уоur раrеnts",
        "emoji": "whats ur 👻",
        "leet": "d0nt t3ll ur p4r3nts",
        "spaced": "whats ur s n a p c h a t",
        "abbreviations": "r ur parents home rn",
        "fuzzy": "dont tell your parnets",
    }
    for feature, text in cases.items():
        full = TacticDetector()
        without = TacticDetector(features=ALL_FEATURES - {feature})
        assert found(full, text), f"{feature}: full detector misses {text!r}"
        assert not found(without, text), f"{feature}: still caught without it, so the test proves nothing"


HARD_NEGATIVES = [
    ("secrecy", "don't tell Sam about the surprise party!!"),
    ("secrecy", "don't tell mum i broke the vase pls"),
    ("secrecy", "shh don't tell anyone the ending of the film"),
    ("photo_camera_request", "can you send me a photo of the homework sheet"),
    ("photo_camera_request", "send me a pic of your dog!!"),
    ("photo_camera_request", "i'll send a pic of the view later"),
    ("platform_move", "whats ur number again? i got a new phone"),
    ("meeting_request", "practice is at 5, meet at the field"),
    ("risk_assessment", "is anyone home? i'm stuck in traffic, there's pasta in the fridge"),
    ("secrecy", "i would never ask you to keep secrets from your parents"),
    ("threats_sextortion", "lol i'll post that clip of you falling in the group chat jk"),
]


@pytest.mark.parametrize("tactic,text", HARD_NEGATIVES)
def test_hard_negatives_are_not_taken_for_the_tactic(detector, tactic, text):
    assert tactic not in found(detector, text, 0.35), (text, found(detector, text, 0.0))


BENIGN = [
    "hey how was school", "did you finish the maths homework?", "wanna play minecraft later",
    "my mum says dinner is at 6", "that film was so good omg", "can you send me the notes from history",
    "see you at practice tomorrow", "happy birthday!! have a great day", "i'm so tired lol",
    "what did you get for question 4", "my dad is picking me up at 4", "the bus was late again",
]


@pytest.mark.parametrize("text", BENIGN)
def test_everyday_chat_carries_no_strong_tactic(detector, text):
    assert not found(detector, text, 0.5), found(detector, text, 0.0)


def test_stated_ages_are_read(detector):
    assert detector.read("im 13").stated_age == 13
    assert detector.read("i'm 24 lol").stated_age == 24
    assert detector.read("14").bare_number == 14
    assert detector.read("i have 3 cats").stated_age is None


def test_prefilter_never_hides_a_match():
    """Anchored patterns must contain an anchor word in every match: draw many matches and check."""
    detector = TacticDetector()
    compiled = detector.compiled
    rng = random.Random(2024)
    for tactic, patterns in _P.items():
        anchors = compiled.anchors[tactic]
        loose_src = compiled.loose[tactic].pattern if compiled.loose[tactic] is not None else ""
        for _, pat in patterns:
            src = _expand(pat)
            if f">{src})" in loose_src:
                continue  # runs on every message anyway
            for s in sample(src, rng, 400):
                assert any(w in s for w in anchors), f"{tactic}: {s!r} matches {pat!r} without an anchor"


def test_prefiltered_reading_equals_reading_every_pattern():
    """On real chat lines the prefilter changes nothing: same hits as running all thirteen pattern sets."""
    detector = TacticDetector()
    texts = [p for ps in PHRASINGS.values() for p in ps] + [t for _, t, _ in EVASIONS] + BENIGN
    dev = REPO / "eval" / "conversations" / "data" / "dev.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()[:3000]]
    compiled = detector.compiled
    for text in texts:
        plain = detector.normalise(text).text
        present = detector._present_anchors(plain)
        for tactic in TACTICS:
            if compiled.anchors[tactic] & present:
                continue
            assert compiled.regexes[tactic].search(plain) is None or (
                compiled.loose[tactic] is not None and compiled.loose[tactic].search(plain)), (tactic, text)


def test_each_anchored_pattern_contains_one_of_its_own_words():
    """A pattern run only when one of its own anchor words occurs must contain one in every match."""
    compiled = TacticDetector().compiled
    rng = random.Random(77)
    for tactic, patterns in _P.items():
        ordered = sorted(patterns, key=lambda cp: -cp[0])
        for i, own in compiled.pattern_anchors[tactic].items():
            src = _expand(ordered[i][1])
            more = compiled.requires.get((tactic, i), ())
            for s in sample(src, rng, 200):
                assert any(w in s for w in own), f"{tactic}: {s!r} matches {ordered[i][1]!r} without its words"
                for group in more:  # every further group it is checked against is in every match too
                    assert any(w in s for w in group), f"{tactic}: {s!r} lacks {sorted(group)[:5]}..."


def _reading_all_patterns(compiled, plain: str) -> list:
    """The reference: every tactic's whole alternation, matched the way the detector walks a message."""
    out = []
    for tactic in TACTICS:
        pos, found = 0, []
        while len(found) < 6:
            m = compiled.regexes[tactic].search(plain, pos)
            if m is None:
                break
            found.append((tactic, compiled.confidences[tactic][m.lastgroup], m.start(), m.end()))
            nxt = plain.find(" ", m.start() + 1)
            if nxt < 0:
                break
            pos = nxt + 1
        out.extend(found)
    return out


def test_per_pattern_prefilter_reads_like_every_pattern():
    """Running only the patterns whose own words occur (plus the loose ones) finds exactly what one
    alternation of all patterns finds: same matches, same spans, same confidences."""
    from childsafe.conversation import detector as detector_module

    detector = TacticDetector()
    compiled = detector.compiled
    texts = [p for ps in PHRASINGS.values() for p in ps] + [t for _, t, _ in EVASIONS] + BENIGN
    dev = REPO / "eval" / "conversations" / "data" / "dev.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()[:3000]]
    original = detector_module._negated
    detector_module._negated = lambda plain, start: False  # compare raw pattern confidences
    try:
        for text in texts:
            plain = detector.normalise(text).text
            got = sorted((h.tactic, h.raw) for h in detector.read(text).hits
                         if h.raw in compiled.confidences[h.tactic].values())
            want = _reading_all_patterns(compiled, plain)
            assert {t for t, _ in got} >= {t for t, *_ in want}, text
            assert all(any(t == w[0] and c == w[1] for w in want) for t, c in got
                       if t in {w[0] for w in want}), text
    finally:
        detector_module._negated = original


def test_contexts_found_through_their_anchor_words_are_all_the_contexts_that_match():
    detector = TacticDetector()
    texts = [p for ps in PHRASINGS.values() for p in ps] + [t for _, t, _ in EVASIONS] + BENIGN
    dev = REPO / "eval" / "conversations" / "data" / "dev.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()[:3000]]
    for text in texts:
        plain = detector.normalise(text).text
        if not plain:
            continue
        every = {name for name, (rx, _, _) in detector.compiled.contexts.items() if rx.search(plain)}
        assert set(detector.read(text).contexts) == every, text


def test_pattern_words_are_the_normaliser_vocabulary():
    detector = TacticDetector()
    assert {"snapchat", "parents", "secret", "picture"} <= detector.normaliser.vocabulary
    # Real words one typo away from a telling word are never "corrected" into it.
    assert detector.normalise("i'll spend it along the road").text == "i will spend it along the road"
    assert all(w not in COMMON_WORDS for a in detector.compiled.anchors.values() for w in a)
    assert _words(r"(?:hello|wor\d) there") == {"hello", "wor", "there"}


# Three more batches written after the first patterns (each batch was measured on the patterns of the time
# before any pattern was added for it: 72%, 61% and 68% of single lines found), kept as regression cases.
MORE_PHRASINGS: dict[str, list[str]] = {
    'age_identity_probing': [
        "so how old r u exactly",
        "what age r u",
        "u in year 7 or 8?",
        "are you still in primary school",
        "u look young, how old",
        "whats ur age hun",
        "be honest, are you under 16?",
        "what grade r u in now",
        "are you a teenager yet",
        "mind if i ask how old you are?",
        "you're not 18 yet are you",
        "ur age?",
        "wait how old did u say u were",
        "what school year are you in",
        "so are u like 14 or smth",
        "r u old enough to have a phone lol",
        "how old will you be this year",
        "hey quick q, how old are u",
        "you sound young, are you under 15?",
        "what's your date of birth",
        "guess you're in high school?",
        "are you even a teen lol",
    ],
    'flattery_special_relationship': [
        "you're way more mature than girls your age",
        "i feel like i've known you forever",
        "you're different from everyone else",
        "nobody else makes me feel like this",
        "you're my favourite person to talk to",
        "you're gorgeous, seriously",
        "honestly you're so special",
        "i can tell you're really smart for your age",
        "ur so pretty it's unreal",
        "you have the prettiest smile",
        "i love talking to you, you're so easy to talk to",
        "you're wise beyond your years",
        "i've never connected with someone like this",
        "you're one in a million",
        "you get me like nobody else does",
        "honestly you're the best thing that's happened to me",
        "you're so grown up compared to your friends",
        "you're so much cooler than people my age",
        "you're literally perfect",
        "i can talk to you about anything, you're amazing",
        "no one has ever understood me like you",
        "you're really special to me, you know that?",
    ],
    'gifts_offers': [
        "want me to buy you something nice?",
        "i can get you a new phone if you want",
        "i'll send you a £50 amazon voucher",
        "i'll pay for your game pass",
        "need any vbucks? i got you",
        "i can give you money for the train",
        "i'll get you those trainers you wanted",
        "how about i buy you the new skin",
        "i'll cover it, don't worry about the money",
        "i'll treat you to something nice",
        "let me buy you lunch sometime",
        "i can send you some cash for your birthday",
        "want a free roblox premium?",
        "i'll get you a gift card, what shop do you like",
        "i have a spare ps5 you could have",
        "i'll pay your phone bill",
        "i can buy you whatever skins you want",
        "i'll send you robux if you do something for me",
        "want some money for the weekend?",
        "i'll get you airpods",
    ],
    'secrecy': [
        "let's keep this just between us two",
        "don't mention me to anyone ok",
        "you can't tell anyone about this",
        "make sure you delete these messages",
        "our chats are private ok? nobody else's business",
        "dont show anyone our convo",
        "promise me this stays secret",
        "clear the chat after we talk",
        "it's better if nobody knows we talk",
        "this is just between me and you",
        "you mustn't tell your mum",
        "don't say anything to your dad about me",
        "let's not tell anyone about our chats",
        "hide this app from your parents",
        "keep our friendship secret for now",
        "turn on vanishing messages",
        "nobody has to find out",
        "don't tell a soul",
        "keep quiet about this ok",
        "make sure no one sees our messages",
        "this has to stay our secret",
        "delete everything after you read it",
    ],
    'isolation_exclusivity': [
        "your friends don't appreciate you like i do",
        "you don't need anyone else, you've got me",
        "your parents just don't get you",
        "i'm the only one you can trust",
        "they're holding you back",
        "stop hanging out with them, they're fake",
        "you should spend less time with them and more with me",
        "nobody cares about you like i do",
        "you're better off without them",
        "your mum doesn't understand you like i do",
        "they'll never understand what we have",
        "you only need me",
        "your friends don't really care about you",
        "why do you even hang out with them",
        "i'm all you need",
        "it's you and me against the world",
        "you don't need your friends when you have me",
        "your parents are too controlling, you deserve freedom",
        "i'm the only person who really cares about you",
        "talk only to me from now on",
        "those girls are so fake, forget them",
    ],
    'risk_assessment': [
        "is your mum around?",
        "are you by yourself right now?",
        "when do your parents go to bed?",
        "does anyone check your phone?",
        "is your door shut?",
        "are your parents strict about your phone?",
        "who else lives with you?",
        "can your parents see what you're doing online?",
        "is anyone with you rn",
        "is your dad at home now?",
        "are you home alone tonight?",
        "when does your mum finish work?",
        "does your mum read your messages?",
        "anyone in the room with you?",
        "do you have your own bedroom?",
        "is your phone locked?",
        "do your parents know you're talking to me?",
        "are you alone in your room?",
        "do your parents ever look at your phone?",
        "what time do your parents get home from work?",
        "is anybody else home?",
        "does anyone else use your laptop?",
    ],
    'platform_move': [
        "let's talk on snap instead",
        "u got whatsapp?",
        "add me on insta",
        "give me ur number and i'll text u",
        "can we move to telegram",
        "download kik and add me",
        "message me on discord",
        "dm me on tiktok",
        "what's your phone number",
        "we should chat on snapchat",
        "can i have your number?",
        "hit me up on whatsapp",
        "do you use telegram?",
        "lets switch to a private app",
        "text me, here's my number 07700 900999",
        "let's continue this on discord",
        "add me back on insta",
        "can you add me on snap?",
        "let's go to dms",
        "what's ur insta",
        "i'll text you, what's your cell",
        "move to whatsapp, it's safer",
    ],
    'photo_camera_request': [
        "can i see a pic of you?",
        "send me a selfie babe",
        "show me your face",
        "video call me later",
        "can you go on cam",
        "take a pic for me",
        "i wanna see you on facetime",
        "send a photo of what you're wearing",
        "let's facetime tonight",
        "can you send me a picture of yourself?",
        "show me a selfie",
        "turn on your webcam",
        "hop on facetime with me",
        "send me a video of you",
        "can i see what you look like?",
        "take a photo now and send it",
        "let's video chat",
        "send me a pic of you right now",
        "can we go on video?",
        "show me your room on camera",
        "send another photo",
        "i wanna see a pic of u",
    ],
    'meeting_request': [
        "when can we meet?",
        "let's meet somewhere quiet",
        "i could come to your town this weekend",
        "do you want to meet up irl",
        "i'll meet you after school",
        "come to my place",
        "we should hang out in person",
        "i'll drive to you",
        "can i see you in person",
        "we should meet up soon",
        "i want to see you in real life",
        "let me take you out",
        "can you sneak out tonight?",
        "i'll wait for you outside your school",
        "meet me at the shopping centre",
        "come round to mine",
        "i'll come pick you up",
        "let's meet up this weekend",
        "i can come to your house",
        "when are you free to meet?",
        "meet me behind the school",
        "i'll buy your train ticket so you can visit me",
    ],
    'guilt_pressure': [
        "after all i've done for you, you can't do this one thing?",
        "you're hurting my feelings",
        "i thought you were different",
        "don't you care about me at all?",
        "you promised you would",
        "if you loved me you'd send it",
        "stop being such a baby",
        "it's not a big deal, everyone does it",
        "you're making me sad",
        "you owe me after all the gifts",
        "come on, it's just one picture",
        "i did everything for you and you won't do this",
        "you're so selfish",
        "i'm disappointed in you",
        "why won't you do this for me",
        "if you cared you would",
        "you said you'd do anything for me",
        "i thought we were friends",
        "you're being so unfair to me",
        "after all the robux i gave you?",
        "you're going to make me cry",
        "just do it for me please",
    ],
    'threats_sextortion': [
        "if you block me everyone sees the pics",
        "i'll tell your parents what you did",
        "send more or i post them",
        "you'll regret ignoring me",
        "i'll ruin your life",
        "i have your pics and i'll share them",
        "i'll leak everything to your school",
        "do what i say or else",
        "i'll send our chats to your mum",
        "i'll show everyone the photos",
        "pay me or your pics go online",
        "i'll tell everyone at school about you",
        "you better do what i say",
        "i'll make your life hell",
        "i'll send the screenshots to your family",
        "unless you send more, i'll post them",
        "don't make me share what i have",
        "if you tell anyone i'll post your pics",
        "i'll expose you to your whole school",
        "everyone will know what you did",
        "send it or i'll share the video",
        "you'll be sorry if you block me",
    ],
    'body_relationship_steering': [
        "have you had your first kiss?",
        "are you seeing anyone?",
        "do boys like you at school?",
        "you must have loads of boyfriends",
        "have you ever been on a date",
        "what do you wear to bed",
        "would you go out with an older guy",
        "do you think about dating",
        "are you a virgin",
        "do you like kissing",
        "have you got a girlfriend yet",
        "would you ever date someone my age",
        "you have a nice body",
        "are you dating anyone",
        "tell me about your crush",
        "do you think you're ready for a relationship",
        "have you ever had a boyfriend?",
        "do you wear makeup to look older?",
        "you'd look good in a bikini",
        "are boys into you?",
        "what's your type?",
    ],
    'location_probing': [
        "what area are you in?",
        "where abouts do u live",
        "which school u go to",
        "what town are you from",
        "where is your school",
        "what street do you live on",
        "send me your address",
        "what's your postcode",
        "what city do you live in?",
        "which school are you at?",
        "how far do you live from the station",
        "whats ur address",
        "are you close to the park",
        "what neighbourhood are you in",
        "drop me your location",
        "where's your house",
        "what school do u go to?",
        "which town are you in",
        "is your school near the high street?",
        "send me a pin of where you are",
        "where do you hang out after school?",
    ],
}


@pytest.mark.parametrize("tactic,text", [(t, p) for t, ps in MORE_PHRASINGS.items() for p in ps])
def test_later_phrasings_stay_recognised(detector, tactic, text):
    assert tactic in found(detector, text), f"{tactic} not found in {text!r}: {found(detector, text, 0.0)}"
