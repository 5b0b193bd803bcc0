"""API tokens (stored hashed) and users for the web login."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from store import Conflict, NotFound, Principal, StoreError


def _all_text_in_database(store) -> str:
    """Every value of every table, as one string (to prove a secret is not stored)."""
    parts = []
    with store.engine.connect() as conn:
        for name in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f"SELECT * FROM {name}")):
                parts.extend(v.hex() if isinstance(v, bytes) else str(v) for v in row)
    return "\n".join(parts)


@pytest.mark.parametrize("role", ["editor", "auditor", "evaluator"])
def test_token_is_stored_hashed_and_gives_its_role(store, role):
    plaintext = store.create_token(role=role, name=f"systeem-{role}")
    assert len(plaintext) >= 32
    assert store.check_token(plaintext) == Principal(f"systeem-{role}", role)
    dump = _all_text_in_database(store)
    assert plaintext not in dump and plaintext[3:] not in dump
    assert hashlib.sha256(plaintext.encode()).hexdigest() in dump


def test_wrong_missing_and_revoked_tokens(store):
    good = store.create_token(role="auditor", name="accountant")
    assert store.check_token(good + "x") is None
    assert store.check_token("") is None and store.check_token(None) is None
    with pytest.raises(Conflict, match="accountant"):
        store.create_token(role="auditor", name="accountant")
    [info] = store.list_tokens()
    assert (info.name, info.role, info.active) == ("accountant", "auditor", True)
    store.revoke_token("accountant")
    assert store.check_token(good) is None
    assert store.list_tokens()[0].active is False
    with pytest.raises(NotFound):
        store.revoke_token("accountant")
    again = store.create_token(role="editor", name="accountant")  # the name can be reused after revocation
    assert store.check_token(again) == Principal("accountant", "editor")
    with pytest.raises(StoreError, match="Onbekende rol"):
        store.create_token(role="admin", name="x")


def test_users(store):
    assert store.create_user("anna", "correct horse battery", "editor") == Principal("anna", "editor")
    store.create_user("bert", "ander wachtwoord", "auditor")
    assert store.check_user("anna", "correct horse battery") == Principal("anna", "editor")
    assert store.check_user("bert", "ander wachtwoord") == Principal("bert", "auditor")
    assert store.check_user("anna", "ander wachtwoord") is None
    assert store.check_user("carla", "correct horse battery") is None
    assert "correct horse battery" not in _all_text_in_database(store)
    with pytest.raises(Conflict, match="bestaat al"):
        store.create_user("anna", "x", "editor")
    with pytest.raises(StoreError, match="Onbekende rol"):
        store.create_user("dirk", "x", "beheerder")
    with pytest.raises(StoreError, match="Wachtwoord"):
        store.create_user("dirk", "", "editor")
