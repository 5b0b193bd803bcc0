"""The HTML pages and their JSON twins, through Flask's test client (CSRF off here; the browser tests run with it on)."""
from __future__ import annotations

import io
import re

import pytest

from .browser.workbooks import NEW_VALID_FROM, broken_autoaanpassing, changed_autoaanpassing


@pytest.fixture
def login(client, service):
    def do(role: str, username: str | None = None):
        username = username or f"{role}-user"
        try:
            service.store.create_user(username, "geheim", role)
        except Exception:
            pass
        response = client.post("/inloggen", data={"gebruikersnaam": username, "wachtwoord": "geheim"})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return do


def text(response) -> str:
    return response.get_data(as_text=True)


def fired_rules(html: str) -> list[str]:
    return re.findall(r'<tr class="fired" aria-current="true" data-rule="([^"]+)"', html)


# ------------------------------------------------------------------ login and roles

def test_pages_need_login(client, service):
    service.store.create_user("iemand", "geheim", "evaluator")  # not a first run: the login page, not the welcome
    response = client.get("/")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert client.get("/.json").status_code == 401


def test_wrong_password_is_refused_in_dutch(client, service):
    service.store.create_user("anna", "goed", "evaluator")
    response = client.post("/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": "fout"})
    assert response.status_code == 401
    assert "Onbekende gebruikersnaam of onjuist wachtwoord" in text(response)


def test_login_redirects_only_within_the_site(client, service):
    service.store.create_user("anna", "goed", "evaluator")
    response = client.post("/inloggen?next=//evil.example/x", data={"gebruikersnaam": "anna", "wachtwoord": "goed"})
    assert response.headers["Location"] == "/"
    client.post("/uitloggen")
    response = client.post("/inloggen?next=/regelsets/kampen/dagbesteding",
                           data={"gebruikersnaam": "anna", "wachtwoord": "goed"})
    assert response.headers["Location"] == "/regelsets/kampen/dagbesteding"


@pytest.mark.parametrize("role, url, status", [
    ("evaluator", "/regelsets/kampen/autoaanpassing/uploaden", 403),
    ("evaluator", "/beslissingen", 403),
    ("auditor", "/regelsets/kampen/autoaanpassing/evalueren", 403),
    ("auditor", "/regelsets/kampen/autoaanpassing/uploaden", 403),
    ("editor", "/beslissingen", 403),
    ("editor", "/regelsets/kampen/autoaanpassing/uploaden", 200),
    ("auditor", "/beslissingen", 200),
    ("evaluator", "/regelsets/kampen/autoaanpassing/evalueren", 200),
])
def test_a_page_a_role_may_not_see_is_refused(login, role, url, status):
    client = login(role)
    response = client.get(url)
    assert response.status_code == status
    if status == 403:
        assert "Geen toegang" in text(response) and "mag deze pagina niet gebruiken" in text(response)
        assert client.get(url + ".json").status_code == 403


