"""The pages of the main window besides the composer, and how each is wired to the window."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from app import i18n
from app.i18n import _

COUNT_DELAY_MS = 2000


def error_page(title: str, message: str) -> QWidget:
    """ui.pages' error page; that module is imported when a page is first built, not at start-up
    (its widgets' types cost the composer's first paint some 15 ms)."""
    from ui import pages

    return pages.error_page(title, message)


def add_pages(window) -> None:
    pages = window.registry
    pages.add("scheduled", _("Gepland"), lambda: scheduled(window))
    pages.add("history", _("Geschiedenis"), lambda: history(window))
    pages.add("signals", _("Signalen"), lambda: signals_page(window))
    pages.add("consent", _("Toestemmingen"), lambda: consent(window))
    pages.add("accounts", _("Accounts"), lambda: accounts(window))
    pages.add("practice", _("Oefentijdlijn"), lambda: timeline(window))
    pages.add("settings", _("Instellingen"), lambda: settings(window))
    watch_signals(window)


def signals_title(count: int) -> str:
    """The navigation's entry: with the number of signals new since the page was last seen."""
    if not count:
        return _("Signalen")
    return _("Signalen ({count} nieuw)").format(count=count)


def update_signals_count(window) -> None:
    from app.signals import new_count
    from app.store import StoreError

    schools = [s.id for s in window.site.schools_of(window.model.author)]
    try:
        count = new_count(window.store, schools)
    except StoreError as error:  # a busy database: the count waits for the next fetch
        logging.getLogger("postwijs").warning("signals count unreadable: %r", error)
        return
    window.registry.set_title("signals", signals_title(count))


def watch_signals(window) -> None:
    """The background fetch and the count in the navigation (not without a site and store)."""
    window.signals_watch = None
    if window.store is None or window.site is None or window.composer is None:
        return
    from ui.signals.watch import SignalsWatch, connector_maker

    watch = SignalsWatch(window, connector_maker(window))
    window.signals_watch = watch

    def fetched(result) -> None:
        update_signals_count(window)
        page = window.registry.page("signals")
        if hasattr(page, "reload"):
            page.reload()
            page.show_fetch_state(fetch_state(window, result))

    watch.fetched.connect(fetched)
    window.composer.first_painted.connect(lambda: watch.start())
    # The count from the last session, shortly after the start (not in its way).
    window.composer.first_painted.connect(
        lambda: QTimer.singleShot(COUNT_DELAY_MS, window, lambda: update_signals_count(window))
    )
    signals_row = window.registry.index["signals"]

    def shown(row: int) -> None:
        if row != signals_row:
            return
        from app.signals import last_visit, visited

        page = window.registry.page("signals")
        page.seen_before = last_visit(window.store)
        visited(window.store)
        page.reload()
        window.registry.set_title("signals", signals_title(0))

    window.nav.currentRowChanged.connect(shown)


def fetch_state(window, result) -> str:
    """What stopped some accounts' reading, in one line; "" when every account was read."""
    if not result.problems:
        return ""
    parts = []
    for account_id, problem in result.problems.items():
        name = window.account_name(account_id) if account_id else ""
        parts.append(f"{name}: {problem}" if name else problem)
    return " ".join(parts)


def signals_page(window) -> QWidget:
    if window.store is None or window.site is None or window.composer is None:
        return error_page(_("Signalen"), _("Signalen zijn niet beschikbaar (zie Nieuw bericht)."))
    from ui.signals.page import SignalsPage

    def fetch_now() -> None:
        if window.signals_watch is not None:
            window.signals_watch.fetch_if_due(force=True)

    return SignalsPage(
        window.site,
        window.store,
        window.site.schools_of(window.model.author),
        window.model.author.name,
        window.open_url,
        fetch_now,
    )


