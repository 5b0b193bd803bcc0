"""DMN XML: import (DMN 1.1-1.5, rule ids and annotations kept), export (DMN 1.3), round trip over
every bundled workbook, and dmn/ kept current."""
from __future__ import annotations

import functools
import re

import defusedxml.ElementTree as DET
import pytest

import engine
from engine import feel
from engine.dmn import DMN_NAMESPACES, read_dmn
from engine.dmn_export import DMN13, export_dmn
from regelbank.export import DMN_DIR, SPREADSHEETS, bundled_workbooks, dmn_path_for, export_all

from .workbooks import make_workbook

WORKBOOKS = bundled_workbooks(SPREADSHEETS)
IDS = [f"{p.parent.name}/{p.stem}" for p in WORKBOOKS]
NS = {"d": DMN13}


@functools.lru_cache(maxsize=None)
def _load(path):
    return engine.load(path)


def _trace(result):
    return [(f.table, f.rule) for f in result.fired]


def _outcome(rules, inputs):
    try:
        result = rules.evaluate(inputs)
    except (engine.InputError, engine.EvaluationError) as exc:
        return ("error", type(exc).__name__)
    return (result.outputs, _trace(result))


# ------------------------------------------------------------------ round trip over the bundled workbooks

def test_there_are_workbooks_to_round_trip():
    assert len(WORKBOOKS) >= 3


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_round_trip_gives_the_same_outputs_and_fired_rules(path):
    xlsx = _load(path)
    dmn = engine.load_bytes(export_dmn(xlsx.model), path.with_suffix(".dmn").name)
    assert xlsx.model.examples, f"{path} has no Voorbeelden to compare"
    for example in xlsx.model.examples:
        assert _outcome(dmn, example.inputs) == _outcome(xlsx, example.inputs), f"{path.name} {example.id}"
    # the DMN file carries the examples, metadata and glossary too
    assert [(o.example_id, o.passed) for o in dmn.run_examples()] == \
           [(o.example_id, o.passed) for o in xlsx.run_examples()]
    assert dmn.metadata == xlsx.metadata
    assert [v.name for v in dmn.inputs] == [v.name for v in xlsx.inputs]
    for var in xlsx.inputs:
        other = dmn.variable(var.name)
        assert (other.type, other.allowed_text, other.has_default, other.default) == \
               (var.type, var.allowed_text, var.has_default, var.default), var.name
    for table, other in zip(xlsx.tables, dmn.tables):
        assert (other.name, other.hit_policy, other.inputs, other.outputs) == \
               (table.name, table.hit_policy, table.inputs, table.outputs)
        assert [(r.id, r.annotation, r.source) for r in other.rules] == \
               [(r.id, r.annotation, r.source) for r in table.rules]


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_checked_in_dmn_is_current(path):
    target = dmn_path_for(path)
    assert target.exists(), f"{target} ontbreekt: run `make dmn`"
    fresh = export_dmn(_load(path).model)
    assert target.read_bytes() == fresh, f"{target} is stale: run `make dmn`"


def test_no_dmn_without_workbook():
    orphans = [p for p in DMN_DIR.glob("*/*.dmn")
               if not (SPREADSHEETS / p.parent.name / f"{p.stem}.xlsx").exists()]
    assert orphans == [], "dmn/ holds exports of workbooks that are gone: run `make dmn`"


def test_export_all_writes_and_prunes(tmp_path):
    sheets = tmp_path / "spreadsheets" / "test"
    sheets.mkdir(parents=True)
    (sheets / "voorbeeld.xlsx").write_bytes(make_workbook())
    stale = tmp_path / "dmn" / "weg" / "oud.dmn"
    stale.parent.mkdir(parents=True)
    stale.write_text("<definitions/>")
    written, problems = export_all(tmp_path / "spreadsheets", tmp_path / "dmn")
    assert problems == []
    assert written == [tmp_path / "dmn" / "test" / "voorbeeld.dmn"]
    assert not stale.exists()
    assert engine.load(written[0]).evaluate({"Leeftijd": 12}).outputs == {"Uitkomst": "jong"}


# ------------------------------------------------------------------ the export itself

def _exported(path=SPREADSHEETS / "kampen" / "autoaanpassing.xlsx"):
    rules = engine.load(path)
    return rules, DET.fromstring(export_dmn(rules.model))


def test_export_is_dmn13_with_unique_ncname_ids():
    rules, root = _exported()
    assert root.tag == f"{{{DMN13}}}definitions"
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(re.match(r"^[A-Za-z_][\w.\-]*$", i) for i in ids)
    assert root.get("namespace") and root.get("name")


