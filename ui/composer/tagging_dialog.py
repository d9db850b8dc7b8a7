"""Accounting for every face in one photo (Communiceren 10, Profileren 4): the photo with a box per
face; for the chosen face "Dit is …" (a person picker, the author's own group first), "Vervagen"
or "Dit is geen gezicht"; "Alles vervagen"; "Er staat niemand herkenbaar op"; a box drawn by hand
where the detector missed a face; and the confirmation that nobody recognisable was missed.

Every action goes straight into the draft through the MediaEditor, so the checks beside the
composer follow along; "Klaar" only closes. A tagged person without valid consent is shown red,
with the reason and whom to ask.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.compose.post import (
    FACE_BLURRED,
    FACE_NOT_A_FACE,
    FACE_OPEN,
    FACE_TAGGED,
    FaceMark,
    MediaItem,
)
from app.i18n import _, ngettext
from app.media.blur import CELLS_ACROSS, MARGIN
from app.media.draft import BLOCKED, MediaEditor
from ui.consent.words import role_word
from ui.toggle_label import ToggleLabel

# A face's state in three places: as text on the dialog and in its white lists, as white text on
# the box's label, and as the box on the photo. Each is dark enough for 4.5:1 as text on all of
# them (tests/gui/test_contrast.py reads these).
RED, GREEN, AMBER, BLUE, GREY = "#b91c1c", "#15803d", "#b45309", "#1d4ed8", "#4b5563"
STATE_COLOURS = (RED, GREEN, AMBER, BLUE, GREY)
HALO_DARK, HALO_LIGHT = "#111827", "#ffffff"
HALO = 2  # px of each of the halo's two colours on either side of a face box's stroke
MIN_DRAWN = 10  # px on screen: a smaller drag is a click, not a box
# A box placed with the keyboard: its first size and each arrow key's step, as parts of the
# photo's shorter side (a face in a class photo is about a tenth of it).
KEY_BOX_SIZE = 0.15
KEY_STEP = 0.02
ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class PhotoCanvas(QWidget):
    """The photo scaled to fit, a box per face; click a box to choose it, drag to draw one.

    By keyboard: the arrow keys choose the previous or next face; `start_key_box` puts a new box
    in the middle, which the arrow keys move and Shift+arrows make wider, narrower, taller or
    lower, Enter places and Escape drops."""

    face_clicked = Signal(int)
    box_drawn = Signal(object)  # (x, y, width, height) in the full-size photo's pixels

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # It gives way to the sentences around it on a small screen or at 150 % zoom.
        self.setMinimumSize(400, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Foto met een vak om elk gezicht"))
        self.setAccessibleDescription(
            _("Pijltjestoetsen: vorig of volgend gezicht. Een gemist gezicht: kies Vak toevoegen.")
        )
        self.image: QImage | None = None
        self.original_size = (0, 0)
        self.faces: list[FaceMark] = []
        self.colours: list[str] = []
        self.labels: list[str] = []
        self.selected = -1
        self.placeholder = ""
        self._drag_from: QPointF | None = None
        self._drag_to: QPointF | None = None
        self.key_box: tuple[int, int, int, int] | None = None  # in the photo's pixels

    def show_photo(self, image: QImage | None, original_size: tuple[int, int]) -> None:
        self.image, self.original_size = image, original_size
        self.update()

    def show_faces(
        self, faces: list[FaceMark], colours: list[str], labels: list[str], selected: int
    ) -> None:
        self.faces, self.colours, self.labels, self.selected = faces, colours, labels, selected
        self.update()

    # Geometry: faces are in full-size pixels; the photo is drawn scaled into `target()`.

    def target(self) -> QRectF:
        width, height = self.original_size
        area = QRectF(self.rect()).adjusted(6, 6, -6, -6)
        if not self.image or width <= 0 or height <= 0:
            return area
        scale = min(area.width() / width, area.height() / height)
        w, h = width * scale, height * scale
        return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)

    def _scale(self) -> float:
        return self.target().width() / self.original_size[0] if self.original_size[0] else 1.0

    def to_screen(self, box: tuple[float, float, float, float]) -> QRectF:
        target, scale = self.target(), self._scale()
        x, y, w, h = box
        return QRectF(target.x() + x * scale, target.y() + y * scale, w * scale, h * scale)

    def to_photo(self, rect: QRectF) -> tuple[int, int, int, int]:
        target, scale = self.target(), self._scale()
        rect = rect.normalized().intersected(target)
        width, height = self.original_size
        x = max(0, min(width - 1, round((rect.x() - target.x()) / scale)))
        y = max(0, min(height - 1, round((rect.y() - target.y()) / scale)))
        w = max(1, min(width - x, round(rect.width() / scale)))
        h = max(1, min(height - y, round(rect.height() / scale)))
        return x, y, w, h

    def face_at(self, point: QPointF) -> int:
        """The smallest box under `point` (a face inside a larger false hit stays reachable)."""
        hits = [
            (self.to_screen(f.box).width() * self.to_screen(f.box).height(), i)
            for i, f in enumerate(self.faces)
            if self.to_screen(f.box).adjusted(-3, -3, 3, 3).contains(point)
        ]
        return min(hits)[1] if hits else -1

    # Drawing

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#1f2937"))
        if self.image is None:
            painter.setPen(QColor("#f9fafb"))
            painter.drawText(
                self.rect().adjusted(30, 30, -30, -30),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
            painter.end()
            return
        target = self.target()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(target, self.image)
        for face in self.faces:
            if face.state == FACE_BLURRED:
                self._draw_blurred(painter, face)
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        for index, face in enumerate(self.faces):
            self._draw_box(painter, index, face)
        drawing = None
        if self._drag_from is not None and self._drag_to is not None:
            drawing = QRectF(self._drag_from, self._drag_to).normalized()
        elif self.key_box is not None:
            drawing = self.to_screen(self.key_box)
        if drawing is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#000000"), 4))  # dark under light: seen on any photo
            painter.drawRect(drawing)
            painter.setPen(QPen(QColor("#ffffff"), 2, Qt.PenStyle.DashLine))
            painter.drawRect(drawing)
        if self.hasFocus():
            # Yellow inside the canvas's own dark edge, so it stands out from the dark on both
            # sides of it, whatever the page or the photo.
            painter.setPen(QPen(QColor("#facc15"), 3))
            painter.drawRect(QRectF(self.rect()).adjusted(3.5, 3.5, -3.5, -3.5))
        painter.end()

    def _draw_blurred(self, painter: QPainter, face: FaceMark) -> None:
        """Roughly what the posted copy will show: the face, widened as the blur widens it, in
        a few flat cells."""
        if self.image is None:
            return
        x, y, w, h = face.box
        width, height = self.original_size
        left, top = max(0, x - w * MARGIN), max(0, y - h * MARGIN)
        right = min(width, x + w * (1 + MARGIN))
        bottom = min(height, y + h * (1 + MARGIN))
        if right <= left or bottom <= top:
            return
        widened = (left, top, right - left, bottom - top)
        factor = self.image.width() / width
        px, py, pw, ph = (round(v * factor) for v in widened)
        region = self.image.copy(QRect(px, py, max(1, pw), max(1, ph)))
        across = max(1, round(CELLS_ACROSS * pw / max(pw, ph, 1)))
        down = max(1, round(CELLS_ACROSS * ph / max(pw, ph, 1)))
        cells = region.scaled(
            across,
            down,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(self.to_screen(widened), cells)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)

    def _draw_box(self, painter: QPainter, index: int, face: FaceMark) -> None:
        rect = self.to_screen(face.box)
        colour = QColor(self.colours[index])
        selected = index == self.selected
        style = {
            FACE_OPEN: Qt.PenStyle.DashLine,
            FACE_NOT_A_FACE: Qt.PenStyle.DotLine,
        }.get(face.state, Qt.PenStyle.SolidLine)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # A halo, dark outside and white inside: one of the two stands out 3:1 from any photo,
        # light or dark, and the state's colour stands out from the white. The chosen face's
        # box is thicker.
        width = 5 if selected else 3
        painter.setPen(QPen(QColor(HALO_DARK), width + 2 * (HALO + HALO)))
        painter.drawRect(rect)
        painter.setPen(QPen(QColor(HALO_LIGHT), width + 2 * HALO))
        painter.drawRect(rect)
        painter.setPen(QPen(colour, width, style))
        painter.drawRect(rect)
        text = self.labels[index]
        metrics = painter.fontMetrics()
        label = QRectF(0, 0, metrics.horizontalAdvance(text) + 10, metrics.height() + 4)
        above = rect.top() - label.height()
        label.moveTopLeft(QPointF(rect.left(), above if above >= 0 else rect.top()))
        painter.fillRect(label, QBrush(colour))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)

    # Keyboard

    def start_key_box(self) -> None:
        """A new box in the middle of the photo, to be moved over the missed face by keys."""
        width, height = self.original_size
        if self.image is None or width <= 0 or height <= 0:
            return
        side = max(1, round(min(width, height) * KEY_BOX_SIZE))
        self.key_box = ((width - side) // 2, (height - side) // 2, side, side)
        self.setFocus()
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.key_box is not None:
            if key in ARROWS:
                self._move_key_box(*ARROWS[Qt.Key(key)], event.modifiers())
            elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                box, self.key_box = self.key_box, None
                self.update()
                self.box_drawn.emit(box)
            elif key == Qt.Key.Key_Escape:
                self.key_box = None  # dropped; a second Escape closes the dialog as usual
                self.update()
            else:
                super().keyPressEvent(event)
            return
        if key in ARROWS and self.faces:
            dx, dy = ARROWS[Qt.Key(key)]
            step = dx or dy
            start = self.selected if self.selected >= 0 else (-1 if step > 0 else 0)
            self.face_clicked.emit((start + step) % len(self.faces))
            return
        super().keyPressEvent(event)

    def _move_key_box(self, dx: int, dy: int, modifiers: Qt.KeyboardModifier) -> None:
        assert self.key_box is not None
        width, height = self.original_size
        step = max(1, round(min(width, height) * KEY_STEP))
        x, y, w, h = self.key_box
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            w = max(step, min(width - x, w + dx * step))
            h = max(step, min(height - y, h + dy * step))
        else:
            x = max(0, min(width - w, x + dx * step))
            y = max(0, min(height - h, y + dy * step))
        self.key_box = (x, y, w, h)
        self.update()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.update()

    # Mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.image is None:
            return
        point = event.position()
        index = self.face_at(point)
        if index >= 0:
            self.face_clicked.emit(index)
            return
        if self.target().contains(point):
            self._drag_from = self._drag_to = point

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            self._drag_to = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        rect = QRectF(self._drag_from, event.position()).normalized()
        self._drag_from = self._drag_to = None
        self.update()
        if rect.width() >= MIN_DRAWN and rect.height() >= MIN_DRAWN:
            self.box_drawn.emit(self.to_photo(rect))


def _wrap(widget: QListWidget) -> None:
    widget.setWordWrap(True)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


def _keep_height(label: QLabel) -> None:
    """A wrapped sentence is never squeezed shorter than its lines; the lists give way."""
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)


class TaggingDialog(QDialog):
    """For one item of the draft. Redraws on `model.changed`, so it always shows the draft."""

    def __init__(
        self,
        editor: MediaEditor,
        item: MediaItem,
        name: str,
        image: QImage | None,
        original_size: tuple[int, int],
        detection_failed: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.editor = editor
        self.item = item
        self.is_video = item.kind == "video"
        self.selected = -1
        self._order_for: str | None = None
        self._order: dict[str, tuple[int, int]] = {}
        self._groups_shown: tuple[str, ...] | None = None
        self.detected = sum(not f.by_hand for f in item.faces)
        self.setWindowTitle(_("{name}: gezichten").format(name=name))
        self.setModal(True)
        # Big for a group photo, but never larger than the screen it opens on (a 1024x700 laptop).
        room = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1180, room.width() - 20), min(740, room.height() - 20))
        row = QHBoxLayout(self)

        left = QVBoxLayout()
        self.canvas = PhotoCanvas()
        self.canvas.show_photo(image, original_size)
        if self.is_video:
            self.canvas.placeholder = _(
                "Postwijs kan in een video geen gezichten zoeken of vervagen. Voeg hiernaast toe"
                " wie erin te zien is, of verklaar dat er niemand herkenbaar in staat."
            )
        else:
            self.canvas.placeholder = _("De foto kan niet worden getoond.")
        self.canvas.face_clicked.connect(self.select_face)
        self.canvas.box_drawn.connect(self._box_drawn)
        left.addWidget(self.canvas, 1)
        self.found = QLabel(self._found_text(detection_failed))
        self.found.setWordWrap(True)
        _keep_height(self.found)
        left.addWidget(self.found)
        if not self.is_video:
            hint = QLabel(
                _(
                    "Klik op een vak om dat gezicht te kiezen. Mist er een gezicht? Trek er met de"
                    " muis een vak omheen, of kies Vak toevoegen: verplaats het met de"
                    " pijltjestoetsen, maak het groter of kleiner met Shift en de pijltjes, en"
                    " zet het neer met Enter."
                )
            )
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            _keep_height(hint)
            hint_row = QHBoxLayout()
            hint_row.addWidget(hint, 1)
            self.add_box_button = QPushButton(_("Vak &toevoegen"))
            self.add_box_button.clicked.connect(self.canvas.start_key_box)
            hint_row.addWidget(self.add_box_button, 0, Qt.AlignmentFlag.AlignTop)
            left.addLayout(hint_row)
        row.addLayout(left, 1)

        side = QWidget()
        side.setFixedWidth(400)
        panel = QVBoxLayout(side)
        panel.setContentsMargins(4, 0, 4, 0)
        row.addWidget(side)

        faces_title = QLabel(_("Personen op de video") if self.is_video else _("Gezichten"))
        faces_title.setObjectName("sectionTitle")
        panel.addWidget(faces_title)
        self.faces_list = QListWidget()
        self.faces_list.setAccessibleName(_("Gezichten"))
        self.faces_list.setMaximumHeight(110)
        _wrap(self.faces_list)
        self.faces_list.currentRowChanged.connect(self._row_chosen)
        panel.addWidget(self.faces_list)
        if self.is_video:
            self.add_person_button = QPushButton(_("+ Persoon in deze video"))
            self.add_person_button.clicked.connect(self._add_person_to_video)
            panel.addWidget(self.add_person_button)

        self.face_panel = QFrame()
        self.face_panel.setObjectName("facePanel")
        face_layout = QVBoxLayout(self.face_panel)
        face_layout.setContentsMargins(0, 6, 0, 6)
        self.face_title = QLabel()
        self.face_title.setTextFormat(Qt.TextFormat.PlainText)
        self.face_title.setObjectName("sectionTitle")
        self.face_title.setWordWrap(True)
        _keep_height(self.face_title)
        face_layout.addWidget(self.face_title)
        self.consent_problem = QLabel()
        self.consent_problem.setTextFormat(Qt.TextFormat.PlainText)  # names, shown as they are
        self.consent_problem.setWordWrap(True)
        self.consent_problem.setStyleSheet(
            f"color: #991b1b; background: #fef2f2; border: 1px solid {RED}; padding: 6px;"
        )
        _keep_height(self.consent_problem)
        face_layout.addWidget(self.consent_problem)
        who = QLabel(_("Dit is …"))
        face_layout.addWidget(who)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Zoek op naam of groep"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(_("Zoek een persoon op naam of groep"))
        who.setBuddy(self.search)
        self.search.textChanged.connect(self._fill_people)
        face_layout.addWidget(self.search)
        self.people_list = QListWidget()
        self.people_list.setAccessibleName(_("Personen"))
        self.people_list.setMinimumHeight(90)
        _wrap(self.people_list)
        # Clicked, not activated: a double click would otherwise tag the next face as well.
        self.people_list.itemClicked.connect(self._person_chosen)
        # By keyboard: Enter or Space on the chosen person.
        self.people_list.installEventFilter(self)
        self.search.returnPressed.connect(self._first_person_chosen)
        face_layout.addWidget(self.people_list, 1)
        actions = QHBoxLayout()
        self.blur_button = QPushButton(_("Vervagen"))
        self.blur_button.clicked.connect(lambda: self._act(self.editor.blur))
        self.not_face_button = QPushButton(_("Dit is geen gezicht"))
        self.not_face_button.clicked.connect(lambda: self._act(self.editor.not_a_face))
        self.remove_box_button = QPushButton(_("Weghalen") if self.is_video else _("Vak weghalen"))
        self.remove_box_button.clicked.connect(self._remove_box)
        actions.addWidget(self.blur_button)
        actions.addWidget(self.not_face_button)
        actions.addWidget(self.remove_box_button)
        face_layout.addLayout(actions)
        panel.addWidget(self.face_panel, 1)
        self.no_face_hint = QLabel()
        self.no_face_hint.setObjectName("hint")
        self.no_face_hint.setWordWrap(True)
        panel.addWidget(self.no_face_hint)

        # The whole photo, under it: what the author decides for everything in view.
        whole = QFrame()
        whole.setObjectName("wholePhoto")
        whole_layout = QVBoxLayout(whole)
        whole_layout.setContentsMargins(0, 6, 0, 0)
        whole_row = QHBoxLayout()
        self.blur_all_button = QPushButton(_("Alles vervagen"))
        self.blur_all_button.setVisible(not self.is_video)
        self.blur_all_button.clicked.connect(self._blur_all)
        whole_row.addWidget(self.blur_all_button)
        self.nobody_box = QCheckBox(
            _("Er staat niemand herkenbaar in")
            if self.is_video
            else _("Er staat niemand herkenbaar op")
        )
        self.nobody_box.toggled.connect(self._nobody_toggled)
        whole_row.addWidget(self.nobody_box)
        whole_row.addStretch(1)
        whole_layout.addLayout(whole_row)
        # A checkbox's own text does not wrap; this sentence is long, so it sits in a label.
        confirm_text = _(
            "Ik heb gecontroleerd dat iedereen die herkenbaar is, getagd of vervaagd is"
        )
        self.confirm_box = QCheckBox()
        self.confirm_box.setAccessibleName(confirm_text)
        self.confirm_box.toggled.connect(lambda on: self.editor.confirm_everyone(self.item, on))
        self.confirm_label = ToggleLabel(confirm_text, self.confirm_box)
        self.confirm_label.setStyleSheet("font-weight: bold;")
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.confirm_box, 0, Qt.AlignmentFlag.AlignTop)
        confirm_row.addWidget(self.confirm_label, 1)
        whole_layout.addLayout(confirm_row)
        self.confirm_hint = QLabel(
            _("Kijk zelf de hele video na: wie is er herkenbaar in te zien?")
            if self.is_video
            else _(
                "Postwijs kan gezichten missen: van opzij, klein, half bedekt of in het donker."
                " Kijk zelf de hele foto na."
            )
        )
        self.confirm_hint.setObjectName("hint")
        self.confirm_hint.setWordWrap(True)
        whole_layout.addWidget(self.confirm_hint)
        left.addWidget(whole)

        self.todo_label = QLabel()
        self.todo_label.setWordWrap(True)
        _keep_height(self.todo_label)
        panel.addWidget(self.todo_label)
        self.done_button = QPushButton(_("Klaar"))
        self.done_button.setObjectName("primary")
        self.done_button.clicked.connect(self.accept)
        panel.addWidget(self.done_button)

        for button in self.findChildren(QPushButton):
            # Enter in the search field picks a person; it must never blur or close instead.
            button.setAutoDefault(False)
        self.editor.model.changed.connect(self.refresh)
        self.finished.connect(self._disconnect)
        first_open = next((i for i, f in enumerate(item.faces) if f.state == FACE_OPEN), -1)
        self.select_face(first_open if first_open >= 0 else (0 if item.faces else -1))

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.people_list
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
            and self.people_list.currentItem() is not None
        ):
            self._person_chosen(self.people_list.currentItem())
            return True
        return super().eventFilter(watched, event)

    # Words

    def _found_text(self, detection_failed: bool) -> str:
        if self.is_video:
            return ""
        if detection_failed:
            return _(
                "Postwijs kon niet naar gezichten zoeken. Kijk zelf goed en trek een vak om elk"
                " gezicht."
            )
        if not self.detected:
            return _(
                "Postwijs vond geen gezichten. Staat er toch iemand herkenbaar op? Trek er een vak"
                " omheen."
            )
        return ngettext(
            "Postwijs vond {n} gezicht.", "Postwijs vond {n} gezichten.", self.detected
        ).format(n=self.detected)

    def _person_words(self, person_id: str) -> str:
        person = self.editor.person(person_id)
        if person is None:
            return _("een onbekend persoon")
        group = _("groep {group}").format(group=person.group) if person.group else ""
        return " · ".join(p for p in (person.full_name, group, role_word(person.role)) if p)

    def _face_words(self, face: FaceMark) -> tuple[str, str]:
        """What the face is now, and its colour."""
        if face.state == FACE_TAGGED:
            if self.editor.has_consent(face.person_id):
                return self._person_words(face.person_id), GREEN
            return _("{who} — geen toestemming").format(who=self._person_words(face.person_id)), RED
        if face.state == FACE_BLURRED:
            return _("wordt vervaagd"), BLUE
        if face.state == FACE_NOT_A_FACE:
            return _("geen gezicht"), GREY
        return _("nog niet gekozen"), AMBER

    def _box_label(self, index: int, face: FaceMark) -> str:
        if face.state == FACE_TAGGED:
            person = self.editor.person(face.person_id)
            if person is not None:
                return f"{index + 1} {person.first_name}"
        return str(index + 1)

    # Redrawing

    def refresh(self) -> None:
        if not any(m is self.item for m in self.editor.items):
            self.reject()  # the photo left the draft (another post was loaded)
            return
        faces = self.item.faces
        if self.selected >= len(faces):
            self.selected = len(faces) - 1
        words = [self._face_words(f) for f in faces]
        self.canvas.show_faces(
            faces,
            [colour for _w, colour in words],
            [self._box_label(i, f) for i, f in enumerate(faces)],
            self.selected,
        )
        self.faces_list.blockSignals(True)
        self.faces_list.clear()
        for index, (text, colour) in enumerate(words):
            by_hand = faces[index].by_hand and not self.is_video
            mark = " (" + _("met de hand") + ")" if by_hand else ""
            entry = QListWidgetItem(f"{index + 1} · {text}{mark}")
            entry.setForeground(QColor(colour))
            self.faces_list.addItem(entry)
        self.faces_list.setCurrentRow(self.selected)
        self.faces_list.blockSignals(False)
        self._show_selected()
        self._show_item_state()

    def _show_selected(self) -> None:
        chosen = 0 <= self.selected < len(self.item.faces)
        self.face_panel.setVisible(chosen)
        if not chosen:
            if self.is_video:
                self.no_face_hint.setText(
                    _("Staat er iemand herkenbaar in de video? Voeg die persoon toe.")
                )
            elif self.item.faces:
                self.no_face_hint.setText(_("Kies een gezicht op de foto of in de lijst."))
            else:
                self.no_face_hint.setText(
                    _("Geen gezichten gevonden. Trek een vak om een gezicht dat Postwijs miste.")
                )
            self.no_face_hint.setVisible(True)
            return
        self.no_face_hint.setVisible(False)
        face = self.item.faces[self.selected]
        text, colour = self._face_words(face)
        what = _("Persoon {n}") if self.is_video else _("Gezicht {n}")
        self.face_title.setText(f"{what.format(n=self.selected + 1)}: {text}")
        self.face_title.setStyleSheet(f"color: {colour};")
        problem = self.editor.consent_problem(face)
        if problem and self.is_video:
            problem = _(
                "{reason} Haal de video weg, of kies iemand anders als dit niet deze persoon is."
            ).format(reason=problem)
        elif problem:
            problem = _("{reason} Vervaag dit gezicht of kies iemand anders.").format(
                reason=problem
            )
        self.consent_problem.setText(problem)
        self.consent_problem.setVisible(bool(problem))
        self.blur_button.setVisible(not self.is_video)
        self.blur_button.setEnabled(face.state != FACE_BLURRED)
        self.not_face_button.setVisible(not face.by_hand)
        self.not_face_button.setEnabled(face.state != FACE_NOT_A_FACE)
        self.remove_box_button.setVisible(face.by_hand)

    def _show_item_state(self) -> None:
        item = self.item
        reason = self.editor.why_not_declare_nobody(item)
        self.nobody_box.blockSignals(True)
        self.nobody_box.setChecked(item.no_recognisable_people)
        self.nobody_box.blockSignals(False)
        self.nobody_box.setEnabled(item.no_recognisable_people or not reason)
        self.nobody_box.setToolTip(reason)
        self.confirm_box.blockSignals(True)
        self.confirm_box.setChecked(item.everyone_accounted_for)
        self.confirm_box.blockSignals(False)
        # Declaring nobody recognisable covers the confirmation; the rule asks for neither then.
        self.confirm_box.setEnabled(not item.no_recognisable_people)
        self.confirm_label.setEnabled(not item.no_recognisable_people)
        self.blur_all_button.setEnabled(
            any(f.state != FACE_NOT_A_FACE and f.state != FACE_BLURRED for f in item.faces)
        )
        status = self.editor.status(item)
        if status == BLOCKED:
            steps = self.editor.todo(item) or [_("Los eerst op wat rechts in de controle staat.")]
            self.todo_label.setText(
                _("Nog te doen:") + "<ul>" + "".join(f"<li>{s}</li>" for s in steps) + "</ul>"
            )
            self.todo_label.setStyleSheet(f"color: {RED};")
        else:
            done = (
                _("In orde: wat vervaagd is, wordt onherkenbaar geplaatst.")
                if any(f.state == FACE_BLURRED for f in item.faces)
                else _("In orde: iedereen is verantwoord.")
            )
            self.todo_label.setText("✓ " + done)
            self.todo_label.setStyleSheet(f"color: {GREEN}; font-weight: bold;")
        self._fill_people()

    def _fill_people(self) -> None:
        if not (0 <= self.selected < len(self.item.faces)):
            return
        current = self.item.faces[self.selected]
        choice = self.editor.people_choices(self.search.text())
        own, others = self._steady(list(choice.own), list(choice.others))
        scrolled = self.people_list.verticalScrollBar().value()
        self.people_list.clear()

        def header(text: str) -> None:
            entry = QListWidgetItem(text)
            entry.setFlags(Qt.ItemFlag.NoItemFlags)
            font = entry.font()
            font.setBold(True)
            entry.setFont(font)
            entry.setForeground(QColor("#374151"))
            self.people_list.addItem(entry)

        def person(p) -> None:
            text = self._person_words(p.id)
            if not self.editor.has_consent(p.id):
                text = _("{who} — geen toestemming").format(who=text)
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, p.id)
            if not self.editor.has_consent(p.id):
                entry.setForeground(QColor(RED))
            self.people_list.addItem(entry)
            if current.state == FACE_TAGGED and current.person_id == p.id:
                self.people_list.setCurrentItem(entry)

        if self._groups_shown is None:
            self._groups_shown = choice.own_groups
        if own:
            groups = ", ".join(self._groups_shown)
            header(_("Jouw groep: {groups}").format(groups=groups))
            for p in own:
                person(p)
        if others:
            header(_("Iedereen van school") if own else _("Iedereen"))
            for p in others:
                person(p)
        if not own and not others:
            header(
                _("Niemand gevonden. Zoek op voornaam, achternaam of groep.")
                if self.search.text().strip()
                else _(
                    "Het toestemmingsregister van deze school is leeg. Vraag de administratie"
                    " het te importeren, of vervaag dit gezicht."
                )
            )
        self.people_list.verticalScrollBar().setValue(scrolled)  # and the list does not jump

    def _steady(self, own: list, others: list) -> tuple[list, list]:
        """The people in the places first shown for this search: tagging someone adds their
        group to "Jouw groep", but no name moves away from under the mouse until the search
        changes. Newcomers go at the end of their part."""
        key = self.search.text()
        if self._order_for != key:
            self._order_for, self._order, self._groups_shown = key, {}, None
        for part, people in ((0, own), (1, others)):
            for p in people:
                self._order.setdefault(p.id, (part, len(self._order)))
        everyone = sorted([*own, *others], key=lambda p: self._order[p.id])
        return (
            [p for p in everyone if self._order[p.id][0] == 0],
            [p for p in everyone if self._order[p.id][0] == 1],
        )

    # Acting

    def select_face(self, index: int) -> None:
        self.selected = index
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.refresh()

    def _row_chosen(self, row: int) -> None:
        if row != self.selected:
            self.select_face(row)

    def _next_open(self) -> None:
        """On to the next face still to decide, so a group photo goes quickly."""
        faces = self.item.faces
        for offset in range(1, len(faces) + 1):
            index = (self.selected + offset) % len(faces)
            if faces[index].state == FACE_OPEN:
                self.select_face(index)
                return

    def _act(self, action) -> None:
        if 0 <= self.selected < len(self.item.faces):
            action(self.item, self.selected)
            self._next_open()

    def _person_chosen(self, entry: QListWidgetItem) -> None:
        person_id = entry.data(Qt.ItemDataRole.UserRole)
        if person_id:
            # After the click has been handled: tagging redraws the list the click came from.
            QTimer.singleShot(0, lambda face=self.selected: self._tag(face, person_id))

    def _tag(self, face: int, person_id: str) -> None:
        if face != self.selected or not (0 <= face < len(self.item.faces)):
            return  # another face was chosen in between
        self.editor.tag(self.item, face, person_id)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        if self.editor.has_consent(person_id):
            self._next_open()
        else:
            self.refresh()  # stay: the red reason must be read

    def _first_person_chosen(self) -> None:
        current = self.people_list.currentItem()
        if current is not None and current.data(Qt.ItemDataRole.UserRole):
            self._person_chosen(current)
            return
        for row in range(self.people_list.count()):
            entry = self.people_list.item(row)
            if entry.data(Qt.ItemDataRole.UserRole):
                self._person_chosen(entry)
                return

    def _remove_box(self) -> None:
        if 0 <= self.selected < len(self.item.faces):
            self.editor.remove_box(self.item, self.selected)
            self.select_face(min(self.selected, len(self.item.faces) - 1))

    def _box_drawn(self, box: tuple[int, int, int, int]) -> None:
        self.selected = self.editor.add_box(self.item, box)
        self.select_face(self.selected)
        self.search.setFocus()

    def _add_person_to_video(self) -> None:
        self.selected = self.editor.add_box(self.item, (0, 0, 0, 0))
        self.select_face(self.selected)
        self.search.setFocus()

    def _blur_all(self) -> None:
        self.editor.blur_all(self.item)

    def _nobody_toggled(self, on: bool) -> None:
        if on and self.editor.why_not_declare_nobody(self.item):
            self.refresh()  # the box was enabled by mistake: show the state as it is
            return
        self.editor.declare_nobody_recognisable(self.item, on)

    def _disconnect(self, _result: int) -> None:
        with contextlib.suppress(ValueError):  # already disconnected
            self.editor.model.changed.disconnect(self.refresh)
