"""Facebook Pages through Meta's Graph API (../shared/networks.md section 2).

A post is a text (with its first web address as the `link`), one photo (`/{page}/photos`, which
places the post itself), several photos (each uploaded with `published=false`, then one feed
post with `attached_media`), or one video (the chunked upload of `/{page}/videos`: start,
transfer each piece at the offset Meta asks for, finish with the text). Alt text goes with each
photo as `alt_text_custom`. The post's address is read back (`permalink_url`).

Facebook has no idempotency: after an unknown outcome find_post looks among the Page's
published posts by text, and a refusal as a duplicate (code 506) is looked up the same way, so
a post that went through is never placed again.

Errors are classified on Meta's `error.code` and `error_subcode`, not the HTTP status (Meta
answers most of them over 400).

The sign-in is Facebook Login in the browser, its code exchanged by the foundation's service
(when the site names one), or a long-lived token IT pasted; either way the vault entry is
(docs/koppeldienst-api.md):
{"page_id", "page_token", "expires_at", "source"}; the account's handle in the site
configuration is its Page id. The Graph API version comes from the site configuration
([facebook] graph_version).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

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
from app.networks.profiles import FACEBOOK, NetworkProfile
from app.networks.registry import AccountAccess, Revoked, SignedIn, SignInRequest
from app.site.config import Account
from connectors import koppeldienst
from connectors.base import SignInOptions
from connectors.http import HttpSession, provider_reason
from connectors.meta_graph import (
    ALREADY_GONE,
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
from connectors.oauth import ProviderConfig
from connectors.rest import (
    UPLOAD_TIMEOUT,
    accepted_without_answer,
    comparable_text,
    earliest_match,
    json_body,
    parse_time,
    read_media,
    refuse_long_alt_text,
    refuse_too_large,
    refuse_too_many,
    search_start,
    signed_in_entry,
    unexpected_answer,
    vault_entry_of,
)

log = logging.getLogger("postwijs.facebook")
NETWORK = "Facebook"
WEBSITE = "https://www.facebook.com"
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})
DUPLICATE = 506
EXPIRED_SUBCODE = 463
TEMPORARY_BLOCK = 368
LINK_NOT_SCRAPED = 1609005
RETIRED_VERSION = 2635
POSTS_PAGE_SIZE = 25
FIND_POST_PAGES = 5
# Meta does not say how far back it compares a post's text for code 506; a post placed by an
# earlier attempt of this one is at most this old.
DUPLICATE_LOOKBACK = timedelta(days=2)
TRANSIENT_WAIT = timedelta(minutes=2)  # Meta's codes 1 and 2: a fault that passes soon
BLOCK_WAIT = timedelta(hours=6)  # code 368: Meta names no end to a temporary block
# The permissions a Page token needs to post (and video with it), per the Pages API posts guide
# and the Video API publishing guide (networks.md section 2).
PERMISSIONS = "pages_manage_posts, pages_read_engagement, pages_show_list"
_VERSION = re.compile(r"^v\d{1,3}\.0$")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def valid_page_id(value: object) -> bool:
    return isinstance(value, str) and value.strip().isdigit()


def valid_version(value: str) -> bool:
    return bool(_VERSION.match(value or ""))


class DuplicatePost(Rejected):
    """Meta's 506: the Page already has a post with exactly this text (maybe our own, from an
    attempt whose answer never came); publish looks it up before saying anything."""


def classify_facebook(
    response: requests.Response, network: str, now: datetime | None = None
) -> ConnectorError:
    """Meta's error codes in Dutch words (../shared/networks.md, "How Meta errors map")."""
    now = now or datetime.now(UTC)
    code, subcode = meta_error(response)
    reason = provider_reason(response)
    if code == 190 or code == 102:
        # 463: the token's time ran out; 458, 460 and the others: withdrawn (app removed,
        # password changed, role taken away)
        state = _("verlopen") if subcode == EXPIRED_SUBCODE else _("ingetrokken of ongeldig")
        return Reconnect(
            _(
                "De paginasleutel voor {network} is {state}. Vraag de ICT-beheerder een nieuwe langlevende paginasleutel en meld de pagina daarmee opnieuw aan bij Accounts."
            ).format(network=network, state=state)
        )
    if code == 10 or (code is not None and 200 <= code <= 299):
        return Reconnect(
            _(
                "De paginasleutel voor {network} mist een recht om op de pagina te plaatsen. Vraag de ICT-beheerder in Meta Bedrijfsbeheer een nieuwe paginasleutel te maken met de rechten {permissions}, van iemand die berichten mag plaatsen op de pagina, en meld de pagina daarmee opnieuw aan bij Accounts."
            ).format(network=network, permissions=PERMISSIONS)
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
            _(
                "{network} heeft een storing. Postwijs probeert het over een paar minuten opnieuw."
            ).format(network=network),
            now + TRANSIENT_WAIT,
        )
    if code == TEMPORARY_BLOCK:
        return RetryLater(
            _(
                "{network} heeft deze pagina tijdelijk geblokkeerd voor plaatsen ({reason}). Er is niets geplaatst; Postwijs probeert het over een paar uur opnieuw. Kijk in Facebook bij de pagina of er een melding staat."
            ).format(network=network, reason=reason),
            now + BLOCK_WAIT,
        )
    if code == DUPLICATE:
        return DuplicatePost(
            _(
                "{network} weigert dit bericht omdat de pagina kort geleden precies dezelfde tekst plaatste. Pas de tekst iets aan en probeer het opnieuw."
            ).format(network=network)
        )
    if code == RETIRED_VERSION:
        return Rejected(
            _(
                "{network} ondersteunt de ingestelde versie van de Graph API niet meer. Er is niets geplaatst. Vraag de ICT-beheerder in de siteconfiguratie een nieuwere versie te zetten ([facebook] graph_version)."
            ).format(network=network)
        )
    if code == LINK_NOT_SCRAPED:
        return Rejected(
            _(
                "{network} kan de link in het bericht niet openen. Controleer het webadres en probeer het opnieuw."
            ).format(network=network)
        )
    return Rejected(
        _("Pas het bericht aan: {network} weigert het ({reason}).").format(
            network=network, reason=reason
        )
    )


