"""Read a caseload (CSV or xlsx) and turn its text into typed cases for a rule set.

Used by batch, impact and compare. The first row names the columns; a cell is text as a policy
officer types it (``ja``/``nee``, ``1.234,56``, ``2026-01-31``) and becomes a typed value per rule set
(RuleSet.coerce_text_inputs), because one file may be evaluated against rule sets that type a column
differently. CSV may be separated by commas, semicolons (Dutch Excel) or tabs, in UTF-8 (with or
without byte order mark) or Windows-1252. Empty cells are "not given", so Glossary defaults apply.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
from decimal import Decimal
from pathlib import Path

from engine import InputError, RuleSet

MAX_BATCH_ROWS = 200_000          # per file (console and API)


class CasesFileError(ValueError):
    """The caseload file cannot be read (not the individual rows: those get an error per row)."""


def text_value(value) -> str:
    """A cell or JSON value as the text a policy officer would type (ja/nee, ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        # a number cell: written back the Dutch way, so it reads as the same number (999,5)
        return repr(value).replace(".", ",") if not value.is_integer() else str(int(value))
    if isinstance(value, Decimal):
        # an exact JSON number: written the Dutch way so the reader sees the same number
        return str(value).replace(".", ",")
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def read_cases(content: bytes, filename: str) -> tuple[list[str], list[dict]]:
    """(column names, rows as {column: text}) from CSV (comma, semicolon or tab) or xlsx bytes."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        return _read_xlsx(content, filename)
    if name.endswith((".csv", ".txt", ".tsv")) or not name:
        return _read_csv(content, filename)
    raise CasesFileError(f"'{filename}' is geen CSV- of Excel-bestand (.csv of .xlsx).")


def _read_csv(content: bytes, filename: str):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise CasesFileError(f"'{filename}' is geen leesbare tekst (UTF-8 of Windows-1252).")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count) if any(d in first for d in ";,\t") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
        rows = _table_rows(header, ([v.strip() for v in values] for values in reader), filename)
    except StopIteration:
        raise CasesFileError(f"'{filename}' is leeg: de eerste regel moet de kolomnamen bevatten.") from None
    except csv.Error as exc:
        raise CasesFileError(f"'{filename}' regel {reader.line_num}: geen geldige CSV ({exc}).") from None
    return [h for h in header if h], rows


def _table_rows(header: list[str], lines, filename: str) -> list[dict]:
    """Rows as {column: text}. An empty row between cases stays (as an empty row, which gets an error per
    row), so row numbers stay right and nothing is dropped without a word; empty rows at the end go."""
    rows: list[dict] = []
    pending_empty = 0
    for values in lines:
        if not any(values):
            pending_empty += 1
            if pending_empty > MAX_BATCH_ROWS:
                break
            continue
        rows.extend({h: "" for h in header if h} for _ in range(pending_empty))
        pending_empty = 0
        rows.append({h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h})
        if len(rows) > MAX_BATCH_ROWS:
            raise CasesFileError(f"'{filename}' heeft meer dan {MAX_BATCH_ROWS} rijen; splits het bestand.")
    return rows


def _read_xlsx(content: bytes, filename: str):
    """The first sheet, by its real content: the declared dimension is ignored (openpyxl would pad every
    row to it, or stop at it and drop rows), and its extent is checked from the XML before reading."""
    import openpyxl

    from engine.xlsx_guard import XlsxTooLarge, measure
    try:
        measure(content, only_first=True)
    except XlsxTooLarge as exc:
        raise CasesFileError(f"'{filename}': {exc}") from None
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise CasesFileError(f"'{filename}' is geen leesbare Excel-werkmap: {exc}") from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        rows_iter = ws.iter_rows(values_only=True)
        try:
            header = [text_value(h).strip() for h in next(rows_iter)]
        except StopIteration:
            raise CasesFileError(f"'{filename}' is leeg: de eerste rij moet de kolomnamen bevatten.") from None
        rows = _table_rows(header, ([text_value(v).strip() for v in values] for values in rows_iter), filename)
    finally:
        wb.close()
    return [h for h in header if h], rows


EMPTY_ROW = "Lege rij: er is niets om te evalueren."


def cases_from_rows(rules: RuleSet, rows: list[dict]) -> tuple[list, list]:
    """Typed cases (or None) and the error per row (or None): text goes through coerce_text_inputs."""
    inputs = {v.name for v in rules.inputs}
    cases, errors = [], []
    for row in rows:
        if not any(row.values()):
            cases.append(None)
            errors.append(EMPTY_ROW)
            continue
        texts = {k: v for k, v in row.items() if k in inputs and v != ""}
        try:
            cases.append(rules.coerce_text_inputs(texts))
            errors.append(None)
        except InputError as exc:
            cases.append(None)
            errors.append(str(exc))
    return cases, errors


def read_cases_file(path) -> tuple[list[str], list[dict]]:
    path = Path(path)
    return read_cases(path.read_bytes(), path.name)
