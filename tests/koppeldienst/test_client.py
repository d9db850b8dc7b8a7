"""The app's client (connectors/koppeldienst.py) against the real service process."""

from __future__ import annotations

import socket

import pytest

from app.networks.connector import Reconnect, Rejected, RetryLater
from connectors import koppeldienst
from tests.koppeldienst.test_service import JPEG, service  # noqa: F401  (the fixture)


def test_exchange_and_photo_through_the_client(service):  # noqa: F811
    base, _, _ = service
    pages = koppeldienst.exchange_meta(base, "good-code", "https://koppel.example.nl/terug")[
        "pages"
    ]
    assert pages[0]["instagram"]["id"] == "1780"
    hosted = koppeldienst.host_instagram_photo(base, JPEG, pages[0]["access_token"], "1780")
    assert hosted["url"].startswith(base + "/p/")


def test_errors_map_onto_the_closed_set(service):  # noqa: F811
    base, _, _ = service
    with pytest.raises(Rejected):
        koppeldienst.exchange_meta(base, "good-code", "https://evil.example/x")
    with pytest.raises(Reconnect):
        koppeldienst.exchange_meta(base, "bad-code", "https://koppel.example.nl/terug")
    with pytest.raises(Rejected):
        koppeldienst.host_instagram_photo(base, JPEG, "page-99", "1799")


def test_unreachable_service_is_retry_later():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RetryLater):
        koppeldienst.health(f"http://127.0.0.1:{port}")
