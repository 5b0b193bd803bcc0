"""Group commit: many decisions per transaction, each caller answered only after its record is
committed; a failed or killed commit acknowledges nothing; a full disk is a clear refusal."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from store import LogUnavailable, Store
from store.signing import LogSigner
from test_store_decision_log import decision  # tests/store is on sys.path (no package)

REPO = Path(__file__).resolve().parents[2]


def test_records_commit_in_batches_in_chain_order(store, sql):
    store._hooks["before_log_commit"] = lambda conn: time.sleep(0.01)
    results, lock = [], threading.Lock()

    def run(t):
        for i in range(10):
            r = store.log_decision(decision(i, caller=f"t{t}"))
            with lock:
                results.append(r)
    threads = [threading.Thread(target=run, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 80 and store.log_writer.batches < 80
    stored = {d: h for d, h in sql("SELECT decision_id, hash FROM decisions")}
    assert all(stored[r["decision_id"]] == r["hash"] for r in results)
    assert sorted(r["seq"] for r in results) == list(range(1, 81))
    assert store.verify_log().ok


def test_a_record_that_cannot_be_stored_fails_alone_in_its_batch(store, sql):
    """The JSON check happens as the writer encodes the batch: the bad record gets the Dutch refusal,
    the others in the same transaction are stored and the chain has no gap."""
    store._hooks["before_log_commit"] = lambda conn: time.sleep(0.02)   # let a batch form
    outcomes, lock = {}, threading.Lock()

    def run(i):
        record = decision(i, caller=f"t{i}")
        if i == 3:
            record["inputs"] = {"x": float("nan")}
        try:
            outcome = store.log_decision(record)["seq"]
        except Exception as e:  # noqa: BLE001 - recorded and asserted below
            outcome = e
        with lock:
            outcomes[i] = outcome
    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert "JSON" in str(outcomes.pop(3))
    assert sorted(outcomes.values()) == list(range(1, 8))
    assert store.log_writer.batches < 8 and store.verify_log().ok


def test_a_failed_commit_acknowledges_no_one_in_the_batch(store, sql):
    store.log_decision(decision(0))

    def fail(conn):
        raise RuntimeError("schijf weg")
    store._hooks["before_log_commit"] = fail
    errors = []

    def run(i):
        try:
            store.log_decision(decision(i))
        except RuntimeError as e:
            errors.append(e)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(errors) == 6
    assert sql("SELECT count(*) FROM decisions") == [(1,)]
    del store._hooks["before_log_commit"]
    assert store.log_decision(decision(9))["seq"] == 2
    assert store.verify_log().ok


def test_a_duplicate_id_fails_alone_not_its_batch(store):
    from store import Conflict
    store.log_decision(decision(1, decision_id="zaak-1"))
    with pytest.raises(Conflict):
        store.log_decision(decision(2, decision_id="zaak-1"))
    assert store.log_decision(decision(3, decision_id="zaak-2"))["seq"] == 2


KILL_SCRIPT = r"""
import os, sys, threading, time
from store import Store
from store.signing import LogSigner
s = Store(sys.argv[1], signer=LogSigner.for_instance(sys.argv[2]))
s.migrate()
acked = 0
lock = threading.Lock()
def die(conn):
    # the batch is appended, the head moved and signed, but not committed
    ids = [r[0] for r in conn.exec_driver_sql("SELECT decision_id FROM decisions")]
    with lock:
        sys.stdout.write(" ".join(["\nIN-FLIGHT", *ids]) + "\n")
        sys.stdout.flush()
    os._exit(9)
def run(t):
    global acked
    for i in range(1000):
        r = s.log_decision({"caller": f"t{t}", "ruleset": "kampen/x", "inputs": {"i": i}, "fired": []})
        with lock:
            print("ACK", r["decision_id"], flush=True)
            acked += 1
            if acked == 40:
                s._hooks["before_log_commit"] = die
for t in range(4):
    threading.Thread(target=run, args=(t,)).start()
