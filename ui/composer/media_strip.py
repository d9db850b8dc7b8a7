"""The composer's photos and videos: a thumbnail per item with its badge (✓ verantwoord,
✖ actie nodig, ▦ vervaagd), "+ Foto of video", a description (alt text) per item with the room
left in words, and the tagging dialog on a click on the thumbnail.

Reading a file and finding its faces happen off the GUI thread, one file at a time in the order
chosen, so the photos land in the draft in that order. A file that cannot be used is named with
the pipeline's Dutch reason and the draft is left as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.compose.post import FACE_OPEN, MediaItem
from app.i18n import _, ngettext
from app.media.draft import ACCOUNTED, BLOCKED, BLURRED, MediaEditor
from ui import accessibility
from ui.background import run_in_background
from ui.file_places import pictures_folder

if TYPE_CHECKING:
    from PIL import Image

    from app.compose.model import ComposerModel
    from app.store import Store

THUMB = QSize(120, 80)
TILE_WIDTH = 216  # room for "Beschrijving ✓" and "Weghalen" side by side; every tile alike
BADGE_COLOURS = {ACCOUNTED: "#15803d", BLOCKED: "#b91c1c", BLURRED: "#1d4ed8"}
FILE_PATTERNS = "*.jpg *.jpeg *.png *.webp *.gif *.heic *.heif *.mp4 *.mov *.m4v"


def badge_text(status: str) -> str:
    # ✖ rather than ⛔: the checks panel marks a blocking finding with ✖, and DejaVu (the Linux
    # fallback font) has no ⛔.
    return {
        ACCOUNTED: "✓ " + _("verantwoord"),
        BLOCKED: "✖ " + _("actie nodig"),
        BLURRED: "▦ " + _("vervaagd"),
    }[status]


def item_name(item: MediaItem, number: int) -> str:
    """As the checks name it ("foto 2"), so a finding points at the right tile."""
    return (_("Foto {n}") if item.kind == "image" else _("Video {n}")).format(n=number)


def to_qimage(image: Image.Image) -> QImage:
    """A copy Qt owns (QImage may be built off the GUI thread; QPixmap may not)."""
    rgba = image.convert("RGBA")
    data = rgba.tobytes("raw", "RGBA")
    return QImage(
        data, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888
    ).copy()


@dataclass
class Preview:
    """What the tile and the tagging dialog show of one file."""

    image: QImage | None  # None for a video
    original_size: tuple[int, int]
    detection_failed: bool = False
    small: Image.Image | None = None  # a small copy, to show it blurred as it will be posted


SMALL_LONG_SIDE = 480  # enough for a thumbnail and the preview per account


def _small(image: Image.Image) -> Image.Image:
    copy = image.convert("RGB")
    copy.thumbnail((SMALL_LONG_SIDE, SMALL_LONG_SIDE))
    return copy


def _placeholder(text: str) -> QPixmap:
    pixmap = QPixmap(THUMB)
    pixmap.fill(QColor("#e5e7eb"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#374151"))
    from PySide6.QtCore import Qt

    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.end()
    return pixmap


class MediaTile(QFrame):
    """One photo or video: the thumbnail opens the tagging dialog."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mediaTile")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedWidth(TILE_WIDTH)
        self.item: MediaItem | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(2)
        self.caption = QLabel()
        self.caption.setObjectName("tileCaption")
        layout.addWidget(self.caption)
        self.thumb = QToolButton()
        self.thumb.setObjectName("thumbButton")  # the style gives the picture its whole room
        self.thumb.setIconSize(THUMB)
        self.thumb.setFixedSize(THUMB.width() + 8, THUMB.height() + 8)
        self.thumb.setToolTip(_("Klik om de gezichten te taggen of te vervagen."))
        layout.addWidget(self.thumb)
        self.badge = QLabel()
        self.badge.setObjectName("mediaBadge")
        layout.addWidget(self.badge)
        self.faces_button = QPushButton(_("Gezichten nakijken"))
        self.faces_button.setToolTip(_("Kies wie er op staat, of vervaag de gezichten."))
        layout.addWidget(self.faces_button)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self.describe = QPushButton(_("Beschrijving"))
        self.describe.setObjectName("linkButton")
        self.describe.setToolTip(_("Beschrijf wat er te zien is, voor wie het niet kan zien."))
        self.remove = QPushButton(_("Weghalen"))
        self.remove.setObjectName("linkButton")
        buttons.addWidget(self.describe)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def show_pending(self, name: str, what: str) -> None:
        self.caption.setText(name)
        self.thumb.setIcon(_placeholder(what))
        self.thumb.setEnabled(False)
        self.badge.setText(_("even geduld…"))
        self.badge.setStyleSheet("color: #4b5563;")
        self.faces_button.setVisible(False)
        self.describe.setVisible(False)
        self.remove.setVisible(False)

    def show_item(
        self,
        item: MediaItem,
        number: int,
        status: str,
        todo: list[str],
        pixmap: QPixmap | None,
    ) -> None:
        self.item = item
        name = item_name(item, number)
        self.caption.setText(name)
        self.thumb.setEnabled(True)
        self.thumb.setAccessibleName(_("{name}: gezichten taggen of vervagen").format(name=name))
        if pixmap is not None:
            self.thumb.setIcon(pixmap)
        elif item.kind == "video":
            self.thumb.setIcon(_placeholder("▶ " + Path(item.path).name))
        else:
            self.thumb.setIcon(_placeholder(_("foto laden…")))
        open_faces = sum(1 for f in item.faces if f.state == FACE_OPEN)
        if status == BLOCKED and open_faces:
            self.badge.setText(
                "✖ "
                + ngettext("{n} gezicht nog kiezen", "{n} gezichten nog kiezen", open_faces).format(
                    n=open_faces
                )
            )
        else:
            self.badge.setText(badge_text(status))
        self.badge.setStyleSheet(f"color: {BADGE_COLOURS[status]}; font-weight: bold;")
        self.badge.setToolTip("\n".join(todo))
        self.faces_button.setVisible(status == BLOCKED)
        self.faces_button.setAccessibleName(_("{name}: gezichten nakijken").format(name=name))
        self.describe.setVisible(True)
        self.remove.setVisible(True)
        self.remove.setAccessibleName(_("{name} weghalen").format(name=name))
        described = item.alt_text.strip()
        self.describe.setText(_("Beschrijving") + (" ✓" if described else ""))


