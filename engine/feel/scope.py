"""The evaluation context: per-thread state of the evaluation in progress.

Compiled closures take a plain dict of variables (fast); what belongs to the evaluation as a
whole (the diagnostics list, the moment ``now()`` is taken) lives here, per thread, set by
``CompiledExpression.evaluate`` for its duration. Built-ins receive this object as ``ctx``.
"""
from __future__ import annotations

import threading

from .errors import Diagnostic


class EvaluationState(threading.local):
    """``diagnostics``: the list to append to (None: diagnostics are dropped)."""

    def __init__(self):
        self.diagnostics = None
        self.now = None


STATE = EvaluationState()


def report(code: str, message: str, expression: str | None = None) -> None:
    diagnostics = STATE.diagnostics
    if diagnostics is not None:
        diagnostics.append(Diagnostic(code, message, expression))


class evaluation:
    """``with evaluation(diagnostics): ...`` — collect the diagnostics of nested evaluations."""

    def __init__(self, diagnostics):
        self.diagnostics = diagnostics

    def __enter__(self):
        self.saved = STATE.diagnostics
        STATE.diagnostics = self.diagnostics
        return STATE

    def __exit__(self, *exc):
        STATE.diagnostics = self.saved
        return False
