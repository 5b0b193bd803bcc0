"""Production serving with gunicorn (several worker processes, threads per worker)."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication


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
               "accesslog": "-", "timeout": 120, "graceful_timeout": 10}).run()
