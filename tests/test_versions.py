"""Publishing, peildatum evaluation, diff, withdrawal, audit: through the API, the console and the service."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl

from .conftest import workbook

AUTO = "/api/v1/rulesets/kampen/autoaanpassing"
CASE = {"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}


def changed_autoaanpassing(percentage_year5=65) -> bytes:
    """The bundled workbook with year 5 paying a different percentage (and its example updated)."""
    wb = openpyxl.load_workbook(workbook("kampen/autoaanpassing"))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in (60, "60") and ws.title not in ("Voorbeelden", "Glossary"):
                    cell.value = str(percentage_year5)
    ex = wb["Voorbeelden"]
    headers = [c.value for c in ex[1]]
    pct, amount, year = headers.index("VergoedingsPercentage"), headers.index("Vergoeding"), headers.index("AutoJaar")
    costs, rdw = headers.index("Aanpassingskosten"), headers.index("KeuringskostenRDW")
    for row in ex.iter_rows(min_row=2):
        if row[year].value == 5 and row[pct].value == 60:
            row[pct].value = percentage_year5
            if row[amount].value:  # refused cases (seven-year rule) stay at 0
                row[amount].value = row[costs].value * percentage_year5 / 100 + (row[rdw].value or 0)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, headers, content, valid_from="2027-01-01", name="autoaanpassing.xlsx", path=AUTO):
    return client.post(f"{path}/versions", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name), "valid_from": valid_from, "comment": "test"})


def test_publish_then_peildatum_selects_the_version(client, token):
    editor, evaluator = token("editor"), token("evaluator")
    response = upload(client, editor, changed_autoaanpassing(65))
    assert response.status_code == 201, response.get_json()
    new = response.get_json()["version"]
    later = client.post(f"{AUTO}/evaluate", json={"inputs": CASE, "as_of": "2027-01-01"}, headers=evaluator).get_json()
    earlier = client.post(f"{AUTO}/evaluate", json={"inputs": CASE, "as_of": "2026-12-31"}, headers=evaluator).get_json()
    assert later["version"] == new["hash"] and later["outputs"]["VergoedingsPercentage"] == 65
    assert earlier["version"] != new["hash"] and earlier["outputs"]["VergoedingsPercentage"] == 60
    versions = client.get(f"{AUTO}/versions", headers=evaluator).get_json()["versions"]
    assert [v["valid_from"] for v in versions][:2] == ["2027-01-01", "2015-05-12"]


def test_date_before_the_first_version_is_a_clear_error(client, token):
    response = client.post(f"{AUTO}/evaluate", json={"inputs": CASE, "as_of": "2001-01-01"}, headers=token())
    assert response.status_code == 409
    assert "2015-05-12" in response.get_json()["error"]["message"]


def test_publishing_the_same_content_twice_creates_one_version(client, token):
    editor = token("editor")
    content = changed_autoaanpassing(66)
    first = upload(client, editor, content).get_json()["version"]
    second = upload(client, editor, content).get_json()["version"]
    assert first["hash"] == second["hash"]
    assert len(client.get(f"{AUTO}/versions", headers=editor).get_json()["versions"]) == 2


def test_broken_workbook_is_rejected_with_findings_and_nothing_is_stored(client, token, simple_workbook):
    editor = token("editor")
    before = client.get(f"{AUTO}/versions", headers=editor).get_json()["versions"]
    broken = simple_workbook(rows=[("R-1", ">>5", '"a"')], metadata={"Gemeente": "kampen", "Regelset": "autoaanpassing"})
    response = upload(client, editor, broken)
    assert response.status_code == 422
    finding = next(f for f in response.get_json()["error"]["findings"] if f["code"] == "feel-syntax")
    assert finding["sheet"] == "Tabel" and finding["cell"] == "B3"
    assert client.get(f"{AUTO}/versions", headers=editor).get_json()["versions"] == before
    # the previous version keeps serving
    assert client.post(f"{AUTO}/evaluate", json={"inputs": CASE}, headers=editor).status_code == 200


def test_failing_example_blocks_publishing(client, token):
    wb = openpyxl.load_workbook(io.BytesIO(changed_autoaanpassing(65)))
    ex = wb["Voorbeelden"]
    headers = [c.value for c in ex[1]]
    ex.cell(2, headers.index("Vergoeding") + 1).value = 123456  # a wrong expected outcome
    buffer = io.BytesIO()
    wb.save(buffer)
    response = upload(client, token("editor"), buffer.getvalue())
    assert response.status_code == 422
    assert any(f["code"] == "example-failed" and f["sheet"] == "Voorbeelden" for f in response.get_json()["error"]["findings"])


def test_plain_pydmnrules_workbook_can_be_published(client, token, simple_workbook):
    """No Metadata or Voorbeelden sheets: the request's values stand in for the metadata."""
    wb = openpyxl.load_workbook(io.BytesIO(simple_workbook()))
    del wb["Metadata"]
    buffer = io.BytesIO()
    wb.save(buffer)
    path = "/api/v1/rulesets/kampen/leeftijdsgroep"
    response = upload(client, token("editor"), buffer.getvalue(), valid_from="2020-01-01", path=path)
    assert response.status_code == 201, response.get_json()
    answer = client.post(f"{path}/evaluate", json={"inputs": {"Leeftijd": 30}}, headers=token()).get_json()
    assert answer["outputs"] == {"Uitkomst": "volwassen"}


