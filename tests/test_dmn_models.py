"""General DMN models (engine.dmn): boxed expressions, BKMs, decision services, imports, types,
names, Camunda Modeler conventions, partial failure, and hostile input."""
from __future__ import annotations

import time
from decimal import Decimal

import pytest

import engine
from engine.dmn import load_dmn, validate_dmn

DMN15 = "https://www.omg.org/spec/DMN/20230324/MODEL/"
DMN11 = "http://www.omg.org/spec/DMN/20151101/dmn.xsd"
CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/dmn"'


def model(body: str, ns: str = DMN15, attrs: str = "") -> bytes:
    return (f'<definitions xmlns="{ns}" {attrs} id="m" name="Model" namespace="urn:test">{body}'
            "</definitions>").encode()


def literal(text: str) -> str:
    return f"<literalExpression><text>{text}</text></literalExpression>"


def decision(name: str, logic: str, type_ref: str = "", ident: str | None = None) -> str:
    id_attr = f' id="{ident}"' if ident else ""
    variable = f'<variable name="{name}" typeRef="{type_ref}"/>' if type_ref else ""
    return f'<decision name="{name}"{id_attr}>{variable}{logic}</decision>'


def run(content: bytes, inputs: dict | None = None):
    rules, findings = load_dmn(content, "t.dmn")
    assert rules is not None, [f.message for f in findings]
    return rules.evaluate_decisions(inputs or {})


def messages(outcome, name) -> str:
    return " ".join(str(d) for d in outcome.diagnostics.get(name, []))


# ------------------------------------------------------------------ boxed expressions

def test_context_entries_see_earlier_entries_and_a_final_result_is_the_value():
    ctx = ('<context><contextEntry><variable name="a"/>' + literal("2") + "</contextEntry>"
           '<contextEntry><variable name="b b"/>' + literal("a * 3") + "</contextEntry>"
           "<contextEntry>" + literal("b b + a") + "</contextEntry></context>")
    plain = ('<context><contextEntry><variable name="x"/>' + literal("1") + "</contextEntry>"
             '<contextEntry><variable name="y"/>' + literal("x + 1") + "</contextEntry></context>")
    out = run(model(decision("Final", ctx) + decision("Plain", plain)))
    assert out.values == {"Final": 8, "Plain": {"x": 1, "y": 2}}


def test_relation_list_conditional_filter_and_iterators():
    relation = ('<relation><column name="n"/><column name="sq"/>'
                "<row>" + literal("1") + literal("1") + "</row><row>" + literal("2") + literal("4") + "</row></relation>")
    body = (decision("Rel", relation)
            + decision("Lst", "<list>" + literal('"a"') + literal("1 + 1") + "</list>")
            + decision("Cond", "<conditional><if>" + literal("Rel[1].n = 1") + "</if><then>" + literal('"yes"')
                       + "</then><else>" + literal('"no"') + "</else></conditional>")
            + decision("Filt", "<filter><in>" + literal("[1, 5, 10]") + "</in><match>" + literal("item > 3")
                       + "</match></filter>")
            + decision("For", '<for iteratorVariable="x"><in>' + literal("[1, 2]") + "</in><return>"
                       + literal("x * 10") + "</return></for>")
            + decision("Some", '<some iteratorVariable="x"><in>' + literal("[1, 2]") + "</in><satisfies>"
                       + literal("x > 1") + "</satisfies></some>")
            + decision("Every", '<every iteratorVariable="x"><in>' + literal("[1, 2]") + "</in><satisfies>"
                       + literal("x > 1") + "</satisfies></every>"))
    out = run(model(body))
    assert out.values == {"Rel": [{"n": 1, "sq": 1}, {"n": 2, "sq": 4}], "Lst": ["a", 2], "Cond": "yes",
                          "Filt": [5, 10], "For": [10, 20], "Some": True, "Every": False}


BKMS = """
<businessKnowledgeModel name="Fee table" id="bkm1">
  <encapsulatedLogic><formalParameter name="kind" typeRef="string"/><formalParameter name="size" typeRef="number"/>
    <decisionTable hitPolicy="FIRST">
      <input><inputExpression><text>kind</text></inputExpression></input>
      <input><inputExpression><text>size</text></inputExpression></input>
      <output name="fee"/>
      <rule id="r1"><inputEntry><text>"Business"</text></inputEntry><inputEntry><text>&lt; 10</text></inputEntry>
        <outputEntry><text>0.1</text></outputEntry></rule>
      <rule id="r2"><inputEntry><text>-</text></inputEntry><inputEntry><text>-</text></inputEntry>
        <outputEntry><text>0.05</text></outputEntry></rule>
    </decisionTable>
  </encapsulatedLogic>
</businessKnowledgeModel>
<businessKnowledgeModel name="Double">
  <encapsulatedLogic><formalParameter name="x"/>""" + literal("x * 2") + """</encapsulatedLogic>
</businessKnowledgeModel>
"""


