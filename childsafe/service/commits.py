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

Write = Callable[[Session], Any]
_STOP = object()


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
        """Run ``fn(session)`` in a shared transaction; returns its result once committed."""
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
            with self.db.session() as s:
                results = [fn(s) for fn, _, _ in batch]
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
            with self.db.session() as s:
                result = fn(s)
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
