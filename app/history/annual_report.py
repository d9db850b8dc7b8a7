"""The annual report for the IBT (Uitgangspunten 9): a school year of social-media history.

Built from the history events alone (not the outbox), so that what the report says is covered by
the chain check printed with it. Practice posts are counted on one line, not listed.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.csv_export import write_table
from app.dutch_time import short_moment
from app.history.chain import Event, Verification
from app.i18n import _
from app.lesson_time import SCHOOL_TIMEZONE
from app.school_year import school_year_of


@dataclass
class AnnualReport:
    school_year: str
    school_id: str  # "" for all schools
    generated_at: str
    chains: list[tuple[str, Verification]]  # (source: this laptop or a bundle, result)
    posts: Counter = field(default_factory=Counter)  # (school, account, network, "2026-09") -> n
    practice_posts: int = 0
    acknowledgements: list[dict] = field(default_factory=list)
    consent_evidence: list[dict] = field(default_factory=list)
    retractions: list[dict] = field(default_factory=list)
    suspensions: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)
    # Signalen put before the manager (Profileren 3: answered in real life) and the decisions.
    signals: list[dict] = field(default_factory=list)
    # The yearly sweep of the accounts: the latest sweep per account of the school year, and the
    # posts it found with what was done about each.
    sweeps: list[dict] = field(default_factory=list)
    sweep_posts: list[dict] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return all(result.intact for _source, result in self.chains)


def _local(at: str) -> datetime:
    return datetime.fromisoformat(at).astimezone(SCHOOL_TIMEZONE)


def _shown(values: dict, key: str, default: object = "") -> object:
    """An event's value as the report shows it: events from a bundle come from another laptop and
    may hold anything JSON can; what is not text, a truth value or nothing is shown as its JSON.
    Converted where read, so that a year of events costs no copy of each."""
    value = values.get(key, default)
    if isinstance(value, str | bool) or value is None:
        return value
    return json.dumps(value, ensure_ascii=False)


def _texts(value: object) -> list[str]:
    if isinstance(value, list):
        return [item if isinstance(item, str) else json.dumps(item) for item in value]
    return [] if value is None else [str(value)]


def build(
    events: list[tuple[str, Event]],
    school_year: str,
    chains: list[tuple[str, Verification]],
    school_id: str = "",
) -> AnnualReport:
    """`events` are (source, event) pairs, so one report can merge several laptops."""
    report = AnnualReport(
        school_year, school_id, datetime.now(SCHOOL_TIMEZONE).isoformat(timespec="seconds"), chains
    )
    sweeps: dict[str, tuple[str, str, Event]] = {}  # account -> (at, source, latest sweep)
    handled: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for source, event in events:
        if event.kind in SWEEP_KINDS:
            # Counted in the school year swept, whenever the sweep ran (often after it).
            if _shown(event.data, "school_year") != school_year:
                continue
            if school_id and _shown(event.data, "school", None) not in (school_id, None):
                continue
            account = str(_shown(event.data, "account", ""))
            if event.kind == "sweep":
                if account not in sweeps or sweeps[account][0] <= event.at:
                    sweeps[account] = (event.at, source, event)
            else:
                handled_key = (account, str(_shown(event.data, "remote_id", "")))
                text_key = "note" if event.kind == "sweep_reviewed" else "reason"
                previous = handled.get(handled_key)
                if previous is None or previous[0] <= event.at:
                    handled[handled_key] = (
                        event.at,
                        _("nagekeken") if event.kind == "sweep_reviewed" else _("ingetrokken"),
                        str(_shown(event.details or {}, text_key, _("(gewist)"))),
                        str(_shown(event.data, "by", "")),
                    )
            continue
        if school_year_of(_local(event.at)) != school_year:
            continue
        data, details = event.data, event.details or {}
        if school_id and _shown(data, "school", None) not in (school_id, None):
            continue
        when = _local(event.at).strftime("%Y-%m-%d %H:%M")
        base = {
            "when": when,
            "source": source,
            "school": _shown(data, "school", ""),
            "account": _shown(data, "account", ""),
        }
        if event.kind == "published":
            if data.get("practice"):
                report.practice_posts += 1
            else:
                month = _local(event.at).strftime("%Y-%m")
                key = tuple(
                    str(_shown(data, name) or "") for name in ("school", "account", "network")
                )
                report.posts[(*key, month)] += 1
        elif event.kind == "warning_acknowledged":
            report.acknowledgements.append(
                {
                    **base,
                    "rule": _shown(data, "rule", ""),
                    "articles": ", ".join(_texts(data.get("articles"))),
                    "reason": _shown(details, "reason", _("(gewist)")),
                    "message": _shown(details, "message", _("(gewist)")),
                }
            )
        elif event.kind == "consent_evidence":
            report.consent_evidence.append(
                {
                    **base,
                    "job": _shown(data, "job", ""),
                    "consent": json.dumps(
                        (event.details or {}).get("consent", _("(gewist)")), ensure_ascii=False
                    ),
                }
            )
        elif event.kind in ("retracted", "retract_failed"):
            report.retractions.append(
                {
                    **base,
                    "network": _shown(data, "network", ""),
                    "result": _("ingetrokken") if event.kind == "retracted" else _("mislukt"),
                    "why": _shown(details, "why", _("(gewist)")),
                    "by": _shown(details, "by", ""),
                }
            )
        elif event.kind in ("account_suspended", "account_unsuspended"):
            report.suspensions.append(
                {
                    **base,
                    "action": _("geschorst")
                    if event.kind == "account_suspended"
                    else _("schorsing opgeheven"),
                    "reason": _shown(details, "reason", ""),
                    "by": _shown(details, "by", ""),
                }
            )
        elif event.kind == "publish_failed":
            if not data.get("practice"):
                report.failures.append(
                    {
                        **base,
                        "network": _shown(data, "network", ""),
                        "reason": _shown(data, "reason", ""),
                    }
                )
        elif event.kind in ("review_requested", "review_answered"):
            report.reviews.append(
                {
                    **base,
                    "step": _("voorgelegd") if event.kind == "review_requested" else _("antwoord"),
                    "approved": ""
                    if "approved" not in data
                    else (_("akkoord") if data["approved"] else _("niet akkoord")),
                }
            )
        elif event.kind in ("signal_discussion_requested", "signal_decided"):
            requested = event.kind == "signal_discussion_requested"
            report.signals.append(
                {
                    **base,
                    "articles": _shown(data, "articles", ""),
                    "step": _("voorgelegd aan {manager}").format(
                        manager=_shown(data, "manager", _("de leidinggevende"))
                    )
                    if requested
                    else _("besluit"),
                    # Gone once the signal's retention ended (or the author was erased).
                    "decision": ""
                    if requested
                    else _shown(details, "decision", _("(verlopen of gewist)")),
                    "by": _shown(details, "by", _("(verlopen of gewist)")),
                }
            )
    _add_sweeps(report, sweeps, handled)
    return report


SWEEP_KINDS = frozenset({"sweep", "sweep_reviewed", "sweep_retracted"})
SWEEP_CLASSES = ("unchanged", "edited", "deleted", "outside")


def sweep_class_label(klass: str) -> str:
    return {
        "unchanged": _("onveranderd"),
        "edited": _("aangepast op het netwerk"),
        "deleted": _("verwijderd op het netwerk"),
        "outside": _("buiten Postwijs geplaatst"),
    }.get(klass, klass)


def _add_sweeps(
    report: AnnualReport,
    sweeps: dict[str, tuple[str, str, Event]],
    handled: dict[tuple[str, str], tuple[str, str, str, str]],
) -> None:
    for account in sorted(sweeps):
        at, source, event = sweeps[account]
        counts = event.data.get("counts")
        counts = counts if isinstance(counts, dict) else {}
        report.sweeps.append(
            {
                "when": _local(at).strftime("%Y-%m-%d %H:%M"),
                "source": source,
                "school": _shown(event.data, "school", ""),
                "account": account,
                "network": _shown(event.data, "network", ""),
                "by": _shown(event.data, "by", ""),
                **{klass: counts.get(klass, 0) for klass in SWEEP_CLASSES},
            }
        )
        posts = (event.details or {}).get("posts")
        for post in posts if isinstance(posts, list) else []:  # erased details: counts only
            if not isinstance(post, dict):
                continue
            remote_id = str(_shown(post, "remote_id", ""))
            findings = post.get("findings")
            done = handled.get((account, remote_id))
            created = str(_shown(post, "created_at", ""))
            with contextlib.suppress(ValueError, TypeError):  # from another laptop: any text
                created = _local(created).strftime("%Y-%m-%d %H:%M")
            report.sweep_posts.append(
                {
                    "account": account,
                    "posted": created,
                    "class": sweep_class_label(str(_shown(post, "class", ""))),
                    "findings": "; ".join(
                        str(f.get("message", "")) for f in findings if isinstance(f, dict)
                    )
                    if isinstance(findings, list)
                    else "",
                    "link": str(_shown(post, "url", "")) or remote_id,
                    "handled": f"{done[1]}: {done[2]} ({done[3]})" if done else "",
                }
            )


def column_label(key: str) -> str:
    """A report column's name as the IBT reads it, in the CSV's header and the PDF's tables."""
    labels = {
        "when": _("moment"),
        "source": _("bron"),
        "school": _("school"),
        "account": _("account"),
        "rule": _("regel"),
        "articles": _("artikelen"),
        "reason": _("reden"),
        "message": _("melding"),
        "job": _("bericht"),
        "consent": _("toestemming"),
        "network": _("netwerk"),
        "result": _("uitkomst"),
        "why": _("waarom"),
        "by": _("door"),
        "action": _("wat"),
        "step": _("stap"),
        "approved": _("oordeel"),
        "decision": _("besluit"),
        "posted": _("geplaatst"),
        "class": _("soort"),
        "findings": _("bevindingen"),
        "link": _("link"),
        "handled": _("afgehandeld"),
    }
    if key in SWEEP_CLASSES:
        return sweep_class_label(key)
    return labels.get(key, key)


