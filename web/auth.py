"""Who is asking: bearer tokens for API clients, session login for people; roles decide what they may do."""
from __future__ import annotations

import functools

from flask import Blueprint, g, jsonify, request, session

from store import Principal

from .db import get_service

bp = Blueprint("auth", __name__)

# What each role may do. Editors may also evaluate and read; auditors read the decision log.
PERMISSIONS = {
    "evaluate": {"evaluator", "editor"},
    "read": {"evaluator", "editor", "auditor"},
    "publish": {"editor"},
    "audit": {"auditor"},
}
ROLE_LABELS = {"editor": "redacteur (beleidsmedewerker)", "auditor": "auditor", "evaluator": "consulent (evalueren)"}


def current_principal() -> Principal | None:
    if "principal" in g:
        return g.principal
    principal = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        principal = get_service().store.check_token(header[len("Bearer "):].strip())
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
            if principal.role not in allowed:
                roles = ", ".join(sorted(allowed))
                return api_error(403, "forbidden",
                                 f"De rol '{principal.role}' mag dit niet; nodig is een van: {roles}.",
                                 required_roles=sorted(allowed))
            return view(*args, **kwargs)
        return wrapped
    return decorator
