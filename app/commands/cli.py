"""The headless commands, for IT, scripts and tests.

Exit codes: 0 success, 1 a finding or a failure, 2 wrong usage or a broken configuration.
Every command takes --data-dir and --site, so nothing ever touches a user's real data by accident.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__, i18n
from app.i18n import _
from app.paths import default_data_dir
from app.site.config import Site, SiteConfigError, load_site
from app.store import Store, StoreError
from resources import resource_path

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


@dataclass
class Options:
    data_dir: Path
    site_file: Path | None
    json: bool = False
    language: str = ""
    extra: dict = field(default_factory=dict)


def add_common_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """The options every command takes, before or after the command's name."""
    # A subcommand's defaults would overwrite what was given before its name, so only the top level
    # sets them.
    default = {} if top_level else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--data-dir", type=Path, help=_("map met de gegevens (database, oefentijdlijn)"), **default
    )
    parser.add_argument(
        "--site",
        type=Path,
        help=_("siteconfiguratie (TOML) in plaats van de standaardlocatie"),
        **default,
    )
    parser.add_argument("--json", action="store_true", help=_("antwoord als JSON"), **default)
    parser.add_argument(
        "--language", choices=sorted(i18n.LANGUAGES), help=_("taal: nl of en"), **default
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="postwijs",
        description=_("Postwijs: berichten plaatsen volgens de gedragsregels sociale media."),
    )
    parser.add_argument("--version", action="version", version=f"Postwijs {__version__}")
    add_common_options(parser, top_level=True)
    parser.add_argument(
        "--self-test", action="store_true", help=_("controleer de installatie en stop")
    )
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar=_("opdracht"))

    site_cmd = commands.add_parser("site", help=_("de siteconfiguratie controleren"))
    site_sub = site_cmd.add_subparsers(dest="site_command", required=True, metavar=_("actie"))
    site_check = site_sub.add_parser("check", help=_("controleer de siteconfiguratie"))
    add_common_options(site_check)

    check_cmd = commands.add_parser("check", help=_("een bericht toetsen aan de gedragsregels"))
    add_common_options(check_cmd)
    check_cmd.add_argument(
        "--jsonl", action="store_true", help=_("lees en schrijf één JSON-object per regel")
    )
    check_cmd.add_argument(
        "file", nargs="?", type=Path, help=_("invoerbestand (standaard: standaardinvoer)")
    )
    check_cmd.set_defaults(check_command="")

    consent_cmd = commands.add_parser("consent", help=_("het toestemmingsregister"))
    consent_sub = consent_cmd.add_subparsers(
        dest="consent_command", required=True, metavar=_("actie")
    )
    consent_import = consent_sub.add_parser(
        "import", help=_("toestemmingen importeren uit een CSV-export van de administratie")
    )
    add_common_options(consent_import)
    consent_import.add_argument("file", type=Path, help=_("de CSV-export van de administratie"))
    consent_import.add_argument(
        "--school", help=_("de school (id uit de siteconfiguratie); nodig bij meer dan één school")
    )
    consent_import.add_argument(
        "--mapping", dest="mapping_file", type=Path, help=_("kolomkoppeling als JSON-bestand")
    )
    consent_import.add_argument(
        "--accept-good-lines",
        action="store_true",
        help=_("importeer de goede regels en sla de foute over"),
    )
    consent_erase = consent_sub.add_parser(
        "erase", help=_("een persoon helemaal wissen (AVG-verzoek), ook uit de geschiedenis")
    )
    add_common_options(consent_erase)
    consent_erase.add_argument("--school", required=True, help=_("de school (id)"))
    consent_erase.add_argument(
        "--identifier", required=True, help=_("leerlingnummer of ander nummer")
    )
    consent_erase.add_argument("--by", required=True, help=_("wie het verzoek uitvoert"))

    media_cmd = commands.add_parser("media", help=_("foto's en video's klaarmaken om te plaatsen"))
    media_sub = media_cmd.add_subparsers(dest="media_command", required=True, metavar=_("actie"))
    media_prepare = media_sub.add_parser(
        "prepare", help=_("maak een kopie zonder verborgen gegevens, passend voor één netwerk")
    )
    add_common_options(media_prepare)
    media_prepare.add_argument("file", type=Path, help=_("de foto of video"))
    media_prepare.add_argument(
        "--network", required=True, help=_("het netwerk, bijvoorbeeld bluesky of instagram")
    )
    media_prepare.add_argument(
        "--out", type=Path, required=True, help=_("map waarin de kopie komt")
    )

    helpdesk_cmd = commands.add_parser(
        "helpdesk", help=_("informatie voor de helpdesk (zonder persoonsgegevens)")
    )
    add_common_options(helpdesk_cmd)

    history_cmd = commands.add_parser("history", help=_("de geschiedenis bekijken en controleren"))
    history_sub = history_cmd.add_subparsers(
        dest="history_command", required=True, metavar=_("actie")
    )
    verify = history_sub.add_parser(
        "verify", help=_("controleer of de geschiedenis onveranderd is")
    )
    add_common_options(verify)
    listing = history_sub.add_parser("list", help=_("toon de gebeurtenissen"))
    add_common_options(listing)
    report = history_sub.add_parser("report", help=_("jaarverslag voor het IBT (CSV en PDF)"))
    add_common_options(report)
    report.add_argument(
        "--school-year", required=True, help=_("schooljaar, bijvoorbeeld 2025-2026")
    )
    report.add_argument("--school", default="", help=_("alleen deze school (standaard: alle)"))
    report.add_argument("--out", type=Path, required=True, help=_("map voor het verslag"))
    export = history_sub.add_parser("export", help=_("geschiedenis als bundel voor de audit"))
    add_common_options(export)
    export.add_argument("--out", type=Path, required=True, help=_("bundelbestand (.zip)"))
    audit = history_sub.add_parser(
        "audit", help=_("bundels van meerdere laptops samenvoegen en controleren")
    )
    add_common_options(audit)
    audit.add_argument("bundles", nargs="+", type=Path, help=_("bundelbestanden"))
    audit.add_argument("--school-year", required=True, help=_("schooljaar, bijvoorbeeld 2025-2026"))
    audit.add_argument("--school", default="", help=_("alleen deze school (standaard: alle)"))
    audit.add_argument("--out", type=Path, required=True, help=_("map voor het verslag"))
    return parser


