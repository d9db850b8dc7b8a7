"""Gepland shows a target that Postwijs cannot check (was it posted already?) with the exact post
and two answers; each answer does what it says, and nothing is posted twice."""

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from app.compose.model import ComposerModel
from app.networks.connector import CannotLookBack, UnknownOutcome
from app.publishing import outbox
from app.site.config import load_site
from app.store import Store
from connectors.practice import PracticeConnector, read_timeline


class LostAnswerNetwork(PracticeConnector):
    """The request never arrived (the connection broke), and the network cannot look back."""

    def publish(self, post):
        raise UnknownOutcome("De verbinding viel weg.")

    def find_post(self, post, since=None):
        raise CannotLookBack("Dit netwerk toont alleen de laatste berichten.")


def a_held_target(data_dir):
    store = Store.open(data_dir)
    model = ComposerModel(load_site(None))
    model.set_text("De bibliotheek is weer open")
    job = outbox.submit(store, model.draft, model.variants())
    network = lambda account_id: LostAnswerNetwork(data_dir, account_id)  # noqa: E731
    outbox.send(store, job, network)
    (t,) = outbox.send(store, job, network, now=datetime.now(UTC) + timedelta(hours=1))
    assert t.state == outbox.ASK_USER
    return store, t


def button(page, text):
    (found,) = [b for b in page.findChildren(QPushButton) if b.text() == text]
    return found


def test_the_user_who_finds_the_post_there_marks_it_posted(qtbot, open_window, data_dir):
    store, t = a_held_target(data_dir)
    window = open_window()
    window.show_page("scheduled")
    page = window.pages.currentWidget()
    (card,) = page.cards
    words = " ".join(label.text() for label in card.findChildren(QLabel))
    assert "Postwijs kan niet nagaan of dit bericht al geplaatst is" in words
    assert t.final_text in words  # the exact post, disclaimer included, to compare with
    qtbot.mouseClick(
        button(page, "Het staat er al: markeren als geplaatst"), Qt.MouseButton.LeftButton
    )
    assert outbox.target(store, t.id).state == outbox.POSTED
    assert page.cards == [] and read_timeline(data_dir) == []


def test_the_user_who_finds_it_missing_sends_it_once(qtbot, open_window, data_dir):
    store, t = a_held_target(data_dir)
    window = open_window()
    window.show_page("scheduled")
    page = window.pages.currentWidget()
    qtbot.mouseClick(button(page, "Het staat er niet: nu plaatsen"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outbox.target(store, t.id).state == outbox.POSTED, timeout=10_000)
    assert len(read_timeline(data_dir)) == 1


def test_a_target_held_while_sending_what_is_due_tells_the_user_where_to_answer(
    qtbot, open_window, data_dir
):
    store = Store.open(data_dir)
    model = ComposerModel(load_site(None))
    model.set_text("De bibliotheek is weer open")
    job = outbox.submit(store, model.draft, model.variants())
    # The first attempt, an hour ago, ended without an answer; its retry is due now.
    (t,) = outbox.send(
        store,
        job,
        lambda a: LostAnswerNetwork(data_dir, a),
        now=datetime.now(UTC) - timedelta(hours=1),
    )
    assert t.state == outbox.WAITING
    window = open_window(networks=lambda account, folder: LostAnswerNetwork(folder, account.id))
    window.flow.run_due()
    qtbot.waitUntil(
        lambda: "Postwijs kan niet nagaan" in window.statusBar().currentMessage(), timeout=10_000
    )
