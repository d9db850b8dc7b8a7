"""The keyboard's place is seen on every kind of control (WCAG 2.2 AA 2.4.7, 1.4.11), measured on
the drawn pixels, not on the style sheet's words: each control is grabbed without and with the
focus; on each of its four sides a frame at least 2 px wide must appear that differs 3:1 or more
from what was there before and from the colours on either side of it (the page outside, the
control's own face inside)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.compose.model import ComposerModel
from app.compose.post import FaceMark, MediaItem
from app.consent import register as consent
from app.media.draft import MediaEditor
from app.rules.model import BLOCK, WARN, Finding
from tests.gui.test_contrast import MIN_NON_TEXT, contrast
from tests.regenboog_register import fill_regenboog
from ui import style
from ui.composer.checks_panel import FindingCard
from ui.composer.tagging_dialog import PhotoCanvas, TaggingDialog

OUTSIDE = 4  # px of the surroundings grabbed around the control
RING = 2  # the thinnest frame that counts as seen


def _grab(top: QWidget, area: QRect) -> QImage:
    image = top.grab(area).toImage()
    ratio = image.devicePixelRatio()
    return image.scaled(area.width(), area.height()) if ratio != 1 else image


def _scan_lines(width: int, height: int) -> dict[str, list[tuple[int, int]]]:
    """From just outside each side, inward to the middle, through the middle of that side."""
    mid_x, mid_y = width // 2, height // 2
    return {
        "left": [(x, mid_y) for x in range(0, mid_x)],
        "right": [(x, mid_y) for x in range(width - 1, mid_x, -1)],
        "top": [(mid_x, y) for y in range(0, mid_y)],
        "bottom": [(mid_x, y) for y in range(height - 1, mid_y, -1)],
    }


def focus_frame_problems(qtbot, top: QWidget, control: QWidget, before: QWidget) -> list[str]:
    """What is wrong with `control`'s focus frame, side by side; [] when it is seen everywhere.
    `before` holds the focus for the unfocused picture."""
    area = QRect(control.mapTo(top, QPoint(0, 0)), control.size()).adjusted(
        -OUTSIDE, -OUTSIDE, OUTSIDE, OUTSIDE
    )
    before.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(before.hasFocus)
    qtbot.wait(30)
    unfocused = _grab(top, area)
    control.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(control.hasFocus)
    qtbot.wait(30)
    focused = _grab(top, area)
    problems = []
    for side, line in _scan_lines(area.width(), area.height()).items():
        was = [unfocused.pixelColor(x, y).name() for x, y in line]
        now = [focused.pixelColor(x, y).name() for x, y in line]
        changed = [contrast(a, b) >= MIN_NON_TEXT for a, b in zip(was, now, strict=True)]
        start = next((i for i in range(1, len(line) - RING) if all(changed[i : i + RING])), None)
        if start is None:
            problems.append(f"{side}: no frame that differs {MIN_NON_TEXT}:1 from before")
            continue
        end = start
        while end + 1 < len(line) - 1 and changed[end + 1]:
            end += 1
        # The frame may be two colours (dark outside, light inside): its outer edge must stand
        # out from what is outside it, its inner edge from what is inside it.
        outer = contrast(now[start], now[start - 1])
        inner = contrast(now[end], now[end + 1])
        if outer < MIN_NON_TEXT or inner < MIN_NON_TEXT:
            problems.append(
                f"{side}: frame {now[start]}..{now[end]} between {now[start - 1]} and"
                f" {now[end + 1]}: {outer:.2f} and {inner:.2f}"
            )
    return problems


@pytest.fixture
def host(qtbot):
    """A window in the app's style, with a plain field to park the focus in."""
    top = QWidget()
    layout = QVBoxLayout(top)
    layout.setContentsMargins(16, 16, 16, 16)
    layout.setSpacing(12)
    top.parking = QLineEdit()
    layout.addWidget(top.parking)
    qtbot.addWidget(top)
    style.apply(top)
    return top


def _show(qtbot, top: QWidget, *controls: QWidget) -> None:
    for control in controls:
        top.layout().addWidget(control)
    top.resize(520, top.sizeHint().height() + 20)
    top.show()
    qtbot.waitExposed(top)
    top.activateWindow()
    qtbot.waitUntil(top.isActiveWindow)


