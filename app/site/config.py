"""The site configuration: schools, accounts, authors, lesson hours, policy and disclaimer wording.

IT deploys one TOML file system-wide (see app.paths); a user-level file may add a `[user]` table
(who am I, which language). Where no system file exists, the user-level file is the whole site.
What a file may hold is declared in app.site.schema; this module reads, validates and builds.
With no file at all the built-in demo site is used, so a new user can try everything at once.
A file that exists but is wrong is never replaced by the demo: the error is reported instead.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from app import paths
from app.compose.disclaimer import DisclaimerWording, default_wordings, wording_problems
from app.i18n import _, ngettext
from app.site.lines import key_lines

# DEFAULT_PURPOSES: the consent import asks for it here.
from app.site.schema import DEFAULT_PURPOSES as DEFAULT_PURPOSES
from app.site.schema import SITE, USER_FILE, WEEKDAYS
from app.site.validate import Problem, problem, validate
from resources import resource_path

DEMO_SITE_FILE = resource_path("demo-site.toml")


@dataclass(frozen=True)
class Contact:
    name: str
    email: str = ""


@dataclass(frozen=True)
class Account:
    id: str
    school_id: str
    network: str
    name: str
    kind: (
        str  # "official": the school's account; "staff": a staff member's own, used professionally
    )
    instance: str = ""
    handle: str = ""
    # The foundation's public app at the network (X's Native App, YouTube's Google "Desktop app"):
    # its client id is no secret.
    client_id: str = ""
    redirect_port: str = ""  # X: the loopback port registered with that app
    privacy: str = "unlisted"  # YouTube: public, unlisted or private
    made_for_kids: bool = True  # YouTube: school videos are made for kids unless the site says
    # X: what the foundation spends on this account's posts per Dutch calendar month, in dollars
    # as X charges; None: no limit of the site's own.
    monthly_budget: Decimal | None = None


@dataclass(frozen=True)
class School:
    id: str
    name: str
    foundation: str
    type: str
    accounts: tuple[Account, ...] = ()
    lesson_hours: dict[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    free_days: tuple[tuple[date, date], ...] = ()
    email_domains: tuple[str, ...] = ()
    manager: Contact | None = None
    consent_contact: Contact | None = None
    consent_folder: str = ""  # a shared folder where the administration puts the latest export


@dataclass(frozen=True)
class Author:
    id: str
    name: str
    role: str
    school_ids: tuple[str, ...]
    email: str = ""


@dataclass(frozen=True)
class Policy:
    lesson_hours_exempt_roles: tuple[str, ...] = ()
    override_reasons: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    name: str
    schools: tuple[School, ...]
    authors: tuple[Author, ...]
    policy: Policy
    disclaimers: dict[str, dict[str, DisclaimerWording]]
    purposes: tuple[str, ...]
    source: Path | None  # None for the built-in demo site
    is_demo: bool = False
    user_author_id: str = ""
    user_language: str = ""
    linkedin_version: str = "202603"  # Linkedin-Version of every LinkedIn request
    graph_version: str = "v26.0"  # Meta's Graph API version of every Facebook request
    koppeldienst_url: str = ""  # the foundation's service holding Meta's and LinkedIn's secrets
    # Signalen: how many days signals are kept, and every how many minutes they are fetched.
    signals_keep_days: int = 90
    signals_interval_minutes: int = 30

    def school(self, school_id: str) -> School:
        for school in self.schools:
            if school.id == school_id:
                return school
        raise KeyError(school_id)

    def author(self, author_id: str) -> Author:
        for author in self.authors:
            if author.id == author_id:
                return author
        raise KeyError(author_id)

    def account(self, account_id: str) -> Account:
        for school in self.schools:
            for account in school.accounts:
                if account.id == account_id:
                    return account
        raise KeyError(account_id)

    def default_author(self) -> Author:
        if self.user_author_id:
            return self.author(self.user_author_id)
        return self.authors[0]

    def schools_of(self, author: Author) -> list[School]:
        return [s for s in self.schools if s.id in author.school_ids]


class SiteConfigError(Exception):
    """A site configuration that cannot be used; its message is Dutch and names file and key."""

    def __init__(self, path: Path | None, problems: list[Problem]):
        self.path = path
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        where = str(self.path) if self.path else _("ingebouwde demosite")
        lines = [
            ngettext(
                "De siteconfiguratie {file} bevat een fout:",
                "De siteconfiguratie {file} bevat {count} fouten:",
                len(self.problems),
            ).format(file=where, count=len(self.problems))
        ]
        for p in self.problems:
            at = _(" (regel {line})").format(line=p.line) if p.line else ""
            if p.key:
                lines.append(
                    _("- bij '{key}'{at}: {expected}").format(key=p.key, at=at, expected=p.expected)
                )
            else:
                lines.append(_("- {expected}{at}").format(expected=p.expected, at=at))
        lines.append(
            _(
                "Er wordt niets geplaatst tot dit is opgelost. Vraag de ICT-beheerder het bestand te herstellen."
            )
        )
        return "\n".join(lines)


def find_site_file(explicit: Path | None = None) -> Path | None:
    """The file that configures this laptop, or None for the demo site."""
    if explicit is not None:
        return explicit
    for candidate in (paths.system_site_file(), paths.user_site_file()):
        if candidate.exists():
            return candidate
    return None


def load_site(explicit: Path | None = None) -> Site:
    """Loads the site configuration; raises SiteConfigError with every problem found, and nothing
    else, whatever the file holds."""
    path = find_site_file(explicit)
    site = _load_site_file(path or DEMO_SITE_FILE, is_demo=path is None)
    user_file = paths.user_site_file()
    if explicit is None and path != user_file and user_file.exists():
        site = _load_user_file(site, user_file)
    return site


def _load_site_file(path: Path, is_demo: bool) -> Site:
    text, document = _read_toml(path)
    shaped, problems = validate(SITE, document)
    site = _build(shaped, path, is_demo, problems)
    site = _with_user(site, shaped["user"], problems)
    if problems:
        raise SiteConfigError(path, _with_lines(text, problems))
    return site


def _load_user_file(site: Site, path: Path) -> Site:
    """Beside a system-wide file, the user's file says only who the user is (`[user]`)."""
    text, document = _read_toml(path)
    shaped, problems = validate(USER_FILE, document)
    site = _with_user(site, shaped["user"], problems)
    if problems:
        raise SiteConfigError(path, _with_lines(text, problems))
    return site