def test_bkm_with_a_decision_table_invoked_from_feel_and_through_invocation():
    invocation = ('<invocation>' + literal("Fee table") + '<binding><parameter name="kind"/>' + literal('"Business"')
                  + '</binding><binding><parameter name="size"/>' + literal("5") + "</binding></invocation>")
    out = run(model(BKMS + decision("By FEEL", literal('Fee table("Private", 3) + Double(1)'))
                    + decision("By invocation", invocation)))
    assert out.values == {"By FEEL": Decimal("2.05"), "By invocation": Decimal("0.1")}


def test_a_bkm_argument_of_the_wrong_type_is_null_with_a_diagnostic():
    out = run(model(BKMS + decision("Bad", literal('Fee table(1, 3)'))))
    assert out.values["Bad"] is None and "parameter 'kind'" in messages(out, "Bad")


def test_a_bkm_calling_itself_without_end_is_stopped_with_a_diagnostic():
    body = ('<businessKnowledgeModel name="Loop"><encapsulatedLogic><formalParameter name="n"/>'
            + literal("Loop(n + 1)") + "</encapsulatedLogic></businessKnowledgeModel>"
            + decision("Endless", literal("Loop(1)")) + decision("Other", literal("42")))
    started = time.perf_counter()
    out = run(model(body))
    assert time.perf_counter() - started < 10
    assert out.values == {"Endless": None, "Other": 42}
    assert "genest" in messages(out, "Endless") or "recursie" in messages(out, "Endless").lower()


def test_java_function_definition_is_refused_with_a_finding_naming_the_element():
    body = ('<businessKnowledgeModel name="Ext" id="ext1"><encapsulatedLogic kind="Java"><formalParameter name="a"/>'
            "<context/></encapsulatedLogic></businessKnowledgeModel>" + decision("Fine", literal("1")))
    findings = validate_dmn(model(body))
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1 and errors[0].cell == "ext1" and "'Ext'" in errors[0].message and "Java" in errors[0].message
    assert run(model(body)).values == {"Fine": 1}


# ------------------------------------------------------------------ decision services

SERVICE = (
    '<inputData name="Amount" id="in1"><variable name="Amount" typeRef="number"/></inputData>'
    + decision("Base", literal("Amount * 2"), ident="d1")
    + decision("Total", literal("Base + 1"), ident="d2")
    + '<decisionService name="Compute total" id="s1"><outputDecision href="#d2"/><inputDecision href="#d1"/>'
      "</decisionService>"
    + decision("Via service", literal("Compute total(10)"), ident="d3"))


def test_decision_service_is_a_function_and_can_be_evaluated_directly():
    rules, _ = load_dmn(model(SERVICE), "s.dmn")
    assert rules.decision_services == ["Compute total"]
    assert rules.evaluate_decisions({"Amount": 3}).values == {"Base": 6, "Total": 7, "Via service": 11}
    direct = rules.evaluate_service("Compute total", {"Base": 100})
    assert direct.values["Total"] == 101


# ------------------------------------------------------------------ types and names

TYPES = """
<itemDefinition name="tInterest"><typeRef>string</typeRef>
  <allowedValues><text>"Golf","Hockey"</text></allowedValues></itemDefinition>
<itemDefinition name="tInterests" isCollection="true"><typeRef>tInterest</typeRef></itemDefinition>
<itemDefinition name="tViolation">
  <itemComponent name="Actual Speed"><typeRef>number</typeRef></itemComponent>
  <itemComponent name="Speed Limit"><typeRef>number</typeRef></itemComponent>
  <itemComponent name="Hobbies"><typeRef>tInterests</typeRef></itemComponent>
</itemDefinition>
<inputData name="Violation"><variable name="Violation" typeRef="tViolation"/></inputData>
"""


