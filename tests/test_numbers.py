"""Numbers typed by people are read the Dutch way, whole numbers stay whole, and huge numbers are
refused at once (issue 10 items 2-3, issue 11 item 1)."""
from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

import engine
from engine.numbers import parse_dutch, checked
from regelbank.batch import run_batch

from .workbooks import make_workbook


@pytest.mark.parametrize("text, value", [
    ("5000", 5000), ("5.000", 5000), ("5.000,50", Decimal("5000.50")), ("5000,50", Decimal("5000.50")),
    ("1.234.567", 1234567), ("-12,5", Decimal("-12.5")), ("€ 3.150,00", 3150), ("0,25", Decimal("0.25")),
    (" 7 ", 7), ("1 234,5", Decimal("1234.5")),
])
def test_dutch_numbers_are_read_as_written(text, value):
    assert parse_dutch(text) == value


@pytest.mark.parametrize("text, says", [
    ("5.5", "komma voor decimalen"), ("1234.56", "niet eenduidig"), ("1.2345", "niet eenduidig"),
    ("5,000.5", "geen getal"), ("abc", "geen getal"), ("1e5", "voluit"), ("1e999999", "voluit"),
    (",5", "geen getal"), ("5,", "geen getal"), ("1" + "0" * 5000, "te lang"),
])
def test_ambiguous_or_malformed_numbers_are_refused_with_an_example(text, says):
    with pytest.raises(ValueError) as info:
        parse_dutch(text)
    assert says in str(info.value)
    assert "bijvoorbeeld" in str(info.value) or "cijfers" in str(info.value)


def test_whole_numbers_refuse_fractions():
    assert parse_dutch("12", whole=True) == 12
    assert parse_dutch("5.000", whole=True) == 5000
    with pytest.raises(ValueError, match="geheel getal"):
        parse_dutch("3,5", whole=True)
    with pytest.raises(ValueError, match="geheel getal"):
        checked(Decimal("11.5"), whole=True)
    assert checked(Decimal("4.0"), whole=True) == 4


@pytest.mark.parametrize("value", [10 ** 40, Decimal("1e999999"), Decimal("1e-7000"), Decimal("1." + "1" * 40),
                                   float("inf"), Decimal("NaN")])
def test_numbers_outside_decimal128_are_refused(value):
    with pytest.raises(ValueError):
        checked(value)


def test_huge_numbers_are_refused_at_once():
    """1e3000000 used to go through int(Decimal(...)) and freeze the server for minutes."""
    start = time.perf_counter()
    for text in ("1e3000000", "1E999999", "9" * 4000, "1" + ".000" * 20000):
        with pytest.raises(ValueError):
            parse_dutch(text)
    for value in (Decimal("1e3000000"), Decimal("-1e999999"), 10 ** 5000):
        with pytest.raises(ValueError):
            checked(value)
    assert time.perf_counter() - start < 1.0


@given(st.integers(min_value=-(10 ** 33), max_value=10 ** 33))
def test_any_whole_number_written_with_thousand_dots_reads_back(n):
    grouped = f"{abs(n):,}".replace(",", ".")
    assert parse_dutch(("-" if n < 0 else "") + grouped) == n


@given(st.text(max_size=60))
def test_any_text_gives_a_number_or_a_dutch_error(text):
    try:
        value = parse_dutch(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert engine.feel.is_number(value)


# ------------------------------------------------------------------ through the layers

WHOLE = make_workbook(
    rows=(("R-1", "< 12", '"kind"'), ("R-2", ">= 12", '"ouder"')),
    inputs=(("Leeftijd", "geheel getal", "[0..130]", None),), outputs=(("Uitkomst", "tekst", None),))


@pytest.fixture
def whole_rules(tmp_path):
    path = tmp_path / "leeftijd.xlsx"
    path.write_bytes(WHOLE)
    return engine.load(path)


def test_a_whole_number_input_refuses_fractions_from_python_callers(whole_rules):
    assert whole_rules.evaluate({"Leeftijd": 11}).outputs["Uitkomst"] == "kind"
    with pytest.raises(engine.InputError) as info:
        whole_rules.evaluate({"Leeftijd": Decimal("11.5")})
    assert "geheel getal" in str(info.value) and info.value.problems[0]["input"] == "Leeftijd"
    with pytest.raises(engine.InputError):
        whole_rules.evaluate({"Leeftijd": 11.5})


def test_whole_number_gap_analysis_sees_no_gap_between_11_and_12(whole_rules):
    assert not [f for f in whole_rules.findings if "gat" in f.message.lower() or f.code == "gap"]


def test_batch_reads_dutch_numbers_and_refuses_fractions_in_their_row(whole_rules):
    csv = "Leeftijd\n11\n12\n3,5\n5.5\n".encode()
    report = run_batch(whole_rules, csv, "cases.csv")
    outcome = report["columns"].index("Uitkomst")
    rows = report["table"]
    assert rows[0][outcome] == "kind" and rows[1][outcome] == "ouder"
    errors = " ".join(str(r) for r in rows[2:])
    assert "geheel getal" in errors and "niet eenduidig" in errors


def test_the_evaluate_form_reads_5000_the_dutch_way(client, service):
    service.store.create_user("teller", "geheim", "evaluator")
    client.post("/inloggen", data={"gebruikersnaam": "teller", "wachtwoord": "geheim"})
    url = "/regelsets/kampen/autoaanpassing/evalueren.json"
    data = client.post(url, data={"AutoJaar": "3", "Aanpassingskosten": "5.000"}).get_json()
    assert data["result"]["outputs"]["Vergoeding"] == 5000
    data = client.post(url, data={"AutoJaar": "3", "Aanpassingskosten": "5.000,50"}).get_json()
    assert Decimal(str(data["result"]["outputs"]["Vergoeding"])) == Decimal("5000.5")
    response = client.post(url, data={"AutoJaar": "3", "Aanpassingskosten": "5.5"})
    assert response.status_code == 400
    page = client.post(url[:-5], data={"AutoJaar": "3", "Aanpassingskosten": "5.5"}).get_data(as_text=True)
    assert re.search(r'id="fout-Aanpassingskosten">[^<]*niet eenduidig', page)


def test_a_huge_number_in_the_form_is_refused_quickly(client, service):
    service.store.create_user("teller", "geheim", "evaluator")
    client.post("/inloggen", data={"gebruikersnaam": "teller", "wachtwoord": "geheim"})
    start = time.perf_counter()
    response = client.post("/regelsets/kampen/autoaanpassing/evalueren",
                           data={"AutoJaar": "3", "Aanpassingskosten": "1e3000000"})
    assert response.status_code == 400
    assert time.perf_counter() - start < 2.0


def test_evaluate_many_refuses_fractions_for_whole_numbers_like_evaluate(whole_rules):
    results = whole_rules.evaluate_many([{"Leeftijd": 11}, {"Leeftijd": Decimal("11.5")}, {"Leeftijd": Decimal("12.0")}],
                                        on_error="return")
    assert results[0].outputs["Uitkomst"] == "kind"
    assert isinstance(results[1], engine.InputError) and "geheel getal" in str(results[1])
    assert results[2].outputs["Uitkomst"] == "ouder"
