"""``python -m eval.conversations`` (``make eval``): measure grooming detection and the PII guard.

Prints tables for the dev, validation and test splits, the benign chatterbot-corpus dialogue, the labelled
personal-details set and, when given, the PAN 2012 corpus; writes every number as JSON to
``eval/results/conversations.json``. Targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

from childsafe.errors import ChildsafeError
from eval.conversations import pii_set, report, runner
from eval.conversations.dataset import TACTICS, load_split
from eval.conversations.external import load_chatterbot, load_pan2012

RESULTS = Path(__file__).resolve().parent.parent / "results" / "conversations.json"


def fmt(v: object, pct: bool = False) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v * 100:5.1f}%" if pct else f"{v:.3f}"
    return str(v)


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


def print_split(name: str, res: dict) -> None:
    c, s = res["conversation"], res["speed"]
    lat = c.get("latency_f1", {})
    table(f"== {name}: {c['conversations']} conversations ({c['grooming']} grooming, {c['benign']} benign), "
          f"{c['messages']} messages", ["measure", "value"], [
              ["ROC AUC (max risk per conversation)", fmt(c["roc_auc"])],
              ["precision at level >= medium", fmt(c["precision"], True)],
              ["recall at level >= medium (grooming warned)", fmt(c["recall"], True)],
              ["benign conversations reaching medium", f"{fmt(c['benign_alert_rate'], True)} ({c['benign_alerted']})"],
              ["median share of conversation seen at first medium", fmt(c["median_share_at_first_alert"], True)],
              ["median message number at first medium", fmt(c["median_message_at_first_alert"])],
              ["grooming warned within first 40% of messages", fmt(c["share_alerted_within_40pct"], True)],
              ["F1 / speed / latency-weighted F1", f"{fmt(lat.get('f1'))} / {fmt(lat.get('speed'))} / "
                                                   f"{fmt(lat.get('f_latency'))} (p={fmt(lat.get('p'))}, "
                                                   f"penalty 0.5 at {fmt(lat.get('k_half'))} msgs)"],
              ["throughput (messages/s, one engine, this machine)", fmt(s["messages_per_second"] and round(s["messages_per_second"]))],
              ["latency p50 / p99 / max (ms)", f"{fmt(s['p50_ms'])} / {fmt(s['p99_ms'])} / {fmt(s['max_ms'])}"],
          ])
    if "nudges" in res:
        n = res["nudges"]
        table(f"-- {name}: nudges (for the child only)", ["measure", "value"], [
            ["nudges given", str(n["nudges"])],
            ["grooming conversations where the child was nudged", fmt(n["grooming_with_child_nudged"], True)],
            ["tactic nudges addressed to the offender (must be 0)", str(n["nudges_addressed_to_offender"])],
            ["personal-detail nudges to an offender about their own message", str(n["personal_detail_nudges_to_offender"])],
            ["benign conversations with any nudge (incl. personal-detail nudges)", fmt(n["benign_with_any_nudge"], True)],
        ])
    if "tactics" in res:
        table(f"-- {name}: per tactic, message level", ["tactic", "tp", "fp", "fn", "precision", "recall",
                                                         "precision (cues forgiven)"],
              [[t, str(v["tp"]), str(v["fp"]), str(v["fn"]), fmt(v["precision"], True), fmt(v["recall"], True),
                fmt(v["precision_cues_forgiven"], True)] for t, v in res["tactics"].items()])
        table(f"-- {name}: per category", ["category", "convs", "reach medium", "median share at 1st",
                                           "tactic recall (msgs)"],
              [[k, str(v["conversations"]), fmt(v["alert_rate"], True), fmt(v["median_share_at_first_alert"], True),
                fmt(v["tactic_recall"], True)] for k, v in res["categories"].items()])


def print_targets(checks: dict) -> None:
    table("== targets (test split; reported, not asserted)", ["target", "goal", "measured", "met"], [
        ["grooming conversations reaching medium", ">= 90%", fmt(checks["grooming_recall"]["measured"], True),
         "yes" if checks["grooming_recall"]["met"] else "NO"],
        ["median share seen at first medium", "<= 40%", fmt(checks["median_share_at_first_alert"]["measured"], True),
         "yes" if checks["median_share_at_first_alert"]["met"] else "NO"],
        ["benign conversations reaching medium", "<= 2%", fmt(checks["benign_alert_rate"]["measured"], True),
         "yes" if checks["benign_alert_rate"]["met"] else "NO"],
    ])


def print_pii(name: str, res: dict) -> None:
    o = res["overall"]
    rows = [[k, str(v["tp"]), str(v["fp"]), str(v["fn"]), fmt(v["precision"], True), fmt(v["recall"], True)]
            for k, v in res["kinds"].items()]
    rows.append(["ALL", str(o["tp"]), str(o["fp"]), str(o["fn"]), fmt(o["precision"], True), fmt(o["recall"], True)])
    table(f"== personal details, {name}: {res['messages']} messages, {res['details']} details "
          f"(exact spans {fmt(o['exact_span_share'], True)}; p99 {fmt(res['speed']['p99_ms'])} ms)",
          ["kind", "tp", "fp", "fn", "precision", "recall"], rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.conversations", description=__doc__.splitlines()[0])
    ap.add_argument("--splits", default="dev,validation,fresh,test",
                    help="comma-separated: dev, validation (written apart from the pools), fresh (written by someone who saw neither the rules nor the other sets), test (held out)")
    ap.add_argument("--no-chatterbot", action="store_true", help="skip the chatterbot-corpus false-positive run")
    ap.add_argument("--limit", type=int, default=None, help="only the first N conversations of each split (quick check)")
    ap.add_argument("--no-evasion", action="store_true", help="skip the paired disguise-cost runs")
    ap.add_argument("--pan", nargs=2, metavar=("XML", "PREDATOR_IDS"), help="also evaluate on PAN 2012 files")
    ap.add_argument("--out", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS})")
    ap.add_argument("--markdown", type=Path, default=None, help="also write the results as Markdown (RESULTS.md)")
    args = ap.parse_args(argv)
    try:
        return _main(args, argv)
    except ChildsafeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _main(args: argparse.Namespace, argv_given: list[str] | None = None) -> int:
    started = time.time()
    results: dict = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine()},
                     "tactics": list(TACTICS), "splits": {}}
    for split in [s.strip() for s in args.splits.split(",") if s.strip()]:
        res = runner.evaluate(load_split(split)[: args.limit])
        results["splits"][split] = res
        print_split(split, res)
    if "test" in results["splits"]:
        results["targets"] = runner.targets(results["splits"]["test"])
        print_targets(results["targets"])
    if not args.no_evasion:
        split = "test" if "test" in results["splits"] else next(iter(results["splits"]), None)
        if split:
            cost = runner.evasion_cost(load_split(split)[: args.limit])
            results["evasion_cost"] = {"split": split, "transforms": cost}
            base = cost["none"]
            table(f"== what each disguise costs ({split} split: the same plain conversations, offender tactic "
                  f"messages disguised; benign ones wholly disguised)",
                  ["disguise", "tactic recall (msgs)", "change", "grooming reach medium", "median share at 1st",
                   "benign reach medium"],
                  [[name, fmt(v["tactic_recall"], True),
                    f"{(v['tactic_recall'] - base['tactic_recall']) * 100:+.1f} pts" if name != "none" else "",
                    fmt(v["grooming_alert_rate"], True), fmt(v["median_share_at_first_alert"], True),
                    fmt(v["benign_alert_rate"], True)] for name, v in cost.items()])
    if not args.no_chatterbot:
        convs = load_chatterbot()
        if convs:
            res = runner.evaluate(convs, with_tactics=False)
            res["pii_on_messages"] = runner.pii_on_benign_text(m.text for conv in convs for m in conv.messages)
            results["chatterbot"] = res
            c = res["conversation"]
            pii_fp = res["pii_on_messages"]
            table(f"== chatterbot-corpus (benign dialogue nobody here wrote): {c['conversations']} conversations, "
                  f"{c['messages']} messages", ["measure", "value"],
                  [["conversations reaching medium", f"{fmt(c['benign_alert_rate'], True)} ({c['benign_alerted']})"],
                   ["messages with a personal detail found (none are labelled)",
                    f"{fmt(pii_fp['share'], True)} ({pii_fp['flagged']}: "
                    f"{', '.join(f'{k} {v}' for k, v in pii_fp['kinds'].items()) or 'none'})"],
                   ["throughput (messages/s)", fmt(res["speed"]["messages_per_second"] and round(res["speed"]["messages_per_second"]))]])
        else:
            print("\n(chatterbot-corpus not installed: pip install chatterbot-corpus)")
    if args.pan:
        res = runner.evaluate(load_pan2012(*args.pan), with_tactics=False)
        results["pan2012"] = res
        print_split("PAN 2012", res)
    results["pii"] = {}
    for split in ("dev", "test"):
        res = runner.evaluate_pii(pii_set.load(split))
        results["pii"][split] = res
        print_pii(split, res)
    results["seconds"] = round(time.time() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({results['seconds']} s)")
    if args.markdown:
        command = "python -m eval.conversations " + " ".join(sys.argv[1:] if argv_given is None else argv_given)
        args.markdown.write_text(report.to_markdown(results, command=command.strip()), encoding="utf-8")
        print(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
