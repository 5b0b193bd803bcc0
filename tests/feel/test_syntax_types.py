"""Type syntax (typeRef / instance of) and conformance (types.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from engine import feel
from engine.feel.types import ContextType, FunctionType, ListType, Named, RangeType, conforms, parse_type, type_text
from engine.feel.values import Range, YearsMonths

PARSE = [
    ("number", Named("number")),
    ("date and time", Named("date and time")),
    ("days and time duration", Named("days and time duration")),
    ("years and months duration", Named("years and months duration")),
    ("dayTimeDuration", Named("days and time duration")),
    ("list<number>", ListType(Named("number"))),
    ("list<list<string>>", ListType(ListType(Named("string")))),
    ("range<date>", RangeType(Named("date"))),
    ("context<a: number, first name: string>", ContextType((("a", Named("number")), ("first name", Named("string"))))),
    ("function<number, string> -> boolean", FunctionType((Named("number"), Named("string")), Named("boolean"))),
    ("function<> -> Any", FunctionType((), Named("Any"))),
    ("ns.tPerson", Named("ns.tPerson")),
]


@pytest.mark.parametrize("text,expected", PARSE, ids=[p[0] for p in PARSE])
def test_parse_type(text, expected):
    assert parse_type(text) == expected
    assert parse_type(type_text(expected)) == expected


@pytest.mark.parametrize("text", ["", "list<", "list<number", "context<a number>", "function<number>", "1"])
def test_bad_type_is_a_dutch_syntax_error(text):
    with pytest.raises(feel.FeelSyntaxError):
        parse_type(text)


CONFORMS = [
    (1, "number", True), (True, "number", False), ("a", "string", True), (None, "Null", True),
    (None, "number", False), (None, "Any", False), (dt.date(2021, 1, 1), "date", True),
    (dt.datetime(2021, 1, 1), "date", False), (dt.datetime(2021, 1, 1), "date and time", True),
    (dt.timedelta(days=1), "days and time duration", True), (YearsMonths(3), "years and months duration", True),
    ([1, None, 2], "list<number>", True), ([1, "a"], "list<number>", False), ([], "list<string>", True),
    ({"a": 1, "b": 2}, "context<a: number>", True), ({"b": 2}, "context<a: number>", False),
    (Range(1, 5, True, True), "range<number>", True), (Range(1, 5, True, True), "range<date>", False),
    ([[1], [2]], "list<list<number>>", True),
]


@pytest.mark.parametrize("value,text,expected", CONFORMS, ids=[f"{c[1]}-{i}" for i, c in enumerate(CONFORMS)])
def test_conforms(value, text, expected):
    assert conforms(value, parse_type(text)) is expected


def test_item_definitions_resolve_through_the_types_hook():
    class Positive:                       # the DMN model's item types only need conforms(value)
        def conforms(self, value):
            return feel.is_number(value) and value > 0

    table = {"tPositive": Positive(), "tPositives": ListType(Named("tPositive"))}
    expr = feel.compile_feel("[x, 2] instance of tPositives and x instance of tPositive", names={"x"},
                             types=table.get)
    assert expr.evaluate({"x": 5}) is True
    assert expr.evaluate({"x": -5}) is False
    assert feel.compile_feel("1 instance of tUnknown").evaluate({}) is False
