"""Numeric built-ins (DMN 1.5 §10.3.4.5), expectations from the TCK folders 0050-0056, 11xx."""
from decimal import Decimal as D

import pytest

from engine.feel.builtins import BUILTINS
from engine.feel.errors import FeelEvaluationError
from engine.feel.temporal import parse_temporal as T


def call(name, *args, **named):
    return BUILTINS[name].invoke(list(args), {k.replace("_", " "): v for k, v in named.items()} or None)


@pytest.mark.parametrize("name, args, named, expected", [
    ("decimal", (D(1) / 3, 2), {}, D("0.33")), ("decimal", (D(1) / 3, D("2.5")), {}, D("0.33")),
    ("decimal", (D("1.5"), 0), {}, 2), ("decimal", (D("2.5"), 0), {}, 2), ("decimal", (D("0.515"), 2), {}, D("0.52")),
    ("decimal", (), {"n": D(15) / 7, "scale": 3}, D("2.143")),
    ("floor", (D("1.5"),), {}, 1), ("floor", (D("-1.5"),), {}, -2), ("floor", (D("-1.56"), 1), {}, D("-1.6")),
    ("ceiling", (D("-0.3333"),), {}, 0), ("ceiling", (D("1.56"), 1), {}, D("1.6")),
    ("round up", (D("5.5"), 0), {}, 6), ("round up", (D("-1.126"), 2), {}, D("-1.13")),
    ("round up", (D("5.5"), 6176), {}, D("5.5")),           # must not raise decimal.InvalidOperation
    ("round down", (D("-5.5"), 0), {}, -5), ("round down", (D("1.121"), 2), {}, D("1.12")),
    ("round half up", (D("5.5"), 0), {}, 6), ("round half up", (D("-5.5"), 0), {}, -6),
    ("round half down", (D("5.5"), 0), {}, 5), ("round half down", (D("-1.125"), 2), {}, D("-1.12")),
    ("round half up", (1234, -2), {}, 1200),
    ("abs", (-1,), {}, 1), ("abs", (), {"n": -1}, 1), ("abs", (T("-P1D"),), {}, T("P1D")), ("abs", (T("-P1Y"),), {}, T("P1Y")),
    ("modulo", (10, -4), {}, -2), ("modulo", (-10, 4), {}, 2), ("modulo", (D("-10.1"), D("4.5")), {}, D("3.4")),
    ("modulo", (), {"dividend": 10, "divisor": 4}, 2),
    ("sqrt", (4,), {}, 2), ("sqrt", (), {"number": 4}, 2), ("sqrt", (0,), {}, 0),
    ("exp", (0,), {}, 1), ("odd", (-1,), {}, True), ("even", (0,), {}, True), ("even", (D("2.5"),), {}, False),
])
def test_numeric(name, args, named, expected):
    result = call(name, *args, **named)
    assert result == expected and type(result) is type(expected)


def test_log_and_exp_precision():
    assert str(call("log", 4)).startswith("1.38629436")
    assert str(call("exp", 4)).startswith("54.59815003")


@pytest.mark.parametrize("name, args, named", [
    ("sqrt", (-1,), {}), ("sqrt", (), {"n": 4}), ("abs", (), {"number": -1}), ("abs", (), {}), ("abs", (1, 1), {}),
    ("abs", (None,), {}), ("abs", ("-1",), {}), ("abs", (True,), {}), ("abs", (T("2018-12-06"),), {}),
    ("log", (0,), {}), ("modulo", (10, 0), {}), ("modulo", (), {"dividend": 10, "foo": 4}),
    ("floor", (D("1.5"), None), {}), ("floor", (), {"n": D("1.5"), "scal": 1}), ("floor", ("1.5",), {}),
    ("round up", (D("5.5"), -6112), {}), ("round up", (D("5.5"), 6177), {}), ("round up", (), {"scale": 0}),
    ("round up", (D("5.5"), "0"), {}), ("even", (T("P4D"),), {}), ("decimal", (1,), {}),
])
def test_invalid_arguments_raise_feel_error(name, args, named):
    with pytest.raises(FeelEvaluationError) as info:
        call(name, *args, **named)
    assert info.value.code and info.value.message
