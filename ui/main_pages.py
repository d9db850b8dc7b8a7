"""The pages of the main window besides the composer, and how each is wired to the window."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app import i18n
from app.i18n import _
from ui.pages import SettingsPage, error_page


def add_pages(window) -> None:
    pages = window.registry
    pages.add("scheduled", _("Gepland"), lambda: scheduled(window))
    pages.add("history", _("Geschiedenis"), lambda: history(window))
    pages.add("consent", _("Toestemmingen"), lambda: consent(window))
    pages.add("accounts", _("Accounts"), lambda: accounts(window))
    pages.add("practice", _("Oefentijdlijn"), lambda: timeline(window))
    pages.add("settings", _("Instellingen"), lambda: settings(window))


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
