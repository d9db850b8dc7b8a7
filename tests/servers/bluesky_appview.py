"""A stand-in for Bluesky's AppView behind the real test PDS, for notifications only.

The PDS (tests/servers/pds) passes every app.bsky.* call it does not answer itself on to its
AppView with a service-auth token (iss: the viewer's DID, aud: the AppView's DID, lxm: the
method). This server answers app.bsky.notification.listNotifications the way the AppView does,
from what really is on the PDS: it reads every repository's post records
(com.atproto.sync.listRepos, com.atproto.repo.listRecords) at the moment of the call and makes a
notification for each post by someone else that replies to one of the viewer's posts (reason
"reply"), quotes one (reason "quote") or mentions the viewer in a facet (reason "mention"); a
post that does several counts once, in that order, as the AppView does. Newest first; `limit`
1-100 (50 by default), `reasons` filters, `cursor` continues. The moment a notification is
indexed is the post's createdAt (this stand-in indexes nothing ahead of time).

Every other method answers 501 MethodNotImplemented, as a PDS without an AppView does. A call
that deviates (no service-auth token, a token for another audience or method, an unknown
parameter) is answered 401/400 and noted in `deviations`. `rate_limit_next(n)` answers the next
n calls 429 with Retry-After (which the PDS passes through).
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests

DID = "did:web:appview.test"
LIST_NOTIFICATIONS = "app.bsky.notification.listNotifications"
REASONS = ("reply", "quote", "mention")


def _claims(authorization: str) -> dict:
    kind, _sep, token = authorization.partition(" ")
    parts = token.split(".")
    if kind != "Bearer" or len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except ValueError:
        return {}
    return claims if isinstance(claims, dict) else {}


def _quoted_uri(record: dict) -> str:
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return ""
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        embed = embed.get("record")
    if not isinstance(embed, dict) or "record" not in embed:
        return ""
    inner = embed["record"]
    return str(inner.get("uri", "")) if isinstance(inner, dict) else ""


def _mentions(record: dict, did: str) -> bool:
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or [] if isinstance(facet, dict) else []:
            if (
                isinstance(feature, dict)
                and feature.get("$type") == "app.bsky.richtext.facet#mention"
                and feature.get("did") == did
            ):
                return True
    return False


def reason_for(record: dict, viewer: str) -> str | None:
    """Why the viewer hears of this post by someone else, or None."""
    own = f"at://{viewer}/"
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    if isinstance(parent, dict) and str(parent.get("uri", "")).startswith(own):
        return "reply"
    if _quoted_uri(record).startswith(own):
        return "quote"
    if _mentions(record, viewer):
        return "mention"
    return None


class BlueskyAppView(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.pds_url = ""  # set once the PDS runs (its configuration names this server first)
        self.deviations: list[str] = []
        self.calls: list[dict[str, list[str]]] = []
        self._rate_limited = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def start(self) -> BlueskyAppView:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def rate_limit_next(self, times: int) -> None:
        with self._lock:
            self._rate_limited = times

    def take_rate_limit(self) -> bool:
        with self._lock:
            if self._rate_limited > 0:
                self._rate_limited -= 1
                return True
            return False

    def notifications_for(self, viewer: str) -> list[dict]:
        """Every notification of the viewer as the PDS's repositories are now, newest first."""
        repos = requests.get(
            f"{self.pds_url}/xrpc/com.atproto.sync.listRepos", params={"limit": 1000}, timeout=30
        ).json()["repos"]
        found = []
        for repo in repos:
            did = repo["did"]
            if did == viewer:
                continue
            described = requests.get(
                f"{self.pds_url}/xrpc/com.atproto.repo.describeRepo",
                params={"repo": did},
                timeout=30,
            ).json()
            cursor = None
            while True:
                params = {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
                if cursor:
                    params["cursor"] = cursor
                page = requests.get(
                    f"{self.pds_url}/xrpc/com.atproto.repo.listRecords", params=params, timeout=30
                ).json()
                for item in page.get("records", []):
                    reason = reason_for(item["value"], viewer)
                    if reason is None:
                        continue
                    found.append(
                        {
                            "uri": item["uri"],
                            "cid": item["cid"],
                            "author": {"did": did, "handle": described.get("handle", "")},
                            "reason": reason,
                            "record": item["value"],
                            "isRead": False,
                            "indexedAt": item["value"]["createdAt"],
                            "labels": [],
                        }
                    )
                cursor = page.get("cursor")
                if not cursor or not page.get("records"):
                    break
        found.sort(key=lambda n: (n["indexedAt"], n["uri"]), reverse=True)
        return found


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 with a length on every answer: the PDS's HTTP client (undici) asserts and takes
    # the whole PDS down when an HTTP/1.0 server closes the socket on an answer it has not read.
    protocol_version = "HTTP/1.1"
    server: BlueskyAppView

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        nsid = parts.path.removeprefix("/xrpc/")
        if nsid != LIST_NOTIFICATIONS:
            self.answer(501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"})
            return
        query = parse_qs(parts.query)
        self.server.calls.append(query)
        claims = _claims(self.headers.get("Authorization", ""))
        if claims.get("aud") not in (DID, f"{DID}#bsky_appview") or claims.get("lxm") != nsid:
            self.server.deviations.append(f"service auth {claims!r}")
            self.answer(401, {"error": "AuthenticationRequired"})
            return
        unknown = set(query) - {"limit", "cursor", "reasons", "priority", "seenAt"}
        limit = query.get("limit", ["50"])[-1]
        if unknown or not limit.isdigit() or not 1 <= int(limit) <= 100:
            self.server.deviations.append(f"parameters {query!r}")
            self.answer(400, {"error": "InvalidRequest", "message": "bad parameters"})
            return
        if self.server.take_rate_limit():
            self.answer(429, {"error": "RateLimitExceeded"}, {"Retry-After": "90"})
            return
        notifications = self.server.notifications_for(str(claims.get("iss", "")))
        reasons = set(query.get("reasons", []))
        if reasons:
            notifications = [n for n in notifications if n["reason"] in reasons]
        start = int(query.get("cursor", ["0"])[-1])
        page = notifications[start : start + int(limit)]
        body: dict = {"notifications": page}
        if start + int(limit) < len(notifications):
            body["cursor"] = str(start + int(limit))
        self.answer(200, body)
