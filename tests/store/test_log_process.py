"""The decision-log writer as its own process (store/log_process.py): requests hand records over a Unix
socket and are answered only after the writer committed them, in one chain, batch by batch; a
writer that is gone is a clear LogUnavailable, and a new one is picked up by the next request."""
from __future__ import annotations

import socket
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from store import Conflict, LogUnavailable, Store, StoreError
from store.log_process import serve
from store.signing import LogSigner
from test_store_decision_log import decision  # tests/store is on sys.path (no package)


@pytest.fixture
def writer(tmp_path):
    """A writer serving a signed SQLite store from a thread; yields (socket path, store, stop)."""
    url = f"sqlite:///{tmp_path / 'log.sqlite'}"
    store = Store(url, signer=LogSigner.for_instance(tmp_path))
    store.migrate()
    path = str(Path(tempfile.mkdtemp()) / "w.sock")     # socket paths must stay short
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(store, path), kwargs={"stop": stop}, daemon=True)
    thread.start()
    _wait_for(path)
    yield path, store, stop, thread
    stop.set()
    thread.join(5)
    store.close()


def _wait_for(path):
    """Until the writer accepts connections (the socket file exists a moment before it listens)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.connect(path)
            return
        except OSError:
            time.sleep(0.01)


def _client(path, tmp_path):
    client = Store(f"sqlite:///{tmp_path / 'log.sqlite'}")     # a worker's own store object
    client.use_log_process(path)
    return client


def test_records_from_many_threads_become_one_signed_chain_in_batches(writer, tmp_path):
    path, store, _, _ = writer
    client = _client(path, tmp_path)
    answers, lock = [], threading.Lock()

    def run(t):
        for i in range(10):
            record, receipt = client.log_decision_with_receipt(decision(i, caller=f"t{t}"))
            with lock:
                answers.append((record, receipt))
    threads = [threading.Thread(target=run, args=(t,)) for t in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r["seq"] for r, _ in answers) == list(range(1, 121))
    for record, receipt in answers:                      # each answer is its own stored record
        stored = store.get_decision(record["decision_id"])
        assert stored["hash"] == record["hash"] == receipt["hash"] and stored["caller"] == record["caller"]
        assert stored["inputs"]["Aanpassingskosten"] == Decimal("12345.67")
        assert store.verify_receipt(receipt)["ok"]
    result = store.verify_log()
    assert result.ok and result.signed == 120, result.message
    with store.engine.connect() as conn:                  # one signature per batch: fewer than records
        assert conn.exec_driver_sql("SELECT count(*) FROM log_signatures").scalar() < 120


def test_refusals_come_back_as_the_same_errors(writer, tmp_path):
    path, _, _, _ = writer
    client = _client(path, tmp_path)
    client.log_decision(decision(1, decision_id="zaak-1"))
    with pytest.raises(Conflict):
        client.log_decision(decision(2, decision_id="zaak-1"))
    with pytest.raises(StoreError, match="JSON"):
        client.log_decision({**decision(3), "inputs": {"x": float("nan")}})


def test_no_writer_is_log_unavailable_and_a_new_writer_is_picked_up(writer, tmp_path):
    path, store, stop, thread = writer
    client = _client(path, tmp_path)
    client.log_decision(decision(1))
    stop.set()
    thread.join(5)
    with pytest.raises(LogUnavailable):
        client.log_decision(decision(2))
    again = threading.Event()
    threading.Thread(target=serve, args=(store, path), kwargs={"stop": again}, daemon=True).start()
    _wait_for(path)
    try:
        assert client.log_decision(decision(3))["seq"] == 2      # nothing of the refused one was stored
    finally:
        again.set()
    assert store.verify_log().ok
