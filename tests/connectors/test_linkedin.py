"""LinkedIn's own quirks against its contract server (tests/servers/linkedin_server.py); the
shared contract suite (tests/connectors/contract/) covers publishing, find_post, delete and the
common errors."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

import connectors
from app.accounts.service import CONNECTED, NOTE_KEY, RECONNECT, SIGNED_OUT, AccountService
from app.dutch_time import long_date
from app.networks import textcount
from app.networks.connector import OutgoingMedia, OutgoingPost, Reconnect, Rejected
from app.site.config import SiteConfigError
from connectors import SignInOptions, networks
from connectors.linkedin import LinkedinConnector, organization_urn
from connectors.secrets import SecretStore
from tests.connectors.test_accounts import site_with
from tests.servers.linkedin_server import LinkedinServer

TEXT = "Groep 8 (de Uilen) won de #zeskamp! Vragen? Mail naar info@regenboog.nl_ [1] {2} *3* ~4~ \\5 <6> |7|"


def post(text: str = TEXT, media=()) -> OutgoingPost:
    return OutgoingPost("doel-1", "regenboog", "De Regenboog", text, media)


def entry_for(server: LinkedinServer, **changes) -> dict:
    return {
        "organization_urn": server.organization,
        "access_token": server.issue_token(),
        "expires_at": None,
        "refresh_token": None,
        "refresh_expires_at": None,
        "source": "pasted",
        **changes,
    }


def photos(tmp_path, count: int, name: str = "foto") -> tuple[OutgoingMedia, ...]:
    made = []
    for number in range(count):
        buffer = io.BytesIO()
        Image.new("RGB", (32 + number, 24), (200, 40 * number % 255, 90)).save(buffer, "JPEG")
        path = tmp_path / f"{name}-{number}.jpg"
        path.write_bytes(buffer.getvalue())
        made.append(
            OutgoingMedia(str(path), "image/jpeg", f"Foto {number} van de zeskamp.", 32, 24)
        )
    return tuple(made)


@pytest.fixture
def server():
    with LinkedinServer() as running:
        yield running


def test_every_request_names_the_configured_version_and_restli_2(server):
    entry = entry_for(server)
    with LinkedinConnector(lambda: entry, base_url=server.base_url, version="202601") as linkedin:
        assert linkedin.who_am_i() == "Basisschool De Regenboog"
        linkedin.publish(post("Hallo"))

    assert server.requests
    for request in server.requests:
        assert request.header("linkedin-version") == "202601"
        assert request.header("x-restli-protocol-version") == "2.0.0"


def test_a_retired_version_tells_it_to_configure_a_newer_one(server):
    entry = entry_for(server)
    with (
        LinkedinConnector(lambda: entry, base_url=server.base_url, version="202511") as linkedin,
        pytest.raises(Rejected) as caught,
    ):
        linkedin.publish(post("Hallo"))

    assert server.requests[-1].status == 426
    assert "ICT-beheerder" in str(caught.value) and "[linkedin] version" in str(caught.value)
    assert server.stored_posts() == []


def test_reserved_characters_arrive_whole_and_the_counter_counts_the_escapes(server):
    entry = entry_for(server)
    with LinkedinConnector(lambda: entry, base_url=server.base_url) as linkedin:
        published = linkedin.publish(post())

    [stored] = server.stored_posts()
    assert stored.text == TEXT  # not cut at the first "(": every reserved character escaped
    assert published.remote_id == stored.urn  # from x-restli-id
    assert published.url == f"https://www.linkedin.com/feed/update/{stored.urn}/"
    reserved = sum(TEXT.count(c) for c in "|{}@[]()<>#*_~\\")
    assert textcount.linkedin_length(TEXT) == len(TEXT) + reserved


def test_one_photo_is_media_and_several_are_a_multi_image_post_each_in_one_put(server, tmp_path):
    entry = entry_for(server)
    one, three = photos(tmp_path, 1, "los"), photos(tmp_path, 3, "reeks")
    with LinkedinConnector(lambda: entry, base_url=server.base_url) as linkedin:
        linkedin.publish(post("Eén foto", one))
        linkedin.publish(post("Drie foto's", three))

    single, multi = server.stored_posts()
    assert set(single.content) == {"media"} and single.alts == (one[0].alt_text,)
    assert set(multi.content) == {"multiImage"}
    assert multi.alts == tuple(photo.alt_text for photo in three)
    puts = server.requests_to("PUT", r"/upload/.+")
    assert len(puts) == 4  # one PUT per photo, the whole file each time
    assert [put.body for put in puts] == [Path(p.path).read_bytes() for p in (*one, *three)]


def test_more_photos_than_linkedin_takes_are_refused_before_any_upload(server, tmp_path):
    entry = entry_for(server)
    with (
        LinkedinConnector(lambda: entry, base_url=server.base_url) as linkedin,
        pytest.raises(Rejected) as caught,
    ):
        linkedin.publish(post("Veel foto's", photos(tmp_path, 21)))

    assert "20" in str(caught.value)
    assert server.requests == []


def test_a_token_near_its_end_is_renewed_through_the_service_and_kept(server):
    now = datetime.now(UTC)
    entry = entry_for(
        server,
        expires_at=(now + timedelta(hours=2)).isoformat(),
        refresh_token="vernieuw-mij",
        refresh_expires_at=(now + timedelta(days=300)).isoformat(),
    )
    saved: list[dict] = []
    fresh = server.issue_token()

    def refresher(refresh_token: str) -> dict:  # the foundation's service, standing in
        assert refresh_token == "vernieuw-mij"
        return {
            "access_token": fresh,
            "expires_at": (now + timedelta(days=60)).isoformat(),
            "refresh_token": "vernieuw-mij",
            "refresh_expires_at": (now + timedelta(days=300)).isoformat(),
        }

    def save(renewed: dict) -> None:
        saved.append(dict(renewed))
        entry.update(renewed)

    server.revoke_token(entry["access_token"])  # the old one would no longer do
    with LinkedinConnector(
        lambda: entry, save, base_url=server.base_url, refresher=refresher
    ) as linkedin:
        linkedin.publish(post("Hallo"))

    assert saved and saved[0]["access_token"] == fresh
    assert saved[0]["organization_urn"] == server.organization
    assert len(server.stored_posts()) == 1


def test_an_expired_token_without_refresh_asks_to_connect_again_without_a_request(server):
    entry = entry_for(server, expires_at=(datetime.now(UTC) - timedelta(minutes=1)).isoformat())
    with (
        LinkedinConnector(lambda: entry, base_url=server.base_url) as linkedin,
        pytest.raises(Reconnect) as caught,
    ):
        linkedin.publish(post("Hallo"))

    assert "Accounts" in str(caught.value)
    assert server.requests == []


def test_a_token_for_another_page_is_refused_and_nothing_is_placed(server):
    entry = entry_for(server, access_token=server.issue_token("urn:li:organization:999"))
    with (
        LinkedinConnector(lambda: entry, base_url=server.base_url) as linkedin,
        pytest.raises(Reconnect),
    ):
        linkedin.publish(post("Hallo"))
    assert server.stored_posts() == []


def test_a_missing_field_error_is_a_dutch_rejection(server):
    entry = entry_for(server)
    server.fail_next(
        "POST",
        r"/rest/posts",
        422,
        {"message": "ERROR :: /commentary :: too long", "serviceErrorCode": 100, "status": 422},
    )
    with (
        LinkedinConnector(lambda: entry, base_url=server.base_url) as linkedin,
        pytest.raises(Rejected) as caught,
    ):
        linkedin.publish(post("Hallo"))

    assert str(caught.value).startswith("Pas het bericht aan: LinkedIn weigert het")


@pytest.mark.parametrize(
    ("value", "urn"),
    [
        ("2414183", "urn:li:organization:2414183"),
        (" urn:li:organization:7 ", "urn:li:organization:7"),
    ],
)
def test_an_organisation_is_given_as_id_or_urn(value, urn):
    assert organization_urn(value) == urn


@pytest.mark.parametrize("value", ["", "urn:li:person:7", "regenboog", "12a"])
def test_anything_else_is_no_organisation(value):
    with pytest.raises(ValueError):
        organization_urn(value)


# --- the pasted token on the Accounts page's service, with the real Secret Service -----------


@pytest.fixture
def vault(secret_service):
    yield SecretStore()
    SecretStore().delete("kw-linkedin")


def linkedin_account(server: LinkedinServer) -> str:
    return f"""
