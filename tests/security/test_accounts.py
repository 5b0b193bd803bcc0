"""Issue 11, items 11-16: accounts and sessions as a security officer expects, probed over HTTP
against `regelbank serve` (gunicorn) and through the console."""
from __future__ import annotations

import datetime as _dt
import os
import stat

import pytest

from .conftest import PASSWORD

pytestmark = pytest.mark.timeout(180)


# ------------------------------------------------------------------ 14: security headers

@pytest.mark.parametrize("path", ["/inloggen", "/api/v1/health", "/static/regelbank.css", "/bestaat-niet",
                                  "/api/v1/rulesets"])
def test_security_headers_on_every_answer(server, path):
    response = server.client().get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")


# ------------------------------------------------------------------ 15: CSRF only skipped for a valid bearer token

def test_csrf_is_not_skipped_for_a_non_bearer_authorization_header(server):
    browser = server.client()
    assert browser.login("redacteur").status == 302
    forged = browser.post("/api/v1/validate", headers={"Authorization": "Basic Zm9vOmJhcg=="},
                          files={"file": ("a.dmn", b"<definitions/>")})
    assert forged.status == 400 and "CSRF" in forged.text.upper(), forged.text[:300]
    # the same request with a valid bearer token (no cookie) is an API call: no CSRF token needed
    plain = server.cli("token", "create", "--role", "editor", "--name", "csrf-probe", "--user", "redacteur").stdout.strip()
    api = server.client().post("/api/v1/validate", headers={"Authorization": f"Bearer {plain}"},
                               files={"file": ("a.dmn", b"<definitions/>")})
    assert api.status == 200, api.text[:300]


# ------------------------------------------------------------------ 12: logout and disabling end sessions at once

def test_logout_ends_the_session_for_a_copied_cookie(server):
    browser = server.client()
    assert browser.login("consulent").status == 302
    stolen = browser.session_cookie()
    assert browser.get("/").status == 200
    browser.get("/")
    assert browser.post("/uitloggen", {"csrf_token": browser.csrf}).status == 302
    replay = server.client()
    replay.request("GET", "/", headers={"Cookie": f"session={stolen}"})
    response = replay.request("GET", "/", headers={"Cookie": f"session={stolen}"})
    assert response.status == 302 and "/inloggen" in response.headers["Location"]


def test_disabling_a_user_ends_sessions_and_tokens_at_once(server):
    server.cli("user", "create", "--username", "tijdelijk", "--role", "editor", "--password", PASSWORD)
    browser = server.client()
    assert browser.login("tijdelijk").status == 302
    token = server.cli("token", "create", "--role", "evaluator", "--name", "tijdelijk-zaak", "--user", "tijdelijk")
    headers = {"Authorization": f"Bearer {token.stdout.strip()}"}
    assert server.client().get("/api/v1/rulesets", headers=headers).status == 200
    assert server.cli("user", "disable", "tijdelijk").returncode == 0
    assert browser.get("/").status == 302
    assert server.client().get("/api/v1/rulesets", headers=headers).status == 401
    assert server.client().login("tijdelijk").status == 401
    assert server.cli("user", "enable", "tijdelijk").returncode == 0
    assert server.client().get("/api/v1/rulesets", headers=headers).status == 200
    assert server.cli("token", "disable", "tijdelijk-zaak").returncode == 0
    assert server.client().get("/api/v1/rulesets", headers=headers).status == 401
    assert server.cli("token", "enable", "tijdelijk-zaak").returncode == 0
    assert server.client().get("/api/v1/rulesets", headers=headers).status == 200


def test_idle_and_absolute_session_lifetime(server):
    browser = server.client()
    assert browser.login("auditor").status == 302
    assert browser.get("/").status == 200
    # the server's idle lifetime is 30 minutes: age this session's last request by 31
    old = (_dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(minutes=31)).replace(tzinfo=None).isoformat(" ")
    server.sql("UPDATE sessions SET last_seen = ? WHERE username = 'auditor' AND ended_at IS NULL", (old,))
    assert browser.get("/").status == 302
    browser = server.client()
    assert browser.login("auditor").status == 302
    older = (_dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(hours=13)).replace(tzinfo=None).isoformat(" ")
    server.sql("UPDATE sessions SET created_at = ? WHERE username = 'auditor' AND ended_at IS NULL", (older,))
    assert browser.get("/").status == 302


