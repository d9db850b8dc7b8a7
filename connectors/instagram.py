"""Instagram professional accounts through Meta's Graph API (Instagram API with Facebook Login,
../shared/networks.md section 3): container, status polling, `media_publish`.

Instagram fetches every photo itself from a public HTTPS address, so each prepared JPEG first
goes to the foundation's service (the koppeldienst), which checks the account's token with Meta
and hands back an unguessable URL that works once, for minutes. Without that service Instagram
cannot take a photo from Postwijs, and says so (configuration_problem, Rejected).

A post is 1 photo (an IMAGE container), 2 to 10 (a carousel: one child container each, then a
CAROUSEL parent with the caption), or one video, published as a Reel and sent from the file
itself through Meta's resumable upload (the Facebook Login variant allows it; no service needed),
sent again whole to a new container after a dropped connection (Meta documents no way to read
how much arrived). Before anything is uploaded the
account's publishing limit (50 posts per 24 hours, read at run time from
`content_publishing_limit`) is checked. Instagram
has no idempotency: after an unknown outcome find_post looks among the account's media by
caption and number of photos before anything is sent again.

Errors are classified on Meta's `error.code` and `error_subcode`, not the HTTP status (Meta
answers most of them over 400).

The sign-in is the vault entry IT pasted: {"ig_user_id", "access_token", "expires_at",
"source"}; the account's handle in the site configuration is its Instagram user id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from app.i18n import _
from app.networks.connector import (
    Capabilities,
    ConnectorError,
    Duplicates,
    OutgoingMedia,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Refusing,
    Rejected,
    RetryLater,
    SignIn,
    UnknownOutcome,
    UploadProgress,
    no_progress,
)
from app.networks.profiles import INSTAGRAM, NetworkProfile
from app.networks.registry import AccountAccess, Revoked, SignedIn, SignInRequest
from app.site.config import Account
from connectors.base import SignInOptions
from connectors.http import HttpSession, provider_reason, redact
from connectors.meta_graph import (
    DEFAULT_VERSION,
    GRAPH_API,
    THROTTLED,
    TRANSIENT,
    GraphConnector,
    cursor_pages,
    mapping,
    meta_error,
    pasted_token_note,
    regain_moment,
)
from connectors.rest import (
    UPLOAD_TIMEOUT,
    comparable_text,
    earliest_match,
    json_body,
    origin,
    parse_time,
    read_media,
    refuse_long_alt_text,
    refuse_too_large,
    refuse_too_many,
    search_start,
    signed_in_entry,
    unexpected_answer,
    unreadable_file,
    vault_entry_of,
)

log = logging.getLogger("postwijs.instagram")
NETWORK = "Instagram"
PUBLISHING_LIMIT_SUBCODE = 2207042
FETCH_FAILED_SUBCODE = 2207052
# A container is usually FINISHED within seconds; after these reads Postwijs gives up for now
# (nothing was published) and tries again later.
STATUS_READS = 10
VIDEO_STATUS_READS = 60  # a video takes minutes to process
UPLOAD_HOST = "rupload.facebook.com"
MAX_STATUS_WAIT = 5.0  # seconds between two reads, at most
PROGRESS_STEP = 256 * 1024  # bytes sent between two reports of an upload's progress
MAX_RESTARTS = 2  # new uploads of the whole video after a drop, before giving up for now
MEDIA_PAGE_SIZE = 25
FIND_POST_PAGES = 5

# Puts a prepared JPEG on the foundation's service for Instagram to fetch: (jpeg, access token,
# IG user id) -> {"url", "expires_at"}; raises an error of the closed set
# (connectors.koppeldienst.host_instagram_photo with the service's address).
PhotoHost = Callable[[bytes, str, str], Mapping[str, Any]]


def valid_user_id(value: object) -> bool:
    return isinstance(value, str) and value.strip().isdigit()


def no_service() -> str:
    return _(
        "Instagram haalt elke foto zelf op van een openbaar adres; daarvoor is de koppeldienst van de stichting nodig. Vraag de ICT-beheerder het adres van de koppeldienst in de siteconfiguratie te zetten ([koppeldienst] url). Tot dan kan Postwijs niets op Instagram plaatsen."
    )


def photo_not_fetched() -> RetryLater:
    return RetryLater(
        _(
            "Instagram kon de foto niet ophalen bij de koppeldienst (het adres was verlopen of al gebruikt). Er is niets geplaatst; Postwijs probeert het later opnieuw. Gebeurt dit steeds, vraag de ICT-beheerder dan of de koppeldienst van buitenaf bereikbaar is."
        )
    )


def classify_meta(
    response: requests.Response, network: str, now: datetime | None = None
) -> ConnectorError:
    """Meta's error codes in Dutch words (../shared/networks.md, "How Meta errors map")."""
    now = now or datetime.now(UTC)
    code, subcode = meta_error(response)
    reason = provider_reason(response)
    if code == 190 or code == 102:
        return Reconnect(
            _(
                "De aanmelding bij {network} is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts (plak een nieuw token)."
            ).format(network=network)
        )
    if code == 10 or (code is not None and 200 <= code <= 299):
        return Reconnect(
            _(
                "Meld het account opnieuw aan bij Accounts: Postwijs mist rechten bij {network} ({reason})."
            ).format(network=network, reason=reason)
        )
    if code == 9 and subcode == PUBLISHING_LIMIT_SUBCODE:
        return RetryLater(
            _(
                "Dit {network}-account plaatste de afgelopen 24 uur het maximale aantal berichten. Postwijs probeert het later opnieuw."
            ).format(network=network),
            now + timedelta(hours=1),
        )
    if code in THROTTLED:
        return RetryLater(
            _(
                "{network} vraagt om even te wachten (te veel verzoeken). Postwijs probeert het later opnieuw."
            ).format(network=network),
            regain_moment(response, now),
        )
    if code in TRANSIENT or (code is None and response.status_code >= 500):
        return RetryLater(
            _("{network} heeft een storing. Postwijs probeert het later opnieuw.").format(
                network=network
            )
        )
    if code == 368:
        return RetryLater(
            _(
                "{network} heeft dit account tijdelijk geblokkeerd voor plaatsen ({reason}). Postwijs probeert het later opnieuw; kijk ook zelf in de app."
            ).format(network=network, reason=reason),
            now + timedelta(hours=1),
        )
    if subcode == FETCH_FAILED_SUBCODE:
        return photo_not_fetched()
    return Rejected(
        _("Pas het bericht aan: {network} weigert het ({reason}).").format(
            network=network, reason=reason
        )
    )


