"""Fixtures for the store tests: every test runs on SQLite and on PostgreSQL.

PostgreSQL comes from REGELBANK_TEST_POSTGRES_URL (start one with `scripts/postgres.sh`, which prints
the URL). Without that variable the PostgreSQL tests are deselected locally, and FAIL when the
environment variable CI is set, so a CI run can never silently skip half the suite. Each PostgreSQL
test runs in a fresh schema that is dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from store import Store

PG_ENV = "REGELBANK_TEST_POSTGRES_URL"
HERE = Path(__file__).resolve().parent

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def pytest_collection_modifyitems(config, items):
    if os.environ.get(PG_ENV) or os.environ.get("CI"):
        return
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        in_here = HERE in Path(str(item.path)).resolve().parents
        if in_here and callspec is not None and callspec.params.get("backend") == "postgresql":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def pg_admin_url():
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(
            f"{PG_ENV} is not set, but CI is: the PostgreSQL store tests must run in CI. "
            f"Start a server with `scripts/postgres.sh` and export {PG_ENV}=<the URL it prints>."
        )
    return url


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def store_url(backend, tmp_path, request):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'regelbank.sqlite'}"
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    schema = "rbtest_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(admin_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in admin_url else "?"
    try:
        yield f"{admin_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    s.migrate()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def sql(store):
    """Run raw SQL against the store's database (to tamper with it, as an attacker would)."""

    def run(statement: str, **params):
        with store.engine.begin() as conn:
            result = conn.execute(sa.text(statement), params)
            return result.all() if result.returns_rows else result.rowcount

    return run
