"""List functions (DMN 1.5 §10.3.4.4)."""
from __future__ import annotations

import functools
from decimal import Decimal

from .. import ops
from ..values import DECIMAL_CONTEXT, Function, number
from ._core import builtin, error, is_num, items_of, need, need_int, need_list


def _list_arg(list_, fname):
    """A list argument; a single non-list value counts as a singleton list."""
    if list_ is None:
        raise error(f"{fname}: de lijst is leeg (null).", "builtin.invalid_argument")
    return list_ if isinstance(list_, list) else [list_]


@builtin("list contains", "list, element")
def list_contains(list, element):  # noqa: A002
    need_list(list, "list contains")
    return any(ops.eq(x, element) is True for x in list)


@builtin("count", "list")
def count(list):  # noqa: A002
    return len(_list_arg(list, "count"))


def _ordered(items, fname):
    for x in items[1:]:
        if ops.compare(items[0], x) is None:
            raise error(f"{fname}: de waarden in de lijst zijn niet met elkaar te vergelijken.",
                        "builtin.not_comparable")


@builtin("min", "list...")
def min_(*args):
    items = items_of(args, "min")
    if not items:
        return None
    _ordered(items, "min")
    return functools.reduce(lambda a, b: b if ops.lt(b, a) else a, items)


@builtin("max", "list...")
def max_(*args):
    items = items_of(args, "max")
    if not items:
        return None
    _ordered(items, "max")
    return functools.reduce(lambda a, b: b if ops.gt(b, a) else a, items)


def _numbers(args, fname):
    items = items_of(args, fname)
    for x in items:
        if not is_num(x):
            raise error(f"{fname}: de lijst mag alleen getallen bevatten.", "builtin.invalid_argument")
    return items


@builtin("sum", "list...")
def sum_(*args):
    items = _numbers(args, "sum")
    if not items:
        return None
    total = 0
    for x in items:
        total = ops.add(total, x)
    return total


@builtin("mean", "list...")
def mean(*args):
    items = _numbers(args, "mean")
    if not items:
        return None
    return ops.div(sum_(items), len(items))


@builtin("product", "list...")
def product(*args):
    items = _numbers(args, "product")
    if not items:
        raise error("product: de lijst is leeg.", "builtin.empty_list")
    total = 1
    for x in items:
        total = ops.mul(total, x)
    return total


