"""Signalen's core: keeping mentions per account with their rule marks, removing them after the
configured days, erasing an author's handle, and Bespreken met leidinggevende in the history.
Fetched through the real Mastodon connector from the contract server."""

from __future__ import annotations

import csv
import json
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app import signals
from app.history import chain as history
from app.site.config import SiteConfigError, load_site
from app.store import Store
from connectors.mastodon import SCOPES, MastodonConnector
from connectors.practice import PracticeConnector
from resources import resource_path
from tests.servers.mastodon_server import MastodonServer

NOW = datetime.now(UTC)


def write_site(folder: Path, keep_days: int = 30) -> Path:
    text = resource_path("demo-site.toml").read_text(encoding="utf-8")
    text = text.replace("bewaren_dagen = 90", f"bewaren_dagen = {keep_days}", 1)
    anchor = 'name = "Oefenaccount De Regenboog"\nkind = "official"\n'
    account = (
        '\n[[schools.accounts]]\nid = "regenboog-mastodon"\nnetwork = "mastodon"\n'
        'name = "De Regenboog op Mastodon"\nkind = "official"\ninstance = "https://school.example"\n'
    )
    path = folder / "site.toml"
    path.write_text(text.replace(anchor, anchor + account, 1), encoding="utf-8")
    return path


@pytest.fixture
def setting(data_dir, tmp_path):
    site = load_site(write_site(tmp_path))
    store = Store.open(data_dir)
    with MastodonServer() as server:
        token = server.issue_token(" ".join(SCOPES))

        def connector_for(account):
            if account.network == "practice":
                return PracticeConnector(data_dir, account.id)  # it cannot show mentions
            return MastodonConnector(server.base_url, token_provider=lambda: token)

        yield site, store, server, connector_for
    store.close()


def test_the_site_configuration_sets_retention_and_interval(tmp_path, demo_site):
    assert (demo_site.signals_keep_days, demo_site.signals_interval_minutes) == (90, 30)
    assert load_site(write_site(tmp_path, keep_days=14)).signals_keep_days == 14


def test_mentions_are_kept_once_per_account_newest_first_with_marks_first(setting):
    site, store, server, connector_for = setting
    server.add_mention(
        "ouder", "@juf Fijn schoolfeest, dank jullie wel!", created_at=NOW - timedelta(hours=3)
    )
    server.add_mention("boos", "@juf Wat een kutschool is dit", created_at=NOW - timedelta(hours=5))
    server.add_mention("buurman", "@juf Bel me op 06-12345678", created_at=NOW - timedelta(hours=9))
    server.add_mention("opa", "@juf Mooie foto's", created_at=NOW - timedelta(hours=1))

    first = signals.fetch(store, site, connector_for, NOW)
    again = signals.fetch(store, site, connector_for, NOW + timedelta(minutes=31))

    assert (first.new, again.new, first.problems) == (4, 0, {})
    kept = signals.signals(store, ["regenboog"])
    assert [s.author_handle for s in kept] == [
        "@boos@school.example",  # marked ones first, newest first among them
        "@buurman@school.example",
        "@opa@school.example",
        "@ouder@school.example",
    ]
    assert kept[0].mark_rule == "decency" and "Communiceren 12" in kept[0].mark_articles
    assert kept[1].mark_rule == "personal_data" and "Communiceren 2" in kept[1].mark_articles
    assert not kept[2].marked and not kept[3].marked
    assert all(s.account_id == "regenboog-mastodon" and s.url.startswith("http") for s in kept)
    assert signals.signals(store, ["kleine-wereld"]) == []


def test_signals_older_than_the_retention_are_removed_on_fetch(setting):
    site, store, server, connector_for = setting
    server.add_mention("ouder", "@juf Vandaag", created_at=NOW - timedelta(days=1))
    server.add_mention("ouder", "@juf Lang geleden", created_at=NOW - timedelta(days=25))
    signals.fetch(store, site, connector_for, NOW)
    assert len(signals.signals(store)) == 2

    result = signals.fetch(store, site, connector_for, NOW + timedelta(days=10))  # 30 days kept

    assert result.removed == 1
    assert [s.text for s in signals.signals(store)] == ["@juf Vandaag"]


