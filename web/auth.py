"""Who is asking: bearer tokens for API clients, session login for people; roles decide what they may do."""
from __future__ import annotations

import functools

from flask import Blueprint, current_app, g, jsonify, request, session
from flask_wtf.csrf import CSRFProtect

from store import Principal

from .db import get_service

bp = Blueprint("auth", __name__)
# Every HTML form carries a CSRF token. The JSON APIs are exempt because bearer tokens are not sent
# by browsers on their own; an API call that rides on a session cookie must carry the token too
# (see api_requires), so a logged-in browser cannot be made to publish from another site.
csrf = CSRFProtect()

# What each role may do. Editors may also evaluate and read; auditors read the decision log.
PERMISSIONS = {
    "evaluate": {"evaluator", "editor"},
    "read": {"evaluator", "editor", "auditor"},
    "publish": {"editor"},
    "audit": {"auditor"},
}
ROLE_LABELS = {"editor": "redacteur (beleidsmedewerker)", "auditor": "auditor", "evaluator": "consulent"}


def current_principal() -> Principal | None:
    if "principal" in g:
        return g.principal
    principal = None
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer":            # auth schemes are case-insensitive (RFC 9110 §11.1)
        principal = get_service().store.check_token(credentials.strip())
    elif session.get("user"):
        principal = Principal(session["user"], session["role"])
    g.principal = principal
    return principal


def api_error(status: int, code: str, message: str, **extra):
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="regelbank"'
    return response


def api_requires(permission: str):
    """Refuse a missing or wrong token (401) or a role without ``permission`` (403), as JSON."""
    allowed = PERMISSIONS[permission]

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            principal = current_principal()
            if principal is None:
                has_header = bool(request.headers.get("Authorization"))
                return api_error(401, "unauthorized",
                                 "Ongeldig token." if has_header else
                                 "Geen token meegestuurd. Stuur 'Authorization: Bearer <token>' mee "
                                 "(maak een token met: regelbank token create --role ... --name ...).")
            if ("Authorization" not in request.headers and request.method not in ("GET", "HEAD", "OPTIONS")
                    and current_app.config.get("WTF_CSRF_ENABLED", True)):
                csrf.protect()
            if principal.role not in allowed:
                roles = ", ".join(sorted(allowed))
                return api_error(403, "forbidden",
                                 f"De rol '{principal.role}' mag dit niet; nodig is een van: {roles}.",
                                 required_roles=sorted(allowed))
            return view(*args, **kwargs)
        return wrapped
    return decorator


# =====================================================================================================
# Session login for people (HTML pages). Owned by the pages work (issue 4); `api_requires` above is
# the API's and stays as it is. Pages use `login_required(permission)`: no session -> the login page,
# a role without the permission -> 403 (the page is refused, not merely unlinked).
# =====================================================================================================

from urllib.parse import urlsplit  # noqa: E402

from flask import abort, flash, redirect, render_template, url_for  # noqa: E402


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.args.get("_format") == "json"


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//' trick) may be a redirect target."""
    if not target:
        return url_for("pages.overview")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("pages.overview")
    return target


def session_principal() -> Principal | None:
    """The person logged in with a session (bearer tokens are for the API, not for pages)."""
    if session.get("user") and session.get("role"):
        return Principal(session["user"], session["role"])
    return None


def may(permission: str, principal: Principal | None = None) -> bool:
    principal = principal or session_principal()
    return principal is not None and principal.role in PERMISSIONS[permission]


def login_required(permission: str = "read"):
    """Page decorator: log in first (redirect), then the role must have ``permission`` (else 403)."""
    allowed = PERMISSIONS[permission]

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            principal = session_principal()
            if principal is None:
                if _wants_json():
                    return api_error(401, "unauthorized", "Log eerst in (of gebruik de API met een token).")
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            g.principal = principal
            if principal.role not in allowed:
                abort(403, description=f"Uw rol ({ROLE_LABELS.get(principal.role, principal.role)}) mag deze pagina "
                                       f"niet gebruiken. Nodig is de rol: "
                                       + " of ".join(ROLE_LABELS[r] for r in sorted(allowed)) + ".")
            return view(*args, **kwargs)
        return wrapped
    return decorator


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = (request.form.get("gebruikersnaam") or "").strip()
        principal = get_service().store.check_user(username, request.form.get("wachtwoord") or "")
        if principal is None:
            error = "Onbekende gebruikersnaam of onjuist wachtwoord."
        else:
            target = _safe_next(request.args.get("next") or request.form.get("next"))
            session.clear()  # no session fixation: a fresh session for the logged-in user
            session["user"], session["role"] = principal.name, principal.role
            flash(f"Ingelogd als {principal.name} ({ROLE_LABELS.get(principal.role, principal.role)}).", "ok")
            return redirect(target)
    return render_template("login.html", error=error, username=username,
                           next=request.args.get("next", "")), (401 if error else 200)


@bp.post("/uitloggen")
def logout():
    session.clear()
    flash("U bent uitgelogd.", "ok")
    return redirect(url_for("auth.login"))
