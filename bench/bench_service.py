"""POST /v1/messages under load: requests/s and latency percentiles, SQLite and PostgreSQL in one run.

The server is ``childsafe serve`` (uvicorn, uvloop, httptools) in its own process; the load generator
is a second process on loopback: an asyncio client with keep-alive connections that pre-builds its
requests so it spends as little CPU as possible (this machine has 2 cores shared by both). Each
connection sends its next request as soon as the previous answer arrives (closed loop), so by
Little's law latency grows with the number of connections; several connection counts are shown.

Targets (issue 5): >= 1,000 requests/s with SQLite and p99 < 25 ms. The peer is the same server on
PostgreSQL, measured in the same run.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

DURATION_S = float(os.environ.get("BENCH_SERVICE_SECONDS", "8"))
WARMUP_S = 2.0
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_SERVICE_CONNECTIONS", "8,32").split(",")]
WORKERS = [int(w) for w in os.environ.get("BENCH_SERVICE_WORKERS", "1,2").split(",")]
PG_ADMIN_URL = os.environ.get("CHILDSAFE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
CHILDSAFE = str(Path(sys.executable).with_name("childsafe"))

TEXTS = [
    "did you finish the maths homework?",
    "yeah question 4 was hard",
    "see you at football practice tomorrow",
    "lol that video was so funny",
    "what time does the film start",
    "my mum says i can come over on saturday",
    "you seem really mature for your age",
    "this is just between us ok",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the load generator (runs in its own process) ---------------------------------------------

def _requests(key: str, port: int, conn_no: int, count: int) -> list[bytes]:
    out = []
    for n in range(count):
        cid = f"bench-{conn_no}-{n % 50}"
        body = json.dumps({
            "conversation_id": cid, "message_id": f"{cid}-{conn_no}-{n}",
            "sender": {"id": f"u{conn_no}-{n % 50}", "age": 14}, "recipients": [{"id": f"v{conn_no}-{n % 50}", "age": 14}],
            "sent_at": "2026-05-01T12:00:00Z", "text": TEXTS[n % len(TEXTS)],
        }).encode()
        head = (f"POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        out.append(head + body)
    return out


async def _connection(port: int, requests: list[bytes], stop_at: float, measure_from: float,
                      latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    while True:
        now = time.perf_counter()
        if now >= stop_at:
            break
        writer.write(requests[i % len(requests)])
        i += 1
        status_line = await reader.readline()
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await reader.readexactly(length)
        done = time.perf_counter()
        if now >= measure_from:
            if status_line[9:12] == b"200":
                latencies.append(done - now)
            else:
                errors.append(int(status_line[9:12] or 0))
    writer.close()


async def _load(port: int, key: str, connections: int, duration: float) -> dict:
    latencies: list[float] = []
    errors: list[int] = []
    start = time.perf_counter()
    measure_from = start + WARMUP_S
    stop_at = measure_from + duration
    per_conn = [_requests(key, port, c, 4000) for c in range(connections)]
    await asyncio.gather(*(_connection(port, per_conn[c], stop_at, measure_from, latencies, errors)
                           for c in range(connections)))
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    if errors:
        print(f"error statuses: {sorted(set(errors))}", file=sys.stderr)
    return {"connections": connections, "ok": len(latencies), "errors": len(errors), "rps": len(latencies) / duration,
            "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99), "max_ms": latencies[-1] * 1000 if latencies else 0}


def _load_main(port: int, key: str, connections: int, duration: float) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(_load(port, key, connections, duration))))


# ---- the server ---------------------------------------------------------------------------------

class BenchServer:
    def __init__(self, database_url: str | None, workers: int = 1) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="childsafe-bench-"))
        self.database_url = database_url
        self.port = _free_port()
        self.workers = workers
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CHILDSAFE_")}
        if os.environ.get("CHILDSAFE_GROUP_COMMIT"):
            self.env["CHILDSAFE_GROUP_COMMIT"] = os.environ["CHILDSAFE_GROUP_COMMIT"]
        where = ["--database", database_url] if database_url else ["--data-dir", str(self.tmp)]
        made = subprocess.run([CHILDSAFE, "keys", "create", "--scopes", "ingest", *where], capture_output=True,
                              text=True, env=self.env, check=True)
        self.key = made.stdout.strip()
        self.log = open(self.tmp / "server.log", "wb")
        self.proc = subprocess.Popen([CHILDSAFE, "serve", "--port", str(self.port), "--workers", str(workers), *where],
                                     env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start: " + (self.tmp / "server.log").read_text()[-2000:])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (uvicorn workers), from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _measure(server: BenchServer, connections: int) -> dict:
    cpu_before = _cpu_seconds(server.proc.pid)
    out = subprocess.run(
        [sys.executable, "-c", f"from bench.bench_service import _load_main; _load_main({server.port}, {server.key!r}, "
                               f"{connections}, {DURATION_S})"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent, check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    total = result["ok"] * (DURATION_S + WARMUP_S) / DURATION_S  # answers in warm-up were served too
    result["cpu_ms"] = (_cpu_seconds(server.proc.pid) - cpu_before) * 1000 / max(1.0, total)
    return result


def _pg_database() -> tuple[str, str] | None:
    try:
        import psycopg

        name = f"childsafe_bench_{os.getpid()}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return name, PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    except Exception as exc:
        print(f"PostgreSQL unavailable ({type(exc).__name__}); measuring SQLite only")
        return None


def _drop_pg(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    print(f"POST /v1/messages, {DURATION_S:.0f}s per row after {WARMUP_S:.0f}s warm-up, load generator in a second "
          f"process on loopback, {os.cpu_count()} cores shared (noisy when others use the CPU)")
    results: list[tuple[str, dict]] = []
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    pg = _pg_database()
    if pg is not None:
        backends.append(("postgresql", pg[1]))
    try:
        for name, url in backends:
            for workers in WORKERS:
                server = BenchServer(url, workers)
                try:
                    for c in CONNECTIONS:
                        results.append((name, {**_measure(server, c), "workers": workers}))
                finally:
                    server.stop()
    finally:
        if pg is not None:
            _drop_pg(pg[0])
    load = os.getloadavg()[0]
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores")
    print(f"{'database':<11} {'workers':>7} {'conns':>5} {'req/s':>8} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7} "
          f"{'errors':>6} {'server CPU ms/req':>18} {'req/s per idle core':>20}")
    for name, r in results:
        print(f"{name:<11} {r['workers']:>7} {r['connections']:>5} {r['rps']:>8.0f} {r['p50_ms']:>7.1f} {r['p90_ms']:>7.1f} "
              f"{r['p99_ms']:>7.1f} {r['max_ms']:>7.1f} {r['errors']:>6} {r['cpu_ms']:>18.2f} "
              f"{1000 / r['cpu_ms'] if r['cpu_ms'] else float('nan'):>20.0f}")
    best_sqlite = max((r for n, r in results if n == "sqlite"), key=lambda r: r["rps"])
    print(f"target: sqlite >= 1000 req/s: {best_sqlite['rps']:.0f} ({'met' if best_sqlite['rps'] >= 1000 else 'NOT met'}); "
          f"p99 < 25 ms at {CONNECTIONS[0]} connections: "
          f"{results[0][1]['p99_ms']:.1f} ms ({'met' if results[0][1]['p99_ms'] < 25 else 'NOT met'})")
    for w in WORKERS:
        for c in CONNECTIONS:
            s = next((r for n, r in results if n == "sqlite" and r["connections"] == c and r["workers"] == w), None)
            p = next((r for n, r in results if n == "postgresql" and r["connections"] == c and r["workers"] == w), None)
            if s and p and p["rps"]:
                print(f"ratio sqlite/postgresql req/s, {w} worker(s), {c} connections: {s['rps'] / p['rps']:.2f}x")


if __name__ == "__main__":
    main()
