"""Each fault pyDMNrules 1.4.5 has with a careless workbook (issue 5), and Regelbank doing it right."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine import EvaluationError, InputError, WorkbookError, load_bytes, validate

from .books import book, findings_of, one_table, table

OUT = [("Uitkomst", "tekst", None)]
AGE = [("Leeftijd", "getal", "[0..120]", None)]


def errors(content):
    return [f for f in validate(content) if f.severity == "error"]


def test_unbracketed_and_is_a_warning_with_the_cell_and_evaluates_as_a_boolean_test():
    content = one_table(AGE, OUT, [("R-1", "Leeftijd > 18 and Leeftijd < 40", '"tussen"'),
                                   ("R-2", "<= 18", '"jong"'), ("R-3", ">= 40", '"oud"')])
    [f] = findings_of(content, "unbracketed-logic", "warning")
    assert (f.sheet, f.cell, f.rule) == ("Tabel", "B3", "R-1")
    rules = load_bytes(content)
    assert rules.evaluate({"Leeftijd": 30}).outputs["Uitkomst"] == "tussen"   # pyDMNrules: never matches
    assert rules.evaluate({"Leeftijd": 50}).outputs["Uitkomst"] == "oud"
    assert rules.evaluate({"Leeftijd": 18}).outputs["Uitkomst"] == "jong"


def test_open_range_with_outward_brackets_matches():
    content = one_table(AGE, OUT, [("R-1", "]18..65[", '"midden"'), ("R-2", "<= 18", '"jong"'), ("R-3", ">= 65", '"oud"')])
    assert errors(content) == [] and findings_of(content, "overlap") == [] and findings_of(content, "gap") == []
    rules = load_bytes(content)
    assert rules.evaluate({"Leeftijd": 30}).outputs["Uitkomst"] == "midden"   # pyDMNrules: never matches
    assert rules.evaluate({"Leeftijd": 18}).outputs["Uitkomst"] == "jong"
    assert rules.evaluate({"Leeftijd": 65}).outputs["Uitkomst"] == "oud"


def test_list_of_ranges_works():
    content = one_table(AGE, OUT, [("R-1", "[0..17],[66..120]", '"buiten"'), ("R-2", "[18..65]", '"binnen"')])
    assert errors(content) == [] and findings_of(content, "gap") == []
    rules = load_bytes(content)   # pyDMNrules: TypeError
    assert [rules.evaluate({"Leeftijd": a}).outputs["Uitkomst"] for a in (0, 17, 18, 65, 66, 120)] == \
        ["buiten", "buiten", "binnen", "binnen", "buiten", "buiten"]


def test_bad_feel_is_an_error_at_load_naming_the_cell():
    content = one_table(AGE, OUT, [("R-1", "< 18", '"jong"'), ("R-2", ">>5", '"oud"')])
    [f] = [f for f in errors(content) if f.code == "feel-syntax"]
    assert (f.sheet, f.cell, f.rule) == ("Tabel", "B4", "R-2") and "'>>5'" in f.message
    with pytest.raises(WorkbookError) as info:
        load_bytes(content)
    assert any(x.cell == "B4" for x in info.value.findings)


def test_blank_row_inside_a_table_is_an_error_naming_the_row():
    content = one_table(AGE, OUT, [("R-1", "< 18", '"jong"'), None, ("R-2", ">= 18", '"oud"')])
    [f] = [f for f in errors(content) if f.code == "blank-row"]
    assert (f.sheet, f.cell) == ("Tabel", "A4") and "Rij 4" in f.message


def test_note_in_the_header_row_is_an_error_naming_the_cell():
    noted = one_table(AGE, OUT, [("R-1", "< 18", '"jong"'), ("R-2", ">= 18", '"oud"')],
                      header_notes={5: "let op: nog nakijken"})
    [f] = [f for f in errors(noted) if f.code == "heading-not-annotation"]
    assert (f.sheet, f.cell) == ("Tabel", "F2") and "let op: nog nakijken" in f.message
    in_input = one_table(AGE, OUT, [("R-1", "< 18", '"jong"'), ("R-2", ">= 18", '"oud"')],
                         header_notes={1: "Leeftijd (navragen)"})
    [f] = [f for f in errors(in_input) if f.code == "heading-unknown"]
    assert (f.sheet, f.cell) == ("Tabel", "B2")


DOELGROEP = [("Doelgroep", "tekst", '"VG","LG","NAH"', None)]


def test_input_strings_are_data_not_feel():
    rules = load_bytes(one_table([("Code", "tekst", None, None)], OUT,
                                 [("R-1", '"VG"', '"geraakt"'), ("R-2", 'not("VG")', '"anders"')]))
    assert rules.evaluate({"Code": '"V" + "G"'}).outputs["Uitkomst"] == "anders"   # pyDMNrules: matches "VG"
    assert rules.evaluate({"Code": "VG"}).outputs["Uitkomst"] == "geraakt"
    listed = load_bytes(one_table(DOELGROEP, OUT, [("R-1", '"VG","LG","NAH"', '"ok"')]))
    with pytest.raises(InputError) as info:
        listed.evaluate({"Doelgroep": '"V" + "G"'})
    assert info.value.problems[0]["input"] == "Doelgroep" and '"VG"' in info.value.problems[0]["allowed"]


@pytest.mark.parametrize("cell, value", [
    (r'"zeg \"ja\""', 'zeg "ja"'),
    (r'"regel\nnieuw"', "regel\nnieuw"),
    (r'"C:\\temp"', "C:\\temp"),
    (r'"a\tb"', "a\tb"),
])
def test_strings_with_quotes_newlines_and_backslashes_are_data(cell, value):
    rules = load_bytes(one_table([("Code", "tekst", None, None)], OUT, [("R-1", cell, '"geraakt"'),
                                                                      ("R-2", f"not({cell})", '"anders"')]))
    assert rules.evaluate({"Code": value}).outputs["Uitkomst"] == "geraakt"
    # a literal backslash-t typed by a user stays two characters (pyDMNrules turns it into a TAB)
    assert rules.evaluate({"Code": value.replace("\t", "\\t") + "x"}).outputs["Uitkomst"] == "anders"


NUMBERS = [("Aantal", "getal", None, None), ("Prijs", "bedrag", None, "0"), ("Totaal", "bedrag", None, None),
           ("Volgend", "getal", None, None)]


def _arith(expression="Prijs * Aantal"):
    return book(NUMBERS, [table("Reken", "U", ["Aantal"], ["Totaal", "Volgend"],
                                [("K-1", "-", expression, "Aantal + 1")])])


def test_whole_numbers_stay_whole():
    result = load_bytes(_arith()).evaluate({"Aantal": 5, "Prijs": 2})
    assert result.outputs["Volgend"] == 6 and type(result.outputs["Volgend"]) is int   # pyDMNrules: 6.0
    assert type(result.outputs["Totaal"]) is int


def test_decimal_arithmetic_is_exact():
    result = load_bytes(_arith()).evaluate({"Aantal": 3, "Prijs": Decimal("12.34")})
    assert result.outputs["Totaal"] == Decimal("37.02")                                # pyDMNrules: 37.019999999999996
    assert load_bytes(_arith()).evaluate({"Aantal": 3, "Prijs": 12.34}).outputs["Totaal"] == Decimal("37.02")


def test_division_by_zero_is_an_error_not_null():
    rules = load_bytes(_arith("Prijs / (Aantal - 10)"))
    assert rules.evaluate({"Aantal": 12, "Prijs": 10}).outputs["Totaal"] == 5
    with pytest.raises(EvaluationError) as info:
        rules.evaluate({"Aantal": 10, "Prijs": 10})                                   # pyDMNrules: null
    assert "K-1" in str(info.value) and "nul" in str(info.value)


def test_decision_sheet_naming_a_missing_table():
    content = book(AGE + [("Uitkomst", "tekst", None, None)],
                   [table("Tabel", "U", ["Leeftijd"], ["Uitkomst"], [("R-1", "-", '"x"')])],
                   decision=["Tabel", "Tabel bestaat niet"])
    [f] = [f for f in errors(content) if f.code == "table-missing"]
    assert (f.sheet, f.cell) == ("Decision", "B4") and "Tabel bestaat niet" in f.message


def test_missing_rule_id():
    content = one_table(AGE, OUT, [("R-1", "< 18", '"jong"'), (None, ">= 18", '"oud"')])
    [f] = [f for f in errors(content) if f.code == "rule-id-missing"]
    assert (f.sheet, f.cell) == ("Tabel", "A4")


def test_duplicate_rule_id_across_tables():
    glossary = AGE + [("Uitkomst", "tekst", None, None), ("Tweede", "tekst", None, None)]
    content = book(glossary, [table("Eerste tabel", "U", ["Leeftijd"], ["Uitkomst"], [("R-1", "-", '"x"')]),
                              table("Tweede tabel", "U", ["Leeftijd"], ["Tweede"], [("R-1", "-", '"y"')])])
    [f] = [f for f in errors(content) if f.code == "rule-id-duplicate"]
    assert (f.sheet, f.cell, f.rule) == ("Tweede tabel", "A3", "R-1") and "Eerste tabel!A3" in f.message


def test_output_value_outside_declared_output_values():
    content = one_table(AGE, [("Uitkomst", "tekst", '"ja","nee"')], [("R-1", "< 18", '"ja"'), ("R-2", ">= 18", '"misschien"')])
    [f] = [f for f in errors(content) if f.code == "output-not-allowed"]
    assert (f.sheet, f.cell, f.rule) == ("Tabel", "C4", "R-2") and '"ja","nee"' in f.message


@pytest.mark.parametrize("cell", ['"achttien"', "true", 'date("2020-01-01")', '[0.."10"]'])
def test_input_test_of_the_wrong_type(cell):
    content = one_table(AGE, OUT, [("R-1", cell, '"x"'), ("R-2", "-", '"y"')], hit="F")
    [f] = [f for f in errors(content) if f.code == "test-type"]
    assert (f.sheet, f.cell, f.rule) == ("Tabel", "B3", "R-1") and "Leeftijd" in f.message


def test_wrong_type_for_text_and_boolean_inputs():
    content = one_table([("Doelgroep", "tekst", None, None), ("Mantelzorg", "ja/nee", None, None)], OUT,
                        [("R-1", "5", '"ja"', '"x"')])
    cells = sorted(f.cell for f in errors(content) if f.code == "test-type")
    assert cells == ["B3", "C3"]
