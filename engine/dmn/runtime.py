"""Run-time pieces shared by boxed expressions, tables and the decision graph.

``Run`` is one evaluation (one case): where diagnostics of the decision being evaluated go, the
trace of fired rules, and the depth of function calls (a BKM calling itself without end is
stopped at ``MAX_CALL_DEPTH`` with a diagnostic). Function values invoked from FEEL do not get
the run passed in, so the current run is thread-local.
"""
from __future__ import annotations

import threading
from collections import ChainMap

from . import feelbridge

from ..feel.values import Function as _FeelFunction

MAX_CALL_DEPTH = 64              # nested BKM / function invocations
MAX_ITERATIONS = 1_000_000       # items produced by one boxed iterator or relation

_current = threading.local()


class Run:
    __slots__ = ("diagnostics", "fired", "depth", "scope")

    def __init__(self):
        self.diagnostics: list = []
        self.fired: list = []
        self.depth = 0
        self.scope = None

    def report(self, code: str, message: str, expression: str | None = None):
        self.diagnostics.append(feelbridge.diagnostic(code, message, expression))


def current_run() -> Run:
    run = getattr(_current, "run", None)
    if run is None:
        run = Run()
        _current.run = run
    return run


def set_run(run: Run | None):
    previous = getattr(_current, "run", None)
    _current.run = run
    return previous


class DmnFunction(_FeelFunction):
    """A function value defined by DMN: a BKM, a decision service, or a boxed function definition.

    ``body(scope, run)`` evaluates with the parameters bound in ``scope``; ``closure`` is the
    scope where the function was defined (model scope for a BKM, the context for a boxed one).
    """

    def __init__(self, name: str, params, body, closure, param_types=None, result_type=None, kind: str = "BKM"):
        self.name = name
        self.params = tuple(params)
        self._body = body
        self._closure = closure
        self._param_types = param_types or {}
        self._result_type = result_type
        self.kind = kind

    def invoke(self, args=None, named=None, ctx=None):
        run = current_run()
        positional = named is None
        args = list(args or [])
        named = dict(named or {})
        if (positional and len(args) != len(self.params)) or any(n not in self.params for n in named) or \
                (args and named):
            run.report("invocation", f"{self.kind} '{self.name}' is aangeroepen met {len(args) + len(named)} "
                                     f"argument(en); verwacht ({', '.join(self.params)}).")
            return None
        bound = dict(zip(self.params, args))
        bound.update(named)
        for p in self.params:
            bound.setdefault(p, None)
            ptype = self._param_types.get(p)
            if ptype is not None and bound[p] is not None:
                checked = ptype.check(bound[p], run.diagnostics, f"{self.kind} '{self.name}', parameter '{p}'")
                if checked is None:
                    return None          # a non-conforming argument: the function is not invoked
                bound[p] = checked
        if run.depth >= MAX_CALL_DEPTH:
            run.report("recursion-limit", f"{self.kind} '{self.name}' roept zichzelf (of een andere functie) meer dan "
                                          f"{MAX_CALL_DEPTH} keer genest aan; de berekening is gestopt.")
            return None
        run.depth += 1
        try:
            value = self._body(ChainMap(bound, self._closure), run)
        except RecursionError:
            run.report("recursion-limit", f"{self.kind} '{self.name}': de aanroepen zijn te diep genest; "
                                          "de berekening is gestopt.")
            value = None
        finally:
            run.depth -= 1
        if self._result_type is not None and value is not None:
            value = self._result_type.check(value, run.diagnostics, f"{self.kind} '{self.name}'")
        return value


def invoke(function, args, named, run: Run, where: str):
    """Invoke any function value (DMN, built-in, or a Python callable)."""
    if function is None:
        run.report("invocation", f"{where}: de aangeroepen functie bestaat niet of is null.")
        return None
    if hasattr(function, "invoke"):
        try:
            if named is not None and not isinstance(function, DmnFunction):
                named = named or None
            return function.invoke(list(args), named, run)
        except Exception as exc:  # noqa: BLE001 - a built-in refusing its arguments
            run.report(getattr(exc, "code", "invocation"), f"{where}: {getattr(exc, 'message', None) or exc}")
            return None
    if callable(function) and not named:
        try:
            return function(*args)
        except Exception as exc:  # noqa: BLE001
            run.report("invocation", f"{where}: {exc}")
            return None
    run.report("invocation", f"{where}: dit is geen functie.")
    return None
