"""The koppeldienst as a real process (`python -m koppeldienst`) in front of a stand-in for Meta's
Graph token endpoints: exchanges, the allow-list, the one-time photo URL, the rate limit, and a
log without secrets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.servers.contract import ContractServer, LoggedRequest, Reply, routes
from tests.servers.processes import stop

SECRET = "meta-app-secret-s3cr3t"
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100 + b"\xff\xd9"


def meta_error(code: int, message: str) -> Reply:
    return Reply(
        400,
        {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_subcode": 0,
                "fbtrace_id": "A1",
            }
        },
    )


class MetaGraph(ContractServer):
    """Meta's token endpoints as documented: errors over HTTP 400 with error.code."""

    network = "meta"
    ROUTES = routes(
        ("GET", r"/v26\.0/oauth/access_token", "access_token"),
        ("GET", r"/v26\.0/me/accounts", "accounts"),
        ("GET", r"/v26\.0/debug_token", "debug_token"),
        ("GET", r"/v26\.0/(?P<node>\d+)", "node"),
    )

    def one(self, entry: LoggedRequest, name: str) -> str:
        return (entry.query.get(name) or [""])[0]

    def _access_token(self, entry, groups):
        if self.one(entry, "client_id") != "111" or self.one(entry, "client_secret") != SECRET:
            raise meta_error(101, "Error validating application.")
        if self.one(entry, "grant_type") == "fb_exchange_token":
            if self.one(entry, "fb_exchange_token") != "short-user":
                raise meta_error(190, "Invalid OAuth access token.")
            return (
                200,
                {"access_token": "long-user", "token_type": "bearer", "expires_in": 5183944},
                {},
            )
        if self.one(entry, "code") != "good-code":
            raise meta_error(100, "This authorization code has been used.")
        return 200, {"access_token": "short-user", "token_type": "bearer", "expires_in": 3600}, {}

    def bearer(self, entry) -> str:
        return (entry.header("authorization") or "").removeprefix("Bearer ")

    def _accounts(self, entry, groups):
        if self.bearer(entry) != "long-user":
            raise meta_error(190, "Invalid OAuth access token.")
        return (
            200,
            {
                "data": [
                    {"id": "10", "name": "OBS De Linde", "access_token": "page-10"},
                    {"id": "99", "name": "Privépagina", "access_token": "page-99"},
                ]
            },
            {},
        )

    def _debug_token(self, entry, groups):
        valid = self.one(entry, "input_token") in {"page-10", "page-99"}
        if self.one(entry, "access_token") != f"111|{SECRET}":
            raise meta_error(190, "Invalid app token.")
        return 200, {"data": {"app_id": "111", "is_valid": valid}}, {}

    def _node(self, entry, groups):
        token, node = self.bearer(entry), groups["node"]
        if node == "10" and token == "page-10":
            return (
                200,
                {
                    "id": "10",
                    "instagram_business_account": {"id": "1780", "username": "obsdelinde"},
                },
                {},
            )
        if node == "1780" and token == "page-10":
            return 200, {"id": "1780"}, {}
        if node == "1799" and token == "page-99":
            return 200, {"id": "1799"}, {}
        raise meta_error(10, "Permission denied.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def service(tmp_path: Path):
    with MetaGraph() as meta:
        port = free_port()
        log = tmp_path / "service.log"
        env = {
            **os.environ,
            "KOPPELDIENST_PORT": str(port),
            "KOPPELDIENST_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "KOPPELDIENST_META_APP_ID": "111",
            "KOPPELDIENST_META_APP_SECRET": SECRET,
            "KOPPELDIENST_META_GRAPH_URL": meta.base_url,
            "KOPPELDIENST_REDIRECT_URIS": "https://koppel.example.nl/terug",
            "KOPPELDIENST_PAGES": "10",
            "KOPPELDIENST_INSTAGRAM_ACCOUNTS": "1780",
            "KOPPELDIENST_REQUESTS_PER_MINUTE": "30",
        }
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "koppeldienst"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    requests.get(base + "/health", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            yield base, meta, log
        finally:
            stop(process)


def assert_no_secrets(log: Path) -> None:
    text = log.read_text()
    for secret in (SECRET, "good-code", "short-user", "long-user", "page-10", "page-99"):
        assert secret not in text


def test_health_and_public_config(service):
    base, _, _ = service
    assert requests.get(base + "/health").json()["ok"] is True
    config = requests.get(base + "/v1/config").json()
    assert config == {"meta": {"app_id": "111", "graph_version": "v26.0"}, "linkedin": None}


def test_meta_exchange_returns_only_allowed_pages(service):
    base, _, log = service
    answer = requests.post(
        base + "/v1/meta/exchange",
        json={"code": "good-code", "redirect_uri": "https://koppel.example.nl/terug"},
    )
    assert answer.status_code == 200
    pages = answer.json()["pages"]
    assert [p["id"] for p in pages] == ["10"]
    assert pages[0]["access_token"] == "page-10"
    assert pages[0]["instagram"] == {"id": "1780", "username": "obsdelinde"}
    assert answer.json()["user_token_expires_at"]
    assert_no_secrets(log)


def test_unknown_redirect_uri_is_refused_before_meta_is_asked(service):
    base, meta, log = service
    answer = requests.post(
        base + "/v1/meta/exchange",
        json={"code": "good-code", "redirect_uri": "https://evil.example/x"},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["kind"] == "rejected"
    assert answer.json()["error"]["code"] == "unknown_redirect_uri"
    assert meta.requests == []
    assert_no_secrets(log)


def test_code_for_another_app_asks_to_reconnect(service):
    base, _, log = service
    answer = requests.post(
        base + "/v1/meta/exchange",
        json={"code": "other-app-code", "redirect_uri": "https://koppel.example.nl/terug"},
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["kind"] == "reconnect"
    assert "other-app-code" not in answer.text and "other-app-code" not in log.read_text()


def test_photo_url_works_once(service):
    base, _, log = service
    answer = requests.post(
        base + "/v1/instagram/photos",
        data=JPEG,
        headers={
            "Content-Type": "image/jpeg",
            "Authorization": "Bearer page-10",
            "X-Instagram-Account": "1780",
        },
    )
    assert answer.status_code == 201
    url = answer.json()["url"]
    assert len(url.rsplit("/", 1)[1]) >= 40
    first = requests.get(url)
    assert first.status_code == 200 and first.content == JPEG
    assert first.headers["content-type"] == "image/jpeg"
    assert requests.get(url).status_code == 404
    assert url.rsplit("/", 1)[1] not in log.read_text()
    assert_no_secrets(log)


def test_photo_with_account_not_on_the_list_is_refused(service):
    base, _, log = service
    answer = requests.post(
        base + "/v1/instagram/photos",
        data=JPEG,
        headers={
            "Content-Type": "image/jpeg",
            "Authorization": "Bearer page-99",
            "X-Instagram-Account": "1799",
        },
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "account_not_allowed"
    assert_no_secrets(log)


def test_a_flood_is_answered_with_429_and_retry_after(service):
    base, _, _ = service
    statuses = [requests.get(base + "/health").status_code for _ in range(40)]
    assert statuses.count(429) >= 9
    limited = requests.get(base + "/health")
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.json()["error"]["kind"] == "retry_later"
