"""The app's connection to Regelbank's service (store + engine), created once per app."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from regelbank.service import Regelbank, open_service


def get_service() -> Regelbank:
    return current_app.extensions["regelbank"]


def init_app(app: Flask) -> None:
    spreadsheets = Path(app.config["SPREADSHEETS"]) if app.config.get("SPREADSHEETS") else None
    app.extensions["regelbank"] = open_service(app.config["DATABASE_URL"], spreadsheets,
                                               seed=app.config["SEED_BUNDLED"],
                                               instance=Path(app.instance_path))
    app.wsgi_app = _CountersOncePerRequest(app.wsgi_app, app.extensions["regelbank"].store)
    app.cli.add_command(init_db_command)


class _CountersOncePerRequest:
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
