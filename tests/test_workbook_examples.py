"""Every bundled workbook loads, validates without errors, cites its source on every row, and its
Voorbeelden (worked out by hand from the source text) all come out as expected."""
from __future__ import annotations

import pytest

import engine
from engine.findings import ERROR

from .conftest import HEADLINE, SPREADSHEETS

WORKBOOKS = sorted(SPREADSHEETS.glob("*/*.xlsx"))
IDS = [f"{p.parent.name}/{p.stem}" for p in WORKBOOKS]


def test_the_bundled_workbooks_are_there():
    for ruleset in HEADLINE:
        assert ruleset in IDS
    assert len(WORKBOOKS) >= 3


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_workbook_validates_without_errors(path):
    findings = engine.validate(path.read_bytes(), path.name)
    errors = [str(f) for f in findings if f.severity == ERROR]
    assert errors == []


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_workbook_examples_pass(path):
    rules = engine.load(path)
    outcomes = rules.run_examples()
    assert len(outcomes) >= 10, "at least 10 worked examples per workbook"
    failed = [f"{o.example_id} (rij {o.row}): {o.message}" for o in outcomes if not o.passed]
    assert failed == []


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_every_row_has_a_rule_id_and_a_citation(path):
    rules = engine.load(path)
    ids = [rule.id for table in rules.tables for rule in table.rules]
    assert len(ids) == len(set(ids)), "rule ids are unique in the workbook"
    for table in rules.tables:
        for rule in table.rules:
            assert rule.id and not rule.id.startswith("(rij")
            assert ".txt" in rule.source_file, f"{rule.id} names its source file (Bronbestand)"
            assert ".txt" not in rule.source, f"{rule.id}: Bron is for readers: title and section, no file name"
            assert "§" in rule.source or "art" in rule.source.lower() or "bijlage" in rule.source.lower()


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_workbook_metadata_matches_its_place(path):
    meta = engine.load(path).metadata
    assert (meta.gemeente, meta.name) == (path.parent.name, path.stem)
    assert meta.title and meta.valid_from and meta.source_document and meta.owner


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_workbook_loads_in_pydmnrules_too(path):
    """The format is pyDMNrules': the reference reader must accept every bundled workbook."""
    import pyDMNrules
    status = pyDMNrules.DMN().load(str(path))
    assert "errors" not in status or not status["errors"], status
