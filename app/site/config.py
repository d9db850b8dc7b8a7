"""The site configuration: schools, accounts, authors, lesson hours, policy and disclaimer wording.

IT deploys one TOML file system-wide (see app.paths); a user-level file may add a `[user]` table
(who am I, which language). Where no system file exists, the user-level file is the whole site.
With no file at all the built-in demo site is used, so a new user can try everything at once.
A file that exists but is wrong is never replaced by the demo: the error is reported instead.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path

from app import paths
from app.compose.disclaimer import DisclaimerWording, default_wordings, wording_problems
from app.i18n import _
from app.rules.ids import RULE_IDS
from resources import resource_path

FOUNDATIONS = ("SCOH", "SPCP")
SCHOOL_TYPES = ("basisschool", "peuterspeelzaal", "speciaal onderwijs", "overig")
ACCOUNT_KINDS = ("official", "staff")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_PURPOSES = ("sociale media", "website", "nieuwsbrief", "schoolgids")
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


@dataclass(frozen=True)
class Problem:
    key: str
    expected: str
    line: int | None = None


class SiteConfigError(Exception):
    """A site configuration that cannot be used; its message is Dutch and names file and key."""

    def __init__(self, path: Path | None, problems: list[Problem]):
        self.path = path
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        where = str(self.path) if self.path else _("ingebouwde demosite")
        lines = [_("De siteconfiguratie {file} bevat een fout:").format(file=where)]
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
    """Loads the site configuration; raises SiteConfigError with every problem found."""
    path = find_site_file(explicit)
    site = _parse_file(path or DEMO_SITE_FILE, is_demo=path is None)
    user_file = paths.user_site_file()
    if explicit is None and path != user_file and user_file.exists():
        site = _with_user_table(site, _read_toml(user_file), user_file)
    return site


def _with_user_table(site: Site, raw: dict, path: Path) -> Site:
    """Applies the `[user]` table (who am I, which language), the part a user may set."""
    user = raw.get("user", {})
    problems: list[Problem] = []
    author_id = _opt_str(user, "author", "user.author", problems) or site.user_author_id
    language = _opt_str(user, "language", "user.language", problems) or site.user_language
    if author_id and author_id not in {a.id for a in site.authors}:
        problems.append(Problem("user.author", _("een auteur-id uit de siteconfiguratie")))
    if language and language not in ("nl", "en"):
        problems.append(Problem("user.language", _('"nl" of "en"')))
    if problems:
        raise SiteConfigError(path, _with_lines(path, problems))
    return replace(site, user_author_id=author_id, user_language=language)


def _read_toml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteConfigError(path, [Problem("", _("het bestand bestaat niet"))]) from None
    except UnicodeDecodeError:
        raise SiteConfigError(path, [Problem("", _("het bestand moet UTF-8 zijn"))]) from None
    except OSError as error:
        raise SiteConfigError(
            path,
            [
                Problem(
                    "",
                    _("het bestand kan niet worden gelezen ({reason})").format(
                        reason=error.strerror
                    ),
                )
            ],
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line = int(match.group(1)) if match else None
        return _raise_syntax(path, line)


def _raise_syntax(path: Path, line: int | None):
    raise SiteConfigError(
        path,
        [
            Problem(
                "", _("dit is geen geldige TOML (controleer aanhalingstekens, = en [kopjes])"), line
            )
        ],
    )


def _parse_file(path: Path, is_demo: bool) -> Site:
    raw = _read_toml(path)
    problems: list[Problem] = []
    site = _parse(raw, path, is_demo, problems)
    if problems or site is None:
        raise SiteConfigError(path, _with_lines(path, problems))
    return _with_user_table(site, raw, path)


def _with_lines(path: Path, problems: list[Problem]) -> list[Problem]:
    """Adds the line of the offending key where it can be found in the file."""
    try:
        text_lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return problems
    located = []
    for p in problems:
        line = p.line
        if line is None and p.key:
            leaf = re.sub(r"\[\d+\]", "", p.key.rsplit(".", 1)[-1])
            pattern = re.compile(rf"^\s*\"?{re.escape(leaf)}\"?\s*=")
            hits = [i + 1 for i, text in enumerate(text_lines) if pattern.search(text)]
            if len(hits) >= 1:
                line = hits[_index_hint(p.key, len(hits))]
        located.append(Problem(p.key, p.expected, line))
    return located


def _index_hint(key: str, hits: int) -> int:
    match = re.search(r"\[(\d+)\][^\[]*$", key)
    index = int(match.group(1)) if match else 0
    return min(index, hits - 1)


def _opt_str(table: dict, name: str, key: str, problems: list[Problem], default: str = "") -> str:
    value = table.get(name, default)
    if not isinstance(value, str):
        problems.append(Problem(key, _("een tekst tussen aanhalingstekens")))
        return default
    return value.strip()


def _req_str(table: dict, name: str, key: str, problems: list[Problem]) -> str:
    if name not in table:
        problems.append(Problem(key, _("dit veld ontbreekt")))
        return ""
    value = _opt_str(table, name, key, problems)
    if not value and isinstance(table.get(name), str):
        problems.append(Problem(key, _("mag niet leeg zijn")))
    return value


def _str_list(table: dict, name: str, key: str, problems: list[Problem], default=()) -> tuple:
    value = table.get(name, list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(key, _('een lijst van teksten, bijvoorbeeld ["a", "b"]')))
        return tuple(default)
    return tuple(v.strip() for v in value)


def _choice(table: dict, name: str, key: str, options: tuple, problems: list[Problem]) -> str:
    value = _req_str(table, name, key, problems)
    if value and value not in options:
        problems.append(Problem(key, _("een van: {options}").format(options=", ".join(options))))
    return value


def _contact(table: dict, name: str, key: str, problems: list[Problem]) -> Contact | None:
    value = table.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(
            Problem(
                key, _('een tabel met name en email, bijvoorbeeld {{ name = "…", email = "…" }}')
            )
        )
        return None
    return Contact(
        name=_req_str(value, "name", f"{key}.name", problems),
        email=_opt_str(value, "email", f"{key}.email", problems),
    )


def _parse_time_range(text: str) -> tuple[time, time] | None:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return None
    start, end = time(h1, m1), time(h2, m2)
    return (start, end) if start < end else None


def _parse_date_range(text: str) -> tuple[date, date] | None:
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


def _parse_school(raw: dict, index: int, problems: list[Problem]) -> School:
    key = f"schools[{index}]"
    school_id = _req_str(raw, "id", f"{key}.id", problems)
    lesson_hours: dict[int, tuple[tuple[time, time], ...]] = {}
    hours_raw = raw.get("lesson_hours", {})
    if not isinstance(hours_raw, dict):
        problems.append(Problem(f"{key}.lesson_hours", _("een tabel per weekdag")))
        hours_raw = {}
    for day, ranges in hours_raw.items():
        if day not in WEEKDAYS:
            problems.append(
                Problem(
                    f"{key}.lesson_hours.{day}",
                    _("een weekdag: {days}").format(days=", ".join(WEEKDAYS)),
                )
            )
            continue
        parsed = []
        for text in ranges if isinstance(ranges, list) else [None]:
            period = _parse_time_range(text) if isinstance(text, str) else None
            if period is None:
                problems.append(
                    Problem(
                        f"{key}.lesson_hours.{day}", _('tijden als ["08:30-12:00", "13:00-15:15"]')
                    )
                )
                break
            parsed.append(period)
        lesson_hours[WEEKDAYS.index(day)] = tuple(parsed)
    free_days = []
    for text in _str_list(raw, "free_days", f"{key}.free_days", problems):
        period = _parse_date_range(text)
        if period is None:
            problems.append(
                Problem(
                    f"{key}.free_days", _('datums als "2026-12-25" of "2026-12-21..2027-01-01"')
                )
            )
            continue
        free_days.append(period)
    accounts = []
    accounts_raw = raw.get("accounts", [])
    if not isinstance(accounts_raw, list):
        problems.append(Problem(f"{key}.accounts", _("een lijst [[schools.accounts]]")))
        accounts_raw = []
    for j, acc in enumerate(accounts_raw):
        akey = f"{key}.accounts[{j}]"
        accounts.append(
            Account(
                id=_req_str(acc, "id", f"{akey}.id", problems),
                school_id=school_id,
                network=_req_str(acc, "network", f"{akey}.network", problems),
                name=_req_str(acc, "name", f"{akey}.name", problems),
                kind=_choice(acc, "kind", f"{akey}.kind", ACCOUNT_KINDS, problems),
                instance=_opt_str(acc, "instance", f"{akey}.instance", problems),
                handle=_opt_str(acc, "handle", f"{akey}.handle", problems),
            )
        )
    return School(
        id=school_id,
        name=_req_str(raw, "name", f"{key}.name", problems),
        foundation=_choice(raw, "foundation", f"{key}.foundation", FOUNDATIONS, problems),
        type=_choice(raw, "type", f"{key}.type", SCHOOL_TYPES, problems),
        accounts=tuple(accounts),
        lesson_hours=lesson_hours,
        free_days=tuple(free_days),
        email_domains=tuple(
            d.lower() for d in _str_list(raw, "email_domains", f"{key}.email_domains", problems)
        ),
        manager=_contact(raw, "manager", f"{key}.manager", problems),
        consent_contact=_contact(raw, "consent_contact", f"{key}.consent_contact", problems),
        consent_folder=_opt_str(raw, "consent_folder", f"{key}.consent_folder", problems),
    )


def _parse_disclaimers(
    raw: dict, problems: list[Problem]
) -> dict[str, dict[str, DisclaimerWording]]:
    wordings = default_wordings()
    table = raw.get("disclaimer", {})
    if not isinstance(table, dict):
        problems.append(
            Problem("disclaimer", _("een tabel [disclaimer.official] en [disclaimer.staff]"))
        )
        return wordings
    for kind, lengths in table.items():
        if kind not in ACCOUNT_KINDS or not isinstance(lengths, dict):
            problems.append(
                Problem(
                    f"disclaimer.{kind}", _("alleen [disclaimer.official] en [disclaimer.staff]")
                )
            )
            continue
        for length, entry in lengths.items():
            key = f"disclaimer.{kind}.{length}"
            if length not in ("long", "short") or not isinstance(entry, dict):
                problems.append(
                    Problem(
                        key,
                        _(
                            "alleen long en short, elk met template, personal_views en third_parties"
                        ),
                    )
                )
                continue
            wording = DisclaimerWording(
                template=_req_str(entry, "template", f"{key}.template", problems),
                personal_views=_req_str(entry, "personal_views", f"{key}.personal_views", problems),
                third_parties=_req_str(entry, "third_parties", f"{key}.third_parties", problems),
            )
            for field_name, expected in wording_problems(wording):
                problems.append(Problem(f"{key}.{field_name}", expected))
            wordings[kind][length] = wording
    return wordings


def _parse(raw: dict, path: Path, is_demo: bool, problems: list[Problem]) -> Site | None:
    site_table = raw.get("site", {})
    schools_raw = raw.get("schools", [])
    if not isinstance(schools_raw, list) or not schools_raw:
        problems.append(Problem("schools", _("ten minste één school ([[schools]])")))
        schools_raw = []
    schools = tuple(
        _parse_school(s, i, problems) for i, s in enumerate(schools_raw) if isinstance(s, dict)
    )
    school_ids = [s.id for s in schools]
    for duplicate in {i for i in school_ids if school_ids.count(i) > 1}:
        problems.append(
            Problem("schools.id", _("school-id '{id}' komt twee keer voor").format(id=duplicate))
        )
    account_ids = [a.id for s in schools for a in s.accounts]
    for duplicate in {i for i in account_ids if account_ids.count(i) > 1}:
        problems.append(
            Problem("accounts.id", _("account-id '{id}' komt twee keer voor").format(id=duplicate))
        )

    authors = []
    authors_raw = raw.get("authors", [])
    if not isinstance(authors_raw, list) or not authors_raw:
        problems.append(Problem("authors", _("ten minste één auteur ([[authors]])")))
        authors_raw = []
    for i, a in enumerate(authors_raw):
        key = f"authors[{i}]"
        author_schools = _str_list(a, "schools", f"{key}.schools", problems)
        for sid in author_schools:
            if sid not in school_ids:
                problems.append(
                    Problem(f"{key}.schools", _("onbekende school '{id}'").format(id=sid))
                )
        authors.append(
            Author(
                id=_req_str(a, "id", f"{key}.id", problems),
                name=_req_str(a, "name", f"{key}.name", problems),
                role=_req_str(a, "role", f"{key}.role", problems),
                school_ids=author_schools or tuple(school_ids),
                email=_opt_str(a, "email", f"{key}.email", problems),
            )
        )

    policy_raw = raw.get("policy", {})
    severity = policy_raw.get("severity", {})
    if not isinstance(severity, dict) or not all(
        v in ("block", "warn", "info") for v in severity.values()
    ):
        problems.append(Problem("policy.severity", _('per regel "block", "warn" of "info"')))
        severity = {}
    for rule_id in severity:
        if rule_id not in RULE_IDS:
            problems.append(
                Problem(
                    f"policy.severity.{rule_id}",
                    _("een regel uit: {ids}").format(ids=", ".join(RULE_IDS)),
                )
            )
    policy = Policy(
        lesson_hours_exempt_roles=_str_list(
            policy_raw, "lesson_hours_exempt_roles", "policy.lesson_hours_exempt_roles", problems
        ),
        override_reasons=_str_list(
            policy_raw, "override_reasons", "policy.override_reasons", problems
        ),
        severity=dict(severity),
    )
    purposes = _str_list(
        raw.get("consent", {}), "purposes", "consent.purposes", problems, DEFAULT_PURPOSES
    )
    disclaimers = _parse_disclaimers(raw, problems)
    if problems:
        return None
    return Site(
        name=_opt_str(site_table, "name", "site.name", problems, "Postwijs"),
        schools=schools,
        authors=tuple(authors),
        policy=policy,
        disclaimers=disclaimers,
        purposes=purposes,
        source=None if is_demo else path,
        is_demo=is_demo,
    )