"""


def test_kill_between_append_and_commit_loses_nothing_acknowledged(store_url, tmp_path):
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, store_url, str(tmp_path / "inst")], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    seen_in_killed_transaction = next(line.split()[1:] for line in proc.stdout.splitlines()
                                      if line.startswith("IN-FLIGHT"))
    acked = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("ACK")]
    s = Store(store_url, signer=LogSigner.for_instance(tmp_path / "inst"))
    try:
        logged = {r["decision_id"] for r in s.search_decisions(limit=1000)}
        assert len(acked) >= 40 and set(acked) <= logged
        in_flight = set(seen_in_killed_transaction) - logged
        assert in_flight and not in_flight & set(acked)   # the killed batch: rolled back, nobody told "yes"
        assert len(logged) - len(acked) <= 8                # committed just before the kill, not yet printed
        result = s.verify_log()
        assert result.ok, result.message
        assert s.log_decision(decision(1))["seq"] == len(logged) + 1   # the writer carries on
    finally:
        s.close()


@contextlib.contextmanager
def _tiny_disk(path: Path, size_kb: int):
    """A tmpfs of ``size_kb``: mounted when we may (root); otherwise None (the test uses RLIMIT_FSIZE)."""
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)],
                             capture_output=True).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


FULL_SCRIPT = r"""
import json, os, resource, signal, sys
from store import LogUnavailable, Store
url, limit = sys.argv[1], int(sys.argv[2])
s = Store(url)
s.migrate()
if limit:   # no tmpfs: limit the size of files this process may write instead
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
acked, refusal = [], None
for i in range(100000):
    try:
        r = s.log_decision({"caller": "x", "ruleset": "kampen/x", "inputs": {"pad": "x" * 2000, "i": i}, "fired": []})
        acked.append(r["decision_id"])
    except LogUnavailable as e:
        refusal = str(e)
        break
print(json.dumps({"acked": acked, "refusal": refusal}))
"""


def test_full_disk_refuses_clearly_and_keeps_every_acknowledged_decision(tmp_path):
    import json
    disk = tmp_path / "disk"
    with _tiny_disk(disk, 1024) as mounted:
        db = disk / "regelbank.sqlite"
        url = f"sqlite:///{db}"
        limit = 0 if mounted else 900 * 1024
        proc = subprocess.run([sys.executable, "-c", FULL_SCRIPT, url, str(limit)], cwd=REPO, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert out["refusal"] and "niet vastgelegd" in out["refusal"], out["refusal"]
        assert len(out["acked"]) > 10
        s = Store(url)
        try:
            logged = {r["decision_id"] for r in s.search_decisions(limit=1000)}
            assert set(out["acked"]) == logged       # every "yes" is stored, no refusal is
            assert s.verify_log().ok
        finally:
            s.close()


def test_every_waiter_is_answered_once_with_its_own_outcome_under_contention():
    """The writer alone, hammered: leaders hand over to the oldest waiter; nobody hangs, nobody gets
    another's result, a failed batch fails exactly its own records."""
    import random

    from store.log_writer import GroupCommitWriter
    committed = []

    def commit(items):
        time.sleep(random.random() / 2000)
        if random.random() < 0.1:
            raise RuntimeError("batch mislukt")
        committed.extend(items)
        return [("ok", item) for item in items]
    writer = GroupCommitWriter(commit, max_batch=7)
    answers, lock = [], threading.Lock()

    def run(t):
        for i in range(150):
            try:
                outcome = writer.append((t, i))
            except RuntimeError:
                outcome = ("failed", (t, i))
            with lock:
                answers.append(((t, i), outcome))
    threads = [threading.Thread(target=run, args=(t,)) for t in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert len(answers) == 24 * 150 and all(item == outcome[1] for item, outcome in answers)
    ok = [item for item, outcome in answers if outcome[0] == "ok"]
    assert sorted(ok) == sorted(committed) and len(set(committed)) == len(committed)
    assert writer.records == 24 * 150 and writer.batches < writer.records
