"""DMN XML goes through the same path as a workbook, on the API and on the pages: validate, diff,
publish, evaluate with the trace (rule ids are the DMN rule ids), the decision log, download."""
from __future__ import annotations

import io
import re

import defusedxml.ElementTree as DET

import engine
from engine.dmn_export import DMN13, export_dmn

from .conftest import SPREADSHEETS
from .test_pages import login, text  # noqa: F401  (fixture)

RULESET = "kampen/autoaanpassing"
VALID_FROM = "2030-01-01"


def _exported() -> str:
    return export_dmn(engine.load(SPREADSHEETS / "kampen" / "autoaanpassing.xlsx").model).decode()


def _replace(xml: str, pattern: str, new: str) -> str:
    changed, n = re.subn(pattern, new, xml, count=1, flags=re.S)
    assert n == 1, pattern
    return changed


def changed_dmn() -> bytes:
    """The export as a policy officer might change it in Camunda Modeler: year 4 pays 90% instead of 80%."""
    xml = _exported()
    xml = _replace(xml, r'(<outputEntry id="AA-02_out1">\s*<text>)80<', r"\g<1>90<")
    xml = _replace(xml, r'(<inputEntry id="AA-24_in1">\s*<text>)80<', r"\g<1>90<")
    for example, vergoeding in (("V-04", "3800"), ("V-11", "2250")):
        xml = _replace(xml, rf'(<rb:example id="{example}".*?<rb:expected name="VergoedingsPercentage">)80<',
                       r"\g<1>90<")
        xml = _replace(xml, rf'(<rb:example id="{example}".*?<rb:expected name="Vergoeding">)\d+<',
                       rf"\g<1>{vergoeding}<")
    return xml.encode()


def broken_dmn() -> bytes:
    return _replace(_exported(), r'(<outputEntry id="AA-02_out1">\s*<text>)80<', r"\g<1>Onbekend * 2<").encode()


FOREIGN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="risico" name="Risico" namespace="urn:test">
  <decision id="dec" name="Risk Level">
    <informationRequirement id="r1"><requiredInput href="#age"/></informationRequirement>
    <decisionTable id="t" hitPolicy="UNIQUE">
      <input id="i1" label="Applicant Age"><inputExpression typeRef="number"><text>Applicant Age</text></inputExpression></input>
      <output id="o1" name="Level" typeRef="string"/>
      <rule id="RL-01"><description>Minderjarig</description><inputEntry><text>&lt; 18</text></inputEntry><outputEntry><text>"minor"</text></outputEntry></rule>
      <rule id="RL-02"><description>Meerderjarig</description><inputEntry><text>&gt;= 18</text></inputEntry><outputEntry><text>"adult"</text></outputEntry></rule>
    </decisionTable>
  </decision>
  <inputData id="age" name="Applicant Age"><variable name="Applicant Age" typeRef="number"/></inputData>
