"""Runs blocking work on Qt's thread pool and hands `(result, error)` back on the GUI thread."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal


class _Relay(QObject):
    """Carries what workers hand back to the GUI thread, where it lives: a queued signal is
    delivered there, in the order it was emitted."""

    finished = Signal(object, object, object)  # on_done, result, error
    reported = Signal(object, object)  # receive, value


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    """The one relay, made on the GUI thread and kept for the application's life. Workers emit
    only on it: an emit from a worker racing the GUI thread's deletion of the object it emits on
    (a relay per task, or one owned by a closing window) can lock Qt's mutex against Python's
    interpreter lock for good, and then nothing, not even a timeout, runs again."""
    global _relay
    if _relay is None:
        _relay = _Relay()
        application = QCoreApplication.instance()
        if application is not None:
            _relay.moveToThread(application.thread())
        _relay.finished.connect(_call_on_done, Qt.ConnectionType.QueuedConnection)
        _relay.reported.connect(_hand_over, Qt.ConnectionType.QueuedConnection)
    return _relay


def _call_on_done(on_done: Callable, result: Any, error: BaseException | None) -> None:
    on_done(result, error)


def _hand_over(receive: Callable[[Any], None], value: Any) -> None:
    receive(value)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], on_done: Callable, relay: _Relay):
        super().__init__()
        self.work = work
        self.on_done = on_done
        self.relay = relay

    def run(self) -> None:
        try:
            result, error = self.work(), None
        except Exception as exc:  # handed to the GUI thread, which decides what the user sees
            result, error = None, exc
        # When the application is closing the relay may be gone; the work itself is done (a
        # publish has stored its outcome), only the report has nobody left to read it.
        with contextlib.suppress(RuntimeError):
            self.relay.finished.emit(self.on_done, result, error)


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
    was deleted meanwhile. Call it on the GUI thread."""
    from shiboken6 import isValid

    report = while_alive(on_done)

    def deliver(result: Any, error: BaseException | None) -> None:
        if owner is not None and not isValid(owner):
            return
        report(result, error)

    QThreadPool.globalInstance().start(_Task(work, deliver, _the_relay()))


def reporter(receive: Callable[[Any], None], owner: QObject) -> Callable[[Any], None]:
    """A callable that work running off the GUI thread may call as often as it likes (how far an
    upload is): each call hands its one argument to `receive` on the GUI thread, in order; none
    once `owner` was deleted. Make it on the GUI thread."""
    from shiboken6 import isValid

    relay = _the_relay()

    def deliver(value: Any) -> None:
        if isValid(owner):
            receive(value)

    def report(value: Any) -> None:
        # When the application is closing the relay may be gone: the report has nobody to read it.
        with contextlib.suppress(RuntimeError):
            relay.reported.emit(deliver, value)

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
