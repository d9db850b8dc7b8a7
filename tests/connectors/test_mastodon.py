"""The Mastodon connector against a local contract server: the assertions read the server's
request log (method, path, headers, body fields), not only the connector's answer."""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
import struct
import zlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from keyring.errors import KeyringError

from app.accounts.service import AccountService, jpeg_copy
from app.networks.connector import (
    CannotLookBack,
    OutgoingMedia,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Rejected,
    RetryLater,
    UnknownOutcome,
)
from app.networks.profiles import MASTODON
from connectors.http import HttpSession
from connectors.mastodon import (
    BROAD_SCOPES,
    FIND_POST_PAGES,
    SCOPES,
    AppRegistrationCache,
    InstanceLimits,
    MastodonConnector,
    authorization_params,
    authorization_url,
    choose_scopes,
    classic_endpoints,
    classify_mastodon,
    comparable_text,
    discover,
    exchange_code,
    html_to_text,
    normalise_instance,
    register_app,
    revoke_token,
    status_matches,
)
from tests.servers.mastodon_server import MastodonServer, sniff_image

try:
    from PIL import Image
except ImportError:  # the tests then use PNG files written by hand
    Image = None

TEXT = (
    "Wat een feest vandaag bij de Koningsspelen! Alle groepen deden mee.\n\n"
    "— Juf Anna, medewerker van De Regenboog (SCOH). Persoonlijke mening."
)
RICH_TEXT = (
    "Wat een feest vandaag bij de Koningsspelen!\n"
    "Alle groepen deden mee & de zon scheen <3\n\n"
    "Foto's en uitslagen: https://www.demoschool.nl/nieuws/koningsspelen-2026-alle-uitslagen"
    "?groep=7&jaar=2026 #koningsspelen\n"
    "Met dank aan @ouderraad@andere-school.example voor de limonade."
)


# --- fixtures ---------------------------------------------------------------------------------


@dataclass
class Harness:
    server: MastodonServer
    connector: MastodonConnector
    token: str
    sleeps: list[float] = field(default_factory=list)
    unauthorized: list[str] = field(default_factory=list)


def granted_scopes(server: MastodonServer) -> str:
    """What a signed-in user holds: SCOPES, or on a compatible server (which grants broad
    scopes only) what the sign-in fell back to."""
    return " ".join(BROAD_SCOPES if server.compatible else SCOPES)


def make_harness(server: MastodonServer, media_wait: float = 120.0) -> Harness:
    token = server.issue_token(granted_scopes(server))
    harness = Harness(server, None, token)  # type: ignore[arg-type]
    harness.connector = MastodonConnector(
        server.base_url,
        token_provider=lambda: harness.token,
        on_unauthorized=lambda: harness.unauthorized.append("401"),
        sleep=harness.sleeps.append,
        media_wait=media_wait,
        jpeg_copy=jpeg_copy,  # what the account service hands every connector
    )
    return harness


@pytest.fixture(params=[False, True], ids=["mastodon", "compatible"])
def server(request):
    """Every flow runs against Mastodon and against a server that only speaks its API."""
    with MastodonServer(compatible=request.param) as running:
        yield running


# For what only Mastodon itself does (Idempotency-Key, discovery with PKCE); the compatible
# server's answer to the same is tested beside it.
mastodon_only = pytest.mark.parametrize("server", [False], ids=["mastodon"], indirect=True)


@pytest.fixture
def harness(server):
    made = make_harness(server)
    yield made
    made.connector.close()


def handmade_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def image_bytes(kind: str, width: int, height: int) -> tuple[bytes, str]:
    """Real image bytes: PNG and JPEG from Pillow when it is installed, else a PNG by hand."""
    if Image is None:
        return handmade_png(width, height, (30, 120, 200)), "image/png"
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, format=kind.upper())
    return buffer.getvalue(), f"image/{kind}"


@pytest.fixture
def two_images(tmp_path) -> tuple[OutgoingMedia, ...]:
    made = []
    for name, kind, size, alt in (
        ("klas-3b-anna-jansen.png", "png", (64, 48), "Kinderen rennen over het schoolplein."),
        ("klas-3b-zeskamp.jpeg", "jpeg", (40, 30), "De zeskamp op het grasveld achter de school."),
    ):
        data, mime = image_bytes(kind, *size)
        path = tmp_path / name
        path.write_bytes(data)
        made.append(OutgoingMedia(str(path), mime, alt, *size))
    return tuple(made)


@pytest.fixture
def one_image(two_images) -> tuple[OutgoingMedia, ...]:
    return two_images[:1]


def post(text: str = TEXT, media: tuple[OutgoingMedia, ...] = (), key: str = "doel-1"):
    return OutgoingPost(
        client_key=key, account_id="demoschool-mastodon", account_name="De Regenboog",
        text=text, media=media,
    )  # fmt: skip


# --- the instance's address -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "base_url"),
    [
        ("mastodon.social", "https://mastodon.social"),
        ("https://mastodon.social/", "https://mastodon.social"),
        ("@juf@mastodon.social", "https://mastodon.social"),
        ("juf@Mastodon.Social", "https://mastodon.social"),
        ("  MASTODON.social  ", "https://mastodon.social"),
        ("https://mastodon.social/@juf", "https://mastodon.social"),
        ("http://mastodon.social", "https://mastodon.social"),  # no token in clear text
        ("https://mastodon.social:443", "https://mastodon.social"),
        ("https://social.school.example:8443/", "https://social.school.example:8443"),
        ("bücher.example", "https://xn--bcher-kva.example"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("http://localhost:3000/", "http://localhost:3000"),
    ],
)
def test_an_instance_is_reached_by_what_a_user_types(typed, base_url):
    assert normalise_instance(typed) == base_url


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "ftp://mastodon.social", "mastodon social", "@juf", "https://", "juf@", "school",
     "https://user:wachtwoord@mastodon.social", "http://a b.nl", "https://mastodon.social:99999"],
)  # fmt: skip
def test_what_is_not_an_instance_is_refused_in_dutch(typed):
    with pytest.raises(ValueError, match="Vul het adres van de Mastodon-server in"):
        normalise_instance(typed)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalising_any_text_either_gives_a_url_or_a_dutch_refusal(typed):
    try:
        assert normalise_instance(typed).startswith(("https://", "http://"))
    except ValueError as error:
        assert "Mastodon-server" in str(error)