# ------------------------------------------------------------------ 11: throttling, password policy, pages

def test_failed_logins_get_a_growing_delay_per_account_and_per_address(server, fresh_throttle):
    for _ in range(3):
        assert server.client().login("redacteur2", "fout-wachtwoord-123").status == 401
    refused = server.client().login("redacteur2")  # right password, but too soon
    assert refused.status == 429 and "Te veel mislukte inlogpogingen" in refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    # the address is throttled too: trying other account names from it does not help
    other = server.client().login("consulent")
    assert other.status == 429
    log = server.log.read_text(errors="replace")
    assert "mislukte inlogpoging 3 voor user:redacteur2" in log


def test_lockout_after_ten_failures_is_logged(server, fresh_throttle, caplog):
    from store import Store
    store = Store(f"sqlite:///{server.database}")
    keys = ["user:slachtoffer"]
    with caplog.at_level("WARNING", logger="regelbank.security"):
        for _ in range(10):
            store.record_login_failure(keys)
    assert store.login_wait(keys) > 14 * 60
    assert any("geblokkeerd" in r.getMessage() for r in caplog.records)
    store.record_login_success(keys)
    assert store.login_wait(keys) == 0
    store.close()


def test_password_policy_in_the_console(server):
    """The console refuses weak passwords (the whole policy: tests/store/test_store_accounts.py)."""
    for password, reason in (("kort-7", "te kort"), ("Welkom123456", "veelgebruikte")):
        result = server.cli("user", "create", "--username", "nieuwe-gebruiker", "--role", "evaluator",
                            "--password", password)
        assert result.returncode != 0 and reason in result.stderr


def test_change_password_page_and_console(server, fresh_throttle):
    server.cli("user", "create", "--username", "wisselaar", "--role", "evaluator", "--password", PASSWORD)
    browser, other = server.client(), server.client()
    assert browser.login("wisselaar").status == 302 and other.login("wisselaar").status == 302
    browser.get("/account/wachtwoord")
    weak = browser.post("/account/wachtwoord", {"huidig": PASSWORD, "nieuw": "qwertyuiop123", "herhaal": "qwertyuiop123",
                                                "csrf_token": browser.csrf})
    assert weak.status == 400 and "veelgebruikte" in weak.text
    new = "Nog-een-lang-wachtwoord-8"
    changed = browser.post("/account/wachtwoord", {"huidig": PASSWORD, "nieuw": new, "herhaal": new,
                                                   "csrf_token": browser.csrf})
    assert changed.status == 302
    assert browser.get("/").status == 200        # this browser keeps a fresh session
    assert other.get("/").status == 302          # every other session of the user has ended
    assert server.client().login("wisselaar", new).status == 302
    assert server.cli("user", "password", "wisselaar", "--password", PASSWORD).returncode == 0
    assert browser.get("/").status == 302
    assert server.client().login("wisselaar").status == 302


def test_account_page_disables_own_tokens_and_admin_disables_users(server):
    plain = server.cli("token", "create", "--role", "evaluator", "--name", "consulent-zaak", "--user", "consulent")
    headers = {"Authorization": f"Bearer {plain.stdout.strip()}"}
    owner = server.client()
    assert owner.login("consulent").status == 302
    assert "consulent-zaak" in owner.get("/account").text
    assert owner.post("/account/tokens/consulent-zaak/uitschakelen", {"csrf_token": owner.csrf}).status == 302
    assert server.client().get("/api/v1/rulesets", headers=headers).status == 401
    stranger = server.client()
    assert stranger.login("auditor").status == 302
    stranger.get("/account")
    assert stranger.post("/account/tokens/consulent-zaak/inschakelen", {"csrf_token": stranger.csrf}).status == 403
    assert stranger.post("/account/gebruikers/consulent/uitschakelen", {"csrf_token": stranger.csrf}).status == 403
    admin = server.client()
    assert admin.login("beheerder").status == 302
    admin.get("/account")
    assert admin.post("/account/tokens/consulent-zaak/inschakelen", {"csrf_token": admin.csrf}).status == 302
    assert server.client().get("/api/v1/rulesets", headers=headers).status == 200
    assert admin.post("/account/gebruikers/consulent/uitschakelen", {"csrf_token": admin.csrf}).status == 302
    assert owner.get("/").status == 302
    assert server.client().get("/api/v1/rulesets", headers=headers).status == 401
    assert admin.post("/account/gebruikers/consulent/inschakelen", {"csrf_token": admin.csrf}).status == 302


