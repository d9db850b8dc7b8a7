"""The consent register's words for people: roles, states with their marks, how a file was read.

One place, so the table, the dialogs, the import and the change log say the same thing. Each is a
function, so the words follow the language chosen at start (`_()` is called when shown).
"""

from __future__ import annotations

from app.consent import register as consent
from app.i18n import _


def role_word(role: str) -> str:
    return {
        consent.PUPIL: _("leerling"),
        consent.STAFF: _("medewerker"),
        consent.PARENT: _("ouder"),
        consent.OTHER: _("overig"),
    }.get(role, role)


def state_word(state: str | None) -> str:
    """The state alone, e.g. for "toestemming → ingetrokken" in the change log."""
    return {
        consent.GIVEN: _("toestemming"),
        consent.REFUSED: _("geweigerd"),
        consent.WITHDRAWN: _("ingetrokken"),
        consent.UNKNOWN: _("onbekend"),
    }.get(state or consent.UNKNOWN, state or "")


STATE_MARKS = {
    consent.GIVEN: "✓",
    consent.REFUSED: "✗",
    consent.WITHDRAWN: "⊘",
    consent.UNKNOWN: "?",
}


def state_with_mark(state: str) -> str:
    """ "✓ toestemming", "✗ geweigerd", "⊘ ingetrokken", "? onbekend": the mark keeps the state
    readable without colour."""
    return f"{STATE_MARKS.get(state, '?')} {state_word(state)}"


def charset_words(encoding: str) -> str:
    """How the file's characters were read, as Excel's save dialog names it."""
    return {
        "utf-8-sig": _("UTF-8 (zoals Excel 'CSV UTF-8' opslaat)"),
        "utf-8": _("UTF-8"),
        "utf-16": _("Unicode (UTF-16)"),
        "cp1252": _("Windows (West-Europees)"),
        "latin-1": _("West-Europees (ISO 8859-1)"),
    }.get(encoding, encoding)


def separator_words(delimiter: str) -> str:
    return {";": _("puntkomma (;)"), ",": _("komma (,)"), "\t": _("tab")}.get(
        delimiter, repr(delimiter)
    )
