"""regelbank.budget: a section past its deadline is stopped; nothing leaks outside the section."""
from __future__ import annotations

import threading
import time

import pytest

from regelbank.budget import BudgetExceeded, Busy, interruptible, slot


def test_a_busy_loop_is_stopped_at_its_deadline():
    start = time.monotonic()
    with pytest.raises(BudgetExceeded):
        with interruptible(0.2):
            while True:
                pass
    assert 0.2 <= time.monotonic() - start < 1.5


def test_nothing_is_raised_after_a_section_that_finished_in_time():
    with interruptible(0.1):
        total = sum(range(1000))
    time.sleep(0.3)   # the watchdog runs meanwhile; an exception here would fail the test
    assert total == 499500


def test_other_threads_are_not_touched():
    stopped, survived = [], []

    def victim():
        try:
            with interruptible(0.1):
                while True:
                    pass
        except BudgetExceeded:
            stopped.append(True)

    def bystander():
        end = time.monotonic() + 0.5
        while time.monotonic() < end:
            pass
        survived.append(True)

    threads = [threading.Thread(target=victim), threading.Thread(target=bystander)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert stopped == [True] and survived == [True]


def test_slots_refuse_when_all_are_taken():
    release = threading.Event()
    holding = threading.Event()

    def holder():
        with slot(1, wait=0.1):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait(5)
    with pytest.raises(Busy):
        with slot(1, wait=0.1):
            pass
    release.set()
    thread.join(5)
    with slot(1, wait=0.1):
        pass
