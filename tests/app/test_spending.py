"""What a post costs on X and where a Dutch month begins and ends."""

from datetime import UTC, datetime
from decimal import Decimal

from app.networks.connector import OutgoingMedia
from app.publishing import spending


def photo(alt: str = "Kinderen bij de moestuin") -> OutgoingMedia:
    return OutgoingMedia("/tmp/foto.jpg", "image/jpeg", alt_text=alt)


def test_a_text_post_costs_less_than_one_with_a_link_also_without_https():
    assert spending.post_cost("x", "Vandaag openen we de moestuin!") == Decimal("0.015")
    assert spending.post_cost("x", "Lees meer op https://scoh.nl/nieuws") == Decimal("0.20")
    assert spending.post_cost("x", "Lees meer op scoh.nl/nieuws") == Decimal("0.20")


def test_each_photo_with_alt_text_adds_its_metadata_request_a_video_adds_nothing():
    video = OutgoingMedia("/tmp/film.mp4", "video/mp4", alt_text="De musical")
    assert spending.post_cost("x", "Foto's!", [photo(), photo(), photo("")]) == Decimal("0.025")
    assert spending.post_cost("x", "Film!", [video]) == Decimal("0.015")


def test_networks_that_do_not_charge_per_post_cost_nothing():
    assert spending.post_cost("mastodon", "Lees meer op https://scoh.nl") == 0
    assert spending.post_cost("practice", "Sportdag") == 0


def test_the_month_is_the_dutch_calendar_month():
    # 1 December 00:30 in the Netherlands is still 30 November in UTC.
    start, end = spending.month_bounds(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    assert start == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 31, 23, 0, tzinfo=UTC)
    # Summer time: 1 July begins at 22:00 UTC the day before.
    start, end = spending.month_bounds(datetime(2026, 7, 15, 12, 0, tzinfo=UTC))
    assert (start, end) == (
        datetime(2026, 6, 30, 22, 0, tzinfo=UTC),
        datetime(2026, 7, 31, 22, 0, tzinfo=UTC),
    )


def test_amounts_read_in_dutch():
    assert spending.dollars(Decimal("0.20")) == "$0,20"
    assert spending.dollars(Decimal("0.015")) == "$0,015"
    assert spending.dollars(Decimal("12.5")) == "$12,50"


def test_the_hold_names_x_once_whether_or_not_the_account_name_says_it():
    month = spending.MonthBudget(Decimal("0.20"), Decimal("0.25"), datetime(2027, 1, 1, tzinfo=UTC))
    said = spending.over_budget_reason("De Regenboog op X", Decimal("0.20"), month)
    assert said.startswith("Het budget van deze maand voor De Regenboog op X is op: ")
    bare = spending.over_budget_reason("Groep 8 van De Regenboog", Decimal("0.20"), month)
    assert bare.startswith("Het budget van deze maand voor Groep 8 van De Regenboog op X is op: ")
