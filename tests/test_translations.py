"""English is available for every text: the catalogue covers what the code says, placeholders intact."""

import string

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import ROOT

PO = ROOT / "resources" / "locale" / "en" / "LC_MESSAGES" / "postwijs.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def code_messages() -> set[str]:
    found = set()
    for package in ("app", "connectors", "ui"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS, comment_tags=()
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_text_in_the_code_has_an_english_translation_with_the_same_placeholders():
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    missing, broken = [], []
    for message in sorted(code_messages()):
        entry = catalog.get(message)
        translation = entry.string if entry is not None else None
        if isinstance(translation, tuple | list):
            translation = translation[0]
        if not translation:
            missing.append(message)
        elif fields(translation) != fields(message):
            broken.append(message)
    assert missing == [], "untranslated; run scripts/update-translations.sh and translate"
    assert broken == []
