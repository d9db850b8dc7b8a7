"""Signing a LinkedIn page in through the browser and the foundation's service: LinkedIn's
authorization page (the contract server, as its authorization code flow documents it) sends
the browser back to Postwijs's loopback port; the real service process exchanges the code with
the client secret; Postwijs chooses the page the member may post for and keeps the tokens in
the real Secret Service."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
import requests

from app.accounts.service import CONNECTED, NOTE_KEY, AccountService
from app.dutch_time import long_date
from app.networks.connector import OutgoingPost, Rejected, SignIn
from connectors import SignInOptions, koppeldienst, networks
from connectors.oauth import SignInCancelled, SignInFailed
from connectors.secrets import SecretStore
from tests.connectors.test_accounts import site_with
from tests.servers.koppeldienst_process import RunningService, free_port
from tests.servers.koppeldienst_process import koppeldienst as running_service
from tests.servers.linkedin_server import LinkedinServer

ACCOUNT = "kw-linkedin"
SCOPES = "w_organization_social r_organization_social rw_organization_admin"


@pytest.fixture
def server():
    with LinkedinServer() as running:
        yield running


@pytest.fixture
def vault(secret_service):
    yield SecretStore()
    SecretStore().delete(ACCOUNT)


def browser_that_consents(url: str) -> bool:
    """The member's browser: it opens LinkedIn's page, which sends it on to our loopback."""
    threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10}).start()
    return True


def linkedin_service(
    server: LinkedinServer, tmp_path: Path, port: int, organizations: tuple[str, ...] = ()
):
    """The koppeldienst for LinkedIn (its Meta half unused), returning members to `port`,
    serving `organizations` (by default the server's page)."""
    return running_service(
        "http://127.0.0.1:9",
        tmp_path / "service.log",
        app_id="ongebruikt",
        app_secret="ongebruikt-geheim",
        redirect_uris=(f"http://127.0.0.1:{port}/callback",),
        linkedin=(server.base_url, server.client_id, server.client_secret),
        linkedin_organizations=organizations or (server.organization,),
    )


def linkedin_options(
    server: LinkedinServer, service: RunningService, open_browser: Callable[[str], bool]
) -> SignInOptions:
    """The site's options for LinkedIn through `service`, with the member's browser."""
    return SignInOptions(
        linkedin_api=server.base_url,
        linkedin_authorization=server.base_url,
        koppeldienst_url=service.base_url,
        linkedin_refresher=partial(koppeldienst.refresh_linkedin, service.base_url),
        open_browser=open_browser,
    )


@contextlib.contextmanager
def signing_in(
    server: LinkedinServer,
    tmp_path: Path,
    handle: str | None = None,
    organizations: tuple[str, ...] = (),
) -> Iterator[tuple[AccountService, object, RunningService]]:
    """The service for LinkedIn (its Meta half unused), an account returning to its own port,
    and the account service with the site's options."""
    port = free_port()
    with linkedin_service(server, tmp_path, port, organizations) as service:
        account = site_with(
            tmp_path,
            f"""
[[schools.accounts]]
id = "{ACCOUNT}"
network = "linkedin"
name = "LinkedIn De Regenboog"
kind = "official"
handle = "{server.organization if handle is None else handle}"
redirect_port = "{port}"
""",
        ).account(ACCOUNT)
        options = linkedin_options(server, service, browser_that_consents)
        yield AccountService(SecretStore(), tmp_path / "data", networks(options)), account, service


def test_the_member_signs_in_in_the_browser_and_the_pages_tokens_are_kept(
    server, vault, store, tmp_path
):
    with signing_in(server, tmp_path) as (accounts, account, service):
        assert accounts.sign_in_method(account) is SignIn.BROWSER
        connected = accounts.connect(store, account, "ict")

        assert "Basisschool De Regenboog" in connected.message
        kept = vault.read(ACCOUNT)
        assert kept["source"] == "koppeldienst"
        assert kept["organization_urn"] == server.organization
        assert server.tokens[kept["access_token"]] == server.organization
        assert kept["refresh_token"] in server.refresh_tokens
        assert server.authorization_scopes == [SCOPES]
        log = service.log.read_text()
        for secret in (kept["access_token"], kept["refresh_token"], server.client_secret):
            assert secret not in log
        status = accounts.status(store, account)
        assert status.connection == CONNECTED
        assert status.connected_as == "Basisschool De Regenboog"
        # The access token renews itself through the service until the refresh token ends.
        ends = long_date(datetime.now(UTC) + timedelta(days=365))
        assert status.note == f"De aanmelding is geldig tot {ends}."
        assert kept["access_token"] not in str(kept[NOTE_KEY])
        published = accounts.connector_for(account).publish(
            OutgoingPost("doel-1", "regenboog", "De Regenboog", "Hallo allemaal", ())
        )
        assert [p.urn for p in server.stored_posts()] == [published.remote_id]


def test_without_a_handle_the_members_only_page_is_chosen(server, vault, store, tmp_path):
    server.roles.append(("urn:li:organization:5550001", "ANALYST", "APPROVED"))  # cannot post
    with signing_in(server, tmp_path, handle="") as (accounts, account, _service):
        assert accounts.status(store, account).configuration_problem == ""
        accounts.connect(store, account, "ict")
    assert vault.read(ACCOUNT)["organization_urn"] == server.organization


def test_a_member_of_several_pages_without_a_handle_hears_which_and_nothing_is_kept(
    server, vault, store, tmp_path
):
    server.organization_names["urn:li:organization:5550001"] = "Kindcentrum De Vlinder"
    server.roles.append(("urn:li:organization:5550001", "CONTENT_ADMIN", "APPROVED"))
    both = (server.organization, "urn:li:organization:5550001")
    with (
        signing_in(server, tmp_path, handle="", organizations=both) as (accounts, account, _),
        pytest.raises(Rejected) as caught,
    ):
        accounts.connect(store, account, "ict")
    message = str(caught.value)
    assert "Basisschool De Regenboog" in message and "Kindcentrum De Vlinder" in message
    assert "handle" in message
    assert vault.read(ACCOUNT) is None


def test_a_member_who_may_not_post_for_the_page_is_refused_and_nothing_is_kept(
    server, vault, store, tmp_path
):
    server.roles[:] = [(server.organization, "ANALYST", "APPROVED")]
    with (
        signing_in(server, tmp_path) as (accounts, account, _service),
        pytest.raises(Rejected) as caught,
    ):
        accounts.connect(store, account, "ict")
    assert "niet plaatsen op de pagina van LinkedIn De Regenboog" in str(caught.value)
    assert vault.read(ACCOUNT) is None


def test_a_page_not_on_the_services_list_is_refused_in_dutch_and_nothing_is_kept(
    server, vault, store, tmp_path
):
    with signing_in(server, tmp_path, organizations=("5550001",)) as (accounts, account, service):
        with pytest.raises(SignInFailed) as caught:
            accounts.connect(store, account, "ict")
        log = service.log.read_text()
    assert str(caught.value) == (
        "Deze LinkedIn-pagina staat niet op de lijst van de koppeldienst van de stichting. "
        "Vraag de ICT-beheerder de pagina toe te voegen (organizations in de koppeldienst). "
        "Postwijs en de koppeldienst bewaren niets van deze aanmelding. De toestemming die je "
        "LinkedIn net gaf, trek je in bij LinkedIn: Instellingen, Gegevensprivacy, Toegestane "
        "services."
    )
    assert vault.read(ACCOUNT) is None
    for secret in (server.client_secret, *server.tokens, *server.refresh_tokens):
        assert secret not in log


def test_without_a_handle_only_the_members_page_on_the_services_list_is_chosen(
    server, vault, store, tmp_path
):
    server.organization_names["urn:li:organization:5550001"] = "Kindcentrum De Vlinder"
    server.roles.insert(0, ("urn:li:organization:5550001", "ADMINISTRATOR", "APPROVED"))
    with signing_in(server, tmp_path, handle="") as (accounts, account, _service):
        accounts.connect(store, account, "ict")
    assert vault.read(ACCOUNT)["organization_urn"] == server.organization


def test_cancelling_on_linkedins_page_keeps_nothing_and_says_so_quietly(
    server, vault, store, tmp_path
):
    server.cancel_consent = True
    with (
        signing_in(server, tmp_path) as (accounts, account, _service),
        pytest.raises(SignInCancelled) as caught,
    ):
        accounts.connect(store, account, "ict")
    assert "geannuleerd" in str(caught.value)
    assert vault.read(ACCOUNT) is None and server.codes == {}


def test_a_token_pasted_with_the_service_has_its_end_from_linkedins_introspection(
    server, vault, store, tmp_path
):
    token = server.issue_token()
    ends = datetime.now(UTC) + timedelta(days=12)
    server.token_ends[token] = ends.timestamp()  # made 48 days ago
    with signing_in(server, tmp_path) as (accounts, account, service):
        accounts.connect(store, account, "ict", app_password=token)
        status = accounts.status(store, account)
        assert status.note == f"Het token is geldig tot {long_date(ends)}."
        [asked] = server.requests_to("POST", "/oauth/v2/introspectToken")
        assert asked.fields["token"] == token
        assert token not in service.log.read_text()


def test_the_service_tells_no_end_of_a_token_linkedin_does_not_know_or_that_was_revoked(
    server, vault, store, tmp_path
):
    revoked = server.issue_token()
    server.revoked_tokens.add(revoked)
    with signing_in(server, tmp_path) as (_accounts, _account, service):
        url = service.base_url + "/v1/linkedin/token-expiry"
        for token in ("AQVgeen-echt-token", revoked):
            answer = requests.post(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
            assert answer.status_code == 401
            assert answer.json()["error"]["kind"] == "reconnect"
            assert token not in service.log.read_text()


def test_with_the_service_the_account_needs_its_sign_in_port(server, vault, store, tmp_path):
    account = site_with(
        tmp_path,
        f"""
[[schools.accounts]]
id = "{ACCOUNT}"
network = "linkedin"
name = "LinkedIn De Regenboog"
kind = "official"
handle = "{server.organization}"
""",
    ).account(ACCOUNT)
    options = SignInOptions(koppeldienst_url="https://kd.scoh.nl")
    status = AccountService(vault, tmp_path / "data", networks(options)).status(store, account)
    assert status.note.startswith("De ICT-beheerder moet LinkedIn nog instellen voor Postwijs.")
    assert "redirect_port" in status.configuration_problem  # for IT, under "Voor ICT"
