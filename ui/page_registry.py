"""The main window's pages: the navigation list and the stack, each page built the first time it
is shown (the composer must be on screen fast: bench/startup.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QListWidget, QStackedWidget, QWidget


class PageRegistry:
    def __init__(self, nav: QListWidget, stack: QStackedWidget):
        self.nav = nav
        self.stack = stack
        self.index: dict[str, int] = {}
        self._builders: dict[int, Callable[[], QWidget]] = {}
        nav.currentRowChanged.connect(self._show_row)

    def add(self, key: str, title: str, page: QWidget | Callable[[], QWidget]) -> None:
        """Adds a page, or a builder that makes it the first time it is shown."""
        if isinstance(page, QWidget):
            index = self.stack.addWidget(page)
        else:
            index = self.stack.addWidget(QWidget())
            self._builders[index] = page
        self.index[key] = index
        self.nav.addItem(title)

    def set_title(self, key: str, title: str) -> None:
        """The page's entry in the navigation says `title` (a count that changed)."""
        self.nav.item(self.index[key]).setText(title)

    def show(self, key: str) -> None:
        self.nav.setCurrentRow(self.index[key])

    def page(self, key: str) -> QWidget:
        """The page as it is now: a placeholder while it was never shown."""
        page = self.stack.widget(self.index[key])
        assert page is not None, "every key has a page or a placeholder"
        return page

    def built(self, key: str) -> QWidget:
        """The page itself, built now if it was not yet."""
        self._build(self.index[key])
        return self.page(key)

    def rebuild(self, key: str, build: Callable[[], QWidget]) -> None:
        """Replaces a page by a fresh one (after what it shows has changed)."""
        index = self.index[key]
        self._builders[index] = build
        if self.stack.currentIndex() == index:
            self._build(index)

    def _build(self, index: int) -> None:
        build = self._builders.pop(index, None)
        if build is None:
            return
        current = self.stack.currentIndex()
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, build())
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        if current == index:
            self.stack.setCurrentIndex(index)

    def _show_row(self, index: int) -> None:
        self._build(index)
        self.stack.setCurrentIndex(index)
        # A screen reader names the stack as the focus enters it ("layered pane" without a name):
        # the page's own title says where the user is.
        item = self.nav.item(index)
        if item is not None:
            self.stack.setAccessibleName(item.text())
