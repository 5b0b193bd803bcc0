"""Batch evaluation and impact analysis over the JSON API (/api/v1).

POST /api/v1/rulesets/<gemeente>/<naam>/batch    (evaluator or editor)
    multipart/form-data: file=<cases.csv|cases.xlsx>, as_of=YYYY-MM-DD (optional),
    format=json (default) | csv | xlsx. At most MAX_BATCH_BYTES (5 MB) and MAX_BATCH_ROWS rows.
    json: {"ruleset", "version", "as_of", "summary", "columns", "results": [{"row", "inputs",
    "outputs", "fired", "error"}]}; csv/xlsx: the results file (the same as `regelbank batch --out`).
GET  /api/v1/rulesets/<gemeente>/<naam>/impact?from=<v>&to=<v>[&format=svg]   (read)
    caseload: the examples sheets of both versions.
POST /api/v1/rulesets/<gemeente>/<naam>/impact   (read)
    multipart: file=<cases.csv|xlsx>, from, to [, format=svg]; or JSON {"from", "to", "cases": [{...}]}.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile

from flask import Blueprint, Response, jsonify, request

from regelbank.batch import run_batch, write_table
from regelbank.cases import MAX_BATCH_ROWS, CasesFileError, read_cases
from regelbank.impact import analyse_impact, example_rows, svg_chart
from regelbank.jsonout import jsonable
from store import NoVersionInForce, NotFound, StoreError

from .auth import api_error, api_requires
from .db import get_service

bp = Blueprint("batch_api", __name__, url_prefix="/api/v1")

MAX_BATCH_BYTES = 5 * 1024 * 1024
MAX_EXPANDED_BYTES = 100 * 1024 * 1024


class _Refused(ValueError):
    def __init__(self, message: str, status: int = 400, code: str = "bad-request"):
        super().__init__(message)
        self.status, self.code = status, code


@bp.errorhandler(_Refused)
def _refused(exc):
    return api_error(exc.status, exc.code, str(exc))


@bp.errorhandler(CasesFileError)
def _cases_file(exc):
    return api_error(400, "cases-file-invalid", str(exc))


@bp.errorhandler(NotFound)
def _not_found(exc):
    return api_error(404, "not-found", str(exc))


@bp.errorhandler(NoVersionInForce)
def _no_version(exc):
    return api_error(409, "no-version-in-force", str(exc))


@bp.errorhandler(StoreError)
def _store_error(exc):
    return api_error(400, "bad-request", str(exc))


def _date(value, name):
    if value in (None, ""):
        return None
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise _Refused(f"'{name}' moet een datum zijn in de vorm JJJJ-MM-DD, niet '{value}'.") from None


def _uploaded_cases() -> tuple[bytes, str]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise _Refused("Stuur de gevallen mee als bestand (CSV of xlsx) in het formulierveld 'file' "
                       "(multipart/form-data).")
    content = upload.read(MAX_BATCH_BYTES + 1)
    if len(content) > MAX_BATCH_BYTES:
        raise _Refused(f"Het bestand is te groot (maximaal {MAX_BATCH_BYTES // (1024 * 1024)} MB, "
                       f"{MAX_BATCH_ROWS} rijen). Splits het bestand.", 413, "upload-too-large")
    filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
    if not content:
        raise _Refused("Het bestand is leeg.")
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                expanded = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            raise _Refused(f"'{filename}' is geen geldige Excel-werkmap.", 415, "upload-refused") from None
        if expanded > MAX_EXPANDED_BYTES:
            raise _Refused(f"'{filename}' pakt uit tot meer dan {MAX_EXPANDED_BYTES // (1024 * 1024)} MB; "
                           "het bestand is geweigerd.", 413, "upload-too-large")
    return content, filename


@bp.post("/rulesets/<gemeente>/<naam>/batch")
@api_requires("evaluate")
def batch(gemeente, naam):
    ruleset = f"{gemeente}/{naam}"
    fmt = (request.form.get("format") or request.args.get("format") or "json").lower()
    if fmt not in ("json", "csv", "xlsx"):
        raise _Refused("'format' moet json, csv of xlsx zijn.")
    as_of = _date(request.form.get("as_of") or request.args.get("as_of"), "as_of") or _dt.date.today()
    content, filename = _uploaded_cases()
    version, rules = get_service().version_in_force(ruleset, as_of)
    report = run_batch(rules, content, filename)
    if fmt in ("csv", "xlsx"):
        data = write_table(report["columns"], report["table"], fmt)
        mimetype = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        stem = filename.rsplit(".", 1)[0]
        return Response(data, mimetype=mimetype, headers={
            "Content-Disposition": f'attachment; filename="{stem}-uitkomsten.{fmt}"',
            "X-Regelbank-Version": version.hash})
    results = [{"row": i + 2, "inputs": row, "outputs": jsonable(ev["outputs"]), "fired": ev["fired"],
                "error": ev["error"]} for i, (row, ev) in enumerate(zip(report["rows"], report["evaluated"]))]
    return jsonify({"ruleset": ruleset, "version": version.hash, "valid_from": version.valid_from.isoformat(),
                    "as_of": as_of.isoformat(), "summary": jsonable(report["summary"]), "columns": report["columns"],
                    "results": results})


def _impact(gemeente, naam, old_ref, new_ref, rows, fmt):
    if not old_ref or not new_ref:
        raise _Refused("Geef twee versies op: from=<versie> en to=<versie>.")
    service = get_service()
    ruleset = f"{gemeente}/{naam}"
    old_v = service.store.get_version(ruleset, old_ref)
    new_v = service.store.get_version(ruleset, new_ref)
    old, new = service.load_version(old_v), service.load_version(new_v)
    if rows is None:
        rows = example_rows(old, new)
    report = {"ruleset": ruleset, "from": old_v.hash, "to": new_v.hash,
              "from_valid_from": old_v.valid_from.isoformat(), "to_valid_from": new_v.valid_from.isoformat(),
              **analyse_impact(old, new, rows)}
    if fmt == "svg":
        return Response(svg_chart(report), mimetype="image/svg+xml")
    report["svg"] = svg_chart(report)
    return jsonify(jsonable(report))


@bp.get("/rulesets/<gemeente>/<naam>/impact")
@api_requires("read")
def impact_get(gemeente, naam):
    return _impact(gemeente, naam, request.args.get("from"), request.args.get("to"), None,
                   (request.args.get("format") or "json").lower())


@bp.post("/rulesets/<gemeente>/<naam>/impact")
@api_requires("read")
def impact_post(gemeente, naam):
    body = request.get_json(silent=True)
    if isinstance(body, dict):
        cases = body.get("cases")
        if cases is not None and not (isinstance(cases, list) and all(isinstance(c, dict) for c in cases)):
            raise _Refused('"cases" moet een lijst van objecten zijn, per geval invoernaam: waarde.')
        rows = None if cases is None else [{k: _text(v) for k, v in c.items()} for c in cases]
        if rows is not None and len(rows) > MAX_BATCH_ROWS:
            raise _Refused(f"Te veel gevallen (maximaal {MAX_BATCH_ROWS}).", 413, "upload-too-large")
        return _impact(gemeente, naam, body.get("from"), body.get("to"), rows, str(body.get("format", "json")).lower())
    rows = None
    if request.files.get("file"):
        content, filename = _uploaded_cases()
        _, rows = read_cases(content, filename)
    form = request.form
    return _impact(gemeente, naam, form.get("from") or request.args.get("from"),
                   form.get("to") or request.args.get("to"), rows,
                   (form.get("format") or request.args.get("format") or "json").lower())


def _text(value) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return "" if value is None else str(value)
