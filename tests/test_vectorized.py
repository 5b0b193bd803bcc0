"""evaluate_many (NumPy, vectorised over columns) gives exactly what evaluate() gives, case by case;
every hit policy, through both paths; hit-policy violations raised at evaluation time."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from engine import EvaluationError, InputError, load, load_bytes
from engine.evaluate import matching_rules, matching_rules_reference
from engine.inputs import prepare_inputs

from .conftest import SPREADSHEETS
from .workbooks import make_workbook

BUNDLED = sorted(SPREADSHEETS.glob("*/*.xlsx"))


def _same(batch_item, single):
    if isinstance(single, Exception):
        assert type(batch_item) is type(single) and str(batch_item) == str(single)
        return
    assert batch_item.outputs == single.outputs
    assert [(f.table, f.rule) for f in batch_item.fired] == [(f.table, f.rule) for f in single.fired]
    assert batch_item.unmatched == single.unmatched
    assert batch_item.inputs == single.inputs
    assert batch_item.explanation == single.explanation


def _single(rules, case):
    try:
        return rules.evaluate(case)
    except (InputError, EvaluationError) as exc:
        return exc


def _variants(rules, example_inputs, rnd, n=40):
    """The examples, plus cases mixing their values (band edges of one example with values of another)."""
    cases = [dict(e) for e in example_inputs]
    names = [v.name for v in rules.inputs]
    pools = {name: [e[name] for e in example_inputs if name in e] for name in names}
    for _ in range(n):
        case = {}
        for name in names:
            if pools[name] and rnd.random() < 0.9:
                case[name] = rnd.choice(pools[name])
        cases.append(case)
    return cases


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bundled_workbooks_batch_equals_single(path):
    rules = load(path)
    rnd = random.Random(path.name)
    cases = _variants(rules, [e.inputs for e in rules.model.examples], rnd)
    batch = rules.evaluate_many(cases, on_error="return")
    assert len(batch) == len(cases)
    for case, item in zip(cases, batch):
        _same(item, _single(rules, case))
    # the index finds the same rules as trying every rule in turn
    for case in cases:
        try:
            context = prepare_inputs(rules.model, case, rules._input_names)
        except InputError:
            continue
        for table in rules.tables:   # first table only: later ones need the earlier outputs in the context
            assert matching_rules(table, context) == matching_rules_reference(table, context)
            break


# ---------------------------------------------------------------- hit policies

ROWS = (("R-1", "< 10", "1", '"a"'), ("R-2", "[5..20]", "2", '"b"'), ("R-3", ">= 15", "3", '"c"'),
        ("R-4", "[5..8]", "2", '"b"'))
INPUTS = (("X", "getal", "[0..100]", None),)
OUTPUTS = (("N", "getal", "3,2,1"), ("T", "tekst", '"c","b","a"'))   # allowed values: the priority order


def _policy_rules(hit):
    return load_bytes(make_workbook(rows=ROWS, inputs=INPUTS, outputs=OUTPUTS, hit=hit), f"{hit}.xlsx")


EXPECTED = {
    # X=7 matches R-1, R-2, R-4 (outputs 1/a, 2/b, 2/b); X=12 only R-2; X=30 only R-3; X=17 R-2 and R-3
    "F": {7: ({"N": 1, "T": "a"}, ["R-1"]), 12: ({"N": 2, "T": "b"}, ["R-2"]), 17: ({"N": 2, "T": "b"}, ["R-2"])},
    "P": {7: ({"N": 2, "T": "b"}, ["R-2"]), 12: ({"N": 2, "T": "b"}, ["R-2"]), 17: ({"N": 3, "T": "c"}, ["R-3"])},
    "R": {7: ({"N": [1, 2, 2], "T": ["a", "b", "b"]}, ["R-1", "R-2", "R-4"]), 12: ({"N": [2], "T": ["b"]}, ["R-2"])},
    "C": {7: ({"N": [1, 2, 2], "T": ["a", "b", "b"]}, ["R-1", "R-2", "R-4"])},
    "O": {7: ({"N": [2, 2, 1], "T": ["b", "b", "a"]}, ["R-2", "R-4", "R-1"]),
          17: ({"N": [3, 2], "T": ["c", "b"]}, ["R-3", "R-2"])},
    "C+": {7: ({"N": 5}, ["R-1", "R-2", "R-4"]), 30: ({"N": 3}, ["R-3"])},
    "C<": {7: ({"N": 1}, ["R-1", "R-2", "R-4"])},
    "C>": {7: ({"N": 2}, ["R-1", "R-2", "R-4"])},
    "C#": {7: ({"N": 2}, ["R-1", "R-2", "R-4"]), 17: ({"N": 2}, ["R-2", "R-3"])},
}


@pytest.mark.parametrize("hit", sorted(EXPECTED))
def test_hit_policy_single_and_batch(hit):
    if hit in ("C+", "C<", "C>", "C#"):
        rows = tuple((r[0], r[1], r[2]) for r in ROWS)
        rules = load_bytes(make_workbook(rows=rows, inputs=INPUTS, outputs=(("N", "getal", None),), hit=hit),
                           f"{hit}.xlsx")
    else:
        rules = _policy_rules(hit)
    cases = [{"X": x} for x in EXPECTED[hit]] + [{"X": x} for x in range(0, 40)]
    batch = rules.evaluate_many(cases, on_error="return")
    for case, item in zip(cases, batch):
        _same(item, _single(rules, case))
    for x, (outputs, fired) in EXPECTED[hit].items():
        result = rules.evaluate({"X": x})
        for name, value in outputs.items():
            assert result.outputs[name] == value, (hit, x, name)
        assert [f.rule for f in result.fired] == fired


def test_no_match_gives_empty_outputs_and_count_zero():
    rows = (("R-1", "< 10", "1"),)
    for hit, empty in (("U", None), ("C+", None), ("C#", 0)):
        rules = load_bytes(make_workbook(rows=rows, inputs=INPUTS, outputs=(("N", "getal", None),), hit=hit), "x.xlsx")
        result = rules.evaluate({"X": 50})
        assert result.outputs["N"] == empty and result.unmatched == ["Tabel"] and not result.decided
        _same(rules.evaluate_many([{"X": 50}])[0], result)


def test_unique_violation_raised_at_evaluation_in_both_paths():
    rules = _policy_rules("U")
    with pytest.raises(EvaluationError) as err:
        rules.evaluate({"X": 7})
    assert "R-1" in str(err.value) and "R-2" in str(err.value) and err.value.rules == ["R-1", "R-2", "R-4"]
    assert rules.evaluate({"X": 30}).outputs["N"] == 3
    with pytest.raises(EvaluationError):
        rules.evaluate_many([{"X": 30}, {"X": 7}])
    batch = rules.evaluate_many([{"X": 30}, {"X": 7}], on_error="return")
    assert batch[0].outputs["N"] == 3 and isinstance(batch[1], EvaluationError)


def test_any_violation_raised_when_outputs_differ():
    rules = _policy_rules("A")
    with pytest.raises(EvaluationError) as err:
        rules.evaluate({"X": 7})      # R-1 gives 1/a, R-2 gives 2/b
    assert "hit policy A" in str(err.value)
    same = load_bytes(make_workbook(rows=(("R-1", "[5..20]", "2", '"b"'), ("R-2", "[5..8]", "2", '"b"')),
                                    inputs=INPUTS, outputs=OUTPUTS, hit="A"), "a.xlsx")
    result = same.evaluate({"X": 6})
    assert result.outputs == {"N": 2, "T": "b"} and [f.rule for f in result.fired] == ["R-1", "R-2"]
    _same(same.evaluate_many([{"X": 6}])[0], result)


# ---------------------------------------------------------------- batches

def test_bad_cases_are_reported_per_case_not_fatal():
    rules = _policy_rules("F")
    cases = [{"X": 7}, {"X": "zeven"}, {}, {"X": 7, "Y": 1}, {"X": 500}, {"X": Decimal("7.5")}, {"X": 7.0}, {"X": True}]
    batch = rules.evaluate_many(cases, on_error="return")
    for case, item in zip(cases, batch):
        _same(item, _single(rules, case))
    assert batch[0].outputs["N"] == 1
    assert all(isinstance(batch[i], InputError) for i in (1, 2, 3, 4, 7))
    assert batch[5].outputs["N"] == 1 and batch[6].outputs["N"] == 1
    assert [f.rule for f in batch[5].fired] == ["R-1"]


def test_batch_columns_and_fired_ids():
    rules = _policy_rules("F")
    batch = rules.evaluate_many([{"X": x} for x in (1, 12, 30, 99)])
    assert batch.outputs["N"] == [1, 2, 3, 3]
    assert [batch.fired_ids(i) for i in range(4)] == [["R-1"], ["R-2"], ["R-3"], ["R-3"]]
    assert [r.outputs["T"] for r in batch] == ["a", "b", "c", "c"]


def test_large_batch_matches_single(tmp_path):
    from bench.tables import large_table, small_table, workbook_bytes
    for table in (small_table(), large_table()):
        rules = load_bytes(workbook_bytes(table), f"{table.name}.xlsx")
        cases = table.cases(3000, seed=3)
        batch = rules.evaluate_many(cases)
        for i in range(0, 3000, 7):
            _same(batch[i], rules.evaluate(cases[i]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({"X": st.one_of(st.integers(-5, 120), st.decimals("-5", "120", places=2),
                                                      st.none(), st.text(max_size=2), st.booleans())}),
                min_size=1, max_size=30),
       st.sampled_from(["U", "A", "F", "P", "R", "O", "C"]))
def test_property_batch_equals_single(cases, hit):
    rules = _POLICY_CACHE.setdefault(hit, _policy_rules(hit))
    batch = rules.evaluate_many(cases, on_error="return")
    for case, item in zip(cases, batch):
        _same(item, _single(rules, case))


_POLICY_CACHE: dict = {}


def test_batches_from_eight_threads_agree():
    from concurrent.futures import ThreadPoolExecutor

    from bench.tables import large_table, workbook_bytes
    table = large_table()
    rules = load_bytes(workbook_bytes(table), "large.xlsx")
    cases = table.cases(2000, seed=11)
    expected = [(r.outputs, [f.rule for f in r.fired]) for r in (rules.evaluate(c) for c in cases)]

    def work(offset):
        part = cases[offset:] + cases[:offset]
        got = rules.evaluate_many(part)
        want = expected[offset:] + expected[:offset]
        return all((g.outputs, [f.rule for f in g.fired]) == w for g, w in zip(got, want))

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(work, range(0, 800, 100)))
