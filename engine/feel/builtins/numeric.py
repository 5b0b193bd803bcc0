"""Numeric functions (DMN 1.5 §10.3.4.5): decimal, floor, ceiling, round *, abs, modulo, sqrt,
log, exp, odd, even."""
from __future__ import annotations

import datetime as _dt
from decimal import (Context, Decimal, ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_EVEN,
                     ROUND_HALF_UP, ROUND_UP)

from ..values import DECIMAL_CONTEXT, YearsMonths, number
from ._core import builtin, error, is_num, need, need_num

_MIN_SCALE, _MAX_SCALE = -6111, 6176


def _scale(scale, fname):
    need(is_num(scale), fname, "scale", scale, "een getal")
    if not _MIN_SCALE <= scale < _MAX_SCALE + 1:
        raise error(f"{fname}: 'scale' moet tussen {_MIN_SCALE} en {_MAX_SCALE} liggen, niet {scale}.",
                    "builtin.scale_out_of_range")
    return int(scale)


def round_to(n, scale: int, mode):
    """n rounded to `scale` decimal places with a decimal rounding mode; never raises
    decimal.InvalidOperation (a scale beyond the digits of n leaves n unchanged)."""
    d = n if type(n) is Decimal else Decimal(n)
    if d.as_tuple().exponent >= -scale:
        return number(d)
    result = d.quantize(Decimal(1).scaleb(-scale), rounding=mode, context=_WIDE)
    return number(result) if scale <= 0 else _keep_scale(result)


_WIDE = Context(prec=6200, Emax=999999, Emin=-999999, traps=[])


def _keep_scale(d: Decimal):
    """A rounded value keeps its digits after the point (decimal(0.0, 1) is 0.0), unless whole."""
    if d.is_zero() and d.as_tuple().exponent < 0:
        return d
    return number(d) if d == d.to_integral_value() else d


@builtin("decimal", "n, scale")
def decimal(n, scale):
    need_num(n, "decimal")
    return round_to(n, _scale(scale, "decimal"), ROUND_HALF_EVEN)


@builtin("floor", "n, scale?")
def floor(n, scale=0):
    need_num(n, "floor")
    return round_to(n, _scale(scale, "floor"), ROUND_FLOOR)


@builtin("ceiling", "n, scale?")
def ceiling(n, scale=0):
    need_num(n, "ceiling")
    return round_to(n, _scale(scale, "ceiling"), ROUND_CEILING)


def _rounding(name, mode):
    @builtin(name, "n, scale?")
    def fn(n, scale=0):
        need_num(n, name)
        return round_to(n, _scale(scale, name), mode)
    return fn


round_up = _rounding("round up", ROUND_UP)
round_down = _rounding("round down", ROUND_DOWN)
round_half_up = _rounding("round half up", ROUND_HALF_UP)
round_half_down = _rounding("round half down", ROUND_HALF_DOWN)


@builtin("abs", "n")
def abs_(n):
    if is_num(n):
        return -n if n < 0 else n
    if isinstance(n, _dt.timedelta):
        return abs(n)
    if isinstance(n, YearsMonths):
        return YearsMonths(abs(n.months))
    need(False, "abs", "n", n, "een getal of duur")


@builtin("modulo", "dividend, divisor")
def modulo(dividend, divisor):
    need_num(dividend, "modulo", "dividend")
    need_num(divisor, "modulo", "divisor")
    if not divisor:
        raise error("modulo: delen door nul kan niet.", "builtin.division_by_zero")
    a, b = Decimal(dividend), Decimal(divisor)
    try:
        # dividend - divisor * floor(dividend / divisor)
        q = DECIMAL_CONTEXT.divide(a, b).to_integral_value(rounding=ROUND_FLOOR)
        return number(DECIMAL_CONTEXT.subtract(a, DECIMAL_CONTEXT.multiply(b, q)))
    except ArithmeticError:
        raise error("modulo: de uitkomst valt buiten het bereik van getallen.", "builtin.out_of_range") from None


@builtin("sqrt", "number")
def sqrt(number_):
    need_num(number_, "sqrt", "number")
    if number_ < 0:
        raise error("sqrt: de wortel van een negatief getal bestaat niet.", "builtin.invalid_argument")
    return number(DECIMAL_CONTEXT.sqrt(Decimal(number_)))


@builtin("log", "number")
def log(number_):
    need_num(number_, "log", "number")
    if number_ <= 0:
        raise error("log: de logaritme bestaat alleen voor getallen groter dan nul.", "builtin.invalid_argument")
    return number(DECIMAL_CONTEXT.ln(Decimal(number_)))


@builtin("exp", "number")
def exp(number_):
    need_num(number_, "exp", "number")
    try:
        return number(DECIMAL_CONTEXT.exp(Decimal(number_)))
    except ArithmeticError:
        raise error("exp: de uitkomst valt buiten het bereik van getallen.", "builtin.out_of_range") from None


@builtin("odd", "number")
def odd(number_):
    need_num(number_, "odd", "number")
    if number_ != int(number_):
        return False
    return int(number_) % 2 == 1


@builtin("even", "number")
def even(number_):
    need_num(number_, "even", "number")
    if number_ != int(number_):
        return False
    return int(number_) % 2 == 0
