"""The style's colours against the WCAG 2.2 formula, read from the style sheet itself: text at
least 4.5:1 on its background, focus frames and meaningful borders at least 3:1 against what
surrounds them."""

from __future__ import annotations

import re

import pytest

from ui import style

MIN_TEXT = 4.5
MIN_NON_TEXT = 3.0


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rules(sheet: str) -> dict[str, dict[str, str]]:
    """Each selector with its properties (a rule for several selectors counts for each)."""
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", sheet):
        props = {}
        for part in body.split(";"):
            if ":" in part:
                key, value = part.split(":", 1)
                props[key.strip()] = value.strip()
        for selector in selectors.split(","):
            found.setdefault(selector.strip(), {}).update(props)
    return found


def colour_in(value: str) -> str | None:
    match = re.search(r"#[0-9a-fA-F]{6}\b", value or "")
    return match.group(0).lower() if match else None


RULES = rules(style.STYLE)


def _background_of(selector: str) -> str:
    """The rule's own background, or that of the rule it refines (`#nav:focus` → `#nav`), or
    the page behind it."""
    for candidate in (selector, re.split(r"[:]", selector)[0]):
        found = colour_in(RULES.get(candidate, {}).get("background", ""))
        if found:
            return found
    return style.PAGE


TEXT_PAIRS = [
    (selector, colour_in(props["color"]), _background_of(selector))
    for selector, props in RULES.items()
    if colour_in(props.get("color", ""))
]
# A text without a background of its own is drawn on the page or on a field or card (white).
TEXT_PAIRS += [
    (f"{s} on a field", c, style.FIELD) for s, c, b in list(TEXT_PAIRS) if b == style.PAGE
]
TEXT_PAIRS += [
    ("selected rows", style.SELECTED_TEXT, style.SELECTED),
    ("placeholder", style.PLACEHOLDER, style.FIELD),
    ("text on the page", style.TEXT, style.PAGE),
]
FOCUS_PAIRS = [
    (selector, colour_in(props["border"]), _background_of(re.split(r":", selector)[0]))
    for selector, props in RULES.items()
    if ":focus" in selector and colour_in(props.get("border", ""))
]


def test_the_sheet_is_read():
    # The parse must see the rules, or every check below would pass on nothing.
    assert len(TEXT_PAIRS) > 20 and len(FOCUS_PAIRS) >= 6


@pytest.mark.parametrize("where, text, background", TEXT_PAIRS, ids=lambda v: str(v))
def test_text_has_at_least_4_5_to_1(where, text, background):
    assert contrast(text, background) >= MIN_TEXT, (where, text, background)


@pytest.mark.parametrize("where, frame, inside", FOCUS_PAIRS, ids=lambda v: str(v))
def test_focus_frames_stand_out_3_to_1_from_the_page_and_the_control(where, frame, inside):
    # The frame lies between the control and the page (or the dark menu) around it.
    around = "#1f3b57" if where.startswith("#nav") else style.PAGE
    assert contrast(frame, around) >= MIN_NON_TEXT, (where, frame, around)
    if inside not in (style.PAGE, around):
        assert contrast(frame, inside) >= MIN_NON_TEXT or contrast(frame, around) >= 7, where


@pytest.mark.parametrize(
    "selector", ["#errorText", "#practiceBanner", "#reviewBanner"], ids=lambda v: v
)
def test_borders_that_mark_a_message_stand_out_3_to_1(selector):
    border = colour_in(RULES[selector]["border"])
    assert contrast(border, colour_in(RULES[selector]["background"])) >= MIN_NON_TEXT
    assert contrast(border, style.PAGE) >= MIN_NON_TEXT


def test_the_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#308ec9") == pytest.approx(3.6, abs=0.05)  # the old selection
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_a_blocking_and_a_warning_underline_differ_in_shape_not_only_in_colour(qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    from app.rules.model import BLOCK, INFO, WARN, Finding
    from ui.composer.composer import underline

    editor = QPlainTextEdit("Bel 06-12345678 om 14:00 op de Dorpsstraat")
    qtbot.addWidget(editor)
    findings = [
        Finding("a", ("Communiceren 1",), BLOCK, "Haal het weg.", span=(4, 15)),
        Finding("b", ("Communiceren 6",), WARN, "Let op.", span=(19, 24)),
        Finding("c", ("Communiceren 2",), INFO, "Goed om te weten.", span=(31, 42)),
    ]
    underline(editor, findings)
    shapes = [s.format.underlineStyle() for s in editor.extraSelections()]
    colours = [s.format.underlineColor().name() for s in editor.extraSelections()]
    assert len(set(shapes)) == 3 and len(set(colours)) == 3


def _tagging_colours():
    from ui.composer import tagging_dialog

    return tagging_dialog.STATE_COLOURS


@pytest.mark.parametrize("colour", _tagging_colours(), ids=str)
@pytest.mark.parametrize(
    "background", [style.PAGE, style.FIELD, "#f3f4f6"], ids=["dialog", "list", "grey panel"]
)
def test_the_tagging_dialogs_state_colours_are_readable_as_text(colour, background):
    # The face's state as a sentence on the dialog and as an entry in its lists.
    assert contrast(colour, background) >= MIN_TEXT, (colour, background)


@pytest.mark.parametrize("colour", _tagging_colours(), ids=str)
def test_white_text_on_a_face_label_is_readable(colour):
    # The label on a face box: white text on the state's colour.
    assert contrast("#ffffff", colour) >= MIN_TEXT, colour


def test_the_editors_underlines_stand_out_3_to_1_from_the_text_field():
    from ui.composer.checks_panel import COLOURS

    for severity, colour in COLOURS.items():
        assert contrast(colour, style.FIELD) >= MIN_NON_TEXT, severity
