"""Deployment hardening for the web app: settings from the environment, security headers, time budgets,
and owner-only permissions on the instance folder, database and secret key.

Environment variables (all optional; README "Deployment" lists them):

REGELBANK_COOKIE_SECURE=1          session cookie only over HTTPS (set this behind TLS)
REGELBANK_SESSION_IDLE_MINUTES     a session ends after this long without a request (default 30)
REGELBANK_SESSION_MAX_HOURS        and at the latest this long after login (default 12)
REGELBANK_REQUEST_BUDGET_SECONDS   a request stops with a Dutch 503 after this long (default 60); only
                                   evaluations, which write the decision log, are never interrupted
REGELBANK_HEAVY_SLOTS              how many heavy requests run at once per process (default 3); more
                                   wait at most a second, then get a 503, so light requests keep a thread
REGELBANK_ADMINS                   comma-separated user names that may disable users and tokens on /account
"""
from __future__ import annotations

import datetime as _dt
import functools
import os
import stat
from pathlib import Path

from flask import Flask, current_app, render_template, request

from regelbank.config import secure_sqlite  # noqa: F401 - used by create_app
from regelbank.budget import BudgetExceeded, Busy, interruptible, slot

# a Content-Security-Policy that allows only the app's own scripts, styles and images (no inline code)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

# Every view runs under the time budget except these: they append to the decision log (a request must
# not be cut off while its decision is being written) or are trivially short.
NEVER_INTERRUPTED = {"api.evaluate", "pages.evaluate", "pages.evaluate_json", "api.health", "static"}
# endpoints whose work grows with what is uploaded or stored: they also need one of the few heavy slots
HEAVY_ENDPOINTS = {"api.validate", "api.publish", "api.compare", "api.verify", "batch_api.batch",
                   "batch_api.impact_get", "batch_api.impact_post", "pages.upload", "pages.upload_json", "pages.publish",
                   "pages.publish_json", "pages.verify", "pages.verify_json"}


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "ja", "on")


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} moet een getal zijn, niet '{value}'.") from None


def settings_from_environment() -> dict:
    """Defaults for the app config; a test config or instance config.py may still override them."""
    idle = _dt.timedelta(minutes=_env_number("REGELBANK_SESSION_IDLE_MINUTES", 30))
    absolute = _dt.timedelta(hours=_env_number("REGELBANK_SESSION_MAX_HOURS", 12))
    return {
        "SESSION_COOKIE_SECURE": _env_flag("REGELBANK_COOKIE_SECURE"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_IDLE": idle,
        "SESSION_ABSOLUTE": absolute,
        "PERMANENT_SESSION_LIFETIME": absolute,
        "REQUEST_BUDGET_SECONDS": _env_number("REGELBANK_REQUEST_BUDGET_SECONDS", 60),
        "HEAVY_SLOTS": int(_env_number("REGELBANK_HEAVY_SLOTS", 3)),
        "ADMINS": {u.strip() for u in os.environ.get("REGELBANK_ADMINS", "").split(",") if u.strip()},
    }


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, stat.S_IRWXU)
    return path


def _refused(status: int, code: str, message: str):
    from .auth import api_error
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        response = api_error(status, code, message)
    else:
        response = current_app.make_response((render_template("error.html", status=status, title="Niet verwerkt", message=message), status))
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response


def api_response_headers() -> list[tuple[str, str]]:
    """What the after-request hook below adds to every API answer (for web/fast_api.py)."""
    return list(SECURITY_HEADERS.items()) + [("Cache-Control", "no-store")]


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        # one pass over the response's headers instead of a search per header (runs for every request)
        present = {name.lower() for name, _ in response.headers}
        missing = [(name, value) for name, value in SECURITY_HEADERS.items() if name.lower() not in present]
        if "cache-control" not in present and (request.path.startswith("/api/") or request.endpoint == "auth.login"):
            missing.append(("Cache-Control", "no-store"))
        response.headers.extend(missing)
        return response

    def budgeted(view):
        @functools.wraps(view)
        def run(*args, **kwargs):
            with interruptible(app.config["REQUEST_BUDGET_SECONDS"]):
                return view(*args, **kwargs)
        return run

    def heavy(view):
        @functools.wraps(view)
        def run(*args, **kwargs):
            with slot(app.config["HEAVY_SLOTS"]):
                return view(*args, **kwargs)
        return run

    # called after the blueprints are registered: it wraps their views
    for endpoint, view in list(app.view_functions.items()):
        if endpoint not in NEVER_INTERRUPTED:
            view = budgeted(view)
        if endpoint in HEAVY_ENDPOINTS:
            view = heavy(view)
        app.view_functions[endpoint] = view

    @app.errorhandler(BudgetExceeded)
    def over_budget(error):
        seconds = current_app.config["REQUEST_BUDGET_SECONDS"]
        return _refused(503, "over-budget",
                        f"Deze aanvraag duurde langer dan {seconds:g} seconden en is afgebroken. Maak het bestand "
                        "kleiner of splits het, en probeer het opnieuw.")

    @app.errorhandler(Busy)
    def busy(error):
        return _refused(503, "busy", "De server verwerkt nu al het maximale aantal zware aanvragen (uploads, "
                                     "batches, vergelijkingen). Probeer het over een halve minuut opnieuw.")
