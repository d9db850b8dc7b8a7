"""The contract every connector keeps, run once per connector against its contract server.

Each case asserts what the user and the outbox would see: the post on the network (at most
once), or an error of the closed set (RetryLater with its moment, Reconnect, Rejected,
UnknownOutcome) whose message is Dutch and names the network."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.networks.connector import (
    ConnectorError,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Rejected,
    RetryLater,
    UnknownOutcome,
)
from tests.connectors.contract.conftest import Stored

TEXT = (
    "Wat een feest vandaag bij de Koningsspelen! Alle groepen deden mee.\n\n"
    "— Juf Anna, medewerker van De Regenboog (SCOH). Persoonlijke mening."
)
# Words of the English answers the servers give: none may reach the user.
ENGLISH = ("error", "token", "the ", "rate limit", "service unavailable", "upstream")


def post(text: str = TEXT, media=(), key: str = "doel-1") -> OutgoingPost:
    return OutgoingPost(
        client_key=key, account_id="regenboog", account_name="De Regenboog", text=text, media=media
    )


def assert_dutch(error: ConnectorError, network: str) -> None:
    """A Dutch sentence that names the network and says what happens or what to do. The
    provider's own reason may be quoted in parentheses; the sentence around it is Dutch."""
    message = str(error)
    sentence = re.sub(r"\([^()]*\)", "", message)
    assert network in sentence, message
    assert not any(word in sentence.lower() for word in ENGLISH), message
    assert any(word in sentence for word in ("opnieuw", "Meld", "kijkt", "later")), message


def test_publish_text(rig):
    published = rig.connector.publish(post(media=rig.required_media))

    assert isinstance(published, PublishedPost)
    assert published.remote_id
    assert rig.links_to(published)  # a link to the post itself
    assert rig.stored() == [rig.plain(TEXT)]


def test_publish_photos_with_their_alt_text(rig, photos):
    if not rig.takes_photos:  # refused in Dutch before anything is sent
        sent = len(rig.server.requests)
        with pytest.raises(Rejected) as caught:
            rig.connector.publish(post(media=photos))
        assert rig.network in str(caught.value)
        assert len(rig.server.requests) == sent
        assert rig.stored() == []
        return

    rig.connector.publish(post(media=photos))

    assert rig.stored() == [Stored(TEXT, tuple(photo.alt_text for photo in photos))]


def test_find_post_settles_an_unknown_outcome_from_the_first_attempt_on(rig):
    rig.add_old_post(TEXT, datetime.now(UTC) - timedelta(days=3))
    first_attempt = datetime.now(UTC)

    assert (
        rig.connector.find_post(post(media=rig.required_media), first_attempt) is None
    )  # the old one is not ours

    ours = post(TEXT if rig.same_text_again else TEXT + " Tot volgend jaar!", rig.required_media)
    published = rig.connector.publish(ours)
    assert rig.connector.find_post(ours, first_attempt) == published
    assert (
        rig.connector.find_post(post("Een ander bericht.", rig.required_media), first_attempt)
        is None
    )


def test_delete_removes_the_post_and_deleting_again_is_no_error(rig):
    published = rig.connector.publish(post(media=rig.required_media))

    rig.connector.delete(published.remote_id)
    rig.connector.delete(published.remote_id)

    assert rig.stored() == []


def test_an_expired_sign_in_reconnects_or_is_renewed_without_posting_twice(rig):
    rig.connector.who_am_i()
    rig.server.expire_tokens()

    if rig.expired_token_reconnects:
        with pytest.raises(Reconnect) as caught:
            rig.connector.publish(post(media=rig.required_media))
        assert_dutch(caught.value, rig.network)
        assert rig.stored() == []
    else:
        rig.connector.publish(post(media=rig.required_media))
        assert rig.stored() == [rig.plain(TEXT)]


def test_a_missing_permission_asks_to_sign_in_again(rig):
    rig.server.deny_permission(*rig.post_call)

    with pytest.raises(Reconnect) as caught:
        rig.connector.publish(post(media=rig.required_media))

    assert_dutch(caught.value, rig.network)
    assert rig.stored() == []


def test_a_rate_limit_is_retry_later_at_the_networks_reset_moment(rig):
    reset = (datetime.now(UTC) + timedelta(minutes=7)).replace(microsecond=0)
    rig.connector.who_am_i()
    rig.server.rate_limit(reset)

    with pytest.raises(RetryLater) as caught:
        rig.connector.publish(post(media=rig.required_media))

    assert type(caught.value) is RetryLater  # nothing was placed: no need to look first
    told = rig.told_reset(reset)
    assert told <= caught.value.not_before <= told + rig.reset_precision
    assert_dutch(caught.value, rig.network)
    assert rig.stored() == []


def test_a_server_error_is_retry_later(rig):
    rig.server.fail_next(*rig.post_call, *rig.server_error)

    if rig.resumes_uploads:  # asks what arrived and goes on: placed once, now
        published = rig.connector.publish(post(media=rig.required_media))
        assert rig.stored() == [rig.plain(TEXT)]
        assert (
            rig.connector.find_post(
                post(media=rig.required_media), datetime.now(UTC) - timedelta(minutes=1)
            )
            == published
        )
        return

    with pytest.raises(RetryLater) as caught:
        rig.connector.publish(post(media=rig.required_media))

    assert type(caught.value) is RetryLater
    assert_dutch(caught.value, rig.network)
    assert rig.stored() == []


def test_a_connection_dropped_after_sending_is_an_unknown_outcome_that_find_post_settles(rig):
    first_attempt = datetime.now(UTC)
    rig.server.drop_connection_after(*rig.post_call)

    if rig.resumes_uploads:  # asks what arrived: the video is there, and not placed again
        published = rig.connector.publish(post(media=rig.required_media))
        assert rig.stored() == [rig.plain(TEXT)]
        assert rig.connector.find_post(post(media=rig.required_media), first_attempt) == published
        [dropped, *_asked] = rig.server.requests_to(*rig.post_call)
        assert dropped.status == 0
        return

    with pytest.raises(UnknownOutcome) as caught:
        rig.connector.publish(post(media=rig.required_media))

    assert_dutch(caught.value, rig.network)
    assert rig.stored() == [rig.plain(TEXT)]  # the network did place it, once
    found = rig.connector.find_post(post(media=rig.required_media), first_attempt)
    assert found is not None
    assert rig.stored() == [rig.plain(TEXT)]
    [dropped] = [r for r in rig.server.requests_to(*rig.post_call)]
    assert dropped.status == 0
