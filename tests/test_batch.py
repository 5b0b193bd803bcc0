"""Batch evaluation from a caseload file: console (`regelbank batch`) and API (POST .../batch)."""
from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from engine import load
from regelbank.batch import CasesFileError, read_cases, run_batch, write_table

from .conftest import workbook

CSV = ("Client;AutoJaar;Aanpassingskosten;KeuringskostenRDW\n"
       "C1;5;5000;150\n"
       "C2;x;100;\n"              # not a number: an error in its row, not fatal
       "C3;1;1.234,50;\n"         # Dutch decimal comma
       "C4;;;\n"                  # required inputs missing
       "C5;12;800;\n")


@pytest.fixture(scope="module")
def auto():
    return load(workbook("kampen/autoaanpassing"))


def test_run_batch_rows_outputs_rules_and_errors(auto):
    report = run_batch(auto, CSV.encode(), "clienten.csv")
    rows = {line[1]: dict(zip(report["columns"], line)) for line in report["table"]}
    assert report["columns"][:2] == ["Rij", "Client"] and report["columns"][-2:] == ["Regels", "Fout"]
    assert rows["C1"]["VergoedingsPercentage"] == 60 and rows["C1"]["Vergoeding"] == 3150
    assert rows["C1"]["Toegekend"] == "ja" and rows["C1"]["Fout"] == ""
    assert "AA-" in rows["C1"]["Regels"]
    assert "AutoJaar" in rows["C2"]["Fout"] and "geen getal" in rows["C2"]["Fout"]
    assert rows["C3"]["Vergoeding"] == 1234.5
    assert "ontbreekt" in rows["C4"]["Fout"]
    assert rows["C5"]["VergoedingsPercentage"] == 0 and rows["C5"]["Toegekend"] == "nee"
    summary = report["summary"]
    assert summary["cases"] == 5 and summary["errors"] == 2 and summary["error_rows"] == [3, 5]
    assert summary["ignored_columns"] == ["Client"]
    # the same answers as evaluating one case at a time
    single = auto.evaluate({"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150})
    assert rows["C1"]["Regels"] == ", ".join(f.rule for f in single.fired)


def test_xlsx_in_and_out(auto):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["AutoJaar", "Aanpassingskosten"])
    ws.append([4, 1000])
    ws.append([7, 999.5])
    buffer = io.BytesIO()
    wb.save(buffer)
    report = run_batch(auto, buffer.getvalue(), "clienten.xlsx")
    assert [line[report["columns"].index("VergoedingsPercentage")] for line in report["table"]] == [80, 20]
    out = openpyxl.load_workbook(io.BytesIO(write_table(report["columns"], report["table"], "xlsx")))
    values = list(out.active.values)
    assert values[0][0] == "Rij" and values[1][report["columns"].index("Vergoeding")] == 800
    text = write_table(report["columns"], report["table"], "csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[2][report["columns"].index("Vergoeding")] == "199,9"


def test_unreadable_files_are_refused(auto):
    with pytest.raises(CasesFileError):
        read_cases(b"", "leeg.csv")
    with pytest.raises(CasesFileError):
        run_batch(auto, b"Naam;Adres\nPiet;Kampen\n", "clienten.csv")   # no input columns at all
    with pytest.raises(CasesFileError):
        read_cases(b"PK\x03\x04 kapot", "clienten.xlsx")


@pytest.fixture
def batch_client(app):
    from web.batch_api import bp
    if "batch_api" not in app.blueprints:
        app.register_blueprint(bp)
    return app.test_client()


def test_api_batch_json(batch_client, token):
    response = batch_client.post("/api/v1/rulesets/kampen/autoaanpassing/batch", headers=token("evaluator"),
                                 data={"file": (io.BytesIO(CSV.encode()), "clienten.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["summary"]["cases"] == 5 and body["summary"]["errors"] == 2
    first = body["results"][0]
    assert first["row"] == 2 and first["outputs"]["Vergoeding"] == 3150 and first["error"] is None
    assert first["fired"] and body["results"][1]["error"]


def test_api_batch_file_and_refusals(batch_client, token):
    response = batch_client.post("/api/v1/rulesets/kampen/autoaanpassing/batch", headers=token("editor"),
                                 data={"file": (io.BytesIO(CSV.encode()), "clienten.csv"), "format": "xlsx"},
                                 content_type="multipart/form-data")
    assert response.status_code == 200
    assert list(openpyxl.load_workbook(io.BytesIO(response.data)).active.values)[0][0] == "Rij"
    assert batch_client.post("/api/v1/rulesets/kampen/autoaanpassing/batch").status_code == 401
    auditor = batch_client.post("/api/v1/rulesets/kampen/autoaanpassing/batch", headers=token("auditor"),
                                data={"file": (io.BytesIO(CSV.encode()), "c.csv")}, content_type="multipart/form-data")
    assert auditor.status_code == 403
    nofile = batch_client.post("/api/v1/rulesets/kampen/autoaanpassing/batch", headers=token())
    assert nofile.status_code == 400 and "file" in nofile.get_json()["error"]["message"]
    unknown = batch_client.post("/api/v1/rulesets/kampen/bestaatniet/batch", headers=token(),
                                data={"file": (io.BytesIO(CSV.encode()), "c.csv")}, content_type="multipart/form-data")
    assert unknown.status_code == 404
    from web.batch_api import MAX_BATCH_BYTES
    big = b"AutoJaar;Aanpassingskosten\n" + b"5;100\n" * (MAX_BATCH_BYTES // 6 + 10)
    too_big = batch_client.post("/api/v1/rulesets/kampen/autoaanpassing/batch", headers=token(),
                                data={"file": (io.BytesIO(big), "c.csv")}, content_type="multipart/form-data")
    assert too_big.status_code == 413


def test_console_batch(app, tmp_path, monkeypatch):
    from regelbank.batch import batch
    monkeypatch.setenv("REGELBANK_DATABASE_URL", app.config["DATABASE_URL"])
    cases = tmp_path / "clienten.csv"
    cases.write_text(CSV, encoding="utf-8")
    out = tmp_path / "uitkomsten.xlsx"
    result = CliRunner().invoke(batch, ["kampen/autoaanpassing", str(cases), "--out", str(out),
                                                        "--as-of", "2026-01-01"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["cases"] == 5 and summary["errors"] == 2 and summary["as_of"] == "2026-01-01"
    rows = list(openpyxl.load_workbook(out).active.values)
    assert len(rows) == 6 and rows[0][-1] == "Fout"
    assert "2 met een fout" in result.stderr
    bad = CliRunner().invoke(batch, ["kampen/bestaatniet", str(cases), "--out", str(out)])
    assert bad.exit_code == 2 and "Bekende regelsets" in bad.stderr
    wrong = CliRunner().invoke(batch, ["kampen/autoaanpassing", str(cases), "--out", "x.pdf"])
    assert wrong.exit_code == 2
