"""Errors and diagnostics of the FEEL package.

Messages are Dutch (policy staff read them); ``code`` is a stable English identifier for
developers and tests.
"""
from __future__ import annotations

from dataclasses import dataclass


class FeelSyntaxError(ValueError):
    """Text that is not valid FEEL. The message is Dutch, for policy staff."""

    def __init__(self, message: str = "", code: str = "syntax", position: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.position = position


class FeelEvaluationError(ArithmeticError):
    """An expression that cannot be computed for this case (invalid argument, overflow, ...).

    Raised by built-ins; the interpreter catches it at the call site, records a Diagnostic and
    yields null.
    """

    def __init__(self, message: str = "", code: str = "evaluation"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Diagnostic:
    """Something that went wrong while evaluating; the value concerned became null."""
    code: str
    message: str
    expression: str | None = None

    def __str__(self) -> str:
        return f"{self.message} ({self.code})" if not self.expression else \
            f"{self.message} ({self.code}, in: {self.expression})"
