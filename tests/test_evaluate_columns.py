"""evaluate_columns (issue 14, batch speed): cases given as columns, as `regelbank batch` holds them,
give exactly what evaluate_many gives for the same cases as dicts: outputs, fired ids, errors,
missing inputs (Glossary defaults or an error), wrong types and values outside the allowed ones."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from engine import load
from engine.vectorized import MISSING, evaluate_columns

from .conftest import HEADLINE, workbook


def _columns(cases: list[dict], names: list[str]) -> dict:
    return {name: [c.get(name, MISSING) for c in cases] for name in names}


def _same(a, b):
    assert a.outputs == b.outputs
    assert a.fired == b.fired
    assert [None if e is None else (type(e), str(e)) for e in a.errors] == \
        [None if e is None else (type(e), str(e)) for e in b.errors]


@pytest.mark.parametrize("ruleset", HEADLINE)
def test_columns_equal_dicts_on_messy_cases(ruleset):
    rules = load(workbook(ruleset))
    names = [v.name for v in rules.inputs]
    rnd = random.Random(7)
    examples = [dict(ex.inputs) for ex in rules.model.examples]
    assert examples
    pool = {name: [ex[name] for ex in examples if name in ex] for name in names}
    junk = ["tekst", Decimal("2.5"), -1, None, True, 10**30]
    cases = []
    for i in range(600):
        case = {}
        for name in names:
            roll = rnd.random()
            if roll < 0.05:
                continue                                   # not given: a default, or an error
            if roll < 0.08:
                case[name] = rnd.choice(junk)              # wrong type or value
            elif pool[name]:
                case[name] = rnd.choice(pool[name])
        cases.append(case)
    expected = rules.evaluate_many(cases, on_error="return").columnar()
    got = evaluate_columns(rules, _columns(cases, names), len(cases), on_error="return").columnar()
    _same(got, expected)
    assert any(e is not None for e in got.errors) and any(e is None for e in got.errors)


def test_unknown_column_name_is_reported_per_case():
    rules = load(workbook("kampen/dagbesteding"))
    cases = [{"Doelgroep": "VG", "Groepsgrootte": 4, "Onbekend": 1}]
    expected = rules.evaluate_many(cases, on_error="return").columnar()
    got = evaluate_columns(rules, _columns(cases, ["Doelgroep", "Groepsgrootte", "Onbekend"]), 1,
                           on_error="return").columnar()
    _same(got, expected)
    assert got.errors[0] is not None


def test_no_cases():
    rules = load(workbook("kampen/dagbesteding"))
    assert len(evaluate_columns(rules, {}, 0).columnar()) == 0
