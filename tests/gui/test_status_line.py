"""A message on the status line that is wider than the window (a publish that failed on several
accounts, each with its reason) ends in "…" where the window ends, never cut off mid-word, and the
whole message is in its tooltip; a message that fits is shown whole, without a tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QSizeGrip

LONG = (
    "Juf Annemarie van de onderbouw op Bluesky: niet geplaatst. De wachtwoordkluis van deze"
    " computer is niet beschikbaar. Postwijs bewaart aanmeldingen alleen daarin; vraag de"
    " ICT-beheerder om een werkende wachtwoordkluis. Postwijs probeert het later vanzelf opnieuw."
)


def test_a_message_wider_than_the_window_ends_in_an_ellipsis_and_is_whole_in_the_tooltip(
    qtbot, open_window
):
    window = open_window()
    for width, height in ((1024, 700), (1280, 720)):
        window.resize(width, height)
        qtbot.waitUntil(lambda w=width: window.width() == w)
        line = window.statusBar()
        window.say(LONG)
        shown = line.shown_text()
        assert shown.endswith("…") and LONG.startswith(shown[:-1])
        assert line.fontMetrics().horizontalAdvance(shown) <= line.contentsRect().width()
        assert line.toolTip() == LONG
        assert line.currentMessage() == LONG  # what a screen reader is given, in full

        window.say("Geplaatst.")
        assert line.shown_text() == "Geplaatst."
        assert line.toolTip() == ""


def test_the_shortened_message_is_what_is_drawn(qtbot, open_window):
    """The pixels, not only the function: nothing is drawn in the last few pixels of the line
    but the ellipsis' own, and the message's start is drawn."""
    window = open_window()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    line = window.statusBar()
    window.say(LONG)
    qtbot.wait(50)
    image = line.grab().toImage()
    # The corner's size grip is a widget of its own; the message ends before it.
    grip = line.findChild(QSizeGrip)
    end = grip.x() if grip is not None and grip.isVisible() else image.width()
    background = image.pixelColor(1, 1)
    inked = [
        x
        for x in range(end)
        if any(image.pixelColor(x, y) != background for y in range(image.height()))
    ]
    assert inked and min(inked) < 20, "the message's start is not drawn"
    # The text stops inside the line, a margin short of its right edge.
    assert max(inked) < end - 3
