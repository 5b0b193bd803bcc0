"""Checks and exports for auditors that work on single records or filtered lists of the decision log."""
from __future__ import annotations

import csv
import hashlib
import io

from store import canonical_json

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def record_intact(record: dict) -> bool:
    """Does a logged record still match its own stored hash? (The chain check is `verify_log`.)"""
    body = {k: v for k, v in record.items() if k != "hash"}
    try:
        text = canonical_json(body)
    except ValueError:
        return False
    return hashlib.sha256(text.encode("utf-8")).hexdigest() == record.get("hash")


def safe_cell(value):
    """A cell a spreadsheet never runs as a formula (OWASP CSV injection): text that could be one gets a '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def table_bytes(columns: list[str], rows: list[list], fmt: str, sheet: str = "Gegevens") -> bytes:
    """CSV (semicolon, UTF-8 with BOM, as Dutch Excel opens it) or xlsx; every text cell formula-safe."""
    safe_rows = [[safe_cell(v) for v in row] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([safe_cell(c) for c in columns])
        for row in safe_rows:
            writer.writerow([str(v).replace(".", ",") if isinstance(v, float) else v for v in row])
        return buffer.getvalue().encode("utf-8-sig")
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=safe_cell(name))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in safe_rows:
        cells = []
        for v in row:
            cell = WriteOnlyCell(ws, value=v)
            if isinstance(v, str):
                cell.data_type = "s"   # never a formula, whatever the text
            cells.append(cell)
        ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def iter_decisions(store, page: int = 1000, **filters):
    """Every logged decision matching the filters, newest first, a page at a time."""
    offset = 0
    while True:
        batch = store.search_decisions(limit=page, offset=offset, **filters)
        yield from batch
        if len(batch) < page:
            return
        offset += page