class InstagramConnector(GraphConnector):
    """One Instagram professional account. `load()` reads the vault entry (None: no sign-in);
    `photo_host` puts a photo on the foundation's service (None: no service, so no photos and no
    posts); `base_url` and `version` are Meta's Graph API (tests pass their own server);
    `on_unauthorized` is called when Meta refuses the token; `sleep` waits between status reads;
    `on_progress` hears how far a video's upload is (the outbox sets it)."""

    capabilities = Capabilities(
        sign_in=SignIn.PASTED_TOKEN,
        find_posts=True,
        delete=True,
        alt_text=True,
        duplicates=Duplicates.DETECTION,
        video=True,
    )
    profile: NetworkProfile = INSTAGRAM

    def __init__(
        self,
        load: Callable[[], Mapping[str, Any] | None],
        *,
        photo_host: PhotoHost | None = None,
        version: str = DEFAULT_VERSION,
        base_url: str = GRAPH_API,
        on_unauthorized: Callable[[], None] | None = None,
        verify: bool | str = True,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_progress: UploadProgress = no_progress,
    ):
        self._load = load
        self.on_progress = on_progress
        self._photo_host = photo_host
        self.version = version
        self.base_url = base_url.rstrip("/")
        self._on_unauthorized = on_unauthorized
        self._sleep = sleep
        self._now = now
        self.http = HttpSession(NETWORK, classify_error=self._classify, verify=verify)

    # --- protocol --------------------------------------------------------------------------

    def who_am_i(self) -> str:
        """The account's @name, read with the token (so this also checks the token)."""
        user = self._user_id()
        body = json_body(
            self._graph("GET", f"/{user}", params={"fields": "id,username"}), dict, NETWORK
        )
        if str(body.get("id")) != user or not isinstance(body.get("username"), str):
            raise unexpected_answer(NETWORK)
        return "@" + body["username"]

    def publish(self, post: OutgoingPost) -> PublishedPost:
        self._check_media(post.media)
        video = post.media[0].mime_type.startswith("video/")
        if self._photo_host is None and not video:
            raise Rejected(no_service())
        user, token = self._user_id(), self._token()
        self._check_publishing_limit(user)
        if video:
            container = self._video_container(user, token, post.media[0], post.text)
            self._wait_until_finished(container, VIDEO_STATUS_READS, video=True)
            return self._publish_container(user, container)
        carousel = len(post.media) > 1
        # A carousel's caption is its parent's; a single photo carries it itself.
        caption = None if carousel else post.text
        children = [self._photo_container(user, token, item, caption) for item in post.media]
        if carousel:
            for child in children:
                self._wait_until_finished(child)
            container = self._create(
                user,
                {"media_type": "CAROUSEL", "children": ",".join(children), "caption": post.text},
            )
        else:
            container = children[0]
        self._wait_until_finished(container)
        return self._publish_container(user, container)

    def _publish_container(self, user: str, container: str) -> PublishedPost:
        response = self.http.request(
            "POST",
            self._url(f"/{user}/media_publish"),
            data={"creation_id": container},
            headers=self._authorization(),
            expected=(200,),
        )
        media_id = json_body(response, dict, NETWORK).get("id")
        if not isinstance(media_id, str | int) or not str(media_id).isdigit():
            raise UnknownOutcome(
                _(
                    "{network} gaf een onverwacht antwoord; Postwijs kijkt eerst of het bericht al geplaatst is."
                ).format(network=NETWORK)
            )
        return PublishedPost(str(media_id), self._permalink(str(media_id)))

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """Our post among the account's media from `since` on: the same caption and the same
        kind (one photo, or a carousel); the earliest when several match."""
        wanted = comparable_text(post.text)
        kind = "CAROUSEL_ALBUM" if len(post.media) > 1 else None
        found = earliest_match(
            self._media_pages(search_start(since), FIND_POST_PAGES + 1),
            since,
            lambda item: parse_time(item.get("timestamp")),
            lambda item: (
                comparable_text(str(item.get("caption") or "")) == wanted
                and (item.get("media_type") == "CAROUSEL_ALBUM") == (kind is not None)
            ),
            max_pages=FIND_POST_PAGES,
            network=NETWORK,
        )
        if found is None:
            return None
        media_id = str(found.get("id") or "")
        if not media_id.isdigit():
            raise unexpected_answer(NETWORK)
        permalink = found.get("permalink")
        return PublishedPost(
            media_id, permalink if isinstance(permalink, str) else self._permalink(media_id)
        )

    def delete(self, remote_id: str) -> None:
        """Deletes the media; one already gone (Meta's 100 / 33) counts as deleted."""
        if not remote_id.isdigit():
            raise ValueError("an Instagram media id is a number")
        response = self.http.request(
            "DELETE", self._url(f"/{remote_id}"), headers=self._authorization(), expected=(200, 400)
        )
        if response.status_code == 400:
            if meta_error(response) == (100, 33):
                return
            raise self._classify(response, NETWORK)

    # --- publishing ------------------------------------------------------------------------

    def _check_media(self, media: Sequence[OutgoingMedia]) -> None:
        if not media:
            raise Rejected(
                _("Voeg een foto toe: {network} plaatst geen bericht zonder foto.").format(
                    network=NETWORK
                )
            )
        refuse_too_many(media, self.profile.max_images, NETWORK)
        videos = [item for item in media if item.mime_type.startswith("video/")]
        if videos and len(media) > 1:
            raise Rejected(
                _(
                    "Kies één video, of alleen foto's: Postwijs plaatst op {network} geen video in een reeks."
                ).format(network=NETWORK)
            )
        if videos:
            if videos[0].mime_type not in ("video/mp4", "video/quicktime"):
                raise Rejected(
                    _("Kies een MP4-video: {network} neemt die aan.").format(network=NETWORK)
                )
            return
        for item in media:
            if item.mime_type != "image/jpeg":
                raise Rejected(
                    _("Kies een JPEG-foto: {network} neemt alleen JPEG aan.").format(
                        network=NETWORK
                    )
                )
            refuse_too_large(item, self.profile.image_max_bytes, NETWORK)
            refuse_long_alt_text(
                item, len(item.alt_text), self.profile.alt_text_limit or 0, NETWORK
            )

    def _check_publishing_limit(self, user: str) -> None:
        """The account's limit as Meta gives it now (50 per 24 hours today); when it is reached,
        RetryLater at the moment the oldest post in the window drops out of it."""
        body = json_body(
            self._graph(
                "GET",
                f"/{user}/content_publishing_limit",
                params={"fields": "config,quota_usage"},
            ),
            dict,
            NETWORK,
        )
        data = body.get("data")
        item = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
        config = mapping(item.get("config"))
        usage, total = item.get("quota_usage"), config.get("quota_total")
        duration = config.get("quota_duration")
        if not isinstance(usage, int) or not isinstance(total, int) or usage < total:
            return
        window = timedelta(seconds=duration if isinstance(duration, int) else 86400)
        raise RetryLater(
            _(
                "Dit {network}-account plaatste de afgelopen 24 uur al {total} berichten, het maximum. Postwijs plaatst dit bericht zodra het weer kan."
            ).format(network=NETWORK, total=total),
            self._window_frees_at(user, window, total),
        )

    def _window_frees_at(self, user: str, window: timedelta, total: int) -> datetime:
        start = self._now() - window
        moments = [
            moment
            for page in self._media_pages(start, 1 + total // MEDIA_PAGE_SIZE, ("timestamp",))
            for item in page
            if (moment := parse_time(item.get("timestamp"))) is not None and moment > start
        ]
        return min(moments) + window if moments else self._now() + timedelta(hours=1)

    def _photo_container(
        self, user: str, token: str, item: OutgoingMedia, caption: str | None
    ) -> str:
        """An IMAGE container with the caption, or a carousel item (caption None)."""
        data = read_media(item)
        assert self._photo_host is not None
        hosted = self._photo_host(data, token, user)
        url = hosted.get("url")
        if not isinstance(url, str) or urlsplit(url).scheme not in ("https", "http"):
            raise RetryLater(
                _(
                    "De koppeldienst gaf een onverwacht antwoord. Postwijs probeert het later opnieuw."
                )
            )
        fields = {"image_url": url}
        if item.alt_text:
            fields["alt_text"] = item.alt_text
        if caption is None:
            fields["is_carousel_item"] = "true"
        else:
            fields["caption"] = caption
        return self._create(user, fields)

    def _video_container(self, user: str, token: str, item: OutgoingMedia, caption: str) -> str:
        """A REELS container for a resumable upload, then the whole file to the upload address it
        names (rupload.facebook.com) in one POST. Meta's guide gives no way to read how much of
        an upload arrived, so after a dropped connection the file goes again from byte 0, to a
        new container: the old one is never published (Meta drops unpublished containers after
        24 hours), so no byte is doubled and nothing is posted twice. Giving up after
        MAX_RESTARTS is a plain RetryLater: nothing is published yet."""
        try:
            total = Path(item.path).stat().st_size
        except OSError:
            raise unreadable_file(Path(item.path).name) from None
        if total == 0:
            raise unreadable_file(Path(item.path).name)
        for attempt in range(MAX_RESTARTS + 1):
            container, uri = self._upload_container(user, caption)
            try:
                self._upload(uri, token, item.path, total)
                return container
            except (RetryLater, UnknownOutcome) as error:
                if isinstance(error, RetryLater) and error.not_before is not None:
                    raise  # throttled: wait for the moment Meta names
                log.info("video upload dropped (attempt %d); starting over", attempt + 1)
        raise RetryLater(
            _(
                "Het uploaden van de video naar {network} lukt nu niet. Er is niets geplaatst; Postwijs probeert het later opnieuw."
            ).format(network=NETWORK)
        )

    def _upload_container(self, user: str, caption: str) -> tuple[str, str]:
        """A new REELS container for a resumable upload, and the upload address it names."""
        response = self._graph(
            "POST",
            f"/{user}/media",
            data={"media_type": "REELS", "upload_type": "resumable", "caption": caption},
        )
        body = json_body(response, dict, NETWORK)
        container, uri = str(body.get("id") or ""), body.get("uri")
        if not container.isdigit() or not isinstance(uri, str):
            raise unexpected_answer(NETWORK)
        # The token goes only to Meta's upload host (or the API a test names), never elsewhere.
        target = urlsplit(uri)
        if not (
            (target.scheme == "https" and (target.hostname or "").lower() == UPLOAD_HOST)
            or origin(uri) == origin(self.base_url)
        ):
            raise unexpected_answer(NETWORK)
        return container, uri

    def _upload(self, uri: str, token: str, path: str, total: int) -> None:
        """The whole file in one POST, from byte 0 (`offset` and `file_size` headers, as the
        guide shows them), with the progress from nothing to all."""
        self.on_progress(0, total)
        try:
            with _ProgressReader(path, 0, total, self.on_progress) as whole:
                self.http.request(
                    "POST",
                    uri,
                    data=whole,
                    headers={
                        "Authorization": f"OAuth {token}",
                        "offset": "0",
                        "file_size": str(total),
                        "Content-Type": "application/octet-stream",
                    },
                    timeout=UPLOAD_TIMEOUT,
                    expected=(200,),
                )
        except OSError:
            raise unreadable_file(Path(path).name) from None
        self.on_progress(total, total)

    def _create(self, user: str, fields: dict[str, str]) -> str:
        response = self._graph("POST", f"/{user}/media", data=fields, timeout=UPLOAD_TIMEOUT)
        container = json_body(response, dict, NETWORK).get("id")
        if not isinstance(container, str | int) or not str(container).isdigit():
            raise unexpected_answer(NETWORK)
        return str(container)

    def _wait_until_finished(
        self, container: str, reads: int = STATUS_READS, video: bool = False
    ) -> None:
        """Reads the container's status until FINISHED, a bounded number of times. Nothing is
        published yet, so giving up is a plain RetryLater."""
        for attempt in range(reads):
            body = json_body(
                self._graph("GET", f"/{container}", params={"fields": "status_code,status"}),
                dict,
                NETWORK,
            )
            status = body.get("status_code")
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED"):
                log.info("container %s: %s", status, redact(str(body.get("status") or "")))
                if video:
                    raise Rejected(
                        _(
                            "{network} kon de video niet verwerken. Er is niets geplaatst; kies een andere video (MP4)."
                        ).format(network=NETWORK)
                    )
                raise photo_not_fetched()
            if status != "IN_PROGRESS":
                raise unexpected_answer(NETWORK)
            if attempt + 1 < reads:
                self._sleep(min(MAX_STATUS_WAIT, 1.0 + attempt))
        raise RetryLater(
            _(
                "{network} is nog bezig met de foto of video. Er is niets geplaatst; Postwijs probeert het later opnieuw."
            ).format(network=NETWORK)
        )

    def _permalink(self, media_id: str) -> str:
        """The post's address. The post is placed already: a failure here must not make the
        outbox send it again, so it falls back to Instagram itself."""
        try:
            body = json_body(
                self._graph("GET", f"/{media_id}", params={"fields": "permalink"}), dict, NETWORK
            )
        except ConnectorError:
            log.info("permalink of %s not read", media_id)
            return "https://www.instagram.com/"
        permalink = body.get("permalink")
        return permalink if isinstance(permalink, str) else "https://www.instagram.com/"

    # --- reading media ---------------------------------------------------------------------

    def _media_pages(
        self,
        since: datetime,
        max_pages: int,
        fields: tuple[str, ...] = ("id", "caption", "timestamp", "permalink", "media_type"),
    ) -> Iterator[list[dict]]:
        """The account's media from `since` on, newest first, page by page (Meta's cursors)."""
        user = self._user_id()
        params: dict[str, object] = {
            "fields": ",".join(fields),
            "since": int(since.timestamp()),
            "limit": MEDIA_PAGE_SIZE,
        }
        return cursor_pages(
            lambda asked: self._graph("GET", f"/{user}/media", params=asked),
            params,
            max_pages,
            NETWORK,
        )

    # --- sign-in and HTTP ------------------------------------------------------------------

    def _entry(self) -> Mapping[str, Any]:
        return signed_in_entry(self._load, has_sign_in, NETWORK)

    def _user_id(self) -> str:
        return str(self._entry()["ig_user_id"]).strip()

    def _token(self) -> str:
        return str(self._entry()["access_token"])

    def _authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token()}"}

    def _classify_meta(self, response: requests.Response, network: str) -> ConnectorError:
        return classify_meta(response, network, self._now())

    def _placing(self, response: requests.Response) -> bool:
        return response.request.method == "POST" and str(response.request.url).endswith(
            "/media_publish"
        )


