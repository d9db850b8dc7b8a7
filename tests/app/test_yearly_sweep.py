"""The yearly sweep of the accounts against the Mastodon contract server: classified, checked as
at publishing time, recorded in the chain, stopped and resumed, and waiting out a rate limit."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from app.accounts import yearly_sweep
from app.history import chain as history
from app.networks.connector import OutgoingMedia, OutgoingPost
from app.site.config import Account
from connectors.mastodon import SCOPES, MastodonConnector
from tests.servers.mastodon_server import MastodonServer

YEAR = "2026-2027"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SATURDAY = datetime(2026, 9, 5, 10, 0, tzinfo=AMSTERDAM)
MONDAY_IN_LESSONS = datetime(2026, 9, 7, 10, 0, tzinfo=AMSTERDAM)
DISCLAIMER = (
    "— Sanne, medewerker Basisschool De Regenboog (SCOH). Persoonlijke mening, los van SCOH."
    " Niet verantwoordelijk voor derden."
)


@pytest.fixture
def server():
    with MastodonServer() as running:
        yield running


@pytest.fixture
def site(demo_site, server):
    school = demo_site.schools[0]
    account = Account(
        id="regenboog-mastodon",
        school_id=school.id,
        network="mastodon",
        name="De Regenboog op Mastodon",
        kind="official",
        instance=server.base_url,
    )
    school = replace(school, accounts=(account,))
    return replace(demo_site, schools=(school, *demo_site.schools[1:]))


def connector_for(server: MastodonServer):
    token = server.issue_token(" ".join(SCOPES))
    return lambda account: MastodonConnector(server.base_url, token_provider=lambda: token)


def place_through_postwijs(store, server, text: str, key: str) -> str:
    token = server.issue_token(" ".join(SCOPES))
    with MastodonConnector(server.base_url, token_provider=lambda: token) as connector:
        published = connector.publish(OutgoingPost(key, "regenboog-mastodon", "De Regenboog", text))
    history.append(
        store,
        "published",
        {
            "target": f"doel-{key}",
            "account": "regenboog-mastodon",
            "school": "regenboog",
            "remote_id": published.remote_id,
            "url": published.url,
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "media_sha256": [],
        },
        details={"final_text": text},
    )
    return published.remote_id


def photo_outside_postwijs(server, tmp_path) -> str:
    """A status with a photo placed by another app, straight through Mastodon's API."""
    path = tmp_path / "schoolplein.png"
    Image.new("RGB", (64, 48), (30, 120, 200)).save(path)
    token = server.issue_token(" ".join(SCOPES))
    with MastodonConnector(server.base_url, token_provider=lambda: token) as other_app:
        published = other_app.publish(
            OutgoingPost(
                "ander",
                "x",
                "x",
                f"Het schoolplein vandaag.\n\n{DISCLAIMER}",
                media=(OutgoingMedia(str(path), "image/png", "Het plein", 64, 48),),
            )
        )
    return published.remote_id


