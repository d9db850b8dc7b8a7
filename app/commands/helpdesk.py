"""`postwijs-cli helpdesk [--json]`: the report for the helpdesk (app.helpdesk), printed.

The same text as "Informatie voor de helpdesk kopiëren" in Instellingen; with --json one object.
Exit code 0, also when the report says the configuration or the database is broken: saying so is
the command's job.
"""

from __future__ import annotations

from app import helpdesk
from app.commands.common import EXIT_OK, Options, add_common_options, emit


def add_commands(helpdesk_cmd) -> None:
    """Fills in `helpdesk`, the parser app.commands.cli made for it."""
    add_common_options(helpdesk_cmd)
    helpdesk_cmd.set_defaults(run=cmd_helpdesk)


def cmd_helpdesk(options: Options) -> int:
    found = helpdesk.report(options.data_dir, options.site_file)
    emit(options, found.as_dict(), found.text())
    return EXIT_OK