class FacebookConnector(GraphConnector):
    """One Facebook Page. `load()` reads the vault entry (None: no sign-in); `base_url` and
    `version` are Meta's Graph API (tests pass their own server); `on_unauthorized` is called
    when Meta refuses the token; `on_progress` hears how far a video upload is."""

    capabilities = Capabilities(
        sign_in=SignIn.PASTED_TOKEN,
        find_posts=True,
        delete=True,
        video=True,
        alt_text=True,
        duplicates=Duplicates.DETECTION,
    )
    profile: NetworkProfile = FACEBOOK

    def __init__(
        self,
        load: Callable[[], Mapping[str, Any] | None],
        *,
        version: str = DEFAULT_VERSION,
        base_url: str = GRAPH_API,
        on_unauthorized: Callable[[], None] | None = None,
        verify: bool | str = True,
        on_progress: UploadProgress = no_progress,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        if not valid_version(version):
            raise ValueError("a Graph API version is vNN.0")
        self._load = load
        self.version = version
        self.base_url = base_url.rstrip("/")
        self._on_unauthorized = on_unauthorized
        self.on_progress = on_progress
        self._now = now
        self._placing_now = False  # the request under way is the one that places the post
        self.http = HttpSession(NETWORK, classify_error=self._classify, verify=verify)

    # --- protocol --------------------------------------------------------------------------

    def who_am_i(self) -> str:
        """The Page's name, read with its token (so this also checks the token is the Page's)."""
        page = self._page_id()
        body = json_body(self._graph("GET", "/me", params={"fields": "id,name"}), dict, NETWORK)
        if str(body.get("id")) != page or not isinstance(body.get("name"), str):
            raise Reconnect(
                _(
                    "De aanmelding bij {network} hoort niet bij deze pagina. Meld de pagina opnieuw aan bij Accounts met de paginasleutel van deze pagina."
                ).format(network=NETWORK)
            )
        return body["name"]

    def publish(self, post: OutgoingPost) -> PublishedPost:
        self._check_media(post.media)
        started = self._now()
        page = self._page_id()
        try:
            if post.media and post.media[0].mime_type.startswith("video/"):
                return self._publish_video(page, post)
            if len(post.media) == 1:
                return self._publish_photo(page, post)
            return self._publish_feed(page, post)
        except DuplicatePost as duplicate:
            found = self.find_post(post, started - DUPLICATE_LOOKBACK)
            if found is None:
                raise duplicate from None
            log.info("a duplicate (506) is our post %s", found.remote_id)
            return found

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """Our post among the Page's published posts from `since` on: the same text; the
        earliest when several match."""
        wanted = comparable_text(post.text)
        found = earliest_match(
            self._posts(search_start(since), FIND_POST_PAGES + 1),
            since,
            lambda item: _created(item),
            lambda item: comparable_text(str(item.get("message") or "")) == wanted,
            max_pages=FIND_POST_PAGES,
            network=NETWORK,
        )
        if found is None:
            return None
        post_id = str(found.get("id") or "")
        if not _post_id(post_id):
            raise unexpected_answer(NETWORK)
        permalink = found.get("permalink_url")
        return PublishedPost(
            post_id, permalink if isinstance(permalink, str) else self._permalink(post_id)
        )

    def delete(self, remote_id: str) -> None:
        """Deletes the post (or the video); one already gone (Meta's 100 / 33) counts as
        deleted."""
        if not _post_id(remote_id):
            raise ValueError("a Facebook post id is <page>_<post> or a number")
        response = self._graph("DELETE", f"/{remote_id}", expected=(200, 400))
        if response.status_code == 400:
            if meta_error(response) == ALREADY_GONE:
                return
            raise self._classify(response, NETWORK)

    # --- publishing ------------------------------------------------------------------------

    def _check_media(self, media: Sequence[OutgoingMedia]) -> None:
        videos = [item for item in media if item.mime_type.startswith("video/")]
        if videos:
            if len(media) > 1:
                raise Rejected(
                    _(
                        "{network} plaatst één video per bericht, zonder foto's erbij. Kies één video, of alleen foto's."
                    ).format(network=NETWORK)
                )
            if videos[0].mime_type not in VIDEO_TYPES:
                raise Rejected(
                    _("Kies een MP4- of MOV-video voor {network}.").format(network=NETWORK)
                )
            return
        refuse_too_many(media, self.profile.max_images, NETWORK)
        for item in media:
            if item.mime_type not in PHOTO_TYPES:
                raise Rejected(
                    _("Kies een foto (JPG, PNG, GIF, BMP of TIFF) voor {network}.").format(
                        network=NETWORK
                    )
                )
            refuse_too_large(item, self.profile.image_max_bytes, NETWORK)
            refuse_long_alt_text(
                item, len(item.alt_text), self.profile.alt_text_limit or 0, NETWORK
            )

    def _publish_feed(self, page: str, post: OutgoingPost) -> PublishedPost:
        """A text (its first web address as the link), or several photos: each uploaded
        unpublished, then attached to one feed post."""
        fields: dict[str, str] = {"message": post.text}
        photos: list[str] = []
        try:
            for item in post.media:
                photos.append(self._upload_photo(page, item, None))
            if photos:
                fields["attached_media"] = json.dumps([{"media_fbid": p} for p in photos])
            elif link := first_link(post.text):
                fields["link"] = link
            response = self._place(f"/{page}/feed", data=fields)
        except UnknownOutcome:
            raise  # the post may hold these photos now
        except ConnectorError:
            # Refused for certain (a duplicate too: the Page's earlier post has its own photos):
            # the unpublished uploads would stay in the Page's library unseen.
            self._discard(photos)
            raise
        post_id = str(json_body(response, dict, NETWORK).get("id") or "")
        if not _post_id(post_id):
            raise accepted_without_answer(NETWORK)
        return PublishedPost(post_id, self._permalink(post_id))

    def _discard(self, photos: list[str]) -> None:
        for photo in photos:
            with contextlib.suppress(ConnectorError):
                self._graph("DELETE", f"/{photo}")

    def _publish_photo(self, page: str, post: OutgoingPost) -> PublishedPost:
        """One photo with the text as its caption: the upload places the post itself."""
        answer = self._upload_photo(page, post.media[0], post.text)
        return PublishedPost(answer, self._permalink(answer))

    def _upload_photo(self, page: str, item: OutgoingMedia, caption: str | None) -> str:
        """Uploads the photo: with `caption` it is published and the post's id comes back;
        without, it stays unpublished (to be attached) and the photo's id comes back."""
        data = read_media(item)
        fields = {"published": "false" if caption is None else "true"}
        if caption is not None:
            fields["caption"] = caption
        if item.alt_text:
            fields["alt_text_custom"] = item.alt_text
        files = {"source": (Path(item.path).name, data, item.mime_type)}
        if caption is None:
            response = self._upload("POST", f"/{page}/photos", data=fields, files=files)
        else:
            response = self._place(f"/{page}/photos", data=fields, files=files)
        body = json_body(response, dict, NETWORK)
        wanted = body.get("id") if caption is None else body.get("post_id")
        if not isinstance(wanted, str | int) or not _post_id(str(wanted)):
            if caption is None:
                raise unexpected_answer(NETWORK)  # an unpublished photo shows nowhere
            raise accepted_without_answer(NETWORK)
        return str(wanted)

    def _publish_video(self, page: str, post: OutgoingPost) -> PublishedPost:
        """The chunked upload: start with the size, send each piece Meta asks for (its
        start_offset to end_offset), finish with the text; the video's id is the post's."""
        item = post.media[0]
        data = read_media(item)
        path = f"/{page}/videos"
        started = json_body(
            self._upload("POST", path, data={"upload_phase": "start", "file_size": str(len(data))}),
            dict,
            NETWORK,
        )
        session, video = started.get("upload_session_id"), started.get("video_id")
        if not isinstance(session, str | int) or not isinstance(video, str | int):
            raise unexpected_answer(NETWORK)
        start, end = _offsets(started)
        self.on_progress(0, len(data))
        while start < end:
            piece = json_body(
                self._upload(
                    "POST",
                    path,
                    data={
                        "upload_phase": "transfer",
                        "upload_session_id": str(session),
                        "start_offset": str(start),
                    },
                    files={"video_file_chunk": ("chunk", data[start:end], item.mime_type)},
                ),
                dict,
                NETWORK,
            )
            next_start, end = _offsets(piece)
            if next_start <= start or next_start > len(data):
                raise unexpected_answer(NETWORK)
            start = next_start
            self.on_progress(start, len(data))
        finished = json_body(
            self._place(
                path,
                data={
                    "upload_phase": "finish",
                    "upload_session_id": str(session),
                    "description": post.text,
                },
            ),
            dict,
            NETWORK,
        )
        if finished.get("success") is not True:
            raise accepted_without_answer(NETWORK)
        return PublishedPost(str(video), self._permalink(str(video)))

    def _permalink(self, node: str) -> str:
        """The post's address. The post is placed already: a failure here must not make the
        outbox send it again, so it falls back to the Page itself."""
        fallback = f"{WEBSITE}/{node.split('_', 1)[0]}"
        try:
            body = json_body(
                self._graph("GET", f"/{node}", params={"fields": "permalink_url"}), dict, NETWORK
            )
        except ConnectorError:
            log.info("permalink of %s not read", node)
            return fallback
        permalink = body.get("permalink_url")
        # Meta gives a video's address as a path on facebook.com
        return urljoin(WEBSITE + "/", permalink) if isinstance(permalink, str) else fallback

    # --- reading posts ---------------------------------------------------------------------

    def _posts(self, since: datetime, max_pages: int) -> Iterator[list[dict]]:
        """The Page's published posts from `since` on, newest first, page by page (Meta's
        cursors, as long as the answer has a `paging.next`)."""
        page = self._page_id()
        params: dict[str, object] = {
            "fields": "id,message,created_time,permalink_url",
            "since": int(since.timestamp()),
            "limit": POSTS_PAGE_SIZE,
        }
        return cursor_pages(
            lambda asked: self._graph("GET", f"/{page}/published_posts", params=asked),
            params,
            max_pages,
            NETWORK,
        )

    # --- sign-in and HTTP ------------------------------------------------------------------

    def _entry(self) -> Mapping[str, Any]:
        return signed_in_entry(self._load, has_sign_in, NETWORK)

    def _page_id(self) -> str:
        return str(self._entry()["page_id"]).strip()

    def _authorization(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._entry()['page_token']}"}

    def _upload(self, method: str, path: str, **kwargs) -> requests.Response:
        """A step before the post is placed (an unpublished photo, a piece of a video): an
        answer that never came leaves nothing on the Page, so it is a plain RetryLater."""
        try:
            return self._graph(method, path, timeout=UPLOAD_TIMEOUT, **kwargs)
        except UnknownOutcome:
            raise RetryLater(
                _(
                    "De verbinding met {network} viel weg tijdens het uploaden. Er is nog niets geplaatst; Postwijs probeert het later opnieuw."
                ).format(network=NETWORK)
            ) from None

    def _place(self, path: str, **kwargs) -> requests.Response:
        """The POST that places the post: a 5xx without Meta's words is an unknown outcome."""
        self._placing_now = True
        try:
            return self._graph("POST", path, timeout=UPLOAD_TIMEOUT, **kwargs)
        finally:
            self._placing_now = False

    def _classify_meta(self, response: requests.Response, network: str) -> ConnectorError:
        return classify_facebook(response, network, self._now())

    def _placing(self, response: requests.Response) -> bool:
        return self._placing_now


def first_link(text: str) -> str:
    """The first web address in the text (Facebook shows it as the post's link preview)."""
    match = _URL.search(text)
    return match.group(0).rstrip(".,;:!?)") if match else ""


def _offsets(body: Mapping[str, Any]) -> tuple[int, int]:
    """Meta's start_offset and end_offset (strings of digits) of the next piece to send."""
    start, end = str(body.get("start_offset", "")), str(body.get("end_offset", ""))
    if not start.isdigit() or not end.isdigit():
        raise unexpected_answer(NETWORK)
    return int(start), int(end)


def _post_id(value: str) -> bool:
    """A Page post's id ("<page id>_<post id>") or a photo's or video's (a number)."""
    return bool(re.fullmatch(r"\d+(?:_\d+)?", value))


def _created(item: dict) -> datetime | None:
    """Meta's times: 2026-12-03T07:00:00+0000."""
    value = item.get("created_time")
    if isinstance(value, str) and re.search(r"[+-]\d{4}$", value):
        value = value[:-2] + ":" + value[-2:]
    return parse_time(value)


# --- the registry's hooks (connectors/__init__.py) ----------------------------------------------


def capabilities_for(options: SignInOptions) -> Capabilities:
    """With the foundation's service Facebook Login runs in the browser; without, IT pastes."""
    if options.koppeldienst_url:
        return replace(FacebookConnector.capabilities, sign_in=SignIn.BROWSER)
    return FacebookConnector.capabilities


def configuration_problem(account: Account, options: SignInOptions) -> str:
    """A Facebook account names its Page id (handle); Facebook Login through the service
    returns to a loopback port both Meta's app and the service list (redirect_port). Every
    missing setting is named, so IT mends them in one go."""
    missing = []
    if not valid_page_id(account.handle):
        missing.append(
            _(
                "Vraag de ICT-beheerder het paginanummer van deze Facebookpagina in de siteconfiguratie te zetten (handle, bijvoorbeeld 104000000000001; te vinden bij Pagina-info op Facebook)."
            )
        )
    if options.koppeldienst_url and not koppeldienst.login_port(account.redirect_port):
        missing.append(
            _(
                "Vraag de ICT-beheerder de terugkeerpoort voor Facebook Login bij dit account in de siteconfiguratie te zetten (redirect_port, bijvoorbeeld 8766), dezelfde als in de Meta-app en de koppeldienst (http://127.0.0.1:8766/callback)."
            )
        )
    return "\n".join(missing)


def has_sign_in(entry: Mapping[str, Any] | None) -> bool:
    return bool(entry and entry.get("page_token") and valid_page_id(entry.get("page_id")))


def connector(access: AccountAccess, options: SignInOptions) -> FacebookConnector | Refusing:
    problem = configuration_problem(access.account, options)
    if problem:
        return Refusing(FACEBOOK, problem, FacebookConnector.capabilities)
    return FacebookConnector(
        vault_entry_of(access),
        version=options.meta_graph_version,
        base_url=options.meta_graph_api,
        on_unauthorized=access.sign_in_needed,
        verify=options.verify,
    )


def sign_in(access: AccountAccess, request: SignInRequest, options: SignInOptions) -> SignedIn:
    """IT pasted a long-lived token: the Page's own token, or a Meta system user's token for a
    user who manages the Page (then the Page's token is read with it). It is checked with Meta
    (the Page's name is read with the Page token) before it goes to the vault. When it ends
    only Meta's debug_token says, through the foundation's service where the site names one."""
    problem = configuration_problem(access.account, options)
    if problem:
        raise Rejected(problem)
    if not request.app_password and options.koppeldienst_url:
        return _sign_in_through_service(access, request, options)
    token = request.app_password.strip()
    if not token or any(c.isspace() for c in token):
        raise Rejected(
            _("Plak de paginasleutel voor de Facebookpagina (één regel, zonder spaties).")
        )
    page = access.account.handle.strip()
    refused = Rejected(
        _(
            "{network} neemt deze sleutel niet aan voor deze pagina. Maak in Meta Bedrijfsbeheer een langlevende sleutel van een systeemgebruiker die de pagina beheert, met de rechten {permissions}, en plak die."
        ).format(network=NETWORK, permissions=PERMISSIONS)
    )
    entry = {"page_id": page, "page_token": token, "expires_at": None, "source": "pasted"}
    with FacebookConnector(
        lambda: entry,
        version=options.meta_graph_version,
        base_url=options.meta_graph_api,
        verify=options.verify,
    ) as checking:
        try:
            me = json_body(
                checking._graph("GET", "/me", params={"fields": "id,name"}), dict, NETWORK
            )
            if str(me.get("id")) != page:
                # A system user's token: the Page's own token is one of the Page's fields.
                node = json_body(
                    checking._graph("GET", f"/{page}", params={"fields": "id,name,access_token"}),
                    dict,
                    NETWORK,
                )
                page_token = node.get("access_token")
                if str(node.get("id")) != page or not isinstance(page_token, str):
                    raise refused
                entry["page_token"] = page_token
            name = checking.who_am_i()
        except (Reconnect, Rejected):
            raise refused from None
    access.vault.write(access.account.id, entry)
    return SignedIn(
        name, note=pasted_token_note(str(entry["page_token"]), options.koppeldienst_url)
    )


def _sign_in_through_service(
    access: AccountAccess, request: SignInRequest, options: SignInOptions
) -> SignedIn:
    """Facebook Login in the system browser (the app id from the foundation's service); the
    code goes to the service, which exchanges it with the app secret for a long-lived user token
    and the Page tokens of the pages on its list the user manages (docs/koppeldienst-api.md).
    The Page token of this account's Page goes to the vault; it has no fixed end."""
    page = access.account.handle.strip()
    meta = mapping(koppeldienst.config(options.koppeldienst_url).get("meta"))
    app_id, version = meta.get("app_id"), meta.get("graph_version") or options.meta_graph_version
    if not isinstance(app_id, str | int) or not app_id or not valid_version(str(version)):
        raise Rejected(
            _(
                "De koppeldienst is niet ingesteld voor Facebook. Vraag de ICT-beheerder het Meta-app-id en -geheim in de koppeldienst te zetten."
            )
        )

    def exchange(code: str, redirect_uri: str) -> Mapping[str, Any]:
        """The service's answer narrowed to this account's Page (its token and expiry)."""
        answer = koppeldienst.exchange_meta(options.koppeldienst_url, code, redirect_uri)
        pages = answer.get("pages")
        for item in pages if isinstance(pages, list) else ():
            if isinstance(item, dict) and str(item.get("id")) == page and item.get("access_token"):
                return item
        raise Rejected(
            _(
                "De pagina {name} zit niet bij de pagina's die je met dit Facebook-account beheert, of staat niet op de lijst van de koppeldienst. Meld aan met een account dat de pagina beheert, of vraag de ICT-beheerder de pagina aan de koppeldienst toe te voegen."
            ).format(name=access.account.name)
        )

    config = ProviderConfig(
        network=NETWORK,
        authorize_url=f"{options.meta_dialog.rstrip('/')}/{version}/dialog/oauth",
        token_url="",
        client_id=str(app_id),
        scopes=tuple(PERMISSIONS.split(", ")),
        fixed_port=koppeldienst.login_port(access.account.redirect_port),
    )
    chosen = koppeldienst.sign_in_in_browser(config, exchange, access.account.id, options, request)
    entry = {
        "page_id": page,
        "page_token": str(chosen["access_token"]),
        "expires_at": chosen.get("expires_at"),
        "source": "koppeldienst",
    }
    with FacebookConnector(
        lambda: entry,
        version=options.meta_graph_version,
        base_url=options.meta_graph_api,
        verify=options.verify,
    ) as checking:
        name = checking.who_am_i()
    access.vault.write(access.account.id, entry)
    # A Page token from a long-lived user token has no end (Meta's access token guide).
    return SignedIn(name, note={"expiresAt": entry["expires_at"] or "never"})


def revoke(access: AccountAccess, options: SignInOptions) -> Revoked:
    """A pasted token is IT's: it leaves the vault here, and IT withdraws it at Meta."""
    access.vault.delete(access.account.id)
    return Revoked(
        False,
        _(
            "Afgemeld op deze computer. De paginasleutel werkt bij {network} nog tot hij verloopt; laat de ICT-beheerder hem intrekken in Meta Bedrijfsbeheer."
        ).format(network=NETWORK),
    )