# --- counting and recognising our post --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("Vandaag is de school dicht.", 27),
        (
            "Lees meer op https://www.demoschool.nl/nieuws/2026/koningsspelen-alle-uitslagen",
            13 + 23,
        ),
        ("Kijk op https://a.nl.", 8 + 23 + 1),  # short links count 23 too; the full stop is text
        ("Kijk op demoschool.nl", 21),  # without a scheme a domain counts in full
        ("Dank @ouderraad@andere-school.example!", 5 + 10 + 1),
        ("Gezin 👨‍👩‍👧‍👦 op het plein", 20),
        ("", 0),
    ],
)
def test_the_length_is_counted_as_mastodon_counts_it(text, length):
    assert InstanceLimits().profile().count(text) == length


@pytest.mark.parametrize(
    ("content", "text", "same"),
    [
        ("<p>Hallo ouders</p>", "Hallo ouders", True),
        ("<p>Regel een<br />regel twee</p><p>Tweede alinea</p>", "Regel een\nregel twee\n\nTweede alinea", True),
        ("<p>Regel een<br>regel twee</p>", "Regel een\r\nregel twee", True),
        ("<p>Eerst</p><p>Dan</p>", "Eerst\n\n\n\nDan", True),
        ("<p>Thee &amp; koek &lt;3</p>", "Thee & koek <3", True),
        ('<p>Zie <a href="https://www.demoschool.nl/nieuws/koningsspelen-2026"><span class="invisible">https://www.</span><span class="ellipsis">demoschool.nl/nieuws/koningssp</span><span class="invisible">elen-2026</span></a></p>',
         "Zie https://www.demoschool.nl/nieuws/koningsspelen-2026", True),
        ('<p>Dank <span class="h-card"><a href="https://andere-school.example/@ouderraad" class="u-url mention">@<span>ouderraad</span></a></span></p>',
         "Dank @ouderraad@andere-school.example", True),
        ('<p><a href="https://school.example/tags/sportdag" class="mention hashtag">#<span>sportdag</span></a></p>', "#sportdag", True),
        ("<p>Hallo ouders</p>", "Hallo ouders!", False),
        ("<p>Regel een regel twee</p>", "Regel een\n\nregel twee", False),
        ("<p>Morgen is de school dicht</p>", "Morgen is de school open", False),
    ],
)  # fmt: skip
def test_the_content_html_is_read_back_as_the_text_that_was_posted(content, text, same):
    assert (comparable_text(html_to_text(content)) == comparable_text(text)) is same


def test_a_status_matches_only_with_the_same_text_media_count_and_no_boost():
    status = {"content": "<p>Sportdag!</p>", "media_attachments": [{}], "reblog": None}
    wanted = comparable_text("Sportdag!")
    assert status_matches(status, wanted, 1)
    assert not status_matches(status, wanted, 0)
    assert not status_matches({**status, "reblog": {"id": "9"}}, wanted, 1)
    assert status_matches({**status, "content": "<p>x</p>", "text": "Sportdag!"}, wanted, 1)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_reading_and_counting_never_crash_on_any_text(text):
    InstanceLimits().profile().count(text)
    comparable_text(text)
    html_to_text(text)


# --- limits -----------------------------------------------------------------------------------


def test_the_limits_come_from_the_instance_and_become_the_profile():
    with MastodonServer(
        max_characters=1000,
        description_limit=800,
        image_size_limit=8_388_608,
        image_matrix_limit=16_777_216,
        max_media_attachments=6,
        supported_mime_types=("image/jpeg", "image/png"),
    ) as server:
        made = make_harness(server)
        with made.connector as connector:
            assert connector.profile is MASTODON  # nothing asked yet: no request behind a read
            limits = connector.limits()
            profile = connector.profile
        [request] = server.requests_to("GET", "/api/v2/instance")
    assert limits == InstanceLimits(
        max_characters=1000,
        characters_reserved_per_url=23,
        max_media_attachments=6,
        description_limit=800,
        image_size_limit=8_388_608,
        image_matrix_limit=16_777_216,
        video_size_limit=103_809_024,
        supported_mime_types=("image/jpeg", "image/png"),
        announced=True,
    )
    assert (profile.text_limit, profile.alt_text_limit, profile.image_max_bytes) == (
        1000,
        800,
        8_388_608,
    )
    assert profile.max_images == 6
    assert (
        profile.count("Lees meer op https://www.demoschool.nl/nieuws/2026/koningsspelen") == 13 + 23
    )
    assert request.header("authorization") is None  # the instance's limits are public
    assert server.violations == []


def test_limits_fall_back_to_mastodon_defaults_when_the_instance_does_not_say(server, harness):
    server.announces_configuration = False
    assert harness.connector.limits() == InstanceLimits()


def test_a_server_before_4_0_is_read_through_instance_v1(server, harness):
    server.serves_instance_v2 = False
    server.max_characters = 700
    assert harness.connector.limits().max_characters == 700
    assert [r.status for r in server.requests if "instance" in r.path] == [404, 200]


def test_limits_are_the_defaults_when_the_instance_cannot_be_reached(server, harness):
    server.fail_next("GET", "/api/v2/instance", 503, {"error": "Even niet"})
    assert harness.connector.limits() == InstanceLimits()
    assert harness.connector.limits().announced  # not kept: the next call asks again