def test_csrf_is_enforced_when_enabled(app, service):
    app.config["WTF_CSRF_ENABLED"] = True
    service.store.create_user("anna", "goed", "evaluator")
    client = app.test_client()
    response = client.post("/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": "goed"})
    assert response.status_code == 400 and "Formulier verlopen" in text(response)
    page = text(client.get("/inloggen"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": "goed", "csrf_token": token})
    assert response.status_code == 302


# ------------------------------------------------------------------ overview and JSON twins

def test_overview_lists_rule_sets_with_dutch_dates(login):
    client = login("evaluator")
    html = text(client.get("/"))
    assert "Aanpassing van de eigen auto" in html and "12-05-2015" in html
    assert "003_be52d6ecc0674bec.txt" not in html  # people read the document's title, not its file name
    assert "Beleidsregels Wet maatschappelijke ondersteuning gemeente Kampen 2015" in html
    data = client.get("/.json").get_json()
    assert data == client.get("/?_format=json").get_json()
    row = next(r for r in data["rulesets"] if r["ruleset"] == "kampen/autoaanpassing")
    assert row["valid_from"] == "2015-05-12" and len(row["version"]) == 64


def test_every_page_has_a_json_twin(login):
    client = login("editor")
    for url in ("/regelsets/kampen/dagbesteding", "/regelsets/kampen/dagbesteding/versies",
                "/regelsets/kampen/dagbesteding/evalueren"):
        assert client.get(url).status_code == 200
        response = client.get(url + ".json")
        assert response.status_code == 200 and response.is_json, url
    assert client.get("/regelsets/kampen/dagbesteding.json").get_json()["ruleset"] == "kampen/dagbesteding"


def test_unknown_rule_set_is_a_dutch_404(login):
    client = login("evaluator")
    response = client.get("/regelsets/kampen/bestaat-niet/versies")
    assert response.status_code == 404 and "Niet gevonden" in text(response)


# ------------------------------------------------------------------ the evaluate form

def test_form_widgets_follow_the_glossary(login):
    client = login("evaluator")
    html = text(client.get("/regelsets/kampen/dagbesteding/evalueren"))
    assert re.search(r'<select id="veld-Doelgroep" name="Doelgroep"', html)
    for option in ("VG", "LG", "NAH", "GGZ", "V&amp;V", "ZG"):
        assert f'<option value="{option}">' in html
    assert re.search(r'type="text" inputmode="(numeric|decimal)"[^>]*id="veld-Groepsgrootte"', html)
    assert re.search(r'name="Rolstoel" value="nee" checked', html)  # documented default false
    assert re.search(r'<option value="geen" selected>geen</option>', html)  # Problematiek default
    assert re.search(r'type="date" id="veld-peildatum"', html)
    assert '<label for="veld-Groepsgrootte">' in html


@pytest.mark.parametrize("ruleset, form, rule, shown", [
    ("kampen/autoaanpassing", {"AutoJaar": "5", "Aanpassingskosten": "5000", "KeuringskostenRDW": "150"}, "AA-25",
     "€ 3.150,00"),
    ("kampen/dagbesteding", {"Doelgroep": "VG", "Groepsgrootte": "7"}, "DB-", "Dagactiviteit VG licht"),
    ("kampen/gebruikelijke-zorg", {"LeeftijdHuisgenoot": "4"}, "GZ-", "geen"),
])
def test_evaluate_shows_outputs_and_the_fired_rows(login, ruleset, form, rule, shown):
    client = login("evaluator")
    response = client.post(f"/regelsets/{ruleset}/evalueren", data={"peildatum": "2025-01-01", **form})
    html = text(response)
    assert response.status_code == 200, html
    assert shown in html
    fired = fired_rules(html)
    assert fired and any(f.startswith(rule) for f in fired)
    assert "Toelichting" in html and "Bron" in html
    data = client.post(f"/regelsets/{ruleset}/evalueren.json", data={"peildatum": "2025-01-01", **form}).get_json()
    assert data["result"]["decision_id"] and data["result"]["as_of"] == "2025-01-01"
    assert {f["rule"] for f in data["result"]["fired"]} == set(fired)


def test_bad_input_is_shown_next_to_the_field_and_kept(login):
    client = login("evaluator")
    response = client.post("/regelsets/kampen/gebruikelijke-zorg/evalueren",
                           data={"LeeftijdHuisgenoot": "200", "Woonvorm": "leefeenheid"})
    html = text(response)
    assert response.status_code == 400
    assert re.search(r'<p class="veldfout" id="fout-LeeftijdHuisgenoot">[^<]*niet toegestaan', html)
    assert re.search(r'id="veld-LeeftijdHuisgenoot" name="LeeftijdHuisgenoot" value="200"', html)
    assert '<option value="leefeenheid" selected>' in html


def test_missing_required_input_and_text_in_a_number_field(login):
    client = login("evaluator")
    response = client.post("/regelsets/kampen/autoaanpassing/evalueren",
                           data={"AutoJaar": "vijf", "peildatum": "2025-01-01"})
    html = text(response)
    assert response.status_code == 400
    assert "fout-AutoJaar" in html and "geen getal" in html and 'value="vijf"' in html
    response = client.post("/regelsets/kampen/autoaanpassing/evalueren", data={"AutoJaar": "5"})
    assert "fout-Aanpassingskosten" in text(response) and "ontbreekt" in text(response)


def test_peildatum_before_any_version_is_an_error_on_that_field(login):
    client = login("evaluator")
    response = client.post("/regelsets/kampen/autoaanpassing/evalueren",
                           data={"AutoJaar": "5", "Aanpassingskosten": "100", "peildatum": "2001-01-01"})
    assert response.status_code == 400 and "fout-peildatum" in text(response)


def test_dutch_amounts_are_accepted(login):
    client = login("evaluator")
    data = client.post("/regelsets/kampen/autoaanpassing/evalueren.json",
                       data={"AutoJaar": "6", "Aanpassingskosten": "1.234,50", "KeuringskostenRDW": "99,95"}).get_json()
    assert data["result"]["outputs"]["Vergoeding"] == 593.75


# ------------------------------------------------------------------ upload, validate, diff, publish

def upload(client, content: bytes, name="autoaanpassing.xlsx", follow=True):
    return client.post("/regelsets/kampen/autoaanpassing/uploaden",
                       data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data",
                       follow_redirects=follow)


def test_broken_upload_shows_findings_and_publishes_nothing(login, service):
    client = login("editor")
    before = len(service.store.versions("kampen/autoaanpassing"))
    draft_url = upload(client, broken_autoaanpassing(), follow=False).headers["Location"]
    html = text(client.get(draft_url))
    assert "Validatierapport" in html and "kan niet worden gepubliceerd" in html
    assert "Afschrijving naar autojaar" in html and ">B4<" in html and "AA-02" in html
    assert "/publiceren" not in html  # no publish form
    assert len(service.store.versions("kampen/autoaanpassing")) == before
    # posting the publish form anyway is refused, and still nothing is stored
    response = client.post(draft_url + "/publiceren", data={"geldig_vanaf": "2030-01-01", "toelichting": "x"})
    assert response.status_code == 400 and "bevat fouten" in text(response)
    assert len(service.store.versions("kampen/autoaanpassing")) == before
    findings = client.get(draft_url + ".json").get_json()["report"]["findings"]
    assert {"sheet": "Afschrijving naar autojaar", "cell": "B4", "rule": "AA-02"}.items() <= findings[0].items()


def test_not_a_workbook_is_refused_on_the_form(login):
    client = login("editor")
    response = upload(client, b"hallo", name="notities.txt")
    assert response.status_code == 415 or response.status_code == 400
    assert "geen Excel-werkmap" in text(response)


def test_changed_upload_diff_publish_and_peildatum(login, service):
    client = login("editor")
    response = upload(client, changed_autoaanpassing(), follow=False)
    draft_url = response.headers["Location"]
    html = text(client.get(draft_url))
    assert "Geen fouten" in html and "Verschil met de versie van kracht" in html
    assert "<del>80</del>" in html and "<ins>90</ins>" in html
    report = client.get(draft_url + ".json").get_json()["report"]
    changed = {(c["table"], c["rule"]) for c in report["diff"]["changed"]}
    assert ("Afschrijving naar autojaar", "AA-02") in changed and report["publishable"]
    assert all(e["passed"] for e in report["examples"])
    # both fields are required
    response = client.post(draft_url + "/publiceren", data={"geldig_vanaf": "", "toelichting": ""})
    assert response.status_code == 400 and "fout-geldig" in text(response) and "fout-toel" in text(response)
    response = client.post(draft_url + "/publiceren", data={"geldig_vanaf": NEW_VALID_FROM.isoformat(),
                                                           "toelichting": "Vierde jaar 90%"})
    assert response.status_code == 302
    versions = service.store.versions("kampen/autoaanpassing")
    assert versions[0].valid_from == NEW_VALID_FROM and versions[0].comment == "Vierde jaar 90%"
    case = {"AutoJaar": "4", "Aanpassingskosten": "1000"}
    later = client.post("/regelsets/kampen/autoaanpassing/evalueren.json", data={**case, "peildatum": "2030-02-01"}).get_json()
    earlier = client.post("/regelsets/kampen/autoaanpassing/evalueren.json", data={**case, "peildatum": "2029-12-31"}).get_json()
    assert later["result"]["outputs"]["VergoedingsPercentage"] == 90 and later["result"]["version"] == versions[0].hash
    assert earlier["result"]["outputs"]["VergoedingsPercentage"] == 80 and earlier["result"]["version"] != versions[0].hash
    # the history offers each original workbook and a diff with the previous version
    html = text(client.get("/regelsets/kampen/autoaanpassing/versies"))
    assert "01-01-2030" in html and "verschil met vorige" in html
    download = client.get(f"/regelsets/kampen/autoaanpassing/versies/{versions[0].hash}/download")
    assert download.data == changed_autoaanpassing() or download.data[:2] == b"PK"
    diff = client.get(f"/regelsets/kampen/autoaanpassing/verschil.json?van={versions[1].hash}&naar={versions[0].hash}")
    assert diff.get_json()["changed"]


def test_withdraw_needs_a_reason(login, service):
    client = login("editor")
    version = service.store.versions("kampen/dagbesteding")[0]
    client.post(f"/regelsets/kampen/dagbesteding/versies/{version.hash}/intrekken", data={"reden": ""})
    assert service.store.versions("kampen/dagbesteding")[0].status == "active"
    response = client.post(f"/regelsets/kampen/dagbesteding/versies/{version.hash}/intrekken",
                           data={"reden": "Vervangen door nieuw beleid"}, follow_redirects=True)
    assert "is ingetrokken" in text(response)
    assert service.store.versions("kampen/dagbesteding")[0].status == "withdrawn"


# ------------------------------------------------------------------ decision log

def test_auditor_searches_opens_replays_and_verifies(app, login, service):
    answer = service.evaluate("kampen/autoaanpassing", {"AutoJaar": 5, "Aanpassingskosten": 5000}, caller="test")
    client = login("auditor")
    html = text(client.get("/beslissingen?regel=AA-25"))
    assert answer["decision_id"][:12] in html
    data = client.get(f"/beslissingen.json?id={answer['decision_id']}").get_json()
    assert data["total"] == 1 and data["decisions"][0]["decision_id"] == answer["decision_id"]
    assert client.get("/beslissingen.json?regel=BESTAAT-NIET").get_json()["total"] == 0
    html = text(client.get(f"/beslissingen/{answer['decision_id']}"))
    assert answer["version"] in html and "AA-25" in fired_rules(html) and "€ 3.000,00" in html
    html = text(client.post(f"/beslissingen/{answer['decision_id']}/herhalen"))
    assert "de uitkomst is identiek" in html
    assert client.post(f"/beslissingen/{answer['decision_id']}/herhalen.json").get_json()["replay"]["identical"]
    html = text(client.post("/controle"))
    assert "In orde:" in html and "niets gewijzigd" in html
    assert client.get("/controle.json").get_json()["result"]["ok"]
    assert client.get("/beslissingen/bestaat-niet").status_code == 404


def test_the_api_needs_no_csrf_token(app, token):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().post("/api/v1/rulesets/kampen/autoaanpassing/evaluate", headers=token("evaluator"),
                                      json={"inputs": {"AutoJaar": 5, "Aanpassingskosten": 5000}})
    assert response.status_code == 200 and response.get_json()["outputs"]["Vergoeding"] == 3000


def test_ruleset_page_shows_inputs_and_tables(login):
    client = login("auditor")
    html = text(client.get("/regelsets/kampen/autoaanpassing"))
    assert "Afschrijving naar autojaar" in html and "AA-01" in html and "verplicht" in html
    assert "Een situatie beoordelen" not in html  # auditors do not evaluate
