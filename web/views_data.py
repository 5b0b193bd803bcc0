"""Data behind the HTML pages that the service layer does not already give: drafts, form fields,
decision tables with fired rows marked, and Dutch formatting. Each function returns plain JSON-able
data, so a page and its JSON twin show the same thing.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import engine
from engine.findings import ERROR, WARNING, has_errors
from engine.model import NUMERIC_TYPES, TYPE_BOOLEAN, TYPE_DATE, TYPE_INTEGER, TYPE_MONEY, TYPE_NUMBER
from regelbank.diff import diff_rulesets
from regelbank.jsonout import jsonable
from store import NotFound, NoVersionInForce

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")

try:  # dates and times are shown in Dutch local time
    from zoneinfo import ZoneInfo
    LOCAL = ZoneInfo("Europe/Amsterdam")
except Exception:  # pragma: no cover - no tz database
    LOCAL = _dt.timezone.utc


# ------------------------------------------------------------------ Dutch formatting

def nl_date(value) -> str:
    """'2015-05-12' or a date -> '12-05-2015'; an ISO timestamp -> '12-05-2015 14:03' (Dutch time)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value) if "T" in value else _dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL)
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, _dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def nl_value(value, type_: str | None = None) -> str:
    """An input or output value for people: ja/nee, € 1.234,56, 1.234,5, 12-05-2015, text as is."""
    if value is None:
        return "—"
    if isinstance(value, str) and type_ == TYPE_DATE:
        return nl_date(value)
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        value = Decimal(str(value))
    return engine.format_nl(value, type_)


def source_short(text: str | None) -> str:
    """A long Brondocument cell shortened for a list: the document's name and its source file(s)."""
    if not text:
        return ""
    files = list(dict.fromkeys(re.findall(r"\d{3}_[0-9a-f]{16}\.txt", text)))
    head = re.split(r" \(|; |, vastgesteld|\. ", text, maxsplit=1)[0].strip()
    if len(head) > 110:
        head = head[:107].rsplit(" ", 1)[0] + "…"
    return head + (" — " + ", ".join(files) if files else "")


def form_text(value, type_: str | None) -> str:
    """A typed value as the text a form field holds: numbers the Dutch way (1234,5), dates ISO (date widget)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (int, float, Decimal)):
        return format(Decimal(str(value)).normalize(), "f").replace(".", ",")
    return str(value)


# ------------------------------------------------------------------ the evaluate form

def form_fields(rules: engine.RuleSet, texts: dict | None = None, errors: dict | None = None) -> list[dict]:
    """One field per input: widget by type, label, help (Omschrijving, Eenheid), default prefilled."""
    texts = texts or {}
    errors = errors or {}
    fields = []
    for var in rules.inputs:
        if var.type in NUMERIC_TYPES:
            widget = "number"
        elif var.type == TYPE_BOOLEAN:
            widget = "janee"
        elif var.type == TYPE_DATE:
            widget = "date"
        elif var.allowed_values and all(isinstance(v, str) for v in var.allowed_values):
            widget = "select"
        else:
            widget = "text"
        default = form_text(var.default, var.type) if var.has_default else ""
        fields.append({
            "name": var.name, "type": var.type, "widget": widget,
            "label": _label(var.name), "description": var.description or "", "unit": var.unit or "",
            "allowed": var.allowed_text or "",
            "options": [str(v) for v in var.allowed_values] if widget == "select" else [],
            "required": not var.has_default, "default": default,
            "value": texts[var.name] if var.name in texts else default,
            "error": errors.get(var.name),
        })
    return fields


def _label(name: str) -> str:
    """'AfwezigheidWerkEtmalen' -> 'Afwezigheid werk etmalen' (the variable name stays visible too)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).split(" ")
    if not words:
        return name
    return " ".join([words[0]] + [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]])


def parse_date(text: str | None) -> _dt.date | None:
    """A date from a form: 2015-05-12 (date input) or 12-05-2015 (typed). Raises ValueError in Dutch."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is geen datum; gebruik de vorm DD-MM-JJJJ.")


# ------------------------------------------------------------------ decision tables with fired rows

def tables_view(rules: engine.RuleSet, fired: list[dict] | None = None) -> list[dict]:
    """The rule set's decision tables as shown on a page; rows that fired are marked."""
    hits = {(f.get("table"), f.get("rule")) for f in (fired or [])}
    tables = []
    for table in rules.tables:
        types = {n: getattr(rules.model.variables.get(n), "type", None) for n in [*table.inputs, *table.outputs]}
        rows = [{"rule": r.id, "inputs": r.input_texts, "outputs": r.output_texts, "annotation": r.annotation,
                 "source": r.source, "cell": str(r.position), "fired": (table.name, r.id) in hits}
                for r in table.rules]
        tables.append({"name": table.name, "hit_policy": table.hit_policy, "description": table.description,
                       "inputs": table.inputs, "outputs": table.outputs, "types": types, "rows": rows,
                       "fired": [row["rule"] for row in rows if row["fired"]]})
    return tables


