"""What a DMN export contains for other tools: the diagram (DMNDI), rule descriptions, references by
decision name and input defaults in FEEL."""
from __future__ import annotations

import defusedxml.ElementTree as DET
import pytest

import engine
from engine.dmn_export import DMN13, export_dmn, rule_description
from engine.dmn_export.dmndi import DC, DMNDI
from engine.dmn_export.names import feel_name, is_feel_name, rewrite
from regelbank.export import SPREADSHEETS, bundled_workbooks

NS = {"d": DMN13, "dmndi": DMNDI, "dc": DC}
WORKBOOKS = bundled_workbooks(SPREADSHEETS)
IDS = [f"{p.parent.name}/{p.stem}" for p in WORKBOOKS]


def _export(path):
    rules = engine.load(path)
    return rules, DET.fromstring(export_dmn(rules.model))


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_diagram_has_a_shape_per_element_and_an_edge_per_requirement(path):
    rules, root = _export(path)
    elements = {e.get("id"): e for tag in ("decision", "inputData") for e in root.findall(f"d:{tag}", NS)}
    requirements = {r.get("id"): (d.get("id"), (r[0].get("href") or "")[1:])
                    for d in root.findall("d:decision", NS) for r in d.findall("d:informationRequirement", NS)}
    diagram = root.find("dmndi:DMNDI/dmndi:DMNDiagram", NS)
    shapes = {s.get("dmnElementRef"): s.find("dc:Bounds", NS).attrib for s in diagram.findall("dmndi:DMNShape", NS)}
    edges = {e.get("dmnElementRef") for e in diagram.findall("dmndi:DMNEdge", NS)}
    assert set(shapes) == set(elements) and len(elements) == len(rules.tables) + len(rules.model.input_names)
    assert edges == set(requirements)
    box = {k: (float(b["x"]), float(b["y"]), float(b["width"]), float(b["height"])) for k, b in shapes.items()}
    for decision, required in requirements.values():
        assert box[required][1] > box[decision][1], "what a decision requires is drawn below it"
    items = list(box.values())
    for i, (x, y, w, h) in enumerate(items):      # no two shapes overlap
        for x2, y2, w2, h2 in items[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y


def test_each_rule_has_its_toelichting_and_bron_as_description_and_annotation_entries():
    rules, root = _export(SPREADSHEETS / "kampen" / "autoaanpassing.xlsx")
    rule = rules.tables[0].rules[0]
    node = root.find("d:decision/d:decisionTable/d:rule", NS)
    description = node.find("d:description", NS).text
    assert description == f"{rule.annotation}\nBron: {rule.source}" == rule_description(rule.annotation, rule.source)
    assert [e.find("d:text", NS).text for e in node.findall("d:annotationEntry", NS)] == \
        [rule.annotation, rule.source] + ([rule.source_file] if rule.source_file else [])
    assert list(node)[0].tag == f"{{{DMN13}}}description", "the XSD wants the description first"


def test_references_name_the_required_decision_and_defaults_are_feel():
    rules, root = _export(SPREADSHEETS / "kampen" / "autoaanpassing.xlsx")
    last = root.findall("d:decision", NS)[-1]
    columns = {c.get("label"): c.find("d:inputExpression/d:text", NS).text for c in last.findall(".//d:input", NS)}
    assert columns == {"VergoedingsPercentage": "Afschrijving naar autojaar", "HerhalingToegestaan": "Eens in zeven jaar"}
    outputs = [e.text for e in last.findall(".//d:outputEntry/d:text", NS)]
    assert "Aanpassingskosten * Afschrijving naar autojaar / 100 + (if KeuringskostenRDW = null then 0 else " \
           "KeuringskostenRDW)" in outputs
    assert not any("VergoedingsPercentage" in text for text in outputs)
    second = root.findall("d:decision", NS)[1]
    assert second.find(".//d:input[@label='ProgressiefOfOpgroeiendKind']/d:inputExpression/d:text", NS).text == \
        "if ProgressiefOfOpgroeiendKind = null then false else ProgressiefOfOpgroeiendKind"
    # the re-imported model is the workbook's: same inputs per table, defaults from the glossary
    back = engine.load_bytes(export_dmn(rules.model), "aa.dmn")
    assert [t.inputs for t in back.tables] == [t.inputs for t in rules.tables]
    assert back.evaluate({"AutoJaar": 5, "Aanpassingskosten": 5000}).outputs["Vergoeding"] == 3000


def test_rewrite_replaces_names_only():
    replace = {"Basis": "Indeling.Basis", "Uren": "(if Uren = null then 2 else Uren)", "Basis Extra": "BE"}
    assert rewrite("Basis + Uren / 2", replace) == "Indeling.Basis + (if Uren = null then 2 else Uren) / 2"
    assert rewrite('"Basis" + Basis', replace) == '"Basis" + Indeling.Basis'           # strings stay
    assert rewrite("Basis Extra * 2", replace) == "BE * 2"                              # longest name first
    assert rewrite("Persoon.Basis", replace) == "Persoon.Basis"                         # a component
    assert rewrite("Basisbedrag + Uren2", replace) == "Basisbedrag + Uren2"             # whole names only
    assert rewrite("-", replace) == "-"


def test_table_names_that_are_no_feel_name_are_made_one():
    assert is_feel_name("Eens in zeven jaar") and is_feel_name("Ruimte voor 9 dagdelen")
    assert not is_feel_name("Toets: leeftijd (jaren)") and not is_feel_name("in gebruik")
    assert feel_name("Toets: leeftijd (jaren)") == "Toets leeftijd jaren"
    assert is_feel_name(feel_name("2e toets")) and is_feel_name(feel_name("in gebruik"))


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS)
def test_reimport_gives_the_workbooks_model_back(path):
    """The standard references and default forms read back as the workbook wrote them, so a diff
    between a workbook version and its DMN export is empty and the trace reads the same."""
    rules = engine.load(path)
    back = engine.load_bytes(export_dmn(rules.model), path.stem + ".dmn")
    assert [(t.name, t.hit_policy, t.inputs, t.outputs) for t in back.tables] == \
        [(t.name, t.hit_policy, t.inputs, t.outputs) for t in rules.tables]
    assert [(r.id, r.input_texts, r.output_texts, r.annotation, r.source) for t in back.tables for r in t.rules] == \
        [(r.id, r.input_texts, r.output_texts, r.annotation, r.source) for t in rules.tables for r in t.rules]
    assert {n: (v.type, v.default, v.has_default) for n, v in back.model.variables.items()} == \
        {n: (v.type, v.default, v.has_default) for n, v in rules.model.variables.items()}
    assert all(o.passed for o in back.run_examples())
