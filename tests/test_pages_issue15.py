"""Issue 15 through Flask's test client: first run, public catalogue, lifecycle, impact, reports, audit."""
from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from .conftest import workbook

FILE_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
CASE = {"AutoJaar": "5", "Aanpassingskosten": "5000", "KeuringskostenRDW": "150"}


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def user(client, service):
    def make(role: str, name: str | None = None):
        name = name or f"{role}-user"
        try:
            service.store.create_user(name, "geheim-geheim", role)
        except Exception:
            pass
        client.post("/uitloggen")
        response = client.post("/inloggen", data={"gebruikersnaam": name, "wachtwoord": "geheim-geheim"})
        assert response.status_code == 302, text(response)
        return client
    return make


# ------------------------------------------------------------------ 1. first run

def test_first_run_offers_the_first_administrator_once(client, service):
    assert client.get("/").headers["Location"].endswith("/welkom")
    page = text(client.get("/welkom"))
    published = len(service.store.rulesets())
    assert "eerste beheerder" in page and f"{published} regelsets" in page and published >= 18
    short = client.post("/welkom", data={"gebruikersnaam": "beheer", "wachtwoord": "kort", "herhaling": "kort"})
    assert short.status_code == 400 and "minstens 12 tekens" in text(short)
    created = client.post("/welkom", data={"gebruikersnaam": "beheer", "wachtwoord": "een-lang-wachtwoord",
                                           "herhaling": "een-lang-wachtwoord"})
    assert created.status_code == 302
    assert service.store.check_user("beheer", "een-lang-wachtwoord").role == "editor"
    assert "Regelsets per gemeente" in text(client.get("/"))          # logged in straight away
    client.post("/uitloggen")
    assert client.get("/welkom").status_code == 404                    # never again
    again = client.post("/welkom", data={"gebruikersnaam": "tweede", "wachtwoord": "een-lang-wachtwoord",
                                         "herhaling": "een-lang-wachtwoord"})
    assert again.status_code == 404 and service.store.check_user("tweede", "een-lang-wachtwoord") is None
    assert "/inloggen" in client.get("/").headers["Location"]


def test_serve_banner_says_what_to_do():
    from regelbank.firstrun import banner
    text_ = banner("http://127.0.0.1:5000/", 18, ["kampen/dagbesteding"], users=False)
    assert "http://127.0.0.1:5000/" in text_ and "18 regelset(s)" in text_ and "1 nu gepubliceerd" in text_
    assert "eerste beheerder" in text_ and ".venv/bin/regelbank" in text_


# ------------------------------------------------------------------ 2. public catalogue

def test_catalogue_is_public_and_read_only(client, service):
    service.store.create_user("iemand", "geheim-geheim", "evaluator")
    index = text(client.get("/openbaar"))
    assert "Aanpassing van de eigen auto" in index and "Midden-Holland" in index
    page = text(client.get("/openbaar/kampen/autoaanpassing"))
    assert "AA-25" in page and "Toelichting" in page and "Beleidsregels Wmo Kampen 2015, §3.2.12 i.4" in page
    assert not FILE_NAME.search(page)
    version = service.store.versions("kampen/autoaanpassing")[0].hash
    workbook_ = client.get(f"/openbaar/kampen/autoaanpassing/versies/{version}/werkmap")
    assert workbook_.status_code == 200 and workbook_.data[:2] == b"PK"
    dmn = client.get(f"/openbaar/kampen/autoaanpassing/versies/{version}/dmn")
    assert dmn.status_code == 200 and b"<definitions" in dmn.data and b"AA-25" in dmn.data
    # decisions and uploads stay behind login
    assert client.get("/beslissingen").status_code == 302
    assert client.get("/regelsets/nieuw").status_code == 302


def test_proefberekening_is_never_logged_and_says_it_is_no_decision(client, service):
    before = service.store.count_decisions()
    response = client.post("/openbaar/kampen/autoaanpassing/proefberekening", data=CASE)
    page = text(response)
    assert response.status_code == 200 and "€ 3.150,00" in page
    assert "Proefberekening, geen besluit" in page and "beslissing-id" not in page
    assert service.store.count_decisions() == before


def test_catalogue_can_be_switched_off(app, client):
    app.config["PUBLIC_CATALOGUE"] = False
    assert client.get("/openbaar").status_code == 404
    assert client.post("/openbaar/kampen/autoaanpassing/proefberekening", data=CASE).status_code == 404
    assert client.get("/hulp/werkmap").status_code == 200   # the help page is not part of the catalogue


# ------------------------------------------------------------------ 3. lifecycle

