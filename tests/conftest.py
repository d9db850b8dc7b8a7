"""Shared fixtures: every test runs with its own empty user folders, so no test reads or writes a
real user's configuration or data, and the demo site is what `load_site(None)` finds; `store` is
the store in that data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import i18n
from app.site.config import load_site
from app.store import Store

ROOT = Path(__file__).resolve().parent.parent
# GUI tests run without a screen; set before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for name, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_DIRS", "etc-xdg"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("POSTWIJS_LANGUAGE", raising=False)
    yield home
    i18n.set_language("nl")


@pytest.fixture
def data_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def demo_site():
    return load_site(None)


@pytest.fixture
def store(data_dir) -> Iterator[Store]:
    """The app's real SQLite store in the test's data folder, closed after the test."""
    opened = Store.open(data_dir)
    yield opened
    opened.close()


def run_app(*args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """Runs `python -m app ARGS` headless, as IT or a script would."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
