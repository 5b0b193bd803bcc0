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
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'regelbank.sqlite'}"


def spreadsheets_dir() -> Path:
    return Path(os.environ.get("REGELBANK_SPREADSHEETS") or PROJECT_ROOT / "spreadsheets").resolve()
