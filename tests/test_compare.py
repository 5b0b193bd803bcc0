"""Cross-gemeente comparison: the same caseload against Kampen's and Midden-Holland's dagbesteding rules."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

CASES = "Doelgroep;Groepsgrootte;Dagbestedingsvorm;Activiteiten;ErnstigeOntregeling\n" \
        "VG;8;participatie;niet arbeidsmatig;nee\n" \
        "LG;4;activering;arbeidsmatig;nee\n" \
        "GGZ;6;participatie;niet arbeidsmatig;ja\n"


def test_compare_lists_where_two_gemeenten_differ(service):
    from regelbank.cases import read_cases
    from regelbank.compare import compare
    report = compare(service, "kampen/dagbesteding", "midden-holland/dagbesteding", read_cases(CASES.encode(), "c.csv")[1])
    assert report["shared_outputs"] and "MaxDagdelenPerWeek" in report["shared_outputs"]
    assert report["cases"] == 3
    by_case = {row["case"]: row for row in report["rows"]}
    # Kampen allows 9 dagdelen for every product; Midden-Holland at most 8 for arbeidsmatige activering
    kampen, mh = by_case[2]["a"]["outputs"], by_case[2]["b"]["outputs"]
    assert kampen["MaxDagdelenPerWeek"] == 9 and mh["MaxDagdelenPerWeek"] < 9
    assert by_case[2]["differs"] and {"output": "MaxDagdelenPerWeek", "a": 9, "b": mh["MaxDagdelenPerWeek"]} \
        in by_case[2]["differences"]
    assert report["differing"] == sum(row["differs"] for row in report["rows"])
    for row in report["rows"]:
        assert row["a"]["error"] is None and row["b"]["error"] is None, row


def test_compare_over_http_and_console(client, token, tmp_path, cli_env):
    response = client.post("/api/v1/compare", headers=token(), content_type="multipart/form-data",
                           data={"a": "kampen/dagbesteding", "b": "midden-holland/dagbesteding",
                                 "cases": (io.BytesIO(CASES.encode()), "cases.csv")})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["cases"] == 3
    path = tmp_path / "cases.csv"
    path.write_text(CASES)
    done = subprocess.run([str(Path(sys.executable).parent / "regelbank"), "compare", "kampen/dagbesteding",
                           "midden-holland/dagbesteding", "--cases", str(path)], env=cli_env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["differing"] >= 1 and all(row["differs"] for row in report["rows"])
    assert "casussen geven een andere uitkomst" in done.stderr
