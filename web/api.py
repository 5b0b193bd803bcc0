"""The JSON API, /api/v1: the single source of behaviour; the HTML pages show the same data."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

import engine
from engine.findings import has_errors
from regelbank.diff import diff_versions
from regelbank.jsonout import jsonable

from .api_errors import ApiRefused, date_arg, json_body, register_error_handlers
from .auth import api_error, api_requires, current_principal
from .db import get_service
from .downloads import attachment, mimetype_for
from .openapi import openapi_document
from .uploads import read_cases_upload, read_upload

bp = Blueprint("api", __name__, url_prefix="/api/v1")


register_error_handlers(bp)


def _unavailable(_e):
    """The database is down, restarting or full: nothing was decided or logged; the client may retry."""
    from store.decision_log import UNAVAILABLE
    response = api_error(503, "log-unavailable", UNAVAILABLE)
    response.headers["Retry-After"] = "2"
    return response


def _register_unavailable():
    import sqlalchemy.exc

    from store import LogUnavailable
    for error in (LogUnavailable, sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError):
        bp.register_error_handler(error, _unavailable)


_register_unavailable()


def _caller() -> str:
    principal = current_principal()
    return f"{principal.role}:{principal.name}" if principal else "anoniem"


# ---------------------------------------------------------------- open endpoints

@bp.get("/health")
def health():
    service = get_service()
    return jsonify({"status": "ok", "engine": engine.ENGINE_VERSION, "rulesets": len(service.store.rulesets())})


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


# ---------------------------------------------------------------- rule sets

@bp.get("/rulesets")
@api_requires("read")
def rulesets():
    return jsonify({"rulesets": get_service().overview(date_arg(request.args.get("as_of"), "as_of"))})


def _describe(rules: engine.RuleSet) -> dict:
    def variable(v):
        return {"name": v.name, "type": v.type, "allowed": v.allowed_text,
                "allowed_values": jsonable(list(v.allowed_values)) or None,
                "default": jsonable(v.default) if v.has_default else None, "required": not v.has_default,
                "unit": v.unit, "description": v.description}
    return {"metadata": rules.metadata.as_dict(), "inputs": [variable(v) for v in rules.inputs],
            "outputs": [variable(v) for v in rules.outputs],
            "tables": [{"name": t.name, "hit_policy": t.hit_policy, "inputs": t.inputs, "outputs": t.outputs,
                        "rules": [{"rule": r.id, "inputs": r.input_texts, "outputs": r.output_texts,
                                   "annotation": r.annotation, "source": r.source, "cell": str(r.position)}
                                  for r in t.rules]} for t in rules.tables]}


@bp.get("/rulesets/<gemeente>/<naam>")
@api_requires("read")
def ruleset_detail(gemeente, naam):
    ruleset = f"{gemeente}/{naam}"
    as_of = date_arg(request.args.get("as_of"), "as_of")
    version, rules = get_service().version_in_force(ruleset, as_of)
    return jsonify({"ruleset": ruleset, "version": version.to_dict(), **_describe(rules)})


@bp.post("/rulesets/<gemeente>/<naam>/evaluate")
@api_requires("evaluate")
def evaluate(gemeente, naam):
    body = json_body('{"inputs": {...}} (en eventueel "as_of": "JJJJ-MM-DD").')
    return jsonify(evaluate_answer(get_service(), f"{gemeente}/{naam}", body, _caller()))


def evaluate_answer(service, ruleset: str, body: dict, caller: str) -> dict:
    """The evaluate endpoint on a parsed body (also web/fast_api.py, for a case system's call)."""
    if not isinstance(body.get("inputs"), dict):
        raise ApiRefused('Stuur een JSON-object met "inputs": {...} (en eventueel "as_of": "JJJJ-MM-DD").')
    unknown = sorted(set(body) - {"inputs", "as_of"})
    if unknown:
        raise ApiRefused(f"Onbekend veld {', '.join(unknown)}; toegestaan zijn 'inputs' en 'as_of'.")
    return service.evaluate(ruleset, body["inputs"], date_arg(body.get("as_of"), "as_of"), caller=caller)


# ---------------------------------------------------------------- versions

@bp.get("/rulesets/<gemeente>/<naam>/versions")
@api_requires("read")
def versions(gemeente, naam):
    return jsonify({"ruleset": f"{gemeente}/{naam}",
                    "versions": [v.to_dict() for v in get_service().store.versions(f"{gemeente}/{naam}")]})


@bp.post("/rulesets/<gemeente>/<naam>/versions")
@api_requires("publish")
def publish(gemeente, naam):
    content, filename = read_upload(request)
    valid_from = date_arg(request.form.get("valid_from"), "valid_from")
    retroactive = (request.form.get("retroactive") or "").strip().lower()
    if retroactive not in ("", "true", "false"):
        raise ApiRefused("'retroactive' moet 'true' of 'false' zijn.")
    service = get_service()
    known = {v.hash for v in service.store.versions(f"{gemeente}/{naam}")}
    version = service.publish(content, filename, f"{gemeente}/{naam}", valid_from, current_principal().identity,
                              request.form.get("comment", ""), request.form.get("council_decision") or None,
                              retroactive=retroactive == "true")
    return jsonify({"version": version.to_dict()}), 200 if version.hash in known else 201


@bp.get("/rulesets/<gemeente>/<naam>/versions/<version>")
@api_requires("read")
def version_detail(gemeente, naam, version):
    return jsonify({"version": get_service().store.get_version(f"{gemeente}/{naam}", version).to_dict()})


@bp.get("/rulesets/<gemeente>/<naam>/versions/<version>/download")
@api_requires("read")
def download(gemeente, naam, version):
    service = get_service()
    v = service.store.get_version(f"{gemeente}/{naam}", version)
    return Response(service.store.content(v.hash), mimetype=mimetype_for(v.filename),
                    headers=attachment(v.filename, "werkmap.xlsx"))


@bp.get("/rulesets/<gemeente>/<naam>/versions/<version>/dmn")
@api_requires("read")
def download_dmn(gemeente, naam, version):
    """The version as DMN 1.3 XML: a DMN upload as stored, a workbook exported (engine.dmn_export)."""
    content, filename = get_service().dmn(f"{gemeente}/{naam}", version)
    return Response(content, mimetype="application/xml", headers=attachment(filename, "regels.dmn"))


@bp.post("/rulesets/<gemeente>/<naam>/versions/<version>/withdraw")
@api_requires("publish")
def withdraw(gemeente, naam, version):
    body = request.get_json(silent=True) or request.form
    reason = (body.get("reason") or "").strip()
    if not reason:
        raise ApiRefused("Geef een reden op voor het intrekken ('reason').")
    v = get_service().store.withdraw(f"{gemeente}/{naam}", version, current_principal().identity, reason)
    return jsonify({"version": v.to_dict()})


@bp.post("/rulesets/<gemeente>/<naam>/versions/<version>/approve")
@api_requires("publish")
def approve(gemeente, naam, version):
    v = get_service().store.approve(f"{gemeente}/{naam}", version, current_principal().identity)
    return jsonify({"version": v.to_dict()})


@bp.get("/rulesets/<gemeente>/<naam>/diff")
@api_requires("read")
def diff(gemeente, naam):
    old, new = request.args.get("from"), request.args.get("to")
    if not old or not new:
        raise ApiRefused("Geef twee versies op: ?from=<versie>&to=<versie>.")
    return jsonify(diff_versions(get_service(), f"{gemeente}/{naam}", old, new))


@bp.post("/validate")
@api_requires("publish")
def validate():
    content, filename = read_upload(request)
    ruleset = request.form.get("ruleset") or None
    findings = get_service().validate(content, filename, ruleset)
    return jsonify({"file": filename, "valid": not has_errors(findings), "findings": [f.as_dict() for f in findings]})


@bp.post("/compare")
@api_requires("evaluate")
def compare():
    """Multipart: a (rule set), b (rule set), cases (CSV/xlsx file), optional as_of."""
    from regelbank.cases import read_cases
    from regelbank.compare import compare as run_compare
    a, b = request.form.get("a"), request.form.get("b")
    if not a or not b or request.files.get("cases") is None:
        raise ApiRefused("Stuur 'a' en 'b' (regelsets, bijvoorbeeld kampen/dagbesteding) en een bestand 'cases' (CSV of xlsx).")
    _, cases = read_cases(*read_cases_upload(request, "cases"))  # the same upload guard as batch and impact
    return jsonify(run_compare(get_service(), a, b, cases, date_arg(request.form.get("as_of"), "as_of")))


# ---------------------------------------------------------------- decision log

@bp.get("/decisions/<decision_id>")
@api_requires("audit")
def decision(decision_id):
    return jsonify(get_service().store.get_decision(decision_id))


MAX_OFFSET = 10 ** 12   # far beyond any log; keeps the number within a database integer


@bp.get("/decisions")
@api_requires("audit")
def decisions():
    args = request.args
    try:
        limit = min(max(int(args.get("limit", 100)), 0), 1000)
        offset = int(args.get("offset", 0))
    except ValueError:
        raise ApiRefused("'limit' en 'offset' moeten gehele getallen zijn.") from None
    if not 0 <= offset <= MAX_OFFSET:
        raise ApiRefused(f"'offset' moet een geheel getal van 0 t/m {MAX_OFFSET} zijn.")
    filters = dict(ruleset=args.get("ruleset") or None, date_from=date_arg(args.get("from"), "from"),
                   date_to=date_arg(args.get("to"), "to"), rule=args.get("rule") or None,
                   decision_id=args.get("id") or None)
    store = get_service().store
    return jsonify({"total": store.count_decisions(**filters), "limit": limit, "offset": offset,
                    "decisions": store.search_decisions(**filters, limit=limit, offset=offset)})


@bp.post("/decisions/<decision_id>/replay")
@api_requires("audit")
def replay(decision_id):
    return jsonify(get_service().replay(decision_id))


@bp.get("/audit/verify")
@api_requires("audit")
def verify():
    return jsonify(get_service().store.verify_log().to_dict())


@bp.post("/audit/verify-receipt")
@api_requires("audit")
def verify_receipt():
    """Body: the receipt an evaluate answer carried. Checks its signature and that the log still holds it."""
    report = get_service().store.verify_receipt(request.get_json(silent=True))
    return jsonify(report), 200 if report["ok"] else 409
