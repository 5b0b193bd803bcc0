"""The embeddable engine: the three headline rule sets, their band edges, defaults and every error path."""
from __future__ import annotations

import io
import threading
from decimal import Decimal

import openpyxl
import pytest

import engine
from engine import InputError, load, load_bytes

from .conftest import workbook


@pytest.fixture(scope="module")
def auto():
    return load(workbook("kampen/autoaanpassing"))


@pytest.fixture(scope="module")
def zorg():
    return load(workbook("kampen/gebruikelijke-zorg"))


@pytest.fixture(scope="module")
def dag():
    return load(workbook("kampen/dagbesteding"))


# ---------------------------------------------------------------- the contract

def test_autoaanpassing_headline_case(auto):
    result = auto.evaluate({"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150})
    assert result.outputs["VergoedingsPercentage"] == 60
    assert result.outputs["Vergoeding"] == 3150
    assert result.outputs["Toegekend"] is True
    assert isinstance(result.outputs["VergoedingsPercentage"], int), "whole numbers stay whole"
    assert result.fired, "the trace names the rows that fired"
    for fired in result.fired:
        assert fired.table and fired.rule and fired.annotation
        assert "Beleidsregels Wmo Kampen 2015" in fired.source and ".txt" not in fired.source
    assert "Beleidsregels Wmo Kampen 2015" in result.explanation
    assert "§3.2.12" in result.explanation
    assert all(f.rule in result.explanation for f in result.fired)


@pytest.mark.parametrize("year, percentage", [(1, 100), (3, 100), (4, 80), (5, 60), (6, 40), (7, 20), (8, 0), (12, 0)])
def test_autoaanpassing_depreciation_band_edges(auto, year, percentage):
    result = auto.evaluate({"AutoJaar": year, "Aanpassingskosten": 1000})
    assert result.outputs["VergoedingsPercentage"] == percentage
    assert result.outputs["Toegekend"] is (percentage > 0)
    assert result.outputs["Vergoeding"] == 1000 * percentage // 100
    assert result.outputs["Reden"]


def test_autoaanpassing_seven_year_rule_and_exception(auto):
    refused = auto.evaluate({"AutoJaar": 2, "Aanpassingskosten": 1000, "JarenSindsVorigeAanpassing": 6})
    assert refused.outputs["Toegekend"] is False and refused.outputs["Vergoeding"] == 0
    allowed = auto.evaluate({"AutoJaar": 2, "Aanpassingskosten": 1000, "JarenSindsVorigeAanpassing": 7})
    assert allowed.outputs["Toegekend"] is True
    progressive = auto.evaluate({"AutoJaar": 2, "Aanpassingskosten": 1000, "JarenSindsVorigeAanpassing": 3,
                                 "ProgressiefOfOpgroeiendKind": True})
    assert progressive.outputs["Toegekend"] is True and progressive.outputs["Vergoeding"] == 1000


def test_autoaanpassing_defaults_apply(auto):
    result = auto.evaluate({"AutoJaar": 2, "Aanpassingskosten": 1000})
    assert result.inputs["KeuringskostenRDW"] == 0
    assert result.inputs["JarenSindsVorigeAanpassing"] is None
    assert result.inputs["ProgressiefOfOpgroeiendKind"] is False


def test_money_is_exact(auto):
    result = auto.evaluate({"AutoJaar": 4, "Aanpassingskosten": 12.34, "KeuringskostenRDW": 0.1})
    assert result.outputs["Vergoeding"] == Decimal("9.972")  # 12.34 * 80 / 100 + 0.1, no float noise


@pytest.mark.parametrize("age, bijdrage", [
    (0, "geen"), (4, "geen"), (5, "licht huishoudelijk"), (11, "licht huishoudelijk"),
    (13, "licht huishoudelijk en eigen kamer"), (17, "licht huishoudelijk en eigen kamer"),
    (18, "eenpersoonshuishouden"), (22, "eenpersoonshuishouden"), (23, "volledig"), (80, "volledig")])
def test_gebruikelijke_zorg_bands(zorg, age, bijdrage):
    assert zorg.evaluate({"LeeftijdHuisgenoot": age}).outputs["Bijdrage"] == bijdrage


def test_gebruikelijke_zorg_age_12_is_decided_and_annotated(zorg):
    result = zorg.evaluate({"LeeftijdHuisgenoot": 12})
    assert result.outputs["Bijdrage"] in ("licht huishoudelijk", "licht huishoudelijk en eigen kamer")
    assert any("12" in f.annotation for f in result.fired), "the row says how the double band at 12 is read"


def test_gebruikelijke_zorg_limitation_and_heavy_tasks(zorg):
    assert zorg.evaluate({"LeeftijdHuisgenoot": 40, "HuisgenootBeperking": True}).outputs["Bijdrage"] == "geen"
    assert zorg.evaluate({"LeeftijdHuisgenoot": 74}).outputs["ZwareTakenOvernemen"] is False
    assert zorg.evaluate({"LeeftijdHuisgenoot": 75}).outputs["ZwareTakenOvernemen"] is True


@pytest.mark.parametrize("doelgroep, groep, product", [
    ("VG", 7, "Dagactiviteit VG licht"), ("VG", 6, "Dagactiviteit VG midden"), ("VG", 5, "Dagactiviteit VG midden"),
    ("VG", 4, "Dagactiviteit VG zwaar"), ("LG", 8, "Dagactiviteit LG licht"), ("NAH", 4, "Dagactiviteit LG zwaar")])
def test_dagbesteding_group_sizes(dag, doelgroep, groep, product):
    result = dag.evaluate({"Doelgroep": doelgroep, "Groepsgrootte": groep})
    assert result.outputs["Product"] == product
    assert result.outputs["Eenheid"] == "dagdeel"
    assert result.outputs["MaxDagdelenPerWeek"] == 9


def test_dagbesteding_ggz_in_hours_and_zg_says_it_has_no_product(dag):
    ggz = dag.evaluate({"Doelgroep": "GGZ", "Groepsgrootte": 8})
    assert ggz.outputs["Product"] == "Dagactiviteit GGZ" and ggz.outputs["Eenheid"] == "uur"
    zg = dag.evaluate({"Doelgroep": "ZG", "Groepsgrootte": 8})
    assert "ZG" in zg.outputs["Product"] and "Dagactiviteit" not in zg.outputs["Product"]
    assert any("ZG" in f.annotation for f in zg.fired)


def test_dagbesteding_v_en_v_modules(dag):
    assert dag.evaluate({"Doelgroep": "V&V", "Groepsgrootte": 8}).outputs["Product"] == "Dagactiviteit basis"
    assert dag.evaluate({"Doelgroep": "V&V", "Groepsgrootte": 8, "Problematiek": "PG"}).outputs["Product"] \
        == "Module cliëntkenmerk PG"


# ---------------------------------------------------------------- input errors name the input and what is allowed

def test_unknown_input_is_named_with_the_known_ones(auto):
    with pytest.raises(InputError) as err:
        auto.evaluate({"AutoJaar": 2, "Aanpassingskosten": 1, "Autojaar": 3})
    problem = err.value.problems[0]
    assert problem["input"] == "Autojaar" and "AutoJaar" in problem["message"]


def test_wrong_type_is_named(auto):
    with pytest.raises(InputError) as err:
        auto.evaluate({"AutoJaar": "vijf", "Aanpassingskosten": 1000})
    assert err.value.problems[0]["input"] == "AutoJaar"
    assert "getal" in str(err.value)


def test_value_outside_allowed_list_names_the_allowed_values(dag):
    with pytest.raises(InputError) as err:
        dag.evaluate({"Doelgroep": "XYZ", "Groepsgrootte": 5})
    message = str(err.value)
    assert "Doelgroep" in message and '"VG"' in message and '"GGZ"' in message


def test_missing_required_input(dag):
    with pytest.raises(InputError) as err:
        dag.evaluate({"Groepsgrootte": 5})
    assert err.value.problems[0]["input"] == "Doelgroep"


def test_booleans_are_not_numbers(auto):
    with pytest.raises(InputError):
        auto.evaluate({"AutoJaar": True, "Aanpassingskosten": 1000})


def test_strings_are_data_never_feel(dag):
    """pyDMNrules evaluates an input string as FEEL: '"V" + "G"' would match VG. Not here."""
    with pytest.raises(InputError):
        dag.evaluate({"Doelgroep": '"V" + "G"', "Groepsgrootte": 5})


# ---------------------------------------------------------------- no rule, bad workbooks

def test_no_applicable_rule_is_a_clear_outcome(simple_workbook):
    rules = load_bytes(simple_workbook(rows=[("R-1", "< 10", '"klein"')]))
    result = rules.evaluate({"Leeftijd": 50})
    assert not result.decided
    assert result.unmatched == ["Tabel"]
    assert result.outputs["Uitkomst"] is None
    assert "Geen regel van toepassing" in result.explanation


def test_overlapping_rows_under_u_never_give_a_silent_answer(simple_workbook):
    content = simple_workbook(rows=[("R-1", "< 10", '"a"'), ("R-2", "< 20", '"b"')])
    findings = engine.validate(content)
    assert any(f.code == "overlap" and f.rule == "R-2" for f in findings)


def test_missing_glossary_gives_findings_not_a_traceback(simple_workbook):
    wb = openpyxl.load_workbook(io.BytesIO(simple_workbook()))
    del wb["Glossary"]
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(engine.WorkbookError) as err:
        load_bytes(buffer.getvalue(), "kapot.xlsx")
    assert any(f.sheet == "Glossary" and f.code == "glossary-missing" for f in err.value.findings)


def test_broken_cell_is_found_at_load_with_its_cell(simple_workbook):
    with pytest.raises(engine.WorkbookError) as err:
        load_bytes(simple_workbook(rows=[("R-1", ">>5", '"a"'), ("R-2", ">= 5", '"b"')]))
    finding = next(f for f in err.value.findings if f.code == "feel-syntax")
    assert (finding.sheet, finding.cell, finding.rule) == ("Tabel", "B3", "R-1")


def test_not_an_xlsx_gives_a_finding():
    with pytest.raises(engine.WorkbookError) as err:
        load_bytes(b"dit is geen excel", "notities.xlsx")
    assert "geen Excel-werkmap" in str(err.value)


# ---------------------------------------------------------------- batches and threads

def test_evaluate_many(auto):
    results = auto.evaluate_many([{"AutoJaar": y, "Aanpassingskosten": 100} for y in range(1, 10)])
    assert [r.outputs["VergoedingsPercentage"] for r in results] == [100, 100, 100, 80, 60, 40, 20, 0, 0]
    mixed = auto.evaluate_many([{"AutoJaar": 1, "Aanpassingskosten": 1}, {"AutoJaar": "x"}], on_error="return")
    assert isinstance(mixed[1], InputError)


def test_one_rule_set_serves_many_threads(auto):
    expected = {y: auto.evaluate({"AutoJaar": y, "Aanpassingskosten": 1000}).outputs for y in range(1, 10)}
    wrong, errors = [], []

    def work(seed):
        try:
            for i in range(300):
                year = (seed + i) % 9 + 1
                if auto.evaluate({"AutoJaar": year, "Aanpassingskosten": 1000}).outputs != expected[year]:
                    wrong.append(year)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and wrong == []


def test_one_report_shows_cell_errors_and_overlaps_together(simple_workbook):
    """A policy officer fixing a workbook sees every problem at once, not one layer per upload."""
    content = simple_workbook(rows=[("R-1", ">>5", '"a"'), ("R-2", "< 20", '"b"'), ("R-3", "< 30", '"c"')])
    codes = {(f.code, f.rule) for f in engine.validate(content)}
    assert ("feel-syntax", "R-1") in codes
    assert ("overlap", "R-3") in codes