# ------------------------------------------------------------------ 16: four-eyes by person, not by name

def test_four_eyes_compares_people_not_token_and_user_names(server):
    from tests.test_versions import changed_autoaanpassing
    assert server.cli("four-eyes", "kampen", "aan").returncode == 0
    try:
        plain = server.cli("token", "create", "--role", "editor", "--name", "tok_editor", "--user", "redacteur")
        headers = {"Authorization": f"Bearer {plain.stdout.strip()}"}
        published = server.client().post("/api/v1/rulesets/kampen/autoaanpassing/versions", headers=headers,
                                          data={"valid_from": "2031-01-01", "comment": "vier ogen"},
                                          files={"file": ("auto.xlsx", changed_autoaanpassing(71))})
        assert published.status == 201, published.text[:500]
        version = published.json()["version"]
        assert version["status"] == "pending" and version["author"] == "redacteur"
        same_person = server.client()
        assert same_person.login("redacteur").status == 302
        same_person.get("/regelsets/kampen/autoaanpassing/versies")
        same_person.post(f"/regelsets/kampen/autoaanpassing/versies/{version['hash']}/goedkeuren",
                         {"csrf_token": same_person.csrf})
        status = server.client().get(f"/api/v1/rulesets/kampen/autoaanpassing/versions/{version['hash']}",
                                     headers=headers).json()["version"]["status"]
        assert status == "pending"
        refused = server.cli("approve", "kampen/autoaanpassing", version["hash"], "--by", "niemand")
        assert refused.returncode != 0 and "geen gebruiker" in refused.stderr
        refused = server.cli("approve", "kampen/autoaanpassing", version["hash"], "--by", "auditor")
        assert refused.returncode != 0 and "redacteur (editor)" in refused.stderr
        refused = server.cli("approve", "kampen/autoaanpassing", version["hash"], "--by", "redacteur")
        assert refused.returncode != 0 and "Vier-ogenprincipe" in refused.stderr
        approved = server.cli("approve", "kampen/autoaanpassing", version["hash"], "--by", "redacteur2")
        assert approved.returncode == 0, approved.stderr
    finally:
        server.cli("four-eyes", "kampen", "uit")


def test_tokens_belong_to_a_user_whose_role_allows_them(server):
    result = server.cli("token", "create", "--role", "editor", "--name", "zonder-eigenaar")
    assert result.returncode != 0 and "--user" in result.stderr
    result = server.cli("token", "create", "--role", "editor", "--name", "te-veel", "--user", "consulent")
    assert result.returncode != 0 and "rol evaluator" in result.stderr


# ------------------------------------------------------------------ 13: owner-only files, settings by environment

def test_instance_database_and_secret_key_are_owner_only(server):
    assert stat.S_IMODE(os.stat(server.instance).st_mode) == 0o700
    for name in ("regelbank.sqlite", "secret_key"):
        assert stat.S_IMODE(os.stat(server.instance / name).st_mode) == 0o600, name


def test_cookie_secure_and_lifetimes_come_from_the_environment(monkeypatch, tmp_path, seeded_database):
    import shutil

    from web import create_app
    monkeypatch.setenv("REGELBANK_COOKIE_SECURE", "1")
    monkeypatch.setenv("REGELBANK_SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("REGELBANK_SESSION_MAX_HOURS", "2")
    shutil.copy(seeded_database, tmp_path / "db.sqlite")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
                      "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False})
    assert app.config["SESSION_IDLE"] == _dt.timedelta(minutes=5)
    assert app.config["SESSION_ABSOLUTE"] == _dt.timedelta(hours=2)
    app.extensions["regelbank"].store.create_user("veilig", PASSWORD, "evaluator")
    response = app.test_client().post("/inloggen", data={"gebruikersnaam": "veilig", "wachtwoord": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 302 and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    app.extensions["regelbank"].store.close()
