"""Facebook Pages' own ways against its contract server (tests/servers/facebook_server.py, held
to Meta's node descriptions): photos, several photos in one post, alt text, the chunked video
upload with its progress, every Meta error code the outbox must tell apart, a duplicate (506)
that is our own post, find_post over several pages, and the pasted sign-in. The shared contract
suite (tests/connectors/contract/) covers publishing, find_post, delete and the common errors."""

from __future__ import annotations

import io
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image

import connectors
from app.accounts.service import CONNECTED, SIGNED_OUT, AccountService
from app.dutch_time import long_date
from app.networks.connector import (
    OutgoingMedia,
    OutgoingPost,
    Reconnect,
    Rejected,
    RetryLater,
    SignIn,
    UnknownOutcome,
)
from app.site.config import SiteConfigError
from connectors import SignInOptions, networks
from connectors.facebook import FacebookConnector
from connectors.oauth import SignInFailed
from connectors.secrets import SecretStore
from tests.app.test_media_video import make_video
from tests.connectors.test_accounts import site_with
from tests.meta_rigs import facebook_service
from tests.servers.facebook_server import FacebookGraphServer
from tests.servers.koppeldienst_process import free_port

TEXT = "Groep 8 won de zeskamp! Wat een dag. 🏆"
FEED = ("POST", r"/v26\.0/\d+/feed")
PHOTOS = ("POST", r"/v26\.0/\d+/photos")


def post(text: str = TEXT, media=()) -> OutgoingPost:
    return OutgoingPost("doel-1", "linde", "OBS De Linde", text, media)


def photos(tmp_path, count: int, kind: str = "JPEG") -> tuple[OutgoingMedia, ...]:
    made = []
    for number in range(count):
        buffer = io.BytesIO()
        Image.new("RGB", (400, 300), (200, 30 * number % 255, 90)).save(buffer, kind)
        path = tmp_path / f"zeskamp-{number}.{kind.lower()}"
        path.write_bytes(buffer.getvalue())
        made.append(
            OutgoingMedia(
                str(path), f"image/{kind.lower()}", f"Foto {number} van de zeskamp.", 400, 300
            )
        )
    return tuple(made)


@pytest.fixture
def server():
    with FacebookGraphServer() as running:
        yield running


def facebook(server, token: str | None = None, **kwargs) -> FacebookConnector:
    entry = {
        "page_id": server.page_id,
        "page_token": token or server.issue_token(),
        "expires_at": None,
        "source": "pasted",
    }
    return FacebookConnector(lambda: entry, base_url=server.base_url, **kwargs)


def test_a_text_with_a_web_address_is_a_feed_post_with_that_link(server):
    text = "Lees de nieuwsbrief op https://www.obsdelinde.nl/nieuws/december. Tot morgen!"
    with facebook(server) as connector:
        published = connector.publish(post(text))

    [stored] = server.stored_posts()
    assert stored.message == text
    assert stored.link == "https://www.obsdelinde.nl/nieuws/december"
    assert published.remote_id == stored.id and published.url == stored.permalink
    [read] = server.requests_to("GET", rf"/v26\.0/{stored.id}")
    assert read.query["fields"] == ["permalink_url"]


def test_one_photo_is_placed_by_its_upload_with_caption_and_alt_text(server, tmp_path):
    [photo] = photos(tmp_path, 1)
    with facebook(server) as connector:
        published = connector.publish(post(media=(photo,)))

    [stored] = server.stored_posts()
    assert stored.message == TEXT and stored.alts == ("Foto 0 van de zeskamp.",)
    [photo_id] = stored.photos
    assert server.photos[photo_id].data == Path(photo.path).read_bytes()
    assert published.remote_id == stored.id and published.url == stored.permalink
    assert server.requests_to(*FEED) == []  # the photo's upload is the post
    assert server.posts_created == 1


