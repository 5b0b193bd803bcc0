"""Build small workbooks in the Regelbank format for tests (bytes), with any mistake a test needs."""
from __future__ import annotations

import datetime as _dt
import io

import openpyxl
from openpyxl.styles import Border, Side

THIN, DOUBLE = Side(style="thin"), Side(style="double")
BRON = "Testbron, §1 (test.txt)"


def _box(cell, right=None, bottom=None):
    cell.border = Border(left=THIN, top=THIN, right=right or THIN, bottom=bottom or THIN)


def make_workbook(rows=(("R-1", "< 18", '"jong"'), ("R-2", ">= 18", '"volwassen"')),
                  inputs=(("Leeftijd", "getal", "[0..130]", None),),
                  outputs=(("Uitkomst", "tekst", None),), hit="U", examples=(), metadata=None,
                  table="Tabel") -> bytes:
    """rows: (rule id, *input cells, *output cells[, toelichting[, bron]])."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Glossary"
    ws.append(["Glossary"])
    ws.append(["Variable", "Business Concept", "Attribute", "Type", "Toegestane waarden", "Standaard"])
    for i, (name, type_, allowed, default) in enumerate(inputs):
        ws.append([name, "Aanvraag" if i == 0 else None, name, type_, allowed, default])
    for i, (name, type_, allowed) in enumerate(outputs):
        ws.append([name, "Besluit" if i == 0 else None, name, type_, allowed, None])
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=6):
        for c in row:
            _box(c)
    d = wb.create_sheet("Decision")
    d.append(["Decision"])
    d.append(["Decisions", "Execute Decision Tables"])
    d.append(["Beslissing", table])
    t = wb.create_sheet(table)
    t.append([table])
    n_in, n_out = len(inputs), len(outputs)
    t.append([hit] + [i[0] for i in inputs] + [o[0] for o in outputs] + ["Toelichting", "Bron"])
    for row in rows:
        row = list(row)
        cells = row[:1 + n_in + n_out]
        rest = row[1 + n_in + n_out:]
        toelichting = rest[0] if rest else f"Regel {row[0]}"
        bron = rest[1] if len(rest) > 1 else BRON
        t.append(cells + [toelichting, bron])
    for row in t.iter_rows(min_row=2, max_row=t.max_row, max_col=1 + n_in + n_out + 2):
        for c in row:
            _box(c, right=DOUBLE if c.column in (1 + n_in, 1 + n_in + n_out) else None,
                 bottom=DOUBLE if c.row == 2 else None)
    m = wb.create_sheet("Metadata")
    meta = {"Gemeente": "test", "Regelset": "voorbeeld", "Titel": "Testregels",
            "Geldig vanaf": _dt.date(2020, 1, 1), "Brondocument": "test.txt", "Eigenaar": "tests"}
    meta.update(metadata or {})
    m.append(["Metadata"])
    m.append(["Veld", "Waarde"])
    for key, value in meta.items():
        m.append([key, value])
    if examples:
        e = wb.create_sheet("Voorbeelden")
        e.append(["Voorbeeld"] + list(examples[0]))
        for i, values in enumerate(examples[1:], start=1):
            e.append([f"V-{i:02d}"] + list(values))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
