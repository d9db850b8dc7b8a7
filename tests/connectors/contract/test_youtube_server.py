"""The YouTube contract server itself, proved against Google's own client and discovery document.

google-api-python-client builds the API from the oracle document (pointed at 127.0.0.1) and
uploads a video with MediaFileUpload's resumable protocol, finds it in the uploads playlist and
deletes it: the server notes no deviation. The resumable protocol's resume, Google's error shape
and the installed-app OAuth rules answer as Google's guides describe them.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build_from_document
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload, build_http

from tests.servers.oracles import copy_of_youtube_document
from tests.servers.youtube_server import CHUNK_GRANULARITY, FORCE_SSL, UPLOAD, YouTubeServer

SCOPES = f"{UPLOAD} {FORCE_SSL}"
METADATA = {
    "snippet": {"title": "Sportdag 2026", "description": "De sportdag van groep 5."},
    "status": {
        "privacyStatus": "unlisted",
        "selfDeclaredMadeForKids": True,
        "containsSyntheticMedia": False,
    },
}


@pytest.fixture
def server():
    with YouTubeServer() as made:
        yield made


@pytest.fixture
def video_file(tmp_path):
    path = tmp_path / "sportdag.mp4"
    path.write_bytes(bytes(range(256)) * 2600)  # 665,600 bytes: two full chunks and a tail
    return path


@pytest.fixture
def google_client():
    """Google's client on the oracle document, pointed at the server; closed after the test."""
    made = []

    def build(server: YouTubeServer, token):
        made.append(_google_client(server, token))
        return made[-1]

    yield build
    for client in made:
        client.close()


def _google_client(server: YouTubeServer, token):
    document = copy_of_youtube_document()
    document["rootUrl"] = document["baseUrl"] = server.base_url + "/"
    credentials = Credentials(
        token.access,
        refresh_token=token.refresh,
        token_uri=server.base_url + "/token",
        client_id=server.client_id,
        client_secret="niet-geheim-bij-een-desktop-app",
    )
    return build_from_document(document, http=AuthorizedHttp(credentials, http=build_http()))


def test_googles_own_client_uploads_resumably_finds_the_video_and_deletes_it(
    server, video_file, google_client
):
    youtube = google_client(server, server.issue_token(SCOPES))
    media = MediaFileUpload(
        str(video_file), mimetype="video/mp4", chunksize=CHUNK_GRANULARITY, resumable=True
    )
    request = youtube.videos().insert(part="snippet,status", body=METADATA, media_body=media)
    progress, video = [], None
    while video is None:
        status, video = request.next_chunk()
        if status:
            progress.append(round(status.progress(), 2))
    assert progress == [0.39, 0.79]
    assert video["snippet"]["title"] == "Sportdag 2026"
    assert video["status"]["selfDeclaredMadeForKids"] is True
    assert server.videos[video["id"]].data == video_file.read_bytes()
    chunks = server.requests_to("PUT", r"/upload/youtube/v3/videos")
    assert [c.status for c in chunks] == [308, 308, 200]

    channel = youtube.channels().list(part="contentDetails", mine=True).execute()
    uploads = channel["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"]
    items = youtube.playlistItems().list(part="snippet", playlistId=uploads, maxResults=5).execute()
    assert [i["snippet"]["resourceId"]["videoId"] for i in items["items"]] == [video["id"]]

    youtube.videos().delete(id=video["id"]).execute()
    assert server.stored_videos() == []
    with pytest.raises(HttpError) as gone:
        youtube.videos().delete(id=video["id"]).execute()
    assert gone.value.status_code == 404
    assert gone.value.reason.startswith("The video identified by")


def test_googles_own_client_resumes_after_a_dropped_chunk(server, video_file, google_client):
    youtube = google_client(server, server.issue_token(SCOPES))
    media = MediaFileUpload(
        str(video_file), mimetype="video/mp4", chunksize=CHUNK_GRANULARITY, resumable=True
    )
    request = youtube.videos().insert(part="snippet,status", body=METADATA, media_body=media)
    request.next_chunk()
    server.drop_connection_after("PUT", r"/upload/youtube/v3/videos")
    with pytest.raises(ConnectionError):
        request.next_chunk()  # the second chunk arrived; its answer did not
    video = None
    while video is None:
        _, video = request.next_chunk()
    chunks = server.requests_to("PUT", r"/upload/youtube/v3/videos")
    assert [(c.header("content-range"), c.status) for c in chunks] == [
        ("bytes 0-262143/665600", 308),
        ("bytes 262144-524287/665600", 0),
        ("bytes */665600", 308),
        ("bytes 524288-665599/665600", 200),
    ]
    assert server.videos[video["id"]].data == video_file.read_bytes()
    assert len(server.stored_videos()) == 1


