"""FEEL (DMN 1.5 chapter 10): the one parser and evaluator of expressions in Regelbank.

Layout (like Camunda's feel-scala):

- ``lexer.py``   text -> tokens (numbers, strings, ``@"..."``, names, comments skipped)
- ``parser.py``  tokens -> AST (``ast.py``), the whole DMN 1.5 grammar; Dutch syntax errors
- ``interpreter.py``  AST -> Python closures, compiled once; errors become null + diagnostic
- ``scope.py``   the per-evaluation state (diagnostics)
- ``types.py``   type syntax (``list<number>``, ``context<a: number>``) and conformance
- ``values.py``, ``temporal.py``, ``ops.py``, ``builtins/``, ``format.py``, ``regex.py``:
  the value model, operators and built-in functions.

Public API::

    expr = compile_feel("sum(for x in xs return x * 2)", names={"xs"})
    expr.evaluate({"xs": [1, 2]})                      # 6
    tests = compile_unary("[1..10], > 20")
    tests.matches(25)                                  # True

The older API (parse_expression / compile_expression, parse_unary_tests /
compile_unary_tests and the AST classes) is unchanged for the decision-table engine.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from . import ast as _ast
from .ast import (DONT_CARE, AnyOf, Between, Binary, Call, Compare, ContextNode, Filter, ForNode, FunctionDef,  # noqa: F401
                  If, In, InstanceOf, Interval, Invoke, ListNode, Literal, Name, Negation, Path, Quantified,
                  RangeNode, Temporal, Unary, names_in)
from .errors import Diagnostic, FeelEvaluationError, FeelSyntaxError  # noqa: F401
from .interpreter import Compiler, UserFunction, guard_expression, guard_tests  # noqa: F401
from .parser import MAX_DEPTH, has_unbracketed_logic, parse_expression, parse_unary_tests  # noqa: F401
from .scope import STATE, evaluation
from .types import conforms, parse_type  # noqa: F401
from .values import DECIMAL_PRECISION, Function, Range, YearsMonths, is_number, number  # noqa: F401

__all__ = [
    "compile_feel", "compile_unary", "CompiledExpression", "CompiledUnaryTests",
    "parse_unary_tests", "parse_expression", "compile_expression", "compile_unary_tests", "names_in",
    "has_unbracketed_logic", "literal_value", "format_value", "number", "is_number", "parse_duration",
    "parse_date", "FeelSyntaxError", "FeelEvaluationError", "Diagnostic", "YearsMonths", "Range", "Function",
    "DECIMAL_PRECISION", "FUNCTIONS", "Literal", "Name", "Unary", "Binary", "Call", "Compare", "Interval",
    "Negation", "AnyOf", "DONT_CARE", "parse_type", "conforms",
]


def _functions_table():
    from .interpreter import builtins_table
    return builtins_table()


def __getattr__(name):
    if name == "FUNCTIONS":        # the built-ins, looked up late (VALUES' builtins/ may load later)
        return _functions_table()
    raise AttributeError(name)


# ---------------------------------------------------------------- the compile API (contract)

class CompiledExpression:
    """An expression parsed and compiled once; ``evaluate`` never re-reads the text."""
    __slots__ = ("text", "ast", "_fn")

    def __init__(self, text: str, ast, fn):
        self.text, self.ast, self._fn = text, ast, fn

    def evaluate(self, variables: Mapping[str, Any] | None = None, diagnostics: list | None = None):
        """The value (None for null). Problems become diagnostics, never exceptions."""
        ctx = variables if isinstance(variables, dict) else dict(variables or {})
        saved = STATE.diagnostics
        STATE.diagnostics = diagnostics
        try:
            return self._fn(ctx)
        except Exception as exc:        # the guard of last resort
            if diagnostics is not None:
                diagnostics.append(Diagnostic("internal", f"De expressie kon niet worden berekend "
                                                          f"({type(exc).__name__}).", self.text))
            return None
        finally:
            STATE.diagnostics = saved

    @property
    def names(self) -> set[str]:
        return names_in(self.ast)

    def __repr__(self) -> str:
        return f"CompiledExpression({self.text!r})"


class CompiledUnaryTests:
    """Unary tests parsed and compiled once; ``matches`` gives True, False or None."""
    __slots__ = ("text", "ast", "_fn")

    def __init__(self, text: str, ast, fn):
        self.text, self.ast, self._fn = text, ast, fn

    def matches(self, value, variables: Mapping[str, Any] | None = None, diagnostics: list | None = None):
        ctx = variables if isinstance(variables, dict) else dict(variables or {})
        saved = STATE.diagnostics
        STATE.diagnostics = diagnostics
        try:
            return self._fn(value, ctx)
        except Exception as exc:
            if diagnostics is not None:
                diagnostics.append(Diagnostic("internal", f"De test kon niet worden uitgevoerd "
                                                          f"({type(exc).__name__}).", self.text))
            return None
        finally:
            STATE.diagnostics = saved

    @property
    def names(self) -> set[str]:
        return names_in(self.ast)

    def __repr__(self) -> str:
        return f"CompiledUnaryTests({self.text!r})"


def compile_feel(text: str, names=(), functions: dict | None = None,
                 resolve: Callable[[str], str] | None = None, types: Callable[[str], Any] | None = None
                 ) -> CompiledExpression:
    """Parse and compile an expression. ``names``: the names in scope (may contain spaces);
    ``functions``: user functions by name (callables or Function values); ``resolve``: maps a
    name as written to its key in the variables; ``types``: maps a type name that is not built in
    (an item definition) to a type (types.py) for ``instance of``. Raises FeelSyntaxError (Dutch)."""
    functions = functions or {}
    ast = parse_expression(text, names, functions.keys())
    fn = _compile(lambda: Compiler(resolve, functions, text.strip(), types).expr(ast))
    return CompiledExpression(text, ast, fn)


def compile_unary(text: str, names=(), functions: dict | None = None,
                  resolve: Callable[[str], str] | None = None, types: Callable[[str], Any] | None = None
                  ) -> CompiledUnaryTests:
    """Parse and compile unary tests (``-``, ``< 5``, ``[1..2]``, ``"a", "b"``, ``not(...)``, ``? > 3``)."""
    functions = functions or {}
    ast = parse_unary_tests(text, names, functions.keys())
    fn = _compile(lambda: Compiler(resolve, functions, text.strip(), types).unary(ast))
    return CompiledUnaryTests(text, ast, fn)


def _compile(build):
    try:
        return build()
    except FeelSyntaxError:
        raise
    except RecursionError:
        raise FeelSyntaxError("De expressie is te diep genest; splits haar op.", "too-deep", 0) from None


# ---------------------------------------------------------------- the older API

def compile_expression(node, resolve: Callable[[str], str] = lambda n: n, functions: dict | None = None
                       ) -> Callable[[dict], Any]:
    """Compile an expression AST into ``f(context) -> value`` (never raises at run time)."""
    fn = Compiler(resolve, functions).expr(node)
    if isinstance(node, (Literal, Name)):
        return fn
    guarded = guard_expression(fn, "")

    def strict(ctx):
        # Regelbank's decision tables treat division by zero as an error of the rule (the DMN
        # side uses compile_feel, where it is null plus a diagnostic).
        outer = STATE.diagnostics
        found: list = []
        STATE.diagnostics = found
        try:
            value = guarded(ctx)
        finally:
            STATE.diagnostics = outer
        if found:
            if outer is not None:
                outer.extend(found)
            for d in found:
                if d.code == "arithmetic.division_by_zero":
                    raise FeelEvaluationError("deling door nul", d.code)
                if d.code == "arithmetic.out_of_range":   # 10 ** 7000: beyond decimal128
                    raise FeelEvaluationError("de uitkomst valt buiten het bereik van getallen", d.code)
        return value
    return strict


def compile_unary_tests(node, resolve: Callable[[str], str] = lambda n: n, functions: dict | None = None
                        ) -> Callable[[Any, dict], Any]:
    """Compile a unary-test AST into ``f(value, context) -> True | False | None``."""
    fn = Compiler(resolve, functions).unary(node)
    if _simple_tests(node):
        return fn                      # the decision-table fast paths: nothing can raise
    return guard_tests(fn, "")


def _simple_tests(node) -> bool:
    if not isinstance(node, (AnyOf, _ast.Negation)):
        return False
    for t in node.tests:
        if isinstance(t, Compare) and isinstance(t.operand, Literal):
            continue
        if isinstance(t, Interval) and isinstance(t.low, Literal) and isinstance(t.high, Literal):
            continue
        return False
    return True


def literal_value(node):
    """The constant value of an AST node, or raise FeelSyntaxError when it is not a constant."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Unary) and isinstance(node.operand, Literal) and is_number(node.operand.value):
        return -node.operand.value
    raise FeelSyntaxError("Hier is een vaste waarde nodig (een getal, tekst tussen aanhalingstekens, true/false of null).")


def format_value(value) -> str:
    """A value as FEEL text (for messages, DMN export and diffs)."""
    from .format import format_value as fmt
    return fmt(value)


def parse_duration(text: str):
    """A duration from ISO 8601 text; raises FeelSyntaxError (Dutch) when invalid."""
    from .temporal import parse_duration as parse
    value = parse(text)
    if value is None:
        raise FeelSyntaxError(f'"{text}" is geen geldige duur; gebruik bijvoorbeeld "P3D", "PT2H" of "P1Y6M".')
    return value


def parse_date(text: str):
    """A date from ``YYYY-MM-DD``; raises FeelSyntaxError (Dutch) when invalid."""
    from .temporal import parse_date as parse
    value = parse(text)
    if value is None:
        raise FeelSyntaxError(f'"{text}" is geen geldige datum; schrijf JJJJ-MM-DD, bijvoorbeeld date("2027-01-01").')
    return value