# --- who am I ---------------------------------------------------------------------------------


def test_who_am_i_names_the_account_with_the_instances_own_domain(server, harness):
    assert harness.connector.who_am_i() == "@juf@school.example"
    [request] = server.requests_to("GET", "/api/v1/accounts/verify_credentials")
    assert request.header("authorization") == f"Bearer {harness.token}"
    assert server.violations == []


def test_without_an_instance_domain_the_web_address_names_the_account(server, harness):
    server.serves_instance_v2 = server.serves_instance_v1 = False
    host = urlsplit(server.base_url).netloc
    assert harness.connector.who_am_i() == f"@juf@{host}"


# --- publish ----------------------------------------------------------------------------------


def test_publish_uploads_each_image_with_its_alt_text_then_posts_one_public_status(
    server, harness, two_images
):
    published = harness.connector.publish(post(media=two_images))

    [status] = server.stored_statuses()
    assert published == PublishedPost(status.id, f"{server.base_url}/@juf/{status.id}")
    uploads = server.requests_to("POST", "/api/v2/media")
    assert [u.status for u in uploads] == [200, 200]
    assert [u.files["file"].content_type for u in uploads] == [m.mime_type for m in two_images]
    assert [u.files["file"].data for u in uploads] == [
        Path(m.path).read_bytes() for m in two_images
    ]
    assert [u.fields for u in uploads] == [{"description": m.alt_text} for m in two_images]
    assert all(u.header("content-type").startswith("multipart/form-data") for u in uploads)
    assert all(u.header("authorization") == f"Bearer {harness.token}" for u in uploads)
    # The prepared copy's name (with a pupil's name in it) stays on the laptop.
    assert all(u.files["file"].filename.startswith("media.") for u in uploads)
    assert [sniff_image(u.files["file"].data)[1:] for u in uploads] == [(64, 48), (40, 30)]

    [sent] = server.requests_to("POST", "/api/v1/statuses")
    assert sent.header("idempotency-key") == "doel-1"
    assert sent.header("content-type") == "application/json"
    assert sent.fields == {
        "status": TEXT,
        "media_ids": status.media_ids,
        "visibility": "public",
        "language": "nl",
    }
    assert [server.media[m].description for m in status.media_ids] == [
        m.alt_text for m in two_images
    ]
    assert status.text == TEXT and status.visibility == "public"
    assert server.violations == []


def test_publish_waits_while_the_instance_processes_the_media(server, harness, one_image):
    server.media_processing_polls = 2

    harness.connector.publish(post(media=one_image))

    trail = [(r.method, r.path, r.status) for r in server.requests if "instance" not in r.path]
    media_id = server.stored_statuses()[0].media_ids[0]
    assert trail == [
        ("POST", "/api/v2/media", 202),
        ("GET", f"/api/v1/media/{media_id}", 206),
        ("GET", f"/api/v1/media/{media_id}", 206),
        ("GET", f"/api/v1/media/{media_id}", 200),
        ("POST", "/api/v1/statuses", 200),
    ]
    assert harness.sleeps == [1.0, 2.0, 4.0]  # backing off
    assert server.violations == []


def test_publish_gives_up_waiting_for_media_after_a_bounded_time(server, one_image):
    server.media_processing_polls = 1000
    made = make_harness(server, media_wait=10.0)
    with made.connector as connector, pytest.raises(RetryLater) as caught:
        connector.publish(post(media=one_image))
    assert type(caught.value) is RetryLater
    assert "media nog aan het verwerken" in str(caught.value)
    assert sum(made.sleeps) == pytest.approx(10.0)
    assert len(server.requests_to("GET", r"/api/v1/media/\d+")) == len(made.sleeps)
    assert server.requests_to("POST", "/api/v1/statuses") == []


def test_a_file_type_the_instance_does_not_take_is_refused_before_uploading(two_images):
    with MastodonServer(supported_mime_types=("image/gif",)) as server:
        made = make_harness(server)
        with made.connector as connector, pytest.raises(Rejected, match="Kies een ander bestand"):
            connector.publish(post(media=two_images))
        assert server.requests_to("POST", "/api/v2/media") == []


def test_a_photo_in_a_type_the_instance_does_not_list_goes_as_jpeg_and_reads_back(
    server, harness, tmp_path
):
    """An instance that announces JPEG and WebP but not PNG gets the transparent PNG as JPEG
    (white where it was transparent) and the JPEG as it is; the compatible server stores both
    as WebP, and the post is still found with both photos and their alt texts."""
    server.supported_mime_types = ("image/jpeg", "image/webp", "video/mp4")
    transparent = tmp_path / "logo-groep-8.png"
    Image.new("RGBA", (60, 40), (200, 30, 30, 0)).save(transparent)
    photo_bytes, _type = image_bytes("jpeg", 40, 30)
    photo = tmp_path / "zeskamp.jpeg"
    photo.write_bytes(photo_bytes)
    media = (
        OutgoingMedia(str(transparent), "image/png", "Het logo van groep 8.", 60, 40),
        OutgoingMedia(str(photo), "image/jpeg", "De zeskamp op het grasveld.", 40, 30),
    )
    since = datetime.now(UTC)

    published = harness.connector.publish(post(media=media, key="logo-1"))

    uploads = server.requests_to("POST", "/api/v2/media")
    assert [u.files["file"].content_type for u in uploads] == ["image/jpeg", "image/jpeg"]
    converted = uploads[0].files["file"].data
    assert sniff_image(converted)[0] == "image/jpeg"
    with Image.open(io.BytesIO(converted)) as sent:
        assert sent.size == (60, 40) and sent.getpixel((30, 20)) >= (250, 250, 250)
    assert uploads[1].files["file"].data == photo_bytes  # a type it takes goes unchanged
    [status] = server.stored_statuses()
    stored = [server.media[m] for m in status.media_ids]
    assert [m.description for m in stored] == [item.alt_text for item in media]
    kept = {m.file.content_type for m in stored}
    assert kept == ({"image/webp"} if server.compatible else {"image/jpeg"})
    assert harness.connector.find_post(post(media=media, key="logo-1"), since) == published
    assert transparent.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # the prepared copy stays
    assert server.violations == []


