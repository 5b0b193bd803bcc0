"""Time budgets: work that runs past its budget is stopped, so it frees its worker thread.

``with interruptible(seconds):`` marks a section of pure-Python work (reading an uploaded
workbook or caseload, validating, a batch, an impact analysis) that may be stopped. A watchdog
thread raises ``BudgetExceeded`` inside the thread when the deadline passes (CPython's
``PyThreadState_SetAsyncExc``: delivered at the next bytecode, so a long C call finishes first;
the upload limits keep those short). Outside such sections nothing is ever interrupted, so writes
to the store are never cut in half. ``slots`` bounds how many such sections run at once per process,
keeping threads free for light requests (health checks, evaluations, pages).

Used by the web app (web/hardening.py); the engine knows nothing of it.
"""
from __future__ import annotations

import ctypes
import sys
import threading
import time
from contextlib import contextmanager


class BudgetExceeded(Exception):
    """The work took longer than its time budget and was stopped."""

    def __init__(self, seconds: float | None = None):
        super().__init__(f"budget of {seconds} s exceeded" if seconds else "budget exceeded")
        self.seconds = seconds


class Busy(Exception):
    """All slots for heavy work are taken."""


_lock = threading.Lock()
_deadlines: dict[int, tuple[float, float]] = {}   # thread ident -> (deadline, budget)
_fired: set[int] = set()
_watchdog: list[threading.Thread] = []
_slots: dict[int, threading.BoundedSemaphore] = {}


def _set_async_exc(ident: int, exc_type) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                               ctypes.py_object(exc_type) if exc_type else ctypes.c_void_p(0))


def _watch() -> None:
    while True:
        time.sleep(0.05)
        now = time.monotonic()
        with _lock:
            for ident, (deadline, _) in list(_deadlines.items()):
                if now >= deadline:
                    del _deadlines[ident]
                    _fired.add(ident)
                    _set_async_exc(ident, BudgetExceeded)


def _ensure_watchdog() -> None:
    if not _watchdog or not _watchdog[0].is_alive():
        thread = threading.Thread(target=_watch, name="regelbank-budget-watchdog", daemon=True)
        thread.start()
        _watchdog[:] = [thread]


@contextmanager
def interruptible(seconds: float):
    """Run the body with a deadline ``seconds`` from now; past it, ``BudgetExceeded`` is raised in it."""
    ident = threading.get_ident()
    with _lock:
        _ensure_watchdog()
        _deadlines[ident] = (time.monotonic() + seconds, seconds)
        _fired.discard(ident)
    try:
        yield
    except BudgetExceeded:
        raise BudgetExceeded(seconds) from None
    finally:
        with _lock:
            _deadlines.pop(ident, None)
            fired = ident in _fired
            _fired.discard(ident)
            if fired:
                _set_async_exc(ident, None)  # a pending, undelivered exception must not land outside
        if fired and sys.exc_info()[1] is None:
            raise BudgetExceeded(seconds)


@contextmanager
def slot(limit: int, wait: float = 1.0):
    """At most ``limit`` holders at once in this process; waits ``wait`` seconds, then raises Busy."""
    with _lock:
        semaphore = _slots.setdefault(limit, threading.BoundedSemaphore(limit))
    if not semaphore.acquire(timeout=wait):
        raise Busy()
    try:
        yield
    finally:
        semaphore.release()
