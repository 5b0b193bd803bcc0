"""The evaluate endpoint's fast path (web/fast_api.py) answers a case system's call as the Flask view
does, and leaves everything else, every refusal included, to Flask."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_versions import AUTO, CASE

URL = f"{AUTO}/evaluate"
BODY = {"inputs": CASE, "as_of": "2027-06-01"}
SAME_HEADERS = ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                "Referrer-Policy", "Cross-Origin-Opener-Policy", "Permissions-Policy", "Cache-Control")


@pytest.fixture
def flask_calls(app, monkeypatch):
    """How many requests reached Flask's dispatch (the fast path does not)."""
    calls = []
    original = type(app).full_dispatch_request
    monkeypatch.setattr(type(app), "full_dispatch_request", lambda self: calls.append(1) or original(self))
    return calls


def test_a_case_systems_call_is_answered_as_flask_answers_it(client, token, service, flask_calls):
    evaluator = token("evaluator")
    before = service.store.count_decisions()
    fast = client.post(URL, json=BODY, headers=evaluator)
    assert fast.status_code == 200 and flask_calls == []
    # the same call with a cookie goes through Flask (sessions and CSRF are Flask's)
    client.set_cookie("voorkeur", "1")
    slow = client.post(URL, json=BODY, headers=evaluator)
    assert slow.status_code == 200 and flask_calls == [1]
    for name in SAME_HEADERS:
        assert fast.headers.get(name) == slow.headers.get(name), name
    a, b = fast.get_json(), slow.get_json()
    assert set(a) == set(b) and a["decision_id"] != b["decision_id"]
    for key in ("ruleset", "version", "valid_from", "as_of", "outputs", "fired", "explanation", "decided"):
        assert a[key] == b[key], key
    assert fast.get_data(as_text=True).endswith("}\n") and ", " not in fast.get_data(as_text=True)[:40]
    assert service.store.count_decisions() == before + 2          # each logged once
    assert service.store.get_decision(a["decision_id"])["outputs"] == a["outputs"]


@pytest.mark.parametrize("case, status, code", [
    ("unknown token", 401, "unauthorized"),
    ("auditor", 403, "forbidden"),
    ("not json", 400, "bad-request"),
    ("unknown field", 400, "bad-request"),
    ("wrong input", 400, "invalid-input"),
    ("unknown rule set", 404, "not-found"),
])
def test_refusals_go_to_flask_and_log_nothing(client, token, service, flask_calls, case, status, code):
    headers = {"Authorization": "Bearer niet-bestaand"} if case == "unknown token" else \
        token("auditor") if case == "auditor" else token("evaluator")
    url = URL.replace("autoaanpassing", "bestaat-niet") if case == "unknown rule set" else URL
    before = service.store.count_decisions()
    if case == "not json":
        response = client.post(url, data="{kapot", headers={**headers, "Content-Type": "application/json"})
    else:
        body = {**BODY, "extra": 1} if case == "unknown field" else \
            {"inputs": {**CASE, "AutoJaar": "veel"}} if case == "wrong input" else BODY
        response = client.post(url, json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert flask_calls == [1] and service.store.count_decisions() == before


def test_a_body_over_the_upload_limit_is_flasks_413(client, token, app, flask_calls):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post(URL, json={"inputs": {**CASE, "x": "y" * 200}}, headers=token("evaluator"))
    assert response.status_code == 413 and flask_calls == [1]


@pytest.fixture
def evaluator(token):
    """One token for all examples of a property test (a new token per example made shrinking slow)."""
    return token("evaluator")


json_values = st.recursive(st.none() | st.booleans() | st.integers()
                           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.dictionaries(st.sampled_from(["inputs", "as_of", "extra"]), json_values, max_size=3),
                      st.builds(lambda i: {"inputs": i}, st.dictionaries(st.sampled_from(sorted(CASE) + ["Onbekend"]),
                                                                          json_values, max_size=4)),
                      json_values))
def test_any_json_body_gets_a_json_answer_never_a_crash(client, evaluator, body):
    """Whatever a case system sends, the fast path answers or hands over to Flask: JSON, never a 500."""
    response = client.post(URL, json=body, headers=evaluator)
    assert response.status_code in (200, 400, 409, 422), (response.status_code, body)
    payload = response.get_json()
    assert payload is not None and ("outputs" in payload) == (response.status_code == 200)
