"""Run the conversation engine over labelled conversations and measure it (``make eval``).

The engine sees only what a platform would send (the message fields); labels stay here. All
conversations of a set are fed to one engine, interleaved message by message, as a live service
would see them; every ``observe`` call is timed.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from eval.conversations import metrics
from eval.conversations.dataset import TACTICS, LabelledConversation
from eval.conversations.evasion import TRANSFORMS

ALERT_LEVELS = ("medium", "high", "critical")
TARGETS = {"grooming_recall": 0.90, "median_share_at_first_alert": 0.40, "benign_alert_rate": 0.02}


@dataclass
class ConversationRun:
    """What the engine said about one conversation, message by message."""

    conv: LabelledConversation
    levels: list[str] = field(default_factory=list)
    risks: list[float] = field(default_factory=list)
    tactics: list[set[str]] = field(default_factory=list)
    nudges: list[tuple[int, str | None, str]] = field(default_factory=list)  # (message index, for whom, kind)

    @property
    def first_alert(self) -> int | None:
        """1-based number of the message at which the level first reached medium."""
        for i, level in enumerate(self.levels, 1):
            if level in ALERT_LEVELS:
                return i
        return None

    @property
    def max_risk(self) -> float:
        return max(self.risks, default=0.0)


def default_engine() -> Any:
    from childsafe.conversation import ConversationEngine

    return ConversationEngine()


def run(conversations: list[LabelledConversation], engine_factory: Callable[[], Any] = default_engine
        ) -> tuple[list[ConversationRun], list[float]]:
    """Feed every conversation to a fresh engine, interleaved; return the runs and per-call seconds."""
    from childsafe.conversation import Message

    engine = engine_factory()
    runs = [ConversationRun(c) for c in conversations]
    queues = [(r, iter(r.conv.messages)) for r in runs]
    latencies: list[float] = []
    clock = time.perf_counter
    while queues:
        still = []
        for r, it in queues:
            m = next(it, None)
            if m is None:
                continue
            still.append((r, it))
            msg = Message(m.conversation_id, m.message_id, m.sender, m.sent_at, m.text, sender_age=m.sender_age)
            t0 = clock()
            a = engine.observe(msg)
            latencies.append(clock() - t0)
            r.levels.append(a.level)
            r.risks.append(float(a.risk))
            r.tactics.append({s.name for s in getattr(a, "message_signals", []) if s.kind == "tactic"})
            if getattr(a, "nudge", None) is not None:
                r.nudges.append((len(r.levels), getattr(a, "nudge_for", None), getattr(a.nudge, "kind", "")))
        queues = still
    return runs, latencies


def tactic_table(runs: Iterable[ConversationRun]) -> dict[str, dict]:
    """Message-level precision and recall per tactic. ``precision_cues_forgiven`` does not count a
    detection on a hard-negative message whose surface cue is that tactic (e.g. a surprise-party secret)."""
    counts: dict[str, Counter] = {t: Counter() for t in TACTICS}
    for r in runs:
        for m, found in zip(r.conv.messages, r.tactics):
            gold = set(m.tactics)
            for t in TACTICS:
                if t in found and t in gold:
                    counts[t]["tp"] += 1
                elif t in found:
                    counts[t]["fp"] += 1
                    if t in m.cues:
                        counts[t]["fp_cue"] += 1
                elif t in gold:
                    counts[t]["fn"] += 1
    out = {}
    for t, c in counts.items():
        p, rec, f1 = metrics.precision_recall_f1(c["tp"], c["fp"], c["fn"])
        p_cue, _, _ = metrics.precision_recall_f1(c["tp"], c["fp"] - c["fp_cue"], c["fn"])
        out[t] = {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"], "precision": p, "recall": rec, "f1": f1,
                  "precision_cues_forgiven": p_cue}
    return out


def conversation_measures(runs: list[ConversationRun]) -> dict:
    grooming = [r for r in runs if r.conv.is_grooming]
    benign = [r for r in runs if not r.conv.is_grooming]
    tp_runs = [r for r in grooming if r.first_alert is not None]
    fp = sum(1 for r in benign if r.first_alert is not None)
    fn = len(grooming) - len(tp_runs)
    precision, recall, f1 = metrics.precision_recall_f1(len(tp_runs), fp, fn)
    shares = [r.first_alert / len(r.conv.messages) for r in tp_runs]
    out: dict[str, Any] = {
        "conversations": len(runs), "grooming": len(grooming), "benign": len(benign),
        "messages": sum(len(r.conv.messages) for r in runs),
        "roc_auc": metrics.roc_auc([r.max_risk for r in runs], [r.conv.is_grooming for r in runs]),
        "precision": precision, "recall": recall, "f1": f1,
        "grooming_alerted": len(tp_runs), "benign_alerted": fp,
        "benign_alert_rate": fp / len(benign) if benign else None,
        "median_share_at_first_alert": metrics.median(shares),
        "median_message_at_first_alert": metrics.median([r.first_alert for r in tp_runs]),
        "share_alerted_within_40pct": (sum(1 for s in shares if s <= 0.4) / len(grooming)) if grooming else None,
    }
    if grooming:
        k_half = metrics.median([len(r.conv.messages) for r in grooming]) or 2
        out["latency_f1"] = metrics.latency_weighted_f1([r.first_alert for r in tp_runs], fp, fn, max(k_half, 2))
    return out


def nudge_measures(runs: list[ConversationRun]) -> dict:
    """Who the nudges went to. A nudge is for the child: a tactic nudge addressed to the offender tells
    the sender what was detected (must be zero). A personal-detail nudge to an offender who claims to
    be a child is the guard reading their own outgoing message, counted apart."""
    grooming = [r for r in runs if r.conv.is_grooming]
    benign = [r for r in runs if not r.conv.is_grooming]
    tactic_to_offender = pii_to_offender = 0
    child_nudged = 0
    for r in grooming:
        offenders = {m.sender for m in r.conv.messages if m.sender_role == "offender"}
        for _, who, kind in r.nudges:
            if who in offenders:
                if kind in TACTICS:
                    tactic_to_offender += 1
                else:
                    pii_to_offender += 1
        child_nudged += any(who not in offenders for _, who, _ in r.nudges)
    kinds = Counter(kind for r in runs for _, _, kind in r.nudges)
    return {
        "nudges": sum(len(r.nudges) for r in runs),
        "grooming_with_child_nudged": child_nudged / len(grooming) if grooming else None,
        "nudges_addressed_to_offender": tactic_to_offender,
        "personal_detail_nudges_to_offender": pii_to_offender,
        "benign_with_any_nudge": (sum(1 for r in benign if r.nudges) / len(benign)) if benign else None,
        "kinds": dict(kinds.most_common()),
    }


def category_table(runs: list[ConversationRun]) -> dict[str, dict]:
    """Per category: how often it alerts, how early, and message-level tactic recall (evasion cost)."""
    by_cat: dict[str, list[ConversationRun]] = defaultdict(list)
    for r in runs:
        by_cat[r.conv.category].append(r)
    out = {}
    for cat, rs in sorted(by_cat.items()):
        alerted = [r for r in rs if r.first_alert is not None]
        labelled = found = 0
        for r in rs:
            for m, got in zip(r.conv.messages, r.tactics):
                labelled += len(m.tactics)
                found += len(set(m.tactics) & got)
        out[cat] = {
            "conversations": len(rs), "alert_rate": len(alerted) / len(rs),
            "median_share_at_first_alert": metrics.median([r.first_alert / len(r.conv.messages) for r in alerted]),
            "tactic_recall": found / labelled if labelled else None,
        }
    return out


def speed(latencies: list[float]) -> dict:
    total = sum(latencies)
    return {"messages": len(latencies), "messages_per_second": len(latencies) / total if total else None,
            "p50_ms": _ms(metrics.percentile(latencies, 50)), "p99_ms": _ms(metrics.percentile(latencies, 99)),
            "max_ms": _ms(max(latencies, default=None))}


def _ms(v: float | None) -> float | None:
    return None if v is None else v * 1000


def evaluate(conversations: list[LabelledConversation], engine_factory: Callable[[], Any] = default_engine,
             *, with_tactics: bool = True) -> dict:
    runs, latencies = run(conversations, engine_factory)
    out = {"conversation": conversation_measures(runs), "speed": speed(latencies)}
    if with_tactics:
        out["nudges"] = nudge_measures(runs)
        out["tactics"] = tactic_table(runs)
        out["categories"] = category_table(runs)
    return out


def targets(result: dict) -> dict[str, dict]:
    """The issue's targets for the test split, each with the measured value and whether it is met."""
    conv = result["conversation"]
    checks = {
        "grooming_recall": (conv["recall"], lambda v: v >= TARGETS["grooming_recall"]),
        "median_share_at_first_alert": (conv["median_share_at_first_alert"],
                                        lambda v: v <= TARGETS["median_share_at_first_alert"]),
        "benign_alert_rate": (conv["benign_alert_rate"], lambda v: v <= TARGETS["benign_alert_rate"]),
    }
    return {k: {"target": TARGETS[k], "measured": v, "met": (v is not None and ok(v))} for k, (v, ok) in checks.items()}