class MediaStrip(QWidget):
    """Sits under the composer's text. Edits `model.draft.media` through a MediaEditor and
    redraws on `model.changed`. `store` is the consent register's database (for the full reason
    a tagged person may not be shown); the people come from the model's check context.

    `busy_changed(bool)` tells when files start and stop being read: a photo still being read is
    not in the draft yet, so the composer should not publish meanwhile."""

    busy_changed = Signal(bool)
    photos_changed = Signal()  # a photo was read: its look as posted can be shown now

    def __init__(
        self, model: ComposerModel, store: Store | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.model = model
        self.editor = MediaEditor(model, store)
        self.previews: dict[str, Preview] = {}
        self.tagging_dialog: QDialog | None = None
        self._queue: list[str] = []
        self._current: str | None = None
        self._loading: set[str] = set()
        self._waiting: dict[str, list[Callable[[], None]]] = {}
        self._shown: tuple | None = None
        self._tiles: list[MediaTile] = []
        self._alt_item: MediaItem | None = None
        self._errors: list[str] = []
        self._thumbs: dict[tuple, QPixmap] = {}
        # A video's first frame by path (None: it could not be read); read once, off the GUI thread.
        self._frames: dict[str, QImage | None] = {}
        self._frames_loading: set[str] = set()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 6, 0, 0)
        outer.setSpacing(4)
        self.tiles_scroll = QScrollArea()
        accessibility.name(self.tiles_scroll, _("Foto's en video"))
        accessibility.only_holds_controls(self.tiles_scroll)
        self.tiles_scroll.setWidgetResizable(True)
        self.tiles_scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.row = QHBoxLayout(inner)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(8)
        self.add_button = QPushButton(_("+ Foto of video"))
        self.add_button.setToolTip(
            _("Postwijs zoekt de gezichten; jij kiest wie het is of vervaagt ze.")
        )
        self.add_button.clicked.connect(self.choose_files)
        self.empty_hint = QLabel(
            _("Postwijs zoekt de gezichten; jij kiest wie het is of vervaagt ze.")
        )
        self.empty_hint.setObjectName("hint")
        # A long hint must not widen the window: it wraps instead.
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # The button and the hint sit above the tiles, so an empty strip is one plain line.
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.empty_hint, 1)
        top.addStretch(0)
        outer.addLayout(top)
        self.row.addStretch(1)
        self.tiles_scroll.setWidget(inner)
        outer.addWidget(self.tiles_scroll)

        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        outer.addWidget(self.error)

        self.alt_panel = QFrame()
        self.alt_panel.setObjectName("altPanel")
        alt_layout = QVBoxLayout(self.alt_panel)
        alt_layout.setContentsMargins(0, 4, 0, 0)
        self.alt_title = QLabel()
        self.alt_title.setWordWrap(True)
        self.alt_edit = QPlainTextEdit()
        accessibility.leave_by_tab(self.alt_edit)  # a description needs no tab characters
        self.alt_edit.setMaximumHeight(64)
        self.alt_edit.setPlaceholderText(
            _("Bijvoorbeeld: Peuters bouwen samen een toren van blokken in de speelzaal.")
        )
        self.alt_title.setBuddy(self.alt_edit)
        alt_row = QHBoxLayout()
        self.alt_room = QLabel()
        self.alt_room.setObjectName("counter")
        self.alt_close = QPushButton(_("Klaar"))
        self.alt_close.setObjectName("linkButton")
        self.alt_close.clicked.connect(lambda: self.edit_alt_text(None))
        alt_row.addWidget(self.alt_room, 1)
        alt_row.addWidget(self.alt_close)
        alt_layout.addWidget(self.alt_title)
        alt_layout.addWidget(self.alt_edit)
        alt_layout.addLayout(alt_row)
        self.alt_panel.setVisible(False)
        outer.addWidget(self.alt_panel)
        self.alt_edit.textChanged.connect(self._alt_edited)

        self.model.changed.connect(self.refresh)
        self.refresh()

    # Adding

    @property
    def busy(self) -> bool:
        """A file is still being read or searched for faces."""
        return self._current is not None or bool(self._queue)

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Foto's of video's kiezen"),
            pictures_folder(),
            _("Foto's en video's") + f" ({FILE_PATTERNS});;" + _("Alle bestanden") + " (*)",
        )
        if paths:
            self.add_files(paths)

    def add_files(self, paths: Iterable[str | Path]) -> None:
        """Reads each file and finds its faces off the GUI thread, then adds it to the draft."""
        self._show_errors([])
        self._queue.extend(str(p) for p in paths)
        if self._current is None:
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self._current = None
            self.refresh()
            self.busy_changed.emit(False)
            return
        starting = self._current is None
        path = self._current = self._queue.pop(0)
        if starting:
            self.busy_changed.emit(True)
        draft = self.model.draft
        self.refresh()

        def work():
            from app.media.draft import inspect

            found = inspect(path)
            image = to_qimage(found.preview) if found.preview is not None else None
            small = _small(found.preview) if found.preview is not None else None
            return found, Preview(image, found.original_size, found.detection_failed, small)

        def done(result, error) -> None:
            if error is not None:
                self._show_errors([*self._errors, self._error_text(path, error)])
            elif self.model.draft is draft:  # the author may have started another post meanwhile
                found, preview = result
                self.previews[path] = preview
                self.editor.add(found.item)
            self._next()

        run_in_background(work, done)

    def _error_text(self, path: str, error: BaseException) -> str:
        from app.media.types import MediaError

        if isinstance(error, MediaError):
            return str(error)
        # Not one of the pipeline's Dutch reasons: the details go to the log, not the screen.
        logging.getLogger("postwijs.media").error("reading %s failed", path, exc_info=error)
        return _(
            "Kies een andere foto of probeer het opnieuw: {name} kon niet worden gelezen."
        ).format(name=Path(path).name)

    def _show_errors(self, errors: list[str]) -> None:
        if errors:
            from PySide6.QtCore import Qt  # here, not at start-up: the namespace is slow to load

            # A file name is shown as it is, even one that looks like markup.
            self.error.setTextFormat(Qt.TextFormat.PlainText)
        self._errors = errors
        self.error.setText("\n".join(errors))
        self.error.setVisible(bool(errors))

    # Showing

    def refresh(self) -> None:
        items = list(self.model.draft.media)
        pending = [p for p in ([self._current] if self._current else []) + self._queue]
        # The model changes on every keystroke; redraw only when what is shown would change.
        shown = (
            tuple(
                (
                    id(item),
                    self.editor.status(item),
                    tuple(self.editor.todo(item)),
                    bool(item.alt_text.strip()),
                    item.path in self.previews,
                    self._frames.get(item.path) is not None,
                    tuple(f.state for f in item.faces),
                )
                for item in items
            ),
            tuple(pending),
            self._current,
            id(self._alt_item),
            self.editor.alt_text_room(self._alt_item).words if self._alt_item else "",
        )
        if shown == self._shown:
            return
        self._shown = shown
        wanted = len(items) + len(pending)
        while len(self._tiles) < wanted:
            tile = MediaTile()
            tile.thumb.clicked.connect(lambda _=False, t=tile: self._tile_clicked(t))
            tile.faces_button.clicked.connect(lambda _=False, t=tile: self._tile_clicked(t))
            tile.describe.clicked.connect(lambda _=False, t=tile: self.edit_alt_text(t.item))
            tile.remove.clicked.connect(lambda _=False, t=tile: self.remove(t.item))
            self.row.insertWidget(len(self._tiles), tile)
            self._tiles.append(tile)
        while len(self._tiles) > wanted:
            tile = self._tiles.pop()
            self.row.removeWidget(tile)
            tile.deleteLater()
        for number, (tile, item) in enumerate(zip(self._tiles, items, strict=False), start=1):
            tile.show_item(
                item,
                number,
                self.editor.status(item),
                self.editor.todo(item),
                self._thumbnail(item),
            )
        for tile, path in zip(self._tiles[len(items) :], pending, strict=True):
            tile.item = None
            what = _("gezichten zoeken…") if path == self._current else _("wacht…")
            tile.show_pending(Path(path).name, what)
        self.empty_hint.setVisible(wanted == 0)
        self._fit_height(wanted)
        self._refresh_alt_text(items)

    def _fit_height(self, tiles: int) -> None:
        """A scroll area takes any height it is given: ask for the tiles' own, plus room for the
        sideways scroll bar."""
        self.tiles_scroll.setVisible(bool(tiles))
        if tiles:
            inner = self._tiles[0].sizeHint().height()
            bar = self.tiles_scroll.horizontalScrollBar().sizeHint().height()
            self.tiles_scroll.setFixedHeight(inner + bar + 4)

    def _thumbnail(self, item: MediaItem) -> QPixmap | None:
        if item.kind == "video":
            return self.video_frame(item, THUMB)
        preview = self.previews.get(item.path)
        if preview is None:
            if item.kind == "image":
                self._load_preview(item.path)
            return None
        if preview.image is None:
            return None
        return self.posted_pixmap(item, None, THUMB)

    def posted_pixmap(self, item: MediaItem, network: str | None, size: QSize) -> QPixmap | None:
        """The photo as it will be posted (faces blurred; padded for `network` when given),
        scaled into `size`; None while it is still being read, or for a video."""
        preview = self.previews.get(item.path)
        if preview is None or preview.small is None:
            if preview is None and item.kind == "image":
                self._load_preview(item.path)
            return None
        from app.media.jobs import blur_boxes

        boxes = tuple(blur_boxes(item))
        key = (item.path, boxes, network, size.width(), size.height())
        if key not in self._thumbs:  # made once per look, not on every keystroke
            from PySide6.QtCore import Qt

            from app.media.posted_look import as_posted

            look = to_qimage(as_posted(preview.small, preview.original_size, boxes, network))
            self._thumbs[key] = QPixmap.fromImage(
                look.scaled(
                    size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        return self._thumbs[key]

    def video_frame(self, item: MediaItem, size: QSize) -> QPixmap | None:
        """The video's first frame scaled into `size`: what YouTube shows beside the title. None
        while it is read (photos_changed follows) or when no picture can be taken from it."""
        if item.path not in self._frames:
            self._load_frame(item.path)
            return None
        frame = self._frames[item.path]
        if frame is None:
            return None
        key = ("frame", item.path, size.width(), size.height())
        if key not in self._thumbs:
            from PySide6.QtCore import Qt

            self._thumbs[key] = QPixmap.fromImage(
                frame.scaled(
                    size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        return self._thumbs[key]

    def _load_frame(self, path: str) -> None:
        if path in self._frames_loading:
            return
        self._frames_loading.add(path)

        def work():
            from app.media.video import first_frame

            return to_qimage(first_frame(path, SMALL_LONG_SIDE))

        def done(result, error) -> None:
            self._frames_loading.discard(path)
            if error is not None:
                logging.getLogger("postwijs.media").warning(
                    "no first frame of a video: %s", type(error).__name__
                )
            self._frames[path] = result if error is None else None
            self.refresh()
            self.photos_changed.emit()

        run_in_background(work, done, owner=self)

    def _load_preview(self, path: str, then: Callable[[], None] | None = None) -> None:
        """For a draft restored after a restart: the photo is read again, without searching for
        faces (they are in the draft). `then` runs once it is read."""
        if then is not None:
            self._waiting.setdefault(path, []).append(then)
        if path in self._loading:
            return
        self._loading.add(path)

        def work():
            from app.media.draft import read_preview

            image, original_size = read_preview(path)
            return Preview(to_qimage(image), original_size, small=_small(image))

        def done(result, error) -> None:
            self._loading.discard(path)
            if error is not None:
                self._show_errors([*self._errors, self._error_text(path, error)])
                self.previews[path] = Preview(None, (0, 0))
            else:
                self.previews[path] = result
            self.refresh()
            self.photos_changed.emit()
            for waiting in self._waiting.pop(path, []):
                waiting()

        run_in_background(work, done)

    # Acting

    def _tile_clicked(self, tile: MediaTile) -> None:
        if tile.item is not None:
            self.open_tagging(tile.item)

    def open_tagging(self, item: MediaItem) -> None:
        """The tagging dialog for `item`; a photo restored from a saved draft is read first."""
        if item.kind == "image" and item.path not in self.previews:
            self._load_preview(item.path, lambda: self.open_tagging(item))
            return
        from ui.composer.tagging_dialog import TaggingDialog

        preview = self.previews.get(item.path) or Preview(None, (0, 0))
        number = next(i for i, m in enumerate(self.model.draft.media, start=1) if m is item)
        dialog = TaggingDialog(
            self.editor,
            item,
            item_name(item, number),
            preview.image,
            preview.original_size,
            preview.detection_failed,
            self,
        )
        self.tagging_dialog = dialog
        dialog.open()

    def open_item(self, number: int, describe: bool = False) -> None:
        """Opens photo or video `number` (from 1, as the checks name it): its faces, or its
        description when `describe`."""
        items = self.model.draft.media
        if not 1 <= number <= len(items):
            return
        if describe:
            self.edit_alt_text(items[number - 1])
        else:
            self.open_tagging(items[number - 1])

    @property
    def tiles(self) -> list[MediaTile]:
        """The tiles as shown, in the draft's order (pending files last)."""
        return list(self._tiles)

    def remove(self, item: MediaItem | None) -> None:
        if item is None:
            return
        if self._alt_item is item:
            self.edit_alt_text(None)
        self.editor.remove(item)

    def edit_alt_text(self, item: MediaItem | None) -> None:
        """Opens the description under the thumbnails for `item` (None closes it)."""
        self._alt_item = item
        self.alt_panel.setVisible(item is not None)
        if item is not None:
            self.alt_edit.blockSignals(True)
            self.alt_edit.setPlainText(item.alt_text)
            self.alt_edit.blockSignals(False)
            self.alt_edit.setFocus()
        self._refresh_alt_text(self.model.draft.media)

    def _alt_edited(self) -> None:
        if self._alt_item is not None:
            self.editor.set_alt_text(self._alt_item, self.alt_edit.toPlainText())

    def _refresh_alt_text(self, items: list[MediaItem]) -> None:
        item = self._alt_item
        if item is None:
            return
        if not any(m is item for m in items):
            self._alt_item = None
            self.alt_panel.setVisible(False)
            return
        number = next(i for i, m in enumerate(items, start=1) if m is item)
        self.alt_title.setText(
            _("Beschrijving van {name}, voor wie het niet kan zien:").format(
                name=item_name(item, number).lower()
            )
        )
        room = self.editor.alt_text_room(item)
        self.alt_room.setText(room.words)
        self.alt_room.setStyleSheet("color: #b91c1c; font-weight: bold;" if room.over else "")
