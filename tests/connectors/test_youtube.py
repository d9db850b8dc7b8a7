"""The YouTube connector against the YouTube contract server (held to Google's discovery document):
sign-in through Google's installed-app flow, the resumable upload with its resume after a dropped
connection and after a restart, reading our uploads back, delete, and Google's quota errors."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from app.dutch_time import long_moment
from app.networks.connector import (
    OutgoingMedia,
    OutgoingPost,
    Reconnect,
    Rejected,
    RetryLater,
    UnknownOutcome,
)
from connectors.secrets import SecretStore
from connectors.youtube import (
    CHUNK_GRANULARITY,
    GoogleOAuthClient,
    UploadSessionFile,
    YouTubeConnector,
    YouTubePolicy,
    provider_config,
)
from tests.servers.youtube_server import YouTubeServer

UPLOAD_PATH = r"/upload/youtube/v3/videos"


class Browser:
    """The system browser: follows Google's consent redirect back to Postwijs's loopback port."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 20}).start()
        return True


@pytest.fixture
def server():
    # Plain http on 127.0.0.1: the sign-in allows it for loopback addresses only.
    with YouTubeServer() as made:
        yield made


@pytest.fixture
def store(secret_service) -> SecretStore:
    return SecretStore()


def client_for(server: YouTubeServer, store: SecretStore, key: str) -> GoogleOAuthClient:
    config = provider_config(
        server.client_id,
        authorize_url=server.base_url + "/o/oauth2/v2/auth",
        token_url=server.base_url + "/token",
        revoke_url=server.base_url + "/revoke",
    )
    return GoogleOAuthClient(config, store, key, open_browser=Browser())


@pytest.fixture
def signed_in(server, store):
    """A connector signed in through the real installed-app flow; its account key."""
    key = f"youtube-{uuid.uuid4()}"
    made = []

    def build(**kwargs) -> YouTubeConnector:
        connector = YouTubeConnector(
            client_for(server, store, key), api_base=server.base_url, **kwargs
        )
        made.append(connector)
        return connector

    connector = build()
    assert connector.connect() == "@obsderegenboog"
    yield connector, build
    for each in made:
        each.close()
    store.delete(key)


def video(tmp_path, size: int) -> OutgoingMedia:
    path = tmp_path / f"video-{size}.mp4"
    path.write_bytes(bytes(i % 251 for i in range(size)))
    return OutgoingMedia(str(path), "video/mp4")


def post_with(media, title="Sportdag 2026", text="De sportdag van groep 5.") -> OutgoingPost:
    return OutgoingPost(
        str(uuid.uuid4()), "youtube-1", "OBS De Regenboog", text, tuple(media), title=title
    )


SIZE = 3 * CHUNK_GRANULARITY + 1234  # three full chunks of 256 KiB and a tail


def test_sign_in_upload_read_back_and_delete(server, signed_in, tmp_path):
    connector, build = signed_in
    progress: list[tuple[int, int]] = []
    connector = build(
        chunk_size=CHUNK_GRANULARITY,
        on_progress=lambda sent, total: progress.append((sent, total)),
        policy=YouTubePolicy(made_for_kids=True, privacy="private"),
    )
    media = video(tmp_path, SIZE)
    post = post_with([media])
    published = connector.publish(post)
    stored = server.videos[published.remote_id]
    assert stored.data == Path(media.path).read_bytes()
    assert stored.snippet["title"] == "Sportdag 2026"
    assert stored.snippet["description"] == "De sportdag van groep 5."
    assert stored.status["selfDeclaredMadeForKids"] is True
    assert stored.status["privacyStatus"] == "private"
    assert stored.status["containsSyntheticMedia"] is False
    assert published.url == f"https://www.youtube.com/watch?v={published.remote_id}"
    assert [sent for sent, _ in progress] == [
        0,
        *range(CHUNK_GRANULARITY, SIZE, CHUNK_GRANULARITY),
        SIZE,
    ]
    assert len(server.requests_to("PUT", UPLOAD_PATH)) == 4
    # Read back from the first attempt's moment through the uploads playlist.
    since = datetime.now(UTC) - timedelta(minutes=1)
    assert connector.find_post(post, since) == published
    assert connector.find_post(post_with([media], title="Iets anders"), since) is None
    connector.delete(published.remote_id)
    assert server.videos[published.remote_id].deleted
    connector.delete(published.remote_id)  # already gone: no error
    assert connector.find_post(post, since) is None
    server.check_deviations()


