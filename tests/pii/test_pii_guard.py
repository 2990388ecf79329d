"""The personal-details guard: what a child is about to send, found with exact spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.errors import InvalidInput
from childsafe.pii import PII_KINDS, PIIFinding, PatternRecognizer, RecognizerRegistry, detect_pii, pattern, redact


def found(text: str, **kw) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start:f.end]) for f in detect_pii(text, **kw)]


@pytest.mark.parametrize("text, kind, span", [
    ("text me on 07700 900123 after school", "phone", "07700 900123"),
    ("my num is +44 7700 900123", "phone", "+44 7700 900123"),
    ("call 0 7 7 0 0 . 9 0 0 . 1 2 3", "phone", "0 7 7 0 0 . 9 0 0 . 1 2 3"),
    ("07700.900.123", "phone", "07700.900.123"),
    ("text me O7700 9OO123", "phone", "O7700 9OO123"),
    ("my num is o77oo 9oo 123", "phone", "o77oo 9oo 123"),
    ("ring me zero seven seven double oh nine oh oh one two three", "phone",
     "zero seven seven double oh nine oh oh one two three"),
    ("my email is mia.jones22@example.com", "email", "mia.jones22@example.com"),
    ("mia dot jones at gmail dot com", "email", "mia dot jones at gmail dot com"),
    ("i live at 42 Mill Lane", "address", "42 Mill Lane"),
    ("my postcode is KM4 7QT", "postcode", "KM4 7QT"),
    ("my postcode is ng7 2rd", "postcode", "ng7 2rd"),
    ("we're in Springfield IL 62704", "zip", "62704"),
    ("my zip is 90210", "zip", "90210"),
    ("I go to Oakridge Academy", "school", "Oakridge Academy"),
    ("we both go to hollowfield community college right", "school", "hollowfield community college"),
    ("my school is Hollowfield High", "school", "Hollowfield High"),
    ("i live near the big tesco in bramley", "home_area", "the big tesco in bramley"),
    ("51.5074, -0.1278", "coordinates", "51.5074, -0.1278"),
    ("here https://maps.app.goo.gl/abc123XYZ", "map_link", "https://maps.app.goo.gl/abc123XYZ"),
    ("///filled.count.soap", "map_link", "///filled.count.soap"),
    ("my snap is mia_xo22", "handle", "mia_xo22"),
    ("add me on insta: skyrunner_14", "handle", "skyrunner_14"),
    ("hmu @pixelfox", "handle", "@pixelfox"),
    ("my discord is frostbyte#1234", "handle", "frostbyte#1234"),
    ("ig mia_xo22", "handle", "mia_xo22"),
    ("addme on snap mia_xo22", "handle", "mia_xo22"),
    ("i go 2 oakridge academy", "school", "oakridge academy"),
    ("im in yr 8 at kingsmere high", "school", "kingsmere high"),
    ("im 12", "age", "12"),
    ("im 13 yrs old", "age", "13 yrs old"),
    ("age: thirteen", "age", "thirteen"),
    ("my birthday is 14th march", "birthday", "14th march"),
    ("my name is Mia Jones", "full_name", "Mia Jones"),
    ("hi my name is Ruby Patel and im 11", "full_name", "Ruby Patel"),
    ("I'm Theo Kowalski, 9, from Bramley", "age", "9"),
    ("I'm Theo Kowalski, 9, from Bramley", "home_area", "Bramley"),
])
def test_each_kind_of_personal_detail_is_found_with_its_exact_span(text, kind, span):
    assert (kind, span) in found(text)


@pytest.mark.parametrize("text", [
    "meet at the park at 4", "im 5 mins away", "im 2 tired", "we won 3-1 in the 90th minute", "its 12:30",
    "i scored 12345 points", "i go to school lol", "i live with my mum", "my name is mia and i like cats",
    "I have 100% battery", "room 12345", "the score was 3-1", "my snap is down", "add me later lol",
    "the high street was busy", "happy 13th birthday to my sister!!", "I'm sorry, 5 minutes",
    "i'm fine, from now on ok", "snap 2day?", "snap at 5pm", "ig is down lol", "wanna play fortnite at 7.30",
])
def test_everyday_numbers_and_phrases_are_not_personal_details(text):
    assert found(text) == []


def test_look_alike_letters_and_full_width_digits_do_not_hide_a_number():
    text = "ring me on ０７７００ ９００１２３"
    assert found(text) == [("phone", "０７７００ ９００１２３")]
    assert ("handle", "mіа_xo22") in found("my snap is mіа_xo22")  # Cyrillic і and а


def test_default_region_reads_national_numbers_of_that_country():
    us = "call me at (212) 555-0199"
    assert [f.kind for f in detect_pii(us, region="US")] == ["phone"]
    assert detect_pii(us, region="US")[0].score > detect_pii(us, region="GB")[0].score - 1e-9


def test_a_detail_inside_another_is_reported_once():
    kinds = [f.kind for f in detect_pii("my number is 07700 900123")]
    assert kinds == ["phone"]


def test_redact_replaces_each_detail_with_its_kind_or_a_mask():
    text = "im 12 and my snap is mia_xo22, text 07700 900123"
    assert redact(text) == "im [age] and my snap is [handle], text [phone]"
    masked = redact(text, style="mask")
    assert "mia_xo22" not in masked and "900123" not in masked and len(masked) == len(text)


def test_findings_are_plain_data_without_the_message_text():
    f = detect_pii("my snap is mia_xo22")[0]
    assert f.to_dict() == {"kind": "handle", "start": 11, "end": 19, "score": f.to_dict()["score"],
                           "recognizer": "app_handle"}
    assert "mia_xo22" not in str(f.to_dict())


def test_kinds_filter_and_unknown_kind_error():
    text = "im 12, text 07700 900123"
    assert [f.kind for f in detect_pii(text, kinds=["phone"])] == ["phone"]
    with pytest.raises(InvalidInput, match="unknown personal-detail kind"):
        detect_pii(text, kinds=["shoe_size"])
    with pytest.raises(InvalidInput):
        detect_pii(b"bytes")  # type: ignore[arg-type]


def test_registry_takes_a_custom_recognizer():
    registry = RecognizerRegistry()
    registry.add(PatternRecognizer("locker", "locker", [pattern(r"\blocker\s+(?P<pii>\d{3})\b", 0.9)]))
    registry.remove("age_statement")
    kinds = [f.kind for f in registry.analyze("im 12, locker 123")]
    assert kinds == ["locker"]


def test_every_documented_kind_has_a_recognizer():
    assert {r.kind for r in RecognizerRegistry().recognizers} == set(PII_KINDS)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_spans_inside_it(text):
    for f in detect_pii(text):
        assert isinstance(f, PIIFinding)
        assert 0 <= f.start < f.end <= len(text)
        assert 0.5 <= f.score <= 1.0


@pytest.mark.slow
def test_a_one_megabyte_message_is_handled():
    text = ("hello there my snap is mia_xo22 " * 33000)[:1_000_000]
    findings = detect_pii(text)
    assert findings and all(f.kind == "handle" for f in findings)


@pytest.mark.parametrize("text", [
    "wait ur 13? im 15 haha close",                       # "15 haha close" is not a street
    "add me on telegram, it's easier",                     # "easier" is not a username
    "I am from where all software programs are from",
    "name: CI\n  run: Install deps\n  run: tests",          # a YAML file, not a full name
    "class A:\n    @property\n    def x(self): pass",     # a code decorator, not a handle
])
def test_everyday_text_and_code_are_not_mistaken_for_details(text):
    assert [f.kind for f in detect_pii(text) if f.kind != "age"] == []
