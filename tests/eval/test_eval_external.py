"""Loaders for dialogue we did not write: chatterbot-corpus and the PAN 2012 XML format."""

from __future__ import annotations

import pytest

from childsafe.errors import InvalidInput
from eval.conversations.external import load_chatterbot, load_pan2012

PAN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<conversations>
  <conversation id="c0a1">
    <message line="1"><author>aa11</author><time>23:58</time><text>hi, how was the match</text></message>
    <message line="2"><author>bb22</author><time>23:59</time><text>we won 2-1</text></message>
    <message line="3"><author>aa11</author><time>00:01</time><text>nice, keep this between us ok</text></message>
  </conversation>
  <conversation id="c0b2">
    <message line="1"><author>cc33</author><time>10:00</time><text>did you finish the homework</text></message>
    <message line="2"><author>dd44</author><time>10:02</time><text></text></message>
  </conversation>
</conversations>
"""


def test_pan2012_conversation_with_a_listed_author_is_grooming(tmp_path):
    xml = tmp_path / "pan.xml"
    xml.write_text(PAN_XML, encoding="utf-8")
    ids = tmp_path / "predators.txt"
    ids.write_text("aa11\n", encoding="utf-8")
    convs = {c.conversation_id: c for c in load_pan2012(xml, ids)}
    assert convs["c0a1"].label == "grooming" and convs["c0b2"].label == "benign"
    first = convs["c0a1"].messages
    assert [m.sender for m in first] == ["aa11", "bb22", "aa11"]
    assert first[2].sent_at > first[1].sent_at  # past midnight rolls over to the next day
    assert convs["c0b2"].messages[1].text == ""
    assert first[1].text == "we won 2-1"  # a control character XML forbids is dropped, not fatal


def test_pan2012_broken_xml_names_file_and_line(tmp_path):
    xml = tmp_path / "broken.xml"
    xml.write_text("<conversations>\n<conversation id='x'>\n<message>\n</conversations>", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"broken.xml:\d+"):
        load_pan2012(xml, set())


def test_chatterbot_corpus_gives_many_benign_two_person_dialogues():
    convs = load_chatterbot()
    assert len(convs) > 100
    assert all(c.label == "benign" for c in convs)
    assert {m.sender for m in convs[0].messages} <= {"speaker_a", "speaker_b"}


def test_pan2012_missing_files_are_named(tmp_path):
    with pytest.raises(InvalidInput, match="nope.xml"):
        load_pan2012(tmp_path / "nope.xml", set())
    with pytest.raises(InvalidInput, match="ids.txt"):
        load_pan2012(tmp_path / "nope.xml", tmp_path / "ids.txt")
