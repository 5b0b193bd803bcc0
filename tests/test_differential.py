"""Differential tests: the compiled evaluator against pyDMNrules (engine/reference.py).

Identical outputs and fired rule ids are required wherever pyDMNrules is right. Its known faults
(issue 5) are excluded by name, each with its own test of the right answer below:

- OPEN_RANGE: ``]a..b[`` never matches in pyDMNrules. Generated tables use ``[a..b]``, ``<``, ``>=``.
- UNBRACKETED_LOGIC: ``x > 1 and x < 4`` without brackets is always false. Never generated.
- STRINGS_AS_FEEL: pyDMNrules reads an input string as FEEL. Generated strings are plain letters;
  the adapter refuses strings with quotes, backslashes or control characters.
- U_OVERLAP: under U (and A with different outputs) pyDMNrules silently returns the first match;
  Regelbank raises EvaluationError. Such cases are checked to raise, and not compared.
- FLOATS: integers come back as floats and arithmetic is binary floating point. The adapter turns
  whole floats into int; computed non-whole numbers are compared to within 1e-9 (relative).
- NO_MATCH: pyDMNrules reports "no rules matched" as an error and returns no outputs; compared
  as: Regelbank names that table as unmatched (outputs null, C# 0, and the explanation says so).
- ANY_TRACE: under A with several matching rules (same outputs) Regelbank's trace names every
  matching rule, pyDMNrules only the first; the first is compared.
- PRIORITY_LISTS: pyDMNrules does not read output priorities for P and O from the Glossary, so
  P and O are compared through the DMN TCK models (where it reads them) and tested in
  tests/test_vectorized.py, not in generated workbooks.
"""
from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import engine
from engine import EvaluationError, InputError, load, load_bytes
from engine.reference import Reference, ReferenceError_, ReferenceNoMatch, ReferenceUnsupported

from .conftest import SPREADSHEETS
from .workbooks import make_workbook

BUNDLED = sorted(SPREADSHEETS.glob("*/*.xlsx"))
TCK2 = Path(__file__).resolve().parent.parent.parent / "shared" / "dmn-tck" / "compliance-level-2"
if not TCK2.is_dir():
    TCK2 = Path("/work/shared/dmn-tck/compliance-level-2")


def same_value(ours, theirs) -> bool:
    """Equal, with the FLOATS exclusion: numbers numerically, computed fractions to 1e-9 relative."""
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(same_value(a, b) for a, b in zip(ours, theirs))
    if engine.feel.is_number(ours) and engine.feel.is_number(theirs):
        if ours == theirs:
            return True
        return abs(Decimal(ours) - Decimal(theirs)) <= Decimal("1e-9") * max(Decimal(1), abs(Decimal(ours)))
    return ours == theirs or (type(ours) is type(theirs) and ours == theirs)


def compare(rules, reference, case) -> str:
    """'same', 'skipped:<reason>' or raise AssertionError with both answers."""
    try:
        result = rules.evaluate(case)
    except InputError:
        return "skipped:input"
    except EvaluationError as exc:
        assert exc.rules and len(exc.rules) >= 2, exc   # U_OVERLAP: Regelbank refuses, naming the rules
        return "skipped:U_OVERLAP"
    names = [v.name for v in rules.outputs]
    any_tables = {t.name for t in rules.tables if t.hit_policy == "A"}
    try:
        theirs, fired = reference.decide(result.inputs, names)
    except ReferenceUnsupported:
        return "skipped:STRINGS_AS_FEEL"
    except ReferenceNoMatch as exc:   # NO_MATCH
        assert set(exc.tables) <= set(result.unmatched), (case, exc.tables, result.unmatched)
        return "same"
    ours = {n: result.outputs.get(n) for n in names}
    assert all(same_value(ours[n], theirs[n]) for n in names), (case, ours, theirs)
    ours_fired = [(f.table, f.rule) for f in result.fired]
    ours_fired = [r for i, r in enumerate(ours_fired)
                  if r[0] not in any_tables or i == 0 or ours_fired[i - 1][0] != r[0]]   # ANY_TRACE
    assert [r for _, r in fired] == [r for _, r in ours_fired], (case, fired, result.fired)
    return "same"


def _variants(rules, examples, rnd, n=25):
    cases = [dict(e) for e in examples]
    names = [v.name for v in rules.inputs]
    pools = {name: [e[name] for e in examples if name in e] for name in names}
    for _ in range(n):
        cases.append({name: rnd.choice(pools[name]) for name in names if pools[name] and rnd.random() < 0.9})
    return cases


