"""The API caches verified tokens while the accounts counter (migration 0004) stands still: a revoke or
a disable made by any process (here: a second Store on the same database, as the console or another
server would be) must still refuse the token on the very next request."""
from __future__ import annotations

import sqlite3

import pytest

from store import Store

BODY = {"inputs": {"AutoJaar": 5, "Aanpassingskosten": 5000, "KeuringskostenRDW": 150}}
URL = "/api/v1/rulesets/kampen/autoaanpassing/evaluate"


@pytest.fixture
def other(app):
    """Another process's view of the same database."""
    store = Store(app.config["DATABASE_URL"])
    yield store
    store.close()


@pytest.fixture
def counted(service, monkeypatch):
    calls = []
    real = service.store.check_token

    def check_token(plaintext):
        calls.append(plaintext)
        return real(plaintext)
    monkeypatch.setattr(service.store, "check_token", check_token)
    return calls


def _user_token(other, name):
    other.create_user(name, "Een-lang-wachtwoord-123", "editor")
    return {"Authorization": "Bearer " + other.create_token(role="evaluator", name=f"{name}-zaak", user=name)}


def test_a_verified_token_is_checked_once_until_accounts_change(client, other, counted):
    headers = _user_token(other, "cache1")
    assert client.post(URL, json=BODY, headers=headers).status_code == 200
    assert client.post(URL, json=BODY, headers=headers).status_code == 200
    assert client.get("/api/v1/rulesets", headers=headers).status_code == 200
    assert len(counted) == 1
    other.create_user("iemand-anders", "Een-lang-wachtwoord-456", "auditor")   # any change to users/tokens
    assert client.post(URL, json=BODY, headers=headers).status_code == 200
    assert len(counted) == 2


def test_revoke_and_disable_from_another_process_refuse_the_next_request(client, other):
    headers = _user_token(other, "cache2")
    ok = lambda: client.post(URL, json=BODY, headers=headers).status_code  # noqa: E731
    assert ok() == 200 and ok() == 200
    other.set_token_disabled("cache2-zaak", True)
    assert ok() == 401
    other.set_token_disabled("cache2-zaak", False)
    assert ok() == 200
    other.set_user_disabled("cache2", True)
    assert ok() == 401
    other.set_user_disabled("cache2", False)
    assert ok() == 200
    other.revoke_token("cache2-zaak")
    assert ok() == 401


def test_a_change_by_plain_sql_from_another_connection_is_seen(app, client, other):
    headers = _user_token(other, "cache3")
    assert client.post(URL, json=BODY, headers=headers).status_code == 200
    with sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE tokens SET disabled_at = '2026-12-01 12:00:00' WHERE name = 'cache3-zaak'")
    assert client.post(URL, json=BODY, headers=headers).status_code == 401


def test_without_the_counter_nothing_is_cached(app, client, other, counted):
    headers = _user_token(other, "cache4")
    with sqlite3.connect(app.config["DATABASE_URL"].removeprefix("sqlite:///")) as conn:
        conn.execute("DELETE FROM store_state WHERE key = 'accounts'")
    assert client.post(URL, json=BODY, headers=headers).status_code == 200
    assert client.post(URL, json=BODY, headers=headers).status_code == 200
    assert len(counted) == 2


def test_unknown_tokens_are_refused_and_not_cached(client, counted):
    for _ in range(2):
        response = client.post(URL, json=BODY, headers={"Authorization": "Bearer niet-bestaand"})
        assert response.status_code == 401 and response.get_json()["error"]["message"] == "Ongeldig token."
    assert len(counted) == 2
