"""The app's connection to Regelbank's service (store + engine), created once per app."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app

from regelbank.service import Regelbank, open_service
from regelbank.serving import LOG_SOCKET_ENV


def get_service() -> Regelbank:
    return current_app.extensions["regelbank"]


def init_app(app: Flask) -> None:
    spreadsheets = Path(app.config["SPREADSHEETS"]) if app.config.get("SPREADSHEETS") else None
    app.extensions["regelbank"] = open_service(app.config["DATABASE_URL"], spreadsheets,
                                               seed=app.config["SEED_BUNDLED"],
                                               instance=Path(app.instance_path))
    if os.environ.get(LOG_SOCKET_ENV) and not app.config.get("TESTING"):
        # under `regelbank serve`: decisions are appended by the server's writer process
        app.extensions["regelbank"].store.use_log_process(os.environ[LOG_SOCKET_ENV])
    app.cli.add_command(init_db_command)


class CountersOncePerRequest:
    """Each request reads the store's change counters (tokens, versions) once (Store.request_scope)."""

    def __init__(self, wsgi_app, store):
        self.wsgi_app, self.store = wsgi_app, store

    def __call__(self, environ, start_response):
        with self.store.request_scope():
            return self.wsgi_app(environ, start_response)


@click.command("init-db")
def init_db_command():
    """Create/upgrade the schema and publish the bundled workbooks."""
    published = get_service().seed_bundled()
    click.echo(f"Database klaar; {len(published)} meegeleverde regelset(s) gepubliceerd.")