def test_the_account_service_hands_the_connector_what_turns_a_photo_into_jpeg(
    server, harness, tmp_path
):
    """The connector the account service gives out converts the PNG for an instance that takes
    JPEG only; the conversion is the core's, handed over through the account's access."""
    from app.networks.registry import AccountAccess
    from app.site.config import Account
    from connectors import networks
    from connectors.secrets import SecretStore

    server.supported_mime_types = ("image/jpeg",)
    logo = tmp_path / "logo.png"
    logo.write_bytes(handmade_png(30, 20, (30, 120, 200)))
    media = (OutgoingMedia(str(logo), "image/png", "Het logo van de school.", 30, 20),)

    def reaching_the_server(access: AccountAccess) -> MastodonConnector:
        return MastodonConnector(server.base_url, lambda: harness.token, jpeg_copy=access.jpeg_copy)

    registry = networks()
    registry["mastodon"] = replace(registry["mastodon"], connector=reaching_the_server)
    service = AccountService(SecretStore(), tmp_path, registry)
    account = Account(
        "km", "regenboog", "mastodon", "Mastodon", "official", instance=server.base_url
    )
    with service.connector_for(account) as connector:
        connector.publish(post(media=media))

    [upload] = server.requests_to("POST", "/api/v2/media")
    assert upload.files["file"].content_type == "image/jpeg"
    assert sniff_image(upload.files["file"].data)[0] == "image/jpeg"
    assert server.violations == []


def test_without_a_jpeg_converter_a_photo_in_a_type_the_instance_does_not_take_is_refused(
    server, tmp_path
):
    server.supported_mime_types = ("image/jpeg",)
    logo = tmp_path / "logo.png"
    logo.write_bytes(handmade_png(30, 20, (30, 120, 200)))
    media = (OutgoingMedia(str(logo), "image/png", "Het logo van de school.", 30, 20),)
    token = server.issue_token(granted_scopes(server))
    with (
        MastodonConnector(server.base_url, lambda: token) as connector,
        pytest.raises(Rejected) as caught,
    ):
        connector.publish(post(media=media))
    assert str(caught.value) == (
        "Sla de foto logo.png op als JPEG en voeg hem opnieuw toe: deze Mastodon-server neemt"
        " geen PNG aan."
    )
    assert server.requests_to("POST", "/api/v2/media") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: (m,) * 5, "Kies hoogstens 4 foto's"),
        (
            lambda m: (replace(m, alt_text="Een klas op het plein. " * 70),),
            "Maak de beschrijving van",
        ),
        (lambda m: (replace(m, path=m.path + ".weg"),), "Voeg de foto opnieuw toe"),
        (lambda m: (replace(m, width=8000, height=6000),), "Verklein de foto"),
    ],
)
def test_media_beyond_the_instances_limits_is_refused_before_uploading(
    server, harness, one_image, change, message
):
    with pytest.raises(Rejected, match=message):
        harness.connector.publish(post(media=change(one_image[0])))
    assert server.requests_to("POST", "/api/v2/media") == []


def test_an_image_whose_bytes_do_not_match_its_type_is_rejected_with_the_reason(
    server, harness, tmp_path
):
    fake = tmp_path / "foto.png"
    fake.write_bytes(b"dit is geen afbeelding")
    media = (OutgoingMedia(str(fake), "image/png", "Een foto van de klas."),)
    with pytest.raises(Rejected, match="Pas het bericht aan: Mastodon weigert het") as caught:
        harness.connector.publish(post(media=media))
    assert "File content type is invalid" in str(caught.value)
    assert server.stored_statuses() == []


@mastodon_only
def test_a_retry_after_a_dropped_connection_gets_the_same_status_back(server, harness, one_image):
    server.drop_connection_after_status = 1
    the_post = post(media=one_image, key="doel-7")

    with pytest.raises(UnknownOutcome):
        harness.connector.publish(the_post)
    again = harness.connector.publish(the_post)

    [status] = server.stored_statuses()
    assert again.remote_id == status.id
    attempts = server.requests_to("POST", "/api/v1/statuses")
    assert [a.header("idempotency-key") for a in attempts] == ["doel-7", "doel-7"]
    assert [a.status for a in attempts] == [0, 200]  # dropped, then answered from the key
    assert len(status.media_ids) == 1
    assert len(server.requests_to("POST", "/api/v2/media")) == 1  # the retry reused the upload
    assert server.violations == []


def test_find_post_settles_an_unknown_outcome(server, harness, one_image):
    older = server.add_status(RICH_TEXT, created_at=datetime.now(UTC) - timedelta(days=3))
    server.add_status("Morgen is er een studiedag; de kinderen zijn vrij.")
    since = datetime.now(UTC)
    server.drop_connection_after_status = 1
    the_post = post(RICH_TEXT, media=one_image, key="doel-8")
    with pytest.raises(UnknownOutcome):
        harness.connector.publish(the_post)

    found = harness.connector.find_post(the_post, since=since)

    [ours] = [s for s in server.stored_statuses() if s.media_ids]
    assert ours.id != older.id
    assert found == PublishedPost(ours.id, f"{server.base_url}/@juf/{ours.id}")
    [listing] = server.requests_to("GET", "/api/v1/accounts/1/statuses")
    assert listing.query == {"limit": ["40"], "exclude_reblogs": ["true"]}
    assert listing.header("authorization") == f"Bearer {harness.token}"
    assert server.violations == []


