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

from flask import Blueprint, Response, jsonify, request

from regelbank.batch import run_batch, write_table
from regelbank.cases import MAX_BATCH_ROWS, read_cases, text_value
from regelbank.impact import example_rows, impact_versions, svg_chart
from regelbank.jsonout import jsonable

from .api_errors import ApiRefused, date_arg, json_body, register_error_handlers
from .auth import api_requires, current_principal
from .db import get_service
from .uploads import MAX_CASES_BYTES as MAX_BATCH_BYTES  # noqa: F401 - the documented limit
from .uploads import UploadRefused, read_cases_upload

bp = Blueprint("batch_api", __name__, url_prefix="/api/v1")



register_error_handlers(bp)


def _uploaded_cases() -> tuple[bytes, str]:
    try:
        return read_cases_upload(request)
    except UploadRefused as exc:
        raise ApiRefused(str(exc), exc.status, "upload-too-large" if exc.status == 413 else "upload-refused") from None


@bp.post("/rulesets/<gemeente>/<naam>/batch")
@api_requires("evaluate")
def batch(gemeente, naam):
    ruleset = f"{gemeente}/{naam}"
    fmt = (request.form.get("format") or request.args.get("format") or "json").lower()
    if fmt not in ("json", "csv", "xlsx"):
        raise ApiRefused("'format' moet json, csv of xlsx zijn.")
    as_of = date_arg(request.form.get("as_of") or request.args.get("as_of"), "as_of") or _dt.date.today()
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
        raise ApiRefused("Geef twee versies op: from=<versie> en to=<versie>.")
    service, ruleset = get_service(), f"{gemeente}/{naam}"
    for ref in (old_ref, new_ref):
        version = service.store.get_version(ruleset, ref)
        if version.status != "active" and current_principal().role != "editor":
            # a draft awaiting approval or a withdrawn version is not public policy: editors only
            raise ApiRefused(f"Versie {version.short} heeft de status '{version.status_label}'; alleen redacteuren kunnen "
                             "daarmee een effectanalyse maken.", 403, "forbidden")
    if rows is None:  # no caseload sent: the examples sheets of both versions
        rows = example_rows(*(service.load_version(service.store.get_version(ruleset, ref)) for ref in (old_ref, new_ref)))
    report = impact_versions(service, ruleset, old_ref, new_ref, rows)
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
    body = json_body('{"cases": [{...}, ...], "from": "<versie>", "to": "<versie>"}') if request.is_json else None
    if isinstance(body, dict):
        cases = body.get("cases")
        if cases is not None and not (isinstance(cases, list) and all(isinstance(c, dict) for c in cases)):
            raise ApiRefused('"cases" moet een lijst van objecten zijn, per geval invoernaam: waarde.')
        rows = None if cases is None else [{k: text_value(v) for k, v in c.items()} for c in cases]
        if rows is not None and len(rows) > MAX_BATCH_ROWS:
            raise ApiRefused(f"Te veel gevallen (maximaal {MAX_BATCH_ROWS}).", 413, "upload-too-large")
        return _impact(gemeente, naam, body.get("from"), body.get("to"), rows, str(body.get("format", "json")).lower())
    rows = None
    if request.files.get("file"):
        content, filename = _uploaded_cases()
        _, rows = read_cases(content, filename)
    form = request.form
    return _impact(gemeente, naam, form.get("from") or request.args.get("from"),
                   form.get("to") or request.args.get("to"), rows,
                   (form.get("format") or request.args.get("format") or "json").lower())
