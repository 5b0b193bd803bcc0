"""Range built-ins (DMN 1.5 §10.3.4.10), range(from), context built-ins and is() (TCK 0080, 0081,
0103, 1130, 1145-1147, 1156)."""
import pytest

from engine.feel.builtins import BUILTINS
from engine.feel.errors import FeelEvaluationError
from engine.feel.temporal import parse_temporal as T
from engine.feel.values import Range


def call(name, *args, **named):
    return BUILTINS[name].invoke(list(args), named or None)


def R(a, b, si=True, ei=True):
    return Range(a, b, si, ei)


@pytest.mark.parametrize("name, a, b, expected", [
    ("before", 1, 10, True), ("before", 10, 1, False), ("before", 1, R(2, 5), True), ("before", 1, R(1, 5, False), True),
    ("before", R(1, 5), 5, False), ("before", R(1, 5, True, False), 5, True), ("before", R(1, 5), R(6, 8), True),
    ("before", R(1, 5), R(5, 8), False), ("before", R(1, 5, True, False), R(5, 8), True),
    ("after", 10, 5, True), ("after", 12, R(2, 5), True), ("after", R(6, 8), R(1, 5), True), ("after", R(5, 8), 5, False),
    ("meets", R(1, 5), R(5, 10), True), ("meets", R(1, 5, True, False), R(5, 10), False),
    ("met by", R(5, 10), R(1, 5), True), ("overlaps", R(1, 5), R(3, 8), True), ("overlaps", R(1, 5), R(6, 8), False),
    ("overlaps", R(5, 8), R(1, 5), True), ("overlaps before", R(1, 5), R(3, 8), True),
    ("overlaps before", R(1, 5), R(6, 8), False), ("overlaps after", R(3, 8), R(1, 5), True),
    ("finishes", 10, R(1, 10), True), ("finishes", R(3, 10), R(1, 10), True), ("finished by", R(1, 10), 10, True),
    ("includes", R(1, 10), 5, True), ("includes", R(1, 10), R(4, 6), True), ("includes", R(1, 10, False), 1, False),
    ("during", 5, R(1, 10), True), ("during", R(4, 6), R(1, 10), True), ("during", R(1, 10), R(4, 6), False),
    ("starts", 1, R(1, 10), True), ("starts", R(1, 5), R(1, 10), True), ("started by", R(1, 10), R(1, 5), True),
    ("coincides", 5, 5, True), ("coincides", R(1, 5), R(1, 5), True), ("coincides", R(1, 5), R(1, 5, False), False),
    ("before", T("2020-01-01"), T("2021-01-01"), True),
])
def test_range_functions(name, a, b, expected):
    assert call(name, a, b) is expected


def test_range_functions_bind_named_arguments_by_overload():
    assert call("before", point=1, range=R(2, 5)) is True
    assert call("before", range=R(2, 5), point=1) is True      # bound by name, not by written order
    assert call("before", range1=R(1, 5), range2=R(6, 8)) is True
    assert call("includes", range1=R(1, 10), range2=R(2, 3)) is True
    with pytest.raises(FeelEvaluationError):
        call("meets", 1, R(1, 2))
    with pytest.raises(FeelEvaluationError):
        call("before", None, 1)


@pytest.mark.parametrize("text, expected", [
    ("[1..3]", R(1, 3)), ("(18..21]", R(18, 21, False)), ("]18..21[", R(18, 21, False, False)),
    (" [ 1 .. 3 ] ", R(1, 3)), ('["a".."c"]', R("a", "c")),
    ('[@"1970-01-01"..@"1970-01-02"]', R(T("1970-01-01"), T("1970-01-02"))),
    ('[date and time("1970-01-01T00:00:00")..@"1970-01-02T00:00:00"]', R(T("1970-01-01T00:00:00"), T("1970-01-02T00:00:00"))),
    ('[duration("P1D")..@"P2D"]', R(T("P1D"), T("P2D"))),
])
def test_range_from_text(text, expected):
    assert call("range", text) == expected


@pytest.mark.parametrize("text", ["[..2]", "[1..]", "", ">=10", '[1.."b"]', "[3..1]", "[null..null]",
                                  '[date(string("1970-01-01"))..date("1970-01-02")]',
                                  '[@"1970-01-01"..@"1970-01-02T00:00:00"]'])
def test_range_from_invalid_text(text):
    with pytest.raises(FeelEvaluationError):
        call("range", text)


def test_context_functions():
    assert call("get value", {"a": "foo"}, "a") == "foo"
    assert call("get value", key="a", m={"a": "foo"}) == "foo"
    assert call("get value", {"a": {"b": 1}}, ["a", "b"]) == 1
    assert call("get entries", {"a": 1}) == [{"key": "a", "value": 1}]
    assert call("context", [{"key": "a", "value": 1}, {"key": "b", "value": 2}]) == {"a": 1, "b": 2}
    assert call("context", entries={"key": "a", "value": 1, "x": 0}) == {"a": 1}
    assert call("context put", {"a": 1, "b": 2}, "b", 3) == {"a": 1, "b": 3}
    assert call("context put", {"x": 1, "y": {"a": 0}}, ["y", "b"], 2) == {"x": 1, "y": {"a": 0, "b": 2}}
    assert call("context put", context={"y": {"a": 0}}, keys=["y", "a"], value=2) == {"y": {"a": 2}}
    assert call("context merge", [{"a": {"aa": 1}}, {"a": {"bb": 2}}]) == {"a": {"bb": 2}}
    original = {"a": {"b": 1}}
    call("context put", original, ["a", "b"], 2)
    assert original == {"a": {"b": 1}}                     # values are never changed in place


@pytest.mark.parametrize("name, args, named", [
    ("get value", ({"a": 1}, 123), {}), ("get value", (), {"k": "a", "m": {}}), ("get entries", ([1],), {}),
    ("get entries", (), {"map": {}}), ("context", ([{"key": "a", "value": 1}, {"key": "a", "value": 2}],), {}),
    ("context", ({"value": 1},), {}), ("context put", ({}, None, 1), {}), ("context put", ({"y": {"a": 0}}, [], 2), {}),
    ("context put", ({"y": {"a": 0}}, ["y", "a", "b"], 2), {}),
    ("context put", (), {"context": {"y": {"a": 0}}, "key": ["y", "a"], "value": 2}),
    ("context merge", ([{"a": 1}, 2],), {}), ("context merge", (), {"context": [{"a": 1}]}),
    ("is", (1, 2, 3), {}),
])
def test_invalid_arguments_raise_feel_error(name, args, named):
    with pytest.raises(FeelEvaluationError):
        call(name, *args, **named)


@pytest.mark.parametrize("a, b, expected", [
    (1, 1, True), ("foo", "bar", False), (T("2012-12-25"), T("2012-12-25T00:00:00Z"), False),
    (T("23:00:50Z"), T("23:00:50+00:00"), True), (T("23:00:50@Australia/Melbourne"), T("23:00:50+10:00"), False),
    (T("2012-12-25T10:10:10@Australia/Melbourne"), T("2012-12-25T10:10:10@Australia/Melbourne"), True),
    (T("2002-04-02T12:00:00-01:00"), T("2002-04-02T17:00:00+04:00"), False), (T("P1Y"), T("P12M"), True),
])
def test_is(a, b, expected):
    assert call("is", a, b) is expected
    assert call("is", value1=a) is (a is None)