def test_several_photos_are_unpublished_uploads_attached_to_one_feed_post(server, tmp_path):
    (tmp_path / "png").mkdir()
    several = photos(tmp_path, 3) + photos(tmp_path / "png", 1, "PNG")
    with facebook(server) as connector:
        published = connector.publish(post(media=several))

    [stored] = server.stored_posts()
    assert stored.message == TEXT
    assert stored.alts == tuple(item.alt_text for item in several)
    assert [server.photos[p].data for p in stored.photos] == [
        Path(item.path).read_bytes() for item in several
    ]
    uploads = server.requests_to(*PHOTOS)
    assert [u.fields["published"] for u in uploads] == ["false"] * 4
    assert all("caption" not in u.fields for u in uploads)
    [feed] = server.requests_to(*FEED)
    assert json.loads(feed.fields["attached_media"]) == [{"media_fbid": p} for p in stored.photos]
    assert published.remote_id == stored.id and server.posts_created == 1

    with facebook(server) as connector, pytest.raises(Rejected) as caught:
        connector.publish(post(media=photos(tmp_path, 11)))
    assert str(caught.value) == "Kies hoogstens 10 foto's: meer neemt Facebook niet aan."


def test_photos_of_a_post_facebook_refused_do_not_stay_behind_unseen(server, tmp_path):
    server.fault(*FEED, 368, None, "You're temporarily blocked from posting")
    with facebook(server) as connector, pytest.raises(RetryLater):
        connector.publish(post(media=photos(tmp_path, 3)))

    assert len(server.requests_to(*PHOTOS)) == 3
    assert server.photos == {} and server.stored_posts() == []

    server.drop_connection_after(*FEED)  # the post may hold them now: they stay
    with facebook(server) as connector, pytest.raises(UnknownOutcome):
        connector.publish(post(media=photos(tmp_path, 2)))
    [stored] = server.stored_posts()
    assert sorted(server.photos) == sorted(stored.photos)


def test_an_upload_whose_answer_never_came_placed_nothing_and_is_tried_again_plainly(
    server, tmp_path
):
    server.drop_connection_after(*PHOTOS)  # an unpublished photo: nothing shows on the Page
    with facebook(server) as connector, pytest.raises(RetryLater) as caught:
        connector.publish(post(media=photos(tmp_path, 2)))

    assert type(caught.value) is RetryLater  # nothing to look for first
    assert "Er is nog niets geplaatst" in str(caught.value)
    assert server.stored_posts() == [] and server.requests_to(*FEED) == []