def test_a_dropped_chunk_is_resumed_from_what_arrived_and_posted_once(server, signed_in, tmp_path):
    connector, build = signed_in
    connector = build(chunk_size=CHUNK_GRANULARITY)
    media = video(tmp_path, SIZE)
    server.drop_connection_after("PUT", UPLOAD_PATH)
    published = connector.publish(post_with([media]))
    assert server.videos[published.remote_id].data == Path(media.path).read_bytes()
    asked = [
        r
        for r in server.requests_to("PUT", UPLOAD_PATH)
        if r.header("content-range").startswith("bytes */")
    ]
    assert len(asked) == 1
    assert len(server.stored_videos()) == 1
    server.check_deviations()


def test_an_upload_goes_on_after_a_restart_of_the_app(server, signed_in, tmp_path):
    _connector, build = signed_in
    sessions_file = tmp_path / "data" / "youtube-uploads.json"
    media = video(tmp_path, SIZE)
    post = post_with([media])

    def fail_after_first_chunk(sent: int, total: int) -> None:
        # After the first chunk YouTube has a fault, for the next chunk and the status query.
        if sent == CHUNK_GRANULARITY:
            for _ in range(2):
                server.fail_next("PUT", UPLOAD_PATH, *server.fault(503)[:2])

    first = build(
        chunk_size=CHUNK_GRANULARITY,
        sessions=UploadSessionFile(sessions_file),
        on_progress=fail_after_first_chunk,
    )
    with pytest.raises(RetryLater):
        first.publish(post)
    first.close()
    assert server.stored_videos() == []
    assert token_free(sessions_file.read_text(), server)
    # A new run: a new connector, the session from the file; no new session is opened.
    second = build(chunk_size=CHUNK_GRANULARITY, sessions=UploadSessionFile(sessions_file))
    starts_before = len(server.requests_to("POST", UPLOAD_PATH))
    published = second.publish(post)
    assert len(server.requests_to("POST", UPLOAD_PATH)) == starts_before
    assert server.videos[published.remote_id].data == Path(media.path).read_bytes()
    assert UploadSessionFile(sessions_file).get(post.client_key) is None
    # Sending again after it finished: the session answers with the same video.
    assert len(server.stored_videos()) == 1


def token_free(text: str, server: YouTubeServer) -> bool:
    return not any(t.access in text or (t.refresh or "") in text for t in server.tokens.values())


def test_quota_and_upload_limit_are_retry_later_24_hours_on_in_dutch(server, signed_in, tmp_path):
    connector, _ = signed_in
    media = video(tmp_path, SIZE)
    server.limit_uploads(True)
    before = datetime.now(UTC)
    with pytest.raises(RetryLater) as limited:
        connector.publish(post_with([media]))
    assert limited.value.not_before >= before + timedelta(hours=24)
    assert "vandaag geen video's meer" in str(limited.value)
    assert long_moment(limited.value.not_before) in str(limited.value)
    server.limit_uploads(False)
    server.rate_limit(datetime.now(UTC) + timedelta(hours=1))
    with pytest.raises(RetryLater) as quota:
        connector.publish(post_with([media]))
    assert "quotum" in str(quota.value)
    assert quota.value.not_before >= before + timedelta(hours=24)
    assert long_moment(quota.value.not_before) in str(quota.value)
    server.rate_limit(None)
    assert server.stored_videos() == []
    server.check_deviations()


def test_a_youtube_post_needs_exactly_one_video_and_a_clean_title(server, signed_in, tmp_path):
    connector, _ = signed_in
    one = video(tmp_path, SIZE)
    with pytest.raises(Rejected, match="precies één video"):
        connector.publish(post_with([]))
    with pytest.raises(Rejected, match="precies één video"):
        connector.publish(post_with([one, one]))
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(b"\xff\xd8\xff")
    with pytest.raises(Rejected, match="precies één video"):
        connector.publish(post_with([OutgoingMedia(str(photo), "image/jpeg")]))
    # A title with < > and over 100 characters is cleaned and cut, never refused by Google.
    published = connector.publish(post_with([one], title="<Sportdag> " + "x" * 120))
    title = server.videos[published.remote_id].snippet["title"]
    assert "<" not in title and ">" not in title and len(title) == 100
    server.check_deviations()


