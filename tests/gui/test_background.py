import threading

from PySide6.QtCore import QThread

from ui.background import run_in_background


def test_the_result_comes_back_on_the_gui_thread(qtbot):
    gui_thread = QThread.currentThread()
    received = []

    def work():
        return threading.current_thread().name

    run_in_background(
        work, lambda result, error: received.append((result, error, QThread.currentThread()))
    )
    qtbot.waitUntil(lambda: len(received) == 1, timeout=5000)
    (result, error, thread) = received[0]
    assert error is None
    assert result != threading.main_thread().name
    assert thread is gui_thread


def test_an_error_is_handed_back_not_raised_in_the_worker(qtbot):
    received = []

    def work():
        raise OSError("schijf vol")

    run_in_background(work, lambda result, error: received.append((result, error)))
    qtbot.waitUntil(lambda: len(received) == 1, timeout=5000)
    result, error = received[0]
    assert result is None and isinstance(error, OSError) and str(error) == "schijf vol"


def test_a_report_for_a_closed_window_is_dropped_and_the_work_still_done(qtbot):
    """A publish that ends after its window closed must not reach the deleted window (that was
    a crash); the work itself still ran to its end."""
    from PySide6.QtWidgets import QWidget
    from shiboken6 import delete

    window, other = QWidget(), QWidget()
    qtbot.addWidget(other)
    started, done, received = threading.Event(), [], []

    def work():
        started.wait(5)
        done.append(True)
        return "geplaatst"

    run_in_background(work, lambda result, error: received.append(("closed", result)), window)
    run_in_background(work, lambda result, error: received.append(("open", result)), other)
    delete(window)
    started.set()
    qtbot.waitUntil(lambda: len(received) == 1 and len(done) == 2, timeout=5000)
    qtbot.wait(50)
    assert received == [("open", "geplaatst")]


def test_an_older_reading_that_ends_last_does_not_overwrite_the_newest(qtbot):
    """The Accounts page reads every account's state after each action; when the reading started
    before a suspension ends after the one started by it, the card must still say suspended."""
    from PySide6.QtCore import QThreadPool

    from ui.background import LatestReading

    reading = LatestReading()
    newer_done, received = threading.Event(), []

    def before_the_suspension():
        newer_done.wait(5)
        return "niet geschorst"

    def after_the_suspension():
        return "geschorst"

    def show(result, error):
        received.append(result)
        if result == "geschorst":
            newer_done.set()

    reading.run(before_the_suspension, show)
    reading.run(after_the_suspension, show)
    qtbot.waitUntil(newer_done.is_set, timeout=5000)
    QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)  # the older reading's report, queued meanwhile, is delivered (and dropped)
    assert received == ["geschorst"]


def test_reports_from_a_worker_while_their_window_is_deleted_stop_without_a_hang(qtbot):
    """An upload reports how far it is many times a second; the window it reports to may be
    closed and deleted meanwhile. The reports after that reach nobody, the work runs to its end,
    and the GUI thread is never held up (an emit racing the deletion of the object it was emitted
    on once stopped a whole run)."""
    from PySide6.QtWidgets import QWidget
    from shiboken6 import delete

    from ui.background import reporter

    for _round in range(20):
        window = QWidget()
        received: list[int] = []
        report = reporter(received.append, window)
        halfway, done = threading.Event(), threading.Event()

        def upload(report=report, halfway=halfway, done=done):
            for sent in range(4000):
                report(sent)
                if sent == 2000:
                    halfway.set()
            done.set()

        worker = threading.Thread(target=upload)
        worker.start()
        halfway.wait(5)
        qtbot.wait(1)
        seen_before = len(received)
        delete(window)
        worker.join(10)
        assert done.is_set()
        qtbot.wait(20)
        # Nothing reached the window after it was deleted, and what came before came in order.
        assert len(received) == seen_before
        assert received == list(range(seen_before))
