"""The oracle validators (tests/servers/oracles.py) hold to the providers' documents, with the
documents' known quirks handled as ../shared/oracles/README.md describes them, and no more."""

from __future__ import annotations

import json

import pytest
from openapi_core import OpenAPI
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tests.servers.contract import LoggedRequest
from tests.servers.oracles import X_DOCUMENT, XOpenAPIValidator, YouTubeDiscoveryValidator


def x_request(method: str, path: str, body: dict | None = None, query=None) -> LoggedRequest:
    return LoggedRequest(
        method,
        path,
        query or {},
        {"content-type": "application/json", "authorization": "Bearer t"},
        body=json.dumps(body).encode() if body is not None else b"",
    )


def test_the_x_document_as_shipped_is_refused_so_the_copy_is_mended():
    with X_DOCUMENT.open(encoding="utf-8") as file, pytest.raises(OpenAPIValidationError):
        OpenAPI.from_dict(json.load(file))
    assert XOpenAPIValidator()(x_request("POST", "/2/tweets", {"text": "Hallo"})) == []


@pytest.mark.parametrize(
    ("method", "path", "body", "query", "named"),
    [
        (
            "POST",
            "/2/tweets",
            {"text": "a", "media": {"media_ids": list("12345")}},
            None,
            "too long",
        ),
        ("POST", "/2/tweets", {"text": "a", "colour": "blauw"}, None, "'colour' was unexpected"),
        ("POST", "/2/tweets", {"text": "a", "reply_settings": "iedereen"}, None, "'iedereen'"),
        ("DELETE", "/2/tweets/abc", None, None, "'abc' does not match"),
        (
            "POST",
            "/2/media/upload/initialize",
            {"media_type": "video/avi", "total_bytes": 3},
            None,
            "'video/avi' is not one of",
        ),
        ("POST", "/2/media/metadata", {"id": "1", "metadata": {"alt_text": {}}}, None, "'text'"),
        ("GET", "/2/users/1/tweets", None, {"max_results": ["4"]}, "less than the minimum of 5"),
    ],
)
def test_the_x_validator_refuses_what_the_document_does_not_allow(method, path, body, query, named):
    problems = XOpenAPIValidator()(x_request(method, path, body, query))
    assert len(problems) == 1 and named in problems[0], problems


def test_the_x_validator_checks_answers_and_knows_the_documented_problem_types():
    validator = XOpenAPIValidator()
    entry = x_request("POST", "/2/tweets", {"text": "a"})
    assert validator.answer(entry, 201, {"data": {"id": "1", "text": "a"}}, {}) == []
    assert (
        "'text' is a required property"
        in validator.answer(entry, 201, {"data": {"id": "1"}}, {})[0]
    )
    problem = {"Content-Type": "application/problem+json"}
    for kind in ("https://api.x.com/2/problems/usage-capped", "about:blank"):
        body = json.dumps({"title": "T", "detail": "D", "type": kind}).encode()
        assert validator.answer(entry, 429, body, problem) == []
    assert validator.answer(entry, 403, {"code": 403, "message": "Forbidden"}, {}) == []
    assert validator.answer(entry, 403, {"message": "Forbidden"}, {}) != []


def test_the_x_validator_names_the_scopes_the_document_asks_per_operation():
    validator = XOpenAPIValidator()
    assert validator.scopes("POST", "/2/tweets") == {"tweet.read", "tweet.write", "users.read"}
    assert validator.scopes("POST", "/2/media/upload/123/append") == {"media.write"}
    assert validator.scopes("GET", "/2/users/1/following") == {
        "follows.read",
        "tweet.read",
        "users.read",
    }


def test_the_youtube_schemas_as_json_schema_refuse_unknown_names_and_wrong_enums():
    validator = YouTubeDiscoveryValidator()
    insert = validator.method("POST", "/upload/youtube/v3/videos")
    assert insert is not None and insert.name == "videos.insert"
    good = {"snippet": {"title": "T", "tags": ["a"]}, "status": {"privacyStatus": "private"}}
    assert validator.request(insert, good) == []
    problems = validator.request(
        insert, {"snippet": {"title": 5, "colour": "x"}, "status": {"privacyStatus": "geheim"}}
    )
    assert len(problems) == 3
    assert validator.parameters(insert, {"uploadType": ["resumable"]}) == [
        "videos.insert: required parameter 'part' is missing"
    ]
    listing = validator.method("GET", "/youtube/v3/playlistItems")
    assert validator.parameters(listing, {"part": ["snippet"], "maxResults": ["veel"]}) == [
        "playlistItems.list: maxResults='veel' is not an integer"
    ]


def test_googles_error_shape_is_checked():
    validator = YouTubeDiscoveryValidator()
    good = {
        "error": {
            "code": 403,
            "message": "m",
            "errors": [{"reason": "r", "domain": "d", "message": "m"}],
        }
    }
    assert validator.error(good) == []
    assert validator.error({"error": {"code": 403, "message": "m"}}) != []
    assert validator.error({"error": "quotaExceeded"}) != []
