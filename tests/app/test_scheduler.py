from datetime import UTC, datetime, timedelta

from app.accounts import suspensions as accounts
from app.compose.model import ComposerModel
from app.compose.post import FACE_TAGGED, FaceMark, MediaItem
from app.history import chain as history
from app.publishing import outbox, scheduler
from app.rules.model import RegisterPerson
from app.store import Store
from tests.app.test_outbox_faults import ScriptedNetwork

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)


def scheduled(store, site, at, media=()):
    model = ComposerModel(site)
    model.set_text("De kerstmarkt begint om zeven uur")
    model.draft.media = list(media)
    return outbox.submit(store, model.draft, model.variants(), scheduled_at=at)


def test_a_scheduled_post_goes_out_at_its_moment(data_dir, demo_site):
    store = Store.open(data_dir)
    job = scheduled(store, demo_site, EVENING + timedelta(hours=1))
    network = ScriptedNetwork()
    assert scheduler.run_due(store, demo_site, lambda a: network, EVENING) == []
    (outcome,) = scheduler.run_due(
        store, demo_site, lambda a: network, EVENING + timedelta(hours=1)
    )
    assert outcome.job_id == job and [t.state for t in outcome.targets] == [outbox.POSTED]
    assert len(network.received) == 1


def test_a_scheduled_post_on_a_suspended_account_is_held_with_the_reason(data_dir, demo_site):
    store = Store.open(data_dir)
    job = scheduled(store, demo_site, EVENING)
    accounts.suspend(store, "regenboog-oefen", "regenboog", "Misbruik gemeld", by="Joost")
    network = ScriptedNetwork()
    (outcome,) = scheduler.run_due(store, demo_site, lambda a: network, EVENING)
    assert "geschorst" in outcome.held_reason and network.received == []
    assert outbox.job(store, job).state == outbox.HELD
    assert [e.kind for e in history.events(store)][-2:] == ["account_suspended", "schedule_held"]


def test_consent_withdrawn_after_scheduling_holds_the_post(data_dir, demo_site):
    store = Store.open(data_dir)
    photo = MediaItem(
        "foto.jpg", faces=[FaceMark((1, 1, 5, 5), FACE_TAGGED, "p1")], everyone_accounted_for=True
    )
    scheduled(store, demo_site, EVENING, media=[photo])
    withdrawn = RegisterPerson("p1", "Noor", "Bakker", "pupil", "regenboog")
    (outcome,) = scheduler.run_due(
        store, demo_site, lambda a: ScriptedNetwork(), EVENING, people=[withdrawn]
    )
    assert "Vervaag Noor Bakker" in outcome.held_reason


def test_a_moment_missed_while_closed_is_listed_and_waits_for_consent(data_dir, demo_site):
    store = Store.open(data_dir)
    job = scheduled(store, demo_site, EVENING)
    later = EVENING + timedelta(hours=3)
    assert [j.id for j in scheduler.missed(store, later)] == [job]
    network = ScriptedNetwork()
    assert scheduler.run_due(store, demo_site, lambda a: network, later, skip={job}) == []
    assert network.received == []


def test_the_recheck_counts_against_a_limit_the_accounts_server_announced(data_dir, demo_site):
    from app.networks.account_limits import remember_text_limit

    store = Store.open(data_dir)
    model = ComposerModel(demo_site)
    model.set_text_limits({"regenboog-oefen": 5000})
    model.set_text("x" * 1000)  # fits the announced 5,000, not the practice account's usual 500
    job = outbox.submit(store, model.draft, model.variants(), scheduled_at=EVENING)
    held = scheduler.recheck(store, demo_site, outbox.job(store, job), EVENING, [])
    assert "te lang" in held
    remember_text_limit(store, "regenboog-oefen", 5000)
    assert scheduler.recheck(store, demo_site, outbox.job(store, job), EVENING, []) == ""
