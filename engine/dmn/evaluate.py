"""Evaluate a DMN decision graph over FEEL values.

Each case gets a ``Scope``: a Mapping from names to values that evaluates a decision the first
time a name needs it (so the order follows the expressions, with or without requirement edges).
A decision that fails gives null plus its diagnostics; the others still evaluate. A cycle
between decisions met at run time is null plus a diagnostic, never a hang.
"""
from __future__ import annotations

from .boxed import evaluate_guarded
from .model import DmnModel
from .runtime import DmnFunction, Run, set_run


class Outcome:
    """What one evaluation gives: value and diagnostics per decision, fired rules in order."""

    def __init__(self, values: dict, diagnostics: dict, fired: list, inputs: dict):
        self.values = values
        self.diagnostics = diagnostics
        self.fired = fired
        self.inputs = inputs

    def __repr__(self) -> str:
        return f"Outcome(values={self.values!r}, diagnostics={self.diagnostics!r})"


class Scope:
    """One model during one evaluation. ``values`` is the plain dict of FEEL variables (inputs,
    function values of BKMs and services, imports, and decisions as they are computed); a decision
    first evaluates the decisions it needs (its requirements and the decision names its
    expressions mention), then itself with ``values`` as its variables."""

    def __init__(self, model: DmnModel, given: dict, run: Run, namespaced: dict | None = None,
                 overrides: dict | None = None):
        self.model = model
        self.given = given
        self.run = run
        self.namespaced = namespaced or {}
        self.overrides = overrides or {}
        self.diagnostics: dict = {}
        self.done: set = set()
        values: dict = {}
        self.values = values
        for key, value in given.items():          # free names (Camunda: process variables) as given
            if isinstance(key, str):
                values[key] = value
        for name in model.inputs:
            values[name] = self.input_value(name)
        for name in model.invocables:
            values[name] = self.function(name)
        values.update(self.overrides)
        self.done.update(self.overrides)
        self._imports: dict = {}

    def __getitem__(self, name: str):
        if name in self.model.decisions:
            return self.decide(name)
        if name in self.model.imports:
            self.need_import(name)
        return self.values.get(name)

    # -- pieces
    def input_value(self, name: str):
        data = self.model.inputs[name]
        if name not in self.given:
            return None
        value = self.given[name]
        if value is not None and data.type.known:
            bucket = self.diagnostics.setdefault(name, [])
            value = data.type.check(value, bucket, f"Invoer '{name}'", lenient=True)
        return value

    def decide(self, name: str):
        """The decision's value: first the decisions it needs, in dependency order (iteratively:
        a chain of 2,000 decisions does not exhaust Python's stack), then itself."""
        if name in self.done:
            return self.values.get(name)
        order, cycles = self._plan(name)
        for node in order:
            if node not in self.done:
                self._evaluate_one(node, cycles.get(node))
        return self.values.get(name)

    def _plan(self, root: str):
        decisions, done = self.model.decisions, self.done

        def needs(name):
            decision = decisions[name]
            return iter([(d, True) for d in decision.requires] + [(d, False) for d in decision.mentions])
        order, state, cycles = [], {root: 1}, {}
        stack = [(root, needs(root))]
        while stack:
            node, pending = stack[-1]
            for dep, hard in pending:
                if dep in done or dep not in decisions or state.get(dep) == 2:
                    continue
                if state.get(dep) == 1:
                    if hard:
                        path = [n for n, _ in stack]
                        cycles[node] = path[path.index(dep):] + [dep]
                    continue
                state[dep] = 1
                stack.append((dep, needs(dep)))
                break
            else:
                stack.pop()
                state[node] = 2
                order.append(node)
        return order, cycles

    def _evaluate_one(self, name: str, cycle: list | None) -> None:
        decision = self.model.decisions[name]
        bucket = self.diagnostics.setdefault(name, [])
        if cycle:
            bucket.append(_diag("dmn-cycle", "De beslissingen zijn in een kring van elkaar afhankelijk: "
                                             + " -> ".join(cycle) + "; de uitkomst is null."))
            self._finish(name, None)
            return
        for prefix in decision.imports:
            self.need_import(prefix)
        if decision.evaluator is None:
            if decision.error:
                bucket.append(_diag("dmn-not-loaded", f"{decision.error} De uitkomst is null."))
            self._finish(name, None)
            return
        run = self.run
        saved = run.diagnostics
        run.diagnostics = bucket
        try:
            value = evaluate_guarded(decision.evaluator, self.values, run, f"Beslissing '{name}'")
            if value is not None and decision.type.known:
                value = decision.type.check(value, bucket, f"Beslissing '{name}'")
        finally:
            run.diagnostics = saved
        self._finish(name, value)

    def _finish(self, name: str, value) -> None:
        values = self.values
        values[name] = value
        self.done.add(name)
        _bind_dotted_functions(values, name, value)
        for alias, (owner, component) in getattr(self.model, "output_aliases", {}).items():
            if owner == name and alias not in self.model.inputs and alias not in self.model.decisions:
                if component is None:
                    values[alias] = value
                else:
                    values[alias] = value.get(component) if isinstance(value, dict) else None

    def function(self, name: str):
        invocable = self.model.invocables[name]
        if invocable.kind == "bkm":
            if invocable.evaluator is None:
                error = invocable.error or f"Kennismodel '{name}' heeft geen logica."
                return DmnFunction(name, invocable.params, _failing(error), self.values, kind="Kennismodel")
            return DmnFunction(name, invocable.params, invocable.evaluator, self.values, invocable.param_types,
                               invocable.result_type, kind="Kennismodel")
        if invocable.error:
            return DmnFunction(name, invocable.params, _failing(invocable.error), self.values, kind="Beslisdienst")
        model, namespaced = self.model, self.namespaced

        def service(bound, run):
            given = {p: bound[p] for p in invocable.input_data}
            overrides = {p: bound[p] for p in invocable.input_decisions}
            inner = Scope(model, given, run, namespaced, overrides)
            results = {o: inner[o] for o in invocable.outputs}
            for o in invocable.outputs:
                run.diagnostics.extend(inner.diagnostics.get(o, []))
            if len(results) == 1:
                return next(iter(results.values()))
            return results
        return DmnFunction(name, invocable.params, service, self.values, invocable.param_types,
                           invocable.result_type, kind="Beslisdienst")

    def need_import(self, prefix: str) -> None:
        """Evaluate an imported model and bind it: as a context under its prefix (or merged, unnamed)."""
        if prefix in self._imports:
            return
        model = self.model.imports[prefix]
        given = dict(self.namespaced.get(model.namespace, {}))
        nested = self.given.get(prefix)
        if isinstance(nested, dict):
            given.update(nested)
        for key, value in self.given.items():
            if isinstance(key, str) and key.startswith(prefix + "."):
                given.setdefault(key[len(prefix) + 1:], value)
        scope = Scope(model, given, self.run, self.namespaced)
        self._imports[prefix] = scope
        for name in model.decisions:
            scope.decide(name)
        for name, bucket in scope.diagnostics.items():
            if bucket:
                self.diagnostics.setdefault(f"{prefix}.{name}", []).extend(bucket)
        exported = {k: v for k, v in scope.values.items()
                    if k in model.decisions or k in model.inputs or k in model.invocables or k in model.imports}
        if prefix.startswith("__import"):
            for key, value in exported.items():
                self.values.setdefault(key, value)
        else:
            self.values[prefix] = exported
            for key, value in exported.items():
                self.values[f"{prefix}.{key}"] = value


