"""Issue 11, items 2-7 and 10: no request can freeze or exhaust the server. Each probe is sent to
`regelbank serve` (gunicorn) over loopback, as in the security trial, with a client timeout far
below what the probe cost before, and the server must still answer its health check afterwards."""
from __future__ import annotations

import threading
import time
import urllib.request

import pytest

from tests.workbooks import book, table

from .conftest import BUDGET_SECONDS
from .gen_dmn import many_decisions
from .hostile import big_csv, caseload, merged_bomb_workbook, padded_caseload

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def tokens(server):
    from store import Store
    store = Store(f"sqlite:///{server.database}")
    made = {role: {"Authorization": "Bearer " + store.create_token(role, f"dos-{role}", user=user)}
            for role, user in (("editor", "redacteur"), ("evaluator", "consulent"), ("auditor", "auditor"))}
    store.close()
    return made


def healthy(server, within: float = 1.0) -> float:
    start = time.monotonic()
    with urllib.request.urlopen(server.base + "/api/v1/health", timeout=within + 5) as response:
        assert response.status == 200
    return time.monotonic() - start


def timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


# ------------------------------------------------------------------ 2: a 15 KB workbook with a sheet-wide merge

def test_merged_range_over_the_whole_sheet_is_refused_naming_the_sheet(server, tokens):
    bomb = merged_bomb_workbook("Afschrijving naar autojaar")
    assert len(bomb) < 20_000
    response, seconds = timed(lambda: server.client().post(
        "/api/v1/validate", headers=tokens["editor"], files={"file": ("auto.xlsx", bomb)}, timeout=30))
    assert response.status == 200, response.text[:300]
    finding = next(f for f in response.json()["findings"] if f["code"] == "xlsx-too-large")
    assert finding["sheet"] == "Afschrijving naar autojaar" and "A1:XFD1048576" in finding["message"]
    assert seconds < 3
    published = server.client().post("/api/v1/rulesets/kampen/autoaanpassing/versions", headers=tokens["editor"],
                                     data={"valid_from": "2032-01-01"}, files={"file": ("auto.xlsx", bomb)}, timeout=30)
    assert published.status == 422 and "xlsx-too-large" in published.text
    assert healthy(server) < 1


# ------------------------------------------------------------------ 3: caseloads read by their real content

def test_caseload_declaring_the_whole_sheet_is_read_by_its_content(server, tokens):
    hostile = caseload(3, declared="A1:XFD1048576")
    assert len(hostile) < 6_000
    response, seconds = timed(lambda: server.client().post(
        "/api/v1/rulesets/kampen/autoaanpassing/batch", headers=tokens["evaluator"],
        files={"file": ("gevallen.xlsx", hostile)}, timeout=30))
    assert response.status == 200, response.text[:300]
    assert len(response.json()["results"]) == 3 and seconds < 5


def test_caseload_with_a_too_small_dimension_loses_no_row(server, tokens):
    response = server.client().post("/api/v1/rulesets/kampen/autoaanpassing/batch", headers=tokens["evaluator"],
                                    files={"file": ("gevallen.xlsx", caseload(100, declared="A1:B10"))}, timeout=30)
    assert response.status == 200, response.text[:300]
    body = response.json()
    assert len(body["results"]) == 100 and body["summary"]["cases"] == 100
    assert all(r["error"] is None for r in body["results"])


def test_an_empty_row_between_cases_is_reported_not_dropped(server, tokens):
    csv = b"AutoJaar;Aanpassingskosten\n5;100\n;\n6;200\n"
    body = server.client().post("/api/v1/rulesets/kampen/autoaanpassing/batch", headers=tokens["evaluator"],
                                files={"file": ("gevallen.csv", csv)}, timeout=30).json()
    assert [r["row"] for r in body["results"]] == [2, 3, 4]
    assert body["results"][1]["error"].startswith("Lege rij") and body["results"][2]["error"] is None


# ------------------------------------------------------------------ 4: one upload guard, also for compare

def test_compare_refuses_a_zip_bomb_like_batch_does(server, tokens):
    bomb = padded_caseload(110)   # ~120 KB expanding to 110 MB
    assert len(bomb) < 200_000
    for path, data, field in (("/api/v1/compare", {"a": "kampen/dagbesteding", "b": "midden-holland/dagbesteding"}, "cases"),
                              ("/api/v1/rulesets/kampen/autoaanpassing/batch", {}, "file")):
        response, seconds = timed(lambda: server.client().post(path, headers=tokens["evaluator"], data=data,
                                                               files={field: ("gevallen.xlsx", bomb)}, timeout=30))
        assert response.status == 413, (path, response.text[:300])
        assert "zip-bom" in response.json()["error"]["message"] and seconds < 3


# ------------------------------------------------------------------ 5: limits for DMN validation