def _with_user(site: Site, user: dict, problems: list[Problem]) -> Site:
    author_id = user["author"] or site.user_author_id
    if author_id and author_id not in {a.id for a in site.authors}:
        problems.append(problem(("user", "author"), _("een auteur-id uit de siteconfiguratie")))
    return replace(
        site, user_author_id=author_id, user_language=user["language"] or site.user_language
    )


def _read_toml(path: Path) -> tuple[str, dict]:
    """The file's text and its parsed content; a byte-order mark (Windows Notepad) is allowed."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise SiteConfigError(path, [Problem("", _("het bestand bestaat niet"))]) from None
    except UnicodeDecodeError:
        raise SiteConfigError(
            path,
            [
                Problem(
                    "", _("het bestand moet UTF-8 zijn (kies bij Opslaan als de codering UTF-8)")
                )
            ],
        ) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise SiteConfigError(
            path,
            [
                Problem(
                    "", _("het bestand kan niet worden gelezen ({reason})").format(reason=reason)
                )
            ],
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line = int(match.group(1)) if match else None
        expected = _("dit is geen geldige TOML (controleer aanhalingstekens, = en [kopjes])")
        raise SiteConfigError(path, [Problem("", expected, line)]) from None
    except RecursionError:  # tomllib follows nesting on the call stack
        expected = _("lijsten of tabellen zijn te diep in elkaar genest")
        raise SiteConfigError(path, [Problem("", expected)]) from None


def _with_lines(text: str, problems: list[Problem]) -> list[Problem]:
    """Each problem with the line of its key, or of the nearest table around it that the file has
    (a missing key is reported at its table), in the order of the file."""
    lines = key_lines(text)
    located = []
    for p in problems:
        path = p.path
        while p.line is None and path and path not in lines:
            path = path[:-1]
        located.append(p if p.line is not None or not path else replace(p, line=lines[path]))
    return sorted(located, key=lambda p: (p.line is None, p.line or 0))


def _build(shaped: dict, path: Path, is_demo: bool, problems: list[Problem]) -> Site:
    """The Site from a validated document; adds the problems that span several keys."""
    schools = tuple(_school(raw) for raw in shaped["schools"])
    _no_duplicates(
        [(("schools", i, "id"), s.id) for i, s in enumerate(schools)],
        _("school-id '{id}' komt twee keer voor"),
        problems,
    )
    _no_duplicates(
        [
            (("schools", i, "accounts", j, "id"), a.id)
            for i, s in enumerate(schools)
            for j, a in enumerate(s.accounts)
        ],
        _("account-id '{id}' komt twee keer voor"),
        problems,
    )
    school_ids = tuple(s.id for s in schools)
    authors = []
    for i, raw in enumerate(shaped["authors"]):
        for sid in raw["schools"]:
            if sid not in school_ids:
                problems.append(
                    problem(("authors", i, "schools"), _("onbekende school '{id}'").format(id=sid))
                )
        authors.append(
            Author(
                id=raw["id"],
                name=raw["name"],
                role=raw["role"],
                school_ids=raw["schools"] or school_ids,
                email=raw["email"],
            )
        )
    _no_duplicates(
        [(("authors", i, "id"), a.id) for i, a in enumerate(authors)],
        _("auteur-id '{id}' komt twee keer voor"),
        problems,
    )
    policy = shaped["policy"]
    linkedin_version = shaped["linkedin"]["version"]
    if not re.fullmatch(r"20\d\d(0[1-9]|1[0-2])", linkedin_version):
        problems.append(
            problem(("linkedin", "version"), _("een maand als JJJJMM, bijvoorbeeld 202603"))
        )
    graph_version = shaped["facebook"]["graph_version"].strip()
    if not re.fullmatch(r"v\d{1,3}\.0", graph_version):
        problems.append(
            problem(("facebook", "graph_version"), _("een versie als vNN.0, bijvoorbeeld v26.0"))
        )
    koppeldienst_url = shaped["koppeldienst"]["url"].strip().rstrip("/")
    if koppeldienst_url and not _service_address(koppeldienst_url):
        problems.append(
            problem(
                ("koppeldienst", "url"),
                _("een https-adres, bijvoorbeeld https://koppeldienst.scoh.nl"),
            )
        )
    return Site(
        name=shaped["site"]["name"],
        schools=schools,
        authors=tuple(authors),
        policy=Policy(
            lesson_hours_exempt_roles=policy["lesson_hours_exempt_roles"],
            override_reasons=policy["override_reasons"],
            severity=dict(policy["severity"]),
        ),
        disclaimers=_disclaimers(shaped["disclaimer"], problems),
        purposes=shaped["consent"]["purposes"],
        source=None if is_demo else path,
        is_demo=is_demo,
        linkedin_version=linkedin_version,
        graph_version=graph_version,
        koppeldienst_url=koppeldienst_url,
        signals_keep_days=shaped["signalen"]["bewaren_dagen"],
        signals_interval_minutes=shaped["signalen"]["interval_minuten"],
    )


def _service_address(url: str) -> bool:
    """https, or http on this computer only (a service under test or behind a local proxy)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return bool(parts.hostname)
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")