def test_uploads_that_are_not_workbooks_are_refused(client, token):
    editor = token("editor")
    assert upload(client, editor, b"%PDF-1.4 niet een werkmap").status_code == 415
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", b"0" * (60 * 1024 * 1024))
    response = upload(client, editor, bomb.getvalue())
    assert response.status_code == 413 and "zip-bom" in response.get_json()["error"]["message"]


def test_editor_only_for_publishing(client, token):
    assert upload(client, token("evaluator"), changed_autoaanpassing()).status_code == 403
    assert upload(client, token("auditor"), changed_autoaanpassing()).status_code == 403
    assert upload(client, {}, changed_autoaanpassing()).status_code == 401


def test_diff_download_and_withdraw(client, token):
    editor = token("editor")
    old = client.get(f"{AUTO}/versions", headers=editor).get_json()["versions"][0]["hash"]
    new = upload(client, editor, changed_autoaanpassing(65)).get_json()["version"]["hash"]
    diff = client.get(f"{AUTO}/diff?from={old[:10]}&to={new[:10]}", headers=editor).get_json()
    changed = {c["rule"]: c for c in diff["changed"]}
    assert changed, diff["summary"]
    cell = changed[next(iter(changed))]["cells"][0]
    assert cell["old"] != cell["new"]
    download = client.get(f"{AUTO}/versions/{new}/download", headers=editor)
    assert download.data == changed_autoaanpassing(65) or download.data[:2] == b"PK"
    assert client.post(f"{AUTO}/versions/{new}/withdraw", json={}, headers=editor).status_code == 400
    withdrawn = client.post(f"{AUTO}/versions/{new}/withdraw", json={"reason": "fout"}, headers=editor).get_json()
    assert withdrawn["version"]["status"] == "withdrawn"
    answer = client.post(f"{AUTO}/evaluate", json={"inputs": CASE, "as_of": "2027-06-01"}, headers=editor).get_json()
    assert answer["version"] == old, "a withdrawn version is never in force"


def test_decision_search_replay_and_verify(client, token):
    evaluator, auditor = token("evaluator"), token("auditor")
    answer = client.post(f"{AUTO}/evaluate", json={"inputs": CASE}, headers=evaluator).get_json()
    rule = answer["fired"][0]["rule"]
    found = client.get(f"/api/v1/decisions?ruleset=kampen/autoaanpassing&rule={rule}", headers=auditor).get_json()
    assert answer["decision_id"] in [d["decision_id"] for d in found["decisions"]]
    replay = client.post(f"/api/v1/decisions/{answer['decision_id']}/replay", headers=auditor).get_json()
    assert replay["identical"] is True
    assert client.get("/api/v1/audit/verify", headers=auditor).get_json()["ok"] is True


def test_evaluations_during_a_publish_see_old_or_new_never_a_mix(app, token):
    service = app.extensions["regelbank"]
    content = changed_autoaanpassing(65)
    seen, errors = set(), []

    def evaluate():
        for _ in range(40):
            try:
                answer = service.evaluate("kampen/autoaanpassing", CASE, caller="test", record=False)
                seen.add((answer["version"], answer["outputs"]["VergoedingsPercentage"]))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    threads = [threading.Thread(target=evaluate) for _ in range(6)]
    for t in threads:
        t.start()
    version = service.publish(content, "autoaanpassing.xlsx", "kampen/autoaanpassing",
                              __import__("datetime").date(2020, 1, 1), "test", retroactive=True)
    for t in threads:
        t.join()
    assert errors == []
    for hash_, percentage in seen:
        assert percentage == (65 if hash_ == version.hash else 60)


