"""evaluate_many's columnar result (issue 14): every case's outputs and fired rule ids as columns,
equal to evaluate() per case, with exact decimals on the vectorised path (ties placed exactly)."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

import engine
from bench.tables import large_table, small_table, workbook_bytes


@pytest.fixture(scope="module", params=["small", "large"])
def table_rules(request, tmp_path_factory):
    table = small_table() if request.param == "small" else large_table()
    path = tmp_path_factory.mktemp("t") / f"{table.name}.xlsx"
    path.write_bytes(workbook_bytes(table))
    return table, engine.load(path)


def _awkward(rnd: random.Random) -> Decimal:
    """Decimals next to the band edges, where float64 rounding would tie with an edge."""
    edge = rnd.choice([10, 18, 20, 25, 50, 65, 80])
    return rnd.choice([Decimal(edge), Decimal(f"{edge}.00"), Decimal(edge) - Decimal("1e-20"),
                       Decimal(edge) + Decimal("1e-20"), Decimal(edge) - Decimal("0.01"), Decimal("64.37")])


def test_columnar_equals_single_evaluation_with_decimals(table_rules):
    table, rules = table_rules
    rnd = random.Random(3)
    cases = table.cases(3000, seed=11, decimals=0.4)
    numeric = [i[0] for i in table.inputs if i[1] == "getal"]
    for case in cases[::7]:
        case[rnd.choice(numeric)] = _awkward(rnd)
    cases.append({numeric[0]: "tekst", **{k: v for k, v in cases[0].items() if k != numeric[0]}})   # a bad case
    batch = rules.evaluate_many(cases, on_error="return")
    cols = batch.columnar()
    assert len(cols) == len(cases)
    for i, case in enumerate(cases):
        try:
            single = rules.evaluate(case)
        except engine.InputError as exc:
            assert isinstance(cols.errors[i], engine.InputError) and str(cols.errors[i]) == str(exc)
            assert cols.fired_ids(i) == [] and all(col[i] is None for col in cols.outputs.values())
            continue
        assert cols.errors[i] is None
        assert cols.fired_ids(i) == [f.rule for f in single.fired], case
        assert {n: c[i] for n, c in cols.outputs.items()} == single.outputs, case
    # decimals take the vectorised path: only the bad case was evaluated one by one
    assert batch._redone == [len(cases) - 1]


def test_columnar_names_tables_without_a_rule(simple_workbook, tmp_path):
    path = tmp_path / "gap.xlsx"
    path.write_bytes(simple_workbook(rows=[("R-1", "< 18", '"jong"')]))
    rules = engine.load(path)
    name = rules.inputs[0].name
    cols = rules.evaluate_many([{name: 10}, {name: Decimal("40.5")}]).columnar()
    assert cols.fired_ids(0) == ["R-1"] and cols.unmatched(0) == []
    assert cols.fired_ids(1) == [] and cols.unmatched(1) == cols.tables
