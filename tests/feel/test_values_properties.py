"""Property tests: random FEEL values of every type never make an operator or a built-in raise
anything but FeelEvaluationError (which the interpreter turns into null plus a diagnostic)."""
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from engine.feel import ops
from engine.feel.builtins import BUILTINS
from engine.feel.errors import FeelEvaluationError
from engine.feel.format import feel_literal, to_string
from engine.feel.temporal import Time, zone
from engine.feel.values import Function, Range, YearsMonths, number


class Echo(Function):
    """A function value that returns one of its arguments (or a fixed value)."""

    def __init__(self, params, result):
        self.params, self.result, self.name = params, result, "echo"

    def invoke(self, args, named=None, ctx=None):
        return args[0] if self.result == "first" and args else self.result


_ZONES = [None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30)),
          dt.timezone(-dt.timedelta(hours=11)), zone("Europe/Paris"), zone("Australia/Melbourne")]
numbers = st.one_of(
    st.integers(min_value=-10 ** 40, max_value=10 ** 40).map(number),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).map(number),
    st.sampled_from([Decimal("1E+6144"), Decimal("-9.999E+6144"), Decimal("1E-6143"), Decimal("0.5"), 0, 1, -1]),
)
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
datetimes = st.builds(lambda d, z: d.replace(tzinfo=z), st.datetimes(), st.sampled_from(_ZONES))
times = st.builds(Time, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59), st.integers(0, 999999999),
                  st.sampled_from(_ZONES))
durations = st.one_of(st.timedeltas(min_value=dt.timedelta(days=-10 ** 6), max_value=dt.timedelta(days=10 ** 6)),
                      st.integers(-10 ** 6, 10 ** 6).map(YearsMonths))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=8), dates, datetimes, times, durations)
ranges = st.builds(Range, st.one_of(st.none(), numbers, dates), st.one_of(st.none(), numbers, dates),
                   st.booleans(), st.booleans())
functions = st.builds(Echo, st.sampled_from([(), ("a",), ("a", "b")]), st.one_of(st.just("first"), scalars))
values = st.recursive(st.one_of(scalars, ranges, functions),
                      lambda inner: st.one_of(st.lists(inner, max_size=4),
                                              st.dictionaries(st.text(max_size=4), inner, max_size=3)),
                      max_leaves=8)

_OPS = [ops.add, ops.sub, ops.mul, ops.div, ops.pow, ops.eq, ops.ne, ops.lt, ops.le, ops.gt, ops.ge, ops.is_same]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values, values)
def test_operators_never_raise(a, b):
    for op in _OPS:
        result = op(a, b)
        assert result is None or not isinstance(result, float)
    ops.neg(a)
    for name in ("year", "hour", "time offset", "days", "start", "a"):
        ops.path(a, name)
    ops.null_diagnostic("+", a, b)
    feel_literal(a)
    to_string(a)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(BUILTINS)), st.lists(values, max_size=4))
def test_builtins_raise_only_feel_errors(name, args):
    try:
        result = BUILTINS[name].invoke(args)
    except FeelEvaluationError as exc:
        assert exc.message and exc.code
        return
    assert not isinstance(result, float)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(BUILTINS)), st.dictionaries(st.sampled_from(
    ["n", "scale", "list", "string", "from", "to", "m", "key", "value", "point", "range", "range1", "range2",
     "match", "input", "pattern", "flags", "position", "newItem", "precedes", "date", "time", "x"]), values,
    min_size=1, max_size=3))
def test_builtins_with_named_arguments_raise_only_feel_errors(name, named):
    try:
        BUILTINS[name].invoke([], named)
    except FeelEvaluationError:
        pass


_REGEX_PIECES = st.sampled_from(list("ab.[]()^$-\\|*+?{}0123dDsSwWiIcCpP,xq ") +
                                ["\\p{L}", "\\p{IsBasicLatin}", "[a-z-[aeiou]]", "$1", "$0", "\\$"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_REGEX_PIECES, max_size=12).map("".join), st.lists(_REGEX_PIECES, max_size=6).map("".join),
       st.sampled_from(["", "i", "x", "s", "m", "q", "smix", "z"]), st.text(max_size=10))
def test_xml_schema_regex_translation_raises_only_feel_errors(pattern, replacement, flags, text):
    from engine.feel import regex
    for run in (lambda: regex.matches(text, pattern, flags), lambda: regex.replace(text, pattern, replacement, flags),
                lambda: regex.split(text, pattern, flags)):
        try:
            result = run()
        except FeelEvaluationError as exc:
            assert exc.code == "regex.invalid"
            continue
        if isinstance(result, str) and "\x00" not in text:
            assert "\x00" not in result          # no NUL from group references like [$0]