# --- the registry's hooks (connectors/__init__.py) ----------------------------------------------


def configuration_problem(account: Account, options: SignInOptions) -> str:
    """An Instagram account names its Instagram user id (handle), and photos need the
    foundation's service; every missing setting is named, so IT mends them in one go."""
    missing = []
    if not valid_user_id(account.handle):
        missing.append(
            _(
                "Vraag de ICT-beheerder het Instagram-gebruikersnummer van dit account in de siteconfiguratie te zetten (handle, bijvoorbeeld 17841400000000001; te vinden via de gekoppelde Facebookpagina)."
            )
        )
    if options.instagram_photo_host is None:
        missing.append(no_service())
    return "\n".join(missing)


def has_sign_in(entry: Mapping[str, Any] | None) -> bool:
    return bool(entry and entry.get("access_token") and valid_user_id(entry.get("ig_user_id")))


def connector(access: AccountAccess, options: SignInOptions) -> InstagramConnector | Refusing:
    problem = configuration_problem(access.account, options)
    if problem:
        return Refusing(INSTAGRAM, problem, InstagramConnector.capabilities)
    return InstagramConnector(
        vault_entry_of(access),
        photo_host=options.instagram_photo_host,
        version=options.meta_graph_version,
        base_url=options.meta_graph_api,
        on_unauthorized=access.sign_in_needed,
        verify=options.verify,
    )


