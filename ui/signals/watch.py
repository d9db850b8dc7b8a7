"""Fetches the signals in the background at the site configuration's interval: never during
start-up (the first fetch waits until the window has been on screen a while), never while one
runs, and an account a network's rate limit holds waits until the moment it named (the core
keeps that moment, app.signals)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.i18n import _
from app.site.config import Account
from app.store import Store, StoreError
from ui.background import run_in_background

if TYPE_CHECKING:  # the core's Signalen (with the rules) loads at the first fetch, not at start-up
    from app import signals
    from app.networks.connector import Connector

log = logging.getLogger("postwijs.signals")
# After the first paint, before the first fetch: the start belongs to the composer.
FIRST_FETCH_DELAY_MS = 60_000


class SignalsWatch(QObject):
    """`connector_for(account)` makes an account's connector (called off the GUI thread)."""

    fetched = Signal(object)  # a signals.FetchResult

    def __init__(self, window, connector_for: Callable[[Account], Connector | None]):
        super().__init__(window)
        self.window = window
        self.connector_for = connector_for
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(window.site.signals_interval_minutes * 60_000)
        self.timer.timeout.connect(self.fetch_if_due)

    def start(self, first_delay_ms: int = FIRST_FETCH_DELAY_MS) -> None:
        QTimer.singleShot(first_delay_ms, self, self.fetch_if_due)
        self.timer.start()

    def fetch_if_due(self, force: bool = False) -> None:
        if self.running:
            return
        self.running = True
        site, data_dir, make = self.window.site, self.window.data_dir, self.connector_for

        def work() -> signals.FetchResult | None:
            from app import signals

            store = Store.open(data_dir)  # its own connection: this runs off the GUI thread
            try:
                if not force and not signals.fetch_due(store, site):
                    return None
                return signals.fetch(store, site, make, datetime.now(UTC))
            finally:
                store.close()

        run_in_background(work, self._done, self)

    def _done(self, result: signals.FetchResult | None, error: BaseException | None) -> None:
        from app import signals

        self.running = False
        if isinstance(error, StoreError):
            self.fetched.emit(signals.FetchResult(problems={"": str(error)}))
            return
        if error is not None:
            log.error("fetching signals failed", exc_info=error)
            self.fetched.emit(
                signals.FetchResult(
                    problems={
                        "": _(
                            "Signalen ophalen is niet gelukt; Postwijs probeert het later opnieuw."
                        )
                    }
                )
            )
            return
        if result is not None:
            self.fetched.emit(result)


def connector_maker(window) -> Callable[[Account], Connector | None]:
    """The window's connector factory, for accounts whose network can show mentions; an account
    whose connector cannot be made is named and the others go on."""
    factory = window.connector_factory
    data_dir = window.data_dir

    def connector_for(account: Account) -> Connector | None:
        from app.networks.connector import ConnectorError

        try:
            return factory(account, data_dir)
        except ConnectorError:
            raise
        except Exception as error:
            log.error("no connector for %s", account.id, exc_info=error)
            return None

    return connector_for
