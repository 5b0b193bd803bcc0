"""Reports for the council and exports for auditors, from the decision log.

Policy staff see counts of decisions per rule set, per outcome, per fired row and per month (the
indicators for horizontal accountability the Noordoostpolder plan asks for), as charts and as
CSV/xlsx. Auditors export the filtered decision log. Every text cell that a spreadsheet could read
as a formula is written as text (prefixed with ').
"""
from __future__ import annotations

import datetime as _dt
import json
from collections import Counter

from flask import Blueprint, Response, render_template, request

from engine.explain import label
from regelbank.audit_view import iter_decisions, table_bytes

from . import views_data as vd
from .auth import login_required
from .charts import bar_chart
from .db import get_service

bp = Blueprint("reports", __name__)
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_EXPORT = 200_000


def _filters() -> tuple[dict, dict]:
    return vd.decision_filters(request.args)


def _outcome(record: dict) -> str:
    """One outcome per decision for counting: the first final yes/no or text output, in words."""
    outputs = record.get("outputs") or {}
    for key in ("Toegekend", "Besluit", "Bouwsteen", "Product", "Voorziening", "Uitkomst"):
        if key in outputs:
            return f"{label(key)}: {vd.nl_value(outputs[key])}"
    for key, value in outputs.items():
        if isinstance(value, bool) and key != "Richtlijn":
            return f"{label(key)}: {vd.nl_value(value)}"
    return "geen regel van toepassing" if not record.get("decided", True) else "overig"


def indicators(store, filters: dict) -> dict:
    per_ruleset, per_outcome, per_rule, per_month = Counter(), Counter(), Counter(), Counter()
    total = 0
    for record in iter_decisions(store, **filters):
        total += 1
        ruleset = record.get("ruleset") or "?"
        per_ruleset[ruleset] += 1
        per_outcome[(ruleset, _outcome(record))] += 1
        for f in record.get("fired") or []:
            per_rule[(ruleset, f"{f.get('rule')} ({f.get('table')})")] += 1
        per_month[(record.get("created_at") or "")[:7]] += 1
    return {"total": total,
            "per_ruleset": [{"key": k, "count": n} for k, n in per_ruleset.most_common()],
            "per_outcome": [{"ruleset": r, "key": o, "count": n} for (r, o), n in per_outcome.most_common()],
            "per_rule": [{"ruleset": r, "key": o, "count": n} for (r, o), n in per_rule.most_common()],
            "per_month": [{"key": m, "count": per_month[m]} for m in sorted(per_month)]}


MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


def _month(key: str) -> str:
    try:
        year, month = key.split("-")
        return f"{MONTHS[int(month) - 1]} {year}"
    except (ValueError, IndexError):
        return key


@bp.get("/rapportages")
@login_required("read")
def report():
    store = get_service().store
    filters, errors = _filters()
    data = indicators(store, filters)
    titles = {r["ruleset"]: r["title"] for r in get_service().overview()}
    charts = []
    if data["total"]:
        charts.append(("Beslissingen per regelset", bar_chart(
            "Beslissingen per regelset", [{"label": f"{vd.gemeente_name(r['key'].split('/')[0])}: "
                                                     f"{titles.get(r['key'], r['key'])}", "n": r["count"]}
                                          for r in data["per_ruleset"][:15]], [("n", "Beslissingen")],
            unit="aantal beslissingen", chart_id="per-regelset")))
        charts.append(("Beslissingen per maand", bar_chart(
            "Beslissingen per maand", [{"label": _month(m["key"]), "n": m["count"]} for m in data["per_month"]],
            [("n", "Beslissingen")], unit="aantal beslissingen", chart_id="per-maand")))
        outcome_rows = [{"label": (f"{o['key']} ({titles.get(o['ruleset'], o['ruleset'])})"
                                   if not filters["ruleset"] else o["key"]), "n": o["count"]}
                        for o in data["per_outcome"][:15]]
        charts.append(("Beslissingen per uitkomst", bar_chart("Beslissingen per uitkomst", outcome_rows,
                                                                [("n", "Beslissingen")], unit="aantal beslissingen",
                                                                chart_id="per-uitkomst")))
        rule_rows = [{"label": r["key"] if filters["ruleset"] else f"{r['key']}, {r['ruleset']}", "n": r["count"]}
                     for r in data["per_rule"][:15]]
        charts.append(("Toegepaste regels (vaakst)", bar_chart("Toegepaste regels", rule_rows, [("n", "Keer toegepast")],
                                                               unit="aantal keer toegepast", chart_id="per-regel")))
    return render_template("reports.html", data=data, charts=charts, errors=errors, args=request.args,
                           rulesets=store.rulesets(), titles=titles)


@bp.get("/rapportages/indicatoren.<fmt>")
@login_required("read")
def report_file(fmt):
    if fmt not in MIMETYPES:
        return Response("Onbekend formaat: kies csv of xlsx.", status=404)
    filters, _ = _filters()
    data = indicators(get_service().store, filters)
    rows = [["Per regelset", r["key"], "", r["count"]] for r in data["per_ruleset"]]
    rows += [["Per uitkomst", o["ruleset"], o["key"], o["count"]] for o in data["per_outcome"]]
    rows += [["Per toegepaste regel", r["ruleset"], r["key"], r["count"]] for r in data["per_rule"]]
    rows += [["Per maand", "", _month(m["key"]), m["count"]] for m in data["per_month"]]
    content = table_bytes(["Indicator", "Regelset", "Waarde", "Aantal beslissingen"], rows, fmt, sheet="Indicatoren")
    return Response(content, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="indicatoren-{_dt.date.today()}.{fmt}"'})


EXPORT_COLUMNS = ["Volgnummer", "Beslissing", "Vastgelegd (UTC)", "Door", "Regelset", "Versie", "Geldig vanaf",
                  "Peildatum", "Invoer", "Uitkomst", "Toegepaste regels", "Motivering", "Loghash"]


@bp.get("/beslissingen/export.<fmt>")
@login_required("audit")
def export_log(fmt):
    if fmt not in MIMETYPES:
        return Response("Onbekend formaat: kies csv of xlsx.", status=404)
    filters, _ = _filters()
    rows = []
    for record in iter_decisions(get_service().store, **filters):
        rows.append([record.get("seq"), record.get("decision_id"), record.get("created_at"),
                     vd.door(record.get("caller")), record.get("ruleset"), record.get("version"),
                     record.get("valid_from"), record.get("as_of"),
                     json.dumps(record.get("inputs"), ensure_ascii=False, sort_keys=True),
                     json.dumps(record.get("outputs"), ensure_ascii=False, sort_keys=True),
                     ", ".join(f"{f.get('rule')} ({f.get('table')})" for f in record.get("fired") or []),
                     record.get("explanation"), record.get("hash")])
        if len(rows) >= MAX_EXPORT:
            break
    content = table_bytes(EXPORT_COLUMNS, rows, fmt, sheet="Beslissingen")
    return Response(content, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="beslissingenlog-{_dt.date.today()}.{fmt}"'})
