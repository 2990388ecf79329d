"""The written evaluation set is what the targets are measured on, so its shape is guarded here."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from eval.conversations import generate, pools
from eval.conversations.dataset import DATA_DIR, TACTICS, load_jsonl, load_split
from childsafe.errors import InvalidInput


@pytest.fixture(scope="module")
def both_splits():
    return load_split("dev") + load_split("test")


def test_at_least_300_labelled_conversations_in_two_splits(both_splits):
    assert len(both_splits) >= 300
    assert Counter(c.split for c in both_splits).keys() == {"dev", "test"}
    assert {c.label for c in both_splits} == {"grooming", "benign"}
    assert len({c.conversation_id for c in both_splits}) == len(both_splits)


def test_committed_files_are_what_the_seeded_generator_writes():
    for split in generate.SPLITS:
        committed = [json.loads(line) for line in (DATA_DIR / f"{split}.jsonl").open(encoding="utf-8")]
        assert committed == generate.build(split)


def test_every_category_the_issue_asks_for_is_present(both_splits):
    categories = {c.category for c in both_splits}
    for style in ("gamer", "mentor", "scout", "peer"):
        for speed in ("fast", "slow"):
            assert f"grooming_{style}_{speed}" in categories
    for evasion in ("leetspeak", "spaced", "homoglyphs", "emoji", "abbreviations", "misspellings"):
        assert f"grooming_evasion_{evasion}" in categories
    for benign in ("benign_teen_teen", "benign_parent", "benign_teacher", "benign_coach", "benign_relative",
                   "hard_negative_surprise_party", "hard_negative_broken_vase", "hard_negative_number_swap",
                   "hard_negative_game_gift", "hard_negative_home_yet", "hard_negative_permission_slip",
                   "hard_negative_tutor_video", "hard_negative_youth_club", "hard_negative_cousin_gaming",
                   "hard_negative_peer_intro"):
        assert benign in categories


def test_tactics_label_only_offender_messages_in_grooming_conversations(both_splits):
    seen = Counter()
    for conv in both_splits:
        for m in conv.messages:
            if m.tactics:
                assert conv.is_grooming and m.sender_role == "offender"
                seen.update(m.tactics)
    assert set(seen) == set(TACTICS)


def test_fast_grooming_shows_tactics_within_ten_messages_and_slow_spans_sixty(both_splits):
    for conv in both_splits:
        firsts = [i for i, m in enumerate(conv.messages) if m.tactics]
        if conv.category.endswith("_fast"):
            assert firsts[0] < 10
        if conv.category.endswith("_slow"):
            assert len(conv.messages) >= 60


def test_test_split_uses_phrasings_dev_never_sees():
    held_out = [p for i, p in enumerate(pools.TACTICS["secrecy"]) if not generate.split_allows(i, "dev")]
    assert held_out
    dev_text = {m.text for c in load_split("dev") for m in c.messages}
    test_text = {m.text for c in load_split("test") for m in c.messages}
    assert not any(p in dev_text for p in held_out)
    assert any(p in test_text for p in held_out)


def test_broken_line_is_named(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"conversation_id": "c", "message_id": "1", "sender": "a", "sent_at": "t", "text": "hi", "label": "benign"}\nnot json\n')
    with pytest.raises(InvalidInput, match=r"x.jsonl:2"):
        load_jsonl(path)
