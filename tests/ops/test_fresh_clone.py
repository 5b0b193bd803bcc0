"""`make test` must work from a clone whose parent directory the postgres user cannot enter.

CI clones into a fresh `mktemp -d` directory (mode 700) as root. The test cluster used to live
in `<clone>/.pgdata`, which initdb (running as the postgres user) could not reach. This test
puts the real scripts/postgres.sh in such a directory and starts a real server from there.
"""
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
import sqlalchemy

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_postgres_starts_from_a_clone_inside_a_closed_directory():
    closed = Path(tempfile.mkdtemp(prefix="regelbank-clone-"))   # mode 0700, like mktemp -d
    assert oct(closed.stat().st_mode & 0o777) == "0o700"
    clone = closed / "regelbank"
    (clone / "scripts").mkdir(parents=True)
    script = clone / "scripts" / "postgres.sh"
    shutil.copy(REPO / "scripts" / "postgres.sh", script)
    env = {**os.environ, "REGELBANK_PG_PORT": str(_free_port()), "REGELBANK_PG_DB": "fresh_clone"}
    env.pop("PGDATA_DIR", None)
    try:
        started = subprocess.run(["bash", str(script), "start"], cwd=clone, env=env,
                                 capture_output=True, text=True, timeout=180)
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip().splitlines()[-1]
        assert url.startswith("postgresql+psycopg://") and url.endswith("/fresh_clone")
        engine = sqlalchemy.create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("select 41 + 1")).scalar() == 42
        engine.dispose()
    finally:
        subprocess.run(["bash", str(script), "stop"], cwd=clone, env=env, capture_output=True, timeout=120)
        data = subprocess.run(["bash", "-c", 'printf %s "$1" | sha1sum | cut -c1-12', "_", str(clone)],
                              capture_output=True, text=True).stdout.strip()
        shutil.rmtree(f"/tmp/regelbank-pg-{data}", ignore_errors=True)
        shutil.rmtree(closed, ignore_errors=True)
