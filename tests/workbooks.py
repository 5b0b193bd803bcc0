"""Build workbooks in the Regelbank format for tests, as bytes, with any mistake a test needs.

    book(glossary=[("Leeftijd", "getal", "[0..120]", None), ("Uitkomst", "tekst", None, None)],
         tables=[table("Tabel", "U", ["Leeftijd"], ["Uitkomst"], [("R-1", "< 18", '"jong"'), None, ...])])

A row ``None`` is a blank row inside the table; ``header_notes`` puts text in heading-row cells
({column offset from the hit-policy cell: text}); ``cells`` overwrites any cell ({"C5": value}).
"""
from __future__ import annotations

import datetime as _dt
import io

import openpyxl
from openpyxl.styles import Border, Side

THIN, DOUBLE = Side(style="thin"), Side(style="double")
BRON = "Testbron, §1 (test.txt)"


def _box(cell, right=None, bottom=None):
    cell.border = Border(left=THIN, top=THIN, right=right or THIN, bottom=bottom or THIN)


def table(name, hit, inputs, outputs, rows, header_notes=None, cells=None):
    return {"name": name, "hit": hit, "inputs": list(inputs), "outputs": list(outputs), "rows": list(rows),
            "header_notes": header_notes or {}, "cells": cells or {}}


def book(glossary, tables, decision=None, examples=None, source=BRON, metadata=None) -> bytes:
    """glossary: (name, type, allowed, default) per variable, inputs first then outputs."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Glossary"
    ws.append(["Glossary"])
    ws.append(["Variable", "Business Concept", "Attribute", "Type", "Toegestane waarden", "Standaard"])
    for i, (name, type_, allowed, default) in enumerate(glossary):
        ws.append([name, "Aanvraag" if i == 0 else None, name, type_, allowed, default])
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=6):
        for c in row:
            _box(c)
    d = wb.create_sheet("Decision")
    d.append(["Decision"])
    d.append(["Decisions", "Execute Decision Tables"])
    for name in decision if decision is not None else [t["name"] for t in tables]:
        d.append([f"Beslissing {name}", name])
    for t in tables:
        sheet = wb.create_sheet(t["name"][:31])
        sheet.append([t["name"]])
        n_in, n_out = len(t["inputs"]), len(t["outputs"])
        width = 1 + n_in + n_out + 2
        sheet.append([t["hit"]] + t["inputs"] + t["outputs"] + ["Toelichting", "Bron"])
        for row in t["rows"]:
            if row is None:
                sheet.append([None] * width)
                continue
            row = list(row)
            head, rest = row[:1 + n_in + n_out], row[1 + n_in + n_out:]
            sheet.append(head + [rest[0] if rest else f"Regel {row[0]}", rest[1] if len(rest) > 1 else source])
        for r in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=width):
            for c in r:
                _box(c, right=DOUBLE if c.column in (1 + n_in, 1 + n_in + n_out) else None,
                     bottom=DOUBLE if c.row == 2 else None)
        for offset, text in t["header_notes"].items():
            sheet.cell(2, 1 + offset).value = text
        for ref, value in t["cells"].items():
            sheet[ref].value = value
    m = wb.create_sheet("Metadata")
    m.append(["Metadata"])
    m.append(["Veld", "Waarde"])
    meta = {"Gemeente": "test", "Regelset": "validatie", "Titel": "Validatietest",
            "Geldig vanaf": _dt.date(2024, 1, 1), "Brondocument": "test.txt", "Eigenaar": "tests"}
    for key, value in {**meta, **(metadata or {})}.items():
        m.append([key, value])
    if examples:
        e = wb.create_sheet("Voorbeelden")
        for r in examples:
            e.append(list(r))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def make_workbook(rows=(("R-1", "< 18", '"jong"'), ("R-2", ">= 18", '"volwassen"')),
                  inputs=(("Leeftijd", "getal", "[0..130]", None),),
                  outputs=(("Uitkomst", "tekst", None),), hit="U", examples=(), metadata=None,
                  table_name="Tabel") -> bytes:
    """One table; rows: (rule id, *input cells, *output cells[, toelichting[, bron]])."""
    glossary = list(inputs) + [(name, type_, allowed, None) for name, type_, allowed in outputs]
    rows_table = table(table_name, hit, [i[0] for i in inputs], [o[0] for o in outputs], rows)
    example_rows = [["Voorbeeld", *examples[0]]] + [[f"V-{i:02d}", *r] for i, r in enumerate(examples[1:], 1)] \
        if examples else None
    return book(glossary, [rows_table], examples=example_rows,
                metadata={"Regelset": "voorbeeld", "Titel": "Testregels", **(metadata or {})})
