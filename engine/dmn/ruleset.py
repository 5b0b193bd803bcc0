"""A general DMN model behind the engine's RuleSet interface (``engine.load`` returns it).

``evaluate(inputs)`` gives ``.outputs`` (every decision's value by decision name), ``.fired``
(the decision-table rules that matched), ``.explanation`` (Dutch) and ``.diagnostics`` (per
decision, what went wrong; a failing decision is null, the others still evaluate).
``evaluate_decisions`` and ``evaluate_service`` are the decision-level API the TCK runner uses.
"""
from __future__ import annotations

import hashlib

from .. import RuleSet
from ..evaluate import Result
from ..explain import format_nl
from ..findings import Finding
from ..inputs import prepare_inputs
from ..model import (TYPE_ANY, TYPE_BOOLEAN, TYPE_DATE, TYPE_NUMBER, TYPE_TEXT, Metadata, Position, Rule,
                     RuleSetModel, Table, Variable)
from .evaluate import Outcome, evaluate, evaluate_service
from .model import DmnModel

_GLOSSARY_TYPES = {"number": TYPE_NUMBER, "integer": TYPE_NUMBER, "string": TYPE_TEXT, "boolean": TYPE_BOOLEAN,
                   "date": TYPE_DATE}


class DmnRuleSetModel(RuleSetModel):
    """The RuleSetModel face of a DMN model: inputs and decisions as variables, no tables."""

    dmn_inputs: list
    dmn_outputs: list

    @property
    def output_names(self) -> list[str]:
        return list(self.dmn_outputs)

    @property
    def input_names(self) -> list[str]:
        return list(self.dmn_inputs)


class DmnResult(Result):
    __slots__ = ("diagnostics",)


def _glossary_type(dmn_type) -> str:
    if dmn_type is None or dmn_type.collection or dmn_type.components is not None:
        return TYPE_ANY
    return _GLOSSARY_TYPES.get(dmn_type.base or "", TYPE_ANY)


class DmnRuleSet(RuleSet):
    """A loaded general DMN model. Immutable after loading; safe to share between threads."""

    def __init__(self, dmn: DmnModel, content: bytes, findings: list[Finding]):
        variables = {}
        for data in dmn.inputs.values():
            variables[data.name] = Variable(name=data.name, type=_glossary_type(data.type), has_default=True,
                                            default=None, description=data.description or None,
                                            position=Position(data.name, data.id))
        for decision in dmn.decisions.values():
            if decision.name not in variables:
                variables[decision.name] = Variable(name=decision.name, type=_glossary_type(decision.type),
                                                    description=decision.description or None,
                                                    position=Position(decision.name, decision.id))
        model = DmnRuleSetModel(variables=variables, tables=_display_tables(dmn), metadata=Metadata(title=dmn.name), examples=[],
                                source_name=dmn.source_name, format="dmn")
        model.dmn_inputs = [n for n in dmn.inputs if n not in dmn.decisions]
        model.dmn_outputs = list(dmn.decisions)
        self.model = model
        self.dmn = dmn
        self.content = content
        self.version = hashlib.sha256(content).hexdigest()
        self.findings = findings
        self._input_names = model.dmn_inputs
        self._plans = ()

    @property
    def decision_services(self) -> list[str]:
        return [i.name for i in self.dmn.invocables.values() if i.kind == "service"]

    def evaluate_decisions(self, inputs: dict, namespaced: dict | None = None,
                           decisions: list | None = None) -> Outcome:
        """Each decision's value and diagnostics for a case (all, or the named ones and what they
        need); inputs are checked only against their typeRef. ``namespaced``: inputs of imported
        models, by namespace."""
        return evaluate(self.dmn, inputs, namespaced, decisions)

    def evaluate_service(self, name: str, inputs: dict, namespaced: dict | None = None) -> Outcome:
        return evaluate_service(self.dmn, name, inputs, namespaced)

    def evaluate(self, inputs: dict, listeners=()) -> DmnResult:
        """Evaluate one case. Raises InputError for a declared input of the wrong kind.

        Names that are not declared inputs are passed on as they are (a DMN model may read
        variables its author never declared, as Camunda's process variables), never refused."""
        if not isinstance(inputs, dict):
            prepare_inputs(self.model, inputs, self._input_names)      # raises the Dutch InputError
        known = set(self._input_names)
        context = prepare_inputs(self.model, {k: v for k, v in inputs.items() if k in known}, self._input_names)
        context.update({k: v for k, v in inputs.items() if k not in known})
        outcome = evaluate(self.dmn, context)
        outputs = {name: outcome.values.get(name) for name in self.model.dmn_outputs}
        result = DmnResult(outputs, list(outcome.fired), None, context, [],
                           lambda: _explain(self.dmn.name, outputs, outcome))
        result.diagnostics = outcome.diagnostics
        for listener in listeners:
            listener.decision_evaluated(result)
        return result

    def evaluate_many(self, cases, on_error: str = "raise"):
        results = []
        for case in cases:
            try:
                results.append(self.evaluate(case))
            except Exception as exc:  # noqa: BLE001 - returned in place of the result when asked
                if on_error != "return":
                    raise
                results.append(exc)
        return results


def _display_tables(dmn: DmnModel) -> list[Table]:
    """The decision tables of the model as plain Tables (texts, ids, annotations) for pages and
    traces; they are not evaluated by the table engine."""
    tables = []
    for decision in dmn.decisions.values():
        display = getattr(decision.evaluator, "display", None)
        if display is None:
            continue
        inputs, outputs, rules = display
        position = Position(decision.name, decision.id)
        tables.append(Table(name=decision.name, hit_policy=decision.evaluator.hit_policy, inputs=list(inputs),
                            outputs=list(outputs), position=position, description=decision.description,
                            rules=[Rule(id=rule_id, index=i, input_texts=ins, output_texts=outs, annotation=note,
                                        source=source, position=Position(decision.name, rule_id))
                                   for i, (rule_id, ins, outs, note, source) in enumerate(rules)]))
    return tables


def _explain(title: str, outputs: dict, outcome: Outcome) -> str:
    shown = [f"{name} = {_nl(value)}" for name, value in outputs.items()]
    parts = [f"{title}: {', '.join(shown)}." if shown else f"{title}: geen uitkomst."]
    for fired in outcome.fired:
        text = f"Regel {fired.rule} uit '{fired.table}' is toegepast"
        parts.append(text + (f": {fired.annotation.rstrip('.')}." if fired.annotation else "."))
    for name, diagnostics in outcome.diagnostics.items():
        for diagnostic in diagnostics:
            parts.append(f"Let op bij '{name}': {getattr(diagnostic, 'message', diagnostic)}")
    return " ".join(parts)


def _nl(value) -> str:
    try:
        return format_nl(value)
    except Exception:  # noqa: BLE001
        return str(value)
