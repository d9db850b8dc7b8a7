"""Runs blocking work on Qt's thread pool and hands `(result, error)` back on the GUI thread."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from a worker is delivered there (queued)."""

    finished = Signal(object, object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result, error = self.work(), None
        except Exception as exc:  # handed to the GUI thread, which decides what the user sees
            result, error = None, exc
        # When the application is closing the receiver may be gone; the work itself is done (a
        # publish has stored its outcome), only the report has nobody left to read it.
        with contextlib.suppress(RuntimeError):
            self.relay.finished.emit(result, error)


_pending: set[_Relay] = set()


def while_alive(on_done: Callable) -> Callable:
    """`on_done`, not called once the widget it is a method of was deleted: the work itself is
    done and stored, only its report has nobody left to read it."""
    owner = getattr(on_done, "__self__", None)

    def deliver(result: Any, error: BaseException | None) -> None:
        from shiboken6 import isValid

        if isinstance(owner, QObject) and not isValid(owner):
            return
        on_done(result, error)

    return deliver


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any, BaseException | None], None],
    owner: QObject | None = None,
) -> None:
    """Calls `work()` off the GUI thread, then `on_done(result, error)` on the GUI thread; not
    when `owner` (the window or page the report is for), or the widget `on_done` is a method of,
    was deleted meanwhile."""
    from shiboken6 import isValid

    report = while_alive(on_done)
    relay = _Relay()
    _pending.add(relay)

    def deliver(result: Any, error: BaseException | None) -> None:
        _pending.discard(relay)
        relay.deleteLater()
        if owner is not None and not isValid(owner):
            return
        report(result, error)

    relay.finished.connect(deliver)
    QThreadPool.globalInstance().start(_Task(work, relay))


class _Reports(QObject):
    """Lives on the GUI thread; each report emitted from a worker is delivered there, in order."""

    reported = Signal(object)


def reporter(receive: Callable[[Any], None], owner: QObject) -> Callable[[Any], None]:
    """A callable that work running off the GUI thread may call as often as it likes (how far an
    upload is): each call hands its one argument to `receive` on the GUI thread, in order; none
    once `owner` (which keeps the relay) was deleted. Make it on the GUI thread."""
    from shiboken6 import isValid

    relay = _Reports(owner)

    def deliver(value: Any) -> None:
        if isValid(owner):
            receive(value)

    relay.reported.connect(deliver)

    def report(value: Any) -> None:
        # When the application is closing the relay may be gone: the report has nobody to read it.
        with contextlib.suppress(RuntimeError):
            relay.reported.emit(value)

    return report


class LatestReading:
    """Runs the same reading (the accounts' states) off the GUI thread as often as asked, and hands
    back only the newest one's result: the thread pool may finish an older reading last, and its
    out-of-date answer would overwrite what the user just did (a suspension shown as lifted)."""

    def __init__(self) -> None:
        self._asked = 0

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any, BaseException | None], None],
        owner: QObject | None = None,
    ) -> None:
        self._asked += 1
        asked = self._asked
        report = while_alive(on_done)

        def newest_only(result: Any, error: BaseException | None) -> None:
            if asked == self._asked:
                report(result, error)

        run_in_background(work, newest_only, owner)
