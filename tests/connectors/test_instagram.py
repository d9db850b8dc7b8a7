"""Instagram's own ways against its contract server (tests/servers/instagram_server.py) and the
foundation's service as a real process: every photo goes to the service, Instagram's stand-in
fetches it from there, and what the user sees when any step fails. The shared contract suite
(tests/connectors/contract/) covers publishing, find_post, delete and the common errors."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
import requests
from PIL import Image

import connectors
from app.accounts.service import CONNECTED, SIGNED_OUT, AccountService
from app.compose.model import ComposerModel
from app.dutch_time import long_date
from app.networks.connector import (
    OutgoingMedia,
    OutgoingPost,
    Rejected,
    RetryLater,
    UnknownOutcome,
)
from app.publishing import outbox
from app.site.config import DEMO_SITE_FILE, load_site
from app.store import Store
from connectors import SignInOptions, koppeldienst, networks
from connectors.instagram import STATUS_READS, InstagramConnector
from connectors.secrets import SecretStore
from tests.connectors.test_accounts import site_with
from tests.meta_rigs import instagram_service
from tests.servers.instagram_server import InstagramGraphServer, transient

TEXT = "Groep 8 won de #zeskamp! Wat een dag. 🏆"
PUBLISH = ("POST", r"/v26\.0/\d+/media_publish")


def post(text: str = TEXT, media=()) -> OutgoingPost:
    return OutgoingPost("doel-1", "linde", "OBS De Linde", text, media)


def photos(tmp_path, count: int) -> tuple[OutgoingMedia, ...]:
    made = []
    for number in range(count):
        buffer = io.BytesIO()
        Image.new("RGB", (400, 300), (200, 30 * number % 255, 90)).save(buffer, "JPEG")
        path = tmp_path / f"zeskamp-{number}.jpg"
        path.write_bytes(buffer.getvalue())
        made.append(
            OutgoingMedia(str(path), "image/jpeg", f"Foto {number} van de zeskamp.", 400, 300)
        )
    return tuple(made)


@pytest.fixture
def server():
    with InstagramGraphServer() as running:
        yield running


@pytest.fixture
def service(server, tmp_path):
    with instagram_service(server, tmp_path) as running:
        yield running


def instagram(server, service, token: str | None = None, photo_host=None) -> InstagramConnector:
    entry = {
        "ig_user_id": server.ig_user_id,
        "access_token": token or server.issue_token(),
        "expires_at": None,
        "source": "pasted",
    }
    host = photo_host or (
        partial(koppeldienst.host_instagram_photo, service.base_url) if service else None
    )
    return InstagramConnector(
        lambda: entry, photo_host=host, base_url=server.base_url, sleep=lambda seconds: None
    )


def test_a_photo_goes_through_the_service_and_instagram_fetches_it_once(server, service, tmp_path):
    [photo] = photos(tmp_path, 1)
    token = server.issue_token()
    with instagram(server, service, token) as connector:
        published = connector.publish(post(media=(photo,)))

    [media] = server.stored_media()
    assert media.caption == TEXT and media.media_type == "IMAGE"
    assert media.alts == ("Foto 0 van de zeskamp.",)
    assert media.photos == (Path(photo.path).read_bytes(),)  # the very bytes, via the service
    assert [url.startswith(service.base_url + "/p/") for url, _ in server.fetches] == [True]
    assert published == type(published)(media.id, media.permalink)
    assert server.posts_created == 1
    assert token not in service.log.read_text()


def test_two_to_ten_photos_are_one_carousel_with_each_alt_text(server, service, tmp_path):
    several = photos(tmp_path, 3)
    with instagram(server, service) as connector:
        connector.publish(post(media=several))

    [media] = server.stored_media()
    assert media.media_type == "CAROUSEL_ALBUM" and media.caption == TEXT
    assert media.alts == tuple(photo.alt_text for photo in several)
    assert server.posts_created == 1
    with instagram(server, service) as connector, pytest.raises(Rejected) as caught:
        connector.publish(post(media=photos(tmp_path, 11)))
    assert str(caught.value) == "Kies hoogstens 10 foto's: meer neemt Instagram niet aan."


def test_an_expired_photo_url_errors_the_container_and_nothing_is_posted(server, tmp_path):
    """The service keeps a photo for seconds here; Instagram fetches it after that."""
    [photo] = photos(tmp_path, 1)
    with instagram_service(server, tmp_path, photo_minutes=0.01) as service:
        host = partial(koppeldienst.host_instagram_photo, service.base_url)

        def slow_host(*args):
            hosted = host(*args)
            time.sleep(1.0)  # the URL lives 0.6 s
            return hosted

        with (
            instagram(server, service, photo_host=slow_host) as connector,
            pytest.raises(RetryLater) as caught,
        ):
            connector.publish(post(media=(photo,)))

    assert type(caught.value) is RetryLater  # nothing was published: no need to look first
    assert str(caught.value).startswith(
        "Instagram kon de foto niet ophalen bij de koppeldienst (het adres was verlopen of al gebruikt). Er is niets geplaatst;"
    )
    assert [status for _, status in server.fetches] == [404]
    assert server.requests_to(*PUBLISH) == []
    assert server.stored_media() == [] and server.posts_created == 0


def test_without_the_service_instagram_says_why_and_sends_nothing(server, tmp_path):
    with instagram(server, None) as connector, pytest.raises(Rejected) as caught:
        connector.publish(post(media=photos(tmp_path, 1)))

    assert "koppeldienst" in str(caught.value) and "[koppeldienst] url" in str(caught.value)
    assert server.requests == []


def test_a_post_without_a_photo_is_refused_before_any_request(server, service):
    with instagram(server, service) as connector, pytest.raises(Rejected) as caught:
        connector.publish(post())
    assert str(caught.value) == "Voeg een foto toe: Instagram plaatst geen bericht zonder foto."
    assert server.requests == []


def test_the_publishing_limit_is_read_first_and_says_when_it_frees_up(server, service, tmp_path):
    server.quota_total = 2
    oldest = (datetime.now(UTC) - timedelta(hours=20)).replace(microsecond=0)
    server.add_media("Ochtend", oldest)
    server.add_media("Middag", datetime.now(UTC) - timedelta(hours=2))
    server.add_media("Eergisteren", datetime.now(UTC) - timedelta(hours=50))

    with instagram(server, service) as connector, pytest.raises(RetryLater) as caught:
        connector.publish(post(media=photos(tmp_path, 1)))

    assert caught.value.not_before == oldest + timedelta(hours=24)
    assert "al 2 berichten" in str(caught.value)
    assert server.fetches == [] and server.containers == {}  # nothing uploaded
    assert server.posts_created == 0


def test_a_container_that_stays_in_progress_is_retried_later_without_posting(
    server, service, tmp_path
):
    server.in_progress_reads = 1000
    with instagram(server, service) as connector, pytest.raises(RetryLater) as caught:
        connector.publish(post(media=photos(tmp_path, 1)))

    assert type(caught.value) is RetryLater
    assert str(caught.value).startswith(
        "Instagram is nog bezig met de foto of video. Er is niets geplaatst"
    )
    reads = [
        r
        for r in server.requests_to("GET", r"/v26\.0/\d+")
        if "status_code" in r.query["fields"][0]
    ]
    assert len(reads) == STATUS_READS
    assert server.requests_to(*PUBLISH) == [] and server.posts_created == 0


UPLOAD = ("POST", r"/ig-api-upload/v26\.0/\d+")
VIDEO_SIZE = 700_000  # several of the blocks requests sends a body in


def video(
    tmp_path, head: bytes = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
) -> OutgoingMedia:
    """A file that starts as an MP4 does; the rest differs per byte, so a part sent twice or
    left out shows in what Instagram stored."""
    path = tmp_path / "optreden.mp4"
    path.write_bytes(head + bytes(i % 251 for i in range(VIDEO_SIZE - len(head))))
    return OutgoingMedia(str(path), "video/mp4", "", 1080, 1920)


def video_connector(server, token: str | None = None, progress: list | None = None):
    connector = instagram(server, None, token)
    if progress is not None:
        connector.on_progress = lambda sent, total: progress.append((sent, total))
    return connector


def test_a_video_is_a_reel_sent_from_the_file_itself(server, tmp_path):
    """The resumable upload needs no public address: no service either."""
    server.in_progress_reads = 3
    clip = video(tmp_path)
    token = server.issue_token()
    progress: list[tuple[int, int]] = []
    with video_connector(server, token, progress) as connector:
        published = connector.publish(post(media=(clip,)))

    [media] = server.stored_media()
    assert media.media_type == "VIDEO" and media.caption == TEXT
    assert media.photos == (Path(clip.path).read_bytes(),)
    assert published.url == media.permalink and server.posts_created == 1
    [container] = server.requests_to("POST", r"/v26\.0/\d+/media")
    assert (container.fields["media_type"], container.fields["upload_type"]) == (
        "REELS",
        "resumable",
    )
    [upload] = server.requests_to(*UPLOAD)
    assert upload.header("authorization") == f"OAuth {token}"
    assert (upload.header("offset"), upload.header("file_size")) == ("0", str(VIDEO_SIZE))
    assert server.fetches == []
    # The progress bar: from nothing to the whole file, never backwards.
    assert progress[0] == (0, VIDEO_SIZE) and progress[-1] == (VIDEO_SIZE, VIDEO_SIZE)
    assert len(progress) > 3 and [s for s, _ in progress] == sorted(s for s, _ in progress)


def test_a_drop_mid_upload_sends_the_whole_video_again_to_a_new_container_and_posts_once(
    server, tmp_path
):
    """Meta's guide gives no way to read how much of an upload arrived: after the wifi drops
    mid-upload the file goes again from byte 0, to a new container, and only that one is
    published."""
    clip = video(tmp_path)
    server.cut_upload_after(300_000)
    progress: list[tuple[int, int]] = []
    with video_connector(server, progress=progress) as connector:
        published = connector.publish(post(media=(clip,)))

    [media] = server.stored_media()
    assert media.photos == (Path(clip.path).read_bytes(),)  # the whole file once, in order
    assert published.remote_id == media.id and server.posts_created == 1
    first, second = server.requests_to(*UPLOAD)
    assert first.status == 0  # the connection dropped without an answer
    assert first.path != second.path  # a new container's upload address
    assert (second.header("offset"), second.header("file_size")) == ("0", str(VIDEO_SIZE))
    assert len(second.body) == VIDEO_SIZE
    assert len(server.requests_to("POST", r"/v26\.0/\d+/media")) == 2
    [publish] = server.requests_to(*PUBLISH)
    assert publish.fields["creation_id"] == second.path.rsplit("/", 1)[1]
    assert server.requests_to("GET", r"/ig-api-upload/v26\.0/\d+") == []
    # The bar goes back to nothing when the file starts over, then to the whole file.
    assert (0, VIDEO_SIZE) in progress[1:] and progress[-1] == (VIDEO_SIZE, VIDEO_SIZE)


def test_an_upload_that_keeps_failing_is_retried_later_and_nothing_posted(server, tmp_path):
    clip = video(tmp_path)
    for _ in range(10):
        server.fail_next(*UPLOAD, *transient())
    with video_connector(server) as connector, pytest.raises(RetryLater) as caught:
        connector.publish(post(media=(clip,)))
    assert str(caught.value) == (
        "Het uploaden van de video naar Instagram lukt nu niet. Er is niets geplaatst; "
        "Postwijs probeert het later opnieuw."
    )
    assert server.requests_to(*PUBLISH) == [] and server.posts_created == 0


@pytest.mark.parametrize(
    "head, processing_fails",
    [(b"geen video", False), (b"\x00\x00\x00\x18ftypisom", True)],
    ids=["not-a-video", "meta-cannot-process"],
)
def test_a_video_meta_ends_in_error_is_refused_and_nothing_posted(
    server, tmp_path, head, processing_fails
):
    server.processing_fails = processing_fails
    with video_connector(server) as connector, pytest.raises(Rejected) as caught:
        connector.publish(post(media=(video(tmp_path, head),)))
    assert str(caught.value) == (
        "Instagram kon de video niet verwerken. Er is niets geplaatst; kies een andere video (MP4)."
    )
    assert server.requests_to(*PUBLISH) == [] and server.posts_created == 0


def test_a_video_goes_alone(server, service, tmp_path):
    with instagram(server, service) as connector, pytest.raises(Rejected) as caught:
        connector.publish(post(media=(video(tmp_path), *photos(tmp_path, 1))))
    assert "Kies één video, of alleen foto's" in str(caught.value)
    assert server.requests == []


def test_a_retry_after_a_dropped_publish_does_not_post_twice(server, service, tmp_path, data_dir):
    """The outbox itself: media_publish went through but its answer never came."""
    site = site_with(tmp_path, instagram_account(server))
    model = ComposerModel(site)
    model.set_school("kleine-wereld")
    for account in model.accounts():
        model.set_account(account.id, account.id == "kw-instagram")
    model.set_text(TEXT)
    store = Store.open(data_dir)
    job = outbox.submit(
        store, model.draft, model.variants(), media={"kw-instagram": list(photos(tmp_path, 1))}
    )
    connector = instagram(server, service)
    server.drop_connection_after(*PUBLISH)

    [first] = outbox.send(store, job, lambda account_id: connector)
    later = datetime.now(UTC) + timedelta(hours=1)
    [second] = outbox.send(store, job, lambda account_id: connector, now=later)

    assert first.state == outbox.WAITING
    assert second.state == outbox.POSTED
    assert server.posts_created == 1 and len(server.stored_media()) == 1
    assert second.remote_id == server.stored_media()[0].id
    store.close()


def test_a_transient_fault_on_publish_is_retry_later_and_a_proxy_fault_is_unknown(
    server, service, tmp_path
):
    with instagram(server, service) as connector:
        server.fail_next(*PUBLISH, *transient())
        with pytest.raises(RetryLater) as meta_fault:
            connector.publish(post(media=photos(tmp_path, 1)))
        server.fail_next(*PUBLISH, 502, b"<html>Bad Gateway</html>")
        with pytest.raises(UnknownOutcome) as proxy_fault:
            connector.publish(post(media=photos(tmp_path, 1)))

    assert type(meta_fault.value) is RetryLater
    assert "Instagram heeft een storing" in str(meta_fault.value)
    assert "kijkt eerst of het bericht al geplaatst is" in str(proxy_fault.value)
    assert server.posts_created == 0


# --- the pasted token on the Accounts page's service, with the real Secret Service -----------


def instagram_account(server: InstagramGraphServer, handle: str | None = None) -> str:
    return f"""
