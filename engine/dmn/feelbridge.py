"""The FEEL compile API the DMN model uses (FEEL_CONTRACT.md: ``compile_feel`` / ``compile_unary``).

Everything in ``engine.dmn`` compiles expressions through this module, once, at load time. When
the FEEL package provides ``compile_feel``/``compile_unary`` they are used as they are; until
then (or in an older checkout) the S-FEEL parser of ``engine.feel`` stands in, with the same
interface: ``compile_expression(text, names, functions)`` gives an object with
``evaluate(variables, diagnostics)``; ``compile_tests(text, names, functions)`` one with
``matches(value, variables, diagnostics)``. ``functions`` (name -> callable) matter only to the
stand-in, which must know at parse time which names are called.
"""
from __future__ import annotations

from typing import Any, Mapping

from .. import feel

try:
    from ..feel.errors import Diagnostic
except ImportError:  # pragma: no cover - the FEEL package always has errors.py
    Diagnostic = None

FeelSyntaxError = feel.FeelSyntaxError
HAVE_COMPILE = hasattr(feel, "compile_feel") and hasattr(feel, "compile_unary")


def diagnostic(code: str, message: str, expression: str | None = None):
    """A diagnostic record (the FEEL package's Diagnostic)."""
    if Diagnostic is not None:
        return Diagnostic(code, message, expression)
    return f"{message} ({code})"  # pragma: no cover


class _Legacy:
    """An S-FEEL expression compiled by the old parser, behind the contract's interface."""

    __slots__ = ("text", "_fn")

    def __init__(self, text: str, fn):
        self.text, self._fn = text, fn

    def evaluate(self, variables: Mapping[str, Any], diagnostics: list | None = None):
        try:
            return self._fn(variables)
        except Exception as exc:  # noqa: BLE001 - no exception escapes evaluation
            if diagnostics is not None:
                diagnostics.append(diagnostic("evaluation", f"Kan '{self.text}' niet berekenen: {exc}", self.text))
            return None


class _LegacyTests:
    __slots__ = ("text", "_fn")

    def __init__(self, text: str, fn):
        self.text, self._fn = text, fn

    def matches(self, value, variables: Mapping[str, Any], diagnostics: list | None = None):
        try:
            return self._fn(value, variables)
        except Exception as exc:  # noqa: BLE001
            if diagnostics is not None:
                diagnostics.append(diagnostic("evaluation", f"Kan test '{self.text}' niet toepassen: {exc}", self.text))
            return None


def compile_expression(text: str, names=(), functions: Mapping | None = None):
    """Compile a FEEL expression once. Raises FeelSyntaxError for text that does not parse."""
    if HAVE_COMPILE:
        return feel.compile_feel(text, names=tuple(names))
    functions = dict(functions or {})
    ast = feel.parse_expression(text, frozenset(names) | frozenset(functions), functions.keys())
    return _Legacy(text, feel.compile_expression(ast, lambda n: n, functions))


def compile_tests(text: str, names=(), functions: Mapping | None = None):
    """Compile unary tests (an input entry, allowed values) once. Raises FeelSyntaxError."""
    if HAVE_COMPILE:
        return feel.compile_unary(text, names=tuple(names))
    functions = dict(functions or {})
    ast = feel.parse_unary_tests(text, frozenset(names) | frozenset(functions), functions.keys())
    return _LegacyTests(text, feel.compile_unary_tests(ast, lambda n: n, functions))


def is_number(value) -> bool:
    return feel.is_number(value)
