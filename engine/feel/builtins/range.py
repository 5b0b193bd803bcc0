"""Range functions (DMN 1.5 §10.3.4.10, after Allen's interval algebra) and range(from)."""
from __future__ import annotations

import re

from .. import ops, temporal
from ..values import Range
from ._core import builtin, error, need


def _and(*xs):
    if any(x is False for x in xs):
        return False
    return None if any(x is None for x in xs) else True


def _or(*xs):
    if any(x is True for x in xs):
        return True
    return None if any(x is None for x in xs) else False


def _not(x):
    return None if x is None else not x


lt, gt, eq = ops.lt, ops.gt, ops.eq


def _check(a, b, fname):
    if a is None or b is None:
        raise error(f"{fname}: beide argumenten zijn nodig (niet null).", "builtin.invalid_argument")


def _point_range(p, r):
    """includes/during for a point."""
    return _or(_and(lt(r.start, p), gt(r.end, p)), _and(eq(r.start, p), r.start_included),
               _and(eq(r.end, p), r.end_included))


def _register(name, *sigs):
    def deco(fn):
        def impl(a, b):
            _check(a, b, name)
            result = fn(a, b, isinstance(a, Range), isinstance(b, Range))
            if result is NotImplemented:
                raise error(f"{name}: deze combinatie van punt en bereik kan niet.", "builtin.invalid_argument")
            return result
        builtin(name, *sigs)(impl)
        return impl
    return deco


@_register("before", "point1, point2", "point, range", "range, point", "range1, range2")
def before(a, b, ra, rb):
    if not ra and not rb:
        return lt(a, b)
    if not ra:
        return _or(lt(a, b.start), _and(eq(a, b.start), _not(b.start_included)))
    if not rb:
        return _or(lt(a.end, b), _and(eq(a.end, b), _not(a.end_included)))
    return _or(lt(a.end, b.start), _and(_or(_not(a.end_included), _not(b.start_included)), eq(a.end, b.start)))


@_register("after", "point1, point2", "point, range", "range, point", "range1, range2")
def after(a, b, ra, rb):
    if not ra and not rb:
        return gt(a, b)
    if not ra:
        return _or(gt(a, b.end), _and(eq(a, b.end), _not(b.end_included)))
    if not rb:
        return _or(gt(a.start, b), _and(eq(a.start, b), _not(a.start_included)))
    return _or(gt(a.start, b.end), _and(_or(_not(a.start_included), _not(b.end_included)), eq(a.start, b.end)))


def _ranges(ra, rb):
    return ra and rb


@_register("meets", "range1, range2")
def meets(a, b, ra, rb):
    if not _ranges(ra, rb):
        return NotImplemented
    return _and(a.end_included, b.start_included, eq(a.end, b.start))


@_register("met by", "range1, range2")
def met_by(a, b, ra, rb):
    if not _ranges(ra, rb):
        return NotImplemented
    return _and(a.start_included, b.end_included, eq(a.start, b.end))


@_register("overlaps", "range1, range2")
def overlaps(a, b, ra, rb):
    if not _ranges(ra, rb):
        return NotImplemented
    return _and(_or(gt(a.end, b.start), _and(eq(a.end, b.start), a.end_included, b.start_included)),
                _or(lt(a.start, b.end), _and(eq(a.start, b.end), a.start_included, b.end_included)))


@_register("overlaps before", "range1, range2")
def overlaps_before(a, b, ra, rb):
    if not _ranges(ra, rb):
        return NotImplemented
    return _and(_or(lt(a.start, b.start), _and(eq(a.start, b.start), a.start_included, _not(b.start_included))),
                _or(gt(a.end, b.start), _and(eq(a.end, b.start), a.end_included, b.start_included)),
                _or(lt(a.end, b.end), _and(eq(a.end, b.end), _or(_not(a.end_included), b.end_included))))


@_register("overlaps after", "range1, range2")
def overlaps_after(a, b, ra, rb):
    if not _ranges(ra, rb):
        return NotImplemented
    return _and(_or(lt(b.start, a.start), _and(eq(b.start, a.start), b.start_included, _not(a.start_included))),
                _or(gt(b.end, a.start), _and(eq(b.end, a.start), b.end_included, a.start_included)),
                _or(lt(b.end, a.end), _and(eq(b.end, a.end), _or(_not(b.end_included), a.end_included))))


@_register("finishes", "point, range", "range1, range2")
def finishes(a, b, ra, rb):
    if not rb:
        return NotImplemented
    if not ra:
        return _and(b.end_included, eq(b.end, a))
    return _and(a.end_included == b.end_included, eq(a.end, b.end),
                _or(gt(a.start, b.start), _and(eq(a.start, b.start), _or(_not(a.start_included), b.start_included))))


