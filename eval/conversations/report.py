"""Render a ``make eval`` result (the JSON it writes) as the Markdown kept in ``RESULTS.md``."""

from __future__ import annotations

from eval.conversations.dataset import TACTICS


def _f(v: object, pct: bool = False, digits: int = 3) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v * 100:.1f}%" if pct else f"{v:.{digits}f}"
    return str(v)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


def to_markdown(results: dict, *, command: str = "python -m eval.conversations") -> str:
    lines = ["# Conversation safety: measured results", "",
             f"Produced by `{command}` on {results['generated_at']} (Python {results['machine']['python']}, "
             f"{results['machine']['processor']}). Numbers come from the run, not from this file: rerun "
             "`make eval` to reproduce. Throughput and latency were measured on a shared, busy 2-core machine "
             "and are pessimistic; `make bench` measures speed properly. See `docs/evaluation.md` for what the "
             "set is and how each measure is defined.", ""]
    if "targets" in results:
        t = results["targets"]
        lines += ["## Targets (test split)", ""]
        lines += _table(["target", "goal", "measured", "met"], [
            ["grooming conversations reaching `medium`", "≥ 90%", _f(t["grooming_recall"]["measured"], True),
             "yes" if t["grooming_recall"]["met"] else "**no**"],
            ["median share of messages seen at first `medium`", "≤ 40%",
             _f(t["median_share_at_first_alert"]["measured"], True),
             "yes" if t["median_share_at_first_alert"]["met"] else "**no**"],
            ["benign conversations reaching `medium`", "≤ 2%", _f(t["benign_alert_rate"]["measured"], True),
             "yes" if t["benign_alert_rate"]["met"] else "**no**"],
        ])
    splits = results.get("splits", {})
    if splits:
        lines += ["## Conversation level", ""]
        names = list(splits)
        rows = []

        def row(label: str, get) -> None:
            rows.append([label] + [get(splits[n]) for n in names])

        row("conversations (grooming / benign)", lambda r: f"{r['conversation']['conversations']} "
            f"({r['conversation']['grooming']} / {r['conversation']['benign']})")
        row("messages", lambda r: str(r["conversation"]["messages"]))
        row("ROC AUC (highest risk per conversation)", lambda r: _f(r["conversation"]["roc_auc"]))
        row("precision at `medium`", lambda r: _f(r["conversation"]["precision"], True))
        row("recall at `medium` (grooming warned)", lambda r: _f(r["conversation"]["recall"], True))
        row("benign reaching `medium`", lambda r: f"{_f(r['conversation']['benign_alert_rate'], True)} "
            f"({r['conversation']['benign_alerted']})")
        row("median share seen at first `medium`", lambda r: _f(r["conversation"]["median_share_at_first_alert"], True))
        row("median message number at first `medium`",
            lambda r: _f(r["conversation"]["median_message_at_first_alert"], digits=1))
        row("grooming warned within first 40%", lambda r: _f(r["conversation"]["share_alerted_within_40pct"], True))
        row("F1 / speed / latency-weighted F1", lambda r: " / ".join(_f(r["conversation"]["latency_f1"][k])
                                                                     for k in ("f1", "speed", "f_latency")))
        row("latency penalty 0.5 at (messages)", lambda r: _f(r["conversation"]["latency_f1"]["k_half"], digits=1))
        row("throughput (messages/s, one engine)", lambda r: str(round(r["speed"]["messages_per_second"] or 0)))
        row("latency p50 / p99 / max (ms)", lambda r: " / ".join(_f(r["speed"][k], digits=2)
                                                                 for k in ("p50_ms", "p99_ms", "max_ms")))
        lines += _table(["measure"] + names, rows)
        if all("nudges" in splits[n] for n in names):
            lines += ["## Nudges", "", "A nudge is for the child only; one addressed to the offender would tell the sender "
                      "what was detected.", ""]
            lines += _table(["measure"] + names, [
                ["nudges given"] + [str(splits[n]["nudges"]["nudges"]) for n in names],
                ["grooming conversations where the child was nudged"]
                + [_f(splits[n]["nudges"]["grooming_with_child_nudged"], True) for n in names],
                ["tactic nudges addressed to the offender (must be 0)"]
                + [str(splits[n]["nudges"]["nudges_addressed_to_offender"]) for n in names],
                ["personal-detail nudges to an offender about their own message"]
                + [str(splits[n]["nudges"].get("personal_detail_nudges_to_offender", "–")) for n in names],
                ["benign conversations with any nudge (incl. personal details)"]
                + [_f(splits[n]["nudges"]["benign_with_any_nudge"], True) for n in names],
            ])
        lines += ["## Per tactic (message level)", "",
                  "A message detects a tactic when the engine's `message_signals` for it name that tactic. "
                  "\"Cues forgiven\" ignores detections on hard-negative messages whose surface cue is that tactic.", ""]
        header = ["tactic"] + [f"{n} {k}" for n in names for k in ("precision", "recall", "prec. cues forgiven")]
        rows = []
        for tactic in TACTICS:
            r = [tactic]
            for n in names:
                v = splits[n]["tactics"][tactic]
                r += [_f(v["precision"], True), _f(v["recall"], True), _f(v["precision_cues_forgiven"], True)]
            rows.append(r)
        lines += _table(header, rows)
        lines += ["## Per category", ""]
        cats = sorted({c for n in names for c in splits[n]["categories"]})
        header = ["category"] + [f"{n} {k}" for n in names for k in ("reach medium", "median share", "tactic recall")]
        rows = []
        for cat in cats:
            r = [cat]
            for n in names:
                v = splits[n]["categories"].get(cat)
                r += ([_f(v["alert_rate"], True), _f(v["median_share_at_first_alert"], True),
                       _f(v["tactic_recall"], True)] if v else ["–"] * 3)
            rows.append(r)
        lines += _table(header, rows)
    if "evasion_cost" in results:
        cost = results["evasion_cost"]
        base = cost["transforms"]["none"]
        lines += [f"## What each disguise costs ({cost['split']} split)", "",
                  "The same plain conversations run again with each disguise applied to the offender's tactic "
                  "messages (grooming) or to every message (benign).", ""]
        lines += _table(["disguise", "tactic recall", "change", "grooming reach medium", "median share at first",
                         "benign reach medium"],
                        [[name, _f(v["tactic_recall"], True),
                          "" if name == "none" else f"{(v['tactic_recall'] - base['tactic_recall']) * 100:+.1f} pts",
                          _f(v["grooming_alert_rate"], True), _f(v["median_share_at_first_alert"], True),
                          _f(v["benign_alert_rate"], True)] for name, v in cost["transforms"].items()])
    if "chatterbot" in results:
        c = results["chatterbot"]
        pii = c.get("pii_on_messages", {})
        lines += ["## Benign dialogue nobody here wrote (chatterbot-corpus)", ""]
        lines += _table(["measure", "value"], [
            ["conversations / messages", f"{c['conversation']['conversations']} / {c['conversation']['messages']}"],
            ["conversations reaching `medium`", f"{_f(c['conversation']['benign_alert_rate'], True)} "
                                                f"({c['conversation']['benign_alerted']})"],
            ["messages where the PII guard fired", f"{_f(pii.get('share'), True)} ({pii.get('flagged')}: "
             + (", ".join(f"{k} {v}" for k, v in pii.get("kinds", {}).items()) or "none") + ")"],
        ])
    if "pan2012" in results:
        c = results["pan2012"]["conversation"]
        lines += ["## PAN 2012", ""]
        lines += _table(["measure", "value"], [["ROC AUC", _f(c["roc_auc"])], ["precision", _f(c["precision"], True)],
                                               ["recall", _f(c["recall"], True)],
                                               ["latency-weighted F1", _f(c["latency_f1"]["f_latency"])]])
    if "pii" in results:
        lines += ["## Personal details guard", "",
                  "Labelled set `eval/conversations/data/pii.jsonl`; a detection counts when kind matches and spans "
                  "overlap. The recognizers were written alongside this set (both splits), so this is coverage.", ""]
        names = list(results["pii"])
        kinds = sorted({k for n in names for k in results["pii"][n]["kinds"]})
        rows = []
        for k in kinds + ["ALL"]:
            r = [k]
            for n in names:
                v = results["pii"][n]["overall"] if k == "ALL" else results["pii"][n]["kinds"].get(k)
                r += [_f(v["precision"], True), _f(v["recall"], True), f"{v['tp']}/{v['fp']}/{v['fn']}"] if v else ["–"] * 3
            rows.append(r)
        lines += _table(["kind"] + [f"{n} {h}" for n in names for h in ("precision", "recall", "tp/fp/fn")], rows)
    return "\n".join(lines).rstrip() + "\n"
