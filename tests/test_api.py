"""The JSON API through Flask's test client: evaluate, errors, tokens and roles."""
from __future__ import annotations

CASE = {"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}
URL = "/api/v1/rulesets/kampen/autoaanpassing/evaluate"


def test_health_and_openapi_need_no_token(client):
    assert client.get("/api/v1/health").get_json()["status"] == "ok"
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert "/rulesets/{gemeente}/{naam}/evaluate" in doc["paths"]


def test_evaluate_returns_the_console_object_plus_decision_id(client, token):
    response = client.post(URL, json={"inputs": CASE}, headers=token("evaluator"))
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["outputs"]["VergoedingsPercentage"] == 60
    assert answer["outputs"]["Vergoeding"] == 3150
    assert answer["outputs"]["Toegekend"] is True
    assert answer["ruleset"] == "kampen/autoaanpassing" and len(answer["version"]) == 64
    assert answer["fired"] and answer["explanation"] and answer["decision_id"]


def test_logged_decision_can_be_read_back_by_an_auditor(client, token):
    answer = client.post(URL, json={"inputs": CASE}, headers=token("evaluator")).get_json()
    logged = client.get(f"/api/v1/decisions/{answer['decision_id']}", headers=token("auditor")).get_json()
    assert logged["inputs"]["AutoJaar"] == 5
    assert logged["outputs"]["Vergoeding"] == 3150
    assert [f["rule"] for f in logged["fired"]] == [f["rule"] for f in answer["fired"]]
    assert logged["version"] == answer["version"]


def test_bad_inputs_are_named(client, token):
    headers = token("evaluator")
    response = client.post(URL, json={"inputs": {"AutoJaar": "vijf", "Aanpassingskosten": 1}}, headers=headers)
    assert response.status_code == 400
    problem = response.get_json()["error"]["problems"][0]
    assert problem["input"] == "AutoJaar"
    response = client.post("/api/v1/rulesets/kampen/dagbesteding/evaluate",
                           json={"inputs": {"Doelgroep": "XX", "Groepsgrootte": 3}}, headers=headers)
    assert response.status_code == 400
    assert '"VG"' in response.get_json()["error"]["problems"][0]["allowed"]
    assert client.post(URL, data="geen json", headers=headers).status_code == 400
    assert client.post(URL, json={"inputs": CASE, "extra": 1}, headers=headers).status_code == 400


def test_unknown_ruleset_is_404(client, token):
    response = client.post("/api/v1/rulesets/kampen/onbekend/evaluate", json={"inputs": {}}, headers=token())
    assert response.status_code == 404 and "kampen/onbekend" in response.get_json()["error"]["message"]


def test_tokens_and_roles(client, token):
    assert client.post(URL, json={"inputs": CASE}).status_code == 401
    assert client.post(URL, json={"inputs": CASE}, headers={"Authorization": "Bearer fout"}).status_code == 401
    assert client.get("/api/v1/decisions", headers=token("evaluator")).status_code == 403
    assert client.get("/api/v1/decisions", headers=token("auditor")).status_code == 200
    refused = client.post(URL, json={"inputs": CASE}, headers=token("auditor"))
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"


def test_session_cookie_api_calls_need_the_csrf_token(app, client, service, token):
    """A logged-in browser must not be made to evaluate or publish from another site."""
    service.store.create_user("consulent1", "geheim-wachtwoord", "evaluator")
    assert client.post("/inloggen", data={"gebruikersnaam": "consulent1", "wachtwoord": "geheim-wachtwoord"}).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post(URL, json={"inputs": CASE})
    assert refused.status_code == 400
    bearer = app.test_client().post(URL, json={"inputs": CASE}, headers=token("evaluator"))
    assert bearer.status_code == 200


def test_openapi_describes_every_api_route(app, client):
    """Every /api/v1 route of the app is in the OpenAPI document, with its methods."""
    import re
    doc = client.get("/api/v1/openapi.json").get_json()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1"):])
        assert path in doc["paths"], path
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"][path], (method, path)