def test_export_keeps_rule_ids_annotations_types_and_chaining():
    rules, root = _exported()
    decisions = root.findall("d:decision", NS)
    assert [d.get("name") for d in decisions] == [t.name for t in rules.tables]
    first = decisions[0].find("d:decisionTable", NS)
    assert [r.get("id") for r in first.findall("d:rule", NS)] == [r.id for r in rules.tables[0].rules]
    assert [a.get("name") for a in first.findall("d:annotation", NS)] == ["Toelichting", "Bron", "Bronbestand"]
    entry = first.find("d:rule/d:annotationEntry/d:text", NS)
    assert entry.text == rules.tables[0].rules[0].annotation
    assert first.find("d:input/d:inputExpression", NS).get("typeRef") == "number"
    types = {e.get("name"): e.find("d:variable", NS).get("typeRef") for e in root.findall("d:inputData", NS)}
    assert types["ProgressiefOfOpgroeiendKind"] == "boolean"
    # the last table uses the outputs of the first two: requiredDecision on both
    last = decisions[-1]
    required = [r.get("href") for r in last.findall("d:informationRequirement/d:requiredDecision", NS)]
    assert required == ["#" + decisions[0].get("id"), "#" + decisions[1].get("id")]


def test_export_is_deterministic():
    path = SPREADSHEETS / "kampen" / "autoaanpassing.xlsx"
    assert export_dmn(engine.load(path).model) == export_dmn(engine.load(path).model)


def test_rule_id_that_is_no_xml_id_is_kept_in_the_label():
    content = make_workbook(rows=(("1 jong", "< 18", '"jong"'), ("R-2", ">= 18", '"volwassen"')))
    rules = engine.load_bytes(content, "t.xlsx")
    root = DET.fromstring(export_dmn(rules.model))
    rule = root.find("d:decision/d:decisionTable/d:rule", NS)
    assert rule.get("id") == "rule_1_jong" and rule.get("label") == "1 jong"
    back = engine.load_bytes(export_dmn(rules.model), "t.dmn")
    assert [f.rule for f in back.evaluate({"Leeftijd": 3}).fired] == ["1 jong"]


@pytest.mark.parametrize("hit,policy,aggregation", [("C+", "COLLECT", "SUM"), ("C<", "COLLECT", "MIN"),
                                                      ("C>", "COLLECT", "MAX"), ("C#", "COLLECT", "COUNT"),
                                                      ("R", "RULE ORDER", None), ("F", "FIRST", None)])
def test_hit_policies_and_aggregations_round_trip(hit, policy, aggregation):
    content = make_workbook(rows=(("R-1", "< 18", "10"), ("R-2", "< 65", "5"), ("R-3", "-", "1")),
                            outputs=(("Punten", "getal", None),), hit=hit)
    xlsx = engine.load_bytes(content, "t.xlsx")
    data = export_dmn(xlsx.model)
    table = DET.fromstring(data).find("d:decision/d:decisionTable", NS)
    assert (table.get("hitPolicy"), table.get("aggregation")) == (policy, aggregation)
    dmn = engine.load_bytes(data, "t.dmn")
    assert dmn.tables[0].hit_policy == hit
    for age in (10, 30, 70):
        assert _outcome(dmn, {"Leeftijd": age}) == _outcome(xlsx, {"Leeftijd": age})


def test_priority_order_is_exported_as_output_values():
    content = make_workbook(rows=(("R-1", "< 18", '"laag"'), ("R-2", "-", '"hoog"')),
                            outputs=(("Niveau", "tekst", '"hoog","laag"'),), hit="P")
    xlsx = engine.load_bytes(content, "t.xlsx")
    data = export_dmn(xlsx.model)
    output = DET.fromstring(data).find("d:decision/d:decisionTable/d:output", NS)
    assert output.find("d:outputValues/d:text", NS).text == '"hoog","laag"'
    dmn = engine.load_bytes(data, "t.dmn")
    assert dmn.evaluate({"Leeftijd": 10}).outputs == xlsx.evaluate({"Leeftijd": 10}).outputs == {"Niveau": "hoog"}


# ------------------------------------------------------------------ the import