def start_session(server, token, size: int) -> str:
    answer = requests.post(
        server.base_url + "/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet,status"},
        json=METADATA,
        headers={
            "Authorization": f"Bearer {token.access}",
            "X-Upload-Content-Length": str(size),
            "X-Upload-Content-Type": "video/mp4",
        },
        timeout=5,
    )
    assert answer.status_code == 200
    assert answer.content == b""
    return answer.headers["Location"]


def test_a_dropped_chunk_is_resumed_by_asking_how_much_arrived(server):
    token = server.issue_token(SCOPES)
    data = bytes(range(256)) * 1500  # 384,000 bytes
    headers = {"Authorization": f"Bearer {token.access}"}
    session = start_session(server, token, len(data))
    server.drop_connection_after("PUT", r"/upload/youtube/v3/videos")
    with pytest.raises(requests.ConnectionError):
        requests.put(
            session,
            data=data[:CHUNK_GRANULARITY],
            headers={**headers, "Content-Range": f"bytes 0-{CHUNK_GRANULARITY - 1}/{len(data)}"},
            timeout=5,
        )
    asked = requests.put(
        session, headers={**headers, "Content-Range": f"bytes */{len(data)}"}, timeout=5
    )
    assert asked.status_code == 308
    assert asked.headers["Range"] == f"bytes=0-{CHUNK_GRANULARITY - 1}"
    done = requests.put(
        session,
        data=data[CHUNK_GRANULARITY:],
        headers={
            **headers,
            "Content-Range": f"bytes {CHUNK_GRANULARITY}-{len(data) - 1}/{len(data)}",
        },
        timeout=5,
    )
    assert done.status_code == 200
    assert server.videos[done.json()["id"]].data == data
    again = requests.put(
        session, headers={**headers, "Content-Range": f"bytes */{len(data)}"}, timeout=5
    )
    assert again.status_code == 200 and again.json()["id"] == done.json()["id"]
    assert len(server.stored_videos()) == 1


def test_a_request_the_document_does_not_allow_is_refused_and_logged(server):
    token = server.issue_token(SCOPES)
    headers = {"Authorization": f"Bearer {token.access}"}
    server.expect_deviation("'colour' was unexpected")
    server.expect_deviation("'secret' is not one of ['public', 'unlisted', 'private']")
    answer = requests.post(
        server.base_url + "/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet,status"},
        json={
            "snippet": {"title": "Titel", "colour": "blauw"},
            "status": {"privacyStatus": "secret"},
        },
        headers={**headers, "X-Upload-Content-Type": "video/mp4"},
        timeout=5,
    )
    assert answer.status_code == 400
    assert "colour" in answer.json()["error"]["message"]
    server.expect_deviation("required parameter 'part' is missing")
    server.expect_deviation("mine='ja' is not true or false")
    assert (
        requests.get(
            server.base_url + "/youtube/v3/channels",
            params={"mine": "ja"},
            headers=headers,
            timeout=5,
        ).status_code
        == 400
    )
    server.expect_deviation("invalid or empty video title")
    long_title = requests.post(
        server.base_url + "/upload/youtube/v3/videos",
        params={"uploadType": "resumable", "part": "snippet"},
        json={"snippet": {"title": "x" * 101}},
        headers={**headers, "X-Upload-Content-Type": "video/mp4"},
        timeout=5,
    )
    assert long_title.status_code == 400
    assert long_title.json()["error"]["errors"][0]["reason"] == "invalidTitle"
    assert server.sessions == {}


def test_quota_upload_limit_auth_error_and_missing_permission_in_googles_words(
    server, video_file, google_client
):
    token = server.issue_token(SCOPES)
    youtube = google_client(server, token)

    def upload():
        media = MediaFileUpload(str(video_file), mimetype="video/mp4", resumable=True)
        return (
            youtube.videos()
            .insert(part="snippet,status", body=METADATA, media_body=media)
            .execute()
        )

    server.rate_limit(server.now())
    with pytest.raises(HttpError) as quota:
        upload()
    assert quota.value.status_code == 403
    assert quota.value.error_details[0]["reason"] == "quotaExceeded"
    server.rate_limit(None)

    server.limit_uploads(True)
    with pytest.raises(HttpError) as limited:
        upload()
    assert limited.value.status_code == 400
    assert limited.value.error_details[0]["reason"] == "uploadLimitExceeded"
    server.limit_uploads(False)

    server.deny_permission("DELETE", r"/youtube/v3/videos")
    video = server.add_video("Oud filmpje")
    with pytest.raises(HttpError) as denied:
        youtube.videos().delete(id=video.id).execute()
    assert denied.value.status_code == 403
    assert denied.value.error_details[0]["reason"] == "forbidden"

    server.revoke_token(token.access)
    raw = requests.get(
        server.base_url + "/youtube/v3/channels",
        params={"part": "id", "mine": "true"},
        headers={"Authorization": f"Bearer {token.access}"},
        timeout=5,
    )
    assert raw.status_code == 401
    assert raw.json()["error"]["errors"][0]["reason"] == "authError"
    assert len(server.stored_videos()) == 1