def test_find_post_reads_further_pages_when_many_statuses_came_after_ours(server, harness):
    since = datetime.now(UTC)
    harness.connector.publish(post("Het schoolreisje gaat naar de Efteling!"))
    for number in range(45):
        server.add_status(f"Bericht {number} van de ouderraad.")
    found = harness.connector.find_post(post("Het schoolreisje gaat naar de Efteling!"), since)
    assert found is not None
    # A compatible server links past the last page too: one empty page more, then it stops.
    assert len(server.requests_to("GET", "/api/v1/accounts/1/statuses")) == 2 + server.compatible
    assert server.violations == []


def test_find_post_says_it_cannot_look_back_when_its_pages_do_not_reach_the_first_attempt(
    server, harness
):
    since = datetime.now(UTC) - timedelta(hours=30)
    server.add_status(TEXT, created_at=since + timedelta(minutes=1))  # ours, out of reach
    for number in range(FIND_POST_PAGES * 40):
        server.add_status(f"Bericht {number} van de ouderraad.")
    with pytest.raises(CannotLookBack, match="Kijk zelf op het account"):
        harness.connector.find_post(post(TEXT), since)
    # The pages it reads and the one that shows there is more; nothing was posted.
    assert len(server.requests_to("GET", "/api/v1/accounts/1/statuses")) == FIND_POST_PAGES + 1
    assert server.requests_to("POST", "/api/v1/statuses") == []
    assert server.violations == []


def test_find_post_that_reads_to_the_end_of_the_account_is_sure(server, harness):
    # Exactly as many statuses as it reads, all newer than the start: the list ends, so "not
    # there" is certain.
    for number in range(FIND_POST_PAGES * 40):
        server.add_status(f"Bericht {number} van de ouderraad.")
    assert harness.connector.find_post(post(TEXT), datetime.now(UTC) - timedelta(days=2)) is None
    assert server.violations == []


@pytest.mark.parametrize(
    ("planted_text", "age", "since_ago", "found"),
    [
        (TEXT, timedelta(days=3), timedelta(hours=1), False),  # identical, long before this job
        (
            "Een heel ander bericht over de sportdag.",
            timedelta(minutes=1),
            timedelta(hours=1),
            False,
        ),
        (TEXT, timedelta(minutes=1), timedelta(hours=1), True),
        (TEXT, timedelta(minutes=15), timedelta(minutes=10), True),  # the clocks may disagree
        (TEXT, timedelta(minutes=30), timedelta(minutes=10), False),
        # A target resumed after 30 hours still finds its own post (no fixed 24-hour window).
        (TEXT, timedelta(hours=30), timedelta(hours=31), True),
        (TEXT, timedelta(days=3), timedelta(days=2), False),
    ],
)
def test_find_post_matches_only_the_same_text_within_the_window(
    server, harness, planted_text, age, since_ago, found
):
    planted = server.add_status(planted_text, created_at=datetime.now(UTC) - age)
    result = harness.connector.find_post(post(TEXT), since=datetime.now(UTC) - since_ago)
    expected = PublishedPost(planted.id, f"{server.base_url}/@juf/{planted.id}")
    assert result == (expected if found else None)


def test_find_post_does_not_take_a_status_with_another_number_of_media(server, harness, one_image):
    since = datetime.now(UTC)
    server.add_status(TEXT)
    assert harness.connector.find_post(post(TEXT, media=one_image), since) is None


# --- delete -----------------------------------------------------------------------------------


def test_delete_removes_the_status_and_a_second_delete_is_not_an_error(server, harness):
    published = harness.connector.publish(post())

    harness.connector.delete(published.remote_id)
    harness.connector.delete(published.remote_id)

    assert server.stored_statuses() == []
    deletes = server.requests_to("DELETE", rf"/api/v1/statuses/{published.remote_id}")
    assert [d.status for d in deletes] == [200, 404]
    assert all(d.header("authorization") == f"Bearer {harness.token}" for d in deletes)


# --- follows ----------------------------------------------------------------------------------


def test_follows_are_read_over_three_pages_by_the_link_header_only(server, harness):
    expected = server.add_following(170)

    follows = harness.connector.list_follows()

    assert follows == expected
    assert "@gevolgd0@school.example" in follows  # local: the instance's domain
    assert "@gevolgd2@andere-school.example" in follows  # remote: as the instance names it
    pages = server.requests_to("GET", "/api/v1/accounts/1/following")
    # A compatible server links past the last page too: one empty page more, then it stops.
    assert [p.query.get("limit") for p in pages] == [["80"]] * (3 + server.compatible)
    assert "max_id" not in pages[0].query
    assert all("max_id" in p.query for p in pages[1:])
    assert server.violations == []  # every max_id came from a Link header


def test_a_next_link_to_another_host_is_not_followed(server, harness):
    server.add_following(100)
    server.next_link_base = "http://127.0.0.2:9"
    with pytest.raises(RetryLater):
        harness.connector.list_follows()
    assert len(server.requests_to("GET", "/api/v1/accounts/1/following")) == 1


@pytest.mark.parametrize("link_form", ["absolute", "path", "relative"])
def test_pages_are_followed_whatever_form_the_link_header_gives_them(server, harness, link_form):
    """Mastodon writes absolute page links; other servers of its API may write a path
    (</api/v1/...>) or a link relative to the page (<following?max_id=...>). Either way every
    follow and every status of the year is read, page by page, on this instance."""
    server.link_form = link_form
    expected = server.add_following(170)
    start = datetime(2025, 8, 1, tzinfo=UTC)
    statuses = [server.add_status(f"Bericht {n}", start + timedelta(days=3 * n)) for n in range(90)]

    assert harness.connector.list_follows() == expected
    read = list(harness.connector.read_own_posts(start, start + timedelta(days=365)))

    assert [p.remote_id for p in read] == [s.id for s in reversed(statuses)]
    follow_pages = server.requests_to("GET", "/api/v1/accounts/1/following")
    assert len(follow_pages) == 3 + server.compatible
    assert all("max_id" in p.query for p in follow_pages[1:])
    status_pages = server.requests_to("GET", "/api/v1/accounts/1/statuses")
    assert len(status_pages) == 3 + server.compatible
    assert all(p.query.get("exclude_reblogs") == ["true"] for p in status_pages)
    assert server.violations == []  # every cursor came from a Link header


