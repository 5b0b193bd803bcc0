"""Overlapping rows under hit policy U (and A with different outputs) are errors naming both rows
and a concrete input that hits both; analysed for numbers, dates, text, ja/nee, not(...), lists, null."""
from __future__ import annotations

import pytest

from engine import EvaluationError, load_bytes

from .books import findings_of, one_table

OUT = [("Uitkomst", "tekst", None)]


def overlaps(content):
    return findings_of(content, "overlap", "error")


def test_numeric_ranges_overlap_named_with_witness():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT,
                        [("R-1", "[0..18]", '"jong"'), ("R-2", "[18..65)", '"volwassen"'), ("R-3", ">= 65", '"oud"')])
    [f] = overlaps(content)
    assert (f.sheet, f.cell, f.rule) == ("Tabel", "A4", "R-2")
    assert "R-1 en R-2" in f.message and "Leeftijd = 18" in f.message
    assert "elkaar uitsluitend" in f.message


def test_open_and_closed_ends_do_not_overlap():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT,
                        [("R-1", "[0..18[", '"jong"'), ("R-2", "[18..65]", '"volwassen"'), ("R-3", "]65..120]", '"oud"')])
    assert overlaps(content) == []


def test_comparison_against_range_overlap_uses_a_value_inside_both():
    content = one_table([("Bedrag", "bedrag", ">= 0", None)], OUT,
                        [("R-1", "< 100.50", '"laag"'), ("R-2", "[100..200]", '"midden"'), ("R-3", "> 200", '"hoog"')])
    [f] = overlaps(content)
    assert "R-1 en R-2" in f.message and "Bedrag = € 100,00" in f.message


def test_dates_overlap():
    content = one_table([("Aanvraagdatum", "datum", None, None)], OUT,
                        [("R-1", '< date("2025-01-01")', '"oud"'), ("R-2", '>= date("2024-12-31")', '"nieuw"')])
    [f] = overlaps(content)
    assert "Aanvraagdatum = 31-12-2024" in f.message


def test_adjacent_dates_do_not_overlap():
    content = one_table([("Aanvraagdatum", "datum", None, None)], OUT,
                        [("R-1", '< date("2025-01-01")', '"oud"'), ("R-2", '>= date("2025-01-01")', '"nieuw"')])
    assert overlaps(content) == []


def test_strings_lists_and_not():
    inputs = [("Doelgroep", "tekst", '"VG","LG","NAH","GGZ"', None)]
    content = one_table(inputs, OUT, [("R-1", '"VG","LG"', '"a"'), ("R-2", 'not("VG","NAH")', '"b"')])
    [f] = overlaps(content)
    assert "R-1 en R-2" in f.message and "Doelgroep = 'LG'" in f.message
    fine = one_table(inputs, OUT, [("R-1", '"VG","LG"', '"a"'), ("R-2", 'not("VG","LG")', '"b"')])
    assert overlaps(fine) == []


def test_not_outside_the_allowed_list_is_no_overlap():
    # not("VG") only adds values that the Glossary does not allow besides "LG"
    content = one_table([("Doelgroep", "tekst", '"VG","LG"', None)], OUT,
                        [("R-1", '"VG"', '"a"'), ("R-2", 'not("VG")', '"b"')])
    assert overlaps(content) == []


def test_free_text_not_overlaps_with_any_other_text():
    content = one_table([("Soort", "tekst", None, None)], OUT,
                        [("R-1", '"x"', '"a"'), ("R-2", 'not("y")', '"b"')])
    [f] = overlaps(content)
    assert "Soort = 'x'" in f.message


def test_booleans_and_dont_care_over_two_columns():
    inputs = [("Mantelzorg", "ja/nee", None, None), ("Leeftijd", "getal", "[0..120]", None)]
    content = one_table(inputs, OUT, [("R-1", "true", "< 18", '"a"'), ("R-2", "-", "[10..20]", '"b"'),
                                      ("R-3", "false", ">= 21", '"c"')])
    [f] = overlaps(content)
    assert "R-1 en R-2" in f.message and "Mantelzorg = ja" in f.message and "Leeftijd = 10" in f.message


def test_null_test_only_overlaps_dont_care_when_input_may_be_empty():
    optional = [("JarenSinds", "getal", ">= 0", "null")]
    rows = [("R-1", "null", '"nooit"'), ("R-2", ">= 7", '"lang"'), ("R-3", "< 7", '"kort"')]
    assert overlaps(one_table(optional, OUT, rows)) == []
    rows_with_any = rows + [("R-4", "-", '"altijd"')]
    found = overlaps(one_table(optional, OUT, rows_with_any))
    assert any("R-1 en R-4" in f.message and "leeg (geen waarde)" in f.message for f in found)


def test_subsumed_row_is_said_so():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT,
                        [("R-1", "[0..120]", '"alles"'), ("R-2", "[30..40]", '"deel"')])
    [f] = overlaps(content)
    assert "Regel R-2 valt zelfs helemaal binnen regel R-1" in f.message


def test_overlap_outside_allowed_values_is_not_reported():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT,
                        [("R-1", "<= 120", '"a"'), ("R-2", "> 120", '"b"'), ("R-3", ">= 200", '"c"')])
    assert overlaps(content) == []


def test_hit_policy_a_same_outputs_allowed_different_outputs_error():
    inputs = [("Leeftijd", "getal", "[0..120]", None)]
    same = one_table(inputs, OUT, [("R-1", "< 20", '"x"'), ("R-2", "[10..120]", '"x"')], hit="A")
    assert overlaps(same) == []
    different = one_table(inputs, OUT, [("R-1", "< 20", '"x"'), ("R-2", "[10..120]", '"y"')], hit="A")
    [f] = overlaps(different)
    assert "R-1 en R-2" in f.message and "A (" in f.message


def test_collect_and_first_tables_may_overlap():
    inputs = [("Leeftijd", "getal", "[0..120]", None)]
    rows = [("R-1", "< 20", '"x"'), ("R-2", "[10..120]", '"y"')]
    for hit in ("F", "C", "R", "O", "P"):
        assert overlaps(one_table(inputs, [("Uitkomst", "tekst", '"x","y"')], rows, hit=hit)) == []


def test_u_overlap_refused_at_validation_and_raises_at_evaluation():
    """pyDMNrules silently returns the first match; Regelbank refuses at validation and raises when evaluating."""
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT,
                        [("R-1", "<= 18", '"jong"'), ("R-2", ">= 18", '"volwassen"')])
    assert overlaps(content)
    rules = load_bytes(content)          # loading is structural; publishing runs validate()
    assert rules.evaluate({"Leeftijd": 10}).outputs == {"Uitkomst": "jong"}
    with pytest.raises(EvaluationError) as info:
        rules.evaluate({"Leeftijd": 18})
    assert info.value.rules == ["R-1", "R-2"]


def test_many_overlaps_are_capped_with_a_summary():
    rows = [(f"R-{i}", f"[{i}..{i + 10}]", f'"u{i}"') for i in range(40)]
    found = overlaps(one_table([("Leeftijd", "getal", "[0..120]", None)], OUT, rows))
    assert len(found) == 26
    assert "nog" in found[-1].message and "andere paren" in found[-1].message
