"""The validation split (``eval/conversations/validation.py``): written apart from the pools, kept apart
from dev and test, and exactly what its module writes."""

from __future__ import annotations

import json
from collections import Counter

from eval.conversations import validation
from eval.conversations.dataset import TACTICS, load_split


def test_committed_validation_file_is_what_the_module_writes():
    committed = [json.loads(line) for line in validation.DATA.open(encoding="utf-8")]
    assert committed == validation.build()


def test_validation_split_is_labelled_like_dev_and_test():
    convs = load_split("validation")
    assert len(convs) >= 200
    assert {c.split for c in convs} == {"validation"}
    assert Counter(c.label for c in convs).keys() == {"grooming", "benign"}
    assert len({c.conversation_id for c in convs}) == len(convs)
    for c in convs:
        for m in c.messages:
            assert set(m.tactics) <= set(TACTICS) and set(m.cues) <= set(TACTICS)
            if m.tactics:  # tactics only on offender messages of grooming conversations
                assert c.is_grooming and m.sender_role == "offender"


def test_validation_shares_no_conversation_text_with_the_pools():
    """Written by hand apart from the generator's pools: no message of it (beyond the shortest
    replies) is a line of dev or test."""
    pooled = {m.text.lower() for split in ("dev", "test") for c in load_split(split) for m in c.messages}
    ours = {m.text.lower() for c in load_split("validation") for m in c.messages
            if m.sender_role != "child" and len(m.text) > 25}
    assert len(ours & pooled) <= 2, sorted(ours & pooled)[:5]