def test_an_expired_refresh_token_of_an_app_in_testing_says_what_it_can_do(
    server, signed_in, tmp_path
):
    connector, _ = signed_in
    server.advance(8 * 24 * 3600)  # the access token and the 7-day refresh token are gone
    with pytest.raises(Reconnect) as expired:
        connector.publish(post_with([video(tmp_path, SIZE)]))
    message = str(expired.value)
    assert "7 dagen" in message and "Testing" in message and "In production" in message
    assert server.stored_videos() == []


def test_a_connection_dropped_while_opening_the_session_is_a_plain_retry_later(
    server, signed_in, tmp_path
):
    """No byte of the video went up before the session's Location came back, so no video can
    exist at YouTube: a plain wait-and-retry, not an unknown outcome to settle."""
    connector, _ = signed_in
    post = post_with([video(tmp_path, SIZE)])
    server.drop_connection_after("POST", UPLOAD_PATH)
    with pytest.raises(RetryLater) as dropped:
        connector.publish(post)
    assert not isinstance(dropped.value, UnknownOutcome)
    assert "kijkt eerst" not in str(dropped.value)
    assert "probeert het later opnieuw" in str(dropped.value)
    assert server.requests_to("PUT", UPLOAD_PATH) == []  # no byte of the video went up
    assert connector.publish(post).remote_id in server.videos
    assert len(server.stored_videos()) == 1


def test_a_connection_dropped_after_the_last_chunk_stays_an_unknown_outcome(
    server, signed_in, tmp_path
):
    """The last chunk may have completed the video: with the status query lost as well,
    nobody knows, and the outbox looks before it sends again."""
    _, build = signed_in
    media = video(tmp_path, SIZE)

    def drop_the_last_chunk_and_the_question(sent: int, total: int) -> None:
        if sent == 3 * CHUNK_GRANULARITY:  # what is left is the tail: the last chunk
            server.drop_connection_after("PUT", UPLOAD_PATH, times=2)

    connector = build(
        chunk_size=CHUNK_GRANULARITY, on_progress=drop_the_last_chunk_and_the_question
    )
    post = post_with([media])
    with pytest.raises(UnknownOutcome):
        connector.publish(post)
    (stored,) = server.stored_videos()
    assert stored.data == Path(media.path).read_bytes()


YOUTUBE_ACCOUNT = """
[[schools.accounts]]
id = "kw-youtube"
network = "youtube"
name = "YouTube De Kleine Wereld"
kind = "official"
client_id = "{client_id}"
"""


def test_the_outbox_retries_a_session_that_dropped_while_opening_and_posts_once(
    server, signed_in, tmp_path, data_dir
):
    from app.compose.model import ComposerModel
    from app.publishing import outbox
    from app.store import Store
    from tests.connectors.test_accounts import site_with

    site = site_with(tmp_path, YOUTUBE_ACCOUNT.format(client_id=server.client_id))
    _, build = signed_in
    connector = build(chunk_size=CHUNK_GRANULARITY)
    model = ComposerModel(site)
    model.set_school("kleine-wereld")
    for account in model.accounts():
        model.set_account(account.id, account.id == "kw-youtube")
    model.set_text("De sportdag van groep 5.")
    model.draft.title = "Sportdag 2026"
    media = {"kw-youtube": [video(tmp_path, SIZE)]}
    store = Store.open(data_dir)
    try:
        job = outbox.submit(store, model.draft, model.variants(), media=media)
        server.drop_connection_after("POST", UPLOAD_PATH)
        (waiting,) = outbox.send(store, job, lambda _account_id: connector)
        assert waiting.state == outbox.WAITING
        assert "kijkt eerst" not in (waiting.error or "")
        assert server.stored_videos() == []

        later = datetime.now(UTC) + timedelta(hours=2)
        (posted,) = outbox.send(store, job, lambda _account_id: connector, now=later)
        assert posted.state == outbox.POSTED
        (stored,) = server.stored_videos()
        assert posted.remote_id == stored.id
        assert stored.data == Path(media["kw-youtube"][0].path).read_bytes()
        # Nothing more goes out when the outbox runs again.
        assert outbox.send(store, job, lambda _account_id: connector, now=later)[0].state == (
            outbox.POSTED
        )
        assert len(server.stored_videos()) == 1
    finally:
        store.close()
    server.check_deviations()