def test_a_discussed_signals_copy_in_the_history_expires_with_the_signal(setting):
    """Privacy (Profileren 2): a signal is kept only as long as the site says, also where a
    discussion with the manager copied its text and author into the history's details."""
    site, store, server, connector_for = setting
    server.add_mention("boos", "@juf Wat een kutschool is dit", created_at=NOW - timedelta(days=1))
    signals.fetch(store, site, connector_for, NOW)
    (item,) = signals.signals(store)
    signals.discuss(store, site.school("regenboog"), item.id, by="Sanne de Vries")
    signals.record_decision(store, item.id, "Besproken met de ouder", by="Joost Bakker")

    signals.fetch(store, site, connector_for, NOW + timedelta(days=20))  # within the 30 days
    assert history.events(store, "signal_decided")[-1].details is not None

    signals.fetch(store, site, connector_for, NOW + timedelta(days=40))

    assert signals.signals(store) == []
    requested = history.events(store, "signal_discussion_requested")[-1]
    decided = history.events(store, "signal_decided")[-1]
    assert requested.details is None and decided.details is None
    assert requested.data["manager"] == "Joost Bakker (directeur)"  # what happened stays
    (expired,) = history.events(store, "signal_details_expired")
    assert expired.data == {"rows": [requested.seq, decided.seq], "keep_days": 30}
    assert history.verify(store).intact
    signals.fetch(store, site, connector_for, NOW + timedelta(days=41))
    assert len(history.events(store, "signal_details_expired")) == 1  # nothing left to expire


def test_new_signals_are_counted_since_the_last_visit(setting):
    site, store, server, connector_for = setting
    server.add_mention("ouder", "@juf Een", created_at=NOW - timedelta(hours=2))
    signals.fetch(store, site, connector_for, NOW)
    assert signals.new_count(store) == 1
    signals.visited(store, NOW + timedelta(seconds=1))
    assert signals.new_count(store) == 0
    server.add_mention("ouder", "@juf Twee", created_at=NOW + timedelta(minutes=5))
    signals.fetch(store, site, connector_for, NOW + timedelta(minutes=40))
    assert signals.new_count(store) == 1


def test_a_rate_limit_holds_the_account_until_the_networks_moment(setting):
    site, store, server, connector_for = setting
    server.add_mention("ouder", "@juf Een")
    reset = NOW + timedelta(minutes=20)
    server.set_rate_limit(remaining=1, reset=reset)  # verify_credentials only

    held = signals.fetch(store, site, connector_for, NOW)
    assert "te veel verzoeken" in held.problems["regenboog-mastodon"]
    assert abs((signals.waiting_until(store, "regenboog-mastodon") - reset).total_seconds()) < 1

    server.set_rate_limit(remaining=100)
    asked = len(server.requests)
    still = signals.fetch(store, site, connector_for, NOW + timedelta(minutes=10))
    assert (still.new, len(server.requests)) == (0, asked)  # not asked before the moment
    after = signals.fetch(store, site, connector_for, reset + timedelta(seconds=1))
    assert after.new == 1


def test_the_interval_decides_when_fetching_is_due(setting):
    site, store, _server, connector_for = setting
    assert signals.fetch_due(store, site, NOW)
    signals.fetch(store, site, connector_for, NOW)
    assert not signals.fetch_due(store, site, NOW + timedelta(minutes=29))
    assert signals.fetch_due(store, site, NOW + timedelta(minutes=30))


def test_bespreken_met_leidinggevende_puts_it_before_the_manager_and_records_the_decision(setting):
    site, store, server, connector_for = setting
    server.add_mention("boos", "@juf Wat een kutschool is dit")
    signals.fetch(store, site, connector_for, NOW)
    (item,) = signals.signals(store)
    school = site.school("regenboog")

    discussion = signals.discuss(store, school, item.id, by="Sanne de Vries", note="Graag snel")
    signals.record_decision(store, item.id, "In het echt gesproken met de ouder", by="Joost Bakker")

    assert discussion.address == "directie@regenboog.example"
    assert item.url in discussion.body and item.text in discussion.body
    assert "Communiceren 12" in discussion.body
    assert discussion.mailto.startswith("mailto:directie@regenboog.example?subject=")
    requested = history.events(store, "signal_discussion_requested")[-1]
    decided = history.events(store, "signal_decided")[-1]
    assert requested.data["manager"] == "Joost Bakker (directeur)"
    assert requested.data["rule"] == "decency"
    assert "@boos" not in str(requested.data)  # the handle only beside the chain
    assert requested.details["author"] == "@boos@school.example"
    assert decided.details["decision"] == "In het echt gesproken met de ouder"
    kept = signals.signal(store, item.id)
    assert (kept.discussion, kept.decision) == (
        signals.DECIDED,
        "In het echt gesproken met de ouder",
    )


