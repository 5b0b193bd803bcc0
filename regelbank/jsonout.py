"""Engine values as JSON: exact decimals become JSON numbers with all their digits, dates ISO text.

simplejson (with ``use_decimal``) writes a Decimal as the number it is (1/3 keeps its 34 digits,
12.50 stays 12.50) and reads numbers with a fraction back as Decimal, so a value survives the
round trip through the API, the console, the decision log and the exports unchanged. The standard
library's json can only write floats, which is how 1/3 used to come out with 16 digits.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import simplejson

from engine.numbers import MAX_DIGITS


def jsonable(value):
    """Plain JSON-ready values; Decimals stay exact (whole ones become int)."""
    if isinstance(value, Decimal):
        if value.is_finite() and value == value.to_integral_value() and value.adjusted() < MAX_DIGITS:
            return int(value)
        return value
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _default(value):
    if isinstance(value, Decimal):   # as jsonable() has it, but only where a Decimal is (no copy of the tree)
        if not value.is_finite():
            raise ValueError(f"{value} is geen getal dat JSON kan bevatten")
        value = jsonable(value)
        return value if isinstance(value, int) else simplejson.RawJSON(str(value))
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time, _dt.timedelta)):
        return value.isoformat() if not isinstance(value, _dt.timedelta) else str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} kan niet als JSON worden geschreven")


_OPTIONS = {"use_decimal": False, "namedtuple_as_object": False, "default": _default}
_COMPACT = simplejson.JSONEncoder(ensure_ascii=False, separators=(",", ":"), **_OPTIONS)   # every API answer


def dumps(value, **kwargs) -> str:
    kwargs.setdefault("ensure_ascii", False)
    if kwargs == {"ensure_ascii": False, "separators": (",", ":")}:
        return _COMPACT.encode(value)          # simplejson.dumps would build an encoder per call
    return simplejson.dumps(value, **_OPTIONS, **kwargs)


def loads(text: str | bytes):
    """JSON text to values; numbers with a fraction or exponent become Decimal (exact)."""
    return simplejson.loads(text, use_decimal=True)


def read_object(raw: str | bytes, expected: str) -> dict:
    """A JSON object from a request body or a console argument; ValueError with a Dutch message.

    ``expected`` describes the object wanted. Nesting beyond the parser's recursion limit,
    integers of more than 4,300 digits, invalid UTF-8 and invalid JSON are each refused by name.
    """
    if not raw.strip():
        raise ValueError(f"Stuur een JSON-object: {expected}")
    try:
        value = loads(raw)
    except RecursionError:
        raise ValueError("De JSON is te diep genest; invoer heeft hoogstens enkele niveaus.") from None
    except UnicodeDecodeError:
        raise ValueError("De tekst is geen UTF-8; stuur JSON in UTF-8.") from None
    except ValueError as exc:
        if "digits" in str(exc):
            raise ValueError(f"Een getal heeft te veel cijfers; een getal heeft er hoogstens {MAX_DIGITS}.") from None
        where = f" (regel {exc.lineno}, kolom {exc.colno})" if hasattr(exc, "lineno") else ""
        raise ValueError(f"Dit is geen geldige JSON{where}; stuur een JSON-object: {expected}") from None
    if not isinstance(value, dict):
        raise ValueError(f"Stuur een JSON-object: {expected}")
    return value