def test_without_a_client_id_the_account_says_what_it_must_configure(tmp_path):
    from app.networks.registry import AccountAccess
    from app.site.config import Account
    from connectors import networks

    entry = networks()["youtube"]
    account = Account("yt", "regenboog", "youtube", "OBS De Regenboog", "official")
    problem = entry.configuration_problem(account)
    assert "client-ID" in problem and "Desktop-app" in problem and "client_id" in problem
    access = AccountAccess(account, SecretStore(), tmp_path, lambda: {}, lambda: None)
    with pytest.raises(Rejected, match="client-ID"):
        entry.connector(access).publish(post_with([video(tmp_path, SIZE)]))
    configured = Account("yt", "regenboog", "youtube", "OBS", "official", client_id="x.apps")
    assert entry.configuration_problem(configured) == ""


# --- the friend audit: the channel's subscriptions (Communiceren 11) --------------------------


def test_list_follows_pages_through_every_subscription_by_handle_or_channel_id(server, signed_in):
    connector, _ = signed_in
    # More than one page of 50 subscriptions, and so more than one batch of handles.
    channels = [
        server.subscribe(f"Kanaal {n}", handle=f"@kanaal{n}" if n % 3 else None) for n in range(57)
    ]

    follows = connector.list_follows()

    newest_first = list(reversed(channels))
    assert follows == [c.handle or c.id for c in newest_first]
    assert connector.capabilities.list_follows
    assert len(server.requests_to("GET", r"/youtube/v3/subscriptions")) == 2
    assert len(server.requests_to("GET", r"/youtube/v3/channels")) == 1 + 2  # ours, two batches


def test_the_friend_audit_finds_a_pupils_channel_among_the_subscriptions(
    server, signed_in, store, tmp_path
):
    from dataclasses import replace

    from app.accounts.service import AccountService
    from app.networks.registry import AccountAccess
    from app.rules.model import RegisterPerson
    from app.site.config import Account
    from connectors import networks

    connector, _ = signed_in
    key = connector.client.account_key
    server.subscribe("NOS Jeugdjournaal", handle="@jeugdjournaal")
    sem = server.subscribe("Sem vlogt", handle="@sem_vlogt")
    lotte = server.subscribe("Lotte")  # a channel without a handle: known by its id
    # A channel with a handle whose pupil the school wrote down by the channel's address.
    daan = server.subscribe("Daan gamet", handle="@daan_gamet")

    def reaching_the_server(access: AccountAccess) -> YouTubeConnector:
        return YouTubeConnector(
            client_for(server, access.vault, access.account.id), api_base=server.base_url
        )

    registry = networks()
    registry["youtube"] = replace(registry["youtube"], connector=reaching_the_server)
    service = AccountService(store, tmp_path, registry)
    account = Account(
        key, "regenboog", "youtube", "OBS De Regenboog", "official", client_id=server.client_id
    )

    def pupil(person_id: str, name: str, handle: str, role: str = "pupil") -> RegisterPerson:
        first, last = name.split(" ")
        return RegisterPerson(
            person_id, first, last, role, "regenboog", handles={"youtube": handle}
        )

    people = [
        pupil("p1", "Sem Jansen", "https://www.youtube.com/@Sem_Vlogt"),
        pupil("p2", "Lotte Visser", f"youtube.com/channel/{lotte.id}"),
        pupil("p3", "Noor Bakker", "@noor_speelt"),  # not followed
        pupil("p4", "Daan Mulder", f"https://www.youtube.com/channel/{daan.id}"),
        pupil("s1", "Anna Smit", "@jeugdjournaal", role="staff"),  # a colleague may follow
    ]

    audit = service.friend_audit(account, people)

    assert audit.supported and audit.followed == 4 and audit.pupils_with_handle == 4
    # Daan's channel is listed by its handle, the name unfollow takes, though the school knew
    # it by its id.
    assert sorted((m.followed, m.person_name) for m in audit.matches) == sorted(
        [("@sem_vlogt", "Sem Jansen"), (lotte.id, "Lotte Visser"), ("@daan_gamet", "Daan Mulder")]
    )
    assert audit.article == "Communiceren 11"
    assert "3 leerlingen" in audit.message
    assert sem.handle == "@sem_vlogt"