def test_the_sweep_classifies_checks_and_records_every_post_of_the_year(
    store, server, site, tmp_path
):
    ours = place_through_postwijs(store, server, "Open dag zaterdag!", "a")
    edited = place_through_postwijs(store, server, "Sportdag", "b")
    gone = place_through_postwijs(store, server, "Kerstviering", "c")
    server.edit_status(edited, "Sportdag, verplaatst naar vrijdag")
    server.delete_status_outside(gone)
    clean = server.add_status(f"Fijne herfstvakantie!\n\n{DISCLAIMER}", SATURDAY)
    rude = server.add_status(f"Wat een kankerweer vandaag.\n\n{DISCLAIMER}", SATURDAY)
    bare = server.add_status("Morgen geen school.", SATURDAY)
    in_lessons = server.add_status(f"Rekenles buiten.\n\n{DISCLAIMER}", MONDAY_IN_LESSONS)
    photo = photo_outside_postwijs(server, tmp_path)
    server.add_status("Vorig schooljaar", datetime(2026, 7, 20, 12, tzinfo=UTC))
    progress = []

    outcome = yearly_sweep.run(
        store,
        site,
        YEAR,
        yearly_sweep.accounts_of(site, "regenboog"),
        connector_for(server),
        by="ibt@scoh.example",
        on_progress=progress.append,
    )

    [result] = outcome.results
    assert outcome.complete and result.done and result.problem == ""
    assert result.counts == {"unchanged": 1, "edited": 1, "deleted": 1, "outside": 5}
    by_id = {p["remote_id"]: p for p in result.posts}
    assert set(by_id) == {edited, gone, rude.id, bare.id, in_lessons.id, photo}
    assert ours not in by_id and clean.id not in by_id
    assert {f["rule"] for f in by_id[rude.id]["findings"]} == {"decency"}
    assert {f["rule"] for f in by_id[bare.id]["findings"]} == {"disclaimer"}
    [lesson] = by_id[in_lessons.id]["findings"]
    assert lesson["rule"] == "lesson_hours" and "08:30 tot 12:00" in lesson["message"]
    photo_findings = [f for f in by_id[photo]["findings"] if f["rule"] == "media_consent"]
    assert "geen toestemmingsbewijs in Postwijs" in photo_findings[0]["message"]
    assert progress[-1].posts_read == 7  # the deleted one is not on the network

    [event] = history.events(store, "sweep")
    assert event.data["by"] == "ibt@scoh.example"
    assert event.data["school_year"] == YEAR and event.data["counts"] == result.counts
    assert history.verify(store).intact
    assert not yearly_sweep.unfinished(store, YEAR, yearly_sweep.accounts_of(site, "regenboog"))


def test_a_stopped_sweep_goes_on_where_it_was(store, server, site):
    for n in range(95):
        server.add_status(f"Bericht {n}", SATURDAY + timedelta(hours=n))
    accounts = yearly_sweep.accounts_of(site, "regenboog")
    taken = []

    def stop_after_50():
        return len(taken) >= 50

    first = yearly_sweep.run(
        store,
        site,
        YEAR,
        accounts,
        connector_for(server),
        by="ibt",
        should_stop=stop_after_50,
        on_progress=lambda p: taken.append(p.posts_read),
    )
    assert first.stopped and not first.complete
    assert "volgende keer" in first.results[0].problem
    assert history.events(store, "sweep") == []
    assert yearly_sweep.unfinished(store, YEAR, accounts)
    pages_before = len(server.requests_to("GET", "/api/v1/accounts/1/statuses"))

    second = yearly_sweep.run(store, site, YEAR, accounts, connector_for(server), by="ibt")

    assert second.complete
    assert second.results[0].counts["outside"] == 95  # none counted twice, none missed
    resumed = server.requests_to("GET", "/api/v1/accounts/1/statuses")[pages_before]
    assert "max_id" in resumed.query  # it went on at the page it was on, not at the top
    assert len(history.events(store, "sweep")) == 1
    assert not yearly_sweep.unfinished(store, YEAR, accounts)


def test_the_sweep_waits_out_a_rate_limit_and_goes_on(store, server, site):
    for n in range(90):
        server.add_status(f"Bericht {n}", SATURDAY + timedelta(hours=n))
    server.rate_window_renews = True
    server.set_rate_limit(remaining=2, reset=datetime.now(UTC) + timedelta(seconds=1.5))
    waits = []

    outcome = yearly_sweep.run(
        store,
        site,
        YEAR,
        yearly_sweep.accounts_of(site, "regenboog"),
        connector_for(server),
        by="ibt",
        on_progress=lambda p: waits.append(p.waiting_until) if p.waiting_until else None,
    )

    assert outcome.complete
    assert outcome.results[0].counts["outside"] == 90
    assert waits, "the progress said it waits for the network"
    statuses = [r.status for r in server.requests_to("GET", "/api/v1/accounts/1/statuses")]
    assert 429 in statuses and statuses[-1] == 200


def test_a_long_rate_limit_stops_the_sweep_to_go_on_later(store, server, site):
    server.add_status("Bericht", SATURDAY)
    server.set_rate_limit(remaining=1, reset=datetime.now(UTC) + timedelta(hours=1))

    outcome = yearly_sweep.run(
        store,
        site,
        YEAR,
        yearly_sweep.accounts_of(site, "regenboog"),
        connector_for(server),
        by="ibt",
    )

    assert not outcome.complete and outcome.resume_after is not None
    assert "laat Postwijs even wachten" in outcome.results[0].problem


