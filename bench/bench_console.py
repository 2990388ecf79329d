"""Console speed: the queue page with 10,000 open cases (target < 300 ms), measured end to end in-process
(ASGI request -> auth cookie -> queries -> Jinja render), against two peers in the same run:
the JSON API listing the same 100 cases (``GET /v1/cases?limit=100``: no HTML) and a naive queue page that
renders every open case on one page (what the console avoids by paging).

Noisy on a shared 2-core machine; medians of repeated requests are reported.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

N_CASES = int(os.environ.get("BENCH_CONSOLE_CASES", "10000"))
REPEATS = int(os.environ.get("BENCH_CONSOLE_REPEATS", "30"))
TARGET_MS = 300.0
TRIGGERS = [("media_match", "urgent"), ("conversation", "high"), ("conversation", "urgent"), ("live_nudity", "high"),
            ("manual", "normal"), ("manual", "low")]


def _seed(db) -> None:
    from childsafe.cases.models import Case
    from childsafe.cases.records import RETENTION_DAYS, priority_rank

    t0 = datetime.now(timezone.utc) - timedelta(days=3)
    rows = []
    for n in range(N_CASES):
        kind, prio = TRIGGERS[n % len(TRIGGERS)]
        at = t0 + timedelta(seconds=n * 7)
        rows.append({"id": f"case_{n:06d}", "trigger_kind": kind, "trigger_event_id": None,
                     "trigger_reason": f"bench case {n} ({kind})", "subject_user_id": f"user{n % 997}",
                     "conversation_id": f"conv{n}" if kind == "conversation" else None, "evidence": [],
                     "priority": prio, "priority_rank": priority_rank(kind, prio), "state": "open",
                     "opened_at": at, "updated_at": at, "version": 1, "escalated": False, "legal_hold": False,
                     "retain_until": at + timedelta(days=RETENTION_DAYS)})
    with db.session() as s:
        s.execute(Case.__table__.insert(), rows)


def _time(client, path: str, headers: dict | None = None) -> tuple[float, float, int]:
    samples = []
    size = 0
    for _ in range(REPEATS):
        t = time.perf_counter()
        r = client.get(path, headers=headers or {})
        samples.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        size = len(r.content)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], size


def main() -> None:
    warnings.filterwarnings("ignore")
    from fastapi.testclient import TestClient

    from childsafe.service import keys as keymod
    from childsafe.service.app import create_app
    from childsafe.service.console.views import PAGE_SIZE
    from childsafe.service.routers.console import templates
    from childsafe.service.settings import load_settings
    from childsafe.store import open_database

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        db = open_database(data_dir)
        t = time.perf_counter()
        _seed(db)
        seed_s = time.perf_counter() - t
        with db.session() as s:
            key, _ = keymod.create_key(s, ["moderate"], name="bench")
        db.dispose()
        app = create_app(load_settings(None, data_dir=data_dir))


        with TestClient(app) as client:
            client.post("/console/login", data={"key": key})
            console_p50, console_p95, console_bytes = _time(client, "/console")
            last_page = (N_CASES + PAGE_SIZE - 1) // PAGE_SIZE
            deep_p50, deep_p95, _ = _time(client, f"/console?page={last_page}")
            api_p50, api_p95, api_bytes = _time(client, "/v1/cases?limit=100", {"Authorization": f"Bearer {key}"})
            case_p50, case_p95, _ = _time(client, "/console/cases/case_000000")
            transp_p50, transp_p95, _ = _time(client, "/console/transparency")

            # Peer: render every open case in one page (same template, no paging).
            from childsafe.service.console import views

            svc = app.state.service
            naive = []
            for _ in range(max(3, REPEATS // 10)):
                t = time.perf_counter()
                with svc.db.session() as s:
                    old = views.PAGE_SIZE
                    views.PAGE_SIZE = N_CASES
                    try:
                        view = views.queue_view(s, 1)
                    finally:
                        views.PAGE_SIZE = old
                html = templates.get_template("queue.html").render(view | {"who": None, "csrf": "x", "request": None})
                naive.append((time.perf_counter() - t) * 1000)
            naive_p50 = statistics.median(naive)

    print(f"{N_CASES} open cases (seeded in {seed_s:.1f}s), SQLite, {REPEATS} requests each, in-process ASGI client")
    print(f"\n{'page':52s} {'p50 ms':>8s} {'p95 ms':>8s} {'bytes':>9s}")
    print(f"{'console queue, first page (100 rows)':52s} {console_p50:>8.1f} {console_p95:>8.1f} {console_bytes:>9d}")
    print(f"{'console queue, last page':52s} {deep_p50:>8.1f} {deep_p95:>8.1f} {'':>9s}")
    print(f"{'console case page':52s} {case_p50:>8.1f} {case_p95:>8.1f} {'':>9s}")
    print(f"{'console transparency page (period over all cases)':52s} {transp_p50:>8.1f} {transp_p95:>8.1f} {'':>9s}")
    print(f"{'peer: JSON API GET /v1/cases?limit=100':52s} {api_p50:>8.1f} {api_p95:>8.1f} {api_bytes:>9d}")
    print(f"{'peer: naive queue, all cases on one page (no HTTP)':52s} {naive_p50:>8.1f} {'-':>8s} {len(html):>9d}")
    print(f"target: queue page < {TARGET_MS:.0f} ms with {N_CASES} open cases: "
          f"{'met' if console_p95 < TARGET_MS else 'NOT met'} (p95 {console_p95:.1f} ms)")
    print(f"ratio console queue page / JSON API (same 100 cases), p50: {console_p50 / api_p50:.2f}x")
    print(f"ratio naive all-cases page / console queue page, p50: {naive_p50 / console_p50:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