[[schools.accounts]]
id = "kw-linkedin"
network = "linkedin"
name = "LinkedIn De Kleine Wereld"
kind = "official"
handle = "{server.organization}"
"""


def test_a_pasted_token_is_checked_kept_in_the_vault_and_its_expiry_shown(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, linkedin_account(server))
    account = site.account("kw-linkedin")
    service = AccountService(vault, data_dir, networks(SignInOptions(linkedin_api=server.base_url)))
    token = server.issue_token()
    assert service.status(store, account).connection == SIGNED_OUT
    connected = service.connect(store, account, "ict", app_password=f"  {token}\n")
    status = service.status(store, account)

    assert "Basisschool De Regenboog" in connected.message
    assert status.connection == CONNECTED
    assert status.connected_as == "Basisschool De Regenboog"
    # LinkedIn tells an app without its secret nothing of a token's age: 60 days at most.
    latest = long_date(datetime.now(UTC) + timedelta(days=60))
    assert status.note == f"Het token is uiterlijk geldig tot {latest}."
    assert not status.renew_soon
    assert vault.read("kw-linkedin")["access_token"] == token
    published = service.connector_for(account).publish(post("Hallo"))
    assert [p.urn for p in server.stored_posts()] == [published.remote_id]


def test_a_pasted_token_near_its_end_says_to_paste_a_new_one_and_an_ended_one_to_reconnect(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, linkedin_account(server))
    account = site.account("kw-linkedin")
    service = AccountService(vault, data_dir, networks(SignInOptions(linkedin_api=server.base_url)))
    service.connect(store, account, "ict", app_password=server.issue_token())

    def ending(moment: datetime) -> None:
        stored = vault.read("kw-linkedin")
        stored[NOTE_KEY] = {**stored[NOTE_KEY], "expiresAt": moment.isoformat()}
        vault.write("kw-linkedin", stored)

    soon = datetime.now(UTC) + timedelta(days=3)
    ending(soon)
    status = service.status(store, account)
    assert status.connection == CONNECTED and status.renew_soon
    assert status.note == (
        f"Het token verloopt op {long_date(soon)}. Plak voor die dag een nieuw token: kies Aanmelden bij LinkedIn."
    )
    ended = datetime.now(UTC) - timedelta(hours=1)
    ending(ended)
    status = service.status(store, account)
    assert status.connection == RECONNECT
    assert status.note == (
        f"Het token is verlopen op {long_date(ended)}. Plak een nieuw token: kies Aanmelden bij LinkedIn."
    )


def test_a_wrong_pasted_token_is_refused_and_not_kept(server, vault, store, data_dir, tmp_path):
    site = site_with(tmp_path, linkedin_account(server))
    account = site.account("kw-linkedin")
    service = AccountService(vault, data_dir, networks(SignInOptions(linkedin_api=server.base_url)))
    with pytest.raises(Rejected) as caught:
        service.connect(store, account, "ict", app_password="geen-echt-token")

    assert str(caught.value).startswith("LinkedIn neemt dit token niet aan")
    assert "geen-echt-token" not in str(caught.value)
    assert vault.read("kw-linkedin") is None


def test_the_site_configuration_names_the_linkedin_month(tmp_path):
    assert site_with(tmp_path, '\n[linkedin]\nversion = "202601"\n').linkedin_version == "202601"
    with pytest.raises(SiteConfigError) as caught:
        site_with(tmp_path, '\n[linkedin]\nversion = "maart 2026"\n')
    assert "linkedin.version" in str(caught.value)


def test_publishing_uses_the_sites_month_and_its_service_for_renewal(
    server, vault, store, data_dir, tmp_path
):
    """The site's [linkedin] version reaches every request of a post the outbox sends, not only
    the Accounts page's; a site that names the foundation's service gets renewal through it."""
    site = site_with(
        tmp_path,
        linkedin_account(server)
        + 'redirect_port = "8767"\n'
        + '\n[linkedin]\nversion = "202601"\n\n[koppeldienst]\nurl = "https://kd.scoh.nl/"\n',
    )
    account = site.account("kw-linkedin")
    options = connectors.options_for(site, linkedin_api=server.base_url)
    service = AccountService(vault, data_dir, networks(options))
    service.connect(store, account, "ict", app_password=server.issue_token())
    server.requests.clear()
    service.connector_for(account).publish(post("Hallo"))

    assert server.requests
    assert {r.header("linkedin-version") for r in server.requests} == {"202601"}
    assert options.linkedin_refresher.args == ("https://kd.scoh.nl",)
    assert connectors.options_for(replace(site, koppeldienst_url="")).linkedin_refresher is None


def test_the_service_address_must_be_https_or_this_computer(tmp_path):
    with pytest.raises(SiteConfigError) as caught:
        site_with(tmp_path, '\n[koppeldienst]\nurl = "http://kd.scoh.nl"\n')
    assert "koppeldienst.url" in str(caught.value)
    local = site_with(tmp_path, '\n[koppeldienst]\nurl = "http://127.0.0.1:8400"\n')
    assert local.koppeldienst_url == "http://127.0.0.1:8400"
