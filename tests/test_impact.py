"""Impact analysis between two versions: counts, transitions, rows fired before/after, SVG chart;
from Python, the console command and the API."""
from __future__ import annotations

import datetime as _dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from engine import load_bytes
from regelbank.impact import analyse_impact, example_rows, svg_chart

from .workbooks import make_workbook

OLD_ROWS = (("R-1", "< 18", '"jong"'), ("R-2", ">= 18", '"volwassen"'))
NEW_ROWS = (("R-1", "< 21", '"jong"'), ("R-2", ">= 21", '"volwassen"'))   # the age limit moves from 18 to 21
CSV = "Client;Leeftijd\nA;10\nB;18\nC;19\nD;20\nE;21\nF;40\nG;oud\n"


def _rows():
    lines = CSV.strip().split("\n")
    header = lines[0].split(";")
    return [dict(zip(header, line.split(";"))) for line in lines[1:]]


def test_analyse_impact_counts_transitions_and_rows():
    old = load_bytes(make_workbook(rows=OLD_ROWS), "oud.xlsx")
    new = load_bytes(make_workbook(rows=NEW_ROWS), "nieuw.xlsx")
    report = analyse_impact(old, new, _rows())
    assert report["cases"] == 7
    assert report["changed"] == 3            # 18, 19 and 20 become "jong"
    assert report["errors_before"] == report["errors_after"] == 1   # "oud" is not a number, in both versions
    assert report["transitions"]["Uitkomst"] == [{"from": "volwassen", "to": "jong", "count": 3}]
    assert report["distribution"]["Uitkomst"] == {"before": {"volwassen": 5, "jong": 1},
                                                  "after": {"jong": 4, "volwassen": 2}}
    fired = {f["rule"]: (f["before"], f["after"]) for f in report["fired"]}
    assert fired == {"Tabel: R-1": (1, 4), "Tabel: R-2": (5, 2)}
    assert [c["row"] for c in report["changed_cases"]] == [3, 4, 5]
    assert report["changed_cases"][0]["fired_before"] == ["R-2"] and report["changed_cases"][0]["fired_after"] == ["R-1"]
    assert "3 van de 7 gevallen" in report["summary"]


def test_svg_chart_is_valid_svg_with_both_series():
    old = load_bytes(make_workbook(rows=OLD_ROWS), "oud.xlsx")
    new = load_bytes(make_workbook(rows=NEW_ROWS), "nieuw.xlsx")
    svg = svg_chart(analyse_impact(old, new, _rows()))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "Uitkomst" in texts and "voor" in texts and "na" in texts and "jong" in texts
    assert len([r for r in root.iter() if r.tag.endswith("rect")]) >= 2 + 2 * 2


def test_example_rows_from_both_versions():
    old = load_bytes(make_workbook(rows=OLD_ROWS, examples=(("Leeftijd", "Uitkomst"), (10, "jong"), (30, "volwassen"))),
                     "oud.xlsx")
    rows = example_rows(old, old)
    assert rows == [{"Leeftijd": "10"}, {"Leeftijd": "30"}]


@pytest.fixture
def two_versions(service):
    """test/voorbeeld with two versions: the age limit 18, then 21."""
    v1 = service.publish(make_workbook(rows=OLD_ROWS), "oud.xlsx", "test/voorbeeld", _dt.date(2020, 1, 1), "tester")
    v2 = service.publish(make_workbook(rows=NEW_ROWS), "nieuw.xlsx", "test/voorbeeld", _dt.date(2021, 1, 1), "tester",
                         retroactive=True)
    return v1, v2


@pytest.fixture
def impact_client(app):
    from web.batch_api import bp
    if "batch_api" not in app.blueprints:
        app.register_blueprint(bp)
    return app.test_client()


def test_api_impact_post_with_caseload(impact_client, token, two_versions):
    v1, v2 = two_versions
    response = impact_client.post("/api/v1/rulesets/test/voorbeeld/impact", headers=token("evaluator"),
                                  data={"from": v1.hash[:12], "to": v2.hash[:12],
                                        "file": (io.BytesIO(CSV.encode()), "clienten.csv")},
                                  content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["changed"] == 3 and body["from"] == v1.hash and body["to"] == v2.hash
    assert body["svg"].startswith("<svg")


def test_api_impact_json_cases_and_svg(impact_client, token, two_versions):
    v1, v2 = two_versions
    response = impact_client.post("/api/v1/rulesets/test/voorbeeld/impact", headers=token("auditor"),
                                  json={"from": v1.hash, "to": v2.hash, "cases": [{"Leeftijd": 19}, {"Leeftijd": 50}]})
    assert response.status_code == 200 and response.get_json()["changed"] == 1
    svg = impact_client.get(f"/api/v1/rulesets/test/voorbeeld/impact?from={v1.hash}&to={v2.hash}&format=svg",
                            headers=token("editor"))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    ET.fromstring(svg.data)


def test_api_impact_refusals(impact_client, token, two_versions):
    assert impact_client.get("/api/v1/rulesets/test/voorbeeld/impact?from=x&to=y").status_code == 401
    missing = impact_client.get("/api/v1/rulesets/test/voorbeeld/impact", headers=token("evaluator"))
    assert missing.status_code == 400 and "versies" in missing.get_json()["error"]["message"]
    unknown = impact_client.get("/api/v1/rulesets/test/voorbeeld/impact?from=abc123&to=def456", headers=token())
    assert unknown.status_code in (400, 404)


def test_console_impact(app, two_versions, tmp_path, monkeypatch):
    from regelbank.impact import impact
    v1, v2 = two_versions
    monkeypatch.setenv("REGELBANK_DATABASE_URL", app.config["DATABASE_URL"])
    cases = tmp_path / "clienten.csv"
    cases.write_text(CSV, encoding="utf-8")
    svg = tmp_path / "impact.svg"
    result = CliRunner().invoke(impact, ["test/voorbeeld", "--from", v1.hash[:10], "--to", v2.hash[:10],
                                                         "--cases", str(cases), "--svg", str(svg)])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["changed"] == 3 and report["transitions"]["Uitkomst"][0]["count"] == 3
    assert svg.read_text().startswith("<svg")
    assert "3 van de 7 gevallen" in result.stderr