</definitions>"""


def _post_file(client, url, content, name, headers=None, **form):
    return client.post(url, data={"file": (io.BytesIO(content), name), **form}, headers=headers or {},
                       content_type="multipart/form-data")


def test_api_validate_publish_diff_evaluate_trace_and_download_a_dmn(client, token, service):
    editor = token("editor")
    report = _post_file(client, "/api/v1/validate", changed_dmn(), "auto.dmn", editor, ruleset=RULESET).get_json()
    assert report["valid"] is True, report["findings"]
    before = service.store.versions(RULESET)[0]
    response = _post_file(client, f"/api/v1/rulesets/{RULESET}/versions", changed_dmn(), "auto-2030.dmn", editor,
                          valid_from=VALID_FROM, comment="Jaar 4: 90%")
    assert response.status_code == 201, response.get_json()
    version = response.get_json()["version"]
    assert version["filename"] == "auto-2030.dmn" and version["valid_from"] == VALID_FROM
    # the diff with the workbook version names exactly the two rules changed in the DMN
    diff = client.get(f"/api/v1/rulesets/{RULESET}/diff?from={before.hash}&to={version['hash']}",
                      headers=editor).get_json()
    assert {(c["table"], c["rule"]) for c in diff["changed"]} == {("Afschrijving naar autojaar", "AA-02"),
                                                                   ("Besluit autoaanpassing", "AA-24")}
    assert not diff["added"] and not diff["removed"]
    # evaluate on both sides of the new date; the trace carries the DMN rule ids
    case = {"AutoJaar": 4, "Aanpassingskosten": 1000}
    url = f"/api/v1/rulesets/{RULESET}/evaluate"
    later = client.post(url, json={"inputs": case, "as_of": "2030-02-01"}, headers=token("evaluator")).get_json()
    earlier = client.post(url, json={"inputs": case, "as_of": "2029-12-31"}, headers=token("evaluator")).get_json()
    assert later["version"] == version["hash"] and later["outputs"]["Vergoeding"] == 900
    assert [f["rule"] for f in later["fired"]] == ["AA-02", "AA-10", "AA-24"]
    assert "Bron" not in later["fired"][0]["rule"] and later["fired"][0]["source"].startswith("Beleidsregels Wmo Kampen")
    assert earlier["outputs"]["Vergoeding"] == 800 and earlier["version"] == before.hash
    logged = client.get(f"/api/v1/decisions/{later['decision_id']}", headers=token("auditor")).get_json()
    assert [f["rule"] for f in logged["fired"]] == ["AA-02", "AA-10", "AA-24"]
    replay = client.post(f"/api/v1/decisions/{later['decision_id']}/replay", headers=token("auditor")).get_json()
    assert replay["identical"] is True
    # download: the DMN as uploaded; a workbook version as DMN with its diagram
    download = client.get(f"/api/v1/rulesets/{RULESET}/versions/{version['hash']}/download", headers=editor)
    assert download.data == changed_dmn() and download.mimetype == "application/xml"
    exported = client.get(f"/api/v1/rulesets/{RULESET}/versions/{before.hash}/dmn", headers=editor)
    assert exported.status_code == 200 and exported.mimetype == "application/xml"
    root = DET.fromstring(exported.data)
    assert root.tag == f"{{{DMN13}}}definitions" and root.find(
        "{https://www.omg.org/spec/DMN/20191111/DMNDI/}DMNDI") is not None


def test_api_refuses_a_broken_dmn_with_findings_and_stores_nothing(client, token, service):
    editor = token("editor")
    before = len(service.store.versions(RULESET))
    response = _post_file(client, f"/api/v1/rulesets/{RULESET}/versions", broken_dmn(), "kapot.dmn", editor,
                          valid_from=VALID_FROM)
    assert response.status_code == 422
    message = str(response.get_json())
    assert "Onbekend" in message and "AA-02" in message
    assert len(service.store.versions(RULESET)) == before


def test_api_publishes_and_runs_a_dmn_from_another_tool(client, token):
    editor = token("editor")
    response = _post_file(client, "/api/v1/rulesets/test/risico/versions", FOREIGN, "risico.dmn", editor,
                          valid_from="2024-01-01")
    assert response.status_code == 201, response.get_json()
    answer = client.post("/api/v1/rulesets/test/risico/evaluate", json={"inputs": {"Applicant Age": 17}},
                         headers=token("evaluator")).get_json()
    assert answer["outputs"] == {"Risk Level": "minor"}   # a DMN decision's value is named by the decision
    assert [(f["table"], f["rule"]) for f in answer["fired"]] == [("Risk Level", "RL-01")]
    assert answer["fired"][0]["annotation"] == "Minderjarig"


def test_pages_upload_a_dmn_show_the_diff_publish_and_evaluate(login, service):  # noqa: F811
    client = login("editor")
    response = client.post(f"/regelsets/{RULESET}/uploaden", data={"file": (io.BytesIO(changed_dmn()), "auto.dmn")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    draft_url = response.headers["Location"]
    html = text(client.get(draft_url))
    assert "Geen fouten" in html and "<del>80</del>" in html and "<ins>90</ins>" in html
    report = client.get(draft_url + ".json").get_json()["report"]
    assert report["publishable"] and all(e["passed"] for e in report["examples"])
    assert {c["rule"] for c in report["diff"]["changed"]} == {"AA-02", "AA-24"}
    response = client.post(draft_url + "/publiceren", data={"geldig_vanaf": VALID_FROM, "toelichting": "Uit de Modeler"})
    assert response.status_code == 302
    version = service.store.versions(RULESET)[0]
    assert version.filename == "auto.dmn"
    data = client.post(f"/regelsets/{RULESET}/evalueren.json",
                       data={"AutoJaar": "4", "Aanpassingskosten": "1000", "peildatum": "2030-02-01"}).get_json()
    assert data["result"]["outputs"]["VergoedingsPercentage"] == 90
    assert [f["rule"] for f in data["result"]["fired"]] == ["AA-02", "AA-10", "AA-24"]
    html = text(client.get(f"/regelsets/{RULESET}/versies"))
    assert f"/versies/{version.hash}/dmn" in html and "als DMN" in html
    assert client.get(f"/regelsets/{RULESET}/versies/{version.hash}/dmn").data == changed_dmn()


def test_pages_show_the_findings_of_a_broken_dmn(login, service):  # noqa: F811
    client = login("editor")
    before = len(service.store.versions(RULESET))
    response = client.post(f"/regelsets/{RULESET}/uploaden", data={"file": (io.BytesIO(broken_dmn()), "kapot.dmn")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = text(response)
    assert "kan niet worden gepubliceerd" in html and "Onbekend" in html and "AA-02" in html
    assert len(service.store.versions(RULESET)) == before
