from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.__main__ import connector_for
from app.commands.cli import Options
from ui.startup import build_main_window

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def open_window(qtbot, data_dir):
    """Opens the real main window on a data folder, as `python -m app --data-dir` would."""

    def open_(site_file=None, language="", networks=connector_for):
        window = build_main_window(
            Options(data_dir=data_dir, site_file=site_file, language=language), networks
        )
        qtbot.addWidget(window)
        if window.composer is not None:
            # The demo author teaches: at a fixed moment after school the lesson-hours warning
            # (Communiceren 6) stays out of tests that are not about it, whatever the hour of the run.
            evening = datetime.now(AMSTERDAM).replace(hour=18, minute=0, second=0, microsecond=0)
            window.model.clock = lambda: evening.astimezone(UTC)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.composer is None or window.composer.checks_enabled)
        # The accounts' states are read in the background; a user sees them before choosing.
        qtbot.waitUntil(lambda: window.composer is None or window.model.availability_known)
        return window

    return open_
