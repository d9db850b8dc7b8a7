"""The service's routes (provider calls run in a thread, so one slow provider does not hold
every other request) (docs/koppeldienst-api.md). Every error has the agreed shape; the log
names the route and the outcome, never a token, code or secret."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta

import requests
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from koppeldienst import VERSION
from koppeldienst.config import Settings

log = logging.getLogger("koppeldienst")
TIMEOUT = (5.0, 20.0)
# Short: the app waits for its 403 meanwhile (60 s in all), and a revocation that does not come
# through changes nothing for it.
REVOKE_TIMEOUT = (5.0, 10.0)
MAX_PHOTO = 8 * 1024 * 1024  # Instagram takes JPEGs up to 8 MB
# How far LinkedIn's organizationAcls finder is read (pages of 100, as the app reads it).
ORGANIZATION = "urn:li:organization:"
ACLS_PAGE_SIZE = 100
ACLS_PAGES = 5


class Refusal(Exception):
    def __init__(self, status: int, kind: str, code: str, message: str, retry_after=None):
        super().__init__(code)
        self.status, self.kind, self.code, self.message = status, kind, code, message
        self.retry_after = retry_after

    def response(self) -> JSONResponse:
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after else None
        body = {
            "error": {
                "kind": self.kind,
                "code": self.code,
                "message": self.message,
                "retry_after": self.retry_after,
            }
        }
        return JSONResponse(body, status_code=self.status, headers=headers)


def _mapping(value) -> dict:
    """A JSON value that should be an object, or an empty one when the provider sent other."""
    return value if isinstance(value, dict) else {}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _in_seconds(value) -> datetime | None:
    return datetime.now(UTC) + timedelta(seconds=int(value)) if value else None


UNREACHABLE = "De koppeldienst kan {0} nu niet bereiken. Probeer het over een paar minuten opnieuw."


def _call(method: str, url: str, provider: str, **kwargs) -> tuple[int, dict]:
    try:
        answer = requests.request(method, url, timeout=TIMEOUT, **kwargs)
        body = answer.json()
    except (requests.RequestException, ValueError):
        raise Refusal(
            502, "retry_later", "provider_unreachable", UNREACHABLE.format(provider), 60
        ) from None
    if answer.status_code >= 500:
        raise Refusal(503, "retry_later", "provider_unavailable", UNREACHABLE.format(provider), 60)
    return answer.status_code, body if isinstance(body, dict) else {}


class Photos:
    """Photos held in memory for minutes; a URL works once."""

    def __init__(self, lifetime: timedelta):
        self.lifetime = lifetime
        self._items: dict[str, tuple[bytes, datetime]] = {}
        self._lock = threading.Lock()

    def add(self, data: bytes) -> tuple[str, datetime]:
        key = secrets.token_urlsafe(32)
        expires = datetime.now(UTC) + self.lifetime
        with self._lock:
            self._drop_expired()
            self._items[key] = (data, expires)
        return key, expires

    def take(self, key: str) -> bytes | None:
        with self._lock:
            self._drop_expired()
            item = self._items.pop(key, None)
        return item[0] if item else None

    def _drop_expired(self) -> None:
        now = datetime.now(UTC)
        for key in [k for k, (_, expires) in self._items.items() if expires <= now]:
            del self._items[key]


class Limiter:
    """A sliding minute per client address."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            seen = self._seen[client]
            while seen and seen[0] <= now - 60:
                seen.popleft()
            if len(seen) >= self.per_minute:
                wait = int(seen[0] + 60 - now) + 1
                raise Refusal(
                    429,
                    "retry_later",
                    "too_many_requests",
                    "Te veel verzoeken aan de koppeldienst. Wacht even en probeer het opnieuw.",
                    wait,
                )
            seen.append(now)