def test_console_publish_token_and_audit(tmp_path, cli_env, simple_workbook):
    regelbank = str(Path(sys.executable).parent / "regelbank")

    def run(*args):
        return subprocess.run([regelbank, *args], env=cli_env, capture_output=True, text=True, timeout=120)

    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(simple_workbook(rows=[("R-1", ">>5", '"a"')]))
    refused = run("publish", str(broken), "--ruleset", "kampen/autoaanpassing", "--valid-from", "2027-01-01")
    assert refused.returncode == 1 and "Tabel!B3" in refused.stderr
    good = tmp_path / "auto.xlsx"
    good.write_bytes(changed_autoaanpassing(65))
    published = run("publish", str(good), "--ruleset", "kampen/autoaanpassing", "--valid-from", "2027-01-01",
                    "--comment", "65 procent")
    assert published.returncode == 0, published.stderr
    later = json.loads(run("evaluate", "kampen/autoaanpassing", "--input", json.dumps(CASE), "--as-of", "2027-02-01").stdout)
    assert later["outputs"]["VergoedingsPercentage"] == 65
    replay = run("audit", "replay", later["decision_id"])
    assert replay.returncode == 0 and json.loads(replay.stdout)["identical"] is True
    verify = run("audit", "verify")
    assert verify.returncode == 0 and json.loads(verify.stdout)["ok"] is True
    assert run("user", "create", "--username", "accountant", "--role", "auditor",
               "--password", "lang genoeg wachtwoord").returncode == 0
    plain = run("token", "create", "--role", "auditor", "--name", "accountant", "--user", "accountant")
    assert plain.returncode == 0 and plain.stdout.strip().startswith("rb_")
    diff = run("diff", "kampen/autoaanpassing", "--from", json.loads(published.stdout)["hash"][:8],
               "--to", json.loads(published.stdout)["hash"][:8])
    assert diff.returncode == 0 and json.loads(diff.stdout)["changed"] == []


def test_changed_bundled_workbook_is_republished_unless_people_published(app, tmp_path):
    """A git pull that changes a bundled workbook must not leave `make run` serving the old file."""
    import shutil

    from regelbank.service import Regelbank
    service = app.extensions["regelbank"]
    bundled = tmp_path / "spreadsheets"
    (bundled / "kampen").mkdir(parents=True)
    shutil.copy(workbook("kampen/autoaanpassing"), bundled / "kampen" / "autoaanpassing.xlsx")
    (bundled / "kampen" / "autoaanpassing.xlsx").write_bytes(changed_autoaanpassing(65))
    seeder = Regelbank(service.store, bundled)
    assert seeder.seed_bundled() == ["kampen/autoaanpassing"]
    assert service.evaluate("kampen/autoaanpassing", CASE, record=False)["outputs"]["VergoedingsPercentage"] == 65
    assert seeder.seed_bundled() == [], "nothing new the second time"
    service.publish(changed_autoaanpassing(70), "auto.xlsx", "kampen/autoaanpassing",
                    __import__("datetime").date(2015, 5, 12), "beleidsmedewerker", retroactive=True)
    (bundled / "kampen" / "autoaanpassing.xlsx").write_bytes(changed_autoaanpassing(75))
    assert seeder.seed_bundled() == [], "a person's publication is never overridden by the repository"


def test_four_eyes_publishing_through_the_api(client, token, service):
    """With four-eyes on for the gemeente, a publish waits for a second editor's approval."""
    service.store.set_four_eyes("kampen", True)
    first, second = token("editor", "redacteur-a"), token("editor", "redacteur-b")
    response = client.post(f"{AUTO}/versions", headers=first, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(changed_autoaanpassing(65)), "auto.xlsx"), "valid_from": "2020-01-01", "retroactive": "true",
                                 "comment": "65 procent", "council_decision": "Raadsbesluit 2019-42"})
    pending = response.get_json()["version"]
    assert pending["status"] == "pending" and pending["council_decision"] == "Raadsbesluit 2019-42"
    before = client.post(f"{AUTO}/evaluate", json={"inputs": CASE}, headers=first).get_json()
    assert before["version"] != pending["hash"], "a pending version is not in force"
    refused = client.post(f"{AUTO}/versions/{pending['hash']}/approve", headers=first)
    assert refused.status_code == 409, "the publisher cannot approve their own version"
    approved = client.post(f"{AUTO}/versions/{pending['hash']}/approve", headers=second).get_json()["version"]
    assert approved["status"] == "active" and approved["approved_by"] == "redacteur-b"
    after = client.post(f"{AUTO}/evaluate", json={"inputs": CASE}, headers=first).get_json()
    assert after["version"] == pending["hash"] and after["outputs"]["VergoedingsPercentage"] == 65