[[schools.accounts]]
id = "kw-instagram"
network = "instagram"
name = "Instagram De Kleine Wereld"
kind = "official"
handle = "{server.ig_user_id if handle is None else handle}"
"""


@pytest.fixture
def vault(secret_service):
    yield SecretStore()
    SecretStore().delete("kw-instagram")


def options(server, service) -> SignInOptions:
    return SignInOptions(
        meta_graph_api=server.base_url,
        instagram_photo_host=partial(koppeldienst.host_instagram_photo, service.base_url),
    )


def test_a_pasted_token_is_checked_with_meta_kept_in_the_vault_and_used(
    server, service, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, instagram_account(server))
    account = site.account("kw-instagram")
    accounts = AccountService(vault, data_dir, networks(options(server, service)))
    token = server.issue_token()
    assert accounts.status(store, account).connection == SIGNED_OUT
    connected = accounts.connect(store, account, "ict", app_password=f"  {token}\n")

    assert "@obsdelinde" in connected.message
    status = accounts.status(store, account)
    assert status.connection == CONNECTED and status.connected_as == "@obsdelinde"
    assert vault.read("kw-instagram")["access_token"] == token
    [check] = server.requests_to("GET", rf"/v26\.0/{server.ig_user_id}")
    assert check.query["fields"] == ["id,username"]
    published = accounts.connector_for(account).publish(post(media=photos(tmp_path, 1)))
    assert [m.id for m in server.stored_media()] == [published.remote_id]


def test_with_the_service_a_pasted_tokens_end_is_read_from_meta_and_shown(
    server, service, vault, store, data_dir, tmp_path
):
    account = site_with(tmp_path, instagram_account(server)).account("kw-instagram")
    with_service = replace(options(server, service), koppeldienst_url=service.base_url)
    accounts = AccountService(vault, data_dir, networks(with_service))
    accounts.connect(store, account, "ict", app_password=server.issue_token())
    assert accounts.status(store, account).note == "Het token verloopt niet."

    token = server.issue_token()
    ends = datetime.now(UTC) + timedelta(days=40)
    server.token_ends[token] = int(ends.timestamp())
    accounts.connect(store, account, "ict", app_password=token)
    status = accounts.status(store, account)
    assert status.note == f"Het token is geldig tot {long_date(ends)}."
    assert not status.renew_soon
    assert token not in service.log.read_text() and token not in str(
        vault.read("kw-instagram")["postwijs"]
    )


def test_the_service_tells_no_end_of_a_token_meta_does_not_know_or_without_one(server, service):
    url = service.base_url + "/v1/meta/token-expiry"
    for headers in ({"Authorization": "Bearer EAAGgeen-echt-token"}, {}):
        answer = requests.post(url, headers=headers, timeout=10)
        assert answer.status_code == 401
        assert answer.json()["error"]["kind"] == "reconnect"
    assert "EAAGgeen-echt-token" not in service.log.read_text()


def test_a_wrong_pasted_token_is_refused_and_not_kept(
    server, service, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, instagram_account(server))
    account = site.account("kw-instagram")
    accounts = AccountService(vault, data_dir, networks(options(server, service)))
    with pytest.raises(Rejected) as caught:
        accounts.connect(store, account, "ict", app_password="EAAGgeen-echt-token")

    assert str(caught.value).startswith("Instagram neemt dit token niet aan")
    assert "EAAGgeen-echt-token" not in str(caught.value)
    assert vault.read("kw-instagram") is None


def test_the_accounts_page_says_what_it_must_configure(server, vault, store, data_dir, tmp_path):
    without_id = site_with(tmp_path, instagram_account(server, handle="@obsdelinde"))
    no_id = AccountService(vault, data_dir, networks(SignInOptions())).status(
        store, without_id.account("kw-instagram")
    )
    site = site_with(tmp_path, instagram_account(server))
    no_service = AccountService(vault, data_dir, networks(connectors.options_for(site))).status(
        store, site.account("kw-instagram")
    )

    assert no_id.connection == SIGNED_OUT
    assert no_id.note.startswith("De ICT-beheerder moet Instagram nog instellen voor Postwijs.")
    assert "Instagram-gebruikersnummer" in no_id.configuration_problem
    assert "handle" in no_id.configuration_problem
    assert no_service.connection == SIGNED_OUT
    assert "[koppeldienst] url" in no_service.configuration_problem
    with pytest.raises(Rejected) as caught:
        AccountService(vault, data_dir, networks(connectors.options_for(site))).connect(
            store, site.account("kw-instagram"), "ict", app_password=server.issue_token()
        )
    assert "[koppeldienst] url" in str(caught.value)
    assert vault.read("kw-instagram") is None


def test_the_sites_service_hosts_instagrams_photos():
    site = replace(load_site(DEMO_SITE_FILE), koppeldienst_url="https://kd.scoh.nl")
    host = connectors.options_for(site).instagram_photo_host
    assert host is not None and host.args == ("https://kd.scoh.nl",)
