"""The checks beside the composer: what the code of conduct asks of this post, always visible."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.rules.model import BLOCK, INFO, WARN, Finding
from ui import accessibility

ICONS = {BLOCK: "✖", WARN: "⚠", INFO: "ℹ"}  # glyphs the bundled DejaVu font has
COLOURS = {BLOCK: "#b91c1c", WARN: "#b45309", INFO: "#1d4ed8"}
# What the glyph says, for a screen reader (it reads "✖" as "multiplication x", if at all).
SEVERITY_WORDS = {
    BLOCK: lambda: _("Moet eerst opgelost"),
    WARN: lambda: _("Waarschuwing"),
    INFO: lambda: _("Tip"),
}
FIX_LABELS = {
    "remove_hidden_characters": lambda: _("Verborgen tekens verwijderen"),
}


def article_texts(articles: tuple[str, ...]) -> str:
    from app.articles import article_text

    parts = []
    for article in articles:
        try:
            parts.append(f"{article}: {article_text(article)}")
        except KeyError:
            parts.append(article)
    return "\n\n".join(parts)


class _ArticleLink(QLabel):
    """The card's one link to its articles: one Tab stop, opened by Enter or Space. Qt's own
    keyboard links take a second Tab inside the label (first the label, then its link), which
    looks like a Tab that does nothing."""

    def keyPressEvent(self, event) -> None:
        from PySide6.QtCore import Qt  # not at start-up: the namespace is slow to load

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.linkActivated.emit("#")
            return
        super().keyPressEvent(event)


class FindingCard(QFrame):
    clicked = Signal(object)
    fix_requested = Signal(object)

    def __init__(self, finding: Finding, account_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.finding = finding
        self.setObjectName("findingCard")
        self.setProperty("severity", finding.severity)
        # The keyboard's place is a dark frame all round, at 3:1 or more against the panel and the
        # white card; unfocused the frame is white, so taking the focus moves nothing. The
        # severity's colour is a bar of its own inside it, so the frame is seen on the left too.
        self.setStyleSheet(
            "#findingCard { border: 2px solid #ffffff; background: #ffffff; border-radius: 4px; }"
            " #findingCard:focus { border: 2px solid #111827; }"
            # The article link takes the focus by Tab, so it has its own frame.
            " #articleLink { color: #4b5563; border: 2px solid #ffffff; }"
            " #articleLink:focus { border: 2px solid #111827; }"
        )
        outer = QHBoxLayout(self)
        outer.setContentsMargins(2, 2, 0, 2)
        outer.setSpacing(0)
        bar = QFrame()
        bar.setObjectName("severityBar")
        bar.setFixedWidth(4)
        bar.setStyleSheet(f"#severityBar {{ background: {COLOURS[finding.severity]}; }}")
        outer.addWidget(bar)
        layout = QVBoxLayout()
        layout.setContentsMargins(6, 4, 8, 4)
        layout.setSpacing(6)
        outer.addLayout(layout, 1)
        row = QHBoxLayout()
        row.setSpacing(8)
        icon = QLabel(ICONS[finding.severity])
        accessibility.name(icon, SEVERITY_WORDS[finding.severity]())
        icon.setStyleSheet(f"color: {COLOURS[finding.severity]}; font-size: 13pt;")
        row.addWidget(icon, 0)
        self.message = QLabel(finding.message)
        self.message.setWordWrap(True)
        row.addWidget(self.message, 1)
        layout.addLayout(row)
        from PySide6.QtCore import Qt  # not at start-up: the namespace is slow to load

        where = f" · {_('alleen')} {account_name}" if finding.account_id and account_name else ""
        if finding.articles:
            self.articles = _ArticleLink(
                f"<a href='#' style='color:#4b5563'>{' · '.join(finding.articles)}</a>{where}"
            )
        else:
            # A limit of the network, not an article: no empty link to Tab to, and no dot
            # before "alleen".
            self.articles = _ArticleLink(where.removeprefix(" · "))
            self.articles.setTextFormat(Qt.TextFormat.PlainText)
            if not where:
                self.articles.hide()
        self.articles.setObjectName("articleLink")
        self.articles.setWordWrap(True)
        self.articles.setToolTip(article_texts(finding.articles))
        self.articles.linkActivated.connect(self._show_articles)
        layout.addWidget(self.articles)
        if finding.fix in FIX_LABELS:
            button = QPushButton(FIX_LABELS[finding.fix]())
            button.clicked.connect(lambda: self.fix_requested.emit(self.finding))
            layout.addWidget(button)
        if finding.media is not None:
            self.setToolTip(_("Klik om de foto of video te openen."))
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            goes_to = _("Druk op Enter om de foto of video te openen.")
        else:
            self.setToolTip(_("Klik om de plek in je tekst te zien."))
            goes_to = _("Druk op Enter om de plek in je tekst te zien.")
        # Reached by Tab like a button; Enter or Space does what a click does. The article link
        # is reached by Tab too, inside the card.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if finding.articles:
            self.articles.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            self.articles.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            accessibility.name(
                self.articles,
                _("Gedragsregels: {articles}").format(articles=", ".join(finding.articles)),
            )
        else:
            self.articles.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Commas, not middle dots: a screen reader reads "·" out as "middle dot".
        accessibility.name(
            self,
            f"{SEVERITY_WORDS[finding.severity]()}: {finding.message}",
            ", ".join((*finding.articles, *([where.strip(" ·")] if where else []), goes_to)),
        )

    def _show_articles(self, _link: str) -> None:
        QMessageBox.information(self, _("Gedragsregels"), article_texts(self.finding.articles))

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.finding)
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.finding)
            return
        super().keyPressEvent(event)


class ChecksPanel(QWidget):
    finding_clicked = Signal(object)
    fix_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("checksPanel")
        self.setFixedWidth(340)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 20, 16, 16)
        title = QLabel(_("Controle"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        self.summary = QLabel()
        self.summary.setObjectName("checksSummary")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.register_note = QLabel()
        self.register_note.setObjectName("registerNote")
        self.register_note.setWordWrap(True)
        self.register_note.setStyleSheet(
            "color: #92400e; background: #fffbeb; border: 1px solid #f59e0b; padding: 6px;"
        )
        self.register_note.setVisible(False)
        outer.addWidget(self.register_note)
        scroll = QScrollArea()
        accessibility.name(scroll, _("Controles"))
        accessibility.only_holds_controls(scroll)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner.setObjectName("checksList")
        self.list = QVBoxLayout(inner)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        reminder = QLabel(
            _("Denk twee keer na: wat je plaatst blijft openbaar, ook na verwijderen.")
        )
        reminder.setObjectName("hint")
        reminder.setWordWrap(True)
        outer.addWidget(reminder)
        self.cards: list[FindingCard] = []
        self.blocking = 0  # findings that block plaatsen, as last said to a screen reader

    def show_register_note(self, note: str) -> None:
        """Says what cannot be checked yet (an empty consent register) and whom to ask."""
        if self.register_note.text() != note:
            self.register_note.setText(note)
        self.register_note.setVisible(bool(note))

    def _announce_blocking(self, blocking: int, has_text: bool) -> None:
        """A screen reader hears it when what blocks plaatsen changes, politely and only then:
        the checks run again on every pause in typing, and most runs change nothing."""
        before, self.blocking = self.blocking, blocking
        if blocking == before or not has_text:
            return
        if blocking:
            message = ngettext(
                "{n} punt moet eerst opgelost worden voor je kunt plaatsen.",
                "{n} punten moeten eerst opgelost worden voor je kunt plaatsen.",
                blocking,
            ).format(n=blocking)
        else:
            message = _("Niets houdt plaatsen meer tegen.")
        accessibility.announce(self.summary, message)

    def show_findings(self, findings: list[Finding], account_names: dict[str, str], has_text: bool):
        for card in self.cards:
            self.list.removeWidget(card)
            card.hide()  # at once: deleteLater waits for the event loop, the old text would linger
            card.deleteLater()
        self.cards = []
        self._announce_blocking(sum(1 for f in findings if f.severity == BLOCK), has_text)
        for finding in findings:
            card = FindingCard(finding, account_names.get(finding.account_id or "", ""))
            card.clicked.connect(self.finding_clicked.emit)
            card.fix_requested.connect(self.fix_requested.emit)
            self.list.insertWidget(len(self.cards), card)
            self.cards.append(card)
        counts = {s: sum(1 for f in findings if f.severity == s) for s in (BLOCK, WARN, INFO)}
        if not findings:
            unchecked = not self.register_note.isHidden()
            self.summary.setText(
                (
                    _("✓ Verder niets gevonden. Lees je bericht toch nog even na.")
                    if unchecked
                    else _("✓ Niets gevonden. Lees je bericht toch nog even na.")
                )
                if has_text
                else _(
                    "Begin met schrijven; hier zie je wat de gedragsregels van je bericht vragen."
                )
            )
            return
        parts = []
        if counts[BLOCK]:
            parts.append(
                "✖ "
                + ngettext("{n} blokkeert", "{n} blokkeren", counts[BLOCK]).format(n=counts[BLOCK])
            )
        if counts[WARN]:
            parts.append(
                "⚠ "
                + ngettext("{n} waarschuwing", "{n} waarschuwingen", counts[WARN]).format(
                    n=counts[WARN]
                )
            )
        if counts[INFO]:
            parts.append(
                "ℹ " + ngettext("{n} tip", "{n} tips", counts[INFO]).format(n=counts[INFO])
            )
        self.summary.setText("   ".join(parts))
