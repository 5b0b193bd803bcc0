"""Account pages: change your password, disable or re-enable your tokens; administrators
(REGELBANK_ADMINS) also disable or re-enable users and any token. The console has the same
operations (`regelbank user password|disable|enable`, `regelbank token disable|enable`)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for

from store import NotFound, StoreError

from .auth import ROLE_LABELS, login_required, session_principal
from .db import get_service

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _is_admin(principal) -> bool:
    return principal is not None and principal.name in current_app.config.get("ADMINS", set())


@bp.get("")
@login_required("read")
def account():
    principal = session_principal()
    store = get_service().store
    admin = _is_admin(principal)
    tokens = [t for t in store.list_tokens() if t.revoked_at is None and (admin or t.owner == principal.name)]
    return render_template("account.html", me=store.get_user(principal.name), tokens=tokens, admin=admin,
                           users=store.list_users() if admin else [], role_label=lambda r: ROLE_LABELS.get(r, r))


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required("read")
def password():
    principal = session_principal()
    error = None
    if request.method == "POST":
        store = get_service().store
        form = request.form
        if store.check_user(principal.name, form.get("huidig") or "") is None:
            error = "Het huidige wachtwoord klopt niet."
        elif (form.get("nieuw") or "") != (form.get("herhaal") or ""):
            error = "De twee nieuwe wachtwoorden zijn niet gelijk."
        else:
            try:
                store.set_password(principal.name, form.get("nieuw") or "")
            except StoreError as exc:
                error = str(exc)
            else:  # every session of this user has ended; this browser gets a fresh one
                session.clear()
                session["sid"] = store.start_session(principal.name, request.remote_addr)
                session["user"], session["role"] = principal.name, principal.role
                session.permanent = True
                flash("Uw wachtwoord is gewijzigd. Andere sessies zijn beëindigd.", "ok")
                return redirect(url_for("accounts.account"))
    return render_template("password.html", error=error), (400 if error else 200)


@bp.post("/tokens/<name>/<action>")
@login_required("read")
def token_state(name, action):
    if action not in ("uitschakelen", "inschakelen"):
        abort(404)
    principal = session_principal()
    store = get_service().store
    token = next((t for t in store.list_tokens() if t.name == name and t.revoked_at is None), None)
    if token is None or not (_is_admin(principal) or token.owner == principal.name):
        abort(403, description="U mag alleen uw eigen tokens uit- of inschakelen.")
    store.set_token_disabled(name, action == "uitschakelen")
    flash(f"Token {name} is {'uitgeschakeld' if action == 'uitschakelen' else 'weer ingeschakeld'}.", "ok")
    return redirect(url_for("accounts.account"))


@bp.post("/gebruikers/<username>/<action>")
@login_required("read")
def user_state(username, action):
    if action not in ("uitschakelen", "inschakelen"):
        abort(404)
    principal = session_principal()
    if not _is_admin(principal):
        abort(403, description="Alleen beheerders (REGELBANK_ADMINS) mogen gebruikers uit- of inschakelen.")
    if username == principal.name and action == "uitschakelen":
        abort(400, description="U kunt uzelf niet uitschakelen.")
    try:
        get_service().store.set_user_disabled(username, action == "uitschakelen")
    except NotFound as exc:
        abort(404, description=str(exc))
    flash(f"Gebruiker {username} is {'uitgeschakeld (sessies en tokens werken niet meer)' if action == 'uitschakelen' else 'weer ingeschakeld'}.",
          "ok")
    return redirect(url_for("accounts.account"))
