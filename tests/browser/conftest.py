"""A real server (started the way `make run` starts it: `regelbank serve`, i.e. gunicorn) and a real Chromium.

Chromium is Debian's (/usr/bin/chromium, installed by scripts/system-deps.sh); Playwright only drives it.
Never `playwright install`: a browser download fails on these machines.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("REGELBANK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--lang=nl-NL"]  # Dutch date inputs (dd-mm-jjjj) in the screenshots
PASSWORD = "Regelbank-proef-2026"  # the password policy wants 12+ characters
USERS = {"redacteur": "editor", "redacteur2": "editor", "auditor": "auditor", "consulent": "evaluator"}
ADMIN, ADMIN_PASSWORD = "beheerder", "een-lang-wachtwoord"
SIZES = {"desktop": (1366, 900), "telefoon": (390, 844)}


def _regelbank() -> list[str]:
    script = Path(sys.executable).with_name("regelbank")
    return [str(script)] if script.exists() else [sys.executable, "-m", "regelbank.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict:
    """The environment of the server and of console commands run against its database."""
    instance = tmp_path_factory.mktemp("browser-instance")
    env = {k: v for k, v in os.environ.items() if k != "REGELBANK_DATABASE_URL"}
    env.update(REGELBANK_INSTANCE_PATH=str(instance), REGELBANK_SPREADSHEETS=str(ROOT / "spreadsheets"))
    return env


def console(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(_regelbank() + list(args), env=env, check=True, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def server(server_env):
    """A fresh installation (no users yet: the first run is tested on it, see `accounts`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (scripts/system-deps.sh); "
                    "`make test-fast` runs the suite without browser tests")
    env = server_env
    instance = Path(env["REGELBANK_INSTANCE_PATH"])
    port = _free_port()
    log = open(instance / "server.log", "wb")
    process = subprocess.Popen(_regelbank() + ["serve", "--port", str(port)], env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("regelbank serve kwam niet op:\n" + (instance / "server.log").read_text()[-3000:])
        time.sleep(0.3)
    yield base
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


@pytest.fixture(scope="session")
def browser(server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        # LANG + Debian's chromium-l10n give Dutch date inputs (dd-mm-jjjj); without them the tests still pass
        env = {**os.environ, "LANG": "nl_NL.UTF-8", "LANGUAGE": "nl"}
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def accounts(browser, server, server_env):
    """The first run, as a new installer meets it: the front page offers to create the first administrator,
    on a phone and on a desktop; then it is gone. Afterwards the other users are made on the console."""
    phone = browser.new_context(viewport=dict(zip(("width", "height"), SIZES["telefoon"])), locale="nl-NL",
                                base_url=server)
    page = phone.new_page()
    page.goto("/")
    assert page.url.endswith("/welkom")
    assert page.get_by_role("heading", name="Welkom bij Regelbank").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES["telefoon"][0]
    screenshot(page, "eerste-start-telefoon")
    phone.close()
    desktop = browser.new_context(viewport=dict(zip(("width", "height"), SIZES["desktop"])), locale="nl-NL",
                                  base_url=server)
    page = desktop.new_page()
    page.goto("/")
    screenshot(page, "eerste-start-desktop")
    page.get_by_label("Gebruikersnaam").fill(ADMIN)
    page.get_by_label("Wachtwoord", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("Wachtwoord nogmaals").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Beheerder aanmaken").click()
    page.wait_for_url(lambda url: url.rstrip("/") == server)
    welcome = page.locator(".melding-ok").inner_text()
    missing = page.goto("/welkom").status
    desktop.close()
    for username, role in USERS.items():
        console(server_env, "user", "create", "--username", username, "--role", role, "--password", PASSWORD)
    return {"welcome": welcome, "welkom_after": missing}


@pytest.fixture
def new_page(browser, server, accounts):
    """new_page(user) -> a page in a fresh browser context, logged in as that user."""
    contexts = []

    def make(username: str | None = None, viewport=(1280, 900)):
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="nl-NL",
                                      base_url=server, accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            login(page, username)
        return page

    yield make
    for context in contexts:
        context.close()


def login(page, username: str) -> None:
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen" not in url)


def screenshot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
