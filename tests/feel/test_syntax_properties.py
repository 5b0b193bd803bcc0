"""Property tests of the parser and interpreter (hypothesis).

- random text never raises anything but FeelSyntaxError when compiled (as an expression and as
  unary tests);
- compiled expressions never raise, whatever FEEL values the variables hold.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from engine import feel
from engine.feel.temporal import Time
from engine.feel.values import Range, YearsMonths

TOKENS = ["1", "2.5", ".5", "1e3", '"a"', '"\\u0041"', '"\\U01F40E"', '@"2021-01-01"', '@"P1D"', '@"x"', "x", "y",
          "xs", "Applicant Age", "?", "item", "partial", "true", "false", "null", "+", "-", "*", "/", "**", "=",
          "!=", "<", "<=", ">", ">=", "(", ")", "[", "]", "{", "}", ",", ":", ".", "..", "and", "or", "not",
          "in", "between", "instance of", "number", "list<number>", "if", "then", "else", "for", "return",
          "some", "every", "satisfies", "function", "sum", "count", "string length", "date", "date and time",
          "->", "//", "/*", "*/", "external", "'", "&", "#", "@", "\\", "\n", " "]

texts = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join),
    st.lists(st.sampled_from(TOKENS), max_size=25).map("".join),
    st.text(max_size=40),
)

NAMES = {"x", "y", "xs", "Applicant Age"}


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_random_text_only_ever_raises_a_syntax_error(text):
    for compile_ in (feel.compile_feel, feel.compile_unary):
        try:
            compiled = compile_(text, names=NAMES)
        except feel.FeelSyntaxError as exc:
            assert str(exc)          # a Dutch message, never empty
            continue
        # what compiles also evaluates without raising
        diagnostics: list = []
        variables = {"x": 1, "y": "a", "xs": [1, 2], "Applicant Age": 40}
        if compile_ is feel.compile_feel:
            compiled.evaluate(variables, diagnostics)
        else:
            compiled.matches(3, variables, diagnostics)


class Twice(feel.Function):
    name, params = "twice", ("v",)

    def invoke(self, args, named=None, ctx=None):
        return [args[0], args[0]] if args else None


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10 ** 40, 10 ** 40).map(feel.number),
    st.decimals(allow_nan=False, allow_infinity=False).map(feel.number), st.text(max_size=5),
    st.dates(), st.datetimes(), st.builds(Time, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59)),
    st.timedeltas(min_value=dt.timedelta(days=-10 ** 5), max_value=dt.timedelta(days=10 ** 5)),
    st.integers(-10 ** 5, 10 ** 5).map(YearsMonths), st.just(Twice()),
    st.sampled_from([Decimal("1E+6000"), Decimal("-1E-6000"), 10 ** 33]),
)
values = st.recursive(
    st.one_of(scalars, st.builds(Range, scalars, scalars, st.booleans(), st.booleans())),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["a", "b", "item", "x"]), inner, max_size=3)),
    max_leaves=8,
)

EXPRESSIONS = [
    "x + y", "x - y", "x * y", "x / y", "x ** y", "-x", "x = y", "x != y", "x < y", "x >= y", "x and y", "x or y",
    "x in y", "x in (y, 1)", "x in [y..1]", "x between y and 1", "x instance of list<number>", "x.a", "x.year",
    "x[1]", "x[-1]", "x[item > 1]", "x[a = 1]", "x(1)", "x(y)", "x(v: y)", "for i in x return i", "for i in x..y return i",
    "some i in x satisfies i", "every i in x satisfies i > y", "if x then y else 1", "{a: x, b: a + y}.b",
    "[x, y][2]", "sum(x)", "count(x)", "string length(x)", "substring(x, y)", "date(x)", "min(x, y)",
    "sort(x, function(a, b) a < b)", "string(x)", "x.start", "[x..y]", "(function(a) a * y)(x)", "@\"2021-01-01\" - x",
    "not(x)", "is(x, y)", "x.a.b", "x + y * x - y / x",
]
COMPILED = [feel.compile_feel(e, names={"x", "y"}) for e in EXPRESSIONS]
TESTS = [feel.compile_unary(t, names={"y"}) for t in ("< y", "[y..10]", "y", "? > y", "not(y)", "count(?) > y", "-")]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values, values)
def test_compiled_expressions_never_raise(x, y):
    for expr in COMPILED:
        diagnostics: list = []
        expr.evaluate({"x": x, "y": y}, diagnostics)
        assert all(isinstance(d, feel.Diagnostic) for d in diagnostics)
    for tests in TESTS:
        assert tests.matches(x, {"y": y}, []) in (True, False, None)


def test_long_flat_expressions_still_work():
    assert feel.compile_feel("+".join(["1"] * 250)).evaluate({}) == 250
    assert feel.compile_unary(", ".join(str(i) for i in range(2000))).matches(1999) is True


def test_a_built_in_error_becomes_null_plus_a_diagnostic():
    diagnostics: list = []
    assert feel.compile_feel('substring("abc", "x")').evaluate({}, diagnostics) is None
    assert diagnostics and all(d.code and d.message for d in diagnostics)


@pytest.mark.parametrize("text", ["(" * 90 + "1" + ")" * 90, "[" * 90 + "]" * 90, "{a:" * 90 + "1" + "}" * 90,
                                  "f(" * 90 + ")" * 90, "-" * 3000 + "1", "not(" * 90 + "1" + ")" * 90,
                                  "+".join(["1"] * 5000), " and ".join(["true"] * 3000)])
def test_deeply_nested_cells_are_refused_without_crashing(text):
    with pytest.raises(feel.FeelSyntaxError):
        feel.compile_feel(text, names={"f"})
    with pytest.raises(feel.FeelSyntaxError):
        feel.compile_unary(text, names={"f"})