def _bind_dotted_functions(values: dict, name: str, value) -> None:
    """``fn library.sumFn(...)``: a call through a context reads as one qualified name; bind the
    functions of a context value under their qualified names as well."""
    if isinstance(value, dict):
        for key, entry in value.items():
            if isinstance(key, str) and (hasattr(entry, "invoke") or callable(entry)):
                values.setdefault(f"{name}.{key}", entry)


def _diag(code: str, message: str):
    from .feelbridge import diagnostic
    return diagnostic(code, message)


def _failing(error: str):
    def body(scope, run):
        run.report("dmn-not-loaded", f"{error} De uitkomst is null.")
        return None
    return body


def evaluate(model: DmnModel, inputs: dict, namespaced: dict | None = None,
             decisions: list[str] | None = None) -> Outcome:
    """Evaluate every decision of the model (or the named ones) for one case."""
    run = Run()
    previous = set_run(run)
    try:
        scope = Scope(model, dict(inputs), run, namespaced)
        run.scope = scope
        values = {}
        for name in decisions or model.decisions:
            if name in model.decisions:
                values[name] = scope[name]
        for name in scope.done:
            if name in model.decisions:
                values.setdefault(name, scope.values.get(name))
        diagnostics = {k: v for k, v in scope.diagnostics.items() if v}
        return Outcome(values, diagnostics, run.fired, dict(inputs))
    finally:
        set_run(previous)


def evaluate_service(model: DmnModel, name: str, inputs: dict, namespaced: dict | None = None) -> Outcome:
    """Invoke a decision service directly: its input data and input decisions come from ``inputs``."""
    service = model.invocables.get(name)
    if service is None or service.kind != "service":
        raise KeyError(f"Beslisdienst '{name}' bestaat niet in dit model.")
    run = Run()
    previous = set_run(run)
    try:
        given = {p: inputs.get(p) for p in service.input_data}
        overrides = {p: inputs.get(p) for p in service.input_decisions}
        scope = Scope(model, given, run, namespaced, overrides)
        run.scope = scope
        for p in service.input_decisions:
            if p not in inputs:
                scope.diagnostics.setdefault(p, []).append(_diag(
                    "service-input", f"Beslisdienst '{name}': de invoerbeslissing '{p}' is niet meegegeven."))
        values = {}
        for output in service.outputs:
            values[output] = scope[output]
            bucket = scope.diagnostics.setdefault(output, [])
            for p in service.params:       # a missing or non-conforming parameter explains a null output
                bucket.extend(d for d in scope.diagnostics.get(p, []) if d not in bucket)
        result = values[service.outputs[0]] if len(service.outputs) == 1 else dict(values)
        if service.result_type is not None and result is not None:
            checked = service.result_type.check(result, scope.diagnostics.setdefault(name, []),
                                                f"Beslisdienst '{name}'")
            if checked is None:
                for output in service.outputs:
                    values[output] = None
                    scope.diagnostics.setdefault(output, []).extend(scope.diagnostics[name])
            result = checked
        values[name] = result
        diagnostics = {k: v for k, v in scope.diagnostics.items() if v}
        return Outcome(values, diagnostics, run.fired, dict(inputs))
    finally:
        set_run(previous)
