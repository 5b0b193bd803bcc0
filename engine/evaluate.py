"""Evaluate a compiled rule-set model: chained decision tables, hit policies, and the trace.

The trace is produced by the evaluation itself: each table reports the rules it matched to the
evaluation listeners (Camunda style) as it goes. The decision log is one such listener, living
outside the engine, so the core knows nothing of storage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import feel
from .model import RuleSetModel, Rule, Table, TYPE_MONEY


class EvaluationError(RuntimeError):
    """The rules themselves cannot decide this case (hit-policy violation, division by zero)."""

    def __init__(self, message: str, table: str | None = None, rules: list[str] | None = None):
        super().__init__(message)
        self.table = table
        self.rules = rules or []


class EvaluationListener:
    """Receives each table's matched rules during evaluation, then the finished result."""

    def table_evaluated(self, table: Table, matched: list[Rule], outputs: dict, context: dict) -> None:
        pass

    def decision_evaluated(self, result: "Result") -> None:
        pass


@dataclass
class Fired:
    table: str
    rule: str
    annotation: str
    source: str = ""
    row: int = 0                 # 0-based index of the rule in its table
    cell: str = ""               # sheet!cell of the rule id, for auditors

    def as_dict(self) -> dict:
        return {"table": self.table, "rule": self.rule, "annotation": self.annotation, "source": self.source,
                "cell": self.cell}


@dataclass
class Result:
    outputs: dict
    fired: list[Fired]
    explanation: str
    inputs: dict = field(default_factory=dict)        # the inputs as used, defaults filled in
    unmatched: list[str] = field(default_factory=list)  # tables where no rule applied

    @property
    def decided(self) -> bool:
        """False when some table had no applicable rule ('geen regel van toepassing')."""
        return not self.unmatched

    def as_dict(self) -> dict:
        return {"outputs": self.outputs, "fired": [f.as_dict() for f in self.fired], "explanation": self.explanation,
                "decided": self.decided, "unmatched": self.unmatched}


def matching_rules(table: Table, context: dict) -> list[Rule]:
    values = [context.get(name) for name in table.inputs]
    matched = []
    for rule in table.rules:
        for index, test in rule.tests:
            if test(values[index], context) is not True:
                break
        else:
            matched.append(rule)
    return matched


def _rule_outputs(table: Table, rule: Rule, context: dict) -> dict:
    result = {}
    for name, compute in zip(table.outputs, rule.outputs):
        try:
            result[name] = compute(context)
        except feel.FeelEvaluationError as exc:
            raise EvaluationError(f"Regel {rule.id} in tabel '{table.name}' kan '{name}' niet berekenen: {exc}.",
                                  table.name, [rule.id]) from None
    return result


def _priority_key(table: Table, outputs: dict):
    key = []
    for name in table.outputs:
        order = table.output_priorities.get(name, ())
        value = outputs.get(name)
        key.append(order.index(value) if value in order else len(order))
    return tuple(key)


def apply_hit_policy(table: Table, matched: list[Rule], context: dict) -> tuple[list[Rule], dict]:
    """Return (fired rules, table outputs) for the matched rules under the table's hit policy."""
    policy = table.hit_policy
    if not matched:
        empty = 0 if policy == "C#" else None
        return [], {name: empty for name in table.outputs}
    if policy in ("U", "A", "F") or len(matched) == 1 and policy == "P":
        if policy == "U" and len(matched) > 1:
            ids = ", ".join(r.id for r in matched)
            raise EvaluationError(
                f"Tabel '{table.name}' (hit policy U) vindt meer dan één toepasselijke regel ({ids}); bij U mag dat "
                "niet. De regels overlappen: pas de tabel aan zodat precies één regel van toepassing is.",
                table.name, [r.id for r in matched])
        first = _rule_outputs(table, matched[0], context)
        if policy == "A" and len(matched) > 1:
            for other in matched[1:]:
                if _rule_outputs(table, other, context) != first:
                    raise EvaluationError(
                        f"Tabel '{table.name}' (hit policy A) vindt regels {matched[0].id} en {other.id} met verschillende "
                        "uitkomsten; bij A moeten alle toepasselijke regels dezelfde uitkomst geven.",
                        table.name, [matched[0].id, other.id])
            return matched, first
        return ([matched[0]] if policy == "F" else matched), first
    all_outputs = [(rule, _rule_outputs(table, rule, context)) for rule in matched]
    if policy == "P":
        rule, outputs = min(all_outputs, key=lambda ro: _priority_key(table, ro[1]))
        return [rule], outputs
    if policy == "O":
        all_outputs.sort(key=lambda ro: _priority_key(table, ro[1]))
    rules = [r for r, _ in all_outputs]
    if policy in ("R", "O", "C"):
        return rules, {name: [o[name] for _, o in all_outputs] for name in table.outputs}
    values = {name: [o[name] for _, o in all_outputs] for name in table.outputs}
    if policy == "C#":
        return rules, {name: len(set(map(_hashable, vs))) for name, vs in values.items()}
    aggregate = {"C+": lambda vs: feel.number(sum(vs)), "C<": min, "C>": max}[policy]
    out = {}
    for name, vs in values.items():
        vs = [v for v in vs if v is not None]
        try:
            out[name] = aggregate(vs) if vs else None
        except TypeError:
            raise EvaluationError(f"Tabel '{table.name}' (hit policy {policy}) kan de uitkomsten van '{name}' niet "
                                  "optellen of vergelijken; gebruik getallen.", table.name, [r.id for r in rules]) from None
    return rules, out


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def evaluate_model(model: RuleSetModel, context: dict, listeners=()) -> tuple[dict, list[Fired], list[str]]:
    """Run the tables in order over ``context`` (mutated: outputs are added). Returns outputs, trace, unmatched."""
    outputs: dict = {}
    trace: list[Fired] = []
    unmatched: list[str] = []
    for table in model.tables:
        matched = matching_rules(table, context)
        fired, table_outputs = apply_hit_policy(table, matched, context)
        if not fired:
            unmatched.append(table.name)
        for rule in fired:
            trace.append(Fired(table.name, rule.id, rule.annotation_with_source, rule.source, rule.index,
                               str(rule.position)))
        for name, value in table_outputs.items():
            var = model.variables.get(name)
            if var is not None and var.type == TYPE_MONEY and isinstance(value, Decimal):
                value = feel.number(value)
            context[name] = value
            outputs[name] = value
        for listener in listeners:
            listener.table_evaluated(table, fired, table_outputs, context)
    return outputs, trace, unmatched
