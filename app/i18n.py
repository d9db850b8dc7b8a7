"""One translation mechanism for core and UI: GNU gettext catalogues compiled with Babel.

The message ids are the Dutch texts, so Dutch (the default) needs no catalogue at all and can never
show a missing translation; English comes from resources/locale/en. gettext is in the standard
library, works without Qt (the headless commands speak the same language) and Babel both extracts
and compiles the catalogues, so no Qt tool is needed in the build.
"""

from __future__ import annotations

import gettext

from resources import resource_path

DOMAIN = "postwijs"
LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def locale_dir():
    return resource_path("locale")


def set_language(language: str) -> None:
    """Switch every later `_()` call to `language` ("nl" or "en")."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    if language == DEFAULT_LANGUAGE:
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, localedir=locale_dir(), languages=[language])
    _language = language


def current_language() -> str:
    return _language


def catalogue_available(language: str) -> bool:
    if language == DEFAULT_LANGUAGE:
        return True
    return gettext.find(DOMAIN, localedir=locale_dir(), languages=[language]) is not None


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a text for translation where it is defined; translate it with `_()` where shown."""
    return message
