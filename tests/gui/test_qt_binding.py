"""PySide6 6.12.0 dropped a reference to None on every call that returns nothing, and Python 3.11
aborts ("none_dealloc") after a few thousand such calls: a few hundred keystrokes in the composer.
The dependency range excludes it; this keeps a future upgrade from bringing it back."""

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_that_return_nothing_do_not_eat_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        label.setText("x")
        label.setVisible(False)
    assert abs(sys.getrefcount(None) - before) < 100
