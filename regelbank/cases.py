"""Read a caseload (CSV or xlsx) as rows of text per column, for batch, impact and compare.

Text is turned into typed values per rule set (RuleSet.coerce_text_inputs), because the same file
may be evaluated against rule sets that type a column differently. CSV may be comma or semicolon
separated (Dutch Excel writes semicolons) and may carry a UTF-8 byte order mark.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
from pathlib import Path

MAX_CASES = 200_000


class CasesError(ValueError):
    pass


def read_cases(content: bytes, filename: str) -> list[dict]:
    """Rows as {column: text}; empty cells are left out (so defaults apply)."""
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(content)
    try:
        header = next(rows)
    except StopIteration:
        raise CasesError("Het bestand met casussen is leeg.") from None
    names = [str(h).strip() if h is not None else "" for h in header]
    if not any(names):
        raise CasesError("De eerste rij moet de namen van de invoer bevatten.")
    cases = []
    for row in rows:
        case = {name: _text(value) for name, value in zip(names, row) if name and _text(value) != ""}
        if case:
            cases.append(case)
        if len(cases) > MAX_CASES:
            raise CasesError(f"Te veel casussen: maximaal {MAX_CASES:,} per bestand.".replace(",", "."))
    return cases


def read_cases_file(path) -> list[dict]:
    path = Path(path)
    return read_cases(path.read_bytes(), path.name)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes):
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise CasesError("Het bestand met casussen is geen leesbare Excel-werkmap.") from None
    return iter(wb.worksheets[0].iter_rows(values_only=True))
