"""FEEL abstract syntax tree: frozen (hashable) dataclasses.

The first ten classes are the historical S-FEEL nodes that the rest of the engine inspects
(analysis.py, evaluate.py, workbook.py, inputs.py, vectorized.py); their fields are unchanged.
A dotted name whose head is a plain name (``Client.Age``) stays one ``Name("Client.Age")``, as
before: the interpreter looks the whole name up first, then walks the path.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Unary:
    op: str            # "-"
    operand: Any


@dataclass(frozen=True)
class Binary:
    op: str            # + - * / ** = != < <= > >= and or
    left: Any
    right: Any


@dataclass(frozen=True)
class Call:
    """``name(args)``: a call of a function by name (built-in, user function or function value)."""
    function: str
    args: tuple
    named: tuple = ()          # ((param name, node), ...) for named arguments


@dataclass(frozen=True)
class Compare:
    """A unary test comparing the tested value: ``< 5``, ``= "VG"``; op "=" with an expression
    operand is the DMN 1.5 'expression as unary test'."""
    op: str
    operand: Any


@dataclass(frozen=True)
class Interval:
    low: Any
    high: Any
    low_closed: bool
    high_closed: bool


@dataclass(frozen=True)
class Negation:
    tests: tuple


@dataclass(frozen=True)
class AnyOf:
    tests: tuple


DONT_CARE = AnyOf(())  # '-': matches everything


# ---------------------------------------------------------------- full FEEL

@dataclass(frozen=True)
class Temporal:
    """``@"2021-01-01"``: the text is turned into a value at compile time (or null + diagnostic)."""
    text: str


@dataclass(frozen=True)
class ListNode:
    items: tuple


@dataclass(frozen=True)
class ContextNode:
    entries: tuple             # ((key, node), ...); later entries see earlier ones


@dataclass(frozen=True)
class RangeNode:
    """A range value: ``[a..b]``, ``(a..b]``, ``]a..b[``; or ``< x`` / ``>= x`` (one end open)."""
    low: Any                   # node or None
    high: Any
    low_closed: bool
    high_closed: bool


@dataclass(frozen=True)
class Path:
    """``expr.name`` where expr is not a plain name (``{a: 1}.a``, ``f(x).year``, ``xs.name``)."""
    base: Any
    name: str


@dataclass(frozen=True)
class Filter:
    """``xs[condition]`` or ``xs[index]``."""
    base: Any
    condition: Any


@dataclass(frozen=True)
class Invoke:
    """``expr(args)`` where expr is not a plain name (``f(1)(2)``, ``(function(x) x)(1)``)."""
    callee: Any
    args: tuple
    named: tuple = ()


@dataclass(frozen=True)
class If:
    condition: Any
    then: Any
    otherwise: Any


@dataclass(frozen=True)
class ForNode:
    iterations: tuple          # ((name, node, upper-node-or-None), ...)
    body: Any


@dataclass(frozen=True)
class Quantified:
    kind: str                  # "some" | "every"
    iterations: tuple          # ((name, node, upper-node-or-None), ...)
    condition: Any


@dataclass(frozen=True)
class FunctionDef:
    params: tuple              # ((name, type-or-None), ...)
    body: Any
    external: bool = False


@dataclass(frozen=True)
class In:
    """``value in tests`` (tests: an AnyOf of positive unary tests)."""
    value: Any
    tests: Any


@dataclass(frozen=True)
class Between:
    value: Any
    low: Any
    high: Any


@dataclass(frozen=True)
class InstanceOf:
    value: Any
    type: Any                  # a types.FeelType


def children(node) -> tuple:
    """The child nodes of a node (for walks such as names_in)."""
    if isinstance(node, (Unary, Compare)):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, (Interval, RangeNode)):
        return tuple(n for n in (node.low, node.high) if n is not None)
    if isinstance(node, (Negation, AnyOf)):
        return node.tests
    if isinstance(node, Call):
        return node.args + tuple(v for _, v in node.named)
    if isinstance(node, Invoke):
        return (node.callee,) + node.args + tuple(v for _, v in node.named)
    if isinstance(node, ListNode):
        return node.items
    if isinstance(node, ContextNode):
        return tuple(v for _, v in node.entries)
    if isinstance(node, Path):
        return (node.base,)
    if isinstance(node, Filter):
        return (node.base, node.condition)
    if isinstance(node, If):
        return (node.condition, node.then, node.otherwise)
    if isinstance(node, (ForNode, Quantified)):
        parts = []
        for _, a, b in node.iterations:
            parts.append(a)
            if b is not None:
                parts.append(b)
        parts.append(node.body if isinstance(node, ForNode) else node.condition)
        return tuple(parts)
    if isinstance(node, FunctionDef):
        return (node.body,)
    if isinstance(node, In):
        return (node.value, node.tests)
    if isinstance(node, Between):
        return (node.value, node.low, node.high)
    if isinstance(node, InstanceOf):
        return (node.value,)
    return ()


def names_in(node) -> set[str]:
    """Every free name an AST refers to (for dependency and glossary checks). Names bound inside
    the expression (loop variables, parameters, context entries, ``item``, ``?``, ``partial``)
    are not included."""
    found: set[str] = set()
    _free(node, frozenset(), found)
    return found


def _free(node, bound: frozenset, found: set) -> None:
    if isinstance(node, Name):
        name = node.name
        if name in bound or name == "?":
            return
        head = name.split(".", 1)[0]
        if head in bound:
            return
        found.add(name)
        return
    if isinstance(node, (ForNode, Quantified)):
        inner = set(bound)
        for name, a, b in node.iterations:
            _free(a, frozenset(inner), found)
            if b is not None:
                _free(b, frozenset(inner), found)
            inner.add(name)
        if isinstance(node, ForNode):
            inner.add("partial")
        _free(node.body if isinstance(node, ForNode) else node.condition, frozenset(inner), found)
        return
    if isinstance(node, FunctionDef):
        _free(node.body, bound | {p for p, _ in node.params}, found)
        return
    if isinstance(node, ContextNode):
        inner = set(bound)
        for key, value in node.entries:
            _free(value, frozenset(inner), found)
            inner.add(key)
        return
    if isinstance(node, Filter):
        _free(node.base, bound, found)
        _free(node.condition, bound | {"item"}, found)
        return
    for child in children(node):
        _free(child, bound, found)

