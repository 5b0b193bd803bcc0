"""The public rule catalogue: the rules in force, readable without login (Dutch policy rules are public).

Read-only: rule sets in force with their tables (Toelichting and Bron per row), the versions with their
dates and the differences between them, downloads of the workbook and of the DMN, and an anonymous
proefberekening that is never logged and is marked as not a decision. Decisions, uploads and drafts
stay behind login. Switch it off with PUBLIC_CATALOGUE = False in instance/config.py.
"""
from __future__ import annotations

import datetime as _dt

from flask import Blueprint, Response, abort, current_app, render_template, request

import engine
from engine.dmn_export import export_dmn
from regelbank.diff import diff_versions
from store import NotFound, NoVersionInForce

from . import views_data as vd
from .db import get_service

bp = Blueprint("catalogue", __name__)


@bp.before_request
def _only_when_on():
    if not current_app.config.get("PUBLIC_CATALOGUE", True) and request.endpoint != "catalogue.help_workbook":
        abort(404)


def _public_versions(name: str) -> list:
    """Versions the public sees: published and withdrawn ones (a pending version is not yet policy)."""
    return [v for v in get_service().store.versions(name) if v.status != "pending"]


@bp.get("/openbaar")
def index():
    rows = [r for r in get_service().overview() if r["in_force"]]
    gemeenten: dict[str, list] = {}
    for row in rows:
        gemeenten.setdefault(row["gemeente"], []).append(row)
    return render_template("catalogue_index.html", gemeenten=gemeenten, today=_dt.date.today())


@bp.get("/openbaar/<seg:gemeente>/<seg:naam>")
def ruleset(gemeente, naam):
    name = f"{gemeente}/{naam}"
    service = get_service()
    try:
        version, rules = service.version_in_force(name)
    except (NotFound, NoVersionInForce):
        abort(404)
    versions = _public_versions(name)
    return render_template("catalogue_ruleset.html", name=name, gemeente=gemeente, naam=naam, version=version,
                           rules=rules, meta=rules.metadata.as_dict(), tables=vd.tables_view(rules),
                           versions=versions, glossary=_glossary(rules))


def _glossary(rules: engine.RuleSet) -> list[dict]:
    from engine.inputs import describe_allowed
    from engine.explain import label
    out = []
    for var in rules.inputs:
        out.append({"name": var.name, "label": label(var.name), "description": var.description or "",
                    "unit": var.unit or "", "allowed": describe_allowed(var)})
    return out


def _version(name: str, ref: str):
    try:
        v = get_service().store.get_version(name, ref)
    except NotFound:
        abort(404)
    if v.status == "pending":
        abort(404)
    return v


@bp.get("/openbaar/<seg:gemeente>/<seg:naam>/versies/<seg:version>/werkmap")
def download_workbook(gemeente, naam, version):
    name = f"{gemeente}/{naam}"
    v = _version(name, version)
    content = get_service().store.content(v.hash)
    is_dmn = v.filename.lower().endswith((".dmn", ".xml"))
    filename = f"{gemeente}-{naam}-{v.valid_from.isoformat()}" + (".dmn" if is_dmn else ".xlsx")
    return Response(content, mimetype="application/xml" if is_dmn else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/openbaar/<seg:gemeente>/<seg:naam>/versies/<seg:version>/dmn")
def download_dmn(gemeente, naam, version):
    name = f"{gemeente}/{naam}"
    v = _version(name, version)
    rules = get_service().load_version(v)
    return Response(export_dmn(rules.model), mimetype="application/xml",
                    headers={"Content-Disposition":
                             f'attachment; filename="{gemeente}-{naam}-{v.valid_from.isoformat()}.dmn"'})


@bp.get("/openbaar/<seg:gemeente>/<seg:naam>/verschil")
def diff(gemeente, naam):
    name = f"{gemeente}/{naam}"
    old, new = _version(name, request.args.get("van", "")), _version(name, request.args.get("naar", ""))
    data = diff_versions(get_service(), name, old.hash, new.hash)
    return render_template("catalogue_diff.html", data=data, gemeente=gemeente, naam=naam,
                           title=(new.metadata or {}).get("title") or name)


@bp.route("/openbaar/<seg:gemeente>/<seg:naam>/proefberekening", methods=["GET", "POST"])
def trial(gemeente, naam):
    from flask import url_for

    from .pages import evaluate_view
    try:
        get_service().version_in_force(f"{gemeente}/{naam}")
    except (NotFound, NoVersionInForce):
        abort(404)
    return evaluate_view(gemeente, naam, proef=True,
                         action=url_for("catalogue.trial", gemeente=gemeente, naam=naam))


@bp.get("/hulp/werkmap")
def help_workbook():
    return render_template("help_workbook.html")
