"""Group commit for the decision log: many decisions per transaction, none acknowledged early.

Each request thread hands its record to :meth:`GroupCommitWriter.append` and blocks. The first
thread that finds no commit in progress becomes the *leader*: it takes every record waiting in the
queue (up to ``max_batch``), appends them to the chain in one transaction (one fsync, one chain-head
update, one signature) and, only after the commit returned, wakes each waiting thread with its own
stored record, or with the error that made the transaction fail. Records that arrive while a
commit runs wait for the next one, so under load a batch holds about as many records as there are
threads waiting; a lone request commits alone without waiting for company.

Each waiter sleeps on its own lock and is woken exactly once: by the leader that committed its
record, or to lead the next batch itself (the leader hands over to the oldest waiter instead of
waking everyone to compete). Under load a condition with ``notify_all`` woke every waiting
thread per batch, and the context switches that caused cost more CPU than the SQL.

No background thread: the leader is always a request thread, so the writer survives ``fork``
(gunicorn workers) and stops when the process stops. A request is answered only when its record
is committed: if the process dies before the commit, the transaction is rolled back by the
database and no one was told "yes".
"""
from __future__ import annotations

import threading
from collections import deque
from typing import Any, Callable


class _Pending:
    __slots__ = ("item", "result", "error", "done", "wake")

    def __init__(self, item):
        self.item = item
        self.result = None
        self.error: BaseException | None = None
        self.done = False
        self.wake = threading.Lock()
        self.wake.acquire()        # released once: "your record is committed" or "lead the next batch"


class GroupCommitWriter:
    """``commit(items) -> list[result | Exception]`` is called with a batch, in queue order."""

    def __init__(self, commit: Callable[[list], list], max_batch: int = 512):
        self._commit = commit
        self._max_batch = max_batch
        self._queue: deque[_Pending] = deque()
        self._lock = threading.Lock()
        self._leading = False
        self.batches = 0      # statistics (bench, tests)
        self.records = 0

    def append(self, item) -> Any:
        pending = _Pending(item)
        with self._lock:
            self._queue.append(pending)
            lead = not self._leading
            self._leading = True
        if not lead:
            pending.wake.acquire()     # committed by another leader, or handed the lead
        while not pending.done:        # leading: our own record is at the head of the queue
            self._lead()
        if pending.error is not None:
            raise pending.error
        return pending.result

    def _lead(self) -> None:
        with self._lock:
            batch = [self._queue.popleft() for _ in range(min(len(self._queue), self._max_batch))]
        try:
            try:
                outcomes = self._commit([p.item for p in batch])
            except BaseException as exc:  # noqa: BLE001 - every waiter gets the failure, none a "yes"
                outcomes = [exc] * len(batch)
            for p, outcome in zip(batch, outcomes):
                if isinstance(outcome, BaseException):
                    p.error = outcome
                else:
                    p.result = outcome
        finally:
            for p in batch:
                p.done = True
            with self._lock:
                self.batches += 1
                self.records += len(batch)
                successor = self._queue[0] if self._queue else None
                self._leading = successor is not None
            for p in batch:
                p.wake.release()           # (the leader's own lock too: harmless, nobody waits on it)
            if successor is not None:
                successor.wake.release()   # not done: it leads the next batch (its record heads the queue)

