"""The plain Dutch explanation of a decision, built from the trace (never from guesswork)."""
from __future__ import annotations

import datetime as _dt
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
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _, frac = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


def explain(model: RuleSetModel, outputs: dict, fired, unmatched) -> str:
    title = model.metadata.title or model.metadata.ruleset or model.source_name or "Beslissing"
    parts = []
    shown = [f"{name} = {format_nl(value, getattr(model.variables.get(name), 'type', None))}"
             for name, value in outputs.items()]
    parts.append(f"{title}: {', '.join(shown)}." if shown else f"{title}: geen uitkomst.")
    for f in fired:
        text = f"Regel {f.rule} uit tabel '{f.table}' is toegepast"
        annotation = f.annotation[:-len(f" ({f.source})")] if f.source and f.annotation.endswith(f"({f.source})") else f.annotation
        if annotation:
            text += f": {annotation.rstrip('.')}"
        if f.source:
            text += f". Bron: {f.source}"
        parts.append(text + ".")
    for table in unmatched:
        parts.append(f"Geen regel van toepassing in tabel '{table}': deze situatie is niet in de beleidsregels "
                     "geregeld; beoordeel de aanvraag als maatwerk.")
    return " ".join(parts)
