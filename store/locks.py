"""One SQLite writer at a time across threads *and* processes, without SQLite's busy-wait.

SQLite allows one write transaction at a time; a second writer waits in SQLite's busy handler,
which sleeps in steps of up to 100 ms and so turns contention into long tail latencies. This lock
makes writers queue instead: threads of one process on a lock, processes (gunicorn workers) on an
``flock`` of a file next to the database, and the kernel wakes the next writer the moment the
previous one commits. Together with group commit (store/log_writer.py), several worker processes
can share one SQLite file.
"""
from __future__ import annotations

import fcntl
import os
import threading


class FileWriteLock:
    """Re-entrant within a thread; exclusive across threads and processes."""

    def __init__(self, path: str):
        self._path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._fd: tuple[int, int] | None = None    # (pid, descriptor): a forked worker opens its own

    def _descriptor(self) -> int:
        if self._fd is None or self._fd[0] != os.getpid():
            self._fd = (os.getpid(), os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._fd[1]

    def __enter__(self):
        self._lock.acquire()
        if self._depth == 0:
            try:
                fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
            except BaseException:
                self._lock.release()
                raise
        self._depth += 1
        return self

    def __exit__(self, *exc):
        self._depth -= 1
        if self._depth == 0:
            fcntl.flock(self._fd[1], fcntl.LOCK_UN)
        self._lock.release()
        return False
