"""The FEEL value model (see FEEL_CONTRACT.md).

null ``None``; boolean ``bool``; string ``str``; number ``int`` (whole, at most 34 digits) or
``Decimal`` (decimal128 context); date ``datetime.date``; date and time ``datetime.datetime``;
time ``temporal.Time``; days-and-time duration ``timedelta``; years-and-months duration
``YearsMonths``; list ``list``; context ``dict``; range ``Range``; function ``Function``.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import (Context, Decimal, DivisionByZero, InvalidOperation, Overflow, ROUND_HALF_EVEN)
from typing import Any


DECIMAL_PRECISION = 34  # DMN numbers are IEEE 754 decimal128
DECIMAL_CONTEXT = Context(prec=DECIMAL_PRECISION, rounding=ROUND_HALF_EVEN, Emax=6144, Emin=-6143,
                          traps=[InvalidOperation, DivisionByZero, Overflow])
_INT_LIMIT = 10 ** DECIMAL_PRECISION


def is_number(value) -> bool:
    """True for FEEL numbers (int or Decimal, never bool)."""
    t = type(value)
    return t is int or t is Decimal or (isinstance(value, (int, Decimal)) and not isinstance(value, bool))


def number(value):
    """Normalise a number: whole values of at most 34 digits become int, others a decimal128
    Decimal. Values out of the decimal128 range (or NaN/infinite) become None. Never builds a
    huge Python int (``Decimal('1e999999')`` stays cheap)."""
    if isinstance(value, bool) or value is None:
        return value
    if type(value) is int:
        if -_INT_LIMIT < value < _INT_LIMIT:
            return value
        try:
            return DECIMAL_CONTEXT.create_decimal(value)
        except ArithmeticError:
            return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        if value.is_zero():
            return 0
        try:
            value = DECIMAL_CONTEXT.plus(value)
        except ArithmeticError:
            return None
        adjusted = value.adjusted()
        if adjusted > 6144:
            return None
        if adjusted < -6143 - DECIMAL_PRECISION:
            return 0
        if adjusted < DECIMAL_PRECISION and value == value.to_integral_value():
            return int(value)
        return value
    if isinstance(value, int):  # int subclass (not bool)
        return number(int(value))
    return value


def to_decimal(value) -> Decimal:
    return value if type(value) is Decimal else Decimal(value)


@dataclass(frozen=True, order=True)
class YearsMonths:
    """A FEEL years-and-months duration, compared by its total number of months."""
    months: int

    def __str__(self) -> str:
        if self.months == 0:
            return "P0M"
        sign = "-" if self.months < 0 else ""
        years, months = divmod(abs(self.months), 12)
        text = f"{sign}P"
        if years:
            text += f"{years}Y"
        if months:
            text += f"{months}M"
        return text

    @property
    def years(self) -> int:
        return int(self.months / 12)


@dataclass(frozen=True)
class Range:
    """A FEEL range ``[start..end]``; an open end (``> 5``) has start or end None.

    ``operator`` is None for the bracket forms and "<", "<=", ">", ">=", "=" or "!=" for a range
    written as a unary comparison (``< 10``): DMN 1.5 makes ``(< 10) = (null..10)`` false, so the
    form takes part in equality (TCK 0068 range_006..012)."""
    start: Any
    end: Any
    start_included: bool = True
    end_included: bool = True
    operator: str | None = None

    def contains(self, value):
        """True/False whether value lies in the range; None when not comparable."""
        from .ops import eq, lt, le, ne
        if value is None:
            return None
        if self.operator in ("=", "!="):
            return (eq if self.operator == "=" else ne)(value, self.start if self.start is not None else self.end)
        if self.start is not None:
            ok = le(self.start, value) if self.start_included else lt(self.start, value)
            if not ok:
                return ok
        if self.end is not None:
            ok = le(value, self.end) if self.end_included else lt(value, self.end)
            if not ok:
                return ok
        return True


class Function:
    """Base class of FEEL function values (built-in and user-defined)."""
    name: str = "anonymous"
    params: tuple = ()

    def invoke(self, args: list, named: dict | None = None, ctx=None):  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<function {self.name}({', '.join(self.params)})>"


def type_name(value) -> str:
    """The FEEL type name of a value, as used by ``instance of`` and in messages."""
    from . import temporal
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if temporal.is_datetime(value):
        return "date and time"
    if temporal.is_date(value):
        return "date"
    if isinstance(value, temporal.Time):
        return "time"
    if isinstance(value, _dt.timedelta):
        return "days and time duration"
    if isinstance(value, YearsMonths):
        return "years and months duration"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "context"
    if isinstance(value, Range):
        return "range"
    if isinstance(value, Function):
        return "function"
    return type(value).__name__


# Dutch names of the types, for messages read by policy staff.
DUTCH_TYPE_NAMES = {
    "Null": "null", "boolean": "waar/onwaar", "number": "getal", "string": "tekst", "date": "datum",
    "date and time": "datum en tijd", "time": "tijd", "days and time duration": "duur (dagen/tijd)",
    "years and months duration": "duur (jaren/maanden)", "list": "lijst", "context": "context",
    "range": "bereik", "function": "functie",
}


def dutch_type(value) -> str:
    name = type_name(value)
    return DUTCH_TYPE_NAMES.get(name, name)