def options_from(args: argparse.Namespace) -> Options:
    return Options(
        data_dir=args.data_dir or default_data_dir(),
        site_file=args.site,
        json=bool(args.json),
        language=args.language or "",
    )


def _emit(options: Options, payload: dict, text: str) -> None:
    if options.json:
        import json

        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(text)


def _load_site_or_report(options: Options) -> Site | None:
    try:
        return load_site(options.site_file)
    except SiteConfigError as error:
        _emit(options, {"ok": False, "error": "site", "message": str(error)}, str(error))
        return None


def _open_store_or_report(options: Options) -> Store | None:
    try:
        return Store.open(options.data_dir)
    except StoreError as error:
        _emit(options, {"ok": False, "error": "store", "message": str(error)}, str(error))
        return None


def cmd_site_check(options: Options) -> int:
    site = _load_site_or_report(options)
    if site is None:
        return EXIT_USAGE
    where = _("ingebouwde demosite") if site.is_demo else str(site.source)
    summary = {
        "ok": True,
        "file": None if site.is_demo else str(site.source),
        "demo": site.is_demo,
        "schools": [s.id for s in site.schools],
        "accounts": [a.id for s in site.schools for a in s.accounts],
        "authors": [a.id for a in site.authors],
    }
    _emit(
        options,
        summary,
        _("Siteconfiguratie in orde: {where} ({schools} scholen, {accounts} accounts).").format(
            where=where, schools=len(summary["schools"]), accounts=len(summary["accounts"])
        ),
    )
    return EXIT_OK


def cmd_check(options: Options) -> int:
    from app.commands.check import LineError, answer, run_jsonl

    site = _load_site_or_report(options)
    if site is None:
        return EXIT_USAGE
    path = options.extra.get("file")
    try:
        source = path.open(encoding="utf-8") if path else sys.stdin
    except OSError as error:
        print(_("Kan {file} niet lezen: {reason}").format(file=path, reason=error.strerror))
        return EXIT_USAGE
    with source:
        if options.extra.get("jsonl"):
            return EXIT_FINDING if run_jsonl(source, sys.stdout, site, []) else EXIT_OK
        text = source.read()
    try:
        result = answer({"text": text}, site, [])
    except LineError as error:
        print(error)
        return EXIT_USAGE
    if options.json:
        _emit(options, result, "")
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


