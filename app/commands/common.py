"""What every headless command shares: the exit codes, the options, the parser class that speaks
Dutch on wrong usage, and the way a command answers (text or --json).

Exit codes: 0 success, 1 a finding or a failure, 2 wrong usage or a broken configuration.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from app import i18n
from app.i18n import _
from app.paths import default_data_dir
from app.site.config import Site, SiteConfigError, load_site
from app.store import Store, StoreError

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


@dataclass
class Options:
    data_dir: Path
    site_file: Path | None
    json: bool = False
    language: str = ""
    extra: dict = field(default_factory=dict)


def _argparse_in_dutch(message: str) -> str:
    """argparse's own complaints are English (its texts are not in our catalogue); the ones a user
    meets are said again in Dutch. An unknown one is kept as it is rather than lost."""
    patterns = (
        (r"the following arguments are required: (.+)", _("geef ook {0} op")),
        (r"argument (\S+?): (.+)", _("bij {0}: {1}")),
        (r"unrecognized arguments: (.+)", _("onbekende argumenten: {0}")),
        (r"invalid choice: (.+) \(choose from (.+)\)", _("onbekende keuze {0}; kies uit {1}")),
        (r"expected one argument", _("hier hoort een waarde achter")),
        (r"expected at least one argument", _("hier hoort minstens één waarde achter")),
    )
    for pattern, dutch in patterns:
        found = re.fullmatch(pattern, message)
        if found:
            parts = [_argparse_in_dutch(part) for part in found.groups()]
            return dutch.format(*parts)
    return message


class _HelpInDutch(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("gebruik: ") if prefix is None else prefix)


class UsageParser(argparse.ArgumentParser):
    """An argument parser whose wrong-usage message is Dutch (and English with --language en)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpInDutch)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE,
            _("{prog}: verkeerd gebruik: {message}. Zie {prog} --help.").format(
                prog=self.prog, message=_argparse_in_dutch(message)
            )
            + "\n",
        )


def required_text(value: str) -> str:
    """The type of a required text argument: an empty value (`--by ""`) is wrong usage."""
    if not value.strip():
        raise argparse.ArgumentTypeError(_("vul een waarde in; leeg kan niet"))
    return value.strip()


def add_common_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """The options every command takes, before or after the command's name."""
    # A subcommand's defaults would overwrite what was given before its name, so only the top level
    # sets them.
    default: dict[str, Any] = {} if top_level else {"default": argparse.SUPPRESS}
    parser.add_argument(
        "--data-dir",
        type=required_path,
        help=_("map met de gegevens (database, oefentijdlijn)"),
        **default,
    )
    parser.add_argument(
        "--site",
        type=required_path,
        help=_("siteconfiguratie (TOML) in plaats van de standaardlocatie"),
        **default,
    )
    parser.add_argument("--json", action="store_true", help=_("antwoord als JSON"), **default)
    parser.add_argument(
        "--language", choices=sorted(i18n.LANGUAGES), help=_("taal: nl of en"), **default
    )


def options_from(args: argparse.Namespace) -> Options:
    return Options(
        data_dir=args.data_dir or default_data_dir(),
        site_file=args.site,
        json=bool(args.json),
        language=args.language or "",
    )


def emit(options: Options, payload: dict, text: str) -> None:
    """The command's answer: `payload` as JSON with --json, else `text`."""
    if options.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(text)


def usage_error(options: Options, message: str) -> int:
    """Says what to give instead, and returns the wrong-usage exit code."""
    emit(options, {"ok": False, "error": "usage", "message": message}, message)
    return EXIT_USAGE


def load_site_or_report(options: Options) -> Site | None:
    try:
        return load_site(options.site_file)
    except SiteConfigError as error:
        problems = [{"key": p.key, "line": p.line, "message": p.expected} for p in error.problems]
        payload = {"ok": False, "error": "site", "message": str(error), "problems": problems}
        emit(options, payload, str(error))
        return None


def open_store_or_report(options: Options) -> Store | None:
    try:
        return Store.open(options.data_dir)
    except StoreError as error:
        emit(options, {"ok": False, "error": "store", "message": str(error)}, str(error))
        return None


def required_path(value: str) -> Path:
    """The type of a file or folder argument: an empty one would silently mean the current folder."""
    required_text(value)
    return Path(value)