def test_a_video_goes_up_in_the_pieces_facebook_asks_for_and_says_how_far_it_is(server, tmp_path):
    video = make_video(tmp_path / "sportdag.mp4", seconds=2.0)
    data = video.read_bytes()
    server.chunk_size = 16_384
    heard: list[tuple[int, int]] = []
    with facebook(server, on_progress=lambda sent, total: heard.append((sent, total))) as connector:
        published = connector.publish(post(media=(OutgoingMedia(str(video), "video/mp4"),)))

    [stored] = server.stored_posts()
    assert stored.message == TEXT and stored.video == published.remote_id
    assert bytes(server.videos[published.remote_id].received) == data
    transfers = [
        r
        for r in server.requests_to("POST", r"/v26\.0/\d+/videos")
        if r.fields.get("upload_phase") == "transfer"
    ]
    assert len(transfers) == -(-len(data) // 16_384) >= 2
    assert heard[0] == (0, len(data)) and heard[-1] == (len(data), len(data))
    assert [sent for sent, _ in heard] == sorted(sent for sent, _ in heard)
    assert (
        published.url == f"https://www.facebook.com/{server.page_id}/videos/{published.remote_id}/"
    )

    with facebook(server) as connector:
        connector.delete(published.remote_id)
    assert server.stored_posts() == []


@pytest.mark.parametrize(
    ("code", "subcode", "kind", "words", "wait"),
    [
        (190, 463, Reconnect, "is verlopen", None),
        (190, 460, Reconnect, "ingetrokken of ongeldig", None),
        (1, None, RetryLater, "storing", timedelta(minutes=2)),
        (2, None, RetryLater, "storing", timedelta(minutes=2)),
        (4, None, RetryLater, "te veel verzoeken", timedelta(hours=1)),
        (17, None, RetryLater, "te veel verzoeken", timedelta(hours=1)),
        (32, None, RetryLater, "te veel verzoeken", timedelta(hours=1)),
        (341, None, RetryLater, "te veel verzoeken", timedelta(hours=1)),
        (613, None, RetryLater, "te veel verzoeken", timedelta(hours=1)),
        (368, None, RetryLater, "tijdelijk geblokkeerd", timedelta(hours=6)),
        (10, None, Reconnect, "pages_manage_posts", None),
        (200, None, Reconnect, "pages_manage_posts", None),
        (2635, None, Rejected, "[facebook] graph_version", None),
    ],
)
def test_each_meta_error_code_is_told_apart_over_http_400_and_nothing_is_placed(
    server, code, subcode, kind, words, wait
):
    server.fault(*FEED, code, subcode, "Something went wrong (English)")
    told_to_sign_in: list[bool] = []
    before = datetime.now(UTC)
    with (
        facebook(server, on_unauthorized=lambda: told_to_sign_in.append(True)) as connector,
        pytest.raises(kind) as caught,
    ):
        connector.publish(post())

    error = caught.value
    assert type(error) is kind  # over 400 all the same: the code decides
    assert words in str(error) and "Facebook" in str(error)
    if wait is not None:
        assert error.not_before is not None
        assert before + wait <= error.not_before <= datetime.now(UTC) + wait
    assert told_to_sign_in == ([True] if kind is Reconnect else [])
    assert server.stored_posts() == []


def test_a_rate_limit_comes_back_when_the_usage_header_says(server):
    reset = datetime.now(UTC) + timedelta(minutes=42)
    server.rate_limit(reset)
    with facebook(server) as connector, pytest.raises(RetryLater) as caught:
        connector.publish(post())
    assert reset - timedelta(minutes=1) <= caught.value.not_before <= reset + timedelta(minutes=1)


def test_a_duplicate_after_a_lost_answer_is_our_post_found_not_placed_again(server):
    server.drop_connection_after(*FEED)
    with facebook(server) as connector:
        with pytest.raises(UnknownOutcome):
            connector.publish(post())
        # The outbox sends it again (say, find_post could not run): Meta says 506.
        published = connector.publish(post())

    [stored] = server.stored_posts()
    assert published.remote_id == stored.id and published.url == stored.permalink
    assert [r.status for r in server.requests_to(*FEED)] == [0, 400]
    assert server.posts_created == 1


def test_a_duplicate_that_is_not_ours_is_refused_in_dutch(server):
    server.fault(*FEED, 506, None, "Duplicate status message")
    with facebook(server) as connector, pytest.raises(Rejected) as caught:
        connector.publish(post())
    assert str(caught.value).startswith("Facebook weigert dit bericht omdat de pagina kort")
    assert server.stored_posts() == []


def test_find_post_reads_page_after_page_back_to_the_first_attempt(server):
    first_attempt = datetime.now(UTC) - timedelta(hours=3)
    server.add_post(TEXT, first_attempt - timedelta(days=1))  # an older one: not ours
    ours = server.add_post(TEXT, first_attempt + timedelta(minutes=1))
    for number in range(60):
        server.add_post(f"Bericht {number}", first_attempt + timedelta(minutes=2 + number))

    with facebook(server) as connector:
        found = connector.find_post(post(), first_attempt)

    assert found is not None and found.remote_id == ours.id and found.url == ours.permalink
    reads = server.requests_to("GET", rf"/v26\.0/{server.page_id}/published_posts")
    assert len(reads) == 3
    assert [r.query.get("after") for r in reads] == [None, ["25"], ["50"]]
    assert reads[0].query["fields"] == ["id,message,created_time,permalink_url"]


def test_the_server_holds_requests_to_metas_description(server):
    """The oracle check itself: a parameter Page/feed does not take is a deviation, and a
    parameter of the wrong type too."""
    token = server.issue_token()
    server.expect_deviation("parameter 'alt_text' is not one Page takes here")
    server.expect_deviation("published='misschien': expected true or false")
    answer = requests.post(
        f"{server.base_url}/v26.0/{server.page_id}/feed",
        data={"message": "Hallo", "alt_text": "Een plein", "published": "misschien"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200  # Meta ignores what it does not know; the test does not
    assert len(server.deviations) == 2


def test_an_old_graph_version_is_refused_and_tells_it_what_to_set(server):
    server.expect_deviation("Graph API version v20.0 is not v26.0")
    with facebook(server, version="v20.0") as connector, pytest.raises(Rejected) as caught:
        connector.publish(post())
    assert "[facebook] graph_version" in str(caught.value)
    assert server.stored_posts() == []


# --- the sign-in, through the account service ----------------------------------------------


def facebook_account(server: FacebookGraphServer, handle: str | None = None) -> str:
    return f"""
[[schools.accounts]]
id = "kw-facebook"
network = "facebook"
name = "Facebook De Kleine Wereld"
kind = "official"
handle = "{server.page_id if handle is None else handle}"
"""


@pytest.fixture
def vault(secret_service):
    yield SecretStore()
    SecretStore().delete("kw-facebook")


def accounts_for(server, vault, data_dir) -> AccountService:
    return AccountService(vault, data_dir, networks(SignInOptions(meta_graph_api=server.base_url)))


def test_a_pasted_page_token_is_checked_kept_in_the_vault_and_used(
    server, vault, store, data_dir, tmp_path
):
    account = site_with(tmp_path, facebook_account(server)).account("kw-facebook")
    accounts = accounts_for(server, vault, data_dir)
    token = server.issue_token()
    assert accounts.status(store, account).connection == SIGNED_OUT
    connected = accounts.connect(store, account, "ict", app_password=f"  {token}\n")

    assert "OBS De Linde" in connected.message
    status = accounts.status(store, account)
    assert status.connection == CONNECTED and status.connected_as == "OBS De Linde"
    # Without the foundation's service its end cannot be asked: the card says so, not nothing.
    assert status.note == (
        "Postwijs weet niet tot wanneer dit token geldig is; houd de einddatum zelf bij."
    )
    assert vault.read("kw-facebook")["page_token"] == token
    published = accounts.connector_for(account).publish(post(media=photos(tmp_path, 2)))
    assert [p.id for p in server.stored_posts()] == [published.remote_id]


def test_a_system_users_token_gives_the_pages_own_token(server, vault, store, data_dir, tmp_path):
    account = site_with(tmp_path, facebook_account(server)).account("kw-facebook")
    accounts = accounts_for(server, vault, data_dir)
    user_token = server.issue_user_token()
    accounts.connect(store, account, "ict", app_password=user_token)

    kept = vault.read("kw-facebook")["page_token"]
    assert kept != user_token and server.tokens[kept] == server.page_id
    accounts.connector_for(account).publish(post())
    assert len(server.stored_posts()) == 1


def test_a_token_of_another_page_or_none_is_refused_and_not_kept(
    server, vault, store, data_dir, tmp_path
):
    account = site_with(tmp_path, facebook_account(server)).account("kw-facebook")
    accounts = accounts_for(server, vault, data_dir)
    for pasted in ("EAAGgeen-echt-token", server.issue_token("104000000000999")):
        with pytest.raises(Rejected) as caught:
            accounts.connect(store, account, "ict", app_password=pasted)
        assert str(caught.value).startswith("Facebook neemt deze sleutel niet aan")
        assert "pages_manage_posts" in str(caught.value) and pasted not in str(caught.value)
        assert vault.read("kw-facebook") is None


def test_an_account_without_a_page_id_says_what_it_must_configure(
    server, vault, store, data_dir, tmp_path
):
    account = site_with(tmp_path, facebook_account(server, handle="obsdelinde")).account(
        "kw-facebook"
    )
    status = accounts_for(server, vault, data_dir).status(store, account)
    assert status.connection == SIGNED_OUT
    assert status.note.startswith("De ICT-beheerder moet Facebook nog instellen voor Postwijs.")
    assert "paginanummer" in status.configuration_problem
    assert "handle" in status.configuration_problem


def test_the_sites_graph_version_reaches_every_request(tmp_path):
    site = site_with(tmp_path, '\n[facebook]\ngraph_version = "v27.0"\n')
    assert site.graph_version == "v27.0"
    assert connectors.options_for(site).meta_graph_version == "v27.0"
    with pytest.raises(SiteConfigError) as caught:
        site_with(tmp_path, '\n[facebook]\ngraph_version = "26"\n')
    assert "facebook.graph_version" in str(caught.value) and "vNN.0" in str(caught.value)


# --- Facebook Login through the foundation's service ------------------------------------------


def browser_that_consents(url: str) -> bool:
    """The user's browser: Facebook's dialog consents at once and sends it to our loopback."""
    threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10}).start()
    return True


def test_facebook_login_goes_through_the_service_and_keeps_only_the_pages_token(
    server, vault, store, data_dir, tmp_path
):
    port = free_port()
    redirect = f"http://127.0.0.1:{port}/callback"
    with facebook_service(server, tmp_path, redirect_uris=(redirect,)) as service:
        account = site_with(
            tmp_path, facebook_account(server) + f'redirect_port = "{port}"\n'
        ).account("kw-facebook")
        options = SignInOptions(
            meta_graph_api=server.base_url,
            meta_dialog=server.base_url,
            koppeldienst_url=service.base_url,
            open_browser=browser_that_consents,
        )
        accounts = AccountService(vault, data_dir, networks(options))
        assert accounts.sign_in_method(account) is SignIn.BROWSER
        connected = accounts.connect(store, account, "ict")

        assert "OBS De Linde" in connected.message
        kept = vault.read("kw-facebook")
        assert (
            kept["source"] == "koppeldienst" and server.tokens[kept["page_token"]] == server.page_id
        )
        assert server.dialog_scopes == ["pages_manage_posts pages_read_engagement pages_show_list"]
        assert accounts.status(store, account).note == "De aanmelding verloopt niet."
        log = service.log.read_text()
        assert kept["page_token"] not in log and server.app_secret not in log
        published = accounts.connector_for(account).publish(post())
        assert [p.id for p in server.stored_posts()] == [published.remote_id]


def test_facebook_login_for_a_page_the_service_does_not_serve_keeps_nothing(
    server, vault, store, data_dir, tmp_path
):
    port = free_port()
    redirect = f"http://127.0.0.1:{port}/callback"
    with facebook_service(
        server,
        tmp_path,
        pages=("104000000000999",),  # another page of the foundation
        redirect_uris=(redirect,),
    ) as service:
        account = site_with(
            tmp_path, facebook_account(server) + f'redirect_port = "{port}"\n'
        ).account("kw-facebook")
        options = SignInOptions(
            meta_graph_api=server.base_url,
            meta_dialog=server.base_url,
            koppeldienst_url=service.base_url,
            open_browser=browser_that_consents,
        )
        with pytest.raises(SignInFailed) as caught:
            AccountService(vault, data_dir, networks(options)).connect(store, account, "ict")
        assert "staat niet op de lijst van de koppeldienst" in str(caught.value)
        assert vault.read("kw-facebook") is None


def test_with_a_service_the_account_needs_its_login_port(server, vault, store, data_dir, tmp_path):
    account = site_with(tmp_path, facebook_account(server)).account("kw-facebook")
    options = SignInOptions(koppeldienst_url="https://kd.scoh.nl")
    status = AccountService(vault, data_dir, networks(options)).status(store, account)
    assert status.note.startswith("De ICT-beheerder moet Facebook nog instellen voor Postwijs.")
    assert "redirect_port" in status.configuration_problem
    site = site_with(tmp_path, '\n[koppeldienst]\nurl = "https://kd.scoh.nl"\n')
    assert connectors.options_for(site).koppeldienst_url == "https://kd.scoh.nl"


def test_with_the_service_a_pasted_page_tokens_end_is_read_from_facebooks_debug_token(
    server, vault, store, data_dir, tmp_path
):
    """The whole path: the pasted Page token goes to the koppeldienst, which asks this Graph
    server's debug_token with the app token; the account's card then says until when."""
    with facebook_service(server, tmp_path) as service:
        account = site_with(
            tmp_path, facebook_account(server) + f'redirect_port = "{free_port()}"\n'
        ).account("kw-facebook")
        options = SignInOptions(meta_graph_api=server.base_url, koppeldienst_url=service.base_url)
        accounts = AccountService(vault, data_dir, networks(options))
        token = server.issue_token()
        ends = datetime.now(UTC) + timedelta(days=45)
        server.token_ends[token] = int(ends.timestamp())
        accounts.connect(store, account, "ict", app_password=token)

        status = accounts.status(store, account)
        assert status.connection == CONNECTED
        assert status.note == f"Het token is geldig tot {long_date(ends)}."
        [asked] = server.requests_to("GET", r"/v26\.0/debug_token")
        assert asked.query["input_token"] == [token]
        assert asked.query["access_token"] == [f"{server.app_id}|{server.app_secret}"]
        log = service.log.read_text()
        assert token not in log and server.app_secret not in log

        without_end = server.issue_token()
        accounts.connect(store, account, "ict", app_password=without_end)
        assert accounts.status(store, account).note == "Het token verloopt niet."
