"""Banks end to end: importing a hash list and looking hashes up with their bank metadata.

childsafe: ``BankStore.import_file`` (SQLite, one transaction) then ``Matcher.match_hash`` /
``match_hashes`` (persisted exact index + entry labels from the database), the path
``childsafe match --hash`` takes. Peer: python-threatexchange's ``PDQIndex2`` (the index HMA uses)
built from the same (hash, metadata) pairs and queried one hash at a time, which returns its
metadata from memory. Random hashes; half the queries lie within 16 bits of a banked hash.
Numbers are from a shared 2-core machine, so they are noisy.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

N_BANKED = 100_000
N_QUERIES = 2_000
N_PEER_QUERIES = 300


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


def _near(rng: random.Random, h: str, bits: int) -> str:
    value = int(h, 16)
    for bit in rng.sample(range(256), bits):
        value ^= 1 << bit
    return f"{value:064x}"


def _queries(rng: random.Random, banked: list[str], n: int) -> list[str]:
    return [_near(rng, rng.choice(banked), 16) if i % 2 == 0 else _hex(rng) for i in range(n)]


def main() -> None:
    from childsafe.banks import BankStore, Matcher
    from childsafe.store import open_database

    rng = random.Random(2024)
    banked = [_hex(rng) for _ in range(N_BANKED)]
    queries = _queries(rng, banked, N_QUERIES)
    rows: list[tuple[str, str, str]] = []

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        listing = Path(tmp) / "list.txt"
        listing.write_text("\n".join(banked) + "\n")
        store = BankStore(open_database(data_dir))
        store.create("bench", "pdq")
        t0 = time.perf_counter()
        store.import_file("bench", listing, labels=["A1"])
        import_s = time.perf_counter() - t0
        rows.append(("childsafe import (SQLite)", f"{N_BANKED / import_s:,.0f} hashes/s", f"{import_s:.2f} s"))

        matcher = Matcher(store.db, data_dir)
        t0 = time.perf_counter()
        matcher.pdq_index.current()
        build_s = time.perf_counter() - t0
        rows.append(("childsafe index build + save", f"{build_s:.2f} s", ""))

        fresh = Matcher(open_database(data_dir), data_dir)
        t0 = time.perf_counter()
        fresh.pdq_index.current()
        rows.append(("childsafe index load (new process)", f"{(time.perf_counter() - t0) * 1000:.1f} ms", ""))

        latencies = []
        found = 0
        for q in queries:
            t = time.perf_counter()
            found += bool(matcher.match_hash(q).matches)
            latencies.append(time.perf_counter() - t)
        ours_single = len(queries) / sum(latencies)
        p50 = statistics.median(latencies) * 1e3
        p99 = statistics.quantiles(latencies, n=100)[98] * 1e3
        rows.append(("childsafe match_hash (with labels)", f"{ours_single:,.0f} lookups/s",
                     f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, {found} matched"))

        t0 = time.perf_counter()
        batch = matcher.match_hashes(queries)
        batch_s = time.perf_counter() - t0
        assert sum(bool(r.matches) for r in batch) == found
        ours_batch = len(queries) / batch_s
        rows.append(("childsafe match_hashes (one batch)", f"{ours_batch:,.0f} lookups/s", ""))

        entry_id = matcher.match_hash(banked[0]).matches[0].entry_id
        store.disable_entry("bench", entry_id, "false positive")
        t0 = time.perf_counter()
        assert matcher.match_hash(banked[0]).matches == []
        rows.append(("childsafe disable, then next lookup", f"{(time.perf_counter() - t0) * 1000:.0f} ms",
                     "index updated in place and saved"))
        more = Path(tmp) / "more.txt"
        more.write_text("\n".join(_hex(rng) for _ in range(1000)) + "\n")
        store.import_file("bench", more)
        t0 = time.perf_counter()
        matcher.match_hash(banked[1])
        rows.append(("childsafe import 1,000 more, then next lookup", f"{(time.perf_counter() - t0) * 1000:.0f} ms",
                     "rows appended and saved"))

    from threatexchange.signal_type.pdq.pdq_index2 import PDQIndex2

    t0 = time.perf_counter()
    peer = PDQIndex2.build([(h, {"labels": ["A1"], "id": i}) for i, h in enumerate(banked)])
    peer_build_s = time.perf_counter() - t0
    rows.append(("threatexchange PDQIndex2 build", f"{peer_build_s:.2f} s", "in memory only"))
    peer_queries = queries[:N_PEER_QUERIES]
    latencies = []
    peer_found = 0
    for q in peer_queries:
        t = time.perf_counter()
        peer_found += bool(peer.query(q))
        latencies.append(time.perf_counter() - t)
    peer_single = len(peer_queries) / sum(latencies)
    rows.append(("threatexchange PDQIndex2.query", f"{peer_single:,.0f} lookups/s",
                 f"p50 {statistics.median(latencies) * 1e3:.2f} ms, {peer_found}/{len(peer_queries)} matched"))
    ours_found_head = sum(bool(r.matches) for r in batch[:N_PEER_QUERIES])

    width = max(len(r[0]) for r in rows)
    print(f"{N_BANKED:,} random PDQ hashes banked, {N_QUERIES:,} queries (half within 16 bits of a banked hash)")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>20}  {note}")
    print(f"same answers on the first {N_PEER_QUERIES} queries: {ours_found_head == peer_found}")
    print(f"ratio single lookups childsafe/threatexchange: {ours_single / peer_single:.1f}x")
    print(f"ratio batched lookups childsafe/threatexchange single: {ours_batch / peer_single:.1f}x")
    print(f"ratio build childsafe(import+index)/threatexchange(index): {(import_s + build_s) / peer_build_s:.2f}x time")


if __name__ == "__main__":
    main()