# --- personal details ----------------------------------------------------------------------------

def evaluate_pii(rows: list[dict], detect: Callable[[str], list] | None = None) -> dict:
    """Precision and recall per kind: a finding counts when its kind matches and its span overlaps."""
    if detect is None:
        from childsafe.pii import detect_pii as detect
    counts: dict[str, Counter] = defaultdict(Counter)
    exact = 0
    latencies = []
    for row in rows:
        t0 = time.perf_counter()
        got = detect(row["text"])
        latencies.append(time.perf_counter() - t0)
        used: set[int] = set()
        for g in row["findings"]:
            hit = next((i for i, f in enumerate(got) if i not in used and f.kind == g["kind"]
                        and f.start < g["end"] and g["start"] < f.end), None)
            if hit is None:
                counts[g["kind"]]["fn"] += 1
            else:
                used.add(hit)
                counts[g["kind"]]["tp"] += 1
                exact += (got[hit].start, got[hit].end) == (g["start"], g["end"])
        for i, f in enumerate(got):
            if i not in used:
                counts[f.kind]["fp"] += 1
    kinds = {}
    for kind, c in sorted(counts.items()):
        p, r, f1 = metrics.precision_recall_f1(c["tp"], c["fp"], c["fn"])
        kinds[kind] = {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"], "precision": p, "recall": r, "f1": f1}
    tp, fp, fn = (sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn"))
    p, r, f1 = metrics.precision_recall_f1(tp, fp, fn)
    return {"messages": len(rows), "details": tp + fn, "kinds": kinds,
            "overall": {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1,
                        "exact_span_share": exact / tp if tp else None},
            "speed": speed(latencies)}


# --- what each disguise costs --------------------------------------------------------------------

def disguised_copy(conv: LabelledConversation, transform: str, rng: random.Random) -> LabelledConversation:
    """The same conversation with the offender's tactic messages (grooming) or every message (benign) disguised."""
    fn = TRANSFORMS[transform]
    out = LabelledConversation(conv.conversation_id, conv.label, conv.category, conv.split, conv.source)
    for m in conv.messages:
        text = fn(m.text, rng) if (m.tactics if conv.is_grooming else True) else m.text
        out.messages.append(replace(m, text=text))
    return out


def _disguise_measures(runs: list[ConversationRun]) -> dict:
    grooming = [r for r in runs if r.conv.is_grooming]
    benign = [r for r in runs if not r.conv.is_grooming]
    labelled = found = 0
    for r in grooming:
        for m, got in zip(r.conv.messages, r.tactics):
            labelled += len(m.tactics)
            found += len(set(m.tactics) & got)
    alerted = [r for r in grooming if r.first_alert is not None]
    return {
        "tactic_recall": found / labelled if labelled else None,
        "grooming_alert_rate": len(alerted) / len(grooming) if grooming else None,
        "median_share_at_first_alert": metrics.median([r.first_alert / len(r.conv.messages) for r in alerted]),
        "benign_alert_rate": (sum(1 for r in benign if r.first_alert is not None) / len(benign)) if benign else None,
    }


def evasion_cost(conversations: list[LabelledConversation], engine_factory: Callable[[], Any] = default_engine,
                 *, seed: int = 7) -> dict[str, dict]:
    """Paired comparison: the plain (undisguised) conversations as written, then the very same ones
    with each disguise applied, so any drop is the disguise's cost and nothing else."""
    plain = [c for c in conversations if "evasion" not in c.category and "slang" not in c.category
             and "leetspeak" not in c.category]
    out = {"none": _disguise_measures(run(plain, engine_factory)[0])}
    for name in TRANSFORMS:
        rng = random.Random(f"{seed}-{name}")
        out[name] = _disguise_measures(run([disguised_copy(c, name, rng) for c in plain], engine_factory)[0])
    return out


def pii_on_benign_text(texts: Iterable[str], detect: Callable[[str], list] | None = None) -> dict:
    """How often the guard fires on text with no labelled details (an upper bound on false positives:
    some of it, such as an example e-mail address in a code snippet, is a detail after all)."""
    if detect is None:
        from childsafe.pii import detect_pii as detect
    kinds: Counter = Counter()
    total = flagged = 0
    for text in texts:
        total += 1
        found = detect(text)
        flagged += bool(found)
        kinds.update(f.kind for f in found)
    return {"messages": total, "flagged": flagged, "share": flagged / total if total else None,
            "kinds": dict(kinds.most_common())}
