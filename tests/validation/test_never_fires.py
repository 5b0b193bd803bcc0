"""Rows that can never fire: empty inside the declared values, masked under F or P, redundant under A."""
from __future__ import annotations

from .books import findings_of, one_table

OUT = [("Uitkomst", "tekst", None)]
AGE = [("Leeftijd", "getal", "[0..120]", None)]


def never(content):
    return findings_of(content, "never-fires", "warning")


def test_first_hit_row_masked_by_earlier_rows_together():
    content = one_table(AGE, OUT, [("R-1", "< 50", '"a"'), ("R-2", ">= 40", '"b"'), ("R-3", "[30..60]", '"c"')],
                        hit="F")
    [f] = never(content)
    assert (f.rule, f.cell) == ("R-3", "A5")
    assert "R-1" in f.message and "R-2" in f.message and "hit policy F" in f.message


def test_first_hit_row_partly_covered_still_fires():
    content = one_table(AGE, OUT, [("R-1", "< 50", '"a"'), ("R-2", "[30..60]", '"c"'), ("R-3", "-", '"d"')], hit="F")
    assert [f.rule for f in never(content)] == []


def test_row_outside_allowed_values_never_fires():
    content = one_table(AGE, OUT, [("R-1", "[0..120]", '"a"'), ("R-2", "> 130", '"b"')], hit="F")
    [f] = never(content)
    assert (f.rule, f.cell) == ("R-2", "B4")
    assert "[0..120]" in f.message


def test_contradictory_range_never_fires():
    content = one_table(AGE, OUT, [("R-1", "[0..120]", '"a"'), ("R-2", "[50..40]", '"b"')], hit="U")
    assert [f.rule for f in never(content)] == ["R-2"]


def test_priority_row_masked_by_higher_priority_rows():
    out = [("Uitkomst", "tekst", '"hoog","laag"')]
    content = one_table(AGE, out, [("R-1", "-", '"hoog"'), ("R-2", "< 18", '"laag"')], hit="P")
    [f] = never(content)
    assert f.rule == "R-2" and "hit policy P" in f.message
    reversed_priority = one_table(AGE, out, [("R-1", "-", '"laag"'), ("R-2", "< 18", '"hoog"')], hit="P")
    assert never(reversed_priority) == []


def test_any_policy_row_redundant_when_earlier_rows_give_the_same_output():
    content = one_table(AGE, OUT, [("R-1", "< 50", '"x"'), ("R-2", "[20..30]", '"x"'), ("R-3", ">= 50", '"y"')],
                        hit="A")
    [f] = never(content)
    assert f.rule == "R-2" and "overbodig" in f.message


def test_collect_rows_always_fire():
    content = one_table(AGE, [("Punten", "getal", None)], [("R-1", "-", "1"), ("R-2", "< 18", "2")], hit="C+")
    assert never(content) == []
