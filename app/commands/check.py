"""`python -m app check`: the rules engine for scripts and tests, one JSON object per line.

Input line: {"text": ..., "school": ..., "author": ..., "at": ISO time, "kind": "official"|"staff",
"accounts": [account ids]} or "networks": [network ids] instead of accounts. Missing fields take
the site's defaults (first school of the author, the user's author, now, the school's accounts).
Output line: the exact final text per target with its counted length, limit and disclaimer
wording, and the findings with spans as code-point offsets into the input text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from app.commands.common import (
    EXIT_FINDING,
    EXIT_OK,
    EXIT_USAGE,
    Options,
    add_common_options,
    emit,
    load_site_or_report,
    open_store_or_report,
    required_path,
)
from app.compose.post import Draft
from app.file_words import unreadable_words
from app.i18n import _
from app.networks.profiles import PROFILES, label
from app.rules.model import RegisterPerson
from app.site.config import Account, Site

SCHOOL_ZONE = ZoneInfo("Europe/Amsterdam")
# The moments a check can be asked about: wide enough for any post, with room for the rules to
# look ahead (the next allowed moment) without leaving the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 9000


def add_commands(check_cmd) -> None:
    """Fills in `check`, the parser app.commands.cli made for it."""
    check_cmd.description = _(
        "Toetst een bericht aan de gedragsregels, zoals de schrijfpagina dat doet: met de"
        " personen uit het toestemmingsregister in --data-dir (namen en accounts van"
        " leerlingen), en met de geschorste accounts en de tekstlimieten van de servers"
        " die daar bewaard zijn."
    )
    add_common_options(check_cmd)
    check_cmd.add_argument(
        "--jsonl", action="store_true", help=_("lees en schrijf één JSON-object per regel")
    )
    check_cmd.add_argument(
        "file", nargs="?", type=required_path, help=_("invoerbestand (standaard: standaardinvoer)")
    )
    check_cmd.set_defaults(run=cmd_check)


def cmd_check(options: Options) -> int:
    site = load_site_or_report(options)
    if site is None:
        return EXIT_USAGE
    stored = _stored(options, site)
    if stored is None:
        return EXIT_USAGE
    path = options.extra.get("file")
    try:
        source = path.open("rb") if path else sys.stdin.buffer
    except OSError as error:
        print(unreadable_words(error, str(path)))
        return EXIT_USAGE
    with source:
        if options.extra.get("jsonl"):
            trouble = run_jsonl(source, sys.stdout, site, stored)
            return EXIT_FINDING if trouble else EXIT_OK
        data = source.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        print(_("De invoer is geen UTF-8-tekst. Sla het bestand op als UTF-8 en probeer opnieuw."))
        return EXIT_USAGE
    try:
        result = answer({"text": text}, site, stored)
    except LineError as error:
        print(error)
        return EXIT_USAGE
    if options.json:
        emit(options, result, "")
    else:
        for target in result["targets"]:
            print(
                f"== {target['account']} ({target['network']}): {target['length']}/{target['limit']}"
            )
            print(target["final_text"])
        for finding in result["findings"]:
            print(
                f"[{finding['severity']}] {finding['message']} ({', '.join(finding['articles'])})"
            )
        if not result["findings"]:
            print(_("Niets gevonden."))
    return EXIT_FINDING if result["blocks"] else EXIT_OK


@dataclass(frozen=True)
class Stored:
    """What the composer reads from the data folder besides the text: the register's people (names,
    pupils' handles), the suspended accounts and the text limits the accounts' servers announced."""

    people: list[RegisterPerson] = field(default_factory=list)
    suspended: frozenset[str] = frozenset()
    text_limits: dict[str, int] = field(default_factory=dict)


def _stored(options: Options, site: Site) -> Stored | None:
    """Read with the same functions as the composer and the scheduler use."""
    from app.accounts.suspensions import suspended_ids
    from app.consent.register import people_for_rules
    from app.networks.account_limits import text_limits

    store = open_store_or_report(options)
    if store is None:
        return None
    try:
        return Stored(
            people_for_rules(store, site), frozenset(suspended_ids(store)), text_limits(store)
        )
    finally:
        store.close()


class LineError(Exception):
    """What is wrong with one input line, in Dutch."""


def _moment(value: Any) -> datetime:
    if value is None:
        return datetime.now(UTC)
    if not isinstance(value, str):
        raise LineError(_('"at" moet een ISO-tijd zijn, bijvoorbeeld "2026-11-23T10:15:00+01:00"'))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise LineError(_('"at" is geen geldige ISO-tijd: {value}').format(value=value)) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=SCHOOL_ZONE)
    try:
        # Every rule reads the moment in school time and in UTC; the extremes of the calendar
        # (year 1 or 9999 with an offset) cannot be written in both.
        in_school_time = moment.astimezone(SCHOOL_ZONE)
        moment.astimezone(UTC)
    except OverflowError:
        in_school_time = None
    if in_school_time is None or not FIRST_YEAR <= in_school_time.year <= LAST_YEAR:
        raise LineError(
            _('"at" ligt buiten de jaren {first} tot en met {last}: {value}').format(
                first=FIRST_YEAR, last=LAST_YEAR, value=value
            )
        )
    return moment


def _strings(request: dict, key: str) -> list[str] | None:
    value = request.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LineError(_('"{key}" moet een lijst van teksten zijn').format(key=key))
    return value


def prepare(request: Any, site: Site) -> tuple[Draft, Site, datetime]:
    """The draft the line describes, and the site extended with any per-network stand-in accounts."""
    if not isinstance(request, dict):
        raise LineError(_("elke regel moet een JSON-object zijn"))
    text = request.get("text", "")
    if not isinstance(text, str):
        raise LineError(_('"text" moet een tekst zijn'))
    try:
        author = site.author(request["author"]) if "author" in request else site.default_author()
    except KeyError:
        raise LineError(_("onbekende auteur: {id}").format(id=request["author"])) from None
    school_id = request.get("school") or (author.school_ids[0] if author.school_ids else "")
    try:
        school = site.school(school_id)
    except KeyError:
        raise LineError(_("onbekende school: {id}").format(id=school_id)) from None
    accounts = _strings(request, "accounts")
    networks = _strings(request, "networks")
    kind = request.get("kind", "official")
    if kind not in ("official", "staff"):
        raise LineError(_('"kind" moet "official" of "staff" zijn'))
    if networks is not None:
        unknown = [n for n in networks if n not in PROFILES]
        if unknown:
            raise LineError(
                _("onbekend netwerk: {names}; bekend zijn: {known}").format(
                    names=", ".join(unknown), known=", ".join(PROFILES)
                )
            )
        stand_ins = tuple(
            Account(id=f"{school.id}:{n}", school_id=school.id, network=n, name=label(n), kind=kind)
            for n in networks
        )
        school = replace(school, accounts=school.accounts + stand_ins)
        site = replace(
            site, schools=tuple(school if s.id == school.id else s for s in site.schools)
        )
        accounts = [a.id for a in stand_ins]
    elif accounts is None:
        accounts = [a.id for a in school.accounts]
    own = {a.id for a in school.accounts}
    unknown = [a for a in accounts if a not in own]
    if unknown:
        raise LineError(
            _("onbekend account voor {school}: {ids}").format(
                school=school.id, ids=", ".join(unknown)
            )
        )
    draft = Draft(text=text, school_id=school.id, author_id=author.id, account_ids=list(accounts))
    return draft, site, _moment(request.get("at"))


def answer(request: Any, site: Site, stored: Stored) -> dict:
    from app.compose.variants import build_variants
    from app.rules.model import CheckContext
    from app.rules.registry import check

    draft, site, at = prepare(request, site)
    context = CheckContext(
        site=site, at=at, people=stored.people, suspended_accounts=stored.suspended
    )
    report = check(draft, context, build_variants(draft, site, stored.text_limits))
    return {
        "blocks": report.blocks,
        "targets": [
            {
                "account": v.account_id,
                "network": v.network,
                "final_text": v.final_text,
                "length": v.length,
                "limit": v.limit,
                "fits": v.fits,
                "disclaimer": v.disclaimer_length,
            }
            for v in report.variants
        ],
        "findings": [
            {
                "rule": f.rule,
                "articles": list(f.articles),
                "severity": f.severity,
                "span": list(f.span) if f.span else None,
                "account": f.account_id,
                "network": f.network,
                "message": f.message,
            }
            for f in report.findings
        ],
    }


def run_jsonl(
    source: Iterable[bytes],
    out: TextIO,
    site: Site,
    stored: Stored,
) -> bool:
    """Answers every line in order, each on its own; returns whether any line blocked or was
    wrong. Lines are bytes, so that one line that is not UTF-8 cannot stop the others."""
    trouble = False
    for number, line in enumerate(source, start=1):
        try:
            result = {"line": number, **answer(_request(line), site, stored)}
            trouble = trouble or result["blocks"]
        except LineError as error:
            result = {"line": number, "error": str(error)}
            trouble = True
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return trouble


def _request(line: bytes) -> Any:
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LineError(
            _("geen geldige UTF-8 bij teken {position}; sla het bestand op als UTF-8").format(
                position=error.start + 1
            )
        ) from None
    try:
        return json.loads(text)
    except RecursionError:
        raise LineError(
            _("de JSON is te diep genest; geef één object met tekst, school en moment")
        ) from None
    except ValueError as error:
        raise LineError(_("geen geldige JSON: {reason}").format(reason=error)) from None