@builtin("median", "list...")
def median(*args):
    items = _numbers(args, "median")
    if not items:
        return None
    xs = sorted(items)
    n = len(xs)
    if n % 2:
        return xs[n // 2]
    return ops.div(ops.add(xs[n // 2 - 1], xs[n // 2]), 2)


@builtin("stddev", "list...")
def stddev(*args):
    items = _numbers(args, "stddev")
    if len(items) < 2:
        raise error("stddev: er zijn ten minste twee getallen nodig.", "builtin.too_few_values")
    ctx = DECIMAL_CONTEXT
    xs = [Decimal(x) for x in items]
    m = ctx.divide(sum(xs, Decimal(0)), len(xs))
    var = ctx.divide(sum((ctx.power(x - m, 2) for x in xs), Decimal(0)), len(xs) - 1)
    return number(ctx.sqrt(var))


@builtin("mode", "list...")
def mode(*args):
    items = _numbers(args, "mode")
    if not items:
        return []
    counts: dict = {}
    for x in items:
        counts[x] = counts.get(x, 0) + 1
    top = max(counts.values())
    return sorted(x for x, c in counts.items() if c == top)


def _booleans(args, fname):
    items = items_of(args, fname)
    for x in items:
        if x is not None and not isinstance(x, bool):
            raise error(f"{fname}: de lijst mag alleen true, false of null bevatten.", "builtin.invalid_argument")
    return items


@builtin("all", "list...")
def all_(*args):
    items = _booleans(args, "all")
    if any(x is False for x in items):
        return False
    return None if any(x is None for x in items) else True


@builtin("any", "list...")
def any_(*args):
    items = _booleans(args, "any")
    if any(x is True for x in items):
        return True
    return None if any(x is None for x in items) else False


def _position(pos, length, fname, param="position"):
    p = need_int(pos, fname, param)
    if p == 0 or abs(p) > length:
        raise error(f"{fname}: positie {p} ligt buiten de lijst (lengte {length}).", "builtin.out_of_range")
    return p - 1 if p > 0 else length + p


@builtin("sublist", "list, start position, length?")
def sublist(list, start_position, length=None):  # noqa: A002
    need_list(list, "sublist")
    begin = _position(start_position, len(list), "sublist", "start position")
    if length is None:
        return list[begin:]
    n = need_int(length, "sublist", "length")
    if n < 0 or begin + n > len(list):
        raise error("sublist: de lengte reikt voorbij het einde van de lijst.", "builtin.out_of_range")
    return list[begin:begin + n]


@builtin("append", "list, item...")
def append(list, *items):  # noqa: A002
    need_list(list, "append")
    return list + [*items]


@builtin("concatenate", "list...")
def concatenate(*lists):
    out = []
    for x in lists:
        need_list(x, "concatenate", "list", )
        out.extend(x)
    return out


@builtin("insert before", "list, position, newItem")
def insert_before(list, position, newItem):  # noqa: A002,N803
    need_list(list, "insert before")
    i = _position(position, len(list), "insert before")
    return list[:i] + [newItem] + list[i:]


@builtin("remove", "list, position")
def remove(list, position):  # noqa: A002
    need_list(list, "remove")
    i = _position(position, len(list), "remove")
    return list[:i] + list[i + 1:]


@builtin("reverse", "list")
def reverse(list):  # noqa: A002
    return _list_arg(list, "reverse")[::-1]


@builtin("index of", "list, match")
def index_of(list, match):  # noqa: A002
    need_list(list, "index of")
    return [i + 1 for i, x in enumerate(list) if ops.eq(x, match) is True]


def _distinct(items):
    out = []
    for x in items:
        if not any(ops.eq(x, y) is True for y in out):
            out.append(x)
    return out


@builtin("union", "list...")
def union(*lists):
    out = []
    for x in lists:
        need_list(x, "union")
        out.extend(x)
    return _distinct(out)


@builtin("distinct values", "list")
def distinct_values(list):  # noqa: A002
    return _distinct(_list_arg(list, "distinct values"))


def _flatten(items, out):
    for x in items:
        if isinstance(x, list):
            _flatten(x, out)
        else:
            out.append(x)
    return out


@builtin("flatten", "list")
def flatten(list):  # noqa: A002
    return _flatten(_list_arg(list, "flatten"), [])


def call(fn: Function, args: list):
    """Invoke a FEEL function value from a built-in."""
    return fn.invoke(list(args))


@builtin("sort", "list, precedes")
def sort(list, precedes):  # noqa: A002
    need_list(list, "sort")
    need(isinstance(precedes, Function), "sort", "precedes", precedes, "een functie")

    def cmp(a, b):
        if call(precedes, [a, b]) is True:
            return -1
        if call(precedes, [b, a]) is True:
            return 1
        return 0
    return sorted(list, key=functools.cmp_to_key(cmp))


def _arity(fn: Function):
    return len(getattr(fn, "params", ()) or ())


@builtin("list replace", "list, position, newItem", "list, match, newItem")
def list_replace(list, position=None, newItem=None, match=None):  # noqa: A002,N803
    list = _list_arg(list, "list replace")
    target = position if position is not None else match
    if isinstance(target, Function):
        if _arity(target) != 2:
            raise error("list replace: de match-functie moet twee parameters hebben (item, newItem).",
                        "builtin.invalid_argument")
        out = []
        for x in list:
            r = call(target, [x, newItem])
            if not isinstance(r, bool):
                raise error("list replace: de match-functie moet true of false geven.", "builtin.invalid_argument")
            out.append(newItem if r else x)
        return out
    i = _position(target, len(list), "list replace")
    return list[:i] + [newItem] + list[i + 1:]