def test_a_finding_is_reviewed_or_retracted_on_the_network_and_both_are_recorded(
    store, server, site
):
    rude = server.add_status("Wat een kankerweer.", SATURDAY)
    bare = server.add_status("Geen disclaimer.", SATURDAY)
    [account] = yearly_sweep.accounts_of(site, "regenboog")
    make = connector_for(server)
    yearly_sweep.run(store, site, YEAR, [account], make, by="ibt")

    yearly_sweep.retract(store, make(account), account, YEAR, rude.id, "Grof taalgebruik", "ibt")
    yearly_sweep.mark_reviewed(store, account, YEAR, bare.id, "Besproken met de juf", "ibt")

    assert rude.id not in {s.id for s in server.stored_statuses()}
    listed = {item.remote_id: item for item in yearly_sweep.latest_findings(store, YEAR)}
    assert listed[rude.id].handled["action"] == "retracted"
    assert listed[rude.id].handled["text"] == "Grof taalgebruik"
    assert listed[bare.id].handled["action"] == "reviewed"
    assert history.verify(store).intact
    with pytest.raises(ValueError):
        yearly_sweep.mark_reviewed(store, account, YEAR, bare.id, "  ", "ibt")


def test_the_disclaimer_counts_only_when_it_is_whole(site):
    [account] = yearly_sweep.accounts_of(site, "regenboog")
    assert yearly_sweep.disclaimer_complete(f"Tekst\n\n{DISCLAIMER}", site, account)
    half = DISCLAIMER.replace(" Niet verantwoordelijk voor derden.", "")
    assert not yearly_sweep.disclaimer_complete(f"Tekst\n\n{half}", site, account)
    other_school = DISCLAIMER.replace("De Regenboog", "De Kleine Wereld")
    assert not yearly_sweep.disclaimer_complete(other_school, site, account)


def test_pupils_of_the_register_are_found_in_posts_outside_postwijs(store, server, site):
    from app.consent.register import PersonRecord, add_person

    add_person(
        store,
        "regenboog",
        PersonRecord(
            identifier="1001",
            role="pupil",
            first_name="Noor",
            last_name="Bakker",
            group="5b",
            handles={"mastodon": "@noorb@school.example"},
        ),
        "demo",
        "nieuwe leerling",
    )
    named = server.add_status(f"Noor Bakker won de voorleeswedstrijd!\n\n{DISCLAIMER}", SATURDAY)
    tagged = server.add_status(f"Gefeliciteerd @noorb@school.example\n\n{DISCLAIMER}", SATURDAY)

    outcome = yearly_sweep.run(
        store,
        site,
        YEAR,
        yearly_sweep.accounts_of(site, "regenboog"),
        connector_for(server),
        by="ibt",
    )

    by_id = {p["remote_id"]: p for p in outcome.results[0].posts}
    assert {f["rule"] for f in by_id[named.id]["findings"]} == {"personal_data"}
    assert "pupil_accounts" in {f["rule"] for f in by_id[tagged.id]["findings"]}


def test_a_post_of_postwijs_edited_on_the_network_and_retracted_from_the_sweep_reads_as_retracted(
    store, server, site
):
    from app.compose.model import ComposerModel
    from app.publishing import outbox, post_log

    model = ComposerModel(site)
    model.set_account("regenboog-mastodon", True)
    model.set_text("Sportdag op vrijdag")
    job = outbox.submit(store, model.draft, model.variants())
    make = connector_for(server)
    [account] = yearly_sweep.accounts_of(site, "regenboog")
    [sent] = [t for t in outbox.send(store, job, lambda _id: make(account)) if not t.practice]
    assert sent.state == outbox.POSTED
    server.edit_status(sent.remote_id, "Sportdag verplaatst, zie de nieuwsbrief")
    outcome = yearly_sweep.run(store, site, YEAR, [account], make, by="ibt")
    assert outcome.results[0].counts["edited"] == 1

    yearly_sweep.retract(store, make(account), account, YEAR, sent.remote_id, "Bewerkt", "ibt")

    assert outbox.target(store, sent.id).retract_state == outbox.RETRACTED
    [row] = post_log.search(store, state="retracted")
    assert row.job_id == job
    [event] = history.events(store, "retracted")
    assert event.data["remote_id"] == sent.remote_id
    assert history.verify(store).intact
