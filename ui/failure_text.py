"""What the user reads when background work stopped: the app's own errors already are Dutch
sentences that say what to do; anything else was unexpected, so the screen gets one general
sentence and the log gets the details (an exception's own text is English, meant for developers)."""

from __future__ import annotations

import logging

from app.i18n import _
from app.networks.connector import ConnectorError
from app.store import StoreError

SAYS_WHAT_TO_DO: tuple[type[BaseException], ...] = (ConnectorError, StoreError)


def failure_words(error: BaseException, log: logging.Logger, doing: str) -> str:
    """`doing` names the work in the log ("sweep", "unfollow"), never on the screen."""
    if isinstance(error, SAYS_WHAT_TO_DO):
        return str(error)
    log.error("%s failed unexpectedly", doing, exc_info=error)
    return unexpected_words()


def unexpected_words() -> str:
    return _(
        "Dat is niet gelukt door een onverwachte fout. Probeer het opnieuw; gaat het weer mis, vraag dan de ICT-beheerder om hulp."
    )