# ---------------------------------------------------------------- bundled workbooks

@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_bundled_workbook_examples_match_pydmnrules(path):
    rules = load(path)
    reference = Reference(path)
    examples = [e.inputs for e in rules.model.examples]
    outcomes = [compare(rules, reference, case) for case in _variants(rules, examples, random.Random(path.stem))]
    assert outcomes[:len(examples)].count("same") == len(examples), "every example of the workbook itself compares"
    assert outcomes.count("same") >= len(examples)


# ---------------------------------------------------------------- DMN TCK level 2

def _tck_cases(folder: Path):
    from regelbank.tck import _q, parse_value
    for test_file in sorted(folder.glob("*-test-*.xml")):
        for case in ET.fromstring(test_file.read_bytes()).findall(_q("testCase")):
            yield {node.get("name"): parse_value(node) for node in case.findall(_q("inputNode"))}


def test_tck_level2_models_match_pydmnrules():
    """Every level-2 model that both load: identical outputs and the same fired rows.

    pyDMNrules throws DMN rule ids away (rules become Rule.0, Rule.1, ...), so fired rules are
    compared by position: Rule.N is row N of the table.
    """
    loaded_by_both, compared, reference_errors = 0, 0, 0
    for model in sorted(TCK2.glob("*/*.dmn")):
        try:
            rules = load(model)
            reference = Reference(model)
            reference.dmn()
        except (engine.WorkbookError, ReferenceError_, Exception):  # noqa: B014 - either side may refuse
            continue
        loaded_by_both += 1
        known = set(rules.model.input_names)
        for inputs in _tck_cases(model.parent):
            try:
                result = rules.evaluate({k: v for k, v in inputs.items() if k in known})
            except (InputError, EvaluationError):
                continue
            try:
                theirs, fired = reference.decide(inputs)
            except (ReferenceUnsupported, ReferenceError_, TypeError, KeyError, AttributeError, ValueError):
                reference_errors += 1   # e.g. 0008/0009: pyDMNrules cannot do string + null
                continue
            for name, value in result.outputs.items():
                if name in theirs:
                    assert same_value(value, theirs[name]), (model.name, inputs, name, value, theirs[name])
            tables = {t for t, _ in fired}
            any_tables = {t.name for t in rules.tables if t.hit_policy == "A"}
            ours_rows = [(f.table, f"Rule.{f.row}") for f in result.fired if f.table in tables]
            ours_rows = [r for i, r in enumerate(ours_rows)
                         if r[0] not in any_tables or i == 0 or ours_rows[i - 1][0] != r[0]]   # ANY_TRACE
            assert ours_rows == fired, (model.name, inputs, ours_rows, fired)
            compared += 1
    assert loaded_by_both >= 25, loaded_by_both
    assert compared >= 70, (compared, reference_errors)


# ---------------------------------------------------------------- generated tables

WORDS = ["VG", "LG", "NAH", "GGZ", "ZG"]


@st.composite
def tables(draw):
    n_inputs = draw(st.integers(1, 3))
    kinds = [draw(st.sampled_from(["number", "number", "text", "bool"])) for _ in range(n_inputs)]
    points = sorted(draw(st.sets(st.integers(0, 60), min_size=2, max_size=6)))
    rows = []
    for r in range(draw(st.integers(1, 8))):
        cells = []
        for kind in kinds:
            if kind == "number":
                a, b = sorted(draw(st.lists(st.sampled_from(points), min_size=2, max_size=2)))
                cells.append(draw(st.sampled_from(["-", f"< {a}", f"<= {a}", f"> {a}", f">= {a}", f"[{a}..{b}]", f"{a}"])))
            elif kind == "text":
                chosen = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True))
                cells.append(draw(st.sampled_from(["-", ",".join(f'"{w}"' for w in chosen)])))
            else:
                cells.append(draw(st.sampled_from(["-", "true", "false"])))
        rows.append((f"G-{r + 1:02d}", *cells, str(draw(st.integers(0, 9)) * 10 + r), f'"uitkomst {r + 1}"'))
    hit = draw(st.sampled_from(["U", "A", "F", "C", "R", "C+", "C<", "C>", "C#"]))
    if hit in ("C+", "C<", "C>", "C#"):
        rows = [row[:-1] for row in rows]
        outputs = (("N", "getal", None),)
    else:
        outputs = (("N", "getal", None), ("T", "tekst", None))
    inputs = tuple((f"In{i}", {"number": "getal", "text": "tekst", "bool": "ja/nee"}[k], None, None)
                   for i, k in enumerate(kinds))
    values = []
    for kind in kinds:
        if kind == "number":
            values.append(sorted({p + d for p in points for d in (-1, 0, 1)}))
        elif kind == "text":
            values.append(WORDS + ["ANDERS"])
        else:
            values.append([True, False])
    return make_workbook(rows=tuple(rows), inputs=inputs, outputs=outputs, hit=hit), [i[0] for i in inputs], values


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tables(), st.randoms(use_true_random=False))
def test_generated_tables_match_pydmnrules(table, rnd):
    content, names, values = table
    rules = load_bytes(content, "gegenereerd.xlsx")
    reference = Reference(content)
    try:
        cases = [{n: rnd.choice(v) for n, v in zip(names, values)} for _ in range(6)]
        outcomes = [compare(rules, reference, case) for case in cases]
        # the batch path gives the same as the single path it was compared through
        batch = rules.evaluate_many(cases, on_error="return")
        for case, item in zip(cases, batch):
            if not isinstance(item, Exception):
                assert item.outputs == rules.evaluate(case).outputs
        assert all(o in ("same", "skipped:U_OVERLAP") for o in outcomes), outcomes
    finally:
        reference.close()


