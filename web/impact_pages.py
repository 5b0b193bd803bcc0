"""Impact, batch and compare on the pages: a caseload in, distributions and euro totals out.

Impact (policy staff): one caseload through two versions; per output the distribution before and
after, as a chart with distinct labels, units and euro totals, and the per-case result file.
Batch (consulenten, policy staff): one caseload through the version in force; the same chart and the file.
Compare: one case through two gemeenten's rule sets, side by side. None of these is logged: they are
analyses, not decisions.
"""
from __future__ import annotations

import datetime as _dt
import re
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

import engine
from engine.explain import final_outputs, label
from engine.model import TYPE_MONEY
from regelbank.audit_view import table_bytes
from regelbank.batch import evaluate_rows, evaluate_table
from regelbank.cases import CasesFileError, read_cases
from regelbank.impact import analyse_impact, example_rows
from store import NotFound, NoVersionInForce

from . import views_data as vd
from .auth import login_required
from .charts import bar_chart
from .db import get_service
from .uploads import UploadRefused, check_workbook_bytes

bp = Blueprint("impact_pages", __name__)
MAX_CASES_BYTES = 5 * 1024 * 1024
MAX_CATEGORIES = 12
RESULT_HOURS = 24
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


# ------------------------------------------------------------------ shared helpers