def test_component_access_with_spaces_and_allowed_values_on_collection_items():
    body = TYPES + decision("Over", literal("Violation.Actual Speed - Violation.Speed Limit"), "number")
    ok = run(model(body), {"Violation": {"Actual Speed": 120, "Speed Limit": 100, "Hobbies": ["Golf"]}})
    assert ok.values == {"Over": 20}
    bad = run(model(body), {"Violation": {"Actual Speed": 120, "Speed Limit": 100, "Hobbies": ["Dancing"]}})
    assert bad.values == {"Over": None}
    assert "Violation" in " ".join(str(d) for d in bad.diagnostics.get("Violation", []))


def test_a_result_that_does_not_match_its_type_ref_is_null_with_a_diagnostic():
    out = run(model(decision("Number", literal('"text"'), "number")))
    assert out.values == {"Number": None} and "past niet bij het type" in messages(out, "Number")


def test_decisions_without_id_and_with_special_characters_are_kept_by_name():
    body = decision("Is it ok?", literal("true")) + decision("Result-1 (final)", literal("if Is it ok? then 1 else 2"))
    out = run(model(body))
    assert out.values == {"Is it ok?": True, "Result-1 (final)": 1}


def test_imported_model_by_prefix(tmp_path):
    imported = (f'<definitions xmlns="{DMN15}" name="Lib" namespace="urn:lib">'
                '<businessKnowledgeModel name="Greet"><encapsulatedLogic><formalParameter name="who"/>'
                + literal('"Hello " + who') + "</encapsulatedLogic></businessKnowledgeModel></definitions>")
    (tmp_path / "lib.dmn").write_text(imported)
    main = model(f'<import namespace="urn:lib" name="lib" importType="{DMN15}"/>'
                 + decision("Greeting", literal('lib.Greet("Ada")')))
    (tmp_path / "main.dmn").write_bytes(main)
    rules = engine.load(tmp_path / "main.dmn")
    assert rules.evaluate({}).outputs == {"Greeting": "Hello Ada"}


# ------------------------------------------------------------------ Camunda Modeler conventions

CAMUNDA_TABLE = f"""
<decision id="dish" name="Dish">
  <decisionTable id="t1">
    <input id="i1" label="Season"><inputExpression typeRef="string"><text>season</text></inputExpression></input>
    <input id="i2" label="Guests" camunda:inputVariable="guests"><inputExpression typeRef="integer"><text></text></inputExpression></input>
    <output id="o1" name="dish" typeRef="string"/>
    <rule id="rule_a"><inputEntry><text>"Winter"</text></inputEntry><inputEntry><text>&lt;= 8</text></inputEntry>
      <outputEntry><text>"Roastbeef"</text></outputEntry></rule>
    <rule id="rule_b"><inputEntry><text>"Winter"</text></inputEntry><inputEntry><text>guests &lt;= 8</text></inputEntry>
      <outputEntry><text>"Stew"</text></outputEntry></rule>
    <rule id="rule_c"><inputEntry><text>"Summer"</text></inputEntry><inputEntry><text>-</text></inputEntry>
      <outputEntry><text>"Salad"</text></outputEntry></rule>
  </decisionTable>
</decision>
<decision id="count" name="Count"><variable name="Count" typeRef="integer"/>{literal("guests + 0.5")}</decision>
<decision id="beverage" name="Beverage">
  <informationRequirement><requiredDecision href="#dish"/></informationRequirement>
  <decisionTable><input><inputExpression><text>dish</text></inputExpression></input><output name="drink"/>
    <rule><inputEntry><text>"Salad"</text></inputEntry><outputEntry><text>"Water"</text></outputEntry></rule>
  </decisionTable>
</decision>
"""


def test_camunda_free_names_input_variable_and_unique_violation_naming_the_rules():
    content = model(CAMUNDA_TABLE, DMN11, CAMUNDA + ' exporter="Camunda Modeler"')
    rules, findings = load_dmn(content, "dish.dmn")
    assert rules is not None and not [f for f in findings if f.severity == "error"]
    assert [v.name for v in rules.inputs] == ["season", "guests"]     # free names became inputs
    summer = rules.evaluate({"season": "Summer", "guests": 3})
    assert summer.outputs == {"Dish": "Salad", "Count": None, "Beverage": "Water"}   # output name 'dish' bound
    assert "geheel getal" in str(summer.diagnostics["Count"][0])                      # integer typeRef
    winter = rules.evaluate({"season": "Winter", "guests": 4})
    assert winter.outputs["Dish"] is None and winter.outputs["Count"] is None
    assert "rule_a, rule_b" in str(winter.diagnostics["Dish"][0])                     # absent hitPolicy = UNIQUE
    assert [(f.table, f.rule) for f in summer.fired] == [("Dish", "rule_c"), ("Count", "count"), ("Beverage", "1")]


