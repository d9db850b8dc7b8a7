"""The question before a post is retracted everywhere: why (kept in the history), with the
reminder that what was online may already have been seen. Opened without blocking the window, so
the page keeps working while it is open and a test can answer it as a user does."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.i18n import _
from ui.reason_dialog import ReasonDialog


class RetractDialog(ReasonDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            _("Bericht intrekken"),
            _(
                "Waarom trek je dit bericht in? De reden wordt bewaard in de geschiedenis.\n"
                "Let op: wat online stond kan al gezien of gekopieerd zijn (Communiceren 9)."
            ),
            _("Intrekken"),
            _("Reden van het intrekken"),
            parent,
        )
        self.retract_button = self.action_button
