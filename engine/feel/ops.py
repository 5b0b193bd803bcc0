"""FEEL operator semantics (DMN 1.5 §10.3.2.x tables 55-60): arithmetic, comparison, paths.

Every function takes FEEL values and returns a FEEL value; a combination the spec does not
define gives None (null), never a Python exception and never Python's own semantics
(``10 * "10"``, ``10 + true`` and ``"10" ** 10`` are null). Numbers are computed in the
decimal128 context. The number + number path comes first because it is the hot one.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from . import temporal
from .temporal import FarDate, FarDateTime, Time, UTC, add_months, combine, days_between, shift_days
from .values import DECIMAL_CONTEXT, Function, Range, YearsMonths, number

_INT_LIMIT = 10 ** 34
_date = _dt.date
_datetime = _dt.datetime
_timedelta = _dt.timedelta
_ZERO = _timedelta(0)


def _isnum(v) -> bool:
    t = type(v)
    return t is int or t is Decimal


def _dec(v) -> Decimal:
    return v if type(v) is Decimal else Decimal(v)


def _num_result(r):
    """The FEEL number of an arithmetic result (a Decimal from the decimal128 context is already
    rounded and in range: only whole values become int)."""
    if type(r) is int:
        return r if -_INT_LIMIT < r < _INT_LIMIT else number(r)
    if type(r) is Decimal and r.is_finite():
        i = r.to_integral_value()
        if i == r and r.adjusted() < 34:
            return int(i)
        return r
    return number(r)


def _is_plain_date(v) -> bool:
    """A FEEL date (not a date and time), any year."""
    return type(v) is _date or isinstance(v, FarDate) or (isinstance(v, _date) and not isinstance(v, _datetime))


def _is_datetime(v) -> bool:
    return isinstance(v, (_datetime, FarDateTime))


def _is_date_like(v) -> bool:
    return isinstance(v, (_date, FarDate, FarDateTime))


_MIDNIGHT = Time(0, 0, 0)
_MIDNIGHT_UTC = Time(0, 0, 0, 0, UTC)


def _td_seconds(td: _timedelta) -> Decimal:
    """Exact seconds of a timedelta as a Decimal."""
    micros = (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds
    return Decimal(micros).scaleb(-6)


def _td_from_seconds(seconds) -> _timedelta:
    micros = int(_dec(seconds).scaleb(6).to_integral_value())
    return _timedelta(microseconds=micros)


def _as_datetime(v, utc: bool):
    """A date as midnight (UTC when the other operand has a zone), a date-time unchanged."""
    if _is_datetime(v):
        return v
    return combine(v, _MIDNIGHT_UTC if utc else _MIDNIGHT)


def _shift(v, delta: _timedelta):
    """A date or date and time moved by a days-and-time duration (a date moves from midnight)."""
    if type(v) is _datetime:
        try:
            return v + delta
        except OverflowError:
            pass
    elif type(v) is _date:
        try:
            return (_datetime(v.year, v.month, v.day) + delta).date()
        except OverflowError:
            pass
    if _is_plain_date(v):
        return shift_days(combine(v, _MIDNIGHT), delta).date()
    return shift_days(v, delta)


# ------------------------------------------------------------------ arithmetic

def add(a, b):
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        r = a + b
        return r if -_INT_LIMIT < r < _INT_LIMIT else number(r)
    if _isnum(a) and _isnum(b):
        try:
            return _num_result(DECIMAL_CONTEXT.add(_dec(a), _dec(b)))
        except ArithmeticError:
            return None
    if ta is str and tb is str:
        return a + b
    try:
        return _add_other(a, b)
    except (OverflowError, ValueError, ArithmeticError, TypeError):
        return None


def _add_other(a, b):
    if isinstance(a, (_timedelta, YearsMonths)) and not isinstance(b, (_timedelta, YearsMonths)):
        a, b = b, a  # duration + temporal is commutative
    if isinstance(b, _timedelta):
        if isinstance(a, _timedelta):
            return a + b
        if _is_date_like(a):
            return _shift(a, b)
        if isinstance(a, Time):
            return a.add_seconds(_td_seconds(b))
        return None
    if isinstance(b, YearsMonths):
        if isinstance(a, YearsMonths):
            return YearsMonths(a.months + b.months)
        if _is_date_like(a):  # date and date and time
            return add_months(a, b.months)
        return None
    return None


def sub(a, b):
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        r = a - b
        return r if -_INT_LIMIT < r < _INT_LIMIT else number(r)
    if _isnum(a) and _isnum(b):
        try:
            return _num_result(DECIMAL_CONTEXT.subtract(_dec(a), _dec(b)))
        except ArithmeticError:
            return None
    try:
        return _sub_other(a, b)
    except (OverflowError, ValueError, ArithmeticError, TypeError):
        return None


def _sub_other(a, b):
    if isinstance(b, _timedelta):
        if isinstance(a, _timedelta):
            return a - b
        if _is_date_like(a):
            return _shift(a, -b)
        if isinstance(a, Time):
            return a.add_seconds(-_td_seconds(b))
        return None
    if isinstance(b, YearsMonths):
        if isinstance(a, YearsMonths):
            return YearsMonths(a.months - b.months)
        if _is_date_like(a):
            return add_months(a, -b.months)
        return None
    if _is_date_like(a) and _is_date_like(b):
        a_zone = _is_datetime(a) and a.tzinfo is not None
        b_zone = _is_datetime(b) and b.tzinfo is not None
        a_date, b_date = _is_plain_date(a), _is_plain_date(b)
        if a_date and b_date:
            return _timedelta(days=a.toordinal() - b.toordinal())
        # a plain date counts as midnight UTC: it needs a zoned date-time on the other side
        if (a_date and not b_zone) or (b_date and not a_zone):
            return None
        if not a_date and not b_date and a_zone != b_zone:
            return None
        return days_between(_as_datetime(a, True), _as_datetime(b, True))
    if isinstance(a, Time) and isinstance(b, Time):
        if (a.tzinfo is None) != (b.tzinfo is None):
            return None
        ka, kb = a.seconds(), b.seconds()
        if a.tzinfo is not None:
            ka, kb = ka - int(a.offset().total_seconds()), kb - int(b.offset().total_seconds())
        nanos = (ka - kb) * 10 ** 9 + a.nanosecond - b.nanosecond
        return _timedelta(microseconds=nanos // 1000)
    return None


def mul(a, b):
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        r = a * b
        return r if -_INT_LIMIT < r < _INT_LIMIT else number(r)
    if _isnum(a) and _isnum(b):
        try:
            return _num_result(DECIMAL_CONTEXT.multiply(_dec(a), _dec(b)))
        except ArithmeticError:
            return None
    if _isnum(a):
        a, b = b, a
    if not _isnum(b):
        return None
    try:
        if isinstance(a, _timedelta):
            return _td_from_seconds(DECIMAL_CONTEXT.multiply(_td_seconds(a), _dec(b)))
        if isinstance(a, YearsMonths):
            return YearsMonths(int(DECIMAL_CONTEXT.multiply(Decimal(a.months), _dec(b))))
    except (OverflowError, ValueError, ArithmeticError):
        return None
    return None


def div(a, b):
    if _isnum(a) and _isnum(b):
        if not b:
            return None
        try:
            return _num_result(DECIMAL_CONTEXT.divide(_dec(a), _dec(b)))
        except ArithmeticError:
            return None
    try:
        if isinstance(a, _timedelta):
            if _isnum(b):
                return None if not b else _td_from_seconds(DECIMAL_CONTEXT.divide(_td_seconds(a), _dec(b)))
            if isinstance(b, _timedelta):
                return None if not b else _num_result(DECIMAL_CONTEXT.divide(_td_seconds(a), _td_seconds(b)))
        if isinstance(a, YearsMonths):
            if _isnum(b):
                return None if not b else YearsMonths(int(DECIMAL_CONTEXT.divide(Decimal(a.months), _dec(b))))
            if isinstance(b, YearsMonths):
                return None if not b.months else _num_result(
                    DECIMAL_CONTEXT.divide(Decimal(a.months), Decimal(b.months)))
    except (OverflowError, ValueError, ArithmeticError):
        return None
    return None


def pow(a, b):  # noqa: A001 - FEEL's **
    if not (_isnum(a) and _isnum(b)):
        return None
    try:
        if type(b) is Decimal and b == b.to_integral_value():
            b = int(b)
        if type(b) is int:
            if type(a) is int and 0 <= b <= 64 and abs(a) < 10 ** 9:
                return _num_result(a ** b)
            if a == 0 and b < 0:
                return None
            return _num_result(DECIMAL_CONTEXT.power(_dec(a), b))
        if a < 0:
            return None
        if a == 0:
            return 0 if b > 0 else None
        # non-integral exponent: exp(b * ln(a)) keeps the context's precision
        return _num_result(DECIMAL_CONTEXT.power(_dec(a), _dec(b)))
    except (ArithmeticError, ValueError, OverflowError):
        return None


def neg(a):
    t = type(a)
    if t is int:
        return -a
    if t is Decimal:
        return number(-a)
    if isinstance(a, _timedelta):
        try:
            return -a
        except OverflowError:
            return None
    if isinstance(a, YearsMonths):
        return YearsMonths(-a.months)
    return None


# ------------------------------------------------------------------ comparison

def _kind(v):
    """A tag for which values may be compared with each other."""
    t = type(v)
    if t is int or t is Decimal:
        return "number"
    if t is str:
        return "string"
    if t is bool:
        return "boolean"
    if isinstance(v, (_datetime, FarDateTime)):
        return "datetime"
    if isinstance(v, (_date, FarDate)):
        return "date"
    if isinstance(v, Time):
        return "time"
    if isinstance(v, _timedelta):
        return "dtduration"
    if isinstance(v, YearsMonths):
        return "ymduration"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "context"
    if isinstance(v, Range):
        return "range"
    if isinstance(v, Function):
        return "function"
    if isinstance(v, int):
        return "number"
    return None


def _dt_key(v):
    """(aware, comparable key at second resolution)."""
    if v.tzinfo is None:
        return False, (v.toordinal(), v.hour * 3600 + v.minute * 60 + v.second)
    return True, temporal.instant_key(v)


def _time_key(v: Time):
    off = v.offset() if v.tzinfo is not None else None
    if off is None:
        return v.tzinfo is not None and not isinstance(v.tzinfo, _dt.timezone), v.seconds()
    return True, v.seconds() - int(off.total_seconds())


def compare(a, b):
    """-1, 0 or 1 when a and b are ordered by FEEL (same comparable type), else None."""
    ka = _kind(a)
    if ka is None or ka != _kind(b):
        return None
    if ka == "date":
        a, b = a.toordinal(), b.toordinal()
    if ka in ("number", "string", "date", "ymduration", "dtduration"):
        return -1 if a < b else (1 if a > b else 0)
    if ka == "datetime":
        (za, xa), (zb, xb) = _dt_key(a), _dt_key(b)
        if za != zb:
            return None
        return -1 if xa < xb else (1 if xa > xb else 0)
    if ka == "time":
        (za, xa), (zb, xb) = _time_key(a), _time_key(b)
        if za != zb:
            return None
        return -1 if xa < xb else (1 if xa > xb else 0)
    return None


_EQ_SAME_TYPE = frozenset((int, Decimal, str, bool, _date, _timedelta, YearsMonths))
_ORDERED_SAME_TYPE = frozenset((int, Decimal, str, _date))  # plain dates: same type compares directly


def lt(a, b):
    t = type(a)
    if t is type(b) and t in _ORDERED_SAME_TYPE:
        return a < b
    c = compare(a, b)
    return None if c is None else c < 0


def le(a, b):
    t = type(a)
    if t is type(b) and t in _ORDERED_SAME_TYPE:
        return a <= b
    c = compare(a, b)
    return None if c is None else c <= 0


def gt(a, b):
    t = type(a)
    if t is type(b) and t in _ORDERED_SAME_TYPE:
        return a > b
    c = compare(a, b)
    return None if c is None else c > 0


def ge(a, b):
    t = type(a)
    if t is type(b) and t in _ORDERED_SAME_TYPE:
        return a >= b
    c = compare(a, b)
    return None if c is None else c >= 0


def eq(a, b):
    """FEEL ``=``: True/False, or None for values of different types."""
    t = type(a)
    if t is type(b) and t in _EQ_SAME_TYPE:
        return a == b
    if a is None or b is None:
        return a is None and b is None
    ka, kb = _kind(a), _kind(b)
    if ka != kb or ka is None:
        return None
    if ka in ("number", "string", "boolean", "date", "ymduration", "dtduration"):
        return a == b
    if ka == "datetime":
        (za, xa), (zb, xb) = _dt_key(a), _dt_key(b)
        if za != zb:
            return False
        return xa == xb
    if ka == "time":
        (za, xa), (zb, xb) = _time_key(a), _time_key(b)
        if za != zb:
            return False
        return xa == xb
    if ka == "list":
        if len(a) != len(b):
            return False
        unknown = False
        for x, y in zip(a, b):
            r = eq(x, y)
            if r is False:
                return False
            if r is None:
                unknown = True
        return None if unknown else True
    if ka == "context":
        if a.keys() != b.keys():
            return False
        unknown = False
        for k, x in a.items():
            r = eq(x, b[k])
            if r is False:
                return False
            if r is None:
                unknown = True
        return None if unknown else True
    if ka == "range":
        if a.start_included != b.start_included or a.end_included != b.end_included or a.operator != b.operator:
            return False
        r1, r2 = eq(a.start, b.start), eq(a.end, b.end)
        if r1 is False or r2 is False:
            return False
        return None if (r1 is None or r2 is None) else True
    if ka == "function":
        return a is b or a == b
    return None


def ne(a, b):
    r = eq(a, b)
    return None if r is None else not r


def is_same(a, b) -> bool:
    """The ``is()`` built-in: same type and same value, including the zone/offset of times."""
    if a is None or b is None:
        return a is None and b is None
    ka = _kind(a)
    if ka != _kind(b):
        return False
    if ka == "datetime":
        return a == b and a.replace(tzinfo=None) == b.replace(tzinfo=None) and \
            temporal.format_offset(a.tzinfo, a) == temporal.format_offset(b.tzinfo, b)
    if ka == "time":
        return a == b
    return eq(a, b) is True


# ------------------------------------------------------------------ paths

def _seconds_value(second: int, micro: int):
    return second if not micro else number(Decimal(second) + Decimal(micro).scaleb(-6))


def _offset_of(v):
    if v.tzinfo is None:
        return None
    off = v.utcoffset() if hasattr(v, "utcoffset") else v.offset()
    return off


def path(value, name: str):
    """``value.name``: context entries and the properties of temporal values and ranges."""
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, list):
        return [path(x, name) for x in value]
    try:
        if _is_date_like(value):
            if name == "year":
                return value.year
            if name == "month":
                return value.month
            if name == "day":
                return value.day
            if name == "weekday":
                return value.isoweekday()
            if _is_datetime(value):
                return _time_path(value, name, value.microsecond)
            return None
        if isinstance(value, Time):
            return _time_path(value, name, value.microsecond)
        if isinstance(value, _timedelta):
            secs = _td_seconds(value)
            sign = -1 if secs < 0 else 1
            whole = int(abs(secs))
            if name == "days":
                return sign * (whole // 86400)
            if name == "hours":
                return sign * (whole % 86400 // 3600)
            if name == "minutes":
                return sign * (whole % 3600 // 60)
            if name == "seconds":
                return sign * (whole % 60)
            return None
        if isinstance(value, YearsMonths):
            sign = -1 if value.months < 0 else 1
            if name == "years":
                return sign * (abs(value.months) // 12)
            if name == "months":
                return sign * (abs(value.months) % 12)
            return None
        if isinstance(value, Range):
            if name == "start":
                return value.start
            if name == "end":
                return value.end
            if name == "start included":
                return value.start_included
            if name == "end included":
                return value.end_included
            return None
    except (ValueError, OverflowError, ArithmeticError):
        return None
    return None


def _time_path(value, name, micro):
    if name == "hour":
        return value.hour
    if name == "minute":
        return value.minute
    if name == "second":
        return _seconds_value(value.second, micro)
    if name == "time offset":
        return _offset_of(value)
    if name == "timezone":
        tz = value.tzinfo
        if tz is None or isinstance(tz, _dt.timezone):
            return None
        return getattr(tz, "key", None)
    return None


# ------------------------------------------------------------------ diagnostics

_OP_DUTCH = {"+": "optellen", "-": "aftrekken", "*": "vermenigvuldigen", "/": "delen", "**": "machtsverheffen",
             "neg": "negatief maken", "=": "vergelijken", "!=": "vergelijken", "<": "vergelijken",
             "<=": "vergelijken", ">": "vergelijken", ">=": "vergelijken", "between": "vergelijken",
             "in": "vergelijken"}
_COMPARISONS = {"=", "!=", "<", "<=", ">", ">=", "between", "in"}


def null_diagnostic(op: str, a=None, b=None, expression: str | None = None):
    """The diagnostic for an operator that gave null: arithmetic (``+ - * / **``, ``neg``) undefined
    for these operands, or a comparison (``= != < <= > >= between in``) of incomparable values."""
    from .errors import Diagnostic
    from .values import dutch_type
    what = _OP_DUTCH.get(op, op)
    if op == "neg":
        return Diagnostic("arithmetic.undefined", f"Kan {dutch_type(a)} niet {what}.", expression)
    if op == "/" and _isnum(a) and _isnum(b) and not b:
        return Diagnostic("arithmetic.division_by_zero", "Delen door nul kan niet; de uitkomst is leeg (null).",
                          expression)
    if op in _COMPARISONS:
        if a is None or b is None:
            return Diagnostic("comparison.null_operand", "Vergelijken met een lege waarde (null) geeft null.",
                              expression)
        return Diagnostic("comparison.incompatible",
                          f"Een {dutch_type(a)} is niet te vergelijken met een {dutch_type(b)}; de uitkomst is "
                          f"null.", expression)
    if a is None or b is None:
        return Diagnostic("arithmetic.null_operand",
                          f"{what.capitalize()} met een lege waarde (null) geeft null.", expression)
    if _isnum(a) and _isnum(b):
        return Diagnostic("arithmetic.out_of_range",
                          f"De uitkomst van {what} valt buiten het bereik van getallen (decimal128).", expression)
    return Diagnostic("arithmetic.undefined",
                      f"{what.capitalize()} is niet gedefinieerd voor {dutch_type(a)} en {dutch_type(b)}.",
                      expression)
