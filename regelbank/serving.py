"""Production serving with gunicorn (several worker processes, threads per worker)."""
from __future__ import annotations

import time

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger


class AccessLog(Logger):
    """Gunicorn's logger, with the access line in its default (Apache combined) format built directly.

    Gunicorn first collects a dictionary of every request header, response header and environ
    variable for its configurable format, which cost about a tenth of an evaluation request's CPU;
    Regelbank uses only the default format, so it writes that line (same fields, same logger)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        sent = getattr(resp, "sent", None)
        get = environ.get
        self.access_log.info(
            '%s - - %s "%s %s %s" %s %s "%s" "%s"', get("REMOTE_ADDR", "-"),
            time.strftime("[%d/%b/%Y:%H:%M:%S %z]"), get("REQUEST_METHOD"), get("RAW_URI"), get("SERVER_PROTOCOL"),
            status, "-" if sent is None else sent, get("HTTP_REFERER", "-"), get("HTTP_USER_AGENT", "-"))


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


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    _Gunicorn({"bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
               "accesslog": "-", "logger_class": AccessLog, "timeout": 120, "graceful_timeout": 10}).run()


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
