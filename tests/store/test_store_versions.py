"""Versions: publish, immutability, peildatum selection, withdrawal, four-eyes, atomic publish."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from store import Conflict, NotFound, NoVersionInForce, StoreError

REPO = Path(__file__).resolve().parents[2]
RS = "kampen/autoaanpassing"


def publish(store, content: bytes, valid_from: date, ruleset: str = RS, author: str = "anna", **kw):
    return store.publish(
        ruleset=ruleset, content=content, filename="autoaanpassing.xlsx", valid_from=valid_from,
        author=author, comment=kw.pop("comment", "test"), **kw,
    )


def test_migrate_is_idempotent(store):
    store.migrate()
    store.migrate()
    assert store.schema_revision() == "0003_log"  # the newest migration


def test_publish_stores_version_identified_by_sha256(store):
    data = b"PK\x03\x04 workbook bytes \x00\xff"
    v = store.publish(
        ruleset=RS, content=data, filename="autoaanpassing.xlsx", valid_from=date(2027, 1, 1), author="anna",
        comment="Nieuwe afschrijvingstermijn", metadata={"Versie": "2027.1", "drempel": Decimal("12.50")},
        council_decision="Raadsbesluit 2026-114",
    )
    assert v.hash == hashlib.sha256(data).hexdigest() == v.id
    assert (v.ruleset, v.gemeente, v.name) == (RS, "kampen", "autoaanpassing")
    assert v.valid_from == date(2027, 1, 1) and v.author == "anna" and v.status == "active"
    assert v.comment == "Nieuwe afschrijvingstermijn" and v.council_decision == "Raadsbesluit 2026-114"
    assert v.metadata == {"Versie": "2027.1", "drempel": Decimal("12.50")}
    assert str(v.metadata["drempel"]) == "12.50"  # exact, not 12.5
    assert v.size == len(data) and v.filename == "autoaanpassing.xlsx"
    assert v.published_at.tzinfo is not None and v.published_at.utcoffset().total_seconds() == 0
    assert store.content(v.hash) == data
    assert store.rulesets() == [RS]
    assert store.get_version(RS, v.hash) == v
    assert store.get_version(RS, v.hash[:8]) == v
    assert store.get_version(RS, v.hash[:8].upper()) == v
    assert v.to_dict()["valid_from"] == "2027-01-01"


def test_publishing_same_content_twice_returns_the_existing_version(store, sql):
    v1 = publish(store, b"same bytes", date(2027, 1, 1), author="anna", comment="eerste")
    v2 = publish(store, b"same bytes", date(2030, 6, 1), author="bert", comment="tweede poging")
    assert v2 == v1  # no second version, and the stored one is unchanged (immutable)
    assert len(store.versions(RS)) == 1
    assert sql("SELECT count(*) FROM versions")[0][0] == 1
    assert sql("SELECT count(*) FROM contents")[0][0] == 1
    assert store.get_version(RS, v1.hash).valid_from == date(2027, 1, 1)
    # the same file under another rule set is a separate version sharing the stored bytes
    other = publish(store, b"same bytes", date(2027, 1, 1), ruleset="zwolle/autoaanpassing")
    assert other.hash == v1.hash and other.ruleset == "zwolle/autoaanpassing"
    assert sql("SELECT count(*) FROM contents")[0][0] == 1
    assert store.rulesets() == [RS, "zwolle/autoaanpassing"]


def test_stored_content_is_checked_against_its_hash(store, sql):
    v = publish(store, b"original", date(2027, 1, 1))
    sql("UPDATE contents SET data = :d WHERE hash = :h", d=b"tampered", h=v.hash)
    with pytest.raises(StoreError, match="beschadigd of gewijzigd"):
        store.content(v.hash)


def test_version_lookup_errors(store):
    v = publish(store, b"a", date(2027, 1, 1))
    with pytest.raises(NotFound, match="bestaat niet"):
        store.get_version(RS, "0" * 64 if not v.hash.startswith("0") else "f" * 64)
    with pytest.raises(NotFound, match="te kort"):
        store.get_version(RS, v.hash[:3])
    with pytest.raises(NotFound):
        store.get_version("kampen/onbekend", v.hash)
    with pytest.raises(NotFound):
        store.content("ab" * 32)
    # ambiguous prefix: find two hashes sharing their first 4 hex digits
    seen = {}
    i = 0
    while True:
        data = f"x{i}".encode()
        p = hashlib.sha256(data).hexdigest()[:4]
        if p in seen:
            break
        seen[p] = data
        i += 1
    publish(store, seen[p], date(2027, 1, 1))
    publish(store, data, date(2027, 1, 1))
    with pytest.raises(NotFound, match="meer dan één"):
        store.get_version(RS, p)
    assert store.versions("kampen/onbekend") == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"ruleset": "Kampen/Auto"}, "Ongeldige regelset"),
        ({"ruleset": "kampen"}, "Ongeldige regelset"),
        ({"content": b""}, "leeg"),
        ({"content": "tekst"}, "bytes"),
        ({"valid_from": datetime(2027, 1, 1, tzinfo=timezone.utc)}, "datum"),
        ({"valid_from": "1-1-2027"}, "geen geldige datum"),
        ({"author": " "}, "Auteur"),
        ({"metadata": {"x": object()}}, "Metadata"),
    ],
)
def test_publish_rejects_bad_input_in_dutch(store, kwargs, message):
    args = dict(ruleset=RS, content=b"x", filename="a.xlsx", valid_from=date(2027, 1, 1), author="anna")
    args.update(kwargs)
    with pytest.raises(StoreError, match=message):
        store.publish(**args)
    assert store.rulesets() == []


def test_versions_are_listed_newest_valid_from_first(store):
    a = publish(store, b"a", date(2015, 5, 12))
    c = publish(store, b"c", date(2027, 1, 1))
    b = publish(store, b"b", date(2020, 1, 1))
    assert [v.hash for v in store.versions(RS)] == [c.hash, b.hash, a.hash]
    assert [v.status for v in store.versions(RS)] == ["active"] * 3


def test_version_in_force_by_reference_date(store):
    v2015 = publish(store, b"2015", date(2015, 5, 12))
    v2020 = publish(store, b"2020", date(2020, 1, 1))
    v2027 = publish(store, b"2027", date(2027, 1, 1))
    cases = {
        date(2015, 5, 12): v2015, date(2019, 12, 31): v2015, date(2020, 1, 1): v2020,
        date(2026, 12, 31): v2020, date(2027, 1, 1): v2027, date(2099, 1, 1): v2027,
    }
    for as_of, expected in cases.items():
        assert store.version_in_force(RS, as_of).hash == expected.hash, as_of
    assert store.version_in_force(RS, "2020-01-01").hash == v2020.hash


def test_date_before_first_version_is_a_clear_error(store):
    publish(store, b"2015", date(2015, 5, 12))
    publish(store, b"2020", date(2020, 1, 1))
    with pytest.raises(NoVersionInForce) as e:
        store.version_in_force(RS, date(2015, 5, 11))
    assert str(e.value) == (
        "Geen versie van kampen/autoaanpassing geldig op 2015-05-11; de eerste versie geldt vanaf 2015-05-12."
    )
    with pytest.raises(NotFound, match="bestaat niet"):
        store.version_in_force("kampen/onbekend", date(2020, 1, 1))


def test_same_valid_from_latest_published_wins(store):
    publish(store, b"first", date(2027, 1, 1))
    second = publish(store, b"second", date(2027, 1, 1))
    assert store.version_in_force(RS, date(2027, 1, 1)).hash == second.hash


def test_withdraw_is_recorded_and_never_in_force(store, sql):
    v2015 = publish(store, b"2015", date(2015, 5, 12))
    v2020 = publish(store, b"2020", date(2020, 1, 1))
    w = store.withdraw(RS, v2020.hash[:10], by="carla", reason="Fout in tabel Afschrijving")
    assert w.status == "withdrawn" and w.withdrawn_by == "carla"
    assert w.withdraw_reason == "Fout in tabel Afschrijving" and w.withdrawn_at is not None
    assert store.version_in_force(RS, date(2021, 1, 1)).hash == v2015.hash
    # nothing deleted: still listed, still downloadable
    assert {v.hash: v.status for v in store.versions(RS)} == {v2020.hash: "withdrawn", v2015.hash: "active"}
    assert store.content(v2020.hash) == b"2020"
    with pytest.raises(Conflict, match="al ingetrokken"):
        store.withdraw(RS, v2020.hash, by="carla", reason="nogmaals")
    # publishing the withdrawn file again does not revive it
    assert publish(store, b"2020", date(2020, 1, 1)).status == "withdrawn"
    with pytest.raises(StoreError, match="Reden"):
        store.withdraw(RS, v2015.hash, by="carla", reason="")
    store.withdraw(RS, v2015.hash, by="carla", reason="Regeling vervallen")
    with pytest.raises(NoVersionInForce, match="alle versies zijn ingetrokken"):
        store.version_in_force(RS, date(2021, 1, 1))


def test_four_eyes_setting_is_per_gemeente_and_off_by_default(store):
    assert store.four_eyes("kampen") is False
    store.set_four_eyes("kampen", True)
    assert store.four_eyes("kampen") is True and store.four_eyes("zwolle") is False
    store.set_four_eyes("kampen", False)
    assert store.four_eyes("kampen") is False


def test_four_eyes_pending_until_another_editor_approves(store):
    old = publish(store, b"2015", date(2015, 5, 12), author="anna")
    store.set_four_eyes("kampen", True)
    new = publish(store, b"2027", date(2027, 1, 1), author="anna", council_decision="Collegebesluit 2026-77")
    assert new.status == "pending" and new.approved_by is None
    # pending is not in force: the previous version keeps serving
    assert store.version_in_force(RS, date(2028, 1, 1)).hash == old.hash
    with pytest.raises(Conflict, match="Vier-ogenprincipe") as e:
        store.approve(RS, new.hash, approver="Anna")  # same editor (case-insensitive)
    assert "andere redacteur" in str(e.value)
    assert store.get_version(RS, new.hash).status == "pending"
    approved = store.approve(RS, new.hash, approver="bert")
    assert approved.status == "active" and approved.approved_by == "bert" and approved.approved_at is not None
    assert approved.author == "anna" and approved.council_decision == "Collegebesluit 2026-77"
    assert store.version_in_force(RS, date(2028, 1, 1)).hash == new.hash
    with pytest.raises(Conflict, match="wacht niet op goedkeuring"):
        store.approve(RS, new.hash, approver="carla")
    # other gemeenten are not affected
    assert publish(store, b"z", date(2027, 1, 1), ruleset="zwolle/hulp").status == "active"


def test_require_approval_without_setting_and_only_pending_version(store):
    v = publish(store, b"only", date(2020, 1, 1), require_approval=True)
    assert v.status == "pending"
    with pytest.raises(NoVersionInForce, match="wachten nog op goedkeuring"):
        store.version_in_force(RS, date(2021, 1, 1))
    store.approve(RS, v.hash, approver="bert")
    assert store.version_in_force(RS, date(2021, 1, 1)).hash == v.hash


def test_failed_publish_leaves_nothing_and_previous_version_serves(store, sql):
    old = publish(store, b"old", date(2015, 5, 12))

    def boom(conn):
        raise RuntimeError("disk full (simulated)")

    store._hooks["after_version_insert"] = boom
    new_hash = hashlib.sha256(b"new").hexdigest()
    with pytest.raises(RuntimeError, match="simulated"):
        publish(store, b"new", date(2027, 1, 1))
    del store._hooks["after_version_insert"]
    assert [v.hash for v in store.versions(RS)] == [old.hash]
    assert sql("SELECT count(*) FROM contents WHERE hash = :h", h=new_hash)[0][0] == 0
    with pytest.raises(NotFound):
        store.content(new_hash)
    assert store.version_in_force(RS, date(2028, 1, 1)).hash == old.hash
    # and the same publish succeeds afterwards
    assert publish(store, b"new", date(2027, 1, 1)).hash == new_hash


def test_publish_killed_mid_transaction_leaves_nothing(store, store_url):
    old = publish(store, b"old", date(2015, 5, 12))
    script = (
        "import os, sys, datetime\n"
        "from store import Store\n"
        "s = Store(sys.argv[1])\n"
        "s._hooks['after_version_insert'] = lambda conn: os._exit(9)\n"
        "s.publish(ruleset='kampen/autoaanpassing', content=b'new', filename='a.xlsx',\n"
        "          valid_from=datetime.date(2027, 1, 1), author='anna')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, store_url], cwd=REPO, capture_output=True, timeout=120)
    assert proc.returncode == 9, proc.stderr.decode()
    assert [v.hash for v in store.versions(RS)] == [old.hash]
    assert store.version_in_force(RS, date(2028, 1, 1)).hash == old.hash
    assert publish(store, b"new", date(2027, 1, 1)).status == "active"  # not blocked by a stale lock


def test_readers_during_publish_see_old_or_new_never_a_mix(store):
    old = publish(store, b"old", date(2015, 5, 12))
    new_hash = hashlib.sha256(b"new").hexdigest()
    seen, errors = set(), []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                v = store.version_in_force(RS, date(2028, 1, 1))
                assert store.content(v.hash) in (b"old", b"new")
                seen.add(v.hash)
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)
                return

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    publish(store, b"new", date(2027, 1, 1))
    for _ in range(20):
        store.version_in_force(RS, date(2028, 1, 1))
    stop.set()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert seen <= {old.hash, new_hash} and seen
    assert store.version_in_force(RS, date(2028, 1, 1)).hash == new_hash


def test_concurrent_identical_publishes_create_one_version(store):
    results, errors = [], []

    def work():
        try:
            results.append(publish(store, b"race", date(2027, 1, 1)))
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len({v.hash for v in results}) == 1 and len(results) == 6
    assert len(store.versions(RS)) == 1


def test_migrations_match_the_table_definitions(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from store.schema import metadata

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []
