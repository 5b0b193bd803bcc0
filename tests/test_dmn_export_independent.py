"""The exports mean the same in an engine that is not Regelbank.

Every Voorbeelden example of every bundled workbook is evaluated from its DMN export by an
independent engine (dmn-moddle reads the XML, feelin evaluates FEEL; tests/js/evaluate.mjs) that
ignores Regelbank's extension elements and binds required decisions by decision name, as the
DMN specification does. Every example must come out as the workbook says. The exports are also
valid against the DMN 1.3 XSD (with DMNDI) and parse in dmn-moddle without warnings.
"""
from __future__ import annotations

import pytest

import engine
from engine.dmn_export import export_dmn
from regelbank.export import SPREADSHEETS, bundled_workbooks, export_file

from . import independent
from .workbooks import book, table

WORKBOOKS = bundled_workbooks(SPREADSHEETS)
IDS = [f"{p.parent.name}/{p.stem}" for p in WORKBOOKS]
XSD = independent.JS / "node_modules" / "dmn-moddle" / "resources" / "dmn" / "xsd" / "DMN13.xsd"


@pytest.fixture(scope="session")
def node_modules():
    """dmn-moddle, feelin and dmn-js in tests/js/node_modules (npm ci from the committed lock file)."""
    try:
        independent.ensure_node_modules()
    except independent.NodeMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def xsd(node_modules):
    from lxml import etree
    return etree.XMLSchema(etree.parse(str(XSD)))


def _check(tmp_path, name, content: bytes, examples):
    path = tmp_path / f"{name}.dmn"
    path.write_bytes(content)
    passed, failures, answer = independent.check_examples(path, examples)
    warnings = [w for case in answer["cases"] for w in case["feel_warnings"]]
    return passed, failures, answer["warnings"], warnings


def test_there_are_bundled_examples():
    assert sum(len(engine.load(p).model.examples) for p in WORKBOOKS) >= 10 * len(WORKBOOKS)


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_independent_engine_reproduces_every_example(node_modules, tmp_path, path):
    examples = engine.load(path).model.examples
    passed, failures, moddle_warnings, feel_warnings = _check(tmp_path, path.stem, export_file(path), examples)
    assert failures == []
    assert passed == len(examples) > 0
    assert moddle_warnings == [], "dmn-moddle reads the export without warnings"
    assert feel_warnings == [], "every name in every expression is bound (no 'Variable not found')"


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_export_is_valid_against_the_dmn13_xsd(xsd, path):
    from lxml import etree
    document = etree.fromstring(export_file(path))
    assert xsd.validate(document), str(xsd.error_log.last_error)


# A workbook with what the bundled ones may not have (yet): a multi-output table feeding a later
# table, an output used in an output expression, text/number/boolean defaults, hit policies F and P.
CHAIN = book(
    glossary=[("Leeftijd", "getal", "[0..120]", None), ("Woonvorm", "tekst", '"alleen","samen"', '"alleen"'),
              ("Uren", "getal", ">= 0", "2"), ("Mantelzorg", "ja/nee", None, "false"),
              ("Klasse", "tekst", None, None), ("Basis", "getal", None, None),
              ("Totaal", "getal", None, None), ("Niveau", "tekst", '"hoog","laag"', None)],
    tables=[table("Indeling", "F", ["Leeftijd", "Woonvorm"], ["Klasse", "Basis"],
                  [("I-1", "< 18", "-", '"jong"', "1"), ("I-2", "-", '"alleen"', '"alleen"', "3"),
                   ("I-3", "-", "-", '"samen"', "2")]),
            table("Berekening", "U", ["Klasse", "Mantelzorg"], ["Totaal"],
                  [("B-1", '"jong"', "-", "Basis"), ("B-2", 'not("jong")', "true", "Basis + Uren / 2"),
                   ("B-3", 'not("jong")', "false", "Basis + Uren")]),
            table("Niveau bepalen", "P", ["Totaal"], ["Niveau"],
                  [("N-1", "> 4", '"hoog"'), ("N-2", "-", '"laag"')])],
    examples=[["Voorbeeld", "Omschrijving", "Leeftijd", "Woonvorm", "Uren", "Mantelzorg", "Klasse", "Totaal", "Niveau"],
              ["V-1", "jong", 10, None, None, None, "jong", 1, "laag"],
              ["V-2", "standaard alleen, 2 uur", 40, None, None, None, "alleen", 5, "hoog"],
              ["V-3", "samen met mantelzorg", 40, "samen", 3, True, "samen", 3.5, "laag"],
              ["V-4", "samen zonder", 70, "samen", 0, False, "samen", 2, "laag"]])


def test_chained_multi_output_tables_and_defaults_of_every_type(node_modules, tmp_path):
    rules = engine.load_bytes(CHAIN, "chain.xlsx")
    assert all(o.passed for o in rules.run_examples()), [o.message for o in rules.run_examples()]
    content = export_dmn(rules.model)
    assert b"Indeling.Basis" in content and b'if Woonvorm = null then "alleen" else Woonvorm' in content
    passed, failures, moddle_warnings, feel_warnings = _check(tmp_path, "chain", content, rules.model.examples)
    assert (passed, failures, moddle_warnings, feel_warnings) == (4, [], [], [])
    back = engine.load_bytes(content, "chain.dmn")
    assert all(o.passed for o in back.run_examples())


def test_the_old_form_fails_in_the_independent_engine(node_modules, tmp_path):
    """Guards the check itself: referring to an earlier table's output name is not bound by a standard engine."""
    path = SPREADSHEETS / "kampen" / "autoaanpassing.xlsx"
    content = export_file(path).replace(b"Aanpassingskosten * Afschrijving naar autojaar", b"Aanpassingskosten * VergoedingsPercentage")
    passed, failures, _, feel_warnings = _check(tmp_path, "old", content, engine.load(path).model.examples)
    assert failures and any("VergoedingsPercentage" in w for w in feel_warnings)


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_export_saved_again_by_dmn_moddle_reimports_with_the_same_answers(node_modules, tmp_path, path):
    """Camunda Modeler saves through dmn-moddle: the extension survives and Regelbank reads the same rules."""
    import subprocess

    source, saved = tmp_path / "export.dmn", tmp_path / "saved.dmn"
    source.write_bytes(export_file(path))
    subprocess.run(["node", str(independent.JS / "resave.mjs"), str(source), str(saved)], check=True, timeout=60)
    assert saved.read_bytes() != source.read_bytes()
    rules, back = engine.load(path), engine.load(saved)
    assert [(r.id, r.input_texts, r.output_texts) for t in back.tables for r in t.rules] == \
        [(r.id, r.input_texts, r.output_texts) for t in rules.tables for r in t.rules]
    for example in rules.model.examples:
        a, b = rules.evaluate(example.inputs), back.evaluate(example.inputs)
        assert (a.outputs, [(f.table, f.rule) for f in a.fired]) == (b.outputs, [(f.table, f.rule) for f in b.fired])
