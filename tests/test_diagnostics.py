"""A DMN decision that fails is null plus its diagnostic, and the diagnostic reaches every layer:
the API answer, the decision log and the evaluate page (issue 12 item 5, issue 13 item 5)."""
from __future__ import annotations

import datetime as _dt

MODEL = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="Deling" namespace="urn:test:deling">
  <inputData id="i1" name="Teller"><variable name="Teller" typeRef="number"/></inputData>
  <inputData id="i2" name="Noemer"><variable name="Noemer" typeRef="number"/></inputData>
  <decision id="q" name="Quotient">
    <variable name="Quotient" typeRef="number"/>
    <informationRequirement><requiredInput href="#i1"/></informationRequirement>
    <informationRequirement><requiredInput href="#i2"/></informationRequirement>
    <literalExpression><text>Teller / Noemer</text></literalExpression>
  </decision>
  <decision id="s" name="Som">
    <variable name="Som" typeRef="number"/>
    <informationRequirement><requiredInput href="#i1"/></informationRequirement>
    <informationRequirement><requiredInput href="#i2"/></informationRequirement>
    <literalExpression><text>Teller + Noemer</text></literalExpression>
  </decision>
</definitions>"""


def test_a_failing_decision_is_null_with_its_reason_everywhere(client, token, service):
    service.publish(MODEL, "deling.dmn", "test/deling", _dt.date(2024, 1, 1), "tests")
    answer = client.post("/api/v1/rulesets/test/deling/evaluate", json={"inputs": {"Teller": 1, "Noemer": 0}},
                         headers=token()).get_json()
    assert answer["outputs"] == {"Quotient": None, "Som": 1}, "the neighbour still evaluates"
    [diagnostic] = answer["diagnostics"]
    assert diagnostic["decision"] == "Quotient" and diagnostic["code"] == "arithmetic.division_by_zero"
    assert "nul" in diagnostic["message"]
    logged = client.get(f"/api/v1/decisions/{answer['decision_id']}", headers=token("auditor")).get_json()
    assert logged["diagnostics"] == answer["diagnostics"]
    service.store.create_user("consulent", "Regelbank-proef-2026", "evaluator")
    client.post("/inloggen", data={"gebruikersnaam": "consulent", "wachtwoord": "Regelbank-proef-2026"})
    page = client.post("/regelsets/test/deling/evalueren", data={"Teller": "1", "Noemer": "0"}).get_data(as_text=True)
    assert 'id="diagnostiek"' in page and "arithmetic.division_by_zero" in page


def test_a_workbook_answer_has_no_diagnostics_field(client, token):
    answer = client.post("/api/v1/rulesets/kampen/autoaanpassing/evaluate",
                         json={"inputs": {"AutoJaar": 5, "Aanpassingskosten": 5000}}, headers=token()).get_json()
    assert "diagnostics" not in answer
