"""Issue 11: when publishing fails, the result dialog keeps its rows whole, ends in final states
with marks the bundled font has, says what was posted where and what happens next, and no text
meant for developers (exception names, quoted identifiers) reaches the dialog or the status bar.
Real faults: the real connector registry has no connector for X; the practice timeline's file
cannot be opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from app.compose.model import availability_of
from app.publishing import outbox
from app.store import Store
from connectors.practice import TIMELINE_NAME
from tests.gui.shown_text import assert_dutch_only, developer_text

EIGHT_ACCOUNTS = Path(__file__).resolve().parents[1] / "sites" / "eight-accounts.toml"


def shown_texts(window) -> list[str]:
    texts = [window.statusBar().currentMessage(), window.composer.reason.text()]
    dialog = window.progress_dialog
    texts += [label.text() for label in dialog.findChildren(QLabel)]
    return [t for t in texts if t]


def assert_marks_in_font(dialog) -> None:
    for mark in dialog.marks.values():
        metrics = QFontMetrics(mark.font())
        assert mark.text() and all(metrics.inFontUcs4(ord(c)) for c in mark.text()), mark.text()


def publish(qtbot, window, text: str) -> None:
    qtbot.keyClicks(window.composer.editor, text)
    assert window.composer.publish_button.isEnabled(), window.composer.reason.text()
    window.composer.publish_button.click()
    window.confirm_dialog.publish_button.click()
    qtbot.waitUntil(lambda: not window.publishing, timeout=20_000)


def test_an_account_that_refuses_fails_alone_in_dutch_and_the_practice_post_goes_out(
    qtbot, open_window, data_dir
):
    window = open_window(site_file=EIGHT_ACCOUNTS)
    # As if the account states said Facebook could post: the site names no Page id for it, so its
    # connector refuses every post with what IT must configure.
    window.account_availability = lambda accounts: {
        "regenboog-facebook": availability_of("connected", "verbonden")
    }
    window.reload_availability()
    picker = window.composer.account_picker
    qtbot.waitUntil(lambda: picker.boxes["regenboog-facebook"].isEnabled(), timeout=10_000)
    picker.boxes["regenboog-facebook"].click()
    publish(qtbot, window, "Vandaag is het sportdag op het plein.")

    dialog = window.progress_dialog
    rows = dialog.rows
    assert rows["regenboog-oefen"].startswith("✓ Oefenaccount De Regenboog:")
    assert "Staat op je oefentijdlijn" in rows["regenboog-oefen"]
    assert rows["regenboog-facebook"] == (
        "✖ Ouders en vrienden van De Regenboog (Facebook): Niet geplaatst. Vraag de"
        " ICT-beheerder het paginanummer van deze Facebookpagina in de siteconfiguratie te zetten"
        " (handle, bijvoorbeeld 104000000000001; te vinden bij Pagina-info op Facebook). Dit"
        " account krijgt het bericht niet. Probeer het later opnieuw via Geschiedenis."
    )
    assert dialog.title.text().startswith("Geplaatst op 1 van 2 accounts.")
    assert dialog.close_button.isEnabled()
    assert all("bezig" not in row for row in rows.values())  # final states only
    assert_marks_in_font(dialog)
    assert_dutch_only(shown_texts(window))
    store = Store.open(data_dir)
    states = {t.account_id: t.state for t in outbox.targets(store, outbox.jobs(store)[0].id)}
    assert states == {"regenboog-oefen": outbox.POSTED, "regenboog-facebook": outbox.FAILED}


def test_a_timeline_that_cannot_be_written_says_so_in_dutch_without_the_systems_words(
    qtbot, open_window, data_dir
):
    window = open_window()
    # The practice timeline cannot be opened: a directory stands where its file should be.
    (data_dir / TIMELINE_NAME).mkdir()
    publish(qtbot, window, "Knutselen met herfstbladeren.")

    dialog = window.progress_dialog
    assert dialog.rows["regenboog-oefen"] == (
        "✖ Oefenaccount De Regenboog: Niet geplaatst. De oefentijdlijn kon niet"
        " worden bijgewerkt. Kijk of er ruimte op de schijf is en probeer het opnieuw. Dit account"
        " krijgt het bericht niet. Probeer het later opnieuw via Geschiedenis."
    )
    assert dialog.title.text().startswith("Geplaatst op 0 van 1 account.")
    assert_marks_in_font(dialog)
    assert_dutch_only(shown_texts(window))


class _Broken:
    """A connector with a fault nobody foresaw: not one of the app's connector errors."""

    def find_post(self, post):
        return None

    def publish(self, post):
        raise RuntimeError("unexpected state 'sending' in KeyedThing")


