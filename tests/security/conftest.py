"""A real server for the security probes: `regelbank serve` (gunicorn) on loopback, over a copy of the
seeded database, with a short time budget so the hostile-load test stays quick; and a small HTTP client
(urllib, cookies, no redirects) that speaks to it the way a browser or an attacker would."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Lang-genoeg-wachtwoord-7"
USERS = {"redacteur": "editor", "redacteur2": "editor", "auditor": "auditor", "consulent": "evaluator",
         "beheerder": "editor"}
BUDGET_SECONDS = 3


def regelbank_command() -> list[str]:
    script = Path(sys.executable).with_name("regelbank")
    return [str(script)] if script.exists() else [sys.executable, "-m", "regelbank.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, base: str, instance: Path, env: dict, log: Path):
        self.base, self.instance, self.env, self.log = base, instance, env, log
        self.database = instance / "regelbank.sqlite"

    def cli(self, *args, timeout=120):
        return subprocess.run(regelbank_command() + list(args), env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def sql(self, statement: str, params=()):
        with sqlite3.connect(self.database, timeout=30) as conn:
            return conn.execute(statement, params).fetchall()

    def client(self) -> "Client":
        return Client(self.base)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """A browser-like client: keeps cookies, does not follow redirects, finds CSRF tokens in pages."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.csrf = None

    def request(self, method: str, path: str, data=None, headers=None, files=None, timeout=60) -> Response:
        headers = dict(headers or {})
        body = None
        if files is not None:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (data or {}).items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
            for name, (filename, content) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                             f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif isinstance(data, (dict, list)) and headers.get("Content-Type") == "application/json":
            body = json.dumps(data).encode()
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path, **kw) -> Response:
        response = self.request("GET", path, **kw)
        found = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path, data=None, **kw) -> Response:
        return self.request("POST", path, data=data, **kw)

    def login(self, username: str, password: str = PASSWORD) -> Response:
        self.get("/inloggen")
        return self.post("/inloggen", {"gebruikersnaam": username, "wachtwoord": password, "csrf_token": self.csrf})

    def session_cookie(self) -> str | None:
        return next((c.value for c in self.jar if c.name == "session"), None)


def start_server(instance: Path, database: Path, extra_env: dict | None = None) -> tuple[subprocess.Popen, Server]:
    env = {k: v for k, v in os.environ.items() if k != "REGELBANK_DATABASE_URL"}
    env.update(REGELBANK_INSTANCE_PATH=str(instance), REGELBANK_SPREADSHEETS=str(ROOT / "spreadsheets"),
               REGELBANK_REQUEST_BUDGET_SECONDS=str(BUDGET_SECONDS), REGELBANK_HEAVY_SLOTS="3",
               REGELBANK_ADMINS="beheerder", **(extra_env or {}))
    instance.mkdir(parents=True, exist_ok=True)
    shutil.copy(database, instance / "regelbank.sqlite")
    from store import Store
    store = Store(f"sqlite:///{instance / 'regelbank.sqlite'}")
    store.migrate()
    for username, role in USERS.items():
        store.create_user(username, PASSWORD, role)
    store.close()
    port = _free_port()
    log_path = instance / "server.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(regelbank_command() + ["serve", "--port", str(port)], env=env, stdout=log,
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
            raise RuntimeError("regelbank serve kwam niet op:\n" + log_path.read_text()[-3000:])
        time.sleep(0.2)
    log.close()
    return process, Server(base, instance, env, log_path)


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def server(tmp_path_factory, seeded_database):
    process, srv = start_server(tmp_path_factory.mktemp("security-instance") / "instance", seeded_database)
    yield srv
    stop_server(process)


@pytest.fixture
def fresh_throttle(server):
    """Failed logins from 127.0.0.1 must not spill over into other tests."""
    server.sql("DELETE FROM login_throttle")
    yield
    server.sql("DELETE FROM login_throttle")
