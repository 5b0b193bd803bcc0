"""List built-ins (DMN 1.5 §10.3.4.4), expectations from TCK 0009-0013, 0059-0063, 0094, 1155."""
from decimal import Decimal as D

import pytest

from engine.feel.builtins import BUILTINS
from engine.feel.errors import FeelEvaluationError
from engine.feel.values import Function


def call(name, *args, **named):
    return BUILTINS[name].invoke(list(args), named or None)


class Lambda(Function):
    """A FEEL function value for the tests (what the interpreter's user functions are)."""

    def __init__(self, fn, params):
        self.fn, self.params, self.name = fn, params, "lambda"

    def invoke(self, args, named=None, ctx=None):
        return self.fn(*args)


@pytest.mark.parametrize("name, args, named, expected", [
    ("list contains", ([1, None], None), {}, True), ("list contains", ([[1]], [1]), {}, True),
    ("count", ([1, 2, 3],), {}, 3), ("min", ([3, -3, 1],), {}, -3), ("min", (3, 1, 2), {}, 1), ("max", ("a", "c"), {}, "c"),
    ("min", ([],), {}, None), ("sum", ([1, D("2.5")],), {}, D("3.5")), ("sum", ([],), {}, None),
    ("mean", (6, 14, -3), {}, D("5.666666666666666666666666666666667")),
    ("all", ([True, None, True],), {}, None), ("all", ([],), {}, True), ("all", (True,), {}, True),
    ("all", (True, False), {}, False), ("all", (), {"list": [True]}, True),
    ("any", ([None, False],), {}, None), ("any", ([],), {}, False), ("any", (False, True), {}, True),
    ("sublist", ([1, 2, 3], -1, 1), {}, [3]), ("sublist", ([1, 2, 3], 2), {}, [2, 3]),
    ("append", ([1], 2, 3), {}, [1, 2, 3]), ("concatenate", ([1], [], [2, 3]), {}, [1, 2, 3]),
    ("insert before", (["x", "y"], 2, "OK"), {}, ["x", "OK", "y"]), ("remove", (["x", "y", "z"], 2), {}, ["x", "z"]),
    ("reverse", ([1, 2],), {}, [2, 1]), ("index of", ([1, 2, 1], 1), {}, [1, 3]), ("index of", ([1], 5), {}, []),
    ("union", ([1, 2], [2, D("3.0")]), {}, [1, 2, D("3.0")]), ("distinct values", ([1, D("1.0"), [1], [1]],), {}, [1, [1]]),
    ("flatten", ([["w", ["x"]], [], "y"],), {}, ["w", "x", "y"]),
    ("product", ([D("2.5"), 1, D("2.5"), 3],), {}, D("18.75")), ("product", (6,), {}, 6),
    ("median", ([8, 2, 5, 3, 4],), {}, 4), ("median", ([6, 1, 2, 3],), {}, D("2.5")), ("median", ([],), {}, None),
    ("mode", ([3, 6, 1, 9, 6, 1, 3],), {}, [1, 3, 6]), ("mode", ([],), {}, []), ("mode", (6,), {}, [6]),
    ("list replace", ([1, 2, 3], -1, 4), {}, [1, 2, 4]), ("list replace", ([1, 2, 3], D("2.5"), 4), {}, [1, 4, 3]),
    ("list replace", ([1, 2, 3], 3, None), {}, [1, 2, None]), ("list replace", (1, 1, 5), {}, [5]),
    ("list replace", (), {"position": 2, "newItem": 4, "list": [1, 2, 3]}, [1, 4, 3]),
])
def test_list_functions(name, args, named, expected):
    assert call(name, *args, **named) == expected


def test_stddev():
    assert str(call("stddev", [2, 4, 7, 5])).startswith("2.0816659994661")


def test_sort_with_precedes_function():
    assert call("sort", [5, 1, 4, 3], Lambda(lambda x, y: x > y, ("x", "y"))) == [5, 4, 3, 1]
    rows = [{"c": 4}, {"c": 0}]
    assert call("sort", rows, Lambda(lambda x, y: x["c"] < y["c"], ("x", "y"))) == [{"c": 0}, {"c": 4}]


def test_list_replace_with_match_function():
    lt = Lambda(lambda item, new: item < new, ("item", "newItem"))
    assert call("list replace", [2, 4, 7, 8], lt, 5) == [5, 5, 7, 8]
    with pytest.raises(FeelEvaluationError):
        call("list replace", [2, 4], Lambda(lambda item: item == 2, ("item",)), 5)
    with pytest.raises(FeelEvaluationError):
        call("list replace", [2, 4], Lambda(lambda item, new: item, ("item", "newItem")), 5)


@pytest.mark.parametrize("name, args, named", [
    ("all", (), {}), ("any", (), {}), ("mode", (), {}), ("median", (), {}),   # no arguments: null, not a value
    ("all", ([True, 123],), {}), ("all", (None,), {}), ("all", (), {"list": None}), ("all", (), {"l": [True]}),
    ("median", ([1, "foo"],), {}), ("stddev", ([47],), {}), ("stddev", ([],), {}), ("product", ([],), {}),
    ("product", ([1, None],), {}), ("list replace", ([1, 2, 3], 0, 4), {}), ("list replace", ([1, 2, 3], 4, 4), {}),
    ("list replace", ([1, 2, 3], "2", 4), {}), ("list replace", (), {"position": 2, "newItem": 4, "list": [1], "foo": 1}),
    ("sublist", ([1, 2], 3), {}), ("remove", ([1], 0), {}), ("sort", ([1], 5), {}), ("concatenate", ([1], 2), {}),
])
def test_invalid_arguments_raise_feel_error(name, args, named):
    with pytest.raises(FeelEvaluationError):
        call(name, *args, **named)
