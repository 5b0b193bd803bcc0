"""Group commit for the decision log: many decisions per transaction, none acknowledged early.

Each request thread hands its record to :meth:`GroupCommitWriter.append` and blocks. The first
thread that finds no commit in progress becomes the *leader*: it takes every record waiting in the
queue (up to ``max_batch``), appends them to the chain in one transaction (one fsync, one chain-head
update, one signature) and, only after the commit returned, wakes each waiting thread with its own
stored record, or with the error that made the transaction fail. Records that arrive while a
commit runs wait for the next one, so under load a batch holds about as many records as there are
threads waiting; a lone request commits alone without waiting for company.

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
    __slots__ = ("item", "result", "error", "done")

    def __init__(self, item):
        self.item = item
        self.result = None
        self.error: BaseException | None = None
        self.done = False


class GroupCommitWriter:
    """``commit(items) -> list[result | Exception]`` is called with a batch, in queue order."""

    def __init__(self, commit: Callable[[list], list], max_batch: int = 512):
        self._commit = commit
        self._max_batch = max_batch
        self._queue: deque[_Pending] = deque()
        self._cond = threading.Condition()
        self._leading = False
        self.batches = 0      # statistics (bench, tests)
        self.records = 0

    def append(self, item) -> Any:
        pending = _Pending(item)
        with self._cond:
            self._queue.append(pending)
        while True:
            with self._cond:
                while not pending.done and self._leading:
                    self._cond.wait()
                if pending.done:
                    return self._outcome(pending)
                self._leading = True
                batch = [self._queue.popleft() for _ in range(min(len(self._queue), self._max_batch))]
            self._run(batch)

    def _run(self, batch: list[_Pending]) -> None:
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
            with self._cond:
                for p in batch:
                    p.done = True
                self.batches += 1
                self.records += len(batch)
                self._leading = False
                self._cond.notify_all()

    @staticmethod
    def _outcome(pending: _Pending):
        if pending.error is not None:
            raise pending.error
        return pending.result