SECTIONS = (
    ("acknowledgements", "waarschuwingen.csv"),
    ("consent_evidence", "toestemmingen.csv"),
    ("retractions", "intrekkingen.csv"),
    ("suspensions", "schorsingen.csv"),
    ("failures", "mislukt.csv"),
    ("reviews", "voorleggen.csv"),
    ("signals", "signalen.csv"),
    ("sweeps", "jaarcontrole-accounts.csv"),
    ("sweep_posts", "jaarcontrole-berichten.csv"),
)


def write_csv(report: AnnualReport, out_dir: Path) -> list[Path]:
    """One CSV per part (see app.csv_export for the form and why cells are neutralised)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    posts = [
        [school, account, network, month, n]
        for (school, account, network, month), n in sorted(report.posts.items())
    ]
    posts.append(
        ["", _("oefenberichten (niet echt geplaatst)"), "practice", "", report.practice_posts]
    )
    written = [
        write_table(
            out_dir / "berichten-per-maand.csv",
            ["school", "account", "netwerk", "maand", "aantal"],
            posts,
        )
    ]
    for attribute, name in SECTIONS:
        rows = getattr(report, attribute)
        fields = list(rows[0]) if rows else ["when", "source", "school", "account"]
        written.append(
            write_table(
                out_dir / name,
                [column_label(f) for f in fields],
                [[row.get(f, "") for f in fields] for row in rows],
            )
        )
    written.append(
        write_table(
            out_dir / "ketencontrole.csv",
            [
                "bron",
                "onveranderd",
                "gebeurtenissen",
                "eerste foute gebeurtenis",
                "reden",
                "laatste hash",
            ],
            [
                [
                    source,
                    _("ja") if result.intact else _("NEE"),
                    result.rows,
                    result.first_bad_seq or "",
                    result.reason,
                    result.last_hash,
                ]
                for source, result in report.chains
            ],
        )
    )
    return written


def hash_explained() -> str:
    """What the hash proves, in words for the IBT and the school."""
    return _(
        "De vingerafdruk (hash) is berekend over de hele geschiedenis: verandert er achteraf ook"
        " maar één gebeurtenis, dan klopt hij niet meer. Bewaar hem bij dit verslag; zo kan het IBT"
        " later nagaan dat de geschiedenis van deze laptop sindsdien niet is veranderd."
    )


def _escape(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th align='left'>{_escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{head}</tr>{body}</table>"


def to_html(
    report: AnnualReport, school_names: dict[str, str], account_names: dict[str, str]
) -> str:
    """The printable report; rendered to PDF by the caller (Qt lives outside the core)."""
    scope = (
        school_names.get(report.school_id, report.school_id)
        if report.school_id
        else _("alle scholen")
    )
    for_the_ibt = _(
        "Voor het Informatie Beveiliging Team (IBT) van de stichting, dat elk jaar ook de sociale"
        " media controleert."
    )
    parts = [
        f"<h1>{_escape(_('Jaarverslag sociale media {year}').format(year=report.school_year))}</h1>",
        f"<p>{_escape(for_the_ibt)}</p>",
        f"<p>{_escape(_('Voor {scope}; gemaakt op {when} door Postwijs (Uitgangspunten 9).').format(scope=scope, when=short_moment(report.generated_at)))}</p>",
        f"<h2>{_escape(_('Controle van de geschiedenis'))}</h2>",
        f"<p>{_escape(hash_explained())}</p>",
        _table(
            [_("bron"), _("onveranderd"), _("gebeurtenissen"), _("vingerafdruk (laatste hash)")],
            [
                [
                    source,
                    _("ja")
                    if r.intact
                    else _("NEE: gebeurtenis {seq}, {reason}").format(
                        seq=r.first_bad_seq, reason=r.reason
                    ),
                    r.rows,
                    r.last_hash,
                ]
                for source, r in report.chains
            ],
        ),
        f"<h2>{_escape(_('Berichten per account en maand'))}</h2>",
        _table(
            [_("school"), _("account"), _("netwerk"), _("maand"), _("aantal")],
            [
                [school_names.get(s, s), account_names.get(a, a), n, m, c]
                for (s, a, n, m), c in sorted(report.posts.items())
            ]
            + [
                [
                    scope,
                    _("oefenaccounts"),
                    _("oefening (niet echt geplaatst)"),
                    _("heel het schooljaar"),
                    report.practice_posts,
                ]
            ],
        ),
    ]
    sections = (
        (
            _("Waarschuwingen die bewust zijn genegeerd, met de reden"),
            report.acknowledgements,
            ["when", "account", "articles", "reason", "message"],
        ),
        (
            _("Toestemming van getagde personen op het moment van plaatsen"),
            report.consent_evidence,
            ["when", "job", "consent"],
        ),
        (
            _("Ingetrokken berichten"),
            report.retractions,
            ["when", "account", "network", "result", "why", "by"],
        ),
        (
            _("Geschorste accounts"),
            report.suspensions,
            ["when", "account", "action", "reason", "by"],
        ),
        (_("Mislukte pogingen"), report.failures, ["when", "account", "network", "reason"]),
        (_("Voorgelegd aan de leidinggevende"), report.reviews, ["when", "step", "approved"]),
        (
            _("Signalen besproken met de leidinggevende (Profileren 3)"),
            report.signals,
            ["when", "account", "articles", "step", "decision", "by"],
        ),
    )
    for title, rows, columns in sections:
        parts.append(f"<h2>{_escape(title)}</h2>")
        if not rows:
            parts.append(f"<p>{_escape(_('Geen.'))}</p>")
            continue
        parts.append(
            _table(
                [column_label(c) for c in columns],
                [
                    [
                        account_names.get(str(row.get(c, "")), row.get(c, ""))
                        if c == "account"
                        else row.get(c, "")
                        for c in columns
                    ]
                    for row in rows
                ],
            )
        )
    parts.append(_sweep_html(report, school_names, account_names))
    return "".join(parts)


def _sweep_html(
    report: AnnualReport, school_names: dict[str, str], account_names: dict[str, str]
) -> str:
    """A section per account: the counts per class and the posts with something to look at."""
    title = _("Jaarcontrole van de accounts")
    parts = [f"<h2>{_escape(title)}</h2>"]
    if not report.sweeps:
        none = _("Geen jaarcontrole gedaan voor dit schooljaar.")
        parts.append(f"<p>{_escape(none)}</p>")
        return "".join(parts)
    about = _(
        "Alle eigen berichten van elk account in het schooljaar, zoals het netwerk ze nu toont,"
        " vergeleken met de geschiedenis; berichten buiten Postwijs zijn getoetst aan de"
        " gedragsregels van dat moment."
    )
    parts.append(f"<p>{_escape(about)}</p>")
    for sweep in report.sweeps:
        account = str(sweep["account"])
        parts.append(f"<h3>{_escape(account_names.get(account, account))}</h3>")
        checked = _("Gecontroleerd op {when} door {by} ({source}).").format(
            when=sweep["when"], by=sweep["by"], source=sweep["source"]
        )
        parts.append(f"<p>{_escape(checked)}</p>")
        parts.append(
            _table(
                [sweep_class_label(klass) for klass in SWEEP_CLASSES],
                [[sweep[klass] for klass in SWEEP_CLASSES]],
            )
        )
        rows = [p for p in report.sweep_posts if p["account"] == account]
        if rows:
            parts.append(
                _table(
                    [_("geplaatst"), _("soort"), _("bevindingen"), _("link"), _("afgehandeld")],
                    [
                        [p["posted"], p["class"], p["findings"], p["link"], p["handled"]]
                        for p in rows
                    ],
                )
            )
        else:
            nothing = _("Geen berichten om na te kijken.")
            parts.append(f"<p>{_escape(nothing)}</p>")
    return "".join(parts)


def summary(report: AnnualReport) -> dict:
    return {
        "school_year": report.school_year,
        "school": report.school_id or None,
        "intact": report.intact,
        "chains": [
            {
                "source": s,
                "intact": r.intact,
                "rows": r.rows,
                "first_bad_row": r.first_bad_seq,
                "reason": r.reason,
                "last_hash": r.last_hash,
            }
            for s, r in report.chains
        ],
        "posts": sum(report.posts.values()),
        "practice_posts": report.practice_posts,
        "acknowledgements": len(report.acknowledgements),
        "consent_evidence": len(report.consent_evidence),
        "retractions": len(report.retractions),
        "suspensions": len(report.suspensions),
        "failures": len(report.failures),
        "reviews": len(report.reviews),
        "signals": len(report.signals),
        "sweep_accounts": len(report.sweeps),
        "sweep_posts": len(report.sweep_posts),
    }
