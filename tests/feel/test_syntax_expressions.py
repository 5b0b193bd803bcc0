"""FEEL grammar, table-driven: every construct of DMN 1.5 chapter 10 (cases from the spec and TCK)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from engine import feel
from engine.feel.values import Range

D = Decimal

CASES = [
    # arithmetic, precedence, numbers
    ("1 + 2 * 3", {}, 7),
    ("(1 + 2) * 3", {}, 9),
    ("3 ** 4 ** 5", {}, 3486784401),          # left-associative (TCK 0075, 0100)
    ("-5 ** 2", {}, 25),                       # (-5) ** 2
    ("-3 ** 2", {}, 9),
    ("1.23e4", {}, 12300),
    ("1.5E-1", {}, D("0.15")),
    (".5", {}, D("0.5")),
    ("- - 2", {}, 2),
    ("10 / 4", {}, D("2.5")),
    ("10 * \"10\"", {}, None),                # strict typing: null
    ("10 + true", {}, None),
    ("\"a\" + \"b\"", {}, "ab"),
    ("1 /* comment */ + // line comment\n 2", {}, 3),
    # logic, three-valued
    ("true and null", {}, None),
    ("false and null", {}, False),
    ("true or null", {}, True),
    ("null or false", {}, None),
    ("1 = \"1\"", {}, None),
    ("null = null", {}, True),
    ("1 != 2", {}, True),
    # if / for / some / every
    ("if 1 > 2 then \"a\" else \"b\"", {}, "b"),
    ("if null then 1 else 2", {}, 2),
    ("if \"x\" then 1 else 2", {}, 2),          # non-boolean condition: else
    ("for x in [1, 2, 3] return x * 2", {}, [2, 4, 6]),
    ("for x in [1, 2], y in [10, 20] return x + y", {}, [11, 21, 12, 22]),
    ("for i in 1..3 return i", {}, [1, 2, 3]),
    ("for i in 3..1 return i", {}, [3, 2, 1]),
    ("for i in 0..4 return if i = 0 then 1 else i * partial[-1]", {}, [1, 1, 2, 6, 24]),
    ("for d in @\"2021-01-30\"..@\"2021-02-01\" return d.day", {}, [30, 31, 1]),
    ("for x in null return x", {}, None),
    ("some x in [1, 2, 3] satisfies x > 2", {}, True),
    ("every x in [1, 2, 3] satisfies x > 0", {}, True),
    ("every x in [1, 2, 3] satisfies x > 1", {}, False),
    ("some x in [] satisfies x > 1", {}, False),
    # lists, filters, indexes
    ("[1, 2, 3][2]", {}, 2),
    ("[1, 2, 3][-1]", {}, 3),
    ("[1, 2, 3][0]", {}, None),
    ("[1, 2, 3][4]", {}, None),
    ("[1, 2, 3, 4][item > 2]", {}, [3, 4]),
    ("[{a: 1}, {a: 5}][a > 2]", {}, [{"a": 5}]),
    ("[{a: 1}, {a: 5}][item.a > 2].a", {}, [5]),
    ("xs[item >= limit]", {"xs": [1, 5, 9], "limit": 5}, [5, 9]),
    ("5[item > 3]", {}, [5]),
    ("[][1]", {}, None),
    ("[[1, 2], [3]][1][2]", {}, 2),
    # contexts and paths
    ("{a: 1, \"b c\": 2, d: a + 1}", {}, {"a": 1, "b c": 2, "d": 2}),
    ("{a: {b: 3}}.a.b", {}, 3),
    ("{first name: \"Ann\", greeting: \"Hi \" + first name}.greeting", {}, "Hi Ann"),
    ("[{a: 1}, {a: 2}].a", {}, [1, 2]),
    ("x.y", {"x": {"y": 4}}, 4),
    ("m.Greet the Person + 1", {"m": {"Greet the Person": 1}}, 2),     # a name with spaces after a dot
    ("{🐎: \"bar\"}", {}, {"🐎": "bar"}),
    # temporal literals and properties
    ("@\"2021-01-02\"", {}, dt.date(2021, 1, 2)),
    ("@\"2021-01-02\".year", {}, 2021),
    ("date(\"2021-03-04\").month", {}, 3),
    ("@\"P1D\"", {}, dt.timedelta(days=1)),
    ("@\"P1Y2M\".months", {}, 2),
    ("@\"2021-01-02\" + @\"P1D\"", {}, dt.date(2021, 1, 3)),
    # ranges as values, in, between
    ("[1..10]", {}, Range(1, 10, True, True)),
    ("(1..10]", {}, Range(1, 10, False, True)),
    ("]1..10[", {}, Range(1, 10, False, False)),
    ("< 5", {}, Range(None, 5, False, False)),
    (">= 5", {}, Range(5, None, True, False)),
    ("[1..10].start", {}, 1),
    ("(null..10)", {}, None),                   # a null end is unknown, not open
    ("(< 10) = (null..10)", {}, False),
    ("(1..10].start included", {}, False),
    ("5 in [1..10]", {}, True),
    ("5 in (1..5)", {}, False),
    ("5 in (< 3, > 4)", {}, True),
    ("5 in < 3", {}, False),
    ("5 in [1, 2, 5]", {}, True),
    ("5 in xs", {"xs": [4, 5]}, True),
    ("\"b\" in (\"a\", \"b\")", {}, True),
    ("5 in r", {"r": Range(1, 6, True, False)}, True),
    ("5 between 1 and 10", {}, True),
    ("11 between 1 and 10", {}, False),
    ("\"b\" between \"a\" and \"c\"", {}, True),
    ("5 between 1 and 10 and true", {}, True),
    # instance of
    ("5 instance of number", {}, True),
    ("\"a\" instance of number", {}, False),
    ("null instance of Null", {}, True),
    ("null instance of number", {}, False),
    ("[1, 2] instance of list<number>", {}, True),
    ("[1, \"a\"] instance of list<number>", {}, False),
    ("{a: 1} instance of context<a: number>", {}, True),
    ("{a: 1} instance of context<a: string>", {}, False),
    ("@\"2021-01-01T10:00:00\" instance of date and time", {}, True),
    ("@\"P1D\" instance of days and time duration", {}, True),
    ("@\"P1Y\" instance of years and months duration", {}, True),
    ("[1..2] instance of range<number>", {}, True),
    ("(function(a) a) instance of function<Any> -> Any", {}, True),
    ("5 instance of Any", {}, True),
    # functions
    ("(function(a, b) a + b)(1, 2)", {}, 3),
    ("{f: function(x) function(y) x + y, r: f(1)(2)}.r", {}, 3),
    ("{add: function(a, b) a - b, r: add(b: 1, a: 5)}.r", {}, 4),
    ("{f: function(a) a, r: f(z: 1)}.r", {}, None),                # unknown parameter name
    ("{f: function(a) a * 2, r: for x in [1, 2] return f(x)}.r", {}, [2, 4]),
    ("{n: 10, f: function(x) x + n}.f(1)", {}, 11),                   # closure
    ("(function(a: number) a * 2)(4)", {}, 8),
    ('(function(a: number) a * 2)("4")', {}, None),                   # argument of the wrong type
    ('(function(p: tPerson) p.name)({name: "x"})', {}, "x"),          # an item definition: not checked here
    ("{f: function(n) if n = 0 then 1 else n * f(n - 1), r: f(5)}.r", {}, 120),   # recursion
    ("{f: function(n) f(n), r: f(1)}.r", {}, None),                    # runaway recursion: null
    ("sort([3, 1, 2], function(x, y) x > y)", {}, [3, 2, 1]),
    ("bkm(abs)", {"bkm": feel.compile_feel("function(g) g(-3)").evaluate({})}, 3),  # built-in as a value
    ("split(delimiter: \",\", string: \"foo,bar\")", {}, ["foo", "bar"]),
    ("abs(number: -1)", {}, None),
    ("abs(n: -1)", {}, 1),
    ("string length(\"abc\")", {}, 3),
    ("substring(string: \"abcdef\", start position: 3)", {}, "cdef"),
    ("not(true)", {}, False),
    ('upper case(["Bob"])', {}, "BOB"),                                # a singleton list is its element
    ('upper case(["Bob", "Ann"])', {}, None),
    ("count([1])", {}, 1),
    # external functions: a whitelist of Java static methods (TCK 0076)
    ('(function(a, b) external {java: {class: "java.lang.Math", method signature: "max(double, double)"}})(1.5, 2)',
     {}, 2),
    ('(function(s) external {java: {class: "java.lang.Integer", method signature: "valueOf(java.lang.String)"}})("12")',
     {}, 12),
    ('(function(f, v) external {java: {class: "java.lang.String", method signature: '
     '"format(java.lang.String, [Ljava.lang.Object;)"}})("foo %s", "bar")', {}, "foo bar"),
    ('(function(a) external {java: {class: "java.lang.Runtime", method signature: "exec(java.lang.String)"}})("ls")',
     {}, None),
    ('(function(a) external {pmml: {document: "d", model: "m"}})(1)', {}, None),
    # strings
    ("\"\\U01F40E\" = \"🐎\"", {}, True),
    ("string length(\"\\ud83d\\udca9\")", {}, 1),
    ("\"a\\\"b\"", {}, "a\"b"),
    ("\"line\\nbreak\"", {}, "line\nbreak"),
    # names with spaces and special characters
    ("Applicant Age + 1", {"Applicant Age": 41}, 42),
    ("Monthly-Income * 2", {"Monthly-Income": 100}, 200),
    ("Full Name", {"Full Name": "x"}, "x"),
    ("Full   Name", {"Full Name": "x"}, "x"),                         # other whitespace inside a name
    ('date and\n   time("2018-12-08T10:00:00").hour', {}, 10),
]


@pytest.mark.parametrize("text,variables,expected", CASES, ids=[c[0] for c in CASES])
def test_expression(text, variables, expected):
    expr = feel.compile_feel(text, names=variables.keys())
    diagnostics: list = []
    result = expr.evaluate(variables, diagnostics)
    if isinstance(expected, Range) or isinstance(result, Range):
        assert result == expected
    else:
        assert result == expected and type(result) is type(expected), (result, diagnostics)


def test_null_results_of_invalid_operations_carry_a_diagnostic():
    diagnostics: list = []
    assert feel.compile_feel('10 * "10"').evaluate({}, diagnostics) is None
    assert diagnostics and diagnostics[0].code.startswith("arithmetic")
    diagnostics.clear()
    assert feel.compile_feel("{f: function(a) a, r: f(z: 1)}.r").evaluate({}, diagnostics) is None
    assert [d.code for d in diagnostics] == ["function.unknown_parameter"]


UNARY = [
    ("-", 5, True),
    ("< 5", 3, True),
    ("< 5", 5, False),
    ("< 5", None, None),
    ("[1..10]", 10, True),
    ("[1..10[", 10, False),
    ("]1..10]", 1, False),
    ("(1..10)", 1, False),
    ('"a", "b"', "b", True),
    ('"a", "b"', "c", False),
    ("not(1, 2)", 3, True),
    ("not(1, 2)", 2, False),
    ("? > 3", 5, True),
    ("? > 3 and ? < 10", 50, False),
    ("[1, 2, 3]", 2, True),
    ("null", None, True),
    ("true", False, False),
    ("false", False, True),
    ("> x", 5, True),
    ('[date("2020-01-01")..date("2021-01-01")[', dt.date(2020, 6, 1), True),
    ('[date("2020-01-01")..date("2021-01-01")[', dt.date(2021, 1, 1), False),
    ("count(?) > 1", [1, 2], True),
    ("x", 3, True),
    ("[1..2], [5..6]", 5, True),
]


@pytest.mark.parametrize("text,value,expected", UNARY, ids=[f"{u[0]}|{u[1]}" for u in UNARY])
def test_unary_tests(text, value, expected):
    tests = feel.compile_unary(text, names={"x"})
    assert tests.matches(value, {"x": 3}) is expected


SYNTAX_ERRORS = [
    (">>5", "bedoelde u > 5?"),
    ("1 +", "Verwacht een waarde"),
    ("(1 + 2", 'ontbreekt een ")"'),
    ("[1, 2", 'ontbreekt een "]"'),
    ('"abc', "niet afgesloten"),
    ("foo(1)", "Onbekende functie"),
    ("{a: 1, a: 2}", "twee keer"),
    ("if x then 1", '"else"'),
    ("1 & 2", '"and"'),
    ("/* open", "niet afgesloten"),
]


@pytest.mark.parametrize("text,fragment", SYNTAX_ERRORS, ids=[s[0] for s in SYNTAX_ERRORS])
def test_syntax_errors_are_dutch_with_position(text, fragment):
    with pytest.raises(feel.FeelSyntaxError) as info:
        feel.compile_feel(text)
    assert fragment in str(info.value)


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    for depth in (90, 500, 5000):
        with pytest.raises(feel.FeelSyntaxError, match="te diep genest"):
            feel.compile_feel("(" * depth + "1" + ")" * depth)
        with pytest.raises(feel.FeelSyntaxError, match="te diep genest"):
            feel.compile_unary("[" * depth + "1" + "]" * depth)
        with pytest.raises(feel.FeelSyntaxError, match="te diep genest"):
            feel.compile_feel("-" * depth + "1")
    assert feel.compile_feel("(" * 60 + "1" + ")" * 60).evaluate({}) == 1


def test_free_names_exclude_names_bound_in_the_expression():
    ast = feel.parse_expression("for x in xs return {a: x, b: a + y}", names={"xs", "y"})
    assert feel.names_in(ast) == {"xs", "y"}
    ast = feel.parse_expression("(function(p) p + q)(1)", names={"q"})
    assert feel.names_in(ast) == {"q"}


def test_decision_table_cells_keep_their_ast_shape():
    """analysis.py, inputs.py, workbook.py and vectorized.py inspect these nodes."""
    assert feel.parse_unary_tests("< 5") == feel.AnyOf((feel.Compare("<", feel.Literal(5)),))
    assert feel.parse_unary_tests("[1..-2)") == feel.AnyOf((feel.Interval(feel.Literal(1), feel.Literal(-2), True, False),))
    assert feel.parse_unary_tests('not("a")') == feel.Negation((feel.Compare("=", feel.Literal("a")),))
    assert feel.parse_unary_tests("-") is feel.DONT_CARE
    assert feel.parse_expression("Client.Age + 1", names={"Client.Age"}) == \
        feel.Binary("+", feel.Name("Client.Age"), feel.Literal(1))
    assert feel.parse_expression('date("2021-01-01")') == feel.Literal(dt.date(2021, 1, 1))