# --- the site's policy for the channel's videos -----------------------------------------------


@pytest.mark.parametrize(
    ("settings", "privacy", "made_for_kids"),
    [
        ("", "unlisted", True),  # school videos: made for kids, only with the link
        ('privacy = "public"\nmade_for_kids = "nee"\n', "public", False),
        ('privacy = "private"\n', "private", True),
    ],
)
def test_the_site_files_privacy_and_made_for_kids_reach_the_stored_upload(
    server, signed_in, tmp_path, settings, privacy, made_for_kids
):
    from app.site.config import DEMO_SITE_FILE, load_site
    from connectors.youtube import policy_of

    site_file = tmp_path / "site.toml"
    site_file.write_text(
        DEMO_SITE_FILE.read_text(encoding="utf-8")
        + f"""
[[schools.accounts]]
id = "kw-youtube"
network = "youtube"
name = "YouTube De Kleine Wereld"
kind = "official"
client_id = "{server.client_id}"
{settings}""",
        encoding="utf-8",
    )
    account = load_site(site_file).account("kw-youtube")
    _, build = signed_in
    connector = build(policy=policy_of(account))

    published = connector.publish(post_with([video(tmp_path, SIZE)]))

    stored = server.videos[published.remote_id].status
    assert stored["privacyStatus"] == privacy
    assert stored["selfDeclaredMadeForKids"] is made_for_kids
    [upload] = server.requests_to("POST", UPLOAD_PATH)
    assert upload.fields["status"]["privacyStatus"] == privacy


def test_the_authors_ai_declaration_goes_from_the_draft_through_the_outbox_to_youtube(
    server, signed_in, tmp_path
):
    """The author ticks the AI declaration in a draft with a video for YouTube; the draft is
    saved and reopened, goes into the outbox, Postwijs restarts before sending, and the upload
    still tells YouTube the video holds realistic AI-made images or sound. The history records
    what was declared, and Geschiedenis reads it back."""
    from app.compose import drafts
    from app.compose.model import ComposerModel
    from app.compose.post import MediaItem
    from app.compose.variants import build_variants
    from app.history import chain as history
    from app.media.jobs import prepare_for_targets
    from app.publishing import outbox, post_log
    from app.site.config import load_site
    from app.store import Store
    from tests.app.test_media_video import make_video
    from tests.gui.eight_accounts import write_site

    account = "regenboog-youtube-6"
    site = load_site(write_site(tmp_path))
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    model = ComposerModel(site)
    for chosen in list(model.draft.account_ids):
        model.set_account(chosen, False)
    model.set_account(account, True)
    model.set_text("De musical van groep 8, met een decor dat de kinderen met AI ontwierpen.")
    model.set_title("Musical groep 8")
    assert not model.asks_synthetic_media()  # no video yet: nothing to declare
    clip = make_video(tmp_path / "musical.mp4", size="320x240")
    model.draft.media = [MediaItem(str(clip), kind="video", no_recognisable_people=True)]
    assert model.asks_synthetic_media()
    model.set_synthetic_media(True)
    assert model.declarations() == {
        account: "Aan YouTube gemeld: deze video is met AI gemaakt of veranderd."
    }

    store = Store.open(data_dir)
    drafts.save(store, model.draft)
    store.close()
    store = Store.open(data_dir)
    reopened, _review = drafts.latest(store, model.draft.author_id)
    assert reopened.synthetic_media is True
    variants = build_variants(reopened, site)
    media = prepare_for_targets(reopened, variants, data_dir / "prepared")
    job_id = outbox.submit(store, reopened, variants, media=media)
    store.close()  # Postwijs closed before the job was sent: it goes out after the restart

    store = Store.open(data_dir)
    _signed_in_first, build = signed_in
    uploading = build(chunk_size=CHUNK_GRANULARITY)
    (target,) = outbox.send(store, job_id, lambda _account_id: uploading, {})
    assert target.state == outbox.POSTED, target.error
    stored = server.videos[target.remote_id]
    assert stored.status["containsSyntheticMedia"] is True
    assert stored.snippet["title"] == "Musical groep 8"
    (event,) = history.events(store, "published")
    assert event.data["synthetic_media"] is True
    assert history.verify(store).intact
    (row,) = post_log.search(store)
    assert row.synthetic_media == {target.id: True}
    store.close()
