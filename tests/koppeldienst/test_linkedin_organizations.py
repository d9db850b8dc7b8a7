"""The koppeldienst (a real process) gives LinkedIn tokens only for the foundation's own pages:
after the code exchange or the refresh it reads at LinkedIn (the contract server's
organizationAcls) in which pages the member holds a role, and refuses when none is on its list,
without handing out the token and without writing a token, code or secret in its log. The
token it got is then revoked at LinkedIn, so it does not stay valid there for 60 days."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from tests.servers.koppeldienst_process import RunningService, koppeldienst
from tests.servers.linkedin_server import LinkedinServer

BACK = "http://127.0.0.1:8767/callback"
OTHER_PAGE = "urn:li:organization:5550001"


@pytest.fixture
def server():
    with LinkedinServer() as running:
        yield running


def service_serving(server: LinkedinServer, tmp_path: Path, *organizations: str):
    return koppeldienst(
        "http://127.0.0.1:9",
        tmp_path / "service.log",
        app_id="ongebruikt",
        app_secret="ongebruikt-geheim",
        redirect_uris=(BACK,),
        linkedin=(server.base_url, server.client_id, server.client_secret),
        linkedin_organizations=organizations,
    )


def a_code(server: LinkedinServer) -> str:
    """A code as LinkedIn's authorization page gives it to the member's browser."""
    code = "AQTcode-" + str(time.monotonic_ns())
    server.codes[code] = (BACK, time.time() + 600)
    return code


def assert_refused_without_token(answer: requests.Response, server: LinkedinServer) -> None:
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["kind"] == "rejected" and error["code"] == "organization_not_allowed"
    assert "niet op de lijst" in error["message"]
    assert server.tokens, "LinkedIn did give the service a token"
    for token in (*server.tokens, *server.refresh_tokens):
        assert token not in answer.text


def assert_log_clean(service: RunningService, server: LinkedinServer, *also: str) -> None:
    log = service.log.read_text()
    assert "organization_not_allowed" in log  # the refusal is logged, by its code only
    for secret in (server.client_secret, *server.tokens, *server.refresh_tokens, *also):
        assert secret not in log


def works_at_linkedin(server: LinkedinServer, token: str) -> bool:
    """Whether LinkedIn's API still takes the token (as anyone who had it would use it)."""
    answer = requests.get(
        server.base_url + "/rest/organizationAcls",
        params={"q": "roleAssignee"},
        headers={
            "Authorization": f"Bearer {token}",
            "Linkedin-Version": "202603",
            "X-Restli-Protocol-Version": "2.0.0",
        },
        timeout=10,
    )
    assert answer.status_code in (200, 401), answer.text
    return answer.status_code == 200


def refreshes_at_linkedin(server: LinkedinServer, refresh_token: str) -> bool:
    answer = requests.post(
        server.base_url + "/oauth/v2/accessToken",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": server.client_id,
            "client_secret": server.client_secret,
        },
        timeout=10,
    )
    return answer.status_code == 200


def test_an_exchange_for_a_page_not_on_the_list_gives_no_token(server, tmp_path):
    server.roles[:] = [(OTHER_PAGE, "ADMINISTRATOR", "APPROVED")]
    code = a_code(server)
    with service_serving(server, tmp_path, server.organization) as service:
        answer = requests.post(
            service.base_url + "/v1/linkedin/exchange",
            json={"code": code, "redirect_uri": BACK},
            timeout=10,
        )
        assert_refused_without_token(answer, server)
        [asked] = server.requests_to("GET", r"/rest/organizationAcls")
        assert asked.header("linkedin-version") and asked.query["q"] == ["roleAssignee"]
        assert_log_clean(service, server, code)


