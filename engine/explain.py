"""The plain Dutch explanation of a decision, built from the trace (never from guesswork)."""
from __future__ import annotations

import datetime as _dt
import functools
import re
from decimal import Decimal

from . import feel
from .model import TYPE_MONEY, RuleSetModel


def format_nl(value, type_: str | None = None) -> str:
    """A value as a Dutch reader expects it: ja/nee, 1.234,56, € 3.150,00, 12-05-2015."""
    if value is None:
        return "geen waarde"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return "[" + ", ".join(format_nl(v, type_) for v in value) + "]"
    if feel.is_number(value):
        if type_ == TYPE_MONEY:
            return "€ " + _group(Decimal(value).quantize(Decimal("0.01")))
        return _group(Decimal(value))
    if isinstance(value, _dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


def _group(value: Decimal) -> str:
    if value and value.adjusted() >= 34:
        # beyond 34 digits (decimal128 goes to 10^6144): scientific, never a 5,000-digit number
        mantissa, _, exponent = f"{value.normalize():E}".partition("E")
        return f"{mantissa.replace('.', ',')} × 10^{int(exponent)}"
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _, frac = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


# Source documents by file name (../shared/seeds/): a person reads the title, never the file name.
# The titles are those on the documents' first lines (tests/test_explain.py checks them against the seeds).
DOCUMENT_TITLES = {
    "000_54ae8ee573256017.txt": "Handleiding Wmo-ondersteuning voor volwassenen in Almere, versie 1 mei 2018",
    "001_658ef4532d1c52ba.txt": "Beleidsregels maatwerkvoorzieningen in het kader van de Wet maatschappelijke "
                                "ondersteuning 2015 en voorzieningen in het kader van de Jeugdwet (Almere, 2019)",
    "002_bd28c37ee88cfa09.txt": "Deelplan Wet maatschappelijke ondersteuning, Beleidsplan sociaal domein 2015 - 2018, "
                                "gemeente Noordoostpolder",
    "003_be52d6ecc0674bec.txt": "Beleidsregels Wet maatschappelijke ondersteuning gemeente Kampen 2015",
    "004_2f97d14a6c4af3f7.txt": "Handleiding begeleiding, dagbesteding en kortdurend verblijf MH, versie 2.0, "
                                "29 april 2016 (regio Midden-Holland)",
}
_FILE_RE = re.compile(r"\b(\d{3}_[0-9a-f]{16}\.txt)\b")
_FILE_PAREN_RE = re.compile(r"\s*\((?:bron(?:bestand)?:?\s*)?\d{3}_[0-9a-f]{16}\.txt(?:,\s*\d{3}_[0-9a-f]{16}\.txt)*\)")


def document_title(filename: str) -> str:
    """The title of a source document named by its file name ('003_be52d6ecc0674bec.txt')."""
    return DOCUMENT_TITLES.get(filename, "het brondocument")


@functools.lru_cache(maxsize=4096)
def cite(source: str | None) -> str:
    """A Bron cell as a person reads it: the document's title and section, without internal file names.

    '..., §3.2.12 i.4 (003_be52d6ecc0674bec.txt)' -> '..., §3.2.12 i.4'; a citation that is only a file
    name ('003_be52d6ecc0674bec.txt §9') becomes the document's title ('Beleidsregels ... Kampen 2015 §9')."""
    if not source:
        return ""
    parts = []
    for part in re.split(r";\s*", source):
        stripped = _FILE_PAREN_RE.sub("", part).strip()
        if _FILE_RE.search(stripped):  # a file name used as the document's name
            stripped = _FILE_RE.sub(lambda m: document_title(m.group(1)), stripped)
        elif not re.search(r"[A-Za-z]{4,}", stripped.replace("§", "")):
            files = _FILE_RE.findall(part)
            if files:  # only a section was left: put the title back in front of it
                stripped = f"{document_title(files[0])}{', ' + stripped if stripped else ''}"
        if stripped:
            parts.append(stripped.rstrip(" .,"))
    return "; ".join(dict.fromkeys(parts))


@functools.lru_cache(maxsize=4096)
def strip_files(text: str | None) -> str:
    """Free text (a Toelichting) without internal file names."""
    if not text:
        return ""
    text = _FILE_PAREN_RE.sub("", text)
    return _FILE_RE.sub(lambda m: document_title(m.group(1)), text)


@functools.lru_cache(maxsize=4096)
def label(name: str) -> str:
    """'AfwezigheidWerkEtmalen' -> 'Afwezigheid werk etmalen', 'KeuringskostenRDW' -> 'Keuringskosten RDW'."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name).replace("_", " ")
    words = spaced.split()
    if not words:
        return name
    return " ".join([words[0]] + [w if (w.isupper() and len(w) > 1) else w.lower() for w in words[1:]])


@functools.lru_cache(maxsize=4096)
def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if (first.isupper() and len(first) > 1) else text[:1].lower() + text[1:]


def with_unit(value, var) -> str:
    """A value with its unit for a sentence: '€ 3.150,00', '60%', '5 jaar', 'ja', 'VG'."""
    type_ = getattr(var, "type", None)
    unit = (getattr(var, "unit", None) or "").strip()
    if isinstance(value, str) and not isinstance(value, bool):
        return value
    if unit.lower() in ("euro", "eur", "€") and feel.is_number(value) and not isinstance(value, bool):
        return format_nl(value, TYPE_MONEY)
    text = format_nl(value, type_)
    if value is None or isinstance(value, bool) or not unit or type_ == TYPE_MONEY or "score" in unit.lower():
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


REASON_NAMES = ("Reden", "Motivering", "Toelichting", "Uitleg")


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def final_outputs(model: RuleSetModel) -> list[str]:
    """Outputs that are the decision itself: not read again by a table's inputs or by a cell's expression
    elsewhere (those are tussenuitkomsten)."""
    cached = getattr(model, "_final_outputs", None)
    if cached is not None:
        return cached
    outputs = set(model.output_names)
    consumed = {name for table in model.tables for name in table.inputs}
    for table in model.tables:
        for rule in table.rules:
            for column, cell in [*zip(table.inputs, rule.input_texts), *zip(table.outputs, rule.output_texts)]:
                if cell and not cell.startswith('"'):
                    consumed.update(n for n in _NAME_RE.findall(cell) if n in outputs and n != column)
    result = [name for name in model.output_names if name not in consumed]
    try:
        model._final_outputs = result
    except AttributeError:  # pragma: no cover - a frozen model: just recompute next time
        pass
    return result


def explain(model: RuleSetModel, outputs: dict, fired, unmatched, inputs: dict | None = None) -> str:
    """The motivering: what was decided, on which facts, by which rules of which policy document.

    Full Dutch sentences a consulent can paste into a beschikking; no variable or file names."""
    title = model.metadata.title or model.metadata.ruleset or model.source_name or "de regels"
    variables = model.variables
    paragraphs = []

    # 1. what was decided
    finals = [n for n in final_outputs(model) if n in outputs] or list(outputs)
    reasons = [outputs[n] for n in finals if n in REASON_NAMES and isinstance(outputs.get(n), str) and outputs[n]]
    guideline = "Richtlijn" in finals and outputs.get("Richtlijn") is True
    shown = [f"{_lower_first(label(n))}: {with_unit(outputs[n], variables.get(n))}" for n in finals
             if n not in REASON_NAMES and n != "Richtlijn" and outputs.get(n) is not None]
    first = [f"Beoordeeld met de regels '{title}'."]
    first += [_sentence(r) for r in reasons]
    if shown:
        first.append(_sentence("De uitkomst is: " + "; ".join(shown)))
    elif not reasons:
        first.append("Er is geen uitkomst.")
    if guideline:
        first.append("Deze uitkomst is een richtlijn: de beleidsregels laten ruimte om gemotiveerd af te wijken.")
    paragraphs.append(" ".join(first))

    # 2. on which facts
    if inputs:
        known = set(model.input_names)
        facts = [f"{_lower_first(label(n))} {with_unit(v, variables.get(n))}" for n, v in inputs.items()
                 if n in known and v is not None]
        if facts:
            paragraphs.append(_sentence("Daarbij is uitgegaan van deze gegevens: " + _join(facts)))

    # 3. by which rules, citing each document once per run of rows that rest on it
    rules_text = []
    group: list[str] = []
    group_source = None

    def close_group():
        if group:
            sentence = " ".join(group)
            if group_source:
                sentence += (" Deze regel berust op " if len(group) == 1 else " Deze regels berusten op ") \
                    + cite(group_source) + "."
            rules_text.append(sentence)

    for f in fired:
        annotation = f.annotation
        if f.source and annotation.endswith(f"({f.source})"):
            annotation = annotation[:-len(f" ({f.source})")]
        annotation = strip_files(annotation).strip().rstrip(".")
        text = f"Regel {f.rule} uit de tabel '{f.table}' is toegepast" + (f": {_lower_first(annotation)}." if annotation else ".")
        if f.source != group_source:
            close_group()
            group, group_source = [], f.source
        group.append(text)
    close_group()
    paragraphs.extend(rules_text)
    for table in unmatched:
        paragraphs.append(f"Geen regel van toepassing in de tabel '{table}': deze situatie is niet in de "
                          "beleidsregels geregeld; beoordeel de aanvraag als maatwerk.")
    return "\n\n".join(paragraphs)