def account_id(server: MastodonServer, username: str) -> str:
    (found,) = [a.id for a in server.accounts.values() if a.username == username]
    return found


@pytest.mark.parametrize(
    "given",
    [
        "@gevolgd1@school.example",  # local, as list_follows gives it
        "@Gevolgd1@School.Example",  # typed in capitals
        "gevolgd1@school.example",
        "gevolgd1",  # local, without a domain
    ],
)
def test_unfollowing_a_local_account_by_handle(server, harness, given):
    followed = server.add_following(3)
    target = account_id(server, "gevolgd1")

    assert harness.connector.unfollow(given) is True

    assert harness.connector.list_follows() == [h for h in followed if "gevolgd1@" not in h]
    (lookup,) = server.requests_to("GET", "/api/v1/accounts/lookup")
    # The instance's own accounts go without a domain (the lookup ignores case).
    assert [acct.lower() for acct in lookup.query["acct"]] == ["gevolgd1"]
    (unfollow,) = server.requests_to("POST", f"/api/v1/accounts/{target}/unfollow")
    assert unfollow.status == 200
    assert unfollow.header("authorization") == f"Bearer {harness.token}"
    assert server.violations == []


def test_unfollowing_a_remote_account_and_by_id(server, harness):
    followed = server.add_following(3)
    remote = "@gevolgd2@andere-school.example"
    assert remote in followed

    assert harness.connector.unfollow(remote) is True
    assert harness.connector.unfollow(account_id(server, "gevolgd0")) is True  # by account id

    assert harness.connector.list_follows() == ["@gevolgd1@school.example"]
    lookups = server.requests_to("GET", "/api/v1/accounts/lookup")
    assert [r.query["acct"] for r in lookups] == [["gevolgd2@andere-school.example"]]
    assert [r.path for r in server.requests_to("POST", r"/api/v1/accounts/\d+/unfollow")] == [
        f"/api/v1/accounts/{account_id(server, 'gevolgd2')}/unfollow",
        f"/api/v1/accounts/{account_id(server, 'gevolgd0')}/unfollow",
    ]
    assert server.violations == []


def test_when_the_lookup_finds_nothing_the_following_list_says_the_id(server, harness):
    followed = server.add_following(2)
    server.fail_next("GET", "/api/v1/accounts/lookup", 404, {"error": "Record not found"})

    assert harness.connector.unfollow(followed[0]) is True

    assert harness.connector.list_follows() == followed[1:]
    # One page finds the id (the search stops there); the list reads to the end, which on a
    # compatible server is one empty page past the last.
    assert len(server.requests_to("GET", "/api/v1/accounts/1/following")) == 2 + server.compatible


def test_an_account_the_instance_does_not_know_is_not_unfollowed(server, harness):
    server.add_following(2)

    assert harness.connector.unfollow("@niemand@nergens.example") is False

    assert server.requests_to("POST", r"/api/v1/accounts/.*/unfollow") == []
    assert len(harness.connector.list_follows()) == 2


def test_unfollowing_needs_write_follows_and_says_to_sign_in_again_without_it(server, harness):
    assert "write:follows" in SCOPES
    server.add_following(1)
    # Everything but the right to unfollow (a compatible server grants broad scopes only).
    harness.token = server.issue_token(
        "read" if server.compatible else "read:accounts read:statuses write:media write:statuses"
    )
    server.expect_deviation("token lacks scope write:follows")

    with pytest.raises(Reconnect, match="Meld het account opnieuw aan bij Accounts"):
        harness.connector.unfollow("@gevolgd0@school.example")

    assert len(harness.connector.list_follows()) == 1
    assert server.violations == [
        f"POST /api/v1/accounts/{account_id(server, 'gevolgd0')}/unfollow:"
        " token lacks scope write:follows or follow"
    ]


def test_unfollowing_an_empty_handle_is_a_programming_error(harness):
    with pytest.raises(ValueError):
        harness.connector.unfollow(" ")


# --- errors -----------------------------------------------------------------------------------


def test_a_revoked_token_calls_the_hook_and_asks_to_reconnect(server, harness):
    server.revoke_token(harness.token)

    with pytest.raises(Reconnect, match="Meld het account opnieuw aan bij Accounts"):
        harness.connector.publish(post())
    with pytest.raises(Reconnect):
        harness.connector.who_am_i()

    assert harness.unauthorized == ["401", "401"]
    assert server.stored_statuses() == []


def test_without_a_token_nothing_is_sent_and_the_account_must_reconnect(server, harness):
    harness.token = ""
    with pytest.raises(Reconnect, match="geen aanmelding"):
        harness.connector.publish(post())
    assert [r for r in server.requests if r.header("authorization")] == []
    assert server.requests_to("POST", "/api/v1/statuses") == []
    assert harness.unauthorized == []


def test_the_token_providers_own_connector_error_is_passed_on_unchanged(server):
    refusal = RetryLater("De kluis is op slot. Postwijs probeert het later opnieuw.")

    def locked_vault() -> str:
        raise refusal

    connector = MastodonConnector(server.base_url, locked_vault)
    with connector, pytest.raises(RetryLater) as caught:
        connector.who_am_i()
    assert caught.value is refusal
    assert server.requests_to("GET", "/api/v1/accounts/verify_credentials") == []


