"""One stylesheet for the whole window: calm colours, large enough text, clear states.

Every text colour has at least 4.5:1 against its background and every focus indicator and
meaningful border at least 3:1 against what surrounds it (WCAG 2.2 AA 1.4.3, 1.4.11, 2.4.7);
tests/gui/test_contrast.py computes it from the values below. A focused control gets a thick
dark (or, on the dark menu, yellow) frame; its normal state has a frame of the same width in its
own colour, so taking the focus moves nothing."""

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# The colours the window is drawn in besides the style sheet (Qt's own palette roles).
PAGE = "#f5f5f5"  # the window's background
FIELD = "#ffffff"  # the background of fields, lists and tables
TEXT = "#111827"
SELECTED = "#1d4ed8"  # selected rows and text: white on it is 6.7:1
SELECTED_TEXT = "#ffffff"
PLACEHOLDER = "#4b5563"  # a placeholder that says what to type: 7.5:1 on a field
FOCUS = "#111827"  # the focus frame on light backgrounds
FOCUS_ON_DARK = "#facc15"  # the focus frame on the dark menu

STYLE = """
QWidget { font-size: 10.5pt; }
#nav { background: #1f3b57; color: #ffffff; border: 3px solid #1f3b57; font-size: 11pt;
       padding: 8px 0 0 0; outline: none; }
#nav:focus { border: 3px solid #facc15; }
#nav::item { padding: 9px 14px; }
#nav::item:selected { background: #2f5d86; color: #ffffff; }
#sidebar { background: #1f3b57; }
#appName { color: #ffffff; background: #1f3b57; font-size: 15pt; font-weight: bold; padding: 14px 14px 4px 14px; }
#demoBadge { background: #fef3c7; color: #78350f; border-radius: 6px; padding: 8px;
              margin: 4px 10px 6px 10px; font-weight: bold; }
#whoAmI { color: #dbe7f3; background: #1f3b57; padding: 10px 14px 14px 14px; }
#pageTitle { font-size: 16pt; font-weight: bold; margin-bottom: 6px; }
#sectionTitle { font-weight: bold; margin-top: 6px; }
#hint { color: #4b5563; }
#reason { color: #92400e; }
#errorText { color: #991b1b; background: #fef2f2; border: 1px solid #b91c1c; padding: 12px; }
#counter { color: #374151; }
#previewCard, #timelinePost { background: #ffffff; border: 1px solid #d1d5db; border-radius: 8px; }
#previewAccount { font-weight: bold; }
#practiceBanner { background: #fef3c7; border: 1px solid #b45309; border-radius: 6px;
                  padding: 10px; color: #78350f; }
#avatar { background: #2f5d86; color: #ffffff; border-radius: 22px; font-weight: bold; }
QPushButton, QToolButton { background: #ffffff; color: #111827; border: 1px solid #6b7280;
                           border-radius: 4px; padding: 5px 12px; }
QPushButton:hover, QToolButton:hover { background: #f3f4f6; }
QPushButton:pressed, QToolButton:pressed, QToolButton:checked { background: #e5e7eb; }
QPushButton:disabled, QToolButton:disabled { color: #6b7280; border: 1px solid #d1d5db; }
QPushButton:focus, QToolButton:focus { border: 3px solid #111827; padding: 3px 10px; }
QToolButton#thumbButton { padding: 2px; }
QToolButton#thumbButton:focus { padding: 0; }
QPushButton#primary { background: #1d4ed8; color: #ffffff; padding: 5px 20px; border-radius: 5px;
                      font-weight: bold; border: 3px solid #1d4ed8; }
QPushButton#primary:hover { background: #1e40af; }
QPushButton#primary:focus { background: #1e3a8a; border: 3px solid #111827;
                            outline: 2px solid #facc15; }
QPushButton#primary:disabled { background: #6b7280; color: #ffffff; border: 3px solid #6b7280; }
#statusNote { color: #065f46; }
#reviewBanner { background: #e0f2fe; border: 1px solid #0369a1; border-radius: 6px; }
#checksPanel { background: #f3f4f6; border-left: 1px solid #d1d5db; }
#checksList { background: #f3f4f6; }
#checksSummary { font-weight: bold; margin-bottom: 4px; }
QPushButton#linkButton { border: 2px solid transparent; color: #1d4ed8; text-decoration: underline;
                         padding: 0 2px; }
QPushButton#linkButton:focus { border: 2px solid #111827; }
QPushButton#linkButton:checked { color: #374151; }
QCheckBox, QRadioButton { border: 2px solid transparent; padding: 1px; }
QCheckBox:focus, QRadioButton:focus { border: 2px solid #111827; }
QAbstractItemView { selection-background-color: #1d4ed8; selection-color: #ffffff; }
/* A list, table or editor keeps its inner edge where it is when it takes the focus: the frame
   grows inward over the padding (its viewport is not laid out again on focus). */
QAbstractItemView, QPlainTextEdit, QTextEdit { border: 1px solid #6b7280; padding: 1px; }
QAbstractItemView:focus, QPlainTextEdit:focus, QTextEdit:focus { border: 2px solid #111827;
                                                                 padding: 0; }
QLineEdit:focus, QAbstractSpinBox:focus, QComboBox:focus { border: 2px solid #111827; }
QScrollArea:focus { border: 2px solid #111827; }
QStatusBar { color: #111827; }
"""


def apply(window) -> None:
    """The style sheet on the window, the palette on the application (selected rows, placeholders,
    and Qt's own focus frames follow the palette's highlight)."""
    palette = QApplication.palette()
    for role, colour in (
        (QPalette.ColorRole.Window, PAGE),
        (QPalette.ColorRole.Base, FIELD),
        (QPalette.ColorRole.WindowText, TEXT),
        (QPalette.ColorRole.Text, TEXT),
        (QPalette.ColorRole.Highlight, SELECTED),
        (QPalette.ColorRole.HighlightedText, SELECTED_TEXT),
        (QPalette.ColorRole.PlaceholderText, PLACEHOLDER),
        (QPalette.ColorRole.Link, SELECTED),
    ):
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, role, QColor(colour))
    QApplication.setPalette(palette)
    window.setStyleSheet(STYLE)
