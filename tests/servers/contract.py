"""The base of every network's contract server: a real HTTP server on 127.0.0.1 in a thread.

A network's server is mostly its routes: a list of (method, path regex, handler name), each
handler taking (entry, path groups) and returning (status, JSON body, headers) or raising
`Reply`. The base does the rest:

- every request lands in `requests` (method, path, query, headers, parsed body fields, files,
  the status answered; 0 when the connection was dropped);
- `deviation(entry, what)` notes where a request departs from the provider's documentation; the
  server also answers as the provider would. Leaving a `with` block (and so every fixture built
  on one) FAILS the test when a deviation was noted that the test did not announce with
  `expect_deviation(text)`; an announced deviation that never came fails it as well;
- validators: `server.add_validator(check)` plugs in a check of every request (and, if it has
  one, of every answer), such as an OpenAPI validator built from ../shared/oracles/; each
  problem it returns becomes a deviation;
- behaviour switches common to all networks, each answered in the network's own words through
  the hooks a subclass fills in:
  `fail_next(method, path, status, body)` (a 5xx or any other answer, once),
  `rate_limit(reset)` (every rate-limited route answers as the network does when the budget is
  spent, with its reset headers, until `rate_limit(None)`),
  `drop_connection_after(method, path)` (the request is processed, then the connection closes
  without an answer: the client cannot know whether it worked),
  `slow_down(method, path, seconds)` (every such request is taken up only after a while, as over
  a slow network, while other requests are answered),
  `expire_tokens()` (every token the server gave out is expired from now on),
  `revoke_token(value)`, and `deny_permission(method, path)` (the signed-in account lacks the
  right for that call).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar, Protocol, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class UploadedFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class LoggedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    fields: dict[str, object] = field(default_factory=dict)  # JSON or form; "x[]" stored as "x"
    files: dict[str, UploadedFile] = field(default_factory=dict)
    body: bytes = b""
    status: int = 0  # 0: the connection was dropped without an answer

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class Reply(Exception):
    """Answer with this instead of going on."""

    def __init__(self, status: int, body: object = None, headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class Drop(Exception):
    """Close the connection without answering."""


class Validator(Protocol):
    """Checks one request as the provider's description has it; returns what deviates."""

    def __call__(self, entry: LoggedRequest) -> Iterable[str]: ...


Answer = tuple[int, object, dict[str, str]]
Route = tuple[str, re.Pattern[str], str]


def routes(*table: tuple[str, str, str]) -> list[Route]:
    """(method, path regex, handler name) rows as a server's ROUTES."""
    return [(method, re.compile(pattern), name) for method, pattern, name in table]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # idle keep-alive connections close, so stop() does not wait on them

    def do_GET(self) -> None:
        self.server.app.handle(self)  # type: ignore[attr-defined]

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: ContractServer):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.app = app