def _uploaded_rows() -> tuple[list[str], list[dict], str] | None:
    """The caseload from the form's file field, or None when no file was chosen."""
    upload = request.files.get("bestand")
    if upload is None or not upload.filename:
        return None
    content = upload.read(MAX_CASES_BYTES + 1)
    if len(content) > MAX_CASES_BYTES:
        raise UploadRefused(f"Het bestand is te groot (maximaal {MAX_CASES_BYTES // (1024 * 1024)} MB). Splits het.")
    if not content:
        raise UploadRefused("Het bestand is leeg.")
    filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
    if content[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        check_workbook_bytes(content, filename, 100 * 1024 * 1024)
    header, rows = read_cases(content, filename)
    return header, rows, filename


def _is_money(rules: engine.RuleSet, name: str) -> bool:
    var = rules.model.variables.get(name)
    return getattr(var, "type", None) == TYPE_MONEY or (getattr(var, "unit", "") or "").lower() in ("euro", "€")


def _number(text) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def _money(value: Decimal) -> str:
    return engine.format_nl(value, TYPE_MONEY)


def _value_text(rules, name: str, text: str) -> str:
    if text in ("", "(geen)"):
        return "geen waarde"
    if _is_money(rules, name) and _number(text) is not None:
        return _money(_number(text))
    unit = getattr(rules.model.variables.get(name), "unit", None)
    if unit and _number(text) is not None:
        return f"{text}%" if unit == "%" else f"{text} {unit}"
    return {"True": "ja", "False": "nee"}.get(text, text)


def output_charts(rules: engine.RuleSet, distributions: dict, series: list[tuple[str, str]],
                  prefix: str) -> list[dict]:
    """Per final output: a chart of how many cases got each value, per series; euro totals for amounts."""
    charts = []
    keys = [k for k, _ in series]
    for n, name in enumerate([o for o in final_outputs(rules.model) if o in distributions]):
        counts = {k: distributions[name].get(k, {}) for k in keys}
        labels = list(dict.fromkeys(v for k in keys for v in sorted(counts[k], key=lambda x: -counts[k][x])))
        if not labels or name in ("Reden",):
            continue
        labels.sort(key=lambda v: -max(counts[k].get(v, 0) for k in keys))
        if len(labels) <= MAX_CATEGORIES and all(_number(v) is not None for v in labels):
            labels.sort(key=_number)   # amounts and numbers read best in their own order
        rows = [{"label": _value_text(rules, name, v), **{k: counts[k].get(v, 0) for k in keys}}
                for v in labels[:MAX_CATEGORIES]]
        if len(labels) > MAX_CATEGORIES:
            rest = labels[MAX_CATEGORIES:]
            rows.append({"label": f"overige {len(rest)} waarden", **{k: sum(counts[k].get(v, 0) for v in rest)
                                                                    for k in keys}})
        totals = None
        if _is_money(rules, name):
            totals = {k: _money(sum((_number(v) or Decimal(0)) * c for v, c in counts[k].items())) for k in keys}
        caption = "aantal gevallen per uitkomst"
        charts.append({"name": name, "label": label(name), "totals": totals, "caption": caption,
                       "svg": bar_chart(label(name), rows, series, unit="aantal gevallen",
                                        chart_id=f"{prefix}-{n}")})
    return charts


def _results_dir() -> Path:
    folder = Path(current_app.instance_path) / "resultaten"
    folder.mkdir(parents=True, exist_ok=True)
    vd.forget_old(folder, RESULT_HOURS * 3600)
    return folder


def save_result(columns: list, table: list, stem: str) -> str:
    """Keep a result file (xlsx and csv) for a day; returns the token to download it."""
    token = secrets.token_hex(16)
    folder = _results_dir()
    for fmt in ("xlsx", "csv"):
        (folder / f"{token}.{fmt}").write_bytes(table_bytes(columns, table, fmt, sheet="Uitkomsten"))
    (folder / f"{token}.naam").write_text(re.sub(r"[^A-Za-z0-9._-]", "-", stem)[:80])
    return token


@bp.get("/resultaten/<token>.<fmt>")
@login_required("read")
def result_file(token, fmt):
    if not TOKEN_RE.match(token) or fmt not in ("xlsx", "csv"):
        abort(404)
    path = _results_dir() / f"{token}.{fmt}"
    if not path.exists():
        abort(404)
    stem = (_results_dir() / f"{token}.naam").read_text() if (_results_dir() / f"{token}.naam").exists() else "uitkomsten"
    mimetype = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(path.read_bytes(), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


# ------------------------------------------------------------------ impact of a new version

@bp.route("/regelsets/<seg:gemeente>/<seg:naam>/impact", methods=["GET", "POST"])
@login_required("publish")
def impact(gemeente, naam):
    service = get_service()
    name = f"{gemeente}/{naam}"
    versions = service.store.versions(name)
    if not versions:
        raise NotFound(f"Regelset {name} bestaat niet.")
    try:
        in_force = service.store.version_in_force(name, _dt.date.today()).hash
    except (NoVersionInForce, NotFound):
        in_force = versions[-1].hash
    source = request.form if request.method == "POST" else request.args
    old_ref = source.get("van") or in_force
    new_ref = source.get("naar") or next((v.hash for v in versions if v.hash != old_ref), old_ref)
    error = None
    result = None
    if request.method == "POST":
        try:
            old_v, new_v = service.store.get_version(name, old_ref), service.store.get_version(name, new_ref)
            old, new = service.load_version(old_v), service.load_version(new_v)
            uploaded = _uploaded_rows()
            if uploaded is None:
                header, rows, filename = [], example_rows(old, new), "voorbeelden"
                header = list(dict.fromkeys(k for r in rows for k in r))
            else:
                header, rows, filename = uploaded
            report = analyse_impact(old, new, rows)
            before, after = evaluate_rows(old, rows), evaluate_rows(new, rows)
            columns, table = _impact_table(new, header, rows, before, after)
            token = save_result(columns, table, f"impact-{gemeente}-{naam}")
            distributions = {n: {"before": d["before"], "after": d["after"]} for n, d in report["distribution"].items()}
            charts = output_charts(new, distributions, [("before", "Voor"), ("after", "Na")], "impact")
            result = {"report": report, "charts": charts, "token": token, "filename": filename,
                      "from": old_v, "to": new_v, "examples": uploaded is None,
                      "transitions": {label(k): v for k, v in report["transitions"].items()}}
        except (UploadRefused, CasesFileError, NotFound, engine.WorkbookError) as exc:
            error = str(exc)
    return render_template("impact.html", name=name, gemeente=gemeente, naam=naam, versions=versions,
                           old_ref=old_ref, new_ref=new_ref, in_force=in_force, error=error, result=result), \
        (400 if error else 200)


def _impact_table(rules, header, rows, before, after):
    outputs = [o for o in final_outputs(rules.model)]
    columns = ["Rij"] + header + [f"{label(o)} (voor)" for o in outputs] + [f"{label(o)} (na)" for o in outputs] + \
        ["Anders", "Regels voor", "Regels na", "Fout"]
    table = []
    for number, (row, a, b) in enumerate(zip(rows, before, after), start=2):
        va = [vd.nl_value(a["outputs"].get(o)) if not a["error"] else "" for o in outputs]
        vb = [vd.nl_value(b["outputs"].get(o)) if not b["error"] else "" for o in outputs]
        table.append([number] + [row.get(h, "") for h in header] + va + vb +
                     ["ja" if (va != vb or bool(a["error"]) != bool(b["error"])) else "nee",
                      ", ".join(a["fired"]), ", ".join(b["fired"]), a["error"] or b["error"] or ""])
    return columns, table


# ------------------------------------------------------------------ batch: a caseload through the version in force

@bp.route("/regelsets/<seg:gemeente>/<seg:naam>/batch", methods=["GET", "POST"])
@login_required("evaluate")
def batch(gemeente, naam):
    service = get_service()
    name = f"{gemeente}/{naam}"
    version, rules = service.version_in_force(name)
    error = result = None
    if request.method == "POST":
        try:
            uploaded = _uploaded_rows()
            if uploaded is None:
                raise UploadRefused("Kies een bestand met gevallen (CSV of xlsx).")
            header, rows, filename = uploaded
            columns, table, evaluated = evaluate_table(rules, header, rows)
            columns = [label(c) if c in rules.model.variables else c for c in columns]
            table = [[vd.nl_value(v) if isinstance(v, bool) else v for v in line] for line in table]
            token = save_result(columns, table, f"{filename.rsplit('.', 1)[0]}-uitkomsten")
            counts: dict = {}
            for ev in evaluated:
                if ev["error"]:
                    continue
                for o, value in ev["outputs"].items():
                    key = _plain(value)
                    counts.setdefault(o, {}).setdefault("n", {})
                    counts[o]["n"][key] = counts[o]["n"].get(key, 0) + 1
            charts = output_charts(rules, counts, [("n", "Aantal")], "batch")
            errors = [(i + 2, ev["error"]) for i, ev in enumerate(evaluated) if ev["error"]]
            result = {"cases": len(rows), "errors": errors[:20], "error_count": len(errors), "charts": charts,
                      "token": token, "filename": filename}
        except (UploadRefused, CasesFileError) as exc:
            error = str(exc)
    inputs = [v.name for v in rules.inputs]
    return render_template("batch.html", name=name, gemeente=gemeente, naam=naam, title=rules.title,
                           version=version, error=error, result=result, inputs=inputs), (400 if error else 200)


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return str(value)


# ------------------------------------------------------------------ compare two gemeenten for one case

@bp.route("/vergelijken", methods=["GET", "POST"])
@login_required("evaluate")
def compare():
    service = get_service()
    rulesets = [r for r in service.store.rulesets()]
    source = request.form if request.method == "POST" else request.args
    a, b = source.get("a") or "", source.get("b") or ""
    chosen = []
    for ref in (a, b):
        if ref:
            try:
                chosen.append((ref,) + service.version_in_force(ref))
            except (NotFound, NoVersionInForce):
                abort(404)
    fields, sides, error = [], [], None
    if len(chosen) == 2:
        seen = set()
        texts = {k: v.strip() for k, v in request.form.items() if k not in ("a", "b", "csrf_token")}
        for _, _, rules in chosen:
            for f in vd.form_fields(rules, texts):
                if f["name"] not in seen:
                    seen.add(f["name"])
                    fields.append(f)
        if request.method == "POST":
            for ref, version, rules in chosen:
                known = {v.name for v in rules.inputs}
                side = {"ruleset": ref, "title": rules.title, "gemeente": ref.split("/")[0], "version": version}
                try:
                    values = rules.coerce_text_inputs({k: v for k, v in texts.items() if k in known and v != ""})
                    res = rules.evaluate(values)
                    side.update(outputs=[o for o in vd.outputs_view(rules, res.outputs) if o["final"]],
                                explanation=res.explanation, fired=[f.as_dict() for f in res.fired])
                except (engine.InputError, engine.EvaluationError) as exc:
                    side["error"] = str(exc)
                sides.append(side)
    return render_template("compare.html", rulesets=rulesets, a=a, b=b, fields=fields, sides=sides, error=error)