def _primary(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("primary")
    return button


def _link(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("linkButton")
    return button


def _tool(text: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    return button


def _table() -> QTableWidget:
    table = QTableWidget(3, 2)
    table.setFixedHeight(120)
    return table


def _list() -> QListWidget:
    entries = QListWidget()
    entries.addItems(["Noor Bakker", "Daan Visser"])
    entries.setFixedHeight(90)
    return entries


def _editor() -> QPlainTextEdit:
    editor = QPlainTextEdit("Wat een feest vandaag!")
    editor.setFixedHeight(90)
    return editor


KINDS = {
    "plain button": lambda: QPushButton("Foto of video toevoegen…"),
    "tool button": lambda: _tool("Voor ICT"),
    "Plaatsen (blue)": lambda: _primary("Plaatsen"),
    "Klaar (blue)": lambda: _primary("Klaar"),
    "Export importeren… (blue)": lambda: _primary("Export importeren…"),
    "link button": lambda: _link("Waarom?"),
    "one-line field": QLineEdit,
    "text editor": _editor,
    "list": _list,
    "table": _table,
    "checkbox": lambda: QCheckBox("Iedereen op de foto is verantwoord"),
}


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_every_kind_of_control_shows_its_focus_3_to_1(qtbot, host, kind):
    control = KINDS[kind]()
    _show(qtbot, host, control)
    assert focus_frame_problems(qtbot, host, control, host.parking) == [], kind


def _styled_panel(name: str) -> tuple[QWidget, QVBoxLayout]:
    """A panel that takes the app style's background for its object name (the dark sidebar, the
    checks list), so the focus frame is judged against what it sits on in the window."""
    panel = QWidget()
    panel.setObjectName(name)
    panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    inner = QVBoxLayout(panel)
    inner.setContentsMargins(12, 12, 12, 12)
    return panel, inner


def test_the_side_menu_shows_its_focus_on_the_dark_sidebar(qtbot, host):
    sidebar, inner = _styled_panel("sidebar")
    nav = QListWidget()
    nav.setObjectName("nav")
    nav.addItems(["Nieuw bericht", "Geschiedenis", "Toestemmingen"])
    nav.setFixedHeight(130)
    inner.addWidget(nav)
    _show(qtbot, host, sidebar)
    assert focus_frame_problems(qtbot, host, nav, host.parking) == []


def test_a_finding_card_and_its_article_link_show_their_focus(qtbot, host):
    panel, inner = _styled_panel("checksList")
    cards = [
        FindingCard(Finding("a", ("Communiceren 1",), BLOCK, "Haal het telefoonnummer weg."), ""),
        FindingCard(Finding("b", ("Communiceren 6",), WARN, "Dit is onder schooltijd."), ""),
    ]
    for card in cards:
        inner.addWidget(card)
    _show(qtbot, host, panel)
    for card in cards:
        assert focus_frame_problems(qtbot, host, card, host.parking) == [], card.finding.rule
        assert focus_frame_problems(qtbot, host, card.articles, card) == [], "article link"


@pytest.fixture
def people(store, demo_site):
    fill_regenboog(store)
    return store


def test_the_personen_list_of_the_tagging_dialog_shows_its_focus(
    qtbot, host, people, demo_site, tmp_path
):
    model = ComposerModel(demo_site, people=consent.people_for_rules(people, demo_site))
    photo = QImage(600, 400, QImage.Format.Format_RGB32)
    photo.fill("#9ca3af")
    path = tmp_path / "klas.png"
    photo.save(str(path))
    item = MediaItem(str(path), faces=[FaceMark((100, 100, 80, 100))])
    model.draft.media.append(item)
    _show(qtbot, host)
    dialog = TaggingDialog(
        MediaEditor(model, people), item, "Foto 1", photo, (600, 400), False, host
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.canvas.face_clicked.emit(0)
    qtbot.waitUntil(dialog.people_list.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.people_list.count() > 0
    assert focus_frame_problems(qtbot, dialog, dialog.people_list, dialog.search) == []


@pytest.mark.parametrize("tone", ["#f3f4f6", "#1f2937"], ids=["light photo", "dark photo"])
def test_the_photo_in_the_tagging_dialog_shows_its_focus(qtbot, host, tone):
    canvas = PhotoCanvas()
    picture = QImage(400, 240, QImage.Format.Format_RGB32)
    picture.fill(tone)
    canvas.show_photo(picture, (400, 240))
    _show(qtbot, host, canvas)
    assert focus_frame_problems(qtbot, host, canvas, host.parking) == []