# ------------------------------------------------------------------ partial failure

def test_an_element_that_cannot_load_is_a_finding_and_the_rest_runs():
    body = (decision("Broken", literal("1 +* 2"), ident="b1") + decision("Fine", literal("40 + 2"))
            + decision("Uses broken", literal("Broken")))
    findings = validate_dmn(model(body))
    assert [(f.code, f.cell) for f in findings if f.severity == "error"] == [("dmn-element", "b1")]
    rules = engine.load_bytes(model(body), "p.dmn")
    result = rules.evaluate({})
    assert result.outputs == {"Broken": None, "Fine": 42, "Uses broken": None}
    assert "Broken" in str(result.diagnostics["Broken"][0])


def test_validate_command_lists_every_finding(tmp_path):
    from click.testing import CliRunner
    from regelbank.cli import main
    body = (decision("One", literal("1 +* 2"), ident="e1") + decision("Two", literal("(("), ident="e2")
            + decision("Three", literal("3")))
    path = tmp_path / "two-errors.dmn"
    path.write_bytes(model(body))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code != 0
    assert "'One'" in result.output and "'Two'" in result.output and "2 fout(en)" in result.output


# ------------------------------------------------------------------ hostile input

def _refused(content: bytes, code: str):
    started = time.perf_counter()
    rules, findings = load_dmn(content, "bad.dmn")
    assert time.perf_counter() - started < 10
    assert rules is None and findings[0].code in code.split("|"), findings
    return findings[0].message


def test_xxe_and_entity_expansion_are_refused():
    xxe = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           + model(decision("D", literal("&x;"))))
    assert "DTD" in _refused(xxe, "dmn-xml")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>' + model(decision("D", literal('"&c;"'))))
    assert "entiteiten" in _refused(bomb, "dmn-xml")


def test_ten_thousand_decisions_are_refused():
    body = "".join(decision(f"d{i}", literal("1")) for i in range(10_000))
    # engine.limits counts while streaming and stops at its limit (2,000), before any tree is built
    assert "meer dan 2000 beslissingen" in _refused(model(body), "limit-decisions")


def test_a_50_mb_file_is_refused_unread():
    content = model(decision("D", literal('"' + "x" * 1000 + '"')) * 50_000)
    assert len(content) > 50_000_000
    assert _refused(content, "dmn-too-large|limit-decisions")


def test_deep_nesting_and_long_expressions_are_refused():
    deep = "<context><contextEntry>" * 150 + literal("1") + "</contextEntry></context>" * 150
    assert "genest" in _refused(model(decision("Deep", deep)), "dmn-too-deep|limit-depth")
    long_text = "1" + " + 1" * 30_000
    assert "tekens" in _refused(model(decision("Long", literal(long_text))), "dmn-expression-too-long")


def test_cycles_between_decisions_are_a_finding_and_null_at_run_time():
    body = ('<decision name="A" id="a"><informationRequirement><requiredDecision href="#b"/></informationRequirement>'
            + literal("B + 1") + "</decision>"
            '<decision name="B" id="b"><informationRequirement><requiredDecision href="#a"/></informationRequirement>'
            + literal("A + 1") + "</decision>" + decision("C", literal("7")))
    findings = validate_dmn(model(body))
    assert any(f.code == "dmn-cycle" and "A -> B -> A" in f.message for f in findings)
    started = time.perf_counter()
    out = run(model(body))
    assert time.perf_counter() - started < 5
    assert out.values == {"A": None, "B": None, "C": 7}


def test_a_decision_name_appearing_as_a_word_elsewhere_is_no_cycle():
    body = ('<decision name="years" id="y"><informationRequirement><requiredDecision href="#d"/>'
            "</informationRequirement>" + literal("Span.years") + "</decision>"
            + decision("Span", literal('years and months duration(date("2020-01-01"), date("2022-03-01"))'), ident="d"))
    out = run(model(body))
    assert out.values["years"] == 2 and not out.diagnostics.get("years")


