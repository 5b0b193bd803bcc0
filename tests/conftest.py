"""Shared fixtures, shaped like flaskr's: app, client and runner over a temporary database."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPREADSHEETS = ROOT / "spreadsheets"
HEADLINE = ["kampen/gebruikelijke-zorg", "kampen/dagbesteding", "kampen/autoaanpassing"]


def workbook(ruleset: str) -> Path:
    return SPREADSHEETS / f"{ruleset}.xlsx"


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory) -> Path:
    """One SQLite database with the bundled workbooks published; tests get a copy (seeding takes seconds)."""
    from regelbank.service import open_service
    path = tmp_path_factory.mktemp("seeded") / "regelbank.sqlite"
    service = open_service(f"sqlite:///{path}", SPREADSHEETS, seed=True)
    service.store.close()
    return path


@pytest.fixture
def app(tmp_path, seeded_database):
    import shutil

    from web import create_app
    database = tmp_path / "regelbank.sqlite"
    shutil.copy(seeded_database, database)
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "DATABASE_URL": f"sqlite:///{database}", "SPREADSHEETS": str(SPREADSHEETS),
                      "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})
    yield app
    app.extensions["regelbank"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def service(app):
    return app.extensions["regelbank"]


@pytest.fixture
def token(service):
    """Bearer headers per role."""
    def make(role: str = "evaluator", name: str | None = None) -> dict:
        plain = service.store.create_token(role=role, name=name or f"test-{role}-{os.urandom(3).hex()}")
        return {"Authorization": f"Bearer {plain}"}
    return make


@pytest.fixture
def cli_env(tmp_path):
    """Environment for running the `regelbank` console in a subprocess against a temporary instance."""
    env = dict(os.environ)
    env["REGELBANK_INSTANCE_PATH"] = str(tmp_path / "cli-instance")
    env.pop("REGELBANK_DATABASE_URL", None)
    return env


@pytest.fixture
def simple_workbook():
    from .workbooks import make_workbook
    return make_workbook
