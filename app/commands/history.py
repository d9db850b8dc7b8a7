"""`python -m app history …`: verify, list, the annual report, export a bundle, audit bundles.

Exit codes as in app.commands.common: `verify`, `report` and `audit` answer 1 when a chain is not
intact; 2 for wrong usage (a school year written otherwise, an unreadable bundle, a broken
database).
"""

from __future__ import annotations

from pathlib import Path

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
    usage_error,
)
from app.i18n import _, ngettext
from app.site.config import Site, SiteConfigError, load_site


def add_commands(history_cmd) -> None:
    """Fills in `history …`, the parser app.commands.cli made for it."""
    history_sub = history_cmd.add_subparsers(
        dest="history_command", required=True, metavar=_("actie")
    )
    verify = history_sub.add_parser(
        "verify", help=_("controleer of de geschiedenis onveranderd is")
    )
    add_common_options(verify)
    verify.set_defaults(run=cmd_history_verify)
    listing = history_sub.add_parser("list", help=_("toon de gebeurtenissen"))
    add_common_options(listing)
    listing.set_defaults(run=cmd_history_list)
    report = history_sub.add_parser("report", help=_("jaarverslag voor het IBT (CSV en PDF)"))
    add_common_options(report)
    report.add_argument(
        "--school-year", required=True, help=_("schooljaar, bijvoorbeeld 2025-2026")
    )
    report.add_argument("--school", default="", help=_("alleen deze school (standaard: alle)"))
    report.add_argument("--out", type=required_path, required=True, help=_("map voor het verslag"))
    report.set_defaults(run=cmd_history_report)
    export = history_sub.add_parser("export", help=_("geschiedenis als bundel voor de audit"))
    add_common_options(export)
    export.add_argument("--out", type=required_path, required=True, help=_("bundelbestand (.zip)"))
    export.set_defaults(run=cmd_history_export)
    audit = history_sub.add_parser(
        "audit", help=_("bundels van meerdere laptops samenvoegen en controleren")
    )
    add_common_options(audit)
    audit.add_argument("bundles", nargs="+", type=required_path, help=_("bundelbestanden"))
    audit.add_argument("--school-year", required=True, help=_("schooljaar, bijvoorbeeld 2025-2026"))
    audit.add_argument("--school", default="", help=_("alleen deze school (standaard: alle)"))
    audit.add_argument("--out", type=required_path, required=True, help=_("map voor het verslag"))
    audit.set_defaults(run=cmd_history_audit)
    sweep_cmd = history_sub.add_parser(
        "sweep",
        help=_("jaarcontrole van de accounts: alle berichten van een schooljaar nagaan"),
        description=_(
            "Leest de eigen berichten van elk account van het schooljaar bij het netwerk,"
            " vergelijkt ze met de geschiedenis en toetst de berichten die buiten Postwijs zijn"
            " geplaatst aan de gedragsregels. Een onderbroken controle gaat de volgende keer"
            " verder waar hij was."
        ),
    )
    add_common_options(sweep_cmd)
    sweep_cmd.add_argument(
        "--school-year", required=True, help=_("schooljaar, bijvoorbeeld 2025-2026")
    )
    sweep_cmd.add_argument("--school", default="", help=_("alleen deze school (standaard: alle)"))
    sweep_cmd.add_argument(
        "--by",
        default="",
        help=_(
            "wie de controle uitvoert, zoals het in de geschiedenis komt (standaard: de schrijver"
            " uit de siteconfiguratie)"
        ),
    )
    sweep_cmd.set_defaults(run=cmd_history_sweep)


def cmd_history_verify(options: Options) -> int:
    from app.history import chain as history

    store = open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    try:
        result = history.verify(store)
    finally:
        store.close()
    payload = {
        "intact": result.intact,
        "rows": result.rows,
        "first_bad_row": result.first_bad_seq,
        "reason": result.reason,
        "last_hash": result.last_hash,
    }
    if result.intact:
        text = ngettext(
            "De geschiedenis is onveranderd ({rows} gebeurtenis).",
            "De geschiedenis is onveranderd ({rows} gebeurtenissen).",
            result.rows,
        ).format(rows=result.rows)
    else:
        text = _("De geschiedenis is aangetast: gebeurtenis {seq} klopt niet ({reason}).").format(
            seq=result.first_bad_seq, reason=result.reason
        )
    emit(options, payload, text)
    return EXIT_OK if result.intact else EXIT_FINDING


def cmd_history_list(options: Options) -> int:
    from app.history import chain as history

    store = open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    try:
        events = history.events(store)
    finally:
        store.close()
    rows = [{"seq": e.seq, "at": e.at, "kind": e.kind, **e.data} for e in events]
    text = "\n".join(
        f"{e.seq:>5}  {e.at}  {e.kind:<15} {e.data.get('account', '')}" for e in events
    ) or _("De geschiedenis is leeg.")
    emit(options, {"events": rows}, text)
    return EXIT_OK


def _school_year_or_report(options: Options, year: str) -> bool:
    from app.school_year import is_school_year

    if is_school_year(year):
        return True
    usage_error(
        options, _("Geef het schooljaar als 2025-2026, niet als {value}.").format(value=year)
    )
    return False


def _site_for_names(options: Options) -> Site | None:
    """The site only names schools and accounts in the PDF; a report is made without it."""
    try:
        return load_site(options.site_file)
    except SiteConfigError:
        return None


