"""Canonical JSON: one text per value, exact for Decimal, stable across databases.

The decision log hashes the JSON *text it stores*, so the text must be produced deterministically:
keys sorted, no insignificant whitespace, non-ASCII characters kept as they are. Decimal values are
written as JSON numbers with exactly their digits (``Decimal("12.50")`` -> ``12.50``), and reading
back with :func:`loads` turns every number with a fraction or exponent into a Decimal again, so
``dumps(loads(text)) == text``. Floats are accepted on input (written with ``repr``, the shortest
exact round trip) and come back as Decimal.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from decimal import Decimal
from typing import Any

_str = json.encoder.encode_basestring  # JSON string literal, non-ASCII kept (ensure_ascii=False)


def dumps(value: Any) -> str:
    """Serialise ``value`` as canonical JSON text."""
    parts: list[str] = []
    _encode(value, parts, ())
    return "".join(parts)


def loads(text: str) -> Any:
    """Parse JSON text; numbers with a fraction or exponent become Decimal."""
    return json.loads(text, parse_float=Decimal)


def _encode(value: Any, out: list[str], path: tuple) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_str(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{_where(path)}: {value} is geen eindig getal en kan niet als JSON worden opgeslagen")
        out.append(str(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{_where(path)}: {value} is geen eindig getal en kan niet als JSON worden opgeslagen")
        out.append(float.__repr__(value))
    elif isinstance(value, (_dt.datetime, _dt.date)):
        out.append(_str(value.isoformat()))
    elif isinstance(value, dict):
        items = []
        for key in value:
            if not isinstance(key, str):
                raise ValueError(f"{_where(path)}: sleutel {key!r} is geen tekst; JSON-objecten hebben tekstsleutels")
            items.append(key)
        items.sort()
        out.append("{")
        for i, key in enumerate(items):
            if i:
                out.append(",")
            out.append(_str(key))
            out.append(":")
            _encode(value[key], out, path + (key,))
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out, path + (i,))
        out.append("]")
    else:
        raise ValueError(
            f"{_where(path)}: waarde van type {type(value).__name__} kan niet als JSON worden opgeslagen"
        )


def _where(path: tuple) -> str:
    return "waarde" if not path else "veld " + "".join(f"[{p!r}]" for p in path)
