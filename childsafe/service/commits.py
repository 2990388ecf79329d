"""Group commit: concurrent requests' writes share one transaction, so durability costs one commit per
batch instead of one per request. A request is answered only after the transaction holding its writes
has committed, so every acknowledged event is durable. If a batch fails, each of its writes is retried
alone, so one bad write never takes its neighbours down and nothing is half-written.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Any, Callable

from sqlalchemy.orm import Session

log = logging.getLogger("childsafe.service.commits")

_STOP = object()


class Batch:
    """One group commit: statements that must run at once go through ``session``; plain inserts are
    collected with :meth:`insert` and written as one multi-row insert per table at the end."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[Any, list[dict]] = {}

    def insert(self, model: Any, rows: list[dict]) -> None:
        table = getattr(model, "__table__", model)
        self.rows.setdefault(table, []).extend(rows)

    def flush(self) -> None:
        if self.rows:
            conn = self.session.connection()
            for table, rows in self.rows.items():
                conn.execute(table.insert(), rows)
            self.rows.clear()


Write = Callable[[Batch], Any]


def run_batch(db, fns: list[Write]) -> list[Any]:
    """Run writes in one transaction; all of them commit, or none."""
    with db.session() as s:
        batch = Batch(s)
        results = [fn(batch) for fn in fns]
        batch.flush()
    return results


class GroupCommitter:
    def __init__(self, db, *, max_batch: int = 128, on_batch: Callable[[int], None] | None = None) -> None:
        self.db = db
        self.max_batch = max_batch
        self.on_batch = on_batch
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="childsafe-commits", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread is not None:
            self.queue.put(_STOP)
            self.thread.join(timeout=30)
            self.thread = None

    async def write(self, fn: Write) -> Any:
        """Run ``fn(batch)`` in a shared transaction; returns its result once committed."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.queue.put((fn, loop, future))
        return await future

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is _STOP:
                return
            batch = [item]
            stopping = False
            while len(batch) < self.max_batch:
                try:
                    nxt = self.queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is _STOP:
                    stopping = True
                    break
                batch.append(nxt)
            self._commit(batch)
            if stopping:
                return

    def _commit(self, batch: list) -> None:
        try:
            results = run_batch(self.db, [fn for fn, _, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _, loop, future = batch[0]
                loop.call_soon_threadsafe(_resolve, future, None, exc)
                return
            for fn, loop, future in batch:
                self._settle_one(fn, loop, future)
            return
        if self.on_batch is not None:
            self.on_batch(len(batch))
        for (fn, loop, future), result in zip(batch, results):
            loop.call_soon_threadsafe(_resolve, future, result, None)

    def _settle_one(self, fn: Write, loop, future) -> None:
        try:
            result = run_batch(self.db, [fn])[0]
        except Exception as exc:
            loop.call_soon_threadsafe(_resolve, future, None, exc)
            return
        loop.call_soon_threadsafe(_resolve, future, result, None)


def _resolve(future: asyncio.Future, result: Any, exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


class InlineCommitter:
    """Group commit on the event loop itself, for SQLite: writes queued during one turn of the loop
    are committed together at the end of that turn. A local SQLite commit takes well under a
    millisecond, so running it on the loop costs less than handing every batch to a thread."""

    def __init__(self, db, *, max_batch: int = 256, on_batch: Callable[[int], None] | None = None) -> None:
        self.db = db
        self.max_batch = max_batch
        self.on_batch = on_batch
        self.pending: list[tuple[Write, asyncio.Future]] = []
        self.scheduled = False

    def start(self) -> None:
        pass

    def stop(self) -> None:
        if self.pending:
            self._flush()

    async def write(self, fn: Write) -> Any:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((fn, future))
        if not self.scheduled:
            self.scheduled = True
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        self.scheduled = False
        batch, self.pending = self.pending[: self.max_batch], self.pending[self.max_batch:]
        if self.pending:
            self.scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)
        if not batch:
            return
        try:
            results = run_batch(self.db, [fn for fn, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                _resolve(batch[0][1], None, exc)
                return
            for fn, future in batch:
                try:
                    result = run_batch(self.db, [fn])[0]
                except Exception as one:
                    _resolve(future, None, one)
                else:
                    _resolve(future, result, None)
            return
        if self.on_batch is not None:
            self.on_batch(len(batch))
        for (_, future), result in zip(batch, results):
            _resolve(future, result, None)
