"""Issue 11.8: someone who can write to the database but holds no key cannot rewrite, re-chain or
truncate the decision log unnoticed; receipts prove inclusion even against a rewound database.

Each attack below was reported as "intact" by verify_log before signing existed (the hash chain
uses no key: an attacker recomputes it)."""
from __future__ import annotations

import hashlib
import os
import stat
import threading

import pytest

from store import Store, canonical_json
from store.signing import KEY_FILE, LogSigner, TrustedKeys, rotate_key

from test_store_decision_log import decision  # tests/store is on sys.path (no package)


@pytest.fixture
def instance(tmp_path):
    return tmp_path / "instance"


@pytest.fixture
def signed(store_url, instance):
    s = Store(store_url, signer=LogSigner.for_instance(instance))
    s.migrate()
    yield s
    s.close()


def _rechain_from(sql, start: int, change) -> None:
    """What an attacker with database access does: change record ``start`` and recompute every later
    hash, prev_hash and the head, so that the unsigned chain is consistent again."""
    rows = sql("SELECT seq, record_json FROM decisions WHERE seq >= :s ORDER BY seq", s=start)
    (prev,), = sql("SELECT hash FROM decisions WHERE seq = :s", s=start - 1) if start > 1 else [("0" * 64,)]
    import json
    for seq, text in rows:
        body = json.loads(text)
        if seq == start:
            change(body)
        body["prev_hash"] = prev
        new = canonical_json(body)
        digest = hashlib.sha256(new.encode()).hexdigest()
        sql("UPDATE decisions SET record_json = :t, hash = :h, prev_hash = :p WHERE seq = :s",
            t=new, h=digest, p=prev, s=seq)
        prev = digest
    sql("UPDATE log_head SET hash = :h WHERE id = 1", h=prev)


def test_signed_log_verifies_and_every_batch_has_one_signature(signed, sql):
    records = [signed.log_decision(decision(i)) for i in range(1, 6)]
    result = signed.verify_log()
    assert result.ok and result.checked == 5 and result.signed == 5, result.message
    sigs = sql("SELECT seq, hash FROM log_signatures ORDER BY seq")
    assert [s for s, _ in sigs] == [1, 2, 3, 4, 5]          # one append per batch here
    assert sigs[-1][1] == records[-1]["hash"]