def test_a_ten_thousand_decision_dmn_is_refused_quickly_with_named_limits(server, tokens):
    dmn = many_decisions(10_000)
    response, seconds = timed(lambda: server.client().post(
        "/api/v1/validate", headers=tokens["editor"], files={"file": ("veel.dmn", dmn)}, timeout=60))
    assert response.status == 200, response.text[:300]
    codes = {f["code"]: f["message"] for f in response.json()["findings"]}
    assert "limit-decisions" in codes and "meer dan 2000 beslissingen" in codes["limit-decisions"]
    assert seconds < 2.5   # it stops counting at the limit; it took 110 s of CPU before
    one_big_table = many_decisions(1, rules=2_000)
    response = server.client().post("/api/v1/validate", headers=tokens["editor"],
                                    files={"file": ("tabel.dmn", one_big_table)}, timeout=60)
    assert any(f["code"] == "limit-table-rules" and "D0" in f["message"] for f in response.json()["findings"])


# ------------------------------------------------------------------ 6 and 10: free text bounded, formulas found

FREE_TEXT = book(glossary=[("Omschrijving", "tekst", None, None), ("Uitkomst", "tekst", None, None)],
                 tables=[table("Tabel", "U", ["Omschrijving"], ["Uitkomst"], [("R-1", "-", '"ok"')])])


def test_a_huge_free_text_input_is_refused_and_not_logged(server, tokens):
    published = server.client().post("/api/v1/rulesets/test/validatie/versions", headers=tokens["editor"],
                                     data={"valid_from": "2020-01-01"}, files={"file": ("vrij.xlsx", FREE_TEXT)})
    assert published.status == 201, published.text[:500]
    evaluate = "/api/v1/rulesets/test/validatie/evaluate"
    json_headers = {**tokens["evaluator"], "Content-Type": "application/json"}
    ok = server.client().post(evaluate, {"inputs": {"Omschrijving": "rolstoel"}}, headers=json_headers)
    assert ok.status == 200
    before = server.client().get("/api/v1/decisions?ruleset=test/validatie", headers=tokens["auditor"]).json()["total"]
    huge = server.client().post(evaluate, {"inputs": {"Omschrijving": "x" * (9 * 1024 * 1024)}}, headers=json_headers,
                                timeout=30)
    assert huge.status == 400 and "te lang" in huge.text
    after = server.client().get("/api/v1/decisions?ruleset=test/validatie", headers=tokens["auditor"]).json()["total"]
    assert after == before


def test_formulas_in_toelichting_bron_and_metadata_give_a_finding(server, tokens):
    formulas = book(glossary=[("Leeftijd", "getal", None, None), ("Uitkomst", "tekst", None, None)],
                    tables=[table("Tabel", "U", ["Leeftijd"], ["Uitkomst"],
                                  [("R-1", "< 18", '"jong"', '=HYPERLINK("http://x.example","klik")', "=cmd|' /C calc'!A0"),
                                   ("R-2", ">= 18", '"oud"')])],
                    metadata={"Eigenaar": "=1+1"})
    findings = server.client().post("/api/v1/validate", headers=tokens["editor"],
                                    files={"file": ("formules.xlsx", formulas)}).json()["findings"]
    found = [f for f in findings if f["code"] == "formula-in-text"]
    assert any("Toelichting van regel R-1" in f["message"] for f in found)
    assert any("Bron van regel R-1" in f["message"] for f in found)
    assert any(f["sheet"] == "Metadata" for f in found)
    assert all(f["severity"] == "error" for f in found)


# ------------------------------------------------------------------ 7: time budget; health answers under load

def test_health_answers_within_a_second_while_hostile_requests_run(server, tokens):
    """Six maximal batches at once (each about 25 s of CPU here): the three that get a slot stop at the
    budget with a Dutch 503, the others are told at once that the server is busy; meanwhile the health
    check answers within a second every time, and afterwards the workers are free again."""
    hostile = big_csv(150_000)
    results: list = []

    def attack():
        response, seconds = timed(lambda: server.client().post(
            "/api/v1/rulesets/kampen/autoaanpassing/batch", headers=tokens["evaluator"],
            files={"file": ("veel.csv", hostile)}, timeout=60))
        results.append((response.status, response.text, seconds))

    attackers = [threading.Thread(target=attack) for _ in range(6)]
    for t in attackers:
        t.start()
    latencies = []
    deadline = time.monotonic() + BUDGET_SECONDS + 2
    while time.monotonic() < deadline:
        latencies.append(healthy(server))
        time.sleep(0.2)
    for t in attackers:
        t.join(timeout=60)
    assert len(results) == 6
    assert max(latencies) < 1.0, latencies
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [503] * 6, [(s, text[:200]) for s, text, _ in results]
    over_budget = [r for r in results if "over-budget" in r[1]]
    assert over_budget and all("afgebroken" in text for _, text, _ in over_budget)
    assert all(seconds < BUDGET_SECONDS + 4 for _, _, seconds in results)
    small = server.client().post("/api/v1/rulesets/kampen/autoaanpassing/batch", headers=tokens["evaluator"],
                                 files={"file": ("weinig.csv", big_csv(10))}, timeout=30)
    assert small.status == 200 and len(small.json()["results"]) == 10
