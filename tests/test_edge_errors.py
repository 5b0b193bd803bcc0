"""Requests that used to answer 500 (or a traceback) get a Dutch 4xx naming what was wrong
(issue 10 items 5, 7 and 8)."""
from __future__ import annotations

import datetime as _dt
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from regelbank import jsonout

from .workbooks import make_workbook

URL = "/api/v1/rulesets/kampen/autoaanpassing/evaluate"
CASE = {"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}


def _post_raw(client, headers, body: str):
    return client.post(URL, data=body, headers={**headers, "Content-Type": "application/json"})


def _error(response):
    assert response.is_json, response.get_data(as_text=True)[:200]
    return response.get_json()["error"]["message"]


def test_json_nested_100000_deep_is_refused_by_name(client, token):
    response = _post_raw(client, token(), '{"inputs": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert response.status_code == 400
    assert "te diep genest" in _error(response)


def test_a_number_of_5000_digits_is_refused_by_name(client, token):
    response = _post_raw(client, token(), '{"inputs": {"AutoJaar": ' + "1" * 5000 + "}}")
    assert response.status_code == 400
    assert "te veel cijfers" in _error(response)


def test_a_number_beyond_decimal128_is_refused_naming_the_input(client, token):
    response = _post_raw(client, token(), '{"inputs": {"AutoJaar": 5, "Aanpassingskosten": 1e999999}}')
    assert response.status_code == 400
    problem = response.get_json()["error"]["problems"][0]
    assert problem["input"] == "Aanpassingskosten" and "bereik" in problem["message"]


def test_invalid_json_says_where(client, token):
    response = _post_raw(client, token(), '{"inputs": {"AutoJaar": 5,}}')
    assert response.status_code == 400
    assert "geen geldige JSON (regel 1" in _error(response)


def test_a_lone_surrogate_in_a_text_input_is_refused(client, token, service, tmp_path):
    data = make_workbook(rows=(("R-1", "-", '"ok"'),), inputs=(("Naam", "tekst", None, None),))
    service.publish(data, "naam.xlsx", "test/voorbeeld", _dt.date(2024, 1, 1), "tests")
    response = client.post("/api/v1/rulesets/test/voorbeeld/evaluate", data='{"inputs": {"Naam": "a\\ud800b"}}',
                           headers={**token(), "Content-Type": "application/json"})
    assert response.status_code == 400
    problem = response.get_json()["error"]["problems"][0]
    assert problem["input"] == "Naam" and "surrogaat" in problem["message"]


def test_decimals_go_out_and_come_back_with_all_their_digits(client, token, service):
    data = make_workbook(rows=(("R-1", "-", "Bedrag / 3"),), inputs=(("Bedrag", "getal", None, None),),
                         outputs=(("Derde", "getal", None),))
    service.publish(data, "derde.xlsx", "test/voorbeeld", _dt.date(2024, 1, 1), "tests")
    response = client.post("/api/v1/rulesets/test/voorbeeld/evaluate", json={"inputs": {"Bedrag": 1}},
                           headers=token())
    text = response.get_data(as_text=True)
    assert '"Derde":0.3333333333333333333333333333333333' in text, text[:300]
    assert jsonout.loads(text)["outputs"]["Derde"] == Decimal("0." + "3" * 34)
    logged = client.get(f"/api/v1/decisions/{response.get_json()['decision_id']}", headers=token("auditor"))
    assert '0.3333333333333333333333333333333333' in logged.get_data(as_text=True)
    big = client.post("/api/v1/rulesets/test/voorbeeld/evaluate",
                      data='{"inputs": {"Bedrag": 123456789012345678901234567890.12}}',
                      headers={**token(), "Content-Type": "application/json"})
    assert '"Derde":41152263004115226300411522630.04' in big.get_data(as_text=True)


def test_huge_and_too_large_outputs(client, token, service):
    """10 ** 5000 is a decimal128 number: delivered exactly, explained without 5,000 digits.
    10 ** 7000 is not: a Dutch 422 naming the rule and the output, never a 500."""
    data = make_workbook(rows=(("R-1", "-", "10 ** Macht"),), inputs=(("Macht", "getal", None, None),),
                         outputs=(("Groot", "getal", None),))
    service.publish(data, "groot.xlsx", "test/voorbeeld", _dt.date(2024, 1, 1), "tests")
    url = "/api/v1/rulesets/test/voorbeeld/evaluate"
    huge = client.post(url, json={"inputs": {"Macht": 5000}}, headers=token())
    assert huge.status_code == 200, huge.get_data(as_text=True)[:300]
    assert jsonout.loads(huge.get_data())["outputs"]["Groot"] == Decimal("1E+5000")
    assert "10^5000" in huge.get_json()["explanation"]
    response = client.post(url, json={"inputs": {"Macht": 7000}}, headers=token())
    assert response.status_code == 422
    message = _error(response)
    assert "R-1" in message and "Groot" in message and "bereik" in message


def test_decision_list_offset_beyond_any_log_is_refused_or_clamped(client, token, login_auditor):
    response = client.get("/api/v1/decisions?offset=" + str(10 ** 23), headers=token("auditor"))
    assert response.status_code == 400 and "offset" in _error(response)
    page = login_auditor.get("/beslissingen?vanaf=" + str(10 ** 23))
    assert page.status_code == 200


def test_an_invalid_ruleset_name_on_the_pages_is_a_dutch_404(login_auditor):
    response = login_auditor.get("/regelsets/KAMPEN/dagbesteding")
    assert response.status_code == 404
    assert "Niet gevonden" in response.get_data(as_text=True)


def test_a_version_whose_file_name_holds_a_euro_sign_downloads(client, token, service):
    data = make_workbook()
    v = service.publish(data, "regels €.xlsx", "test/voorbeeld", _dt.date(2024, 1, 1), "tests")
    response = client.get(f"/api/v1/rulesets/test/voorbeeld/versions/{v.hash}/download", headers=token("auditor"))
    assert response.status_code == 200 and response.data == data
    disposition = response.headers["Content-Disposition"]
    assert 'filename="regels .xlsx"' in disposition and "filename*=UTF-8''regels%20%E2%82%AC.xlsx" in disposition


def test_console_refuses_deep_json_and_huge_numbers_in_dutch(cli_env, tmp_path):
    for text, says in (("[" * 100_000 + "]" * 100_000, "te diep genest"),
                       ('{"AutoJaar": ' + "9" * 5000 + "}", "te veel cijfers")):
        case = tmp_path / "case.json"
        case.write_text(text)
        done = subprocess.run([sys.executable, "-m", "regelbank.cli", "evaluate", "kampen/autoaanpassing",
                               "--input", f"@{case}"], capture_output=True, text=True, env=cli_env, timeout=120)
        assert done.returncode != 0
        assert says in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def login_auditor(client, service):
    service.store.create_user("controleur", "geheim", "auditor")
    client.post("/inloggen", data={"gebruikersnaam": "controleur", "wachtwoord": "geheim"})
    return client


def test_batch_reports_an_output_too_large_in_its_row_and_goes_on(tmp_path):
    import engine
    from regelbank.batch import ERROR_COLUMN, run_batch
    path = tmp_path / "groot.xlsx"
    path.write_bytes(make_workbook(rows=(("R-1", "-", "10 ** Macht"),), inputs=(("Macht", "getal", None, None),),
                                   outputs=(("Groot", "getal", None),)))
    report = run_batch(engine.load(path), b"Macht\n2\n7000\n3\n5000\n", "cases.csv")
    columns, table = report["columns"], report["table"]
    groot, error = columns.index("Groot"), columns.index(ERROR_COLUMN)
    assert table[0][groot] == 100 and table[2][groot] == 1000 and table[3][groot] == Decimal("1E+5000")
    assert "bereik" in table[1][error] and "R-1" in table[1][error]
