"""The evaluate endpoint's common case, answered without Flask's request machinery.

A case system's call is always the same: ``POST /api/v1/rulesets/<gemeente>/<naam>/evaluate`` with a
bearer token and a JSON body. Under load, Flask's per-request work (request and app contexts,
routing, the hooks of every blueprint, the response object) cost a tenth of such a call's CPU in a
worker that is bound by one interpreter lock. This WSGI layer answers that call itself, with the
same parts the Flask view uses: the token cache, the role check, the JSON reader,
``web.api.evaluate_answer`` and Flask's JSON provider, plus the security headers every API answer
carries (tests/test_fast_api.py compares the two paths).

It takes only the success path. Anything else goes to Flask unchanged and is answered as always:
another path or method, a cookie (a person's session; CSRF rules apply), no bearer token, a body
without a length or over the upload limit, and every refusal (an unknown token, a wrong role, bad
JSON, wrong inputs, no version in force, a decision log that cannot be written). Those all fail
before anything is logged, so Flask running the request again stores nothing twice; after the
decision is logged only the answer is built from values already computed.
"""
from __future__ import annotations

import io
import re

from regelbank.jsonout import read_object

from .auth import PERMISSIONS, TOKEN_CHECKED, token_cache
from .hardening import api_response_headers

_EVALUATE = re.compile(r"/api/v1/rulesets/([^/]+)/([^/]+)/evaluate")


class FastEvaluate:
    def __init__(self, app):
        from .api import evaluate_answer
        self.app, self.flask = app, app.wsgi_app
        self.evaluate_answer = evaluate_answer
        self.service = app.extensions["regelbank"]
        self.tokens = token_cache(app)
        self.allowed = PERMISSIONS["evaluate"]
        self.headers = api_response_headers()

    def __call__(self, environ, start_response):
        # PATH_INFO carries the URL's bytes as Latin-1 (PEP 3333); Flask reads names as UTF-8, and so do we
        match = _EVALUATE.fullmatch(environ.get("PATH_INFO", "").encode("latin-1", "replace").decode("utf-8", "replace"))
        length = environ.get("CONTENT_LENGTH") or ""
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
        if (match is None or environ.get("REQUEST_METHOD") != "POST" or "HTTP_COOKIE" in environ
                or scheme.lower() != "bearer" or not length.isdigit()
                or int(length) > self.app.config["MAX_CONTENT_LENGTH"]):
            return self.flask(environ, start_response)
        body = environ["wsgi.input"].read(int(length))
        try:
            answer = self._answer(environ, match.group(1), match.group(2), token.strip(), body)
        except Exception:  # noqa: BLE001 - every refusal is Flask's to word (see the module docstring)
            answer = None
        if answer is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.flask(environ, start_response)
        # the bytes Flask's JSON provider makes (compact, a final newline), without a Response object
        data = (self.app.json.dumps(answer, separators=(",", ":")) + "\n").encode("utf-8")
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                                  *self.headers])
        return [data]

    def _answer(self, environ, gemeente: str, naam: str, token: str, body: bytes) -> dict | None:
        principal = self.tokens.check(self.service.store, token)
        environ[TOKEN_CHECKED] = (token, principal)      # a refusal is not checked a second time
        if principal is None or principal.role not in self.allowed:
            return None
        return self.evaluate_answer(self.service, f"{gemeente}/{naam}", read_object(body, ""),
                                    f"{principal.role}:{principal.name}")