def outputs_view(rules: engine.RuleSet | None, outputs: dict) -> list[dict]:
    rows = []
    if rules is not None:  # the rule set's own order (the log stores keys sorted)
        order = {n: i for i, n in enumerate([*rules.model.input_names, *rules.model.output_names])}
        outputs = dict(sorted(outputs.items(), key=lambda kv: order.get(kv[0], len(order))))
    for name, value in outputs.items():
        var = rules.model.variables.get(name) if rules else None
        type_ = getattr(var, "type", None)
        rows.append({"name": name, "value": jsonable(value), "text": nl_value(value, type_),
                     "unit": getattr(var, "unit", None) or "", "description": getattr(var, "description", "") or ""})
    return rows


def inputs_view(rules: engine.RuleSet | None, inputs: dict) -> list[dict]:
    return outputs_view(rules, inputs)


def version_rules(service, ruleset: str, version_hash: str) -> engine.RuleSet | None:
    """The rule set exactly as it was in a given version (None when that version is gone)."""
    try:
        return service.load_version(service.store.get_version(ruleset, version_hash))
    except (NotFound, engine.WorkbookError):
        return None


# ------------------------------------------------------------------ drafts (uploaded, not published)

def drafts_dir(instance_path: str) -> Path:
    path = Path(instance_path) / "concepten"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_draft(instance_path: str, ruleset: str, content: bytes, filename: str, uploaded_by: str,
               report: dict) -> str:
    """Keep an uploaded workbook server-side by its SHA-256 (never in the session cookie)."""
    digest = hashlib.sha256(content).hexdigest()
    folder = drafts_dir(instance_path)
    _forget_old_drafts(folder)
    (folder / f"{digest}.bin").write_bytes(content)
    meta = {"sha256": digest, "ruleset": ruleset, "filename": filename, "size": len(content),
            "uploaded_by": uploaded_by,
            "uploaded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "report": report}
    tmp = folder / f"{digest}.{ruleset.replace('/', '__')}.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, default=_json_default))
    tmp.replace(folder / f"{digest}.{ruleset.replace('/', '__')}.json")
    return digest


DRAFT_DAYS = 14


def _forget_old_drafts(folder: Path) -> None:
    """Drafts are scratch work: remove those not touched for DRAFT_DAYS days."""
    import time
    cutoff = time.time() - DRAFT_DAYS * 86400
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def load_draft(instance_path: str, ruleset: str, digest: str) -> tuple[dict, bytes]:
    if not SHA256_RE.match(digest or ""):
        raise NotFound("Dit concept bestaat niet.")
    folder = drafts_dir(instance_path)
    meta_path = folder / f"{digest}.{ruleset.replace('/', '__')}.json"
    content_path = folder / f"{digest}.bin"
    if not meta_path.exists() or not content_path.exists():
        raise NotFound("Dit concept bestaat niet (meer). Upload de werkmap opnieuw.")
    return json.loads(meta_path.read_text()), content_path.read_bytes()


def _json_default(o):
    if isinstance(o, Decimal):
        return int(o) if o == o.to_integral_value() else float(o)
    if isinstance(o, (_dt.date, _dt.datetime)):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def draft_report(service, ruleset: str, content: bytes, filename: str) -> dict:
    """Validation findings, the examples sheet's outcome and the diff against the version in force."""
    findings = service.validate(content, filename, ruleset)
    report = {"findings": [f.as_dict() for f in findings],
              "errors": sum(f.severity == ERROR for f in findings),
              "warnings": sum(f.severity == WARNING for f in findings),
              "publishable": not has_errors(findings), "examples": None, "diff": None, "in_force": None,
              "metadata": None}
    try:
        rules = engine.load_bytes(content, filename)
    except engine.WorkbookError:
        return report
    report["metadata"] = rules.metadata.as_dict()
    report["examples"] = [{"id": o.example_id, "row": o.row, "passed": o.passed, "description": o.description,
                           "message": o.message,
                           "expected": {k: nl_value(v, _type(rules, k)) for k, v in o.expected.items()},
                           "actual": {k: nl_value(v, _type(rules, k)) for k, v in o.actual.items()}}
                          for o in rules.run_examples()]
    try:
        version, current = service.version_in_force(ruleset)
    except (NoVersionInForce, NotFound):
        return report
    report["in_force"] = {"hash": version.hash, "valid_from": version.valid_from.isoformat(),
                          "filename": version.filename}
    report["diff"] = jsonable(diff_rulesets(current, rules))
    return report


def _type(rules, name):
    return getattr(rules.model.variables.get(name), "type", None)