class ContractServer:
    ROUTES: ClassVar[list[Route]] = []
    network: ClassVar[str] = "network"

    def __init__(self) -> None:
        self.requests: list[LoggedRequest] = []
        self.deviations: list[str] = []
        self.base_url = ""
        self._expected: list[str] = []
        self._validators: list[Validator] = []
        self._failures: list[tuple[str, re.Pattern[str], Reply]] = []
        self._drops: list[tuple[str, re.Pattern[str]]] = []
        self._denied: list[tuple[str, re.Pattern[str]]] = []
        self._slow: list[tuple[str, re.Pattern[str], float]] = []
        self.rate_limited_until: datetime | None = None
        self.tokens_expired = False
        self.revoked_tokens: set[str] = set()
        self._lock = threading.RLock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- for a network's server to fill in ---------------------------------------------------

    def started(self) -> None:
        """Called once the address is known (`base_url`), before the first request."""

    def over_rate_limit(self, entry: LoggedRequest) -> bool:
        """Whether this request finds the budget spent (default: while `rate_limit` is on)."""
        return self.rate_limited_until is not None

    def rate_limit_reply(self, entry: LoggedRequest) -> Reply:
        raise NotImplementedError(f"{type(self).__name__} answers no rate limit")

    def permission_reply(self, entry: LoggedRequest) -> Reply:
        raise NotImplementedError(f"{type(self).__name__} answers no missing permission")

    def extra_headers(self, entry: LoggedRequest) -> dict[str, str]:
        """Headers on every answer a route gives (for example the rate-limit budget)."""
        return {}

    # --- life cycle ----------------------------------------------------------------------

    def start(self) -> Self:
        self._httpd = _HTTPServer(self)
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self.started()
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        self.stop()
        if exc_type is None:
            self.check_deviations()

    # --- deviations and validators -------------------------------------------------------

    def deviation(self, entry: LoggedRequest, what: str) -> None:
        with self._lock:
            self.deviations.append(f"{entry.method} {entry.path}: {what}")

    def expect_deviation(self, text: str) -> None:
        """This test provokes a deviation on purpose: one whose description contains `text`."""
        self._expected.append(text)

    def check_deviations(self) -> None:
        unexpected = [d for d in self.deviations if not any(t in d for t in self._expected)]
        missing = [t for t in self._expected if not any(t in d for d in self.deviations)]
        problems = []
        if unexpected:
            problems.append(
                f"the {self.network} contract server noted deviations from the provider's "
                "documentation:\n  " + "\n  ".join(unexpected)
            )
        if missing:
            problems.append("expected deviations that never came: " + ", ".join(missing))
        if problems:
            raise AssertionError("\n".join(problems))

    def add_validator(self, validator: Validator) -> None:
        self._validators.append(validator)

    # --- behaviour switches --------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path_pattern: str,
        status: int,
        body: object = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next matching request gets this answer instead of the real one."""
        with self._lock:
            self._failures.append((method, re.compile(path_pattern), Reply(status, body, headers)))

    def drop_connection_after(self, method: str, path_pattern: str, times: int = 1) -> None:
        """The next `times` matching requests are carried out, then left without an answer."""
        with self._lock:
            self._drops += [(method, re.compile(path_pattern))] * times

    def slow_down(self, method: str, path_pattern: str, seconds: float) -> None:
        """Every matching request is taken up only after `seconds`, as over a slow network;
        other requests are answered meanwhile."""
        with self._lock:
            self._slow.append((method, re.compile(path_pattern), seconds))

    def rate_limit(self, reset: datetime | None) -> None:
        """From now until `reset`, rate-limited routes answer as the network does; None lifts it."""
        with self._lock:
            self.rate_limited_until = reset

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens_expired = True

    def revoke_token(self, value: str) -> None:
        with self._lock:
            self.revoked_tokens.add(value)

    def deny_permission(self, method: str, path_pattern: str) -> None:
        with self._lock:
            self._denied.append((method, re.compile(path_pattern)))

    # --- helpers for the routes ----------------------------------------------------------

    def requests_to(self, method: str, path_pattern: str) -> list[LoggedRequest]:
        pattern = re.compile(path_pattern)
        with self._lock:
            return [r for r in self.requests if r.method == method and pattern.fullmatch(r.path)]

    def unknown_fields(self, entry: LoggedRequest, allowed: set[str]) -> None:
        for name in [*entry.fields, *entry.files]:
            if name not in allowed:
                self.deviation(entry, f"unknown field {name!r}")

    # --- request handling ----------------------------------------------------------------

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        entry = LoggedRequest(
            method=handler.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in handler.headers.items()},
        )
        entry.body = self._read_body(handler, entry)
        with self._lock:
            wait = sum(s for m, p, s in self._slow if m == entry.method and p.fullmatch(entry.path))
        time.sleep(wait)
        headers: dict[str, str] = {}
        with self._lock:
            self.requests.append(entry)
            try:
                self._parse_body(entry)
                for validator in self._validators:
                    for problem in validator(entry):
                        self.deviation(entry, problem)
                status, payload, headers = self._dispatch(entry)
                if self._take(self._drops, entry):
                    raise Drop
            except Reply as reply:
                status, payload, headers = reply.status, reply.body, reply.headers
            except Drop:
                entry.status = 0
                handler.close_connection = True
                with contextlib.suppress(OSError):
                    handler.connection.shutdown(socket.SHUT_RDWR)
                return
            entry.status = status
        self._send(handler, status, payload, headers)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, payload: object, headers: dict[str, str]
    ) -> None:
        if isinstance(payload, bytes):
            data = payload
        else:
            data = b"" if payload is None else json.dumps(payload).encode()
        handler.send_response(status)
        if payload is not None and not isinstance(payload, bytes):
            handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        if data and handler.command != "HEAD":
            handler.wfile.write(data)

    @staticmethod
    def _take(switches: list[tuple[str, re.Pattern[str]]], entry: LoggedRequest) -> bool:
        for index, (method, pattern) in enumerate(switches):
            if method == entry.method and pattern.fullmatch(entry.path):
                del switches[index]
                return True
        return False

    def _dispatch(self, entry: LoggedRequest) -> Answer:
        for index, (method, pattern, reply) in enumerate(self._failures):
            if method == entry.method and pattern.fullmatch(entry.path):
                del self._failures[index]
                raise reply
        route = None
        for method, pattern, name in self.ROUTES:
            match = pattern.fullmatch(entry.path)
            if match and method == entry.method:
                route = (name, match)
                break
        if route is None:
            self.deviation(entry, "no such endpoint")
            raise self.not_found_reply()
        if self.over_rate_limit(entry):
            raise self.rate_limit_reply(entry)
        if any(m == entry.method and p.fullmatch(entry.path) for m, p in self._denied):
            raise self.permission_reply(entry)
        headers = self.extra_headers(entry)
        name, match = route
        status, payload, extra = getattr(self, f"_{name}")(entry, match.groupdict())
        return status, payload, {**headers, **extra}

    def not_found_reply(self) -> Reply:
        return Reply(404, {"error": "Not found"})

    @staticmethod
    def _read_body(handler: BaseHTTPRequestHandler, entry: LoggedRequest) -> bytes:
        if entry.header("transfer-encoding") == "chunked":
            chunks = []
            while True:
                size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    handler.rfile.readline()
                    return b"".join(chunks)
                chunks.append(handler.rfile.read(size))
                handler.rfile.readline()
        length = int(entry.header("content-length") or 0)
        return handler.rfile.read(length) if length else b""

    def raw_body_types(self) -> set[str]:
        """Content types a route reads itself from `entry.body` (an uploaded file, say)."""
        return set()

    def _parse_body(self, entry: LoggedRequest) -> None:
        content_type = (entry.header("content-type") or "").split(";")[0].strip().lower()
        body = entry.body
        if not body or content_type in self.raw_body_types():
            return
        if content_type == "application/json":
            try:
                parsed = json.loads(body)
            except ValueError:
                self.deviation(entry, "body is not JSON")
                raise self.bad_body_reply() from None
            if not isinstance(parsed, dict):
                self.deviation(entry, "JSON body is not an object")
                raise self.bad_body_reply()
            entry.fields = parsed
        elif content_type == "application/x-www-form-urlencoded":
            for name, values in parse_qs(body.decode(), keep_blank_values=True).items():
                if name.endswith("[]"):
                    entry.fields[name[:-2]] = values
                else:
                    entry.fields[name] = values[-1]
        elif content_type == "multipart/form-data":
            header = f"Content-Type: {entry.header('content-type')}\r\n\r\n".encode()
            message = BytesParser(policy=HTTP).parsebytes(header + body)
            if not message.is_multipart():
                self.deviation(entry, "multipart body without parts")
                return
            for part in message.iter_parts():
                name = str(part.get_param("name", header="content-disposition"))
                payload = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                if filename is not None:
                    entry.files[name] = UploadedFile(filename, part.get_content_type(), payload)
                elif name.endswith("[]"):
                    entry.fields.setdefault(name[:-2], []).append(payload.decode())  # type: ignore[union-attr]
                else:
                    entry.fields[name] = payload.decode()
        else:
            self.deviation(entry, f"unsupported content type {content_type or '(none)'}")

    def bad_body_reply(self) -> Reply:
        return Reply(400, {"error": "Bad request"})
