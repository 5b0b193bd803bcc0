"""Conversion functions (DMN 1.5 §10.3.4.1): date, date and time, time, number, string,
duration, years and months duration."""
from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation

from .. import temporal
from ..format import to_string
from ..temporal import Time, UTC
from ..values import YearsMonths, number as _number
from ._core import builtin, error, is_num, need


def _bad_text(fname, text, what):
    return error(f'{fname}: "{text}" is geen geldige {what}.', "builtin.invalid_format")


@builtin("date", "from", "year, month, day")
def date(*args):
    if len(args) == 1:
        (value,) = args
        if isinstance(value, str):
            d = temporal.parse_date(value)
            if d is None:
                raise _bad_text("date", value, "datum (verwacht JJJJ-MM-DD)")
            return d
        if temporal.is_datetime(value):
            return value.date()
        if temporal.is_date(value):
            return value
        need(False, "date", "from", value, "een tekst, datum of datum en tijd")
    year, month, day = args
    for name, v in (("year", year), ("month", month), ("day", day)):
        need(is_num(v), "date", name, v, "een getal")
    try:
        if abs(year) > 999999999:
            raise ValueError(year)
        return temporal.make_date(int(year), int(month), int(day))
    except (ValueError, OverflowError):
        raise error(f"date: {year}-{month}-{day} is geen bestaande datum.", "builtin.invalid_date") from None


@builtin("date and time", "from", "date, time")
def date_and_time(*args):
    if len(args) == 1:
        (value,) = args
        if isinstance(value, str):
            dt = temporal.parse_datetime(value)
            if dt is None:
                raise _bad_text("date and time", value, "datum en tijd (verwacht JJJJ-MM-DDTuu:mm:ss)")
            return dt
        if temporal.is_datetime(value):
            return value
        if temporal.is_date(value):
            return temporal.combine(value, Time(0, 0, 0))
        need(False, "date and time", "from", value, "een tekst")
    d, t = args
    need(temporal.is_date_like(d), "date and time", "date", d, "een datum of datum en tijd")
    need(isinstance(t, Time), "date and time", "time", t, "een tijd")
    try:
        return temporal.combine(d, t)
    except (ValueError, OverflowError):
        raise error("date and time: deze datum en tijd bestaat niet.", "builtin.invalid_date") from None


@builtin("time", "from", "hour, minute, second, offset?")
def time(*args):
    if len(args) == 1:
        (value,) = args
        if isinstance(value, str):
            t = temporal.parse_time(value)
            if t is None:
                raise _bad_text("time", value, "tijd (verwacht uu:mm:ss)")
            return t
        if isinstance(value, Time):
            return value
        if temporal.is_datetime(value):
            return Time(value.hour, value.minute, value.second, temporal.nanosecond_of(value), value.tzinfo)
        if temporal.is_date(value):
            return Time(0, 0, 0, 0, UTC)
        need(False, "time", "from", value, "een tekst, tijd of datum en tijd")
    hour, minute, second = args[:3]
    offset = args[3] if len(args) > 3 else None
    for name, v in (("hour", hour), ("minute", minute), ("second", second)):
        need(is_num(v), "time", name, v, "een getal")
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60) or hour != int(hour) or minute != int(minute):
        raise error(f"time: {hour}:{minute}:{second} is geen bestaande tijd.", "builtin.invalid_time")
    tz = None
    if offset is not None:
        need(isinstance(offset, _dt.timedelta), "time", "offset", offset, "een duur (dagen en tijd)")
        if abs(offset) > _dt.timedelta(hours=18):
            raise error("time: de verschuiving mag hoogstens 18 uur zijn.", "builtin.invalid_time")
        tz = UTC if not offset else _dt.timezone(offset)
    whole = int(second)
    nanos = int((Decimal(second) - whole) * 10 ** 9)
    return Time(int(hour), int(minute), whole, nanos, tz)


_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@builtin("number", "from", "from, grouping separator, decimal separator")
def number(from_, grouping=None, decimal_sep=None):
    need(isinstance(from_, str), "number", "from", from_, "een tekst")
    if grouping is not None and grouping not in (" ", ",", "."):
        raise error("number: het groeperingsteken moet een spatie, komma of punt zijn.", "builtin.invalid_argument")
    if decimal_sep is not None and decimal_sep not in (",", "."):
        raise error("number: het decimaalteken moet een komma of punt zijn.", "builtin.invalid_argument")
    if grouping is not None and grouping == decimal_sep:
        raise error("number: groeperingsteken en decimaalteken moeten verschillen.", "builtin.invalid_argument")
    text = from_.strip()
    if grouping:
        text = text.replace(grouping, "")
    if decimal_sep and decimal_sep != ".":
        if "." in text:
            raise _bad_text("number", from_, "getal")
        text = text.replace(decimal_sep, ".")
    if not _NUMBER_TEXT.match(text):
        raise _bad_text("number", from_, "getal")
    try:
        result = _number(Decimal(text))
    except InvalidOperation:
        raise _bad_text("number", from_, "getal") from None
    if result is None:
        raise error(f"number: {from_} valt buiten het bereik van getallen.", "builtin.out_of_range")
    return result


@builtin("string", "from")
def string(from_):
    return to_string(from_)


@builtin("duration", "from")
def duration(from_):
    need(isinstance(from_, str), "duration", "from", from_, "een tekst")
    d = temporal.parse_duration(from_)
    if d is None:
        raise _bad_text("duration", from_, "duur (bijvoorbeeld P3D, PT2H of P1Y6M)")
    return d


@builtin("years and months duration", "from, to")
def years_and_months_duration(from_, to):
    need(temporal.is_date_like(from_), "years and months duration", "from", from_, "een datum")
    need(temporal.is_date_like(to), "years and months duration", "to", to, "een datum")
    return YearsMonths(temporal.months_between(from_, to))
