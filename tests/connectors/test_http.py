"""The shared HTTP session against a real HTTP server on 127.0.0.1 that answers as the test
scripts it: statuses, rate-limit headers, provider error bodies, a connection that breaks after
the request was sent, an answer that comes too late."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from app.networks.connector import Reconnect, Rejected, RetryLater, UnknownOutcome
from connectors.http import (
    MAX_BODY_IN_MESSAGE,
    USER_AGENT,
    HttpSession,
    classify,
    provider_reason,
    redact,
    retry_moment,
)

SECRET = "ya29.GEHEIM-token-0123456789"


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    # "answer"; "drop": read the request, then close without a word; "late": answer after
    # `delay` seconds; "short": promise more body than is sent, then close.
    behaviour: str = "answer"
    delay: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)
        self.answers: dict[str, Answer] = {}
        self.seen: list[Seen] = []

    def handle_error(self, request, client_address) -> None:
        # The client gave up on a late answer: expected here, not worth a traceback.
        pass

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def script(self, answer: Answer) -> str:
        """Registers an answer on a fresh path and returns its URL."""
        path = f"/{uuid.uuid4().hex}"
        self.answers[path] = answer
        return self.url(path)

    def seen_at(self, url: str) -> list[Seen]:
        path = url.split(str(self.server_address[1]), 1)[1].split("?")[0]
        return [seen for seen in self.seen if seen.path.split("?")[0] == path]


class _ScriptedHandler(BaseHTTPRequestHandler):
    server: ScriptedServer
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append(Seen(self.command, self.path, dict(self.headers), body))
        answer = self.server.answers.get(self.path.split("?")[0], Answer(status=404))
        self.close_connection = True
        if answer.behaviour == "drop":
            return
        if answer.behaviour == "late":
            time.sleep(answer.delay)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.behaviour == "short":
            self.send_header("Content-Length", str(len(answer.body) + 1000))
        else:
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)
        self.wfile.flush()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    thread = threading.Thread(target=scripted.serve_forever, daemon=True)
    thread.start()
    yield scripted
    scripted.shutdown()
    scripted.server_close()
    thread.join(10)


@pytest.fixture
def http() -> Iterator[HttpSession]:
    session = HttpSession("Mastodon")
    yield session
    session.session.close()


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def _raised(http: HttpSession, method: str, url: str, **kwargs) -> Exception:
    with pytest.raises(Exception) as raised:
        http.request(method, url, **kwargs)
    return raised.value


# --- retry moments --------------------------------------------------------------------------

NOW = datetime(2026, 11, 30, 9, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "120"}, NOW + timedelta(seconds=120)),
        ({"Retry-After": "0"}, NOW),
        (
            {"Retry-After": "Mon, 30 Nov 2026 09:15:00 GMT"},
            datetime(2026, 11, 30, 9, 15, tzinfo=UTC),
        ),
        # X: epoch seconds.
        ({"x-rate-limit-reset": "1795597200"}, datetime.fromtimestamp(1795597200, UTC)),
        # Bluesky: epoch seconds; some servers send seconds-until-reset instead.
        ({"ratelimit-reset": "1795597260"}, datetime.fromtimestamp(1795597260, UTC)),
        ({"ratelimit-reset": "45"}, NOW + timedelta(seconds=45)),
        # Mastodon: an ISO time, with or without zone.
        (
            {"X-RateLimit-Reset": "2026-11-30T09:05:00.000Z"},
            datetime(2026, 11, 30, 9, 5, tzinfo=UTC),
        ),
        (
            {"X-RateLimit-Reset": "2026-11-30T10:05:00+01:00"},
            datetime(2026, 11, 30, 9, 5, tzinfo=UTC),
        ),
        ({"X-RateLimit-Reset": "2026-11-30T09:05:00"}, datetime(2026, 11, 30, 9, 5, tzinfo=UTC)),
        # Retry-After wins; an unreadable one gives way to the rate-limit headers.
        ({"Retry-After": "10", "x-rate-limit-reset": "1795597200"}, NOW + timedelta(seconds=10)),
        (
            {"Retry-After": "straks", "x-rate-limit-reset": "1795597200"},
            datetime.fromtimestamp(1795597200, UTC),
        ),
        ({"X-RateLimit-Reset": "morgen", "ratelimit-reset": "30"}, NOW + timedelta(seconds=30)),
        ({}, None),
        ({"Retry-After": "straks", "X-RateLimit-Reset": "morgen"}, None),
    ],
)
def test_retry_moment_from_the_headers(server, headers, expected):
    url = server.script(Answer(status=429, headers=headers))
    response = requests.get(url, timeout=10)
    assert retry_moment(response, now=NOW) == expected


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [({"Retry-After": "90"}, 90), ({"ratelimit-reset": "30"}, 30), ({}, None)],
)
def test_a_rate_limit_becomes_retry_later_with_its_moment(server, http, headers, seconds):
    url = server.script(Answer(status=429, headers=headers, body=_json({"error": "Too many"})))
    before = datetime.now(UTC)
    error = _raised(http, "POST", url, data={"status": "Hallo"})
    assert type(error) is RetryLater
    assert str(error) == (
        "Mastodon vraagt om even te wachten (te veel verzoeken). Postwijs probeert het later opnieuw."
    )
    if seconds is None:
        assert error.not_before is None
    else:
        target = before + timedelta(seconds=seconds)
        assert target - timedelta(seconds=5) <= error.not_before <= target + timedelta(seconds=5)


# --- mapping of answers -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_server_error_is_retried_later(server, http, status):
    url = server.script(
        Answer(status=status, headers={"Retry-After": "60"}, body=b"<html>oei</html>")
    )
    error = _raised(http, "GET", url)
    assert type(error) is RetryLater
    assert str(error) == (
        f"Mastodon heeft een storing ({status}). Postwijs probeert het later opnieuw."
    )
    assert error.not_before is not None


def test_a_401_asks_to_reconnect(server, http):
    url = server.script(Answer(status=401, body=_json({"error": "The access token is invalid"})))
    error = _raised(http, "GET", url)
    assert isinstance(error, Reconnect)
    assert str(error) == (
        "De aanmelding bij Mastodon is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts."
    )


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (
            422,
            {"error": "Validation failed: Text character limit of 500 exceeded"},
            "Validation failed: Text character limit of 500 exceeded",
        ),
        (
            400,
            {"error": "invalid_request", "error_description": "Het verzoek mist een veld"},
            "Het verzoek mist een veld",
        ),
        (
            403,
            {"title": "Forbidden", "detail": "Je app mist toegang tot dit onderdeel"},
            "Je app mist toegang tot dit onderdeel",
        ),
        (403, {"title": "Unsupported Authentication"}, "Unsupported Authentication"),
        (
            400,
            {"error": {"message": "(#506) Duplicate status message", "code": 506}},
            "(#506) Duplicate status message",
        ),
        (
            400,
            {"errors": [{"message": "Your Tweet text is too long."}]},
            "Your Tweet text is too long.",
        ),
        (
            400,
            {"message": "Record/text must not be longer than 300 graphemes"},
            "Record/text must not be longer than 300 graphemes",
        ),
        (404, "Niet gevonden", "Niet gevonden"),
        (400, ["iets", "anders"], "['iets', 'anders']"),
    ],
)
def test_other_refusals_carry_the_providers_reason(server, http, status, body, reason):
    raw = body.encode() if isinstance(body, str) else _json(body)
    url = server.script(Answer(status=status, body=raw))
    error = _raised(http, "POST", url, json={"status": "Hallo"})
    assert type(error) is Rejected
    assert str(error) == f"Mastodon weigert dit ({status}): {reason}"


def test_an_expected_answer_is_returned_and_the_request_names_postwijs(server, http):
    url = server.script(Answer(status=201, body=_json({"id": "1"})))
    response = http.request("POST", url, json={"status": "Goedemorgen"})
    assert response.json() == {"id": "1"}
    [seen] = server.seen_at(url)
    assert seen.headers["User-Agent"] == USER_AGENT
    assert seen.headers["User-Agent"].startswith("Postwijs/")
    assert json.loads(seen.body) == {"status": "Goedemorgen"}


def test_a_success_outside_expected_is_classified(server, http):
    url = server.script(Answer(status=200, body=b"{}"))
    error = _raised(http, "POST", url, expected=(201,))
    assert type(error) is Rejected


def test_a_connector_may_bring_its_own_classification(server):
    def meta_classify(response: requests.Response, network: str):
        if response.json()["error"]["code"] == 190:
            return Reconnect(f"Meld {network} opnieuw aan")
        return classify(response, network)

    http = HttpSession("Facebook", classify_error=meta_classify)
    expired = server.script(
        Answer(status=400, body=_json({"error": {"message": "x", "code": 190}}))
    )
    other = server.script(
        Answer(status=400, body=_json({"error": {"message": "Nee", "code": 100}}))
    )
    assert isinstance(_raised(http, "GET", expired), Reconnect)
    assert str(_raised(http, "GET", other)) == "Facebook weigert dit (400): Nee"
    http.session.close()


# --- broken connections -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_write_whose_connection_breaks_after_sending_has_an_unknown_outcome(server, http, method):
    url = server.script(Answer(behaviour="drop"))
    error = _raised(http, method, url, data={"status": "Hallo"})
    assert isinstance(error, UnknownOutcome)
    assert isinstance(error, RetryLater)  # the outbox keeps it and looks for the post first
    assert str(error) == (
        "De verbinding met Mastodon viel weg; Postwijs kijkt eerst of het bericht al geplaatst is."
    )
    # It did reach the server: exactly why sending again blindly could post twice.
    assert [seen.method for seen in server.seen_at(url)] == [method]


def test_a_write_whose_answer_comes_too_late_has_an_unknown_outcome(server, http):
    url = server.script(Answer(status=201, behaviour="late", delay=1.5))
    error = _raised(http, "POST", url, data={"status": "Hallo"}, timeout=(5, 0.3))
    assert isinstance(error, UnknownOutcome)
    assert str(error) == (
        "Mastodon antwoordde niet op tijd; Postwijs kijkt eerst of het bericht al geplaatst is."
    )
    assert len(server.seen_at(url)) == 1


def test_a_write_whose_answer_breaks_off_has_an_unknown_outcome(server, http):
    url = server.script(Answer(status=200, body=b'{"id": "12', behaviour="short"))
    error = _raised(http, "POST", url, data={"status": "Hallo"})
    assert isinstance(error, UnknownOutcome)


@pytest.mark.parametrize(
    ("answer", "kwargs", "message"),
    [
        (
            Answer(behaviour="drop"),
            {},
            "Geen verbinding met Mastodon. Postwijs probeert het opnieuw zodra er internet is.",
        ),
        (
            Answer(behaviour="late", delay=1.5),
            {"timeout": (5, 0.3)},
            "Mastodon antwoordde niet op tijd. Postwijs probeert het later opnieuw.",
        ),
    ],
    ids=["drop", "late"],
)
def test_a_read_that_breaks_is_simply_retried_later(server, http, answer, kwargs, message):
    url = server.script(answer)
    error = _raised(http, "GET", url, **kwargs)
    assert type(error) is RetryLater
    assert str(error) == message


class KeepAliveThenClose:
    """A server that answers a request on a kept-alive connection (no "Connection: close"), then
    closes that connection without a word when the next request arrives on it: what a provider
    does when its keep-alive time runs out just as the client reuses the connection from its
    pool. A fresh connection is answered normally. `requests` lists each request it read."""

    def __init__(self, status: int = 400, body: bytes = b'{"error": "Nee"}') -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.status, self.body = status, body
        self.requests: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}{path}"

    def _read_request(self, reader) -> str | None:
        line = reader.readline()
        if not line:
            return None
        while reader.readline() not in (b"\r\n", b"\n", b""):
            pass
        self.requests.append(line.decode().split()[0])
        return line.decode()

    def _answer(self, connection: socket.socket) -> None:
        head = (
            f"HTTP/1.1 {self.status} X\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(self.body)}\r\n\r\n"
        )
        connection.sendall(head.encode() + self.body)

    def _serve(self) -> None:
        for number in range(3):
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            with connection, connection.makefile("rb") as reader:
                if self._read_request(reader) is None:
                    continue
                self._answer(connection)
                if number == 0 and self._read_request(reader) is not None:
                    continue  # the second request on the kept connection: closed unanswered

    def close(self) -> None:
        self.listener.close()
        self.thread.join(5)


def test_a_read_on_a_kept_connection_the_server_just_closed_is_sent_again_on_a_fresh_one():
    # Once seen in a full run: "Geen verbinding met Facebook…" for a server that had answered.
    server = KeepAliveThenClose(body=_json({"error": {"message": "Nee", "code": 100}}))
    http = HttpSession("Facebook")
    try:
        assert str(_raised(http, "GET", server.url("/een"))) == "Facebook weigert dit (400): Nee"
        assert str(_raised(http, "GET", server.url("/twee"))) == "Facebook weigert dit (400): Nee"
        assert server.requests == ["GET", "GET", "GET"]  # the second one twice
    finally:
        http.session.close()
        server.close()


def test_a_write_on_a_kept_connection_the_server_just_closed_is_not_sent_again():
    # The server read it; whether it acted on it only the network can say (find_post).
    server = KeepAliveThenClose()
    http = HttpSession("Mastodon")
    try:
        _raised(http, "GET", server.url("/een"))
        error = _raised(http, "POST", server.url("/api/v1/statuses"), data={"status": "Hallo"})
        assert isinstance(error, UnknownOutcome)
        assert server.requests == ["GET", "POST"]
    finally:
        http.session.close()
        server.close()


def test_nothing_listening_means_retry_later_for_a_write_too_since_nothing_was_sent(http):
    with __import__("socket").socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = _raised(http, "POST", f"http://127.0.0.1:{port}/api/v1/statuses")
    assert type(error) is RetryLater


def test_nothing_listening_means_retry_later_for_a_read(http):
    with __import__("socket").socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = _raised(http, "GET", f"http://127.0.0.1:{port}/api/v1/instance")
    assert type(error) is RetryLater


# --- secrets stay out of messages and logs ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"access_token={SECRET}&scope=read", "access_token=[verborgen]&scope=read"),
        (
            f'{{"access_token": "{SECRET}", "token_type": "Bearer"}}',
            '{"access_token": "[verborgen]", "token_type": "Bearer"}',
        ),
        (f'{{"refresh_token":"{SECRET}"}}', '{"refresh_token":"[verborgen]"}'),
        (
            f'{{"accessJwt":"{SECRET}","refreshJwt":"{SECRET}"}}',
            '{"accessJwt":"[verborgen]","refreshJwt":"[verborgen]"}',
        ),
        (f"client_secret={SECRET}", "client_secret=[verborgen]"),
        (f'"password": "{SECRET}"', '"password": "[verborgen]"'),
        (f"code_verifier={SECRET}&code=abc", "code_verifier=[verborgen]&code=[verborgen]"),
        (f"Authorization={SECRET}", "Authorization=[verborgen]"),
        (f"Authorization: Bearer {SECRET}", "Authorization: [verborgen]"),
        (f"token={SECRET}&client_id=postwijs", "token=[verborgen]&client_id=postwijs"),
        (f'{{"id_token": "{SECRET}"}}', '{"id_token": "[verborgen]"}'),
        ("Geen geheimen hier, alleen tekst.", "Geen geheimen hier, alleen tekst."),
    ],
)
def test_redact_hides_tokens(text, expected):
    assert redact(text) == expected
    assert SECRET not in redact(text)


def test_redact_cuts_long_text_short():
    text = "ä" * (MAX_BODY_IN_MESSAGE + 50)
    assert redact(text) == "ä" * MAX_BODY_IN_MESSAGE + "…"
    assert redact("ä" * MAX_BODY_IN_MESSAGE) == "ä" * MAX_BODY_IN_MESSAGE


def test_a_refusal_echoing_a_token_shows_and_logs_no_token(server, http, caplog):
    caplog.set_level(logging.INFO, logger="postwijs.http")
    body = f"invalid request: access_token={SECRET} was not accepted".encode()
    url = server.script(Answer(status=400, body=body))
    error = _raised(http, "POST", f"{url}?access_token={SECRET}", data={"status": "Hallo"})
    assert type(error) is Rejected
    assert SECRET not in str(error)
    assert "access_token=[verborgen]" in str(error)
    assert caplog.records, "the refusal is logged"
    assert SECRET not in caplog.text


def test_a_long_provider_reason_is_cut_short(server, http):
    url = server.script(Answer(status=400, body=_json({"error": "Te lang " * 200})))
    error = _raised(http, "POST", url)
    assert str(error).endswith("…")
    response = requests.get(url, timeout=10)
    assert len(provider_reason(response)) == MAX_BODY_IN_MESSAGE + 1
