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

from engine import RuleSet

from .cases import CasesFileError, cases_from_rows, read_cases

CHUNK = 5_000                     # cases per evaluate_many call (progress bar steps)
ERROR_COLUMN = "Fout"
RULES_COLUMN = "Regels"
ROW_COLUMN = "Rij"


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