def test_new_rule_set_by_upload_then_four_eyes_review(user, service):
    editor = user("editor", "anna")
    content = workbook("kampen/dagbesteding").read_bytes()
    response = editor.post("/regelsets/nieuw", data={"gemeente": "Kampen", "naam": "dagbesteding-2",
                                                     "titel": "Dagbesteding (proef)",
                                                     "file": (io.BytesIO(content), "db.xlsx")},
                           content_type="multipart/form-data")
    # the workbook's Metadata names kampen/dagbesteding: the report says so at the cell, nothing is stored
    assert response.status_code == 302
    draft = text(editor.get(response.headers["Location"]))
    assert "Metadata" in draft and "kampen/dagbesteding-2" in draft
    assert service.store.versions("kampen/dagbesteding-2") == []

    editor.post("/gemeenten", data={"gemeente": "kampen", "vier_ogen": "aan"})
    assert service.store.four_eyes("kampen")
    from tests.browser.workbooks import changed_autoaanpassing
    response = editor.post("/regelsets/kampen/autoaanpassing/uploaden",
                           data={"file": (io.BytesIO(changed_autoaanpassing()), "auto.xlsx")},
                           content_type="multipart/form-data")
    digest = response.headers["Location"].rsplit("/", 1)[1]
    response = editor.post(f"/regelsets/kampen/autoaanpassing/concepten/{digest}/publiceren",
                           data={"geldig_vanaf": f"{__import__('datetime').date.today().year + 1}-01-01", "toelichting": "Jaar 5: 65%",
                                 "raadsbesluit": "Collegebesluit 1 december 2026"}, follow_redirects=True)
    page = text(response)
    assert "wacht op goedkeuring door een andere redacteur" in page and "is wacht" not in page
    own = text(editor.get("/te-beoordelen"))
    assert "U heeft deze versie zelf ingediend" in own and ">Goedkeuren<" not in own
    assert "Collegebesluit 1 december 2026" in own

    other = user("editor", "bert")
    review = text(other.get("/te-beoordelen"))
    assert ">Goedkeuren<" in review
    pending = next(v for v in service.store.versions("kampen/autoaanpassing") if v.status == "pending")
    done = other.post(f"/regelsets/kampen/autoaanpassing/versies/{pending.hash}/goedkeuren",
                      data={"terug": "te-beoordelen"}, follow_redirects=True)
    assert "is goedgekeurd en gepubliceerd" in text(done)
    versions = text(other.get("/regelsets/kampen/autoaanpassing/versies"))
    assert "goedgekeurd door bert" in versions and "Besluit: Collegebesluit 1 december 2026" in versions


# ------------------------------------------------------------------ 4. impact, batch, compare