def test_an_unexpected_fault_gets_one_dutch_sentence_and_the_details_go_to_the_log(
    qtbot, open_window, caplog
):
    window = open_window(networks=lambda account, folder: _Broken())
    publish(qtbot, window, "Knutselen met herfstbladeren.")

    dialog = window.progress_dialog
    assert dialog.title.text().startswith("Plaatsen is niet gelukt. Er ging onverwacht iets mis.")
    assert "ICT-beheerder" in dialog.title.text()
    assert dialog.rows["regenboog-oefen"] == ("✖ Oefenaccount De Regenboog: Niet geplaatst.")
    assert dialog.close_button.isEnabled()
    assert window.statusBar().currentMessage() == dialog.title.text()
    assert_marks_in_font(dialog)
    assert_dutch_only(shown_texts(window))
    # The details are in the log for whoever helps, not on the screen.
    logged = [r for r in caplog.records if r.name == "postwijs.publishing" and r.exc_info]
    assert logged and "KeyedThing" in str(logged[0].exc_info[1])


def test_the_developer_text_check_catches_what_issue_11_saw():
    # The check itself must be able to fail: the texts the issue reported.
    for text in (
        "Plaatsen is niet gelukt: \"no connector for network 'x'\"",
        "KeyError: regenboog-x",
        "Aanmelden is niet gelukt: Invalid identifier or password",
        "Kan leerlingen.csv niet lezen (Is a directory).",
        "<RuntimeError object at 0x7f>",
    ):
        assert developer_text(text), text
    # And it lets plain Dutch through, names of schools and accounts included.
    assert_dutch_only(
        [
            "Geplaatst op 1 van 2 accounts. Oefenaccount De Regenboog: staat op je oefentijdlijn.",
            "Aanmelden bij Bluesky is niet gelukt. Controleer het app-wachtwoord en probeer het"
            " opnieuw.",
        ]
    )


def test_a_row_names_the_network_once_when_the_account_name_says_it_already(
    qtbot, open_window, tmp_path
):
    from tests.gui.eight_accounts import write_site

    window = open_window(site_file=write_site(tmp_path))
    x_account, mastodon = "regenboog-x-0", "regenboog-mastodon-2"
    window.account_availability = lambda accounts: {
        account_id: availability_of("connected", "verbonden")
        for account_id in (x_account, mastodon)
    }
    window.reload_availability()
    picker = window.composer.account_picker
    qtbot.waitUntil(lambda: picker.boxes[x_account].isEnabled(), timeout=10_000)
    picker.boxes[x_account].click()
    picker.boxes[mastodon].click()
    publish(qtbot, window, "Vandaag is het sportdag op het plein.")

    rows = window.progress_dialog.rows
    names = {account_id: row.split(": ")[0][2:] for account_id, row in rows.items()}  # no mark
    # Not "… op X (voorheen Twitter) (X)": the name says X already, as a word of its own.
    assert names == {
        x_account: "Basisschool De Regenboog op X (voorheen Twitter)",
        mastodon: "Basisschool De Regenboog op Mastodon (onderwijs.social)",
        "regenboog-oefen": "Oefenaccount De Regenboog",
    }
    assert_dutch_only(shown_texts(window))
