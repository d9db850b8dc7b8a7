"""What a network itself would refuse is blocked before sending: YouTube takes exactly one video,
and a title within its limits."""

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.compose.post import Draft, MediaItem
from app.rules.model import BLOCK, CheckContext
from app.rules.registry import check
from tests.connectors.test_accounts import site_with

EVENING = datetime(2026, 11, 23, 19, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
YOUTUBE_ACCOUNT = """
[[schools.accounts]]
id = "kw-youtube"
network = "youtube"
name = "De Kleine Wereld op YouTube"
kind = "official"
client_id = "123.apps.googleusercontent.com"
"""
VIDEO = MediaItem("/tmp/sportdag.mp4", kind="video", no_recognisable_people=True)
PHOTO = MediaItem("/tmp/plein.jpg", no_recognisable_people=True, alt_text="Het plein")


@pytest.fixture
def site(tmp_path):
    return site_with(tmp_path, YOUTUBE_ACCOUNT)


def draft(site, media, title="Sportdag", accounts=("kw-youtube",)):
    author = site.authors[0].id
    base = Draft(text="Sportdag!", school_id="kleine-wereld", author_id=author)
    return replace(base, account_ids=list(accounts), media=list(media), title=title)


def video_findings(report):
    return [f for f in report.findings if f.rule == "network_limits" and "video" in f.message]


@pytest.mark.parametrize("media", [[], [PHOTO], [VIDEO, VIDEO], [VIDEO, PHOTO]])
def test_youtube_without_exactly_one_video_blocks_and_says_what_to_do(site, media):
    (finding,) = video_findings(check(draft(site, media), CheckContext(site, EVENING)))
    assert finding.severity == BLOCK and finding.account_id == "kw-youtube"
    assert (
        "precies één video" in finding.message and "De Kleine Wereld op YouTube" in finding.message
    )


def test_one_video_passes_and_other_networks_do_not_ask_for_one(site):
    assert video_findings(check(draft(site, [VIDEO]), CheckContext(site, EVENING))) == []
    practice = [a.id for s in site.schools for a in s.accounts if a.network == "practice"]
    other = draft(site, [PHOTO], accounts=practice[-1:])
    assert video_findings(check(other, CheckContext(site, EVENING))) == []


@pytest.mark.parametrize("title", ["x" * 101, "Sportdag <live>"])
def test_a_title_youtube_would_refuse_blocks(site, title):
    report = check(draft(site, [VIDEO], title=title), CheckContext(site, EVENING))
    assert any(f.severity == BLOCK and f.account_id == "kw-youtube" for f in report.findings)


INSTAGRAM_ACCOUNT = """
[[schools.accounts]]
id = "kw-instagram"
network = "instagram"
name = "De Kleine Wereld op Instagram"
kind = "official"
handle = "17841400000000001"
"""


def photo_findings(report):
    return [f for f in report.findings if f.rule == "network_limits" and "foto" in f.message]


def test_instagram_without_a_photo_or_video_blocks_and_says_what_to_do(tmp_path):
    site = site_with(tmp_path, INSTAGRAM_ACCOUNT)
    report = check(draft(site, [], accounts=("kw-instagram",)), CheckContext(site, EVENING))

    (finding,) = photo_findings(report)
    assert finding.severity == BLOCK and finding.account_id == "kw-instagram"
    assert finding.message == (
        "Instagram plaatst geen bericht zonder foto of video. Voeg een foto toe of vink"
        " De Kleine Wereld op Instagram uit."
    )
    assert finding.articles == ()  # a limit of the network, not of the code of conduct


@pytest.mark.parametrize("media", [[PHOTO], [VIDEO]])
def test_instagram_with_a_photo_or_a_video_is_not_blocked_for_it(tmp_path, media):
    site = site_with(tmp_path, INSTAGRAM_ACCOUNT)
    report = check(draft(site, media, accounts=("kw-instagram",)), CheckContext(site, EVENING))
    assert photo_findings(report) == []


def alone_findings(report):
    return [f for f in report.findings if f.rule == "network_limits" and "alleen" in f.message]


@pytest.mark.parametrize("media", [[VIDEO, PHOTO], [PHOTO, VIDEO], [VIDEO, VIDEO]])
def test_instagram_takes_a_video_only_on_its_own(tmp_path, media):
    site = site_with(tmp_path, INSTAGRAM_ACCOUNT)
    report = check(draft(site, media, accounts=("kw-instagram",)), CheckContext(site, EVENING))

    (finding,) = alone_findings(report)
    assert finding.severity == BLOCK and finding.account_id == "kw-instagram"
    assert finding.message == (
        "Instagram neemt een video alleen: zonder foto's en zonder tweede video. Houd één video"
        " over, of alleen foto's, of vink De Kleine Wereld op Instagram uit."
    )


@pytest.mark.parametrize("media", [[VIDEO], [PHOTO, PHOTO]])
def test_one_video_or_a_carousel_of_photos_is_fine_for_instagram(tmp_path, media):
    site = site_with(tmp_path, INSTAGRAM_ACCOUNT)
    report = check(draft(site, media, accounts=("kw-instagram",)), CheckContext(site, EVENING))
    assert alone_findings(report) == []


def test_more_photos_than_an_instagram_carousel_holds_block_before_sending(tmp_path):
    # Without this the composer let eleven photos through and the post failed only once sent,
    # with "probeer het later opnieuw", which could never succeed.
    site = site_with(tmp_path, INSTAGRAM_ACCOUNT)
    photos = [replace(PHOTO, path=f"/tmp/moestuin-{n}.jpg") for n in range(11)]
    report = check(draft(site, photos, accounts=("kw-instagram",)), CheckContext(site, EVENING))

    (finding,) = [f for f in photo_findings(report) if "hoogstens" in f.message]
    assert finding.severity == BLOCK and finding.account_id == "kw-instagram"
    assert finding.message == (
        "Instagram neemt hoogstens 10 foto's in één bericht; je hebt er 11. Haal er 1 weg of"
        " vink De Kleine Wereld op Instagram uit."
    )
    ten = check(draft(site, photos[:10], accounts=("kw-instagram",)), CheckContext(site, EVENING))
    assert [f for f in photo_findings(ten) if "hoogstens" in f.message] == []


def test_the_practice_account_takes_any_number_of_photos(site):
    practice = [a.id for s in site.schools for a in s.accounts if a.network == "practice"]
    photos = [replace(PHOTO, path=f"/tmp/plein-{n}.jpg") for n in range(6)]
    report = check(draft(site, photos, accounts=practice[-1:]), CheckContext(site, EVENING))
    assert [f for f in photo_findings(report) if "hoogstens" in f.message] == []
