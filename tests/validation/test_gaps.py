"""Gaps: input combinations inside the declared values that no row covers, as concrete Dutch ranges."""
from __future__ import annotations

from .books import book, findings_of, one_table, table

OUT = [("Uitkomst", "tekst", None)]


def gaps(content, severity="warning"):
    return findings_of(content, "gap", severity)


def test_whole_number_gap_reported_with_t_m():
    content = one_table([("LeeftijdHuisgenoot", "getal", "[0..120]", None)], OUT,
                        [("R-1", "< 40", '"a"'), ("R-2", "> 50", '"b"')])
    [f] = gaps(content)
    assert "LeeftijdHuisgenoot 40 t/m 50 valt onder geen enkele regel" in f.message
    assert (f.sheet, f.cell) == ("Tabel", "B2")


def test_gaps_at_both_ends_of_the_allowed_range():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT, [("R-1", "[18..64]", '"a"')])
    [f] = gaps(content)
    assert "Leeftijd 0 t/m 17 of 65 t/m 120 valt onder geen enkele regel" in f.message


def test_unbounded_number_without_allowed_values():
    content = one_table([("Aantal", "getal", None, None)], OUT, [("R-1", "[1..10]", '"a"')])
    [f] = gaps(content)
    assert "Aantal ten hoogste 0 of ten minste 11 valt onder geen enkele regel" in f.message


def test_complete_tables_have_no_gaps():
    content = one_table([("Leeftijd", "getal", "[0..120]", None), ("Mantelzorg", "ja/nee", None, None)], OUT,
                        [("R-1", "< 18", "-", '"a"'), ("R-2", ">= 18", "true", '"b"'), ("R-3", ">= 18", "false", '"c"')])
    assert findings_of(content, "gap") == []


def test_amounts_use_open_and_closed_bounds_in_words():
    content = one_table([("Kosten", "bedrag", ">= 0", None)], OUT,
                        [("R-1", "< 6807", '"a"'), ("R-2", "> 10000", '"b"')])
    [f] = gaps(content)
    assert "Kosten vanaf € 6.807,00 en tot en met € 10.000,00" in f.message


def test_fractional_amount_gap_between_bands():
    content = one_table([("Kosten", "bedrag", ">= 0", None)], OUT,
                        [("R-1", "<= 100", '"a"'), ("R-2", "> 100.50", '"b"')])
    [f] = gaps(content)
    assert "Kosten meer dan € 100,00 en tot en met € 100,50" in f.message


def test_fraction_only_gaps_in_whole_number_bands_are_info():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT,
                        [("R-1", "[0..17]", '"a"'), ("R-2", "[18..120]", '"b"')])
    assert gaps(content) == []
    [info] = findings_of(content, "gap-fraction", "info")
    assert "Leeftijd meer dan 17 en minder dan 18" in info.message


def test_text_gap_names_the_missing_allowed_values():
    content = one_table([("Doelgroep", "tekst", '"VG","LG","NAH","GGZ"', None)], OUT,
                        [("R-1", '"VG","LG"', '"a"'), ("R-2", '"GGZ"', '"b"')])
    [f] = gaps(content)
    assert "Doelgroep 'NAH' valt onder geen enkele regel" in f.message


def test_free_text_gap_is_any_other_text():
    content = one_table([("Soort", "tekst", None, None)], OUT, [("R-1", '"x"', '"a"')])
    [f] = gaps(content)
    assert "Soort een andere tekst dan 'x'" in f.message


def test_boolean_combination_gap():
    inputs = [("A", "ja/nee", None, None), ("B", "ja/nee", None, None)]
    content = one_table(inputs, OUT, [("R-1", "true", "-", '"a"'), ("R-2", "false", "true", '"b"')])
    [f] = gaps(content)
    assert "de combinatie A nee en B nee valt onder geen enkele regel" in f.message


def test_date_gap():
    content = one_table([("Ingang", "datum", None, None)], OUT,
                        [("R-1", '< date("2025-01-01")', '"oud"'), ("R-2", '> date("2025-01-31")', '"nieuw"')])
    [f] = gaps(content)
    assert "Ingang 01-01-2025 t/m 31-01-2025" in f.message


def test_optional_input_without_value_is_a_gap_unless_covered():
    optional = [("JarenSinds", "getal", ">= 0", "null")]
    rows = [("R-1", ">= 7", '"lang"'), ("R-2", "< 7", '"kort"')]
    [f] = gaps(one_table(optional, OUT, rows))
    assert "JarenSinds leeg (geen waarde)" in f.message
    assert gaps(one_table(optional, OUT, rows + [("R-3", "null", '"nooit"')])) == []


def test_multi_column_gap_is_one_box():
    inputs = [("Leeftijd", "getal", "[0..120]", None), ("Doelgroep", "tekst", '"VG","LG"', None)]
    content = one_table(inputs, OUT, [("R-1", "< 18", "-", '"a"'), ("R-2", ">= 18", '"VG"', '"b"'),
                                      ("R-3", "> 65", '"LG"', '"c"')])
    [f] = gaps(content)
    assert "de combinatie Leeftijd 18 t/m 65 en Doelgroep 'LG'" in f.message


def test_chained_input_domain_is_what_the_earlier_table_produces():
    glossary = [("Jaar", "getal", ">= 1", None), ("Percentage", "getal", None, None), ("Besluit", "tekst", None, None)]
    first = table("Afschrijving", "U", ["Jaar"], ["Percentage"], [("P-1", "<= 3", "100"), ("P-2", "> 3", "50")])
    covers = table("Besluittabel", "U", ["Percentage"], ["Besluit"], [("B-1", "100", '"vol"'), ("B-2", "50", '"half"')])
    assert findings_of(book(glossary, [first, covers]), severity="error") == []
    assert gaps(book(glossary, [first, covers])) == []
    misses = table("Besluittabel", "U", ["Percentage"], ["Besluit"], [("B-1", "100", '"vol"')])
    [f] = gaps(book(glossary, [first, misses]))
    assert "Percentage 50 valt onder geen enkele regel" in f.message


def test_collect_tables_are_not_checked_for_gaps():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], [("Punten", "getal", None)],
                        [("R-1", "< 40", "1")], hit="C+")
    assert findings_of(content, "gap") == []


def test_gaps_do_not_block_publishing():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT, [("R-1", "< 40", '"a"')])
    assert gaps(content) and not findings_of(content, severity="error")


def test_boolean_test_on_the_column_itself_is_analysed():
    content = one_table([("Leeftijd", "getal", "[0..120]", None)], OUT,
                        [("R-1", "Leeftijd > 18 and Leeftijd < 40", '"a"'), ("R-2", "<= 18", '"b"')])
    [f] = gaps(content)
    assert "Leeftijd 40 t/m 120 valt onder geen enkele regel" in f.message
    assert findings_of(content, "analysis-partial") == []


def test_reference_to_another_input_is_skipped_without_false_findings():
    inputs = [("Aantal", "getal", "[0..20]", None), ("Groepsgrootte", "getal", "[0..20]", None)]
    content = one_table(inputs, OUT, [("R-1", "> Groepsgrootte", "-", '"a"'), ("R-2", "<= Groepsgrootte", "-", '"b"')])
    assert findings_of(content, "gap") == [] and findings_of(content, "overlap") == []
    [info] = findings_of(content, "analysis-partial", "info")
    assert info.sheet == "Tabel"