def cmd_history_verify(options: Options) -> int:
    from app.history import chain as history

    store = _open_store_or_report(options)
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
        text = _("De geschiedenis is onveranderd ({rows} regels).").format(rows=result.rows)
    else:
        text = _("De geschiedenis is aangetast: regel {seq} klopt niet ({reason}).").format(
            seq=result.first_bad_seq, reason=result.reason
        )
    _emit(options, payload, text)
    return EXIT_OK if result.intact else EXIT_FINDING


def _school_year_or_report(options: Options, year: str) -> bool:
    from app.school_year import is_school_year

    if is_school_year(year):
        return True
    _emit(
        options,
        {"ok": False, "error": "usage", "message": f"--school-year {year}"},
        _("Geef het schooljaar als 2025-2026, niet als {value}.").format(value=year),
    )
    return False


def _write_report(options: Options, report, site: Site | None, out: Path) -> int:
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
        _emit(
            options,
            {"ok": False, "error": "write", "message": str(error)},
            _("Het verslag kon niet worden geschreven in {dir}: {reason}").format(
                dir=out, reason=error.strerror
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
    _emit(options, payload, "\n".join(lines))
    return EXIT_OK if report.intact else EXIT_FINDING


def cmd_history_report(options: Options) -> int:
    from app.history import annual_report
    from app.history import chain as history

    year = options.extra["school_year"]
    if not _school_year_or_report(options, year):
        return EXIT_USAGE
    store = _open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    try:
        site = load_site(options.site_file)
    except SiteConfigError:
        site = None
    try:
        chain = history.verify(store)
        events = [(_("deze laptop"), e) for e in history.events(store)]
    finally:
        store.close()
    report = annual_report.build(events, year, [(_("deze laptop"), chain)], options.extra["school"])
    return _write_report(options, report, site, options.extra["out"])


def cmd_history_export(options: Options) -> int:
    from app.history import bundle as history_bundle

    store = _open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    try:
        path = history_bundle.export(store, options.extra["out"])
    except OSError as error:
        _emit(options, {"ok": False, "message": str(error)}, str(error))
        return EXIT_FINDING
    finally:
        store.close()
    _emit(
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
            _emit(options, {"ok": False, "error": "bundle", "message": str(error)}, str(error))
            return EXIT_USAGE
        source = f"{bundle.laptop} ({path.name})"
        chains.append((source, bundle.verify()))
        events += [(source, e) for e in bundle.events()]
    try:
        site = load_site(options.site_file)
    except SiteConfigError:
        site = None
    report = annual_report.build(events, year, chains, options.extra["school"])
    return _write_report(options, report, site, options.extra["out"])


def cmd_consent_import(options: Options) -> int:
    from app.commands.consent import cmd_consent_import as run

    return run(
        options,
        options.extra["file"],
        options.extra.get("school"),
        options.extra.get("mapping_file"),
        options.extra.get("accept_good_lines", False),
    )


def cmd_consent_erase(options: Options) -> int:
    from app.consent import register as consent

    store = _open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    try:
        found = consent.find_person(store, options.extra["school"], options.extra["identifier"])
        if found is None:
            _emit(
                options,
                {"ok": False, "error": "not_found"},
                _("Niemand met nummer {id} bij {school}.").format(
                    id=options.extra["identifier"], school=options.extra["school"]
                ),
            )
            return EXIT_FINDING
        consent.erase_person(store, found.id, options.extra["by"], reason="AVG")
    finally:
        store.close()
    _emit(
        options,
        {"ok": True},
        _("Gewist uit het register en uit de geschiedenis; de keten blijft controleerbaar."),
    )
    return EXIT_OK


def cmd_helpdesk(options: Options) -> int:
    from app.commands.helpdesk import cmd_helpdesk as run

    return run(options)


def cmd_media_prepare(options: Options) -> int:
    from app.commands.media import cmd_media_prepare as run

    return run(options, options.extra["file"], options.extra["network"], options.extra["out"])


def cmd_history_list(options: Options) -> int:
    from app.history import chain as history

    store = _open_store_or_report(options)
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
    _emit(options, {"events": rows}, text)
    return EXIT_OK


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def core_self_test(options: Options) -> list[Check]:
    """The checks that need no Qt; the composition root adds the Qt check."""
    checks = []
    try:
        site = load_site(options.site_file)
        where = _("demosite") if site.is_demo else str(site.source)
        checks.append(
            Check("site", True, _("siteconfiguratie geladen ({where})").format(where=where))
        )
    except SiteConfigError as error:
        checks.append(Check("site", False, str(error)))
    try:
        store = Store.open(options.data_dir)
        version = store.schema_version()
        quick = store.execute("PRAGMA quick_check").fetchone()[0]
        store.close()
        checks.append(
            Check(
                "store",
                quick == "ok",
                _("database geopend en bijgewerkt tot versie {v} ({path})").format(
                    v=version, path=options.data_dir
                ),
            )
        )
    except StoreError as error:
        checks.append(Check("store", False, str(error)))
    missing = [name for name in ("demo-site.toml",) if not resource_path(name).is_file()]
    checks.append(
        Check(
            "resources",
            not missing,
            _("hulpbestanden gevonden")
            if not missing
            else _("ontbreekt: {names}").format(names=", ".join(missing)),
        )
    )
    checks.append(_media_check())
    english = i18n.catalogue_available("en")
    translated = ""
    if english:
        previous = i18n.current_language()
        i18n.set_language("en")
        translated = _("Nieuw bericht")
        i18n.set_language(previous)
    checks.append(
        Check(
            "translations",
            english and translated == "New post",
            _("vertalingen geladen (Nederlands, English)")
            if english
            else _("de Engelse vertaling ontbreekt; voer scripts/install.sh uit"),
        )
    )
    return checks


def _media_check() -> Check:
    """Photos (including iPhone HEIC) can be opened and faces searched (video needs no part that
    could be missing: its container is rewritten by Postwijs itself)."""
    try:
        from PIL import features

        from app.media import prepare as media  # registers the HEIC opener
        from app.media.faces import detect_faces

        heic = ".heic" in media.Image.registered_extensions()
        detect_faces(media.Image.new("RGB", (64, 64)))  # raises when the cascades are missing
        ok = heic and features.check("jpg")
        detail = _(
            "foto's (ook HEIC) en video's kunnen worden klaargemaakt; gezichten worden gezocht"
        )
        if not ok:
            detail = _("foto's kunnen niet worden klaargemaakt (HEIC: {heic})").format(
                heic=_("ja") if heic else _("nee")
            )
        return Check("media", ok, detail)
    except Exception as error:  # the report must say what failed, whatever it was
        return Check(
            "media", False, _("foto's kunnen niet worden geopend: {reason}").format(reason=error)
        )


def report_self_test(options: Options, checks: list[Check]) -> int:
    ok = all(c.ok for c in checks)
    lines = [_("Postwijs {version} zelftest").format(version=__version__)]
    lines += [("✓ " if c.ok else "✗ ") + c.detail for c in checks]
    lines.append(_("Alles in orde.") if ok else _("Er is iets mis; zie hierboven."))
    _emit(
        options,
        {"ok": ok, "version": __version__, "checks": [c.__dict__ for c in checks]},
        "\n".join(lines),
    )
    return EXIT_OK if ok else EXIT_FINDING


COMMANDS: dict[tuple[str, str], Callable[[Options], int]] = {
    ("check", ""): cmd_check,
    ("site", "check"): cmd_site_check,
    ("history", "verify"): cmd_history_verify,
    ("history", "list"): cmd_history_list,
    ("consent", "import"): cmd_consent_import,
    ("consent", "erase"): cmd_consent_erase,
    ("media", "prepare"): cmd_media_prepare,
    ("helpdesk", ""): cmd_helpdesk,
    ("history", "report"): cmd_history_report,
    ("history", "export"): cmd_history_export,
    ("history", "audit"): cmd_history_audit,
}


def run_command(args: argparse.Namespace, render_pdf=None) -> int:
    """`render_pdf(html, path, title)` comes from the composition root (it needs Qt)."""
    options = options_from(args)
    options.extra = {
        name: getattr(args, name)
        for name in (
            "file",
            "jsonl",
            "school_year",
            "school",
            "out",
            "bundles",
            "mapping_file",
            "accept_good_lines",
            "identifier",
            "by",
            "network",
        )
        if hasattr(args, name)
    }
    options.extra["render_pdf"] = render_pdf
    action = getattr(args, f"{args.command}_command", "")
    return COMMANDS[(args.command, action)](options)


def force_utf8_output() -> None:
    """Windows consoles default to a legacy code page; Dutch text and ✓ must still print."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
