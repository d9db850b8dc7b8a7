"""The foundation's service as a real process (`python -m koppeldienst`, as in production), its
Meta Graph address a test's contract server, for the tests that go through it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.servers.processes import stop


@dataclass(frozen=True)
class RunningService:
    base_url: str
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def koppeldienst(
    graph_url: str,
    log: Path,
    *,
    app_id: str,
    app_secret: str,
    instagram_accounts: tuple[str, ...] = (),
    pages: tuple[str, ...] = (),
    redirect_uris: tuple[str, ...] = ("https://koppel.example.nl/terug",),
    photo_minutes: float = 10.0,
    linkedin: tuple[str, str, str] | None = None,
    linkedin_organizations: tuple[str, ...] = (),
) -> Iterator[RunningService]:
    """`linkedin`: the LinkedIn server's address (its sign-in and its API), the app's client id
    and its secret; `linkedin_organizations` the pages the service serves."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "KOPPELDIENST_PORT": str(port),
        "KOPPELDIENST_PUBLIC_URL": base,
        "KOPPELDIENST_META_APP_ID": app_id,
        "KOPPELDIENST_META_APP_SECRET": app_secret,
        "KOPPELDIENST_META_GRAPH_URL": graph_url,
        "KOPPELDIENST_REDIRECT_URIS": ",".join(redirect_uris),
        "KOPPELDIENST_INSTAGRAM_ACCOUNTS": ",".join(instagram_accounts),
        "KOPPELDIENST_PAGES": ",".join(pages),
        "KOPPELDIENST_PHOTO_MINUTES": str(photo_minutes),
        "KOPPELDIENST_REQUESTS_PER_MINUTE": "600",
    }
    if linkedin is not None:
        env["KOPPELDIENST_LINKEDIN_URL"], env["KOPPELDIENST_LINKEDIN_CLIENT_ID"] = linkedin[:2]
        env["KOPPELDIENST_LINKEDIN_CLIENT_SECRET"] = linkedin[2]
        env["KOPPELDIENST_LINKEDIN_API_URL"] = linkedin[0]
        env["KOPPELDIENST_LINKEDIN_ORGANIZATIONS"] = ",".join(linkedin_organizations)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "koppeldienst"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        for _ in range(200):
            try:
                requests.get(base + "/health", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None:
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.05)
        yield RunningService(base, log)
    finally:
        stop(process)
