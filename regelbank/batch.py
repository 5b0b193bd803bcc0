"""Batch evaluation: a caseload (CSV or xlsx) in, one row per case out, with outputs, fired rule ids
and a per-case error column. A bad row is reported in its row, never fatal for the batch.

    regelbank batch kampen/autoaanpassing clienten.csv --out uitkomsten.xlsx [--as-of 2026-01-01]

Input: the first row names the columns; columns named after an input of the rule set are read
as that input (text as a policy officer types it: ``ja``/``nee``, ``1.234,56``, ``2026-01-31``;
an empty cell means "not given", so the Glossary default applies). Other columns (a client
number, a name) are copied to the output unchanged. Batch runs are what-if/re-check runs: they are
not written to the decision log.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import click

import engine
from engine import InputError, RuleSet

MAX_BATCH_ROWS = 200_000          # per file (console and API)
CHUNK = 5_000                     # cases per evaluate_many call (progress bar steps)
ERROR_COLUMN = "Fout"
RULES_COLUMN = "Regels"
ROW_COLUMN = "Rij"


class CasesFileError(ValueError):
    """The caseload file cannot be read (not the individual rows: those get an error per row)."""


# ---------------------------------------------------------------- reading

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
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
    except StopIteration:
        raise CasesFileError(f"'{filename}' is leeg: de eerste regel moet de kolomnamen bevatten.") from None
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        rows.append({h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header) if h})
        if len(rows) > MAX_BATCH_ROWS:
            raise CasesFileError(f"'{filename}' heeft meer dan {MAX_BATCH_ROWS} rijen; splits het bestand.")
    return [h for h in header if h], rows


def _read_xlsx(content: bytes, filename: str):
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise CasesFileError(f"'{filename}' is geen leesbare Excel-werkmap: {exc}") from None
    ws = wb.worksheets[0]
    rows_iter = ws.iter_rows(values_only=True)
    try:
        header = [_text(h).strip() for h in next(rows_iter)]
    except StopIteration:
        raise CasesFileError(f"'{filename}' is leeg: de eerste rij moet de kolomnamen bevatten.") from None
    rows = []
    for values in rows_iter:
        if values is None or all(v is None or _text(v).strip() == "" for v in values):
            continue
        rows.append({h: _text(values[i]).strip() if i < len(values) else "" for i, h in enumerate(header) if h})
        if len(rows) > MAX_BATCH_ROWS:
            raise CasesFileError(f"'{filename}' heeft meer dan {MAX_BATCH_ROWS} rijen; splits het bestand.")
    wb.close()
    return [h for h in header if h], rows


# ---------------------------------------------------------------- evaluating

def cases_from_rows(rules: RuleSet, rows: list[dict]) -> tuple[list, list]:
    """Typed cases (or None) and the error per row (or None): text goes through coerce_text_inputs."""
    inputs = {v.name for v in rules.inputs}
    cases, errors = [], []
    for row in rows:
        texts = {k: v for k, v in row.items() if k in inputs and v != ""}
        try:
            cases.append(rules.coerce_text_inputs(texts))
            errors.append(None)
        except InputError as exc:
            cases.append(None)
            errors.append(str(exc))
    return cases, errors


def evaluate_rows(rules: RuleSet, rows: list[dict], progress=None) -> list[dict]:
    """Per row: {'outputs', 'fired' (rule ids), 'error'}; errors are per row, never raised."""
    cases, errors = cases_from_rows(rules, rows)
    results: list = [None] * len(rows)
    for start in range(0, len(rows), CHUNK):
        idx = [i for i in range(start, min(start + CHUNK, len(rows))) if cases[i] is not None]
        batch = rules.evaluate_many([cases[i] for i in idx], on_error="return")
        for i, item in zip(idx, batch):
            results[i] = item
        if progress is not None:
            progress(min(start + CHUNK, len(rows)) - start)
    out = []
    for i, item in enumerate(results):
        if errors[i] is not None:
            out.append({"outputs": {}, "fired": [], "error": errors[i]})
        elif isinstance(item, Exception):
            out.append({"outputs": {}, "fired": [], "error": str(item)})
        else:
            # no rule in some table is not an error: outputs stay empty and 'Regels' names the table
            out.append({"outputs": item.outputs, "fired": [f.rule for f in item.fired], "error": None,
                        "unmatched": item.unmatched})
    return out


def _cell(value):
    """An output value for a CSV/xlsx cell (Dutch ja/nee; lists joined)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return "; ".join(str(_cell(v)) for v in value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def result_table(rules: RuleSet, header: list[str], rows: list[dict], evaluated: list[dict]) -> tuple[list, list]:
    """(column names, rows as lists): row number, the input columns as given, outputs, rule ids, error."""
    outputs = [v.name for v in rules.outputs]
    columns = [ROW_COLUMN] + header + [o for o in outputs if o not in header] + [RULES_COLUMN, ERROR_COLUMN]
    table = []
    for number, (row, ev) in enumerate(zip(rows, evaluated), start=2):
        line = [number] + [row.get(h, "") for h in header]
        line += [_cell(ev["outputs"].get(o)) for o in outputs if o not in header]
        rules_text = ", ".join(ev["fired"])
        if ev.get("unmatched"):
            rules_text += ("; " if rules_text else "") + "geen regel in: " + ", ".join(ev["unmatched"])
        line += [rules_text, ev["error"] or ""]
        table.append(line)
    return columns, table


def write_table(columns: list, table: list, fmt: str) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(columns)
        for line in table:
            writer.writerow(["" if v is None else (str(v).replace(".", ",") if isinstance(v, float) else v)
                             for v in line])
        return buffer.getvalue().encode("utf-8-sig")
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    wb = openpyxl.Workbook(write_only=True)   # streams rows: a 50 000-row caseload writes in seconds
    ws = wb.create_sheet("Uitkomsten")
    ws.freeze_panes = "B2"
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for line in table:
        ws.append(line)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def summarise(rules: RuleSet, evaluated: list[dict]) -> dict:
    errors = [i for i, ev in enumerate(evaluated) if ev["error"]]
    distributions = {}
    for var in rules.outputs:
        counts = Counter(_label(ev["outputs"].get(var.name)) for ev in evaluated if not ev["error"])
        if len(counts) <= 20:
            distributions[var.name] = dict(counts.most_common())
    fired = Counter(r for ev in evaluated for r in ev["fired"])
    return {"cases": len(evaluated), "evaluated": len(evaluated) - len(errors), "errors": len(errors),
            "error_rows": [i + 2 for i in errors[:50]], "unmatched": sum(bool(ev.get("unmatched")) for ev in evaluated),
            "outcomes": distributions, "fired": dict(fired.most_common())}


def _label(value) -> str:
    v = _cell(value)
    return "" if v is None else str(v)


def run_batch(rules: RuleSet, content: bytes, filename: str, progress=None) -> dict:
    """Read, evaluate and tabulate a caseload file. Raises CasesFileError for an unreadable file."""
    header, rows = read_cases(content, filename)
    return {"header": header, "rows": rows, **_run_rows(rules, header, rows, filename, progress)}


# ---------------------------------------------------------------- console

@click.command("batch")
@click.argument("ruleset")
@click.argument("cases", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Results file: .xlsx or .csv (inputs, outputs, fired rule ids, an error column).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Peildatum: use the version in force then (default today).")
def batch(ruleset, cases, out, as_of):
    """Evaluate every case in CASES (.csv or .xlsx) against RULESET and write one result row per case."""
    from store import NoVersionInForce, NotFound, StoreError

    from . import config
    from .jsonout import dumps
    from .service import open_service
    out_path = Path(out)
    fmt = out_path.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        _fail("--out moet eindigen op .xlsx of .csv.")
    try:
        day = _dt.date.fromisoformat(as_of) if as_of else _dt.date.today()
    except ValueError:
        _fail(f"--as-of moet een datum zijn in de vorm JJJJ-MM-DD, niet '{as_of}'.")
    service = open_service(config.database_url(), config.spreadsheets_dir())
    try:
        version, rules = service.version_in_force(ruleset, day)
    except NotFound as exc:
        _fail(f"{exc} Bekende regelsets: {', '.join(sorted(service.store.rulesets()))}.")
    except NoVersionInForce as exc:
        _fail(str(exc), 1)
    except StoreError as exc:
        _fail(str(exc))
    path = Path(cases)
    content = path.read_bytes()
    try:
        header, rows = read_cases(content, path.name)
    except CasesFileError as exc:
        _fail(str(exc))
    with click.progressbar(length=len(rows), label=f"{ruleset} {version.short}", file=sys.stderr) as bar:
        try:
            report = _run_rows(rules, header, rows, path.name, bar.update)
        except CasesFileError as exc:
            _fail(str(exc))
    out_path.write_bytes(write_table(report["columns"], report["table"], fmt))
    summary = {"ruleset": ruleset, "version": version.hash, "valid_from": version.valid_from.isoformat(),
               "as_of": day.isoformat(), "out": str(out_path), **report["summary"]}
    click.echo(dumps(summary, indent=2))
    s = report["summary"]
    click.echo(f"{s['cases']} gevallen: {s['evaluated']} beoordeeld, {s['errors']} met een fout "
               f"(zie kolom '{ERROR_COLUMN}'). Uitkomsten in {out_path}.", err=True)


def _run_rows(rules, header, rows, filename, progress):
    if not rows:
        raise CasesFileError(f"'{filename}' bevat geen rijen met gevallen onder de kolomnamen.")
    inputs = [v.name for v in rules.inputs]
    if not set(header) & set(inputs):
        raise CasesFileError(f"Geen enkele kolom van '{filename}' is een invoer van deze regelset. "
                             f"Verwacht kolommen als: {', '.join(inputs)}.")
    evaluated = evaluate_rows(rules, rows, progress)
    columns, table = result_table(rules, header, rows, evaluated)
    summary = summarise(rules, evaluated)
    summary["ignored_columns"] = [h for h in header if h not in inputs]
    summary["missing_columns"] = [i for i in inputs if i not in header]
    return {"columns": columns, "table": table, "summary": summary, "evaluated": evaluated}


def _fail(message: str, code: int = 2):
    click.echo(f"Fout: {message}", err=True)
    sys.exit(code)
