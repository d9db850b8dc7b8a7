"""Which column of an export holds which of our fields: the mapping, a first suggestion from
common Dutch headers, what keeps a mapping from being used, and the mapping remembered per school.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from app.consent.register import PUPIL, ROLES
from app.i18n import _
from app.site.config import DEFAULT_PURPOSES
from app.store import Store

# Header words, normalised (lower case, no accents, words separated by one space). A header that
# names a citizen number is never suggested: the register must not hold it (AVG).
_FORBIDDEN_HEADER_WORDS = ("bsn", "burgerservicenummer", "sofinummer", "sofi nummer")


_IDENTIFIER_WORDS = (
    "leerlingnummer",
    "leerling nummer",
    "leerlingnr",
    "leerling nr",
    "llnr",
    "ll nr",
    "leerling id",
    "leerlingid",
    "stamnummer",
    "stamnr",
    "personeelsnummer",
    "personeelsnr",
    "medewerkernummer",
    "relatienummer",
    "registratienummer",
)


_IDENTIFIER_EXACT = ("id", "nummer", "nr", "kenmerk", "code")


_FIELD_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # field: (words that may appear within a header, words that must be the whole header)
    "school_year": (("schooljaar",), ()),
    "first_name": (("roepnaam", "voornaam", "voornamen", "first name", "firstname"), ("voorn",)),
    "tussenvoegsel": (
        ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels"),
        ("tv", "tussenv"),
    ),
    "last_name": (
        ("achternaam", "geslachtsnaam", "familienaam", "last name", "lastname", "surname"),
        ("naam",),
    ),
    "group": (
        ("groep", "klas", "stamgroep", "jaargroep", "basisgroep", "lesgroep"),
        ("unit", "leerjaar"),
    ),
    "role": (("rol",), ("soort", "type")),
}


_PURPOSE_WORDS = {
    "sociale media": ("sociale media", "social media", "socialmedia", "socials", "social"),
    "website": ("website", "site", "webpagina", "internet"),
    "nieuwsbrief": ("nieuwsbrief", "nieuwsbrieven", "newsletter"),
    "schoolgids": ("schoolgids", "schoolgidsen", "gids", "jaarboek"),
}


_NETWORK_WORDS = {
    "instagram": ("instagram", "insta"),
    "tiktok": ("tiktok", "tik tok"),
    "x": ("twitter", "x"),
    "facebook": ("facebook",),
    "snapchat": ("snapchat",),
    "mastodon": ("mastodon",),
    "bluesky": ("bluesky",),
    "youtube": ("youtube",),
}


_HANDLE_WORDS = ("account", "handle", "gebruikersnaam", "accountnaam", "profiel", "username")


class MappingError(Exception):
    """A mapping (file) that cannot be used; the message is Dutch."""


@dataclass
class Mapping:
    """Our fields -> the export's column names. "" leaves a field out; `purposes` maps consent
    purposes and `handles` network ids to columns. `default_role` applies without a role column."""

    identifier: str = ""
    first_name: str = ""
    tussenvoegsel: str = ""
    last_name: str = ""
    group: str = ""
    role: str = ""
    school_year: str = ""
    purposes: dict[str, str] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    default_role: str = PUPIL

    def columns(self) -> list[tuple[str, str]]:
        """(what, column) for every mapped column; `what` is a field, purpose or handle name."""
        named = [(name, getattr(self, name)) for name in PERSON_FIELDS]
        named += [(f"purpose:{p}", c) for p, c in self.purposes.items()]
        named += [(f"handle:{n}", c) for n, c in self.handles.items()]
        return [(what, column) for what, column in named if column]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        try:
            raw = json.loads(text)
        except ValueError:
            raise MappingError(_("De kolomkoppeling is geen geldige JSON.")) from None
        if not isinstance(raw, dict):
            raise MappingError(_("De kolomkoppeling moet een JSON-object zijn."))
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise MappingError(
                _("Onbekende velden in de kolomkoppeling: {fields}. Gebruik: {known}.").format(
                    fields=", ".join(unknown), known=", ".join(sorted(known))
                )
            )
        for name in ("purposes", "handles"):
            value = raw.get(name, {})
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise MappingError(
                    _('"{field}" moet een object zijn van naam naar kolomnaam.').format(field=name)
                )
        for name in known - {"purposes", "handles"}:
            if name in raw and not isinstance(raw[name], str):
                raise MappingError(
                    _('"{field}" moet een kolomnaam tussen aanhalingstekens zijn.').format(
                        field=name
                    )
                )
        return cls(**raw)


# The person fields a column can be chosen for, in the order the import wizard shows them: the
# Mapping's own fields, so that they are declared once.
PERSON_FIELDS = tuple(
    f.name for f in fields(Mapping) if f.name not in ("purposes", "handles", "default_role")
)


def _normalise_header(header: str) -> str:
    text = unicodedata.normalize("NFKD", header.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"[0-9a-z]+", text))


def _has_words(normalised: str, words: str) -> bool:
    return f" {words} " in f" {normalised} "


def suggest_mapping(headers: Iterable[str], purposes: Iterable[str] = DEFAULT_PURPOSES) -> Mapping:
    """A first guess from common Dutch headers, for the administrator to check in the preview."""
    headers = list(headers)
    normalised = {h: _normalise_header(h) for h in headers}
    free = [
        h
        for h in headers
        if h and not any(_has_words(normalised[h], w) for w in _FORBIDDEN_HEADER_WORDS)
    ]

    def take(within: Iterable[str], exact: Iterable[str] = ()) -> str:
        within, exact = tuple(within), tuple(exact)
        for word in (*within, *exact):  # a whole-header match first, in the order of preference
            for header in free:
                if normalised[header] == word:
                    free.remove(header)
                    return header
        for word in within:
            for header in free:
                if _has_words(normalised[header], word):
                    free.remove(header)
                    return header
        return ""

    mapping = Mapping(identifier=take(_IDENTIFIER_WORDS, _IDENTIFIER_EXACT))
    for name, (within, exact) in _FIELD_WORDS.items():
        setattr(mapping, name, take(within, exact))
    for network, words in _NETWORK_WORDS.items():
        for header in list(free):
            text = normalised[header]
            if any(_has_words(text, w) for w in words) and any(
                _has_words(text, w) for w in _HANDLE_WORDS
            ):
                mapping.handles[network] = header
                free.remove(header)
                break
    for purpose in purposes:
        words = _PURPOSE_WORDS.get(purpose, (_normalise_header(purpose),))
        column = take(words)
        if column:
            mapping.purposes[purpose] = column
    return mapping


def mapping_problems(mapping: Mapping, headers: list[str], purposes: Iterable[str]) -> list[str]:
    """What keeps a mapping from being used with these headers, in Dutch; [] when usable."""
    problems = []
    purposes = tuple(purposes)
    if not mapping.identifier:
        problems.append(
            _(
                "Kies de kolom met het leerlingnummer (of een ander nummer dat elke persoon"
                " aanduidt)."
            )
        )
    elif any(_has_words(_normalise_header(mapping.identifier), w) for w in _FORBIDDEN_HEADER_WORDS):
        problems.append(
            _(
                "Kies een andere kolom dan '{column}' als nummer: het burgerservicenummer hoort"
                " niet in het toestemmingsregister. Gebruik het leerlingnummer."
            ).format(column=mapping.identifier)
        )
    if not mapping.first_name and not mapping.last_name:
        problems.append(_("Kies de kolom met de voornaam of de achternaam."))
    if mapping.default_role not in ROLES:
        problems.append(_("Kies als standaardrol een van: {roles}.").format(roles=", ".join(ROLES)))
    for purpose in mapping.purposes:
        if purpose not in purposes:
            problems.append(
                _(
                    "Koppel '{purpose}' niet: het is geen toestemmingsdoel in de siteconfiguratie"
                    " (wel: {purposes})."
                ).format(purpose=purpose, purposes=", ".join(purposes))
            )
    for _what, column in mapping.columns():
        count = headers.count(column)
        if count == 0:
            problems.append(
                _("Kies een andere kolom: '{column}' staat niet in het bestand.").format(
                    column=column
                )
            )
        elif count > 1:
            problems.append(
                _(
                    "Geef de kolommen '{column}' in het bestand elk een eigen naam: de naam komt"
                    " {n} keer voor."
                ).format(column=column, n=count)
            )
    return list(dict.fromkeys(problems))


def remembered_mapping(store: Store, school_id: str) -> Mapping | None:
    text = store.setting(_mapping_key(school_id))
    if not text:
        return None
    try:
        return Mapping.from_json(text)
    except MappingError:
        return None


def remember_mapping(store: Store, school_id: str, mapping: Mapping) -> None:
    store.set_setting(_mapping_key(school_id), mapping.to_json())


def read_mapping_file(path: Path) -> Mapping:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(
            _("Kan de kolomkoppeling {file} niet lezen ({reason}).").format(
                file=path, reason=getattr(error, "strerror", None) or error
            )
        ) from None
    return Mapping.from_json(text)


def _mapping_key(school_id: str) -> str:
    return f"consent.mapping.{school_id}"
