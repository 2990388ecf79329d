"""Properties of the vpdq text format and the two-way match, checked on generated frame lists."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.index.codec import hamming
from childsafe.media import FrameHash, format_vpdq, parse_vpdq, vpdq_match

hex_hash = st.binary(min_size=32, max_size=32).map(bytes.hex)
frame_lists = st.lists(
    st.builds(FrameHash, st.integers(0, 10**6), st.integers(0, 100), hex_hash,
              st.integers(0, 10**7).map(lambda ms: ms / 1000)),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(frame_lists)
def test_vpdq_text_round_trips(frames):
    assert parse_vpdq(format_vpdq(frames)) == frames


@settings(max_examples=60, deadline=None)
@given(frame_lists, frame_lists, st.integers(0, 256))
def test_match_percentages_swap_when_query_and_compared_swap(a, b, distance):
    ab = vpdq_match(a, b, distance=distance)
    ba = vpdq_match(b, a, distance=distance)
    assert (ab.query_pct, ab.compared_pct) == (ba.compared_pct, ba.query_pct)
    assert 0 <= ab.query_pct <= 100 and 0 <= ab.compared_pct <= 100


@settings(max_examples=40, deadline=None)
@given(frame_lists, frame_lists, st.integers(0, 64))
def test_match_agrees_with_brute_force(a, b, distance):
    def usable(frames):
        seen, out = set(), []
        for f in frames:
            if f.pdq not in seen:
                seen.add(f.pdq)
                if f.quality >= 50:
                    out.append(f.pdq)
        return out

    qa, qb = usable(a), usable(b)
    result = vpdq_match(a, b, distance=distance)
    if not qa or not qb:
        assert (result.query_pct, result.compared_pct) == (0.0, 0.0)
        return
    hits = sum(any(hamming(x, y) <= distance for y in qb) for x in qa)
    assert result.query_pct == hits * 100.0 / len(qa)