def history(window) -> QWidget:
    if window.store is None or window.site is None:
        return error_page(
            _("Geschiedenis"), _("De geschiedenis is niet beschikbaar (zie Nieuw bericht).")
        )
    from app.publishing.post_log import search
    from ui.history import actions as history_actions
    from ui.history.page import HistoryPage

    store, site = window.store, window.site
    page = HistoryPage(site, lambda **filters: search(store, **filters))
    page.report_button.clicked.connect(lambda: history_actions.ask_report(window, store, site))
    page.verify_button.clicked.connect(lambda: history_actions.show_verification(window, store))
    page.export_button.clicked.connect(lambda: history_actions.ask_export(window, store))

    def open_sweep() -> None:
        from ui.history.sweep import open_sweep as open_dialog

        open_dialog(window).acted.connect(lambda _what: page.reload())

    page.sweep_button.clicked.connect(open_sweep)
    page.sweep_button.setEnabled(window.publisher is not None)  # no networks without a site
    page.retract_requested.connect(window.flow.retract)
    page.retry_requested.connect(window.flow.retry_target)
    return page


def accounts(window) -> QWidget:
    if window.store is None or window.site is None or window.composer is None:
        return error_page(
            _("Accounts"), _("De accounts zijn niet beschikbaar (zie Nieuw bericht).")
        )
    from app.publishing import outbox
    from ui.accounts.page import AccountsPage

    page = AccountsPage(
        window.site,
        window.store,
        window.data_dir,
        window.people_for_rules,
        window.model.author.name,
        service=window.account_service,
    )

    def signed_in(account_id: str) -> None:
        # Posts that waited for this account go out now; its server's limits count from now.
        outbox.reconnected(window.store, account_id)
        window.reload_suspensions()
        window.flow.run_due()

    page.connected.connect(signed_in)
    page.suspensions_changed.connect(window.reload_suspensions)
    return page


def consent(window) -> QWidget:
    if window.store is None or window.site is None or window.composer is None:
        return error_page(
            _("Toestemmingen"),
            _("Het toestemmingsregister is niet beschikbaar (zie Nieuw bericht)."),
        )
    from ui.consent.page import ConsentPage

    return ConsentPage(
        window.store,
        window.site,
        window.model.author.name,
        window.flow.retract,
        window.reload_people,
    )


def scheduled(window) -> QWidget:
    if window.store is None or window.site is None:
        return error_page(_("Gepland"), _("De planning is niet beschikbaar (zie Nieuw bericht)."))
    from app.publishing import outbox
    from ui.publishing.scheduled_page import ScheduledPage

    def load():
        undecided = [outbox.job(window.store, j) for j in outbox.needing_decision(window.store)]
        return [
            (job, outbox.targets(window.store, job.id))
            for job in undecided + outbox.jobs(window.store, [outbox.SCHEDULED, outbox.HELD])
        ]

    page = ScheduledPage(window.site, load)
    page.decided.connect(window.flow.decide_held_target)
    page.cancel_requested.connect(window.flow.cancel_scheduled)
    page.edit_requested.connect(window.flow.edit_scheduled)
    page.reschedule_requested.connect(window.flow.reschedule)
    return page


def timeline(window) -> QWidget:
    from connectors.practice import read_timeline
    from ui.publishing.practice_timeline import PracticeTimelinePage

    window.timeline = PracticeTimelinePage(lambda: read_timeline(window.data_dir))
    return window.timeline


def site_description(site) -> str:
    if site is None:
        return _("niet geladen (zie de foutmelding)")
    if site.is_demo:
        return _("demosite (er is nog geen siteconfiguratie geïnstalleerd)")
    return str(site.source)


def settings(window) -> QWidget:
    from app.compose import author_identity
    from ui.pages import SettingsPage

    site = window.site
    author = window.model.author if window.composer is not None else None
    may_choose = site is not None and window.store is not None and author_identity.may_choose(site)
    return SettingsPage(
        author,
        site.schools_of(author) if author is not None else [],
        bool(site and site.is_demo),
        site_description(site),
        str(window.data_dir),
        i18n.current_language(),
        window.save_language,
        window.ask_identity if may_choose and author is not None else None,
    )