def test_json_style_input_text_dates_extra_variables_and_juel_names():
    body = (TYPES.replace('<itemComponent name="Hobbies">', '<itemComponent name="Seen"><typeRef>date</typeRef>'
                          '</itemComponent><itemComponent name="Hobbies">')
            + decision("Year", literal("Violation.Seen.year")) + decision("Extra", literal("processVariable + 1"))
            + '<decision name="Old"><decisionTable><input><inputExpression><text>${age}</text></inputExpression>'
              '</input><output name="o"/><rule><inputEntry><text>&gt; 3</text></inputEntry>'
              '<outputEntry><text>"old"</text></outputEntry></rule></decisionTable></decision>')
    rules = engine.load_bytes(model(body, DMN11, CAMUNDA), "j.dmn")
    result = rules.evaluate({"Violation": {"Seen": "2024-05-01"}, "processVariable": 1, "age": 5})
    assert result.outputs == {"Year": 2024, "Extra": 2, "Old": "old"}


def test_input_values_and_output_values_constrain_a_table():
    table = ('<decision name="Level"><decisionTable>'
             '<input><inputExpression><text>Score</text></inputExpression><inputValues><text>[0..10]</text></inputValues></input>'
             '<output name="level"><outputValues><text>"low","high"</text></outputValues></output>'
             '<rule id="a"><inputEntry><text>&lt; 5</text></inputEntry><outputEntry><text>"low"</text></outputEntry></rule>'
             '<rule id="b"><inputEntry><text>&gt;= 5</text></inputEntry><outputEntry><text>"medium"</text></outputEntry></rule>'
             "</decisionTable></decision>")
    content = model('<inputData name="Score"><variable name="Score" typeRef="number"/></inputData>' + table)
    assert run(content, {"Score": 3}).values == {"Level": "low"}
    outside = run(content, {"Score": 30})
    assert outside.values == {"Level": None} and "invoerwaarden" in messages(outside, "Level")
    wrong_output = run(content, {"Score": 7})
    assert wrong_output.values == {"Level": None} and "uitkomstwaarden" in messages(wrong_output, "Level")


def test_a_chain_of_1500_decisions_loads_and_evaluates_without_exhausting_the_stack():
    body = "".join(decision(f"step {i}", literal(f"step {i - 1} + 1" if i else "1")) for i in range(1500))
    started = time.perf_counter()
    out = run(model(body))
    assert time.perf_counter() - started < 20
    assert out.values["step 1499"] == 1500 and not out.diagnostics


def test_camunda_7_juel_literal_in_a_dmn11_xsd_model_is_read_as_feel_with_a_warning():
    content = (b'<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn11.xsd" id="d" name="D" '
               b'namespace="http://camunda.org/schema/1.0/dmn"><decision id="decision" name="Check">'
               b'<literalExpression><text>input == "ok" &amp;&amp; !blocked ? "ok" : "notok"</text>'
               b"</literalExpression></decision></definitions>")
    rules = engine.load_bytes(content, "juel.dmn")
    assert [f.code for f in rules.findings] == ["dmn-juel"] and rules.findings[0].severity == "warning"
    assert rules.evaluate({"input": "ok", "blocked": False}).outputs == {"Check": "ok"}
    assert rules.evaluate({"input": "ok", "blocked": True}).outputs == {"Check": "notok"}
    groovy = content.replace(b"<literalExpression>", b'<literalExpression expressionLanguage="groovy">')
    assert any("groovy" in f.message for f in validate_dmn(groovy))


def test_type_refs_in_feel_type_syntax_are_checked():
    body = decision("Numbers", literal("[1, 2]"), "list&lt;number&gt;") + \
        decision("Texts", literal('["a"]'), "list&lt;number&gt;")
    out = run(model(body))
    assert out.values == {"Numbers": [1, 2], "Texts": None} and "past niet bij het type" in messages(out, "Texts")


def test_validate_command_resolves_imports_beside_the_model(tmp_path):
    from click.testing import CliRunner
    from regelbank.cli import main
    (tmp_path / "lib.dmn").write_text(f'<definitions xmlns="{DMN15}" name="Lib" namespace="urn:lib">'
                                      + decision("Rate", literal("0.1")) + "</definitions>")
    (tmp_path / "main.dmn").write_bytes(model(f'<import namespace="urn:lib" name="lib" importType="{DMN15}"/>'
                                              + decision("Fee", literal("lib.Rate * 100"))))
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "main.dmn")])
    assert result.exit_code == 0, result.output
    assert "geldig" in result.output and "niet gevonden" not in result.output