@_register("finished by", "range, point", "range1, range2")
def finished_by(a, b, ra, rb):
    if not ra:
        return NotImplemented
    if not rb:
        return _and(a.end_included, eq(a.end, b))
    return _and(a.end_included == b.end_included, eq(a.end, b.end),
                _or(lt(a.start, b.start), _and(eq(a.start, b.start), _or(a.start_included, _not(b.start_included)))))


@_register("includes", "range, point", "range1, range2")
def includes(a, b, ra, rb):
    if not ra:
        return NotImplemented
    if not rb:
        return _point_range(b, a)
    return _and(_or(lt(a.start, b.start), _and(eq(a.start, b.start), _or(a.start_included, _not(b.start_included)))),
                _or(gt(a.end, b.end), _and(eq(a.end, b.end), _or(a.end_included, _not(b.end_included)))))


@_register("during", "point, range", "range1, range2")
def during(a, b, ra, rb):
    if not rb:
        return NotImplemented
    if not ra:
        return _point_range(a, b)
    return _and(_or(lt(b.start, a.start), _and(eq(b.start, a.start), _or(b.start_included, _not(a.start_included)))),
                _or(gt(b.end, a.end), _and(eq(b.end, a.end), _or(b.end_included, _not(a.end_included)))))


@_register("starts", "point, range", "range1, range2")
def starts(a, b, ra, rb):
    if not rb:
        return NotImplemented
    if not ra:
        return _and(eq(b.start, a), b.start_included)
    return _and(eq(a.start, b.start), a.start_included == b.start_included,
                _or(lt(a.end, b.end), _and(eq(a.end, b.end), _or(_not(a.end_included), b.end_included))))


@_register("started by", "range, point", "range1, range2")
def started_by(a, b, ra, rb):
    if not ra:
        return NotImplemented
    if not rb:
        return _and(eq(a.start, b), a.start_included)
    return _and(eq(a.start, b.start), a.start_included == b.start_included,
                _or(lt(b.end, a.end), _and(eq(b.end, a.end), _or(_not(b.end_included), a.end_included))))


@_register("coincides", "point1, point2", "range1, range2")
def coincides(a, b, ra, rb):
    if ra != rb:
        return NotImplemented
    if not ra:
        return eq(a, b)
    return _and(eq(a.start, b.start), a.start_included == b.start_included, eq(a.end, b.end),
                a.end_included == b.end_included)


# ------------------------------------------------------------------ range(from)

_RANGE = re.compile(r"^\s*([\[(\]])\s*(.*?)\s*\.\.\s*(.*?)\s*([\])\[])\s*$", re.S)
_ENDPOINT_FUNCS = {"date": temporal.parse_date, "date and time": temporal.parse_datetime,
                   "time": temporal.parse_time, "duration": temporal.parse_duration}
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_CALL = re.compile(r'^(date and time|date|time|duration)\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)$')


def _unquote(body: str) -> str:
    return re.sub(r'\\(["\\])', r"\1", body)


def _endpoint(text: str):
    """The value of a range endpoint literal; raises on anything that is not a literal."""
    from decimal import Decimal
    from ..values import number
    if _NUMBER.match(text):
        return number(Decimal(text))
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return _unquote(text[1:-1])
    if text.startswith('@"') and text.endswith('"'):
        value = temporal.parse_temporal(_unquote(text[2:-1]))
        if value is None:
            raise error(f"range: '{text}' is geen geldige waarde.", "builtin.invalid_format")
        return value
    m = _CALL.match(text)
    if m:
        value = _ENDPOINT_FUNCS[m.group(1)](_unquote(m.group(2)))
        if value is None:
            raise error(f"range: '{text}' is geen geldige waarde.", "builtin.invalid_format")
        return value
    raise error(f"range: '{text}' is geen letterlijke waarde (getal, tekst, datum, tijd of duur).",
                "builtin.invalid_format")


@builtin("range", "from")
def range_(from_):
    need(isinstance(from_, str), "range", "from", from_, "een tekst")
    m = _RANGE.match(from_)
    if not m:
        raise error(f'range: "{from_}" is geen bereik zoals "[1..10]".', "builtin.invalid_format")
    open_, low, high, close = m.groups()
    if not low or not high:
        raise error(f'range: "{from_}" mist een begin of einde.', "builtin.invalid_format")
    start, end = _endpoint(low), _endpoint(high)
    if start is None and end is None:
        raise error("range: begin en einde zijn allebei null.", "builtin.invalid_format")
    if start is not None and end is not None:
        if ops.le(start, end) is not True:
            raise error(f'range: in "{from_}" komt het begin niet vóór het einde, of de soorten verschillen.',
                        "builtin.invalid_range")
    return Range(start, end, open_ == "[", close == "]")
