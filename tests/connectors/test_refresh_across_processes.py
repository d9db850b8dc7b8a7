"""Two Postwijs processes on one data folder (two windows, or the window and postwijs-cli) find
one account's access token expired at the same moment. Each is a real process that makes the
connector as the app does (tests/connectors/refreshing_process.py); the vault is the real Secret
Service of this package's conftest; the provider is its contract server on 127.0.0.1. Exactly
one refresh reaches the provider, and both processes go on with the token it gave: with X's
rotating refresh tokens a second refresh would spend a refresh token already spent, and the
account would have to be connected again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import connectors
from app.accounts.service import AccountService
from app.networks.connector import RetryLater
from app.site.config import Account
from connectors import x, youtube
from connectors.oauth import Token
from connectors.refresh_lock import refresh_lock
from connectors.secrets import SecretStore
from tests.servers.koppeldienst_process import koppeldienst
from tests.servers.linkedin_server import LinkedinServer
from tests.servers.x_server import ACCESS_LIFETIME as X_ACCESS_LIFETIME
from tests.servers.x_server import XServer
from tests.servers.youtube_server import ACCESS_LIFETIME as YOUTUBE_ACCESS_LIFETIME
from tests.servers.youtube_server import YouTubeServer

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 2


@pytest.fixture
def vault(secret_service):
    store = SecretStore()
    yield store
    for account_id in ("x-twee", "yt-twee", "li-twee"):
        store.delete(account_id)


def run_side_by_side(given: dict, tmp_path: Path) -> list[dict]:
    """Starts the processes, lets them all go at once and returns what each printed."""
    go = tmp_path / "go"
    arguments = json.dumps({**given, "data_dir": str(tmp_path / "data"), "go": str(go)})
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.connectors.refreshing_process", arguments],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            cwd=ROOT,
        )
        for _ in range(PROCESSES)
    ]
    # A barrier: each has imported the app, made its connector and waits for the signal.
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    go.touch()
    answers = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * PROCESSES, answers
    return [json.loads(out.strip().splitlines()[-1]) for out, _err in answers]


def refresh_requests(server, path: str, refresh_token: str) -> list:
    return [
        entry
        for entry in server.requests_to("POST", path)
        if entry.fields.get("grant_type") == "refresh_token"
        and entry.fields.get("refresh_token") == refresh_token
    ]


@pytest.mark.parametrize(
    "expires_here",
    [-10, 3600],
    ids=["expired-before-the-call", "refused-with-401-first"],
)
def test_x_two_processes_spend_the_rotating_refresh_token_once(vault, tmp_path, expires_here):
    """Either both see the token's end in the vault, or both are refused it by X (a token that
    X ended early) and refresh after the 401."""
    with XServer() as server:
        issued = server.issue_token(" ".join(x.SCOPES))
        ends = time.time() + expires_here
        vault.write(
            "x-twee", Token(issued.access, issued.refresh, ends, " ".join(x.SCOPES)).to_secret()
        )
        server.advance(X_ACCESS_LIFETIME.total_seconds() + 60)  # the old one is dead at X too
        # A refresh is on its way for a while, so both processes find the token expired.
        server.slow_down("POST", r"/2/oauth2/token", 1.0)
        account = Account(
            "x-twee",
            "regenboog",
            "x",
            "OBS De Regenboog op X",
            "official",
            client_id=server.client_id,
            redirect_port="8765",
        )

        seen = run_side_by_side({"account": asdict(account), "api": server.base_url}, tmp_path)

        assert len(refresh_requests(server, "/2/oauth2/token", issued.refresh)) == 1
        assert len(server.requests_to("POST", "/2/oauth2/token")) == 1
        stored = Token.from_secret(vault.read("x-twee"))
        assert stored.refresh_token != issued.refresh and stored.refresh_token in (
            server.refresh_tokens
        )
        assert [answer["who"] for answer in seen] == ["@obs_de_regenboog"] * PROCESSES
        assert {answer["access_token"] for answer in seen} == {stored.access_token}
        # The sign-in is still good afterwards, here too: no reconnecting.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(x, "API", server.base_url)
            service = AccountService(vault, tmp_path / "data", connectors.networks())
            with service.connector_for(account) as again:
                assert again.who_am_i() == "@obs_de_regenboog"


def test_youtube_two_processes_refresh_once(vault, tmp_path):
    with YouTubeServer() as server:
        issued = server.issue_token(" ".join(youtube.SCOPES))
        vault.write(
            "yt-twee",
            Token(
                issued.access, issued.refresh, time.time() - 10, " ".join(youtube.SCOPES)
            ).to_secret(),
        )
        server.advance(YOUTUBE_ACCESS_LIFETIME.total_seconds() + 60)
        server.slow_down("POST", r"/token", 1.0)
        account = Account(
            "yt-twee", "regenboog", "youtube", "OBS", "official", client_id=server.client_id
        )

        seen = run_side_by_side({"account": asdict(account), "api": server.base_url}, tmp_path)

        assert len(refresh_requests(server, "/token", issued.refresh)) == 1
        stored = Token.from_secret(vault.read("yt-twee"))
        assert stored.access_token != issued.access
        assert [answer["who"] for answer in seen] == ["@obsderegenboog"] * PROCESSES
        assert {answer["access_token"] for answer in seen} == {stored.access_token}


def test_linkedin_two_processes_renew_once_through_the_service(vault, tmp_path):
    """LinkedIn's renewal goes through the foundation's service (a real process holding the
    app secret), which asks LinkedIn's token endpoint; that is reached once."""
    with LinkedinServer() as server:
        old = server.issue_token()
        refresh = server.issue_refresh_token()
        now = datetime.now(UTC)
        vault.write(
            "li-twee",
            {
                "organization_urn": server.organization,
                "access_token": old,
                "expires_at": (now - timedelta(minutes=1)).isoformat(),
                "refresh_token": refresh,
                "refresh_expires_at": (now + timedelta(days=300)).isoformat(),
                "source": "koppeldienst",
            },
        )
        server.revoke_token(old)
        server.slow_down("POST", r"/oauth/v2/accessToken", 1.0)
        account = Account(
            "li-twee", "regenboog", "linkedin", "OBS", "official", handle=server.organization
        )
        with koppeldienst(
            server.base_url,
            tmp_path / "koppeldienst.log",
            app_id="1",
            app_secret="niet-gebruikt",
            linkedin=(server.base_url, server.client_id, server.client_secret),
            linkedin_organizations=(server.organization,),
        ) as service:
            seen = run_side_by_side(
                {"account": asdict(account), "api": server.base_url, "service": service.base_url},
                tmp_path,
            )

        renewals = server.requests_to("POST", r"/oauth/v2/accessToken")
        assert [entry.fields.get("refresh_token") for entry in renewals] == [refresh]
        stored = vault.read("li-twee")
        assert stored["access_token"] != old and stored["access_token"] in server.tokens
        assert [answer["who"] for answer in seen] == [server.organization_name] * PROCESSES
        assert {answer["access_token"] for answer in seen} == {stored["access_token"]}


def test_lock_waits_for_the_other_holder_and_gives_up_in_dutch(tmp_path):
    """A refresh that hangs in another process holds the others up only so long: then they
    say in Dutch that Postwijs tries again, as RetryLater, and take the lock once it is free."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from connectors.refresh_lock import refresh_lock\n"
            "with refresh_lock(Path(sys.argv[1]), 'acc', 'X'):\n"
            "    print('held', flush=True); time.sleep(3)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    with holder:
        assert holder.stdout.readline().strip() == "held"
        held_at = started = time.monotonic()
        with (
            pytest.raises(RetryLater, match="Postwijs probeert het straks opnieuw"),
            refresh_lock(tmp_path, "acc", "X", wait=0.5),
        ):
            pass
        assert 0.5 <= time.monotonic() - started < 2.5
        with refresh_lock(tmp_path, "other-account", "X", wait=0.5):
            pass  # another account's lock is its own
        with refresh_lock(tmp_path, "acc", "X", wait=10):
            assert time.monotonic() - held_at >= 2.5  # only once the holder let go
    assert holder.returncode == 0