SMALL = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{ns}" id="d" name="Klein" namespace="urn:test">
  <decision id="dec" name="Risk Level">
    <informationRequirement><requiredInput href="#age"/></informationRequirement>
    <decisionTable hitPolicy="UNIQUE">
      <input id="i1" label="Applicant Age"><inputExpression typeRef="number"><text>Applicant Age</text></inputExpression></input>
      <output id="o1" name="Level" typeRef="string"/>
      <annotation name="Toelichting"/>
      <annotation name="Bron"/>
      <rule id="RL-01"><inputEntry><text>&lt; 18</text></inputEntry><outputEntry><text>"minor"</text></outputEntry>
        <annotationEntry><text>Minderjarig</text></annotationEntry><annotationEntry><text>Wet, art. 1</text></annotationEntry></rule>
      <rule id="RL-02"><inputEntry><text>&gt;= 18</text></inputEntry><outputEntry><text>"adult"</text></outputEntry>
        <annotationEntry><text>Meerderjarig</text></annotationEntry><annotationEntry><text>Wet, art. 2</text></annotationEntry></rule>
    </decisionTable>
  </decision>
  <inputData id="age" name="Applicant Age"><variable name="Applicant Age" typeRef="number"/></inputData>
</definitions>"""


@pytest.mark.parametrize("namespace", list(DMN_NAMESPACES))
def test_reads_dmn_11_to_15_keeping_rule_ids_and_annotations(namespace):
    rules = engine.load_bytes(SMALL.format(ns=namespace).encode(), "klein.dmn")
    result = rules.evaluate({"Applicant Age": 17})
    assert result.outputs == {"Risk Level": "minor"}          # DMN: a decision's value by decision name
    assert [(f.table, f.rule) for f in result.fired] == [("Risk Level", "RL-01")]
    assert result.fired[0].annotation == "Minderjarig (Wet, art. 1)"
    assert rules.tables[0].rules[1].source == "Wet, art. 2"
    assert rules.variable("Applicant Age").type == "getal"


def test_other_xml_is_refused_with_a_finding():
    model, findings = read_dmn(b"<html><body/></html>", "x.dmn")
    assert model is None and findings[0].code == "dmn-namespace"
    model, findings = read_dmn(b"<definitions", "x.dmn")
    assert model is None and findings[0].code == "dmn-xml"


def test_entity_expansion_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" name="&lol2;"/>"""
    model, findings = read_dmn(bomb, "bomb.dmn")
    assert model is None and findings[0].code == "dmn-xml"


def test_unsupported_logic_is_a_finding_and_the_rest_of_the_model_runs():
    content = SMALL.format(ns=DMN13).replace(
        "</definitions>", '<decision id="c" name="Ctx"><functionDefinition kind="Java"><formalParameter name="x"/>'
                          '<context/></functionDefinition></decision></definitions>')
    findings = engine.validate(content.encode(), "ctx.dmn")
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1 and errors[0].cell == "c" and "Ctx" in errors[0].message and "Java" in errors[0].message
    rules = engine.load_bytes(content.encode(), "ctx.dmn")
    result = rules.evaluate({"Applicant Age": 40})
    assert result.outputs == {"Risk Level": "adult", "Ctx": None}
    assert "Java" in str(result.diagnostics["Ctx"][0])


def test_decisions_run_after_the_decisions_they_require():
    content = f"""<definitions xmlns="{DMN13}" id="d" name="Keten" namespace="urn:t">
  <decision id="b" name="Total Fee">
    <informationRequirement><requiredDecision href="#a"/></informationRequirement>
    <literalExpression><text>Base Fee * 2</text></literalExpression>
  </decision>
  <decision id="a" name="Base Fee">
    <informationRequirement><requiredInput href="#n"/></informationRequirement>
    <literalExpression><text>Hours Worked * 10</text></literalExpression>
  </decision>
  <inputData id="n" name="Hours Worked"><variable name="Hours Worked" typeRef="number"/></inputData>
</definitions>"""
    rules = engine.load_bytes(content.encode(), "keten.dmn")
    assert rules.evaluate({"Hours Worked": 3}).outputs == {"Base Fee": 30, "Total Fee": 60}


def test_feel_reads_known_multi_word_names():
    names = {"Applicant Age", "Applicant"}
    ast = feel.parse_expression("Applicant Age + 1", names)
    assert feel.names_in(ast) == {"Applicant Age"}
    assert feel.compile_expression(ast)({"Applicant Age": 41}) == 42
    with pytest.raises(feel.FeelSyntaxError):      # without the names: as before, two names in a row
        feel.parse_expression("Applicant Age + 1")


@pytest.mark.parametrize("text,expected", [
    ('string length("abc")', 3), ("modulo(-12, 5)", 3), ("round half up(2.5, 0)", 3),
    ('substring("foobar", 3)', "obar"), ('upper case("a")', "A"), ("sqrt(number: 16)", 4),
    ('replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', "[1=ab][2=]cd"), ("odd(5)", True), ("even(5)", False),
    ('contains("foobar", "ob")', True), ("date(2020, 1, 31)", __import__("datetime").date(2020, 1, 31)),
])
def test_feel_builtins_added_for_dmn_models(text, expected):
    assert feel.compile_expression(feel.parse_expression(text))({}) == expected
