"""The outbox under failure: retries, unknown outcomes, reconnects, refusals, parallel targets,
retraction. The network here is a scripted connector that records every publish request it
received and every post it stored, so 'posted twice' is something the test can count."""

import threading
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from app.compose.model import ComposerModel
from app.history import chain as history
from app.networks.connector import (
    CannotLookBack,
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
# What the real connectors search when no moment is given (the old fixed window).
DEFAULT_LOOKBACK = timedelta(hours=24)


class Killed(BaseException):
    """The process dies here: nothing after this line of the outbox runs."""


class ScriptedNetwork:
    """A network with a timeline. `script` lists what each publish request does: "ok" (stored,
    answered), "accept-then-drop" (stored, then the connection breaks: UnknownOutcome), or an
    exception (refused, nothing stored). `look_script` lists what each find_post does: "answer"
    (the default: the truth about the timeline) or an exception. `clock` is the network's time,
    which the test moves; `look_back` is how far back find_post can search (None: forever)."""

    profile = PRACTICE

    def __init__(self, script=(), look_script=(), look_back=None, barrier=None):
        self.script = list(script)
        self.look_script = list(look_script)
        self.look_back = look_back
        self.barrier = barrier
        self.clock = NOW
        self.received = []  # every publish request that reached the network, refused ones too
        self.stored = []  # (moment, client key, text, remote id): what is on the account
        self.lookups = []  # the `since` of every find_post
        self.deleted: list[str] = []
        self.ids = count(1)
        self.lock = threading.Lock()

    def connect(self):
        return "test"

    def who_am_i(self):
        return "test"

    def publish(self, post):
        if self.barrier is not None:
            self.barrier.wait()
        with self.lock:
            self.received.append(post)
            step = self.script.pop(0) if self.script else "ok"
            if isinstance(step, BaseException):
                raise step
            assert step in ("ok", "accept-then-drop", "accept-then-kill"), step
            remote = f"r{next(self.ids)}"
            self.stored.append((self.clock, post.client_key, post.text, remote))
        if step == "accept-then-drop":
            raise UnknownOutcome("verbinding viel weg")
        if step == "accept-then-kill":
            raise Killed()  # the process dies before the answer is recorded
        return PublishedPost(remote, f"https://example.invalid/{remote}")

    def find_post(self, post, since=None):
        since = since or self.clock - DEFAULT_LOOKBACK
        with self.lock:
            self.lookups.append(since)
            step = self.look_script.pop(0) if self.look_script else "answer"
        if isinstance(step, BaseException):
            raise step
        if self.look_back is not None and since < self.clock - self.look_back:
            raise CannotLookBack("Dit netwerk toont alleen de berichten van de laatste dag.")
        for moment, key, _text, remote in self.stored:
            if key == post.client_key and moment >= since:
                return PublishedPost(remote, f"https://example.invalid/{remote}")
        return None

    def copies_of(self, t):
        """How many times the target's post is on the account."""
        return sum(1 for _m, key, _t, _r in self.stored if key == t.id)

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


def test_a_temporary_failure_waits_at_least_the_networks_moment_then_succeeds(store, demo_site):
    network = ScriptedNetwork([RetryLater("druk", NOW + timedelta(minutes=10)), "ok"])
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.WAITING
    assert datetime.fromisoformat(t.not_before) == NOW + timedelta(minutes=10)
    assert outbox.due(store, NOW + timedelta(minutes=9)) == []
    assert outbox.due(store, NOW + timedelta(minutes=10)) == [job]
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(minutes=10))
    assert t.state == outbox.POSTED and network.copies_of(t) == 1
    assert len(network.received) == 2  # the refused request and the one that was stored


def test_backoff_grows_and_is_capped():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff(50) == outbox.MAX_BACKOFF


def test_a_connection_lost_after_the_network_accepted_is_never_posted_twice(store, demo_site):
    network = ScriptedNetwork(["accept-then-drop", "ok"])
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.WAITING and t.must_look  # unknown: the next attempt looks first
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=1))
    assert t.state == outbox.POSTED and not t.must_look
    assert len(network.received) == 1 and network.script == ["ok"]  # found, not sent again
    assert t.remote_id == "r1" and len(history.events(store, "published")) == 1


def test_an_expired_sign_in_waits_for_reconnecting(store, demo_site):
    network = ScriptedNetwork([Reconnect("opnieuw aanmelden")])
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.RECONNECT
    assert outbox.due(store, NOW + timedelta(days=1)) == []
    outbox.reconnected(store, t.account_id)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    assert t.state == outbox.POSTED and network.copies_of(t) == 1


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
    assert first.state == outbox.POSTED and refusing.copies_of(first) == 1
    assert len(fine.received) == 1  # the other target was not sent again


