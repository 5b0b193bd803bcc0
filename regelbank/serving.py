"""Production serving with gunicorn (worker processes, threads per worker) and, beside them, the
decision-log writer process (store/log_process.py)."""
from __future__ import annotations

import atexit
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger


class AccessLog(Logger):
    """Gunicorn's logger, with the access lines in its default (Apache combined) format, buffered.

    Gunicorn first collects a dictionary of every request header, response header and environ
    variable for its configurable format; Regelbank uses only the default format, so it builds that
    line directly. And it writes the lines in batches, at most FLUSH_SECONDS late (or every
    FLUSH_LINES lines), as nginx does with ``access_log ... buffer= flush=``: a write per request
    gave up the interpreter lock each time, and the two cost about a tenth of an evaluation's CPU in
    the worker. Lines still buffered when a worker is killed with -9 are lost; the decision log,
    not the access log, is the record of every decision."""

    FLUSH_SECONDS = 1.0
    FLUSH_LINES = 256

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled or not self.access_log.isEnabledFor(logging.INFO):
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        sent = getattr(resp, "sent", None)
        get = environ.get
        line = (f'{get("REMOTE_ADDR", "-")} - - {time.strftime("[%d/%b/%Y:%H:%M:%S %z]")} '
                f'"{get("REQUEST_METHOD")} {get("RAW_URI")} {get("SERVER_PROTOCOL")}" {status} '
                f'{"-" if sent is None else sent} "{get("HTTP_REFERER", "-")}" "{get("HTTP_USER_AGENT", "-")}"')
        buffer = self._buffer()
        with buffer["lock"]:
            buffer["lines"].append(line)
            full = len(buffer["lines"]) >= self.FLUSH_LINES
        if full:
            self.flush_access()

    def flush_access(self) -> None:
        buffer = self._buffer()
        with buffer["lock"]:
            lines, buffer["lines"] = buffer["lines"], []
        if lines:   # one record, one write: the handlers' format for access lines is the message itself
            self.access_log.handle(logging.LogRecord(self.access_log.name, logging.INFO, "", 0, "\n".join(lines),
                                                     None, None))

    def _buffer(self) -> dict:
        """This process's buffer and its flusher thread (gunicorn forks workers; threads do not follow)."""
        buffer = self.__dict__.get("_access_buffer")
        if buffer is None or buffer["pid"] != os.getpid():
            buffer = {"pid": os.getpid(), "lock": threading.Lock(), "lines": []}
            self.__dict__["_access_buffer"] = buffer
            threading.Thread(target=self._flush_every, args=(buffer,), name="regelbank-access-log", daemon=True).start()
            atexit.register(self.flush_access)
        return buffer

    def _flush_every(self, buffer: dict) -> None:
        while self.__dict__.get("_access_buffer") is buffer:
            time.sleep(self.FLUSH_SECONDS)
            self.flush_access()


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from web import create_app
        return create_app()


LOG_SOCKET_ENV = "REGELBANK_LOG_WRITER_SOCKET"   # tells the workers to append through the writer process
log = logging.getLogger(__name__)


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    writer = LogWriterProcess().start()
    os.environ[LOG_SOCKET_ENV] = writer.path      # inherited by the workers (web/db.py)
    _Gunicorn({"bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
               "accesslog": "-", "logger_class": AccessLog, "timeout": 120, "graceful_timeout": 10}).run()


class LogWriterProcess:
    """The decision-log writer of one server, kept running by gunicorn's master process.

    Started before the workers fork; restarted if it dies (meanwhile evaluations get a Dutch 503 and
    nothing is acknowledged); stopped when the master exits, and by itself when the master is gone
    (even after kill -9). The socket is in a private temporary folder (0700): a Unix socket path may
    not be much longer than 100 characters, which an instance folder can be."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="regelbank-log-")
        self.path = os.path.join(self.folder, "writer.sock")
        self._stopping = threading.Event()
        self.proc: subprocess.Popen | None = None

    def start(self) -> "LogWriterProcess":
        self._spawn()
        threading.Thread(target=self._watch, name="regelbank-log-writer", daemon=True).start()
        atexit.register(self.stop)
        return self

    def _spawn(self) -> None:
        self._ready = False
        self.proc = subprocess.Popen([sys.executable, "-m", "regelbank.cli", "log-writer", "--socket", self.path,
                                      "--parent", str(os.getpid())])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                    probe.connect(self.path)
                self._ready = True
                return
            except OSError:
                time.sleep(0.05)
        log.error("De logschrijver kwam niet op (code %s).", self.proc.poll())

    def _watch(self) -> None:
        failures = 0
        while not self._stopping.wait(0.25):
            if self.proc.poll() is not None and not self._stopping.is_set():
                # one that keeps dying before it listens (a database it cannot open) is retried less and
                # less often; one that ran is restarted at once
                failures = 0 if self._ready else failures + 1
                log.error("De logschrijver stopte (code %s); hij wordt opnieuw gestart.", self.proc.returncode)
                if self._stopping.wait(min(30.0, 0.5 * 2 ** failures) if failures else 0):
                    return
                self._spawn()

    def stop(self) -> None:
        self._stopping.set()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        for path in (self.path, self.folder):
            try:
                os.rmdir(path) if path == self.folder else os.unlink(path)
            except OSError:
                pass


class StampedCache:
    """Answers kept while a database counter stands still; all dropped when it moves.

    ``get(stamp, key, compute)``: the counter is read by the caller *before* ``compute`` runs, so an
    entry is never newer-stamped than the data it came from. ``compute`` runs outside the lock; a
    result of None (or an exception) is not kept.
    """

    def __init__(self, size: int = 4096):
        import threading
        self._size = size
        self._lock = threading.Lock()
        self._items: dict = {}
        self._stamp = None

    def get(self, stamp, key, compute):
        with self._lock:
            if stamp != self._stamp:
                self._items.clear()
                self._stamp = stamp
            value = self._items.get(key)
        if value is not None:
            return value
        value = compute()
        if value is not None:
            with self._lock:
                if self._stamp == stamp:
                    if len(self._items) >= self._size:
                        self._items.clear()
                    self._items[key] = value
        return value


class VersionInForceCache:
    """The version in force per (rule set, date), for the evaluate path.

    Looking the version up costs a query and a row-to-object conversion per request. This cache
    keeps the answer and checks one small counter instead (``store.versions_stamp()``), which a
    database trigger raises on every publish, approval and withdrawal, whichever process or server
    made it. The counter is read *before* the lookup, so an entry is never newer-stamped than the
    data it came from: after a change, the next request in every process sees a new stamp and looks
    up again. Errors (no version in force, unknown rule set) are not cached.
    """

    def __init__(self, store, size: int = 4096):
        self._store = store
        self._cache = StampedCache(size)

    def get(self, ruleset: str, as_of):
        return self._cache.get(self._store.versions_stamp(), (ruleset, as_of),
                               lambda: self._store.version_in_force(ruleset, as_of))