def test_concurrent_appends_cost_one_signature_per_batch(signed, sql):
    def hold(conn):   # a slow disk: commits take a while, so requests pile up behind the leader
        import time
        time.sleep(0.02)
    signed._hooks["before_log_commit"] = hold
    threads = [threading.Thread(target=lambda t=t: [signed.log_decision(decision(i, caller=f"t{t}"))
                                                    for i in range(5)]) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    (count,), = sql("SELECT count(*) FROM log_signatures")
    assert signed.log_writer.records == 40
    assert count == signed.log_writer.batches < 40          # batches formed: fewer signatures than records
    assert signed.verify_log().ok


def test_rewriting_and_rechaining_is_detected_with_the_first_bad_position(store_url, signed, sql, instance):
    for i in range(1, 7):
        signed.log_decision(decision(i))
    _rechain_from(sql, 3, lambda body: body["outputs"].update(Toegekend=False))
    unsigned = Store(store_url)          # what verify saw before: a consistent chain
    assert unsigned.verify_log().ok
    unsigned.close()
    result = signed.verify_log()
    assert not result.ok and result.first_bad == 3 and result.signed == 2
    assert "herschreven" in result.message and "#3" in result.message


def test_deleting_a_record_and_renumbering_is_detected(signed, sql):
    for i in range(1, 6):
        signed.log_decision(decision(i))
    sql("DELETE FROM decisions WHERE seq = 5")
    sql("DELETE FROM log_signatures WHERE seq = 5")
    _rechain_from(sql, 2, lambda body: body["inputs"].update(Leeftijd=99))
    sql("UPDATE log_head SET seq = 4 WHERE id = 1")
    result = signed.verify_log()
    assert not result.ok and result.first_bad == 2


def test_truncation_with_rewound_head_is_detected_by_the_anchor_and_by_receipts(signed, sql, instance):
    receipts = [signed.log_decision_with_receipt(decision(i))[1] for i in range(1, 6)]
    (h3,), = sql("SELECT hash FROM decisions WHERE seq = 3")
    sql("DELETE FROM decisions WHERE seq > 3")
    sql("DELETE FROM log_signatures WHERE seq > 3")
    sql("UPDATE log_head SET seq = 3, hash = :h WHERE id = 1", h=h3)
    result = signed.verify_log()
    assert not result.ok and result.first_bad == 4 and "ingekort" in result.message
    # a case system that kept its receipt sees it too, also without the anchor file
    os.unlink(instance / "log_anchor.json")
    report = signed.verify_receipt(receipts[4])
    assert report["signature_valid"] and not report["in_log"] and "ingekort" in report["message"]
    assert signed.verify_receipt(receipts[1])["ok"]


def test_receipt_checks(signed, sql):
    record, receipt = signed.log_decision_with_receipt(decision(1))
    assert receipt["decision_id"] == record["decision_id"] and receipt["seq"] == 1
    assert receipt["hash"] == record["hash"] and receipt["head"]["seq"] == 1
    assert signed.verify_receipt(receipt)["ok"]
    forged = dict(receipt, head=dict(receipt["head"], hash="1" * 64))
    bad = signed.verify_receipt(forged)
    assert not bad["ok"] and not bad["signature_valid"]
    assert not signed.verify_receipt({"seq": "x"})["ok"]
    # the record under a valid receipt was changed afterwards
    sql("UPDATE decisions SET record_json = replace(record_json, 'true', 'false') WHERE seq = 1")
    changed = signed.verify_receipt(receipt)
    assert changed["signature_valid"] and not changed["ok"]


def test_a_signature_from_another_key_is_refused(signed, sql):
    for i in range(1, 3):
        signed.log_decision(decision(i))
    _rechain_from(sql, 2, lambda body: body["outputs"].update(Toegekend=False))
    (h2,), = sql("SELECT hash FROM decisions WHERE seq = 2")
    mine = LogSigner.generate().sign(2, h2)     # the attacker's own key
    sql("UPDATE log_signatures SET hash = :h, key_id = :k, signature = :s WHERE seq = 2",
        h=h2, k=mine.key_id, s=mine.signature)
    result = signed.verify_log()
    assert not result.ok and result.first_bad == 2 and "onbekende sleutel" in result.message


def test_unsigned_records_at_the_end_are_reported(signed, sql, store_url):
    signed.log_decision(decision(1))
    plain = Store(store_url)                    # writes outside the signing application
    plain.log_decision(decision(2))
    plain.close()
    result = signed.verify_log()
    assert not result.ok and result.first_bad == 2 and "niet ondertekend" in result.message


def test_key_file_mode_and_rotation(store_url, instance, sql):
    s = Store(store_url, signer=LogSigner.for_instance(instance))
    s.migrate()
    s.log_decision(decision(1))
    assert stat.S_IMODE(os.stat(instance / KEY_FILE).st_mode) == 0o600
    old, new = rotate_key(instance)
    assert old != new
    s.close()
    s = Store(store_url, signer=LogSigner.for_instance(instance))
    s.log_decision(decision(2))
    assert {k for (k,) in sql("SELECT key_id FROM log_signatures")} == {old, new}
    assert s.verify_log().ok                   # the old public key is still trusted
    assert set(TrustedKeys.load(instance).keys) == {old, new}
    s.close()


def test_key_from_the_environment(store_url, tmp_path, monkeypatch):
    key = LogSigner.generate()
    seed = key._private.private_bytes_raw().hex()
    monkeypatch.setenv("REGELBANK_LOG_SIGNING_KEY", seed)
    a = LogSigner.for_instance(tmp_path / "a")
    b = LogSigner.for_instance(tmp_path / "b")
    assert a.key_id == b.key_id == key.key_id
    assert not (tmp_path / "a" / KEY_FILE).exists()
