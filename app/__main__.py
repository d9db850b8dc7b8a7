"""The composition root: `python -m app` starts the GUI; subcommands run headless.

This is the one module of `app` that may import `ui`, `connectors` and Qt (the import-linter
contract names it as the exception): it wires the plain core to the widgets and the networks.
"""

from __future__ import annotations

import functools
import logging
import os
import sys

from app import __version__, i18n, logs
from app.commands import cli
from app.commands.cli import EXIT_FINDING, EXIT_OK, Options


def _apply_language(asked: str) -> None:
    language = asked or os.environ.get("POSTWIJS_LANGUAGE", "")
    if language and language in i18n.LANGUAGES and i18n.catalogue_available(language):
        i18n.set_language(language)


def _render_pdf(html: str, path, title: str = ""):
    from ui.pdf import html_to_pdf

    return html_to_pdf(html, path, title)


def _language_in(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg.startswith("--language="):
            return arg.split("=", 1)[1]
        if arg == "--language" and index + 1 < len(argv):
            return argv[index + 1]
    return ""


def qt_self_test() -> cli.Check:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication, QLabel

        app = QApplication.instance() or QApplication([sys.argv[0]])
        label = QLabel("Postwijs")
        label.show()
        app.processEvents()
        ok = label.isVisible()
        label.close()
        platform = QApplication.platformName()
    except Exception as error:  # the report must say what failed, whatever it was
        return cli.Check("qt", False, i18n._("Qt start niet: {reason}").format(reason=error))
    return cli.Check("qt", ok, i18n._("Qt gestart (platform {name})").format(name=platform))


def self_test(options: Options) -> int:
    checks = cli.core_self_test(options)
    checks.append(qt_self_test())
    return cli.report_self_test(options, checks)


def connector_for(account, data_dir, site=None):
    """The outbox's connector factory: the account's connector from the registry of networks,
    its sign-in in this computer's password vault, its settings from the site configuration."""
    # Imported on first publish, not at start-up: the networks' modules need requests, oauthlib.
    import connectors
    from app.accounts.service import AccountService

    options = connectors.options_for(site) if site is not None else connectors.SignInOptions()
    service = AccountService(connectors.SecretStore(), data_dir, connectors.networks(options))
    return service.connector_for(account)


def install_gui_crash_handler(site_file):
    """An exception that reaches the top is logged, the draft saved and the one sentence shown
    (ui.helpdesk). Returns what imports ui.helpdesk: after the composer is shown, not before (it
    costs the start ~10 ms), or at a crash."""
    from PySide6.QtCore import QTimer

    def helpdesk():
        import ui.helpdesk

        ui.helpdesk.site_file = site_file
        return ui.helpdesk

    sys.excepthook = logs.crash_handler(lambda: QTimer.singleShot(0, helpdesk().show_crash_notice))
    return helpdesk


def start_gui(
    options: Options, quit_when_shown: bool = False, modules_when_shown: bool = False
) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.startup import run_gui

    helpdesk = install_gui_crash_handler(options.site_file)
    QApplication.instance() or QApplication(sys.argv[:1])

    def start_log() -> None:
        # A second after the event loop began: the composer is shown first (start-up budget);
        # a crash before then starts the log itself.
        logs.ensure_started()
        helpdesk()
        logging.getLogger("postwijs").info("window started, version %s", __version__)

    QTimer.singleShot(1000, start_log)

    @functools.cache
    def site():
        from app.site.config import SiteConfigError, load_site

        try:
            return load_site(options.site_file)
        except SiteConfigError:
            return None  # the window shows what is wrong; nothing publishes then

    def logged_connector_for(account, data_dir):
        return logs.LoggedConnector(connector_for(account, data_dir, site()), account.network)

    return run_gui(
        options,
        logged_connector_for,
        quit_when_shown=quit_when_shown,
        modules_when_shown=modules_when_shown,
    )


def _console_crash_hook():
    log_hook = logs.crash_handler()

    def hook(kind, error, tb) -> None:
        log_hook(kind, error, tb)
        if not issubclass(kind, KeyboardInterrupt):
            print(
                i18n._(
                    "Er ging iets mis in Postwijs; de details staan in het logbestand {file}."
                    " Stuur de uitvoer van `postwijs-cli helpdesk` mee als je om hulp vraagt."
                ).format(file=logs.scrub(str(logs.current_file() or logs.log_file()))),
                file=sys.stderr,
            )

    return hook


def main(argv: list[str] | None = None, gui_allowed: bool = True) -> int:
    cli.force_utf8_output()
    sys.excepthook = _console_crash_hook()
    argv = sys.argv[1:] if argv is None else argv
    # The language must be known before the parser is built, so that its help is in that language.
    _apply_language(_language_in(argv))
    parser = cli.build_parser(argv)
    args = parser.parse_args(argv)
    options = cli.options_from(args)
    log = logging.getLogger("postwijs")
    if args.self_test or args.command:
        logs.start()
    if args.self_test:
        log.info("self-test, version %s", __version__)
        return self_test(options)
    if args.command:
        name = f"{args.command} {getattr(args, f'{args.command}_command', '') or ''}".strip()
        with logs.Timed("command", name=name.replace(" ", "-")):
            code = cli.run_command(args, render_pdf=_render_pdf, connector_for=connector_for)
        log.info("command %s: exit status %s", name, code)
        return code
    if not gui_allowed:
        parser.print_help()
        return cli.EXIT_USAGE
    return start_gui(
        options,
        quit_when_shown=args.quit_when_shown or args.modules_when_shown,
        modules_when_shown=args.modules_when_shown,
    )


def gui_main() -> None:
    """Entry point of the windowed program `postwijs`."""
    sys.exit(main())


def cli_main() -> None:
    """Entry point of the console program `postwijs-cli` (a windowed program has no console)."""
    sys.exit(main(gui_allowed=False))


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["EXIT_FINDING", "EXIT_OK", "cli_main", "connector_for", "gui_main", "main"]