def sign_in(access: AccountAccess, request: SignInRequest, options: SignInOptions) -> SignedIn:
    """IT pasted a long-lived token (a page token or a system user's token) for the account
    whose Instagram user id the site configuration gives: it is checked with Meta (the
    account's name is read with it) before it goes to the vault. When it ends only Meta's
    debug_token says, which needs the app token: the foundation's service asks it, where the
    site names one."""
    token = request.app_password.strip()
    if not token or any(c.isspace() for c in token):
        raise Rejected(_("Plak het token voor het Instagram-account (één regel, zonder spaties)."))
    problem = configuration_problem(access.account, options)
    if problem:
        raise Rejected(problem)
    entry = {
        "ig_user_id": access.account.handle.strip(),
        "access_token": token,
        "expires_at": None,
        "source": "pasted",
    }
    with InstagramConnector(
        lambda: entry,
        version=options.meta_graph_version,
        base_url=options.meta_graph_api,
        verify=options.verify,
    ) as checking:
        try:
            name = checking.who_am_i()
        except (Reconnect, Rejected):
            raise Rejected(
                _(
                    "{network} neemt dit token niet aan voor dit account. Maak een nieuw langlevend token (van de gekoppelde Facebookpagina of een systeemgebruiker) met de rechten instagram_basic, instagram_content_publish en instagram_manage_contents, en plak dat."
                ).format(network=NETWORK)
            ) from None
    access.vault.write(access.account.id, entry)
    return SignedIn(name, note=pasted_token_note(token, options.koppeldienst_url))