def test_an_authors_handle_is_erased_from_the_signals_and_the_historys_details(setting):
    site, store, server, connector_for = setting
    server.add_mention("boos", "@juf Wat een kutschool is dit")
    server.add_mention("ouder", "@juf Dank!")
    signals.fetch(store, site, connector_for, NOW)
    boos = next(s for s in signals.signals(store) if s.author_handle == "@boos@school.example")
    signals.discuss(store, site.school("regenboog"), boos.id, by="Sanne de Vries")

    erased = signals.erase_author(store, "@boos@school.example", by="AVG-functionaris")

    assert erased == 1
    handles = sorted(s.author_handle for s in signals.signals(store))
    assert handles == ["", "@ouder@school.example"]
    assert history.events(store, "signal_discussion_requested")[-1].details is None
    assert history.verify(store).intact
    assert signals.signal(store, boos.id).text == "@juf Wat een kutschool is dit"


def test_a_school_without_a_manager_address_says_what_to_do(setting):
    site, store, server, connector_for = setting
    server.add_mention("ouder", "@juf Hallo")
    signals.fetch(store, site, connector_for, NOW)
    (item,) = signals.signals(store)
    school = replace(site.school("regenboog"), manager=None)
    with pytest.raises(signals.DiscussionNotPossible, match="Vraag de ICT-beheerder"):
        signals.discuss(store, school, item.id, by="Sanne de Vries")
    assert history.events(store, "signal_discussion_requested") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [('"negentig"', "een heel getal"), ("0", "van 1 tot en met 366"), ("true", "een heel getal")],
)
def test_a_retention_that_is_no_whole_number_in_range_is_named(tmp_path, value, expected):
    path = write_site(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("bewaren_dagen = 30", f"bewaren_dagen = {value}"),
        encoding="utf-8",
    )
    with pytest.raises(SiteConfigError) as caught:
        load_site(path)
    assert "signalen.bewaren_dagen" in str(caught.value) and expected in str(caught.value)


def test_the_annual_report_lists_the_signals_discussed_with_their_decision(
    setting, data_dir, tmp_path
):
    """Uitgangspunten 9 with Profileren 3: the IBT sees which signals were put before the manager
    and what was decided in real life, in the PDF and the CSV, with Dutch column names."""
    from app.history import annual_report
    from tests.app.test_sweep_report import pdf_text
    from tests.conftest import run_app

    site, store, server, connector_for = setting
    server.add_mention("boos", "@juf Wat een kutschool is dit")
    signals.fetch(store, site, connector_for, NOW)
    (item,) = signals.signals(store)
    signals.discuss(store, site.school("regenboog"), item.id, by="Sanne de Vries")
    signals.record_decision(store, item.id, "In het echt gesproken met de ouder", by="Joost Bakker")
    year = annual_report.school_year_of(annual_report._local(history.events(store)[-1].at))
    out = tmp_path / "verslag"

    result = run_app(
        "history", "report", "--school-year", year, "--out", str(out),
        "--data-dir", str(data_dir), "--json",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["signals"] == 2
    # NFKC: the PDF's font writes "fi" as one ligature. Table cells wrap, and pdftotext reads
    # a wrapped row line by line, so only whole phrases of one line are compared.
    text = " ".join(
        unicodedata.normalize("NFKC", pdf_text(out / f"jaarverslag-{year}.pdf")).split()
    )
    assert "Signalen besproken met de leidinggevende (Profileren 3) moment account" in text
    assert "In het echt gesproken met de ouder" in text and "Communiceren" in text
    assert "Sanne de Vries" in text
    assert "@boos" not in text  # who wrote it is not the report's business
    for english in ("when", "articles", "step", "decision", "by"):
        assert f" {english} " not in f" {text} "
    with (out / "signalen.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["stap"], r["besluit"], r["door"]) for r in rows] == [
        ("voorgelegd aan Joost Bakker (directeur)", "", "Sanne de Vries"),
        ("besluit", "In het echt gesproken met de ouder", "Joost Bakker"),
    ]
