"""First run: while nobody can log in yet, the front page offers to create the first administrator.

Once any user exists the page is gone for good (a 404), whoever created that user (this page or
`regelbank user create`). Creating is serialised with a lock file in the instance folder, so two
browsers racing on a fresh installation cannot both create an administrator. A deployment that creates its users on the console can switch
the page off with FIRST_RUN_PAGE = False in instance/config.py.
"""
from __future__ import annotations

import fcntl
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for

from regelbank.firstrun import has_users as store_has_users
from store import StoreError

from .db import get_service

bp = Blueprint("first_run", __name__)
FIRST_ROLE = "editor"   # the first person publishes rules and can then create the others on the console
MIN_PASSWORD = 12


def has_users() -> bool:
    """True once any user exists (cached per process: users are never all removed)."""
    if current_app.config.get("_HAS_USERS"):
        return True
    found = store_has_users(get_service().store)
    if found:
        current_app.config["_HAS_USERS"] = True
    return found


@bp.before_app_request
def _welcome_first():
    """With no users at all, the front page (and the login page) lead to the welcome page."""
    if not current_app.config.get("FIRST_RUN_PAGE", True):
        return None
    if request.method == "GET" and request.path in ("/", "/inloggen") and not has_users():
        return redirect(url_for("first_run.welcome"))
    return None


@bp.route("/welkom", methods=["GET", "POST"])
def welcome():
    if has_users() or not current_app.config.get("FIRST_RUN_PAGE", True):
        abort(404)
    errors: dict[str, str] = {}
    username = (request.form.get("gebruikersnaam") or "").strip()
    if request.method == "POST":
        password = request.form.get("wachtwoord") or ""
        if not username:
            errors["gebruikersnaam"] = "Kies een gebruikersnaam, bijvoorbeeld j.jansen."
        if len(password) < MIN_PASSWORD:
            errors["wachtwoord"] = f"Kies een wachtwoord van minstens {MIN_PASSWORD} tekens."
        elif password != (request.form.get("herhaling") or ""):
            errors["herhaling"] = "De twee wachtwoorden zijn niet gelijk."
        if not errors:
            lock_path = Path(current_app.instance_path) / "eerste-gebruiker.lock"
            with open(lock_path, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if has_users():
                    abort(404)
                try:
                    principal = get_service().store.create_user(username, password, FIRST_ROLE,
                                                                enforce_policy=True)
                except StoreError as exc:
                    errors["gebruikersnaam"] = str(exc)
                else:
                    current_app.config["_HAS_USERS"] = True
                    session.clear()
                    # a server-side session, as a login makes (web/auth.py): logout ends it at once
                    session["sid"] = get_service().store.start_session(principal.name, request.remote_addr)
                    session["user"], session["role"] = principal.name, principal.role
                    flash(f"Welkom, {principal.name}. U bent de eerste beheerder (redacteur) en bent ingelogd. "
                          "Maak collega's aan met: .venv/bin/regelbank user create --username ... --role "
                          "editor|auditor|evaluator.", "ok")
                    return redirect(url_for("pages.overview"))
    published = len(get_service().store.rulesets())
    return render_template("welcome.html", errors=errors, username=username, published=published,
                           min_password=MIN_PASSWORD), (400 if errors else 200)