def test_targets_are_sent_at_the_same_time(store, demo_site):
    # No publish goes on until all five are in flight at once: sent one after another, the first
    # would wait in vain and the barrier break (BrokenBarrierError, not a connector error).
    network = ScriptedNetwork(barrier=threading.Barrier(5, timeout=30))
    job = a_job(store, demo_site, accounts=5)
    result = outbox.send(store, job, lambda a: network, now=NOW)
    assert [t.state for t in result] == [outbox.POSTED] * 5
    assert len(network.received) == 5 and not network.barrier.broken
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
    assert t.state == outbox.PENDING and network.received == []
    assert outbox.due(store, NOW) == [] and outbox.due(store, NOW + timedelta(hours=12)) == [job]
    outbox.cancel(store, job, by="Sanne")
    assert outbox.due(store, NOW + timedelta(days=2)) == []
    assert [e.kind for e in history.events(store)] == ["scheduled", "schedule_cancelled"]


def test_an_unknown_outcome_then_an_offline_look_up_still_looks_before_sending(store, demo_site):
    # Path 1: the send reached the network but the answer was lost; the next look-up fails
    # because the laptop is offline. The one after that must look again, not send.
    network = ScriptedNetwork(["accept-then-drop"], look_script=[RetryLater("offline")])
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=1))
    assert t.state == outbox.WAITING and t.must_look and t.error == "offline"
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=2))
    assert t.state == outbox.POSTED and t.remote_id == "r1"
    assert len(network.received) == 1 and network.copies_of(t) == 1
    assert len(network.lookups) == 2


def test_an_unknown_outcome_survives_a_reconnect_a_user_retry_and_a_restart(data_dir, demo_site):
    network = ScriptedNetwork(
        ["accept-then-drop"],
        look_script=[Reconnect("opnieuw aanmelden"), Rejected("even niet"), RetryLater("uit")],
    )
    store = Store.open(data_dir)
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=1))
    assert t.state == outbox.RECONNECT and t.must_look
    outbox.reconnected(store, t.account_id)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=2))
    assert t.state == outbox.FAILED and t.must_look
    outbox.retry_target(store, t.id)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=3))
    assert t.state == outbox.WAITING and t.must_look
    store.close()  # a restart: only the file remains
    store = Store.open(data_dir)
    outbox.retry_target(store, t.id)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=4))
    assert t.state == outbox.POSTED and not t.must_look
    assert len(network.received) == 1 and network.copies_of(t) == 1
    store.close()


def test_a_suspended_account_is_neither_asked_nor_sent_to_and_still_looks_first_after(
    store, demo_site
):
    from app.accounts import suspensions

    network = ScriptedNetwork(["accept-then-drop"])
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    suspensions.suspend(store, t.account_id, "regenboog", "Misbruik gemeld", by="Joost")
    later = NOW + timedelta(hours=2)
    (t,) = outbox.send(store, job, lambda a: network, now=later)
    assert t.state == outbox.WAITING and t.must_look
    outbox.retry_target(store, t.id)
    (t,) = outbox.send(store, job, lambda a: network, now=later, include_reconnect=True)
    assert t.state == outbox.PENDING and t.must_look
    assert network.lookups == [] and len(network.received) == 1
    suspensions.lift(store, t.account_id, "regenboog", by="Joost")
    assert outbox.due(store, later) == [job]
    (t,) = outbox.send(store, job, lambda a: network, now=later)
    assert t.state == outbox.POSTED and len(network.received) == 1 and len(network.lookups) == 1


def test_a_kill_after_the_network_stored_the_post_is_settled_by_looking(data_dir, demo_site):
    network = ScriptedNetwork(["accept-then-kill"])
    store = Store.open(data_dir)
    job = a_job(store, demo_site)
    with pytest.raises(Killed):
        outbox.send(store, job, lambda a: network, now=NOW)
    del store  # the process is gone; only the SQLite file remains
    store = Store.open(data_dir)
    (job_again,) = outbox.due(store, NOW + timedelta(minutes=1))
    (t,) = outbox.send(store, job_again, lambda a: network, now=NOW + timedelta(minutes=1))
    assert t.state == outbox.POSTED and len(network.received) == 1
    store.close()


