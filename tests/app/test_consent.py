"""The consent register: what counts, the school-year turnover, the change log and history, people
who left, erasure, and the posts a withdrawal concerns. Real SQLite files; the demo site (schools
"regenboog" with consent contact "Administratie De Regenboog", and "kleine-wereld")."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.consent import register as consent
from app.consent.explain import whom_to_ask, why_no_consent
from app.consent.register import (
    GIVEN,
    IMPORT,
    REFUSED,
    UNKNOWN,
    WITHDRAWN,
    PersonRecord,
    Source,
)
from app.consent.withdrawal_impact import withdrawal_impact
from app.history import chain as history

SEPTEMBER_2026 = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)  # school year 2026-2027
JULY_2026 = datetime(2026, 7, 31, 12, 0, tzinfo=UTC)  # still 2025-2026
THIS_YEAR, LAST_YEAR = "2026-2027", "2025-2026"
EXPORT = Source(IMPORT, "leerlingen-sept.csv", "demo")


def noor(**consents) -> PersonRecord:
    return PersonRecord(
        identifier="1001",
        role="pupil",
        first_name="Noor",
        last_name="Bakker",
        group="5b",
        consents={tuple(k.split("|")): v for k, v in consents.items()},
    )


def daan(**consents) -> PersonRecord:
    return PersonRecord(
        identifier="1002",
        role="pupil",
        first_name="Daan",
        tussenvoegsel="de",
        last_name="Vries",
        group="5b",
        handles={"instagram": "@daandevries"},
        consents={tuple(k.split("|")): v for k, v in consents.items()},
    )


def given_this_year(purpose="sociale media"):
    return {f"{purpose}|{THIS_YEAR}": GIVEN}


def by_name(people, first_name):
    return next(p for p in people if p.first_name == first_name)


def test_only_given_for_the_current_school_year_counts_for_the_rules(store, demo_site):
    consent.merge_people(
        store,
        "regenboog",
        [
            noor(**{f"sociale media|{THIS_YEAR}": GIVEN, f"website|{THIS_YEAR}": REFUSED}),
            daan(**{f"sociale media|{LAST_YEAR}": GIVEN, f"nieuwsbrief|{THIS_YEAR}": UNKNOWN}),
        ],
        EXPORT,
    )
    people = consent.people_for_rules(store, demo_site, at=SEPTEMBER_2026)
    assert by_name(people, "Noor").consented_purposes == frozenset({"sociale media"})
    assert by_name(people, "Daan").consented_purposes == frozenset()
    assert by_name(people, "Daan").full_name == "Daan de Vries"
    assert by_name(people, "Daan").handles == {"instagram": "@daandevries"}
    assert by_name(people, "Noor").group == "5b"
    assert by_name(people, "Noor").role == "pupil"


def test_a_purpose_the_site_does_not_configure_does_not_count(store, demo_site):
    consent.merge_people(
        store, "regenboog", [noor(**{f"reclame|{THIS_YEAR}": GIVEN, **given_this_year()})], EXPORT
    )
    (person,) = consent.people_for_rules(store, demo_site, at=SEPTEMBER_2026)
    assert person.consented_purposes == frozenset({"sociale media"})


def test_people_for_rules_can_be_limited_to_one_school(store, demo_site):
    consent.merge_people(store, "regenboog", [noor(**given_this_year())], EXPORT)
    consent.merge_people(store, "kleine-wereld", [daan(**given_this_year())], EXPORT)
    assert [p.first_name for p in consent.people_for_rules(store, demo_site, "kleine-wereld")] == [
        "Daan"
    ]
    assert len(consent.people_for_rules(store, demo_site)) == 2


def test_the_same_identifier_at_two_schools_is_two_people(store):
    consent.merge_people(store, "regenboog", [noor()], EXPORT)
    consent.merge_people(store, "kleine-wereld", [noor()], EXPORT)
    assert len(consent.people(store)) == 2


def test_the_school_year_turnover_ends_last_years_consent(store, demo_site):
    consent.merge_people(
        store,
        "regenboog",
        [noor(**{f"sociale media|{LAST_YEAR}": GIVEN}), daan(**{f"website|{LAST_YEAR}": GIVEN})],
        EXPORT,
    )
    in_july = consent.people_for_rules(store, demo_site, at=JULY_2026)
    assert by_name(in_july, "Noor").consented_purposes == {"sociale media"}
    in_september = consent.people_for_rules(store, demo_site, at=SEPTEMBER_2026)
    assert all(not p.consented_purposes for p in in_september)

    summary = consent.stale_consent_summary(store, SEPTEMBER_2026)
    assert (summary.school_year, summary.previous_year, summary.people) == (
        THIS_YEAR,
        LAST_YEAR,
        2,
    )
    assert summary.by_purpose == {"sociale media": 1, "website": 1}
    assert summary.by_school == {"regenboog": 2}
    assert summary.message == (
        "Importeer de toestemmingen voor 2026-2027: voor 2 personen is er alleen toestemming van"
        " vorig schooljaar (2025-2026), en die telt niet meer."
    )
    assert consent.stale_consent_summary(store, JULY_2026).people == 0
    assert consent.stale_consent_summary(store, JULY_2026).message == ""


def test_a_decision_for_the_new_year_takes_a_person_out_of_the_stale_summary(store):
    consent.merge_people(
        store,
        "regenboog",
        [
            noor(**{f"sociale media|{LAST_YEAR}": GIVEN, f"sociale media|{THIS_YEAR}": REFUSED}),
            daan(**{f"sociale media|{LAST_YEAR}": GIVEN, f"sociale media|{THIS_YEAR}": GIVEN}),
        ],
        EXPORT,
    )
    assert consent.stale_consent_summary(store, SEPTEMBER_2026).people == 0


def test_why_no_consent_names_the_year_last_year_and_whom_to_ask(store, demo_site):
    consent.merge_people(
        store, "regenboog", [noor(**{f"sociale media|{LAST_YEAR}": GIVEN})], EXPORT
    )
    person = consent.find_person(store, "regenboog", "1001")
    assert why_no_consent(store, demo_site, person.id, "sociale media", SEPTEMBER_2026) == (
        "Voor Noor Bakker is er geen toestemming voor sociale media in 2026-2027 (vorig schooljaar"
        " wel). Vraag Administratie De Regenboog (administratie@regenboog.example) om de nieuwe"
        " toestemming."
    )
    assert why_no_consent(store, demo_site, person.id, "sociale media", JULY_2026) == (
        "Voor Noor Bakker is er toestemming voor sociale media in 2025-2026."
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (
            WITHDRAWN,
            "Voor Noor Bakker is de toestemming voor website in 2026-2027 ingetrokken. Gebruik geen"
            " beeld van Noor Bakker; vraag Administratie De Regenboog"
            " (administratie@regenboog.example) als dit niet klopt.",
        ),
        (
            REFUSED,
            "Voor Noor Bakker is geen toestemming gegeven voor website in 2026-2027. Gebruik geen"
            " beeld van Noor Bakker; vraag Administratie De Regenboog"
            " (administratie@regenboog.example) als dit niet klopt.",
        ),
        (
            UNKNOWN,
            "Voor Noor Bakker is er geen toestemming voor website in 2026-2027. Vraag Administratie"
            " De Regenboog (administratie@regenboog.example) om de toestemming.",
        ),
    ],
)
def test_why_no_consent_for_each_state(store, demo_site, state, expected):
    consent.merge_people(store, "regenboog", [noor(**{f"website|{THIS_YEAR}": state})], EXPORT)
    person = consent.find_person(store, "regenboog", "1001")
    assert why_no_consent(store, demo_site, person.id, "website", SEPTEMBER_2026) == expected


def test_why_no_consent_for_an_unknown_person_and_at_a_school_without_contact(store, demo_site):
    assert "staat niet in het toestemmingsregister" in why_no_consent(
        store, demo_site, "nobody", "website", SEPTEMBER_2026
    )
    assert whom_to_ask(demo_site, "kleine-wereld") == (
        "Ineke Smit (coordinator@kleinewereld.example)"
    )
    assert whom_to_ask(demo_site, "elders") == "de administratie van de school"


@pytest.mark.parametrize(
    ("old", "new", "from_export", "result"),
    [
        (GIVEN, REFUSED, True, WITHDRAWN),
        (GIVEN, REFUSED, False, WITHDRAWN),
        (GIVEN, WITHDRAWN, True, WITHDRAWN),
        (GIVEN, UNKNOWN, True, UNKNOWN),  # an emptied cell: the consent no longer counts
        (REFUSED, UNKNOWN, True, REFUSED),  # an empty cell says nothing new about a refusal
        (WITHDRAWN, UNKNOWN, True, WITHDRAWN),
        (WITHDRAWN, REFUSED, True, WITHDRAWN),
        (WITHDRAWN, REFUSED, False, REFUSED),
        (WITHDRAWN, GIVEN, True, GIVEN),  # consent given again
        (REFUSED, GIVEN, True, GIVEN),
        (None, REFUSED, True, REFUSED),  # never given: a refusal, not a withdrawal
        (None, UNKNOWN, True, UNKNOWN),
        (UNKNOWN, UNKNOWN, False, UNKNOWN),
    ],
)
def test_resulting_state(old, new, from_export, result):
    assert consent.resulting_state(old, new, from_export) == result


@pytest.mark.parametrize(
    ("identifier", "key"),
    [("00123", "123"), ("123", "123"), (" 0123 ", "123"), ("000", "0"), ("A-012", "A-012")],
)
def test_identifiers_ignore_the_leading_zeros_a_spreadsheet_drops(identifier, key):
    assert consent.identifier_key(identifier) == key


def test_a_changed_consent_is_logged_with_source_and_time_and_in_the_history(store):
    consent.merge_people(store, "regenboog", [noor(**given_this_year())], EXPORT)
    person = consent.find_person(store, "regenboog", "1001")
    change = consent.set_consent(
        store, person.id, "sociale media", THIS_YEAR, REFUSED, "demo", "ouder belde de school"
    )
    assert change.old_state == GIVEN and change.new_state == WITHDRAWN
    assert consent.consent_state(store, person.id, "sociale media", THIS_YEAR) == WITHDRAWN

    log = [e for e in consent.change_log(store, person.id) if e.change == "consent"]
    assert [(e.old_state, e.new_state, e.source_kind, e.source, e.by) for e in log] == [
        (UNKNOWN, GIVEN, "import", "leerlingen-sept.csv", "demo"),
        (GIVEN, WITHDRAWN, "edit", "demo", "demo"),
    ]
    assert log[1].reason == "ouder belde de school"
    assert all(e.at and e.school_id == "regenboog" for e in log)

    events = history.events(store, "consent_changed")
    assert [(e.data["old"], e.data["new"]) for e in events] == [
        (UNKNOWN, GIVEN),
        (GIVEN, WITHDRAWN),
    ]
    assert events[1].data == {
        "person": person.id,
        "school": "regenboog",
        "purpose": "sociale media",
        "year": THIS_YEAR,
        "old": GIVEN,
        "new": WITHDRAWN,
        "source": {"kind": "edit", "label": "demo", "by": "demo"},
    }
    # Names and free text only in the erasable details, never in the chained data.
    assert events[1].details == {"name": "Noor Bakker", "reason": "ouder belde de school"}
    assert all("Noor" not in json.dumps(e.data) for e in events)
    assert history.verify(store).intact


def test_an_unchanged_consent_writes_nothing(store):
    consent.merge_people(store, "regenboog", [noor(**given_this_year())], EXPORT)
    before = len(consent.change_log(store))
    result = consent.merge_people(store, "regenboog", [noor(**given_this_year())], EXPORT)
    assert result.changes == [] and result.updated == [] and result.added == []
    assert len(consent.change_log(store)) == before
    assert len(history.events(store, "consent_changed")) == 1


def test_an_edit_by_hand_needs_who_and_why(store):
    consent.merge_people(store, "regenboog", [noor(**given_this_year())], EXPORT)
    person = consent.find_person(store, "regenboog", "1001")
    with pytest.raises(ValueError):
        consent.set_consent(store, person.id, "website", THIS_YEAR, GIVEN, "demo", " ")
    with pytest.raises(ValueError):
        consent.set_consent(store, person.id, "website", THIS_YEAR, GIVEN, "", "formulier")
    assert consent.consent_state(store, person.id, "website", THIS_YEAR) == UNKNOWN


def test_adding_and_editing_a_person_by_hand(store, demo_site):
    person_id = consent.add_person(
        store,
        "regenboog",
        PersonRecord(
            identifier="M-17", role="staff", first_name="Sanne", tussenvoegsel="de",
            last_name="Vries", consents={("sociale media", THIS_YEAR): GIVEN},
        ),
        "demo",
        "nieuwe collega",
    )  # fmt: skip
    with pytest.raises(ValueError):
        consent.add_person(
            store, "regenboog", PersonRecord(identifier="M-17", role="staff"), "demo", "dubbel"
        )
    consent.edit_person(
        store,
        "regenboog",
        PersonRecord(identifier="M-17", role="staff", first_name="Sanne", last_name="Jansen"),
        "demo",
        "getrouwd",
    )
    person = consent.person(store, person_id)
    assert (person.full_name, person.origin, person.role) == ("Sanne Jansen", "edit", "staff")
    log = consent.change_log(store, person_id)
    assert [e.change for e in log] == ["person_added", "consent", "person_updated"]
    assert log[2].reason == "tussenvoegsel, last_name"
    (rules_person,) = consent.people_for_rules(store, demo_site, at=SEPTEMBER_2026)
    assert rules_person.consented_purposes == {"sociale media"}


@pytest.mark.parametrize(
    "record",
    [
        PersonRecord(identifier="1", role="leerling"),
        PersonRecord(identifier=" ", role="pupil"),
        PersonRecord(identifier="1", role="pupil", consents={("website", "2026/2027"): GIVEN}),
        PersonRecord(identifier="1", role="pupil", consents={("website", THIS_YEAR): "ja"}),
    ],
)
def test_merge_refuses_records_the_import_should_have_caught(store, record):
    with pytest.raises(ValueError):
        consent.merge_people(store, "regenboog", [record], EXPORT)
    assert consent.people(store) == []


def test_confirmed_missing_people_leave_and_their_consent_is_withdrawn(store, demo_site):
    consent.merge_people(
        store,
        "regenboog",
        [
            noor(
                **{
                    f"sociale media|{THIS_YEAR}": GIVEN,
                    f"website|{THIS_YEAR}": REFUSED,
                    f"sociale media|{LAST_YEAR}": GIVEN,
                }
            ),
            daan(**given_this_year()),
        ],
        EXPORT,
    )
    person = consent.find_person(store, "regenboog", "1001")
    changes = consent.confirm_missing(store, "regenboog", [person.id], "demo", now=SEPTEMBER_2026)
    assert [(c.purpose, c.school_year, c.old_state, c.new_state) for c in changes] == [
        ("sociale media", THIS_YEAR, GIVEN, WITHDRAWN)
    ]
    # Last year's record stays as it was: it is history.
    assert consent.consent_state(store, person.id, "sociale media", LAST_YEAR) == GIVEN
    assert consent.person(store, person.id).left_at is not None
    people = consent.people_for_rules(store, demo_site, at=SEPTEMBER_2026)
    assert by_name(people, "Noor").consented_purposes == frozenset()  # still known by name
    assert by_name(people, "Daan").consented_purposes == {"sociale media"}
    assert "staat niet meer in de export" in why_no_consent(
        store, demo_site, person.id, "sociale media", SEPTEMBER_2026
    )
    log = consent.change_log(store, person.id)
    assert log[-2].change == "person_left" and log[-2].source_kind == "confirm_missing"
    assert log[-1].reason == "niet meer in de export van de administratie"
    assert history.events(store, "consent_changed")[-1].data["source"]["kind"] == (
        "confirm_missing"
    )
    assert consent.people(store, "regenboog", include_left=False)[0].first_name == "Daan"


def test_confirm_missing_refuses_people_of_another_school(store):
    consent.merge_people(store, "kleine-wereld", [noor(**given_this_year())], EXPORT)
    person = consent.find_person(store, "kleine-wereld", "1001")
    with pytest.raises(KeyError):
        consent.confirm_missing(store, "regenboog", [person.id], "demo")
    assert consent.person(store, person.id).left_at is None


def test_a_person_who_left_and_is_in_an_export_again_returns(store):
    consent.merge_people(store, "regenboog", [noor(**given_this_year())], EXPORT)
    person = consent.find_person(store, "regenboog", "1001")
    consent.confirm_missing(store, "regenboog", [person.id], "demo", now=SEPTEMBER_2026)
    result = consent.merge_people(store, "regenboog", [noor(**given_this_year())], EXPORT)
    assert result.returned == [person.id]
    assert consent.person(store, person.id).left_at is None
    assert consent.consent_state(store, person.id, "sociale media", THIS_YEAR) == GIVEN


def test_erasing_a_person_keeps_the_chain_and_drops_their_details(store):
    consent.merge_people(store, "regenboog", [noor(**given_this_year()), daan()], EXPORT)
    person = consent.find_person(store, "regenboog", "1001")
    consent.set_consent(
        store, person.id, "website", THIS_YEAR, GIVEN, "demo", "Noor haar moeder belde"
    )
    consent.erase_person(store, person.id, "demo", "AVG-verzoek")
    assert consent.person(store, person.id) is None
    assert consent.consents_of(store, person.id) == {}
    assert consent.find_person(store, "regenboog", "1002") is not None
    assert all(e.details is None for e in history.events(store, "consent_changed"))
    assert "Noor" not in json.dumps([e.reason for e in consent.change_log(store)])
    assert consent.change_log(store, person.id)[-1].change == "person_erased"
    assert history.events(store, "consent_person_erased")[0].data["person"] == person.id
    assert history.verify(store).intact


def published(store, people, network="practice", job="job-1", account="regenboog-oefen", **extra):
    data = {
        "job": job,
        "target": f"{job}-{account}",
        "school": "regenboog",
        "author": "demo",
        "account": account,
        "network": network,
        "practice": network == "practice",
        "remote_id": f"r-{job}",
        "url": f"https://example.test/{job}",
        "people": people,
        **extra,
    }
    history.append(store, "published", data, details={"final_text": "Wat een feest!"})


def test_withdrawal_impact_lists_every_published_post_that_shows_the_person(store):
    published(store, ["p-noor", "p-daan"], job="job-1")
    published(store, ["p-daan"], job="job-2")
    published(store, ["p-noor"], network="mastodon", job="job-3", account="regenboog-mastodon")
    history.append(store, "published", {"job": "job-4", "account": "a", "network": "practice"})
    posts = withdrawal_impact(store, "p-noor", "sociale media")
    assert [(p.job, p.account, p.network, p.url, p.remote_id) for p in posts] == [
        ("job-1", "regenboog-oefen", "practice", "https://example.test/job-1", "r-job-1"),
        ("job-3", "regenboog-mastodon", "mastodon", "https://example.test/job-3", "r-job-3"),
    ]
    assert posts[0].practice and not posts[1].practice
    assert all(p.published_at and not p.retracted for p in posts)
    assert withdrawal_impact(store, "p-noor", "website") == []
    assert len(withdrawal_impact(store, "p-noor")) == 2
    assert withdrawal_impact(store, "p-nobody", "sociale media") == []


def test_withdrawal_impact_leaves_out_retracted_posts_unless_asked(store):
    published(store, ["p-noor"], job="job-1")
    published(store, ["p-noor"], job="job-2")
    history.append(
        store,
        "retracted",
        {"job": "job-1", "target": "job-1-regenboog-oefen", "account": "regenboog-oefen"},
    )
    assert [p.job for p in withdrawal_impact(store, "p-noor", "sociale media")] == ["job-2"]
    everything = withdrawal_impact(store, "p-noor", include_retracted=True)
    assert [(p.job, p.retracted) for p in everything] == [("job-1", True), ("job-2", False)]


def test_withdrawal_impact_of_a_real_withdrawal(store):
    consent.merge_people(store, "regenboog", [noor(**given_this_year())], EXPORT)
    person = consent.find_person(store, "regenboog", "1001")
    published(store, [person.id])
    change = consent.set_consent(
        store, person.id, "sociale media", THIS_YEAR, REFUSED, "demo", "formulier ingetrokken"
    )
    assert change.new_state == WITHDRAWN
    (post,) = withdrawal_impact(store, change.person_id, change.purpose)
    assert post.url == "https://example.test/job-1"
