"""String built-ins (DMN 1.5 §10.3.4.3) incl. XML Schema regular expressions (TCK 1103-1111, 0067, 1140)."""
from decimal import Decimal as D

import pytest

from engine.feel.builtins import BUILTINS
from engine.feel.errors import FeelEvaluationError


def call(name, *args, **named):
    return BUILTINS[name].invoke(list(args), {k.replace("_", " "): v for k, v in named.items()} or None)


@pytest.mark.parametrize("name, args, named, expected", [
    ("substring", ("foobar", 3), {}, "obar"), ("substring", ("foobar", -2, 1), {}, "a"),
    ("substring", ("foobar", 3, D("3.8")), {}, "oba"), ("substring", (), {"string": "foobar", "start_position": 3}, "obar"),
    ("substring", ("\U0001F40Eab", 2), {}, "ab"),                                  # code points, not UTF-16
    ("string length", ("\U0001F40E",), {}, 1), ("upper case", ("abc",), {}, "ABC"), ("lower case", ("aBc4",), {}, "abc4"),
    ("substring before", ("foobar", "bar"), {}, "foo"), ("substring before", ("abc", ""), {}, ""),
    ("substring after", ("foobar", "ob"), {}, "ar"), ("substring after", ("abc", ""), {}, "abc"),
    ("contains", ("", ""), {}, True), ("starts with", ("foobar", "fo"), {}, True), ("ends with", ("foobar", "r"), {}, True),
    ("split", ("John Doe", "\\s"), {}, ["John", "Doe"]), ("split", ("a;b;c;;", ";"), {}, ["a", "b", "c", "", ""]),
    ("split", (), {"delimiter": ",", "string": "foo,bar"}, ["foo", "bar"]),
    ("string join", (["a", None, "c"], "X"), {}, "aXc"), ("string join", ([],), {}, ""),
    ("string join", (["a", "b"], None), {}, "ab"), ("string join", (), {"delimiter": "X", "list": ["a", "c"]}, "aXc"),
    ("string", (D("1.0"),), {}, "1"), ("string", (D("0.10"),), {}, "0.1"),
])
def test_string_functions(name, args, named, expected):
    assert call(name, *args, **named) == expected


@pytest.mark.parametrize("args, expected", [
    (("abcd", "(ab)|(a)", "[1=$1][2=$2]"), "[1=ab][2=]cd"),
    (("facetiously", "[iouy]", "[$0]"), "facet[i][o][u]sl[y]"),      # no NUL characters
    (("abracadabra", "a.*?a", "*"), "*c*bra"), (("darted", "^(.*?)d(.*)$", "$1c$2"), "carted"),
    (("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3"), "(012) 345-6789"),
    (("abc", "[A-Z]", "#", "i"), "###"), (("a b c d ", "[a-z]", "#", "x"), "# # # # "),
    (("a.b", ".", "$", "q"), "a$b"), (("a$b", "\\$", "\\$\\\\"), "a$\\b"),
])
def test_replace(args, expected):
    assert call("replace", *args) == expected


@pytest.mark.parametrize("args, expected", [
    (("\nabcd\ndefg\n", "^$", "m"), True), (("Mary\rJones", "Mary.Jones"), False),
    (("abc", "ABC", "i"), True), (("\u212A", "k", "i"), True),
    (("x", "[A-Z-[OI]]", "i"), True), (("O", "[A-Z-[OI]]", "i"), False),
    (("hello world", "hello\\ sworld", "x"), True), (("hello world", "he ll o[ ]worl d", "x"), True),
    (("hello world", "\\p{ I s B a s i c L a t i n }+", "x"), True), (("aA", "(a)\\1", "i"), True),
    (("a", "a[^b]"), False), (("a ", "a[^b]"), True), (("abracadabra", "bra", None), True),
    (("ab", "\\i\\c"), True), (("1b", "^\\i"), False), (("É", "\\p{Lu}"), True),
])
def test_matches(args, expected):
    assert call("matches", *args) is expected


@pytest.mark.parametrize("name, args, named", [
    ("matches", ("abracadabra", "bra", "p"), {}), ("matches", ("h", "(.)\\3"), {}), ("matches", ("abcd", "(asd)[\\1]"), {}),
    ("matches", ("hello world", "\\p{ IsBasicLatin}+"), {}), ("matches", (None, "a"), {}), ("matches", ("input",), {}),
    ("replace", ("abc", "x*", "y"), {}), ("replace", ("abc", "b", "$"), {}),
    ("split", ("foo",), {}), ("split", (), {"delimiter": ",", "str": "foo,bar"}), ("split", ("foo", None), {}),
    ("string join", ([1, 2, 3], "X"), {}), ("string join", (), {"list": ["a"], "delimitr": "X"}),
    ("contains", (None, "bar"), {}), ("substring", ("foo",), {}), ("upper case", (1,), {}),
])
def test_invalid_arguments_raise_feel_error(name, args, named):
    with pytest.raises(FeelEvaluationError):
        call(name, *args, **named)
