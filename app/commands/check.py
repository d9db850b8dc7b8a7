"""`python -m app check`: the rules engine for scripts and tests, one JSON object per line.

Input line: {"text": ..., "school": ..., "author": ..., "at": ISO time, "kind": "official"|"staff",
"accounts": [account ids]} or "networks": [network ids] instead of accounts. Missing fields take
the site's defaults (first school of the author, the user's author, now, the school's accounts).
Output line: the exact final text per target with its counted length, limit and disclaimer
wording, and the findings with spans as code-point offsets into the input text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from app.compose.post import Draft
from app.i18n import _
from app.networks.profiles import PROFILES, label
from app.site.config import Account, Site

SCHOOL_ZONE = ZoneInfo("Europe/Amsterdam")


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
    return moment if moment.tzinfo else moment.replace(tzinfo=SCHOOL_ZONE)


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


def answer(request: Any, site: Site, people: list) -> dict:
    from app.rules.model import CheckContext
    from app.rules.registry import check

    draft, site, at = prepare(request, site)
    report = check(draft, CheckContext(site=site, at=at, people=people))
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


def run_jsonl(source: TextIO, out: TextIO, site: Site, people: list) -> bool:
    """Answers every line in order; returns whether any line blocked or was wrong."""
    trouble = False
    for number, line in enumerate(source, start=1):
        try:
            request = json.loads(line)
        except ValueError as error:
            result: dict = {
                "line": number,
                "error": _("geen geldige JSON: {reason}").format(reason=error),
            }
            trouble = True
        else:
            try:
                result = {"line": number, **answer(request, site, people)}
                trouble = trouble or result["blocks"]
            except LineError as error:
                result = {"line": number, "error": str(error)}
                trouble = True
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return trouble
