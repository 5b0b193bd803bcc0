"""Serving: receipts on every evaluate answer, the version-in-force cache, and clear refusals when
the database cannot take a decision (issue 14 and 11.8), through the real app."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from .test_versions import AUTO, CASE, changed_autoaanpassing

ROOT = Path(__file__).resolve().parent.parent


def _evaluate(client, headers, as_of="2027-06-01"):
    return client.post(f"{AUTO}/evaluate", json={"inputs": CASE, "as_of": as_of}, headers=headers)


def test_evaluate_answer_carries_a_receipt_that_verifies_until_the_log_is_rewound(client, token, service):
    evaluator, auditor = token("evaluator"), token("auditor")
    answers = [_evaluate(client, evaluator).get_json() for _ in range(3)]
    receipt = answers[-1]["receipt"]
    assert receipt["decision_id"] == answers[-1]["decision_id"]
    assert set(receipt["head"]) == {"seq", "hash", "key_id", "signature"} and receipt["head"]["seq"] >= receipt["seq"]
    ok = client.post("/api/v1/audit/verify-receipt", json=receipt, headers=auditor)
    assert ok.status_code == 200 and ok.get_json()["ok"], ok.get_json()
    assert client.post("/api/v1/audit/verify-receipt", json=receipt, headers=evaluator).status_code == 403
    # someone with database access removes the last decision and rewinds the head
    with service.store.engine.begin() as conn:
        seq = receipt["seq"]
        prev = conn.execute(sa.text("SELECT hash FROM decisions WHERE seq = :s"), {"s": seq - 1}).scalar()
        conn.execute(sa.text("DELETE FROM decisions WHERE seq >= :s"), {"s": seq})
        conn.execute(sa.text("DELETE FROM log_signatures WHERE seq >= :s"), {"s": seq})
        conn.execute(sa.text("UPDATE log_head SET seq = :s, hash = :h WHERE id = 1"), {"s": seq - 1, "h": prev})
    gone = client.post("/api/v1/audit/verify-receipt", json=receipt, headers=auditor)
    assert gone.status_code == 409
    body = gone.get_json()
    assert body["signature_valid"] and not body["in_log"] and "ingekort" in body["message"]
    verify = client.get("/api/v1/audit/verify", headers=auditor).get_json()
    assert not verify["ok"] and verify["first_bad"] == seq and "ingekort" in verify["message"]


def test_version_cache_follows_publish_and_withdraw_from_another_process(client, token, app, service):
    from store import Store
    from regelbank.service import Regelbank
    evaluator = token("evaluator")
    before = _evaluate(client, evaluator).get_json()
    assert before["outputs"]["VergoedingsPercentage"] == 60
    other = Regelbank(Store(app.config["DATABASE_URL"]))      # a second app server on the same database
    new = other.publish(changed_autoaanpassing(65), "auto.xlsx", "kampen/autoaanpassing",
                        __import__("datetime").date(2027, 1, 1), "j.jansen")
    after = _evaluate(client, evaluator).get_json()
    assert after["version"] == new.hash and after["outputs"]["VergoedingsPercentage"] == 65
    other.store.withdraw("kampen/autoaanpassing", new.hash, "j.jansen", "fout")
    again = _evaluate(client, evaluator).get_json()
    assert again["version"] == before["version"] and again["outputs"]["VergoedingsPercentage"] == 60
    other.store.close()


def test_an_api_call_reads_the_change_counters_once_and_still_sees_a_revoked_token(client, token, service,
                                                                                   monkeypatch):
    """Token and version checks share one read of the counters per request (each read hands the
    interpreter lock to another thread); a token revoked between two calls is refused on the next."""
    store = service.store
    reads = []
    original = type(store)._read_stamps
    monkeypatch.setattr(type(store), "_read_stamps", lambda self: reads.append(1) or original(self))
    evaluator = token("evaluator", name="zaaksysteem")
    reads.clear()
    assert _evaluate(client, evaluator).status_code == 200
    assert len(reads) == 1
    store.revoke_token("zaaksysteem")
    assert _evaluate(client, evaluator).status_code == 401
    assert store.versions_stamp() == store.versions_stamp() and len(reads) == 4   # outside a request: read each time
    with store.request_scope():        # a request that changes something sees its own change
        before = store.versions_stamp()
        service.publish(changed_autoaanpassing(70), "auto.xlsx", "kampen/autoaanpassing",
                        __import__("datetime").date(2028, 1, 1), "j.jansen")
        assert store.versions_stamp() > before


def test_console_verify_receipt(tmp_path, cli_env):
    exe = str(Path(sys.executable).parent / "regelbank")
    answer = subprocess.run([exe, "evaluate", "kampen/autoaanpassing", "--input", json.dumps(CASE)], env=cli_env,
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr
    assert "receipt" in json.loads(answer.stdout)
    check = subprocess.run([exe, "audit", "verify-receipt", "-"], input=answer.stdout, env=cli_env,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and json.loads(check.stdout)["ok"], check.stdout + check.stderr
    forged = json.loads(answer.stdout)
    forged["receipt"]["hash"] = "0" * 64
    check = subprocess.run([exe, "audit", "verify-receipt", "-"], input=json.dumps(forged), env=cli_env,
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 1 and not json.loads(check.stdout)["ok"]
    verify = subprocess.run([exe, "audit", "verify"], env=cli_env, capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and json.loads(verify.stdout)["signed"] == 1


def test_full_disk_is_a_dutch_503_and_service_resumes_by_itself(tmp_path, seeded_database, token):
    """SQLite on a 2 MB tmpfs (needs root to mount; the store test covers RLIMIT_FSIZE otherwise)."""
    import shutil

    from web import create_app
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root here; tests/store/test_log_writer.py covers a full disk "
                    "with RLIMIT_FSIZE")
    try:
        shutil.copy(seeded_database, disk / "regelbank.sqlite")
        app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "t",
                          "DATABASE_URL": f"sqlite:///{disk / 'regelbank.sqlite'}", "SEED_BUNDLED": False})
        client, store = app.test_client(), app.extensions["regelbank"].store
        headers = {"Authorization": "Bearer " + store.create_token(role="evaluator", name="zs")}
        assert _evaluate(client, headers).status_code == 200
        filler = disk / "filler"
        with open(filler, "wb") as f:     # fill the disk
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        before = store.count_decisions()
        refused = [_evaluate(client, headers) for _ in range(40)]
        answered = [r for r in refused if r.status_code == 200]
        failed = [r for r in refused if r.status_code != 200]
        assert failed, "the disk never filled up"
        assert all(r.status_code == 503 and r.get_json()["error"]["code"] == "log-unavailable" for r in failed)
        assert "niet vastgelegd" in failed[0].get_json()["error"]["message"]
        assert store.count_decisions() == before + len(answered)   # every 200 is in the log, no 503 is
        filler.unlink()
        resumed = _evaluate(client, headers)
        assert resumed.status_code == 200 and store.verify_log().ok
        store.close()
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


@pytest.mark.timeout(180)
def test_the_log_writer_process_is_killed_under_load_503_then_it_is_back(tmp_path):
    """`regelbank serve` appends through its writer process. kill -9 of that process mid-load: requests
    in the gap get the Dutch 503, none is acknowledged without being logged, the master starts a new
    writer and service resumes by itself; the chain verifies."""
    import os
    import signal
    import time

    from bench.serve import Server, instance_env, prepare
    from store import Store
    from store.signing import LogSigner

    from .test_serving_postgres import Load, assert_refused_then_resumed
    env = instance_env(tmp_path, "host", None)
    token = prepare(env)
    server = Server(env, 1, 4, tmp_path / "host.log").wait()
    try:
        writer = subprocess.run(["pgrep", "-f", "regelbank.cli log-writer", "-g", str(server.proc.pid)],
                                capture_output=True, text=True).stdout.split()
        assert len(writer) == 1, "regelbank serve should run one log-writer process"
        load = Load(server.port, token, 4)
        time.sleep(1.5)
        os.kill(int(writer[0]), signal.SIGKILL)
        killed_at = time.time()
        time.sleep(4.0)
        answers = load.finish()
    finally:
        server.stop()
    # the access log is written in batches (regelbank/serving.AccessLog); stopping flushes it
    lines = (tmp_path / "host.log").read_text().count('"POST /api/v1/rulesets/kampen/autoaanpassing/evaluate')
    assert lines == sum(1 for s, _, _ in answers if s is not None), lines
    assert_refused_then_resumed(answers, killed_at + 1.5, Store(f"sqlite:///{tmp_path / 'host' / 'regelbank.sqlite'}",
                                                        signer=LogSigner.for_instance(tmp_path / "host")))
