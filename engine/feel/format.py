"""Printing FEEL values: as FEEL literal text (messages, DMN export, diffs, TCK runner) and as
the result of the ``string()`` built-in."""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from . import temporal
from .temporal import Time
from .values import Function, Range, YearsMonths


def number_text(value) -> str:
    """A number without exponent notation where reasonable (1E+3 -> 1000, 0.10 -> 0.1)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if type(value) is int or (isinstance(value, int)):
        return str(value)
    d = value if isinstance(value, Decimal) else Decimal(value)
    if not d.is_finite():
        return "null"
    if d == d.to_integral_value() and d.adjusted() < 40:
        return str(int(d))
    n = d.normalize()
    if -40 < n.adjusted() < 40:
        return format(n, "f")
    return str(n)


def _string_key(key: str) -> str:
    """A context key as FEEL text: bare when it is a simple name, quoted otherwise."""
    if key and (key[0].isalpha() or key[0] == "_") and all(c.isalnum() or c in "_ " for c in key) \
            and not key.endswith(" ") and key not in ("true", "false", "null"):
        return key
    return quote(key)


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") \
        .replace("\t", "\\t") + '"'


def temporal_text(value) -> str | None:
    """ISO text of a temporal value (what string() gives), or None for other values."""
    if temporal.is_datetime(value):
        return temporal.format_datetime(value)
    if temporal.is_date(value):
        return temporal.format_date(value)
    if isinstance(value, Time):
        return temporal.format_time(value)
    if isinstance(value, _dt.timedelta):
        return temporal.format_days_time(value)
    if isinstance(value, YearsMonths):
        return str(value)
    return None


def feel_literal(value) -> str:
    """A value as FEEL literal text that evaluates back to the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return number_text(value)
    if isinstance(value, str):
        return quote(value)
    if temporal.is_datetime(value):
        return f'date and time("{temporal.format_datetime(value)}")'
    if temporal.is_date(value):
        return f'date("{temporal.format_date(value)}")'
    if isinstance(value, Time):
        return f'time("{temporal.format_time(value)}")'
    if isinstance(value, (_dt.timedelta, YearsMonths)):
        return f'duration("{temporal_text(value)}")'
    if isinstance(value, list):
        return "[" + ", ".join(feel_literal(x) for x in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string_key(str(k))}: {feel_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Range):
        return range_text(value, feel_literal)
    if isinstance(value, Function):
        return f"function({', '.join(value.params)})"
    return str(value)


def range_text(r: Range, item=feel_literal) -> str:
    if r.operator in ("=", "!="):
        return f"{r.operator}{item(r.start if r.start is not None else r.end)}"
    if r.start is None and r.end is not None:
        return ("<= " if r.end_included else "< ") + item(r.end)
    if r.end is None and r.start is not None:
        return (">= " if r.start_included else "> ") + item(r.start)
    return ("[" if r.start_included else "(") + item(r.start) + ".." + item(r.end) + \
        ("]" if r.end_included else ")")


def to_string(value) -> str | None:
    """The ``string(from)`` built-in: null stays null, strings stay as they are, others as text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return number_text(value)
    text = temporal_text(value)
    if text is not None:
        return text
    if isinstance(value, list):
        return "[" + ", ".join(_inner(x) for x in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inner(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Range):
        return range_text(value, _inner)
    return feel_literal(value)


def _inner(value) -> str:
    if isinstance(value, str):
        return quote(value)
    return "null" if value is None else to_string(value)


def format_value(value) -> str:
    """A value as FEEL text (for Dutch-facing messages, DMN export and diffs)."""
    return feel_literal(value)
