"""Conversation engine: messages per second and latency on one core, and what each evasion costs.

Peer: a naive filter, the same tactic patterns run over the raw lower-cased text without the normaliser,
contexts or engine. It shows what undoing evasions buys (detection under each disguise) and what it costs
(time per message). Times are CPU time of this process (``time.process_time``), so other work on a shared
machine inflates them less than wall time would; the machine is shared, so treat them as noisy.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from childsafe.conversation import ConversationEngine, Message, TacticDetector
from childsafe.conversation.normalise import ALL_FEATURES

DATA = Path(__file__).resolve().parent.parent / "eval" / "conversations" / "data" / "dev.jsonl"
TARGET_RATE = 5_000
TARGET_P99_MS = 5.0

# Used when the evaluation set is not there: a small mixed stream.
_FALLBACK = [
    ("a", "hey how was school"), ("b", "boring lol"), ("a", "how old are you?"), ("b", "13"),
    ("a", "you're so mature for your age"), ("b", "thanks"), ("a", "are your parents home?"),
    ("b", "no"), ("a", "don't tell them we talk ok"), ("a", "add me on snapchat"),
    ("b", "did you finish the maths homework"), ("a", "send me a pic"), ("b", "my number is 07700 900123"),
]


def _messages() -> list[dict]:
    if DATA.exists():
        return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for c in range(300):
        for i, (s, t) in enumerate(_FALLBACK):
            rows.append({"conversation_id": f"c{c}", "message_id": f"c{c}-{i}", "sender": s, "sent_at": i,
                         "text": t, "tactics": []})
    return rows


def _stream(rows: list[dict], repeat: int) -> list[Message]:
    out = []
    for r in range(repeat):
        for row in rows:
            out.append(Message(f"{row['conversation_id']}#{r}", row["message_id"], row["sender"], row["sent_at"],
                               row["text"], sender_age=row.get("sender_age")))
    return out


def _time_engine(engine: ConversationEngine, messages: list[Message]) -> tuple[float, float, float]:
    for m in messages[:200]:  # warm caches (detector, typo memo) on a copy of the stream's start
        engine.observe(Message("warm-" + m.conversation_id, m.message_id, m.sender, m.sent_at, m.text))
    lat = []
    clock = time.process_time
    start = clock()
    for m in messages:
        t = clock()
        engine.observe(m)
        lat.append(clock() - t)
    total = clock() - start
    lat.sort()
    return len(messages) / total, lat[len(lat) // 2] * 1e3, lat[int(len(lat) * 0.99)] * 1e3


def _time_naive(detector: TacticDetector, texts: list[str]) -> float:
    regexes = list(detector.compiled.regexes.values())
    clock = time.process_time
    start = clock()
    for text in texts:
        low = text.lower()
        for rx in regexes:
            rx.search(low)
    return len(texts) / (clock() - start)


def _naive_found(detector: TacticDetector, text: str, tactic: str) -> bool:
    return detector.compiled.regexes[tactic].search(text.lower()) is not None


def _found(detector: TacticDetector, text: str, tactic: str) -> bool:
    return any(h.tactic == tactic and h.confidence >= 0.4 for h in detector.read(text).hits)


def _evasion_table(rows: list[dict], full: TacticDetector) -> tuple[float, float] | None:
    try:
        from eval.conversations import evasion
    except ImportError:
        print("(evasion table skipped: eval.conversations.evasion not importable)")
        return None
    labelled = [(r["text"], t) for r in rows if r.get("tactics") and "evasion" not in r.get("category", "")
                for t in r["tactics"]]
    rng = random.Random(11)
    labelled = rng.sample(labelled, min(400, len(labelled)))
    variants = [("none", None, set()), ("leetspeak", evasion.leetspeak, {"leet"}),
                ("spaced letters", evasion.spaced, {"spaced"}), ("homoglyphs", evasion.homoglyphs, {"unicode"}),
                ("emoji", evasion.emoji, {"emoji"}), ("abbreviations", evasion.abbreviations, {"abbreviations"}),
                ("misspellings", evasion.misspellings, {"fuzzy"}), ("mixed case", evasion.mixed_case, set()),
                ("mixed", evasion.mixed, set(ALL_FEATURES))]
    print(f"\nevasion cost: share of {len(labelled)} labelled tactic mentions (dev split) still found, confidence >= 0.4")
    print(f"{'disguise':16s} {'childsafe':>10s} {'without its fix':>16s} {'naive regex':>12s}")
    totals = [0, 0]
    for name, transform, features in variants:
        without = TacticDetector(features=ALL_FEATURES - features) if features else full
        hit_full = hit_without = hit_naive = 0
        rng = random.Random(5)
        for text, tactic in labelled:
            disguised = transform(text, rng) if transform else text
            hit_full += _found(full, disguised, tactic)
            hit_without += _found(without, disguised, tactic)
            hit_naive += _naive_found(full, disguised, tactic)
        n = len(labelled)
        without_col = f"{hit_without / n:.1%}" if features else "-"
        print(f"{name:16s} {hit_full / n:>10.1%} {without_col:>16s} {hit_naive / n:>12.1%}")
        if transform is not None:
            totals[0] += hit_full
            totals[1] += hit_naive
    return totals[0], totals[1]


def main() -> None:
    rows = _messages()
    repeat = max(1, 30_000 // len(rows))
    messages = _stream(rows, repeat)
    print(f"{len(messages)} messages ({len(rows)} distinct, {'dev split' if DATA.exists() else 'built-in'}), "
          f"one process, CPU time")
    full_rate, full_p50, full_p99 = _time_engine(ConversationEngine(max_conversations=100_000), messages)
    fast_rate, fast_p50, fast_p99 = _time_engine(
        ConversationEngine(max_conversations=100_000, detect_pii=False, nudge_for=False), messages)
    detector = TacticDetector()
    naive_rate = _time_naive(detector, [m.text for m in messages])
    print(f"\n{'engine':44s} {'msg/s':>9s} {'p50 ms':>8s} {'p99 ms':>8s}")
    print(f"{'childsafe default (tactics + PII + nudges)':44s} {full_rate:>9.0f} {full_p50:>8.3f} {full_p99:>8.3f}")
    print(f"{'childsafe tactics only (detect_pii=False)':44s} {fast_rate:>9.0f} {fast_p50:>8.3f} {fast_p99:>8.3f}")
    print(f"{'naive regex over raw text (peer)':44s} {naive_rate:>9.0f} {'-':>8s} {'-':>8s}")
    print(f"targets: >= {TARGET_RATE} msg/s: {'met' if full_rate >= TARGET_RATE else 'NOT met'}; "
          f"p99 < {TARGET_P99_MS} ms: {'met' if full_p99 < TARGET_P99_MS else 'NOT met'}")
    totals = _evasion_table(rows, detector)
    if totals and totals[1]:
        print(f"ratio childsafe/naive, tactic mentions found under disguise: {totals[0] / totals[1]:.2f}x")
    print(f"ratio childsafe default engine/naive regex, messages per second: {full_rate / naive_rate:.2f}x")


if __name__ == "__main__":
    main()
