"""More than one machine, and PostgreSQL going away (issue 14), against the real PostgreSQL that
`make test` starts: separate gunicorn servers on their own ports, as separate hosts would be.

- two app servers share one database: load on both, a publish in between, kill -9 of one server
  mid-load. Afterwards every acknowledged decision is in the log with the answer's outputs, the
  chain and its signatures verify, and no answer mixes two versions.
- PostgreSQL restarts under load: requests fail with a Dutch 503 JSON while it is gone, none is
  acknowledged without being logged, and the server resumes by itself.
"""
from __future__ import annotations

import datetime as _dt
import http.client
import json
import os
import subprocess
import threading
import time

import pytest
import sqlalchemy as sa

from bench.serve import Server, instance_env, pg_schema_url, prepare

from .test_versions import CASE, changed_autoaanpassing

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(240)]
PATH = "/api/v1/rulesets/kampen/autoaanpassing/evaluate"


@pytest.fixture
def pg_url():
    admin = os.environ.get("REGELBANK_TEST_POSTGRES_URL")
    if not admin:
        if os.environ.get("CI"):
            pytest.fail("REGELBANK_TEST_POSTGRES_URL is not set, but CI is: `make test` starts PostgreSQL.")
        pytest.skip("needs REGELBANK_TEST_POSTGRES_URL (scripts/postgres.sh start)")
    url, drop = pg_schema_url(admin)
    yield url
    drop()


class Load:
    """Threads posting evaluate requests to one port until stopped; every answer is kept."""

    def __init__(self, port: int, token: str, threads: int):
        self.port, self.token, self.answers, self.stop = port, token, [], threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for t in self._threads:
            t.start()

    def _run(self):
        body = json.dumps({"inputs": CASE, "as_of": "2027-06-01"})
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        while not self.stop.is_set():
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("POST", PATH, body, headers)
                response = conn.getresponse()
                answer = (response.status, json.loads(response.read() or b"null"), time.time())
                conn.close()
            except (OSError, ValueError, http.client.HTTPException):
                answer = (None, None, time.time())
                time.sleep(0.05)
            with self._lock:
                self.answers.append(answer)

    def finish(self) -> list:
        self.stop.set()
        for t in self._threads:
            t.join(40)
        return self.answers


def _logged(store) -> dict:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT decision_id, record_json FROM decisions")).all()
    return {d: json.loads(text) for d, text in rows}


def test_two_app_servers_one_chain_publish_and_kill9_mid_load(pg_url, tmp_path):
    from regelbank.service import Regelbank
    from store import Store
    from store.signing import LogSigner
    key = os.urandom(32).hex()
    envs = [instance_env(tmp_path, f"host-{i}", pg_url, key) for i in range(2)]
    token = prepare(envs[0])
    prepare(envs[1])
    servers = [Server(env, 1, 4, tmp_path / f"host-{i}.log").wait() for i, env in enumerate(envs)]
    try:
        loads = [Load(s.port, token, 3) for s in servers]
        time.sleep(2.0)
        publisher = Regelbank(Store(pg_url))            # a publish from a third place (console, another host)
        new = publisher.publish(changed_autoaanpassing(65), "auto-2027.xlsx", "kampen/autoaanpassing",
                                _dt.date(2027, 1, 1), "j.jansen")
        published_at = time.time()
        time.sleep(2.0)
        servers[1].kill9()                              # host B dies mid-load
        killed_at = time.time()
        time.sleep(2.5)
        answers_a, answers_b = (load.finish() for load in loads)
    finally:
        for s in servers:
            s.stop()
    store = Store(pg_url, signer=LogSigner.for_instance(tmp_path / "host-0"))
    try:
        logged = _logged(store)
        ok = [a for a in answers_a + answers_b if a[0] == 200]
        assert len(ok) > 50, "too little load got through"
        versions = {a[1]["version"] for a in ok}
        old = next(v for v in versions if v != new.hash)
        assert versions == {old, new.hash}, "the publish should show in the answers"
        for status, answer, at in ok:
            # every acknowledged decision is in the log, exactly as answered
            record = logged[answer["decision_id"]]
            assert record["version"] == answer["version"] and record["outputs"] == answer["outputs"]
            # no answer mixes two versions: its outputs are those of the version it names
            assert answer["outputs"]["VergoedingsPercentage"] == (65 if answer["version"] == new.hash else 60)
            if at > published_at + 1.0:
                assert answer["version"] == new.hash, "a server kept answering with the old version"
        assert any(at > killed_at + 0.5 for s, _, at in answers_a if s == 200), "server A stopped with B"
        assert not any(s == 200 and at > killed_at + 0.5 for s, _, at in answers_b)
        assert all(s in (200, None) for s, _, _ in answers_a + answers_b), {s for s, _, _ in answers_a}
        result = store.verify_log()
        assert result.ok and result.signed == result.checked, result.message
        receipt = next(a for s, a, _ in answers_b if s == 200)["receipt"]
        assert store.verify_receipt(receipt)["ok"]
    finally:
        store.close()
        publisher.store.close()


def _restart_postgres(admin_url: str) -> None:
    """pg_ctl restart of the server behind the URL (as its owner), the way an operator would."""
    engine = sa.create_engine(admin_url)
    with engine.connect() as conn:
        data = conn.execute(sa.text("SHOW data_directory")).scalar()
    engine.dispose()
    bindir = sorted(p for p in os.listdir("/usr/lib/postgresql"))[-1]
    cmd = [f"/usr/lib/postgresql/{bindir}/bin/pg_ctl", "-D", data, "-l", f"{data}/server.log", "-m", "fast", "-w",
           "-t", "60", "restart"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=90)


def test_postgres_restart_under_load_is_a_dutch_503_and_resumes(pg_url, tmp_path):
    from store import Store
    env = instance_env(tmp_path, "host", pg_url)
    token = prepare(env)
    server = Server(env, 1, 4, tmp_path / "host.log").wait()
    try:
        load = Load(server.port, token, 4)
        time.sleep(1.5)
        _restart_postgres(os.environ["REGELBANK_TEST_POSTGRES_URL"])
        restarted_at = time.time()
        time.sleep(4.0)
        answers = load.finish()
    finally:
        server.stop()
    assert_refused_then_resumed(answers, restarted_at + 1.0, Store(pg_url))


def assert_refused_then_resumed(answers: list, resumed_after: float, store) -> None:
    """While the log could not be written: Dutch 503s only; afterwards 200s again; every 200 is in
    the log and the chain verifies (closes ``store``)."""
    refused = [a for s, a, _ in answers if s == 503]
    assert refused, "no request saw the log go away"
    for answer in refused:
        assert answer["error"]["code"] == "log-unavailable" and "niet vastgelegd" in answer["error"]["message"]
    assert all(s in (200, 503) for s, _, _ in answers), {s for s, _, _ in answers}
    assert any(s == 200 and at > resumed_after for s, _, at in answers), "service did not resume"
    try:
        logged = _logged(store)
        assert all(a["decision_id"] in logged for s, a, _ in answers if s == 200)
        assert store.verify_log().ok
    finally:
        store.close()
