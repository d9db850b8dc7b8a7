"""Walks every page and dialog of the main window the way a user meets them, and hands each to
`visit(name, widget)` once it is on screen and laid out: the fit test checks what it gets, the
screenshot script photographs it. Run as a module it prints what does not fit, as JSON, on the
screen the platform gives (see test_everything_fits.py):

    python -m tests.gui.page_walk SITE_FILE DATA_DIR [LANGUAGE]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QEvent, QTimeZone
from PySide6.QtWidgets import QApplication, QPushButton, QSizePolicy, QWidget

from app.__main__ import connector_for
from app.commands.cli import Options
from ui.startup import build_main_window

POST = (
    "Wat een feest vandaag bij de Koningsspelen! Alle groepen deden mee aan de sportdag op het"
    " plein. Dank aan alle ouders die hielpen."
)
EXPORT = (
    "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Toestemming social media;Website\r\n"
    "1001;Noor;;Bakker;5b;ja;ja\r\n"
    "1002;Daan;de;Vries;5b;nee;ja\r\n"
    "1003;Zoë;;El Amrani-Wijnberg van Oudshoorn;3a;misschien;nee\r\n"
    "1004;Sem;van der;Berg;3a;ja;\r\n"
)
Visit = Callable[[str, QWidget], None]


def settle(app: QApplication, rounds: int = 8) -> None:
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


def wait_for(app: QApplication, done: Callable[[], bool], seconds: float = 15) -> None:
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        settle(app, 1)


def only_current_page_counts(window) -> None:
    """The stack of pages is as wide as its widest page: one page too wide for the screen would
    widen every other page and hide their own problems. So each page is judged on its own: the
    pages not shown may shrink (Qt ignores the minimum size of an Ignored widget)."""
    pages = window.pages
    for index in range(pages.count()):
        policy = (
            QSizePolicy.Policy.Preferred
            if index == pages.currentIndex()
            else QSizePolicy.Policy.Ignored
        )
        pages.widget(index).setSizePolicy(policy, policy)
    pages.updateGeometry()


def seed_signals(window) -> None:
    """Signals as Mastodon would give them, on the school's Mastodon account: long and short,
    one that trips the decency rule, one whose author was erased."""
    from datetime import UTC, timedelta

    from app import signals
    from app.networks.connector import Mention, MentionKind

    accounts = [a for s in window.site.schools for a in s.accounts]
    account = next((a for a in accounts if a.network == "mastodon"), accounts[0])
    now = datetime.now(UTC)
    texts = (
        ("@regenboog Wat een kutschool is dit, mijn kind is weer gepest.", MentionKind.REPLY),
        ("@regenboog Dank voor de mooie Koningsspelen! " * 5, MentionKind.MENTION),
        ("@regenboog Kijk eens wat groep 8 gemaakt heeft", MentionKind.QUOTE),
    )
    mentions = [
        Mention(
            remote_id=str(n),
            account="@regenboog@onderwijs.social",
            kind=kind,
            author_handle=f"@ouder{n}@een-heel-lange-servernaam.example",
            text=text,
            url=f"https://onderwijs.social/@ouder{n}/{n}",
            created_at=now - timedelta(hours=n + 1),
        )
        for n, (text, kind) in enumerate(texts)
    ]
    signals.keep_mentions(window.store, window.site, account, mentions, now)


def see_consent_dialogs(window, page, see: Visit) -> None:
    """Adding a person, changing a consent by hand, and the posts that withdrawal concerns."""
    from app.consent import register as consent
    from app.history import chain as history

    page.open_add_person()
    see("consent-add-person", page.person_dialog)
    page.person_dialog.reject()
    noor = next(p for p in consent.people(window.store) if p.identifier == "1001")
    history.append(
        window.store,
        "published",
        {
            "job": "walk-job",
            "target": "walk-job-regenboog-oefen",
            "school": noor.school_id,
            "author": "demo",
            "account": "regenboog-oefen",
            "network": "practice",
            "practice": True,
            "remote_id": "r-walk-job",
            "url": "https://oefen.example/walk-job",
            "people": [noor.id],
        },
        details={"final_text": POST},
    )
    page.edit_consent(noor.id, "sociale media")
    edit = page.edit_dialog
    see("consent-edit", edit)
    edit.set_state(consent.REFUSED)
    edit.reason.setText("Moeder belde: liever geen foto's meer op sociale media")
    edit.ok_button.click()
    see("withdrawal-impact", page.impact_dialog)
    page.impact_dialog.reject()


def see_account_dialogs(page, see: Visit) -> None:
    """Signing in with a pasted token and with a Bluesky app password, and suspending."""
    from app.networks.connector import SignIn

    cards = list(page.cards.values())
    # The demo site has practice accounts only: nothing to sign in to, so no sign-in dialogs.
    signs_in = any(c.sign_in_method not in (SignIn.NONE, None) for c in cards)
    for method, name, attribute in (
        (SignIn.PASTED_TOKEN, "token-sign-in", "token_dialog"),
        (SignIn.APP_PASSWORD, "bluesky-sign-in", "bluesky_dialog"),
    ):
        if not signs_in:
            break
        card = next(c for c in cards if c.sign_in_method is method)
        page.sign_in(card.account.id)
        dialog = getattr(page, attribute)
        see(name, dialog)
        dialog.reject()
    card = next(c for c in cards if c.status is None or c.status.suspension is None)
    page.toggle_suspension(card.account.id)
    see("suspend", page.suspend_dialog)
    page.suspend_dialog.reject()


def walk(site_file: Path | None, data_dir: Path, visit: Visit, language: str = "") -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    screen = app.primaryScreen().availableGeometry()
    window = build_main_window(
        Options(data_dir=data_dir, site_file=site_file, language=language), connector_for
    )
    window.resize(screen.width(), screen.height())
    window.show()
    wait_for(app, lambda: window.composer.checks_enabled and window.welcome_dialog is not None)

    def see(name: str, widget: QWidget) -> None:
        settle(app)
        if widget is window:
            only_current_page_counts(window)
            settle(app)
            window.resize(screen.width(), screen.height())
            settle(app)
        visit(name, widget)

    see("welcome", window.welcome_dialog)
    window.welcome_dialog.accept()
    from app.compose.author_identity import role_choices
    from app.site.config import load_site
    from ui.welcome_dialog import WelcomeDialog

    demo = WelcomeDialog(
        "Sanne de Vries", "leerkracht", role_choices(load_site(None)), True, window
    )
    demo.show()
    see("welcome-demo", demo)
    demo.close()

    window.composer.editor.setPlainText(POST)
    see("composer", window)

    window.confirm_publish()
    see("confirm", window.confirm_dialog)
    window.confirm_dialog.accept()
    progress = window.progress_dialog
    wait_for(app, lambda: not window.publishing)
    # Posted on the practice account the dialog closes by itself: opened again, it shows the
    # final states, as it does for a real network.
    progress.show()
    see("send-progress", progress)
    progress.accept()
    window.show_page("practice")
    see("practice", window)

    window.show_page("history")
    page = window.pages.currentWidget()
    page.list.setCurrentRow(0)
    see("history", window)
    # The question before a retraction, opened from the chosen post's button as a user does.
    (retract,) = [
        b
        for b in page.details.findChildren(QPushButton)
        if b.text() == "Intrekken op alle netwerken…"
    ]
    retract.click()
    see("retract", page.retract_dialog)
    page.retract_dialog.reject()
    from ui.history.actions import ReportDialog, report_written_box, write_report

    report = ReportDialog(window.site, window)
    report.show()
    see("report", report)
    report.close()
    year = report.year.currentText()
    folder = Path(tempfile.mkdtemp(prefix="postwijs-walk-"))
    result, written = write_report(window.store, window.site, year, "", folder)
    box = report_written_box(window, year, folder, written, result.intact)
    box.show()
    see("report-written", box)
    box.close()
    from ui.history.sweep import open_sweep

    sweep = open_sweep(window)
    see("sweep", sweep)
    sweep.close()

    seed_signals(window)
    window.show_page("signals")
    window.pages.currentWidget().table.selectRow(0)
    see("signals", window)

    window.show_page("composer")
    window.composer.editor.setPlainText("Volgende week is de open dag, iedereen is welkom.")
    settle(app)
    window.flow.ask_schedule()
    schedule = window.schedule_dialog
    see("schedule", schedule)
    during = datetime(2027, 2, 1, 10, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))
    schedule.editor.setDateTime(
        QDateTime.fromSecsSinceEpoch(int(during.timestamp()), QTimeZone(b"Europe/Amsterdam"))
    )
    see("schedule-lesson-time", schedule)
    schedule.choose_next_allowed()
    schedule.accept()
    settle(app)
    window.confirm_dialog.accept()
    wait_for(app, lambda: not window.publishing)
    window.show_page("scheduled")
    see("scheduled", window)

    window.show_page("consent")
    see("consent", window)
    consent_page = window.pages.currentWidget()
    consent_page.open_import()
    wizard = consent_page.wizard
    export = folder / "leerlingen-september-2026-groep-1-tot-en-met-8.csv"
    export.write_bytes(EXPORT.encode("cp1252"))
    see("import-1-file", wizard)
    wizard.load_file(export)
    see("import-1-file-chosen", wizard)
    wizard.next()
    see("import-2-columns", wizard)
    wizard.next()
    see("import-3-check", wizard)
    wizard.only_good.setChecked(True)
    wizard.start_import()
    wait_for(app, lambda: wizard.report is not None)
    see("import-4-done", wizard)
    wizard.reject()
    wizard.close()
    see_consent_dialogs(window, consent_page, see)

    window.show_page("accounts")
    see("accounts", window)
    see_account_dialogs(window.pages.currentWidget(), see)
    window.show_page("settings")
    settings = window.pages.currentWidget()
    settings.ict_toggle.setChecked(True)
    see("settings", window)

    window.show_page("composer")
    window.composer.editor.setPlainText("Mag ik de foto van het schoolreisje delen?")
    settle(app)
    window.open_url = lambda _url: False  # as on a computer without a mail program
    window.review.start()
    see("review-note", window.review.note_dialog)
    window.review.note_dialog.note_edit.setPlainText("Het gaat om de foto van groep 3.")
    window.review.note_dialog.accept()
    settle(app)
    see("review-sent", window.review.sent_dialog)
    window.review.sent_dialog.accept()
    see("composer-review-waiting", window)
    window.review.record_answer()
    see("review-answer", window.answer_dialog)
    window.answer_dialog.reject()

    from tests.synthetic_photos import group_photo

    photo = folder / "schoolreisje.jpg"
    group_photo((1200, 800), (160, 180), seed=3).image.save(photo, quality=90)
    strip = window.composer.media_strip
    strip.add_files([photo])
    wait_for(app, lambda: not strip.busy, seconds=60)
    strip.open_tagging(window.model.draft.media[0])
    see("tagging", strip.tagging_dialog)
    strip.tagging_dialog.reject()
    see_youtube_video(app, window, folder, see)
    window.close()


def see_youtube_video(app: QApplication, window, folder: Path, see: Visit) -> None:
    """The composer with YouTube alone and a video: the title and the AI declaration, ticked;
    and its confirmation, which says what is declared."""
    from app.compose.model import availability_of
    from tests.app.test_media_video import make_video

    youtube = next((a.id for a in window.model.accounts() if a.network == "youtube"), None)
    if youtube is None:  # a site without a YouTube account
        return
    window.account_availability = lambda _accounts: {
        youtube: availability_of("connected", "verbonden")
    }
    window.reload_availability()
    composer = window.composer
    boxes = composer.account_picker.boxes
    wait_for(app, lambda: boxes[youtube].isEnabled())
    for account_id, box in boxes.items():
        if box.isChecked() != (account_id == youtube):
            box.click()
    strip = composer.media_strip
    # A new post (the walk's last one waits for the leidinggevende), without the photo.
    window.model.start_new()
    composer.sync_from_model()
    composer.editor.setPlainText("De musical van groep 8: het decor ontwierpen de kinderen met AI.")
    # The photo's tile goes with deleteLater, which processEvents outside an event loop never
    # runs; the app's own loop would, at once.
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    composer.title_edit.setText("Musical groep 8")
    strip.add_files([make_video(folder / "musical.mp4", size="640x360")])
    wait_for(app, lambda: not strip.busy, seconds=60)
    strip.editor.declare_nobody_recognisable(window.model.draft.media[0])
    composer.synthetic_check.setChecked(True)
    settle(app)
    composer.scroll_area.ensureWidgetVisible(composer.synthetic_box)
    see("composer-youtube-video", window)
    reason = window.model.why_not_publishable()
    assert not reason, reason
    window.confirm_publish()
    assert window.confirm_dialog.declaration_labels, "not the YouTube post's confirmation"
    see("confirm-youtube", window.confirm_dialog)
    window.confirm_dialog.reject()


def main() -> None:
    from tests.gui.fit_check import cut_off_texts, fits_on_screen

    site_file, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
    language = sys.argv[3] if len(sys.argv) > 3 else ""
    app = QApplication(sys.argv[:1])
    screen = app.primaryScreen().availableGeometry()
    found: dict[str, list[str]] = {}

    def check(name: str, widget: QWidget) -> None:
        found[name] = fits_on_screen(widget, screen.width(), screen.height()) + cut_off_texts(
            widget
        )

    walk(site_file, data_dir, check, language)
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main()