def _no_duplicates(ids: list[tuple[tuple, str]], message: str, problems: list[Problem]) -> None:
    seen = set()
    for where, value in ids:
        if value and value in seen:
            problems.append(problem(where, message.format(id=value)))
        seen.add(value)


def _school(raw: dict) -> School:
    return School(
        id=raw["id"],
        name=raw["name"],
        foundation=raw["foundation"],
        type=raw["type"],
        accounts=tuple(
            Account(
                id=a["id"],
                school_id=raw["id"],
                network=a["network"],
                name=a["name"],
                kind=a["kind"],
                instance=a["instance"],
                handle=a["handle"],
                client_id=a["client_id"],
                privacy=a["privacy"],
                made_for_kids=a["made_for_kids"] != "nee",
                redirect_port=a["redirect_port"],
                monthly_budget=a["monthly_budget"],
            )
            for a in raw["accounts"]
        ),
        lesson_hours={WEEKDAYS.index(day): periods for day, periods in raw["lesson_hours"].items()},
        free_days=raw["free_days"],
        email_domains=tuple(d.lower() for d in raw["email_domains"]),
        manager=_contact(raw["manager"]),
        consent_contact=_contact(raw["consent_contact"]),
        consent_folder=raw["consent_folder"],
    )


def _contact(raw: dict | None) -> Contact | None:
    return None if raw is None else Contact(name=raw["name"], email=raw["email"])


def _disclaimers(shaped: dict, problems: list[Problem]) -> dict[str, dict[str, DisclaimerWording]]:
    wordings = default_wordings()
    for kind, lengths in shaped.items():
        for length, entry in lengths.items():
            wording = DisclaimerWording(**entry)
            for field_name, expected in wording_problems(wording):
                problems.append(problem(("disclaimer", kind, length, field_name), expected))
            wordings[kind][length] = wording
    return wordings
