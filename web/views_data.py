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
from engine.explain import cite, final_outputs, label as _var_label, strip_files
from engine.findings import ERROR, WARNING, has_errors
from engine.inputs import describe_allowed
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
    """A long Brondocument cell shortened for a list: the document's name (never an internal file name)."""
    if not text:
        return ""
    head = re.split(r" \(|; |, vastgesteld|\. ", cite(text), maxsplit=1)[0].strip()
    if len(head) > 110:
        head = head[:107].rsplit(" ", 1)[0] + "…"
    return head


ROLE_WORDS = {"editor": "redacteur", "auditor": "auditor", "evaluator": "consulent"}
CALLER_KINDS = {"console": "console", "token": "API-koppeling", "api": "API-koppeling"}
GEMEENTE_NAMES = {"midden-holland": "Midden-Holland", "noordoostpolder": "Noordoostpolder"}


def gemeente_name(slug: str | None) -> str:
    """'midden-holland' -> 'Midden-Holland', 'kampen' -> 'Kampen'."""
    if not slug:
        return ""
    return GEMEENTE_NAMES.get(slug) or "-".join(w[:1].upper() + w[1:] for w in slug.split("-"))


def door(caller: str | None) -> str:
    """Who asked for a decision, in words: 'evaluator:anna' -> 'anna (consulent)'."""
    if not caller:
        return "onbekend"
    role, sep, name = caller.partition(":")
    if not sep:
        return caller
    if role in ROLE_WORDS:
        return f"{name} ({ROLE_WORDS[role]})"
    return f"{name} ({CALLER_KINDS.get(role, role)})"


CELL_WORDS = {"true": "ja", "false": "nee", "null": "leeg", "not(null)": "niet leeg"}


def cell_text(text: str | None) -> str:
    """A decision-table cell for people: true/false/null said as ja/nee/leeg (the FEEL stays in the download)."""
    if text is None:
        return ""
    stripped = text.strip()
    if stripped in CELL_WORDS:
        return CELL_WORDS[stripped]
    return re.sub(r"\b(true|false|null)\b", lambda m: CELL_WORDS[m.group(1)], text) if '"' not in text else text


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
            "allowed": var.allowed_text or "", "allowed_words": describe_allowed(var) if var.allowed_text else "",
            "options": [str(v) for v in var.allowed_values] if widget == "select" else [],
            "required": not var.has_default, "default": default,
            "value": texts[var.name] if var.name in texts else default,
            "error": errors.get(var.name),
        })
    return fields


def _label(name: str) -> str:
    """'AfwezigheidWerkEtmalen' -> 'Afwezigheid werk etmalen' (the variable name stays visible too)."""
    return _var_label(name)


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
        rows = [{"rule": r.id, "inputs": r.input_texts, "outputs": r.output_texts,
                 "annotation": strip_files(r.annotation), "source": cite(r.source), "cell": str(r.position),
                 "fired": (table.name, r.id) in hits}
                for r in table.rules]
        tables.append({"name": table.name, "hit_policy": table.hit_policy, "description": table.description,
                       "inputs": table.inputs, "outputs": table.outputs,
                       "labels": {n: _var_label(n) for n in [*table.inputs, *table.outputs]}, "types": types, "rows": rows,
                       "fired": [row["rule"] for row in rows if row["fired"]]})
    return tables


def outputs_view(rules: engine.RuleSet | None, outputs: dict) -> list[dict]:
    rows = []
    finals = set(final_outputs(rules.model)) if rules is not None else set(outputs)
    if rules is not None:  # the rule set's own order (the log stores keys sorted)
        order = {n: i for i, n in enumerate([*rules.model.input_names, *rules.model.output_names])}
        outputs = dict(sorted(outputs.items(), key=lambda kv: order.get(kv[0], len(order))))
    for name, value in outputs.items():
        var = rules.model.variables.get(name) if rules else None
        type_ = getattr(var, "type", None)
        text = nl_value(value, type_)
        unit = getattr(var, "unit", None) or ""
        if unit and unit.lower() not in ("euro", "eur", "€") and text != "—" and not isinstance(value, (bool, str)):
            text = f"{text}%" if unit == "%" else f"{text} {unit}"
        rows.append({"name": name, "label": _var_label(name), "value": jsonable(value), "text": text,
                     "unit": getattr(var, "unit", None) or "", "description": getattr(var, "description", "") or "",
                     "final": name in finals})
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
               report: dict, extra: dict | None = None) -> str:
    """Keep an uploaded workbook server-side by its SHA-256 (never in the session cookie)."""
    digest = hashlib.sha256(content).hexdigest()
    folder = drafts_dir(instance_path)
    _forget_old_drafts(folder)
    (folder / f"{digest}.bin").write_bytes(content)
    meta = {"sha256": digest, "ruleset": ruleset, "filename": filename, "size": len(content),
            "uploaded_by": uploaded_by,
            "uploaded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), "report": report,
            **(extra or {})}
    tmp = folder / f"{digest}.{ruleset.replace('/', '__')}.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False, default=_json_default))
    tmp.replace(folder / f"{digest}.{ruleset.replace('/', '__')}.json")
    return digest


DRAFT_DAYS = 14


def _forget_old_drafts(folder: Path) -> None:
    """Drafts are scratch work: remove those not touched for DRAFT_DAYS days."""
    forget_old(folder, DRAFT_DAYS * 86400)


def forget_old(folder: Path, seconds: float) -> None:
    """Remove the files in ``folder`` not touched for ``seconds``."""
    import time
    cutoff = time.time() - seconds
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


def publish_message(version) -> str:
    """What the editor reads after publishing, in plain Dutch (four-eyes or not)."""
    when = nl_date(version.valid_from)
    if version.status == "pending":
        return (f"Versie {version.short} wacht op goedkeuring door een andere redacteur (vier-ogenprincipe). "
                f"Na goedkeuring geldt deze versie vanaf {when}.")
    if version.status == "withdrawn":
        return f"Versie {version.short} bestond al en is ingetrokken; er is niets gepubliceerd."
    return f"Versie {version.short} is gepubliceerd en geldt vanaf {when}."


def decision_filters(args) -> tuple[dict, dict]:
    """The decision-log filters of a page's query string (regelset, van, tot, regel, id), and errors per field."""
    filters = {"ruleset": (args.get("regelset") or "").strip() or None,
               "date_from": args.get("van") or None, "date_to": args.get("tot") or None,
               "rule": (args.get("regel") or "").strip() or None,
               "decision_id": (args.get("id") or "").strip() or None}
    errors = {}
    for key, field in (("date_from", "van"), ("date_to", "tot")):
        try:
            filters[key] = parse_date(filters[key])
        except ValueError as exc:
            errors[field] = str(exc)
            filters[key] = None
    return filters, errors
