"""A real Bluesky PDS on this machine for the connector tests: tests/servers/pds/server.js runs
@atproto/pds with its own in-memory PLC directory, both on 127.0.0.1, in a temporary folder.

The fixture FAILS, never skips, when node or the npm packages are missing:
`scripts/install.sh --dev` installs them. Import `pds_server` into a test module to use it;
`pds_with_appview` is one with an AppView behind it (for notifications).
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.servers.bluesky_appview import DID as APPVIEW_DID
from tests.servers.bluesky_appview import BlueskyAppView
from tests.servers.processes import stop

ROOT = Path(__file__).resolve().parents[2]
PDS_DIR = ROOT / "tests" / "servers" / "pds"
INSTALL_HINT = "run `bash scripts/install.sh --dev` (it installs the test servers)"
PACKAGES = ("@atproto/pds", "@did-plc/server")
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class PdsServer:
    url: str
    plc_url: str
    folder: Path
    jwt_secret: str = field(repr=False)
    startup_seconds: float

    def xrpc(self, method: str, nsid: str, token: str | None = None, **kwargs) -> requests.Response:
        """A raw XRPC call, for setting up and checking what the connector did."""
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(
            method, f"{self.url}/xrpc/{nsid}", headers=headers, timeout=30, **kwargs
        )

    def create_account(self, handle: str) -> dict:
        """A new account (no invite needed); returns createAccount's answer with a session."""
        response = self.xrpc(
            "POST",
            "com.atproto.server.createAccount",
            json={
                "handle": handle,
                "email": f"{handle.split('.')[0]}@example.org",
                "password": secrets.token_urlsafe(16),
            },
        )
        assert response.status_code == 200, response.text
        return response.json()

    def create_app_password(self, access_jwt: str, name: str) -> str:
        response = self.xrpc(
            "POST", "com.atproto.server.createAppPassword", access_jwt, json={"name": name}
        )
        assert response.status_code == 200, response.text
        return response.json()["password"]

    def sessions_made(self, did: str, app_password_name: str | None = None) -> int:
        """How many sessions the PDS has issued for the account, or for one of its app
        passwords (createSession and every refresh each store a refresh token), read from the
        PDS's own database."""
        query = "SELECT count(*) FROM refresh_token WHERE did = ?"
        arguments: tuple[str, ...] = (did,)
        if app_password_name is not None:
            query += " AND appPasswordName = ?"
            arguments += (app_password_name,)
        uri = (self.folder / "account.sqlite").as_uri() + "?mode=ro"
        db = sqlite3.connect(uri, uri=True)
        try:
            (count,) = db.execute(query, arguments).fetchone()
        finally:
            db.close()
        return count


def _require_installed() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is missing: {INSTALL_HINT}", pytrace=False)
    for package in PACKAGES:
        if not (PDS_DIR / "node_modules" / package / "package.json").is_file():
            pytest.fail(f"the npm package {package} is missing: {INSTALL_HINT}", pytrace=False)
    return node


def _wait_for_health(url: str, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{url}/xrpc/_health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise TimeoutError("the PDS did not answer /xrpc/_health")


@pytest.fixture(scope="session")
def pds_server(tmp_path_factory) -> Iterator[PdsServer]:
    """The PDS with the PDS's own rate limits on (createSession: 30 per 5 minutes per
    identifier), as on bsky.social."""
    yield from _running_pds(tmp_path_factory, {})


@pytest.fixture(scope="session")
def pds_with_appview(tmp_path_factory) -> Iterator[tuple[PdsServer, BlueskyAppView]]:
    """A second PDS, with the notifications stand-in AppView (tests/servers/bluesky_appview.py)
    behind it, as bsky.social has the real AppView behind it."""
    appview = BlueskyAppView().start()
    try:
        environment = {"PDS_BSKY_APP_VIEW_URL": appview.url, "PDS_BSKY_APP_VIEW_DID": APPVIEW_DID}
        for server in _running_pds(tmp_path_factory, environment):
            appview.pds_url = server.url
            yield server, appview
    finally:
        appview.stop()


def _running_pds(tmp_path_factory, environment: dict[str, str]) -> Iterator[PdsServer]:
    node = _require_installed()
    folder = tmp_path_factory.mktemp("pds")
    data = folder / "data"
    data.mkdir()
    log_path = folder / "server.log"
    jwt_secret = secrets.token_hex(32)
    started = time.monotonic()
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [node, str(PDS_DIR / "server.js")],
            cwd=PDS_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            env={
                **os.environ,
                "PDS_TEST_DIR": str(data),
                "PDS_JWT_SECRET": jwt_secret,
                "PDS_ADMIN_PASSWORD": secrets.token_hex(16),
                "PDS_RATE_LIMITS": "true",
                "LOG_ENABLED": "true",
                "LOG_LEVEL": "warn",
                "LOG_DESTINATION": str(folder / "pds.log"),
                "NODE_ENV": "test",
                **environment,
            },
        )
    try:
        deadline = started + START_TIMEOUT
        ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT)
        line = process.stdout.readline() if ready else ""
        try:
            urls = json.loads(line)
            _wait_for_health(urls["pds"], process, deadline)
        except (ValueError, KeyError, TimeoutError):
            stop(process)
            pytest.fail(
                "the PDS test server did not start:\n"
                + log_path.read_text(errors="replace")[-3000:],
                pytrace=False,
            )
        yield PdsServer(
            url=urls["pds"],
            plc_url=urls["plc"],
            folder=data,
            jwt_secret=jwt_secret,
            startup_seconds=time.monotonic() - started,
        )
    finally:
        stop(process)