def test_an_expired_access_token_is_refreshed_by_googles_client(server, google_client):
    token = server.issue_token(SCOPES)
    youtube = google_client(server, token)
    server.expire_tokens()
    channel = youtube.channels().list(part="id", mine=True).execute()
    assert channel["items"][0]["id"] == server.channel_id
    assert [r.status for r in server.requests_to("GET", r"/youtube/v3/channels")] == [401, 200]
    assert server.requests_to("POST", r"/token")[0].fields["grant_type"] == "refresh_token"


def test_refresh_tokens_of_an_app_in_testing_die_after_seven_days(server):
    token = server.issue_token(SCOPES)

    def refresh():
        return requests.post(
            server.base_url + "/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": token.refresh,
                "client_id": server.client_id,
            },
            timeout=5,
        )

    server.advance(6 * 86400)
    fresh = refresh()
    assert fresh.status_code == 200
    assert "refresh_token" not in fresh.json()  # Google's refresh tokens do not rotate
    server.advance(2 * 86400)
    dead = refresh()
    assert dead.status_code == 400
    assert dead.json() == {
        "error": "invalid_grant",
        "error_description": "Token has been expired or revoked.",
    }


def test_the_installed_app_flow_signs_in_with_pkce_on_a_loopback_port(server):
    verifier = "v" * 64
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    redirect = "http://127.0.0.1:51234/"
    consent = requests.get(
        server.base_url + "/o/oauth2/v2/auth",
        params={
            "client_id": server.client_id,
            "redirect_uri": redirect,
            "response_type": "code",
            "scope": SCOPES,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "access_type": "offline",
            "state": "s1",
        },
        allow_redirects=False,
        timeout=5,
    )
    assert consent.status_code == 302
    query = parse_qs(urlsplit(consent.headers["Location"]).query)
    assert query["state"] == ["s1"]
    exchanged = requests.post(
        server.base_url + "/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect,
            "code_verifier": verifier,
            "client_id": server.client_id,
        },
        timeout=5,
    ).json()
    assert exchanged["refresh_token"].startswith("1//")
    assert set(exchanged["scope"].split()) == set(SCOPES.split())


def test_uploads_are_listed_newest_first_in_pages(server, google_client):
    from datetime import UTC, datetime

    token = server.issue_token(SCOPES)
    for n in range(7):
        server.add_video(f"Filmpje {n}", published_at=datetime(2026, 11, 1 + n, tzinfo=UTC))
    youtube = google_client(server, token)
    titles, page_token = [], None
    while True:
        page = (
            youtube.playlistItems()
            .list(
                part="snippet",
                playlistId=server.uploads_playlist,
                maxResults=3,
                pageToken=page_token,
            )
            .execute()
        )
        titles += [i["snippet"]["title"] for i in page["items"]]
        page_token = page.get("nextPageToken")
        if page_token is None:
            break
    assert titles == [f"Filmpje {n}" for n in reversed(range(7))]


def test_an_error_not_in_googles_shape_is_a_deviation(server):
    token = server.issue_token(SCOPES)
    server.fail_next("GET", r"/youtube/v3/channels", 503, {"error": "kapot"})
    server.expect_deviation("answer 503: error shape")
    answer = requests.get(
        server.base_url + "/youtube/v3/channels",
        params={"part": "id", "mine": "true"},
        headers={"Authorization": f"Bearer {token.access}"},
        timeout=5,
    )
    assert answer.status_code == 503
    server.fail_next("GET", r"/youtube/v3/channels", *server.fault(503))
    fault = requests.get(
        server.base_url + "/youtube/v3/channels",
        params={"part": "id", "mine": "true"},
        headers={"Authorization": f"Bearer {token.access}"},
        timeout=5,
    )
    assert fault.status_code == 503
    assert fault.json()["error"]["errors"][0]["reason"] == "backendError"
    assert len(server.deviations) == 1