def test_a_refused_exchange_leaves_no_live_token_at_linkedin(server, tmp_path):
    server.roles[:] = [(OTHER_PAGE, "ADMINISTRATOR", "APPROVED")]
    with service_serving(server, tmp_path, server.organization) as service:
        answer = requests.post(
            service.base_url + "/v1/linkedin/exchange",
            json={"code": a_code(server), "redirect_uri": BACK},
            timeout=10,
        )
        assert_refused_without_token(answer, server)
        [access] = server.tokens
        [refresh] = server.refresh_tokens
        assert not works_at_linkedin(server, access)
        assert not refreshes_at_linkedin(server, refresh)
        assert "linkedin token revoked" in service.log.read_text()
        assert_log_clean(service, server)


def test_a_refused_refresh_leaves_no_live_access_token_at_linkedin(server, tmp_path):
    refresh = server.issue_refresh_token()
    with service_serving(server, tmp_path, "5550001") as service:
        answer = requests.post(
            service.base_url + "/v1/linkedin/refresh", json={"refresh_token": refresh}, timeout=10
        )
        assert_refused_without_token(answer, server)
        [access] = server.tokens
        assert not works_at_linkedin(server, access)
        assert_log_clean(service, server)


def test_a_failed_revocation_changes_nothing_for_the_app_and_is_logged(server, tmp_path):
    server.roles[:] = [(OTHER_PAGE, "ADMINISTRATOR", "APPROVED")]
    server.fail_next("POST", r"/oauth/v2/revoke", 500, {"message": "Internal", "status": 500})
    with service_serving(server, tmp_path, server.organization) as service:
        answer = requests.post(
            service.base_url + "/v1/linkedin/exchange",
            json={"code": a_code(server), "redirect_uri": BACK},
            timeout=10,
        )
        assert_refused_without_token(answer, server)
        assert "NOT revoked: LinkedIn answered 500" in service.log.read_text()
        assert_log_clean(service, server)


def test_a_revocation_left_without_answer_changes_nothing_for_the_app(server, tmp_path):
    server.roles[:] = [(OTHER_PAGE, "ADMINISTRATOR", "APPROVED")]
    server.drop_connection_after("POST", r"/oauth/v2/revoke", times=2)
    with service_serving(server, tmp_path, server.organization) as service:
        answer = requests.post(
            service.base_url + "/v1/linkedin/exchange",
            json={"code": a_code(server), "redirect_uri": BACK},
            timeout=30,
        )
        assert_refused_without_token(answer, server)
        assert service.log.read_text().count("NOT revoked: LinkedIn unreachable") == 2
        assert_log_clean(service, server)


def test_linkedin_revokes_only_for_the_apps_own_credentials(server):
    token = server.issue_token()
    answer = requests.post(
        server.base_url + "/oauth/v2/revoke",
        data={"client_id": server.client_id, "client_secret": "een ander geheim", "token": token},
        timeout=10,
    )
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"
    assert works_at_linkedin(server, token)


def test_a_refresh_for_a_page_taken_off_the_list_gives_no_token(server, tmp_path):
    refresh = server.issue_refresh_token()
    with service_serving(server, tmp_path, "5550001") as service:
        answer = requests.post(
            service.base_url + "/v1/linkedin/refresh", json={"refresh_token": refresh}, timeout=10
        )
        assert_refused_without_token(answer, server)
        assert_log_clean(service, server)


def test_an_exchange_names_only_the_members_pages_on_the_list(server, tmp_path):
    server.roles.append((OTHER_PAGE, "ADMINISTRATOR", "APPROVED"))
    with service_serving(server, tmp_path, "2414183") as service:
        answer = requests.post(
            service.base_url + "/v1/linkedin/exchange",
            json={"code": a_code(server), "redirect_uri": BACK},
            timeout=10,
        )
        assert answer.status_code == 200
        assert answer.json()["organizations"] == [server.organization]
        assert answer.json()["access_token"] in server.tokens


def test_the_list_may_name_pages_by_urn(server, tmp_path):
    with service_serving(server, tmp_path, server.organization) as service:
        answer = requests.post(
            service.base_url + "/v1/linkedin/exchange",
            json={"code": a_code(server), "redirect_uri": BACK},
            timeout=10,
        )
        assert answer.status_code == 200