def test_a_failing_keyring_behind_the_token_provider_means_try_again_later(server):
    def broken_vault() -> str:
        raise KeyringError("D-Bus: the Secret Service went away")

    connector = MastodonConnector(server.base_url, broken_vault)
    with connector, pytest.raises(RetryLater, match="nu niet lezen"):
        connector.who_am_i()
    assert server.requests_to("GET", "/api/v1/accounts/verify_credentials") == []


def test_a_programming_error_in_the_token_provider_is_not_hidden_as_try_again_later(server):
    # Caught as "try later", it would keep every post waiting forever and tell nobody why.
    def buggy_provider() -> str:
        return {"token": "abc"}["access_token"]

    connector = MastodonConnector(server.base_url, buggy_provider)
    with connector, pytest.raises(KeyError):
        connector.who_am_i()


def test_a_hook_that_cannot_renew_the_sign_in_still_ends_in_reconnect(server):
    token = server.issue_token(granted_scopes(server))
    server.revoke_token(token)

    def cannot_refresh() -> None:
        raise Reconnect("Geen vernieuwing mogelijk.")

    connector = MastodonConnector(server.base_url, lambda: token, cannot_refresh)
    with connector, pytest.raises(Reconnect, match="Meld het account opnieuw aan bij Accounts"):
        connector.who_am_i()


def test_a_text_over_the_instances_limit_is_rejected_with_the_servers_reason(server, harness):
    too_long = "Vandaag was het sportdag op school en iedereen deed mee. " * 9

    with pytest.raises(Rejected) as caught:
        harness.connector.publish(post(too_long))

    assert str(caught.value).startswith("Pas het bericht aan: Mastodon weigert het")
    assert "Text character limit of 500 exceeded" in str(caught.value)
    assert [r.status for r in server.requests_to("POST", "/api/v1/statuses")] == [422]
    assert server.stored_statuses() == []


def test_a_rate_limit_is_retry_later_at_the_reset_moment(server, harness):
    reset = datetime(2026, 9, 1, 10, 5, tzinfo=UTC)
    server.set_rate_limit(remaining=0, reset=reset)

    with pytest.raises(RetryLater) as caught:
        harness.connector.publish(post())

    assert type(caught.value) is RetryLater  # not an unknown outcome: nothing was stored
    assert caught.value.not_before == reset
    [refused] = server.requests_to("POST", "/api/v1/statuses")
    assert refused.status == 429
    assert server.stored_statuses() == []


def test_a_server_error_is_retry_later(server, harness):
    server.fail_next("POST", "/api/v1/statuses", 503, {"error": "Service Unavailable"})
    with pytest.raises(RetryLater, match="storing") as caught:
        harness.connector.publish(post())
    assert type(caught.value) is RetryLater


def test_a_token_without_the_scope_asks_to_reconnect(server, harness):
    harness.token = server.issue_token("read:accounts")
    server.expect_deviation("token lacks scope")
    with pytest.raises(Reconnect, match="mist rechten"):
        harness.connector.publish(post())
    assert harness.unauthorized == []


# --- sign-in pieces ---------------------------------------------------------------------------

REDIRECT = "http://127.0.0.1:53682/callback"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def approve(url: str) -> dict[str, list[str]]:
    """The browser step: the instance redirects to the loopback address with the code."""
    with requests.Session() as browser:
        answer = browser.get(url, allow_redirects=False)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return parse_qs(location.query)


@mastodon_only
def test_sign_in_registers_discovers_authorizes_with_pkce_exchanges_and_revokes(server):
    session = HttpSession("Mastodon")
    registration = register_app(session, server.base_url, REDIRECT)
    [app_request] = server.requests_to("POST", "/api/v1/apps")
    assert app_request.fields == {
        "client_name": "Postwijs",
        "redirect_uris": REDIRECT,
        "scopes": "read:accounts read:notifications read:statuses write:follows write:media write:statuses",
        "website": "https://www.scoh.nl",
    }
    assert registration.client_secret not in repr(registration)

    metadata = discover(session, server.base_url)
    assert metadata is not None and metadata.pkce
    verifier, challenge = pkce_pair()
    params = authorization_params(
        registration, "staat-123", code_challenge=challenge, metadata=metadata
    )
    assert params["code_challenge_method"] == "S256" and params["force_login"] == "true"
    query = approve(authorization_url(registration, params, metadata))
    assert query["state"] == ["staat-123"]

    with pytest.raises(Rejected, match="Meld opnieuw aan"):
        exchange_code(
            session, registration, query["code"][0], code_verifier="x" * 50, metadata=metadata
        )
    grant = exchange_code(
        session, registration, query["code"][0], code_verifier=verifier, metadata=metadata
    )
    assert grant.scopes == SCOPES
    [_refused, accepted] = server.requests_to("POST", "/oauth/token")
    assert accepted.fields == {
        "grant_type": "authorization_code",
        "code": query["code"][0],
        "client_id": registration.client_id,
        "client_secret": registration.client_secret,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    }

    with MastodonConnector(server.base_url, lambda: grant.access_token) as connector:
        assert connector.who_am_i() == "@juf@school.example"
        revoke_token(session, registration, grant.access_token, metadata=metadata)
        with pytest.raises(Reconnect):
            connector.who_am_i()
    [revoked] = server.requests_to("POST", "/oauth/revoke")
    assert revoked.fields["token"] == grant.access_token
    assert server.violations == []
    session.session.close()


def test_a_server_before_4_3_signs_in_without_pkce(server):
    server.discovery = False
    session = HttpSession("Mastodon")
    registration = register_app(session, server.base_url, REDIRECT)
    metadata = discover(session, server.base_url)
    assert metadata is None
    _verifier, challenge = pkce_pair()
    params = authorization_params(
        registration, "staat-9", code_challenge=challenge, metadata=metadata
    )
    assert "code_challenge" not in params
    url = authorization_url(registration, params, metadata)
    assert url.startswith(f"{server.base_url}/oauth/authorize?")
    grant = exchange_code(session, registration, approve(url)["code"][0])
    assert grant.access_token in server.tokens
    assert server.violations == []
    session.session.close()


