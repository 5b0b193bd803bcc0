"""The decision log: append-only, hash-chained, safe under concurrent writers, tamper-evident."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from store import Conflict, NotFound, StoreError, canonical_json, load_json
from store.schema import decisions

REPO = Path(__file__).resolve().parents[2]
GENESIS = "0" * 64


def decision(i: int = 0, ruleset: str = "kampen/autoaanpassing", rules=("AA-01",), **extra) -> dict:
    rec = {
        "caller": "test",
        "ruleset": ruleset,
        "version": "ab" * 32,
        "valid_from": "2027-01-01",
        "engine_version": "0.1.0",
        "as_of": "2027-03-01",
        "inputs": {"Aanpassingskosten": Decimal("12345.67"), "Leeftijd": 40 + i, "WlzIndicatie": False},
        "outputs": {"Toegekend": True, "Bedrag": Decimal("1000.10"), "Reden": f"Afschrijving ({i}) – € ok"},
        "fired": [{"table": "Afschrijving", "rule": r, "annotation": f"regel {r}"} for r in rules],
        "explanation": "De aanpassing wordt vergoed.",
    }
    rec.update(extra)
    return rec


def recompute(rec: dict) -> str:
    body = {k: v for k, v in rec.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def test_log_decision_returns_the_chained_record(store):
    r1 = store.log_decision(decision(1))
    r2 = store.log_decision(decision(2))
    assert (r1["seq"], r2["seq"]) == (1, 2)
    assert r1["prev_hash"] == GENESIS and r2["prev_hash"] == r1["hash"]
    assert r1["hash"] == recompute(r1) and r2["hash"] == recompute(r2)
    assert len(r1["decision_id"]) == 32 and r1["decision_id"] != r2["decision_id"]
    created = datetime.fromisoformat(r1["created_at"])
    assert created.utcoffset() == timedelta(0) and abs(datetime.now(timezone.utc) - created) < timedelta(minutes=5)
    for key, value in decision(1).items():
        assert r1[key] == value, key
    # Decimal values come back exactly (12345.67, 1000.10 with its trailing zero)
    assert str(r1["outputs"]["Bedrag"]) == "1000.10"
    assert r1["inputs"]["Aanpassingskosten"] == Decimal("12345.67")
    assert store.get_decision(r1["decision_id"]) == r1
    assert store.get_decision(r2["decision_id"]) == r2


def test_stored_text_is_the_hashed_canonical_json(store, sql):
    r = store.log_decision(decision(1))
    (text, h), = sql("SELECT record_json, hash FROM decisions WHERE seq = 1")
    assert hashlib.sha256(text.encode()).hexdigest() == h == r["hash"]
    assert canonical_json(load_json(text)) == text
    assert '"Bedrag":1000.10' in text  # a JSON number, exact


def test_caller_may_supply_the_decision_id(store):
    r = store.log_decision(decision(1, decision_id="case-42"))
    assert r["decision_id"] == "case-42" and store.get_decision("case-42")["seq"] == 1
    with pytest.raises(Conflict, match="case-42"):
        store.log_decision(decision(2, decision_id="case-42"))
    assert store.verify_log().checked == 1


@pytest.mark.parametrize(
    "record, message",
    [
        ({"ruleset": "a/b", "seq": 5}, "seq"),
        ({"ruleset": "a/b", "hash": "x"}, "hash"),
        ({"ruleset": "a/b", "inputs": {"x": float("nan")}}, "JSON"),
        ({"ruleset": "a/b", "inputs": {"x": object()}}, "JSON"),
        ({"ruleset": "a/b", "fired": "AA-01"}, "fired"),
        ({"ruleset": "a/b", "decision_id": "no spaces allowed"}, "decision_id"),
    ],
)
def test_bad_records_are_refused(store, record, message):
    with pytest.raises(StoreError, match=message):
        store.log_decision(record)
    assert store.verify_log().checked == 0


def test_get_unknown_decision(store):
    with pytest.raises(NotFound, match="bestaat niet"):
        store.get_decision("doesnotexist")


def test_search_decisions(store, sql):
    a = store.log_decision(decision(1, rules=("AA-01", "AA-03")))
    b = store.log_decision(decision(2, rules=("AA-02",)))
    c = store.log_decision(decision(3, ruleset="kampen/dagbesteding", rules=("DB-01",)))
    ids = lambda rs: [r["decision_id"] for r in rs]  # noqa: E731
    assert ids(store.search_decisions()) == [c["decision_id"], b["decision_id"], a["decision_id"]]
    assert ids(store.search_decisions(ruleset="kampen/autoaanpassing")) == [b["decision_id"], a["decision_id"]]
    assert ids(store.search_decisions(rule="AA-03")) == [a["decision_id"]]
    assert ids(store.search_decisions(rule="DB-01", ruleset="kampen/autoaanpassing")) == []
    assert ids(store.search_decisions(decision_id=b["decision_id"])) == [b["decision_id"]]
    assert ids(store.search_decisions(limit=1, offset=1)) == [b["decision_id"]]
    assert store.count_decisions(ruleset="kampen/autoaanpassing") == 2
    # dates filter created_at by whole (UTC) days, both ends inclusive
    _set_created(store, 1, datetime(2020, 3, 1, 23, 59, 59, 999999, tzinfo=timezone.utc))
    _set_created(store, 2, datetime(2020, 3, 2, 0, 0, 0, tzinfo=timezone.utc))
    assert ids(store.search_decisions(date_from=date(2020, 3, 1), date_to=date(2020, 3, 1))) == [a["decision_id"]]
    assert ids(store.search_decisions(date_from="2020-03-02", date_to="2020-03-02")) == [b["decision_id"]]
    assert ids(store.search_decisions(date_to=date(2020, 3, 2))) == [b["decision_id"], a["decision_id"]]
    assert ids(store.search_decisions(date_from=date(2020, 3, 3))) == [c["decision_id"]]
    # ... and the log now fails verification, since created_at was tampered with
    assert not store.verify_log().ok


def _set_created(store, seq: int, when: datetime):
    with store.engine.begin() as conn:  # through the column type, as the store itself writes it
        conn.execute(decisions.update().where(decisions.c.seq == seq).values(created_at=when))


def _assert_valid_chain(store, n: int):
    result = store.verify_log()
    assert result.ok, result.message
    assert result.checked == n
    records = store.search_decisions(limit=1000)
    assert sorted(r["seq"] for r in records) == list(range(1, n + 1))
    assert len({r["prev_hash"] for r in records}) == n


def test_concurrent_writers_in_threads_keep_one_chain(store):
    errors = []

    def writer(t):
        try:
            for i in range(15):
                store.log_decision(decision(i, caller=f"thread-{t}"))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    _assert_valid_chain(store, 8 * 15)


def test_concurrent_writers_in_processes_keep_one_chain(store, store_url):
    script = (
        "import sys\n"
        "from store import Store\n"
        "s = Store(sys.argv[1])\n"
        "for i in range(10):\n"
        "    s.log_decision({'caller': 'proc-' + sys.argv[2], 'ruleset': 'kampen/x', 'inputs': {'i': i},\n"
        "                    'fired': [{'table': 'T', 'rule': 'X-01', 'annotation': ''}]})\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, store_url, str(p)], cwd=REPO, stderr=subprocess.PIPE)
        for p in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err.decode()
    _assert_valid_chain(store, 40)


@pytest.fixture
def chain(store):
    records = [store.log_decision(decision(i)) for i in range(1, 6)]
    assert store.verify_log().ok
    return records


def test_verify_log_ok_and_empty(store):
    empty = store.verify_log()
    assert empty.ok and empty.checked == 0 and empty.first_bad is None
    store.log_decision(decision(1))
    ok = store.verify_log()
    assert ok.ok and bool(ok) and ok.checked == 1 and "in orde" in ok.message


def test_verify_detects_update_of_one_field(store, sql, chain):
    target = chain[2]
    (text,), = sql("SELECT record_json FROM decisions WHERE seq = 3")
    assert '"Toegekend":true' in text
    sql("UPDATE decisions SET record_json = :t WHERE seq = 3", t=text.replace('"Toegekend":true', '"Toegekend":false'))
    result = store.verify_log()
    assert not result.ok
    assert result.first_bad == 3 and result.decision_id == target["decision_id"]
    assert target["decision_id"] in result.message and "gewijzigd" in result.message
    assert result.checked == 2


def test_verify_detects_update_of_a_column_outside_the_json(store, sql, chain):
    sql("UPDATE decisions SET ruleset = 'kampen/anders' WHERE seq = 4")
    result = store.verify_log()
    assert not result.ok and result.first_bad == 4 and "ruleset" in result.message
    assert chain[3]["decision_id"] in result.message


def test_verify_detects_update_of_the_fired_rule_index(store, sql, chain):
    sql("UPDATE decision_rules SET rule = 'AA-99' WHERE seq = 2")
    result = store.verify_log()
    assert not result.ok and result.first_bad == 2 and chain[1]["decision_id"] in result.message


def test_verify_detects_delete(store, sql, chain):
    sql("DELETE FROM decisions WHERE seq = 3")
    result = store.verify_log()
    assert not result.ok and result.first_bad == 3
    assert "#3 ontbreekt" in result.message and chain[3]["decision_id"] in result.message


def test_verify_detects_delete_of_the_last_record(store, sql, chain):
    sql("DELETE FROM decisions WHERE seq = 5")
    result = store.verify_log()
    assert not result.ok and result.first_bad == 5 and "ontbreken" in result.message


def test_verify_detects_a_changed_hash(store, sql, chain):
    sql("UPDATE decisions SET hash = :h WHERE seq = 2", h="f" * 64)
    result = store.verify_log()
    assert not result.ok and result.first_bad == 2 and chain[1]["decision_id"] in result.message


def test_verify_detects_a_rewritten_record_with_a_consistent_hash(store, sql, chain):
    # the attacker recomputes the hash of the record they changed: the next record no longer links
    rec = dict(chain[1])
    rec["outputs"] = dict(rec["outputs"], Toegekend=False)
    del rec["hash"]
    text = canonical_json(rec)
    sql("UPDATE decisions SET record_json = :t, hash = :h WHERE seq = 2", t=text,
        h=hashlib.sha256(text.encode()).hexdigest())
    result = store.verify_log()
    assert not result.ok and result.first_bad == 3 and chain[2]["decision_id"] in result.message


def test_verify_detects_a_record_inserted_out_of_chain(store, sql, chain):
    forged = dict(chain[-1])
    forged.update(seq=6, decision_id="forged", prev_hash=chain[-1]["hash"])
    del forged["hash"]
    text = canonical_json(forged)
    sql(
        "INSERT INTO decisions (seq, decision_id, created_at, ruleset, version, record_json, hash, prev_hash) "
        "SELECT 6, 'forged', created_at, ruleset, version, :t, :h, :p FROM decisions WHERE seq = 5",
        t=text, h=hashlib.sha256(text.encode()).hexdigest(), p=chain[-1]["hash"],
    )
    result = store.verify_log()
    assert not result.ok and result.first_bad == 6 and "buiten de keten" in result.message
