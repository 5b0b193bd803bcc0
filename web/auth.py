"""Who is asking: bearer tokens for API clients, session login for people; roles decide what they may do."""
from __future__ import annotations

import functools
import hashlib
import logging

from flask import Blueprint, current_app, g, jsonify, request, session
from flask.sessions import SecureCookieSessionInterface
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


TOKEN_CHECKED = "regelbank.token_checked"    # environ key: (token, principal or None)


def current_principal() -> Principal | None:
    """A valid bearer token's principal, else the logged-in session's (any other Authorization header is ignored)."""
    if "principal" in g:
        return g.principal
    principal = None
    scheme, _, credentials = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer":            # auth schemes are case-insensitive (RFC 9110 §11.1)
        checked = request.environ.get(TOKEN_CHECKED)   # web/fast_api.py checked it and handed over
        principal = checked[1] if checked and checked[0] == credentials.strip() else _checked_token(credentials.strip())
    else:
        principal = session_principal()
    g.principal = principal
    return principal


class TokenCache:
    """Verified tokens (by SHA-256, never the plaintext) -> principal, valid while the accounts counter stands.

    A trigger raises that counter on every change to a token or a user, whichever process or server
    made it (``store.accounts_stamp()``, migration 0004). The counter is read *before* the token is
    checked, so an entry is never newer-stamped than the rows it came from: after a revoke or a
    disable, the next request in every process sees a new counter and checks the token again.
    Unknown tokens are not cached (the check refuses them the same way each time)."""

    def __init__(self, size: int = 10_000):
        from regelbank.serving import StampedCache
        self._cache = StampedCache(size)

    def check(self, store, plaintext: str) -> Principal | None:
        if not plaintext or len(plaintext) > 200:
            return store.check_token(plaintext)
        stamp = store.accounts_stamp()
        if stamp is None:                     # a database without the counter: never cache
            return store.check_token(plaintext)
        key = hashlib.sha256(plaintext.encode("utf-8", "surrogatepass")).digest()
        return self._cache.get(stamp, key, lambda: store.check_token(plaintext))


def token_cache(app) -> TokenCache:
    """The app's one cache of verified tokens (the Flask views and web/fast_api.py share it)."""
    cache = app.extensions.get("regelbank_token_cache")
    if cache is None:
        cache = app.extensions.setdefault("regelbank_token_cache", TokenCache())
    return cache


def _checked_token(plaintext: str) -> Principal | None:
    return token_cache(current_app).check(get_service().store, plaintext)


def _via_token(principal: Principal | None) -> bool:
    return principal is not None and principal.kind == "token"


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
            # CSRF is skipped only for a valid bearer token: browsers never send one on their own,
            # but they may send a cookie alongside some other Authorization header
            if (not _via_token(principal) and request.method not in ("GET", "HEAD", "OPTIONS")
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


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, opened only for requests that carry a session cookie.

    Flask opens a session for every request, and opening builds a signing serializer (which
    serialises an empty object to probe its type): about a tenth of an API call's CPU, for the
    case systems that never send a cookie. Without a cookie the session is simply empty, which
    is what Flask would have found; storing something in it still sets a cookie."""

    def open_session(self, app, request):
        if app.config["SESSION_COOKIE_NAME"] not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def session_principal() -> Principal | None:
    """The person logged in with a session (bearer tokens are for the API, not for pages).

    The cookie holds only a random session id; the session itself is in the store, so logout,
    disabling the user, a password change and the idle/absolute lifetime end it at once."""
    if "session_principal" in g:
        return g.session_principal
    principal = None
    sid = session.get("sid")
    if sid:
        config = current_app.config
        principal = get_service().store.check_session(sid, config["SESSION_IDLE"], config["SESSION_ABSOLUTE"])
        if principal is None:
            session.clear()
    g.session_principal = principal
    return principal


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
    status = 200
    if request.method == "POST":
        store = get_service().store
        username = (request.form.get("gebruikersnaam") or "").strip()[:100]
        keys = [f"user:{username.casefold()}", f"addr:{request.remote_addr or '-'}"]
        wait = store.login_wait(keys)
        if wait:  # growing delay, then a temporary lockout: the password is not even checked
            error, status = (f"Te veel mislukte inlogpogingen. Probeer het over {wait} seconden opnieuw"
                             f"{' (tijdelijk geblokkeerd)' if wait > 60 else ''}."), 429
            logging.getLogger("regelbank.security").warning("inlogpoging geweigerd (wachttijd %ss) voor %s", wait,
                                                            ", ".join(keys))
        else:
            principal = store.check_user(username, request.form.get("wachtwoord") or "")
            if principal is None:
                store.record_login_failure(keys)
                error, status = "Onbekende gebruikersnaam of onjuist wachtwoord.", 401
            else:
                store.record_login_success(keys[:1])
                target = _safe_next(request.args.get("next") or request.form.get("next"))
                session.clear()  # no session fixation: a fresh session for the logged-in user
                session["sid"] = store.start_session(principal.name, request.remote_addr)
                session["user"], session["role"] = principal.name, principal.role  # shown in the header only
                session.permanent = True
                flash(f"Ingelogd als {principal.name} ({ROLE_LABELS.get(principal.role, principal.role)}).", "ok")
                return redirect(target)
    response = render_template("login.html", error=error, username=username, next=request.args.get("next", ""))
    return response, status, ({"Retry-After": str(wait)} if status == 429 else {})


@bp.post("/uitloggen")
def logout():
    get_service().store.end_session(session.get("sid"))  # the old cookie is worthless from now on
    session.clear()
    flash("U bent uitgelogd.", "ok")
    return redirect(url_for("auth.login"))
