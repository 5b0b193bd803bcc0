"""Property tests: validating or loading any workbook gives findings, never an exception.

Random mutations of the bundled workbooks (cells changed or emptied, rows, columns and sheets
removed, sheets renamed, merged cells, formulas, huge strings, table names repeated elsewhere)
and random small workbooks built from scratch. `engine.validate` and `engine.load_bytes` may
only answer with findings (load: WorkbookError carrying them).
"""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import engine
from engine.findings import Finding

from ..workbooks import make_workbook

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "spreadsheets").glob("*/*.xlsx"))
SOURCES = {p.relative_to(ROOT / "spreadsheets").as_posix(): p.read_bytes() for p in BUNDLED}

FEELISH = st.sampled_from([
    "-", "< 18", ">= 18", "[0..130]", ">>5", "(", ")", '"tekst"', "not(1)", "ja", "nee", "true", "null",
    "date(\"2024-01-01\")", "1/0", "10**100000000", "(" * 90 + "1" + ")" * 90, "=SUM(A1:A3)", "=1+1",
    "@x", "€", "\ud7ff", "x" * 40_000, "1e999999", "5.000", "U", "C+", "P", "Regel", "Glossary", "Decision",
])
# what a spreadsheet can hold: no control characters or surrogates (openpyxl refuses to write them)
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
CELL_VALUE = st.one_of(st.none(), FEELISH, TEXT, st.integers(-10 ** 40, 10 ** 40),
                       st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                       st.dates())


def _assert_findings_only(data: bytes, name: str = "mutated.xlsx"):
    findings = engine.validate(data, name)
    assert all(isinstance(f, Finding) and f.message for f in findings)
    # the reader's last-resort net ("unreadable") is for faults nobody foresaw: none may be found here
    assert not [f for f in findings if f.code == "unreadable"], findings
    try:
        rules = engine.load_bytes(data, name)
    except engine.WorkbookError as exc:
        assert exc.findings, "a refused workbook names its findings"
    else:
        assert rules.tables is not None


@st.composite
def mutated_workbook(draw):
    name = draw(st.sampled_from(sorted(SOURCES)))
    wb = openpyxl.load_workbook(io.BytesIO(SOURCES[name]))
    table_names = [ws.title for ws in wb.worksheets]
    for _ in range(draw(st.integers(1, 6))):
        ws = wb.worksheets[draw(st.integers(0, len(wb.worksheets) - 1))]
        action = draw(st.sampled_from(["set", "set", "set", "clash", "del_row", "del_col", "merge", "drop_sheet",
                                       "rename", "swap_type"]))
        row = draw(st.integers(1, max(ws.max_row, 1) + 1))
        col = draw(st.integers(1, max(ws.max_column, 1) + 1))
        if action == "set":
            ws.cell(row, col).value = draw(CELL_VALUE)
        elif action == "clash":
            ws.cell(row, col).value = draw(st.sampled_from(table_names))
        elif action == "del_row":
            ws.delete_rows(row)
        elif action == "del_col":
            ws.delete_cols(col)
        elif action == "merge":
            ws.merge_cells(start_row=row, start_column=col, end_row=row + draw(st.integers(0, 3)),
                           end_column=col + draw(st.integers(0, 3)))
        elif action == "drop_sheet" and len(wb.worksheets) > 1:
            wb.remove(ws)
        elif action == "rename":
            ws.title = draw(st.sampled_from(table_names + ["Glossary", "Decision", "Blad1"])) + "x" * draw(
                st.integers(0, 1))
        elif action == "swap_type":
            ws.cell(row, col).value = draw(st.sampled_from(["getal", "geheel getal", "tekst", "ja/nee", "datum",
                                                             "bedrag", "onbekend"]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_workbook())
def test_mutated_bundled_workbooks_give_findings_never_exceptions(data):
    _assert_findings_only(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT.filter(bool), FEELISH, FEELISH), min_size=1, max_size=5),
       st.sampled_from(["U", "A", "F", "P", "C", "C+", "R", "O", "X"]),
       st.sampled_from(["getal", "geheel getal", "tekst", "bedrag", "ja/nee", "datum"]))
def test_random_workbooks_give_findings_never_exceptions(rows, hit, type_):
    data = make_workbook(rows=rows, hit=hit, inputs=(("Leeftijd", type_, None, None),))
    _assert_findings_only(data, "random.xlsx")


def test_a_table_name_in_another_cell_gives_a_warning_not_a_crash():
    """check_name_clashes compared a tuple with a row number (TypeError) and crashed validate."""
    wb = openpyxl.load_workbook(io.BytesIO(make_workbook()))
    wb["Metadata"]["D2"] = "Tabel"
    out = io.BytesIO()
    wb.save(out)
    findings = engine.validate(out.getvalue(), "clash.xlsx")
    assert [f.code for f in findings if f.code == "table-name-clash"] == ["table-name-clash"]
    assert next(f for f in findings if f.code == "table-name-clash").sheet == "Metadata"


def test_a_cell_nested_90_levels_deep_is_a_finding():
    deep = "(" * 90 + "1" + ")" * 90
    findings = engine.validate(make_workbook(rows=(("R-1", deep, '"x"'), ("R-2", "-", '"y"'))), "deep.xlsx")
    assert any(f.cell == "B3" and f.severity == "error" for f in findings)


@pytest.mark.parametrize("path", BUNDLED[:3], ids=lambda p: p.stem)
def test_bundled_workbooks_still_validate(path):
    assert not [f for f in engine.validate(path.read_bytes(), path.name) if f.severity == "error"]