def revoke(access: AccountAccess, options: SignInOptions) -> Revoked:
    """A pasted token is IT's: it leaves the vault here, and IT withdraws it at Meta."""
    access.vault.delete(access.account.id)
    return Revoked(
        False,
        _(
            "Afgemeld op deze computer. Het token werkt bij {network} nog tot het verloopt; laat de ICT-beheerder het intrekken in Meta Bedrijfsbeheer."
        ).format(network=NETWORK),
    )


class _ProgressReader:
    """The file from `offset` on, as the body of one request: requests sends what `read` gives
    (its length is `len`), and every block read says how far the upload is."""

    def __init__(self, path: str, offset: int, total: int, on_progress: UploadProgress):
        self._file = open(path, "rb")  # noqa: SIM115 - closed by __exit__
        self._file.seek(offset)
        self._sent, self._total, self._on_progress = offset, total, on_progress
        self._reported = offset

    def __len__(self) -> int:
        return self._total - self._sent

    def __iter__(self) -> Iterator[bytes]:
        while block := self.read(64 * 1024):
            yield block

    def read(self, size: int = -1) -> bytes:
        block = self._file.read(min(size, len(self)) if size >= 0 else len(self))
        self._sent += len(block)
        # requests sends in small blocks; the window needs a word every PROGRESS_STEP only.
        if self._sent - self._reported >= PROGRESS_STEP:
            self._reported = self._sent
            self._on_progress(self._sent, self._total)
        return block

    def __enter__(self) -> _ProgressReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._file.close()
