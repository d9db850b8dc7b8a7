"""The headless commands, for IT, scripts and tests: the parser and the dispatch, `site check`
and the self-test; each other command family has its own module beside this one.

Exit codes: 0 success, 1 a finding or a failure, 2 wrong usage or a broken configuration.
Every command takes --data-dir and --site, so nothing ever touches a user's real data by accident.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app import __version__, i18n
from app.commands.common import (
    EXIT_FINDING,
    EXIT_OK,
    EXIT_USAGE,
    Options,
    UsageParser,
    add_common_options,
    emit,
    load_site_or_report,
    options_from,
)
from app.i18n import _
from app.site.config import SiteConfigError, load_site
from app.store import Store, StoreError
from resources import resource_path

# The command families beside this module, each with its help line in `postwijs --help`. A family's
# module is imported only when its name is on the command line: the GUI's start needs none of them
# (their imports, the rules and the photo libraries, would delay the composer's first paint).
FAMILIES: dict[str, tuple[str, Callable[[], str]]] = {
    "check": ("app.commands.check", lambda: _("een bericht toetsen aan de gedragsregels")),
    "consent": ("app.commands.consent", lambda: _("het toestemmingsregister")),
    "media": ("app.commands.media", lambda: _("foto's en video's klaarmaken om te plaatsen")),
    "history": ("app.commands.history", lambda: _("de geschiedenis bekijken en controleren")),
    "helpdesk": (
        "app.commands.helpdesk",
        lambda: _("informatie voor de helpdesk (zonder persoonsgegevens)"),
    ),
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with `argv`, one that parses those arguments as that parser
    would, having filled in only the families named in them (the others are listed in the help
    alike, but never reached: a command runs only when its name is among the arguments)."""
    parser = UsageParser(
        prog="postwijs",
        description=_("Postwijs: berichten plaatsen volgens de gedragsregels sociale media."),
    )
    parser.add_argument("--version", action="version", version=f"Postwijs {__version__}")
    add_common_options(parser, top_level=True)
    parser.add_argument(
        "--self-test", action="store_true", help=_("controleer de installatie en stop")
    )
    parser.add_argument("--quit-when-shown", action="store_true", help=argparse.SUPPRESS)
    # With it, the names of the modules imported by the first paint are printed too (a test).
    parser.add_argument("--modules-when-shown", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar=_("opdracht"))

    site_cmd = commands.add_parser("site", help=_("de siteconfiguratie controleren"))
    site_sub = site_cmd.add_subparsers(dest="site_command", required=True, metavar=_("actie"))
    site_check = site_sub.add_parser("check", help=_("controleer de siteconfiguratie"))
    add_common_options(site_check)
    site_check.set_defaults(run=cmd_site_check)
    for name, (module, help_line) in FAMILIES.items():
        family_cmd = commands.add_parser(name, help=help_line())
        if argv is None or name in argv:
            importlib.import_module(module).add_commands(family_cmd)
    return parser


def cmd_site_check(options: Options) -> int:
    """Exit 0 when the configuration can be used, 2 when it cannot; `--json` lists each problem
    with its key and line, so a script can point at them."""
    site = load_site_or_report(options)
    if site is None:
        return EXIT_USAGE
    where = _("ingebouwde demosite") if site.is_demo else str(site.source)
    summary: dict[str, Any] = {
        "ok": True,
        "file": None if site.is_demo else str(site.source),
        "demo": site.is_demo,
        "schools": [s.id for s in site.schools],
        "accounts": [a.id for s in site.schools for a in s.accounts],
        "authors": [a.id for a in site.authors],
    }
    emit(
        options,
        summary,
        _("Siteconfiguratie in orde: {where} ({schools} scholen, {accounts} accounts).").format(
            where=where, schools=len(summary["schools"]), accounts=len(summary["accounts"])
        ),
    )
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
        ok = heic and bool(features.check("jpg"))
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
    emit(
        options,
        {"ok": ok, "version": __version__, "checks": [c.__dict__ for c in checks]},
        "\n".join(lines),
    )
    return EXIT_OK if ok else EXIT_FINDING


def run_command(args: argparse.Namespace, render_pdf=None, connector_for=None) -> int:
    """`render_pdf(html, path, title)` and `connector_for(account, data_dir, site)` come from the
    composition root (they need Qt and the networks)."""
    options = options_from(args)
    common = {
        "data_dir",
        "site",
        "json",
        "language",
        "self_test",
        "quit_when_shown",
        "modules_when_shown",
        "run",
    }
    options.extra = {name: value for name, value in vars(args).items() if name not in common}
    options.extra["render_pdf"] = render_pdf
    options.extra["connector_for"] = connector_for
    return args.run(options)


def force_utf8_output() -> None:
    """Windows consoles default to a legacy code page; Dutch text and ✓ must still print."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