def _write_report(options: Options, report, site: Site | None, out: Path) -> int:
    from app.file_words import unwritable_words
    from app.history import annual_report

    try:
        written = annual_report.write_csv(report, out)
        render = options.extra.get("render_pdf")
        if render is not None:
            schools = {s.id: s.name for s in site.schools} if site else {}
            accounts = {a.id: a.name for s in site.schools for a in s.accounts} if site else {}
            pdf = out / f"jaarverslag-{report.school_year}.pdf"
            render(annual_report.to_html(report, schools, accounts), pdf, _("Jaarverslag"))
            written.append(pdf)
    except OSError as error:
        emit(
            options,
            {"ok": False, "error": "write", "message": unwritable_words(error, out)},
            _("Het verslag kon niet worden geschreven. {reason}").format(
                reason=unwritable_words(error, out)
            ),
        )
        return EXIT_FINDING
    payload = {**annual_report.summary(report), "files": [str(p) for p in written]}
    lines = [
        _("Jaarverslag {year} geschreven in {dir}.").format(year=report.school_year, dir=out),
        _("Geschiedenis onveranderd: {answer}.").format(
            answer=_("ja") if report.intact else _("NEE")
        ),
        _(
            "{n} berichten, {p} oefenberichten, {a} genegeerde waarschuwingen, {r} intrekkingen."
        ).format(
            n=payload["posts"],
            p=payload["practice_posts"],
            a=payload["acknowledgements"],
            r=payload["retractions"],
        ),
    ]
    emit(options, payload, "\n".join(lines))
    return EXIT_OK if report.intact else EXIT_FINDING


def cmd_history_report(options: Options) -> int:
    from app.history import annual_report
    from app.history import chain as history

    year = options.extra["school_year"]
    if not _school_year_or_report(options, year):
        return EXIT_USAGE
    store = open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    site = _site_for_names(options)
    try:
        chain = history.verify(store)
        events = [(_("deze laptop"), e) for e in history.events(store)]
    finally:
        store.close()
    report = annual_report.build(events, year, [(_("deze laptop"), chain)], options.extra["school"])
    return _write_report(options, report, site, options.extra["out"])


def cmd_history_export(options: Options) -> int:
    from app.history import bundle as history_bundle

    store = open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    try:
        path = history_bundle.export(store, options.extra["out"])
    except OSError as error:
        emit(options, {"ok": False, "message": str(error)}, str(error))
        return EXIT_FINDING
    finally:
        store.close()
    emit(
        options, {"ok": True, "bundle": str(path)}, _("Bundel geschreven: {path}").format(path=path)
    )
    return EXIT_OK


def cmd_history_audit(options: Options) -> int:
    from app.history import annual_report
    from app.history import bundle as history_bundle

    year = options.extra["school_year"]
    if not _school_year_or_report(options, year):
        return EXIT_USAGE
    chains, events = [], []
    for path in options.extra["bundles"]:
        try:
            bundle = history_bundle.read(path)
        except history_bundle.BundleError as error:
            emit(options, {"ok": False, "error": "bundle", "message": str(error)}, str(error))
            return EXIT_USAGE
        source = f"{bundle.laptop} ({path.name})"
        chains.append((source, bundle.verify()))
        events += [(source, e) for e in bundle.events()]
    site = _site_for_names(options)
    report = annual_report.build(events, year, chains, options.extra["school"])
    return _write_report(options, report, site, options.extra["out"])


CLASS_WORDS = {
    "unchanged": "onveranderd",
    "edited": "aangepast op het netwerk",
    "deleted": "verwijderd op het netwerk",
    "outside": "buiten Postwijs geplaatst",
}


def cmd_history_sweep(options: Options) -> int:
    """Exit 0 when every account was read and nothing was found, 1 when a post needs looking at
    or an account could not be read to the end, 2 for wrong usage."""
    from app.accounts import yearly_sweep

    year = options.extra["school_year"]
    if not _school_year_or_report(options, year):
        return EXIT_USAGE
    site = load_site_or_report(options)
    if site is None:
        return EXIT_USAGE
    school = options.extra["school"]
    if school and school not in {s.id for s in site.schools}:
        return usage_error(options, _("Onbekende school: {id}.").format(id=school))
    make_connector = options.extra.get("connector_for")
    if make_connector is None:
        return usage_error(options, _("Deze opdracht kan hier geen netwerken bereiken."))
    store = open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    by = options.extra["by"].strip()
    if not by:
        try:
            by = site.default_author().name
        except (KeyError, IndexError):
            by = ""
    try:
        outcome = yearly_sweep.run(
            store,
            site,
            year,
            yearly_sweep.accounts_of(site, school),
            lambda account: make_connector(account, options.data_dir, site),
            by=by or _("onbekend"),
        )
    finally:
        store.close()
    payload = {
        "school_year": year,
        "school": school or None,
        "complete": outcome.complete,
        "accounts": [
            {
                "account": r.account_id,
                "name": r.account_name,
                "network": r.network,
                "done": r.done,
                "problem": r.problem or None,
                "counts": r.counts,
                "posts": r.posts,
            }
            for r in outcome.results
        ],
    }
    lines = [_("Jaarcontrole van de accounts, schooljaar {year}").format(year=year)]
    for r in outcome.results:
        if r.done:
            counts = ", ".join(
                f"{r.counts.get(klass, 0)} {_(words)}" for klass, words in CLASS_WORDS.items()
            )
            lines.append(f"{r.account_name}: {counts}.")
        else:
            lines.append(f"{r.account_name}: {r.problem}")
        for post in r.posts:
            what = "; ".join(f["message"] for f in post.get("findings", [])) or _(
                CLASS_WORDS.get(post.get("class", ""), "")
            )
            lines.append(f"  - {post.get('url') or post.get('remote_id')}: {what}")
    if not outcome.findings and outcome.complete:
        lines.append(_("Niets gevonden."))
    emit(options, payload, "\n".join(lines))
    return EXIT_OK if outcome.complete and not outcome.findings else EXIT_FINDING
