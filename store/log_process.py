"""The decision-log writer as a process of its own (``regelbank serve``): request threads hand over, one
process appends.

Why a process: a gunicorn worker runs its request threads under one interpreter lock. Appending a
decision (canonical JSON, hash, multi-row INSERT, commit with fsync, signature) cost about as much
CPU as answering the request itself, and every microsecond of it held that lock. Here the worker
only encodes the record and waits; the writer appends on another core. It also gives every worker
of a server one writer, so SQLite can have several worker processes without their commits queuing
on a file lock.

The promise is unchanged: a worker answers only after the writer has replied, and the writer replies
only after the batch is committed (``Store._append_batch``, the same group commit as in-process).
If the writer dies, waiting requests get :class:`LogUnavailable` (a Dutch 503), nothing is
acknowledged, and ``regelbank serve`` starts a new writer (regelbank/serving.py).

Protocol, on a Unix socket in a private folder (0700; the socket 0600): every message is a 4-byte
big-endian length and a body. A request is the pickled ``(fields, decision_id, given)`` that
``Store.log_decision`` would hand its in-process writer; the writer encodes the canonical JSON that
is stored and hashed, exactly as in-process. Pickle because it is the cheapest encoding that keeps
Decimal exact (1.5 µs against 17 µs for canonical JSON, on the worker's interpreter lock), and it is
safe here because only processes of the same user can reach the socket, and such a process can
write the database itself anyway. The answer is JSON: ``{"seq", "created_at", "prev_hash", "hash",
"receipt"}`` or ``{"error": "conflict" | "invalid" | "unavailable", "message": "..."}``. Each request
thread keeps its own connection and has at most one request outstanding, so answers need no ids.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import selectors
import socket
import struct
import threading
import time

from .decision_log import UNAVAILABLE, LogUnavailable
from .errors import Conflict, StoreError

log = logging.getLogger(__name__)
_LENGTH = struct.Struct(">I")
MAX_MESSAGE = 64 * 1024 * 1024     # a record is a few kilobytes; the API refuses bodies over 10 MB
GATHER_SECONDS = 0.002             # longest wait for more records before a commit (adds at most this latency)
MAX_BATCH = 512
_ERRORS = {"conflict": Conflict, "invalid": StoreError, "unavailable": LogUnavailable}


class LogClient:
    """Takes the place of the in-process ``GroupCommitWriter`` in a worker: ``append`` has the same contract."""

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()

    def append(self, item) -> tuple[dict, dict | None]:
        fields, decision_id, given = item
        try:
            message = pickle.dumps((fields, decision_id, given), protocol=5)
        except (pickle.PicklingError, TypeError, AttributeError) as e:
            raise StoreError(f"De beslissing kan niet als JSON worden opgeslagen: {e}") from None
        answer = self._ask(message)
        if "error" in answer:
            raise _ERRORS.get(answer["error"], LogUnavailable)(answer.get("message") or UNAVAILABLE)
        body = dict(fields)
        body.update(seq=answer["seq"], decision_id=decision_id, created_at=answer["created_at"],
                    prev_hash=answer["prev_hash"])
        body["hash"] = answer["hash"]
        return body, answer["receipt"]

    def _ask(self, message: bytes) -> dict:
        conn = getattr(self._local, "conn", None)
        try:
            if conn is None or self._local.pid != os.getpid():
                conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                conn.connect(self.path)
                self._local.conn, self._local.pid = conn, os.getpid()
            conn.sendall(_LENGTH.pack(len(message)) + message)
            return json.loads(_read_message(conn))
        except (OSError, ValueError, EOFError) as e:
            # the writer is gone or restarting: whatever it did with this record, nobody is told "yes"
            self._local.conn = None
            if conn is not None:
                conn.close()
            raise LogUnavailable(UNAVAILABLE) from e


def _read_message(conn: socket.socket) -> bytes:
    """One length-prefixed message (an answer is a few hundred bytes: usually one recv)."""
    data = b""
    while len(data) < _LENGTH.size or len(data) < _LENGTH.size + _LENGTH.unpack_from(data)[0]:
        chunk = conn.recv(65536)
        if not chunk:
            raise EOFError("de verbinding met de logschrijver is verbroken")
        data += chunk
    return data[_LENGTH.size:]


# ---------------------------------------------------------------------------------------- writer side

def serve(store, path: str, parent_pid: int | None = None, stop: threading.Event | None = None) -> None:
    """Accept records on ``path`` and append them, a batch per round, until ``stop`` is set or the
    parent process (the server's master) is gone."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)   # a writer before this one removed it
    if os.path.exists(path):
        os.unlink(path)                      # left by a writer that was killed
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(512)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    buffers: dict[socket.socket, bytearray] = {}
    def gather(timeout: float) -> list:
        found = []
        for key, _ in selector.select(timeout=timeout):
            if key.fileobj is listener:
                conn, _ = listener.accept()
                selector.register(conn, selectors.EVENT_READ)
                buffers[conn] = bytearray()
            else:
                found.extend(_receive(key.fileobj, buffers, selector))
        return found

    try:
        while not (stop is not None and stop.is_set()):
            batch = gather(0.5)
            # group commit: while requests keep arriving (a gap under half a millisecond), wait for them,
            # at most GATHER_SECONDS: a commit costs an fsync however many records it holds
            deadline = time.monotonic() + GATHER_SECONDS
            while batch and len(batch) < MAX_BATCH and time.monotonic() < deadline:
                more = gather(0.0005)
                if not more:
                    break
                batch.extend(more)
            if batch:
                _commit(store, batch)
            if parent_pid is not None and os.getppid() != parent_pid:
                break                         # the server stopped (or was killed): so does its writer
    finally:
        for conn in list(buffers):
            conn.close()
        listener.close()
        for remove, name in ((os.unlink, path), (os.rmdir, os.path.dirname(path) or ".")):
            try:
                remove(name)      # the socket, and its private folder once empty (also after kill -9 of the server)
            except OSError:
                pass


def _receive(conn, buffers: dict, selector) -> list:
    """Complete requests read from one connection: [(connection, request or None if unreadable)]."""
    try:
        data = conn.recv(1 << 20)
    except OSError:
        data = b""
    if not data:                              # the worker thread (or its process) went away
        selector.unregister(conn)
        buffers.pop(conn).clear()
        conn.close()
        return []
    buffer = buffers[conn]
    buffer += data
    requests = []
    while len(buffer) >= _LENGTH.size:
        (size,) = _LENGTH.unpack_from(buffer)
        if size > MAX_MESSAGE:                # not our client: drop the connection
            selector.unregister(conn)
            buffers.pop(conn).clear()
            conn.close()
            return requests
        if len(buffer) < _LENGTH.size + size:
            break
        raw = bytes(buffer[_LENGTH.size:_LENGTH.size + size])
        del buffer[:_LENGTH.size + size]
        try:
            fields, decision_id, given = pickle.loads(raw)
            request = (fields, decision_id, given) if isinstance(fields, dict) and isinstance(decision_id, str) \
                else None
        except Exception:  # noqa: BLE001 - an unreadable request is refused, the writer lives on
            request = None
        requests.append((conn, request))
    return requests


def _commit(store, batch: list) -> None:
    good = [request for _, request in batch if request is not None]
    try:
        outcomes = store._append_batch(good) if good else []
    except Exception as e:  # noqa: BLE001 - every waiter is told "not stored"; the writer lives on
        if not isinstance(e, LogUnavailable):
            log.exception("logschrijver: batch mislukt")
        outcomes = [e] * len(good)
    results = iter(outcomes)
    for conn, request in batch:
        outcome = next(results) if request is not None else StoreError("Onleesbaar verzoek aan de logschrijver.")
        _reply(conn, _answer(outcome))


def _answer(outcome) -> bytes:
    if isinstance(outcome, Exception):
        kind = ("conflict" if isinstance(outcome, Conflict) else "unavailable" if isinstance(outcome, LogUnavailable)
                else "invalid" if isinstance(outcome, StoreError) else "unavailable")
        message = str(outcome) if kind != "unavailable" else UNAVAILABLE
        return json.dumps({"error": kind, "message": message}).encode()
    body, receipt = outcome
    return json.dumps({"seq": body["seq"], "created_at": body["created_at"], "prev_hash": body["prev_hash"],
                       "hash": body["hash"], "receipt": receipt}).encode()


def _reply(conn, message: bytes) -> None:
    try:
        conn.sendall(_LENGTH.pack(len(message)) + message)
    except OSError:
        pass          # the worker is gone; its record may be stored, but nobody was told "yes"