def build(settings: Settings) -> Starlette:
    photos = Photos(timedelta(minutes=settings.photo_minutes))
    limiter = Limiter(settings.requests_per_minute)
    graph = f"{settings.meta_graph_url}/{settings.graph_version}"

    async def body_of(request: Request) -> dict:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise Refusal(
                400, "rejected", "bad_request", "Het verzoek aan de koppeldienst is onleesbaar."
            )
        return body

    def text(body: dict, name: str) -> str:
        value = body.get(name)
        if not isinstance(value, str) or not value or len(value) > 4096:
            raise Refusal(
                400, "rejected", "bad_request", "Het verzoek aan de koppeldienst mist een gegeven."
            )
        return value

    def redirect(body: dict) -> str:
        uri = text(body, "redirect_uri")
        if uri not in settings.redirect_uris:
            raise Refusal(
                400,
                "rejected",
                "unknown_redirect_uri",
                "Dit terugkeeradres is niet bekend bij de koppeldienst. Vraag IT het toe te voegen.",
            )
        return uri

    def meta_configured() -> None:
        if not (settings.meta_app_id and settings.meta_app_secret):
            raise Refusal(
                503,
                "retry_later",
                "not_configured",
                "De koppeldienst is niet ingesteld voor Facebook en Instagram. Vraag IT dat te doen.",
            )

    def meta_refused(body: dict) -> Refusal:
        error = _mapping(body.get("error"))
        code = error.get("code")
        if code in (1, 2, 4, 17, 32, 341, 613):
            return Refusal(503, "retry_later", "provider_busy", UNREACHABLE.format("Meta"), 60)
        if code in (190, 100, 102):
            return Refusal(
                401,
                "reconnect",
                "meta_refused_code",
                "Meta weigerde de aanmelding. Meld het account opnieuw aan.",
            )
        return Refusal(
            403,
            "reconnect",
            "meta_refused",
            "Meta weigerde de aanmelding (ontbrekende toestemming). Meld het account opnieuw aan en sta alles toe.",
        )

    async def health(request: Request) -> Response:
        return JSONResponse(
            {"ok": True, "version": VERSION, "networks": ["facebook", "instagram", "linkedin"]}
        )

    async def config(request: Request) -> Response:
        meta = (
            {"app_id": settings.meta_app_id, "graph_version": settings.graph_version}
            if settings.meta_app_id
            else None
        )
        linkedin = (
            {"client_id": settings.linkedin_client_id} if settings.linkedin_client_id else None
        )
        return JSONResponse({"meta": meta, "linkedin": linkedin})

    async def meta_exchange(request: Request) -> Response:
        body = await body_of(request)
        uri, code = redirect(body), text(body, "code")
        meta_configured()
        app = {"client_id": settings.meta_app_id, "client_secret": settings.meta_app_secret}
        status, short = await run_in_threadpool(
            _call,
            "GET",
            f"{graph}/oauth/access_token",
            "Meta",
            params={**app, "redirect_uri": uri, "code": code},
        )
        if status != 200 or "access_token" not in short:
            raise meta_refused(short)
        status, long = await run_in_threadpool(
            _call,
            "GET",
            f"{graph}/oauth/access_token",
            "Meta",
            params={
                **app,
                "grant_type": "fb_exchange_token",
                "fb_exchange_token": short["access_token"],
            },
        )
        if status != 200 or "access_token" not in long:
            raise meta_refused(long)
        user_token = long["access_token"]
        status, accounts = await run_in_threadpool(
            _call,
            "GET",
            f"{graph}/me/accounts",
            "Meta",
            params={"fields": "id,name,access_token", "limit": 100},
            headers={"Authorization": f"Bearer {user_token}"},
        )
        if status != 200:
            raise meta_refused(accounts)
        pages = []
        for page in accounts.get("data", []):
            if str(page.get("id")) not in settings.allowed_pages:
                continue
            status, node = await run_in_threadpool(
                _call,
                "GET",
                f"{graph}/{page['id']}",
                "Meta",
                params={"fields": "instagram_business_account{id,username}"},
                headers={"Authorization": f"Bearer {page['access_token']}"},
            )
            account = node.get("instagram_business_account") if status == 200 else None
            instagram = None
            if isinstance(account, dict) and str(account.get("id")) in settings.allowed_instagram:
                instagram = {"id": str(account["id"]), "username": account.get("username", "")}
            pages.append(
                {
                    "id": str(page["id"]),
                    "name": page.get("name", ""),
                    "access_token": page["access_token"],
                    "expires_at": None,
                    "instagram": instagram,
                }
            )
        log.info(
            "meta exchange: %d allowed page(s) of %d", len(pages), len(accounts.get("data", []))
        )
        return JSONResponse(
            {"user_token_expires_at": _iso(_in_seconds(long.get("expires_in"))), "pages": pages}
        )

    def linkedin_configured() -> None:
        if not (settings.linkedin_client_id and settings.linkedin_client_secret):
            raise Refusal(
                503,
                "retry_later",
                "not_configured",
                "De koppeldienst is niet ingesteld voor LinkedIn. Vraag IT dat te doen.",
            )

    async def allowed_organizations(token: str) -> list[str]:
        """The pages on the service's list in which the token's member holds an approved role,
        by LinkedIn's organizationAcls; a Refusal when there is none, so that no token leaves
        the service for a page the foundation does not serve (as Meta pages off the list get no
        token). Whether the role may post is the app's check, with its own words."""
        held: list[str] = []
        for start in range(0, ACLS_PAGES * ACLS_PAGE_SIZE, ACLS_PAGE_SIZE):
            status, acls = await run_in_threadpool(
                _call,
                "GET",
                f"{settings.linkedin_api_url}/rest/organizationAcls",
                "LinkedIn",
                params={
                    "q": "roleAssignee",
                    "state": "APPROVED",
                    "start": start,
                    "count": ACLS_PAGE_SIZE,
                },
                headers={
                    "Authorization": f"Bearer {token}",
                    "Linkedin-Version": settings.linkedin_version,
                    "X-Restli-Protocol-Version": "2.0.0",
                    "X-RestLi-Method": "FINDER",
                },
            )
            elements = acls.get("elements")
            if status != 200 or not isinstance(elements, list):
                raise Refusal(
                    403,
                    "reconnect",
                    "linkedin_roles_unreadable",
                    "LinkedIn liet niet zien welke pagina's dit account beheert. Meld het account opnieuw aan en sta alles toe.",
                )
            for item in elements:
                item = _mapping(item)
                urn = str(item.get("organization") or "")
                if urn not in held:
                    held.append(urn)
            if len(elements) < ACLS_PAGE_SIZE:
                break
        allowed = [
            urn for urn in held if urn.removeprefix(ORGANIZATION) in settings.allowed_linkedin
        ]
        if not allowed:
            raise Refusal(
                403,
                "rejected",
                "organization_not_allowed",
                "De LinkedIn-pagina van dit account staat niet op de lijst van de koppeldienst. Vraag IT haar toe te voegen.",
            )
        return allowed

    async def linkedin_token(form: dict) -> Response:
        linkedin_configured()
        status, answer = await run_in_threadpool(
            _call,
            "POST",
            f"{settings.linkedin_url}/oauth/v2/accessToken",
            "LinkedIn",
            data={
                **form,
                "client_id": settings.linkedin_client_id,
                "client_secret": settings.linkedin_client_secret,
            },
        )
        if status != 200 or "access_token" not in answer:
            raise Refusal(
                401,
                "reconnect",
                "linkedin_refused",
                "LinkedIn weigerde de aanmelding. Meld het account opnieuw aan.",
            )
        token = str(answer["access_token"])
        try:
            organizations = await allowed_organizations(token)
        except Refusal as refusal:
            if refusal.code == "organization_not_allowed":
                # The tokens never leave the service, but they would stay valid at LinkedIn (60
                # and 365 days); the app's answer is the same whether or not LinkedIn took them
                # back. A refresh's refresh token is the app's own and is left alone.
                await run_in_threadpool(revoke_linkedin_token, token)
                if form["grant_type"] == "authorization_code" and answer.get("refresh_token"):
                    await run_in_threadpool(revoke_linkedin_token, str(answer["refresh_token"]))
            raise
        return JSONResponse(
            {
                "organizations": organizations,
                "access_token": answer["access_token"],
                "expires_at": _iso(_in_seconds(answer.get("expires_in"))),
                "refresh_token": answer.get("refresh_token"),
                "refresh_expires_at": _iso(_in_seconds(answer.get("refresh_token_expires_in"))),
            }
        )

    def revoke_linkedin_token(token: str) -> None:
        """Take a token back at LinkedIn (its revocation endpoint, with the app's secret); a
        failure is only logged, by its status, never with the token."""
        try:
            answer = requests.post(
                f"{settings.linkedin_url}/oauth/v2/revoke",
                data={
                    "client_id": settings.linkedin_client_id,
                    "client_secret": settings.linkedin_client_secret,
                    "token": token,
                },
                timeout=REVOKE_TIMEOUT,
            )
        except requests.RequestException:
            log.warning("linkedin token NOT revoked: LinkedIn unreachable")
            return
        if 200 <= answer.status_code < 300:
            log.info("linkedin token revoked")
        else:
            log.warning("linkedin token NOT revoked: LinkedIn answered %d", answer.status_code)

    async def linkedin_exchange(request: Request) -> Response:
        body = await body_of(request)
        uri, code = redirect(body), text(body, "code")
        log.info("linkedin exchange")
        return await linkedin_token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": uri}
        )

    async def linkedin_refresh(request: Request) -> Response:
        body = await body_of(request)
        log.info("linkedin refresh")
        return await linkedin_token(
            {"grant_type": "refresh_token", "refresh_token": text(body, "refresh_token")}
        )

    def bearer(request: Request) -> str:
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        if not auth.startswith("Bearer ") or not token or len(token) > 4096:
            raise Refusal(
                401, "reconnect", "no_token", "Het verzoek aan de koppeldienst mist het token."
            )
        return token

    async def valid_meta_token(token: str, unknown: str) -> dict:
        """What Meta's debug_token says of a token of the service's own app; a Refusal saying
        `unknown` for one Meta does not know (any more) or that belongs to another app."""
        status, debug = await run_in_threadpool(
            _call,
            "GET",
            f"{graph}/debug_token",
            "Meta",
            params={
                "input_token": token,
                "access_token": f"{settings.meta_app_id}|{settings.meta_app_secret}",
            },
        )
        info = _mapping(debug.get("data"))
        if (
            status != 200
            or not info.get("is_valid")
            or str(info.get("app_id")) != str(settings.meta_app_id)
        ):
            raise Refusal(401, "reconnect", "invalid_token", unknown)
        return info

    async def meta_token_expiry(request: Request) -> Response:
        """When a Meta token (one IT pasted) ends, by debug_token with the app token: the app
        has no secret to ask with. Only tokens of the service's own app are answered."""
        meta_configured()
        token = bearer(request)
        info = await valid_meta_token(
            token,
            "Meta kent dit token niet (meer), of het hoort bij een andere app. Maak een nieuw token.",
        )
        ends = info.get("expires_at")
        log.info("meta token expiry read")
        if ends == 0:  # Meta's word for a token without an end
            return JSONResponse({"never": True, "expires_at": None})
        moment = datetime.fromtimestamp(ends, UTC) if isinstance(ends, int) else None
        return JSONResponse({"never": False, "expires_at": _iso(moment)})

    async def linkedin_token_expiry(request: Request) -> Response:
        """When a LinkedIn access token ends, by LinkedIn's token introspection (it needs the
        client secret)."""
        linkedin_configured()
        token = bearer(request)
        status, answer = await run_in_threadpool(
            _call,
            "POST",
            f"{settings.linkedin_url}/oauth/v2/introspectToken",
            "LinkedIn",
            data={
                "client_id": settings.linkedin_client_id,
                "client_secret": settings.linkedin_client_secret,
                "token": token,
            },
        )
        if status != 200 or answer.get("active") is not True:
            raise Refusal(
                401,
                "reconnect",
                "invalid_token",
                "LinkedIn kent dit token niet (meer): het is verlopen of ingetrokken. Maak een nieuw token.",
            )
        ends = answer.get("expires_at")
        log.info("linkedin token expiry read")
        moment = datetime.fromtimestamp(ends, UTC) if isinstance(ends, int) else None
        return JSONResponse({"never": False, "expires_at": _iso(moment)})

    async def instagram_photo(request: Request) -> Response:
        meta_configured()
        account = request.headers.get("x-instagram-account", "")
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or not account:
            raise Refusal(
                401,
                "reconnect",
                "no_token",
                "Het Instagram-account is niet aangemeld. Meld het opnieuw aan.",
            )
        if account not in settings.allowed_instagram:
            log.info("photo refused: account not on the list")
            raise Refusal(
                403,
                "rejected",
                "account_not_allowed",
                "Dit Instagram-account staat niet op de lijst van de koppeldienst. Vraag IT het toe te voegen.",
            )
        if request.headers.get("content-type", "").split(";")[0].strip() != "image/jpeg":
            raise Refusal(
                400, "rejected", "not_jpeg", "De koppeldienst neemt alleen JPEG-foto's aan."
            )
        data = await request.body()
        if not data.startswith(b"\xff\xd8") or len(data) > MAX_PHOTO:
            raise Refusal(400, "rejected", "bad_photo", "De foto is geen JPEG of groter dan 8 MB.")
        token = auth.removeprefix("Bearer ").strip()
        await valid_meta_token(
            token, "Meta kent deze aanmelding niet (meer). Meld het Instagram-account opnieuw aan."
        )
        status, node = await run_in_threadpool(
            _call,
            "GET",
            f"{graph}/{account}",
            "Meta",
            params={"fields": "id"},
            headers={"Authorization": f"Bearer {token}"},
        )
        if status != 200 or str(node.get("id")) != account:
            raise Refusal(
                403,
                "rejected",
                "account_not_reachable",
                "Deze aanmelding hoort niet bij dit Instagram-account. Meld het account opnieuw aan.",
            )
        key, expires = photos.add(data)
        log.info("photo hosted (%d bytes)", len(data))
        return JSONResponse(
            {"url": f"{settings.public_url}/p/{key}", "expires_at": _iso(expires)}, status_code=201
        )

    async def photo(request: Request) -> Response:
        data = photos.take(request.path_params["key"])
        if data is None:
            raise Refusal(404, "rejected", "photo_gone", "Deze foto is er niet (meer).")
        log.info("photo fetched and deleted")
        return Response(data, media_type="image/jpeg")

    def guarded(endpoint):
        async def run(request: Request) -> Response:
            try:
                limiter.check(request.client.host if request.client else "?")
                return await endpoint(request)
            except Refusal as refusal:
                log.info(
                    "%s %s refused: %s",
                    request.method,
                    request.url.path.split("/p/")[0] or "/p",
                    refusal.code,
                )
                return refusal.response()

        return run

    return Starlette(
        routes=[
            Route("/health", guarded(health)),
            Route("/v1/config", guarded(config)),
            Route("/v1/meta/exchange", guarded(meta_exchange), methods=["POST"]),
            Route("/v1/linkedin/exchange", guarded(linkedin_exchange), methods=["POST"]),
            Route("/v1/linkedin/refresh", guarded(linkedin_refresh), methods=["POST"]),
            Route("/v1/instagram/photos", guarded(instagram_photo), methods=["POST"]),
            Route("/v1/meta/token-expiry", guarded(meta_token_expiry), methods=["POST"]),
            Route("/v1/linkedin/token-expiry", guarded(linkedin_token_expiry), methods=["POST"]),
            Route("/p/{key}", guarded(photo)),
        ]
    )
