"""Hostile files from the security trial (issue 11), made small and fast: real xlsx files whose sheet XML
is edited the way an attacker would edit it."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
AUTO = ROOT / "spreadsheets" / "kampen" / "autoaanpassing.xlsx"
CASE_COLUMNS = ["AutoJaar", "Aanpassingskosten", "KeuringskostenRDW", "JarenSindsVorigeAanpassing",
                "ProgressiefOfOpgroeiendKind"]
CASE_ROW = [5, 1000, 200, 9, "nee"]


def edit_parts(content: bytes, edit) -> bytes:
    """Rewrite every part of a zip through ``edit(name, data) -> data``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))
    return out.getvalue()


def sheet_part(content: bytes, title: str) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return f"xl/worksheets/sheet{wb.sheetnames.index(title) + 1}.xml"


def merged_bomb_workbook(sheet: str = "Afschrijving naar autojaar") -> bytes:
    """The bundled workbook with one merged range over the whole sheet (A1:XFD1048576)."""
    content = AUTO.read_bytes()
    part = sheet_part(content, sheet)

    def edit(name, data):
        if name != part:
            return data
        data = re.sub(rb"<mergeCells[^>]*>.*?</mergeCells>|<mergeCells[^>]*/>", b"", data, flags=re.S)
        return data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/>'
                                              b"</mergeCells>", 1)
    return edit_parts(content, edit)


def caseload(rows: int, declared: str | None = None) -> bytes:
    """An xlsx caseload of ``rows`` cases; ``declared`` overrides the sheet's <dimension ref>."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(CASE_COLUMNS)
    for _ in range(rows):
        ws.append(CASE_ROW)
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()
    if declared is None:
        return content
    return edit_parts(content, lambda name, data: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{declared}"'.encode(),
                                                         data) if name == "xl/worksheets/sheet1.xml" else data)


def padded_caseload(expanded_mb: int) -> bytes:
    """A valid xlsx caseload whose sheet XML is padded with whitespace to ``expanded_mb`` MB (a zip bomb with
    honest sizes: it compresses about 1000:1)."""
    content = caseload(2)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                zout.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with zout.open(info.filename, "w") as stream:
                stream.write(head + b"<sheetData>")
                chunk = b" " * (1024 * 1024)
                for _ in range(expanded_mb):
                    stream.write(chunk)
                stream.write(tail)
    return out.getvalue()


def big_csv(rows: int) -> bytes:
    return (";".join(CASE_COLUMNS) + "\n" + "5;1000,50;200;9;nee\n" * rows).encode()
