"""The HTML pages, in Dutch, for consulenten, policy staff and auditors.

Plain server-rendered Jinja. Every page has a JSON twin (as in Datasette): the same URL with
``.json`` appended, or ``?_format=json``, answers the page's data as JSON. The pages call the same
service operations as the JSON API, so both show the same thing.
"""
from __future__ import annotations

import datetime as _dt

from flask import (Blueprint, Response, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from flask_wtf.csrf import CSRFError
from werkzeug.routing import BaseConverter

import engine
from engine.explain import cite, label, strip_files
from engine.findings import SEVERITY_LABELS
from regelbank.audit_view import record_intact
from regelbank.diff import diff_versions
from regelbank.jsonout import jsonable
from regelbank.service import AlreadyPublished, NeedsConfirmation, PublishRejected
from store import Conflict, NoVersionInForce, NotFound, StoreError

from . import views_data as vd
from .auth import ROLE_LABELS, login_required, may, session_principal
from .db import get_service
from .downloads import attachment, mimetype_for
from .uploads import UploadRefused, read_upload

bp = Blueprint("pages", __name__)
PAGE_SIZE = 50


class SegmentConverter(BaseConverter):
    """A path segment without dots, so that '<naam>.json' is the JSON twin of '<naam>'."""
    regex = r"[^/.]+"


@bp.record_once
def _setup(state):
    app = state.app
    app.url_map.converters["seg"] = SegmentConverter
    app.config.setdefault("PUBLIC_CATALOGUE", True)  # the rules in force, readable without login
    app.jinja_env.filters.update(nl_date=vd.nl_date, nl_value=vd.nl_value, source_short=vd.source_short,
                                 short=lambda h: (h or "")[:12], cite=cite, label=label, door=vd.door,
                                 gemeente_name=vd.gemeente_name, cell_text=vd.cell_text,
                                 no_files=strip_files)
    app.jinja_env.globals.update(may=may, role_label=lambda r: vd.ROLE_WORDS.get(r, ROLE_LABELS.get(r, r)),
                                 severity_label=lambda s: SEVERITY_LABELS.get(s, s),
                                 catalogue_on=lambda: app.config.get("PUBLIC_CATALOGUE", True))
    # the pages' other areas, each its own blueprint (registered here so web/__init__.py stays as it is)
    from . import catalogue, first_run, impact_pages, lifecycle, reports
    for blueprint in (first_run.bp, catalogue.bp, lifecycle.bp, impact_pages.bp, reports.bp):
        app.register_blueprint(blueprint)


def page(rule: str, methods=("GET",)):
    """Register a page and its JSON twin (rule + '.json')."""
    def decorator(view):
        bp.add_url_rule(rule, view.__name__, view, methods=list(methods))
        bp.add_url_rule("/.json" if rule == "/" else rule + ".json", view.__name__ + "_json", view,
                        methods=list(methods))
        return view
    return decorator


def wants_json() -> bool:
    return request.path.endswith(".json") or request.args.get("_format") == "json"


def respond(template: str, data: dict, status: int = 200, **context):
    if wants_json():
        return jsonify(jsonable(data)), status
    return render_template(template, data=data, **context), status


def _caller() -> str:
    principal = session_principal()
    return f"{principal.role}:{principal.name}" if principal else "anoniem"


def _ruleset(gemeente: str, naam: str) -> str:
    return f"{gemeente}/{naam}"


# ------------------------------------------------------------------ errors as pages

def _error(status: int, title: str, message: str):
    if wants_json():
        return jsonify({"error": {"code": status, "message": message}}), status
    return render_template("error.html", status=status, title=title, message=message), status


def _api_path() -> bool:
    return request.path.startswith("/api/")


@bp.app_errorhandler(404)
def _any_not_found(exc):
    """Every unknown URL: a Dutch page, or JSON under /api (also for URLs no blueprint owns)."""
    if _api_path():
        return jsonify({"error": {"code": "not-found", "message": "Deze API-URL bestaat niet. Zie /api/v1/openapi.json."}}), 404
    return _error(404, "Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer het adres, of ga naar "
                                               "het overzicht.")


@bp.app_errorhandler(405)
def _any_not_allowed(exc):
    if _api_path():
        return jsonify({"error": {"code": "method-not-allowed", "message": "Deze methode is hier niet toegestaan."}}), 405
    return _error(405, "Niet toegestaan", "Deze handeling kan op deze pagina niet.")


@bp.app_errorhandler(500)
def _any_server_error(exc):
    if _api_path():
        return jsonify({"error": {"code": "server-error", "message": "Er ging iets mis op de server. Probeer het later "
                                                                     "opnieuw; blijft het misgaan, meld het dan."}}), 500
    return _error(500, "Er ging iets mis", "Er ging iets mis op de server; uw gegevens zijn niet verloren. Probeer het "
                                           "opnieuw. Blijft het misgaan, meld dan het tijdstip aan de beheerder.")


@bp.errorhandler(403)
def _forbidden(exc):
    return _error(403, "Geen toegang", exc.description or "U mag deze pagina niet gebruiken.")


@bp.errorhandler(404)
def _page_not_found(exc):
    return _error(404, "Niet gevonden", "Deze pagina bestaat niet.")


@bp.errorhandler(NotFound)
def _not_found(exc):
    return _error(404, "Niet gevonden", str(exc))


@bp.errorhandler(StoreError)
def _bad_name(exc):
    # e.g. /regelsets/KAMPEN/dagbesteding: names are lower case; the store says what is allowed
    return _error(404, "Niet gevonden", str(exc))


@bp.app_errorhandler(500)
def _internal(exc):
    # an unexpected fault: never a traceback at a user; Flask has logged it with the traceback
    message = ("Er ging iets mis bij het verwerken van deze aanvraag. Er is niets opgeslagen. "
               "Probeer het opnieuw; blijft het misgaan, meld dan het tijdstip aan de beheerder.")
    if request.path.startswith("/api/"):
        return jsonify({"error": {"code": "internal-error", "message": message}}), 500
    return _error(500, "Er ging iets mis", message)


@bp.errorhandler(NoVersionInForce)
def _no_version(exc):
    return _error(409, "Geen versie van kracht", str(exc))


@bp.app_errorhandler(CSRFError)
def _csrf(exc):
    return _error(400, "Formulier verlopen",
                  "Het formulier is verlopen of niet via deze site verstuurd. Ga terug, laad de pagina opnieuw "
                  "en probeer het nog eens.")


# ------------------------------------------------------------------ overview

@page("/")
@login_required("read")
def overview():
    service = get_service()
    rows = service.overview()
    gemeenten: dict[str, list] = {}
    for row in rows:
        gemeenten.setdefault(row["gemeente"], []).append(row)
    data = {"as_of": _dt.date.today().isoformat(), "rulesets": rows}
    return respond("overview.html", data, gemeenten=gemeenten)


# ------------------------------------------------------------------ one rule set

@page("/regelsets/<seg:gemeente>/<seg:naam>")
@login_required("read")
def ruleset(gemeente, naam):
    from .api import _describe
    name = _ruleset(gemeente, naam)
    version, rules = get_service().version_in_force(name)
    data = {"ruleset": name, "version": version.to_dict(), **_describe(rules)}
    from engine.inputs import describe_allowed
    for item, var in zip(data["inputs"], rules.inputs):
        item["allowed_words"] = describe_allowed(var) if var.allowed_text else ""
    return respond("ruleset.html", data, tables=vd.tables_view(rules), versions=get_service().store.versions(name))


@page("/regelsets/<seg:gemeente>/<seg:naam>/evalueren", methods=("GET", "POST"))
@login_required("evaluate")
def evaluate(gemeente, naam):
    return evaluate_view(gemeente, naam)


def evaluate_view(gemeente: str, naam: str, proef: bool = False, action: str | None = None):
    """The evaluate form and its result. ``proef``: an anonymous trial run, never logged, not a decision."""
    service = get_service()
    name = _ruleset(gemeente, naam)
    today = _dt.date.today()
    errors: dict[str, str] = {}
    general: list[str] = []
    source = request.form if request.method == "POST" else request.args
    peildatum_text = (source.get("peildatum") or "").strip()
    try:
        as_of = vd.parse_date(peildatum_text) or today
    except ValueError as exc:
        errors["peildatum"] = str(exc)
        as_of = today
    try:
        version, rules = service.version_in_force(name, as_of)
    except NoVersionInForce as exc:
        errors["peildatum"] = f"Op {vd.nl_date(as_of)} was geen versie van deze regelset van kracht. {exc}"
        version, rules = service.version_in_force(name, today)

    texts = {var.name: (source.get(var.name) or "").strip() for var in rules.inputs if var.name in source}
    answer = None
    status = 200
    if request.method == "POST" and not errors:
        try:
            values = rules.coerce_text_inputs({k: v for k, v in texts.items() if v != ""})
            answer = service.evaluate(name, values, as_of, caller=_caller(), record=not proef)
        except engine.InputError as exc:
            known = {var.name for var in rules.inputs}
            for problem in exc.problems:
                if problem.get("input") in known:
                    errors.setdefault(problem["input"], problem["message"])
                else:
                    general.append(problem["message"])
        except engine.EvaluationError as exc:
            general.append(f"De regels kunnen deze situatie niet beslissen: {exc}")
        except NoVersionInForce as exc:
            errors["peildatum"] = str(exc)
    if request.method == "POST" and (errors or general):
        status = 400

    fields = vd.form_fields(rules, texts, errors)
    result = None
    if answer is not None:
        used_version, used_rules = version, rules
        if answer["version"] != version.hash:  # cannot normally happen; show the version really used
            used_rules = vd.version_rules(service, name, answer["version"]) or rules
        result = {**answer, "outputs_view": vd.outputs_view(used_rules, answer["outputs"]),
                  "tables": vd.tables_view(used_rules, answer["fired"]),
                  "version_info": used_version.to_dict()}
    data = {"ruleset": name, "title": rules.title, "version": version.to_dict(),
            "peildatum": peildatum_text or as_of.isoformat(), "form": fields, "errors": errors,
            "general_errors": general, "result": result, "proef": proef}
    if proef and result is not None:
        data["notice"] = "Proefberekening: geen besluit, niets vastgelegd."
    return respond("evaluate.html", data, status, action=action)


# ------------------------------------------------------------------ versions

@page("/regelsets/<seg:gemeente>/<seg:naam>/versies")
@login_required("read")
def versions(gemeente, naam):
    service = get_service()
    name = _ruleset(gemeente, naam)
    items = service.store.versions(name)
    if not items:
        raise NotFound(f"Regelset {name} bestaat niet.")
    try:
        in_force = service.store.version_in_force(name, _dt.date.today()).hash
    except (NoVersionInForce, NotFound):
        in_force = None
    data = {"ruleset": name, "in_force": in_force, "versions": [v.to_dict() for v in items]}
    return respond("versions.html", data, title=(items[0].metadata or {}).get("title") or name)


@bp.get("/regelsets/<seg:gemeente>/<seg:naam>/versies/<seg:version>/download")
@login_required("read")
def download(gemeente, naam, version):
    service = get_service()
    v = service.store.get_version(_ruleset(gemeente, naam), version)
    return Response(service.store.content(v.hash), mimetype=mimetype_for(v.filename),
                    headers=attachment(v.filename, "werkmap.xlsx"))


@bp.get("/regelsets/<seg:gemeente>/<seg:naam>/versies/<seg:version>/dmn")
@login_required("read")
def download_dmn(gemeente, naam, version):
    """The version as DMN XML (Camunda Modeler, other DMN engines)."""
    content, filename = get_service().dmn(_ruleset(gemeente, naam), version)
    safe = "".join(c for c in filename if c.isalnum() or c in "._- ") or "regels.dmn"
    return Response(content, mimetype="application/xml", headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@bp.post("/regelsets/<seg:gemeente>/<seg:naam>/versies/<seg:version>/intrekken")
@login_required("publish")
def withdraw(gemeente, naam, version):
    name = _ruleset(gemeente, naam)
    reason = (request.form.get("reden") or "").strip()
    if not reason:
        flash("Geef een reden op voor het intrekken; er is niets ingetrokken.", "fout")
    else:
        try:
            v = get_service().store.withdraw(name, version, session_principal().name, reason)
            flash(f"Versie {v.short} (geldig vanaf {vd.nl_date(v.valid_from)}) is ingetrokken.", "ok")
        except (Conflict, StoreError) as exc:
            flash(str(exc), "fout")
    return redirect(url_for("pages.versions", gemeente=gemeente, naam=naam))


@bp.post("/regelsets/<seg:gemeente>/<seg:naam>/versies/<seg:version>/goedkeuren")
@login_required("publish")
def approve(gemeente, naam, version):
    try:
        v = get_service().store.approve(_ruleset(gemeente, naam), version, session_principal().name)
        flash(f"Versie {v.short} is goedgekeurd en gepubliceerd; geldig vanaf {vd.nl_date(v.valid_from)}.", "ok")
    except (Conflict, StoreError) as exc:
        flash(str(exc), "fout")
    if request.form.get("terug") == "te-beoordelen":
        return redirect(url_for("lifecycle.review"))
    return redirect(url_for("pages.versions", gemeente=gemeente, naam=naam))


@page("/regelsets/<seg:gemeente>/<seg:naam>/verschil")
@login_required("read")
def diff(gemeente, naam):
    name = _ruleset(gemeente, naam)
    old, new = request.args.get("van"), request.args.get("naar")
    if not old or not new:
        return _error(400, "Twee versies nodig", "Kies twee versies om te vergelijken (?van=...&naar=...).")
    data = diff_versions(get_service(), name, old, new)
    return respond("diff.html", data)


# ------------------------------------------------------------------ upload, validate, publish

@page("/regelsets/<seg:gemeente>/<seg:naam>/uploaden", methods=("GET", "POST"))
@login_required("publish")
def upload(gemeente, naam):
    service = get_service()
    name = _ruleset(gemeente, naam)
    if not service.store.versions(name):
        raise NotFound(f"Regelset {name} bestaat niet.")
    error = None
    if request.method == "POST":
        try:
            content, filename = read_upload(request)
        except UploadRefused as exc:
            error = str(exc)
        else:
            report = vd.draft_report(service, name, content, filename)
            digest = vd.save_draft(current_app.instance_path, name, content, filename, session_principal().name,
                                   report)
            if wants_json():
                return jsonify(jsonable(vd.load_draft(current_app.instance_path, name, digest)[0])), 201
            return redirect(url_for("pages.draft", gemeente=gemeente, naam=naam, digest=digest))
    data = {"ruleset": name, "error": error}
    return respond("upload.html", data, 400 if error else 200)


@page("/regelsets/<seg:gemeente>/<seg:naam>/concepten/<seg:digest>")
@login_required("publish")
def draft(gemeente, naam, digest):
    name = _ruleset(gemeente, naam)
    meta, _ = vd.load_draft(current_app.instance_path, name, digest)
    return _render_draft(name, meta)


def _render_draft(name: str, meta: dict, form: dict | None = None, form_errors: dict | None = None,
                  status: int = 200):
    report = meta["report"]
    suggested = (report.get("metadata") or {}).get("valid_from") or ""
    if suggested and suggested < _dt.date.today().isoformat():
        suggested = ""      # never prefill a past date: one click would change past answers
    form = form or {"geldig_vanaf": suggested, "toelichting": "", "terugwerkend": "", "raadsbesluit": ""}
    data = {**meta, "form": form, "form_errors": form_errors or {},
            "four_eyes": get_service().store.four_eyes(name.split("/", 1)[0])}
    return respond("draft.html", data, status, report=report)


@bp.post("/regelsets/<seg:gemeente>/<seg:naam>/concepten/<seg:digest>/publiceren")
@bp.post("/regelsets/<seg:gemeente>/<seg:naam>/concepten/<seg:digest>/publiceren.json",
         endpoint="publish_json")
@login_required("publish")
def publish(gemeente, naam, digest):
    service = get_service()
    name = _ruleset(gemeente, naam)
    meta, content = vd.load_draft(current_app.instance_path, name, digest)
    form = {"geldig_vanaf": (request.form.get("geldig_vanaf") or "").strip(),
            "toelichting": (request.form.get("toelichting") or "").strip(),
            "terugwerkend": request.form.get("terugwerkend") or "",
            "raadsbesluit": (request.form.get("raadsbesluit") or "").strip()}
    errors = {}
    try:
        valid_from = vd.parse_date(form["geldig_vanaf"])
        if valid_from is None:
            errors["geldig_vanaf"] = "Vul de datum in vanaf wanneer deze versie geldt."
    except ValueError as exc:
        errors["geldig_vanaf"] = str(exc)
    if not form["toelichting"]:
        errors["toelichting"] = "Schrijf kort wat er verandert en waarom (bijvoorbeeld het raadsbesluit)."
    if not meta["report"]["publishable"]:
        errors["_"] = "Deze werkmap bevat fouten en kan niet worden gepubliceerd. Los de fouten op en upload opnieuw."
    if errors:
        return _render_draft(name, meta, form, errors, 400)
    try:
        version = service.publish(content, meta["filename"], name, valid_from, session_principal().name,
                                  form["toelichting"], retroactive=form["terugwerkend"] == "ja",
                                  council_decision=form["raadsbesluit"] or None, title=meta.get("title") or None)
    except NeedsConfirmation as exc:
        meta["retroactive"] = {"message": str(exc), **exc.effect.as_dict()}
        return _render_draft(name, meta, form, {"terugwerkend": str(exc)}, 409)
    except AlreadyPublished as exc:
        return _render_draft(name, meta, form, {"_": str(exc)}, 409)
    except PublishRejected as exc:
        meta["report"]["findings"] = [f.as_dict() for f in exc.findings]
        meta["report"]["publishable"] = False
        return _render_draft(name, meta, form, {"_": str(exc).splitlines()[0]}, 422)
    except (Conflict, StoreError) as exc:
        return _render_draft(name, meta, form, {"_": str(exc)}, 409)
    if wants_json():
        return jsonify({"version": version.to_dict()}), 201
    flash(vd.publish_message(version), "ok")
    return redirect(url_for("pages.versions", gemeente=gemeente, naam=naam))


# ------------------------------------------------------------------ decision log (auditors)

@page("/beslissingen")
@login_required("audit")
def decisions():
    store = get_service().store
    args = request.args
    filters, errors = vd.decision_filters(args)
    try:
        offset = min(max(int(args.get("vanaf", 0)), 0), 10 ** 12)   # within a database integer
    except ValueError:
        offset = 0
    total = store.count_decisions(**filters)
    found = store.search_decisions(**filters, limit=PAGE_SIZE, offset=offset)
    data = {"filters": {k: (v.isoformat() if isinstance(v, _dt.date) else v) for k, v in filters.items()},
            "errors": errors, "total": total, "offset": offset, "limit": PAGE_SIZE, "decisions": found}
    return respond("decisions.html", data, 400 if errors else 200, rulesets=store.rulesets(),
                   args=args, page_size=PAGE_SIZE)


@page("/beslissingen/<seg:decision_id>")
@login_required("audit")
def decision(decision_id):
    return _render_decision(decision_id)


def _render_decision(decision_id: str, replay: dict | None = None):
    service = get_service()
    record = service.store.get_decision(decision_id)
    rules = vd.version_rules(service, record.get("ruleset", ""), record.get("version", ""))
    intact = record_intact(record)
    data = {"decision": record, "replay": replay, "intact": intact}
    return respond("decision.html", data, record=record, replay=replay, intact=intact,
                   inputs=vd.inputs_view(rules, record.get("inputs", {})),
                   outputs=vd.outputs_view(rules, record.get("outputs", {})),
                   tables=vd.tables_view(rules, record.get("fired")) if rules else [],
                   title=rules.title if rules else record.get("ruleset"))


@bp.post("/beslissingen/<seg:decision_id>/herhalen")
@bp.post("/beslissingen/<seg:decision_id>/herhalen.json", endpoint="replay_json")
@login_required("audit")
def replay(decision_id):
    return _render_decision(decision_id, get_service().replay(decision_id))


@page("/controle", methods=("GET", "POST"))
@login_required("audit")
def verify():
    result = None
    if request.method == "POST" or wants_json():
        result = get_service().store.verify_log().to_dict()
    data = {"result": result}
    return respond("verify.html", data)