# ---------------------------------------------------------------- the excluded faults: Regelbank's right answers

def _one_input(cell, type_="getal", allowed="[0..130]", hit="U"):
    content = make_workbook(rows=(("R-1", cell, '"ja"'),), inputs=(("Leeftijd", type_, allowed, None),),
                            outputs=(("Uitkomst", "tekst", None),), hit=hit)
    return load_bytes(content, "x.xlsx"), Reference(content)


def test_fault_open_range_matches_inside_in_regelbank():
    rules, reference = _one_input("]18..65[")
    assert rules.evaluate({"Leeftijd": 30}).outputs["Uitkomst"] == "ja"
    assert rules.evaluate({"Leeftijd": 18}).outputs["Uitkomst"] is None
    assert rules.evaluate({"Leeftijd": 65}).outputs["Uitkomst"] is None
    with pytest.raises(ReferenceNoMatch):   # pyDMNrules: never matches
        reference.decide({"Leeftijd": 30}, ["Uitkomst"])


def test_fault_unbracketed_logic_is_evaluated_in_regelbank():
    rules, reference = _one_input("Leeftijd > 18 and Leeftijd < 40")
    assert rules.evaluate({"Leeftijd": 30}).outputs["Uitkomst"] == "ja"
    assert rules.evaluate({"Leeftijd": 50}).outputs["Uitkomst"] is None
    with pytest.raises(ReferenceNoMatch):   # pyDMNrules: always false
        reference.decide({"Leeftijd": 30}, ["Uitkomst"])


def test_fault_strings_are_data_in_regelbank():
    rules, reference = _one_input('"VG"', "tekst", None)
    assert rules.evaluate({"Leeftijd": "VG"}).outputs["Uitkomst"] == "ja"
    assert rules.evaluate({"Leeftijd": '"V" + "G"'}).outputs["Uitkomst"] is None
    with pytest.raises(ReferenceUnsupported):
        reference.decide({"Leeftijd": '"V" + "G"'})


def test_fault_unique_overlap_raises_in_regelbank():
    content = make_workbook(rows=(("R-1", "< 40", '"a"'), ("R-2", "> 20", '"b"')), hit="U",
                            outputs=(("Uitkomst", "tekst", None),))
    rules, reference = load_bytes(content, "x.xlsx"), Reference(content)
    with pytest.raises(EvaluationError) as err:
        rules.evaluate({"Leeftijd": 30})
    assert err.value.rules == ["R-1", "R-2"]
    assert reference.decide({"Leeftijd": 30}, ["Uitkomst"])[0]["Uitkomst"] == "a"  # pyDMNrules: first, silently


def test_fault_whole_numbers_stay_whole_in_regelbank():
    content = make_workbook(rows=(("R-1", "-", "3 * 12.34"),), outputs=(("Uitkomst", "getal", None),))
    rules = load_bytes(content, "x.xlsx")
    assert rules.evaluate({"Leeftijd": 1}).outputs["Uitkomst"] == Decimal("37.02")
    raw = Reference(content).decide_raw({"Leeftijd": 1})
    raw = raw[-1] if isinstance(raw, list) else raw
    assert isinstance(raw["Result"]["Leeftijd"], float)            # pyDMNrules: 1 comes back as 1.0
    assert raw["Result"]["Uitkomst"] != 37.02                      # and 3*12.34 = 37.019999999999996
