"""Where Regelbank keeps things: instance folder, database URL, bundled workbooks.

Environment variables override the defaults, so the console, the web app and the tests agree:
REGELBANK_INSTANCE_PATH, REGELBANK_DATABASE_URL, REGELBANK_SPREADSHEETS.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    return Path(os.environ.get("REGELBANK_INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()


def database_url(instance: Path | None = None) -> str:
    url = os.environ.get("REGELBANK_DATABASE_URL")
    if url:
        return url
    instance = instance or instance_path()
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(instance, 0o700)  # the database and secret key live here: owner only
    return f"sqlite:///{instance / 'regelbank.sqlite'}"


def spreadsheets_dir() -> Path:
    return Path(os.environ.get("REGELBANK_SPREADSHEETS") or PROJECT_ROOT / "spreadsheets").resolve()


def secure_sqlite(url: str) -> None:
    """Owner-only (0600) for a SQLite database file and its journal files (the folder is 0700 too)."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        db = Path(url[len("sqlite:///"):])
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            if path.exists():
                os.chmod(path, 0o600)
