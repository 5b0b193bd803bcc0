"""Accounts on both backends (migration 0002_accounts): tokens owned by users, disabling, server-side
sessions with idle and absolute lifetimes, login throttling, the password policy."""

from __future__ import annotations

import datetime as _dt

import pytest

from store import Conflict, NotFound, StoreError, password_problem

IDLE, ABSOLUTE = _dt.timedelta(minutes=30), _dt.timedelta(hours=12)
PASSWORD = "een lang wachtwoord 42"


@pytest.fixture
def people(store):
    store.create_user("anna", PASSWORD, "editor")
    store.create_user("bert", PASSWORD, "evaluator")
    return store


def test_a_token_acts_for_its_owner_and_dies_with_them(people):
    plain = people.create_token("editor", "zaaksysteem", user="anna")
    principal = people.check_token(plain)
    assert (principal.name, principal.role, principal.user, principal.identity) == ("zaaksysteem", "editor", "anna", "anna")
    people.set_user_disabled("anna", True)
    assert people.check_token(plain) is None
    people.set_user_disabled("anna", False)
    people.set_token_disabled("zaaksysteem", True)
    assert people.check_token(plain) is None
    people.set_token_disabled("zaaksysteem", False)
    assert people.check_token(plain).user == "anna"
    with pytest.raises(Conflict):
        people.create_token("editor", "te-ruim", user="bert")    # an evaluator cannot hold an editor token
    with pytest.raises(NotFound):
        people.create_token("evaluator", "spook", user="niemand")
    with pytest.raises(NotFound):
        people.set_token_disabled("bestaat-niet", True)


def test_sessions_end_on_logout_disable_password_change_and_lifetimes(people):
    sid = people.start_session("anna", "127.0.0.1")
    assert people.check_session(sid, IDLE, ABSOLUTE).user == "anna"
    people.end_session(sid)
    assert people.check_session(sid, IDLE, ABSOLUTE) is None
    sid = people.start_session("anna")
    people.set_user_disabled("anna", True)
    assert people.check_session(sid, IDLE, ABSOLUTE) is None
    people.set_user_disabled("anna", False)
    assert people.check_session(sid, IDLE, ABSOLUTE) is None   # re-enabling does not revive old sessions
    assert people.check_user("anna", PASSWORD) is not None
    sid = people.start_session("anna")
    people.set_password("anna", "nog een ander lang wachtwoord")
    assert people.check_session(sid, IDLE, ABSOLUTE) is None
    assert people.check_user("anna", PASSWORD) is None
    sid = people.start_session("bert")
    assert people.check_session(sid, _dt.timedelta(0), ABSOLUTE) is None      # idle
    sid = people.start_session("bert")
    assert people.check_session(sid, IDLE, _dt.timedelta(0)) is None          # absolute


def test_disabled_user_cannot_log_in(people):
    people.set_user_disabled("bert", True)
    assert people.check_user("bert", PASSWORD) is None
    assert not people.get_user("bert").active
    with pytest.raises(NotFound):
        people.set_user_disabled("niemand", True)


def test_login_throttle_grows_then_locks_and_resets(store):
    keys = ["user:anna", "addr:10.0.0.1"]
    for _ in range(3):
        assert store.login_wait(keys) == 0
        store.record_login_failure(keys)
    assert 0 < store.login_wait(keys) <= 1
    for _ in range(7):
        store.record_login_failure(keys)
    assert store.login_wait(["user:anna"]) > 14 * 60
    assert store.login_wait(["addr:10.0.0.2"]) == 0
    store.record_login_success(["user:anna"])
    assert store.login_wait(["user:anna"]) == 0 and store.login_wait(["addr:10.0.0.1"]) > 14 * 60


@pytest.mark.parametrize("password", ["kort", "passwordpassword", "Wachtwoord2026!", "aaaaaaaaaaaaaa",
                                      "anna-is-de-beste"])
def test_password_policy(store, password):
    assert password_problem(password, "anna")
    with pytest.raises(StoreError):
        store.create_user("anna", password, "editor", enforce_policy=True)


def test_a_good_password_passes(store):
    assert password_problem("paard batterij nietje correct", "anna") is None
    store.create_user("anna", "paard batterij nietje correct", "editor", enforce_policy=True)