def test_a_target_resumed_after_a_weekend_finds_its_post_from_the_first_attempt(store, demo_site):
    # Path 2: the first attempt's answer was lost on Friday evening; the laptop was offline until
    # Monday. A fixed 24-hour window would not see Friday's post and would send it again.
    network = ScriptedNetwork(["accept-then-drop"], look_script=[RetryLater("offline")] * 3)
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    for hours in (1, 12, 30):
        (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=hours))
        assert t.state == outbox.WAITING
    network.clock = NOW + timedelta(days=3)
    (t,) = outbox.send(store, job, lambda a: network, now=network.clock)
    assert t.state == outbox.POSTED and t.remote_id == "r1"
    assert len(network.received) == 1
    assert network.lookups[-1] == NOW - outbox.CLOCK_SKEW_MARGIN
    assert datetime.fromisoformat(t.first_attempt_at) == NOW


def test_a_network_that_cannot_look_back_that_far_holds_the_target_for_the_user(store, demo_site):
    network = ScriptedNetwork(["accept-then-drop"], look_back=timedelta(hours=24))
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    network.clock = NOW + timedelta(days=3)
    (t,) = outbox.send(store, job, lambda a: network, now=network.clock)
    assert t.state == outbox.ASK_USER and t.must_look
    assert "Kijk op het account en kies" in t.error
    assert outbox.needing_decision(store) == [job]
    # Held means held: no moment, no retry, no reconnect sends it.
    assert outbox.due(store, NOW + timedelta(days=30)) == []
    outbox.retry_target(store, t.id)
    outbox.reconnected(store, t.account_id)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(days=4))
    assert t.state == outbox.ASK_USER and len(network.received) == 1
    (held,) = history.events(store, "publish_held")
    assert held.data["target"] == t.id
    with pytest.raises(ValueError):
        outbox.cancel(store, job, by="Sanne")  # it may be out there: retract, not cancel

    # The user looked: it is there.
    assert outbox.mark_as_posted(store, t.id, by="Sanne") is True
    (t,) = outbox.targets(store, job)
    assert t.state == outbox.POSTED and not t.must_look and t.remote_id is None
    (event,) = history.events(store, "published")
    assert event.data["confirmed_by_user"] is True and event.details["by"] == "Sanne"
    assert event.data["target"] == t.id and event.details["final_text"] == t.final_text
    # A second answer (a double click, another window) changes nothing and records nothing.
    assert outbox.send_after_all(store, t.id, by="Joost") is False
    assert outbox.target(store, t.id).state == outbox.POSTED
    assert history.events(store, "publish_decided") == []
    assert outbox.job(store, job).state == outbox.DONE and outbox.needing_decision(store) == []
    outbox.send(store, job, lambda a: network, now=NOW + timedelta(days=5))
    assert len(network.received) == 1 and network.copies_of(t) == 1
    # Postwijs does not know where it is, so retracting says so instead of failing silently.
    (t,) = outbox.retract(store, job, "Foto zonder toestemming", lambda a: network, by="Sanne")
    assert t.retract_state == outbox.RETRACT_FAILED and "Verwijder het daar zelf" in t.retract_error
    assert network.deleted == []


def test_the_user_who_finds_the_post_missing_sends_it_once(store, demo_site):
    # The request never arrived (the connection broke first), and the network cannot tell.
    network = ScriptedNetwork(
        [UnknownOutcome("verbinding viel weg")], look_script=[CannotLookBack("te ver terug")]
    )
    job = a_job(store, demo_site)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW)
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=1))
    assert t.state == outbox.ASK_USER and network.stored == []
    assert outbox.send_after_all(store, t.id, by="Sanne") is True
    (decided,) = history.events(store, "publish_decided")
    assert decided.data["decision"] == "send" and decided.details == {"by": "Sanne"}
    (t,) = outbox.send(store, job, lambda a: network, now=NOW + timedelta(hours=1))
    assert t.state == outbox.POSTED and network.copies_of(t) == 1
    assert len(network.received) == 2  # the lost request and this one
    # Only a held target can be decided: the answer comes too late and changes nothing.
    assert outbox.mark_as_posted(store, t.id, by="Sanne") is False
    assert len(history.events(store, "published")) == 1


def test_a_caller_ahead_of_the_clock_does_not_move_the_first_attempt_later(store, demo_site):
    # The scheduler may send "what is due by then"; the look-up must still start before the send.
    network = ScriptedNetwork(["accept-then-drop"])
    job = a_job(store, demo_site)
    ahead = datetime.now(UTC) + timedelta(days=2)
    (t,) = outbox.send(store, job, lambda a: network, now=ahead)
    assert datetime.fromisoformat(t.first_attempt_at) <= datetime.now(UTC)
