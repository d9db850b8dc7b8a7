"""The site configuration's schema, declared once: every key with its kind, default and meaning.

The loader validates a file against it (app.site.validate), and the README's table of keys is
generated from it (`markdown_table`; a test keeps the README equal to it). To add a key, add it
here; the loader then accepts it and the README test says what to paste.

The descriptions are Dutch: they are read by IT beside the Dutch example file. `expected` texts
reach the user in error messages, so they are marked for translation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from app.compose.disclaimer import LENGTHS
from app.i18n import N_
from app.networks.profiles import PROFILES
from app.rules.ids import RULE_IDS

FOUNDATIONS = ("SCOH", "SPCP")
SCHOOL_TYPES = ("basisschool", "peuterspeelzaal", "speciaal onderwijs", "overig")
ACCOUNT_KINDS = ("official", "staff")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_PURPOSES = ("sociale media", "website", "nieuwsbrief", "schoolgids")
SEVERITIES = ("block", "warn", "info")
LANGUAGES = ("nl", "en")
NETWORKS = tuple(sorted(PROFILES))
YOUTUBE_PRIVACY = ("public", "unlisted", "private")

TEXT_EXPECTED = N_("een tekst tussen aanhalingstekens")
TEXT_LIST_EXPECTED = N_('een lijst van teksten, bijvoorbeeld ["a", "b"]')


@dataclass(frozen=True)
class Text:
    """A string, stripped. Without a default it is required and may not be empty."""

    description: str
    default: str | None = None
    choices: tuple[str, ...] = ()
    expected: str = TEXT_EXPECTED


@dataclass(frozen=True)
class TextList:
    """A list of strings, each stripped."""

    description: str
    default: tuple[str, ...] = ()
    # Turns each item into its value, or None when it is not in the expected form.
    parse: Callable[[str], object | None] | None = None
    expected: str = TEXT_LIST_EXPECTED
    item_expected: str = ""


@dataclass(frozen=True)
class Table:
    """A table with a fixed set of keys; any other key is an error."""

    description: str
    fields: dict[str, Node]
    # Absent: None (e.g. a school without a manager) instead of a table of defaults.
    none_when_absent: bool = False
    expected: str = N_("een tabel")
    # Said of a key that is neither here nor near a key that is; by default, which keys belong.
    unknown_key: str = ""


@dataclass(frozen=True)
class TableList:
    """`[[name]]`: a list of tables of one shape."""

    description: str
    item: Table
    at_least_one: bool = False
    expected: str = N_("een lijst van tabellen")


@dataclass(frozen=True)
class Map:
    """A table whose keys come from a fixed set (weekdays, rule ids), each value of one shape."""

    description: str
    keys: tuple[str, ...]
    placeholder: str
    value: Node
    expected: str = N_("een tabel")


@dataclass(frozen=True)
class Amount:
    """An amount of money as a TOML number (25 or 12.50), not negative, read to the cent.
    Absent: None, meaning no limit."""

    description: str
    expected: str = N_("een bedrag als getal, bijvoorbeeld 25 of 12.50 (zonder aanhalingstekens)")


@dataclass(frozen=True)
class WholeNumber:
    """A whole number as a TOML integer, from `minimum` to `maximum`; absent: `default`."""

    description: str
    default: int
    minimum: int
    maximum: int
    expected: str = N_("een heel getal zonder aanhalingstekens, bijvoorbeeld 90")


Node = Text | TextList | Table | TableList | Map | Amount | WholeNumber


def parse_time_range(text: str) -> tuple[time, time] | None:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return None
    start, end = time(h1, m1), time(h2, m2)
    return (start, end) if start < end else None


def parse_date_range(text: str) -> tuple[date, date] | None:
    parts = text.split("..")
    try:
        dates = [date.fromisoformat(p.strip()) for p in parts]
    except ValueError:
        return None
    if len(dates) == 1:
        return (dates[0], dates[0])
    if len(dates) == 2 and dates[0] <= dates[1]:
        return (dates[0], dates[1])
    return None


def _contact(description: str) -> Table:
    return Table(
        description,
        {
            "name": Text("naam"),
            "email": Text("e-mailadres", default=""),
        },
        none_when_absent=True,
        expected=N_('een tabel met name en email, bijvoorbeeld { name = "…", email = "…" }'),
    )


WORDING = Table(
    "één formulering; elk deel mag niet leeg zijn",
    {
        "template": Text(
            "de zin die auteur, school en stichting noemt: {auteur}, {school}, {stichting}"
        ),
        "personal_views": Text(
            "de standpunten zijn persoonlijk en staan los van die van de stichting"
        ),
        "third_parties": Text("de auteur is niet verantwoordelijk voor wat derden plaatsen"),
    },
    expected=N_("een tabel met template, personal_views en third_parties"),
)

ACCOUNT = Table(
    "een account van deze school",
    {
        "id": Text("unieke naam van het account in de configuratie"),
        "network": Text("het netwerk", choices=NETWORKS),
        "name": Text("naam zoals Postwijs die toont"),
        "kind": Text(
            "official: het account van de school; staff: het eigen account van een medewerker, zakelijk gebruikt",
            choices=ACCOUNT_KINDS,
        ),
        "instance": Text(
            "server van het account (Mastodon), bijvoorbeeld social.example", default=""
        ),
        "handle": Text("naam van het account op het netwerk, als die vastligt", default=""),
        "client_id": Text(
            "client-id van de app van de stichting bij het netwerk"
            " (X: Native App; YouTube: Google-app van het type Desktop-app)",
            default="",
        ),
        "privacy": Text(
            "YouTube: wie de video's ziet: public, unlisted (alleen met de link) of private",
            default="unlisted",
            choices=YOUTUBE_PRIVACY,
        ),
        "made_for_kids": Text(
            "YouTube: video's gemaakt voor kinderen (ja, tenzij de school iets anders besluit)",
            default="ja",
            choices=("ja", "nee"),
        ),
        "redirect_port": Text(
            "vaste poort van het terugkeeradres dat bij die app geregistreerd is (X), bijvoorbeeld 8765",
            default="",
        ),
        "monthly_budget": Amount(
            "X: wat de stichting per kalendermaand aan berichten op dit account wil uitgeven,"
            " in dollars (X rekent per bericht); een bericht dat het budget zou overschrijden"
            " wacht tot het budget omhoog gaat. Weggelaten: geen grens"
        ),
    },
    expected=N_("een account als [[schools.accounts]] met id, network, name en kind"),
)

SCHOOL = Table(
    "een school of peuterspeelzaal",
    {
        "id": Text("unieke naam van de school in de configuratie"),
        "name": Text("naam van de school, zoals in de disclaimer"),
        "foundation": Text("de stichting", choices=FOUNDATIONS),
        "type": Text("soort school", choices=SCHOOL_TYPES),
        "email_domains": TextList("e-maildomeinen van de school (herkennen van eigen adressen)"),
        "manager": _contact("leidinggevende, voor Voorleggen (Communiceren 15, 16)"),
        "consent_contact": _contact("wie het toestemmingsregister bijhoudt"),
        "consent_folder": Text(
            "gedeelde map waar de administratie de nieuwste export van het toestemmingsregister neerzet",
            default="",
        ),
        "free_days": TextList(
            'vrije dagen: een datum "2026-12-25" of een periode "2026-12-21..2027-01-01"',
            parse=parse_date_range,
            item_expected=N_('datums als "2026-12-25" of "2026-12-21..2027-01-01"'),
        ),
        "lesson_hours": Map(
            "lestijden (dagdelen) per weekdag (Communiceren 6)",
            keys=WEEKDAYS,
            placeholder="weekdag",
            value=TextList(
                'tijden als ["08:30-12:00", "13:00-15:15"]',
                parse=parse_time_range,
                expected=N_('tijden als ["08:30-12:00", "13:00-15:15"]'),
                item_expected=N_('tijden als ["08:30-12:00", "13:00-15:15"]'),
            ),
            expected=N_("een tabel per weekdag"),
        ),
        "accounts": TableList(
            "de accounts van de school, elk als [[schools.accounts]] na de [[schools]] waar ze bij horen",
            ACCOUNT,
            expected=N_("een lijst [[schools.accounts]]"),
        ),
    },
    expected=N_("een school als [[schools]] met id, name, foundation en type"),
)

AUTHOR = Table(
    "wie met Postwijs plaatst",
    {
        "id": Text("unieke naam van de auteur in de configuratie"),
        "name": Text("naam, zoals in de disclaimer"),
        "role": Text(
            "rol, bijvoorbeeld leerkracht, leidster of communicatie (bepaalt of lestijd geldt)"
        ),
        "email": Text("e-mailadres", default=""),
        "schools": TextList("ids van de scholen waarvoor de auteur plaatst (leeg: alle)"),
    },
    expected=N_("een auteur als [[authors]] met id, name en role"),
)

USER = Table(
    "persoonlijke instellingen; mag ook in het gebruikersbestand naast een systeembestand",
    {
        "author": Text("id van de auteur die deze gebruiker is", default=""),
        "language": Text("taal van Postwijs", default="", choices=LANGUAGES),
    },
    expected=N_("een tabel [user]"),
)

SITE = Table(
    "de siteconfiguratie",
    {
        "site": Table(
            "de site als geheel",
            {"name": Text("naam van de site", default="Postwijs")},
            expected=N_("een tabel [site]"),
        ),
        "consent": Table(
            "het toestemmingsregister",
            {
                "purposes": TextList(
                    "doelen waarvoor toestemming wordt gevraagd (Communiceren 10, Profileren 4)",
                    default=DEFAULT_PURPOSES,
                )
            },
            expected=N_("een tabel [consent]"),
        ),
        "linkedin": Table(
            "LinkedIn-pagina's",
            {
                "version": Text(
                    "maand van de LinkedIn-API (Linkedin-Version, JJJJMM); LinkedIn ondersteunt elke maand minstens een jaar",
                    default="202603",
                )
            },
            expected=N_("een tabel [linkedin]"),
        ),
        "facebook": Table(
            "Facebookpagina's (en Instagram: dezelfde Graph API)",
            {
                "graph_version": Text(
                    "versie van Meta's Graph API voor Facebook en Instagram (vNN.0); Meta ondersteunt elke versie ongeveer twee jaar",
                    default="v26.0",
                )
            },
            expected=N_("een tabel [facebook]"),
        ),
        "signalen": Table(
            "Signalen: vermeldingen van en reacties op de accounts (Profileren 2 en 3)",
            {
                "bewaren_dagen": WholeNumber(
                    "zoveel dagen blijven signalen bewaard; oudere worden verwijderd (AVG), ook"
                    " de kopie in de geschiedenis van een signaal dat met de leidinggevende is"
                    " besproken",
                    default=90,
                    minimum=1,
                    maximum=366,
                ),
                "interval_minuten": WholeNumber(
                    "om de zoveel minuten haalt Postwijs nieuwe signalen op, zolang het open is",
                    default=30,
                    minimum=5,
                    maximum=1440,
                ),
            },
            expected=N_("een tabel [signalen]"),
        ),
        "koppeldienst": Table(
            "de koppeldienst van de stichting voor Facebook, Instagram en LinkedIn (docs/it.md)",
            {"url": Text("adres van de koppeldienst (https)", default="")},
            expected=N_("een tabel [koppeldienst]"),
        ),
        "policy": Table(
            "wat de site toestaat",
            {
                "lesson_hours_exempt_roles": TextList(
                    "rollen die niet lesgeven en ook tijdens lestijd mogen plaatsen (Communiceren 6)"
                ),
                "override_reasons": TextList(
                    "kant-en-klare redenen om toch tijdens lestijd te plaatsen"
                ),
                "severity": Map(
                    "een regel strenger maken; de disclaimer- en toestemmingsregels blokkeren altijd",
                    keys=RULE_IDS,
                    placeholder="regel",
                    value=Text("ernst van de regel", choices=SEVERITIES),
                    expected=N_("een tabel [policy.severity]"),
                ),
            },
            expected=N_("een tabel [policy]"),
        ),
        "disclaimer": Map(
            "disclaimer per soort account (Communiceren 14, 19); weggelaten: de ingebouwde",
            keys=ACCOUNT_KINDS,
            placeholder="soort",
            value=Map(
                "een lange en een korte formulering",
                keys=LENGTHS,
                placeholder="lengte",
                value=WORDING,
                expected=N_(
                    "alleen long en short, elk met template, personal_views en third_parties"
                ),
            ),
            expected=N_("een tabel [disclaimer.official] en [disclaimer.staff]"),
        ),
        "authors": TableList(
            "de auteurs, elk als [[authors]]",
            AUTHOR,
            at_least_one=True,
            expected=N_("ten minste één auteur ([[authors]])"),
        ),
        "schools": TableList(
            "de scholen, elk als [[schools]]",
            SCHOOL,
            at_least_one=True,
            expected=N_(
                "ten minste één school ([[schools]]), met de accounts van elke school erna als [[schools.accounts]]"
            ),
        ),
        "user": USER,
    },
)

# Beside a system-wide file, the user's own file may only say who the user is.
USER_FILE = Table(
    "het gebruikersbestand naast een systeembestand",
    {"user": USER},
    unknown_key=N_("naast een systeembestand mag het gebruikersbestand alleen [user] bevatten"),
)


@dataclass(frozen=True)
class Row:
    key: str
    kind: str
    default: str
    description: str


def rows(node: Node = SITE, prefix: str = "") -> list[Row]:
    """One row per key, in declaration order; `[]` marks one table of a `[[list]]`."""
    found: list[Row] = []
    if isinstance(node, Table):
        for name, child in node.fields.items():
            key = f"{prefix}.{name}" if prefix else name
            found.append(_row(key, child))
            found += rows(child, key)
    elif isinstance(node, TableList):
        found += rows(node.item, prefix + "[]")
    elif isinstance(node, Map):
        key = f"{prefix}.<{node.placeholder}>"
        row = _row(key, node.value, f"{node.placeholder}: {', '.join(node.keys)}")
        found.append(Row(row.key, row.kind, "", row.description))  # an absent key is no rule
        found += rows(node.value, key)
    return found


def _row(key: str, node: Node, keys_note: str = "") -> Row:
    description = node.description + (f" ({keys_note})" if keys_note else "")
    return Row(key, _kind(node), _default(node), description)


def _kind(node: Node) -> str:
    if isinstance(node, Text):
        return "keuze: " + ", ".join(node.choices) if node.choices else "tekst"
    if isinstance(node, TextList):
        return "lijst van teksten"
    if isinstance(node, TableList):
        return "lijst van tabellen"
    if isinstance(node, Amount):
        return "bedrag"
    if isinstance(node, WholeNumber):
        return f"heel getal, {node.minimum}–{node.maximum}"
    return "tabel"


def _default(node: Node) -> str:
    """What holds when the key is absent, as Markdown: a literal value in backticks."""
    if isinstance(node, Text):
        return "verplicht" if node.default is None else _literal(node.default)
    if isinstance(node, TextList):
        return _literal(list(node.default))
    if isinstance(node, TableList):
        return "ten minste één" if node.at_least_one else "geen"
    if isinstance(node, Table) and node.none_when_absent:
        return "geen"
    if isinstance(node, Amount):
        return "geen grens"
    if isinstance(node, WholeNumber):
        return _literal(node.default)
    return ""


def _literal(value: object) -> str:
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def markdown_table() -> str:
    lines = ["| sleutel | soort | standaard | betekenis |", "| --- | --- | --- | --- |"]
    for row in rows():
        cells = (f"`{row.key}`", row.kind, row.default, row.description)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