def test_impact_shows_euro_totals_before_and_after_and_a_result_file(user, service):
    from tests.browser.workbooks import changed_autoaanpassing
    editor = user("editor")
    new = service.publish(changed_autoaanpassing(), "auto.xlsx", "kampen/autoaanpassing",
                          __import__("datetime").date(__import__("datetime").date.today().year + 1, 1, 1), "iemand", "65%")
    old = service.store.version_in_force("kampen/autoaanpassing", __import__("datetime").date(2026, 1, 1))
    caseload = "AutoJaar;Aanpassingskosten;KeuringskostenRDW\n4;5000;150\n4;1000;0\n2;1000;0\n"
    response = editor.post("/regelsets/kampen/autoaanpassing/impact",
                           data={"van": old.hash, "naar": new.hash, "bestand": (io.BytesIO(caseload.encode()), "c.csv")},
                           content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 200 and "2 van de 3 gevallen" in page
    # year 4 pays 90% instead of 80%: 4150 + 800 + 1000 before, 4650 + 900 + 1000 after
    assert "Totaal vóór <strong>€ 5.950,00</strong> · na <strong>€ 6.550,00</strong>" in page
    assert "€ 4.150,00" in page and "€ 4.650,00" in page          # labels are amounts, not '4150'
    token = re.search(r"/resultaten/([0-9a-f]{32})\.xlsx", page).group(1)
    sheet = openpyxl.load_workbook(io.BytesIO(editor.get(f"/resultaten/{token}.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    assert "Vergoeding (voor)" in header and "Vergoeding (na)" in header


def test_batch_result_file_never_holds_a_live_formula(user):
    client = user("evaluator")
    caseload = "AutoJaar;Aanpassingskosten;KeuringskostenRDW;Notitie\n5;5000;150;=HYPERLINK(\"x\")\n"
    page = text(client.post("/regelsets/kampen/autoaanpassing/batch",
                            data={"bestand": (io.BytesIO(caseload.encode()), "c.csv")},
                            content_type="multipart/form-data"))
    token = re.search(r"/resultaten/([0-9a-f]{32})\.csv", page).group(1)
    rows = list(csv.reader(io.StringIO(client.get(f"/resultaten/{token}.csv").data.decode("utf-8-sig")), delimiter=";"))
    assert "'=HYPERLINK(\"x\")" in rows[1]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/resultaten/{token}.xlsx").data)).active
    assert all(not (isinstance(c.value, str) and c.value.startswith("=")) for row in sheet.iter_rows() for c in row)


def test_compare_two_gemeenten_side_by_side(user):
    client = user("evaluator")
    page = text(client.post("/vergelijken", data={"a": "kampen/dagbesteding", "b": "midden-holland/dagbesteding",
                                                  "Doelgroep": "VG", "Groepsgrootte": "5"}))
    assert page.count('class="kant"') == 2 and "Kampen: Toewijzing dagbesteding" in page and "Midden-Holland" in page


# ------------------------------------------------------------------ 5. reports and exports

def test_reports_count_decisions_and_export_is_formula_safe(user, service):
    service.evaluate("kampen/autoaanpassing", {"AutoJaar": 5, "Aanpassingskosten": 5000}, caller="evaluator:anna")
    service.evaluate("kampen/dagbesteding", {"Doelgroep": "VG", "Groepsgrootte": 5}, caller="=cmd|' /C calc'!A0")
    client = user("auditor")
    page = text(client.get("/rapportages"))
    assert "2 beslissingen in deze selectie" in page and page.count("<svg") == 4
    indicators = client.get("/rapportages/indicatoren.csv?regelset=kampen/autoaanpassing").data.decode("utf-8-sig")
    assert "Per toegepaste regel;kampen/autoaanpassing;AA-25 (Besluit autoaanpassing);1" in indicators
    log = client.get("/beslissingen/export.csv").data.decode("utf-8-sig")
    assert "anna (consulent)" in log and "'=cmd|" in log and ";=cmd" not in log
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/beslissingen/export.xlsx?regelset=kampen/dagbesteding").data)).active
    assert sheet.max_row == 2 and not any(str(c.value).startswith("=") for c in sheet[2])


# ------------------------------------------------------------------ 6/7. motivering and auditors

def test_evaluate_shows_labels_motivering_and_no_file_names(user):
    client = user("evaluator")
    page = text(client.post("/regelsets/kampen/autoaanpassing/evalueren", data=CASE))
    assert '<th scope="row">Vergoeding</th><td class="waarde">€ 3.150,00</td>' in page
    assert "Motivering kopiëren" in page and "Daarbij is uitgegaan van deze gegevens" in page
    assert "Toegestaan: een geheel getal van 1 of meer" in text(client.get("/regelsets/kampen/autoaanpassing/evalueren"))
    assert not FILE_NAME.search(page)


def test_tampered_record_warns_on_its_own_page(user, service):
    answer = service.evaluate("kampen/autoaanpassing", {"AutoJaar": 5, "Aanpassingskosten": 5000},
                              caller="evaluator:anna")
    client = user("auditor")
    page = text(client.get(f"/beslissingen/{answer['decision_id']}"))
    assert "dit record is gewijzigd" not in page and "anna (consulent)" in page
    with service.store.engine.begin() as conn:
        record = conn.execute(sa.text("SELECT record_json FROM decisions WHERE decision_id = :d"),
                              {"d": answer["decision_id"]}).scalar()
        conn.execute(sa.text("UPDATE decisions SET record_json = :t WHERE decision_id = :d"),
                     {"t": record.replace('"Vergoeding":3000', '"Vergoeding":9999'), "d": answer["decision_id"]})
    page = text(client.get(f"/beslissingen/{answer['decision_id']}"))
    assert "dit record is gewijzigd" in page and "9.999" in page


# ------------------------------------------------------------------ 8. errors, names, help

def test_dutch_404_and_json_404_under_api(client):
    response = client.get("/bestaat/niet")
    assert response.status_code == 404 and "Pagina niet gevonden" in text(response) and "Not Found" not in text(response)
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not-found"


def test_dutch_500_page(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_kapot")
    def kapot():
        raise RuntimeError("boem")
    response = client.get("/_kapot")
    assert response.status_code == 500 and "Er ging iets mis" in text(response) and "boem" not in text(response)


def test_gemeente_names_and_help_page(user):
    client = user("editor")
    assert ">Midden-Holland</h2>" in text(client.get("/"))
    assert 'href="/hulp/werkmap"' in text(client.get("/regelsets/kampen/autoaanpassing/uploaden"))
    help_ = text(client.get("/hulp/werkmap"))
    assert "Toegestane waarden" in help_ and "dubbele rechterrand" in help_


def test_old_log_records_show_no_file_names(user, service):
    record = service.store.log_decision({
        "caller": "evaluator:anna", "ruleset": "kampen/autoaanpassing", "version": "0" * 64, "inputs": {},
        "outputs": {}, "fired": [{"table": "T", "rule": "AA-25", "annotation": "", "source":
                                  "Beleidsregels Wmo Kampen 2015, §3.2.12 (003_be52d6ecc0674bec.txt)"}],
        "explanation": "Regel AA-25 is toegepast. Bron: Beleidsregels Wmo Kampen 2015, §3.2.12 (003_be52d6ecc0674bec.txt)."})
    page = text(user("auditor").get(f"/beslissingen/{record['decision_id']}"))
    assert "Beleidsregels Wmo Kampen 2015, §3.2.12" in page and not FILE_NAME.search(page)


def test_first_run_page_can_be_switched_off(app, client):
    app.config["FIRST_RUN_PAGE"] = False
    assert client.get("/welkom").status_code == 404
    assert "/welkom" not in (client.get("/").headers.get("Location") or "")
