"""The outbox under failure: retries, unknown outcomes, reconnects, refusals, parallel targets,
retraction. The network here is a scripted connector that keeps its own timeline, so 'posted
twice' is something the test can count."""

import threading
import time
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from app.compose.model import ComposerModel
from app.history import chain as history
from app.networks.connector import (
    NotSupported,
    PublishedPost,
    Reconnect,
    Rejected,
    RetryLater,
    UnknownOutcome,
)
from app.networks.profiles import PRACTICE
from app.publishing import outbox
from app.site.config import Account
from app.store import Store

NOW = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)


class ScriptedNetwork:
    """A network with a timeline; `script` lists what each publish attempt does."""

    profile = PRACTICE

    def __init__(self, script=(), delay=0.0):
        self.script = list(script)
        self.posts: dict[str, str] = {}  # client key -> remote id
        self.deleted: list[str] = []
        self.delay = delay
        self.ids = count(1)
        self.lock = threading.Lock()

    def connect(self):
        return "test"

    def who_am_i(self):
        return "test"

    def publish(self, post):
        time.sleep(self.delay)
        step = self.script.pop(0) if self.script else "ok"
        if step == "ok" or step == "accept-then-drop":
            with self.lock:
                remote = f"r{next(self.ids)}"
                self.posts[post.client_key] = remote
            if step == "accept-then-drop":
                raise UnknownOutcome("verbinding viel weg")
            return PublishedPost(remote, f"https://example.invalid/{remote}")
        if isinstance(step, Exception):
            raise step
        raise AssertionError(step)

    def find_post(self, post, since):
        remote = self.posts.get(post.client_key)
        return PublishedPost(remote, f"https://example.invalid/{remote}") if remote else None

    def delete(self, remote_id):
        if remote_id == "weigert":
            raise Rejected("mag niet")
        self.deleted.append(remote_id)

    def list_follows(self):
        raise NotSupported("nee")


def a_job(store, demo_site, accounts=1):
    extra = tuple(
        Account(f"extra-{n}", "regenboog", "practice", f"Extra {n}", "official")
        for n in range(accounts - 1)
    )
    from dataclasses import replace

    school = demo_site.school("regenboog")
    site = replace(
        demo_site,
        schools=tuple(
            replace(s, accounts=s.accounts + extra) if s.id == "regenboog" else s
            for s in demo_site.schools
        ),
    )
    model = ComposerModel(site)
    for account in extra:
        model.set_account(account.id, True)
    model.set_text("Kijk eens wat we gemaakt hebben!")
    assert school.id == model.draft.school_id
    return outbox.submit(store, model.draft, model.variants())


@pytest.fixture
def store(data_dir):
    store = Store.open(data_dir)
    yield store
    store.close()


def test_a_temporary_failure_waits_at_least_the_networks_moment_then_succeeds(store, demo_site):
    network = ScriptedNetwork([RetryLater("druk", NOW + timedelta(minutes=10)), "ok"])
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.WAITING
    assert datetime.fromisoformat(t.not_before) == NOW + timedelta(minutes=10)
    assert outbox.due(store, NOW + timedelta(minutes=9)) == []
    assert outbox.due(store, NOW + timedelta(minutes=10)) == [job]
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(minutes=10))
    assert t.state == outbox.POSTED and len(network.posts) == 1


def test_backoff_grows_and_is_capped():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff(50) == outbox.MAX_BACKOFF


def test_a_connection_lost_after_the_network_accepted_is_never_posted_twice(store, demo_site):
    network = ScriptedNetwork(["accept-then-drop", "ok"])
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.SENDING  # unknown: the next attempt looks first
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=1))
    assert t.state == outbox.POSTED
    assert len(network.posts) == 1 and network.script == ["ok"]  # found, not sent again
    assert len(history.events(store, "published")) == 1


def test_an_expired_sign_in_waits_for_reconnecting(store, demo_site):
    network = ScriptedNetwork([Reconnect("opnieuw aanmelden")])
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.RECONNECT
    assert outbox.due(store, NOW + timedelta(days=1)) == []
    outbox.reconnected(store, t.account_id)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.POSTED


def test_a_refused_target_keeps_the_reason_and_can_be_retried_alone(store, demo_site):
    refusing = ScriptedNetwork([Rejected("Tekst te lang volgens het netwerk")])
    fine = ScriptedNetwork()
    job = a_job(store, demo_site, accounts=2)
    networks = {}

    def connector_for(account_id):
        return networks.setdefault(
            account_id, refusing if account_id == "regenboog-oefen" else fine
        )

    first, second = outbox.send(store, job, connector_for, now=NOW)
    assert (first.state, first.error) == (outbox.FAILED, "Tekst te lang volgens het netwerk")
    assert second.state == outbox.POSTED
    outbox.retry_target(store, first.id)
    first, second = outbox.send(store, job, connector_for, now=NOW)
    assert first.state == outbox.POSTED
    assert len(fine.posts) == 1  # the other target was not sent again


def test_targets_are_sent_at_the_same_time(store, demo_site):
    network = ScriptedNetwork(delay=0.3)
    job = a_job(store, demo_site, accounts=5)
    started = time.perf_counter()
    result = outbox.send(store, job, lambda a: network, now=NOW)
    elapsed = time.perf_counter() - started
    assert [t.state for t in result] == [outbox.POSTED] * 5
    # Five 0.3 s targets one after another would take 1.5 s.
    assert elapsed < 1.2
    assert history.verify(store).intact


def test_retracting_removes_the_post_everywhere_and_shows_a_partial_failure(store, demo_site):
    network = ScriptedNetwork()
    job = a_job(store, demo_site, accounts=2)
    first, second = outbox.send(store, job, lambda a: network, now=NOW)
    store.execute("UPDATE outbox_targets SET remote_id = 'weigert' WHERE id = ?", [second.id])
    first, second = outbox.retract(
        store, job, "Foto zonder toestemming", lambda a: network, by="Sanne"
    )
    assert first.retract_state == outbox.RETRACTED and network.deleted == [first.remote_id]
    assert second.retract_state == outbox.RETRACT_FAILED and "mag niet" in second.retract_error
    (event,) = history.events(store, "retracted")
    assert event.details == {"why": "Foto zonder toestemming", "by": "Sanne"}
    assert len(history.events(store, "retract_failed")) == 1


def test_a_scheduled_job_waits_for_its_moment_and_can_be_cancelled(store, demo_site):
    model = ComposerModel(demo_site)
    model.set_text("Morgen is de kerstviering")
    job = outbox.submit(
        store, model.draft, model.variants(), scheduled_at=NOW + timedelta(hours=12)
    )
    network = ScriptedNetwork()
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.PENDING and network.posts == {}
    assert outbox.due(store, NOW) == [] and outbox.due(store, NOW + timedelta(hours=12)) == [job]
    outbox.cancel(store, job, by="Sanne")
    assert outbox.due(store, NOW + timedelta(days=2)) == []
    assert [e.kind for e in history.events(store)] == ["scheduled", "schedule_cancelled"]