def test_the_app_registration_is_cached_per_instance_in_the_secret_store(server):
    store: dict[str, str] = {}
    cache = AppRegistrationCache(store.get, store.__setitem__)
    session = HttpSession("Mastodon")

    first = cache.get_or_register(session, server.base_url, REDIRECT)
    again = cache.get_or_register(session, server.base_url + "/", REDIRECT)
    other_redirect = cache.get_or_register(session, server.base_url, "http://127.0.0.1:1/cb")

    assert again == first
    assert other_redirect.client_id != first.client_id
    assert len(server.requests_to("POST", "/api/v1/apps")) == 2
    assert list(store) == [f"mastodon-app:{server.base_url}"]
    assert other_redirect.client_secret in store[f"mastodon-app:{server.base_url}"]
    cache.forget(server.base_url)
    assert cache.get(server.base_url) is None
    session.session.close()


# --- the contract server itself refuses what deviates -----------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "violation"),
    [
        ("GET", "/api/v1/accounts/verify_credentials", {}, 401, "no Authorization header"),
        ("GET", "/api/v1/accounts/verify_credentials", {"headers": {"Authorization": "Token x"}}, 401, "malformed"),
        ("POST", "/api/v1/statuses", {"data": b"Hallo", "headers": {"Content-Type": "text/plain"}}, 422, "unsupported content type"),
        ("POST", "/api/v2/media", {"json": {"description": "Een foto"}}, 422, "no file part"),
        ("GET", "/api/v1/accounts/1/following", {"params": {"limit": 80, "max_id": 123}}, 200, "not taken from a Link header"),
        ("POST", "/api/v1/statuses/1/pin", {}, 404, "no such endpoint"),
        ("PUT", "/api/v1/statuses", {"json": {"status": "Hallo"}}, 404, "no such endpoint"),
        ("POST", "/api/v1/statuses", {"json": {"status": "Hallo", "visibilty": "public"}}, 200, "unknown field 'visibilty'"),
    ],
)  # fmt: skip
def test_the_contract_server_refuses_and_notes_what_deviates(
    server, method, path, kwargs, status, violation
):
    server.expect_deviation(f"{method} {path}: ")  # this request deviates on purpose
    token = server.issue_token(granted_scopes(server))
    kwargs = dict(kwargs)  # the parameter is shared by both server modes: do not empty it
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    if "no Authorization" in violation:
        headers.pop("Authorization")
    with requests.Session() as client:
        answer = client.request(method, server.base_url + path, headers=headers, **kwargs)
    assert answer.status_code == status
    assert any(violation in v for v in server.violations), server.violations


def test_the_contract_server_refuses_media_that_has_not_finished_processing(server):
    server.media_processing_polls = 3
    token = server.issue_token(granted_scopes(server))
    data, mime = image_bytes("png", 10, 10)
    with requests.Session() as client:
        client.headers["Authorization"] = f"Bearer {token}"
        upload = client.post(
            server.base_url + "/api/v2/media", files={"file": ("a.png", data, mime)}
        )
        assert upload.status_code == 202 and upload.json()["url"] is None
        status = client.post(
            server.base_url + "/api/v1/statuses",
            data={"status": "Onze nieuwe speeltuin!", "media_ids[]": [upload.json()["id"]]},
        )
    assert status.status_code == 422
    assert "Cannot attach files that have not finished processing" in status.json()["error"]
    assert server.stored_statuses() == []


def test_the_contract_server_answers_a_repeated_idempotency_key_with_the_same_status(server):
    token = server.issue_token(granted_scopes(server))
    with requests.Session() as client:
        client.headers.update({"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"})
        first = client.post(server.base_url + "/api/v1/statuses", json={"status": "Hallo ouders"})
        second = client.post(server.base_url + "/api/v1/statuses", json={"status": "Hallo ouders"})
    if server.compatible:
        # It ignores the key: two statuses. Only find_post before a resend keeps one (outbox).
        assert first.json()["id"] != second.json()["id"]
        assert len(server.stored_statuses()) == 2
    else:
        assert first.json()["id"] == second.json()["id"]
        assert len(server.stored_statuses()) == 1
    assert first.headers["X-RateLimit-Limit"] == "300"
    assert datetime.fromisoformat(first.headers["X-RateLimit-Reset"].replace("Z", "+00:00"))


def test_a_bad_request_that_is_not_about_the_token_stays_a_refusal(server):
    """The compatible server's 400 means "sign in again" only because of what it says: another
    400 is the post's own problem, and the token is not dropped for it."""
    server.compatible = True
    with requests.Session() as client:
        answer = client.post(
            server.base_url + "/api/v1/statuses",
            headers={"Authorization": "Bearer niet-bekend"},
            json={"status": "Hallo"},
        )
    assert (answer.status_code, answer.headers["Content-Type"].split(";")[0]) == (400, "text/html")
    assert isinstance(classify_mastodon(answer, "Mastodon"), Reconnect)
    answer._content = b"Status text is too long"
    assert isinstance(classify_mastodon(answer, "Mastodon"), Rejected)


@pytest.mark.parametrize(
    ("announced", "asked"),
    [
        (None, SCOPES),  # no discovery document: Mastodon before 4.3 grants them unannounced
        ((), SCOPES),
        (("read", "write", "follow", "push", *SCOPES), SCOPES),
        (("read", "write", "follow", "push"), BROAD_SCOPES),
        (("profile",), SCOPES),  # nothing usable announced: ask what Postwijs needs
    ],
)
def test_the_scopes_asked_for_follow_what_the_server_announces(announced, asked):
    metadata = (
        None
        if announced is None
        else replace(classic_endpoints("https://school.example"), scopes_supported=announced)
    )
    assert choose_scopes(metadata) == asked
