import pytest

from app.__main__ import connector_for
from app.commands.cli import Options
from ui.startup import build_main_window


@pytest.fixture
def open_window(qtbot, data_dir):
    """Opens the real main window on a data folder, as `python -m app --data-dir` would."""

    def open_(site_file=None, language="", networks=connector_for):
        window = build_main_window(
            Options(data_dir=data_dir, site_file=site_file, language=language), networks
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.composer is None or window.composer.checks_enabled)
        return window

    return open_
