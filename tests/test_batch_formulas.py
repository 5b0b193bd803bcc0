"""Issue 11.9: batch and impact exports never carry a live spreadsheet formula (OWASP CSV injection):
a cell that starts with = + - @, a tab or a carriage return is written as text, in CSV and xlsx."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from engine import load
from regelbank.batch import TableWriter, formula_safe, run_batch, write_table
from regelbank.impact import analyse_impact_chunks, impact_columns
from regelbank.batch import _in_chunks

from .conftest import workbook

HOSTILE = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3", "\t=1+1", "\r=1+1",
           '=HYPERLINK("http://evil.example","klik")']
def _csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Client", "AutoJaar", "Aanpassingskosten", "KeuringskostenRDW"])
    writer.writerows([[c, 5, 5000, 150] for c in HOSTILE] + [["-12,50", 5, 5000, 150]])
    return buffer.getvalue()


CSV = _csv()


@pytest.fixture(scope="module")
def auto():
    return load(workbook("kampen/autoaanpassing"))


def test_formula_safe():
    for text in HOSTILE:
        assert formula_safe(text) == "'" + text
    for text in ("-12,50", "+31", "-7", "gewoon", "", "3=3"):
        assert formula_safe(text) == text
    assert formula_safe(5) == 5


def test_batch_csv_has_no_live_formula(auto):
    report = run_batch(auto, CSV.encode(), "clienten.csv")
    text = write_table(report["columns"], report["table"], "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    clients = [row[1] for row in rows[1:]]
    assert clients[:len(HOSTILE)] == ["'" + c.strip() for c in HOSTILE]   # (cells are read stripped)
    assert clients[-1] == "-12,50"                      # a plain negative number stays as it is
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in "=+@\t\r" and not (cell[0] == "-" and not cell[1:2].isdigit()), cell


def test_batch_xlsx_has_no_formula_cells(auto):
    report = run_batch(auto, CSV.encode(), "clienten.csv")
    wb = openpyxl.load_workbook(io.BytesIO(write_table(report["columns"], report["table"], "xlsx")))
    cells = [c for row in wb.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert [c.value for c in wb.active["B"]][1:len(HOSTILE) + 1] == ["'" + c.strip() for c in HOSTILE]


def test_outputs_that_look_like_formulas_are_text(simple_workbook, tmp_path):
    path = tmp_path / "gevaar.xlsx"
    path.write_bytes(simple_workbook(rows=[("R-1", "< 18", '"=1+1"'), ("R-2", ">= 18", '"@A1"')]))
    rules = load(path)
    report = run_batch(rules, b"Leeftijd\n10\n40\n", "c.csv")
    wb = openpyxl.load_workbook(io.BytesIO(write_table(report["columns"], report["table"], "xlsx")))
    assert [c.data_type for row in wb.active.iter_rows() for c in row if c.data_type == "f"] == []
    text = write_table(report["columns"], report["table"], "csv").decode("utf-8-sig")
    assert "'=1+1" in text and "'@A1" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_impact_export_has_no_live_formula(auto, fmt):
    rows = [{"Client": c, "AutoJaar": "5", "Aanpassingskosten": "5000", "KeuringskostenRDW": "150"} for c in HOSTILE]
    rows += [{"Client": "=1+1", "AutoJaar": "x"}]       # a row that fails in one version only stays a row
    header = ["Client", "AutoJaar", "Aanpassingskosten", "KeuringskostenRDW"]
    other = load(workbook("kampen/gebruikelijke-zorg"))   # another rule set: every case changes
    sink = io.BytesIO()
    writer = TableWriter(sink, fmt, impact_columns(auto, other, header))
    from regelbank.batch import _safe_column
    report = analyse_impact_chunks(auto, other, header, _in_chunks(header, rows),
                                   lambda lines: writer.write([_safe_column(list(c)) for c in zip(*lines)]))
    writer.close()
    assert report["changed"] == len(rows)
    if fmt == "csv":
        out = list(csv.reader(io.StringIO(sink.getvalue().decode("utf-8-sig")), delimiter=";"))
        assert [r[1] for r in out[1:]] == ["'" + c for c in HOSTILE] + ["'=1+1"]
    else:
        wb = openpyxl.load_workbook(io.BytesIO(sink.getvalue()))
        assert not [c.coordinate for row in wb.active.iter_rows() for c in row if c.data_type == "f"]
        values = [c.value for c in wb.active["B"]][1:]   # (openpyxl 3.1.5 keeps a carriage return; older
        values = [v.replace("\r", "\n") for v in values]    # versions read it back as a line feed)
        assert values == ["'" + c.replace("\r", "\n") for c in HOSTILE] + ["'=1+1"]
