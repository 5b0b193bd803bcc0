"""Regelbank's Flask app: the JSON API and the HTML pages over engine + store.

Shaped like Flask's tutorial app (flaskr): ``create_app()`` with an instance folder and a test
config, one blueprint per area, and ``db.py`` owning the connection to the store.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from regelbank import config, jsonout

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a rule workbook is tens of kilobytes; 10 MB is generous


def _secret_key(instance: Path) -> str:
    """A per-installation session key, kept in the instance folder (never in the repository), mode 0600."""
    if os.environ.get("REGELBANK_SECRET_KEY"):
        return os.environ["REGELBANK_SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    os.chmod(path, 0o600)
    return path.read_text().strip()


class RegelbankJSON(DefaultJSONProvider):
    """Exact decimals in and out as JSON numbers with all their digits (regelbank.jsonout)."""
    ensure_ascii = False
    sort_keys = False

    def dumps(self, obj, **kwargs) -> str:
        kwargs.pop("default", None)
        return jsonout.dumps(obj, **kwargs)

    def loads(self, s, **kwargs):
        return jsonout.loads(s)


def create_app(test_config: dict | None = None) -> Flask:
    instance = Path(test_config.get("INSTANCE_PATH")) if test_config and test_config.get("INSTANCE_PATH") \
        else config.instance_path()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    app.json = RegelbankJSON(app)
    from . import hardening
    hardening.private_dir(instance)
    app.config.from_mapping(
        DATABASE_URL=None,                       # None: REGELBANK_DATABASE_URL or SQLite in the instance folder
        SPREADSHEETS=str(config.spreadsheets_dir()),
        SEED_BUNDLED=True,                       # publish the bundled workbooks on first start
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        **hardening.settings_from_environment(),  # cookie, session lifetimes, time budget (README: Deployment)
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = config.database_url(instance)

    from . import db
    db.init_app(app)
    hardening.secure_sqlite(app.config["DATABASE_URL"])

    from . import api, auth, batch_api, pages
    app.session_interface = auth.CookieSessions()
    auth.csrf.init_app(app)
    auth.csrf.exempt(api.bp)
    auth.csrf.exempt(batch_api.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(batch_api.bp)
    app.register_blueprint(pages.bp)
    from . import accounts
    app.register_blueprint(accounts.bp)
    hardening.init_app(app)  # security headers, time budgets (after the blueprints: it wraps their views)
    from .fast_api import FastEvaluate
    app.wsgi_app = db.CountersOncePerRequest(FastEvaluate(app), app.extensions["regelbank"].store)
    return app
