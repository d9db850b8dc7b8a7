"""Choosing a moment to publish later; the suggestions lie outside lesson hours, and a moment of
one's own inside them warns and offers the first free moment (Communiceren 6). Every moment is
shown and chosen in Dutch time, whatever zone the computer's clock is in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimer, QTimeZone
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.dutch_time import clock_time, day_and_moment
from app.i18n import _
from app.lesson_time import SCHOOL_TIMEZONE, LessonPeriod
from ui import accessibility
from ui.dialog_parts import fit_height_to_text

DUTCH_ZONE = QTimeZone(b"Europe/Amsterdam")


def describe(moment: datetime) -> str:
    return day_and_moment(moment)


def _qt_moment(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), DUTCH_ZONE)


class MomentEdit(QDateTimeEdit):
    """A date and time field that Tab leaves at once; the arrow keys move between day, month,
    year, hours and minutes (Qt's own field would walk those five parts with Tab first)."""

    def focusNextPrevChild(self, next_one: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next_one)


class ScheduleDialog(QDialog):
    """`lesson_period(moment)` gives the lesson block a moment falls in for this author (None when
    free or when the author's role may post during lessons)."""

    def __init__(
        self,
        suggestions: list[datetime],
        parent: QWidget | None = None,
        current: datetime | None = None,
        lesson_period: Callable[[datetime], LessonPeriod | None] = lambda _moment: None,
    ):
        super().__init__(parent)
        self.lesson_period = lesson_period
        self.period: LessonPeriod | None = None
        self.setWindowTitle(_("Inplannen"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Wanneer moet het bericht geplaatst worden?")))
        hint = QLabel(_("Deze momenten vallen buiten de lestijd van de school:"))
        hint.setObjectName("hint")
        layout.addWidget(hint)
        self.group = QButtonGroup(self)
        self.options: list[tuple[QRadioButton, datetime | None]] = []
        for moment in suggestions:
            button = QRadioButton(describe(moment))
            self.group.addButton(button)
            layout.addWidget(button)
            self.options.append((button, moment))
        self.own = QRadioButton(_("Zelf kiezen (Nederlandse tijd):"))
        self.group.addButton(self.own)
        layout.addWidget(self.own)
        self.options.append((self.own, None))
        start = current or (suggestions[0] if suggestions else datetime.now(UTC))
        self.editor = MomentEdit()
        accessibility.name(self.editor, _("Zelf gekozen moment (Nederlandse tijd)"))
        accessibility.label_for(hint, self.options[0][0] if suggestions else self.own)
        self.editor.setTimeZone(DUTCH_ZONE)
        self.editor.setDateTime(_qt_moment(start))
        self.editor.setCalendarPopup(True)
        self.editor.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.editor.setMinimumDateTime(_qt_moment(datetime.now(UTC)))
        self.editor.dateTimeChanged.connect(lambda _v: self.own.setChecked(True))
        layout.addWidget(self.editor)

        self.warning = QFrame()
        self.warning.setObjectName("practiceBanner")
        warning_layout = QVBoxLayout(self.warning)
        self.warning_text = QLabel()
        self.warning_text.setWordWrap(True)
        warning_layout.addWidget(self.warning_text)
        self.next_button = QPushButton()
        self.next_button.clicked.connect(self.choose_next_allowed)
        warning_layout.addWidget(self.next_button)
        self.warning.setVisible(False)
        layout.addWidget(self.warning)

        self.options[0][0].setChecked(True)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Inplannen"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.group.buttonToggled.connect(lambda *_args: self._check_lesson_time())
        self.editor.dateTimeChanged.connect(lambda _v: self._check_lesson_time())
        self._check_lesson_time()

    def moment(self) -> datetime:
        for button, moment in self.options:
            if button.isChecked() and moment is not None:
                return moment
        return datetime.fromtimestamp(self.editor.dateTime().toSecsSinceEpoch(), SCHOOL_TIMEZONE)

    def _check_lesson_time(self) -> None:
        self.period = self.lesson_period(self.moment())
        self.warning.setVisible(self.period is not None)
        if self.period is not None:
            self.warning_text.setText(
                _(
                    "Dit moment valt in de lestijd (tot {time}). Tijdens de les plaats je niet,"
                    " tenzij het mag (Communiceren 6): kies een ander moment, of geef straks een"
                    " reden."
                ).format(time=clock_time(self.period.end))
            )
            self.next_button.setText(_("Plan om {moment}").format(moment=describe(self.period.end)))
        # After Qt has laid out the warning that was just shown or hidden.
        QTimer.singleShot(0, self._fit_height)

    def _fit_height(self) -> None:
        fit_height_to_text(self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_height()

    def choose_next_allowed(self) -> None:
        if self.period is not None:
            self.editor.setDateTime(_qt_moment(self.period.end))
            self.own.setChecked(True)
