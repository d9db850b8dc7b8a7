"""Never twice, and once in the end: for any interleaving of unknown outcomes, waits, reconnects,
suspensions, kills, restarts, user retries and look-up answers, the network stores the post at
most once, and exactly once when it is reachable in the end and the account not suspended. The
store is a real SQLite file; a kill drops every outbox object mid-send and reopens the file."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.accounts import suspensions
from app.compose.model import ComposerModel
from app.networks.connector import CannotLookBack, Reconnect, Rejected, RetryLater, UnknownOutcome
from app.publishing import outbox
from app.site.config import load_site
from app.store import Store
from tests.app.test_outbox_faults import Killed, ScriptedNetwork

# Well before the machine's clock, so the outbox's own clock never caps the network's.
START = datetime(2024, 3, 1, 16, 0, tzinfo=UTC)

# What the network does at its next publish request, or at its next look-up.
PUBLISH_FAULTS = {
    "stored, answer lost": lambda: "accept-then-drop",
    "lost before it arrived": lambda: UnknownOutcome("verbinding viel weg"),
    "stored, then killed": lambda: "accept-then-kill",
    "busy": lambda: RetryLater("druk"),
    "signed out": lambda: Reconnect("opnieuw aanmelden"),
    "refused": lambda: Rejected("geweigerd"),
    "killed before sending": lambda: Killed(),
}
LOOK_FAULTS = {
    "offline": lambda: RetryLater("offline"),
    "answer lost": lambda: UnknownOutcome("antwoord kwam niet aan"),
    "signed out": lambda: Reconnect("opnieuw aanmelden"),
    "refused": lambda: Rejected("even niet"),
    "cannot look back": lambda: CannotLookBack("te ver terug"),
    "killed": lambda: Killed(),
}
ACTIONS = ("send", "restart", "reconnected", "user retries", "user answers", "suspend", "lift")

step = st.one_of(
    st.tuples(st.just("publish fault"), st.sampled_from(sorted(PUBLISH_FAULTS))),
    st.tuples(st.just("look fault"), st.sampled_from(sorted(LOOK_FAULTS))),
    st.tuples(st.just("wait"), st.integers(0, 4 * 24 * 60)),  # minutes; a weekend fits
    st.tuples(st.sampled_from(ACTIONS), st.none()),
)


class Laptop:
    """Postwijs on one laptop: the store, reopened from its file after a kill or a restart."""

    def __init__(self, data_dir: Path, network: ScriptedNetwork):
        self.data_dir = data_dir
        self.network = network
        self.store = Store.open(data_dir)

    def restart(self) -> None:
        self.store.close()
        self.store = Store.open(self.data_dir)

    def killed(self) -> None:
        # Nothing is closed or committed: the objects are dropped and only the file remains.
        self.store = Store.open(self.data_dir)

    def send(self, job: str) -> None:
        try:
            outbox.send(self.store, job, lambda a: self.network, now=self.network.clock)
        except Killed:
            self.killed()

    def answer_as_the_user(self, t: outbox.Target) -> None:
        """The user looks at the account and answers truthfully."""
        if self.network.copies_of(t):
            outbox.mark_as_posted(self.store, t.id, by="Sanne")
        else:
            outbox.send_after_all(self.store, t.id, by="Sanne")


def a_job(store: Store) -> str:
    model = ComposerModel(load_site(None))
    model.set_text("Vandaag hebben we de moestuin ingezaaid!")
    return outbox.submit(store, model.draft, model.variants())


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(steps=st.lists(step, max_size=25), look_back=st.sampled_from([None, timedelta(hours=24)]))
def test_any_interleaving_posts_at_most_once_and_exactly_once_in_the_end(steps, look_back):
    with tempfile.TemporaryDirectory() as folder:
        network = ScriptedNetwork(look_back=look_back)
        network.clock = START
        laptop = Laptop(Path(folder), network)
        job = a_job(laptop.store)
        (t,) = outbox.targets(laptop.store, job)

        for kind, value in steps:
            if kind == "publish fault":
                network.script.append(PUBLISH_FAULTS[value]())
            elif kind == "look fault":
                network.look_script.append(LOOK_FAULTS[value]())
            elif kind == "wait":
                network.clock += timedelta(minutes=value)
            elif kind == "send":
                laptop.send(job)
            elif kind == "restart":
                laptop.restart()
            elif kind == "reconnected":
                outbox.reconnected(laptop.store, t.account_id)
            elif kind == "user retries":
                outbox.retry_target(laptop.store, t.id)
            elif kind == "suspend":
                suspensions.suspend(laptop.store, t.account_id, "regenboog", "melding", by="Joost")
            elif kind == "lift":
                suspensions.lift(laptop.store, t.account_id, "regenboog", by="Joost")
            elif kind == "user answers":
                current = outbox.target(laptop.store, t.id)
                if current.state == outbox.ASK_USER:
                    laptop.answer_as_the_user(current)
            assert network.copies_of(t) <= 1, steps

        # The network is reachable from now on, the account free; the user does what the screens ask.
        network.script.clear()
        network.look_script.clear()
        suspended = suspensions.suspension(laptop.store, t.account_id) is not None
        if suspended:
            suspensions.lift(laptop.store, t.account_id, "regenboog", by="Joost")
        for _round in range(6):
            current = outbox.target(laptop.store, t.id)
            if current.state == outbox.POSTED:
                break
            if current.state == outbox.ASK_USER:
                laptop.answer_as_the_user(current)
            elif current.state == outbox.RECONNECT:
                outbox.reconnected(laptop.store, current.account_id)
            elif current.state in (outbox.FAILED, outbox.WAITING):
                outbox.retry_target(laptop.store, t.id)
            network.clock += timedelta(hours=2)
            laptop.send(job)
        final = outbox.target(laptop.store, t.id)
        assert final.state == outbox.POSTED and not final.must_look, steps
        assert network.copies_of(t) == 1, steps
        laptop.store.close()
