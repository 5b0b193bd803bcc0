"""The FEEL compile API the DMN model uses (FEEL_CONTRACT.md: ``compile_feel`` / ``compile_unary``).

Everything in ``engine.dmn`` compiles expressions through here, once, at load time:
``compile_expression(text, names)`` gives an object with ``evaluate(variables, diagnostics)``,
``compile_tests(text, names)`` one with ``matches(value, variables, diagnostics)``. ``names`` are
the names in scope (with spaces and dots), so that the parser reads ``Applicant Age`` as one name.
Function values (BKMs, decision services, boxed functions) are found in the variables.
"""
from __future__ import annotations

from .. import feel
from ..feel.errors import Diagnostic

FeelSyntaxError = feel.FeelSyntaxError


def diagnostic(code: str, message: str, expression: str | None = None) -> Diagnostic:
    """A diagnostic record (the FEEL package's Diagnostic)."""
    return Diagnostic(code, message, expression)


def compile_expression(text: str, names=(), functions=None, types=None):
    """Compile a FEEL expression once. Raises FeelSyntaxError for text that does not parse.
    ``types`` maps an item definition's name to its type, for ``instance of``."""
    return feel.compile_feel(text, names=tuple(names), types=types)


def compile_tests(text: str, names=(), functions=None):
    """Compile unary tests (an input entry, allowed values) once. Raises FeelSyntaxError."""
    return feel.compile_unary(text, names=tuple(names))
