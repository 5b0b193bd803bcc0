"""Evaluate the same cases against two rule sets (e.g. two gemeenten) and list where they differ."""
from __future__ import annotations

import datetime as _dt

import engine

from .cases import cases_from_rows
from .jsonout import jsonable


def _evaluate(rules: engine.RuleSet, row: dict):
    (case,), (error,) = cases_from_rows(rules, [row])
    if error:
        return None, error
    try:
        return rules.evaluate(case), None
    except (engine.InputError, engine.EvaluationError) as exc:
        return None, str(exc)


def compare(service, ruleset_a: str, ruleset_b: str, cases: list[dict], as_of: _dt.date | None = None) -> dict:
    """Per case the outputs of both rule sets, and the shared outputs that differ.

    Each rule set takes the columns it knows and ignores the rest, so one caseload serves two
    gemeenten whose rules ask for different inputs."""
    version_a, rules_a = service.version_in_force(ruleset_a, as_of)
    version_b, rules_b = service.version_in_force(ruleset_b, as_of)
    shared = [v.name for v in rules_a.outputs if v.name in {w.name for w in rules_b.outputs}]
    rows, differing = [], 0
    for number, case in enumerate(cases, start=1):
        result_a, error_a = _evaluate(rules_a, case)
        result_b, error_b = _evaluate(rules_b, case)
        outputs_a = jsonable(result_a.outputs) if result_a else None
        outputs_b = jsonable(result_b.outputs) if result_b else None
        differences = []
        if outputs_a is not None and outputs_b is not None:
            differences = [{"output": name, "a": outputs_a.get(name), "b": outputs_b.get(name)}
                           for name in shared if outputs_a.get(name) != outputs_b.get(name)]
        differs = bool(differences) or (error_a is None) != (error_b is None)
        differing += differs
        rows.append({"case": number, "inputs": case, "differs": differs, "differences": differences,
                     "a": {"outputs": outputs_a, "fired": [f.rule for f in result_a.fired] if result_a else [],
                           "error": error_a},
                     "b": {"outputs": outputs_b, "fired": [f.rule for f in result_b.fired] if result_b else [],
                           "error": error_b}})
    return {"a": {"ruleset": ruleset_a, "version": version_a.hash}, "b": {"ruleset": ruleset_b, "version": version_b.hash},
            "shared_outputs": shared, "cases": len(cases), "differing": differing,
            "summary": f"{differing} van {len(cases)} casussen geven een andere uitkomst "
                       f"({', '.join(shared) or 'geen gedeelde uitkomsten'}).",
            "rows": rows}
